#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc neb: a V_I hop with the stand-in model (band file, JSON, catalog
# entry that `run` reads), --a with three lattice constants, and the
# bad-input contract. Skipped (passes) when ionkmc was built without libtorch.
source "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
MODEL=$SRC/examples/mlff_standin/model.pth

"$BIN" neb --help >/dev/null; check "neb --help exits 0" $?
if "$BIN" mlff eval --model "$MODEL" --structure "$SRC/tests/data/mlff/cubic2_vac.xyz" 2>&1 | grep -q "without libtorch"; then
  echo "built without libtorch: skipped"; exit 0
fi

"$BIN" neb --model "$MODEL" --defect V_I+ --band "$TMP/band.xyz" --json "$TMP/neb.json" \
  --catalog-out "$TMP/cat.json" --nu 1e12 >"$TMP/neb.out"
check "neb V_I+ exits 0" $?
[ "$(grep -c 'Lattice=' "$TMP/band.xyz")" -eq 7 ]; check "band has 7 frames" $?
[ "$(grep -c 'energy=' "$TMP/band.xyz")" -eq 7 ]; check "every frame has energy=" $?
grep -q 'forces:R:3' "$TMP/band.xyz"; check "band has forces" $?
grep -q '"converged": true' "$TMP/neb.json"; check "NEB converged" $?
grep -q '"climbing_image": [1-5]' "$TMP/neb.json"; check "an interior climbing image" $?
grep -q '"source": "neb"' "$TMP/cat.json"; check "catalog entry from neb" $?
"$BIN" run --catalog "$TMP/cat.json" --defect V_I+ --T 300 --size 4 --runs 2 --hops 2000 --quiet >/dev/null
check "run reads the neb catalog" $?

# the other mechanisms: A vacancy and the I interstitial (symmetric hop: dE = 0)
for d in V_MA- I_I-; do
  "$BIN" neb --model "$MODEL" --defect $d --json "$TMP/$d.json" >/dev/null
  check "neb $d exits 0" $?
  grep -q '"converged": true' "$TMP/$d.json" && grep -q '"climbing_image": [1-5]' "$TMP/$d.json"
  check "neb $d: converged, interior climbing image" $?
done
awk '/"dE_eV"/ { v = $2 + 0; if (v < 0) v = -v; bad = v > 1e-3 } END { exit bad }' "$TMP/I_I-.json"
check "I_I- hop between equivalent double bridges: dE = 0" $?

# three lattice constants: dEb/da in the JSON and in the catalog entry
"$BIN" neb --model "$MODEL" --defect V_I+ --a 6.30,6.37,6.44 --json "$TMP/nebA.json" \
  --catalog-out "$TMP/catA.json" --nu 1e12 >/dev/null
check "neb --a with three values exits 0" $?
grep -q '"dEb_da"' "$TMP/catA.json" && grep -q '"a_ref": 6.37' "$TMP/catA.json"
check "catalog entry has dEb_da and a_ref" $?

# run uses dEb/da: one V_I defect is a random walk, D_defect = z Gamma lambda^2 / 6
# exactly, with Gamma = nu exp(-(Eb + dEb_da (a - a_ref))/kT), z = 8, lambda = a/sqrt2.
field() { grep "\"$1\": [-0-9]" "$TMP/catA.json" | head -1 | sed 's/.*: *//; s/,//'; }
Eb=$(field Eb); NU=$(field nu); AREF=$(field a_ref); S=$(field dEb_da)
for A in 6.30 6.44; do
  "$BIN" run --catalog "$TMP/catA.json" --defect V_I+ --T 300 --a $A --size 4 --runs 64 --hops 20000 \
    --seed 7 --json "$TMP/run.json" --quiet
  mean=$(grep -A2 '"D_defect"' "$TMP/run.json" | grep '"mean"' | sed 's/.*: *//; s/,//')
  sem=$(grep -A2 '"D_defect"' "$TMP/run.json" | grep '"sem"' | sed 's/.*: *//; s/,//')
  awk -v Eb="$Eb" -v nu="$NU" -v ar="$AREF" -v s="$S" -v a=$A -v m="$mean" -v se="$sem" 'BEGIN {
    kT = 8.617333262e-5 * 300; G = nu * exp(-(Eb + s * (a - ar)) / kT); D = 8 * G * a * a / 2 / 6 * 1e-16;
    d = (m - D) / se; printf "a = %s: D_defect %.4g +- %.2g (KMC, 64 runs, SEM), closed form %.4g cm^2/s\n", a, m, se, D;
    exit !(d < 4 && d > -4 && s < 0) }'
  check "D_defect at a = $A follows dEb/da (closed form within 4 SEM)" $?
