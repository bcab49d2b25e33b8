/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The relay pattern's fitter (I_I-): per-path hop rate Gamma, re-orientation
 * rate k_r, forward rate k_f and side rate k_s by maximum likelihood of the
 * defect-level track. See patternfit.h for the likelihood.
 *
 * After a jump by v the pair is fresh (A); it re-orients to the other plane
 * (B) at k_r, and between B and C (the first plane, not fresh) at k_r. A
 * hops at 4 Gamma + K, K = k_f + 2 k_s (the forward path at Gamma + k_f,
 * the two sides at Gamma + k_s, the return at Gamma), B and C at 4 Gamma.
 * With the hop factor e^{-4 Gamma tau} taken out, the probabilities of
 * being in A, B, C without a hop by tau are
 *   a = e^{-(K + k_r) tau},
 *   b = (s + dd) / 2, c = (s - dd) / 2, where
 *   s  = k_r (1 - e^{-(K + k_r) tau}) / (K + k_r),
 *   dd = k_r (e^{-(K + k_r) tau} - e^{-2 k_r tau}) / (k_r - K)
 * (the limits where a denominator vanishes). The jump densities: the same
 * v again e^{-4 Gamma tau} ((Gamma + k_f) a + Gamma c), each side (in the
 * first plane, perpendicular to v) e^{-4 Gamma tau} ((Gamma + k_s) a +
 * Gamma c), the return -v e^{-4 Gamma tau} Gamma (a + c), each destination
 * in the other plane e^{-4 Gamma tau} Gamma b; the censored tail
 * e^{-4 Gamma tau} (a + b + c). A track's first jump: the orientation
 * unknown and the pair not fresh, Gamma e^{-4 Gamma tau} / 2 (as the
 * oriented fitter).
 * For fixed (k_r, k_f, k_s) Gamma solves a monotone equation bracketed by
 * [(n - n_fwd - n_side), n] / (4 T) (Newton). The three rates are
 * maximised in ln k: a grid (each rate 0, or ln k = u_mid - 8, ..., u_mid
 * + 8 by 2, u_mid the ln of the total hop rate), then on each face of the
 * boundary (each set of rates held at exactly 0) a Nelder-Mead simplex
 * (GSL nmsimplex2) over the others from that face's best grid point, with
 * each ln k clamped to u_mid +- 20 (a rate started at the clamp would see
 * a flat lnL and stay there: hence one polish per face), then each rate
 * tried at exactly 0. The rates' 95% intervals are profile-likelihood
 * ones: one rate held, the two others (and Gamma) maximised by a simplex
 * from the best of a fixed set of starts, so that the profile is a
 * function of its argument alone (the interval's root search evaluates it
 * again); a rate whose maximum is 0 has the lower end 0. Gamma's is a Wald
 * interval on ln Gamma from the observed information at the maximum. */
#include "calibration/patternfit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

/* What follows a jump: the next jump along the same v, to a side, back
 * (-v), one in the other plane, or the tail. */
enum { R_FWD = 0, R_SIDE = 1, R_RET = 2, R_TURN = 3, R_TAIL = 4 };

/* The rates' order, as in the pattern's row: reorient, forward, side. */
enum { K_R = 0, K_F = 1, K_S = 2, NK = 3 };

typedef struct {
  double *tau;
  unsigned char *cls;
  size_t n;           /* entries after a jump */
  double *x, *y;      /* per forward entry, then per side entry, at the current rates: a and a + c */
  size_t nj, nfwd, nside, nfirst;
  double time;
} relay_data;

static void relay_data_free(relay_data *d) {
  free(d->tau);
  free(d->cls);
  free(d->x);
  free(d->y);
}

