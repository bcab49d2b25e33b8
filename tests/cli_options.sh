#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The option tables of every subcommand (cli/opt.h), read back through
# `--list-options` (name, kind, lo, hi, default, alias target per line):
#  - `--help` lists every option of the table, with its default;
#  - a value just outside the range of each numeric option is refused with
#    exit 2 and one stderr line naming the option, before any work;
#  - a deprecated spelling works as its target and prints one warning line;
#  - the top-level --help lists every subcommand.
source "$(dirname "$0")/shell_common.sh"

CMDS=("run" "sweep" "catalog show" "bench" "calibrate" "compare" "synth" "structure" "md-input"
      "mlff eval" "neb" "plot arrhenius" "report" "version")

# Compare a number with awk (bash has no floating point).
calc() { awk "BEGIN { v = $1; if (v == int(v) && v < 1e16 && v > -1e16) printf \"%.0f\", v; else printf \"%.17g\", v }"; }

nopts=0
for c in "${CMDS[@]}"; do
  read -r -a words <<<"$c"
  "$BIN" "${words[@]}" --list-options >"$TMP/opts" 2>"$TMP/err"
  check "$c --list-options exits 0 and prints nothing on stderr" $([ $? -eq 0 ] && [ ! -s "$TMP/err" ]; echo $?)
  "$BIN" "${words[@]}" --help >"$TMP/help" 2>&1
  check "$c --help exits 0" $?
  # One line, blanks collapsed: --help wraps at blanks only.
  flat=$(tr -s ' \n' '  ' <"$TMP/help")
  # Tabs are blanks to `read` (empty fields would merge): split on \037.
  tr '\t' '\037' <"$TMP/opts" >"$TMP/opts.us"
  while IFS=$'\037' read -r name kind lo hi def target; do
    nopts=$((nopts + 1))
    case "$flat" in *"  --$name "*|*" --$name "*) ok=0 ;; *) ok=1 ;; esac
    check "$c --help lists --$name" $ok
    if [ "$kind" = alias ]; then
      case "$flat" in *"--$name"*"deprecated spelling of --$target"*) ok=0 ;; *) ok=1 ;; esac
      check "$c --help calls --$name a deprecated spelling of --$target" $ok
      grep -q "^$target"$'\t' "$TMP/opts"
      check "$c: the target --$target of --$name is in the table" $?
      continue
    fi
    if [ -n "$def" ]; then
      if [ "$def" = required ]; then want="(required)"; else want="(default $def)"; fi
      case "$flat" in *"$want"*) ok=0 ;; *) ok=1 ;; esac
      check "$c --help gives --$name its default '$def'" $ok
    fi
    [ "$kind" = int ] || [ "$kind" = real ] || continue
    bad=()
    if [ -n "$hi" ]; then
      h=${hi#<}
      if [ "$hi" != "$h" ]; then bad+=("$(calc "$h")")            # excluded upper bound
      elif [ "$kind" = int ]; then bad+=("$(calc "$h + 1")")
      else bad+=("$(calc "($h) + (($h) < 0 ? -($h) : ($h)) + 1")"); fi
    fi
    if [ -n "$lo" ]; then
      l=${lo#>}
      if [ "$lo" != "$l" ]; then bad+=("$(calc "$l")")            # excluded lower bound
      elif [ "$kind" = int ]; then bad+=("$(calc "$l - 1")")
      else bad+=("$(calc "($l) - (($l) < 0 ? -($l) : ($l)) - 1")"); fi
    fi
    for v in "${bad[@]}"; do
      expect_bad "--$name: expected" "${words[@]}" "--$name" "$v"
    done
  done <"$TMP/opts.us"
done
check "the tables hold options ($nopts)" $([ "$nopts" -gt 150 ]; echo $?)

# Every subcommand is in the top-level --help, and every one it lists answers --help.
"$BIN" --help >"$TMP/top"
for c in "${CMDS[@]}"; do
  read -r -a words <<<"$c"
  grep -q "^  ${words[0]} " "$TMP/top"
  check "ionkmc --help lists ${words[0]}" $?
done
for c in $(sed -n '/^commands:/,/^$/p' "$TMP/top" | awk 'NF > 1 { print $1 }'); do
  case "$c" in mlff) c="mlff eval" ;; plot) c="plot arrhenius" ;; catalog) c="catalog show" ;; esac
  read -r -a words <<<"$c"
  "$BIN" "${words[@]}" --help >/dev/null 2>&1
  check "ionkmc $c --help exits 0" $?
done

