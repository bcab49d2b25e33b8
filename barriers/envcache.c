/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "barriers/envcache.h"

#include <stdlib.h>
#include <string.h>

/* Slot key 0 marks an empty slot; a real key of 0 is stored as 1 (keys are
 * hashes, so the collision this folds is as rare as any other). */
typedef struct {
  uint64_t key;
  double val;
} slot;

/* Keys and values side by side, so a probe touches one cache line. */
struct ionkmc_envcache {
  uint64_t mask;
  slot *tab;
  int64_t used, hits, misses, flushes;
};

ionkmc_envcache *ionkmc_envcache_alloc(int log2cap) {
  if (log2cap < 4 || log2cap > 30) return NULL;
  ionkmc_envcache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  size_t n = (size_t)1 << log2cap;
  c->mask = n - 1;
  c->tab = calloc(n, sizeof *c->tab);
  if (!c->tab) {
    ionkmc_envcache_free(c);
    return NULL;
  }
  return c;
}

void ionkmc_envcache_free(ionkmc_envcache *c) {
  if (!c) return;
  free(c->tab);
  free(c);
}

static inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t ionkmc_envcache_key(const double *x, int n, uint64_t seed) {
  uint64_t h = mix64(seed ^ 0x9e3779b97f4a7c15ULL);
  for (int i = 0; i < n; i++) {
    double v = x[i] == 0 ? 0.0 : x[i];
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    h = mix64(h ^ (b + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
  }
  return h;
}

uint64_t ionkmc_envcache_key2(uint64_t w0, uint64_t w1) {
  return mix64(mix64(w0 ^ 0x9e3779b97f4a7c15ULL) ^ w1);
}

int ionkmc_envcache_lookup(ionkmc_envcache *c, uint64_t key, double *value) {
  if (key == 0) key = 1;
  for (uint64_t i = mix64(key) & c->mask;; i = (i + 1) & c->mask) {
    if (c->tab[i].key == key) {
      *value = c->tab[i].val;
      c->hits++;
      return 1;
    }
    if (c->tab[i].key == 0) {
      c->misses++;
      return 0;
    }
  }
}

void ionkmc_envcache_insert(ionkmc_envcache *c, uint64_t key, double value) {
  if (key == 0) key = 1;
  if ((uint64_t)(c->used + 1) * 4 > (c->mask + 1) * 3) {
    memset(c->tab, 0, (c->mask + 1) * sizeof *c->tab);
    c->used = 0;
    c->flushes++;
  }
  for (uint64_t i = mix64(key) & c->mask;; i = (i + 1) & c->mask) {
    if (c->tab[i].key == key || c->tab[i].key == 0) {
      if (c->tab[i].key == 0) c->used++;
      c->tab[i].key = key;
      c->tab[i].val = value;
      return;
    }
  }
}

void ionkmc_envcache_stats(const ionkmc_envcache *c, int64_t *hits, int64_t *misses,
                           int64_t *entries, int64_t *flushes) {
  if (hits) *hits = c->hits;
  if (misses) *misses = c->misses;
  if (entries) *entries = c->used;
  if (flushes) *flushes = c->flushes;
}

void ionkmc_envcache_note_hits(ionkmc_envcache *c, int64_t n) { c->hits += n; }

void ionkmc_envcache_clear(ionkmc_envcache *c) {
  memset(c->tab, 0, (c->mask + 1) * sizeof *c->tab);
  c->used = c->hits = c->misses = c->flushes = 0;
}
