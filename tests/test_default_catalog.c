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

#include <jansson.h>
#include <stdlib.h>

#include "barriers/paper_table2.h"
#include "kmc/runner.h"

static ionkmc_run_summary run(const ionkmc_catalog *cat, ionkmc_defect_kind k, double T, int runs,
                              int64_t hops, double time) {
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 6; /* the paper's cell */
  c.spec.cond.T = T;
  c.spec.cond.a = ionkmc_acell_eval(&am, T);
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

/* The embedded catalog carries the library's Table 2 (barriers/paper_table2.h):
 * Eb = Ea, the "table2" block, and an uncertainty block whose values and
 * covariance follow from it: var Eb = Ea_err^2, var ln nu = ln(1 + (D0_err/D0)^2),
 * ln nu = ln of the entry's nu. The law itself is D0 exp(-Ea/kT). */
static void test_table2_in_catalog(void **state) {
  (void)state;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(NULL);
  char *text = ionkmc_catalog_dumps(cat);
  json_t *doc = json_loads(text, 0, NULL);
  assert_non_null(doc);
  int rows = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_paper_table2_row *r = ionkmc_paper_table2(k);
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    json_t *ent = NULL, *ents = json_object_get(doc, "entries");
    for (size_t i = 0; i < json_array_size(ents); i++)
      if (!strcmp(json_string_value(json_object_get(json_array_get(ents, i), "defect")), ionkmc_defect_name(k)))
        ent = json_array_get(ents, i);
    assert_non_null(ent);
    json_t *t2 = json_object_get(ent, "table2");
    if (!r) {
      assert_null(t2);
      assert_true(isnan(ionkmc_paper_D(k, 500)));
      continue;
    }
    rows++;
    assert_true(e->Eb == r->Ea);
    assert_true(json_number_value(json_object_get(t2, "Ea")) == r->Ea);
    assert_true(json_number_value(json_object_get(t2, "D0")) == r->D0);
    assert_true(json_number_value(json_object_get(t2, "Ea_err")) == r->Ea_err);
    assert_true(json_number_value(json_object_get(t2, "D0_err")) == r->D0_err);
    assert_int_equal(e->unc_n, 2);
    double vln = log(1 + (r->D0_err / r->D0) * (r->D0_err / r->D0));
    assert_true(fabs(e->unc_cov[0][0] - r->Ea_err * r->Ea_err) < 1e-12);
    assert_true(fabs(e->unc_cov[1][1] - vln) < 5e-6 * vln); /* written to 6 digits */
    json_t *vals = json_object_get(json_object_get(ent, "uncertainty"), "values");
    assert_true(fabs(json_number_value(json_array_get(vals, 1)) - log(e->nu)) < 1e-8);
    assert_true(fabs(ionkmc_paper_D(k, 550) / (r->D0 * exp(-r->Ea / (IONKMC_KB_EV * 550))) - 1) < 1e-15);
  }
  assert_int_equal(rows, 4);
  json_decref(doc);
  free(text);
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_table2_in_catalog), cmocka_unit_test(test_table2),
                                     cmocka_unit_test(test_ma_vacancies_immobile)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
