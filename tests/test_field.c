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

/* 64 runs of the box c on its lattice. */
static ionkmc_run_summary run_box(ionkmc_run_config *c) {
  c->runs = 64;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(c->spec.L, NULL);
  ionkmc_run_summary s;
  ionkmc_error err;
  assert_int_equal(ionkmc_run_batch(c, lat, &s, &err), IONKMC_OK);
  ionkmc_lattice_free(lat);
  return s;
}

static ionkmc_run_summary drift_run(ionkmc_defect_kind k, double eps, int axis, uint64_t seed,
                                    double *E_out, double *D_exact) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 6;
  c.spec.cond.T = 400;
  c.spec.cond.a = 6.33;
  c.spec.count[k] = 1;
  c.spec.rate[k] = 1e9;
  int onx = ionkmc_defect_sublattice(k) == IONKMC_SUB_X;
  double hop = onx ? c.spec.cond.a / 2 : c.spec.cond.a; /* largest projection of a hop on an axis */
  /* eps = |q| E hop / (2 kT): the bias exponent of the most favoured path */
  double E = eps * 2 * IONKMC_KB_EV * c.spec.cond.T / hop;
  c.spec.cond.field[axis] = E;
  c.hops = 200000;
  c.seed = seed;
  ionkmc_run_summary s = run_box(&c);
  double lam2 = (onx ? 0.5 : 1.0) * c.spec.cond.a * c.spec.cond.a * 1e-16;
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

/* A lone I_MA+ (single pattern) has the same paths from every site, so its
 * walk is a compound Poisson process: with the field along x (bias exponent
 * beta on the two +x and two -x paths) the drift is v = 4 Gamma lambda sinh(beta)
 * and the variance about the drift grows as 6 D t with
 * D = Gamma lambda^2 (8 + 4 cosh beta) / 6, however strong the drift. The
 * centre of the MA moves with the defect, so N D_sigma = D too. */
static void test_drift_free_closed_form(void **state) {
  (void)state;
  double E, D0;
  double beta = 1.0;
  ionkmc_run_summary s = drift_run(IONKMC_I_MA_P, beta, 0, 11, &E, &D0);
  double lam = 6.33e-8, G = 1e9;
  double D = G * lam * lam * (8 + 4 * cosh(beta)) / 6;
  double v = 4 * G * lam * sinh(beta);
  double NDsig = s.D_sigma[1].mean * 216, NDsig_se = s.D_sigma[1].sem * 216;
  printf("# I_MA+ beta = 1: D_defect %.4e +- %.1e (closed form %.4e, no field %.4e), "
         "N D_sigma %.4e +- %.1e, drift %.4e +- %.1e (closed form %.4e)\n",
         s.D_defect.mean, s.D_defect.sem, D, D0, NDsig, NDsig_se, s.drift.mean, s.drift.sem, v);
  assert_true(s.D_defect.sem < 0.03 * D);
  assert_true(fabs(s.D_defect.mean - D) < 3 * s.D_defect.sem);
  assert_true(fabs(NDsig - D) < 3 * NDsig_se);
  assert_true(fabs(s.drift.mean - v) < 3 * s.drift.sem);
}

/* A small field (1e-3 V/A) leaves D unchanged: the field run's D_species,
 * D_defect, f and Nernst-Einstein mobility match a zero-field run within 3
 * combined SE, and the drift mobility over the Nernst-Einstein one is 1 within
 * 3 SE. At 1e-2 V/A the drift-including D of before was 70x too large. */
static ionkmc_run_summary vi_run(double Ex, uint32_t unit) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 6;
  c.spec.cond.T = 300;
  c.spec.cond.a = 6.31;
  c.spec.count[IONKMC_V_I] = 1;
  c.spec.rate[IONKMC_V_I] = 1e9;
  c.spec.cond.field[0] = Ex;
  c.hops = 50000;
  c.seed = 20241201;
  c.stream_unit = unit;
  return run_box(&c);
}

static void near(const char *what, ionkmc_estimate a, ionkmc_estimate b, double max_rel_se) {
  double se = sqrt(a.sem * a.sem + b.sem * b.sem);
  printf("# %-10s field %.5e +- %.1e   zero field %.5e +- %.1e   (%.2f SE)\n", what, a.mean, a.sem,
         b.mean, b.sem, (a.mean - b.mean) / se);
  assert_true(se < max_rel_se * fabs(b.mean));
  assert_true(fabs(a.mean - b.mean) < 3 * se);
}

static void test_small_field_matches_zero_field(void **state) {
  (void)state;
  ionkmc_run_summary f = vi_run(1e-3, 1), z = vi_run(0, 2);
  near("D_species", f.D_species[0], z.D_species[0], 0.05);
  near("D_defect", f.D_defect, z.D_defect, 0.05);
  near("f", f.f[0], z.f[0], 0.05);
  near("H_R", f.H_R[0], z.H_R[0], 0.15); /* the centre of charge of one run is one sample */
  double kT = IONKMC_KB_EV * 300;
  /* Nernst-Einstein mobility |q| D_defect / kT of each run */
  near("mu_NE", ionkmc_estimate_scale(f.D_defect, 1 / kT), ionkmc_estimate_scale(z.D_defect, 1 / kT), 0.05);
  double mu_ne = f.D_defect.mean / kT;
  double r = f.mobility.mean / mu_ne;
  double se = r * sqrt(pow(f.mobility.sem / f.mobility.mean, 2) + pow(f.D_defect.sem / f.D_defect.mean, 2));
  printf("# 1e-3 V/A: drift mobility / Nernst-Einstein = %.4f +- %.4f\n", r, se);
  assert_true(fabs(r - 1) < 3 * se);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_nernst_einstein),
                                     cmocka_unit_test(test_linear_response),
                                     cmocka_unit_test(test_drift_free_closed_form),
                                     cmocka_unit_test(test_small_field_matches_zero_field)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
