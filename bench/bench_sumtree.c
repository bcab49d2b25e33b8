/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The sum tree's leaf update alone: N updates of pseudo-random leaves of an
 * n-leaf tree (a fixed LCG, values in [1, 2)), timed with the monotonic
 * clock; prints ns per update and a checksum of the totals (equal for every
 * version of the tree, whose arithmetic is the heap's).
 *
 *   ionkmc_bench_sumtree [LEAVES [UPDATES]]     (default 983 50000000)
 *
 * To compare two versions of kmc/sumtree.h, build this file against each:
 *   gcc -O3 -I SRC bench/bench_sumtree.c SRC/kmc/sumtree.c SRC/kmc/hugealloc.c -o B */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kmc/sumtree.h"

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 983;
  long long updates = argc > 2 ? atoll(argv[2]) : 50000000;
  if (n < 1 || updates < 1) {
    fprintf(stderr, "usage: ionkmc_bench_sumtree [LEAVES >= 1 [UPDATES >= 1]]\n");
    return 2;
  }
  ionkmc_sumtree *t = ionkmc_sumtree_alloc(n);
  if (!t) {
    fprintf(stderr, "ionkmc_bench_sumtree: out of memory\n");
    return 1;
  }
  unsigned x = 12345;
  double check = 0;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long long i = 0; i < updates; i++) {
    x = x * 1664525u + 1013904223u;
    ionkmc_sumtree_set(t, (int)((x >> 8) % (unsigned)n), 1.0 + (double)(x & 1023) * 1e-3);
    check += ionkmc_sumtree_total(t);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)updates;
  printf("%d leaves, %lld updates: %.2f ns per update (checksum %.17g)\n", n, updates, ns, check);
  ionkmc_sumtree_free(t);
  return 0;
}
