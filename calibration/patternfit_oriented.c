/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The oriented split interstitial's fitter (I_I-): per-path hop rate Gamma
 * and re-orientation rate k_r by maximum likelihood of the defect-level
 * track. See patternfit.h for the likelihood.
 *
 * Every jump leaves from an X site of axis alpha along v = +-h_alpha +-h_o;
 * o (the component of v other than alpha) is the pair's orientation at that
 * moment, and the jump lands on a site of axis o with the pair oriented
 * along alpha. So a jump after a dwell tau keeps the orientation the last
 * jump left when its o equals the last jump's alpha: probability
 * (1 + exp(-2 k_r tau)) / 2. The dwells are Exp(4 Gamma) whatever the
 * orientation, so the likelihood factorises: Gamma = n / (4 T) in closed
 * form, k_r by a 1-D maximisation. */
#include "calibration/patternfit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>

/* The jumps after the first of each track: dwell and whether the
 * orientation the previous jump left was kept. */
typedef struct {
  double *tau;
  unsigned char *same;
  size_t n;
} turns;

/* The other non-zero axis of an in-plane X move, -1 if there is none. */
static int other_axis(const int dh[3], int alpha) {
  for (int c = 0; c < 3; c++)
    if (c != alpha && dh[c] != 0) return c;
  return -1;
}

ionkmc_status ionkmc_patternfit_oriented_jump(const ionkmc_jump_track *track, size_t i, size_t j, int landed,
                                              int *axis, int *o, ionkmc_error *err) {
  const ionkmc_defect_jump *J = &track->jump[j];
  const int *d = J->dh;
  if (J->from_site < 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: track %zu jump %zu has no origin site", i, j);
  *axis = J->from_site % 3;
  if (j > 0 && *axis != landed)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "pattern fit: track %zu jump %zu leaves a site of axis %d, the previous jump "
                            "landed on one of axis %d (a jump missing from the track?)",
                            i, j, *axis, landed);
  if (!ionkmc_patternfit_nn_move(IONKMC_SUB_X, d, 0) || d[*axis] == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "pattern fit: track %zu jump %zu (%d %d %d h) is not an in-plane "
                            "nearest-neighbour move of an X site of axis %d",
                            i, j, d[0], d[1], d[2], *axis);
  if (!(J->dwell >= 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: track %zu jump %zu has a negative dwell", i, j);
  *o = other_axis(d, *axis);
  return IONKMC_OK;
}

static ionkmc_status collect(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                             turns *t, size_t *nfirst, ionkmc_error *err) {
  if (!ionkmc_defect_takes_pattern(ctx->kind, IONKMC_PATTERN_ORIENTED))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: %s does not take the oriented pattern",
                            ionkmc_defect_name(ctx->kind));
  size_t cap = 0;
  for (size_t i = 0; i < ntracks; i++) cap += tracks[i].n;
  t->tau = malloc((cap ? cap : 1) * sizeof *t->tau);
  t->same = malloc(cap ? cap : 1);
  t->n = 0;
  *nfirst = 0;
  if (!t->tau || !t->same) return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for %zu jumps", cap);
  for (size_t i = 0; i < ntracks; i++) {
    int alpha = -1, prev_alpha = -1;
    for (size_t j = 0; j < tracks[i].n; j++) {
      int axis = -1, o = -1;
      ionkmc_status st = ionkmc_patternfit_oriented_jump(&tracks[i], i, j, alpha, &axis, &o, err);
      if (st != IONKMC_OK) return st;
      double dwell = tracks[i].jump[j].dwell;
      if (j == 0) {
        (*nfirst)++;
      } else {
        t->tau[t->n] = dwell;
        t->same[t->n] = o == prev_alpha;
        if (!t->same[t->n] && dwell == 0)
          return ionkmc_error_set(err, IONKMC_EINVAL,
                                  "pattern fit: track %zu jump %zu re-orients the pair in zero time", i, j);
        t->n++;
      }
      prev_alpha = axis;
      alpha = o;
    }
  }
  return IONKMC_OK;
}

/* The orientation part of the log-likelihood at k_r = exp(u). */
static double turns_loglik(double u, void *arg) {
  const turns *t = arg;
  double k = exp(u), s = 0;
  if (k == 0) {
    for (size_t i = 0; i < t->n; i++)
      if (!t->same[i]) return -INFINITY;
    return 0;
  }
  for (size_t i = 0; i < t->n; i++) {
    double e = exp(-2 * k * t->tau[i]);
    s += t->same[i] ? log1p(e) : log(-expm1(-2 * k * t->tau[i]));
  }
  return s - (double)t->n * M_LN2;
}

static double turns_negloglik(double u, void *arg) {
  return -turns_loglik(u, arg);
}

/* The dwell part of the profile log-likelihood at Gamma = exp(u), relative
 * to its maximum at n / (4 T). */
typedef struct {
  double n, time;
} dwells;

static double dwell_loglik(double u, void *arg) {
  const dwells *d = arg;
  return d->n * u - 4 * d->time * exp(u);
}

#define GRID_HALF 20.0 /* the k_r search spans exp(+-20) times the hop rate */
#define GRID_STEP 0.25

/* Maximise the orientation part over u = ln k_r; *u_hat = +-INFINITY at the
 * boundaries k_r = 0 and k_r -> infinity. */
static ionkmc_status turns_maximise(turns *t, double u_mid, double *u_hat, double *lmax, ionkmc_error *err) {
  int ng = (int)(2 * GRID_HALF / GRID_STEP) + 1, best = 0;
  double bestv = -INFINITY;
  for (int g = 0; g < ng; g++) {
    double v = turns_loglik(u_mid - GRID_HALF + g * GRID_STEP, t);
    if (v > bestv) bestv = v, best = g;
  }
  double at0 = turns_loglik(-INFINITY, t), atinf = -(double)t->n * M_LN2;
  if (t->n == 0 || (best == 0 && at0 >= bestv)) {
    *u_hat = -INFINITY, *lmax = at0;
    return IONKMC_OK;
  }
  if (best == ng - 1 && atinf >= bestv) {
    *u_hat = INFINITY, *lmax = atinf;
    return IONKMC_OK;
  }
  if (best == 0 || best == ng - 1) { /* the edge of the grid, not a boundary: keep it */
    *u_hat = u_mid - GRID_HALF + best * GRID_STEP, *lmax = bestv;
    return IONKMC_OK;
  }
  double a = u_mid - GRID_HALF + (best - 1) * GRID_STEP, b = a + 2 * GRID_STEP, x = a + GRID_STEP;
  gsl_function F = {turns_negloglik, t};
  gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (!m) return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for the minimiser");
  int st = gsl_min_fminimizer_set(m, &F, x, a, b);
  for (int it = 0; st == GSL_SUCCESS && it < 100; it++) {
    st = gsl_min_fminimizer_iterate(m);
    if (st != GSL_SUCCESS) break;
    if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(m), gsl_min_fminimizer_x_upper(m), 1e-7, 0) ==
        GSL_SUCCESS)
      break;
  }
  double xm = gsl_min_fminimizer_x_minimum(m);
  gsl_min_fminimizer_free(m);
  if (st != GSL_SUCCESS) /* a flat stretch the bracket cannot refine: the grid point stands */
    xm = x;
  *u_hat = xm, *lmax = turns_loglik(xm, t);
  return IONKMC_OK;
}

