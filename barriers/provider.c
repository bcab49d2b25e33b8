/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* A provider set: one instance of each kind's provider type, and the cache. */
#include "barriers/provider.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ionkmc_providers {
  const ionkmc_catalog *cat;
  ionkmc_conditions cond;
  double kT;
  const ionkmc_provider_type *type[IONKMC_NDEFECT]; /* NULL: no entry */
  ionkmc_provider_args args[IONKMC_NDEFECT];
  void *state[IONKMC_NDEFECT];
  double base[IONKMC_NDEFECT]; /* zero-field rate per path (1/s) */
  uint8_t env[IONKMC_NDEFECT];      /* the type reads the environment */
  uint8_t quenched[IONKMC_NDEFECT]; /* the instance reads the engine's orientations */
  ionkmc_envcache *cache;
  int need_env;
  ionkmc_orient_mode orient;
};

void ionkmc_providers_free(ionkmc_providers *p) {
  if (!p) return;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (p->type[k] && p->type[k]->close && p->state[k]) p->type[k]->close(p->state[k]);
  ionkmc_envcache_free(p->cache);
  free(p);
}

ionkmc_providers *ionkmc_providers_alloc_cond(const ionkmc_catalog *cat, const ionkmc_conditions *cond,
                                              ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_providers *p = calloc(1, sizeof *p);
  if (!p) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "providers: out of memory");
    goto out;
  }
  if ((st = ionkmc_conditions_check(cond, err))) goto out;
  p->cat = cat;
  p->cond = *cond;
  p->kT = ionkmc_conditions_kT(cond);
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    if (!e->present) continue;
    const ionkmc_provider_type *t = e->provider;
    p->type[k] = t;
    if ((st = ionkmc_catalog_entry_rate_at(e, NULL, cond, &p->base[k], err)) != IONKMC_OK) goto out;
    if (t->env_shells == 0) continue;
    p->env[k] = 1;
    p->need_env = 1;
    if ((st = ionkmc_catalog_entry_args(e, NULL, cond, &p->args[k], err))) goto out;
    if (t->open && (st = t->open(&p->args[k], &p->state[k], err))) goto out;
    if (t->quenched && t->quenched(e->params)) {
      p->orient = IONKMC_ORIENT_QUENCHED;
      p->quenched[k] = 1;
    }
  }
  if (p->need_env && !(p->cache = ionkmc_envcache_alloc(16))) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "providers: out of memory for the cache");
    goto out;
  }
out:
  if (st != IONKMC_OK) {
    ionkmc_providers_free(p);
    p = NULL;
  }
  if (status) *status = st;
  return p;
}

ionkmc_providers *ionkmc_providers_alloc(const ionkmc_catalog *cat, double T, double a,
                                         double shift, const double field[3],
                                         ionkmc_error *err, ionkmc_status *status) {
  ionkmc_conditions c = {.T = T, .a = a, .shift = shift};
  if (field) memcpy(c.field, field, sizeof c.field);
  return ionkmc_providers_alloc_cond(cat, &c, err, status);
}

ionkmc_providers *ionkmc_providers_clone(const ionkmc_providers *p, ionkmc_error *err,
                                         ionkmc_status *status) {
  return ionkmc_providers_alloc_cond(p->cat, &p->cond, err, status);
}

const ionkmc_provider_type *ionkmc_providers_type(const ionkmc_providers *p, ionkmc_defect_kind k) {
  return p->type[k];
}
int ionkmc_providers_env(const ionkmc_providers *p, ionkmc_defect_kind k) { return p->env[k]; }
int ionkmc_providers_need_env(const ionkmc_providers *p) { return p->need_env; }
ionkmc_orient_mode ionkmc_providers_orientation(const ionkmc_providers *p) { return p->orient; }
const ionkmc_conditions *ionkmc_providers_conditions(const ionkmc_providers *p) { return &p->cond; }

