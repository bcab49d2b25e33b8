/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The sum tree's fast descent chooses the same leaf and remainder as the
 * plain rule "go right when x >= left sum and the right subtree is not
 * empty", including at the top end of the interval and around empty
 * subtrees; skipped updates of unchanged leaves leave the same tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/rng.h"
#include "kmc/sumtree.h"

/* The plain rule, one branch per level. */
static int find_ref(const ionkmc_sumtree *t, double x, double *rem) {
  int j = 1;
  while (j < t->cap) {
    double left = t->node[2 * j];
    if (x < left || t->node[2 * j + 1] <= 0) {
      j = 2 * j;
    } else {
      x -= left;
      j = 2 * j + 1;
    }
  }
  *rem = x;
  return j - t->cap;
}

static void check_same(const ionkmc_sumtree *t, double x) {
  double r1, r2;
  int a = ionkmc_sumtree_find(t, x, &r1), b = find_ref(t, x, &r2);
  assert_int_equal(a, b);
  assert_memory_equal(&r1, &r2, sizeof r1);
}

static void test_edges(void **state) {
  (void)state;
  ionkmc_sumtree *t = ionkmc_sumtree_alloc(4);
  assert_non_null(t);
  ionkmc_sumtree_set(t, 0, 1.0);
  /* x at and above the total: the empty right half must not be entered */
  check_same(t, 1.0);
  check_same(t, 1.5);
  double rem;
  assert_int_equal(ionkmc_sumtree_find(t, 1.0, &rem), 0);
  check_same(t, 0.0);
  check_same(t, 0.999);
  ionkmc_sumtree_set(t, 0, 0.0);
  ionkmc_sumtree_set(t, 3, 2.0);
  check_same(t, 0.0);
  check_same(t, 2.0);
  ionkmc_sumtree_free(t);
  /* a single leaf */
  t = ionkmc_sumtree_alloc(1);
  ionkmc_sumtree_set(t, 0, 3.0);
  check_same(t, 2.5);
  assert_true(ionkmc_sumtree_total(t) == 3.0);
  ionkmc_sumtree_free(t);
  assert_null(ionkmc_sumtree_alloc(0));
  ionkmc_sumtree_free(NULL);
}

static void test_random_trees(void **state) {
  (void)state;
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 99, 0);
  for (int n = 1; n <= 300; n += 7) {
    ionkmc_sumtree *t = ionkmc_sumtree_alloc(n);
    ionkmc_sumtree *u = ionkmc_sumtree_alloc(n);
    assert_non_null(t);
    assert_non_null(u);
    for (int round = 0; round < 20; round++) {
      for (int k = 0; k < n; k++) {
        double a, b;
        ionkmc_rng_uniform2(&rng, &a, &b);
        /* a third of the leaves empty, the rest a few distinct values */
        double v = a < 1.0 / 3 ? 0.0 : (double)(1 + (int)(b * 4)) * 0.1;
        ionkmc_sumtree_set(t, k, v);
        ionkmc_sumtree_update(u, k, v);
      }
      assert_memory_equal(t->node, u->node, sizeof(double) * 2 * (size_t)t->cap);
      double R = ionkmc_sumtree_total(t);
      for (int q = 0; q < 50; q++) {
        double a, b;
        ionkmc_rng_uniform2(&rng, &a, &b);
        check_same(t, a * R);
      }
      check_same(t, R);
      check_same(t, R * (1 + 0x1p-52));
    }
    ionkmc_sumtree_free(t);
    ionkmc_sumtree_free(u);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edges),
      cmocka_unit_test(test_random_trees),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
