#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc calibrate / compare / synth from the command line: help, exit
# statuses, one-line messages naming file and line/frame, no output file left
# behind on failure, and a small end-to-end calibration.
set -u
. "$(dirname "$0")/shell_common.sh"

for c in calibrate compare synth; do
  "$BIN" $c --help >"$TMP/help" 2>&1
  check "$c --help exits 0" $?
  grep -q "usage: ionkmc $c" "$TMP/help"
  check "$c --help prints usage" $?
done

# Small synthetic runs: V_I+ at two temperatures.
TY="--types 1=Pb,2=I,3=C,4=N"
HOP="--dwell 0.02 --window 0"
"$BIN" synth --defect V_I+ --T 500 --rate 6e10 --frames 1500 --out "$TMP/a500.dump" >/dev/null
check "synth 500 K" $?
"$BIN" synth --defect V_I+ --T 600 --rate 1e11 --frames 1500 --stream 1 --out "$TMP/a600.dump" >/dev/null
check "synth 600 K" $?
"$BIN" synth --defect V_I+ --T 600 --rate 1e11 --frames 1500 --stream 2 --format extxyz --out "$TMP/b600.xyz" >/dev/null
check "synth extxyz" $?
MD="--md 500:$TMP/a500.dump --md 600:$TMP/a600.dump --md 600:$TMP/b600.xyz"
O="--out $TMP/out.json --report $TMP/out.report.json --events $TMP/out.events.csv"

"$BIN" calibrate $MD --defect V_I+ $TY $HOP $O >"$TMP/stdout" 2>"$TMP/stderr"
_rc=$?
check "calibrate succeeds (stderr: $(head -c 300 "$TMP/stderr"))" $_rc
grep -q '"source": "md_calibration"' "$TMP/out.json"
check "catalog entry from md_calibration" $?
"$BIN" run --defect V_I+ --T 550 --hops 2000 --runs 2 --catalog "$TMP/out.json" --quiet
check "the KMC reads the calibrated catalog" $?
head -1 "$TMP/out.events.csv" | grep -q "^file,T,time_ps,species,atom_ids,from_site,to_site"
check "event log header" $?
[ "$(wc -l <"$TMP/out.events.csv")" -gt 5 ]
check "event log has events" $?
cp "$TMP/out.json" "$TMP/cal.json"
# Predictions: the Arrhenius rate at 300 K is nu exp(-Ea/kT) of the same fit, inside its interval.
"$BIN" calibrate $MD --defect V_I+ $TY $HOP --out "$TMP/out.json" --report "$TMP/out.rep.json" --predict 300,450 \
  --no-sensitivity --quiet
check "calibrate --predict" $?
awk '/"arrhenius_fit": \{/ && !fit {fit = 1} fit == 1 && /"Ea_eV":/ {gsub(",", ""); ea = $2}
     fit == 1 && /"nu_per_path_s":/ {gsub(",", ""); nu = $2; fit = 2}
     /"predictions"/ {pr = 1} pr && /"rate_per_path_s":/ && !k {gsub(",", ""); k = $2}
     pr && k && /"ci95"/ {getline; gsub(",", ""); lo = $1; getline; hi = $1; pr = 0}
     END {want = nu * exp(-ea / (8.617333262e-5 * 300));
          exit !(k > 0 && (k / want - 1)^2 < 1e-12 && lo < k && k < hi)}' "$TMP/out.rep.json"
check "prediction at 300 K from the fit, inside its interval" $?

"$BIN" compare $MD --defect V_I+ $TY $HOP --catalog "$TMP/cal.json" --runs 4 --time-factor 2 \
  --json "$TMP/out.cmp.json" --csv "$TMP/out.cmp.csv" >"$TMP/stdout" 2>"$TMP/stderr"
_rc=$?
check "compare succeeds (stderr: $(head -c 300 "$TMP/stderr"))" $_rc
grep -q "agree" "$TMP/stdout"
check "compare prints the table" $?
[ "$(wc -l <"$TMP/out.cmp.csv")" -eq 3 ]
check "compare CSV has one row per temperature" $?
head -1 "$TMP/out.cmp.csv" | grep -q ",md_D_defect_runs,md_D_defect,md_D_defect_sem,kmc_D_defect,kmc_D_defect_sem,agree_D_defect,md_se_method,md_blocks,kmc_D_ci95_catalog_lo,kmc_D_ci95_catalog_hi,kmc_D_ci95_total_lo,kmc_D_ci95_total_hi,md_f," &&
  awk -F, 'NR > 1 && !($23 >= 1 && $24 > 0 && $26 > 0) {bad = 1} END {exit bad}' "$TMP/out.cmp.csv"
