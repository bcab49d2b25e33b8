#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# --size is limited by memory: run, sweep and catalog derive refuse a box
# that needs more than --max-memory (or the physical memory) with one line
# stating both, before any output is written; a box that fits runs.
set -u
. "$(dirname "$0")/shell_common.sh"

J="--json $TMP/out.json --csv $TMP/out.csv"
expect_bad "--size: a 100^3 box needs" run --defect V_I+ --size 100 --max-memory 100M --threads 2 $J
expect_bad "more than the 100.0 MiB available (--max-memory)" run --defect V_I+ --size 100 --max-memory 100M $J
# a 620^3 box on two threads needs 99.4 GiB: refused unless the machine has that much
mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
if [ "${mem_kb:-0}" -gt 0 ] && [ "$mem_kb" -lt 100000000 ]; then
  expect_bad "available (physical memory" run --defect V_I+ --size 620 --runs 2 --threads 2 $J
fi
expect_bad "--size: expected an integer in [2, 620], got '621'" run --size 621 $J
expect_bad "--max-memory: expected a positive size" run --max-memory 12X $J
expect_bad "--max-memory: expected a positive size" run --max-memory -1G $J
expect_bad "--size: a 300^3 box needs" sweep --defect V_I+ --T 300 --size 6,300 --max-memory 1G $J
expect_bad "--size: a 200^3 box needs" catalog derive --size 200 --max-memory 500M --out "$TMP/out.json"

# the stated need grows with the threads (one engine each, the lattice shared:
# an MA vacancy reads the A-A table, 6 int32 per A site = 22.9 MiB at 100^3;
# an X-only box reads no lattice table)
"$BIN" run --defect V_MA0 --size 100 --max-memory 1K --threads 1 --runs 4 2>"$TMP/e1" >/dev/null
"$BIN" run --defect V_MA0 --size 100 --max-memory 1K --threads 4 --runs 4 2>"$TMP/e4" >/dev/null
"$BIN" run --defect V_I+ --size 100 --max-memory 1K --threads 1 --runs 4 2>"$TMP/e0" >/dev/null
grep -q "lattice 22.9 MiB + 1 thread x" "$TMP/e1"
rc=$?; check "one thread: $(cat "$TMP/e1")" $rc
grep -q "lattice 22.9 MiB + 4 threads x" "$TMP/e4"
rc=$?; check "four threads: $(cat "$TMP/e4")" $rc
grep -q "lattice 0 B + 1 thread x" "$TMP/e0"
rc=$?; check "X only, no lattice table: $(cat "$TMP/e0")" $rc

# a box that fits the limit runs
"$BIN" run --defect V_I+ --size 8 --runs 2 --hops 100 --max-memory 64M --quiet --json "$TMP/ok.json" 2>/dev/null
check "an 8^3 box within 64 MiB runs" $?

echo "cli_memory: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
