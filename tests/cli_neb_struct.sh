#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc neb --a-site: hop end points from the structure builder (every kind,
# MA molecules with the MA stand-in), --environments with seeded MA
# orientations and on MD snapshots, and the bad-input contract. Skipped
# (passes) when ionkmc was built without libtorch.
source "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
MODEL=$SRC/examples/mlff_standin/model.pth
MA=$SRC/examples/mlff_standin/model_ma.pth

if "$BIN" mlff eval --model "$MODEL" --structure "$SRC/tests/data/mlff/cubic2_vac.xyz" 2>&1 | grep -q "without libtorch"; then
  echo "built without libtorch: skipped"; exit 0
fi
num() { grep "\"$2\": [-0-9]" "$1" | head -1 | sed 's/.*: *//; s/,//'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# the builder's V_I+ cell is the built-in one: one barrier
"$BIN" neb --model "$MODEL" --defect V_I+ --json "$TMP/v0.json" >/dev/null &&
  "$BIN" neb --model "$MODEL" --defect V_I+ --a-site Cs --json "$TMP/v1.json" >/dev/null
check "neb V_I+ with and without --a-site Cs exits 0" $?
near "$(num "$TMP/v0.json" Ef_eV)" "$(num "$TMP/v1.json" Ef_eV)" 1e-4
rc=$?; check "V_I+: built-in and structure-builder cells give one Ef ($(num "$TMP/v0.json" Ef_eV) $(num "$TMP/v1.json" Ef_eV) eV)" $rc

# the A-site interstitial, which only the builder makes (point cations: split along z)
"$BIN" neb --model "$MODEL" --defect I_MA+ --a-site Cs --json "$TMP/ima.json" >/dev/null
check "neb I_MA+ --a-site Cs exits 0" $?
grep -q '"converged": true' "$TMP/ima.json" && grep -q '"climbing_image": [1-5]' "$TMP/ima.json"
rc=$?; check "I_MA+: converged, interior climbing image (Ef $(num "$TMP/ima.json" Ef_eV) eV)" $rc
near "$(num "$TMP/ima.json" dE_eV)" 0 1e-3; check "I_MA+ hop between equivalent cages: dE = 0" $?

# whole MA molecules with the MA stand-in (loose tolerances keep it short)
LOOSE="--relax-ftol 0.03 --ftol 0.03 --images 5"
"$BIN" neb --model "$MA" --defect V_MA0 --a-site MA --ma-axis z $LOOSE --json "$TMP/vma.json" >/dev/null
check "neb V_MA0 in an MA cell exits 0" $?
grep -q '"converged": true' "$TMP/vma.json" && grep -q '"climbing_image": [1-3]' "$TMP/vma.json"
rc=$?; check "V_MA0 (a whole molecule hops): converged, interior climbing image (Ef $(num "$TMP/vma.json" Ef_eV) eV)" $rc

# seeded MA orientations: each environment its own builder seed (random C-N axes)
"$BIN" neb --model "$MA" --defect V_I+ --a-site MA --environments 2 --env-sigma 0 $LOOSE --nu 1e12 \
  --catalog "$TMP/catMA.json" --table "$TMP/ma.csv" --json "$TMP/ma.json" >/dev/null
check "neb --environments 2 with MA orientations exits 0" $?
grep -q '"sampling": "the structure builder' "$TMP/ma.json"; check "JSON names the sampling" $?
awk -F, '!/^#/ && NR > 3 { n++; if ($18 != 2 || $17 < 0 || $17 > 2) bad = 1; e[n] = $19 }
  END { exit !(n == 2 && !bad && e[1] != e[2]) }' "$TMP/ma.csv"
rc=$?; check "descriptor rows: two cages, 0 <= cos2 <= 2, Eb differs between orientations ($(grep -v '^#' "$TMP/ma.csv" | tail -2 | cut -d, -f17,19 | tr '\n' ' '))" $rc
seeds=$(grep -o '"builder_seed": [0-9]*' "$TMP/ma.json" | sed 's/.*: //' | sort -u | wc -l)
[ "$seeds" -eq 2 ]; check "each environment has a builder seed of its own" $?
# C-N axes all along z, the hop in the xy plane: cos^2 = 0 for both cages
"$BIN" neb --model "$MA" --defect V_I+ --a-site MA --ma-axis z --environments 1 --env-sigma 0 $LOOSE \
  --table "$TMP/maz.csv" >/dev/null
awk -F, '!/^#/ && NR > 3 { ok = ($17 == 0 && $18 == 2) } END { exit !ok }' "$TMP/maz.csv"
check "--ma-axis z: cos2 = 0 over two cages" $?
grep -q '"provider": "sampled"' "$TMP/catMA.json" &&
  "$BIN" run --catalog "$TMP/catMA.json" --defect V_I+ --T 400 --size 4 --runs 2 --hops 1000 --quiet >/dev/null
check "the MA-orientation entry is one that run reads" $?

# MD snapshots of the defect-free Cs cell: frames of the perfect lattice give the
# builder's own barrier; displaced frames (a LAMMPS dump) give their own
"$BIN" structure --a-site Cs --size 2 --a 6.37 --format extxyz --out "$TMP/perfect.xyz" --json "$TMP/s.json"
check "structure writes the defect-free cell" $?
awk -v nf=3 '{ l[NR] = $0 } END { for (f = 0; f < nf; f++) { print l[1]; c = l[2]; sub(/Time=[0-9.]+/, "Time=" f, c);
  print c; for (i = 3; i <= NR; i++) print l[i] } }' "$TMP/perfect.xyz" >"$TMP/still.xyz"