check "compare CSV: the lone vacancy's D from MD beside the KMC's D_defect" $?
rm -f "$TMP"/out.*

# Hysteresis sensitivity: the counts taken alongside with dwell x2 and r_inner
# x0.8 equal those of separate runs with those settings.
"$BIN" calibrate $MD --defect V_I+ $TY $HOP --out "$TMP/out.json" --report "$TMP/out.rep.json" >"$TMP/sens.txt"
check "calibrate with the sensitivity" $?
"$BIN" calibrate $MD --defect V_I+ $TY --dwell 0.04 --window 0 --out "$TMP/out.json" --no-sensitivity >"$TMP/d2.txt"
check "calibrate with dwell x2" $?
"$BIN" calibrate $MD --defect V_I+ $TY $HOP --r-inner 1.2 --r-inner-ma 1.6 --out "$TMP/out.json" --no-sensitivity >"$TMP/r08.txt"
check "calibrate with r_inner x0.8" $?
# events per T from the main table (column 4), and the sensitivity table's columns
ev() { awk '$1 ~ /^[0-9.]+$/ && NF >= 9 {print $1, $4}' "$1"; }
alt() { awk -v c="$2" '/back-hop/ {on = 1; next} on && $1 ~ /^[0-9.]+$/ && NF == 7 {print $1, $c}' "$1"; }
[ -n "$(ev "$TMP/d2.txt")" ] && [ "$(ev "$TMP/d2.txt")" = "$(alt "$TMP/sens.txt" 7)" ]
echo "sensitivity: dwell x2 $(ev "$TMP/d2.txt" | tr "\n" " ") vs $(alt "$TMP/sens.txt" 7 | tr "\n" " ")"
_rc=$?
check "dwell x2 counts match a separate run ($(ev "$TMP/d2.txt" | tr '\n' ' ') vs $(alt "$TMP/sens.txt" 7 | tr '\n' ' '))" $_rc
[ -n "$(ev "$TMP/r08.txt")" ] && [ "$(ev "$TMP/r08.txt")" = "$(alt "$TMP/sens.txt" 4)" ]
_rc=$?
check "r_inner x0.8 counts match a separate run ($(ev "$TMP/r08.txt" | tr '\n' ' ') vs $(alt "$TMP/sens.txt" 4 | tr '\n' ' '))" $_rc
grep -q '"back_hop_fraction"' "$TMP/out.rep.json" && [ "$(grep -c '"setting": "dwell x2"' "$TMP/out.rep.json")" -eq 2 ]
check "report: back-hop fraction and the settings per temperature" $?
# ln k in 1/T and a: these runs' a follow T (a(500), a(600), a(600)), so the fit is refused.
grep -q '"separable": false' "$TMP/out.rep.json"
check "report: (T, a) fit not separable when a follows T" $?
expect_bad "--fit-a: arrhenius(T, a): the runs' lattice constants follow T" calibrate $MD --defect V_I+ $TY $HOP --fit-a --out "$TMP/out.json"
expect_bad "--fit-a: cannot be combined with --use-neb" calibrate $MD --defect V_I+ $TY --fit-a --use-neb --neb x --out "$TMP/out.json"
"$BIN" synth --defect V_I+ --T 500 --a 6.30 --rate 8e10 --frames 1500 --stream 3 --out "$TMP/c1.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 500 --a 6.42 --rate 4e10 --frames 1500 --stream 4 --out "$TMP/c2.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 600 --a 6.36 --rate 1e11 --frames 1500 --stream 5 --out "$TMP/c3.dump" >/dev/null
"$BIN" calibrate --md 500:"$TMP/c1.dump" --md 500:"$TMP/c2.dump" --md 600:"$TMP/c3.dump" --defect V_I+ $TY $HOP \
  --fit-a --out "$TMP/out.json" --quiet --no-sensitivity
check "calibrate --fit-a with runs at different a" $?
grep -q '"a_ref": 6.3[0-9]*,' "$TMP/out.json" && grep -q '"dEb_da": ' "$TMP/out.json" &&
  grep -q '"fit_used": "arrhenius_a_fit"' "$TMP/out.json"
check "--fit-a writes a_ref and dEb_da" $?
"$BIN" run --defect V_I+ --T 300 --hops 1000 --runs 2 --catalog "$TMP/out.json" --quiet
check "the KMC reads the (T, a) catalog" $?
rm -f "$TMP"/out*

