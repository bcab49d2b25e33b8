/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Environment-dependent rates of the KMC engine: the kinds whose catalog
 * entry names a barrier provider (kra, torch) take each path's rate from the
 * hop's local environment, and an event recomputes every defect within two
 * hops of the sites it changed. See engine.h for conventions. */
#include <stdlib.h>
#include <string.h>

#include "barriers/provider.h"
#include "kmc/engine_impl.h"

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

/* Environment rows: the path rates of a defect keyed by everything they
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
  if (!e->erow) return;
  for (uint64_t i = 0; i <= e->erow_mask; i++) e->erow[i].key = 0;
  e->erow_used = 0;
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

/* Add dn to the counts of the site x and of its shell2 row (the sites
 * whose count includes x: the two-hop relation is symmetric). */
static void near_add(ionkmc_engine *e, int spi, int x, int dn) {
  int n2 = e->n2[spi];
  const int32_t *sh = e->shell2[spi] + (size_t)x * n2;
  uint8_t *c = e->near2[spi];
  c[x] = (uint8_t)(c[x] + dn);
  for (int i = 0; i < n2; i++) c[sh[i]] = (uint8_t)(c[sh[i]] + dn);
  if (e->near1_on[spi]) {
    const species_state *S = &e->sp[spi];
    const int8_t *i1 = e->near1_idx[spi][spi == 0 ? x_int2pub(S, x) % 3 : 0];
    uint8_t *c1 = e->near1[spi];
    for (int i = 0; i < S->z; i++) c1[sh[i1[i]]] = (uint8_t)(c1[sh[i1[i]]] + dn);
  }
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
    const int8_t *is = e->near1_idx[spi][k], *it = e->near1_idx[spi][spi == 0 ? e->xt_next[k][dir] : 0];
    uint8_t *c1 = e->near1[spi];
    for (int i = 0, z = e->sp[spi].z; i < z; i++) {
      c1[shs[is[i]]]--;
      c1[sht[it[i]]]++;
    }
  }
}