static ionkmc_status collect(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                             relay_data *d, ionkmc_error *err) {
  memset(d, 0, sizeof *d);
  const char *name = ionkmc_defect_name(ctx->kind);
  if (!name || !ionkmc_defect_takes_pattern(ctx->kind, IONKMC_PATTERN_RELAY))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: %s does not take the relay pattern",
                            name ? name : "(invalid kind)");
  size_t cap = ntracks + 1;
  for (size_t i = 0; i < ntracks; i++) cap += tracks[i].n;
  d->tau = malloc(cap * sizeof *d->tau);
  d->cls = malloc(cap);
  d->x = malloc(cap * sizeof *d->x);
  d->y = malloc(cap * sizeof *d->y);
  if (!d->tau || !d->cls || !d->x || !d->y)
    return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for %zu jumps", cap);
  for (size_t i = 0; i < ntracks; i++) {
    int alpha = -1, prev_alpha = -1;
    const int *prev = NULL;
    for (size_t j = 0; j < tracks[i].n; j++) {
      int axis = -1, o = -1;
      ionkmc_status st = ionkmc_patternfit_oriented_jump(&tracks[i], i, j, alpha, &axis, &o, err);
      if (st != IONKMC_OK) return st;
      const ionkmc_defect_jump *J = &tracks[i].jump[j];
      if (j == 0) {
        d->nfirst++;
      } else {
        int dot = J->dh[0] * prev[0] + J->dh[1] * prev[1] + J->dh[2] * prev[2];
        /* in the plane: v again (dot 2), back (-2) or a side (0) */
        int c = o != prev_alpha ? R_TURN : dot > 0 ? R_FWD : dot < 0 ? R_RET : R_SIDE;
        if (c == R_TURN && J->dwell == 0)
          return ionkmc_error_set(err, IONKMC_EINVAL,
                                  "pattern fit: track %zu jump %zu re-orients the pair in zero time", i, j);
        d->tau[d->n] = J->dwell;
        d->cls[d->n++] = (unsigned char)c;
        d->nfwd += c == R_FWD;
        d->nside += c == R_SIDE;
      }
      prev = J->dh;
      prev_alpha = axis;
      alpha = o;
    }
    if (tracks[i].n > 0) {
      if (!(tracks[i].tail >= 0))
        return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: track %zu has a negative tail", i);
      d->tau[d->n] = tracks[i].tail;
      d->cls[d->n++] = R_TAIL;
    }
  }
  ionkmc_patternfit_totals(tracks, ntracks, &d->time, &d->nj);
  if (d->nj == 0 || !(d->time > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: no jumps of %s to fit", ionkmc_defect_name(ctx->kind));
  return IONKMC_OK;
}

/* The hidden-state weights a, b, c after a dwell tau, K = k_f + 2 k_s (see
 * the top). */
static void hidden(double K, double kr, double tau, double *a, double *b, double *c) {
  double s = K + kr, x = kr - K;
  *a = exp(-s * tau);
  if (kr == 0) { /* never re-oriented */
    *b = *c = 0;
    return;
  }
  /* 1 - a without cancellation where s tau is small */
  double S = s * tau > 0.1 ? kr * (1 - *a) / s : s * tau > 0 ? kr * -expm1(-s * tau) / s : kr * tau;
  double dd;
  if (x > 0) dd = kr * (*a) * -expm1(-x * tau) / x;
  else if (x < 0) dd = kr * exp(-2 * kr * tau) * expm1(x * tau) / x;
  else dd = kr * tau * (*a);
  *b = 0.5 * (S + dd);
  *c = 0.5 * (S - dd);
  if (*c < 0) *c = 0;
}

/* The parts of lnL that do not involve Gamma at k = (k_r, k_f, k_s), and
 * the forward and side entries' a and a + c into d->x, d->y. */
static double fixed_part(relay_data *d, const double *k) {
  double s = -(double)d->nfirst * M_LN2;
  size_t mf = 0, ms = d->nfwd;
  for (size_t i = 0; i < d->n; i++) {
    double a, b, c;
    hidden(k[K_F] + 2 * k[K_S], k[K_R], d->tau[i], &a, &b, &c);
    switch (d->cls[i]) {
      case R_FWD: d->x[mf] = a, d->y[mf++] = a + c; break;
      case R_SIDE: d->x[ms] = a, d->y[ms++] = a + c; break;
      case R_RET: s += log(a + c); break;
      case R_TURN: s += log(b); break;
      default: s += log(a + b + c); break;
    }
  }
  return s;
}

/* lnL at Gamma with the forward and side entries of the last fixed_part. */
static double with_gamma(const relay_data *d, double fixed, double g, const double *k) {
  size_t nb = d->nfwd + d->nside;
  double s = fixed - 4 * g * d->time + (double)(d->nj - nb) * log(g);
  for (size_t m = 0; m < nb; m++) s += log(g * d->y[m] + (m < d->nfwd ? k[K_F] : k[K_S]) * d->x[m]);
  return s;
}

static double loglik_at(relay_data *d, double g, const double *k) { return with_gamma(d, fixed_part(d, k), g, k); }

/* lnL maximised over Gamma at k; the maximiser into *g. The derivative
 * -4 T + (n - n_b) / G + sum y / (G y + k x) (over the n_b forward and
 * side entries, k their rate) decreases and is convex in G: Newton from
 * the lower end of its bracket climbs to the root. */
static double profile_gamma(relay_data *d, const double *k, double *g) {
  double fixed = fixed_part(d, k);
  size_t nb = d->nfwd + d->nside;
  double lo = (double)(d->nj - nb) / (4 * d->time), hi = (double)d->nj / (4 * d->time);
  int extra = k[K_F] > 0 || k[K_S] > 0;
  double G = extra ? (lo > 0 ? lo : 1e-9 * hi) : hi;
  for (int it = 0; extra && it < 200; it++) {
    double f = -4 * d->time + (double)(d->nj - nb) / G, fp = -(double)(d->nj - nb) / (G * G);
    for (size_t m = 0; m < nb; m++) {
      double den = G * d->y[m] + (m < d->nfwd ? k[K_F] : k[K_S]) * d->x[m];
      f += d->y[m] / den;
      fp -= d->y[m] * d->y[m] / (den * den);
    }
    double Gn = G - f / fp;
    if (!(Gn > G)) break; /* at the root to rounding (or past it) */
    if (Gn > hi) Gn = hi;
    int done = Gn - G <= 1e-14 * G;
    G = Gn;
    if (done) break;
  }
  *g = G;
  return with_gamma(d, fixed, G, k);
}

static double clampu(double u, double lo, double hi) { return u < lo ? lo : u > hi ? hi : u; }

#define GRID_HALF 20.0 /* ln k spans u_mid +- 20 (u_mid: ln of the total hop rate) */
#define GRID_SPAN 8.0  /* the starting grid: 0, and ln k in u_mid +- 8 by steps of 2 (further below a */
#define GRID_STEP 2.0  /* rate hardly matters: that is the face where it is 0) */
#define PROF_STEP 0.3  /* the profiles' simplex: first step and size at convergence, in ln k */
#define PROF_TOL 1e-4

/* The fit's state: the data, the centre and ends of the ln k range, the
 * maximum's ln k (-INFINITY: rate 0). */
typedef struct {
  relay_data *d;
  double u_mid, lo, hi;
  double u_hat[NK];
  int hold;       /* the rate a rate profile holds */
  double u_hold;  /* its ln k */
} relay_fit;

/* lnL at ln k u (-INFINITY: 0), Gamma maximised. */
static double lnl_u(relay_fit *f, const double *u) {
  double k[NK], g;
  for (int j = 0; j < NK; j++) k[j] = exp(u[j]);
  return profile_gamma(f->d, k, &g);
}

/* Maximise fn over the n coordinates of u (ln k, each clamped to
 * [lo, hi]; the others of u as given) by a simplex from u; u gets the
 * clamped maximiser. */
typedef double (*vfn)(relay_fit *f, const double *u);

typedef struct {
  relay_fit *f;
  vfn fn;
  const int *idx;
  int n;
  double *u;
} simplex_arg;

static double simplex_neg(const gsl_vector *v, void *p) {
  const simplex_arg *s = p;
  double u[NK];
  memcpy(u, s->u, sizeof u);
  for (int i = 0; i < s->n; i++) u[s->idx[i]] = clampu(gsl_vector_get(v, i), s->f->lo, s->f->hi);
  double l = s->fn(s->f, u);
  return isfinite(l) ? -l : 1e300;
}

static double maximise(relay_fit *f, vfn fn, const int *idx, int n, double *u, double step0, double tol) {
  simplex_arg A = {f, fn, idx, n, u};
  gsl_multimin_function F = {simplex_neg, (size_t)n, &A};
  gsl_vector *x = gsl_vector_alloc((size_t)n), *step = gsl_vector_alloc((size_t)n);
  gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)n);
  for (int i = 0; i < n; i++) u[idx[i]] = clampu(u[idx[i]], f->lo, f->hi);
  double best = fn(f, u);
  if (x && step && m) {
    for (int i = 0; i < n; i++) gsl_vector_set(x, (size_t)i, u[idx[i]]);
    gsl_vector_set_all(step, step0);
    if (gsl_multimin_fminimizer_set(m, &F, x, step) == GSL_SUCCESS) {
      for (int it = 0; it < 600; it++) {
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS) break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), tol) == GSL_SUCCESS) break;
      }
      double v = -gsl_multimin_fminimizer_minimum(m);
      if (v > best) {
        best = v;
        for (int i = 0; i < n; i++)
          u[idx[i]] = clampu(gsl_vector_get(gsl_multimin_fminimizer_x(m), (size_t)i), f->lo, f->hi);
      }
    }
  }
  gsl_multimin_fminimizer_free(m);
  gsl_vector_free(x);
  gsl_vector_free(step);
  return best;
}

