/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The model (catalog + conditions): bad conditions refused by name, rate
 * tables equal to the catalog's rates, and provider sets cloned per thread
 * giving the rates of the model's own set, bit for bit. */
#include <math.h>
#include <omp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/torch_model.h"
#include "kmc/box_spec.h"
#include "kmc/model.h"

static const char *CAT =
    "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
    "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"kra\", \"Eb\": 0.3,"
    " \"nu\": 1e12, \"interactions\": {\"V_I+\": -0.1, \"I_I-\": 0.05},"
    " \"source\": \"user\", \"provenance\": \"test\"},"
    "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"Eb\": 0.2, \"nu\": 2e12,"
    " \"disorder_sigma\": 0.03, \"source\": \"user\", \"provenance\": \"test\"},"
    "{\"defect\": \"I_MA+\", \"mechanism\": \"concerted_ma\", \"pattern\": \"collinear\","
    " \"Eb\": 0.5, \"nu\": 1e12, \"source\": \"user\", \"provenance\": \"test\"}]}";

static void test_bad_conditions(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(CAT, "m.json", &err, &st);
  assert_non_null(cat);
  struct {
    ionkmc_conditions c;
    const char *msg;
  } bad[] = {
      {{.T = 0, .a = 6.3}, "T: expected a temperature > 0 K, got 0"},
      {{.T = NAN, .a = 6.3}, "T: expected a temperature > 0 K"},
      {{.T = 300, .a = -1}, "a: expected a lattice constant > 0 A, got -1"},
      {{.T = 300, .a = INFINITY}, "a: expected a lattice constant > 0 A"},
      {{.T = 300, .a = 6.3, .shift = NAN}, "shift: expected a finite barrier shift"},
      {{.T = 300, .a = 6.3, .field = {0, INFINITY, 0}}, "field: expected finite components"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    err.text[0] = 0;
    assert_null(ionkmc_model_alloc(cat, &bad[i].c, NULL, IONKMC_MODEL_PROVIDERS, &err, &st));
    assert_int_equal(st, IONKMC_ERANGE);
    if (!strstr(err.text, bad[i].msg)) fail_msg("case %zu: '%s'", i, err.text);
  }
  /* a shift that makes a barrier negative names the kind */
  ionkmc_conditions c = {.T = 300, .a = 6.3, .shift = -0.25};
  assert_null(ionkmc_model_alloc(cat, &c, NULL, IONKMC_MODEL_RATES, &err, &st));
  assert_int_equal(st, IONKMC_ERANGE);
  assert_non_null(strstr(err.text, "I_I-: shifted barrier"));
  /* a kind asked for without an entry */
  int count[IONKMC_NDEFECT] = {0};
  count[IONKMC_V_MA_0] = 1;
  c.shift = 0;
  assert_null(ionkmc_model_alloc(cat, &c, count, IONKMC_MODEL_RATES, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "catalog has no entry for V_MA0"));
  /* a rate out of range at a cold T */
  c.T = 2;
  assert_null(ionkmc_model_alloc(cat, &c, NULL, IONKMC_MODEL_RATES, &err, &st));
  assert_int_equal(st, IONKMC_ERANGE);
  assert_non_null(strstr(err.text, "rate per path"));
  ionkmc_catalog_free(cat);
}

static void test_rate_tables(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(CAT, "m.json", &err, &st);
  assert_non_null(cat);
  ionkmc_conditions c = {.T = 420, .a = 6.36, .shift = 0.01, .field = {1e-3, 0, 0}};
  int count[IONKMC_NDEFECT] = {1, 1, 0, 0, 0, 0};
  ionkmc_model *m = ionkmc_model_alloc(cat, &c, count, IONKMC_MODEL_RATES, &err, &st);
  if (!m) fail_msg("%s", err.text);
  assert_true(ionkmc_model_need_env(m)); /* V_I+ is kra */
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    assert_int_equal(ionkmc_model_has(m, k), count[k]);
    double r = 0;
    if (count[k]) {
      assert_int_equal(ionkmc_catalog_rate(cat, k, c.T, c.a, c.shift, &r, &err), IONKMC_OK);
      assert_true(ionkmc_model_rate(m, k) == r);
    } else {
      assert_true(ionkmc_model_rate(m, k) == 0);
    }
  }
  /* the disorder of I_I- is in its rate: exp(sigma^2 / 2 kT^2) above the plain one */
  double kT = IONKMC_KB_EV * c.T;
  double plain = 2e12 * exp(-(0.2 + 0.01) / kT);
  assert_true(fabs(ionkmc_model_rate(m, IONKMC_I_I) / plain / exp(0.03 * 0.03 / (2 * kT * kT)) - 1) < 1e-10);
  assert_true(ionkmc_model_pattern(m, IONKMC_I_MA_P) == IONKMC_PATTERN_SINGLE); /* not in the model */
  /* built without providers: none to clone */
  assert_null(ionkmc_model_providers(m, &err, &st));
  assert_int_equal(st, IONKMC_ESTATE);
  assert_true(ionkmc_model_conditions(m)->T == 420);
  assert_ptr_equal(ionkmc_model_catalog(m), cat);
  ionkmc_model_free(m);
  count[IONKMC_I_MA_P] = 1;
  m = ionkmc_model_alloc(cat, &c, count, IONKMC_MODEL_RATES, &err, &st);
  assert_non_null(m);
  assert_true(ionkmc_model_pattern(m, IONKMC_I_MA_P) == IONKMC_PATTERN_COLLINEAR);
  ionkmc_model_free(m);
  ionkmc_model_free(NULL);
  ionkmc_catalog_free(cat);
}

