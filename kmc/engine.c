/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Residence-time KMC engine. See engine.h for conventions. */
#include "kmc/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/provider.h"
#include "kmc/engine_impl.h"
#include "kmc/hugealloc.h"

static void species_free(species_state *s) {
  free(s->xo_buf);
  free(s->xnb);
  free(s->occ);
  free(s->at0);
  free(s->at1);
  free(s->def_at);
  free(s->adisp);
  free(s->asite);
}

void ionkmc_engine_free(ionkmc_engine *e) {
  if (!e) return;
  species_free(&e->sp[0]);
  species_free(&e->sp[1]);
  free(e->def);
  free(e->dpos0);
  free(e->dinit);
  free(e->dblk);
  free(e->prate);
  ionkmc_sumtree_free(e->tree);
  free(e->orient);
  free(e->stamp);
  free(e->erow);
  free(e->shell2[0]);
  free(e->shell2[1]);
  free(e->near2[0]);
  free(e->near2[1]);
  free(e->near1[0]);
  free(e->near1[1]);
  free(e->near1_rt[0]);
  free(e->near1_rt[1]);
  free(e->dt0);
  free(e->frk_free[0]);
  free(e->frk_free[1]);
  ionkmc_engine_jumplog_free(e);
  free(e);
}

/* Bits 0, 1, 2 of v at bits 0, 3, 6. */
static int spread3(int v) { return (v & 1) | ((v & 2) << 2) | ((v & 4) << 4); }

/* The X sublattice's internal numbering (engine_impl.h): the per-axis terms
 * of the index at h = -1 .. 2L, the padded array length and the neighbour
 * offsets. IONKMC_ERANGE if the padded box has more than INT32_MAX sites. */
static ionkmc_status x_layout(species_state *S, int L) {
  int nt = (L + 7) / 8, L2 = 2 * L;
  if ((int64_t)nt * nt * nt * 512 * 3 > INT32_MAX) return IONKMC_ERANGE;
  S->L = L;
  S->L2 = L2;
  S->nt = nt;
  S->nint = 3 * 512 * nt * nt * nt;
  S->xo_buf = malloc(sizeof(int32_t) * 3 * (size_t)(L2 + 2));
  if (!S->xo_buf) return IONKMC_ENOMEM;
  const int32_t tile[3] = {nt * nt * 512, nt * 512, 512};
  for (int a = 0; a < 3; a++) {
    int32_t *o = S->xo_buf + (size_t)a * (L2 + 2) + 1;
    for (int h = -1; h <= L2; h++) {
      int c = ((h + L2) % L2) >> 1;
      o[h] = 3 * ((c >> 3) * tile[a] + (spread3(c & 7) << (2 - a)));
    }
    S->xo[a] = o;
  }
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(k, d);
      int odd = 0;
      for (int c = 0; c < 3; c++) {
        S->xv[k][d][c] = v[c];
        if ((v[c] + (c == k)) & 1) odd = c;
      }
      S->xk[k][d] = (uint8_t)odd;
    }
  if (S->nint <= X_TABLE_MAX_SITES) {
    int32_t *tab = malloc(sizeof(int32_t) * IONKMC_NNB_XX * (size_t)S->nint);
    if (!tab) return IONKMC_ENOMEM;
    for (int i = 0; i < S->nint; i++) {
      uint16_t hw[3];
      int k = x_decode(S, i, hw);
      int32_t *row = tab + (size_t)i * IONKMC_NNB_XX;
      if (hw[0] < L2 && hw[1] < L2 && hw[2] < L2) x_nbrs_at(S, hw, k, row);
      else memset(row, 0, sizeof(int32_t) * IONKMC_NNB_XX); /* padding, never read */
    }
    S->xnb = tab;
  }
  return IONKMC_OK;
}

static void hit_thresholds(const double rt[IONKMC_NNB_XX], double thr[IONKMC_NNB_XX]);

