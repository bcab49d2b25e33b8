/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The plain hop loop of ionkmc_engine_run (one iodide vacancy, constant
 * rates, no jump log; kmc/engine.c) gives bit for bit the trajectory of the
 * general code: against single steps (ionkmc_engine_step always takes the
 * general code) and against a run with a jump log (which keeps the general
 * loop), with and without a field, with the X-X table and with neighbours
 * computed from positions, with blocks and a time limit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/box_spec.h"
#include "kmc/engine_impl.h"
#include "kmc/jumpstats.h"

/* Two engines with one V_I+ each in an L^3 box on lat (rates biased by a
 * field along x when field), reset from the same seed; computed: engine 1
 * computes its X neighbours, as a large box does. */
static void two_engines(const ionkmc_lattice *lat, int L, int field, int computed,
                        ionkmc_engine *e[2], ionkmc_rng rng[2]) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_box_spec spec = {.L = L, .cond = {.T = 300, .a = 6.308}};
  if (field) spec.cond.field[0] = 2e-3;
  spec.count[IONKMC_V_I] = 1;
  spec.rate[IONKMC_V_I] = 1e6;
  for (int j = 0; j < 2; j++) {
    e[j] = ionkmc_engine_alloc(&spec, lat, &err, &st);
    assert_non_null(e[j]);
    ionkmc_rng_init(&rng[j], 31 + (uint64_t)L, 0);
  }
  if (computed) {
    assert_non_null(e[1]->sp[0].xnb);
    free(e[1]->sp[0].xnb);
    e[1]->sp[0].xnb = NULL;
  }
  for (int j = 0; j < 2; j++) assert_int_equal(ionkmc_engine_reset(e[j], &rng[j], &err), IONKMC_OK);
}

/* Everything the two engines hold about their run is the same. */
static void assert_same(ionkmc_engine *a, ionkmc_engine *b) {
  const ionkmc_run_obs *oa = ionkmc_engine_obs(a), *ob = ionkmc_engine_obs(b);
  assert_memory_equal(oa, ob, sizeof *oa);
  int na = ionkmc_engine_natoms(a, 0);
  assert_memory_equal(ionkmc_engine_atom_disp(a, 0), ionkmc_engine_atom_disp(b, 0),
                      3 * sizeof(int32_t) * (size_t)na);
  assert_memory_equal(ionkmc_engine_atom_site(a, 0), ionkmc_engine_atom_site(b, 0),
                      sizeof(int32_t) * (size_t)na);
  int sa, sb;
  int32_t pa[3], pb[3];
  ionkmc_engine_defect(a, 0, NULL, &sa, NULL, pa);
  ionkmc_engine_defect(b, 0, NULL, &sb, NULL, pb);
  assert_int_equal(sa, sb);
  assert_memory_equal(pa, pb, sizeof pa);
  assert_int_equal(ionkmc_engine_occupancy(a, IONKMC_SUB_X, sa), 0);
  assert_true(ionkmc_engine_total_rate(a) == ionkmc_engine_total_rate(b));
  assert_int_equal(a->def[0].open, b->def[0].open);
  assert_int_equal(a->def[0].nbr_def, b->def[0].nbr_def);
}

/* ionkmc_engine_run (plain loop, no blocks) against as many single steps. */
static void test_plain_vs_steps(void **state) {
  (void)state;
  const int sizes[] = {2, 5};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    for (int field = 0; field < 2; field++)
      for (int computed = 0; computed < 2; computed++) {
        ionkmc_status st;
        ionkmc_lattice *lat = ionkmc_lattice_alloc(sizes[i], &st);
        assert_non_null(lat);
        ionkmc_engine *e[2];
        ionkmc_rng rng[2];
        two_engines(lat, sizes[i], field, computed, e, rng);
        const int64_t n = 30000;
        assert_int_equal(ionkmc_engine_run(e[0], &rng[0], n, 0, 0), IONKMC_OK);
        for (int64_t h = 0; h < n; h++) assert_int_equal(ionkmc_engine_step(e[1], &rng[1]), IONKMC_OK);
        assert_int_equal(ionkmc_engine_obs(e[0])->hops, n);
        assert_same(e[0], e[1]);
        for (int j = 0; j < 2; j++) ionkmc_engine_free(e[j]);
        ionkmc_lattice_free(lat);
      }
}

/* Runs in pieces with blocks and a time limit: plain against a run that
 * keeps a jump log (the general loop); the log holds the same hops. */
static void test_plain_vs_logged(void **state) {
  (void)state;
  for (int field = 0; field < 2; field++)
    for (int computed = 0; computed < 2; computed++) {
      ionkmc_status st;
      ionkmc_error err;
      ionkmc_lattice *lat = ionkmc_lattice_alloc(4, &st);
      assert_non_null(lat);
      ionkmc_engine *e[2];
      ionkmc_rng rng[2];
      two_engines(lat, 4, field, computed, e, rng);
      assert_int_equal(ionkmc_engine_jumplog_alloc(e[1], 100, &err), IONKMC_OK);
      for (int j = 0; j < 2; j++) {
        assert_int_equal(ionkmc_engine_run(e[j], &rng[j], 20000, 0, 700), IONKMC_OK);
        assert_int_equal(ionkmc_engine_run(e[j], &rng[j], 45000, 0, 700), IONKMC_OK);
      }
      assert_same(e[0], e[1]);
      double t = ionkmc_engine_obs(e[0])->t;
      for (int j = 0; j < 2; j++)
        assert_int_equal(ionkmc_engine_run(e[j], &rng[j], 0, 1.5 * t, 900), IONKMC_OK);
      assert_same(e[0], e[1]);
      assert_true(ionkmc_engine_obs(e[0])->t == 1.5 * t);
      assert_true(ionkmc_engine_obs(e[0])->msd_n > 0);
      size_t nlog;
      int64_t dropped;
      ionkmc_engine_jumplog(e[1], &nlog, &dropped);
      assert_int_equal((int64_t)nlog + dropped, ionkmc_engine_obs(e[1])->hops);
      for (int j = 0; j < 2; j++) ionkmc_engine_free(e[j]);
      ionkmc_lattice_free(lat);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_vs_steps),
      cmocka_unit_test(test_plain_vs_logged),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
