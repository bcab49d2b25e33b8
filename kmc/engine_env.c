/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Environment-dependent rates of the KMC engine: the kinds whose catalog
 * entry names a barrier provider (kra, torch) take each path's rate from the
 * hop's local environment, and an event recomputes every defect within two
 * hops of the sites it changed. See engine.h for conventions. */
#include <stdlib.h>
#include <string.h>

#include "barriers/provider.h"
#include "kmc/engine_env_near1.h"

/* Count the defects other than `self` on the first shell of `site`. */
static void shell_counts(const ionkmc_engine *e, const species_state *S, int site, int self,
                         int counts[IONKMC_NDEFECT]) {
  int32_t buf[IONKMC_NNB_XX];
  const int32_t *nb = site_nbrs(S, site, buf);
  for (int i = 0; i < S->z; i++)
    if (S->occ[nb[i]] != 1) {
      int o = S->def_at[nb[i]];
      if (o >= 0 && o != self && e->def[o].alive) counts[e->def[o].kind]++;
    }
}

/* Environment rows (where not every species with defects has first-shell
 * counts, !near1_all): the path rates of a defect keyed by everything they
 * depend on within two hops, so that a defect whose environment was seen
 * before skips the per-path gathers, keys and cache probes. The key is exact
 * (no hash collision can alias two environments): bit 63 set, the kind
 * (3 bits), the X type (2), the number of defects within two hops (3,
 * 1..IONKMC_ENV_ROW_HITS), then per such defect, in shell order, its index
 * in the shell (6 bits) and its site's occupancy and kind + 1 (5 bits).
 * Rows are forgotten whenever the providers' rate cache flushes (a row
 * stands for lookups that must all still hit there) and on reset. */
#define IONKMC_ENV_ROW_HITS 5
struct ionkmc_env_row {
  uint64_t key; /* 0: empty */
  double sum;
  double rt[IONKMC_MAX_PATHS]; /* 0 past the kind's paths */
  uint16_t open;               /* paths with a rate > 0 */
  uint8_t nlook;               /* the rate-cache lookups the row stands for */
};

int64_t ionkmc_engine_env_rows(int64_t ndef) {
  int64_t n = IONKMC_ENV_ROWS_MIN;
  while (n < 64 * ndef && n < IONKMC_ENV_ROWS_MAX) n *= 2;
  return n;
}

size_t ionkmc_engine_env_row_size(void) { return sizeof(struct ionkmc_env_row); }

void ionkmc_engine_env_forget(ionkmc_engine *e) {
  for (uint64_t i = 0; e->erow && i <= e->erow_mask; i++) e->erow[i].key = 0;
  e->erow_used = 0;
  for (int spi = 0; spi < IONKMC_NSPECIES; spi++)
    if (e->near1_rt[spi])
      for (int i = 0; i < IONKMC_NEAR1_RT; i++) /* (end count 0: 0, see near1_rt_at) */
        e->near1_rt[spi][i] = i % (10 * IONKMC_MAX_PATHS) < IONKMC_MAX_PATHS ? 0 : -1;
  e->erow_flushes = ionkmc_providers_flushes(e->prov);
}

static inline uint64_t row_slot(uint64_t key, uint64_t mask) {
  key ^= key >> 29;
  key *= 0xbf58476d1ce4e5b9ULL;
  return (key ^ (key >> 32)) & mask;
}

/* The entries of site s's shell2 row that hold a defect (occupancy != 1):
 * its count less its own site, or -1 while a hop executes (not known). */
static inline int near_left(const ionkmc_engine *e, const species_state *S, int spi, int s) {
  return e->near2_ok ? e->near2[spi][s] - (S->occ[s] != 1) : -1;
}

static void near1_add(ionkmc_engine *e, int spi, int x, const int32_t *nb, int dn) {
  const species_state *S = &e->sp[spi];
  int32_t buf[IONKMC_NNB_XX];
  if (!nb) nb = site_nbrs(S, x, buf);
  if (S->z == IONKMC_NNB_XX) near1_add_z(e->near1[spi], nb, dn, IONKMC_NNB_XX);
  else near1_add_z(e->near1[spi], nb, dn, IONKMC_NNB_AA);
}

/* Add dn to the counts of the site x and of its shell2 row (the sites
 * whose count includes x: the two-hop relation is symmetric). */
