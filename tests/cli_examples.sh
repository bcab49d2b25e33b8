#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# examples/calibration.sh end to end: it runs, writes every output it
# promises, and recovers the barrier it was given (0.15 eV) within 3 sigma.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?set IONKMC_SOURCE_DIR to the repository root}

(cd "$SRC" && BIN="$BIN" WORK="$TMP" bash examples/calibration.sh >"$TMP/log" 2>&1)
_rc=$?
check "examples/calibration.sh runs ($(tail -3 "$TMP/log"))" $_rc
for f in catalog.json report.json events.csv compare.json compare.csv rt300.json; do
  [ -s "$TMP/$f" ]
  check "example writes $f" $?
done
[ "$(wc -l <"$TMP/compare.csv")" -eq 6 ]
check "compare.csv: one row per MD temperature" $?
awk '/"arrhenius_fit": \{/ {on = 1} on && /"Ea_eV":/ {gsub(",", ""); ea = $2}
     on && /"Ea_se_eV":/ {gsub(",", ""); se = $2; on = 0}
     END {print "Ea", ea, "+-", se; exit !(se > 0 && (ea - 0.15) ^ 2 < 9 * se * se)}' "$TMP/report.json" >"$TMP/ea"
_rc=$?
check "example recovers Ea = 0.15 eV within 3 sigma ($(cat "$TMP/ea"))" $_rc
grep -q '"source": "md_calibration"' "$TMP/catalog.json"
check "example catalog comes from the calibration" $?

echo "cli_examples: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
