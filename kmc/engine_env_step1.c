/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The environment-dependent step where every species with defects keeps
 * first-shell counts (near1_all): a defect's rates from its kind's lone
 * row or from the path-rate tables, and the event that moves a defect and
 * recomputes those within two hops of either end. See engine.h for
 * conventions and engine_env.c for the general route. */
#include <math.h>
#include <string.h>

#include "kmc/engine_env_near1.h"

/* The bytes of the mask m (bit q set: byte q all ones, else 0). */
static inline uint64_t bit_bytes(unsigned m) {
#if defined(__SSE2__) && defined(__x86_64__)
  const __m128i bits = _mm_set_epi8(0, 0, 0, 0, 0, 0, 0, 0, -128, 64, 32, 16, 8, 4, 2, 1);
  __m128i v = _mm_and_si128(_mm_set1_epi8((char)m), bits);
  return (uint64_t)_mm_cvtsi128_si64(_mm_cmpeq_epi8(v, bits));
#else
  uint64_t x = 0;
  for (int q = 0; q < 8; q++) x |= (uint64_t)(0u - ((m >> q) & 1u) & 0xFFu) << (8 * q);
  return x;
#endif
}

/* The rates of a defect's H * z paths (H = 1, or 2 for a split
 * interstitial), compile-time constants, into pr from its table row (row[ce
 * * IONKMC_MAX_PATHS + p] for an end of count ce), 0 for the directions
 * not in m; returns their sum in path order, as paths_env_full sums (a
 * closed path's 0 adds nothing), and sets in *open the paths of rate > 0
 * and *neg when an entry's sign bit is set (not known yet). The masks come
 * from the values as loaded, not from pr: a wide read of the narrow stores
 * just made would wait for them. */
static inline __attribute__((always_inline)) double table_rates(double *pr, const double *row, unsigned m,
                                                                uint64_t wc, const int z, const int H,
                                                                unsigned *open, unsigned *neg) {
  /* each end's count, or for a closed path 0: the row of end count 0
   * (zeros), chosen by a mask, not a branch */
  uint64_t x = wc & bit_bytes(m);
  uint8_t ce[IONKMC_NNB_XX];
  for (int q = 0; q < IONKMC_NNB_XX; q++) ce[q] = (uint8_t)(x >> (8 * q));
  double sum = 0;
  unsigned o = 0, n = 0;
  for (int h = 0; h < H * z; h += z)
    for (int q = 0; q < z; q += 2) { /* (z is even) */
      int p = h + q;
      double r0 = row[(size_t)ce[q] * IONKMC_MAX_PATHS + (size_t)p];
      double r1 = row[(size_t)ce[q + 1] * IONKMC_MAX_PATHS + (size_t)(p + 1)];
      sum += r0;
      sum += r1;
#if defined(__SSE2__) && defined(__x86_64__)
      __m128d v = _mm_set_pd(r1, r0);
      _mm_storeu_pd(pr + p, v);
      o |= (unsigned)_mm_movemask_pd(_mm_cmpgt_pd(v, _mm_setzero_pd())) << p;
      n |= (unsigned)_mm_movemask_pd(v);
#else
      pr[p] = r0;
      pr[p + 1] = r1;
      o |= (unsigned)(r0 > 0) << p | (unsigned)(r1 > 0) << (p + 1);
      n |= (unsigned)signbit(r0) | (unsigned)signbit(r1);
#endif
    }
  *open = o;
  *neg = n;
  return sum;
}

/* ionkmc_engine_env_row_w for z (8 or 6) neighbours, a compile-time
 * constant. */
static inline __attribute__((always_inline)) int env_row_z(ionkmc_engine *e, int d, uint64_t w,
                                                           const int z) {
  defect_state *D = &e->def[d];
  int kind = D->kind, k = D->xt, spi = e->ksp[kind];
  uint64_t wc = near1_counts(w);
  unsigned nd = near1_held(w, z), m = near1_open(nd, z);
  unsigned c1s = e->near1[spi][D->site] & NEAR1_COUNT;
  uint64_t ones = 0x0101010101010101ULL >> (8 * (IONKMC_NNB_XX - z));
  /* alone within two hops: no defect on the first shell of the site, none
   * but the defect itself on its neighbours' and none on them (the lone key
   * of near1_key_w) */
  if (c1s == 0 && w == ones) {
    if (!e->lone_set[kind][k]) return 0;
    set_rates(e, d, e->lone_rt[kind][k], e->lone_open[kind][k], e->lone_sum[kind][k], 0, 1);
    return 1;
  }
  /* each open path's rate from the table, by the counts at s and at its
   * end (byte dir of wc; every one within the table, checked at once),
   * written into the defect's row of prate as they come (a return of 0
   * leaves the row to paths_env_full, which writes all of it) */
  double *rt1 = e->near1_rt[spi];
  if (!rt1 || c1s > 8 || (((wc - ones) | (wc + 0x76 * ones) | wc) & 0x80 * ones)) return 0;
  const double *row = near1_rt_at(rt1, k, 0, c1s, 1) - IONKMC_MAX_PATHS; /* row[ce * MAX_PATHS + p] */
  int np = e->knp[kind]; /* z, or 2z for a split interstitial (paths p and p + z share p's end) */
  double *pr = e->prate + (size_t)d * IONKMC_MAX_PATHS;
  unsigned open, neg; /* an entry not known yet is < 0 (its sign bit): return 0 */
  double sum = np == z ? table_rates(pr, row, m, wc, z, 1, &open, &neg)
                       : table_rates(pr, row, m, wc, z, 2, &open, &neg);
  if (neg) return 0;
  /* the lookups the entries stand for: the open paths, m (twice for a
   * split interstitial, whose paths p and p + z share an end) */
  int n = (int)pop8(m) << (np != z);
  D->open = (uint16_t)open;
  D->nbr_def = (uint8_t)nd;
  D->lone = 0;
  ionkmc_sumtree_update(e->tree, d, sum);
  e->hits_due += n; /* (passed on at the end of the call, ionkmc_engine_env_hits_flush) */
  return 1;
}