/* The profile over one rate's ln k (f->hold): the two others maximised by
 * a simplex from the best of a fixed set of starts (each other rate at the
 * maximum's value, near 0, or about the hop rate). */
static double lnl_held(relay_fit *f, const double *u) {
  double w[NK];
  memcpy(w, u, sizeof w);
  w[f->hold] = f->u_hold;
  return lnl_u(f, w);
}

static double prof_rate(double uj, void *p) {
  relay_fit *f = p;
  int idx[2], n = 0;
  for (int j = 0; j < NK; j++)
    if (j != f->hold) idx[n++] = j;
  f->u_hold = uj;
  double starts[2][4], u[NK], best = -INFINITY, bu[NK];
  for (int i = 0; i < 2; i++) {
    double h = f->u_hat[idx[i]];
    starts[i][0] = isfinite(h) ? clampu(h, f->lo, f->hi) : f->lo;
    starts[i][1] = f->lo;
    starts[i][2] = f->u_mid - 3;
    starts[i][3] = f->u_mid;
  }
  /* the best start, and the best with both rates off the clamp (from a
   * start at the clamp the simplex cannot find a rise far above it) */
  double best_in = -INFINITY, bi[NK];
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 4; b++) {
      u[idx[0]] = starts[0][a], u[idx[1]] = starts[1][b], u[f->hold] = uj;
      double v = lnl_held(f, u);
      if (v > best) best = v, memcpy(bu, u, sizeof bu);
      if (u[idx[0]] > f->lo && u[idx[1]] > f->lo && v > best_in) best_in = v, memcpy(bi, u, sizeof bi);
    }
  double v = maximise(f, lnl_held, idx, 2, bu, PROF_STEP, PROF_TOL);
  if (bu[idx[0]] <= f->lo + 1 || bu[idx[1]] <= f->lo + 1) v = fmax(v, maximise(f, lnl_held, idx, 2, bi, PROF_STEP, PROF_TOL));
  return v;
}

