#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Result formats as a table (cli/out.h): the options --json FILE, --csv FILE,
# ... of the result commands come from the registry (cli/out_formats.c), and
# every format the registry holds is written through the same atomic path:
#  - each command lists each format it can write, with the format's help;
#  - run writes every format asked, all from one result: the JSON document
#    and the table (the CSV's lines are the table's rows); sweep's JSON has
#    the units block of run's;
#  - a bad destination of any one format is refused before any work, with
#    one line naming its option, and the other destinations keep their
#    contents (nothing written, no temporaries left); a write that fails
#    late commits none of them;
#  - catalog show --json FILE writes the catalog (FILE '-': stdout); the old
#    bare --json still prints it on stdout, with one deprecation line.
source "$(dirname "$0")/shell_common.sh"

P=(--defect V_I+,I_I- --size 3 --runs 2 --hops 300 --seed 4 --threads 1 --quiet)

# The format options of a command: "--NAME FILE  write results as ..." in --help.
formats() { "$BIN" "$@" --help | sed -n 's/^  --\([a-z0-9-]*\) FILE *write results as.*/\1/p'; }
mapfile -t F < <(formats run)
check "run offers json and csv from the registry (${F[*]})" \
  $(printf '%s\n' "${F[@]}" | grep -qx json && printf '%s\n' "${F[@]}" | grep -qx csv; echo $?)
for c in sweep compare bench; do
  formats "$c" | grep -qx json
  check "$c --help lists --json FILE with the format's help" $?
done
for c in compare bench; do
  mapfile -t G < <(formats "$c")
  check "$c offers the formats run offers (${G[*]})" $([ "${G[*]}" = "${F[*]}" ]; echo $?)
done
"$BIN" sweep --help | grep -q -- "--csv FILE *CSV output ('-' for stdout) (default standard output)"
check "sweep keeps its own row-by-row --csv (its entry wins over the registry's)" $?
[ "$("$BIN" sweep --list-options | grep -c $'^csv\t')" -eq 1 ]
check "sweep lists --csv once" $?

# Every format at once, from one run.
args=()
for f in "${F[@]}"; do args+=("--$f" "$TMP/all.$f"); done
"$BIN" run "${P[@]}" "${args[@]}" 2>/dev/null
check "run writes every format at once" $?
for f in "${F[@]}"; do
  check "run --$f FILE: written, not empty" $([ -s "$TMP/all.$f" ]; echo $?)
done
jq -e '.results | length == 2' "$TMP/all.json" >/dev/null
check "the JSON holds the two results" $?
check "the CSV holds the header and the two rows" $([ "$(wc -l <"$TMP/all.csv")" -eq 3 ]; echo $?)
# The table's cells are the JSON's numbers (the same result object).
hops_json=$(jq -r '[.results[].hops] | join(" ")' "$TMP/all.json")
col=$(head -1 "$TMP/all.csv" | tr ',' '\n' | grep -nx hops | cut -d: -f1)
hops_csv=$(tail -n +2 "$TMP/all.csv" | cut -d, -f"$col" | paste -sd' ')
check "CSV and JSON come from one result (hops $hops_csv / $hops_json)" $([ "$hops_csv" = "$hops_json" ]; echo $?)
w0=$(head -1 "$TMP/all.csv" | awk -F, '{ print NF }')
check "every CSV row has the header's $w0 cells" \
  $(awk -F, -v w="$w0" 'NF != w { bad = 1 } END { exit bad }' "$TMP/all.csv"; echo $?)

# A write that fails late (a full device) commits none of them.
if [ -w /dev/full ]; then
  rm -f "$TMP/late.csv"
  "$BIN" run "${P[@]}" --json /dev/full --csv "$TMP/late.csv" 2>"$TMP/late.err"
  rc=$?
  check "run --json /dev/full --csv FILE: exit 1, one line, no CSV written ($rc)" \
    $([ $rc -eq 1 ] && [ "$(grep -vc 'warning' "$TMP/late.err")" -eq 1 ] && [ ! -e "$TMP/late.csv" ] &&
      [ -z "$(ls "$TMP"/*.tmp.* 2>/dev/null)" ]; echo $?)
