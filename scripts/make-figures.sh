#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's figures, from the examples: runs examples/calibration.sh (the
# calibration workflow on synthetic MD with a known 0.15 eV barrier, about a
# minute), a KMC run with MSD at 600 K and a small sweep, then `ionkmc plot`
# of every kind into examples/figures/ and `ionkmc report` into the work
# directory. With --test-data it also refreshes the plot tests' inputs in
# tests/data/plot/ (the same outputs, renamed).
# Run from the repository root after `make build`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$ROOT" && realpath "${BIN:-build/ionkmc}")
WORK=${WORK:-$(mktemp -d)}
FIG=$ROOT/examples/figures
mkdir -p "$WORK" "$FIG"
cd "$WORK"
# Relative paths, so that the outputs name no machine's directories.
BIN="$BIN" WORK=calibration_example bash "$ROOT/examples/calibration.sh" >calibration.log
E=calibration_example
"$BIN" run --defect V_I+ --T 600 --size 3 --catalog $E/catalog.json --runs 16 --time 8e-11 --msd \
  --json $E/kmc600.json --quiet
"$BIN" sweep --T 300:600:50 --defect V_I+,I_I-,I_MA+ --runs 8 --hops 20000 --csv $E/sweep.csv \
  --json $E/sweep.json >/dev/null
"$BIN" plot arrhenius --in $E/report.json --in $E/compare.json --out "$FIG/arrhenius.png"
"$BIN" plot msd --in $E/report.json --in $E/kmc600.json --out "$FIG/msd.png"
"$BIN" plot parity --in $E/compare.json --out "$FIG/parity.png"
"$BIN" plot sweep --in $E/sweep.json --out "$FIG/sweep.png"
"$BIN" plot hops --in $E/events.csv --out "$FIG/hops.png"
"$BIN" report --in $E/report.json --in $E/compare.json --in $E/rt300.json --in $E/events.csv \
  --out "$WORK/report.html"
echo "figures in $FIG, report in $WORK/report.html"
if [[ "${1:-}" == "--test-data" ]]; then
  D=$ROOT/tests/data/plot
  mkdir -p "$D"
  cp $E/report.json $E/compare.json $E/rt300.json $E/kmc600.json $E/sweep.json $E/sweep.csv $E/events.csv "$D/"
  echo "test inputs in $D"
fi