/* Gamma's interval (Wald, on ln Gamma): the inverse of the observed
 * information over ln Gamma and the ln k of the rates not at 0, by central
 * differences of lnL at the maximum. Gamma is never at a boundary and its
 * profile is close to quadratic with hundreds of jumps (the coverage test
 * checks it); its profile over three rates would cost ten times the rest of
 * the fit. *se gets the SD of ln Gamma; IONKMC_EINTERNAL if the matrix is
 * not negative definite. */
/* lnL at x0 + h (si e_i + sj e_j), x0 = (ln Gamma, the ln k of rates
 * idx[1..n)), the other rates at the maximum's. */
static double lnl_shift(relay_fit *f, const double *x0, const int *idx, int n, int i, int si, int j, int sj, double h) {
  double x[1 + NK], k[NK];
  memcpy(x, x0, sizeof x);
  x[i] += si * h, x[j] += sj * h;
  for (int q = 0; q < NK; q++) k[q] = exp(f->u_hat[q]);
  for (int q = 1; q < n; q++) k[idx[q]] = exp(x[q]);
  return loglik_at(f->d, exp(x[0]), k);
}

static ionkmc_status gamma_se(relay_fit *f, double g, double *se, ionkmc_error *err) {
  int idx[1 + NK], n = 1;
  double x0[1 + NK], h = 1e-4;
  x0[0] = log(g);
  for (int j = 0; j < NK; j++)
    if (isfinite(f->u_hat[j])) idx[n] = j, x0[n++] = f->u_hat[j];
  double H[1 + NK][1 + NK], l0 = lnl_shift(f, x0, idx, n, 0, 0, 0, 0, h);
  for (int i = 0; i < n; i++)
    for (int j = i; j < n; j++)
      H[i][j] = H[j][i] = i == j ? (lnl_shift(f, x0, idx, n, i, 2, i, 0, h) - 2 * l0 +
                                    lnl_shift(f, x0, idx, n, i, -2, i, 0, h)) / (4 * h * h)
                                 : (lnl_shift(f, x0, idx, n, i, 1, j, 1, h) - lnl_shift(f, x0, idx, n, i, 1, j, -1, h) -
                                    lnl_shift(f, x0, idx, n, i, -1, j, 1, h) + lnl_shift(f, x0, idx, n, i, -1, j, -1, h)) /
                                       (4 * h * h);
  /* [(-H)^-1]_00 by Cholesky of -H over ln Gamma and the rates that
   * matter: a rate whose lnL hardly moves with its ln k (a tiny rate near
   * 0, or one at the upper clamp) is held, as it neither informs Gamma nor
   * keeps -H from rounding to indefinite; if -H is still not positive
   * definite, Gamma alone (every rate held) */
  int keep[1 + NK], m = 0;
  for (int i = 0; i < n; i++)
    if (i == 0 || -H[i][i] > 1e-3) keep[m++] = i;
  gsl_matrix *A = gsl_matrix_alloc((size_t)m, (size_t)m);
  gsl_vector *e0 = gsl_vector_calloc((size_t)m), *x = gsl_vector_alloc((size_t)m);
  if (!A || !e0 || !x) {
    gsl_matrix_free(A), gsl_vector_free(e0), gsl_vector_free(x);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: out of memory");
  }
  for (int i = 0; i < m; i++)
    for (int j = 0; j < m; j++) gsl_matrix_set(A, (size_t)i, (size_t)j, -H[keep[i]][keep[j]]);
  gsl_vector_set(e0, 0, 1.0);
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int st = gsl_linalg_cholesky_decomp1(A);
  if (st == GSL_SUCCESS) st = gsl_linalg_cholesky_solve(A, e0, x);
  gsl_set_error_handler(old);
  double v = st == GSL_SUCCESS ? gsl_vector_get(x, 0) : -1 / H[0][0];
  gsl_matrix_free(A), gsl_vector_free(e0), gsl_vector_free(x);
  if (!(v > 0) || !isfinite(v))
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "pattern fit: the relay fit's lnL is not concave in Gamma");
  *se = sqrt(v);
  return IONKMC_OK;
}

