/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The correlated-returns fitter (any kind): per-path hop rate Gamma, the
 * unrelaxed state's extra reverse rate k_b ("back") and its decay rate k_r
 * ("relax") by maximum likelihood of the dwell densities f_rev / f_other
 * and the survival S of patterns' definition (see patternfit.h).
 *
 * The search runs on u = ln(rate) with GSL's Nelder-Mead simplex
 * (nmsimplex2), from starts given by the moments (the mean dwell gives
 * Gamma, the return fraction k_b at two trial k_r); the boundary k_b = 0 is
 * the plain pattern, whose maximum is closed-form, and wins when the
 * interior does no better. Intervals are the profile likelihood's. */
#include "calibration/patternfit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_multimin.h>

/* The jumps after each track's first, and the censored ends. */
typedef struct {
  double *tau;        /* dwells after a hop (from U) */
  unsigned char *ret; /* 1: the jump is the reverse of the one before */
  size_t n;
  double *tail;       /* tails of tracks with jumps (from U) */
  size_t ntail;
  double t_relaxed;   /* first dwells and tails of tracks without jumps (from R), ps */
  size_t nfirst;      /* first jumps (from R) */
  double m, z;        /* paths per direction, directions */
  size_t njumps, nret;
  double time;
} returns_data;

static void data_free(returns_data *d) {
  free(d->tau);
  free(d->ret);
  free(d->tail);
}

