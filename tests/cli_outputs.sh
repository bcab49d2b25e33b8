#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Outputs that must not be silently wrong: independent random streams per
# box, provenance, warnings outside the model's ground, conductivity.
set -u
. "$(dirname "$0")/shell_common.sh"

jv() { jq -r "$2" "$1"; } # file, filter
TY="--types 1=Pb,2=I,3=C,4=N"

# Streams: I_MA0 and I_MA+ differ only by a rate scale, so with one stream
# they replay one trajectory (f to every digit); by default they must not.
"$BIN" run --defect I_MA0,I_MA+ --runs 4 --hops 2000 --quiet --json "$TMP/ind.json" 2>/dev/null
"$BIN" run --defect I_MA0,I_MA+ --runs 4 --hops 2000 --quiet --json "$TMP/crn.json" --common-random-numbers 2>/dev/null
f0=$(jv "$TMP/ind.json" '.results[0].f.mean'); f1=$(jv "$TMP/ind.json" '.results[1].f.mean')
check "I_MA0 and I_MA+ draw independent streams ($f0 vs $f1)" $([ "$f0" != "$f1" ]; echo $?)
f0=$(jv "$TMP/crn.json" '.results[0].f.mean'); f1=$(jv "$TMP/crn.json" '.results[1].f.mean')
check "--common-random-numbers replays one trajectory ($f0 vs $f1)" $([ "$f0" = "$f1" ]; echo $?)

# Sweep points: independent by default, common with the option; a point
# gives what 'run' gives for the same box.
"$BIN" sweep --T 500,550 --defect I_MA0 --hops 2000 --runs 4 --json "$TMP/sw.json" --csv "$TMP/sw.csv"
"$BIN" sweep --T 500,550 --defect I_MA0 --hops 2000 --runs 4 --json "$TMP/swc.json" --csv "$TMP/swc.csv" \
  --common-random-numbers
f0=$(jv "$TMP/sw.json" '.results[0].f.mean'); f1=$(jv "$TMP/sw.json" '.results[1].f.mean')
check "sweep points draw independent streams ($f0 vs $f1)" $([ "$f0" != "$f1" ]; echo $?)
f0=$(jv "$TMP/swc.json" '.results[0].f.mean'); f1=$(jv "$TMP/swc.json" '.results[1].f.mean')
check "sweep --common-random-numbers shares them ($f0 vs $f1)" $([ "$f0" = "$f1" ]; echo $?)
"$BIN" run --defect I_MA0 --T 550 --runs 4 --hops 2000 --quiet --json "$TMP/one.json"
d0=$(jv "$TMP/sw.json" '.results[1].D_species.mean'); d1=$(jv "$TMP/one.json" '.results[0].D_species.mean')
check "a sweep point = run on the same box ($d0 vs $d1)" $([ "$d0" = "$d1" ]; echo $?)

