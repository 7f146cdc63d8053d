#!/usr/bin/env bash
# Why the spool's journal writes whole pages: a probe of this disk and kernel, not of Myoflow. It appends records the
# size of a 64x64 CT instance (9.4 KB) and of a 512x512 one (512 KB) to a preallocated 32 MB segment, each followed by
# an fdatasync (what one journal commit is), back to back as the journal wrote them up to 2026-12-01 and padded to page
# boundaries as it writes them now; once with the segment's pages in the page cache, once after they were dropped
# from it (POSIX_FADV_DONTNEED), as this VM's kernel drops a segment's pages between its zero-fill and its use
# (fincore found 56-74 % of a node's spare segments resident after a benchmark). A write that covers part of a page
# that is not cached reads that page from disk first, while the association waits.
# Prints microseconds per record (medians of COUNT records, ROUNDS rounds) and aligned / back-to-back ratios.
# Usage: bench/journal-pages.sh [COUNT] [ROUNDS]   (from the repository root; writes under ${TMPDIR:-/tmp})
set -euo pipefail
count="${1:-1000}"; rounds="${2:-3}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/myoflow-bench-pages.XXXXXX")
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir/segment" "$count" "$rounds" <<'PY'
import os, statistics, sys, time
path, count, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = 32 << 20
fd = os.open(path, os.O_CREAT | os.O_RDWR)
os.pwrite(fd, b"\0" * size, 0)
os.fsync(fd)

def commit_us(record, aligned, cached):
    if not cached:
        os.posix_fadvise(fd, 0, size, os.POSIX_FADV_DONTNEED)
    step = -(-record // 4096) * 4096 if aligned else record
    data, at, times = b"x" * step, 0, []
    for _ in range(count):
        if at + step > size:
            at = 0
        t = time.perf_counter()
        os.pwrite(fd, data, at)
        os.fdatasync(fd)
        times.append(time.perf_counter() - t)
        at += step
    return statistics.median(times) * 1e6

print("| record | pages | back to back (us) | page-aligned (us) | aligned / back to back |")
print("|---|---|---:|---:|---:|")
for record in (9400, 524700):
    for cached in (True, False):
        old, new = [], []
        for _ in range(rounds):
            old.append(commit_us(record, False, cached))
            new.append(commit_us(record, True, cached))
        o, n = statistics.median(old), statistics.median(new)
        print(f"| {record / 1024:.1f} KB | {'cached' if cached else 'dropped'} | {o:.0f} | {n:.0f} | {n / o:.2f}x |")
PY