"$BIN" neb --model "$MODEL" --defect V_I+ --a-site Cs --environments 1 --env-snapshots "$TMP/still.xyz" \
  --json "$TMP/still.json" >/dev/null
check "neb --env-snapshots (extxyz) exits 0" $?
"$BIN" neb --model "$MODEL" --defect V_I+ --a-site Cs --environments 1 --env-sigma 0 --json "$TMP/nodis.json" >/dev/null
near "$(num "$TMP/still.json" Ef_eV)" "$(num "$TMP/nodis.json" Ef_eV)" 1e-6
rc=$?; check "a snapshot of the perfect lattice gives the builder's barrier ($(num "$TMP/still.json" Ef_eV) $(num "$TMP/nodis.json" Ef_eV) eV)" $rc
# a LAMMPS dump (types as structure's type map): 4 frames, each atom displaced (fixed pseudo-random)
awk -v nf=4 'NR > 2 { n++; el[n] = $1; x[n] = $2; y[n] = $3; z[n] = $4 }
  END { t["Pb"] = 1; t["I"] = 2; t["Cs"] = 3; s = 12345;
    for (f = 0; f < nf; f++) { printf "ITEM: TIMESTEP\n%d\nITEM: NUMBER OF ATOMS\n%d\nITEM: BOX BOUNDS pp pp pp\n", 100 * f, n;
      for (k = 0; k < 3; k++) print "0 12.74"; print "ITEM: ATOMS id type x y z";
      for (i = 1; i <= n; i++) { for (k = 0; k < 3; k++) { s = (s * 1103515245 + 12345) % 2147483648; d[k] = 0.2 * (s / 2147483648 - 0.5) }
        printf "%d %d %.6f %.6f %.6f\n", i, t[el[i]], x[i] + d[0], y[i] + d[1], z[i] + d[2] } } }' "$TMP/perfect.xyz" >"$TMP/md.dump"
"$BIN" neb --model "$MODEL" --defect V_I+ --a-site Cs --environments 2 --env-snapshots "$TMP/md.dump" --nu 1e12 \
  --catalog "$TMP/catS.json" --json "$TMP/snap.json" >/dev/null
