#!/usr/bin/env bash
# Scores the production U-Net and the classical baseline on the fixed held-out set (20 phantoms, seeds 7,000,000+:
# 10 normal, 10 with hot liver/bowel and 1-2 perfusion defects; never used in training) and appends the summary to
# bench/RESULTS.md. Usage: bench/heldout.sh [HOME]   (HOME: storage root; default: a fresh one with the bundled model)
set -euo pipefail
cd "$(dirname "$0")/.."
home="${1:-$(mktemp -d)}"
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
unet=$(java -jar "$jar" evaluate --model production --home "$home" 2>/dev/null)
classical=$(java -jar "$jar" evaluate --model classical --home "$home" 2>/dev/null)
version=$(cat "$home/models/PRODUCTION")
{
  printf '\n## Held-out phantoms: production U-Net vs classical baseline (%s)\n\n' "$(date -u +%F)"
  printf 'Command: `bench/heldout.sh`. 20 fixed phantoms never used in training; metrics on the original grid after\n'
  printf 'postprocessing (Dice raw = before it); |vol err| = mean absolute myocardial volume error.\n\n'
  printf '### U-Net %s\n\n```\n%s\n```\n\n### Classical baseline\n\n```\n%s\n```\n' "$version" \
    "$(sed -n '/^group/,$p' <<<"$unet")" "$(sed -n '/^group/,$p' <<<"$classical")"
} | tee -a bench/RESULTS.md
