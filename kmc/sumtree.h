/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc sum tree: event selection in O(log n) with exact local updates.
 *
 * A complete binary tree over n leaves (padded to a power of two, cap) whose
 * inner nodes hold the sum of their children. Setting a leaf recomputes its
 * ancestors from their children (left + right), so sums never accumulate
 * round-off drift. Rates in 1/s. Ownership: _alloc/_free; no allocation
 * after _alloc.
 *
 * Memory layout (cache-blocked). The levels below the root are cut into
 * groups of three (the top group, under the root, takes the remaining one to
 * three levels), and each subtree of one group under a node of the level
 * above is a block of 16 doubles (two cache lines). In a block whose root
 * is local node 1, local node l (2..15, heap order) sits at slot
 * (l >> 1) - 1 + 8 (l & 1): the left children in the first line, the right
 * children in the second. The descent reads only left children, so it
 * touches one line per three levels instead of one per level. Blocks are
 * numbered group by group: the top block is 0, the block under leaf c of
 * the top block is 1 + c, and below that the block under local leaf c of
 * block b is 8 b + k8 + c. The tree's arithmetic is that of the plain heap
 * (the same additions in the same order), so totals, selected leaves and
 * remainders are bit for bit those of a heap-ordered tree;
 * ionkmc_sumtree_export/_import convert to and from that heap order
 * (node[1] the root, leaves at cap..2cap-1), which saved states use.
 */
#ifndef IONKMC_SUMTREE_H
#define IONKMC_SUMTREE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct {
  int n;         /* leaves in use */
  int cap;       /* power of two >= n (the heap order's leaf count) */
  int levels;    /* levels below the root in the blocked layout (>= 1) */
  int w0;        /* levels in the top block (1..3) */
  int groups;    /* block groups (the top one included) */
  ptrdiff_t k8;  /* block-number offset below group 1 (2^w0 - 7) */
  ptrdiff_t leaf0; /* first block of the leaf group (groups > 1) */
  ptrdiff_t nblk;  /* blocks */
  int prefetch;    /* 1: the tree is larger than a core's caches hold for it
                      (IONKMC_SUMTREE_PREFETCH_BLOCKS), so the descent prefetches */
  double total;  /* the root */
  double *blk;   /* [16 nblk], 64-byte aligned */
} ionkmc_sumtree;

/* Trees of at least this many blocks (128 bytes each) prefetch as they
 * descend; smaller ones stay in cache, where the prefetches would only cost
 * instructions. */
#define IONKMC_SUMTREE_PREFETCH_BLOCKS 2048

/* Allocate a tree for n >= 1 leaves, all zero. NULL on bad n or no memory. */
ionkmc_sumtree *ionkmc_sumtree_alloc(int n);
/* Free; NULL is a no-op. */
void ionkmc_sumtree_free(ionkmc_sumtree *t);
/* Set all leaves to zero. */
void ionkmc_sumtree_clear(ionkmc_sumtree *t);
/* Bytes that ionkmc_sumtree_alloc(n) allocates (n >= 1). */
double ionkmc_sumtree_bytes(int n);
/* The tree in heap order: heap[0] = 0, heap[1] the root, heap[j] the sum of
 * heap[2j] and heap[2j+1], leaves at heap[cap + i]; 2 cap doubles (any
 * alignment). */
void ionkmc_sumtree_export(const ionkmc_sumtree *t, void *heap);
/* Every node from a heap-ordered array of 2 cap doubles (as _export writes). */
void ionkmc_sumtree_import(ionkmc_sumtree *t, const void *heap);

/* Slot of local node l (2..15) in its block. */
static inline int ionkmc_sumtree_slot(unsigned l) { return (int)(l >> 1) - 1 + 8 * (int)(l & 1); }

/* Block and local node of leaf i. */
static inline double *ionkmc_sumtree_leaf_at(const ionkmc_sumtree *t, int i, unsigned *l) {
  if (t->groups == 1) {
    *l = (1u << t->w0) + (unsigned)i;
    return t->blk;
  }
  *l = 8u + ((unsigned)i & 7u);
  return t->blk + 16 * (t->leaf0 + (i >> 3));
}

