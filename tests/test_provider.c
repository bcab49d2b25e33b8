/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Barrier providers: Gaussian disorder average, KRA barriers, provider
 * rates, torch provider against the constant one, and their errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/provider.h"
#include "barriers/torch_model.h"

static void test_gauss_factor(void **state) {
  (void)state;
  /* <exp(-d/kT)> = exp(sigma^2 / (2 k^2 T^2)) for d ~ N(0, sigma^2) */
  for (double T = 300; T <= 600; T += 50)
    for (double sigma = 0.01; sigma <= 0.061; sigma += 0.025) {
      double kT = IONKMC_KB_EV * T;
      double exact = exp(sigma * sigma / (2 * kT * kT));
      double gh = ionkmc_gauss_disorder_factor(sigma, kT, 40);
      assert_true(fabs(gh / exact - 1) < 1e-10);
    }
  assert_true(ionkmc_gauss_disorder_factor(0, 0.03, 40) == 1.0);
}

static void test_kra_detailed_balance(void **state) {
  (void)state;
  /* Eb(dE) - Eb(-dE) = dE for any E_kra >= 0, including the clamped cases. */
  const double Ek[3] = {0.0, 0.1, 0.3};
  for (int i = 0; i < 3; i++)
    for (double dE = -0.8; dE <= 0.8; dE += 0.05) {
      double f = ionkmc_kra_barrier(Ek[i], dE), b = ionkmc_kra_barrier(Ek[i], -dE);
      assert_true(f >= 0 && b >= 0);
      assert_true(fabs((f - b) - dE) < 1e-12);
    }
  assert_true(fabs(ionkmc_kra_barrier(0.3, 0.1) - 0.35) < 1e-15);
}

static const char *KRA =
    "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
    "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"kra\", \"Eb\": 0.3,"
    " \"nu\": 1e12, \"interactions\": {\"V_I+\": -0.1, \"I_I-\": 0.05},"
    " \"source\": \"user\", \"provenance\": \"test\"}]}";

static void test_kra_provider(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(KRA, "kra.json", &err, NULL);
  assert_non_null(cat);
  double field[3] = {0, 0, 0};
  ionkmc_providers *p = ionkmc_providers_alloc(cat, 400, 6.3, 0, field, &err, NULL);
  assert_non_null(p);
  assert_true(ionkmc_providers_need_env(p));
  ionkmc_hop_env env;
  memset(&env, 0, sizeof env);
  env.kind = IONKMC_V_I;
  env.dr[0] = 3.15;
  env.dr[1] = 3.15;
  env.init_counts[IONKMC_V_I] = 1; /* leaves a bound neighbour: dE = +0.1 */
  double r;
  assert_int_equal(ionkmc_providers_rate(p, &env, &r, &err), IONKMC_OK);
  double kT = IONKMC_KB_EV * 400;
  assert_true(fabs(r / (1e12 * exp(-0.35 / kT)) - 1) < 1e-12);
  /* the reverse hop */
  memset(env.init_counts, 0, sizeof env.init_counts);
  env.final_counts[IONKMC_V_I] = 1;
  double rb;
  assert_int_equal(ionkmc_providers_rate(p, &env, &rb, &err), IONKMC_OK);
  assert_true(fabs(rb / r - exp(0.1 / kT)) < 1e-9 * exp(0.1 / kT));
  /* second call hits the cache */
  assert_int_equal(ionkmc_providers_rate(p, &env, &rb, &err), IONKMC_OK);
  int64_t hits, misses;
  ionkmc_providers_stats(p, &hits, &misses, NULL);
  assert_int_equal(hits, 1);
  assert_int_equal(misses, 2);
  ionkmc_providers_free(p);
  ionkmc_providers_free(NULL);
  ionkmc_catalog_free(cat);
  /* kra needs interactions */
  ionkmc_status st;
  assert_null(ionkmc_catalog_alloc_string(
      "{\"schema\": \"ionkmc-catalog/1\", \"entries\": [{\"defect\": \"V_I+\", \"mechanism\":"
      " \"kick_out\", \"provider\": \"kra\", \"Eb\": 0.3, \"nu\": 1e12, \"source\": \"user\","
      " \"provenance\": \"t\"}]}",
      "x.json", &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "interactions"));
}

static char *torch_catalog(const char *model, const char *extra) {
  static char buf[2048];
  snprintf(buf, sizeof buf,
           "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"torch\","
           " \"model\": \"%s\", \"Eb\": 0.15, \"nu\": 55800000000.0001 %s,"
           " \"source\": \"user\", \"provenance\": \"test\"}]}",
           model, extra);
  return buf;
}

static void test_torch_provider(void **state) {
  (void)state;
  if (!ionkmc_torch_available()) skip();
  const char *src = getenv("IONKMC_SOURCE_DIR");
  if (!src) skip();
  char path[1024];
  snprintf(path, sizeof path, "%s/examples/torch_barrier/constant_v_i.pt", src);
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(torch_catalog(path, ""), "t.json", &err, &st);
  assert_non_null(cat);
  double field[3] = {0.001, 0, 0};
  ionkmc_providers *p = ionkmc_providers_alloc(cat, 350, 6.3, 0, field, &err, &st);
  if (!p) fail_msg("%s", err.text);
  ionkmc_hop_env env;
  memset(&env, 0, sizeof env);
  env.kind = IONKMC_V_I;
  env.dr[0] = 3.15;
  env.dr[2] = -3.15;
  env.ncages = 2;
  double r, rc;
  assert_int_equal(ionkmc_providers_rate(p, &env, &r, &err), IONKMC_OK);
  /* the constant provider with the same Eb, nu gives the same number bit for bit */
  assert_int_equal(ionkmc_catalog_rate(cat, IONKMC_V_I, 350, 6.3, 0, &rc, &err), IONKMC_OK);
  double kT = IONKMC_KB_EV * 350;
  rc *= exp(0.001 * 3.15 / (2 * kT));
  assert_true(r == rc);
  ionkmc_providers_free(p);
  ionkmc_catalog_free(cat);
  /* a model with another descriptor version, a missing model, a NaN model */
  const char *bad[3] = {"tests/data/torch/wrong_version.pt", "tests/data/torch/none.pt",
                        "tests/data/torch/nan.pt"};
  const ionkmc_status want[3] = {IONKMC_EINVAL, IONKMC_EIO, IONKMC_ERANGE};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", src, bad[i]);
    cat = ionkmc_catalog_alloc_string(torch_catalog(path, ""), "t.json", &err, &st);
    assert_non_null(cat);
    p = ionkmc_providers_alloc(cat, 350, 6.3, 0, field, &err, &st);
    if (i < 2) {
      assert_null(p);
      assert_int_equal(st, want[i]);
    } else {
      assert_non_null(p);
      /* the NaN model fails on evaluation; nothing is cached */
      env.init_counts[0] = 3; /* the test model returns NaN for some rows */
      int failures = 0;
      for (int row = 0; row < 8; row++) {
        env.init_counts[1] = row;
        r = -1;
        if (ionkmc_providers_rate(p, &env, &r, &err) != IONKMC_OK) {
          failures++;
          assert_true(r == -1);
        }
      }
      printf("# NaN model: %d of 8 environments refused (%s)\n", failures, err.text);
      ionkmc_providers_free(p);
    }
    ionkmc_catalog_free(cat);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gauss_factor), cmocka_unit_test(test_kra_detailed_balance),
      cmocka_unit_test(test_kra_provider), cmocka_unit_test(test_torch_provider)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
