#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the small LAMMPS dumps under tests/data/ with the real `lmp`
# (Debian package lammps): a 2x2x2 cubic perovskite-like cell of Pb, I, C and
# N atoms (C and N 1.47 A apart at the cage centre) with a Lennard-Jones
# potential, a short NVT run at 50 K, and three dumps:
#   lammps_ortho.dump    orthogonal box, "id type x y z ix iy iz"
#   lammps_unwrap.dump   orthogonal box, "id type xu yu zu", sorted ids
#   lammps_tri.dump      triclinic box (small xy tilt), "id type xs ys zs ix iy iz"
# Usage: scripts/make-lammps-fixture.sh [outdir]   (default tests/data)
set -euo pipefail
out=${1:-$(dirname "$0")/../tests/data}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
a=6.36
L=2
cell() { # tilt xy (0 for an orthogonal box)
awk -v a=$a -v L=$L -v xy="$1" 'BEGIN {
  n = 0
  for (i = 0; i < L; i++) for (j = 0; j < L; j++) for (k = 0; k < L; k++) {
    x = i * a; y = j * a; z = k * a
    line[++n] = sprintf("1 %.4f %.4f %.4f", x, y, z)
    line[++n] = sprintf("2 %.4f %.4f %.4f", x + a / 2, y, z)
    line[++n] = sprintf("2 %.4f %.4f %.4f", x, y + a / 2, z)
    line[++n] = sprintf("2 %.4f %.4f %.4f", x, y, z + a / 2)
    line[++n] = sprintf("3 %.4f %.4f %.4f", x + a / 2 - 0.735, y + a / 2, z + a / 2)
    line[++n] = sprintf("4 %.4f %.4f %.4f", x + a / 2 + 0.735, y + a / 2, z + a / 2)
  }
  print "perovskite-like test cell\n"
  printf "%d atoms\n4 atom types\n\n", n
  printf "0 %.4f xlo xhi\n0 %.4f ylo yhi\n0 %.4f zlo zhi\n", L * a, L * a, L * a
  if (xy != 0) printf "%s 0 0 xy xz yz\n", xy
  print ""
  print "Masses\n\n1 207.2\n2 126.9\n3 12.011\n4 14.007\n\nAtoms # atomic\n"
  for (m = 1; m <= n; m++) printf "%d %s\n", m, line[m]
}'
}
cell 0 >"$work/ortho.data"
cell 0.2 >"$work/tri.data"
run() { # data file, then dump lines
  local data=$1; shift
  {
    cat <<IN
units metal
atom_style atomic
boundary p p p
read_data $data
pair_style lj/cut 5.0
pair_coeff * * 0.002 2.0
pair_coeff 3 4 0.002 1.2
velocity all create 50.0 4242 dist gaussian
fix 1 all nvt temp 50.0 50.0 0.1
timestep 0.001
IN
    printf '%s\n' "$@"
    echo "run 200"
  } >"$work/in.fixture"
  (cd "$work" && lmp -in in.fixture -log none -screen none)
}
run ortho.data "dump d1 all custom 50 lammps_ortho.dump id type x y z ix iy iz" \
  "dump d2 all custom 50 lammps_unwrap.dump id type xu yu zu" "dump_modify d2 sort id"
run tri.data "dump d3 all custom 50 lammps_tri.dump id type xs ys zs ix iy iz"
for f in lammps_ortho.dump lammps_unwrap.dump lammps_tri.dump; do cp "$work/$f" "$out/$f"; done
echo "wrote $out/lammps_{ortho,unwrap,tri}.dump"
