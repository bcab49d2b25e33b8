/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The environment-dependent step where every species with defects keeps
 * first-shell counts (near1_all): a defect's rates from its kind's lone
 * row or from the path-rate tables, and the event that moves a defect and
 * recomputes those within two hops of either end. See engine.h for
 * conventions and engine_env.c for the general route. */
#include <string.h>

#include "kmc/engine_env_near1.h"

/* The common cases of paths_env_full (engine_env.c) where every species
 * with defects has first-shell counts, without its frame: the kind's lone row, or every open
 * path's entry of the path-rate table, from the occupancies wo and the
 * counts wc of the defect's neighbours (gather2). 0 (nothing set) where
 * the lone row or an entry is not known yet. */
int ionkmc_engine_env_row_w(ionkmc_engine *e, int d, uint64_t wo, uint64_t wc) {
  defect_state *D = &e->def[d];
  int kind = D->kind, k = D->xt, spi = e->ksp[kind], z = e->sp[spi].z;
  unsigned nd, m = near1_masks(e->kcls[kind], wo, z, &nd);
  uint64_t key = near1_key_w(kind, k, m, e->near1[spi][D->site], wc, z);
  if (key == near1_head(kind, k, (1u << z) - 1)) { /* alone within two hops */
    if (!e->lone_set[kind][k]) return 0;
    set_rates(e, d, e->lone_rt[kind][k], e->lone_open[kind][k], e->lone_sum[kind][k], 0, 1);
    return 1;
  }
  /* each open path's rate from the table, by the counts at s and at its
   * end (byte dir of wc), summed in path order as paths_env_full sums */
  double *rt1 = e->near1_rt[spi];
  unsigned c1s = e->near1[spi][D->site];
  if (!rt1) return 0;
  int np = e->knp[kind];
  unsigned paths = e->kcls[kind] == CLS_VAC ? m : m | (m << z);
  double rt[IONKMC_MAX_PATHS], sum = 0;
  unsigned open = 0;
  int n = 0;
  for (int p = 0; p < np; p++) {
    double r = 0;
    if ((paths >> p) & 1) {
      const double *q = near1_rt_at(rt1, k, p, c1s, (unsigned)(wc >> (8 * (p % z))) & 0xFFu);
      if (!q || !((r = *q) >= 0)) return 0;
      sum += r;
      n++;
    }
    rt[p] = r;
    open |= (unsigned)(r > 0) << p;
  }
  memcpy(e->prate + (size_t)d * IONKMC_MAX_PATHS, rt, sizeof(double) * (size_t)np);
  D->open = (uint16_t)open;
  D->nbr_def = (uint8_t)nd;
  D->lone = 0;
  ionkmc_sumtree_update(e->tree, d, sum);
  ionkmc_providers_note_hits(e->prov, n);
  return 1;
}

/* Recompute the marked defects when fewer than room slots are left. */
static inline void flush_dirty(ionkmc_engine *e, int room) {
  if (e->ndirty <= MAX_DIRTY - room) return;
  for (int j = 0; j < e->ndirty; j++) compute_paths(e, e->dirty[j]);
  e->ndirty = 0;
}

/* Mark the defects within two hops of site c (neighbours nc) from the
 * first-shell counts: those on its neighbours, and those around a
 * neighbour whose count exceeds what is known to be there: the defect at c
 * (own), the mover for the neighbours where `adj` (bytes of 0 or 1, in the
 * order of nc) has a 1. The
 * neighbour `skip` (an index of nc, or -1) is left to the caller's other
 * site. Recomputes in batches, so that dirty[] never overflows. */
static inline __attribute__((always_inline)) void mark_near1_z(ionkmc_engine *e, const species_state *S,
                                                               const int32_t *nc,
                                                               uint64_t wo, uint64_t wc, int own,
                                                               uint64_t adj, int skip, const int z) {
  unsigned all = (1u << z) - 1, held, more = 0;
#if defined(__SSE2__) && defined(__x86_64__)
  __m128i o = _mm_cvtsi64_si128((long long)wo);
  __m128i c = _mm_cvtsi64_si128((long long)wc);
  /* what is known around each neighbour: own, and the mover where adj */
  __m128i known = _mm_add_epi8(_mm_set1_epi8((char)own), _mm_cvtsi64_si128((long long)adj));
  held = ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(o, _mm_set1_epi8(1))) & all;
  more = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(c, known)) & all;
#else
  held = 0;
  for (int i = 0; i < z; i++) {
    held |= (unsigned)(((wo >> (8 * i)) & 0xFFu) != 1) << i;
    more |= (unsigned)((int)((wc >> (8 * i)) & 0xFFu) > own + (int)((adj >> (8 * i)) & 1)) << i;
  }
#endif
  if (skip >= 0) more &= ~(1u << skip);
  flush_dirty(e, z);
  for (; held; held &= held - 1) mark_env(e, S->def_at[nc[__builtin_ctz(held)]]);
  for (; more; more &= more - 1) {
    int32_t buf[IONKMC_NNB_XX];
    const int32_t *ny = site_nbrs(S, nc[__builtin_ctz(more)], buf);
    flush_dirty(e, z);
    for (int j = 0; j < z; j++)
      if (S->occ[ny[j]] != 1) mark_env(e, S->def_at[ny[j]]);
  }
}

