/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Rate catalog: parsing, rates, output (validation errors: test_catalog_invalid.c). */
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

static const char *GOOD =
    "{\"schema\": \"ionkmc-catalog/1\", \"name\": \"t\", \"entries\": ["
    "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"Eb\": 0.2, \"nu\": 1e12,"
    " \"source\": \"user\", \"provenance\": \"test\"}]}";

static void test_good_and_rate(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(GOOD, "x.json", &err, NULL);
  assert_non_null(cat);
  const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, IONKMC_V_I);
  assert_int_equal(e->present, 1);
  assert_false(ionkmc_catalog_get(cat, IONKMC_I_I)->present);
  double r;
  assert_int_equal(ionkmc_catalog_rate(cat, IONKMC_V_I, 400, 6.3, 0.05, &r, &err), IONKMC_OK);
  assert_true(fabs(r / (1e12 * exp(-0.25 / (IONKMC_KB_EV * 400))) - 1) < 1e-14);
  /* error paths of rate */
  assert_int_equal(ionkmc_catalog_rate(cat, IONKMC_I_I, 400, 6.3, 0, &r, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "I_I-"));
  assert_int_equal(ionkmc_catalog_rate(cat, IONKMC_V_I, 0, 6.3, 0, &r, &err), IONKMC_ERANGE);
  assert_int_equal(ionkmc_catalog_rate(cat, IONKMC_V_I, -1, 6.3, 0, &r, &err), IONKMC_ERANGE);
  assert_int_equal(ionkmc_catalog_rate(cat, IONKMC_V_I, 300, 6.3, -0.3, &r, &err), IONKMC_ERANGE);
  ionkmc_catalog_free(cat);
  ionkmc_catalog_free(NULL);
}

static void test_lattice_dependence(void **state) {
  (void)state;
  const char *t = "{\"schema\": \"ionkmc-catalog/1\", \"entries\": ["
                  "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"Eb\": 0.2, \"nu\": 1e12,"
                  " \"a_ref\": 6.3, \"dEb_da\": -0.5, \"source\": \"neb\", \"provenance\": \"p\"}]}";
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(t, "x.json", &err, NULL);
  assert_non_null(cat);
  double r1, r2;
  ionkmc_catalog_rate(cat, IONKMC_I_I, 300, 6.3, 0, &r1, &err);
  ionkmc_catalog_rate(cat, IONKMC_I_I, 300, 6.4, 0, &r2, &err);
  /* a grows by 0.1 A, the barrier drops by 0.05 eV */
  assert_true(fabs(log(r2 / r1) - 0.05 / (IONKMC_KB_EV * 300)) < 1e-12);
  ionkmc_catalog_free(cat);
}

/* Catalogs that must be refused are data: tests/data/catalog_invalid/<case>/
 * (input.json, expected_error), run by tests/test_catalog_invalid.c. */

static void test_default_and_roundtrip(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(&err);
  assert_non_null(cat);
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    assert_int_equal(e->present, 1);
    assert_non_null(e->provenance);
  }
  /* Table 2 barriers for the mobile defects, NEB for the MA vacancies */
  assert_true(ionkmc_catalog_get(cat, IONKMC_V_I)->Eb == 0.15);
  assert_true(ionkmc_catalog_get(cat, IONKMC_I_I)->Eb == 0.18);
  assert_string_equal(ionkmc_catalog_get(cat, IONKMC_V_MA_M)->source, "neb");
  char *text = ionkmc_catalog_dumps(cat);
  assert_non_null(text);
  ionkmc_catalog *again = ionkmc_catalog_alloc_string(text, "dump", &err, NULL);
  assert_non_null(again);
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    assert_true(ionkmc_catalog_get(again, k)->nu == ionkmc_catalog_get(cat, k)->nu);
    assert_true(ionkmc_catalog_get(again, k)->Eb == ionkmc_catalog_get(cat, k)->Eb);
  }
  free(text);
  /* save and read back from a file */
  char path[] = "/tmp/ionkmc_test_catalog_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(ionkmc_catalog_save(cat, path, &err), IONKMC_OK);
  ionkmc_status st;
  ionkmc_catalog *fromfile = ionkmc_catalog_alloc_file(path, &err, &st);
  assert_non_null(fromfile);
  remove(path);
  /* set() updates and validates */
  assert_int_equal(ionkmc_catalog_set(fromfile, IONKMC_V_I, 0.3, 2e12, "user", "changed", &err), IONKMC_OK);
  assert_true(ionkmc_catalog_get(fromfile, IONKMC_V_I)->Eb == 0.3);
  assert_string_equal(ionkmc_catalog_get(fromfile, IONKMC_V_I)->provenance, "changed");
  assert_int_equal(ionkmc_catalog_set(fromfile, IONKMC_V_I, -0.3, 2e12, "user", "x", &err), IONKMC_ERANGE);
  assert_int_equal(ionkmc_catalog_set(fromfile, IONKMC_V_I, 0.3, 0, "user", "x", &err), IONKMC_ERANGE);
  assert_int_equal(ionkmc_catalog_set(fromfile, IONKMC_V_I, 0.3, 1e12, "rumour", "x", &err), IONKMC_EINVAL);
  /* a refused set leaves the catalog as it was */
  assert_true(ionkmc_catalog_get(fromfile, IONKMC_V_I)->Eb == 0.3);
  assert_string_equal(ionkmc_catalog_get(fromfile, IONKMC_V_I)->source, "user");
  /* errors of file access */
  assert_null(ionkmc_catalog_alloc_file("/nonexistent/dir/cat.json", &err, &st));
  assert_int_equal(st, IONKMC_EIO);
  assert_int_equal(ionkmc_catalog_save(cat, "/nonexistent/dir/cat.json", &err), IONKMC_EIO);
  assert_non_null(strstr(err.text, "/nonexistent/dir/cat.json"));
  ionkmc_catalog_free(fromfile);
  ionkmc_catalog_free(again);
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_and_rate), cmocka_unit_test(test_lattice_dependence),
      cmocka_unit_test(test_default_and_roundtrip)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
