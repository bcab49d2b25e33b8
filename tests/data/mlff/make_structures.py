#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the CsPbI3 test structures of tests/test_mlff_lammps.c and
tests/cli_mlff.sh: the same cell as LAMMPS data (atom_style charge, the
stand-in's charges), extxyz and POSCAR.

  cubic2_vac: 2x2x2 cubic cells, a = 6.4 A, one I removed, atoms moved
              by up to 0.2 A (fixed seed);
  skew3_vac:  3x3x3 cells sheared (xy = 1.1, xz = -0.8, yz = 0.6 A), one I
              removed, atoms moved by up to 0.15 A.
Run: /usr/bin/python3 make_structures.py   (numpy only)
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PARAMS = json.load(open(os.path.join(HERE, "..", "..", "..", "examples", "mlff_standin", "params.json")))
MASS = {"Cs": 132.905, "Pb": 207.2, "I": 126.904}
TYPES = ["Cs", "Pb", "I"]


def build(L, a, vac, jitter, tilt, seed):
    basis = [("Cs", (0.5, 0.5, 0.5)), ("Pb", (0, 0, 0)), ("I", (0.5, 0, 0)),
             ("I", (0, 0.5, 0)), ("I", (0, 0, 0.5))]
    rng = np.random.default_rng(seed)
    cell = np.diag([L * a] * 3).astype(float)
    cell[1, 0], cell[2, 0], cell[2, 1] = tilt
    el, frac = [], []
    iodine = 0
    for x in range(L):
        for y in range(L):
            for z in range(L):
                for e, f in basis:
                    if e == "I":
                        iodine += 1
                        if iodine - 1 == vac:
                            continue
                    el.append(e)
                    frac.append([(x + f[0]) / L, (y + f[1]) / L, (z + f[2]) / L])
    pos = np.array(frac) @ cell + rng.uniform(-jitter, jitter, (len(el), 3))
    return el, pos, cell


def write(name, el, pos, cell):
    q = PARAMS["charges_e"]
    with open(os.path.join(HERE, name + ".data"), "w") as f:
        f.write("CsPbI3 test cell %s (atom_style charge)\n\n%d atoms\n3 atom types\n\n" % (name, len(el)))
        f.write("0 %.10f xlo xhi\n0 %.10f ylo yhi\n0 %.10f zlo zhi\n" % (cell[0, 0], cell[1, 1], cell[2, 2]))
        if np.any(cell[1:, :2] != 0):
            f.write("%.10f %.10f %.10f xy xz yz\n" % (cell[1, 0], cell[2, 0], cell[2, 1]))
        f.write("\nMasses\n\n")
        for t, e in enumerate(TYPES):
            f.write("%d %g # %s\n" % (t + 1, MASS[e], e))
        f.write("\nAtoms # charge\n\n")
        for i, (e, p) in enumerate(zip(el, pos)):
            f.write("%d %d %g %.10f %.10f %.10f\n" % (i + 1, TYPES.index(e) + 1, q[e], *p))
    with open(os.path.join(HERE, name + ".xyz"), "w") as f:
        f.write("%d\nLattice=\"%s\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n" %
                (len(el), " ".join("%.10f" % v for v in cell.ravel())))
        for e, p in zip(el, pos):
            f.write("%s %.10f %.10f %.10f\n" % (e, *p))
    with open(os.path.join(HERE, name + ".vasp"), "w") as f:
        f.write("%s\n1.0\n" % name)
        for r in cell:
            f.write("  %.10f %.10f %.10f\n" % tuple(r))
        order = [e for e in TYPES if e in el]
        f.write(" " + " ".join(order) + "\n " + " ".join(str(el.count(e)) for e in order) + "\nDirect\n")
        inv = np.linalg.inv(cell)
        for e in order:
            for ee, p in zip(el, pos):
                if ee == e:
                    f.write("  %.12f %.12f %.12f\n" % tuple(p @ inv))


write("cubic2_vac", *build(2, 6.4, 5, 0.2, (0, 0, 0), 11))
write("skew3_vac", *build(3, 6.35, 40, 0.15, (1.1, -0.8, 0.6), 12))