check "neb --env-snapshots (LAMMPS dump) exits 0" $?
frames=$(grep '"snapshot_frame"' "$TMP/snap.json" | sed 's/.*: *//; s/,//' | tr '\n' ' ')
[ "$frames" = "1 3 " ]; check "two evenly spaced frames of four: 1 and 3 (got $frames)" $?
vals=$(tr -d ' \n' <"$TMP/snap.json" | grep -o '"Eb_values_eV":\[[^]]*\]' | sed 's/.*\[//; s/\]//')
awk -v l="$vals" -v b="$(num "$TMP/nodis.json" Ef_eV)" 'BEGIN { n = split(l, E, ","); exit !(n == 2 && E[1] != E[2] && E[1] != b) }'
check "the displaced frames give barriers of their own ($vals)" $?
grep -q '"provider": "sampled"' "$TMP/catS.json"; check "snapshot environments write a sampled entry" $?
# neighbouring defects on a snapshot: 6 extra X vacancies, counted in the first shells
"$BIN" neb --model "$MODEL" --defect V_I+ --a-site Cs --environments 1 --env-snapshots "$TMP/md.dump" \
  --env-vacancies 6 --table "$TMP/vac.csv" --json "$TMP/vac.json" >/dev/null
check "neb --env-snapshots --env-vacancies 6 exits 0" $?
nb=$(grep -o '"init_V_I_neighbours": [0-9]*' "$TMP/vac.json" | sed 's/.*: //')
awk -F, -v nb="$nb" '!/^#/ && NR > 3 { ok = ($5 == nb) } END { exit !ok }' "$TMP/vac.csv" && grep -q '"extra_vacancies": 6' "$TMP/vac.json"
check "extra vacancies: JSON and table agree on the initial shell's V_I count ($nb)" $?

# neighbouring defects of other kinds: two A vacancies and an I interstitial per environment
"$BIN" neb --model "$MODEL" --defect V_I+ --a-site Cs --environments 1 --env-defects V_MA0:2,I_I- \
  --json "$TMP/xd.json" >/dev/null
check "neb --env-defects V_MA0:2,I_I- exits 0" $?
[ "$(tr -d ' \n' <"$TMP/xd.json" | grep -o '"extra_defects":\[[^]]*\]')" = '"extra_defects":["V_MA0","V_MA0","I_I-"]' ]
check "the JSON lists the extra defects" $?

M="--model $MODEL"
expect_bad "--env-defects: unknown defect 'X_Y'" neb $M --defect V_I+ --a-site Cs --environments 1 --env-defects X_Y
expect_bad "--defect I_MA+: the built-in point-cation cells have no A-site interstitial; give --a-site" \
  neb $M --defect I_MA+ --json "$TMP/out.json"
expect_bad "element 'C' is not among the model's type_names 'Cs Pb I'" neb $M --defect V_I+ --a-site MA --json "$TMP/out.json"
expect_bad "--ma-axis, --seed, --env-snapshots and --env-defects need --a-site" neb $M --defect V_I+ --environments 2 \
  --env-snapshots "$TMP/md.dump"
expect_bad "--env-snapshots needs --environments N" neb $M --defect V_I+ --a-site Cs --env-snapshots "$TMP/md.dump"
expect_bad "4 frames, fewer than the 5 environments" neb $M --defect V_I+ --a-site Cs --environments 5 \
  --env-snapshots "$TMP/md.dump" --json "$TMP/out.json"
expect_bad "snapshot frame 0: 39 atoms, but the defect-free cell" neb $M --defect V_I+ --a-site Cs --environments 1 \
  --env-snapshots "$SRC/tests/data/mlff/cubic2_vac.xyz" --json "$TMP/out.json"
expect_bad "a-site 'Xe': unknown species" neb $M --defect V_I+ --a-site Xe --json "$TMP/out.json"

echo "cli_neb_struct: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