ionkmc_engine *ionkmc_engine_alloc(const ionkmc_box_spec *spec, const ionkmc_lattice *lat,
                                   ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_engine *e = NULL;
  int ndef = 0, nvac[IONKMC_NSPECIES] = {0}, nint[IONKMC_NSPECIES] = {0};
  if ((st = ionkmc_box_spec_check(spec, lat, err))) goto out;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (spec->count[k] == 0) continue;
    ndef += spec->count[k];
    if (ionkmc_defect_is_vacancy(k)) nvac[kind_sp(k)] += spec->count[k];
    else nint[kind_sp(k)] += spec->count[k];
  }
  int frk = spec->frenkel_w > 0;
  int nx = ionkmc_lattice_nsites(lat, IONKMC_SUB_X), na = ionkmc_lattice_nsites(lat, IONKMC_SUB_A);
  e = calloc(1, sizeof *e);
  if (!e) goto nomem;
  e->spec = *spec;
  /* A kind whose table row does not take the pattern asked for moves singly. */
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (!ionkmc_defect_takes_pattern(k, spec->pattern[k])) e->spec.pattern[k] = IONKMC_PATTERN_SINGLE;
  e->lat = lat;
  /* defect slots by kind; a box with pair creation keeps frenkel_max more
   * V_I+ and I_I- slots (at most one per X site) */
  ndef = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    int n = spec->count[k];
    if (frk && (k == IONKMC_V_I || k == IONKMC_I_I))
      n = spec->frenkel_max < nx - n ? n + spec->frenkel_max : nx;
    e->kslot0[k] = ndef;
    e->kslots[k] = n;
    ndef += n;
  }
  e->ndef = ndef;
  e->frk = frk;
  int on_a = 0, coll_a = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0 && kind_sp(k) == 1) {
      on_a = 1;
      coll_a |= e->spec.pattern[k] == IONKMC_PATTERN_COLLINEAR;
    }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    species_state *S = &e->sp[s];
    int onx = ionkmc_species_sublattice(s) == IONKMC_SUB_X;
    S->nsites = onx ? nx : na;
    S->nint = S->nsites;
    S->z = onx ? IONKMC_NNB_XX : IONKMC_NNB_AA;
    S->L = spec->L;
    S->L2 = 2 * spec->L;
    if (onx) {
      if ((st = x_layout(S, spec->L)) == IONKMC_ERANGE) {
        st = ionkmc_error_set(err, st, "size: a %d^3 box has too many X sites for this engine", spec->L);
        goto fail;
      }
      if (st) goto nomem;
    } else if (on_a) {
      /* the A sublattice's tables, read only when it holds defects */
      S->nbr = ionkmc_lattice_aa(lat);
      S->nbr2 = coll_a ? ionkmc_lattice_aa2(lat) : NULL;
      if (!S->nbr || (coll_a && !S->nbr2)) goto nomem;
    }
    S->natoms = S->nsites - nvac[s] + nint[s];
    /* the arrays the step reads at random places: on huge pages when large */
    S->occ = ionkmc_huge_alloc((size_t)S->nint, IONKMC_HUGE_MIN);
    S->at0 = ionkmc_huge_alloc(sizeof(site_atom) * (size_t)S->nint, IONKMC_HUGE_MIN);
    /* a second atom on a site: split interstitials, placed or created */
    int two = nint[s] > 0 || (frk && onx);
    S->at1 = two ? ionkmc_huge_alloc(sizeof(site_atom) * (size_t)S->nint, IONKMC_HUGE_MIN) : NULL;
    S->def_at = ionkmc_huge_alloc(sizeof(int32_t) * (size_t)S->nint, IONKMC_HUGE_MIN);
    S->adisp = malloc(sizeof(int32_t) * 3 * (size_t)S->natoms);
    S->asite = malloc(sizeof(int32_t) * (size_t)S->natoms);
    if (!S->occ || !S->at0 || (two && !S->at1) || !S->def_at || !S->adisp || !S->asite) goto nomem;
  }
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0 && e->spec.pattern[k] == IONKMC_PATTERN_COLLINEAR)
      e->sp[kind_sp(k)].scan2 = 1;
  /* one cache line holds two defects, none straddles a line */
  e->def = ionkmc_huge_alloc(sizeof *e->def * (size_t)ndef, IONKMC_HUGE_MIN);
  if (e->def) memset(e->def, 0, sizeof *e->def * (size_t)ndef);
  e->dpos0 = malloc(sizeof(int32_t) * 3 * ndef);
  e->dinit = malloc(sizeof(int32_t) * 3 * ndef);
  e->dblk = calloc((size_t)ndef * 8, sizeof(double));
  e->prate = calloc((size_t)ndef * IONKMC_MAX_PATHS, sizeof(double));
  e->tree = ionkmc_sumtree_alloc(ndef + frk); /* leaf ndef: pair creation */
  if (!e->def || !e->dpos0 || !e->dinit || !e->dblk || !e->prate || !e->tree) goto nomem;
  if (frk) {
    e->dt0 = calloc((size_t)ndef, sizeof(double));
    e->frk_free[0] = malloc(sizeof(int32_t) * (size_t)e->kslots[IONKMC_V_I]);
    e->frk_free[1] = malloc(sizeof(int32_t) * (size_t)e->kslots[IONKMC_I_I]);
    if (!e->dt0 || !e->frk_free[0] || !e->frk_free[1]) goto nomem;
  }
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    for (int c = 0; c < e->kslots[k]; c++) e->def[e->kslot0[k] + c].kind = (uint8_t)k;
  ionkmc_engine_build_tables(e);
  if (e->fast_kind >= 0)
    for (int k = 0; k < 3; k++)
      if (e->rpos[e->fast_kind][k] == (1u << IONKMC_NNB_XX) - 1)
        hit_thresholds(e->rtab[e->fast_kind][k], e->xthr[k]);
  ionkmc_engine_pattern_tables(e);
  if (frk) ionkmc_engine_frenkel_setup(e);
  double r0 = ionkmc_box_spec_nominal_rate(spec);
  double t0 = r0 > 0 ? 1.0 / r0 : 1.0;
  for (int k = 0; k < IONKMC_MSD_POINTS; k++)
    e->msd_time[k] = t0 * pow(10.0, (double)k / IONKMC_MSD_PER_DECADE);
  goto out;
