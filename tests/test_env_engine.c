/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Environment-dependent rates in the engine: the torch provider against the
 * constant one (bit for bit), kra detailed balance in a two-vacancy box,
 * annealed Gaussian barrier disorder across 300-600 K, and a model failure
 * that must stop the run. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/torch_model.h"
#include "kmc/runner.h"

static ionkmc_catalog *catalog(const char *entry) {
  char buf[4096];
  snprintf(buf, sizeof buf, "{\"schema\": \"ionkmc-catalog/1\", \"entries\": [%s]}", entry);
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(buf, "test", &err, NULL);
  if (!cat) fail_msg("%s", err.text);
  return cat;
}

static ionkmc_status run(const ionkmc_catalog *cat, ionkmc_defect_kind k, int count, int L,
                         double T, int runs, int64_t hops, ionkmc_run_summary *s,
                         ionkmc_error *err) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = L;
  c.spec.cond.T = T;
  c.spec.cond.a = 6.33;
  c.spec.count[k] = count;
  c.runs = runs;
  c.hops = hops;
  c.seed = 77;
  c.cat = cat;
  ionkmc_status st = ionkmc_box_spec_rates(&c.spec, cat, err);
  if (st) return st;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, NULL);
  st = ionkmc_run_batch(&c, lat, s, err);
  ionkmc_lattice_free(lat);
  return st;
}

static void test_torch_equals_constant(void **state) {
  (void)state;
  const char *src = getenv("IONKMC_SOURCE_DIR");
  if (!ionkmc_torch_available() || !src) skip();
  char e1[1024], e2[1024];
  snprintf(e1, sizeof e1,
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"torch\", \"model\":"
           " \"%s/examples/torch_barrier/constant_v_i.pt\", \"Eb\": 0.15, \"nu\": 55800000000.0001,"
           " \"source\": \"user\", \"provenance\": \"t\"}", src);
  snprintf(e2, sizeof e2,
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"Eb\": 0.15, \"nu\": 55800000000.0001,"
           " \"source\": \"user\", \"provenance\": \"t\"}");
  ionkmc_catalog *ct = catalog(e1), *cc = catalog(e2);
  ionkmc_run_summary st, sc;
  ionkmc_error err;
  /* several vacancies, so environments differ and the second shell matters */
  assert_int_equal(run(ct, IONKMC_V_I, 12, 5, 350, 4, 20000, &st, &err), IONKMC_OK);
  assert_int_equal(run(cc, IONKMC_V_I, 12, 5, 350, 4, 20000, &sc, &err), IONKMC_OK);
  assert_memory_equal(&st.D_species[0].mean, &sc.D_species[0].mean, sizeof(double));
  assert_memory_equal(&st.D_defect.mean, &sc.D_defect.mean, sizeof(double));
  assert_memory_equal(&st.sim_time.mean, &sc.sim_time.mean, sizeof(double));
  assert_int_equal(st.hops, sc.hops);
  assert_true(st.cache_hits > 0 && st.cache_misses > 0);
  printf("# torch == constant; cache hits %lld, misses %lld\n", (long long)st.cache_hits,
         (long long)st.cache_misses);
  ionkmc_catalog_free(ct);
  ionkmc_catalog_free(cc);
}

/* Two vacancies with a first-shell pair energy J in a 3^3 box (81 X sites):
 * the time they spend as neighbours is 8 w / (8 w + 72), w = exp(-J/kT). */
