#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The three intervals from the command line: ci95 (KMC), ci95_catalog and
# ci95_total in run / sweep, catalogs without a covariance, the rerun method
# and its thread invariance, and the fits calibrate writes with their
# covariance (strain models, the Eb >= 0 boundary).
set -u
. "$(dirname "$0")/shell_common.sh"

expect_bad "--catalog-samples: expected an integer in [2" run --catalog-samples 1 --json "$TMP/out.json"
expect_bad "--a-model: expected barrier, prefactor or both" calibrate --md 500:x --defect V_I+ --a-model entropy --out "$TMP/out.json"

# The default catalog: Table 2 errors, exact rescaling for a lone defect.
"$BIN" run --defect V_I+ --hops 4000 --runs 4 --json "$TMP/r.json" --csv "$TMP/r.csv" >"$TMP/r.txt"
check "run with catalog intervals" $?
python3 - "$TMP/r.json" <<'PY'
import json, math, sys
r = json.load(open(sys.argv[1]))["results"][0]
d = r["D_species"]
assert r["catalog_uncertainty"]["method"] == "rescale", r["catalog_uncertainty"]
lo, hi = d["ci95_total"]; clo, chi = d["ci95_catalog"]
assert lo < d["ci95"][0] and hi > d["ci95"][1] and 0 < lo <= clo and hi >= chi
# Table 2: Ea +- 0.04 eV, var ln D0 = ln(1 + (0.92/1.04)^2); 64 draws give s within ~30%
s = math.sqrt((0.04 / (8.617333262e-5 * 300)) ** 2 + math.log(1 + (0.92 / 1.04) ** 2))
s_draws = math.log(chi / d["mean"]) / 1.959964
assert abs(s_draws / s - 1) < 0.3, (s_draws, s)
PY
check "ci95_total holds ci95 and ci95_catalog; s from the draws = Table 2 within 30%" $?
grep -q "95% incl. calibration" "$TMP/r.txt"
check "table column '95% incl. calibration'" $?
! grep -qi "nan" "$TMP/r.txt" "$TMP/r.csv"
check "no nan in the table or CSV" $?

# A user's catalog without a covariance: no catalog interval, and it says so.
echo '{"schema": "ionkmc-catalog/1", "entries": [{"defect": "V_I+", "mechanism": "kick_out", "Eb": 0.2, "nu": 1e12, "source": "user", "provenance": "test"}]}' >"$TMP/user.json"
"$BIN" run --defect V_I+ --hops 2000 --runs 3 --catalog "$TMP/user.json" --json "$TMP/u.json" >"$TMP/u.txt"
python3 - "$TMP/u.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["D_species"]["ci95_catalog"] == [None, None]
assert r["D_species"]["ci95_total"] == r["D_species"]["ci95"]
assert r["catalog_uncertainty"]["method"] == "none" and "no entry carries a covariance" in r["catalog_uncertainty"]["note"]
PY
check "catalog without covariance: ci95_catalog null, total = KMC, noted" $?
grep -q "carries a covariance" "$TMP/u.txt"
check "table footnote for the catalog without covariance" $?

# A mixed box reruns per draw; the same seed gives the same bytes for any thread count.
for t in 1 2; do
  "$BIN" run --box 'V_I+=1,I_I-=1' --T 400 --hops 2000 --runs 4 --catalog-samples 6 --threads $t --json "$TMP/m$t.json" --quiet
done
# (the JSON records the command line, which names --threads, and parallel.threads)
cmp -s <(grep -v '"command"\|^    "threads":' "$TMP/m1.json") <(grep -v '"command"\|^    "threads":' "$TMP/m2.json") && grep -q '"method": "rerun"' "$TMP/m1.json"
check "rerun method, identical JSON for 1 and 2 threads" $?

# sweep: the catalog columns are filled
"$BIN" sweep --T 300,400 --defect V_I+ --hops 2000 --runs 3 --csv "$TMP/s.csv" 2>/dev/null
python3 - "$TMP/s.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2 and all(float(r["D_species_ci95_total_lo"]) < float(r["D_species_lo"]) for r in rows)
assert all(r["catalog_method"] == "rescale" for r in rows)
PY
check "sweep CSV carries ci95_catalog and ci95_total" $?

