#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The calibration workflow end to end: MD runs -> rate catalog -> KMC beside
# the MD it came from -> room-temperature prediction.
#
# The "MD" here is written by `ionkmc synth`: KMC trajectories of one V_I+
# with 0.3 A thermal noise, rattling excursions and a drifting crystal, at a
# known rate k = 1e12 exp(-0.15 eV / kT) per path. Replace the --md files by
# your own LAMMPS dumps (plain or .gz) or extxyz files, and --types by your
# LAMMPS type map (or drop it if the dump has an element column).
# Run from the repository root after `make build`; outputs go to $WORK.
set -euo pipefail
BIN=${BIN:-build/ionkmc}
WORK=${WORK:-calibration_example}
mkdir -p "$WORK"
TYPES="--types 1=Pb,2=I,3=C,4=N"
HOP="--dwell 0.05"   # synth writes a frame every 0.01 ps; keep the dwell short against the residence time

# 1. Stand-in MD: three runs at each of five temperatures, 80 ps each.
MD=()
for T in 500 525 550 575 600; do
  rate=$(awk -v T=$T 'BEGIN {printf "%.6g", 1e12 * exp(-0.15 / (8.617333262e-5 * T))}')
  for r in 0 1 2; do
    "$BIN" synth --defect V_I+ --T "$T" --rate "$rate" --frames 8000 --stream $((10 * T + r)) \
      --out "$WORK/md_${T}_$r.dump" >/dev/null
    MD+=(--md "$T:$WORK/md_${T}_$r.dump")
  done
done

# 2. A VTST neb.dat band for the same hop: 0.15 eV, cosine profile, with
#    tangential forces (columns: image, distance/A, energy/eV, force/eV/A, image).
awk 'BEGIN {for (i = 0; i <= 4; i++) {s = i; printf "%d %.4f %.6f %.6f %d\n", i, s,
       0.075 * (1 - cos(3.14159265 * s / 2)), -0.075 * 3.14159265 / 2 * sin(3.14159265 * s / 2), i}}' \
  >"$WORK/neb.dat"

# 3. Calibrate: rates with Garwood intervals, Arrhenius fit, NEB-fixed fit,
#    hysteresis sensitivity, the catalog with provenance, report and event log.
"$BIN" calibrate "${MD[@]}" --defect V_I+ $TYPES $HOP --neb "$WORK/neb.dat" --predict 300 \
  --out "$WORK/catalog.json" --report "$WORK/report.json" --events "$WORK/events.csv"

# 4. The KMC with that catalog at the MD temperatures, on the MD cell.
"$BIN" compare "${MD[@]}" --defect V_I+ $TYPES $HOP --catalog "$WORK/catalog.json" --runs 16 \
  --json "$WORK/compare.json" --csv "$WORK/compare.csv"

# 5. Room temperature with the calibrated catalog.
"$BIN" run --defect V_I+ --T 300 --catalog "$WORK/catalog.json" --runs 32 --hops 20000 \
  --json "$WORK/rt300.json"