/* Environments of V_I+ hops: neighbour counts and displacements. */
#define NENV 48
static void make_env(int i, ionkmc_hop_env *env) {
  memset(env, 0, sizeof *env);
  env->kind = i % 2 ? IONKMC_V_I : IONKMC_I_I;
  env->init_counts[IONKMC_V_I] = i % 3;
  env->init_counts[IONKMC_I_I] = (i / 3) % 2;
  env->final_counts[IONKMC_V_I] = (i / 6) % 3;
  env->final_counts[IONKMC_I_I] = (i / 18) % 2;
  double h = 0.5 * 6.36;
  env->dr[i % 3] = (i % 4 < 2 ? 1 : -1) * h;
  env->dr[(i + 1) % 3] = (i % 5 < 2 ? 1 : -1) * h;
  env->ncages = 2;
}

static void rates_of(ionkmc_providers *p, double out[NENV], int *fails) {
  ionkmc_error err;
  for (int i = 0; i < NENV; i++) {
    ionkmc_hop_env env;
    make_env(i, &env);
    if (ionkmc_providers_rate(p, &env, &out[i], &err) != IONKMC_OK) (*fails)++;
  }
}

static void check_clones(const char *catalog_text, const ionkmc_conditions *c) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(catalog_text, "m.json", &err, &st);
  assert_non_null(cat);
  ionkmc_model *m = ionkmc_model_alloc(cat, c, NULL, IONKMC_MODEL_PROVIDERS, &err, &st);
  if (!m) fail_msg("%s", err.text);
  /* serial reference: a set opened directly at the conditions, evaluated
   * twice (cold, then cached) */
  double ref[NENV], again[NENV];
  int fails = 0;
  ionkmc_providers *p0 = ionkmc_providers_alloc_cond(cat, c, &err, &st);
  assert_non_null(p0);
  rates_of(p0, ref, &fails);
  rates_of(p0, again, &fails);
  assert_int_equal(fails, 0);
  assert_memory_equal(ref, again, sizeof ref);
  int64_t hits, misses;
  ionkmc_providers_stats(p0, &hits, &misses, NULL);
  assert_true(misses > 0 && hits >= NENV / 2);
  ionkmc_providers_free(p0);
  /* four threads, each with its own clone, in different orders */
  enum { NT = 4 };
  double got[NT][NENV];
  int tfails[NT] = {0}, made[NT] = {0};
