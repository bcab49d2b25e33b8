/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Barrier providers: constant, kra and torch rates of one hop. */
#define _POSIX_C_SOURCE 200809L
#include "barriers/provider.h"

#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ionkmc_providers {
  const ionkmc_catalog *cat;
  double T, a, shift, kT;
  double field[3];
  int kind[IONKMC_NDEFECT];
  double base[IONKMC_NDEFECT]; /* constant rate (1/s) without field bias */
  ionkmc_torch_model *model[IONKMC_NDEFECT];
  ionkmc_envcache *cache;
  double model_seconds;
  int need_env;
  ionkmc_orient_mode orient;
  uint8_t quenched[IONKMC_NDEFECT]; /* torch kinds in quenched orientation mode */
};

double ionkmc_gauss_disorder_factor(double sigma, double kT, int n) {
  if (!(sigma > 0)) return 1.0;
  /* int exp(-x^2) g(x) dx with d = sqrt(2) sigma x: <f> = (1/sqrt(pi)) sum w f */
  gsl_integration_fixed_workspace *w =
      gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, (size_t)n, 0.0, 1.0, 0.0, 0.0);
  if (!w) return NAN;
  const double *x = gsl_integration_fixed_nodes(w), *wt = gsl_integration_fixed_weights(w);
  double s = 0;
  for (int i = 0; i < n; i++) s += wt[i] * exp(-sqrt(2.0) * sigma * x[i] / kT);
  gsl_integration_fixed_free(w);
  return s / sqrt(M_PI);
}

double ionkmc_kra_barrier(double E_kra, double dE) {
  double e = E_kra + 0.5 * dE;
  if (e < dE) e = dE;
  if (e < 0) e = 0;
  return e;
}

void ionkmc_providers_free(ionkmc_providers *p) {
  if (!p) return;
  for (int k = 0; k < IONKMC_NDEFECT; k++) ionkmc_torch_model_free(p->model[k]);
  ionkmc_envcache_free(p->cache);
  free(p);
}

