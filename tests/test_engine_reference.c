/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine against the plain reference implementation of the same
 * residence-time algorithm (tests/ref_engine.h): every defect's paths
 * recomputed from scratch after every event, a path-by-path scan, one Philox
 * block per event. With the same
 * stream, the two must agree bit for bit on the total rate and the clock at
 * every step and on every observable at the end. This guards the engine's
 * shortcuts (open-path masks, tables of sums, skipped neighbour scans,
 * skipped tree updates, batched random numbers). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/catalog.h"
#include "kmc/box_spec.h"
#include "kmc/engine.h"
#include "kmc/sumtree.h"
#include "tests/ref_engine.h"

static void compare(const char *label, int L, const int count[IONKMC_NDEFECT], int collinear,
                    double field, int nsteps, uint64_t seed) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(&err);
  assert_non_null(cat);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, &st);
  assert_non_null(lat);
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = L;
  spec.cond.T = 300;
  spec.cond.a = 6.308;
  spec.cond.field[0] = field;
  spec.cond.field[1] = -0.5 * field;
  spec.cond.field[2] = 0.25 * field;
  memcpy(spec.count, count, sizeof spec.count);
  assert_int_equal(ionkmc_box_spec_rates(&spec, cat, &err), IONKMC_OK);
  /* equalise the rates a little so that every kind moves in a short run */
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (count[k] > 0 && spec.rate[k] < 1e6) spec.rate[k] = 1e6 * (k + 1);
  if (collinear) spec.pattern[IONKMC_I_MA_P] = spec.pattern[IONKMC_I_MA_0] = IONKMC_PATTERN_COLLINEAR;
  ionkmc_engine *e = ionkmc_engine_alloc(&spec, lat, &err, &st);
  assert_non_null(e);
  ref_engine *r = ref_engine_alloc(&spec, lat);
  assert_non_null(r);
  ionkmc_rng ra, rb;
  ionkmc_rng_init(&ra, seed, 1);
  ionkmc_rng_init(&rb, seed, 1);
  assert_int_equal(ionkmc_engine_reset(e, &ra, &err), IONKMC_OK);
  assert_int_equal(ref_engine_reset(r, &rb), 0);
  /* Half the events one at a time, checked at each step; the rest in a
   * batched run, checked at the end. */
  int half = nsteps / 2, i = 0;
  for (; i < half; i++) {
    assert_true(ionkmc_engine_total_rate(e) == ionkmc_sumtree_total(r->tree));
    int ok = ref_engine_step(r, &rb);
    assert_int_equal(ionkmc_engine_step(e, &ra), ok ? IONKMC_OK : IONKMC_ESTATE);
    if (!ok) break;
    assert_true(ionkmc_engine_obs(e)->t == r->t);
  }
  for (int j = i; j < nsteps; j++)
    if (!ref_engine_step(r, &rb)) break;
  ionkmc_engine_run(e, &ra, nsteps, 0, 1000);
  const ionkmc_run_obs *o = ionkmc_engine_obs(e);
  print_message("%s: %lld hops, %lld recombinations, %d defects left\n", label,
                (long long)o->hops, (long long)o->recombinations, o->defects_alive);
  assert_int_equal(o->hops, r->hops);
  assert_true(o->t == r->t);
  assert_int_equal(o->recombinations, r->recomb);
  assert_memory_equal(ra.ctr, rb.ctr, sizeof ra.ctr);
  for (int s = 0; s < 2; s++) {
    const ref_species *S = &r->sp[s];
    assert_int_equal(o->sum_dr2[s], S->dr2);
    assert_int_equal(o->sum_jump2[s], S->jump2);
    for (int c = 0; c < 3; c++) assert_int_equal(o->sum_dr[s][c], S->dr[c]);
    assert_memory_equal(ionkmc_engine_atom_disp(e, s), S->disp, 12 * (size_t)S->natoms);
    for (int k = 0; k < S->nsites; k++) {
      assert_int_equal(ionkmc_engine_occupancy(e, s == 0 ? IONKMC_SUB_X : IONKMC_SUB_A, k), S->occ[k]);
      for (int j = 0; j < S->occ[k]; j++)
        assert_int_equal(ionkmc_engine_atom_site(e, s)[S->sat[2 * k + j]], k);
    }
  }
  for (int d = 0; d < r->ndef; d++) {
    ionkmc_defect_kind kind;
    int site, alive;
    int32_t pos[3];
    ionkmc_engine_defect(e, d, &kind, &site, &alive, pos);
    assert_int_equal(alive, r->alive[d]);
    if (!alive) continue;
    assert_int_equal(site, r->site[d]);
    assert_memory_equal(pos, r->pos + 3 * d, sizeof pos);
    assert_memory_equal(ionkmc_engine_path_rates(e, d), r->pr + 16 * d, 16 * sizeof(double));
  }
  ref_engine_free(r);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
}

static void test_single_defects(void **state) {
  (void)state;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    int c[IONKMC_NDEFECT] = {0};
    c[k] = 1;
    compare(ionkmc_defect_name(k), 4, c, 0, 0.0, 4000, 11 + k);
  }
  int c[IONKMC_NDEFECT] = {0, 0, 1, 1, 0, 0};
  compare("collinear I_MA", 4, c, 1, 0.0, 4000, 5);
}

static void test_crowded_boxes(void **state) {
  (void)state;
  int all[IONKMC_NDEFECT] = {4, 6, 4, 3, 2, 2}; /* interstitials outlive the vacancies */
  compare("all kinds, L=4", 4, all, 0, 0.0, 6000, 1);
  compare("all kinds, collinear, field, L=4", 4, all, 1, 0.003, 6000, 2);
  int many[IONKMC_NDEFECT] = {30, 6, 2, 2, 3, 3};
  compare("crowded X, L=3", 3, many, 1, 0.0, 6000, 3);
  int dil[IONKMC_NDEFECT] = {40, 0, 0, 0, 0, 0};
  compare("vacancies, L=6", 6, dil, 0, 0.002, 6000, 4);
  int small[IONKMC_NDEFECT] = {2, 1, 1, 0, 2, 0};
  compare("L=2", 2, small, 0, 0.0, 3000, 6);
  /* the engine's X tiles of 8^3 cells: a box of one whole tile and a
   * partial one per axis, crowded so that events meet across tile edges and
   * the periodic boundary */
  int tiles[IONKMC_NDEFECT] = {400, 60, 4, 4, 2, 2};
  compare("crowded X across tiles, L=11", 11, tiles, 0, 0.0, 6000, 7);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_single_defects),
      cmocka_unit_test(test_crowded_boxes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
