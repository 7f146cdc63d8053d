#!/usr/bin/env bash
# The default U-Net in DJL (Myoflow) and in PyTorch (Python, Debian's python3-torch) in one command: inference at
# batch 1 and one training step at batch 2, 64x64x56, 2 threads each, tcmalloc for both (DESIGN.md), run one after
# the other so they never share the cores. Appends a section to bench/RESULTS.md.
# Usage: bench/unet.sh [REPS] [BASE]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-20}"; base="${2:-16}"; warmup=5; batch=2; threads=2
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
djl=$(java -jar "$jar" bench-unet --reps "$reps" --warmup "$warmup" --batch "$batch" --base "$base" --threads "$threads" 2>/dev/null | tail -1)
torch=$(/usr/bin/python3 bench/unet_reference.py "$reps" "$warmup" "$batch" "$base" "$threads")
/usr/bin/python3 - "$djl" "$torch" "$reps" "$base" "$batch" <<'PY'
import datetime, json, sys
djl, torch = json.loads(sys.argv[1]), json.loads(sys.argv[2])
reps, base, batch = sys.argv[3], sys.argv[4], sys.argv[5]
key = 'train_step_batch%s_ms' % batch
rows = [('inference, batch 1', 'inference_batch1_ms'), ('training step, batch %s' % batch, key)]
lines = [f"\n## U-Net: DJL vs PyTorch ({datetime.date.today()})\n",
         f"Command: `bench/unet.sh {reps} {base}`. Depth 3, base {base}, instance norm, depth-to-space upsampling, "
         f"input 64x64x56, {djl['threads']} threads each, tcmalloc preloaded for both; median of {reps} after warm-up. "
         f"{torch['params']} parameters.", f"DJL: {djl['engine']}. Reference: {torch['engine']}.\n",
         "| what | DJL ms | PyTorch ms | DJL / PyTorch |", "|---|---:|---:|---:|"]
for label, k in rows:
    lines.append(f"| {label} | {djl[k]:.0f} | {torch[k]:.0f} | {djl[k] / torch[k]:.2f}x |")
text = "\n".join(lines) + "\n"
print(text)
open('bench/RESULTS.md', 'a').write(text)
PY
