/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalog parameter draws and the catalog part of prediction intervals. */
#include "kmc/catdraw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "catdraw" and "catrerun": the tags that keep these streams apart from runs. */
#define TAG_DRAW 0x63617464726177ULL
#define TAG_RERUN 0x636174726572756eULL
#define Z95 1.959963984540054
#define TWO_PI 6.283185307179586

static uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void ionkmc_catalog_draw_rng(ionkmc_rng *r, uint64_t seed, int64_t draw, ionkmc_defect_kind k) {
  ionkmc_rng_init(r, mix64(mix64(seed ^ TAG_DRAW) + (uint64_t)draw), (uint64_t)k);
}

void ionkmc_catalog_draw(const ionkmc_catalog *cat, uint64_t seed, int64_t draw, double shift,
                         double theta[IONKMC_NDEFECT][IONKMC_NPARAM]) {
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    memset(theta[k], 0, sizeof theta[k]);
    if (!e->present) continue;
    ionkmc_catalog_entry_params(e, theta[k]);
    if (e->unc_n == 0) continue;
    ionkmc_rng r;
    ionkmc_catalog_draw_rng(&r, seed, draw, k);
    double z[IONKMC_NPARAM];
    for (int i = 0; i < e->unc_n; i += 2) {
      double u1, u2;
      ionkmc_rng_uniform2(&r, &u1, &u2);
      double rad = sqrt(-2 * log(1 - u1)); /* 1 - u1 in (0, 1] */
      z[i] = rad * cos(TWO_PI * u2);
      if (i + 1 < e->unc_n) z[i + 1] = rad * sin(TWO_PI * u2);
    }
    for (int i = 0; i < e->unc_n; i++) {
      double d = 0;
      for (int j = 0; j <= i; j++) d += e->unc_chol[i][j] * z[j];
      theta[k][e->unc_param[i]] += d;
    }
    double eb_min = shift < 0 ? -shift : 0;
    if (theta[k][IONKMC_PARAM_EB] < eb_min) theta[k][IONKMC_PARAM_EB] = eb_min;
  }
}

double ionkmc_catalog_sd_ln_rate(const ionkmc_catalog_entry *e, double T, double a) {
  double g[IONKMC_NPARAM] = {-1 / (IONKMC_KB_EV * T), 1, -(a - e->a_ref) / (IONKMC_KB_EV * T),
                             a - e->a_ref};
  double v = 0;
  for (int i = 0; i < e->unc_n; i++)
    for (int j = 0; j < e->unc_n; j++) v += g[e->unc_param[i]] * e->unc_cov[i][j] * g[e->unc_param[j]];
  return sqrt(v > 0 ? v : 0);
}

void ionkmc_summary_hop_rate(const ionkmc_run_summary *s, int runs, double *rate, double *lo,
                             double *hi) {
  double per_run = runs > 0 ? (double)s->hops / runs : NAN;
  const ionkmc_estimate *t = &s->sim_time;
  *rate = t->mean > 0 ? per_run / t->mean : NAN;
  *lo = t->hi > 0 ? per_run / t->hi : NAN;
  *hi = t->lo > 0 ? per_run / t->lo : NAN;
}

/* Raise a draw's Eb so that the barrier at (a, shift) is not negative (the
 * catalog's Eb >= 0 holds at every cell). */
static void clip_barrier(const ionkmc_catalog_entry *e, double a, double shift, double th[IONKMC_NPARAM]) {
  double da = th[IONKMC_PARAM_DEB_DA] != 0 ? th[IONKMC_PARAM_DEB_DA] * (a - e->a_ref) : 0;
  double eff = th[IONKMC_PARAM_EB] + da + shift;
  if (eff < 0) th[IONKMC_PARAM_EB] = fmax(th[IONKMC_PARAM_EB] - eff, 0);
}

