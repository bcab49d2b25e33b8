/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The batched waiting-time logarithm (kmc/rng.h): bit for bit libm's
 * -log(1 - u) on 2^22 Philox draws and on edge values, in every variant the
 * CPU runs; its double-double within the stated 2^-60 of logl; the share of
 * lanes left to libm as the acceptance rule predicts (so that the fast path
 * is really taken); the batch reader. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/rng.h"

enum { N = IONKMC_PHILOX_BATCH };
#define NDRAWS (1 << 22)

static uint64_t bits(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/* Compare one batch with libm in every variant; returns the lanes the best
 * variant left to libm and adds the number the acceptance rule predicts
 * (2 (0.02 + 2^-60 |y| / ulp(y)) per lane, ulp as in kmc/rng.c) to *pred
 * and its variance to *var. */
static int check16(const double v[N], double *pred, double *var) {
  double y[N];
  int nv = ionkmc_rng_neglog_variants(), left = 0;
  for (int variant = 0; variant < nv; variant++) {
    int n = ionkmc_rng_neglog_batch(v, y, variant);
    if (variant == nv - 1) left = n;
    for (int j = 0; j < N; j++) {
      double ref = -log(v[j]);
      if (bits(y[j]) != bits(ref)) {
        print_error("variant %d: v = %a: got %a, libm %a\n", variant, v[j], y[j], ref);
        fail();
      }
    }
  }
  for (int j = 0; j < N; j++) {
    int ex;
    double f = frexp(fabs(y[j]), &ex); /* |y| = f 2^ex, ulp = 2^(ex - 53) */
    double p = y[j] == 0 ? 1 : 2 * (0.02 + 0x1p-60 * f * 0x1p53);
    *pred += p;
    *var += p * (1 - p);
  }
  return left;
}

static void test_equals_libm_on_draws(void **state) {
  (void)state;
  ionkmc_rng r;
  ionkmc_rng_init(&r, 20240601, 7);
  double v[N], pred = 0, var = 0;
  long left = 0;
  for (int i = 0; i < NDRAWS / N; i++) {
    for (int j = 0; j < N; j++) {
      double u1, u2;
      ionkmc_rng_uniform2(&r, &u1, &u2);
      v[j] = 1.0 - u1;
    }
    left += check16(v, &pred, &var);
  }
  double sd = sqrt(var);
  printf("# %d draws: %ld lanes (%.3f %%) left to libm, predicted %.0f +- %.0f\n", NDRAWS, left,
         100.0 * left / NDRAWS, pred, sd);
  /* the fast path is taken for about 95 % of the lanes */
  assert_true(fabs(left - pred) < 5 * sd);
}

static void test_equals_libm_on_edges(void **state) {
  (void)state;
  double v[N], pred = 0, var = 0;
  int n = 0;
  /* v = k 2^-53 near both ends of (0, 1], around the table's split near
   * sqrt 2 and its interval edges, and powers of two */
  for (int64_t k = 1; k <= 4096; k++) {
    double cand[6] = {k * 0x1p-53, 1.0 - (k - 1) * 0x1p-53, ldexp(1.0, -(int)(k % 53)),
                      ldexp(1.0 + (k % 128) / 128.0, -1 - (int)(k % 52)),
                      nextafter(ldexp(1.0 + (k % 128) / 128.0, -1 - (int)(k % 52)), 0),
                      (0x1.6a09e667f3bcdp0 + (k - 2048) * 0x1p-52) / 2};
    for (int c = 0; c < 6; c++) {
      v[n++] = cand[c];
      if (n == N) {
        check16(v, &pred, &var);
        n = 0;
      }
    }
  }
}

static void test_double_double_error(void **state) {
  (void)state;
  if (LDBL_MANT_DIG < 64) skip(); /* no reference precise enough */
  ionkmc_rng r;
  ionkmc_rng_init(&r, 5, 11);
  double v[N], hi[N], lo[N], worst = 0;
  for (int i = 0; i < (1 << 18) / N; i++) {
    for (int j = 0; j < N; j++) {
      double u1, u2;
      ionkmc_rng_uniform2(&r, &u1, &u2);
      /* every other lane near 1, where log v is small */
      v[j] = 1.0 - (j & 1 ? u1 * 0x1p-20 : u1);
      if (v[j] == 1.0) v[j] = 0.5;
    }
    ionkmc_rng_log_dd_batch(v, hi, lo);
    for (int j = 0; j < N; j++) {
      long double ref = logl((long double)v[j]);
      long double err = fabsl(((long double)hi[j] + (long double)lo[j]) - ref) / fabsl(ref);
      if (err > worst) worst = (double)err;
    }
  }
  printf("# double-double log: max relative error %.3g (2^%.1f) against logl\n", worst, log2(worst));
  /* the bound kmc/rng.c uses; logl itself is good to about 2^-63 */
  assert_true(worst < 0x1p-60);
}

/* The batch reader's w and u2 are -log(1 - u1) and u2 of one-at-a-time
 * draws, across batch boundaries; the engine's clock with it is checked
 * against single steps in test_rng_batch.c. */
static void test_batch_reader(void **state) {
  (void)state;
  ionkmc_rng a, b;
  ionkmc_rng_init(&a, 9, 2);
  b = a;
  ionkmc_rng_batch batch;
  ionkmc_rng_batch_begin_neglog(&batch, &a);
  for (int i = 0; i < 5 * N + 3; i++) {
    double w, u2, v1, v2;
    ionkmc_rng_batch_neglog_uniform2(&batch, &w, &u2);
    ionkmc_rng_uniform2(&b, &v1, &v2);
    assert_true(bits(w) == bits(-log(1.0 - v1)));
    assert_true(u2 == v2);
  }
  ionkmc_rng_batch_end(&batch);
  assert_memory_equal(a.ctr, b.ctr, sizeof a.ctr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_equals_libm_on_draws),
      cmocka_unit_test(test_equals_libm_on_edges),
      cmocka_unit_test(test_double_double_error),
      cmocka_unit_test(test_batch_reader),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