# calibrate: every fit stores its covariance; strain on the prefactor; Eb >= 0 boundary.
TY="--types 1=Pb,2=I,3=C,4=N"; HOP="--dwell 0.02 --window 0"
"$BIN" synth --defect V_I+ --T 500 --a 6.30 --rate 4e10 --frames 1500 --stream 3 --out "$TMP/c1.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 500 --a 6.42 --rate 9e10 --frames 1500 --stream 4 --out "$TMP/c2.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 600 --a 6.36 --rate 1e11 --frames 1500 --stream 5 --out "$TMP/c3.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 600 --a 6.30 --rate 7e10 --frames 1500 --stream 6 --out "$TMP/c4.dump" >/dev/null
MD="--md 500:$TMP/c1.dump --md 500:$TMP/c2.dump --md 600:$TMP/c3.dump --md 600:$TMP/c4.dump"
"$BIN" calibrate $MD --defect V_I+ $TY $HOP --out "$TMP/a.json" --report "$TMP/a.rep.json" --quiet --no-sensitivity
check "calibrate (Arrhenius)" $?
"$BIN" calibrate $MD --defect V_I+ $TY $HOP --a-model prefactor --out "$TMP/p.json" --quiet --no-sensitivity
check "calibrate --a-model prefactor" $?
python3 - "$TMP/a.json" "$TMP/p.json" "$TMP/a.rep.json" <<'PY'
import json, sys
ent = lambda f: [e for e in json.load(open(f))["entries"] if e["defect"] == "V_I+"][0]
a, p = ent(sys.argv[1]), ent(sys.argv[2])
assert a["uncertainty"]["parameters"] == ["Eb", "ln_nu"] and len(a["uncertainty"]["covariance"]) == 2
assert p["uncertainty"]["parameters"] == ["Eb", "ln_nu", "dlnnu_da"] and p["dlnnu_da"] != 0 and p["dEb_da"] == 0
assert p["calibration"]["a_model"] == "prefactor"
sf = json.load(open(sys.argv[3]))["calibration"]["strain_fits"]
assert all(sf[m]["fitted"] and "aic" in sf[m] for m in ("barrier", "prefactor", "both"))
assert sf["preferred_by_aic"] in ("barrier", "prefactor", "both")
PY
check "fits store parameters and covariance; strain fits with deviance and AIC" $?
# rates that fall with T: the fit is written on the Eb >= 0 boundary
"$BIN" synth --defect V_I+ --T 500 --rate 9e10 --frames 1500 --stream 7 --out "$TMP/d1.dump" >/dev/null
"$BIN" synth --defect V_I+ --T 600 --rate 3e10 --frames 1500 --stream 8 --out "$TMP/d2.dump" >/dev/null
"$BIN" calibrate --md 500:"$TMP/d1.dump" --md 600:"$TMP/d2.dump" --defect V_I+ $TY $HOP --out "$TMP/b.json" --quiet --no-sensitivity 2>"$TMP/b.err"
check "calibrate writes an entry when the fitted Ea is negative" $?
python3 - "$TMP/b.json" <<'PY'
import json, sys
e = [e for e in json.load(open(sys.argv[1]))["entries"] if e["defect"] == "V_I+"][0]
assert e["Eb"] == 0 and "constrained to Eb >= 0" in e["provenance"], e["provenance"]
assert e["calibration"]["fit_used"] == "arrhenius_boundary_fit"
assert e["calibration"]["arrhenius_boundary_fit"]["Eb_upper95_profile_eV"] > 0
PY
check "boundary fit: Eb = 0, profile upper limit, provenance says so" $?
grep -q "constrained fit on Eb = 0" "$TMP/b.err"
check "boundary fit warning on stderr" $?

# One run per T: the MD standard errors come from blocks of the run, so every
# row of compare has a verdict, and no table or CSV cell is nan.
"$BIN" calibrate --md 500:"$TMP/d1.dump" --md 600:"$TMP/d2.dump" --defect V_I+ $TY $HOP --out "$TMP/b2.json" --no-sensitivity >"$TMP/cal1.txt" 2>/dev/null
"$BIN" compare --md 500:"$TMP/d1.dump" --md 600:"$TMP/d2.dump" --defect V_I+ $TY $HOP --catalog "$TMP/b.json" \
  --runs 4 --time-factor 1 --catalog-samples 4 --json "$TMP/c.json" --csv "$TMP/c.csv" >"$TMP/c.txt"
check "compare on single runs" $?
python3 - "$TMP/c.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
for r in rows:
    assert r["md_standard_errors"]["method"] == "blocks" and r["md_standard_errors"]["blocks"] == 8, r["md_standard_errors"]
    assert r["agree_95"] is not None and r["md_D_species"]["sem"] > 0
    lo, hi = r["md_D_species"]["ci95"]
    assert 0 < lo < r["md_D_species"]["mean"] < hi
    assert r["kmc_D_species"]["ci95_total"][0] > 0
PY
check "single runs: blocked SE, positive log-scale interval, a verdict for every row" $?
! grep -qi "nan" "$TMP/c.txt" "$TMP/c.csv" "$TMP/cal1.txt"
check "no nan in the compare and calibrate tables or CSV" $?
grep -q "equal blocks of the run" "$TMP/c.txt"
check "compare footnote names the blocks" $?

echo "cli_uncertainty: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
