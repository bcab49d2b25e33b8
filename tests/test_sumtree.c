/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The cache-blocked sum tree is bit for bit the plain heap-ordered tree:
 * after any sequence of leaf updates its nodes (exported in heap order) equal
 * those of a heap updated by the textbook rule, and its fast descent chooses
 * the same leaf and remainder as the plain rule "go right when x >= left sum
 * and the right subtree is not empty", including at the top end of the
 * interval and around empty subtrees; skipped updates of unchanged leaves
 * leave the same tree; import of a heap gives back the same tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/rng.h"
#include "kmc/sumtree.h"

/* The reference: a heap node[1..2cap-1], node[1] the root, leaves at cap + i. */
typedef struct {
  int cap;
  double *node;
} heap_tree;

static heap_tree heap_alloc(int n) {
  heap_tree h = {1, NULL};
  while (h.cap < n) h.cap <<= 1;
  h.node = calloc(2 * (size_t)h.cap, sizeof(double));
  assert_non_null(h.node);
  return h;
}

static void heap_set(heap_tree *h, int i, double v) {
  int j = h->cap + i;
  h->node[j] = v;
  for (j >>= 1; j >= 1; j >>= 1) h->node[j] = h->node[2 * j] + h->node[2 * j + 1];
}

/* The plain rule, one branch per level. */
static int find_ref(const heap_tree *t, double x, double *rem) {
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

static void check_same(const ionkmc_sumtree *t, const heap_tree *h, double x) {
  double r1, r2;
  int a = ionkmc_sumtree_find(t, x, &r1), b = find_ref(h, x, &r2);
  assert_int_equal(a, b);
  assert_memory_equal(&r1, &r2, sizeof r1);
}

/* The tree's nodes in heap order equal the reference's. */
static void check_nodes(const ionkmc_sumtree *t, const heap_tree *h) {
  assert_int_equal(t->cap, h->cap);
  double *out = malloc(sizeof(double) * 2 * (size_t)t->cap);
  assert_non_null(out);
  ionkmc_sumtree_export(t, out);
  assert_memory_equal(out, h->node, sizeof(double) * 2 * (size_t)t->cap);
  assert_memory_equal(&t->total, &h->node[1], sizeof(double));
  free(out);
}

/* Set leaf i in both. */
static void set_both(ionkmc_sumtree *t, heap_tree *h, int i, double v) {
  ionkmc_sumtree_set(t, i, v);
  heap_set(h, i, v);
}

static void test_edges(void **state) {
  (void)state;
  ionkmc_sumtree *t = ionkmc_sumtree_alloc(4);
  heap_tree h = heap_alloc(4);
  assert_non_null(t);
  set_both(t, &h, 0, 1.0);
  /* x at and above the total: the empty right half must not be entered */
  check_same(t, &h, 1.0);
  check_same(t, &h, 1.5);
  double rem;
  assert_int_equal(ionkmc_sumtree_find(t, 1.0, &rem), 0);
  check_same(t, &h, 0.0);
  check_same(t, &h, 0.999);
  set_both(t, &h, 0, 0.0);
  set_both(t, &h, 3, 2.0);
  check_same(t, &h, 0.0);
  check_same(t, &h, 2.0);
  check_nodes(t, &h);
  ionkmc_sumtree_free(t);
  free(h.node);
  /* a single leaf */
  t = ionkmc_sumtree_alloc(1);
  h = heap_alloc(1);
  set_both(t, &h, 0, 3.0);
  check_same(t, &h, 2.5);
  check_same(t, &h, 3.0);
  assert_int_equal(ionkmc_sumtree_find(t, 3.0, &rem), 0);
  assert_true(rem == 3.0);
  assert_true(ionkmc_sumtree_total(t) == 3.0);
  assert_true(ionkmc_sumtree_get(t, 0) == 3.0);
  check_nodes(t, &h);
  ionkmc_sumtree *u = ionkmc_sumtree_alloc(1);
  ionkmc_sumtree_import(u, h.node);
  assert_true(ionkmc_sumtree_get(u, 0) == 3.0);
  check_nodes(u, &h);
  ionkmc_sumtree_free(u);
  ionkmc_sumtree_free(t);
  free(h.node);
  assert_null(ionkmc_sumtree_alloc(0));
  ionkmc_sumtree_free(NULL);
}

static void test_random_trees(void **state) {
  (void)state;
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 99, 0);
  /* 1..9 levels (every top-block height), then 11, 12 and 13 levels */
  int sizes[64], ns = 0;
  for (int n = 1; n <= 300; n += 7) sizes[ns++] = n;
  sizes[ns++] = 1025;
  sizes[ns++] = 3000;
  sizes[ns++] = 4097;
  for (int z = 0; z < ns; z++) {
    int n = sizes[z];
    ionkmc_sumtree *t = ionkmc_sumtree_alloc(n);
    ionkmc_sumtree *u = ionkmc_sumtree_alloc(n);
    heap_tree h = heap_alloc(n);
    assert_non_null(t);
    assert_non_null(u);
    for (int round = 0; round < (n > 300 ? 3 : 20); round++) {
      for (int k = 0; k < n; k++) {
        double a, b;
        ionkmc_rng_uniform2(&rng, &a, &b);
        /* a third of the leaves empty, the rest a few distinct values */
        double v = a < 1.0 / 3 ? 0.0 : (double)(1 + (int)(b * 4)) * 0.1;
        set_both(t, &h, k, v);
        ionkmc_sumtree_update(u, k, v);
      }
      check_nodes(t, &h);
      check_nodes(u, &h);
      assert_memory_equal(t->blk, u->blk, sizeof(double) * 16 * (size_t)t->nblk);
      double R = ionkmc_sumtree_total(t);
      for (int r = 0; r < 50; r++) {
        double a, b;
        ionkmc_rng_uniform2(&rng, &a, &b);
        check_same(t, &h, a * R);
      }
      check_same(t, &h, R);
      check_same(t, &h, R * (1 + 0x1p-52));
      /* a tree imported from the heap is the same tree */
      ionkmc_sumtree *w = ionkmc_sumtree_alloc(n);
      ionkmc_sumtree_import(w, h.node);
      check_nodes(w, &h);
      assert_memory_equal(w->blk, t->blk, sizeof(double) * 16 * (size_t)t->nblk);
      ionkmc_sumtree_free(w);
    }
    ionkmc_sumtree_free(t);
    ionkmc_sumtree_free(u);
    free(h.node);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edges),
      cmocka_unit_test(test_random_trees),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