static void near_add(ionkmc_engine *e, int spi, int x, int dn) {
  int n2 = e->n2[spi];
  const int32_t *sh = e->shell2[spi] + (size_t)x * n2;
  uint8_t *c = e->near2[spi];
  c[x] = (uint8_t)(c[x] + dn);
  for (int i = 0; i < n2; i++) c[sh[i]] = (uint8_t)(c[sh[i]] + dn);
  if (e->near1_on[spi]) near1_add(e, spi, x, NULL, dn);
}

/* A defect moved from s (X type k) to its neighbour dir, t: only the
 * counts of the sites within two hops of one end and not of the other
 * change (near2_dec, near2_inc; the ends themselves are within two hops of
 * each other). */
static void near_move(ionkmc_engine *e, int spi, int s, int k, int dir, int t) {
  int n2 = e->n2[spi];
  const int32_t *shs = e->shell2[spi] + (size_t)s * n2, *sht = e->shell2[spi] + (size_t)t * n2;
  const int8_t *dec = e->near2_dec[spi][k][dir], *inc = e->near2_inc[spi][k][dir];
  uint8_t *c = e->near2[spi];
  for (int i = 0, n = e->near2_nmove[spi][k][dir]; i < n; i++) {
    c[shs[dec[i]]]--;
    c[sht[inc[i]]]++;
  }
  if (e->near1_on[spi]) {
    near1_add(e, spi, s, NULL, -1);
    near1_add(e, spi, t, NULL, 1);
  }
}

void ionkmc_engine_env_hits_flush(ionkmc_engine *e) {
  if (e->hits_due && e->prov) ionkmc_providers_note_hits(e->prov, e->hits_due);
  e->hits_due = 0;
}

void ionkmc_engine_env_near_fill(ionkmc_engine *e) {
  e->near2_ok = 0;
  e->near1_ok = 0;
  for (int d = 0; d < e->ndef; d++) { /* until recomputed; a lone defect's row of prate written */
    defect_state *D = &e->def[d];
    if (D->lone)
      memcpy(e->prate + (size_t)d * IONKMC_MAX_PATHS, e->lone_rt[D->kind][D->xt], sizeof(double) * IONKMC_MAX_PATHS);
    D->lone = 0;
  }
  if (e->near1_all) {
    for (int spi = 0; spi < IONKMC_NSPECIES; spi++)
      if (e->near1_on[spi]) memset(e->near1[spi], 0, (size_t)e->sp[spi].nint);
    for (int d = 0; d < e->ndef; d++) {
      if (!e->def[d].alive) continue;
      int spi = e->ksp[e->def[d].kind];
      near1_add(e, spi, e->def[d].site, NULL, 1);
      e->near1[spi][e->def[d].site] |= NEAR1_HELD; /* (the counts are its neighbours') */
    }
    e->near1_ok = 1;
    return;
  }
  for (int spi = 0; spi < IONKMC_NSPECIES; spi++)
    if (!e->near2[spi]) return;
  for (int spi = 0; spi < IONKMC_NSPECIES; spi++) {
    memset(e->near2[spi], 0, (size_t)e->sp[spi].nint);
    if (e->near1_on[spi]) memset(e->near1[spi], 0, (size_t)e->sp[spi].nint);
  }
  for (int d = 0; d < e->ndef; d++)
    if (e->def[d].alive) near_add(e, e->ksp[e->def[d].kind], e->def[d].site, 1);
  e->near2_ok = 1;
}

/* The key of defect d at s (kind, X type k), 0 when more than
 * IONKMC_ENV_ROW_HITS defects lie within two hops; *nhits their number.
 * left: the entries of s's row that hold a defect (near_left), so that the
 * scan stops after the last; -1 scans the whole row. */
