#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc run / sweep / catalog from the command line: exit statuses, one-line
# messages naming the field, no output file left behind, thread invariance.
set -u
. "$(dirname "$0")/shell_common.sh"

J="--json $TMP/out.json --csv $TMP/out.csv"
expect_bad "unknown defect 'V_X'"      run --defect V_X $J
expect_bad "--T: expected a temperature in [1, 3000] K, got '0'" run --T 0 $J
expect_bad "--T: expected a temperature in [1, 3000] K, got '-5'" run --T -5 $J
expect_bad "--T: expected a number, got 'abc'" run --T abc $J
expect_bad "--size: expected an integer in [2" run --size 1 $J
expect_bad "--size: expected an integer"       run --size 4.5 $J
expect_bad "--runs: expected an integer"       run --runs 0 $J
expect_bad "--hops: expected an integer"       run --hops -3 $J
expect_bad "unknown option '--frobnicate'"     run --frobnicate $J
expect_bad "--json /nonexistent/dir/x.json: cannot write" run --json /nonexistent/dir/x.json --csv "$TMP/out.csv"
expect_bad "--csv /nonexistent/dir/x.csv: cannot write"   run --csv /nonexistent/dir/x.csv --json "$TMP/out.json"

# catalogs: a missing entry, a missing file, a shift that makes a barrier
# negative (malformed or out-of-range catalogs are the cases of
# tests/data/catalog_invalid/, run by test_catalog_invalid)
good='{"schema": "ionkmc-catalog/1", "entries": [{"defect": "V_I+", "mechanism": "kick_out", "Eb": 0.2, "nu": 1e12, "source": "user", "provenance": "test"}]}'
echo "$good" >"$TMP/good.json"
expect_bad "catalog has no entry for I_I-" run --defect I_I- --catalog "$TMP/good.json" $J
expect_bad "$TMP/missing.json: cannot open catalog file" run --catalog "$TMP/missing.json" $J
expect_bad "shifted barrier" run --defect V_I+ --barrier-shift -1 --catalog "$TMP/good.json" $J
expect_bad "unknown defect 'Q'" run --box "V_I+=2,Q=1" $J

# environment-dependent providers: a missing or mismatched model, a NaN model
tq='{"schema": "ionkmc-catalog/1", "entries": [{"defect": "I_I-", "mechanism": "double_bridge", "provider": "torch", "model": "MODEL", "Eb": 0.2, "nu": 1e11, "source": "user", "provenance": "t"}]}'
D=${IONKMC_SOURCE_DIR:-.}/tests/data/torch
echo "${tq/MODEL/$TMP/none.pt}" >"$TMP/t_missing.json"
expect_bad "none.pt" run --defect I_I- --catalog "$TMP/t_missing.json" $J
echo "${tq/MODEL/$D/wrong_version.pt}" >"$TMP/t_version.json"
echo "${tq/MODEL/$D/nan.pt}" >"$TMP/t_nan.json"
if "$BIN" run --defect I_I- --runs 1 --hops 1 --catalog "$TMP/t_version.json" 2>&1 | grep -q "built without libtorch"; then
  echo "(built without libtorch: model checks skipped)"
else
  expect_bad "descriptor" run --defect I_I- --catalog "$TMP/t_version.json" $J
  expect_bad "nan" run --defect I_I- --runs 2 --hops 100 --catalog "$TMP/t_nan.json" $J
fi
expect_bad "--field: I_MA0 carries no charge" run --defect I_MA0 --field 0.001,0,0 $J

# sweep and catalog bad input
expect_bad "--T: expected start <= stop" sweep --T 600:300:50 --csv "$TMP/out.csv"
expect_bad "--size: expected integers in [2, 620]" sweep --size 1,4 --csv "$TMP/out.csv"
expect_bad "unknown defect" sweep --defect V_I+,nope --csv "$TMP/out.csv"
expect_bad "--csv /nonexistent/x.csv: cannot write" sweep --T 300 --hops 10 --runs 2 --csv /nonexistent/x.csv
expect_bad "unknown action 'frob'" catalog frob
expect_bad "unknown command 'fly'" fly

# --help everywhere, exit 0
for c in run sweep catalog bench; do
  "$BIN" $c --help >"$TMP/help" 2>&1; rc=$?
  check "$c --help exits 0" $([ $rc -eq 0 ] && grep -q usage "$TMP/help"; echo $?)
done
"$BIN" --version | grep -q '^ionkmc '; check "--version" $?

# same seed: byte-identical JSON with 1 and 2 threads
"$BIN" run --defect V_I+,I_MA+ --runs 6 --hops 3000 --seed 99 --threads 1 --quiet --json "$TMP/t1.json" --msd
"$BIN" run --defect V_I+,I_MA+ --runs 6 --hops 3000 --seed 99 --threads 2 --quiet --json "$TMP/t2.json" --msd
# (all but the command line, which holds --threads, and parallel.threads)
cmp -s <(grep -v '^  "command":\|^    "threads":' "$TMP/t1.json") <(grep -v '^  "command":\|^    "threads":' "$TMP/t2.json")
check "JSON byte-identical for 1 and 2 threads" $?
"$BIN" run --defect V_I+,I_MA+ --runs 6 --hops 3000 --seed 98 --threads 2 --quiet --json "$TMP/t3.json"
! cmp -s "$TMP/t1.json" "$TMP/t3.json"; check "another seed gives another JSON" $?

# export / check round trip; derive writes a usable catalog
"$BIN" catalog export "$TMP/cat.json" && "$BIN" catalog check "$TMP/cat.json" >/dev/null
check "catalog export + check" $?
"$BIN" catalog derive --runs 4 --hops 2000 --out "$TMP/derived.json" 2>/dev/null &&
  "$BIN" run --catalog "$TMP/derived.json" --runs 2 --hops 1000 --quiet
check "catalog derive output is usable" $?

# sweep writes one row per point
"$BIN" sweep --T 300:400:100 --size 3,4 --defect V_I+ --barrier-shift -0.01,0.01 --hops 500 --runs 2 \
  --csv "$TMP/sweep.csv" --json "$TMP/sweep.json" 2>/dev/null
check "sweep rows" $([ "$(wc -l <"$TMP/sweep.csv")" -eq 9 ]; echo $?)

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
