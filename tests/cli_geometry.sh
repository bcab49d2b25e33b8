#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Hop geometry and correlation end to end: synthetic MD of a plain V_I+ and a
# plain I_I- (known lattice f: about 0.69 for the X vacancy, 1 for the
# unoriented split pair) -> calibrate -> the report's f_MD and the random-walk
# return fraction; compare on that catalog agrees in rate, displacement and
# correlation, the product of the three ratios is the D ratio, and a catalog
# with twice the rate is named "rate".
set -u
. "$(dirname "$0")/shell_common.sh"
TY="--types 1=Pb,2=I,3=C,4=N"

# One run per T (its SE from blocks); --window 0.01 so that two independent
# hops in quick succession stay two events, as in the KMC that made them.
"$BIN" synth --defect V_I+ --T 500 --rate 5e10 --frames 4000 --frame-dt 0.05 --out "$TMP/v500.dump" >/dev/null &&
  "$BIN" synth --defect V_I+ --T 600 --rate 1e11 --frames 4000 --frame-dt 0.05 --stream 1 --out "$TMP/v600.dump" \
    >/dev/null &&
  "$BIN" synth --defect I_I- --T 500 --rate 2e10 --frames 4000 --frame-dt 0.05 --stream 2 --out "$TMP/i500.dump" \
    >/dev/null &&
  "$BIN" synth --defect I_I- --T 600 --rate 4e10 --frames 4000 --frame-dt 0.05 --stream 3 --out "$TMP/i600.dump" \
    >/dev/null
check "synth V_I+ and I_I- at 500 and 600 K" $?

for k in v:V_I+:0.69 i:I_I-:1.0; do
  p=${k%%:*}; rest=${k#*:}; d=${rest%%:*}; f=${rest#*:}
  MD="--md 500:$TMP/${p}500.dump --md 600:$TMP/${p}600.dump --defect $d $TY"
  "$BIN" calibrate $MD --window 0.01 --no-sensitivity --out "$TMP/${p}cat.json" --report "$TMP/${p}rep.json" \
    >"$TMP/${p}cal.txt" 2>"$TMP/stderr"
  rc=$?
  check "$d: calibrate succeeds (stderr: $(head -c 300 "$TMP/stderr"))" $rc
  grep -q "^geometry 500 K: 1 track, AIC single .*, f_MD .*, returns " "$TMP/${p}cal.txt"
  check "$d: calibrate prints f_MD and the return fraction" $?
  # f_MD within 3 log-scale SE of the lattice value (the SE is the one its
  # printed 95% interval is made of), the returns' exact interval holds 1/8.
  python3 - "$TMP/${p}rep.json" "$f" <<'PY'
import json, math, sys
rep = json.load(open(sys.argv[1])); known = float(sys.argv[2])
for t in rep["calibration"]["temperatures"]:
    g = t["geometry"]; f = g["f"]
    assert g["tracks"] == 1 and g["jumps"] > 40, g["jumps"]
    assert abs(g["atoms_per_event"]["mean"] - 1) < 0.05, g["atoms_per_event"]
    z = abs(math.log(f["mean"] / known)) / f["sd_ln"]
    print("#   T %g: f_MD %.3f [%.3f, %.3f], known %.2f, %.2f SE; returns %.3f [%.3f, %.3f]" % (
        t["T"], f["mean"], f["ci95"][0], f["ci95"][1], known, z, g["immediate_return"]["fraction"],
        *g["immediate_return"]["ci95"]))
    assert z < 3, (t["T"], f)
    r = g["immediate_return"]
    assert r["random_walk"] == 0.125 and r["agree_random_walk"] is True, r
ev = rep["pattern_evidence"]
assert ev["chosen"] == "single" and ev["mode"] == "auto", ev["chosen"]
assert all("single" in t["fits"] for t in ev["temperatures"])
PY
  check "$d: f_MD within 3 SE of $f at both T, returns hold 1/z, pattern single" $?
  python3 - "$TMP/${p}cat.json" "$d" <<'PY'
import json, sys
e = [x for x in json.load(open(sys.argv[1]))["entries"] if x["defect"] == sys.argv[2]][0]
assert "pattern_evidence" in e and "pattern" not in e and "pattern_rates" not in e, list(e)
PY
  check "$d: the entry carries pattern_evidence, keeps its single pattern" $?
  "$BIN" compare --catalog "$TMP/${p}cat.json" $MD --runs 8 --json "$TMP/${p}cmp.json" --csv "$TMP/${p}cmp.csv" \
    >"$TMP/${p}cmp.txt" 2>"$TMP/stderr"
  rc=$?
  check "$d: compare succeeds (stderr: $(head -c 300 "$TMP/stderr"))" $rc
  grep -q "rate x displacement x correlation" "$TMP/${p}cmp.txt"
  check "$d: compare prints the decomposition" $?
  python3 - "$TMP/${p}cmp.json" <<'PY'
import json, math, sys
for r in json.load(open(sys.argv[1]))["results"]:
    d = r["decomposition"]
    prod = d["rate"]["ratio"] * d["displacement"]["ratio"] * d["correlation"]["ratio"]
    # exact in the program (residual), to the JSON's 10 digits here
    assert abs(d["identity_residual"]) < 1e-12 and abs(prod / d["D_species"]["ratio"] - 1) < 1e-8, d
    assert abs(d["D_species"]["ratio"] / r["ratio_md_over_kmc"] - 1) < 1e-8
    for k in ("rate", "displacement", "correlation"):
        assert d[k]["agree"] is True, (r["T"], k, d[k])
    # "none" when D agrees too; when only D falls outside its (narrower)
    # interval, the factor farthest from 1 is named "(largest)"
    assert d["off"] == ("none" if d["D_species"]["agree"] else d["off"]) and (
        d["D_species"]["agree"] or d["off"].endswith(" (largest)")), d["off"]
    assert r["kmc_geometry"]["jumps"] > 1000 and r["kmc_geometry"]["immediate_return"]["agree_random_walk"] is True
PY
  check "$d: product of the three ratios = D ratio, all three agree" $?
  awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i} NR > 1 && $c["factor_off"] != "none" && $c["factor_off"] !~ / \(largest\)$/ {bad = 1} END {exit bad}' \
    "$TMP/${p}cmp.csv"
  check "$d: compare CSV names no factor off (none, or the largest where only D disagrees)" $?
done

# Twice the rate: compare names the rate.
python3 - "$TMP/vcat.json" "$TMP/v2.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for e in c["entries"]:
    if e["defect"] == "V_I+":
        e["nu"] *= 2
        e.pop("uncertainty", None)
json.dump(c, open(sys.argv[2], "w"))
PY
"$BIN" compare --catalog "$TMP/v2.json" --md 500:"$TMP/v500.dump" --md 600:"$TMP/v600.dump" --defect V_I+ $TY \
  --runs 8 --csv "$TMP/v2.csv" >/dev/null 2>"$TMP/stderr"
rc=$?
check "compare with twice the rate runs (stderr: $(head -c 300 "$TMP/stderr"))" $rc
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i} NR > 1 && $c["factor_off"] != "rate" {bad = 1} END {exit bad}' \
  "$TMP/v2.csv"
check "compare names the rate as the factor off" $?

expect_bad "--pattern: pattern collinear: V_I+ does not take it" calibrate --md 500:"$TMP/v500.dump" \
  --md 600:"$TMP/v600.dump" --defect V_I+ $TY --pattern collinear --no-sensitivity --out "$TMP/out.cat.json"

echo "cli_geometry: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
