#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc structure and md-input: outputs and the bad-input contract.
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:-$(dirname "$0")/..}
FF="$SRC/examples/forcefields/cspbi3_standin.lmp"

# structure: every format, the type map beside it, the summary.
for f in lammps lammps-full extxyz poscar; do
  "$BIN" structure --defect V_I+@0,I_MA+ --size 3 --T 550 --format $f --out "$TMP/s.$f" --json "$TMP/s.$f.json"
  check "structure --format $f" $?
  [ -s "$TMP/s.$f" ] && [ -s "$TMP/s.$f.types.json" ]
  check "structure --format $f wrote the file and its type map" $?
done
grep -q '"typemap": "1=Pb,2=I,3=C,4=N,5=H"' "$TMP/s.lammps.types.json"
check "type map" $?
grep -q '"net_charge": 2' "$TMP/s.lammps.json"
check "net charge of V_I+ and I_MA+ is +2" $?
# 27 Pb, 80 I, 28 MA molecules = 28 C, 28 N, 168 H (POSCAR counts line, type order).
[ "$(sed -n 7p "$TMP/s.poscar" | tr -s ' ')" = " 27 80 28 28 168" ]
check "POSCAR counts" $?
grep -q 'Lattice="19.0965 0 0 0 19.0965' "$TMP/s.extxyz"
check "extxyz lattice at a(550 K) = 6.3655 A" $?
"$BIN" structure --a-site Cs --x-site Br --size 2 --a 5.9 --format poscar --out "$TMP/cspbbr3" >/dev/null
check "CsPbBr3" $?
[ "$(sed -n 6p "$TMP/cspbbr3" | tr -s ' ')" = " Pb Br Cs" ]
check "CsPbBr3 species" $?
# FAPbI3-like: formamidinium as one point particle on the A site, with an I
# vacancy the builder's site check (calibrate's own assignment) finds.
"$BIN" structure --a-site FA --defect V_I+ --size 3 --a 6.36 --format extxyz --out "$TMP/fa.xyz" >"$TMP/fa.json"
check "FAPbI3-like cell with V_I" $?
jq -e '.atoms.FA == 27 and .atoms.I == 80 and .net_charge == 1 and .defects[0].defect == "V_I+"' "$TMP/fa.json" >/dev/null &&
  [ "$(grep -c '^FA ' "$TMP/fa.xyz")" -eq 27 ]
check "FA cell: 27 FA, 80 I, charge +1, the vacancy found" $?
expect_bad "FA is a point particle" structure --a-site FA --size 2 --a 6.36 --format poscar --out "$TMP/out.poscar"

expect_bad "--format: expected lammps" structure --size 2 --a 6.3 --format xyz --out "$TMP/out.x"
expect_bad "--T / --a: expected exactly one" structure --size 2 --a 6.3 --T 500 --format lammps --out "$TMP/out.x"
expect_bad "unknown defect 'V_X'" structure --defect V_X --size 2 --a 6.3 --format lammps --out "$TMP/out.x"
expect_bad "site 99 out of range" structure --defect V_I+@99 --size 2 --a 6.3 --format lammps --out "$TMP/out.x"
expect_bad "unknown species 'Xe'" structure --a-site Xe --size 2 --a 6.3 --format lammps --out "$TMP/out.x"
expect_bad "--a: expected a lattice constant" structure --size 2 --a 60 --format lammps --out "$TMP/out.x"
expect_bad "--ma-axis: expected random, x, y or z" structure --ma-axis w --size 2 --a 6.3 --format lammps --out "$TMP/out.x"

# md-input: the campaign's files, and nothing touched on bad input.
"$BIN" md-input --defect V_I+ --ff "$FF" --a-site Cs --size 2 --out "$TMP/camp" >/dev/null
check "md-input, the paper's protocol" $?
n=$(grep -c '"name": "T' "$TMP/camp/campaign.json")
[ "$n" -eq 27 ]
check "5 T x 3 runs + 2 ends x 2 strains x 3 runs = 27 runs (got $n)" $?
grep -q 'fix eq_lang all langevin 500 500 0.33' "$TMP/camp/runs/T500_r0/in.lammps" &&
  grep -q 'fix prod all nvt temp 500 500 0.1' "$TMP/camp/runs/T500_r0/in.lammps" &&
  grep -q '^run 2000000$' "$TMP/camp/runs/T500_r0/in.lammps" &&
  grep -q 'dump traj all custom/gz 100 traj.dump.gz id type element xu yu zu' "$TMP/camp/runs/T500_r0/in.lammps"
check "protocol: Langevin 0.33 ps, Nose-Hoover 0.1 ps, 2 ns, frames every 0.1 ps" $?
grep -q -- '--md 600:runs/T600_a+1pct_r2/traj.dump.gz' "$TMP/camp/calibrate.sh" && grep -q 'FIT=${FIT---fit-a}' "$TMP/camp/calibrate.sh"
check "calibrate.sh reads the strained runs, --fit-a" $?
grep -q "xlo xhi" "$TMP/camp/runs/T600_a-1pct_r0/structure.data" &&
  awk '/xlo xhi/ {exit !(($2 / 2 - 6.377 * 0.99)^2 < 1e-12)}' "$TMP/camp/runs/T600_a-1pct_r0/structure.data"
check "strained cell at a(600 K)(1 - 0.01)" $?
"$BIN" md-input --defect I_I- --ff "$FF" --a-site Cs --size 2 --T 550 --runs 2 --strain 0 --sizing npt --npt-ps 20 \
  --out "$TMP/npt" >/dev/null
grep -q '^fix size_nph all nph iso 0.0 0.0 1.0' "$TMP/npt/runs/T550_r1/in.lammps" &&
  grep -q '^run 20000$' "$TMP/npt/runs/T550_r1/in.lammps" && grep -q '^change_box all x final' "$TMP/npt/runs/T550_r1/in.lammps" &&
  [ "$(grep -c '"name": "T' "$TMP/npt/campaign.json")" -eq 2 ] && [ ! -e "$TMP/npt/runs/T550_a+1pct_r0" ]
check "--sizing npt: an NpT run sizes each cell first; --strain 0: no strained runs" $?
mkdir -p "$TMP/full" && echo keep >"$TMP/full/mine.txt"
expect_bad "exists and is not empty" md-input --defect V_I+ --ff "$FF" --a-site Cs --size 2 --out "$TMP/full"
[ "$(ls "$TMP/full")" = "mine.txt" ] && [ -z "$(ls -d "$TMP"/full.tmp.* 2>/dev/null)" ]
check "a non-empty directory is left as it was" $?
expect_bad "--ff / --pair: expected exactly one" md-input --defect V_I+ --out "$TMP/out.d"
expect_bad "--dump-every" md-input --defect V_I+ --ff "$FF" --dump-every 0.2 --out "$TMP/out.d"
expect_bad "--model: expected the deployed allegro model" md-input --defect V_I+ --pair allegro --out "$TMP/out.d"
expect_bad "--defect: expected one defect" md-input --defect V_I+,I_I- --ff "$FF" --out "$TMP/out.d"
expect_bad "--strain: expected a strain >= 0 and < 0.2" md-input --defect V_I+ --ff "$FF" --strain 0.5 --out "$TMP/out.d"
[ ! -e "$TMP/out.d" ]
check "no campaign directory left after bad input" $?

echo "cli_structure: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
