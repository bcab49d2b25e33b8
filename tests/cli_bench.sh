#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc bench: output format and exit codes on tiny runs (no timing checks).
# usage: cli_bench.sh PATH/TO/ionkmc
set -u
BIN=${1:?usage: cli_bench.sh PATH/TO/ionkmc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect CODE CMD...: run CMD, compare its exit status, keep stdout/stderr.
expect() {
  local want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "exit $got, expected $want: $* ($(head -c 300 "$TMP/err"))"
}

# --help
expect 0 "$BIN" bench --help
grep -q '^usage: ionkmc bench' "$TMP/out" || fail "--help: no usage line"
for s in single-vacancy dilute-vacancies mixed threads; do
  grep -q "$s" "$TMP/out" || fail "--help does not name scenario $s"
done

# The table: a comment header, a column header and one row per scenario.
expect 0 "$BIN" bench --hops 20000
[ ! -s "$TMP/err" ] || fail "stderr not empty on success: $(cat "$TMP/err")"
grep -q '^# ionkmc .* bench' "$TMP/out" || fail "table: no '# ionkmc ... bench' line"
grep -q '^scenario  *L  *defects  *threads  *hops  *seconds  *hops/s  *recomb  *reseeds  *speedup$' \
  "$TMP/out" || fail "table: column header"
for s in single-vacancy dilute-vacancies mixed threads; do
  row=$(grep "^$s " "$TMP/out")
  [ -n "$row" ] || { fail "table: no row for $s"; continue; }
  set -- $row
  [ $# -eq 10 ] || fail "table: $s row has $# fields, expected 10: $row"
  [[ $5 =~ ^[0-9]+$ ]] && [ "$5" -ge 19000 ] || fail "table: $s hops '$5'"
  [[ $7 =~ ^[0-9.]+(e[+-][0-9]+)?$ ]] || fail "table: $s hops/s '$7' is not a positive number"
  if [ "$s" = threads ]; then
    [[ ${10} =~ ^[0-9.]+$ ]] || fail "table: threads speedup '${10}'"
    [ "$4" -eq 2 ] || fail "table: threads scenario should default to 2 threads, got $4"
  else
    [ "${10}" = "-" ] || fail "table: $s speedup should be '-', got '${10}'"
  fi
done
grep -q '^single-vacancy  *16  *1 ' "$TMP/out" || fail "table: single-vacancy is one defect in 16^3"
grep -q '^dilute-vacancies  *32  *983 ' "$TMP/out" || fail "table: dilute-vacancies is 983 defects in 32^3"
grep -q '^mixed  *16  *36 ' "$TMP/out" || fail "table: mixed box"

# A selection, JSON and CSV files, --quiet, --threads, --repeat.
expect 0 "$BIN" bench --scenario mixed,threads --hops 30000 --threads 3 --repeat 2 --quiet \
  --json "$TMP/b.json" --csv "$TMP/b.csv" --seed 7
[ ! -s "$TMP/out" ] || fail "--quiet wrote to stdout"
[ -s "$TMP/b.json" ] || fail "--json: no file"
for key in '"command": "[^"]*ionkmc bench --scenario mixed,threads --hops 30000' '"scenario": "mixed"' '"scenario": "threads"' '"hops_per_second":' \
  '"speedup":' '"recombinations":' '"reseeds":' '"machine":' '"seed": 7' '"threads": 3' \
  '"hops_by_kind":' '"I_I-":'; do
  grep -q "$key" "$TMP/b.json" || fail "--json: missing $key"
done
if grep -q '"scenario": "single-vacancy"' "$TMP/b.json"; then fail "--json: unselected scenario"; fi
[ "$(head -1 "$TMP/b.csv")" = "scenario,L,defects,threads,hops,seconds,hops_per_second,recombinations,reseeds,seconds_one_thread,hops_per_second_one_thread,speedup" ] ||
  fail "--csv: header"
[ "$(wc -l <"$TMP/b.csv")" -eq 3 ] || fail "--csv: expected a header and 2 rows"
grep -q '^mixed,16,36,1,30000,' "$TMP/b.csv" || fail "--csv: mixed row $(grep ^mixed "$TMP/b.csv")"
grep -q '^threads,16,1,3,' "$TMP/b.csv" || fail "--csv: threads row"
awk -F, 'NR > 1 && !($7 > 0) { exit 1 }' "$TMP/b.csv" || fail "--csv: hops_per_second not > 0"
awk -F, '$1 == "mixed" && $12 != "" { exit 1 }' "$TMP/b.csv" || fail "--csv: mixed has a speedup"
expect 0 "$BIN" bench --scenario single-vacancy --hops 1000 --json -
grep -q '"scenario": "single-vacancy"' "$TMP/out" || fail "--json -: not on stdout"

# Bad input: exit 2, one line on stderr naming the option, no output file.
for args in "--scenario nope" "--scenario single-vacancy,,mixed" "--hops 0" "--hops abc" \
  "--threads 0" "--repeat 0" "--seed -1" "--frobnicate" "stray" "--hops"; do
  # shellcheck disable=SC2086
  expect 2 "$BIN" bench $args
  [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "bad input '$args': expected one line on stderr"
  grep -q '^ionkmc bench: ' "$TMP/err" || fail "bad input '$args': message format: $(cat "$TMP/err")"
done
expect 2 "$BIN" bench --scenario nope
grep -q 'nope' "$TMP/err" || fail "--scenario: message does not name the bad scenario"
expect 2 "$BIN" bench --hops 1000 --json "$TMP/no/such/dir/b.json"
grep -q -- '--json' "$TMP/err" || fail "unwritable --json: message does not name the option"
expect 2 "$BIN" bench --hops 1000 --csv "$TMP/no/such/dir/b.csv"
[ ! -e "$TMP/no" ] || fail "unwritable output created something"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "cli_bench: all checks passed"
