/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Inline helpers of the environment-dependent rates where species keep
 * first-shell counts (near1): gathers of a site's neighbour bytes, the
 * first-shell key, the open-path masks, the path-rate table's entries and
 * the setting of a defect's rates. Internal to kmc/engine_env*.c; rates
 * in 1/s, counts are numbers of defects, sites internal indices. Nothing
 * here allocates; every pointer is the engine's. */
#ifndef IONKMC_ENGINE_ENV_NEAR1_H
#define IONKMC_ENGINE_ENV_NEAR1_H

#include <string.h>

#include "barriers/provider.h"
#include "kmc/engine_impl.h"

/* Add dn to the first-shell counts of the neighbours of x (nb, or computed
 * when NULL): a defect appeared (1) or left (-1) at x. */
static inline __attribute__((always_inline)) void near1_add_z(uint8_t *c1, const int32_t *nb, int dn,
                                                              const int z) {
  /* the indices first: a store to the bytes could alias them */
  int32_t ix[IONKMC_NNB_XX];
  for (int i = 0; i < z; i++) ix[i] = nb[i];
  for (int i = 0; i < z; i++) c1[ix[i]] = (uint8_t)(c1[ix[i]] + dn);
}

/* The bytes a[idx[0]] .. a[idx[z - 1]] as the bytes of one word, lowest
 * first. */
static inline __attribute__((always_inline)) uint64_t gather8_z(const uint8_t *a, const int32_t *idx,
                                                                 const int z) {
  uint64_t w = 0;
  for (int q = 0; q < z; q++) w |= (uint64_t)a[idx[q]] << (8 * q);
  return w;
}

/* The same for z neighbours of X (8) or A (6), with constant trip counts. */
static inline uint64_t gather8(const uint8_t *a, const int32_t *idx, int z) {
  return z == IONKMC_NNB_XX ? gather8_z(a, idx, IONKMC_NNB_XX) : gather8_z(a, idx, IONKMC_NNB_AA);
}

/* A byte of near1 where every species with defects keeps first-shell
 * counts (near1_all): the count in bits 0-3 and, in bit 4, whether the site
 * holds a defect (its occupancy is not 1). One species holds one kind then,
 * so that bit tells the occupancy: 0 for a vacancy, 2 for a split
 * interstitial. Elsewhere bit 4 stays 0. */
#define NEAR1_HELD 0x10u
#define NEAR1_COUNT 0x0Fu

/* The counts of a gathered word of near1 bytes. */
static inline uint64_t near1_counts(uint64_t w) { return w & 0x0F0F0F0F0F0F0F0FULL; }

/* The bits of the z bytes of a gathered word of near1 bytes whose site
 * holds a defect (NEAR1_HELD). */
static inline __attribute__((always_inline)) unsigned near1_held(uint64_t w, const int z) {
  unsigned all = (1u << z) - 1;
#if defined(__SSE2__) && defined(__x86_64__)
  /* bit 4 of each byte to its bit 7 */
  return (unsigned)_mm_movemask_epi8(_mm_cvtsi64_si128((long long)(w << 3))) & all;
#else
  unsigned b = 0;
  for (int q = 0; q < z; q++) b |= (unsigned)((w >> (8 * q + 4)) & 1u) << q;
  return b & all;
#endif
}

/* Bits set in an 8-bit mask. */
static inline unsigned pop8(unsigned m) {
  m = m - ((m >> 1) & 0x55u);
  m = (m & 0x33u) + ((m >> 2) & 0x33u);
  return (m + (m >> 4)) & 0x0Fu;
}

/* The key of a defect at s (kind, X type k) on a species with first-shell
 * counts (near1_on): its open directions m, the defects on its site's
 * first shell, and for each direction those on the end's first shell
 * other than itself (the end is a neighbour of s), 4 bits each. Exactly
 * what the per-path environments read (shell_counts of s and of each end),
 * so equal keys give equal rows. Bit 62 set and bit 63 clear: never one
 * of env_row_key's (bit 63 set), which the same kind still uses while a
 * hop executes (near2_ok 0, the counts not yet brought up to date). */
