/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The embedded catalog against the paper: D_species of the KMC reproduces
 * the Table 2 Arrhenius laws at 500, 550 and 600 K, and the MA vacancies are
 * immobile on the MD time scale (< 1 hop in 2 ns at 600 K). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/runner.h"

static ionkmc_run_summary run(const ionkmc_catalog *cat, ionkmc_defect_kind k, double T, int runs,
                              int64_t hops, double time) {
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 6; /* the paper's cell */
  c.spec.T = T;
  c.spec.a = ionkmc_acell_eval(&am, T);
  c.spec.count[k] = 1;
  c.runs = runs;
  c.hops = hops;
  c.time = time;
  c.seed = 500 + (uint64_t)T + 10 * k;
  ionkmc_error err;
  assert_int_equal(ionkmc_box_spec_rates(&c.spec, cat, &err), IONKMC_OK);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(6, NULL);
  ionkmc_run_summary s;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_OK);
  ionkmc_lattice_free(lat);
  return s;
}

static void test_table2(void **state) {
  (void)state;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(NULL);
  assert_non_null(cat);
  /* Table 2: Ea (eV), D0 (cm^2/s) */
  const struct { ionkmc_defect_kind k; double Ea, D0; } t2[4] = {
      {IONKMC_I_I, 0.18, 5.93e-4}, {IONKMC_V_I, 0.15, 1.04e-4},
      {IONKMC_I_MA_0, 0.18, 3.16e-4}, {IONKMC_I_MA_P, 0.20, 3.47e-4}};
  const double Ts[3] = {500, 550, 600};
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 3; j++) {
      double T = Ts[j];
      ionkmc_run_summary s = run(cat, t2[i].k, T, 64, 20000, 0);
      int sp = ionkmc_defect_sublattice(t2[i].k) == IONKMC_SUB_X ? 0 : 1;
      double paper = t2[i].D0 * exp(-t2[i].Ea / (IONKMC_KB_EV * T));
      double D = s.D_species[sp].mean, se = s.D_species[sp].sem;
      printf("# %-6s T=%g  D_species = %.4e +- %.1e  paper %.4e  ratio %.4f\n",
             ionkmc_defect_name(t2[i].k), T, D, se, paper, D / paper);
      assert_true(se < 0.02 * D);
      assert_true(fabs(D / paper - 1) < 0.05);
      assert_true(fabs(D - paper) < 3 * se);
      /* Sharper: nu was fixed at a = 6.365 A, and the hop length follows
       * a(T), so the exact expectation is paper * (a(T)/6.365)^2. */
      double a = ionkmc_acell_eval(&am, T);
      assert_true(fabs(D - paper * (a / 6.365) * (a / 6.365)) < 3 * se);
    }
  ionkmc_catalog_free(cat);
}

static void test_ma_vacancies_immobile(void **state) {
  (void)state;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(NULL);
  ionkmc_defect_kind ks[2] = {IONKMC_V_MA_M, IONKMC_V_MA_0};
  for (int i = 0; i < 2; i++) {
    const int runs = 2000;
    ionkmc_run_summary s = run(cat, ks[i], 600, runs, 0, 2e-9);
    double mean = (double)s.hops / runs;
    /* expected Poisson mean: 6 paths x rate x 2 ns */
    double rate;
    ionkmc_acell_model am = ionkmc_catalog_acell(cat);
    ionkmc_catalog_rate(cat, ks[i], 600, ionkmc_acell_eval(&am, 600), 0, &rate, NULL);
    double expect = 6 * rate * 2e-9;
    printf("# %s hops in 2 ns at 600 K: %.4f per run (Poisson mean %.4f)\n",
           ionkmc_defect_name(ks[i]), mean, expect);
    assert_true(mean < 1);
    assert_true(fabs(mean - expect) < 4 * sqrt(expect / runs) + 1.0 / runs);
    assert_true(fabs(s.sim_time.mean - 2e-9) < 1e-21);
  }
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_table2),
                                     cmocka_unit_test(test_ma_vacancies_immobile)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