static void test_kra_detailed_balance(void **state) {
  (void)state;
  const double J = -0.05, T = 400;
  char e[1024];
  snprintf(e, sizeof e,
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"kra\", \"Eb\": 0.2,"
           " \"nu\": 1e12, \"interactions\": {\"V_I+\": %g}, \"source\": \"user\", \"provenance\": \"t\"}",
           J);
  ionkmc_catalog *cat = catalog(e);
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = 3;
  spec.cond.T = T;
  spec.cond.a = 6.33;
  spec.count[IONKMC_V_I] = 2;
  assert_int_equal(ionkmc_box_spec_rates(&spec, cat, NULL), IONKMC_OK);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(3, NULL);
  ionkmc_engine *eng = ionkmc_engine_alloc(&spec, lat, NULL, NULL);
  ionkmc_providers *prov = ionkmc_providers_alloc(cat, T, 6.33, 0, spec.cond.field, NULL, NULL);
  assert_int_equal(ionkmc_engine_set_providers(eng, prov, NULL), IONKMC_OK);
  const int runs = 40;
  double frac[40];
  for (int r = 0; r < runs; r++) {
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, 5, r);
    assert_int_equal(ionkmc_engine_reset(eng, &rng, NULL), IONKMC_OK);
    double tnn = 0, t0 = 0;
    for (int step = 0; step < 20000; step++) {
      int s0, s1;
      ionkmc_engine_defect(eng, 0, NULL, &s0, NULL, NULL);
      ionkmc_engine_defect(eng, 1, NULL, &s1, NULL, NULL);
      int n, nn = 0;
      const int32_t *nb = ionkmc_lattice_neighbours(lat, "XX", s0, &n, NULL);
      for (int i = 0; i < n; i++) nn |= nb[i] == s1;
      assert_int_equal(ionkmc_engine_step(eng, &rng), IONKMC_OK);
      double t1 = ionkmc_engine_obs(eng)->t;
      if (nn) tnn += t1 - t0;
      t0 = t1;
    }
    frac[r] = tnn / t0;
  }
  ionkmc_estimate est = ionkmc_estimate_mean(frac, runs, 1);
  double w = exp(-J / (IONKMC_KB_EV * T));
  double exact = 8 * w / (8 * w + 72);
  printf("# P(neighbours) = %.4f +- %.4f, Boltzmann %.4f (without interaction %.4f)\n", est.mean,
         est.sem, exact, 8.0 / 80);
  assert_true(est.sem < 0.01);
  assert_true(fabs(est.mean - exact) < 3 * est.sem);
  ionkmc_providers_free(prov);
  ionkmc_engine_free(eng);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
}

/* Annealed Gaussian disorder of width sigma: D_defect(T) follows
 * exp(-Eb/kT + sigma^2/(2 k^2 T^2)); an Arrhenius line through 500 and
 * 600 K underestimates D at 300 K. */
static void test_gaussian_disorder(void **state) {
  (void)state;
  const double sigma = 0.06, Eb = 0.2, nu = 1e12;
  char e[1024];
  snprintf(e, sizeof e,
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"Eb\": %g, \"nu\": %g,"
           " \"disorder_sigma\": %g, \"source\": \"user\", \"provenance\": \"t\"}",
           Eb, nu, sigma);
  ionkmc_catalog *cat = catalog(e);
  const double Ts[4] = {300, 400, 500, 600};
  double D[4], se[4];
  for (int i = 0; i < 4; i++) {
    ionkmc_run_summary s;
    ionkmc_error err;
    assert_int_equal(run(cat, IONKMC_V_I, 1, 6, Ts[i], 64, 20000, &s, &err), IONKMC_OK);
    double kT = IONKMC_KB_EV * Ts[i];
    double exact = 8 * nu * exp(-Eb / kT + sigma * sigma / (2 * kT * kT)) * 0.5 * 6.33 * 6.33e-16 / 6;
    D[i] = s.D_defect.mean;
    se[i] = s.D_defect.sem;
    printf("# T = %g  D_defect = %.4e +- %.1e  closed form %.4e\n", Ts[i], D[i], se[i], exact);
    assert_true(fabs(D[i] - exact) < 3 * se[i]);
  }
  /* Arrhenius through the 500 and 600 K points, extrapolated to 300 K */
  double x5 = 1 / (IONKMC_KB_EV * 500), x6 = 1 / (IONKMC_KB_EV * 600), x3 = 1 / (IONKMC_KB_EV * 300);
  double slope = (log(D[2]) - log(D[3])) / (x5 - x6);
  double extrap = exp(log(D[3]) + slope * (x3 - x6));
  printf("# at 300 K: KMC %.4e, Arrhenius extrapolation from 500-600 K %.4e (ratio %.2f)\n", D[0],
         extrap, D[0] / extrap);
  assert_true(D[0] / extrap > 1.5);
  ionkmc_catalog_free(cat);
}