# Zero events (the MA-vacancy case): without a barrier nothing is written; with
# --neb --use-neb the entry takes the NEB barrier and nu is bounded by the MD.
"$BIN" synth --defect V_I+ --T 500 --rate 1 --frames 600 --out "$TMP/z500.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 600 --rate 1 --frames 600 --stream 1 --out "$TMP/z600.dump" >/dev/null
printf '0 0.0 0.0 0.0 0\n1 1.0 0.5 0.0 1\n2 2.0 0.0 0.0 2\n' >"$TMP/z.dat"
ZMD="--md 500:$TMP/z500.dump --md 600:$TMP/z600.dump"
expect_bad "no kick_out events in any run" calibrate $ZMD --defect V_I+ $TY --out "$TMP/out.json"
"$BIN" calibrate $ZMD --defect V_I+ $TY --neb "$TMP/z.dat" --use-neb --out "$TMP/out.json" \
  --report "$TMP/out.rep.json" --quiet 2>"$TMP/stderr"
check "zero events with --use-neb writes a catalog" $?
grep -q "warning: no kick_out events" "$TMP/stderr"
check "zero events: warning on stderr" $?
# The bound: nu < -ln(0.05) / sum_T(exposure * paths * exp(-Eb/kT)), from the report's own exposures.
num() { grep -o "\"$1\": [-0-9.e+]*" "$2" | head -1 | awk '{print $2}'; }
awk '/"temperatures": \[/ {on = 1} /"runs": \[/ {on = 0}
     /"paths":/ {gsub(",", ""); paths = $2}
     on && /"T":/ {gsub(",", ""); T = $2}
     on && /"exposure_defect_s":/ {gsub(",", ""); S += $2 * paths * exp(-0.5 / (8.617333262e-5 * T))}
     /"nu_upper95_per_path_s":/ {gsub(",", ""); bound = $2}
     END {want = -log(0.05) / S; exit !(S > 0 && bound / want - 1 < 1e-6 && want / bound - 1 < 1e-6)}' "$TMP/out.rep.json" &&
  grep -q '"fit_used": "neb_barrier_zero_events"' "$TMP/out.rep.json" &&
  grep -q '"nu_used": "base_catalog"' "$TMP/out.rep.json" &&
  [ "$(num nu_base_per_path_s "$TMP/out.rep.json")" = "$(num nu_used_per_path_s "$TMP/out.rep.json")" ] &&
  grep -q '"provenance": "MD calibration: 2 runs at 2 temperatures (500-600 K), no kick_out events; Eb fixed to the NEB barrier 0.5000 eV' "$TMP/out.json"
check "zero events: NEB barrier, base nu, bound from the exposures" $?
sed 's/"nu": 5.57606e10,/"nu": 1e20,/' "$TMP/out.json" >"$TMP/big.json"
"$BIN" calibrate $ZMD --defect V_I+ $TY --neb "$TMP/z.dat" --use-neb --base-catalog "$TMP/big.json" \
  --out "$TMP/out2.json" --quiet 2>/dev/null
check "zero events with a large base nu" $?
grep -q '"nu_used": "upper_limit"' "$TMP/out2.json" &&
  [ "$(num nu_upper95_per_path_s "$TMP/out2.json")" = "$(num nu_used_per_path_s "$TMP/out2.json")" ] &&
  ! grep -q '"nu": 1e+\?20' "$TMP/out2.json"
check "zero events: a base nu above the bound is replaced by the bound" $?
rm -f "$TMP"/out*

# Bad input: options
expect_bad "--md: expected T:FILE" calibrate --md foo --defect V_I+ $TY --out "$TMP/out.json"
expect_bad "--md: expected a temperature > 0 K" calibrate --md -5:x --defect V_I+ --out "$TMP/out.json"
expect_bad "--defect: unknown defect 'V_X'" calibrate $MD --defect V_X --out "$TMP/out.json"
expect_bad "--out: expected the catalog file" calibrate $MD --defect V_I+ $TY
expect_bad "--types" calibrate $MD --defect V_I+ --types 1=Pb,2=Qq --out "$TMP/out.json"
expect_bad "--dwell: expected a value >= 0" calibrate $MD --defect V_I+ $TY --dwell -1 --out "$TMP/out.json"
expect_bad "--out $TMP/nodir/x.json: cannot write" calibrate $MD --defect V_I+ $TY --out "$TMP/nodir/x.json"
expect_bad "--predict: expected up to 16 temperatures > 0 K" calibrate $MD --defect V_I+ $TY --predict 300,-4 --out "$TMP/out.json"
expect_bad "--use-neb: needs --neb" calibrate $MD --defect V_I+ $TY --use-neb --out "$TMP/out.json"
expect_bad "an Arrhenius fit needs runs at two or more temperatures" calibrate --md 600:"$TMP/a600.dump" --defect V_I+ $TY $HOP --out "$TMP/out.json"
expect_bad "expected a I_I- (mechanism double_bridge) in the first frame" calibrate $MD --defect I_I- $TY --out "$TMP/out.json"
expect_bad "cannot open" calibrate --md 500:"$TMP/missing.dump" --defect V_I+ $TY --out "$TMP/out.json"
expect_bad "atom type 1 has no element" calibrate $MD --defect V_I+ --out "$TMP/out.json"
TMPDIR="$TMP/nodir" expect_bad "cannot open a temporary file in $TMP/nodir for the MSD positions" calibrate $MD --defect V_I+ $TY --out "$TMP/out.json"