/* The common cases of paths_env_full (engine_env.c) where every species
 * with defects has first-shell counts, without its frame: the kind's lone
 * row, or every open path's entry of the path-rate table, from the near1
 * bytes w of the defect's neighbours (gather8: their counts and whether
 * they hold a defect). 0 where the lone row or an entry is not known yet
 * (then nothing is set but, perhaps, part of the defect's row of prate). */
int ionkmc_engine_env_row_w(ionkmc_engine *e, int d, uint64_t w) {
  if (e->sp[e->ksp[e->def[d].kind]].z == IONKMC_NNB_XX) return env_row_z(e, d, w, IONKMC_NNB_XX);
  return env_row_z(e, d, w, IONKMC_NNB_AA);
}

/* compute_paths of defect o, out of line (the rare cases of recompute1). */
static __attribute__((noinline)) void compute_paths_ol(ionkmc_engine *e, int o) { compute_paths(e, o); }

/* compute_paths of defect o in env_step1, the counts up to date: where its
 * kind takes provider rates, the tables' route of paths_env (its common
 * case) without the calls between, else compute_paths. */
static inline void recompute1(ionkmc_engine *e, int o) {
  const defect_state *O = &e->def[o];
  int spi = e->ksp[O->kind];
  if (O->alive && e->kgen[O->kind] && e->kenv[O->kind] && e->near1_ok && e->near1_on[spi]) {
    const species_state *S = &e->sp[spi];
    int32_t buf[IONKMC_NNB_XX];
    const int32_t *nb = defect_nbrs(S, O, buf);
    if (S->z == IONKMC_NNB_XX ? env_row_z(e, o, gather8_z(e->near1[spi], nb, IONKMC_NNB_XX), IONKMC_NNB_XX)
                              : env_row_z(e, o, gather8_z(e->near1[spi], nb, IONKMC_NNB_AA), IONKMC_NNB_AA))
      return;
  }
  compute_paths_ol(e, o);
}

/* Recompute the marked defects when fewer than room slots are left. */
static inline void flush_dirty(ionkmc_engine *e, int room) {
  if (e->ndirty <= MAX_DIRTY - room) return;
  for (int j = 0; j < e->ndirty; j++) recompute1(e, e->dirty[j]);
  e->ndirty = 0;
}

/* Mark the defects within two hops of site c (neighbours nc) from the
 * first-shell counts: those on its neighbours, and those around a
 * neighbour whose count exceeds what is known to be there, the defect at c
 * (own), unless the neighbour is one of `left` (bits in the order of nc):
 * the other end of the hop and, in a move, the neighbours of both ends,
 * whose counts the move left as they were (one defect went, one came).
 * A defect around such a neighbour and not next to either end keeps every
 * input of its rates (occupancies of its neighbours and the counts at its
 * site and at its ends), unless it is next to a neighbour whose count did
 * change, where the scan of that neighbour finds it. Recomputes in
 * batches, so that dirty[] never overflows. */
static inline __attribute__((always_inline)) void mark_near1_z(ionkmc_engine *e, const species_state *S,
                                                               const uint8_t *c1, const int32_t *nc,
                                                               uint64_t w, int own, unsigned left,
                                                               const int z) {
  unsigned all = (1u << z) - 1, held = near1_held(w, z), more = 0;
  uint64_t wc = near1_counts(w);
#if defined(__SSE2__) && defined(__x86_64__)
  __m128i c = _mm_cvtsi64_si128((long long)wc);
  __m128i known = _mm_set1_epi8((char)own); /* what is known around each neighbour */
  more = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(c, known)) & all;
#else
  for (int i = 0; i < z; i++) more |= (unsigned)((int)((wc >> (8 * i)) & 0xFFu) > own) << i;