/* Both interval ends of rate j from its maximum (-INFINITY: at 0, the
 * lower end 0 and the search from the lower clamp). */
static ionkmc_status rate_interval(relay_fit *f, int j, double lmax, double *lo, double *hi, ionkmc_error *err) {
  double u_hat = f->u_hat[j], from = isfinite(u_hat) ? u_hat : f->lo;
  f->hold = j;
  *lo = 0, *hi = INFINITY;
  ionkmc_status st = IONKMC_OK;
  if (u_hat > -INFINITY)
    st = ionkmc_patternfit_profile_bound(prof_rate, f, from, lmax, -1, 2 * GRID_HALF, lo, err);
  if (st == IONKMC_OK) st = ionkmc_patternfit_profile_bound(prof_rate, f, from, lmax, +1, 2 * GRID_HALF, hi, err);
  return st;
}

static ionkmc_status fit_relay(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                               ionkmc_pattern_fit *out, ionkmc_error *err) {
  relay_data d;
  memset(out, 0, sizeof *out);
  out->pattern = IONKMC_PATTERN_RELAY;
  ionkmc_status st = collect(ctx, tracks, ntracks, &d, err);
  if (st != IONKMC_OK) {
    relay_data_free(&d);
    return st;
  }
  relay_fit f;
  memset(&f, 0, sizeof f);
  f.d = &d;
  f.u_mid = log((double)d.nj / d.time);
  f.lo = f.u_mid - GRID_HALF, f.hi = f.u_mid + GRID_HALF;
  /* a coarse grid over the three ln k, the boundaries 0 included: the
   * best point of each face (the set of rates at 0) */
  int ng = (int)(2 * GRID_SPAN / GRID_STEP) + 1;
  double g0 = f.u_mid - GRID_SPAN;
  double face_u[1 << NK][NK], face_l[1 << NK], u[NK], lmax = -INFINITY;
  for (int m = 0; m < 1 << NK; m++) face_l[m] = -INFINITY;
  for (int a = -1; a < ng; a++)
    for (int b = -1; b < ng; b++)
      for (int c = -1; c < ng; c++) {
        double w[NK] = {a < 0 ? -INFINITY : g0 + a * GRID_STEP, b < 0 ? -INFINITY : g0 + b * GRID_STEP,
                        c < 0 ? -INFINITY : g0 + c * GRID_STEP};
        int m = (a < 0) | (b < 0) << 1 | (c < 0) << 2;
        double v = lnl_u(&f, w);
        if (v > face_l[m]) face_l[m] = v, memcpy(face_u[m], w, sizeof w);
      }
  /* the simplex over each face's free rates from its best point (a rate
   * held at the clamp would see a flat lnL and stay there), then each rate
   * tried at exactly 0 (the clamp's lower end is not quite 0) */
  for (int m = 0; m < 1 << NK; m++) {
    int idx[NK], n = 0;
    for (int j = 0; j < NK; j++)
      if (!(m >> j & 1)) idx[n++] = j;
    double v = n > 0 ? maximise(&f, lnl_u, idx, n, face_u[m], 1.0, 1e-7) : face_l[m];
    if (v > lmax) lmax = v, memcpy(u, face_u[m], sizeof u);
  }
  for (int j = 0; j < NK; j++) {
    double w[NK];
    memcpy(w, u, sizeof w);
    w[j] = -INFINITY;
    double l0 = lnl_u(&f, w);
    if (l0 >= lmax - 1e-6) lmax = fmax(lmax, l0), u[j] = -INFINITY; /* the rate does not matter */
  }
  double g;
  lmax = profile_gamma(&d, (double[NK]){exp(u[0]), exp(u[1]), exp(u[2])}, &g);
  memcpy(f.u_hat, u, sizeof u);
  /* the intervals */
  double ug = log(g);
  double sg = NAN;
  st = gamma_se(&f, g, &sg, err);
  if (st == IONKMC_OK) out->rate_lo = exp(ug - 1.959963984540054 * sg), out->rate_hi = exp(ug + 1.959963984540054 * sg);
  for (int j = 0; j < NK && st == IONKMC_OK; j++) st = rate_interval(&f, j, lmax, &out->prate_lo[j], &out->prate_hi[j], err);
  relay_data_free(&d);
  if (st != IONKMC_OK) return st;
  out->npar = 4;
  out->njumps = d.nj;
  out->rate = g;
  for (int j = 0; j < NK; j++) out->prate[j] = exp(u[j]);
  out->loglik = lmax;
  out->aic = 2.0 * out->npar - 2.0 * out->loglik;
  return IONKMC_OK;
}

static ionkmc_status loglik_relay(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                                  double rate, const double *prate, double *ll, ionkmc_error *err) {
  relay_data d;
  ionkmc_status st = collect(ctx, tracks, ntracks, &d, err);
  int ok = rate > 0;
  for (int j = 0; j < NK; j++) ok &= prate[j] >= 0 && isfinite(prate[j]);
  if (st == IONKMC_OK && !ok)
    st = ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: the relay rates must be > 0, finite and >= 0");
  if (st == IONKMC_OK) *ll = loglik_at(&d, rate, prate);
  relay_data_free(&d);
  return st;
}

const ionkmc_patternfit_type ionkmc_patternfit_relay = {IONKMC_PATTERN_RELAY, fit_relay, loglik_relay};