/* Point values of the quantities of a summary (NaN where absent). */
static void quantities(const ionkmc_run_summary *s, int runs, double q[IONKMC_UQ_N], double rel[IONKMC_UQ_N]) {
  const ionkmc_estimate *e[IONKMC_UQ_N] = {&s->D_species[0], &s->D_species[1], &s->D_tracer[0],
                                           &s->D_tracer[1],  &s->D_sigma[0],   &s->D_sigma[1],
                                           &s->D_defect,     &s->mobility,     NULL};
  for (int i = 0; i < IONKMC_UQ_HOP_RATE; i++) {
    q[i] = e[i]->mean;
    rel[i] = e[i]->mean > 0 ? e[i]->sem / e[i]->mean : NAN;
  }
  double lo, hi;
  ionkmc_summary_hop_rate(s, runs, &q[IONKMC_UQ_HOP_RATE], &lo, &hi);
  rel[IONKMC_UQ_HOP_RATE] = s->sim_time.mean > 0 ? s->sim_time.sem / s->sim_time.mean : NAN;
  for (int sp = 0; sp < IONKMC_NSPECIES; sp++)
    if (!s->species_present[sp])
      q[IONKMC_UQ_D_SPECIES_I + sp] = q[IONKMC_UQ_D_TRACER_I + sp] = q[IONKMC_UQ_D_SIGMA_I + sp] = NAN;
}

/* Running sums of ln Q over draws. */
typedef struct {
  double s1[IONKMC_UQ_N], s2[IONKMC_UQ_N], noise[IONKMC_UQ_N];
  int n[IONKMC_UQ_N];
} moments;

static void add(moments *m, int i, double lq, double rel2) {
  if (!isfinite(lq)) return;
  m->s1[i] += lq;
  m->s2[i] += lq * lq;
  m->noise[i] += isfinite(rel2) ? rel2 : 0;
  m->n[i]++;
}

static double sd_of(const moments *m, int i, int subtract_noise) {
  int n = m->n[i];
  if (n < 2) return NAN;
  double mean = m->s1[i] / n, v = (m->s2[i] - n * mean * mean) / (n - 1);
  if (subtract_noise) v -= m->noise[i] / n;
  return sqrt(v > 0 ? v : 0);
}