# Bad input: files (each names the file and the line / frame)
head -c 20000 "$TMP/a500.dump" >"$TMP/trunc.dump"
expect_bad "$TMP/trunc.dump: line" calibrate --md 500:"$TMP/trunc.dump" --md 600:"$TMP/a600.dump" --defect V_I+ $TY --out "$TMP/out.json"
sed '9s/ x y z / x y /' "$TMP/a500.dump" >"$TMP/nocol.dump"
expect_bad "$TMP/nocol.dump: line 9, frame 0: missing position columns" calibrate --md 500:"$TMP/nocol.dump" --defect V_I+ $TY --out "$TMP/out.json"
sed '10s/^1 1 /1 9 /' "$TMP/a500.dump" >"$TMP/type.dump"
expect_bad "$TMP/type.dump: line 10, frame 0: atom type 9 has no element" calibrate --md 500:"$TMP/type.dump" --defect V_I+ $TY --out "$TMP/out.json"
awk 'NR==2 {print 5000; next} {print}' "$TMP/a500.dump" >"$TMP/time.dump"
expect_bad "$TMP/time.dump: frame 1" calibrate --md 500:"$TMP/time.dump" --defect V_I+ $TY --out "$TMP/out.json"
sed '8s/.*/0 25.0/' "$TMP/a500.dump" >"$TMP/box.dump"
expect_bad "$TMP/box.dump: frame 0 (line 1): the box does not fit a cubic perovskite" calibrate --md 500:"$TMP/box.dump" --defect V_I+ $TY --out "$TMP/out.json"
sed '6,8s/.*/0 25.0/' "$TMP/a500.dump" >"$TMP/box2.dump"
expect_bad "the Pb atoms do not sit on a simple cubic lattice" calibrate --md 500:"$TMP/box2.dump" --defect V_I+ $TY --out "$TMP/out.json"
# 161 atoms per frame (170 lines); frame 1 claims and holds 160.
awk 'NR<=170 {print; next} NR==174 {print 160; next} NR<340 {print}' "$TMP/a500.dump" >"$TMP/count.dump"
expect_bad "$TMP/count.dump: frame 1 (line 171): 160 atoms, expected 161" calibrate --md 500:"$TMP/count.dump" --defect V_I+ $TY --out "$TMP/out.json"
printf 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id element x y z\n1 Xe 0 0 0\n' >"$TMP/el.dump"
expect_bad "$TMP/el.dump: line 10, frame 0: unknown element 'Xe'" calibrate --md 500:"$TMP/el.dump" --defect V_I+ --out "$TMP/out.json"
printf '0 0 0 0 0\n1 0.5 x\n' >"$TMP/bad.dat"
expect_bad "$TMP/bad.dat: line 2" calibrate $MD --defect V_I+ $TY --neb "$TMP/bad.dat" --out "$TMP/out.json"

# compare and synth bad input
expect_bad "--runs: expected an integer" compare $MD --defect V_I+ $TY --runs 1
expect_bad "catalog has no entry" compare $MD --defect V_I+ $TY --catalog <(echo '{"schema": "ionkmc-catalog/1", "entries": [{"defect": "I_I-", "mechanism": "double_bridge", "Eb": 0.2, "nu": 1e12, "source": "user", "provenance": "t"}]}')
expect_bad "--T: expected a temperature" synth --defect V_I+ --out "$TMP/out.dump"
expect_bad "--frame-dt: expected a multiple of 0.001 ps" synth --defect V_I+ --T 500 --frame-dt 0.0015 --out "$TMP/out.dump"
expect_bad "--frame-dt: expected a frame interval >= 0.001 ps" synth --defect V_I+ --T 500 --frame-dt 0.0005 --out "$TMP/out.dump"

echo "cli_calib: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