done

# environments: 8 sampled hops, a sampled-provider entry, and run's D_defect
# follows nu <exp(-Eb_j/kT)>_j (closed form, within 4 SEM)
"$BIN" neb --model "$MODEL" --defect V_I+ --environments 8 --env-sigma 0.08 --catalog-out "$TMP/catE.json" \
  --nu 1e12 --table "$TMP/envs.csv" --json "$TMP/env.json" >/dev/null
check "neb --environments 8 exits 0" $?
[ "$(grep -vc '^#' "$TMP/envs.csv")" -eq 9 ]; check "descriptor table: header and 8 rows" $?
grep -q '"provider": "sampled"' "$TMP/catE.json"; check "sampled provider entry" $?
# the table is what examples/torch_barrier/train.py trains from (where python3-torch is)
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  /usr/bin/python3 "$SRC/examples/torch_barrier/train.py" --samples "$TMP/envs.csv" --out "$TMP/m.pt" --epochs 20 \
    >"$TMP/train.out" 2>&1 && grep -q "8 samples" "$TMP/train.out"
  rc=$?; check "train.py reads the descriptor table ($(tail -2 "$TMP/train.out" | head -1))" $rc
fi
samples=$(tr -d ' \n' <"$TMP/catE.json" | grep -o '"samples_Eb":\[[^]]*\]' | sed 's/.*\[//; s/\]//')
"$BIN" run --catalog "$TMP/catE.json" --defect V_I+ --T 300 --a 6.37 --size 4 --runs 64 --hops 20000 \
  --seed 9 --json "$TMP/run.json" --quiet
mean=$(grep -A2 '"D_defect"' "$TMP/run.json" | grep '"mean"' | sed 's/.*: *//; s/,//')
sem=$(grep -A2 '"D_defect"' "$TMP/run.json" | grep '"sem"' | sed 's/.*: *//; s/,//')
awk -v list="$samples" -v m="$mean" -v se="$sem" 'BEGIN {
  n = split(list, E, ","); kT = 8.617333262e-5 * 300; s = 0; for (j = 1; j <= n; j++) s += exp(-E[j] / kT);
  G = 1e12 * s / n; D = 8 * G * 6.37 * 6.37 / 2 / 6 * 1e-16; d = (m - D) / se;
  printf "sampled entry: D_defect %.4g +- %.2g (KMC, 64 runs, SEM), closed form %.4g cm^2/s\n", m, se, D;
  exit !(n == 8 && d < 4 && d > -4) }'
check "run with the sampled entry follows the exact average rate" $?
"$BIN" neb --model "$MODEL" --defect V_I+ --environments 2 --env-gaussian --catalog-out "$TMP/catG.json" --nu 1e12 >/dev/null &&
  grep -q '"disorder_sigma"' "$TMP/catG.json" && "$BIN" run --catalog "$TMP/catG.json" --defect V_I+ --size 4 --runs 2 --hops 1000 --quiet >/dev/null
check "--env-gaussian writes a disorder_sigma entry that run reads" $?

M="--model $MODEL"
expect_bad "--defect: expected V_I+, I_I-" neb $M --defect X_Y --json "$TMP/out.json"
expect_bad "give --defect NAME, or --initial FILE and --final FILE" neb $M --json "$TMP/out.json"
expect_bad "--band takes one lattice constant" neb $M --defect V_I+ --a 6.3,6.4 --band "$TMP/out.xyz"
expect_bad "--catalog-out needs a prefactor" neb $M --defect V_I+ --catalog-out "$TMP/out.json"
expect_bad "--a: 2 angstrom is outside 3..10" neb $M --defect V_I+ --a 2 --json "$TMP/out.json"
expect_bad "--images" neb $M --defect V_I+ --images 2 --json "$TMP/out.json"
expect_bad "--environments needs --defect and one lattice constant" neb $M --defect V_I+ --environments 2 --a 6.3,6.4
expect_bad "--table and --env-gaussian need --environments" neb $M --defect V_I+ --table "$TMP/out.csv"
sed 's/"samples_Eb": \[/"samples_Eb": [-1, /' "$TMP/catE.json" >"$TMP/badE.json"
expect_bad "samples_Eb[0]: expected a barrier >= 0 eV" catalog check "$TMP/badE.json"
expect_bad "the end points hold" neb $M --initial "$SRC/tests/data/mlff/cubic2_vac.xyz" \
  --final "$SRC/tests/data/mlff/skew3_vac.xyz" --json "$TMP/out.json"

echo "cli_neb: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