ionkmc_status ionkmc_catalog_uq_run(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                                    int samples, const ionkmc_run_summary *base,
                                    ionkmc_catalog_uq *out, ionkmc_error *err) {
  memset(out, 0, sizeof *out);
  for (int i = 0; i < IONKMC_UQ_N; i++) out->sd_ln[i] = NAN;
  if (!cfg->cat) return ionkmc_error_set(err, IONKMC_EINVAL, "catalog uncertainty: no catalog");
  if (samples != 0 && samples < 2)
    return ionkmc_error_set(err, IONKMC_EINVAL, "catalog-samples: expected at least 2 draws, got %d", samples);
  const ionkmc_catalog *cat = cfg->cat;
  int nkinds = 0, kind = -1, constant = 1;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    /* a box with thermal Frenkel pairs moves V_I+ and I_I- whatever its counts */
    if (cfg->spec.count[k] <= 0 && !(cfg->spec.frenkel_w > 0 && (k == IONKMC_V_I || k == IONKMC_I_I)))
      continue;
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    nkinds++;
    kind = k;
    if (e->present && e->provider->env_shells > 0) constant = 0;
    if (e->present && e->unc_n > 0) out->with_cov |= 1u << k;
    else out->without_cov |= 1u << k;
  }
  if (!out->with_cov) return IONKMC_OK;
  double q0[IONKMC_UQ_N], rel0[IONKMC_UQ_N];
  quantities(base, cfg->runs, q0, rel0);
  double shift = cfg->spec.cond.shift, T = cfg->spec.cond.T, a = cfg->spec.cond.a;
  double (*theta)[IONKMC_NPARAM] = malloc(sizeof(double) * IONKMC_NDEFECT * IONKMC_NPARAM);
  if (!theta) return ionkmc_error_set(err, IONKMC_ENOMEM, "catalog uncertainty: out of memory");
  moments m, mr; /* mr: ln of each kind's rate, indexed by kind (IONKMC_NDEFECT <= IONKMC_UQ_N) */
  memset(&m, 0, sizeof m);
  memset(&mr, 0, sizeof mr);
  double rate0[IONKMC_NDEFECT] = {0};
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (out->with_cov >> k & 1) ionkmc_catalog_rate(cat, k, T, a, shift, &rate0[k], NULL);
  ionkmc_status st = IONKMC_OK;
  int rescale = nkinds == 1 && constant;
  if (samples == 0) samples = rescale ? IONKMC_CATALOG_SAMPLES_RESCALE : IONKMC_CATALOG_SAMPLES_RERUN;
  out->samples = samples;
  if (rescale) {
    out->method = IONKMC_UQ_RESCALE;
    for (int j = 0; j < samples && !st; j++) {
      ionkmc_catalog_draw(cat, cfg->seed, j, shift, theta);
      clip_barrier(ionkmc_catalog_get(cat, kind), a, shift, theta[kind]);
      double r;
      st = ionkmc_catalog_entry_rate(ionkmc_catalog_get(cat, kind), theta[kind], T, a, shift, &r, err);
      if (st) break;
      double lr = log(r / rate0[kind]);
      add(&mr, kind, lr, 0);
      for (int i = 0; i < IONKMC_UQ_N; i++)
        if (q0[i] > 0) add(&m, i, log(q0[i]) + lr, 0);
    }
    for (int i = 0; i < IONKMC_UQ_N && !st; i++) out->sd_ln[i] = q0[i] > 0 ? sd_of(&m, i, 0) : NAN;
  } else {
    out->method = IONKMC_UQ_RERUN;
    ionkmc_catalog *dc = ionkmc_catalog_clone(cat, err);
    if (!dc) {
      free(theta);
      return IONKMC_ENOMEM;
    }
    ionkmc_run_config c = *cfg;
    c.cat = dc;
    c.runs = cfg->runs / 4 > 4 ? cfg->runs / 4 : (cfg->runs < 4 ? cfg->runs : 4);
    if (c.runs < 2) c.runs = 2;
    out->runs_per_draw = c.runs;
    ionkmc_run_summary *s = malloc(sizeof *s);
    if (!s) st = ionkmc_error_set(err, IONKMC_ENOMEM, "catalog uncertainty: out of memory");
    for (int j = 0; j < samples && !st; j++) {
      ionkmc_catalog_draw(cat, cfg->seed, j, shift, theta);
      for (int k = 0; k < IONKMC_NDEFECT && !st; k++)
        if (out->with_cov >> k & 1) {
          clip_barrier(ionkmc_catalog_get(cat, k), a, shift, theta[k]);
          st = ionkmc_catalog_set_params(dc, k, theta[k], err);
          double r;
          if (!st) st = ionkmc_catalog_rate(dc, k, T, a, shift, &r, err);
          if (!st) add(&mr, k, log(r / rate0[k]), 0);
        }
      if (st) break;
      c.seed = mix64(mix64(cfg->seed ^ TAG_RERUN) + (uint64_t)j);
      if ((st = ionkmc_box_spec_rates(&c.spec, dc, err)) || (st = ionkmc_run_batch(&c, lat, s, err))) break;
      double q[IONKMC_UQ_N], rel[IONKMC_UQ_N];
      quantities(s, c.runs, q, rel);
      for (int i = 0; i < IONKMC_UQ_N; i++)
        if (q[i] > 0 && q0[i] > 0) add(&m, i, log(q[i]), rel[i] * rel[i]);
    }
    for (int i = 0; i < IONKMC_UQ_N && !st; i++) out->sd_ln[i] = q0[i] > 0 ? sd_of(&m, i, 1) : NAN;
    free(s);
    ionkmc_catalog_free(dc);
  }
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    out->sd_ln_rate[k] = (out->with_cov >> k & 1) ? sd_of(&mr, k, 0) : 0;
  free(theta);
  return st;
}

void ionkmc_catalog_uq_interval(double m, double kmc_lo, double kmc_hi, double sd_ln, double cat[2],
                                double tot[2]) {
  cat[0] = cat[1] = tot[0] = tot[1] = NAN;
  if (!(m > 0) || !isfinite(sd_ln)) return;
  cat[0] = m * exp(-Z95 * sd_ln);
  cat[1] = m * exp(Z95 * sd_ln);
  double h = isfinite(kmc_lo) && isfinite(kmc_hi) ? 0.5 * (kmc_hi - kmc_lo) / m : NAN;
  if (!isfinite(h)) return;
  if (sd_ln == 0) { /* no catalog part: the KMC interval itself */
    tot[0] = kmc_lo;
    tot[1] = kmc_hi;
    return;
  }
  double w = sqrt(Z95 * sd_ln * Z95 * sd_ln + h * h);
  tot[0] = m * exp(-w);
  tot[1] = m * exp(w);
}
