/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The plain reference engine: the residence-time algorithm of kmc/engine.c
 * written the obvious way, for tests that compare the engine against it.
 *
 * What it does, per event: every path of every live defect is recomputed
 * from scratch (ionkmc_defect_* for the paths, the occupancy of the target
 * sites for which are open, ionkmc_box_spec rates times the field bias
 * exp(q E.dr / 2 kB T)); a sum tree holds one total per defect; two uniforms
 * from one Philox block (ionkmc_rng_uniform2) give the waiting time
 * -ln(1 - u1) / R and the event u2 R, found by the tree and then a
 * path-by-path scan. Hops follow kmc/engine.h: vacancy exchange, split
 * interstitial moves (single and collinear MA patterns), recombination when
 * an interstitial lands on a vacancy. Placement (ref_engine_reset) is the
 * engine's: defects in index order on uniform distinct sites.
 * With the same stream as the engine it must agree bit for bit on the total
 * rate and the clock at every step and on every observable at the end.
 *
 * Units: as kmc/engine.h (positions and displacements in h = a/2, rates in
 *   1/s, time in s). Fields of the struct are read directly by the tests.
 * Ownership: _alloc copies spec and borrows lat (which must outlive it);
 *   _free releases everything (NULL is a no-op). Not thread-safe.
 */
#ifndef IONKMC_TESTS_REF_ENGINE_H
#define IONKMC_TESTS_REF_ENGINE_H

#include <stdint.h>

#include "kmc/engine.h"
#include "kmc/sumtree.h"

/* One sublattice (0 = X, 1 = A): occupancy 0/1/2 per site, the atoms on
 * each site (two slots), the defect on each site (-1 none), per-atom
 * displacement, and the running sums of the observables. */
typedef struct {
  int nsites, z, natoms;
  const int32_t *nbr, *nbr2;
  uint8_t *occ;
  int32_t *sat, *def_at, *disp;
  int64_t dr2, jump2, dr[3];
} ref_species;

typedef struct {
  ionkmc_box_spec spec;
  const ionkmc_lattice *lat;
  ref_species sp[2];
  int ndef;
  int *kind, *site, *alive;
  int32_t *pos;
  double *pr; /* per-path rates, [ndef][16] (1/s) */
  ionkmc_sumtree *tree;
  double t;
  int64_t hops, recomb;
} ref_engine;

/* NULL when out of memory. */
ref_engine *ref_engine_alloc(const ionkmc_box_spec *spec, const ionkmc_lattice *lat);
void ref_engine_free(ref_engine *r);
/* Place the defects from rng; 0, or -1 when the atom count comes out wrong. */
int ref_engine_reset(ref_engine *r, ionkmc_rng *rng);
/* One event; 1 done, 0 when no event is possible (total rate 0). */
int ref_engine_step(ref_engine *r, ionkmc_rng *rng);

#endif
