/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc neb: hop end points from the `ionkmc structure` builder
 * (calibration/structure.h), for every defect kind, MA molecules included,
 * optionally laid onto a snapshot of an MD run of the defect-free cell.
 *
 * Conventions
 *   Units: angstrom.
 *   The hopping defect is spec->defect[0]; it hops to the first neighbour
 *   site of the lattice's table (ionkmc_structure_hop). Other defects of
 *   the spec stay where they are (the environment's neighbouring defects).
 *   Snapshot: a frame of the defect-free cell built from the same spec
 *   (same L, sites, MA axes and seed), its atoms in the builder's order (a
 *   LAMMPS dump sorted by id of the data file `ionkmc structure` wrote, or
 *   the extxyz it wrote). Every atom of a site that the hop does not touch
 *   takes the snapshot's position (matched by site and rank in its unit);
 *   the atoms of the two touched sites and the atoms no snapshot atom
 *   matches keep the builder's positions, mapped onto the snapshot's cell
 *   through fractional coordinates. The final structure is the initial one
 *   plus the builder's hop displacement of each atom (minimum image).
 *   Descriptor: defects of each kind (not the hopping one) on the first
 *   neighbour shell (same sublattice) of the initial and the final site;
 *   with MA molecules, cos^2 between the hop and the C-N axis class of the
 *   two cages next to the path (the two A sites nearest the midpoint of an
 *   X hop; the two sites of an A hop), as the KMC engine defines it.
 * Ownership: *ini and *fin are the caller's (ionkmc_atoms_free).
 */
#ifndef IONKMC_NEB_STRUCT_H
#define IONKMC_NEB_STRUCT_H

#include "barriers/atoms.h"
#include "calibration/structure.h"
#include "calibration/traj.h"

/* How neb builds its cells. */
typedef struct {
  const char *a_site;     /* NULL: the built-in point-cation cells (barriers/hopcell.h); else
                             the builder's A-site spec ("MA", "Cs", "MA=0.5,Cs=0.5") */
  int ma_axis;            /* -1: random; 0, 1, 2: all C-N axes along x, y, z */
  uint64_t seed;          /* the builder's seed (MA axes, mixtures) */
  const char *snapshots;  /* --environments from the frames of this MD trajectory, or NULL */
} neb_build_opts;

/* The builder's spec for defect kind on site 0 of its sublattice, elements
 * el[1] (B) and el[2] (X), L cells of edge a. */
ionkmc_structure_spec neb_struct_spec(const neb_build_opts *bo, const char el[3][4], int L, double a,
                                      ionkmc_defect_kind kind);

typedef struct {
  int mover;              /* the atom that moves most between the ends */
  double s0[3], s1[3];    /* the defect's initial and final site (angstrom, the ends' cell) */
  double a;               /* lattice constant used (the snapshot's, cbrt(V)/L, with one) */
  int init_counts[6], final_counts[6];
  double cos2;
  int ncages;             /* cages with a molecule in the cos^2 sum (0 with point cations) */
  int from_snapshot;      /* atoms that took the snapshot's positions */
  uint64_t seed;          /* the builder's seed used */
} neb_struct_info;

/* Build the end points. snap: NULL, or the frame to lay them onto (its
 * atoms must be those of the defect-free cell of spec, element for element:
 * IONKMC_EINVAL naming the first difference). IONKMC_EINVAL for a hop the
 * builder cannot make (its message), IONKMC_ENOMEM. */
ionkmc_status neb_struct_hop(const ionkmc_structure_spec *spec, const ionkmc_frame *snap, ionkmc_atoms **ini,
                             ionkmc_atoms **fin, neb_struct_info *info, ionkmc_error *err);

#endif