ionkmc_status ionkmc_providers_rate(ionkmc_providers *p, const ionkmc_hop_env *env, double *rate,
                                    ionkmc_error *err) {
  int k = env->kind;
  double q = ionkmc_defect_charge(k);
  if (!p->env[k]) {
    *rate = p->base[k] * ionkmc_rate_field_bias(q, p->cond.field, env->dr, p->kT);
    return IONKMC_OK;
  }
  /* Key: everything the rate depends on, packed into two words (counts
   * <= 8 in 4 bits, displacements in h-units a/2 in 4 bits, orientation
   * classes in 2 bits) and mixed; T, a and the field are fixed per set. */
  int quenched = p->quenched[k];
  uint64_t w0 = (uint64_t)k, w1 = (uint64_t)(env->ncages & 7);
  for (int i = 0; i < IONKMC_NDEFECT; i++) {
    w0 = (w0 << 4) | (uint64_t)(env->init_counts[i] & 15);
    w0 = (w0 << 4) | (uint64_t)(env->final_counts[i] & 15);
  }
  double inv_h = 2.0 / p->cond.a;
  for (int c = 0; c < 3; c++) {
    double x = env->dr[c] * inv_h;
    int hc = (int)(x + (x >= 0 ? 0.5 : -0.5));
    w1 = (w1 << 4) | (uint64_t)((hc + 8) & 15);
  }
  for (int c = 0; c < 4; c++)
    w1 = (w1 << 2) | (uint64_t)(quenched && c < env->ncages ? env->cage_class[c] & 3 : 3);
  uint64_t key = ionkmc_envcache_key2(w0, w1);
  if (ionkmc_envcache_lookup(p->cache, key, rate)) return IONKMC_OK;
  /* A miss: the provider's barriers, their rate, then the field bias. */
  double bias = ionkmc_rate_field_bias(q, p->cond.field, env->dr, p->kT);
  ionkmc_barrier b;
  ionkmc_status st = p->type[k]->barrier(p->state[k], &p->args[k], env, &b, err);
  if (st) return st;
  double r = ionkmc_rate_arrhenius(&b, p->kT) * bias;
  if (!(r >= 0) || !isfinite(r))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: provider rate %g is not a finite rate",
                            ionkmc_defect_name(k), r);
  ionkmc_envcache_insert(p->cache, key, r);
  *rate = r;
  return IONKMC_OK;
}

void ionkmc_providers_clear_cache(ionkmc_providers *p) {
  if (p->cache) ionkmc_envcache_clear(p->cache);
}

int64_t ionkmc_providers_flushes(const ionkmc_providers *p) {
  int64_t f = 0;
  if (p->cache) ionkmc_envcache_stats(p->cache, NULL, NULL, NULL, &f);
  return f;
}

ionkmc_status ionkmc_providers_set_cache_size(ionkmc_providers *p, int log2cap) {
  if (!p->cache) return IONKMC_OK;
  if (log2cap < 4 || log2cap > 30) return IONKMC_EINVAL;
  ionkmc_envcache *c = ionkmc_envcache_alloc(log2cap);
  if (!c) return IONKMC_ENOMEM;
  ionkmc_envcache_free(p->cache);
  p->cache = c;
  return IONKMC_OK;
}

void ionkmc_providers_note_hits(ionkmc_providers *p, int64_t n) {
  if (p->cache) ionkmc_envcache_note_hits(p->cache, n);
}

void ionkmc_providers_stats(const ionkmc_providers *p, int64_t *hits, int64_t *misses,
                            double *model_seconds) {
  int64_t h = 0, m = 0;
  if (p->cache) ionkmc_envcache_stats(p->cache, &h, &m, NULL, NULL);
  if (hits) *hits = h;
  if (misses) *misses = m;
  double s = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (p->type[k] && p->type[k]->model_seconds && p->state[k]) s += p->type[k]->model_seconds(p->state[k]);
  if (model_seconds) *model_seconds = s;
}
