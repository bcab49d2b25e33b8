/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Philox4x32-10 known answers and stream properties. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmc/rng.h"

static void test_known_answers(void **state) {
  (void)state;
  /* The published Philox4x32-10 known-answer vectors (counter, key, output). */
  const uint32_t v[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
       0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
       0x94fdcceb, 0x5001e420, 0x24126ea1}};
  for (int i = 0; i < 3; i++) {
    uint32_t out[4];
    ionkmc_philox4x32_10(v[i], v[i] + 4, out);
    for (int c = 0; c < 4; c++) assert_int_equal(out[c], v[i][6 + c]);
  }
}

static void test_streams_differ_and_repeat(void **state) {
  (void)state;
  ionkmc_rng a, b, c;
  ionkmc_rng_init(&a, 42, 0);
  ionkmc_rng_init(&b, 42, 1);
  ionkmc_rng_init(&c, 42, 0);
  int same = 0;
  for (int i = 0; i < 1000; i++) {
    double a1, a2, b1, b2, c1, c2;
    ionkmc_rng_uniform2(&a, &a1, &a2);
    ionkmc_rng_uniform2(&b, &b1, &b2);
    ionkmc_rng_uniform2(&c, &c1, &c2);
    same += a1 == b1;
    assert_true(a1 == c1 && a2 == c2);
    assert_true(a1 >= 0 && a1 < 1 && a2 >= 0 && a2 < 1);
  }
  assert_int_equal(same, 0);
}

static void test_uniform_moments(void **state) {
  (void)state;
  /* Mean 1/2 and variance 1/12: |mean - 1/2| < 4 sigma/sqrt(n). */
  ionkmc_rng r;
  ionkmc_rng_init(&r, 7, 3);
  const int n = 1 << 20;
  double s = 0, s2 = 0;
  for (int i = 0; i < n / 2; i++) {
    double u, v;
    ionkmc_rng_uniform2(&r, &u, &v);
    s += u + v;
    s2 += u * u + v * v;
  }
  double mean = s / n, var = s2 / n - mean * mean;
  assert_true(fabs(mean - 0.5) < 4 * sqrt(1.0 / 12 / n));
  assert_true(fabs(var - 1.0 / 12) < 4 * sqrt(1.0 / 180 / n));
  /* below(n): every value hit, none outside */
  int hits[7] = {0};
  for (int i = 0; i < 7000; i++) {
    uint32_t x = ionkmc_rng_below(&r, 7);
    assert_true(x < 7);
    hits[x]++;
  }
  for (int i = 0; i < 7; i++) assert_true(hits[i] > 800 && hits[i] < 1200);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_known_answers),
                                     cmocka_unit_test(test_streams_differ_and_repeat),
                                     cmocka_unit_test(test_uniform_moments)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