void ionkmc_engine_env_near_fill(ionkmc_engine *e) {
  e->near2_ok = 0;
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

/* The key of a defect at s (kind, X type k) on a species with first-shell
 * counts (near1_on): its open directions m, the defects on its site's
 * first shell, and for each open direction those on the end's first shell
 * other than itself (the end is a neighbour of s), 4 bits each. Exactly
 * what the per-path environments read (shell_counts of s and of each end),
 * so equal keys give equal rows. Bit 62 set and bit 63 clear: never one
 * of env_row_key's (bit 63 set), which the same kind still uses while a
 * hop executes (near2_ok 0, the counts not yet brought up to date). */
static inline uint64_t near1_key(const ionkmc_engine *e, int spi, int kind, int k, unsigned m,
                                 int s, const int32_t *nb, int z) {
  const uint8_t *c1 = e->near1[spi];
  uint64_t key = ((uint64_t)1 << 62) | (uint64_t)kind | ((uint64_t)k << 3) | ((uint64_t)m << 5) |
                 ((uint64_t)c1[s] << 13);
  for (int p = 0; p < z; p++)
    if ((m >> p) & 1) key |= (uint64_t)(c1[nb[p]] - 1) << (17 + 4 * p);
  return key;
}

/* Sum-tree leaf, rates, open paths and neighbour mask of d from a row of
 * rates (IONKMC_MAX_PATHS, 0 past the kind's paths). */
static inline void set_rates(ionkmc_engine *e, int d, const double *rt, unsigned open, double sum,
                             unsigned nd) {
  memcpy(e->prate + (size_t)d * IONKMC_MAX_PATHS, rt, sizeof(double) * IONKMC_MAX_PATHS);
  e->def[d].open = (uint16_t)open;
  e->def[d].nbr_def = (uint8_t)nd;
  ionkmc_sumtree_update(e->tree, d, sum);
}

/* Path rates of a defect whose kind takes its rates from a provider: the
 * open paths as in compute_paths, each rate from the hop's environment. */
void ionkmc_engine_paths_env(ionkmc_engine *e, int d) {
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
  int by1 = keyed && e->near1_on[spi] && e->near2_ok;
  uint64_t key = 0;
  if (by1) nhits = near_left(e, S, spi, s);
  else if (keyed) key = env_row_key(e, S, spi, d, s, kind, k, near_left(e, S, spi, s), &nhits);
  int lone = keyed && nhits == 0;
  if (lone && e->lone_set[kind][k]) {
    set_rates(e, d, e->lone_rt[kind][k], e->lone_open[kind][k], e->lone_sum[kind][k], 0);
    return;
  }
  unsigned nd;
  int32_t nbuf[IONKMC_NNB_XX];
  const int32_t *nb = defect_nbrs(S, D, nbuf);
  unsigned m = open_dirs_nb(S, cls, nb, s, &nd);
  if (by1 && !lone) key = near1_key(e, spi, kind, k, m, s, nb, z);
  unsigned paths = cls == CLS_VAC ? m : m | (m << z);
  struct ionkmc_env_row *row = NULL;
  if (key && !lone && e->erow) {
    uint64_t i = row_slot(key, e->erow_mask);
    while (e->erow[i].key && e->erow[i].key != key) i = (i + 1) & e->erow_mask;
    row = &e->erow[i];
    if (row->key == key) {
      set_rates(e, d, row->rt, row->open, row->sum, nd);
      /* the lookups the per-path code would have made, all hits */
      ionkmc_providers_note_hits(e->prov, row->nlook);
      return;
    }
  }
  /* the initial shell is the same for every path */
  memset(&env, 0, sizeof env);
  env.kind = kind;
  shell_counts(e, S, s, d, env.init_counts);
  env.ncages = 2;
  memset(pr, 0, sizeof(double) * IONKMC_MAX_PATHS);
  for (int p = 0; p < np; p++) {
    if (!((paths >> p) & 1)) continue;
    int dir = p % z;
    int t = defect_nbr(S, D, dir);
    const int8_t *dv = e->dvec[kind][k][p];
    int f = t;
    if (cls == CLS_INT_COLL && S->occ[t] != 0) f = S->nbr2[(size_t)s * z + dir];
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
  if (row && !e->fail) {
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
  ionkmc_sumtree_update(e->tree, d, sum);
}

static inline void mark_env(ionkmc_engine *e, int d);

/* An event in a box with environment-dependent rates: the defects within two
 * hops of the changed sites are recomputed, those near each site together. */
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
  if (kind == e->fast_kind) hop_x_vacancy_f(e, d, p, 0, 0);
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

/* Mark a defect for env_step unless it was recomputed in this event. */
static inline void mark_env(ionkmc_engine *e, int d) {
  if (d >= 0 && e->stamp[d] != e->stamp_now) {
    e->stamp[d] = e->stamp_now;
    e->dirty[e->ndirty++] = d;
  }
}

static ionkmc_status build_shell2(ionkmc_engine *e, int spi);

/* 1 when the first-shell counts key the rows of species spi: it hosts one
 * kind of defect (so kinds never change and a site that is not singly
 * occupied holds one of them), which takes its rates from a provider by
 * the per-path environment (not the collinear interstitial), and a site's
 * neighbours are distinct sites other than itself (not so in boxes of
 * L = 1, or 2 on A). The box is periodic, so one site per X type tells. */
static int near1_applies(const ionkmc_engine *e, int spi) {
  int kinds = 0, kind = -1;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (e->spec.count[k] > 0 && e->ksp[k] == spi) {
      kinds++;
      kind = k;
    }
  if (kinds != 1 || !e->kenv[kind] || e->kcls[kind] == CLS_INT_COLL) return 0;
  const species_state *S = &e->sp[spi];
  int n2 = e->n2[spi];
  for (int pub = 0; pub < (spi == 0 ? 3 : 1) && pub < S->nsites; pub++) {
    int x = x_pub2int(S, pub);
    int32_t buf[IONKMC_NNB_XX];
    const int32_t *nb = site_nbrs(S, x, buf), *sh = e->shell2[spi] + (size_t)x * n2;
    const int8_t *i1 = e->near1_idx[spi][pub % 3 * (spi == 0)];
    for (int i = 0; i < S->z; i++) {
      if (nb[i] == x || sh[i1[i]] != nb[i]) return 0;
      for (int j = 0; j < i; j++)
        if (nb[j] == nb[i]) return 0;
    }
  }
  return 1;
}

ionkmc_status ionkmc_engine_set_providers(ionkmc_engine *e, ionkmc_providers *prov,
                                          ionkmc_error *err) {
  if (!e || !prov) return ionkmc_error_set(err, IONKMC_EINVAL, "engine: NULL providers");
  /* one set of conditions: the providers' must be the box's */
  const ionkmc_conditions *pc = ionkmc_providers_conditions(prov);
  const ionkmc_box_spec *bs = &e->spec;
  if (pc->T != bs->cond.T || pc->a != bs->cond.a || pc->shift != bs->cond.shift || pc->field[0] != bs->cond.field[0] ||
      pc->field[1] != bs->cond.field[1] || pc->field[2] != bs->cond.field[2])
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "engine: providers opened at T = %g K, a = %g A, shift = %g eV, field "
                            "(%g, %g, %g) V/A, not at the box's T = %g K, a = %g A, shift = %g eV, "
                            "field (%g, %g, %g) V/A", pc->T, pc->a, pc->shift, pc->field[0],
                            pc->field[1], pc->field[2], bs->cond.T, bs->cond.a, bs->cond.shift, bs->cond.field[0],
                            bs->cond.field[1], bs->cond.field[2]);
  /* the engine recomputes the rates of the defects within one shell of
   * each end of a hop (IONKMC_ENGINE_ENV_SHELLS); a type that reads further
   * would be left with stale rates */
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_provider_type *t = ionkmc_providers_type(prov, k);
    if (e->spec.count[k] > 0 && t && t->env_shells > IONKMC_ENGINE_ENV_SHELLS)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: provider \"%s\" reads %d neighbour shells; the engine keeps rates "
                              "current within %d", ionkmc_defect_name(k), t->name, t->env_shells,
                              IONKMC_ENGINE_ENV_SHELLS);
  }
  int env = 0, pat = -1;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    env |= e->spec.count[k] > 0 && ionkmc_providers_env(prov, k);
    if (e->kpat[k] && pat < 0) pat = k;
  }
  if (env && pat >= 0)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: pattern \"%s\" needs the constant provider for every defect of the box "
                            "(correlated patterns with environment-dependent rates are not implemented)",
                            ionkmc_defect_name(pat), ionkmc_pattern_name(e->spec.pattern[pat]));
  e->prov = prov;
  e->quenched = ionkmc_providers_orientation(prov) == IONKMC_ORIENT_QUENCHED;
  e->env = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    e->kenv[k] = (uint8_t)(e->spec.count[k] > 0 && ionkmc_providers_env(prov, k));
    e->kgen[k] = (uint8_t)(e->kenv[k] || e->kpat[k]);
    e->env |= e->kenv[k];
  }
  if (e->env && e->frk)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "frenkel: thermal pair creation needs the constant provider for every "
                            "defect of the box (its detailed balance with environment-dependent "
                            "rates is not implemented)");
  if (e->env && !e->stamp && !(e->stamp = calloc((size_t)e->ndef, sizeof(uint32_t))))
    return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  if (e->env && !e->erow) {
    int64_t n = ionkmc_engine_env_rows(e->ndef);
    if (!(e->erow = calloc((size_t)n, sizeof *e->erow)))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
    e->erow_mask = (uint64_t)n - 1;
  }
  ionkmc_engine_env_forget(e);
  for (int spi = 0; spi < IONKMC_NSPECIES && e->env; spi++) {
    ionkmc_status st = e->shell2[spi] ? IONKMC_OK : build_shell2(e, spi);
    if (st == IONKMC_EINTERNAL)
      return ionkmc_error_set(err, st, "engine: the two-hop neighbourhood of a site is not symmetric");
    if (st != IONKMC_OK || (!e->near2[spi] && !(e->near2[spi] = calloc((size_t)e->sp[spi].nint, 1))))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
    e->near1_on[spi] = near1_applies(e, spi);
    if (e->near1_on[spi] && !e->near1[spi] && !(e->near1[spi] = calloc((size_t)e->sp[spi].nint, 1)))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  }
  e->near2_ok = 0; /* until the reset fills the rows */
  if (e->env && ionkmc_providers_orientation(prov) == IONKMC_ORIENT_QUENCHED && !e->orient) {
    e->orient = calloc((size_t)e->sp[1].nsites, 1);
    if (!e->orient) return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  }
  return IONKMC_OK;
}