/* A model whose barrier depends on the MA orientations next to the path:
 * in annealed mode a lone vacancy diffuses with D = 8 <Gamma> lambda^2 / 6,
 * <Gamma> the model's rate averaged over the 9 orientation classes of the
 * two cages (computed here directly with the model); the quenched mode runs
 * on frozen classes and meets more distinct environments. */
static void test_orientation_modes(void **state) {
  (void)state;
  const char *src = getenv("IONKMC_SOURCE_DIR");
  if (!ionkmc_torch_available() || !src) skip();
  char path[1024], e[2048];
  snprintf(path, sizeof path, "%s/examples/torch_barrier/model.pt", src);
  const double T = 450, a = 6.33;
  ionkmc_torch_model *m = ionkmc_torch_model_alloc(path, 1, 18, NULL, NULL);
  assert_non_null(m);
  /* a hop along (+1, +1, 0) h: cos^2 is 1/2 for classes x and y, 0 for z */
  double x[9 * 18], Eb[9], nu[9];
  int zero[6] = {0};
  for (int c = 0; c < 9; c++) {
    int c1 = c % 3, c2 = c / 3;
    double cos2 = (c1 < 2 ? 0.5 : 0) + (c2 < 2 ? 0.5 : 0);
    ionkmc_torch_descriptor_fill(x + 18 * c, 1, a / sqrt(2.0), a, 0, zero, zero, cos2, 2);
  }
  assert_int_equal(ionkmc_torch_model_eval(m, x, 9, Eb, nu, NULL), IONKMC_OK);
  double mean = 0;
  for (int c = 0; c < 9; c++) mean += nu[c] * exp(-Eb[c] / (IONKMC_KB_EV * T)) / 9;
  ionkmc_torch_model_free(m);
  const char *modes[2] = {"annealed", "quenched"};
  int64_t misses[2];
  for (int q = 0; q < 2; q++) {
    snprintf(e, sizeof e,
             "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"torch\", \"model\":"
             " \"%s\", \"orientation\": \"%s\", \"Eb\": 0.15, \"nu\": 1e11,"
             " \"source\": \"user\", \"provenance\": \"t\"}", path, modes[q]);
    ionkmc_catalog *cat = catalog(e);
    ionkmc_run_summary s;
    ionkmc_error err;
    assert_int_equal(run(cat, IONKMC_V_I, 1, 6, T, 64, 20000, &s, &err), IONKMC_OK);
    misses[q] = s.cache_misses;
    double exact = 8 * mean * 0.5 * a * a * 1e-16 / 6;
    printf("# %s: D_defect = %.4e +- %.1e (annealed closed form %.4e), cache misses %lld\n",
           modes[q], s.D_defect.mean, s.D_defect.sem, exact, (long long)s.cache_misses);
    if (q == 0) assert_true(fabs(s.D_defect.mean - exact) < 3 * s.D_defect.sem);
    ionkmc_catalog_free(cat);
  }
  assert_true(misses[1] > misses[0]);
}

/* A model that returns NaN stops the run with IONKMC_ERANGE. */
static void test_model_failure(void **state) {
  (void)state;
  const char *src = getenv("IONKMC_SOURCE_DIR");
  if (!ionkmc_torch_available() || !src) skip();
  char e[1024];
  snprintf(e, sizeof e,
           "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"provider\": \"torch\", \"model\":"
           " \"%s/tests/data/torch/nan.pt\", \"Eb\": 0.15, \"nu\": 1e11,"
           " \"source\": \"user\", \"provenance\": \"t\"}", src);
  ionkmc_catalog *cat = catalog(e);
  ionkmc_run_summary s;
  ionkmc_error err;
  assert_int_equal(run(cat, IONKMC_I_I, 1, 4, 400, 2, 1000, &s, &err), IONKMC_ERANGE);
  printf("# %s\n", err.text);
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_torch_equals_constant), cmocka_unit_test(test_kra_detailed_balance),
      cmocka_unit_test(test_gaussian_disorder), cmocka_unit_test(test_orientation_modes),
      cmocka_unit_test(test_model_failure)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