#pragma omp parallel num_threads(NT)
  {
    int t = omp_get_thread_num();
    ionkmc_error lerr;
    ionkmc_providers *p = ionkmc_model_providers(m, &lerr, NULL);
    if (p) {
      made[t] = 1;
      for (int rep = 0; rep < 3; rep++)
        for (int j = 0; j < NENV; j++) {
          int i = (j * (2 * t + 1) + rep) % NENV; /* a thread-dependent order */
          ionkmc_hop_env env;
          make_env(i, &env);
          if (ionkmc_providers_rate(p, &env, &got[t][i], &lerr) != IONKMC_OK) tfails[t]++;
        }
      ionkmc_providers_free(p);
    }
  }
  for (int t = 0; t < NT; t++) {
    assert_int_equal(made[t], 1);
    assert_int_equal(tfails[t], 0);
    for (int i = 0; i < NENV; i++)
      if (got[t][i] != ref[i]) fail_msg("thread %d, env %d: %.17g != %.17g", t, i, got[t][i], ref[i]);
  }
  ionkmc_model_free(m);
  ionkmc_catalog_free(cat);
}

static void test_clones_per_thread(void **state) {
  (void)state;
  ionkmc_conditions c = {.T = 380, .a = 6.36, .shift = 0.02, .field = {2e-3, -1e-3, 0}};
  check_clones(CAT, &c);
  /* the rates are not all alike: the kra environment changes them */
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(CAT, "m.json", &err, NULL);
  ionkmc_model *m = ionkmc_model_alloc(cat, &c, NULL, IONKMC_MODEL_PROVIDERS, &err, NULL);
  ionkmc_providers *p = ionkmc_model_providers(m, &err, NULL);
  double r[NENV];
  int fails = 0;
  rates_of(p, r, &fails);
  assert_true(r[1] != r[3] || r[1] != r[5]);
  ionkmc_providers_free(p);
  ionkmc_model_free(m);
  ionkmc_catalog_free(cat);
}

static void test_torch_clones(void **state) {
  (void)state;
  const char *src = getenv("IONKMC_SOURCE_DIR");
  if (!ionkmc_torch_available() || !src) skip();
  char text[2048];
  snprintf(text, sizeof text,
           "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"torch\","
           " \"model\": \"%s/examples/torch_barrier/model.pt\", \"Eb\": 0.3, \"nu\": 1e12,"
           " \"source\": \"user\", \"provenance\": \"test\"},"
           "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"Eb\": 0.2, \"nu\": 2e12,"
           " \"source\": \"user\", \"provenance\": \"test\"}]}",
           src);
  ionkmc_conditions c = {.T = 400, .a = 6.36, .field = {1e-3, 0, 0}};
  check_clones(text, &c);
}

