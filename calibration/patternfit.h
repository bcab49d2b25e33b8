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
 *   interval (profile likelihood, 2 delta lnL = 3.84, except relay's Gamma:
 *   below), and npar, the number
 *   of fitted parameters (the hop rate included), for model selection.
 *   Patterns are compared by AIC = 2 npar - 2 lnL (ionkmc_patternfit_select).
 *   An interval end at a boundary of the parameter is 0 or INFINITY (the
 *   interval is one-sided there); a rate whose maximum is at such a boundary
 *   is reported as 0 or INFINITY too. Non-finite values are meant: a writer
 *   must print them as such (e.g. "inf"), not drop them.
 *
 * The likelihoods (n jumps, dwell tau_j before jump j, T the total time of
 * the tracks, tails included; every fitter's lnL is of the same data, so
 * that AIC compares like with like)
 *   single / collinear (npar 1): dwells Exp(R), R = npaths Gamma; each
 *     destination 1/z: lnL = n ln(R / z) - R T.
 *   oriented (I_I- only; npar 2; prate[0] = k_r "reorient"): dwells
 *     Exp(4 Gamma) (4 open paths in either orientation); each of the 4
 *     in-plane destinations 1/4; the orientation each jump reveals (the
 *     component of its displacement other than its origin site's axis)
 *     equals the one the previous jump left (that jump's origin axis) with
 *     probability (1 + exp(-2 k_r tau_j))/2, else (1 - exp(-2 k_r tau_j))/2;
 *     1/2 for each track's first jump (n1 tracks with jumps):
 *       lnL = n ln(4 Gamma) - 4 Gamma T - n ln 4 - n1 ln 2
 *             + sum_{j not first} ln P_orient(tau_j).
 *     Gamma = n / (4 T) in closed form; k_r by a 1-D maximisation. At
 *     k_r -> infinity lnL equals the single pattern's at the same total
 *     rate; k_r = 0 confines the defect to one plane. The jumps must chain
 *     (each leaves the site the last one reached: its origin axis is the
 *     last jump's other axis) and lie in a plane of the origin's axis.
 *   returns (any kind; npar 3; prate[0] = k_b "back", prate[1] = k_r
 *     "relax"; m = npaths / z paths per direction, g = m Gamma,
 *     R_R = z g, R_U = R_R + k_b + k_r): each track's first dwell from the
 *     relaxed state (density g exp(-R_R tau), as a defect starts after the
 *     engine's reset; the first jump is not dropped, as a fit that
 *     conditioned on it would be of fewer data than the others'), then
 *     after each jump f_rev(tau) for a jump exactly opposite to the previous
 *     one and f_other(tau) for each other direction, and the survival S for
 *     the tail:
 *       f_rev   = (g + k_b) e^{-R_U tau} + g k_r e^{-R_R tau} (1 - e^{-(k_b+k_r) tau}) / (k_b + k_r)
 *       f_other = g e^{-R_U tau}         + (the same relaxed term)
 *       S       = e^{-R_U tau} + k_r e^{-R_R tau} (1 - e^{-(k_b+k_r) tau}) / (k_b + k_r)
 *     (a track without jumps: e^{-R_R tail}). At k_b = 0, or k_r ->
 *     infinity, lnL is the single pattern's exactly; the other of the two
 *     rates is then not identified, and its interval is [0, INFINITY].
 *   relay (I_I- only; npar 4; prate[0] = k_r "reorient", prate[1] = k_f
 *     "forward", prate[2] = k_s "side"): the oriented likelihood with the
 *     hidden states after each jump by v: A (fresh, oriented as the jump
 *     left it, the path along v at Gamma + k_f, the two side paths of the
 *     plane at Gamma + k_s, the return -v at Gamma), B (re-oriented, k_r
 *     from A and from C) and C (back in A's orientation, not fresh; k_r
 *     from B). With a, b, c the probabilities of A, B, C and no hop by tau
 *     divided by e^{-4 Gamma tau} (patternfit_relay.c; A's extra rate is
 *     k_f + 2 k_s), a jump after a dwell tau along the same v has density
 *     e^{-4 Gamma tau} ((Gamma + k_f) a + Gamma c), to either side
 *     e^{-4 Gamma tau} ((Gamma + k_s) a + Gamma c), back e^{-4 Gamma tau}
 *     Gamma (a + c), to each destination in the other plane e^{-4 Gamma
 *     tau} Gamma b, the tail survival e^{-4 Gamma tau} (a + b + c); a
 *     track's first jump Gamma e^{-4 Gamma tau} / 2 (not fresh, orientation
 *     unknown). At k_s = 0 it is the two-rate relay likelihood, at k_f =
 *     k_s = 0 the oriented pattern's at the same (Gamma, k_r). The rates'
 *     intervals are profile likelihood ones; Gamma's is a Wald interval on
 *     ln Gamma from the observed information (the rates at 0 held).
 * Selection: the smallest AIC among the patterns the kind takes (ties to
 *   the earlier pattern of the table); a correlated pattern has to raise lnL
 *   by more than 1 per extra rate to be chosen over the plain one.
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
 * patternfit_returns.c, patternfit_relay.c; the likelihoods above). */
extern const ionkmc_patternfit_type ionkmc_patternfit_oriented;
extern const ionkmc_patternfit_type ionkmc_patternfit_returns;
extern const ionkmc_patternfit_type ionkmc_patternfit_relay;

/* For the fitter files: 1 if dh is a nearest-neighbour move on sublattice
 * sub (|dh|^2 = 2 on X, 4 on A) or, with collinear, twice one on A. */
int ionkmc_patternfit_nn_move(ionkmc_sublattice sub, const int dh[3], int collinear);
/* The total observed time (sum of dwells and tails, ps) and jump count. */
void ionkmc_patternfit_totals(const ionkmc_jump_track *tracks, size_t ntracks, double *time, size_t *njumps);

/* For the oriented pair's fitters (oriented, relay): check jump j of track
 * i of an I_I- track (its origin known, an in-plane nearest-neighbour move
 * of its origin's axis, a dwell >= 0 and, for j > 0, leaving a site of the
 * axis `landed` the previous jump's orientation gave) and return its origin
 * axis and the orientation o it reveals (the other non-zero axis of its
 * displacement, the axis of the site it lands on). */
ionkmc_status ionkmc_patternfit_oriented_jump(const ionkmc_jump_track *track, size_t i, size_t j, int landed,
                                              int *axis, int *o, ionkmc_error *err);

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
