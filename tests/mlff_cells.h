/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the MLFF tests (included, not a test itself): source paths, small CsPbI3
 * cells (Pb at the origin, I on the bonds, Cs in the cage), optional
 * iodine vacancy, deterministic displacements. */
#ifndef IONKMC_TESTS_MLFF_CELLS_H
#define IONKMC_TESTS_MLFF_CELLS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/atoms.h"

/* A path under the source tree (IONKMC_SOURCE_DIR, set by ctest); up to 4 live at once. */
static char path_buf[4][1024];
static int path_next;
static inline const char *src_path(const char *rel) {
  const char *root = getenv("IONKMC_SOURCE_DIR");
  char *p = path_buf[path_next++ % 4];
  snprintf(p, sizeof path_buf[0], "%s/%s", root ? root : ".", rel);
  return p;
}

/* L^3 cubic cells of edge a; the I atom with index `vacancy` (0-based among
 * iodines, -1: none) left out; every coordinate moved by up to +-jitter
 * (angstrom) from a fixed-seed generator. Atom order: per cell Cs, Pb, I x3. */
static inline ionkmc_atoms *cspbi3_cell(int L, double a, int vacancy, double jitter, uint64_t seed) {
  static const double basis[5][3] = {{0.5, 0.5, 0.5}, {0, 0, 0}, {0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
  static const char *el[5] = {"Cs", "Pb", "I", "I", "I"};
  int n = 5 * L * L * L - (vacancy >= 0);
  ionkmc_atoms *at = ionkmc_atoms_alloc(n);
  int k = 0, iodine = 0;
  uint64_t s = seed * 2862933555777941757ULL + 3037000493ULL;
  for (int x = 0; x < L; x++)
    for (int y = 0; y < L; y++)
      for (int z = 0; z < L; z++)
        for (int b = 0; b < 5; b++) {
          if (b >= 2 && iodine++ == vacancy) continue;
          double c[3] = {x + basis[b][0], y + basis[b][1], z + basis[b][2]};
          for (int d = 0; d < 3; d++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(s >> 11) / 9007199254740992.0;
            at->x[3 * k + d] = c[d] * a + jitter * (2 * u - 1);
          }
          strcpy(at->el[k], el[b]);
          k++;
        }
  memset(at->cell, 0, sizeof at->cell);
  for (int d = 0; d < 3; d++) at->cell[d][d] = L * a;
  return at;
}

#endif
