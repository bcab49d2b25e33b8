/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Pattern fitters: the registry, selection by AIC and the uncorrelated
 * patterns' fit. See patternfit.h. */
#include "calibration/patternfit.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* The registry: one line per fitter. */
static const ionkmc_patternfit_type *const FITTERS[] = {
    &ionkmc_patternfit_single,
    &ionkmc_patternfit_collinear,
    &ionkmc_patternfit_oriented,
    &ionkmc_patternfit_returns,
    &ionkmc_patternfit_relay,
};
#define NFITTERS (sizeof FITTERS / sizeof FITTERS[0])

const ionkmc_patternfit_type *ionkmc_patternfit_lookup(ionkmc_pattern p) {
  for (size_t i = 0; i < NFITTERS; i++)
    if (FITTERS[i]->pattern == p) return FITTERS[i];
  return NULL;
}

ionkmc_status ionkmc_patternfit_select(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                       size_t ntracks, ionkmc_pattern_fit out[IONKMC_NPATTERN],
                                       ionkmc_pattern *best, ionkmc_error *err) {
  int found = 0;
  ionkmc_error last = {0};
  for (int p = 0; p < IONKMC_NPATTERN; p++) {
    memset(&out[p], 0, sizeof out[p]);
    out[p].pattern = (ionkmc_pattern)p;
    const ionkmc_patternfit_type *t = ionkmc_patternfit_lookup((ionkmc_pattern)p);
    if (!t || !ionkmc_defect_takes_pattern(ctx->kind, (ionkmc_pattern)p)) continue;
    if (t->fit(ctx, tracks, ntracks, &out[p], &last) != IONKMC_OK) {
      out[p].npar = 0;
      continue;
    }
    if (!found || out[p].aic < out[*best].aic) *best = (ionkmc_pattern)p;
    found = 1;
  }
  if (!found)
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: no pattern of %s could be fitted%s%s",
                            ionkmc_defect_name(ctx->kind), last.text[0] ? ": " : "", last.text);
  return IONKMC_OK;
}

int ionkmc_patternfit_nn_move(ionkmc_sublattice sub, const int dh[3], int collinear) {
  int d2 = dh[0] * dh[0] + dh[1] * dh[1] + dh[2] * dh[2];
  if (sub == IONKMC_SUB_X) return d2 == 2 && (dh[0] == 0 || dh[1] == 0 || dh[2] == 0);
  int axes = (dh[0] != 0) + (dh[1] != 0) + (dh[2] != 0);
  return axes == 1 && (d2 == 4 || (collinear && d2 == 16));
}

void ionkmc_patternfit_totals(const ionkmc_jump_track *tracks, size_t ntracks, double *time, size_t *njumps) {
  double t = 0;
  size_t n = 0;
  for (size_t i = 0; i < ntracks; i++) {
    for (size_t j = 0; j < tracks[i].n; j++) t += tracks[i].jump[j].dwell;
    t += tracks[i].tail;
    n += tracks[i].n;
  }
  *time = t;
  *njumps = n;
}

/* Every jump a (collinear) nearest-neighbour move of the kind, and some. */
static ionkmc_status check_uncorrelated(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                        size_t ntracks, int collinear, double *time, size_t *n,
                                        ionkmc_error *err) {
  ionkmc_sublattice sub = ionkmc_defect_sublattice(ctx->kind);
  for (size_t i = 0; i < ntracks; i++)
    for (size_t j = 0; j < tracks[i].n; j++) {
      const int *d = tracks[i].jump[j].dh;
      if (!ionkmc_patternfit_nn_move(sub, d, collinear))
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "pattern fit: track %zu jump %zu (%d %d %d h) is not a %s move of %s", i, j, d[0],
                                d[1], d[2], collinear ? "collinear" : "nearest-neighbour",
                                ionkmc_defect_name(ctx->kind));
      if (collinear && d[0] * d[0] + d[1] * d[1] + d[2] * d[2] != 16)
        return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: track %zu jump %zu is a single move, not collinear",
                                i, j);
    }
  ionkmc_patternfit_totals(tracks, ntracks, time, n);
  if (*n == 0 || !(*time > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: no jumps of %s to fit", ionkmc_defect_name(ctx->kind));
  return IONKMC_OK;
}

/* Exponential dwells at npaths x rate, destinations uniform over z. */
static ionkmc_status fit_uncorrelated(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                      size_t ntracks, int collinear, ionkmc_pattern_fit *out,
                                      ionkmc_error *err) {
  double time;
  size_t n;
  ionkmc_status st = check_uncorrelated(ctx, tracks, ntracks, collinear, &time, &n, err);
  if (st != IONKMC_OK) return st;
  int np = ionkmc_defect_npaths(ctx->kind), z = ionkmc_defect_z(ctx->kind);
  double R = (double)n / time; /* total rate, 1/ps */
  memset(out, 0, sizeof *out);
  out->pattern = collinear ? IONKMC_PATTERN_COLLINEAR : IONKMC_PATTERN_SINGLE;
  out->npar = 1;
  out->njumps = n;
  out->loglik = (double)n * (log(R) - 1.0 - log((double)z));
  out->aic = 2.0 * out->npar - 2.0 * out->loglik;
  out->rate = R / np;
  out->rate_lo = 0.5 * gsl_cdf_chisq_Pinv(0.025, 2.0 * (double)n) / time / np;
  out->rate_hi = 0.5 * gsl_cdf_chisq_Pinv(0.975, 2.0 * (double)n + 2.0) / time / np;
  return IONKMC_OK;
}

static ionkmc_status fit_single(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                                ionkmc_pattern_fit *out, ionkmc_error *err) {
  return fit_uncorrelated(ctx, tracks, ntracks, 0, out, err);
}

static ionkmc_status fit_collinear(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                   size_t ntracks, ionkmc_pattern_fit *out, ionkmc_error *err) {
  return fit_uncorrelated(ctx, tracks, ntracks, 1, out, err);
}

static ionkmc_status loglik_uncorrelated(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                         size_t ntracks, int collinear, double rate, double *ll,
                                         ionkmc_error *err) {
  double time;
  size_t n;
  ionkmc_status st = check_uncorrelated(ctx, tracks, ntracks, collinear, &time, &n, err);
  if (st != IONKMC_OK) return st;
  double R = ionkmc_defect_npaths(ctx->kind) * rate;
  *ll = (double)n * (log(R) - log((double)ionkmc_defect_z(ctx->kind))) - R * time;
  return IONKMC_OK;
}

static ionkmc_status loglik_single(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                                   double rate, const double *prate, double *ll, ionkmc_error *err) {
  return loglik_uncorrelated(ctx, tracks, ntracks, 0, rate, ll, err);
}

static ionkmc_status loglik_collinear(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                      size_t ntracks, double rate, const double *prate, double *ll,
                                      ionkmc_error *err) {
  return loglik_uncorrelated(ctx, tracks, ntracks, 1, rate, ll, err);
}

const ionkmc_patternfit_type ionkmc_patternfit_single = {IONKMC_PATTERN_SINGLE, fit_single, loglik_single};
const ionkmc_patternfit_type ionkmc_patternfit_collinear = {IONKMC_PATTERN_COLLINEAR, fit_collinear,
                                                            loglik_collinear};