nomem:
  st = ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory for a %d^3 box", spec->L);
fail:
  ionkmc_engine_free(e);
  e = NULL;
out:
  if (status) *status = st;
  return e;
}

/* v if bit is 1, +0.0 if it is 0, without a branch. */
static inline double keep_if(double v, unsigned bit) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  u &= (uint64_t)0 - (uint64_t)bit;
  memcpy(&v, &u, sizeof v);
  return v;
}

/* Path selection within a defect: the first open path q with rem < rate[q],
 * rem being reduced by the rates of the open paths before it, exactly as a
 * scan that stops there; the last open path takes the round-off at the top
 * of the interval. The loops do not branch on the random outcome: they
 * return the bit set of hits, whose lowest bit is the chosen path. */
static inline unsigned first_hit_all(const double *rt, int np, double *rem) {
#ifdef __SSE2__
  /* the running remainders in sequence, compared two at a time */
  unsigned hit = 0;
  double r = *rem;
  for (int q = 0; q < np; q += 2) {
    double r1 = r - rt[q];
    __m128d rr = _mm_set_pd(r1, r);
    hit |= (unsigned)_mm_movemask_pd(_mm_cmplt_pd(rr, _mm_loadu_pd(rt + q))) << q;
    r = r1 - rt[q + 1];
  }
  return hit;
#else
  unsigned hit = 0;
  double r = *rem;
  for (int q = 0; q < np; q++) {
    hit |= (unsigned)(r < rt[q]) << q;
    r -= rt[q];
  }
  return hit;
#endif
}

/* Closed paths count with rate +0.0, which changes neither the test (rem >= 0
 * up to the hit) nor rem. */
static inline unsigned first_hit_masked(const double *rt, int np, unsigned open, double *rem) {
  unsigned hit = 0;
  double r = *rem;
  for (int q = 0; q < np; q++) {
    double rq = keep_if(rt[q], (open >> q) & 1);
    hit |= (unsigned)(r < rq) << q;
    r -= rq;
  }
  return hit;
}

/* The plain loop's selection among 8 open paths with rates rt, without the
 * scan's chain of dependent subtractions: thr[q] is the smallest double
 * x >= 0 for which first_hit_all(rt, 8, x) leaves bit q clear. Each step
 * of the scan subtracts a fixed rate and rounds, which is non-decreasing in
 * x, so bit q is set exactly when x < thr[q] (for every x >= 0), and
 * first_hit_thr gives the scan's bits. The search runs first_hit_all
 * itself, compiled with this file, so the platform's arithmetic is the
 * scan's. */
static void hit_thresholds(const double rt[IONKMC_NNB_XX], double thr[IONKMC_NNB_XX]) {
  for (int q = 0; q < IONKMC_NNB_XX; q++) {
    /* bit patterns of non-negative doubles are ordered as their values;
     * bit q is set at +0 (all rates > 0) and clear at +inf */
    uint64_t lo = 0, hi = 0x7FF0000000000000u;
    while (hi - lo > 1) {
      uint64_t mid = lo + (hi - lo) / 2;
      double x;
      memcpy(&x, &mid, sizeof x);
      if ((first_hit_all(rt, IONKMC_NNB_XX, &x) >> q) & 1) lo = mid;
      else hi = mid;
    }
    memcpy(&thr[q], &hi, sizeof hi);
  }
}