# Deprecated spellings: the same result as the current name, one warning line.
"$BIN" synth --defect V_I+ --T 500 --frames 20 --seed 5 --frame-dt 0.02 --out "$TMP/new.dump" >/dev/null 2>"$TMP/err.new"
check "synth --frame-dt works" $?
"$BIN" synth --defect V_I+ --T 500 --frames 20 --seed 5 --dt 0.02 --out "$TMP/old.dump" >/dev/null 2>"$TMP/err.old"
check "synth --dt (deprecated) works" $?
cmp -s "$TMP/new.dump" "$TMP/old.dump"
check "synth --dt writes what --frame-dt writes" $?
check "synth --dt warns on one line" $([ "$(wc -l <"$TMP/err.old")" -eq 1 ] &&
  grep -q "warning: --dt is deprecated, use --frame-dt" "$TMP/err.old" && [ ! -s "$TMP/err.new" ]; echo $?)
"$BIN" catalog derive --size 2 --runs 2 --hops 50 --output "$TMP/derived.json" >/dev/null 2>"$TMP/err.old"
check "catalog derive --output (deprecated) works" $([ $? -eq 0 ] && [ -s "$TMP/derived.json" ]; echo $?)
check "catalog derive --output warns" $([ "$(grep -c deprecated "$TMP/err.old")" -eq 1 ] &&
  grep -q "warning: --output is deprecated, use --out" "$TMP/err.old"; echo $?)
# A bad value under the old name is refused under the new one's rules.
"$BIN" synth --defect V_I+ --T 500 --dt 0.0001 --out "$TMP/out.dump" >/dev/null 2>"$TMP/err"
check "synth --dt 0.0001: exit 2, the warning and one error naming --frame-dt" $([ $? -eq 2 ] &&
  [ "$(wc -l <"$TMP/err")" -eq 2 ] && grep -q "ionkmc synth: --frame-dt: expected" "$TMP/err" &&
  [ ! -e "$TMP/out.dump" ]; echo $?)

# The run defaults --help prints are the ones ionkmc_run_config_default() holds
# (and so the ones a run uses: the JSON's seed).
"$BIN" run --defect V_I+ --size 2 --runs 2 --hops 10 --quiet --json "$TMP/run.json" 2>/dev/null
seed=$(grep -o '"seed": [0-9]*' "$TMP/run.json" | awk '{ print $2 }')
"$BIN" run --help | tr -s ' \n' '  ' | grep -q -- "--seed S random seed (default $seed)"
check "run --help prints the seed a run uses ($seed)" $?

# sweep takes run's per-point options, and a point gives what run gives for
# the same box (its streams are set by the box): --box, --a, --msd.
P=(--runs 2 --hops 300 --seed 9 --threads 1 --size 3)
"$BIN" run --box 'V_I+=2,I_I-=1' --T 400 "${P[@]}" --quiet --csv "$TMP/run_box.csv" 2>/dev/null
"$BIN" sweep --box 'V_I+=2,I_I-=1' --T 400 "${P[@]}" --csv "$TMP/sweep_box.csv" 2>/dev/null
check "sweep --box: the rows of run --box" $([ "$(wc -l <"$TMP/run_box.csv")" -eq 2 ] &&
  cmp -s "$TMP/run_box.csv" "$TMP/sweep_box.csv"; echo $?)
"$BIN" run --defect V_I+ --T 450 --a 6.40 "${P[@]}" --quiet --csv "$TMP/run_a.csv" --msd --json "$TMP/run_a.json" 2>/dev/null
"$BIN" sweep --defect V_I+ --T 450 --a 6.40 "${P[@]}" --csv "$TMP/sweep_a.csv" --msd --json "$TMP/sweep_a.json" 2>/dev/null
check "sweep --a: the row of run --a" $(cmp -s "$TMP/run_a.csv" "$TMP/sweep_a.csv"; echo $?)
check "sweep --msd: MSD(t) in the JSON as in run" $(grep -q '"per_atom_dr2_A2"' "$TMP/sweep_a.json"; echo $?)
"$BIN" sweep --defect V_I+ --T 450 "${P[@]}" --concentration 1e18 --csv "$TMP/s.csv" --json "$TMP/sweep_c.json" 2>/dev/null
check "sweep --concentration: the conductivity in the JSON" $(grep -q '"sigma_S_cm"' "$TMP/sweep_c.json"; echo $?)
expect_bad "--concentration: needs one defect kind per box" sweep --box V_I+=2 --concentration 1e18 --csv "$TMP/out.csv"

echo "cli_options: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
