/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc sum tree: event selection in O(log n) with exact local updates.
 *
 * A complete binary tree over n leaves (padded to a power of two) whose inner
 * nodes hold the sum of their children. Setting a leaf recomputes its
 * ancestors from their children, so sums never accumulate round-off drift.
 * Rates in 1/s. Ownership: _alloc/_free; no allocation after _alloc.
 */
#ifndef IONKMC_SUMTREE_H
#define IONKMC_SUMTREE_H

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct {
  int n;        /* leaves in use */
  int cap;      /* power of two >= n */
  double *node; /* [2 cap]; node[1] is the root, leaves at cap..2cap-1 */
} ionkmc_sumtree;

/* Allocate a tree for n >= 1 leaves, all zero. NULL on bad n or no memory. */
ionkmc_sumtree *ionkmc_sumtree_alloc(int n);
/* Free; NULL is a no-op. */
void ionkmc_sumtree_free(ionkmc_sumtree *t);
/* Set all leaves to zero. */
void ionkmc_sumtree_clear(ionkmc_sumtree *t);

/* Set leaf i to value v >= 0 and update its ancestors. */
static inline void ionkmc_sumtree_set(ionkmc_sumtree *t, int i, double v) {
  int j = t->cap + i;
  double *nd = t->node;
  nd[j] = v;
  for (j >>= 1; j >= 1; j >>= 1) nd[j] = nd[2 * j] + nd[2 * j + 1];
}

/* Set leaf i to v >= 0; when the leaf already holds exactly v, nothing is
 * touched (its ancestors already are the sums of their children), so the
 * tree ends up bit for bit as after ionkmc_sumtree_set. */
static inline void ionkmc_sumtree_update(ionkmc_sumtree *t, int i, double v) {
  if (t->node[t->cap + i] == v) return;
  ionkmc_sumtree_set(t, i, v);
}

/* Total of all leaves. */
static inline double ionkmc_sumtree_total(const ionkmc_sumtree *t) { return t->node[1]; }

/* Leaf value. */
static inline double ionkmc_sumtree_get(const ionkmc_sumtree *t, int i) {
  return t->node[t->cap + i];
}

/* x - (r ? v : +0.0) without a branch; x - (+0.0) is x exactly. */
static inline double ionkmc_sumtree_sub_if(double x, double v, int r) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  bits &= (uint64_t)0 - (uint64_t)r;
  double sub;
  memcpy(&sub, &bits, sizeof sub);
  return x - sub;
}

/* The leaf i whose cumulative interval contains x in [0, total); *rem is the
 * remainder of x within that leaf. Never returns a zero leaf unless the total
 * is zero: at each node it goes right when x >= left sum and the right
 * subtree is not empty. */
static inline int ionkmc_sumtree_find(const ionkmc_sumtree *t, double x, double *rem) {
  const double *nd = t->node;
  int j = 1;
  double x0 = x;
  /* Branch-free descent (the direction is a coin flip the predictor cannot
   * learn) that ignores the empty-subtree test. It takes the same turns as the
   * full rule unless it enters an empty subtree, and then it ends on a zero
   * leaf; only in that case is the full rule run. */
#ifdef __SSE2__
  {
    __m128d xv = _mm_set_sd(x);
    while (j < t->cap) {
      __m128d lv = _mm_load_sd(nd + 2 * j);
      __m128d ge = _mm_cmple_sd(lv, xv); /* all ones where left <= x */
      xv = _mm_sub_sd(xv, _mm_and_pd(ge, lv));
      j = 2 * j + (_mm_movemask_pd(ge) & 1);
    }
    x = _mm_cvtsd_f64(xv);
  }
#else
  while (j < t->cap) {
    double left = nd[2 * j];
    int r = x >= left;
    x = ionkmc_sumtree_sub_if(x, left, r);
    j = 2 * j + r;
  }
#endif
  if (!(nd[j] > 0) && t->cap > 1) {
    x = x0;
    j = 1;
    while (j < t->cap) {
      double left = nd[2 * j], right = nd[2 * j + 1];
      int r = (x >= left) & (right > 0);
      x = ionkmc_sumtree_sub_if(x, left, r);
      j = 2 * j + r;
    }
  }
  *rem = x;
  return j - t->cap;
}

#endif