static inline unsigned first_hit_thr(const double thr[IONKMC_NNB_XX], double x) {
  unsigned hit = 0;
#ifdef __SSE2__
  __m128d xv = _mm_set1_pd(x);
  for (int q = 0; q < IONKMC_NNB_XX; q += 2)
    /* not (thr <= x): x < thr, as neither is a NaN */
    hit |= (unsigned)_mm_movemask_pd(_mm_cmpnle_pd(_mm_loadu_pd(thr + q), xv)) << q;
#else
  for (int q = 0; q < IONKMC_NNB_XX; q++) hit |= (unsigned)(x < thr[q]) << q;
#endif
  return hit;
}

/* Advance the clock to tnew and execute the event that x in [0, R) selects.
 * plain, a compile-time constant: 1 when plain_case() holds for the whole
 * call of the loop (see there); its tests then fold away. */
static inline __attribute__((always_inline)) void do_step(ionkmc_engine *e, double tnew, double x,
                                                          const int plain) {
  if (tnew >= e->msd_next) sample_msd(e, tnew);
  e->obs.t = tnew;
  double rem;
  int d = plain || e->ndef == 1 ? (rem = x, 0)
                                 : ionkmc_sumtree_find_prefetch(e->tree, x, &rem, e->def, sizeof *e->def);
  if (!plain && d >= e->ndef) { /* the creation leaf of thermal Frenkel pairs */
    ionkmc_engine_frenkel_event(e);
    return;
  }
  if (!plain && e->kpat[e->def[d].kind]) { /* a correlated pattern: internal event or hop */
    ionkmc_engine_pattern_step(e, d, rem);
    return;
  }
  const defect_state *D = &e->def[d];
  /* its site's row of the X neighbour table, which the hop reads after
   * the choice of path below: asked for now, so that the two wait together
   * (A and boxes without the table: nothing) */
  const int32_t *xnb = e->sp[plain ? 0 : e->ksp[D->kind]].xnb;
  if (!plain && xnb) __builtin_prefetch(xnb + (size_t)D->site * IONKMC_NNB_XX);
  const double *rt = e->rtab[D->kind][D->xt];
  if (!plain && e->kenv[D->kind]) {
    /* a lone defect's environment rates are its kind's lone row: chosen by
     * a mask, not a branch (whether the chosen defect is lone is as good as
     * random) */
    uintptr_t lone = (uintptr_t)e->lone_rt[D->kind][D->xt], own = (uintptr_t)(e->prate + (size_t)d * IONKMC_MAX_PATHS);
    uintptr_t m = (uintptr_t)0 - D->lone;
    rt = (const double *)((lone & m) | (own & ~m));
  }
  unsigned open = D->open;
  int np = plain ? IONKMC_NNB_XX : e->knp[D->kind];
  unsigned hit, last; /* the bits of the scan; the last open path */
  if (open == (1u << np) - 1) {
    last = (unsigned)np - 1;
    /* every path open (the common case): fixed-length loops the compiler
     * unrolls */
    switch (plain ? 0 : np) {
    case 0: hit = first_hit_thr(e->xthr[D->xt], rem); break;
    case 8: hit = first_hit_all(rt, 8, &rem); break;
    case 6: hit = first_hit_all(rt, 6, &rem); break;
    case 16: hit = first_hit_all(rt, 16, &rem); break;
    default: hit = first_hit_all(rt, 12, &rem); break;
    }
  } else {
    last = 31u - (unsigned)__builtin_clz(open);
    hit = first_hit_masked(rt, np, open, &rem);
  }
  /* the first hit, an open path (rem stays >= 0 up to it, so a closed one
   * cannot be hit before), or the last open path when the round-off left
   * none */
  int p = __builtin_ctz(hit | 1u << last);
  if (plain) {
    hop_x_vacancy_f(e, d, p, 1, 1, 1);
    return;
  }
  if (e->env) {
    if (e->near1_all) ionkmc_engine_env_step1(e, d, p);
    else ionkmc_engine_env_step(e, d, p);
    return;
  }
  hop_execute(e, d, p);
  for (int i = 0; i < e->ndirty; i++) compute_paths(e, e->dirty[i]);
}