/* Set leaf i to value v >= 0 and update its ancestors. Each parent is the
 * new child's value plus its sibling's: IEEE addition is commutative, so
 * this is the heap's left + right bit for bit, while the value climbs in a
 * register. Below the top block every block is climbed through its three
 * levels at once: local leaf 8 + c sits at slot 3 + c/2 + 8 (c & 1), its
 * parent 4 + c/2 at slot 1 + c/4 + 8 (c/2 & 1), and 2 + c/4 at 8 (c/4). */
static inline void ionkmc_sumtree_set(ionkmc_sumtree *t, int i, double v) {
  double *blk = t->blk, s = v;
  unsigned l;
  if (t->groups > 1) {
    ptrdiff_t b = t->leaf0 + (i >> 3);
    unsigned c = (unsigned)i & 7u;
    for (;;) {
      double *B = blk + 16 * b;
      unsigned c1 = c >> 1, c2 = c >> 2;
      B[3 + c1 + 8 * (c & 1u)] = s;
      s += B[3 + c1 + 8 * (~c & 1u)];
      B[1 + c2 + 8 * (c1 & 1u)] = s;
      s += B[1 + c2 + 8 * (~c1 & 1u)];
      B[8 * c2] = s;
      s += B[8 * (c2 ^ 1u)];
      if (b <= ((ptrdiff_t)1 << t->w0)) { /* under the top block */
        l = (1u << t->w0) + (unsigned)(b - 1);
        break;
      }
      ptrdiff_t q = b - t->k8;
      c = (unsigned)q & 7u;
      b = q >> 3;
    }
  } else {
    l = (1u << t->w0) + (unsigned)i;
  }
  /* the top block, from its local leaf l */
  blk[ionkmc_sumtree_slot(l)] = s;
  for (;;) {
    s += blk[ionkmc_sumtree_slot(l ^ 1u)];
    l >>= 1;
    if (l == 1) break;
    blk[ionkmc_sumtree_slot(l)] = s;
  }
  t->total = s;
}

/* Leaf value. */
static inline double ionkmc_sumtree_get(const ionkmc_sumtree *t, int i) {
  unsigned l;
  const double *B = ionkmc_sumtree_leaf_at(t, i, &l);
  return B[ionkmc_sumtree_slot(l)];
}

/* Set leaf i to v >= 0; when the leaf already holds exactly v, nothing is
 * touched (its ancestors already are the sums of their children), so the
 * tree ends up bit for bit as after ionkmc_sumtree_set. */
static inline void ionkmc_sumtree_update(ionkmc_sumtree *t, int i, double v) {
  if (ionkmc_sumtree_get(t, i) == v) return;
  ionkmc_sumtree_set(t, i, v);
}

/* Total of all leaves. */
static inline double ionkmc_sumtree_total(const ionkmc_sumtree *t) { return t->total; }

/* x - (r ? v : +0.0) without a branch; x - (+0.0) is x exactly. */
static inline double ionkmc_sumtree_sub_if(double x, double v, int r) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  bits &= (uint64_t)0 - (uint64_t)r;
  double sub;
  memcpy(&sub, &bits, sizeof sub);
  return x - sub;
}

/* Descend `levels` levels of block B from local node 1; returns the local
 * node reached. full = 0: right when left <= x (branch-free); full = 1: the
 * full rule, right when x >= left and the right subtree is not empty. */
