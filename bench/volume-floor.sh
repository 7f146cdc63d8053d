#!/usr/bin/env bash
# How low could the production U-Net's myocardial volume error go, and what would it take? Scores the model on the
# fixed held-out set and on N training-range phantoms (those from index FIRST_UNSEEN on were never trained on), pools
# each case's image profile across the predicted wall (bench/WallProfiles.java), and fits volume corrections from the
# image alone, from the image plus the camera's true resolution, and from an oracle that knows the true wall
# (bench/volume_floor.py). Appends the table to bench/RESULTS.md. About 6 minutes here.
# Usage: bench/volume-floor.sh [N [FIRST_UNSEEN]]   (defaults 300 and 100: v1 trained on the first 80)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
first_unseen="${2:-100}"
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 DJL_OFFLINE=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -jar "$jar" evaluate --model production --uncalibrated --home "$work/home" --save "$work/held" > "$work/held.txt" 2>/dev/null
java -jar "$jar" evaluate --model production --uncalibrated --home "$work/home" --training-phantoms "$n" --save "$work/cal" \
  > "$work/cal.txt" 2>/dev/null
java -cp "$jar" bench/WallProfiles.java "$work/held" "$work/held.csv"
java -cp "$jar" bench/WallProfiles.java "$work/cal" "$work/cal.csv"
table=$(python3 bench/volume_floor.py "$work/cal.csv" "$work/cal.txt" "$work/held.csv" "$work/held.txt" "$first_unseen")
{
  printf '\n## U-Net myocardial volume error: how low a correction could take it (%s)\n\n' "$(date -u +%F)"
  printf 'Command: `bench/volume-floor.sh %s %s`. Model: production (%s). Each row fits log(true / predicted volume)\n' \
    "$n" "$first_unseen" "$(cat "$work/home/models/PRODUCTION")"
  printf 'on the calibration set (ridge regression) and scores it by 5-fold cross-validation there and once on the\n'
  printf 'held-out set. "Pooled wall profile": mean image intensity against distance from the predicted wall (depth\n'
  printf 'inside it, distance into the cavity and outside), relative to the wall mean, over the whole heart.\n\n%s\n' "$table"
} | tee -a bench/RESULTS.md