/* The residence time of one event: an exact exponential -ln(v)/R with
 * v = 1 - u in (0, 1] (exact in binary floating point for u = k 2^-53). */
static inline double waiting_time(double u, double R) { return -log(1.0 - u) / R; }

ionkmc_status ionkmc_engine_step(ionkmc_engine *e, ionkmc_rng *rng) {
  double R = ionkmc_sumtree_total(e->tree);
  if (!(R > 0)) return IONKMC_ESTATE;
  double u1, u2;
  ionkmc_rng_uniform2(rng, &u1, &u2);
  do_step(e, e->obs.t + waiting_time(u1, R), u2 * R, 0);
  ionkmc_engine_env_hits_flush(e);
  return e->fail;
}

/* The plain case: one defect slot, an iodide vacancy that takes the fast
 * hop (HOP_FAST_KIND, no correlated pattern), constant rates, no pair
 * creation and no jump log. None of these changes during a run (a lone
 * vacancy neither dies nor meets another defect), so the loop is chosen
 * once per call. The plain loop is the general one with the tests that
 * cannot succeed here folded away, the vacancy's open directions known to
 * be all eight (hop_x_vacancy_f) and its path read off thresholds that
 * give the scan's choice for every x (hit_thresholds): otherwise the same
 * operations on the same values in the same order. Guarantee: on a given
 * platform the event sequence, the clock and every output are bit for bit
 * those of the general loop (tests/test_engine_plain.c compares a plain
 * run's state and observables with those of single general steps and of a
 * run that keeps a jump log; the golden outputs include single-vacancy
 * runs). */
static int plain_case(const ionkmc_engine *e) {
  return e->ndef == 1 && !e->frk && !e->env && !e->jlog && !e->sp[0].jlog &&
         e->def[0].alive && e->def[0].kind == e->fast_kind && !e->kpat[e->def[0].kind] &&
         e->knp[e->def[0].kind] == IONKMC_NNB_XX && e->sp[0].alive == 1;
}

/* The hop loop of ionkmc_engine_run, instantiated for plain = 0 (any box)
 * and 1 (plain_case). */
static inline __attribute__((always_inline)) ionkmc_status run_loop(ionkmc_engine *e,
                                                                    ionkmc_rng_batch *batch,
                                                                    int64_t hmax, double max_time,
                                                                    int64_t block_hops,
                                                                    const int plain) {
  double tmax = max_time > 0 ? max_time : INFINITY;
  for (;;) {
    int64_t stop = hmax;
    if (block_hops > 0 && e->block_start + block_hops < stop) stop = e->block_start + block_hops;
    while (e->obs.hops < stop) {
      double R = ionkmc_sumtree_total(e->tree);
      if (!(R > 0)) {
        e->obs.no_events = 1;
        return e->fail;
      }
      double w, u2;
      ionkmc_rng_batch_neglog_uniform2(batch, &w, &u2);
      double tnew = e->obs.t + w / R;
      if (tnew > tmax) {
        sample_msd(e, max_time);
        e->obs.t = max_time;
        return e->fail;
      }
      do_step(e, tnew, u2 * R, plain);
      if (!plain && e->fail) return e->fail;
    }
    if (e->obs.hops >= hmax) break;
    ionkmc_engine_close_block(e);
  }
  return e->fail;
}

ionkmc_status ionkmc_engine_run(ionkmc_engine *e, ionkmc_rng *rng, int64_t max_hops,
                                double max_time, int64_t block_hops) {
  if (max_hops <= 0 && !(max_time > 0)) return IONKMC_EINVAL;
  int64_t hmax = max_hops > 0 ? max_hops : INT64_MAX;
  /* One Philox block per event, computed a batch at a time with the
   * waiting times' logarithms (bit for bit waiting_time's, kmc/rng.h); the
   * stream is left where one-at-a-time draws would leave it. */
  ionkmc_rng_batch batch;
  ionkmc_rng_batch_begin_neglog(&batch, rng);
  ionkmc_status st = plain_case(e) ? run_loop(e, &batch, hmax, max_time, block_hops, 1)
                                   : run_loop(e, &batch, hmax, max_time, block_hops, 0);
  ionkmc_rng_batch_end(&batch);
  ionkmc_engine_env_hits_flush(e);
  return st;
}

