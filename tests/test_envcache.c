/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Environment cache: hits, misses, replacement, bounded flushes, keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "barriers/envcache.h"

static void test_cache(void **state) {
  (void)state;
  assert_null(ionkmc_envcache_alloc(2));
  assert_null(ionkmc_envcache_alloc(40));
  ionkmc_envcache *c = ionkmc_envcache_alloc(6); /* 64 slots, flush past 48 */
  assert_non_null(c);
  double v;
  for (uint64_t k = 0; k < 40; k++) {
    assert_int_equal(ionkmc_envcache_lookup(c, k * 7919, &v), 0);
    ionkmc_envcache_insert(c, k * 7919, (double)k);
  }
  for (uint64_t k = 0; k < 40; k++) {
    assert_int_equal(ionkmc_envcache_lookup(c, k * 7919, &v), 1);
    assert_true(v == (double)k);
  }
  ionkmc_envcache_insert(c, 7919, -1.0); /* replace */
  assert_int_equal(ionkmc_envcache_lookup(c, 7919, &v), 1);
  assert_true(v == -1.0);
  int64_t hits, misses, entries, flushes;
  ionkmc_envcache_stats(c, &hits, &misses, &entries, &flushes);
  assert_int_equal(hits, 41);
  assert_int_equal(misses, 40);
  assert_int_equal(entries, 40);
  assert_int_equal(flushes, 0);
  for (uint64_t k = 100; k < 200; k++) ionkmc_envcache_insert(c, k, 1.0);
  ionkmc_envcache_stats(c, &hits, &misses, &entries, &flushes);
  assert_true(flushes >= 1);
  assert_true(entries <= 48);
  ionkmc_envcache_clear(c);
  ionkmc_envcache_stats(c, &hits, &misses, &entries, &flushes);
  assert_int_equal(hits + misses + entries + flushes, 0);
  ionkmc_envcache_free(c);
  ionkmc_envcache_free(NULL);
}

static void test_keys(void **state) {
  (void)state;
  double a[3] = {1.0, 0.0, 2.5}, b[3] = {1.0, -0.0, 2.5}, d[3] = {1.0, 0.0, 2.5000000001};
  assert_true(ionkmc_envcache_key(a, 3, 1) == ionkmc_envcache_key(b, 3, 1));
  assert_true(ionkmc_envcache_key(a, 3, 1) != ionkmc_envcache_key(d, 3, 1));
  assert_true(ionkmc_envcache_key(a, 3, 1) != ionkmc_envcache_key(a, 3, 2));
  assert_true(ionkmc_envcache_key(a, 2, 1) != ionkmc_envcache_key(a, 3, 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_cache), cmocka_unit_test(test_keys)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
