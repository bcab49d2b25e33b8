#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Barriers of one V_I hop on snapshots of an MD run: LAMMPS NVT MD of the
# defect-free 2^3 CsPbI3 cell that `ionkmc structure` writes, with the
# stand-in's potential (born/coul/dsf, the parameters of params.json), then
# `ionkmc neb --environments N --env-snapshots` on its dump.
# usage: md_snapshots.sh IONKMC OUTDIR [T_K] [N] [STEPS]
set -e
BIN=${1:?usage: md_snapshots.sh IONKMC OUTDIR [T_K] [N] [STEPS]}; OUT=${2:?}; T=${3:-300}; N=${4:-8}; STEPS=${5:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"; cd "$OUT"
"$BIN" structure --a-site Cs --size 2 --a 6.37 --format lammps-full --out cell.data --json structure.json >/dev/null
# types of the builder: 1 Pb, 2 I, 3 Cs (cell.data.types.json)
cat >md.in <<IN
units metal
atom_style full
boundary p p p
read_data cell.data
set type 1 charge 1.03
set type 2 charge -0.63
set type 3 charge 0.86
pair_style born/coul/dsf 0.2 10.0
pair_coeff * * 0.0 1.0 0.0 0.0 0.0
pair_coeff 1 2 700.0 0.35 0.0 0.0 0.0
pair_coeff 2 3 5000.0 0.36 0.0 0.0 0.0
pair_coeff 2 2 5500.0 0.37 0.0 100.0 0.0
pair_modify shift yes
velocity all create $T 4928459 mom yes rot yes
fix 1 all nvt temp $T $T 0.1
timestep 0.002
thermo 1000
run 2000
dump 1 all custom $((STEPS / N)) md.dump id type x y z
dump_modify 1 sort id
run $STEPS
IN
lmp -in md.in -log md.log -screen none
"$BIN" neb --model "$HERE/model.pth" --defect V_I+ --a-site Cs --environments "$N" --env-snapshots md.dump \
  --nu 1e12 --catalog catalog.json --table rows.csv --json neb.json