static ionkmc_status collect(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                             returns_data *d, ionkmc_error *err) {
  memset(d, 0, sizeof *d);
  const char *name = ionkmc_defect_name(ctx->kind);
  if (!name || !ionkmc_defect_takes_pattern(ctx->kind, IONKMC_PATTERN_RETURNS))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: %s does not take the returns pattern",
                            name ? name : "(invalid kind)");
  ionkmc_sublattice sub = ionkmc_defect_sublattice(ctx->kind);
  int coll_ok = ionkmc_defect_takes_pattern(ctx->kind, IONKMC_PATTERN_COLLINEAR), coll = -1;
  d->z = ionkmc_defect_z(ctx->kind);
  d->m = ionkmc_defect_npaths(ctx->kind) / ionkmc_defect_z(ctx->kind);
  size_t cap = 0;
  for (size_t i = 0; i < ntracks; i++) cap += tracks[i].n;
  d->tau = malloc((cap ? cap : 1) * sizeof *d->tau);
  d->ret = malloc(cap ? cap : 1);
  d->tail = malloc((ntracks ? ntracks : 1) * sizeof *d->tail);
  if (!d->tau || !d->ret || !d->tail)
    return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for %zu jumps", cap);
  for (size_t i = 0; i < ntracks; i++) {
    const ionkmc_defect_jump *J = tracks[i].jump;
    for (size_t j = 0; j < tracks[i].n; j++) {
      const int *v = J[j].dh;
      int c = v[0] * v[0] + v[1] * v[1] + v[2] * v[2] == 16;
      if (!ionkmc_patternfit_nn_move(sub, v, coll_ok) || (coll >= 0 && c != coll))
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "pattern fit: track %zu jump %zu (%d %d %d h) is not a %s move of %s", i, j, v[0],
                                v[1], v[2], coll == 1 ? "collinear" : "nearest-neighbour", name);
      if (!(J[j].dwell >= 0))
        return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: track %zu jump %zu has a negative dwell", i, j);
      coll = c;
      if (j == 0) {
        d->t_relaxed += J[j].dwell;
        d->nfirst++;
        continue;
      }
      const int *p = J[j - 1].dh;
      d->tau[d->n] = J[j].dwell;
      d->ret[d->n] = v[0] == -p[0] && v[1] == -p[1] && v[2] == -p[2];
      d->nret += d->ret[d->n];
      d->n++;
    }
    if (!(tracks[i].tail >= 0))
      return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: track %zu has a negative tail", i);
    if (tracks[i].n)
      d->tail[d->ntail++] = tracks[i].tail;
    else
      d->t_relaxed += tracks[i].tail;
  }
  ionkmc_patternfit_totals(tracks, ntracks, &d->time, &d->njumps);
  if (d->njumps == 0 || !(d->time > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: no jumps of %s to fit", name);
  return IONKMC_OK;
}

/* (1 - e) / s with e = exp(-s t); t at s = 0, expm1 where e is near 1. */
static double relaxed_share(double s, double t, double e) {
  if (!(s > 0)) return t;
  return s * t < 1e-3 ? -expm1(-s * t) / s : (1 - e) / s;
}

/* d/ds of relaxed_share: (t e - share) / s, its series where s t is small. */
static double relaxed_share_ds(double s, double t, double e, double share) {
  double x = s * t;
  return x < 1e-3 ? t * t * (-0.5 + x / 3.0) : (t * e - share) / s;
}

/* The log-likelihood at Gamma, k_b, k_r (1/ps; k_r may be INFINITY) and,
 * when grad is not NULL, its derivatives in them (finite k_r only). */
static double loglik(const returns_data *d, double G, double kb, double kr, double grad[3]) {
  double m = d->m, g = m * G, RR = d->z * g;
  double ll = (double)d->nfirst * log(g) - RR * d->t_relaxed;
  double dG = (double)d->nfirst / G - m * d->z * d->t_relaxed, db = 0, dr = 0;
  if (isinf(kr)) kb = 0, kr = 0; /* instant relaxation: every dwell from R */
  double s = kb + kr;
  for (size_t i = 0; i < d->n + d->ntail; i++) {
    int jump = i < d->n;
    double t = jump ? d->tau[i] : d->tail[i - d->n], e = exp(-s * t), sh = relaxed_share(s, t, e);
    /* a jump's density g_or_(g + k_b) e + g k_r share, the tail's e + k_r share */
    double A = jump ? (d->ret[i] ? g + kb : g) : 1.0, B = jump ? g : 1.0, D = A * e + B * kr * sh;
    ll += -RR * t + log(D);
    if (!grad) continue;
    double shs = relaxed_share_ds(s, t, e, sh), dDs = -t * A * e + B * kr * shs;
    dG += -m * d->z * t + (jump ? m * (e + kr * sh) : 0) / D;
    db += ((jump && d->ret[i] ? e : 0) + dDs) / D;
    dr += (B * sh + dDs) / D;
  }
  if (grad) grad[0] = dG, grad[1] = db, grad[2] = dr;
  return ll;
}

/* The plain pattern's maximum (k_b = 0) over Gamma, and its value at Gamma. */
static double plain_loglik(const returns_data *d, double G) {
  double R = d->m * d->z * G;
  return (double)d->njumps * (log(R) - log(d->z)) - R * d->time;
}

/* The search over u = ln(Gamma, k_b, k_r), with one of them held fixed
 * (fixed = 0, 1, 2) or none (fixed = -1). Outside +-SPAN of the moment
 * scale a quadratic wall keeps the simplex from wandering off a flat
 * direction. */
#define SPAN 40.0
typedef struct {
  const returns_data *d;
  double u0;       /* ln of the total rate n / T */
  int fixed;
  double u[3];     /* the current point (fixed entry kept) */
  double start[3]; /* where each profile maximisation starts (deterministic) */
  int nomem;       /* set when a minimiser could not be allocated */
} search;

static void unpack(const search *S, const gsl_vector *x, double u[3]) {
  for (int k = 0, j = 0; k < 3; k++) u[k] = k == S->fixed ? S->u[k] : gsl_vector_get(x, (size_t)j++);
}

static double negll(const gsl_vector *x, void *arg) {
  const search *S = arg;
  double u[3], wall = 0;
  unpack(S, x, u);
  for (int k = 0; k < 3; k++) {
    double c = fmin(fmax(u[k], S->u0 - SPAN), S->u0 + SPAN);
    wall += (u[k] - c) * (u[k] - c);
    u[k] = c;
  }
  double ll = loglik(S->d, exp(u[0]), exp(u[1]), exp(u[2]), NULL);
  return isfinite(ll) ? -ll + wall : 1e300;
}

/* negll and its gradient in the free entries of u. */
static void negll_fdf(const gsl_vector *x, void *arg, double *f, gsl_vector *df) {
  const search *S = arg;
  double u[3], c[3], wall = 0, grad[3];
  unpack(S, x, u);
  for (int k = 0; k < 3; k++) {
    c[k] = fmin(fmax(u[k], S->u0 - SPAN), S->u0 + SPAN);
    wall += (u[k] - c[k]) * (u[k] - c[k]);
  }
  double ll = loglik(S->d, exp(c[0]), exp(c[1]), exp(c[2]), grad);
  if (f) *f = isfinite(ll) ? -ll + wall : 1e300;
  if (!df) return;
  for (int k = 0, j = 0; k < 3; k++) {
    if (k == S->fixed) continue;
    double inside = u[k] == c[k] ? -exp(c[k]) * grad[k] : 0; /* d(-ll)/du */
    gsl_vector_set(df, (size_t)j++, inside + 2 * (u[k] - c[k]));
  }
}

static void negll_df(const gsl_vector *x, void *arg, gsl_vector *df) {
  negll_fdf(x, arg, NULL, df);
}

/* The profiles' maximisation: BFGS from S->u with the analytic gradient
 * (a few dozen likelihood evaluations against the simplex's ~150); the
 * simplex where BFGS stops without converging. */
static double maximise(search *S, int rounds, double tol);
static double maximise_smooth(search *S) {
  size_t nfree = S->fixed < 0 ? 3 : 2;
  gsl_multimin_fdfminimizer *m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, nfree);
  gsl_vector *x = gsl_vector_alloc(nfree);
  int ok = 0;
  double ll = -INFINITY;
  if (m && x) {
    for (int k = 0, j = 0; k < 3; k++)
      if (k != S->fixed) gsl_vector_set(x, (size_t)j++, S->u[k]);
    gsl_multimin_function_fdf F = {negll, negll_df, negll_fdf, nfree, S};
    if (gsl_multimin_fdfminimizer_set(m, &F, x, 0.1, 0.1) == GSL_SUCCESS) {
      for (int it = 0; it < 200; it++) {
        int ist = gsl_multimin_fdfminimizer_iterate(m);
        /* no progress with a gradient this small is the maximum to within
         * ~1e-6 in lnL: accept it */
        double gtol = ist == GSL_ENOPROG ? 1e-3 : 1e-5;
        if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(m), gtol) == GSL_SUCCESS) {
          ok = 1;
          break;
        }
        if (ist != GSL_SUCCESS) break;
      }
      if (ok) {
        double u[3];
        unpack(S, gsl_multimin_fdfminimizer_x(m), u);
        memcpy(S->u, u, sizeof u);
        ll = -gsl_multimin_fdfminimizer_minimum(m);
      }
    }
  }
  if (!m || !x) S->nomem = 1;
  gsl_vector_free(x);
  gsl_multimin_fdfminimizer_free(m);
  return ok ? ll : maximise(S, 1, 1e-4);
}

