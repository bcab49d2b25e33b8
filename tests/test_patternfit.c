/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The pattern fitters' registry and the uncorrelated fit: rate recovered
 * within its exact interval from simulated tracks, log-likelihood equal to
 * the direct sum, foreign moves refused, selection among the fitted ones. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calibration/patternfit.h"

/* The 8 nearest-neighbour moves of an X site of axis ax (h units). */
static void x_move(int ax, int i, int dh[3]) {
  int b = (ax + 1) % 3, c = (ax + 2) % 3, other = (i & 4) ? c : b;
  dh[0] = dh[1] = dh[2] = 0;
  dh[ax] = (i & 1) ? 1 : -1;
  dh[other] = (i & 2) ? 1 : -1;
}

#define NJ 4000

/* Tracks of a V_I+ random walk at per-path rate k (1/ps). */
static void walk(gsl_rng *r, double k, ionkmc_defect_jump *j, size_t n, double *tail) {
  int ax = 0;
  for (size_t i = 0; i < n; i++) {
    j[i].dwell = gsl_ran_exponential(r, 1.0 / (8 * k));
    int m = (int)gsl_rng_uniform_int(r, 8);
    x_move(ax, m, j[i].dh);
    j[i].from_site = 0;
    ax = j[i].dh[(ax + 1) % 3] ? (ax + 1) % 3 : (ax + 2) % 3;
  }
  *tail = gsl_ran_exponential(r, 1.0 / (8 * k));
}

static void test_single_recovers_rate(void **state) {
  (void)state;
  static ionkmc_defect_jump j[2][NJ];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  const double k = 0.25;
  int covered = 0, trials = 40;
  for (int t = 0; t < trials; t++) {
    ionkmc_jump_track tr[2];
    double tail[2];
    size_t n = t == 0 ? NJ : 200;
    for (int q = 0; q < 2; q++) {
      walk(r, k, j[q], n, &tail[q]);
      tr[q] = (ionkmc_jump_track){j[q], n, tail[q]};
    }
    ionkmc_jump_context ctx = {IONKMC_V_I, 4, 300};
    ionkmc_pattern_fit f;
    ionkmc_error err = {0};
    assert_int_equal(ionkmc_patternfit_single.fit(&ctx, tr, 2, &f, &err), IONKMC_OK);
    assert_int_equal(f.njumps, 2 * n);
    assert_true(f.rate_lo < f.rate && f.rate < f.rate_hi);
    covered += f.rate_lo <= k && k <= f.rate_hi;
    if (t == 0) {
      /* the log-likelihood is the direct sum at the fitted rate */
      double T = 0, ll = 0, R = 8 * f.rate;
      for (int q = 0; q < 2; q++) {
        for (size_t i = 0; i < n; i++) ll += log(R) - R * j[q][i].dwell + log(1.0 / 8), T += j[q][i].dwell;
        ll -= R * tail[q];
        T += tail[q];
      }
      assert_true(fabs(ll - f.loglik) < 1e-9 * fabs(ll));
      assert_true(fabs(f.aic - (2 - 2 * f.loglik)) < 1e-9 * fabs(f.aic));
      /* the interval's width is that of a Poisson count of 2n */
      assert_true(fabs((f.rate_hi - f.rate_lo) / f.rate - 2 * 1.96 / sqrt(2.0 * n)) < 0.01);
    }
  }
  /* a 95% interval covers the true rate in 38 of 40 trials on average;
   * 33 is 2.3 SE below (binomial SD 1.38) */
  assert_true(covered >= 33);
  gsl_rng_free(r);
}

static void test_foreign_moves_refused(void **state) {
  (void)state;
  ionkmc_defect_jump j[2] = {{1.0, {1, 1, 0}, 0}, {1.0, {2, 0, 0}, 0}};
  ionkmc_jump_track tr = {j, 2, 0};
  ionkmc_jump_context ctx = {IONKMC_V_I, 4, 300};
  ionkmc_pattern_fit f;
  ionkmc_error err = {0};
  assert_int_equal(ionkmc_patternfit_single.fit(&ctx, &tr, 1, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "jump 1"));
  /* an MA interstitial's collinear 2a moves are not single ones, and back */
  ionkmc_defect_jump m[2] = {{1.0, {4, 0, 0}, 0}, {1.0, {0, -4, 0}, 0}};
  ionkmc_jump_track tm = {m, 2, 0.5};
  ctx.kind = IONKMC_I_MA_0;
  assert_int_equal(ionkmc_patternfit_single.fit(&ctx, &tm, 1, &f, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_patternfit_collinear.fit(&ctx, &tm, 1, &f, &err), IONKMC_OK);
  ionkmc_pattern_fit all[IONKMC_NPATTERN];
  ionkmc_pattern best = IONKMC_PATTERN_SINGLE;
  assert_int_equal(ionkmc_patternfit_select(&ctx, &tm, 1, all, &best, &err), IONKMC_OK);
  assert_int_equal(best, IONKMC_PATTERN_COLLINEAR);
  assert_int_equal(all[IONKMC_PATTERN_SINGLE].npar, 0);
  /* no jumps at all: nothing to fit */
  ionkmc_jump_track none = {NULL, 0, 3.0};
  ctx.kind = IONKMC_V_I;
  assert_int_equal(ionkmc_patternfit_select(&ctx, &none, 1, all, &best, &err), IONKMC_EINVAL);
}

static void test_registry(void **state) {
  (void)state;
  for (int p = 0; p < IONKMC_NPATTERN; p++) {
    const ionkmc_patternfit_type *t = ionkmc_patternfit_lookup((ionkmc_pattern)p);
    if (t) assert_int_equal(t->pattern, p);
  }
  assert_non_null(ionkmc_patternfit_lookup(IONKMC_PATTERN_SINGLE));
  assert_null(ionkmc_patternfit_lookup(IONKMC_NPATTERN));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_single_recovers_rate),
      cmocka_unit_test(test_foreign_moves_refused),
      cmocka_unit_test(test_registry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