static uint64_t env_row_key(const ionkmc_engine *e, const species_state *S, int spi, int d, int s,
                            int kind, int k, int left, int *nhits) {
  const int32_t *sh = e->shell2[spi] + (size_t)s * e->n2[spi];
  uint64_t key = ((uint64_t)1 << 63) | (uint64_t)kind | ((uint64_t)k << 3);
  int n = 0, shift = 8;
  for (int i = 0; i < e->n2[spi] && left; i++) {
    int o = sh[i];
    if (S->occ[o] == 1) continue;
    left--;
    if (o == s) continue;
    if (++n > IONKMC_ENV_ROW_HITS) {
      *nhits = n;
      return 0;
    }
    int od = S->def_at[o];
    unsigned code = S->occ[o] & 3;
    if (od >= 0 && od != d && e->def[od].alive) code |= (unsigned)(e->def[od].kind + 1) << 2;
    key |= (uint64_t)((unsigned)i | code << 6) << shift;
    shift += 11;
  }
  *nhits = n;
  return key | (uint64_t)n << 5;
}

static inline uint64_t near1_key(const ionkmc_engine *e, int spi, int kind, int k, unsigned m,
                                 int s, const int32_t *nb, int z) {
  const uint8_t *c1 = e->near1[spi];
  return near1_key_w(kind, k, m, c1[s] & NEAR1_COUNT, near1_counts(gather8(c1, nb, z)), z);
}

static void paths_env_full(ionkmc_engine *e, int d);

static inline int paths_env_row(ionkmc_engine *e, int d) {
  defect_state *D = &e->def[d];
  int spi = e->ksp[D->kind];
  if (!e->near1_on[spi]) return 0;
  const species_state *S = &e->sp[spi];
  int32_t nbuf[IONKMC_NNB_XX];
  return ionkmc_engine_env_row_w(e, d, gather8(e->near1[spi], defect_nbrs(S, D, nbuf), S->z));
}

/* Path rates of a defect whose kind takes its rates from a provider: the
 * open paths as in compute_paths, each rate from the hop's environment. */
void ionkmc_engine_paths_env(ionkmc_engine *e, int d) {
  if (e->near1_all && e->near1_ok && paths_env_row(e, d)) return;
  paths_env_full(e, d);
}