/* (wo, wc: the occupancies and counts of nc, gather2) */
static void mark_near1(ionkmc_engine *e, const species_state *S, const int32_t *nc, uint64_t wo,
                       uint64_t wc, int own, uint64_t adj, int skip) {
  if (S->z == IONKMC_NNB_XX) mark_near1_z(e, S, nc, wo, wc, own, adj, skip, IONKMC_NNB_XX);
  else mark_near1_z(e, S, nc, wo, wc, own, adj, skip, IONKMC_NNB_AA);
}

/* env_step where every species with defects keeps first-shell counts: a
 * defect moves from s to its neighbour t (the only event of a species with
 * one kind of defect: a vacancy takes an atom, a split interstitial sends
 * one onto a singly occupied site); the counts around both ends change, and
 * the defects within two hops of either are recomputed. The counts are
 * moved first, so that the general hop code's recomputation of the mover
 * reads them as they are after the hop. */
void ionkmc_engine_env_step1(ionkmc_engine *e, int d, int p) {
  defect_state *D = &e->def[d];
  int kind = D->kind, spi = e->ksp[kind], k = D->xt;
  const species_state *S = &e->sp[spi];
  int z = S->z, s = D->site, dir = p % z;
  int t = defect_nbr(S, D, dir);
  int32_t bs[IONKMC_NNB_XX], bt[IONKMC_NNB_XX];
  const int32_t *ns = site_nbrs(S, s, bs), *nt = site_nbrs(S, t, bt);
  int was_lone = D->lone; /* no other defect within two hops of s */
  if (z == IONKMC_NNB_XX) {
    near1_add_z(e->near1[spi], ns, -1, IONKMC_NNB_XX);
    near1_add_z(e->near1[spi], nt, 1, IONKMC_NNB_XX);
  } else {
    near1_add_z(e->near1[spi], ns, -1, IONKMC_NNB_AA);
    near1_add_z(e->near1[spi], nt, 1, IONKMC_NNB_AA);
  }
  /* the fast hop leaves the mover and the defects near both ends to the
   * recomputations below, which find them all */
  if (kind == e->fast_kind) hop_x_vacancy_f(e, d, p, 0, 0, 0);
  else ionkmc_engine_execute(e, d, p);
  int now_s = S->occ[s] != 1, now_t = S->occ[t] != 1;
  if (now_s || !now_t) { /* not a move (never, with one kind a species): count again */
    ionkmc_engine_env_near_fill(e);
    ionkmc_engine_env_forget(e);
  }
  if (++e->stamp_now == 0) {
    memset(e->stamp, 0, sizeof(uint32_t) * (size_t)e->ndef);
    e->stamp_now = 1;
  }
  for (int j = 0; j < e->ndirty; j++) { /* the neighbours the hop marked */
    int o = e->dirty[j];
    if (e->stamp[o] != e->stamp_now) {
      e->stamp[o] = e->stamp_now;
      compute_paths(e, o);
    }
  }
  e->ndirty = 0;
  const uint8_t *c1 = e->near1[spi];
  /* the mover alone within two hops of t (no defect on t's first shell, none
   * but it on its neighbours'): its kind's lone row, as paths_env would
   * take it, and nothing else there to recompute */
  int k1 = D->xt;
  uint64_t wo_t, wc_t;
  gather2(S->occ, c1, nt, z, &wo_t, &wc_t);
  int t_alone = now_t && !now_s && c1[t] == 0 &&
                wc_t == 0x0101010101010101ULL >> (8 * (IONKMC_NNB_XX - z));
  if (t_alone && e->lone_set[kind][k1]) {
    e->stamp[d] = e->stamp_now;
    set_rates(e, d, e->lone_rt[kind][k1], e->lone_open[kind][k1], e->lone_sum[kind][k1], 0, 1);
  }
  /* the mover near others: its rates now when a row holds them (an
   * environment row's rates and statistics do not depend on the order of
   * the event's recomputations), from the words gathered at t */
  if (!t_alone && now_t && !now_s && ionkmc_engine_env_row_w(e, d, wo_t, wc_t)) e->stamp[d] = e->stamp_now;
  int back = e->near1_back[spi][k][dir]; /* s among t's neighbours */
  if (!was_lone) {
    uint64_t wo_s, wc_s;
    gather2(S->occ, c1, ns, z, &wo_s, &wc_s);
    mark_near1(e, S, ns, wo_s, wc_s, now_s, now_t ? e->near1_adj[spi][k][dir] : 0, dir);
  } else
    mark_env(e, d); /* all that s's scan would find: the mover, on its neighbour t */
  if (!t_alone)
    mark_near1(e, S, nt, wo_t, wc_t, now_t, now_s ? e->near1_adj[spi][k1][back] : 0, back);
  for (int j = 0; j < e->ndirty; j++) compute_paths(e, e->dirty[j]);
  e->ndirty = 0;
}
