/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Philox batches equal one-block-at-a-time draws, including the carry of the
 * 64-bit draw index, and the engine's batched run leaves the stream exactly
 * where single steps would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/engine.h"
#include "kmc/rng.h"

static void check_batch(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0,
                        uint32_t k1) {
  uint32_t ctr[4] = {c0, c1, c2, c3}, key[2] = {k0, k1};
  uint32_t out[4 * IONKMC_PHILOX_BATCH];
  ionkmc_philox4x32_10_batch(ctr, key, out);
  ionkmc_rng r;
  memcpy(r.ctr, ctr, sizeof ctr);
  memcpy(r.key, key, sizeof key);
  for (int j = 0; j < IONKMC_PHILOX_BATCH; j++) {
    uint32_t one[4];
    ionkmc_philox4x32_10(r.ctr, r.key, one);
    for (int i = 0; i < 4; i++) assert_int_equal(out[4 * j + i], one[i]);
    ionkmc_rng_advance(&r);
  }
}

static void test_batch_equals_scalar(void **state) {
  (void)state;
  check_batch(0, 0, 0, 0, 0, 0);
  check_batch(12345, 0, 7, 0, 0xdeadbeefu, 0x12345678u);
  check_batch(0xfffffffcu, 3, 1, 2, 99, 100);     /* carry into word 1 mid-batch */
  check_batch(0xffffffffu, 0xffffffffu, 5, 6, 1, 2); /* word 1 wraps, word 2 untouched */
  check_batch(0x80000000u, 0x7fffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu);
}

/* A batched engine run and single steps consume the same draws. */
static void test_run_matches_steps(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, &st);
  assert_non_null(lat);
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = 4;
  spec.cond.T = 300;
  spec.cond.a = 6.3;
  spec.count[IONKMC_V_I] = 2;
  spec.count[IONKMC_I_I] = 1;
  spec.rate[IONKMC_V_I] = 1e9;
  spec.rate[IONKMC_I_I] = 2e9;
  ionkmc_engine *a = ionkmc_engine_alloc(&spec, lat, &err, &st);
  ionkmc_engine *b = ionkmc_engine_alloc(&spec, lat, &err, &st);
  assert_non_null(a);
  assert_non_null(b);
  ionkmc_rng ra, rb;
  ionkmc_rng_init(&ra, 42, 3);
  ionkmc_rng_init(&rb, 42, 3);
  assert_int_equal(ionkmc_engine_reset(a, &ra, &err), IONKMC_OK);
  assert_int_equal(ionkmc_engine_reset(b, &rb, &err), IONKMC_OK);
  const int n = 1003; /* not a multiple of the batch */
  assert_int_equal(ionkmc_engine_run(a, &ra, n, 0, 0), IONKMC_OK);
  int done = 0;
  for (; done < n; done++)
    if (ionkmc_engine_step(b, &rb) != IONKMC_OK) break;
  const ionkmc_run_obs *oa = ionkmc_engine_obs(a), *ob = ionkmc_engine_obs(b);
  assert_int_equal(oa->hops, ob->hops);
  assert_true(oa->t == ob->t);
  assert_int_equal(oa->sum_dr2[0], ob->sum_dr2[0]);
  assert_int_equal(oa->recombinations, ob->recombinations);
  assert_memory_equal(ra.ctr, rb.ctr, sizeof ra.ctr);
  ionkmc_engine_free(a);
  ionkmc_engine_free(b);
  ionkmc_lattice_free(lat);
}

/* The batch reader gives the blocks one-at-a-time draws give, n of them for
 * n a multiple of the batch or not (the draw index carrying into its high
 * word on the way), and leaves the counter where those draws leave it; a
 * batch that gave nothing leaves it untouched. */
static void check_reader(uint32_t c0, int n) {
  ionkmc_rng a, b;
  ionkmc_rng_init(&a, 7, 11);
  a.ctr[0] = c0;
  b = a;
  ionkmc_rng_batch batch;
  ionkmc_rng_batch_begin(&batch, &a);
  for (int i = 0; i < n; i++) {
    double u1, u2, v1, v2;
    ionkmc_rng_batch_uniform2(&batch, &u1, &u2);
    ionkmc_rng_uniform2(&b, &v1, &v2);
    assert_true(u1 == v1 && u2 == v2);
  }
  ionkmc_rng_batch_end(&batch);
  assert_memory_equal(a.ctr, b.ctr, sizeof a.ctr);
  assert_memory_equal(a.key, b.key, sizeof a.key);
}

static void test_batch_reader(void **state) {
  (void)state;
  int ns[] = {0, 1, IONKMC_PHILOX_BATCH - 1, IONKMC_PHILOX_BATCH, IONKMC_PHILOX_BATCH + 1,
              5 * IONKMC_PHILOX_BATCH + 3};
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
    check_reader(0, ns[i]);
    check_reader(0xfffffff0u, ns[i]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_batch_equals_scalar),
      cmocka_unit_test(test_run_matches_steps),
      cmocka_unit_test(test_batch_reader),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
