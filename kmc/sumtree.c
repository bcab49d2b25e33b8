/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/sumtree.h"

#include <stdlib.h>
#include <string.h>

ionkmc_sumtree *ionkmc_sumtree_alloc(int n) {
  if (n < 1) return NULL;
  ionkmc_sumtree *t = malloc(sizeof *t);
  if (!t) return NULL;
  int cap = 1;
  while (cap < n) cap <<= 1;
  t->n = n;
  t->cap = cap;
  t->node = calloc((size_t)2 * cap, sizeof(double));
  if (!t->node) {
    free(t);
    return NULL;
  }
  return t;
}

void ionkmc_sumtree_free(ionkmc_sumtree *t) {
  if (!t) return;
  free(t->node);
  free(t);
}

void ionkmc_sumtree_clear(ionkmc_sumtree *t) {
  memset(t->node, 0, sizeof(double) * 2 * (size_t)t->cap);
}