static __attribute__((noinline)) void paths_env_full(ionkmc_engine *e, int d) {
  defect_state *D = &e->def[d];
  int kind = D->kind, cls = e->kcls[kind], k = D->xt, spi = e->ksp[kind];
  const species_state *S = &e->sp[spi];
  int z = S->z, np = e->knp[kind], s = D->site;
  double *pr = e->prate + (size_t)d * IONKMC_MAX_PATHS;
  int quenched = e->quenched;
  ionkmc_hop_env env;
  double sum = 0;
  unsigned open = 0;
  /* Alone within two hops: every path is open and its environment is the
   * empty one, so the rates are the kind's lone row. Otherwise, with up to
   * IONKMC_ENV_ROW_HITS defects there, the rates may be an environment row. */
  int keyed = !quenched && cls != CLS_INT_COLL, nhits = 1;
  int by1 = keyed && e->near1_on[spi] && (e->near1_all ? e->near1_ok : e->near2_ok);
  uint64_t key = 0;
  int32_t nbuf[IONKMC_NNB_XX];
  const int32_t *nb = NULL;
  unsigned nd = 0, m = 0;
  if (by1 && e->near1_all) { /* lone: every path open, every count the defect's own */
    nb = defect_nbrs(S, D, nbuf);
    uint64_t w = gather8(e->near1[spi], nb, z);
    nd = z == IONKMC_NNB_XX ? near1_held(w, IONKMC_NNB_XX) : near1_held(w, IONKMC_NNB_AA);
    m = near1_open(nd, z);
    key = near1_key_w(kind, k, m, e->near1[spi][s] & NEAR1_COUNT, near1_counts(w), z);
    nhits = key != near1_head(kind, k, (1u << z) - 1);
  } else if (by1) {
    nhits = near_left(e, S, spi, s);
  } else if (keyed && !e->near1_all) { /* (no second-shell rows otherwise) */
    key = env_row_key(e, S, spi, d, s, kind, k, near_left(e, S, spi, s), &nhits);
  }
  int lone = keyed && nhits == 0;
  if (lone && e->lone_set[kind][k]) {
    set_rates(e, d, e->lone_rt[kind][k], e->lone_open[kind][k], e->lone_sum[kind][k], 0, 1);
    return;
  }
  if (!nb) {
    nb = defect_nbrs(S, D, nbuf);
    m = open_dirs_nb(S, cls, nb, s, &nd);
    if (by1 && !lone) key = near1_key(e, spi, kind, k, m, s, nb, z);
  }
  unsigned paths = cls == CLS_VAC ? m : m | (m << z);
  struct ionkmc_env_row *row = NULL;
  if (key && !lone && e->erow) {
    uint64_t i = row_slot(key, e->erow_mask);
    while (e->erow[i].key && e->erow[i].key != key) i = (i + 1) & e->erow_mask;
    row = &e->erow[i];
    if (row->key == key) {
      set_rates(e, d, row->rt, row->open, row->sum, nd, 0);
      /* the lookups the per-path code would have made, all hits */
      e->hits_due += row->nlook;
      return;
    }
  }
  /* the initial shell is the same for every path */
  memset(&env, 0, sizeof env);
  env.kind = kind;
  env.ncages = 2;
  int have_init = 0, flushed = 0;
  memset(pr, 0, sizeof(double) * IONKMC_MAX_PATHS);
  /* with first-shell counts, a path's rate is known by the counts at s and
   * at its end (the provider's environment holds no more): the table, whose
   * entries stand for rate-cache lookups that would hit */
  double *rt1 = by1 && e->near1_all ? e->near1_rt[spi] : NULL;
  const uint8_t *c1 = e->near1[spi];
  int64_t rt1_hits = 0;
  for (int p = 0; p < np; p++) {
    if (!((paths >> p) & 1)) continue;
    int dir = p % z;
    int t = defect_nbr(S, D, dir);
    const int8_t *dv = e->dvec[kind][k][p];
    int f = t;
    if (cls == CLS_INT_COLL && S->occ[t] != 0) f = S->nbr2[(size_t)s * z + dir];
    double *slot = rt1 ? near1_rt_at(rt1, k, p, c1[s] & NEAR1_COUNT, c1[f] & NEAR1_COUNT) : NULL;
    if (slot && *slot >= 0) {
      pr[p] = *slot;
      sum += *slot;
      if (*slot > 0) open |= 1u << p;
      rt1_hits++;
      continue;
    }
    if (!have_init) {
      shell_counts(e, S, s, d, env.init_counts);
      have_init = 1;
    }
    memset(env.final_counts, 0, sizeof env.final_counts);
    shell_counts(e, S, f, d, env.final_counts);
    for (int c = 0; c < 3; c++) env.dr[c] = 0.5 * e->spec.cond.a * dv[c];
    if (quenched) {
      int32_t pos[3], q[3];
      if (spi == 0) {
        ionkmc_lattice_site_pos(e->lat, IONKMC_SUB_X, x_int2pub(S, s), pos);
        for (int g = 0; g < 2; g++) {
          for (int c = 0; c < 3; c++) q[c] = pos[c] + e->xcage[k][dir][g][c];
          env.cage_class[g] = e->orient[ionkmc_lattice_site_at(e->lat, IONKMC_SUB_A, q)];
        }
      } else {
        env.cage_class[0] = e->orient[s];
        env.cage_class[1] = e->orient[t];
      }
    }
    double r = 0;
    ionkmc_status st = ionkmc_providers_rate(e->prov, &env, &r, &e->fail_err);
    if (st != IONKMC_OK) {
      if (!e->fail) e->fail = st;
      r = 0;
    } else if (slot) {
      /* a flush of the rate cache drops what the table and rows stand for */
      if (ionkmc_providers_flushes(e->prov) != e->erow_flushes) {
        ionkmc_engine_env_forget(e);
        flushed = 1;
      }
      *slot = r;
    }
    pr[p] = r;
    sum += r;
    if (r > 0) open |= 1u << p;
  }
  if (lone && !e->fail) {
    memcpy(e->lone_rt[kind][k], pr, sizeof(double) * IONKMC_MAX_PATHS);
    double ls = 0; /* summed as the rows are used: over all the kind's paths */
    for (int p = 0; p < np; p++) ls += pr[p];
    e->lone_sum[kind][k] = ls;
    e->lone_open[kind][k] = (uint16_t)open;
    e->lone_set[kind][k] = 1;
  }
  e->hits_due += rt1_hits;
  if (row && !e->fail && !flushed) {
    if (ionkmc_providers_flushes(e->prov) != e->erow_flushes) {
      ionkmc_engine_env_forget(e); /* the cache no longer holds the rows' lookups */
    } else {
      if ((uint64_t)(e->erow_used + 1) * 4 > (e->erow_mask + 1) * 3) {
        ionkmc_engine_env_forget(e);
        uint64_t i = row_slot(key, e->erow_mask);
        while (e->erow[i].key) i = (i + 1) & e->erow_mask;
        row = &e->erow[i];
      }
      row->key = key;
      row->sum = sum;
      memcpy(row->rt, pr, sizeof row->rt);
      row->open = (uint16_t)open;
      row->nlook = (uint8_t)__builtin_popcount(paths & ((1u << np) - 1));
      e->erow_used++;
    }
  }
  D->open = (uint16_t)open;
  D->nbr_def = (uint8_t)nd;
  D->lone = (uint8_t)lone;
  ionkmc_sumtree_update(e->tree, d, sum);
}

