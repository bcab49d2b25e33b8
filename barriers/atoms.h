/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: atomistic structures for interatomic potentials, and
 * their readers and writers.
 *
 * Conventions
 *   Units: lengths in angstrom, energies in eV, forces in eV/angstrom,
 *   masses in g/mol (amu).
 *   Cell: three row vectors cell[0..2] (any triclinic cell with positive
 *   volume), periodic in all three directions unless open[k] says the file
 *   marks direction k non-periodic. Positions are Cartesian, in
 *   the file's atom order, not wrapped (a potential wraps them itself).
 *   Elements: chemical symbols as in the file ("Cs", "Pb", "I"); a LAMMPS data
 *   file gives them through the comment after each Masses line ("1 207.2 #
 *   Pb"), else through the mass (the nearest element of the table below
 *   within 0.5 g/mol).
 *   Formats:
 *     extxyz: count line, comment line with Lattice="ax ay az bx by bz cx cy
 *       cz" and Properties= holding species:S:1 and pos:R:3 (other columns
 *       skipped), optional pbc="T T F" (open[]); the first frame is read.
 *     LAMMPS data: header lines "N atoms", "M atom types", "xlo xhi", "ylo
 *       yhi", "zlo zhi", optional "xy xz yz"; sections Masses and Atoms
 *       (styles atomic "id type x y z", charge "id type q x y z", full "id mol
 *       type q x y z", from the "# style" comment after "Atoms", else from the
 *       column count: 5 or 8 atomic, 7 or 10 full); atoms sorted by id.
 *     POSCAR (VASP 5): title, scale, three lattice rows, element names,
 *       counts, optional "Selective dynamics", Direct or Cartesian, positions.
 *   Errors name the file and the line and say what was expected.
 * Ownership: _alloc / _read return an object the caller frees with
 *   ionkmc_atoms_free; all arrays in it belong to it.
 */
#ifndef IONKMC_ATOMS_H
#define IONKMC_ATOMS_H

#include <stdio.h>

#include "base/status.h"

#define IONKMC_ATOMS_SYMLEN 4

typedef struct {
  int n;
  double cell[3][3];                 /* row vectors, angstrom */
  double *x;                         /* [n][3], angstrom */
  char (*el)[IONKMC_ATOMS_SYMLEN];   /* [n] element symbols */
  unsigned char open[3];             /* 1: not periodic along cell[k] (extxyz pbc="T T F");
                                        0 (the default): periodic */
} ionkmc_atoms;

typedef enum {
  IONKMC_ATOMS_AUTO = 0,  /* from the name: *.xyz / *.extxyz, *.data / *.lmp, POSCAR / CONTCAR / *.vasp */
  IONKMC_ATOMS_EXTXYZ = 1,
  IONKMC_ATOMS_LAMMPS = 2,
  IONKMC_ATOMS_POSCAR = 3
} ionkmc_atoms_format;

/* n atoms, zero positions, empty symbols, zero cell. NULL if out of memory. */
ionkmc_atoms *ionkmc_atoms_alloc(int n);
/* A deep copy (NULL if out of memory). */
ionkmc_atoms *ionkmc_atoms_copy(const ionkmc_atoms *a);
/* Free; NULL is a no-op. */
void ionkmc_atoms_free(ionkmc_atoms *a);

/* Parse "auto", "extxyz", "lammps", "poscar". IONKMC_EINVAL otherwise. */
ionkmc_status ionkmc_atoms_format_parse(const char *name, ionkmc_atoms_format *fmt);
/* Read a structure from path. NULL with err set (IONKMC_EIO, IONKMC_EPARSE
 * naming the file and line, IONKMC_ENOMEM). Caller frees. */
ionkmc_atoms *ionkmc_atoms_read(const char *path, ionkmc_atoms_format fmt, ionkmc_error *err);
/* Write a as one extxyz frame into fp (borrowed): energy= when energy is
 * finite, forces:R:3 when forces [n][3] is not NULL, and the text extra
 * (key=value pairs, may be NULL) on the comment line. IONKMC_EIO on failure. */
ionkmc_status ionkmc_atoms_write_extxyz(FILE *fp, const ionkmc_atoms *a, double energy,
                                        const double *forces, const char *extra, ionkmc_error *err);

/* The mass (g/mol) of an element symbol, 0 if the table does not know it
 * (H C N O F Na Cl K Br Rb Sn I Cs Pb among others). */
double ionkmc_element_mass_of(const char *symbol);

/* Cell algebra: the inverse of the row-vector cell (inv such that fractional
 * s = x inv), its volume (angstrom^3, signed), and the three perpendicular
 * widths h_k = V / |a_l x a_m| (angstrom). Returns the volume; 0 for a
 * singular cell (inv untouched). */
double ionkmc_cell_inverse(const double cell[3][3], double inv[3][3], double width[3]);
/* Minimum-image difference d = x2 - x1 (angstrom) in the cell (inv from
 * ionkmc_cell_inverse): fractional components reduced to [-1/2, 1/2). */
void ionkmc_cell_min_image(const double cell[3][3], const double inv[3][3], const double x1[3],
                           const double x2[3], double d[3]);

#endif
