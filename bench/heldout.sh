#!/usr/bin/env bash
# Scores the production U-Net and the classical baseline on the fixed held-out set (20 phantoms, seeds 7,000,000+:
# 10 normal, 10 with hot liver/bowel and 1-2 perfusion defects; never used in training) and appends the summary to
# bench/RESULTS.md. Usage: bench/heldout.sh [HOME]   (HOME: storage root; default: a fresh one with the bundled model)
set -euo pipefail
cd "$(dirname "$0")/.."
home="${1:-$(mktemp -d)}"
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 DJL_OFFLINE=true
unet=$(java -jar "$jar" evaluate --model production --home "$home" 2>/dev/null)
unet_image=$(java -jar "$jar" evaluate --model production --camera-unknown --home "$home" 2>/dev/null)
unet_network=$(java -jar "$jar" evaluate --model production --uncalibrated --home "$home" 2>/dev/null)
classical=$(java -jar "$jar" evaluate --model classical --home "$home" 2>/dev/null)
version=$(cat "$home/models/PRODUCTION")
{
  printf '\n## Held-out phantoms: production U-Net vs classical baseline (%s)\n\n' "$(date -u +%F)"
  printf 'Command: `bench/heldout.sh`. 20 fixed phantoms never used in training; metrics on the original grid after\n'
  printf 'postprocessing and the volume calibration (Dice raw = before both); |vol err| = mean absolute myocardial\n'
  printf 'volume error. The U-Net runs three ways: as shipped, given each phantom'"'"'s camera resolution (as a scanner'"'"'s\n'
  printf 'configured MYOFLOW_CAMERA_FWHM_MM); the calibration without it (`--camera-unknown`); the network and clean-up\n'
  printf 'alone (`--uncalibrated`).\n\n'
  printf '### U-Net %s, calibrated with the camera'"'"'s resolution\n\n```\n%s\n```\n\n' "$version" \
    "$(sed -n '/^group/,/^all/p' <<<"$unet")"
  printf '### U-Net %s, calibrated without it\n\n```\n%s\n```\n\n' "$version" \
    "$(sed -n '/^group/,/^all/p' <<<"$unet_image")"
  printf '### U-Net %s, uncalibrated\n\n```\n%s\n```\n\n' "$version" "$(sed -n '/^group/,/^all/p' <<<"$unet_network")"
  printf '### Classical baseline\n\n```\n%s\n```\n' "$(sed -n '/^group/,/^all/p' <<<"$classical")"
} | tee -a bench/RESULTS.md
