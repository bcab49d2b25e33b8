/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's environment rows (kmc/engine_env.c) change nothing: a kra
 * box run with them and one run with them switched off give the same
 * clock, displacements and rate-cache statistics bit for bit, while the
 * rows are really used (a small table is forgotten and refilled). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ionkmc.h"
#include "kmc/engine_impl.h"

static ionkmc_catalog *kra_catalog(void) {
  const char *text =
      "{\"schema\": \"ionkmc-catalog/1\", \"entries\": [{\"defect\": \"V_I+\", \"mechanism\": "
      "\"kick_out\", \"provider\": \"kra\", \"Eb\": 0.2, \"nu\": 1e12, \"interactions\": "
      "{\"V_I+\": -0.05, \"I_I-\": 0.03}, \"source\": \"user\", \"provenance\": \"t\"}, "
      "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"provider\": \"kra\", \"Eb\": 0.25, "
      "\"nu\": 1e12, \"interactions\": {\"V_I+\": 0.04}, \"source\": \"user\", \"provenance\": \"t\"}]}";
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(text, "test", &err, NULL);
  if (!cat) fail_msg("%s", err.text);
  return cat;
}

typedef struct {
  ionkmc_run_obs obs;
  int64_t hits, misses;
} result;

/* rows: 0 off, 1 the engine's table, 2 a table of the minimum size shrunk
 * to 16 slots, so that it fills and is forgotten during the run */
static result run(const ionkmc_catalog *cat, int rows) {
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = 6;
  spec.cond.T = 400;
  spec.cond.a = 6.33;
  spec.count[IONKMC_V_I] = 40;
  spec.count[IONKMC_I_I] = 2;
  assert_int_equal(ionkmc_box_spec_rates(&spec, cat, NULL), IONKMC_OK);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(spec.L, NULL);
  ionkmc_engine *e = ionkmc_engine_alloc(&spec, lat, NULL, NULL);
  ionkmc_providers *prov = ionkmc_providers_alloc(cat, spec.cond.T, spec.cond.a, 0, spec.cond.field, NULL, NULL);
  assert_non_null(prov);
  assert_int_equal(ionkmc_engine_set_providers(e, prov, NULL), IONKMC_OK);
  assert_non_null(e->erow);
  if (rows == 0) {
    free(e->erow);
    e->erow = NULL;
  } else if (rows == 2) {
    e->erow_mask = 15;
  }
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 4, 0);
  assert_int_equal(ionkmc_engine_reset(e, &rng, NULL), IONKMC_OK);
  assert_int_equal(ionkmc_engine_run(e, &rng, 30000, 0, 0), IONKMC_OK);
  result r;
  r.obs = *ionkmc_engine_obs(e);
  ionkmc_providers_stats(prov, &r.hits, &r.misses, NULL);
  if (rows) assert_true(e->erow_used > 0);
  ionkmc_engine_free(e);
  ionkmc_providers_free(prov);
  ionkmc_lattice_free(lat);
  return r;
}

static void test_rows_change_nothing(void **state) {
  (void)state;
  ionkmc_catalog *cat = kra_catalog();
  result off = run(cat, 0);
  for (int rows = 1; rows <= 2; rows++) {
    result on = run(cat, rows);
    assert_int_equal(on.obs.hops, off.obs.hops);
    assert_memory_equal(&on.obs.t, &off.obs.t, sizeof(double));
    assert_int_equal(on.obs.sum_dr2[0], off.obs.sum_dr2[0]);
    assert_int_equal(on.obs.recombinations, off.obs.recombinations);
    assert_int_equal(on.hits, off.hits);
    assert_int_equal(on.misses, off.misses);
    printf("# rows %s: %lld hops, cache hits %lld, misses %lld\n", rows == 1 ? "on" : "small",
           (long long)on.obs.hops, (long long)on.hits, (long long)on.misses);
  }
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_rows_change_nothing)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