fi

# sweep's JSON carries the units block run's does (the same results).
"$BIN" sweep --T 400 --defect V_I+ --size 3 --runs 2 --hops 300 --threads 1 --csv "$TMP/sw.csv" \
  --json "$TMP/sw.json" 2>/dev/null
u_sweep=$(jq -c '.units' "$TMP/sw.json"); u_run=$(jq -c '.units' "$TMP/all.json")
check "sweep's JSON has run's units block ($u_sweep)" $([ "$u_sweep" = "$u_run" ] && [ "$u_run" != null ]; echo $?)

# A bad destination for any one format: exit 2 naming it, the others untouched.
for bad in "${F[@]}"; do
  args=()
  for f in "${F[@]}"; do
    echo old >"$TMP/keep.$f"
    if [ "$f" = "$bad" ]; then args+=("--$f" "$TMP/no/such/dir/out.$f"); else args+=("--$f" "$TMP/keep.$f"); fi
  done
  expect_bad "--$bad" run "${P[@]}" "${args[@]}"
  same=0
  for f in "${F[@]}"; do [ "$(cat "$TMP/keep.$f")" = old ] || same=1; done
  check "a bad --$bad leaves the other outputs as they were" $same
done

# catalog show --json FILE, '-' for stdout, and the old bare flag.
"$BIN" catalog export "$TMP/cat.export.json"
"$BIN" catalog show --json "$TMP/cat.json" >"$TMP/show.out" 2>"$TMP/show.err"
check "catalog show --json FILE: exit 0, nothing on stdout or stderr" \
  $([ $? -eq 0 ] && [ ! -s "$TMP/show.out" ] && [ ! -s "$TMP/show.err" ]; echo $?)
cmp -s "$TMP/cat.json" "$TMP/cat.export.json"
check "catalog show --json FILE writes the catalog (as export does)" $?
"$BIN" catalog show --json - >"$TMP/show.out" 2>"$TMP/show.err"
check "catalog show --json - prints it on stdout" \
  $([ $? -eq 0 ] && cmp -s "$TMP/show.out" "$TMP/cat.json" && [ ! -s "$TMP/show.err" ]; echo $?)
for old in "--json" "--json --T 400" "--T 400 --json"; do
  read -r -a w <<<"$old"
  "$BIN" catalog show "${w[@]}" >"$TMP/show.out" 2>"$TMP/show.err"
  rc=$?
  check "catalog show $old (deprecated): the catalog on stdout, one warning line" \
    $([ $rc -eq 0 ] && cmp -s "$TMP/show.out" "$TMP/cat.json" && [ "$(wc -l <"$TMP/show.err")" -eq 1 ] &&
      grep -q "warning: --json without a value is deprecated, use --json -" "$TMP/show.err"; echo $?)
done
"$BIN" catalog show --help | grep -q -- "--json FILE"
check "catalog --help: --json FILE" $?
echo old >"$TMP/keep.json"
expect_bad "no-such-catalog.json" catalog show --catalog "$TMP/no-such-catalog.json" --json "$TMP/keep.json"
check "a bad catalog leaves an existing --json FILE as it was" $([ "$(cat "$TMP/keep.json")" = old ]; echo $?)
expect_bad "--json: only 'catalog show' writes" catalog export "$TMP/out.json" --json "$TMP/out.x"

# a --box label holds commas: the CSV quotes it, so every row has the
# header's number of fields for a CSV reader
"$BIN" run --box 'V_I+=2,I_I-=1' --size 4 --runs 2 --hops 200 --quiet --csv "$TMP/box.csv" 2>/dev/null
python3 - "$TMP/box.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), [len(r) for r in rows]
assert any("V_I+=2,I_I-=1" in c for r in rows[1:] for c in r)
PY
check "a --box label with commas is one quoted CSV cell" $?

echo "cli_out_formats: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
