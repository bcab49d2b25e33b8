/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: atomistic ABX3 supercells with defects, for MD and NEB.
 *
 * Conventions
 *   Units: lengths in angstrom, masses in g/mol, charges in e.
 *   Cell: cubic, L x L x L cells of edge a, cell row vectors (L a) e_x, ...,
 *   origin at 0. Sites are those of lattice/lattice.h: B at (0,0,0), X at
 *   (1/2,0,0), (0,1/2,0), (0,0,1/2), A at (1/2,1/2,1/2) in units of a, site
 *   indices per sublattice as there.
 *   Species per site: A is MA (a full CH3NH3 molecule: C-N 1.47 A, C-H 1.09 A,
 *   N-H 1.03 A, H-C-N and C-N-H 110 degrees, the two methyl groups staggered,
 *   the C-N midpoint on the A site) or a point cation (Cs, Rb, K, or FA:
 *   formamidinium as one point particle); B is Pb or
 *   Sn; X is I, Br or Cl. A site may hold a mixture ("MA=0.75,Cs=0.25"): the
 *   exact rounded counts are placed on randomly drawn sites.
 *   MA axes: random (uniform on the sphere, random spin about the axis) from
 *   the Philox stream (seed, 0), or all along x, y or z.
 *   Defects (the six kinds of events/defects.h), each on a given site or on a
 *   random free one drawn from the stream (seed, 1):
 *     V_I      the X atom removed;
 *     I_I      the Pb-X2-Pb double bridge: the X atom replaced by two, each
 *              displaced 1.6 A from the site along the normal of the bond
 *              (the next Cartesian axis: y for a bond along x, ...);
 *     I_MA     two A cations in one cage, their centres 1.3 A either side of
 *              the cage centre along a direction w perpendicular to the
 *              cage's C-N axis u; the first keeps u, the second takes u x w,
 *              so the two axes are perpendicular (point cations: offset
 *              along z, towards the cage faces);
 *     V_MA     the A cation (the whole molecule) removed.
 *   Charges are formal ionic ones (A +1, B +2, X -1; the +1 of MA split as
 *   C +0.1, N -0.3, H(C) +0.1, H(N) +0.3, a neutral placeholder that a force
 *   field's own charges replace); net_charge is their
 *   sum, the charge a classical fixed-charge MD sees (the neutralising
 *   background is the Ewald solver's). The nominal charge state of each
 *   defect (I_MA0 and V_MA0 are neutral) is in defects/defects.h.
 *   Types: one per distinct element, in the order B, X, A elements, then
 *   C, N, H (type_element[t - 1] is the element of type t).
 *   Molecule ids: each MA molecule has its own id, from 1; other atoms 0.
 *   Topology (MA only): bonds C-N (type 1), C-H (2), N-H (3); angles H-C-H
 *   (1), H-C-N (2), C-N-H (3), H-N-H (4); dihedrals H-C-N-H (1); atom
 *   indices from 0.
 * Ownership: ionkmc_structure_build returns a structure the caller frees with
 * ionkmc_structure_free; every array in it belongs to it.
 */
#ifndef IONKMC_STRUCTURE_H
#define IONKMC_STRUCTURE_H

#include <stdint.h>
#include <stdio.h>

#include "calibration/traj.h"
#include "events/defects.h"
#include "base/status.h"

#define IONKMC_STRUCT_MAXDEF 64
#define IONKMC_STRUCT_MAXTYPES 12

typedef struct {
  uint8_t element;  /* ionkmc_element */
  int type;         /* 1-based type (type_element[type - 1] == element) */
  int mol;          /* molecule id (MA), from 1; 0 for atoms of no molecule */
  int sub, site;    /* the sublattice and site index the atom belongs to */
  double q;         /* formal charge, e */
  double x[3];      /* Cartesian position, angstrom, inside [0, L a) */
} ionkmc_atom;

typedef struct {
  ionkmc_defect_kind kind;
  int site;         /* site index on its sublattice (X for V_I / I_I, else A); -1: random */
} ionkmc_defect_place;

/* What to build. */
typedef struct {
  int L;               /* cells per edge, >= 2 */
  double a;            /* lattice constant, angstrom (3-10) */
  const char *a_site;  /* "MA", "Cs", "MA=0.5,Cs=0.5", ...; NULL: "MA" */
  const char *b_site;  /* "Pb", "Sn", ...; NULL: "Pb" */
  const char *x_site;  /* "I", "Br", "I=0.5,Br=0.5", ...; NULL: "I" */
  int ma_axis;         /* -1: random; 0, 1, 2: every C-N axis along x, y, z */
  uint64_t seed;
  int ndefects;
  ionkmc_defect_place defect[IONKMC_STRUCT_MAXDEF];
} ionkmc_structure_spec;

typedef struct {
  int L;
  double a;
  double cell[3][3];    /* row vectors, angstrom */
  int natoms;
  ionkmc_atom *atoms;
  int ntypes;
  uint8_t type_element[IONKMC_STRUCT_MAXTYPES];
  double type_mass[IONKMC_STRUCT_MAXTYPES];
  int nmol;
  int nbonds, nangles, ndihedrals;
  int (*bonds)[3];      /* type, i, j */
  int (*angles)[4];     /* type, i, j, k (j the vertex) */
  int (*dihedrals)[5];  /* type, i, j, k, l */
  double net_charge;    /* e */
  int ndefects;
  ionkmc_defect_place defect[IONKMC_STRUCT_MAXDEF]; /* with the sites actually used */
  double defect_pos[IONKMC_STRUCT_MAXDEF][3];       /* the defect's site, angstrom */
} ionkmc_structure;

/* The default spec: L = 6, a = 6.365, MA / Pb / I, random axes, seed 1, no defect. */
ionkmc_structure_spec ionkmc_structure_spec_default(void);
/* Build the supercell. NULL with err set (IONKMC_EINVAL naming the bad field:
 * L, a, a site species, a defect site out of range or taken, too many
 * defects; IONKMC_ENOMEM). Caller frees. */
ionkmc_structure *ionkmc_structure_build(const ionkmc_structure_spec *spec, ionkmc_error *err);
/* Free; NULL is a no-op. */
void ionkmc_structure_free(ionkmc_structure *s);
/* The mass (g/mol) and formal charge (e) of an element; 0 for unknown. */
double ionkmc_element_mass(ionkmc_element e);
double ionkmc_element_charge(ionkmc_element e);
/* The type map "1=Pb,2=I,..." of s into buf (size n); what calibrate --types takes. */
void ionkmc_structure_typemap(const ionkmc_structure *s, char *buf, int n);
/* Map s back onto the lattice with the calibration's own site assignment
 * (calibration/mdtrack.h, as on frame 0 of an MD run) and check that every
 * site holds what the spec put there: the defects found at their sites and
 * nowhere else. IONKMC_EINVAL naming the first site that differs. */
ionkmc_status ionkmc_structure_validate(const ionkmc_structure *s, ionkmc_error *err);
/* The smallest interatomic distance (minimum image, angstrom) between atoms
 * of elements e1 and e2 (any element: IONKMC_EL_UNKNOWN), optionally only
 * between atoms of different molecules (inter = 1). INFINITY if no pair. */
double ionkmc_structure_min_distance(const ionkmc_structure *s, ionkmc_element e1, ionkmc_element e2,
                                     int inter);

/* ---- hops (calibration/structure_hop.c) ------------------------------------ */

/* The end point of one hop of defect d of the structure built from spec:
 * the same atoms in the same order (as LAMMPS neb needs), with the defect
 * moved to its neighbouring site dest (an X-X neighbour for the iodide
 * defects, an A-A neighbour for the MA ones; -1: the first neighbour of the
 * lattice's table). Sites that the hop does not touch keep their atoms
 * exactly; the atoms (or whole molecules) of the two touched sites are
 * matched to the geometry of the defect built at dest by least total
 * displacement, and a molecule that changes cage moves rigidly. The result
 * passes ionkmc_structure_validate with the defect at dest. Caller frees. */
ionkmc_structure *ionkmc_structure_hop(const ionkmc_structure *init, const ionkmc_structure_spec *spec, int d,
                                       int dest, ionkmc_error *err);

/* ---- writers (calibration/structure_write.c) ----------------------------- */

typedef enum {
  IONKMC_STRUCT_LAMMPS = 0,      /* LAMMPS data, atom_style atomic (pair_style allegro, ...) */
  IONKMC_STRUCT_LAMMPS_FULL = 1, /* LAMMPS data, atom_style full: charges, molecule ids,
                                    bonds, angles, dihedrals */
  IONKMC_STRUCT_EXTXYZ = 2,      /* extended XYZ: Lattice=, Properties=species:S:1:pos:R:3, Time=0 */
  IONKMC_STRUCT_POSCAR = 3       /* VASP 5 POSCAR, Cartesian, atoms grouped by type */
} ionkmc_structure_format;

/* Parse "lammps", "lammps-full", "extxyz", "poscar". IONKMC_EINVAL otherwise. */
ionkmc_status ionkmc_structure_format_parse(const char *name, ionkmc_structure_format *fmt);
/* Write s in format fmt to fp (borrowed); title goes into the header line.
 * IONKMC_EIO if the stream fails. */
ionkmc_status ionkmc_structure_write(const ionkmc_structure *s, ionkmc_structure_format fmt, const char *title,
                                     FILE *fp, ionkmc_error *err);
/* The same into path, whole or not at all (base/outfile.h). */
ionkmc_status ionkmc_structure_write_file(const ionkmc_structure *s, ionkmc_structure_format fmt,
                                          const char *title, const char *path, ionkmc_error *err);
/* The type map of s as JSON text into fp: {"types": {"1": "Pb", ...},
 * "masses": {...}, "typemap": "1=Pb,...", "type_names": "Pb I ..."} (the
 * type_names in type order, as pair_coeff * * of pair_style allegro takes them). */
ionkmc_status ionkmc_structure_write_types(const ionkmc_structure *s, FILE *fp, ionkmc_error *err);

#endif