/* The sites within two hops of every site of a species, from the distinct
 * h-offsets of each X type (one type on A), excluding the site itself. */
static ionkmc_status build_shell2(ionkmc_engine *e, int spi) {
  ionkmc_sublattice sub = spi == 0 ? IONKMC_SUB_X : IONKMC_SUB_A;
  const species_state *S = &e->sp[spi];
  int ntype = spi == 0 ? 3 : 1, z = S->z;
  int8_t off[3][96][3];
  int noff[3] = {0, 0, 0};
  for (int k = 0; k < ntype; k++) {
    for (int i = 0; i < z; i++) {
      const int8_t *v1 = spi == 0 ? ionkmc_lattice_xx_vec(k, i) : ionkmc_lattice_aa_vec(i);
      int k1 = spi == 0 ? e->xt_next[k][i] : 0;
      for (int j = -1; j < z; j++) {
        int8_t o[3];
        for (int c = 0; c < 3; c++) {
          const int8_t *v2 = j < 0 ? NULL : spi == 0 ? ionkmc_lattice_xx_vec(k1, j) : ionkmc_lattice_aa_vec(j);
          o[c] = (int8_t)(v1[c] + (v2 ? v2[c] : 0));
        }
        if (!o[0] && !o[1] && !o[2]) continue;
        int dup = 0;
        for (int q = 0; q < noff[k] && !dup; q++) dup = !memcmp(off[k][q], o, 3);
        if (!dup) memcpy(off[k][noff[k]++], o, 3);
      }
    }
  }
  int n2 = noff[0];
  if (n2 > 39) return IONKMC_EINTERNAL; /* near2_dec, near2_inc: n2 + 1 entries */
  e->n2[spi] = n2;
  /* the counts a move from a site of type k to its neighbour d changes: the
   * entries of the first site's row (-1: itself) whose sites are not within
   * two hops of the second, and those of the second's row not within two
   * hops of the first, paired in order */
  for (int k = 0; k < ntype; k++) {
    if (noff[k] != n2) return IONKMC_EINTERNAL;
    for (int d = 0; d < z; d++) {
      const int8_t *v = spi == 0 ? ionkmc_lattice_xx_vec(k, d) : ionkmc_lattice_aa_vec(d);
      int k1 = spi == 0 ? e->xt_next[k][d] : 0, nd = 0, ni = 0;
      for (int side = 0; side < 2; side++)
        for (int i = -1; i < n2; i++) {
          /* entry i of one end, as an offset from the other */
          int8_t o[3];
          for (int c = 0; c < 3; c++) {
            int oc = i < 0 ? 0 : side ? off[k1][i][c] : off[k][i][c];
            o[c] = (int8_t)(side ? oc + v[c] : oc - v[c]);
          }
          int in = !o[0] && !o[1] && !o[2];
          const int8_t(*other)[3] = side ? off[k] : off[k1];
          for (int j = 0; j < n2 && !in; j++) in = !memcmp(other[j], o, 3);
          if (in) continue;
          if (side) e->near2_inc[spi][k][d][ni++] = (int8_t)i;
          else e->near2_dec[spi][k][d][nd++] = (int8_t)i;
        }
      if (nd != ni || (nd && (e->near2_dec[spi][k][d][0] < 0 || e->near2_inc[spi][k][d][0] < 0)))
        return IONKMC_EINTERNAL;
      e->near2_nmove[spi][k][d] = (uint8_t)nd;
    }
  }
  /* the first shell's entries, in direction order */
  for (int k = 0; k < ntype; k++)
    for (int i = 0; i < z; i++) {
      const int8_t *v = spi == 0 ? ionkmc_lattice_xx_vec(k, i) : ionkmc_lattice_aa_vec(i);
      int q = 0;
      while (q < n2 && memcmp(off[k][q], v, 3)) q++;
      if (q == n2) return IONKMC_EINTERNAL;
      e->near1_idx[spi][k][i] = (int8_t)q;
    }
  e->shell2[spi] = malloc(sizeof(int32_t) * (size_t)S->nint * n2);
  if (!e->shell2[spi]) return IONKMC_ENOMEM;
  for (int pub = 0; pub < S->nsites; pub++) { /* rows and entries in the engine's numbering */
    int32_t pos[3], q[3];
    ionkmc_lattice_site_pos(e->lat, sub, pub, pos);
    int k = spi == 0 ? pub % 3 : 0;
    size_t row = (size_t)x_pub2int(S, pub) * n2;
    for (int i = 0; i < n2; i++) {
      for (int c = 0; c < 3; c++) q[c] = pos[c] + off[k][i][c];
      e->shell2[spi][row + i] = x_pub2int(S, ionkmc_lattice_site_at(e->lat, sub, q));
    }
  }
  return IONKMC_OK;
}
