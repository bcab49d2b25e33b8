/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/sumtree.h"

#include "kmc/hugealloc.h"

#include <stdlib.h>
#include <string.h>

/* The shape of a tree over cap leaves: levels, top-block levels, groups,
 * offsets and block count (sumtree.h). */
static void shape(ionkmc_sumtree *t, int cap) {
  int h = 0;
  while ((1 << h) < cap) h++;
  if (h < 1) h = 1; /* one leaf: a top block over it and an empty right leaf */
  t->levels = h;
  t->groups = (h + 2) / 3;
  t->w0 = h - 3 * (t->groups - 1);
  t->k8 = ((ptrdiff_t)1 << t->w0) - 7;
  /* group g >= 1 holds 2^w0 8^(g-1) blocks after the top one */
  ptrdiff_t first = 1, count = (ptrdiff_t)1 << t->w0;
  t->leaf0 = 0;
  for (int g = 1; g < t->groups; g++) {
    t->leaf0 = first;
    first += count;
    count *= 8;
  }
  t->nblk = first;
  t->prefetch = t->nblk >= IONKMC_SUMTREE_PREFETCH_BLOCKS;
}

double ionkmc_sumtree_bytes(int n) {
  ionkmc_sumtree t;
  int cap = 1;
  while (cap < n) cap <<= 1;
  shape(&t, cap);
  return (double)sizeof t + 128.0 * (double)t.nblk;
}

ionkmc_sumtree *ionkmc_sumtree_alloc(int n) {
  if (n < 1 || n > (1 << 30)) return NULL;
  ionkmc_sumtree *t = malloc(sizeof *t);
  if (!t) return NULL;
  int cap = 1;
  while (cap < n) cap <<= 1;
  t->n = n;
  t->cap = cap;
  shape(t, cap);
  /* on huge pages from 1 MiB (10^5 leaves: 2.4 MB, read at random) */
  t->blk = ionkmc_huge_alloc((size_t)t->nblk * 16 * sizeof(double), (size_t)1 << 20);
  if (!t->blk) {
    free(t);
    return NULL;
  }
  ionkmc_sumtree_clear(t);
  return t;
}

void ionkmc_sumtree_free(ionkmc_sumtree *t) {
  if (!t) return;
  free(t->blk);
  free(t);
}

void ionkmc_sumtree_clear(ionkmc_sumtree *t) {
  memset(t->blk, 0, sizeof(double) * 16 * (size_t)t->nblk);
  t->total = 0;
}

/* Where heap node j (2 <= j < 2^(levels + 1)) lives. */
static double *node_at(const ionkmc_sumtree *t, int64_t j) {
  int depth = 0;
  while (((int64_t)1 << (depth + 1)) <= j) depth++;
  if (depth <= t->w0) return t->blk + ionkmc_sumtree_slot((unsigned)j);
  int g = 1 + (depth - t->w0 - 1) / 3, top = t->w0 + 3 * (g - 1), below = depth - top;
  int64_t root = j >> below, l = ((int64_t)1 << below) | (j & (((int64_t)1 << below) - 1));
  ptrdiff_t first = 1, count = (ptrdiff_t)1 << t->w0;
  for (int q = 1; q < g; q++) {
    first += count;
    count *= 8;
  }
  ptrdiff_t b = first + (ptrdiff_t)(root - ((int64_t)1 << top));
  return t->blk + 16 * b + ionkmc_sumtree_slot((unsigned)l);
}

/* (byte copies: a saved state's arrays need not be aligned) */
void ionkmc_sumtree_export(const ionkmc_sumtree *t, void *heap) {
  unsigned char *h = heap;
  const double zero = 0.0;
  memcpy(h, &zero, sizeof zero);
  memcpy(h + sizeof(double), &t->total, sizeof(double));
  for (int64_t j = 2; j < 2 * (int64_t)t->cap; j++) memcpy(h + j * sizeof(double), node_at(t, j), sizeof(double));
}

void ionkmc_sumtree_import(ionkmc_sumtree *t, const void *heap) {
  const unsigned char *h = heap;
  ionkmc_sumtree_clear(t);
  memcpy(&t->total, h + sizeof(double), sizeof(double));
  if (t->cap == 1) {
    *node_at(t, 2) = t->total; /* the single leaf is the root */
    return;
  }
  for (int64_t j = 2; j < 2 * (int64_t)t->cap; j++) memcpy(node_at(t, j), h + j * sizeof(double), sizeof(double));
}
