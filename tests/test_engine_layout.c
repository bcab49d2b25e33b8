/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's internal numbering of the X sublattice (kmc/engine_impl.h):
 * a bijection between the public site numbers and the used internal ones,
 * in range of the padded arrays, cells' three sites together, tiles of
 * 8^3 cells contiguous, and neighbours computed from positions equal to the
 * lattice's neighbour table, for box sizes with and without padding; an
 * engine computing its neighbours runs as one reading its table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/catalog.h"
#include "kmc/box_spec.h"
#include "kmc/engine_impl.h"

/* An engine with one vacancy in an L^3 box on *lat. */
static ionkmc_engine *one_vacancy(int L, ionkmc_lattice **lat) {
  ionkmc_error err;
  ionkmc_status st;
  *lat = ionkmc_lattice_alloc(L, &st);
  assert_non_null(*lat);
  ionkmc_box_spec spec = {.L = L, .cond = {.T = 300, .a = 6.308}};
  spec.count[IONKMC_V_I] = 1;
  spec.rate[IONKMC_V_I] = 1e6;
  ionkmc_engine *e = ionkmc_engine_alloc(&spec, *lat, &err, &st);
  assert_non_null(e);
  return e;
}

static void check_size(int L) {
  ionkmc_lattice *lat;
  ionkmc_engine *e = one_vacancy(L, &lat);
  const species_state *S = &e->sp[0];
  int n = S->nsites, nt = (L + 7) / 8;
  assert_int_equal(n, 3 * L * L * L);
  assert_int_equal(S->nint, 3 * 512 * nt * nt * nt);
  const int32_t *xx = ionkmc_lattice_xx(lat);
  assert_non_null(xx);
  uint8_t *seen = calloc((size_t)S->nint, 1);
  assert_non_null(seen);
  for (int p = 0; p < n; p++) {
    int i = x_pub2int(S, p);
    assert_true(i >= 0 && i < S->nint);
    assert_int_equal(seen[i], 0);
    seen[i] = 1;
    assert_int_equal(x_int2pub(S, i), p);
    assert_int_equal(i % 3, p % 3); /* the site type survives */
    assert_int_equal(i - i % 3, x_pub2int(S, p - p % 3)); /* a cell's sites together */
    int32_t pos[3];
    ionkmc_lattice_site_pos(lat, IONKMC_SUB_X, p, pos);
    uint16_t hw[3];
    assert_int_equal(x_decode(S, i, hw), p % 3);
    for (int c = 0; c < 3; c++) assert_int_equal(hw[c], pos[c]);
    /* a tile's cells are contiguous: the tile number is the cell's tile in
     * row-major order */
    int tile = ((pos[0] / 16) * nt + pos[1] / 16) * nt + pos[2] / 16;
    assert_int_equal(i / (3 * 512), tile);
    int32_t buf[IONKMC_NNB_XX], calc[IONKMC_NNB_XX];
    const int32_t *nb = site_nbrs(S, i, buf); /* the table of a small box */
    x_nbrs_at(S, hw, p % 3, calc);           /* computed, as in large boxes */
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      assert_int_equal(nb[d], x_pub2int(S, xx[(size_t)p * 8 + d]));
      assert_int_equal(calc[d], nb[d]);
    }
  }
  free(seen);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

static void test_sizes(void **state) {
  (void)state;
  const int sizes[] = {2, 3, 7, 8, 9, 16, 19};
  for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) check_size(sizes[j]);
}

/* Morton order within a tile: the first eight cells of a tile are its
 * 2 x 2 x 2 corner block. */
static void test_morton(void **state) {
  (void)state;
  ionkmc_lattice *lat;
  ionkmc_engine *e = one_vacancy(8, &lat);
  const species_state *S = &e->sp[0];
  for (int cx = 0; cx < 2; cx++)
    for (int cy = 0; cy < 2; cy++)
      for (int cz = 0; cz < 2; cz++) {
        int p = 3 * ((cx * 8 + cy) * 8 + cz);
        assert_int_equal(x_pub2int(S, p), 3 * (4 * cx + 2 * cy + cz));
      }
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* An engine that computes its X neighbours (as a large box does) runs the
 * same events as one that reads its table: crowded X sublattice, every
 * kind, checked at every step and at the end. */
static void test_table_or_computed(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(&err);
  assert_non_null(cat);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(10, &st);
  ionkmc_box_spec spec = {.L = 10, .cond = {.T = 300, .a = 6.308}};
  const int count[IONKMC_NDEFECT] = {300, 60, 4, 4, 2, 2};
  memcpy(spec.count, count, sizeof count);
  assert_int_equal(ionkmc_box_spec_rates(&spec, cat, &err), IONKMC_OK);
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec.rate[k] < 1e6) spec.rate[k] = 1e6 * (k + 1);
  ionkmc_engine *e[2];
  ionkmc_rng rng[2];
  for (int j = 0; j < 2; j++) {
    e[j] = ionkmc_engine_alloc(&spec, lat, &err, &st);
    assert_non_null(e[j]);
    ionkmc_rng_init(&rng[j], 9, 0);
  }
  assert_non_null(e[0]->sp[0].xnb);
  free(e[1]->sp[0].xnb);
  e[1]->sp[0].xnb = NULL;
  for (int j = 0; j < 2; j++) assert_int_equal(ionkmc_engine_reset(e[j], &rng[j], &err), IONKMC_OK);
  for (int i = 0; i < 5000; i++) {
    for (int j = 0; j < 2; j++) assert_int_equal(ionkmc_engine_step(e[j], &rng[j]), IONKMC_OK);
    assert_true(ionkmc_engine_total_rate(e[0]) == ionkmc_engine_total_rate(e[1]));
  }
  for (int j = 0; j < 2; j++) assert_int_equal(ionkmc_engine_run(e[j], &rng[j], 20000, 0, 1000), IONKMC_OK);
  const ionkmc_run_obs *a = ionkmc_engine_obs(e[0]), *b = ionkmc_engine_obs(e[1]);
  assert_true(a->hops == 20000 && a->recombinations > 0);
  assert_memory_equal(a, b, sizeof *a);
  for (int s = 0; s < IONKMC_NSPECIES; s++)
    assert_memory_equal(ionkmc_engine_atom_disp(e[0], s), ionkmc_engine_atom_disp(e[1], s),
                        12 * (size_t)ionkmc_engine_natoms(e[0], s));
  for (int j = 0; j < 2; j++) ionkmc_engine_free(e[j]);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_morton),
      cmocka_unit_test(test_table_or_computed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