ionkmc_providers *ionkmc_providers_alloc(const ionkmc_catalog *cat, double T, double a,
                                         double shift, const double field[3],
                                         ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_providers *p = calloc(1, sizeof *p);
  if (!p) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "providers: out of memory");
    goto out;
  }
  p->cat = cat;
  p->T = T;
  p->a = a;
  p->shift = shift;
  p->kT = IONKMC_KB_EV * T;
  if (field) memcpy(p->field, field, sizeof p->field);
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    if (!e->present) continue;
    p->kind[k] = e->provider;
    if ((st = ionkmc_catalog_rate(cat, k, T, a, shift, &p->base[k], err)) != IONKMC_OK) goto out;
    if (e->provider != IONKMC_PROVIDER_CONSTANT) p->need_env = 1;
    if (e->provider == IONKMC_PROVIDER_TORCH) {
      p->model[k] = ionkmc_torch_model_alloc(e->model, IONKMC_TORCH_DESCRIPTOR_VERSION,
                                             IONKMC_TORCH_DESCRIPTOR_LENGTH, err, &st);
      if (!p->model[k]) goto out;
      if (e->orientation) {
        p->orient = IONKMC_ORIENT_QUENCHED;
        p->quenched[k] = 1;
      }
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

ionkmc_provider_kind ionkmc_providers_kind(const ionkmc_providers *p, ionkmc_defect_kind k) {
  return (ionkmc_provider_kind)p->kind[k];
}
int ionkmc_providers_need_env(const ionkmc_providers *p) { return p->need_env; }
ionkmc_orient_mode ionkmc_providers_orientation(const ionkmc_providers *p) { return p->orient; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The torch rate of one environment: model over the orientation classes. */
static ionkmc_status torch_rate(ionkmc_providers *p, const ionkmc_hop_env *env, double *rate,
                                ionkmc_error *err) {
  const int D = IONKMC_TORCH_DESCRIPTOR_LENGTH;
  double x[81 * IONKMC_TORCH_DESCRIPTOR_LENGTH], Eb[81], nu[81];
  int k = env->kind;
  double q = ionkmc_defect_charge(k);
  double len = sqrt(env->dr[0] * env->dr[0] + env->dr[1] * env->dr[1] + env->dr[2] * env->dr[2]);
  double qEdr = q * (p->field[0] * env->dr[0] + p->field[1] * env->dr[1] + p->field[2] * env->dr[2]);
  int nc = env->ncages < 4 ? env->ncages : 4;
  int annealed = ionkmc_catalog_get(p->cat, k)->orientation == 0;
  int nconf = 1;
  if (annealed)
    for (int c = 0; c < nc; c++) nconf *= 3;
  for (int conf = 0; conf < nconf; conf++) {
    double cos2 = 0;
    int code = conf;
    for (int c = 0; c < nc; c++) {
      int cls = annealed ? code % 3 : env->cage_class[c];
      code /= 3;
      cos2 += len > 0 ? env->dr[cls] * env->dr[cls] / (len * len) : 0;
    }
    ionkmc_torch_descriptor_fill(x + (size_t)conf * D, q, len, p->a, qEdr, env->init_counts,
                                 env->final_counts, cos2, nc);
  }
  double t0 = now_s();
  ionkmc_status st = ionkmc_torch_model_eval(p->model[k], x, nconf, Eb, nu, err);
  p->model_seconds += now_s() - t0;
  if (st) return st;
  double sum = 0;
  for (int conf = 0; conf < nconf; conf++) {
    double e = Eb[conf] + p->shift;
    if (e < 0)
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: model barrier %g eV + shift %g is negative",
                              ionkmc_torch_model_path(p->model[k]), Eb[conf], p->shift);
    sum += nu[conf] * exp(-e / p->kT);
  }
  *rate = sum / nconf;
  return IONKMC_OK;
}

ionkmc_status ionkmc_providers_rate(ionkmc_providers *p, const ionkmc_hop_env *env, double *rate,
                                    ionkmc_error *err) {
  int k = env->kind;
  if (p->kind[k] == IONKMC_PROVIDER_CONSTANT) {
    double q = ionkmc_defect_charge(k);
    *rate = p->base[k] * exp(q * (p->field[0] * env->dr[0] + p->field[1] * env->dr[1] +
                                  p->field[2] * env->dr[2]) / (2 * p->kT));
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
  double inv_h = 2.0 / p->a;
  for (int c = 0; c < 3; c++) {
    double x = env->dr[c] * inv_h;
    int hc = (int)(x + (x >= 0 ? 0.5 : -0.5));
    w1 = (w1 << 4) | (uint64_t)((hc + 8) & 15);
  }
  for (int c = 0; c < 4; c++)
    w1 = (w1 << 2) | (uint64_t)(quenched && c < env->ncages ? env->cage_class[c] & 3 : 3);
  uint64_t key = ionkmc_envcache_key2(w0, w1);
  if (ionkmc_envcache_lookup(p->cache, key, rate)) return IONKMC_OK;
  /* A miss: the provider proper, then the field bias. */
  double q = ionkmc_defect_charge(k);
  double bias = exp(q * (p->field[0] * env->dr[0] + p->field[1] * env->dr[1] +
                         p->field[2] * env->dr[2]) / (2 * p->kT));
  double r;
  if (p->kind[k] == IONKMC_PROVIDER_KRA) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(p->cat, k);
    double Ei = 0, Ef = 0;
    for (int i = 0; i < IONKMC_NDEFECT; i++) {
      Ei += env->init_counts[i] * e->interactions[i];
      Ef += env->final_counts[i] * e->interactions[i];
    }
    /* base holds nu exp(-(E_KRA + a-term + shift)/kT); recover that barrier */
    double nu = e->dlnnu_da != 0 ? e->nu * exp(e->dlnnu_da * (p->a - e->a_ref)) : e->nu;
    double E0 = -p->kT * log(p->base[k] / nu);
    r = nu * exp(-ionkmc_kra_barrier(E0, Ef - Ei) / p->kT) * bias;
  } else {
    ionkmc_status st = torch_rate(p, env, &r, err);
    if (st) return st;
    r *= bias;
  }
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

void ionkmc_providers_stats(const ionkmc_providers *p, int64_t *hits, int64_t *misses,
                            double *model_seconds) {
  int64_t h = 0, m = 0;
  if (p->cache) ionkmc_envcache_stats(p->cache, &h, &m, NULL, NULL);
  if (hits) *hits = h;
  if (misses) *misses = m;
  if (model_seconds) *model_seconds = p->model_seconds;
}
