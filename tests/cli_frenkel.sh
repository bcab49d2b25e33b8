#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Thermal Frenkel pairs from the CLI: the catalog's frenkel entry checked
# and refused field by field, run --box reports created pairs,
# recombinations and the mean population with its SE in JSON and CSV, the
# warnings, and the bad-input cases.
set -u
. "$(dirname "$0")/shell_common.sh"

jv() { jq -r "$2" "$1"; } # file, filter

# catalog FILE FRENKEL_JSON [ENTRIES]: V_I+ and I_I- entries and a frenkel member
catalog() {
  local ents=${3:-'{"defect": "V_I+", "mechanism": "kick_out", "Eb": 0.15, "nu": 5e10, "source": "user", "provenance": "t"},
  {"defect": "I_I-", "mechanism": "double_bridge", "Eb": 0.18, "nu": 1e11, "source": "user", "provenance": "t"}'}
  cat >"$1" <<JSON
{"schema": "ionkmc-catalog/1", "name": "frenkel test", "entries": [$ents], "frenkel": $2}
JSON
}
catalog "$TMP/f.json" '{"E_f": 0.2, "source": "user", "provenance": "test"}'
"$BIN" catalog check "$TMP/f.json" >/dev/null
check "catalog check accepts a frenkel entry" $?
"$BIN" catalog check "$(dirname "$0")/../examples/frenkel_catalog.json" >/dev/null
check "examples/frenkel_catalog.json is valid" $?

# bad values, each named
catalog "$TMP/b1.json" '{"E_f": -1, "source": "user", "provenance": "t"}'
expect_bad "frenkel.E_f" catalog check "$TMP/b1.json"
catalog "$TMP/b2.json" '{"source": "user", "provenance": "t"}'
expect_bad "frenkel.E_f: missing" catalog check "$TMP/b2.json"
catalog "$TMP/b3.json" '{"E_f": 1, "max_pairs": 0, "source": "user", "provenance": "t"}'
expect_bad "frenkel.max_pairs" catalog check "$TMP/b3.json"
catalog "$TMP/b4.json" '{"E_f": 1, "S_f": 99, "source": "user", "provenance": "t"}'
expect_bad "frenkel.S_f" catalog check "$TMP/b4.json"
catalog "$TMP/b5.json" '{"E_f": 1, "prefactor": 1e12, "source": "user", "provenance": "t"}'
expect_bad "frenkel.prefactor: unknown field" catalog check "$TMP/b5.json"
catalog "$TMP/b6.json" '{"E_f": 1, "source": "user", "provenance": "t"}' \
  '{"defect": "V_I+", "mechanism": "kick_out", "Eb": 0.15, "nu": 5e10, "source": "user", "provenance": "t"}'
expect_bad "frenkel: needs entries for V_I+ and I_I-" catalog check "$TMP/b6.json"
catalog "$TMP/b7.json" '{"E_f": 1, "pair": "V_MA-/I_MA+", "source": "user", "provenance": "t"}'
expect_bad "frenkel.pair" run --box 'V_I+=1' --catalog "$TMP/b7.json" --json "$TMP/out.json"

# from the perfect crystal to the equilibrium population (24 X sites, <n_V> = 1.81)
"$BIN" run --box 'V_I+=0,I_I-=0' --catalog "$TMP/f.json" --T 600 --size 2 --runs 16 --hops 100000 \
  --json "$TMP/r.json" --csv "$TMP/r.csv" >"$TMP/r.txt" 2>"$TMP/r.err"
check "run --box with a frenkel entry exits 0" $?
created=$(jv "$TMP/r.json" '.results[0].frenkel.created')
recomb=$(jv "$TMP/r.json" '.results[0].frenkel.recombinations')
check "pairs created ($created) and recombined ($recomb)" $([ "$created" -gt 1000 ] && [ "$recomb" -gt 1000 ]; echo $?)
ok=$(jq '.results[0].frenkel as $f | (($f.n_V.mean - $f.equilibrium.n_V) | fabs) < 4 * $f.n_V.sem and $f.n_V.sem > 0' "$TMP/r.json")
check "mean n_V within 4 SE of the exact equilibrium ($(jv "$TMP/r.json" '.results[0].frenkel.n_V.mean') vs $(jv "$TMP/r.json" '.results[0].frenkel.equilibrium.n_V'))" $([ "$ok" = true ]; echo $?)
ok=$(jq '.results[0].frenkel.mass_action_ratio as $m | (($m.mean - 1) | fabs) < 4 * $m.sem' "$TMP/r.json")
check "mass-action ratio within 4 SE of 1" $([ "$ok" = true ]; echo $?)
check "no warning at equilibrium" $([ "$(jv "$TMP/r.json" '.warnings | length')" = 0 ] && [ ! -s "$TMP/r.err" ]; echo $?)
check "label says frenkel" $([ "$(jv "$TMP/r.json" '.results[0].defect')" = frenkel ]; echo $?)
grep -q '^# Frenkel pairs (V_I+/I_I-): ' "$TMP/r.txt"
check "table line" $?
# CSV: the pair columns, equal to the JSON
hdr=$(head -1 "$TMP/r.csv")
col() { awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } NR == 2 { print $c }' "$TMP/r.csv"; }
check "CSV has the pair columns" $(echo "$hdr" | grep -q ',frenkel_created,.*,n_V,n_V_sem,.*,mass_action_ratio,mass_action_ratio_sem$'; echo $?)
check "CSV frenkel_created = JSON ($(col frenkel_created))" $([ "$(col frenkel_created)" = "$created" ]; echo $?)
check "CSV n_V = JSON" $(awk -v a="$(col n_V)" -v b="$(jv "$TMP/r.json" '.results[0].frenkel.n_V.mean')" \
  'BEGIN { exit !(a - b < 1e-6 * b && b - a < 1e-6 * b) }'; echo $?)
# the same box without the entry has no pair columns
"$BIN" run --box 'V_I+=1,I_I-=1' --T 600 --size 2 --runs 2 --hops 1000 --quiet --csv "$TMP/n.csv" 2>/dev/null
check "no pair columns without the entry" $(! head -1 "$TMP/n.csv" | grep -q frenkel; echo $?)

# a pair that almost never forms: warned, on stderr and in the JSON
catalog "$TMP/hi.json" '{"E_f": 3, "source": "user", "provenance": "t"}'
"$BIN" run --box 'V_I+=1' --catalog "$TMP/hi.json" --T 400 --size 3 --runs 2 --time 1e-8 --quiet \
  --json "$TMP/hi.out.json" 2>"$TMP/hi.err"
check "no-pair warning on stderr" $(grep -q 'no Frenkel pair was created' "$TMP/hi.err"; echo $?)
check "no-pair warning in the JSON" $(jq -e '.warnings | any(test("no Frenkel pair was created"))' "$TMP/hi.out.json" >/dev/null; echo $?)
# a first half too short to equilibrate: warned (5 hops per run from 10 + 10)
"$BIN" run --box 'V_I+=10,I_I-=10' --catalog "$TMP/f.json" --T 600 --size 2 --runs 8 --hops 10 --quiet \
  --json "$TMP/short.json" 2>"$TMP/short.err"
check "not-equilibrated warning" $(grep -q 'had not equilibrated' "$TMP/short.err"; echo $?)

# too few slots: exit 2 naming max_pairs; an empty box needs the entry
catalog "$TMP/mp.json" '{"E_f": 0, "max_pairs": 1, "source": "user", "provenance": "t"}'
expect_bad "frenkel.max_pairs" run --box 'V_I+=0' --catalog "$TMP/mp.json" --T 600 --size 2 --runs 2 --hops 1000 \
  --json "$TMP/out.json"
expect_bad "defect" run --box 'V_I+=0' --size 2 --runs 2 --hops 100 --json "$TMP/out.json"

echo "cli_frenkel: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