static inline uint64_t near1_head(int kind, int k, unsigned m) {
  return ((uint64_t)1 << 62) | (uint64_t)kind | ((uint64_t)k << 3) | ((uint64_t)m << 5);
}

/* The same from the site's count c1s and the ends' counts wc (gathered,
 * lowest byte first; near1_counts). */
static inline uint64_t near1_key_w(int kind, int k, unsigned m, unsigned c1s, uint64_t wc, int z) {
  /* every end's count less the defect itself (each end is its neighbour,
   * so >= 1; a closed path's too: with m in the key, it only adds what is
   * known), bytes to nibbles */
  uint64_t x = wc - (0x0101010101010101ULL >> (8 * (IONKMC_NNB_XX - z)));
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return near1_head(kind, k, m) | ((uint64_t)c1s << 13) | (x << 17);
}

/* open_dirs_nb of the one kind of a species with first-shell counts
 * (near1_all), from the sites among its z neighbours that hold a defect
 * (near1_held): a vacancy takes an atom from a singly occupied site, a (not
 * collinear) split interstitial sends one onto it, and a site that holds a
 * defect holds one of the same kind (no atom for a vacancy, two beside an
 * interstitial), so both open the paths to the sites that hold none. */
static inline unsigned near1_open(unsigned held, int z) { return ~held & ((1u << z) - 1); }

/* Sum-tree leaf, rates, open paths and neighbour mask of d from a row of
 * rates (IONKMC_MAX_PATHS, 0 past the kind's paths). A lone defect's rates
 * are its kind's lone row (rt), which the readers take from there: its row
 * of prate is not written. */
static inline void set_rates(ionkmc_engine *e, int d, const double *rt, unsigned open, double sum,
                             unsigned nd, int lone) {
  /* past the kind's paths the source and the defect's row both hold 0 (a slot
   * keeps its kind) */
  if (lone) {
  } else if (e->knp[e->def[d].kind] <= IONKMC_MAX_PATHS / 2)
    memcpy(e->prate + (size_t)d * IONKMC_MAX_PATHS, rt, sizeof(double) * IONKMC_MAX_PATHS / 2);
  else
    memcpy(e->prate + (size_t)d * IONKMC_MAX_PATHS, rt, sizeof(double) * IONKMC_MAX_PATHS);
  e->def[d].open = (uint16_t)open;
  e->def[d].nbr_def = (uint8_t)nd;
  e->def[d].lone = (uint8_t)lone;
  ionkmc_sumtree_update(e->tree, d, sum);
}

/* The entry of a species' path-rate table (near1_rt) for path p of a
 * defect at a type-k site with count c1s, whose end has the count ce (the
 * defect itself included, 1..9); NULL where a count is out of the table.
 * The table is ordered by (k, c1s, ce, p): the paths of one defect whose
 * ends have the same count lie side by side. Before each (k, c1s) block of
 * ends 1..9 a row of IONKMC_MAX_PATHS zeros stands for end count 0 (a
 * closed path's rate, for a read without a branch). */
static inline double *near1_rt_at(double *rt1, int k, int p, unsigned c1s, unsigned ce) {
  if (c1s > 8 || ce - 1u > 8u) return NULL;
  return rt1 + ((k * 9 + (int)c1s) * 10 + (int)ce) * IONKMC_MAX_PATHS + p;
}

/* Mark a defect for env_step unless it was recomputed in this event. */
static inline void mark_env(ionkmc_engine *e, int d) {
  if (d >= 0 && e->stamp[d] != e->stamp_now) {
    e->stamp[d] = e->stamp_now;
    e->dirty[e->ndirty++] = d;
  }
}

/* The same for a defect d >= 0, without a branch (whether a neighbour's
 * defect is marked already is as good as random): dirty[ndirty] is written
 * in any case and counted only when d is new. */
static inline void mark_env_nb(ionkmc_engine *e, int d) {
  int fresh = e->stamp[d] != e->stamp_now;
  e->stamp[d] = e->stamp_now;
  e->dirty[e->ndirty] = d;
  e->ndirty += fresh;
}

/* The common cases of ionkmc_engine_paths_env where every species with
 * defects has first-shell counts (engine_env_step1.c): see there. */
int ionkmc_engine_env_row_w(ionkmc_engine *e, int d, uint64_t w);

#endif
