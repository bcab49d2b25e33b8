#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Today's rate-only calibration of the MD of scripts/make-md14-fixtures.sh:
# for each defect (ii_T*.dump.gz: I_I-, vi_T*.dump.gz: V_I+ in DIR) calibrate
# (catalog, report, event log), compare (KMC with that catalog beside the MD)
# and scripts/md14-stats.py (events, rates, D, back-hops, f of MD and KMC).
# Usage: scripts/md14-analyse.sh [DIR [OUTDIR]]   (default tests/data/md14, ./md14_analysis)
#   IONKMC (default build/ionkmc); further compare options in COMPARE_OPTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/tests/data/md14}
out=${2:-md14_analysis}
IONKMC=${IONKMC:-$root/build/ionkmc}
TY=(--types 1=Pb,2=I,3=Cs --timestep 0.002)
mkdir -p "$out"
for spec in "I_I- ii" "V_I+ vi"; do
  read -r defect tag <<<"$spec"
  md=()
  for f in "$dir/${tag}"_*.dump.gz; do
    [ -e "$f" ] || continue
    T=$(basename "$f" .dump.gz); T=${T#"${tag}"_}; T=${T%%_*}
    md+=(--md "$T:$f")
  done
  [ "${#md[@]}" -gt 0 ] || { echo "md14-analyse: no ${tag}_*.dump.gz in $dir" >&2; continue; }
  echo "== $defect (${#md[@]} arguments: $((${#md[@]} / 2)) runs)"
  "$IONKMC" calibrate "${md[@]}" --defect "$defect" "${TY[@]}" --out "$out/$tag.catalog.json" \
    --report "$out/$tag.report.json" --events "$out/$tag.events.csv"
  # shellcheck disable=SC2086
  "$IONKMC" compare "${md[@]}" --defect "$defect" "${TY[@]}" --catalog "$out/$tag.catalog.json" \
    --json "$out/$tag.compare.json" ${COMPARE_OPTS:-}
  python3 "$root/scripts/md14-stats.py" --defect "$defect" --events "$out/$tag.events.csv" \
    --report "$out/$tag.report.json" --compare "$out/$tag.compare.json" --json "$out/$tag.stats.json"
done
