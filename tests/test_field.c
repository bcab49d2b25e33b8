/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Electric field: drift is linear in a small field and the mobility obeys
 * Nernst-Einstein, mu = |q| D / (kB T / e), with D the zero-field defect
 * diffusion coefficient sum_paths Gamma lambda^2 / 6 (checked exactly in
 * test_engine). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/runner.h"

static ionkmc_run_summary drift_run(ionkmc_defect_kind k, double eps, int axis, uint64_t seed,
                                    double *E_out, double *D_exact) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 6;
  c.spec.T = 400;
  c.spec.a = 6.33;
  c.spec.count[k] = 1;
  c.spec.rate[k] = 1e9;
  int onx = ionkmc_defect_sublattice(k) == IONKMC_SUB_X;
  double hop = onx ? c.spec.a / 2 : c.spec.a; /* largest projection of a hop on an axis */
  /* eps = |q| E hop / (2 kT): the bias exponent of the most favoured path */
  double E = eps * 2 * IONKMC_KB_EV * c.spec.T / hop;
  c.spec.field[axis] = E;
  c.runs = 64;
  c.hops = 200000;
  c.seed = seed;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(6, NULL);
  ionkmc_run_summary s;
  ionkmc_error err;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_OK);
  ionkmc_lattice_free(lat);
  double lam2 = (onx ? 0.5 : 1.0) * c.spec.a * c.spec.a * 1e-16;
  *D_exact = ionkmc_defect_npaths(k) * c.spec.rate[k] * lam2 / 6;
  *E_out = E;
  return s;
}

static void test_nernst_einstein(void **state) {
  (void)state;
  const ionkmc_defect_kind kinds[3] = {IONKMC_V_I, IONKMC_I_I, IONKMC_I_MA_P};
  for (int i = 0; i < 3; i++) {
    double E, D;
    ionkmc_run_summary s = drift_run(kinds[i], 0.02, i, 40 + i, &E, &D);
    double mu_ne = D / (IONKMC_KB_EV * 400); /* |q| = 1 */
    printf("# %s mobility %.4e +- %.1e cm2/Vs, Nernst-Einstein %.4e\n",
           ionkmc_defect_name(kinds[i]), s.mobility.mean, s.mobility.sem, mu_ne);
    assert_true(s.mobility.sem < 0.05 * mu_ne);
    assert_true(fabs(s.mobility.mean - mu_ne) < 3 * s.mobility.sem);
  }
}

static void test_linear_response(void **state) {
  (void)state;
  double E1, E2, D;
  ionkmc_run_summary s1 = drift_run(IONKMC_V_I, 0.02, 0, 7, &E1, &D);
  ionkmc_run_summary s2 = drift_run(IONKMC_V_I, 0.04, 0, 8, &E2, &D);
  double r = s2.drift.mean / s1.drift.mean;
  double se = r * sqrt(pow(s1.drift.sem / s1.drift.mean, 2) + pow(s2.drift.sem / s2.drift.mean, 2));
  printf("# v(2E)/v(E) = %.4f +- %.4f\n", r, se);
  assert_true(se < 0.1);
  assert_true(fabs(r - 2) < 3 * se);
  /* no field, no drift: mobility undefined, drift not reported */
  double E0;
  ionkmc_run_summary s0 = drift_run(IONKMC_V_I, 0.0, 0, 9, &E0, &D);
  assert_true(isnan(s0.drift.mean));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_nernst_einstein),
                                     cmocka_unit_test(test_linear_response)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
