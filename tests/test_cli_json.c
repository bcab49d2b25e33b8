/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON and CSV that `ionkmc run` writes: the documented fields, and values
 * consistent with the options given. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void check_estimate(json_t *o, const char *key) {
  json_t *e = json_object_get(o, key);
  if (!json_is_object(e)) fail_msg("missing estimate %s", key);
  assert_true(json_is_number(json_object_get(e, "mean")));
  assert_true(json_is_number(json_object_get(e, "sem")));
  json_t *ci = json_object_get(e, "ci95");
  assert_true(json_is_array(ci) && json_array_size(ci) == 2);
  double m = json_number_value(json_object_get(e, "mean"));
  assert_true(json_number_value(json_array_get(ci, 0)) <= m);
  assert_true(json_number_value(json_array_get(ci, 1)) >= m);
}

static void test_run_json(void **state) {
  (void)state;
  const char *bin = getenv("IONKMC_BIN");
  if (!bin) skip();
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "%s run --defect V_I+,I_MA0 --T 450 --size 5 --runs 5 --hops 4000 --seed 3 --quiet "
           "--json /tmp/ionkmc_test_run.json --csv /tmp/ionkmc_test_run.csv",
           bin);
  assert_int_equal(system(cmd), 0);
  json_error_t jerr;
  json_t *doc = json_load_file("/tmp/ionkmc_test_run.json", 0, &jerr);
  assert_non_null(doc);
  json_t *res = json_object_get(doc, "results");
  assert_true(json_is_array(res));
  assert_int_equal(json_array_size(res), 2);
  const char *names[2] = {"V_I+", "I_MA0"};
  const char *mech[2] = {"kick_out", "concerted_ma"};
  for (size_t i = 0; i < 2; i++) {
    json_t *r = json_array_get(res, i);
    assert_string_equal(json_string_value(json_object_get(r, "defect")), names[i]);
    assert_true(json_number_value(json_object_get(r, "T")) == 450);
    assert_int_equal(json_integer_value(json_object_get(r, "size")), 5);
    assert_int_equal(json_integer_value(json_object_get(r, "runs")), 5);
    assert_int_equal(json_integer_value(json_object_get(r, "hops")), 5 * 4000);
    assert_true(json_number_value(json_object_get(r, "sim_time_s")) > 0);
    check_estimate(r, "D_species");
    check_estimate(r, "D_defect");
    check_estimate(r, "f");
    json_t *hb = json_object_get(r, "hops_by_mechanism");
    assert_int_equal(json_integer_value(json_object_get(hb, mech[i])), 5 * 4000);
    /* D_species = f D_defect for one vacancy; here only a loose sanity bound */
    assert_true(json_number_value(json_object_get(json_object_get(r, "D_species"), "mean")) > 0);
  }
  json_decref(doc);
  FILE *fp = fopen("/tmp/ionkmc_test_run.csv", "r");
  assert_non_null(fp);
  char line[4096];
  int rows = 0;
  assert_non_null(fgets(line, sizeof line, fp));
  assert_non_null(strstr(line, "defect,species,T,"));
  while (fgets(line, sizeof line, fp)) rows++;
  fclose(fp);
  assert_int_equal(rows, 2);
  remove("/tmp/ionkmc_test_run.json");
  remove("/tmp/ionkmc_test_run.csv");
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_run_json)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