# Provenance: the full command line, quoted for a shell where needed.
"$BIN" run --defect V_I+ --size 3 --runs 2 --hops 500 --quiet --msd --json "$TMP/msd.json" --box 'V_I+=1'
got=$(jv "$TMP/msd.json" .command)
check "command holds the argv ($got)" $([ "$got" = "$BIN run --defect V_I+ --size 3 --runs 2 --hops 500 --quiet --msd --json $TMP/msd.json --box V_I+=1" ]; echo $?)
"$BIN" sweep --T 500 --defect V_I+ --hops 200 --runs 2 --csv "$TMP/q.csv" --json "$TMP/q.json" --barrier-shift "0.0"
check "sweep command" $([ "$(jv "$TMP/q.json" .command)" = "$BIN sweep --T 500 --defect V_I+ --hops 200 --runs 2 --csv $TMP/q.csv --json $TMP/q.json --barrier-shift 0.0" ]; echo $?)
# a word with a space or a quote is quoted
"$BIN" run --defect V_I+ --size 2 --runs 2 --hops 50 --quiet --json "$TMP/a b'.json"
check "quoted words" $([ "$(jv "$TMP/a b'.json" .command)" = "$BIN run --defect V_I+ --size 2 --runs 2 --hops 50 --quiet --json '$TMP/a b'\\''.json'" ]; echo $?)

# --msd: atom count (3 L^3 - 1 I atoms around one vacancy) and the per-atom MSD
jq -e '.results[0].msd | .natoms == 80 and (.t_s | length) > 5 and
  ([range(0; .t_s | length) as $k | ((.per_atom_dr2_A2[$k] * 80 - .sum_dr2_A2[$k]) | fabs) <= 1e-9 * .sum_dr2_A2[$k]
    and ((.per_atom_sem_A2[$k] * 80 - .sem_A2[$k]) | fabs) <= 1e-9 * .sem_A2[$k] + 1e-300] | all)' \
  "$TMP/msd.json" >/dev/null
check "--msd: natoms and per-atom MSD = sum / natoms" $?

# Conductivity: sigma = n q^2 D_sigma / kT by hand from the same run's JSON,
# D_sigma per defect = N D_sigma of the ions (N = 3 L^3 - 1 I atoms), q = +1.
"$BIN" run --defect V_I+,I_MA0 --size 4 --T 400 --runs 4 --hops 3000 --quiet --json "$TMP/sig.json" \
  --concentration 2e18
jq -e '.results[0] as $r | ($r.D_sigma.mean * 191) as $D | (2e18 * 1.602176634e-19 * $D / (8.617333262e-5 * 400)) as $s
  | ($r.conductivity.sigma_S_cm.mean - $s | fabs) < 1e-9 * $s and $s > 0
  and ($r.conductivity.D_sigma_per_defect.mean - $D | fabs) < 1e-9 * $D
  and ($r.conductivity.sigma_S_cm.sem / $r.D_sigma.sem / 191 - $s / $D | fabs) < 1e-9 * $s / $D
  and $r.conductivity.sigma_S_cm.ci95_includes == "KMC sampling over the runs only"
  and .results[1].conductivity.charge_e == 0 and .results[1].conductivity.sigma_S_cm.mean == 0' \
  "$TMP/sig.json" >/dev/null
check "sigma = n q^2 D_sigma / kT by hand" $?
# per formula unit: n = x / a^3, one formula unit per cubic cell
"$BIN" run --defect V_I+ --size 4 --T 400 --runs 4 --hops 3000 --quiet --json "$TMP/sigfu.json" --concentration 1e-3/fu
jq -e '.results[0] | (1e-3 / pow(.a * 1e-8; 3)) as $n | (.conductivity.concentration_cm3 - $n | fabs) < 1e-9 * $n' \
  "$TMP/sigfu.json" >/dev/null
check "--concentration X/fu = X / a^3" $?
J="--json $TMP/out.json"

# A calibration with no hops is a result: the report holds the upper limits,
# no catalog is written and an existing --out file is left as it was.
"$BIN" synth --defect V_I+ --T 500 --rate 1 --frames 400 --out "$TMP/z500.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 600 --rate 1 --frames 400 --stream 1 --out "$TMP/z600.dump" >/dev/null
printf '0 0.0 0.0 0.0 0\n1 1.0 0.5 0.0 1\n2 2.0 0.0 0.0 2\n' >"$TMP/z.dat"
echo "keep me" >"$TMP/zcat.json"
"$BIN" calibrate --md 500:$TMP/z500.dump --md 600:$TMP/z600.dump --defect V_I+ $TY --out "$TMP/zcat.json" \
  --report "$TMP/zrep.json" --neb "$TMP/z.dat" --quiet 2>"$TMP/z.err"
rc=$?
check "zero hops with --report: exit 0 (rc=$rc)" $([ $rc -eq 0 ]; echo $?)
check "zero hops: one warning line naming the report" $([ "$(wc -l <"$TMP/z.err")" -eq 1 ] &&
  grep -q "warning: no kick_out events in any run: the report $TMP/zrep.json holds the upper limits" "$TMP/z.err"; echo $?)
check "zero hops: the catalog file is untouched" $([ "$(cat "$TMP/zcat.json")" = "keep me" ] &&
  [ -z "$(ls "$TMP"/*.tmp.* 2>/dev/null)" ]; echo $?)
jq -e '.calibration as $c | $c.fit_used == "none" and $c.zero_events.catalog_written == false
  and ($c.temperatures | length == 2) and ([$c.temperatures[] | .count == 0 and .rate_ci95_hi > 0] | all)
  and $c.zero_events.neb_barrier_eV == 0.5 and $c.zero_events.nu_upper95_per_path_s > 0
  and (.command | test("calibrate --md"))' "$TMP/zrep.json" >/dev/null
check "zero hops: the report has the upper limits and the nu bound" $?
expect_bad "give --report FILE to keep them" calibrate --md 500:$TMP/z500.dump --md 600:$TMP/z600.dump \
  --defect V_I+ $TY --out "$TMP/out.json"

# compare detects hops with the settings of the catalog's calibration record
# unless told otherwise, and warns when an override differs from them.
"$BIN" synth --defect V_I+ --T 600 --rate 1e11 --frames 800 --out "$TMP/a600.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 500 --rate 6e10 --frames 800 --stream 1 --out "$TMP/a500.dump" >/dev/null
MD="--md 500:$TMP/a500.dump --md 600:$TMP/a600.dump"
"$BIN" calibrate $MD --defect V_I+ $TY --dwell 0.02 --window 0 --out "$TMP/cal.json" --report "$TMP/calrep.json" \
  --no-sensitivity --quiet
C="compare $MD --defect V_I+ $TY --catalog $TMP/cal.json --runs 2 --time-factor 1 --quiet"
"$BIN" $C --json "$TMP/c1.json" 2>"$TMP/c1.err"
check "compare: the stored settings" $([ ! -s "$TMP/c1.err" ] && jq -e '.hop_detection.dwell_ps == 0.02 and
  .hop_detection.window_ps == 0 and .hop_detection_from == "catalog calibration record" and .warnings == []' \
  "$TMP/c1.json" >/dev/null; echo $?)
"$BIN" $C --json "$TMP/c2.json" --dwell 0.05 --window 0 2>"$TMP/c2.err"
check "compare: a differing override warns" $([ "$(grep -c 'warning: --dwell 0.05 differs from the 0.02' "$TMP/c2.err")" -eq 1 ] &&
  jq -e '.hop_detection.dwell_ps == 0.05 and (.warnings | length == 1)' "$TMP/c2.json" >/dev/null; echo $?)
"$BIN" compare $MD --defect V_I+ $TY --runs 2 --time-factor 1 --quiet --json "$TMP/c3.json" 2>/dev/null
check "compare: defaults without a record" $(jq -e '.hop_detection.dwell_ps == 0.3 and .hop_detection_from == "defaults"' "$TMP/c3.json" >/dev/null; echo $?)

# Below 327 K the real phase is tetragonal: once on stderr and in the JSON.
"$BIN" run --defect V_I+ --T 300 --size 3 --runs 2 --hops 200 --quiet --json "$TMP/w.json" 2>"$TMP/w.err"
check "tetragonal warning once on stderr" $([ "$(grep -c 'below the 327 K tetragonal-cubic transition' "$TMP/w.err")" -eq 1 ]; echo $?)
jq -e '[.warnings[] | select(test("tetragonal"))] | length == 1' "$TMP/w.json" >/dev/null
check "tetragonal warning in the JSON" $?
"$BIN" run --defect V_I+ --T 330 --size 3 --runs 2 --hops 200 --quiet --json "$TMP/w.json" 2>"$TMP/w.err"
check "no warning at 330 K" $([ ! -s "$TMP/w.err" ] && jq -e '.warnings == []' "$TMP/w.json" >/dev/null; echo $?)
"$BIN" sweep --T 320,400 --defect V_I+,I_I- --size 3 --runs 2 --hops 200 --csv "$TMP/w.csv" --json "$TMP/w.json" 2>"$TMP/w.err"
check "sweep: one tetragonal warning" $([ "$(grep -c 'T = 320 K is below' "$TMP/w.err")" -eq 1 ] &&
  jq -e '.warnings | length == 1' "$TMP/w.json" >/dev/null; echo $?)

# The paper's D(T) only beside entries taken from the paper's table.
good='{"schema": "ionkmc-catalog/1", "entries": [{"defect": "V_I+", "mechanism": "kick_out", "Eb": 0.15, "nu": 5e10, "source": "user", "provenance": "test"}]}'
echo "$good" >"$TMP/user.json"
"$BIN" run --defect V_I+ --T 400 --size 3 --runs 2 --hops 200 --catalog "$TMP/user.json" --json "$TMP/u.json" --csv "$TMP/u.csv" >"$TMP/u.txt"
check "no paper D(T) for a user entry" $(jq -e '.results[0].paper_arrhenius_D == null' "$TMP/u.json" >/dev/null &&
  grep '^V_I+ ' "$TMP/u.txt" | grep -q ' -$' &&
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "paper_arrhenius_D") c = i }
           NR == 2 { exit !(c && $c == "") }' "$TMP/u.csv"; echo $?)
"$BIN" run --defect V_I+ --T 400 --size 3 --runs 2 --hops 200 --json "$TMP/u.json" --quiet
check "paper D(T) for the paper's entry" $(jq -e '.results[0].paper_arrhenius_D > 0' "$TMP/u.json" >/dev/null; echo $?)

# A mixed box whose Frenkel pairs all annihilate: warning, alive count to 0,
# D per unit time with defects present.
"$BIN" run --box 'V_I+=3,I_I-=3' --T 400 --size 4 --runs 4 --hops 20000 --quiet --json "$TMP/fr.json" 2>"$TMP/fr.err"
check "recombination warning on stderr" $(grep -q 'Frenkel pairs annihilated' "$TMP/fr.err"; echo $?)
jq -e '.results[0] as $r | $r.recombinations == 12 and $r.defects_alive.initial == 6
  and $r.defects_alive.mean_over_runs[0] == 6 and $r.defects_alive.mean_over_runs[-1] == 0
  and $r.defects_alive.runs_species_emptied == 4 and $r.defects_alive.t_species_emptied_mean_s > 0
  and ([.warnings[] | select(test("Frenkel pairs annihilated"))] | length == 1)' "$TMP/fr.json" >/dev/null
check "recombination: JSON warning and alive count" $?
"$BIN" run --box 'V_I+=3,I_MA+=3' --T 400 --size 4 --runs 2 --hops 2000 --quiet --json "$TMP/fr.json" 2>"$TMP/fr.err"
check "no recombination, no warning" $([ ! -s "$TMP/fr.err" ] && jq -e '.warnings == [] and .results[0].defects_alive.mean_over_runs[-1] == 6' "$TMP/fr.json" >/dev/null; echo $?)

expect_bad "--concentration: expected C (defects per cm^3)" run --concentration 1e18/m3 $J
expect_bad "--concentration: expected C (defects per cm^3)" run --concentration -1 $J
expect_bad "--concentration: needs one defect kind per box" run --box V_I+=2 --concentration 1e18 $J

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