ionkmc_status ionkmc_engine_reset(ionkmc_engine *e, ionkmc_rng *rng, ionkmc_error *err) {
  const ionkmc_lattice *lat = e->lat;
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    species_state *S = &e->sp[s];
    memset(S->occ, 1, (size_t)S->nint);
    for (int i = 0; i < S->nint; i++) S->def_at[i] = -1;
    S->sum_dr2 = S->sum_jump2 = 0;
    S->sum_dr[0] = S->sum_dr[1] = S->sum_dr[2] = 0;
    S->alive = 0;
  }
  /* Random distinct sites for the defects. */
  for (int d = 0; d < e->ndef; d++) {
    defect_state *D = &e->def[d];
    int kind = D->kind;
    species_state *S = &e->sp[kind_sp(kind)];
    if (d - e->kslot0[kind] >= e->spec.count[kind]) { /* a slot for created pairs */
      D->alive = 0;
      D->site = 0;
      D->xt = 0;
      memset(D->pos, 0, sizeof D->pos);
      memset(D->hw, 0, sizeof D->hw);
      continue;
    }
    int pub, site; /* placement draws public site numbers */
    do {
      pub = (int)ionkmc_rng_below(rng, (uint32_t)S->nsites);
      site = x_pub2int(S, pub);
    } while (S->def_at[site] >= 0);
    S->def_at[site] = d;
    S->occ[site] = ionkmc_defect_is_vacancy(kind) ? 0 : 2;
    S->alive++;
    D->site = site;
    D->xt = (uint8_t)(kind_sp(kind) == 0 ? pub % 3 : 0);
    D->alive = 1;
    ionkmc_lattice_site_pos(lat, ionkmc_defect_sublattice(kind), pub, D->pos);
    for (int c = 0; c < 3; c++) D->hw[c] = (uint16_t)D->pos[c];
  }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    species_state *S = &e->sp[s];
    int a = 0;
    /* atoms are numbered in public site order */
    for (int p = 0; p < S->nsites; p++) {
      int i = x_pub2int(S, p);
      for (int j = 0; j < S->occ[i]; j++) {
        if (a >= S->natoms || (j && !S->at1))
          return ionkmc_error_set(err, IONKMC_EINTERNAL, "engine: atom count mismatch");
        site_atom *r = j ? &S->at1[i] : &S->at0[i];
        r->atom = a;
        memset(r->r, 0, sizeof r->r);
        S->asite[a] = p;
        a++;
      }
    }
    if (a != S->natoms) return ionkmc_error_set(err, IONKMC_EINTERNAL, "engine: atom count mismatch");
  }
  for (int d = 0; d < e->ndef; d++) {
    memcpy(e->dpos0 + 3 * (size_t)d, e->def[d].pos, 3 * sizeof(int32_t));
    memcpy(e->dinit + 3 * (size_t)d, e->def[d].pos, 3 * sizeof(int32_t));
  }
  memset(&e->obs, 0, sizeof e->obs);
  memset(e->dblk, 0, sizeof(double) * 8 * (size_t)e->ndef);
  memset(e->sblk, 0, sizeof e->sblk);
  memset(e->sblk_r2, 0, sizeof e->sblk_r2);
  memset(e->s0, 0, sizeof e->s0);
  e->obs.defects_alive = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) e->obs.defects_alive += e->spec.count[k];
  e->obs.t_emptied[0] = e->obs.t_emptied[1] = -1;
  e->obs.msd_t0 = e->msd_time[0];
  e->msd_next = e->msd_time[0];
  e->t_block = 0;
  e->block_start = 0;
  e->fail = IONKMC_OK;
  ionkmc_engine_jumplog_clear(e);
  if (e->frk) ionkmc_engine_frenkel_reset(e, rng);
  if (e->env) {
    ionkmc_providers_clear_cache(e->prov);
    ionkmc_engine_env_forget(e);
    memset(e->lone_set, 0, sizeof e->lone_set);
    ionkmc_engine_env_near_fill(e);
    if (e->orient)
      for (int i = 0; i < e->sp[1].nsites; i++) e->orient[i] = (int8_t)ionkmc_rng_below(rng, 3);
  }
  ionkmc_engine_pattern_reset(e);
  e->hits_due = 0;
  for (int d = 0; d < e->ndef; d++) compute_paths(e, d);
  ionkmc_engine_env_hits_flush(e);
  if (e->fail) {
    if (err) *err = e->fail_err;
    return e->fail;
  }
  return IONKMC_OK;
}