static inline __attribute__((always_inline)) unsigned
ionkmc_sumtree_descend(const double *B, int levels, double *x, int full) {
  unsigned l = 1;
  if (!full) {
#ifdef __SSE2__
    __m128d xv = _mm_set_sd(*x);
    for (int q = 0; q < levels; q++) {
      __m128d lv = _mm_load_sd(B + l - 1);
      __m128d ge = _mm_cmple_sd(lv, xv); /* all ones where left <= x */
      xv = _mm_sub_sd(xv, _mm_and_pd(ge, lv));
      l = 2 * l + (unsigned)(_mm_movemask_pd(ge) & 1);
    }
    *x = _mm_cvtsd_f64(xv);
    return l;
#endif
  }
  double v = *x;
  for (int q = 0; q < levels; q++) {
    double left = B[l - 1], right = B[l + 7];
    int r = (v >= left) & (!full | (right > 0));
    v = ionkmc_sumtree_sub_if(v, left, r);
    l = 2 * l + (unsigned)r;
  }
  *x = v;
  return l;
}

/* The whole descent from the root with the rule `full`; the leaf index.
 * In a large tree (t->prefetch), on entering each block it asks for the
 * block's second line (the right children, which the leaf's value and the
 * update of the chosen leaf read), in the last blocks above the leaves for
 * the first lines of all 8 blocks below, and on entering the leaf group,
 * when rec is not NULL, for the records rec + i stride of the block's 8
 * leaves i, so that the caller's record of the chosen leaf arrives with the
 * block instead of after it. */
static inline __attribute__((always_inline)) int ionkmc_sumtree_walk(const ionkmc_sumtree *t,
                                                                      double *x, int full,
                                                                      const void *rec, size_t stride) {
  unsigned l = ionkmc_sumtree_descend(t->blk, t->w0, x, full);
  ptrdiff_t c = (ptrdiff_t)(l - (1u << t->w0));
  if (t->groups == 1) return (int)c;
  ptrdiff_t b = 1 + c;
  for (int g = 1;; g++) {
    const double *B = t->blk + 16 * b;
    if (t->prefetch) __builtin_prefetch(B + 8);
    if (g == t->groups - 1) {
      if (rec && t->prefetch) {
        const char *r = (const char *)rec + (size_t)(8 * (b - t->leaf0)) * stride;
        for (size_t q = 0; q < 8 * stride; q += 64) __builtin_prefetch(r + q);
      }
      c = (ptrdiff_t)ionkmc_sumtree_descend(B, 3, x, full) - 8;
      break;
    }
    ptrdiff_t b8 = 8 * b + t->k8;
    if (t->prefetch && g >= t->groups - 3) /* the blocks below, out of cache: all 8 at once */
      for (int q = 0; q < 8; q++) __builtin_prefetch(t->blk + 16 * (b8 + q));
    c = (ptrdiff_t)ionkmc_sumtree_descend(B, 3, x, full) - 8;
    b = b8 + c;
  }
  return (int)(8 * (b - t->leaf0) + c);
}

/* ionkmc_sumtree_find that also prefetches the caller's records of the
 * chosen leaf's block (rec + i stride for leaf i; see ionkmc_sumtree_walk). */
static inline int ionkmc_sumtree_find_prefetch(const ionkmc_sumtree *t, double x, double *rem,
                                               const void *rec, size_t stride) {
  /* Branch-free descent (the direction is a coin flip the predictor cannot
   * learn) that ignores the empty-subtree test. It takes the same turns as the
   * full rule unless it enters an empty subtree, and then it ends on a zero
   * leaf; only in that case is the full rule run. */
  double x0 = x;
  int i = ionkmc_sumtree_walk(t, &x, 0, rec, stride);
  if (!(ionkmc_sumtree_get(t, i) > 0)) { /* (with one leaf: leaf 0, x unchanged) */
    x = x0;
    i = ionkmc_sumtree_walk(t, &x, 1, NULL, 0);
  }
  *rem = x;
  return i;
}

/* The leaf i whose cumulative interval contains x in [0, total); *rem is the
 * remainder of x within that leaf. Never returns a zero leaf unless the total
 * is zero: at each node it goes right when x >= left sum and the right
 * subtree is not empty. */
static inline int ionkmc_sumtree_find(const ionkmc_sumtree *t, double x, double *rem) {
  return ionkmc_sumtree_find_prefetch(t, x, rem, NULL, 0);
}

#endif