/* Minimise from S->u (the free entries), rounds restarts, to simplex size
 * tol; S->u and the return value are the result (the log-likelihood). */
static double maximise(search *S, int rounds, double tol) {
  size_t nfree = S->fixed < 0 ? 3 : 2;
  gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, nfree);
  gsl_vector *x = gsl_vector_alloc(nfree), *step = gsl_vector_alloc(nfree);
  double ll = -INFINITY;
  if (m && x && step) {
    for (int k = 0, j = 0; k < 3; k++)
      if (k != S->fixed) gsl_vector_set(x, (size_t)j++, S->u[k]);
    for (int round = 0; round < rounds; round++) { /* a restart shakes off a collapsed simplex */
      gsl_vector_set_all(step, round ? 0.1 : 0.5);
      gsl_multimin_function F = {negll, nfree, S};
      if (gsl_multimin_fminimizer_set(m, &F, x, step) != GSL_SUCCESS) break;
      for (int it = 0; it < 1000; it++) {
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS) break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), tol) == GSL_SUCCESS) break;
      }
      gsl_vector_memcpy(x, gsl_multimin_fminimizer_x(m));
    }
    double u[3];
    unpack(S, x, u);
    memcpy(S->u, u, sizeof u);
    ll = -negll(x, S);
  } else {
    S->nomem = 1;
  }
  gsl_vector_free(step);
  gsl_vector_free(x);
  gsl_multimin_fminimizer_free(m);
  return ll;
}

/* The profile log-likelihood at u for parameter S->fixed: the interior
 * maximum from S->start, or the plain pattern's where it is higher (k_b ->
 * 0 or k_r -> infinity, with Gamma at u or free). */
static double profile(double u, void *arg) {
  search *S = arg;
  memcpy(S->u, S->start, sizeof S->u);
  S->u[S->fixed] = u;
  double ll = maximise_smooth(S);
  double G = S->fixed == 0 ? exp(u) : (double)S->d->njumps / (S->d->m * S->d->z * S->d->time);
  return fmax(ll, plain_loglik(S->d, G));
}

typedef struct {
  double u[3], ll;
  int plain; /* the maximum is the plain pattern's (k_b = 0) */
} optimum;

