/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: displacement patterns fitted to a defect's observed
 * successive jumps, by likelihood, one fitter type per pattern.
 *
 * Conventions
 *   A track is the jump sequence of one followed defect (a lone defect of its
 *   kind in an MD run, or one KMC defect): each jump's defect displacement
 *   in h = a/2 units on the lattice of lattice/lattice.h, its origin site,
 *   and the dwell since the previous jump (ps). The first jump's dwell runs
 *   from the start of the track; `tail` is the time from the last jump to
 *   the end of the track (censored: no jump seen in it).
 *   A fitter returns the maximum log-likelihood of the whole sequence (dwell
 *   densities and destination probabilities; the censored tail as a survival
 *   factor), the fitted per-path hop rate (1/ps) and the pattern's own rates
 *   (1/ps, in the order of its row in events/defects.c), each with a 95%
 *   interval (profile likelihood, 2 delta lnL = 3.84), and npar, the number
 *   of fitted parameters (the hop rate included), for model selection.
 *   Patterns are compared by AIC = 2 npar - 2 lnL (ionkmc_patternfit_select).
 * Ownership: tracks and jumps are borrowed; results are plain values.
 */
#ifndef IONKMC_PATTERNFIT_H
#define IONKMC_PATTERNFIT_H

#include <stddef.h>

#include "base/status.h"
#include "events/defects.h"
#include "lattice/lattice.h"

/* One jump of a followed defect. */
typedef struct {
  double dwell;   /* ps since the previous jump (the first: since the track start) */
  int dh[3];      /* defect displacement, h = a/2 units */
  int from_site;  /* origin site (lattice/lattice.h numbering, on the defect's sublattice) */
} ionkmc_defect_jump;

/* The jumps of one followed defect, in time order. */
typedef struct {
  const ionkmc_defect_jump *jump; /* [n], borrowed */
  size_t n;
  double tail;                    /* ps from the last jump to the end of the track, >= 0 */
} ionkmc_jump_track;

/* What the tracks are of. */
typedef struct {
  ionkmc_defect_kind kind;
  int L;                          /* cells per edge of the box the tracks come from */
  double T;                       /* K */
} ionkmc_jump_context;

typedef struct {
  ionkmc_pattern pattern;
  int npar;                       /* fitted parameters, the hop rate included */
  double loglik;                  /* maximum log-likelihood */
  double aic;                     /* 2 npar - 2 loglik */
  double rate, rate_lo, rate_hi;  /* per-path hop rate and its 95% interval, 1/ps */
  double prate[IONKMC_PATTERN_MAXRATES];    /* the pattern's own rates, 1/ps */
  double prate_lo[IONKMC_PATTERN_MAXRATES]; /* their 95% intervals */
  double prate_hi[IONKMC_PATTERN_MAXRATES];
  size_t njumps;                  /* jumps used */
} ionkmc_pattern_fit;

/* One fitter. */
typedef struct {
  ionkmc_pattern pattern;         /* the row of events/defects.c it fits */
  /* Fit the tracks (ntracks >= 1, each with n >= 0). IONKMC_EINVAL when the
   * tracks cannot be fitted (no jumps, a jump that is not a nearest-neighbour
   * move of the kind's sublattice under this pattern). */
  ionkmc_status (*fit)(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                       ionkmc_pattern_fit *out, ionkmc_error *err);
  /* The log-likelihood of the tracks at the given per-path rate (1/ps) and
   * pattern rates (1/ps, the row's order; INFINITY where the pattern has a
   * limit there), the same function fit maximises; NULL where the fitter
   * has none. */
  ionkmc_status (*loglik)(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                          double rate, const double *prate, double *ll, ionkmc_error *err);
} ionkmc_patternfit_type;

/* The fitter of pattern p, NULL if there is none. */
const ionkmc_patternfit_type *ionkmc_patternfit_lookup(ionkmc_pattern p);

/* Fit every pattern kind ctx->kind takes that has a fitter; out[p] for
 * pattern p (out[p].npar = 0 where none was fitted), *best the smallest AIC.
 * IONKMC_EINVAL if no pattern could be fitted. */
ionkmc_status ionkmc_patternfit_select(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks,
                                       size_t ntracks, ionkmc_pattern_fit out[IONKMC_NPATTERN],
                                       ionkmc_pattern *best, ionkmc_error *err);

/* The fitter of the uncorrelated patterns (single, collinear): exponential
 * dwells at the total rate npaths x rate, destinations uniform over the z
 * neighbour directions. Its rate interval is the exact Poisson one
 * (chi-square quantiles) for n jumps in the total observed time. */
extern const ionkmc_patternfit_type ionkmc_patternfit_single;
extern const ionkmc_patternfit_type ionkmc_patternfit_collinear;
/* The correlated patterns' fitters (patternfit_oriented.c,
 * patternfit_returns.c; the likelihoods above). */
extern const ionkmc_patternfit_type ionkmc_patternfit_oriented;
extern const ionkmc_patternfit_type ionkmc_patternfit_returns;

/* For the fitter files: 1 if dh is a nearest-neighbour move on sublattice
 * sub (|dh|^2 = 2 on X, 4 on A) or, with collinear, twice one on A. */
int ionkmc_patternfit_nn_move(ionkmc_sublattice sub, const int dh[3], int collinear);
/* The total observed time (sum of dwells and tails, ps) and jump count. */
void ionkmc_patternfit_totals(const ionkmc_jump_track *tracks, size_t ntracks, double *time, size_t *njumps);

/* For the fitter files: one side of a 95% profile-likelihood interval.
 * prof(u, arg) is the profile log-likelihood at u = ln(parameter) (the
 * other parameters maximised); u_hat its maximiser and lnl_max the maximum.
 * Steps from u_hat towards side (-1 lower, +1 upper) until
 * 2 (lnl_max - prof) exceeds 3.84 and refines the crossing by Brent's root
 * search; *bound = exp(crossing). No crossing within span (in u) of u_hat:
 * the profile stays within the interval up to the boundary, and *bound is 0
 * (side -1) or INFINITY (side +1). */
typedef double (*ionkmc_patternfit_profile_fn)(double u, void *arg);
ionkmc_status ionkmc_patternfit_profile_bound(ionkmc_patternfit_profile_fn prof, void *arg, double u_hat,
                                              double lnl_max, int side, double span, double *bound,
                                              ionkmc_error *err);
/* The 95% profile threshold: half the chi-square(1) 0.95 quantile. */
#define IONKMC_PATTERNFIT_HALF_CHI2 1.920729410347062

#endif
