/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider registry: every type found by its name, an unknown name
 * refused with a message naming the known ones (also from a catalog), and
 * the rate laws every provider goes through. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/catalog.h"
#include "barriers/provider_registry.h"

static void test_lookup_by_name(void **state) {
  (void)state;
  const char *names[] = {"constant", "sampled", "kra", "torch"};
  assert_int_equal(ionkmc_provider_type_count(), 4);
  for (int i = 0; i < 4; i++) {
    ionkmc_error err = {{0}};
    const ionkmc_provider_type *t = ionkmc_provider_lookup(names[i], &err);
    assert_non_null(t);
    assert_string_equal(t->name, names[i]);
    assert_ptr_equal(t, ionkmc_provider_type_at(i));
    /* every row has what the catalog and the provider sets call */
    assert_non_null(t->parse);
    assert_non_null(t->barrier);
    assert_non_null(t->help);
    assert_true(t->env_shells >= 0);
  }
  assert_ptr_equal(ionkmc_provider_lookup("constant", NULL), &ionkmc_provider_constant);
  /* how far each built-in type reads */
  const int shells[4] = {0, 0, 1, 1};
  for (int i = 0; i < 4; i++) assert_int_equal(ionkmc_provider_lookup(names[i], NULL)->env_shells, shells[i]);
  assert_null(ionkmc_provider_type_at(-1));
  assert_null(ionkmc_provider_type_at(4));
}

static void test_unknown_name(void **state) {
  (void)state;
  ionkmc_error err = {{0}};
  assert_null(ionkmc_provider_lookup("Constant", &err)); /* names are case-sensitive */
  assert_non_null(strstr(err.text, "unknown provider \"Constant\""));
  assert_non_null(strstr(err.text, "\"constant\", \"sampled\", \"kra\", \"torch\""));
  assert_null(ionkmc_provider_lookup(NULL, &err));
  assert_non_null(strstr(err.text, "\"kra\""));
  char buf[12];
  ionkmc_provider_names(buf, sizeof buf); /* truncated, still a string */
  assert_true(strlen(buf) < sizeof buf);
}

static void test_catalog_unknown_provider(void **state) {
  (void)state;
  const char *text =
      "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
      "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"nequip\", \"Eb\": 0.3,"
      " \"nu\": 1e12, \"source\": \"user\", \"provenance\": \"test\"}]}";
  ionkmc_error err = {{0}};
  ionkmc_status st;
  assert_null(ionkmc_catalog_alloc_string(text, "c.json", &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "c.json: entries[0].provider: unknown provider \"nequip\""));
  assert_non_null(strstr(err.text, "\"torch\""));
}

/* An entry keeps the common fields; the type's own ones live in its params. */
static void test_entry_type_and_params(void **state) {
  (void)state;
  const char *text =
      "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
      "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"Eb\": 0.3, \"nu\": 1e12,"
      " \"source\": \"user\", \"provenance\": \"t\"},"
      "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"provider\": \"sampled\","
      " \"samples_Eb\": [0.2, 0.4], \"Eb\": 0.3, \"nu\": 1e12, \"source\": \"user\", \"provenance\": \"t\"}]}";
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(text, "c.json", &err, NULL);
  assert_non_null(cat);
  const ionkmc_catalog_entry *v = ionkmc_catalog_get(cat, IONKMC_V_I), *i = ionkmc_catalog_get(cat, IONKMC_I_I);
  assert_ptr_equal(v->provider, &ionkmc_provider_constant); /* no "provider": constant */
  assert_null(v->params);                                   /* nothing of its own */
  assert_ptr_equal(i->provider, ionkmc_provider_lookup("sampled", NULL));
  assert_non_null(i->params);
  /* sampled: nu <exp(-Eb_j/kT)>_j, exactly */
  ionkmc_conditions c = {.T = 400, .a = 6.3};
  double r, kT = IONKMC_KB_EV * 400;
  assert_int_equal(ionkmc_catalog_entry_rate_at(i, NULL, &c, &r, &err), IONKMC_OK);
  double want = 1e12 * 0.5 * (exp(-0.2 / kT) + exp(-0.4 / kT));
  assert_true(fabs(r / want - 1) < 1e-14);
  /* a shift moves every sample; one that makes a sample negative clips it at 0 */
  c.shift = -0.25;
  assert_int_equal(ionkmc_catalog_entry_rate_at(i, NULL, &c, &r, &err), IONKMC_OK);
  want = 1e12 * 0.5 * (1.0 + exp(-0.15 / kT));
  assert_true(fabs(r / want - 1) < 1e-14);
  /* bad conditions are refused by name */
  c.shift = 0;
  c.T = -1;
  assert_int_equal(ionkmc_catalog_entry_rate_at(v, NULL, &c, &r, &err), IONKMC_ERANGE);
  assert_non_null(strstr(err.text, "T: expected a temperature > 0 K"));
  ionkmc_catalog_free(cat);
}

/* The two rate laws. */
static void test_rate_laws(void **state) {
  (void)state;
  double kT = IONKMC_KB_EV * 350, Eb[3] = {0.2, 0.3, 0.5}, nu[3] = {1e12, 2e12, 4e11};
  ionkmc_barrier one = {.n = 1, .Eb = Eb, .nu0 = 3e12};
  assert_true(ionkmc_rate_arrhenius(&one, kT) == 3e12 * exp(-0.2 / kT));
  ionkmc_barrier avg = {.n = 3, .Eb = Eb, .nu = nu};
  double want = (1e12 * exp(-0.2 / kT) + 2e12 * exp(-0.3 / kT) + 4e11 * exp(-0.5 / kT)) / 3;
  assert_true(fabs(ionkmc_rate_arrhenius(&avg, kT) / want - 1) < 1e-14);
  /* Gaussian disorder: exp(sigma^2 / 2 kT^2) */
  ionkmc_barrier dis = {.n = 1, .Eb = Eb, .nu0 = 1e12, .sigma = 0.04};
  want = 1e12 * exp(-0.2 / kT) * exp(0.04 * 0.04 / (2 * kT * kT));
  assert_true(fabs(ionkmc_rate_arrhenius(&dis, kT) / want - 1) < 1e-10);
  /* field bias: exp(q E.dr / 2kT); forward times backward is 1 */
  double E[3] = {1e-3, -2e-3, 0}, dr[3] = {3.1, 3.1, 0}, back[3] = {-3.1, -3.1, 0};
  double f = ionkmc_rate_field_bias(-1, E, dr, kT);
  assert_true(fabs(f / exp(-1 * (1e-3 * 3.1 - 2e-3 * 3.1) / (2 * kT)) - 1) < 1e-15);
  assert_true(fabs(f * ionkmc_rate_field_bias(-1, E, back, kT) - 1) < 1e-15);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lookup_by_name), cmocka_unit_test(test_unknown_name),
      cmocka_unit_test(test_catalog_unknown_provider), cmocka_unit_test(test_entry_type_and_params),
      cmocka_unit_test(test_rate_laws),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
