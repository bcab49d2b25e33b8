/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: periodic neighbour lists with cell shifts, the edges an
 * interatomic potential (NequIP/Allegro) takes.
 *
 * Conventions
 *   Units: angstrom. Cell: row vectors, periodic in all three directions.
 *   An edge (i, j, S) with integer shift S = (s0, s1, s2) stands for the
 *   vector  x_j - x_i + S . cell  (S . cell = s0 a + s1 b + s2 c) of length
 *   below rc, with x the positions as given (not wrapped). The list is full:
 *   it holds (j, i, -S) with (i, j, S). An atom meets its own periodic images
 *   (i, i, S != 0), and a pair may appear with several shifts: cells thinner
 *   than 2 rc need no replicas.
 *   Order: by i; within i, by cell-list traversal. The brute-force builder
 *   (for tests) lists the same edge set in another order.
 *   Cost: O(N) with a cell list of bins at least rc wide (perpendicular
 *   widths of the cell), found through fractional coordinates.
 * Ownership: _alloc returns a workspace the caller frees with _free; the
 *   edge arrays belong to it and are reused (grown) by each build.
 */
#ifndef IONKMC_NLIST_H
#define IONKMC_NLIST_H

#include <stdint.h>

#include "base/status.h"

typedef struct {
  int64_t nedges;
  int64_t *src, *dst;   /* [nedges] i and j */
  double *shift;        /* [nedges][3] integer-valued lattice shifts */
  /* workspace */
  int64_t cap;
  int natoms_cap, nbins_cap;
  int *bin_head, *next, *bin_of;
  double *xw;           /* wrapped positions */
  int *img;             /* [n][3] lattice vectors removed by the wrap */
} ionkmc_nlist;

/* An empty list (NULL if out of memory). */
ionkmc_nlist *ionkmc_nlist_alloc(void);
/* Free; NULL is a no-op. */
void ionkmc_nlist_free(ionkmc_nlist *nl);
/* Build the full list of n atoms x[n][3] (borrowed) in cell for cutoff rc
 * (> 0). IONKMC_EINVAL (singular cell, rc <= 0, non-finite position),
 * IONKMC_ENOMEM. */
ionkmc_status ionkmc_nlist_build(ionkmc_nlist *nl, int n, const double *x, const double cell[3][3], double rc,
                                 ionkmc_error *err);
/* The same edge set by looping over every pair and every shift that can be
 * within rc: O(N^2), for tests. */
ionkmc_status ionkmc_nlist_build_brute(ionkmc_nlist *nl, int n, const double *x, const double cell[3][3],
                                       double rc, ionkmc_error *err);

#endif