/* An event in a box with environment-dependent rates: the defects within two
 * hops of the changed sites are recomputed, those near each site together.
 * (Where near1_all, do_step calls ionkmc_engine_env_step1 instead.) */
void ionkmc_engine_env_step(ionkmc_engine *e, int d, int p) {
  int kind = e->def[d].kind, spi = e->ksp[kind];
  const species_state *S = &e->sp[spi];
  int z = S->z, s = e->def[d].site, dir = p % z;
  int t = defect_nbr(S, &e->def[d], dir);
  int u = e->kcls[kind] == CLS_INT_COLL ? S->nbr2[(size_t)s * z + dir] : -1;
  int sites[3] = {s, t, u}, was[3], kept = e->near2_ok, k = e->def[d].xt;
  for (int q = 0; q < 3; q++) was[q] = sites[q] >= 0 && S->occ[sites[q]] != 1;
  e->near2_ok = 0; /* the counts are stale until the hop's changes are added */
  /* the mover is recomputed below (it is within two hops of s): the fast
   * path need not set its leaf from the constant rates first */
  if (kind == e->fast_kind) hop_x_vacancy_f(e, d, p, 0, 0, 1);
  else ionkmc_engine_execute(e, d, p);
  if (kept) {
    int now[3];
    for (int q = 0; q < 3; q++) now[q] = sites[q] >= 0 && S->occ[sites[q]] != 1;
    if (was[0] && !now[0] && !was[1] && now[1] && was[2] == now[2]) {
      near_move(e, spi, s, k, dir, t); /* a defect went from s to t */
    } else {
      for (int q = 0; q < 3; q++)
        if (now[q] != was[q]) near_add(e, spi, sites[q], now[q] ? 1 : -1);
    }
    e->near2_ok = 1;
  }
  if (++e->stamp_now == 0) {
    memset(e->stamp, 0, sizeof(uint32_t) * (size_t)e->ndef);
    e->stamp_now = 1;
  }
  for (int j = 0; j < e->ndirty; j++) {
    int o = e->dirty[j];
    if (e->stamp[o] != e->stamp_now) {
      e->stamp[o] = e->stamp_now;
      compute_paths(e, o);
    }
  }
  int n2 = e->n2[spi];
  for (int q = 0; q < 3; q++) {
    if (sites[q] < 0) continue;
    const int32_t *sh = e->shell2[spi] + (size_t)sites[q] * n2;
    e->ndirty = 0;
    if (S->occ[sites[q]] != 1) mark_env(e, S->def_at[sites[q]]);
    /* the defects in shell order: the recomputations (and the rate cache's
     * lookups) come in the order of a scan of the whole row */
    int left = near_left(e, S, spi, sites[q]);
    if (q == 0 && left == 1 && e->def[d].alive && S->def_at[t] == d) {
      mark_env(e, d); /* the mover, next to s, is the only defect within two hops */
      left = 0;
    }
    /* at most the site's own defect and one per entry: n2 <= 39 (build_shell2) */
    _Static_assert(MAX_DIRTY >= 40, "env_step marks up to 40 defects per site");
    for (int i = 0; i < n2 && left; i++) {
      if (S->occ[sh[i]] != 1) {
        left--;
        mark_env(e, S->def_at[sh[i]]);
      }
    }
    for (int j = 0; j < e->ndirty; j++) compute_paths(e, e->dirty[j]);
  }
  e->ndirty = 0;
}