static ionkmc_status best_fit(const returns_data *d, optimum *o, ionkmc_error *err) {
  double R = (double)d->njumps / d->time, P = d->n ? (double)d->nret / (double)d->n : 0;
  search S = {d, log(R), -1, {0}, {0}, 0};
  o->ll = -INFINITY;
  /* moment starts: Gamma from the mean dwell, k_b from the return fraction
   * P_ret = (g + k_b + k_r / z) / R_U at k_r = 0.3 and 3 times the rate;
   * then the simplex, polished by BFGS */
  for (int s = 0; s < 2; s++) {
    double kr = (s ? 3.0 : 0.3) * R;
    double kb = fmax((P - 1 / d->z) * (R + kr) / (1 - fmin(P, 0.99)), 0.05 * R);
    S.u[0] = log(R / (d->m * d->z)), S.u[1] = log(kb), S.u[2] = log(kr);
    double ll = maximise(&S, 2, 1e-5);
    if (ll > o->ll) memcpy(o->u, S.u, sizeof S.u), o->ll = ll;
  }
  memcpy(S.u, o->u, sizeof S.u);
  double ll = maximise_smooth(&S);
  if (ll > o->ll) memcpy(o->u, S.u, sizeof S.u), o->ll = ll;
  if (S.nomem) return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for the minimiser");
  double Gp = R / (d->m * d->z), plain = plain_loglik(d, Gp);
  o->plain = !(o->ll > plain) || o->u[1] < log(R) - SPAN + 1;
  if (o->plain) o->u[0] = log(Gp), o->u[1] = -INFINITY, o->u[2] = INFINITY, o->ll = plain;
  return IONKMC_OK;
}

static ionkmc_status fit_returns(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                                 ionkmc_pattern_fit *out, ionkmc_error *err) {
  returns_data d;
  ionkmc_status st = collect(ctx, tracks, ntracks, &d, err);
  optimum o = {{0}, 0, 0};
  if (st == IONKMC_OK) st = best_fit(&d, &o, err);
  memset(out, 0, sizeof *out);
  out->pattern = IONKMC_PATTERN_RETURNS;
  double *lo[3] = {&out->rate_lo, &out->prate_lo[0], &out->prate_lo[1]};
  double *hi[3] = {&out->rate_hi, &out->prate_hi[0], &out->prate_hi[1]};
  double u0 = log((double)d.njumps / d.time);
  for (int k = 0; k < 3 && st == IONKMC_OK; k++) {
    if (o.plain && k > 0) {
      /* k_b -> 0 or k_r -> infinity is the plain pattern whatever the other
       * one is: the profiles of both are flat at the maximum */
      *lo[k] = 0, *hi[k] = INFINITY;
      continue;
    }
    search S = {&d, u0, k, {o.u[0], o.u[1], o.u[2]}, {o.u[0], o.u[1], o.u[2]}, 0};
    if (o.plain) S.start[1] = u0 - SPAN + 2, S.start[2] = u0; /* start next to the boundary */
    st = ionkmc_patternfit_profile_bound(profile, &S, o.u[k], o.ll, -1, 2 * SPAN, lo[k], err);
    if (st == IONKMC_OK) st = ionkmc_patternfit_profile_bound(profile, &S, o.u[k], o.ll, +1, 2 * SPAN, hi[k], err);
    if (st == IONKMC_OK && S.nomem)
      st = ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for the minimiser");
    /* an end past the wall of the search is the boundary itself */
    if (*lo[k] < exp(u0 - SPAN + 1)) *lo[k] = 0;
    if (*hi[k] > exp(u0 + SPAN - 1)) *hi[k] = INFINITY;
  }
  data_free(&d);
  if (st != IONKMC_OK) return st;
  out->npar = 3;
  out->njumps = d.njumps;
  out->loglik = o.ll;
  out->aic = 2.0 * out->npar - 2.0 * out->loglik;
  out->rate = exp(o.u[0]);
  out->prate[0] = o.plain ? 0 : exp(o.u[1]);
  out->prate[1] = o.plain ? INFINITY : o.u[2] < u0 - SPAN + 1 ? 0 : exp(o.u[2]);
  return IONKMC_OK;
}

static ionkmc_status loglik_returns(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                    size_t ntracks, double rate, const double *prate, double *ll,
                                    ionkmc_error *err) {
  returns_data d;
  ionkmc_status st = collect(ctx, tracks, ntracks, &d, err);
  if (st == IONKMC_OK && !(rate > 0 && prate[0] >= 0 && prate[1] >= 0))
    st = ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: the returns rates must be > 0, >= 0, >= 0");
  if (st == IONKMC_OK) *ll = loglik(&d, rate, prate[0], prate[1], NULL);
  data_free(&d);
  return st;
}

const ionkmc_patternfit_type ionkmc_patternfit_returns = {IONKMC_PATTERN_RETURNS, fit_returns, loglik_returns};
