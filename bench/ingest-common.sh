# Shared by the ingest benchmarks (sourced, not run): a free port, instance sets, the disk probe.

# SEPARATE_CPUS=1 runs every sender (storescu) on CPU 0 and every receiver on CPU 1, the shape of a scanner on its own
# machine (bench/ingest-ab.sh honours it; ingest.sh does not yet): on this 2-core VM the scheduler otherwise puts receiver and sender on one CPU in most cycles, and the
# sender then waits for whatever the receiver does after its answer. The same for every receiver; off by default.
if [ "${SEPARATE_CPUS:-0}" = 1 ]; then send_on=(taskset -c 0); receive_on=(taskset -c 1); else send_on=(); receive_on=(); fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# gen_set JAR DIR MATRIX COUNT SEED: COUNT CT frames of MATRIXxMATRIX from the scanner simulator, four studies
# (DIR/s1..s4, one per association when pushed on four), UIDs new for every seed
gen_set() {
  java -jar "$1" simulate --out "$2" --modality CT --matrix "$3" --slices $(($4 / 4)) --studies 4 --seed "$5" \
    >/dev/null 2>&1
}

# disk_probe DIR -> "FDATASYNC_MS CREATE_US": medians of an fdatasync of a 12 KB overwrite in a preallocated file
# (what one journal commit costs at best) and of creating, writing and closing a new 9 KB file (what storescp does
# per small instance, and Myoflow's spool file after the answer). The files are left in place: deleting them would
# slow later creates (ext4 without a journal, as here, skips inodes freed in the last minutes, reading their inode
# table blocks one by one).
disk_probe() {
  /usr/bin/python3 - "$1" <<'PY'
import os, statistics, sys, time
d = sys.argv[1]; os.makedirs(d)
fd = os.open(f"{d}/sync", os.O_CREAT | os.O_RDWR)
os.write(fd, b"\0" * (8 << 20)); os.fsync(fd)
block, times = b"x" * 12288, []
for i in range(500):
    t = time.perf_counter(); os.pwrite(fd, block, (i * 12288) % (8 << 20)); os.fdatasync(fd)
    times.append(time.perf_counter() - t)
os.close(fd)
data, creates = b"x" * 9216, []
for i in range(2000):
    t = time.perf_counter(); f = os.open(f"{d}/{i}.dcm", os.O_CREAT | os.O_WRONLY); os.write(f, data); os.close(f)
    creates.append(time.perf_counter() - t)
print(f"{statistics.median(times) * 1e3:.2f} {statistics.median(creates) * 1e6:.0f}")
PY
}
