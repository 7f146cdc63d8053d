#!/usr/bin/env bash
# Our default training recipe against the seeds' recipe (BCE, Adam 1e-4, 30 epochs, base 32, no augmentation), both
# trained by `myoflow train` on the same phantoms (same seeds, same data hash) and scored on the same fixed held-out
# set. Appends the comparison to bench/RESULTS.md. Usage: bench/recipes.sh [TRAIN_PHANTOMS] [VAL_PHANTOMS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-40}"; v="${2:-8}"
home="$(mktemp -d)"
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
for recipe in default seeds; do
  java -jar "$jar" train --recipe "$recipe" --phantoms "$n" --validation "$v" --version "cmp-$recipe" --home "$home" \
    > "$home/$recipe.log" 2>&1
done
/usr/bin/python3 - "$home" "$n" "$v" <<'PY'
import datetime, json, sys
home, n, v = sys.argv[1:4]
rows = []
for r in ('default', 'seeds'):
    m = json.load(open(f"{home}/models/cmp-{r}/manifest.json"))
    t, a = m['training'], m['architecture']
    for g in ('normal', 'hard', 'all'):
        h = m['heldOut'][g]
        rows.append(f"| {t['name']} | {t['loss']}, Adam {t['learningRate']:g}, base {a['baseChannels']}, "
                    f"{a['normalisation'].lower()} norm, {t['epochs']} epochs max | {g} | "
                    f"{h['cases']} | {h['diceRaw']:.3f} | {h['dice']:.3f} | {h['hd95Mm']:.1f} | "
                    f"{h['meanAbsVolumeErrorPercent']:.1f} | {m['bestEpoch']} | {m['data']['sha256'][:12]} |")
text = "\n".join([f"\n## Training recipes on the same data ({datetime.date.today()})\n",
    f"Command: `bench/recipes.sh {n} {v}`: both trained by `myoflow train` on {n} training and {v} validation phantoms "
    "(identical data, see the hash), scored on the 20 fixed held-out phantoms, original grid.\n",
    "| recipe | settings | group | cases | Dice raw | Dice post | HD95 mm | mean abs vol err % | best epoch | data sha256 |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---|"] + rows) + "\n"
print(text)
open('bench/RESULTS.md', 'a').write(text)
PY
