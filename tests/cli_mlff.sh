#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc mlff eval: JSON keys, the three structure formats agree, and the
# bad-input contract. Skipped (passes) when ionkmc was built without libtorch.
source "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
MODEL=$SRC/examples/mlff_standin/model.pth
D=$SRC/tests/data/mlff

"$BIN" mlff --help >/dev/null; check "mlff --help exits 0" $?
if "$BIN" mlff eval --model "$MODEL" --structure "$D/cubic2_vac.xyz" 2>&1 | grep -q "without libtorch"; then
  echo "built without libtorch: skipped"; exit 0
fi

energy() { grep '"energy_eV"' "$1" | sed 's/.*: *//; s/,//'; }
for f in cubic2_vac.data cubic2_vac.xyz cubic2_vac.vasp; do
  "$BIN" mlff eval --model "$MODEL" --structure "$D/$f" --json "$TMP/out.$f.json"
  check "mlff eval $f exits 0" $?
done
e1=$(energy "$TMP/out.cubic2_vac.data.json"); e2=$(energy "$TMP/out.cubic2_vac.xyz.json")
e3=$(energy "$TMP/out.cubic2_vac.vasp.json")
awk -v a="$e1" -v b="$e2" -v c="$e3" 'BEGIN { d1 = a - b; d2 = a - c; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2;
  exit !(d1 < 1e-8 && d2 < 1e-8 && a < -70 && a > -75) }'
check "LAMMPS data, extxyz and POSCAR give one energy ($e1 $e2 $e3)" $?
for key in energy_eV energy_per_atom_eV forces_eV_per_A stress_GPa pressure_GPa type_names; do
  grep -q "\"$key\"" "$TMP/out.cubic2_vac.xyz.json"; check "JSON has $key" $?
done
# forces: 39 rows of 3
rows=$(tr -d ' \n' <"$TMP/out.cubic2_vac.xyz.json" | grep -o '"forces_eV_per_A":\[\(\[[^]]*\],\?\)*\]' | grep -o '\[[^][]*\]' | wc -l)
[ "$rows" -eq 39 ]; check "39 force rows ($rows)" $?

# bad input: one line, exit 2, no output file
printf '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nCs 0 0 0\nXe 1 1 1\n' >"$TMP/xe.xyz"
expect_bad "element 'Xe' is not among the model's type_names 'Cs Pb I'" mlff eval --model "$MODEL" --structure "$TMP/xe.xyz" --json "$TMP/out.json"
expect_bad "cannot open" mlff eval --model "$TMP/nope.pth" --structure "$D/cubic2_vac.xyz" --json "$TMP/out.json"
expect_bad "nequip_version" mlff eval --model "$D/no_nequip.pth" --structure "$D/cubic2_vac.xyz" --json "$TMP/out.json"
expect_bad "deployed with torch 9.1.0" mlff eval --model "$D/too_new.pth" --structure "$D/cubic2_vac.xyz" --json "$TMP/out.json"
printf '2\nProperties=species:S:1:pos:R:3\nCs 0 0 0\nI 1 1 1\n' >"$TMP/nolat.xyz"
expect_bad "nolat.xyz: line 2: expected Lattice=" mlff eval --model "$MODEL" --structure "$TMP/nolat.xyz" --json "$TMP/out.json"
expect_bad "--format: expected auto" mlff eval --model "$MODEL" --structure "$D/cubic2_vac.xyz" --format cif --json "$TMP/out.json"
expect_bad "--device 'tpu': not a torch device" mlff eval --model "$MODEL" --structure "$D/cubic2_vac.xyz" --device tpu --json "$TMP/out.json"
# Debian's libtorch has no CUDA: --device cuda is refused with the way out named
if ! "$BIN" mlff eval --model "$MODEL" --structure "$D/cubic2_vac.xyz" --device cuda >/dev/null 2>&1; then
  expect_bad "--device cuda: this libtorch has no CUDA" mlff eval --model "$MODEL" --structure "$D/cubic2_vac.xyz" --device cuda --json "$TMP/out.json"
fi
# thin cells: a periodic cell thinner than r_max (10 A) is exact through the
# neighbour list's images (the 1^3 cell's energy per atom is the 2^3 cell's);
# only a direction marked non-periodic without r_max of vacuum is refused
gen() { awk -v L=$1 -v a=$2 -v pbc="$3" -v c="$4" 'BEGIN { n = 5*L*L*L; if (c == "") c = L*a;
  printf "%d\nLattice=\"%g 0 0 0 %g 0 0 0 %g\" Properties=species:S:1:pos:R:3 pbc=\"%s\"\n", n, L*a, L*a, c, pbc;
  split("Cs Pb I I I", E, " "); split("0.5 0 0.5 0 0", X, " "); split("0.5 0 0 0.5 0", Y, " "); split("0.5 0 0 0 0.5", Z, " ");
  for (x = 0; x < L; x++) for (y = 0; y < L; y++) for (z = 0; z < L; z++) for (b = 1; b <= 5; b++)
    printf "%s %.8f %.8f %.8f\n", E[b], (x+X[b])*a, (y+Y[b])*a, (z+Z[b])*a }'; }
gen 1 6.37 "T T T" >"$TMP/c1.xyz"; gen 2 6.37 "T T T" >"$TMP/c2.xyz"
"$BIN" mlff eval --model "$MODEL" --structure "$TMP/c1.xyz" --json "$TMP/c1.json" &&
  "$BIN" mlff eval --model "$MODEL" --structure "$TMP/c2.xyz" --json "$TMP/c2.json"
check "mlff eval of a 6.37 A periodic cell (thinner than r_max) exits 0" $?
epa() { grep '"energy_per_atom_eV"' "$1" | sed 's/.*: *//; s/,//'; }
awk -v a="$(epa "$TMP/c1.json")" -v b="$(epa "$TMP/c2.json")" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-9 && a < -1) }'
rc=$?; check "1^3 and 2^3 cells: one energy per atom ($(epa "$TMP/c1.json") $(epa "$TMP/c2.json"))" $rc
gen 2 6.37 "T T F" >"$TMP/slab.xyz"
expect_bad "cell vector 3 is not periodic (pbc F) but the cell is 12.74 A wide there, less than the atoms' extent 9.555 A + r_max 10 A" \
  mlff eval --model "$MODEL" --structure "$TMP/slab.xyz" --json "$TMP/out.json"
gen 2 6.37 "T T F" 40 >"$TMP/slab40.xyz"
"$BIN" mlff eval --model "$MODEL" --structure "$TMP/slab40.xyz" --json "$TMP/slab40.json"
check "a non-periodic direction with r_max of vacuum is evaluated" $?
expect_bad "--structure FILE is required" mlff eval --model "$MODEL"
expect_bad "unknown action 'run'" mlff run

echo "cli_mlff: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
