/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc lattice: the cubic ABX3 perovskite supercell (MAPbI3, Pm-3m, Z = 1).
 *
 * Conventions
 *   Units: lengths in angstrom, temperatures in K.
 *   Sites: B (Pb) at (0,0,0), X (I) at (1/2,0,0), (0,1/2,0), (0,0,1/2),
 *          A (MA centre) at (1/2,1/2,1/2), in units of the lattice constant a.
 *   Integer positions are in half-lattice units ("h-units", a/2), so every site
 *   has exact integer coordinates and unwrapped displacements never drift.
 *   The supercell is L x L x L cells with periodic boundaries; h-coordinates
 *   wrap modulo 2L.
 *   Site indices are per sublattice: cell c = (ix*L + iy)*L + iz;
 *   A and B sites have index c; X sites have index 3*c + k, k = 0,1,2 for the
 *   Pb-I-Pb bond along x, y, z.
 *   Neighbour tables (all periodic):
 *     X-X  8 at a/sqrt(2)    A-A  6 at a     A-A2 6 at 2a (collinear)
 *     A-X 12 at a/sqrt(2)    B-X  6 at a/2
 *   Ownership: ionkmc_lattice_alloc returns an object the caller frees with
 *   ionkmc_lattice_free; pointers returned by accessors are borrowed and live
 *   as long as the lattice. Each neighbour table is built on its first use
 *   (safe from several threads at once), so a lattice costs its memory only
 *   for the tables something reads.
 */
#ifndef IONKMC_LATTICE_H
#define IONKMC_LATTICE_H

#include <stdint.h>

#include "base/status.h"

typedef enum {
  IONKMC_SUB_X = 0, /* iodide sites */
  IONKMC_SUB_A = 1, /* MA cage centres */
  IONKMC_SUB_B = 2  /* Pb sites */
} ionkmc_sublattice;

#define IONKMC_NNB_XX 8
#define IONKMC_NNB_AA 6
#define IONKMC_NNB_AX 12
#define IONKMC_NNB_BX 6

typedef struct ionkmc_lattice ionkmc_lattice;

/* Lattice-constant model a(T) = a0 + dadT * (T - T0), in angstrom. */
typedef struct {
  double a0;   /* angstrom at T0 */
  double T0;   /* K */
  double dadT; /* angstrom / K */
} ionkmc_acell_model;

/* The paper's Table S3 linear fit: 6.354 A + 2.3e-4 A/K (T - 500 K). */
ionkmc_acell_model ionkmc_acell_default(void);
/* a(T) in angstrom for model m at temperature T (K). */
double ionkmc_acell_eval(const ionkmc_acell_model *m, double T);

/* The largest L whose 3 L^3 X sites an int indexes (894^3 x 3 < 2^31). */
#define IONKMC_LATTICE_MAX_L 894

/* Allocate an L x L x L supercell (2 <= L <= IONKMC_LATTICE_MAX_L). Returns
 * NULL on bad L (IONKMC_EINVAL) or no memory and, if status is not NULL,
 * sets *status. Caller owns the result. */
ionkmc_lattice *ionkmc_lattice_alloc(int L, ionkmc_status *status);
/* Free a lattice; NULL is a no-op. */
void ionkmc_lattice_free(ionkmc_lattice *lat);

/* Supercell edge in cells. */
int ionkmc_lattice_size(const ionkmc_lattice *lat);
/* Number of sites on a sublattice (3 L^3 for X, L^3 for A and B). */
int ionkmc_lattice_nsites(const ionkmc_lattice *lat, ionkmc_sublattice sub);
/* Integer h-unit position (wrapped into [0, 2L)) of a site; pos has 3 ints. */
void ionkmc_lattice_site_pos(const ionkmc_lattice *lat, ionkmc_sublattice sub,
                             int site, int32_t pos[3]);
/* Site index of the sublattice site at h-unit position pos (any integers,
 * wrapped periodically); -1 if no site of that sublattice sits there. */
int ionkmc_lattice_site_at(const ionkmc_lattice *lat, ionkmc_sublattice sub,
                           const int32_t pos[3]);

/* Neighbour table of site `site`: returns a borrowed pointer to n indices
 * (n = IONKMC_NNB_*), and through vec (if not NULL) a borrowed pointer to n
 * h-unit displacement vectors (int8 x 3), both valid while lat lives.
 * kind is one of "XX", "AA", "AA2", "AX", "BX". Returns NULL on a bad kind
 * or site, or when there is no memory for the table. */
const int32_t *ionkmc_lattice_neighbours(const ionkmc_lattice *lat, const char *kind,
                                         int site, int *n, const int8_t **vec);

/* Direct table access (no checks; NULL only when there is no memory for the
 * table, which is built on first use). */
const int32_t *ionkmc_lattice_xx(const ionkmc_lattice *lat);  /* [3L^3][8]  */
const int32_t *ionkmc_lattice_aa(const ionkmc_lattice *lat);  /* [L^3][6]   */
const int32_t *ionkmc_lattice_aa2(const ionkmc_lattice *lat); /* [L^3][6]   */
/* h-unit displacement of X-X neighbour d of an X site of type k (0..2). */
const int8_t *ionkmc_lattice_xx_vec(int k, int d);
/* h-unit displacement of A-A neighbour d (0..5); A-A2 is twice this. */
const int8_t *ionkmc_lattice_aa_vec(int d);

#endif
