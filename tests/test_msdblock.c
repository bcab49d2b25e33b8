/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Single-run standard errors of D by blocking: on synthetic runs whose true
 * D is known (lattice random walks sampled at equal frames, with and without
 * thermal noise), the blocked 95% intervals hold the truth in 95% +- 3
 * binomial SE of the runs; errors of the workspace. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calibration/msd.h"
#include "calibration/msdblock.h"

/* One run: np walkers hopping by lam (angstrom) along +-x, +-y, +-z at total
 * rate G (1/ps), nf frames dt ps apart, Gaussian noise of sd sig (angstrom)
 * added to every recorded position. x[(p * nf + k) * 3 + c]. */
static void walk(gsl_rng *g, int np, int nf, double dt, double G, double lam, double sig, double *x) {
  for (int p = 0; p < np; p++) {
    double r[3] = {0, 0, 0};
    for (int k = 0; k < nf; k++) {
      if (k > 0) {
        unsigned nh = gsl_ran_poisson(g, G * dt);
        for (unsigned h = 0; h < nh; h++) {
          unsigned d = (unsigned)gsl_rng_uniform_int(g, 6);
          r[d / 2] += d % 2 ? lam : -lam;
        }
      }
      for (int c = 0; c < 3; c++) x[((size_t)p * nf + k) * 3 + c] = r[c] + (sig > 0 ? gsl_ran_gaussian(g, sig) : 0);
    }
  }
}

static void coverage(const char *what, int np, double sig, double lo, double hi, int nruns) {
  const int nf = 2000;
  const double dt = 0.1, G = 5, lam = 4.5;
  double *x = malloc(sizeof(double) * 3 * (size_t)nf * np);
  gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(g, 4242 + (unsigned long)np);
  double D_true = np * G * lam * lam / 6 * 1e-4; /* summed over walkers, cm^2/s */
  int hit = 0, frames = 0;
  double mean_rel_se = 0;
  for (int run = 0; run < nruns; run++) {
    walk(g, np, nf, dt, G, lam, sig, x);
    ionkmc_error err;
    ionkmc_msd_blocks *b = ionkmc_msd_blocks_alloc(nf, IONKMC_MSD_BLOCKS_DEFAULT, &err);
    assert_non_null(b);
    for (int p = 0; p < np; p++) ionkmc_msd_blocks_add_double(b, x + (size_t)p * nf * 3, 3);
    ionkmc_estimate D;
    assert_int_equal(ionkmc_msd_blocks_D(b, dt, lo, hi, &D, &err), IONKMC_OK);
    assert_true(D.lo > 0 && D.n == IONKMC_MSD_BLOCKS_DEFAULT);
    hit += D.lo <= D_true && D_true <= D.hi;
    mean_rel_se += D.sem / D.mean / nruns;
    frames = ionkmc_msd_blocks_frames(b);
    ionkmc_msd_blocks_free(b);
  }
  double p = (double)hit / nruns, se = sqrt(0.95 * 0.05 / nruns);
  printf("# %s: %d blocks of %d frames, mean relative SE %.3f, coverage %d/%d = %.3f (95%% +- %.3f)\n", what,
         IONKMC_MSD_BLOCKS_DEFAULT, frames, mean_rel_se, hit, nruns, p, 3 * se);
  if (fabs(p - 0.95) > 3 * se) fail_msg("%s: coverage %.3f outside 0.95 +- %.3f", what, p, 3 * se);
  gsl_rng_free(g);
  free(x);
}

/* A lone defect's walk (no vibration), fitted over lags 0-0.1 as calibrate does. */
static void test_lone_walk(void **state) {
  (void)state;
  coverage("lone walk, window 0-0.1", 1, 0, 0, 0.1, 400);
}

/* A species of 20 walkers with 0.3 A thermal noise, window 0.1-0.5. */
static void test_species_with_noise(void **state) {
  (void)state;
  coverage("20 walkers + 0.3 A noise, window 0.1-0.5", 20, 0.3, 0.1, 0.5, 400);
}

static void test_errors(void **state) {
  (void)state;
  ionkmc_error err;
  assert_null(ionkmc_msd_blocks_alloc(60, 8, &err)); /* 7 frames per block */
  assert_non_null(strstr(err.text, "blocks"));
  assert_null(ionkmc_msd_blocks_alloc(100, 1, &err));
  ionkmc_msd_blocks_free(NULL);
  ionkmc_msd_blocks *b = ionkmc_msd_blocks_alloc(64, 8, &err);
  double x[64 * 3] = {0};
  ionkmc_msd_blocks_add_double(b, x, 3);
  ionkmc_estimate D;
  assert_int_equal(ionkmc_msd_blocks_D(b, 0.1, 0.4, 0.5, &D, &err), IONKMC_EINVAL); /* < 3 lags */
  ionkmc_msd_blocks_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lone_walk),
      cmocka_unit_test(test_species_with_noise),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