#endif
  more &= ~left;
  if (S->xnb) { /* the rows the recomputations and scans below will read */
    for (unsigned b = held | more; b; b &= b - 1)
      __builtin_prefetch(S->xnb + (size_t)nc[__builtin_ctz(b)] * IONKMC_NNB_XX);
  }
  flush_dirty(e, z);
  /* (a site that holds a defect has its slot in def_at, >= 0) */
  for (; held; held &= held - 1) mark_env_nb(e, S->def_at[nc[__builtin_ctz(held)]]);
  for (; more; more &= more - 1) {
    int32_t buf[IONKMC_NNB_XX];
    const int32_t *ny = site_nbrs(S, nc[__builtin_ctz(more)], buf);
    flush_dirty(e, z);
    for (unsigned h = near1_held(gather8(c1, ny, z), z); h; h &= h - 1)
      mark_env_nb(e, S->def_at[ny[__builtin_ctz(h)]]);
  }
}

/* (c1: the species' near1 bytes; w: those of nc, gather8) */
static void mark_near1(ionkmc_engine *e, const species_state *S, const uint8_t *c1, const int32_t *nc,
                       uint64_t w, int own, unsigned left) {
  if (S->z == IONKMC_NNB_XX) mark_near1_z(e, S, c1, nc, w, own, left, IONKMC_NNB_XX);
  else mark_near1_z(e, S, c1, nc, w, own, left, IONKMC_NNB_AA);
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
  int z = S->z, s = D->site, dir = p < z ? p : p - z; /* (p < 2z) */
  int t = defect_nbr(S, D, dir);
  int32_t bs[IONKMC_NNB_XX], bt[IONKMC_NNB_XX];
  const int32_t *ns = site_nbrs(S, s, bs), *nt = site_nbrs(S, t, bt);
  int was_lone = D->lone; /* no other defect within two hops of s */
  uint8_t *c1 = e->near1[spi];
  /* The counts and the defect go from s to t before the general hop, which
   * may recompute the mover (if it does not move after all, the counts are
   * made again). The fast hop recomputes nothing (the recomputations below
   * find the mover and the defects near both ends), so t's counts follow
   * it, and t's atom and row of neighbours, asked for now, arrive while
   * the hop runs. */
  int fast = kind == e->fast_kind;
  __builtin_prefetch(S->at0 + t);
  __builtin_prefetch(nt);
  if (z == IONKMC_NNB_XX) near1_add_z(c1, ns, -1, IONKMC_NNB_XX);
  else near1_add_z(c1, ns, -1, IONKMC_NNB_AA);
  c1[s] = (uint8_t)(c1[s] & ~NEAR1_HELD);
  c1[t] = (uint8_t)(c1[t] | NEAR1_HELD);
  if (fast) hop_x_vacancy_f(e, d, p, 0, 0, 0);
  if (z == IONKMC_NNB_XX) near1_add_z(c1, nt, 1, IONKMC_NNB_XX);
  else near1_add_z(c1, nt, 1, IONKMC_NNB_AA);
  if (!fast) ionkmc_engine_execute(e, d, p);
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
      recompute1(e, o);
    }
  }
  e->ndirty = 0;
  /* the mover alone within two hops of t (no defect on t's first shell, none
   * but it on its neighbours'): its kind's lone row, as paths_env would
   * take it, and nothing else there to recompute */
  int k1 = D->xt;
  /* (each neighbour's count 1, the mover's, and none holding a defect) */
  uint64_t w_t = gather8(c1, nt, z), ones = 0x0101010101010101ULL >> (8 * (IONKMC_NNB_XX - z));
  int t_alone = now_t & !now_s & ((c1[t] & NEAR1_COUNT) == 0) & (w_t == ones); /* (one branch on it, below) */
  if (t_alone && e->lone_set[kind][k1]) {
    e->stamp[d] = e->stamp_now;
    set_rates(e, d, e->lone_rt[kind][k1], e->lone_open[kind][k1], e->lone_sum[kind][k1], 0, 1);
  }
  /* the mover, in a move, first of all (so that the rate cache sees the
   * same lookups in the same order whether or not the tables hold its
   * rates: with a cache that flushes, the order decides which hit), from
   * the words gathered at t where the tables hold them */
  int moved = now_t && !now_s;
  if (moved && e->stamp[d] != e->stamp_now) {
    e->stamp[d] = e->stamp_now;
    if (t_alone || !ionkmc_engine_env_row_w(e, d, w_t)) compute_paths_ol(e, d);
  }
  int back = e->near1_back[spi][k][dir]; /* s among t's neighbours */
  if (!was_lone) {
    unsigned left = 1u << dir | (moved ? e->near1_adj[spi][k][dir] : 0);
    mark_near1(e, S, c1, ns, gather8(c1, ns, z), now_s, left);
  } else
    mark_env(e, d); /* all that s's scan would find: the mover, on its neighbour t */
  if (!t_alone) {
    unsigned left = 1u << back | (moved ? e->near1_adj[spi][k1][back] : 0);
    mark_near1(e, S, c1, nt, w_t, now_t, left);
  }
  for (int j = 0; j < e->ndirty; j++) recompute1(e, e->dirty[j]);
  e->ndirty = 0;
}