static ionkmc_status fit_oriented(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                                  ionkmc_pattern_fit *out, ionkmc_error *err) {
  turns t = {0};
  size_t nfirst = 0;
  ionkmc_status st = collect(ctx, tracks, ntracks, &t, &nfirst, err);
  double time;
  size_t n;
  ionkmc_patternfit_totals(tracks, ntracks, &time, &n);
  if (st == IONKMC_OK && (n == 0 || !(time > 0)))
    st = ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: no jumps of %s to fit", ionkmc_defect_name(ctx->kind));
  double u_k = 0, lk = 0;
  dwells dw = {(double)n, time};
  double u_g = log((double)n / (4 * time));
  if (st == IONKMC_OK) st = turns_maximise(&t, u_g + log(4.0), &u_k, &lk, err);
  memset(out, 0, sizeof *out);
  out->pattern = IONKMC_PATTERN_ORIENTED;
  if (st == IONKMC_OK) st = ionkmc_patternfit_profile_bound(dwell_loglik, &dw, u_g, dwell_loglik(u_g, &dw), -1,
                                                            GRID_HALF, &out->rate_lo, err);
  if (st == IONKMC_OK) st = ionkmc_patternfit_profile_bound(dwell_loglik, &dw, u_g, dwell_loglik(u_g, &dw), +1,
                                                            GRID_HALF, &out->rate_hi, err);
  /* k_r's interval: from the maximum, or from the grid's end next to a
   * boundary maximum, across the whole grid */
  double u_from = isfinite(u_k) ? u_k : u_g + log(4.0) + (u_k > 0 ? GRID_HALF : -GRID_HALF);
  out->prate_lo[0] = 0, out->prate_hi[0] = INFINITY;
  if (st == IONKMC_OK && u_k > -INFINITY)
    st = ionkmc_patternfit_profile_bound(turns_loglik, &t, u_from, lk, -1, 2 * GRID_HALF, &out->prate_lo[0], err);
  if (st == IONKMC_OK && u_k < INFINITY)
    st = ionkmc_patternfit_profile_bound(turns_loglik, &t, u_from, lk, +1, 2 * GRID_HALF, &out->prate_hi[0], err);
  free(t.tau);
  free(t.same);
  if (st != IONKMC_OK) return st;
  out->npar = 2;
  out->njumps = n;
  out->rate = exp(u_g);
  out->prate[0] = exp(u_k);
  /* dwells Exp(4 Gamma), 1/4 per in-plane destination, 1/2 for the unknown
   * orientation of each track's first jump */
  out->loglik = (double)n * (log(4 * out->rate) - 1.0) - (double)n * log(4.0) - (double)nfirst * M_LN2 + lk;
  out->aic = 2.0 * out->npar - 2.0 * out->loglik;
  return IONKMC_OK;
}

static ionkmc_status loglik_oriented(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                     size_t ntracks, double rate, const double *prate, double *ll,
                                     ionkmc_error *err) {
  turns t = {0};
  size_t nfirst = 0, n;
  double time;
  ionkmc_status st = collect(ctx, tracks, ntracks, &t, &nfirst, err);
  ionkmc_patternfit_totals(tracks, ntracks, &time, &n);
  if (st == IONKMC_OK && !(rate > 0 && prate[0] >= 0))
    st = ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: the oriented rates must be > 0 and >= 0");
  if (st == IONKMC_OK)
    *ll = (double)n * log(4 * rate) - 4 * rate * time - (double)n * log(4.0) - (double)nfirst * M_LN2 +
          turns_loglik(log(prate[0]), &t);
  free(t.tau);
  free(t.same);
  return st;
}

const ionkmc_patternfit_type ionkmc_patternfit_oriented = {IONKMC_PATTERN_ORIENTED, fit_oriented, loglik_oriented};