/* A box's rates come from the model; its check is the engine's. */
static void test_box_spec(void **state) {
  (void)state;
  ionkmc_error err, err2;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(CAT, "m.json", &err, &st);
  assert_non_null(cat);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(3, &st);
  assert_non_null(lat);
  ionkmc_box_spec spec = {.L = 3, .cond = {.T = 450, .a = 6.36, .shift = 0.02}};
  spec.count[IONKMC_I_I] = 2;
  spec.count[IONKMC_I_MA_P] = 1;
  assert_int_equal(ionkmc_box_spec_rates(&spec, cat, &err), IONKMC_OK);
  ionkmc_conditions c = ionkmc_box_spec_conditions(&spec);
  ionkmc_model *m = ionkmc_model_alloc(cat, &c, spec.count, IONKMC_MODEL_RATES, &err, &st);
  assert_non_null(m);
  assert_true(spec.rate[IONKMC_I_I] == ionkmc_model_rate(m, IONKMC_I_I));
  assert_true(spec.rate[IONKMC_I_MA_P] == ionkmc_model_rate(m, IONKMC_I_MA_P));
  assert_int_equal(spec.pattern[IONKMC_I_MA_P], IONKMC_PATTERN_COLLINEAR);
  ionkmc_model_free(m);
  assert_int_equal(ionkmc_box_spec_check(&spec, lat, &err), IONKMC_OK);
  /* each bad box: the check and the engine refuse it with the same words */
  for (int i = 0; i < 5; i++) {
    ionkmc_box_spec b = spec;
    if (i == 0) b.cond.T = -5;
    if (i == 1) b.L = 4;
    if (i == 2) b.count[IONKMC_V_I] = -1;
    if (i == 3) b.rate[IONKMC_I_I] = NAN;
    if (i == 4) b.count[IONKMC_I_I] = 3 * 27 + 1;
    ionkmc_status s1 = ionkmc_box_spec_check(&b, lat, &err), s2;
    assert_int_not_equal(s1, IONKMC_OK);
    assert_null(ionkmc_engine_alloc(&b, lat, &err2, &s2));
    assert_int_equal(s1, s2);
    assert_string_equal(err.text, err2.text);
  }
  /* an engine takes providers only at its own conditions */
  ionkmc_box_spec kb = {.L = 3, .cond = {.T = 450, .a = 6.36}};
  kb.count[IONKMC_V_I] = 1;
  assert_int_equal(ionkmc_box_spec_rates(&kb, cat, &err), IONKMC_OK);
  ionkmc_engine *eng = ionkmc_engine_alloc(&kb, lat, &err, &st);
  assert_non_null(eng);
  for (int i = 0; i < 2; i++) {
    ionkmc_conditions pc = ionkmc_box_spec_conditions(&kb);
    if (i == 1) pc.field[2] = 1e-4;
    else pc.T = 451;
    ionkmc_model *pm = ionkmc_model_alloc(cat, &pc, kb.count, IONKMC_MODEL_PROVIDERS, &err, &st);
    assert_non_null(pm);
    ionkmc_providers *p = ionkmc_model_providers(pm, &err, &st);
    assert_non_null(p);
    assert_int_equal(ionkmc_engine_set_providers(eng, p, &err), IONKMC_EINVAL);
    assert_non_null(strstr(err.text, "not at the box's T = 450 K"));
    ionkmc_providers_free(p);
    ionkmc_model_free(pm);
  }
  /* a type that reads further than the engine keeps rates current is refused:
   * the kra row with its reach widened to two shells */
  {
    ionkmc_catalog_entry *ve = (ionkmc_catalog_entry *)ionkmc_catalog_get(cat, IONKMC_V_I);
    const ionkmc_provider_type *kra = ve->provider;
    ionkmc_provider_type far = *kra;
    far.env_shells = IONKMC_ENGINE_ENV_SHELLS + 1;
    ve->provider = &far;
    ionkmc_conditions pc = ionkmc_box_spec_conditions(&kb);
    ionkmc_providers *p = ionkmc_providers_alloc_cond(cat, &pc, &err, &st);
    assert_non_null(p);
    assert_int_equal(ionkmc_engine_set_providers(eng, p, &err), IONKMC_EINVAL);
    assert_non_null(strstr(err.text, "V_I+: provider \"kra\" reads 2 neighbour shells"));
    ionkmc_providers_free(p);
    ve->provider = kra;
  }
  ionkmc_conditions same = ionkmc_box_spec_conditions(&kb);
  ionkmc_model *pm = ionkmc_model_alloc(cat, &same, kb.count, IONKMC_MODEL_PROVIDERS, &err, &st);
  ionkmc_providers *p = ionkmc_model_providers(pm, &err, &st);
  assert_int_equal(ionkmc_engine_set_providers(eng, p, &err), IONKMC_OK);
  ionkmc_engine_free(eng);
  ionkmc_providers_free(p);
  ionkmc_model_free(pm);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_conditions), cmocka_unit_test(test_rate_tables),
      cmocka_unit_test(test_clones_per_thread), cmocka_unit_test(test_torch_clones),
      cmocka_unit_test(test_box_spec),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
