/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The relay pattern's fitter (I_I-): per-path hop rate Gamma, re-orientation
 * rate k_r and forward rate k_f by maximum likelihood of the defect-level
 * track. See patternfit.h for the likelihood.
 *
 * After a jump by v the pair is fresh (A); it re-orients to the other plane
 * (B) at k_r, and between B and C (the first plane, not fresh) at k_r. With
 * the hop factor e^{-4 Gamma tau} taken out, the probabilities of being in
 * A, B, C without a hop by tau are
 *   a = e^{-(k_f + k_r) tau},
 *   b = (s + dd) / 2, c = (s - dd) / 2, where
 *   s  = k_r (1 - e^{-(k_f + k_r) tau}) / (k_f + k_r),
 *   dd = k_r (e^{-(k_f + k_r) tau} - e^{-2 k_r tau}) / (k_r - k_f)
 * (the limits where a denominator vanishes). The jump densities: the same
 * v again e^{-4 Gamma tau} ((Gamma + k_f) a + Gamma c), each other
 * destination in the first plane e^{-4 Gamma tau} Gamma (a + c), each in
 * the other plane e^{-4 Gamma tau} Gamma b; the censored tail e^{-4 Gamma
 * tau} (a + b + c). A track's first jump: the orientation unknown and the
 * pair not fresh, Gamma e^{-4 Gamma tau} / 2 (as the oriented fitter).
 * For fixed (k_f, k_r) Gamma solves a monotone equation bracketed by
 * [(n - n_fwd), n] / (4 T); k_r is maximised in one dimension for each
 * k_f (on a grid, refined by Brent), (k_f, k_r) start from a grid over
 * both; the intervals profile the other two (Gamma's by a simplex over
 * ln k_f, ln k_r). */
#include "calibration/patternfit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multimin.h>

/* What follows a jump: the next jump along the same v, another destination
 * in the plane the jump left, one in the other plane, or the tail. */
enum { R_FWD = 0, R_SAME = 1, R_TURN = 2, R_TAIL = 3 };

typedef struct {
  double *tau;
  unsigned char *cls;
  size_t n;           /* entries after a jump */
  double *x, *y;      /* per forward entry at the current (k_f, k_r): a and a + c */
  size_t nj, nfwd, nfirst;
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
        int c = o != prev_alpha ? R_TURN
                : (J->dh[0] == prev[0] && J->dh[1] == prev[1] && J->dh[2] == prev[2]) ? R_FWD
                                                                                        : R_SAME;
        if (c == R_TURN && J->dwell == 0)
          return ionkmc_error_set(err, IONKMC_EINVAL,
                                  "pattern fit: track %zu jump %zu re-orients the pair in zero time", i, j);
        d->tau[d->n] = J->dwell;
        d->cls[d->n++] = (unsigned char)c;
        d->nfwd += c == R_FWD;
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

/* The hidden-state weights a, b, c after a dwell tau (see the top). */
static void hidden(double kf, double kr, double tau, double *a, double *b, double *c) {
  double s = kf + kr, x = kr - kf;
  *a = exp(-s * tau);
  double S = s * tau > 0 ? kr * -expm1(-s * tau) / s : kr * tau;
  double dd;
  if (x > 0) dd = kr * (*a) * -expm1(-x * tau) / x;
  else if (x < 0) dd = kr * exp(-2 * kr * tau) * expm1(x * tau) / x;
  else dd = kr * tau * (*a);
  *b = 0.5 * (S + dd);
  *c = 0.5 * (S - dd);
  if (*c < 0) *c = 0;
}

/* The parts of lnL that do not involve Gamma at (k_f, k_r), and the
 * forward entries' a and a + c into d->x, d->y. */
static double fixed_part(relay_data *d, double kf, double kr) {
  double s = -(double)d->nfirst * M_LN2;
  size_t m = 0;
  for (size_t i = 0; i < d->n; i++) {
    double a, b, c;
    hidden(kf, kr, d->tau[i], &a, &b, &c);
    switch (d->cls[i]) {
      case R_FWD: d->x[m] = a, d->y[m++] = a + c; break;
      case R_SAME: s += log(a + c); break;
      case R_TURN: s += log(b); break;
      default: s += log(a + b + c); break;
    }
  }
  return s;
}

/* lnL at Gamma with the forward entries of the last fixed_part. */
static double with_gamma(const relay_data *d, double fixed, double g, double kf) {
  double s = fixed - 4 * g * d->time + (double)(d->nj - d->nfwd) * log(g);
  for (size_t m = 0; m < d->nfwd; m++) s += log((g + kf) * d->x[m] + g * (d->y[m] - d->x[m]));
  return s;
}

static double loglik_at(relay_data *d, double g, double kf, double kr) {
  return with_gamma(d, fixed_part(d, kf, kr), g, kf);
}

/* lnL maximised over Gamma at (k_f, k_r); the maximiser into *g. The
 * derivative -4 T + (n - n_fwd) / G + sum y / (G y + k_f x) decreases and is
 * convex in G: Newton from the lower end of its bracket climbs to the root. */
static double profile_gamma(relay_data *d, double kf, double kr, double *g) {
  double fixed = fixed_part(d, kf, kr);
  double lo = (double)(d->nj - d->nfwd) / (4 * d->time), hi = (double)d->nj / (4 * d->time);
  double G = kf > 0 ? (lo > 0 ? lo : 1e-9 * hi) : hi;
  for (int it = 0; kf > 0 && it < 200; it++) {
    double f = -4 * d->time + (double)(d->nj - d->nfwd) / G, fp = -(double)(d->nj - d->nfwd) / (G * G);
    for (size_t m = 0; m < d->nfwd; m++) {
      double den = G * d->y[m] + kf * d->x[m];
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
  return with_gamma(d, fixed, G, kf);
}

static double clampu(double u, double lo, double hi) { return u < lo ? lo : u > hi ? hi : u; }

#define GRID_HALF 20.0 /* k_f and k_r span exp(+-20) times the total hop rate */
#define GRID_STEP 2.0

/* One-dimensional maximisation of fn over u in [lo, hi] and the boundary
 * u = -INFINITY (rate 0), from start (NAN: a grid over [lo, hi] finds the
 * best point; else the search walks uphill from start, doubling its step,
 * until the maximum is bracketed or an end of [lo, hi] reached), refined
 * by Brent. *u_hat = -INFINITY when the boundary is the maximum, an end
 * of [lo, hi] when the maximum lies beyond it. */
typedef double (*ufn)(double u, void *arg);

typedef struct {
  ufn fn;
  void *arg;
} negated;

static double neg_fn(double u, void *p) {
  const negated *n = p;
  double v = n->fn(u, n->arg);
  return isfinite(v) ? -v : 1e300;
}

static double max1d(ufn fn, void *arg, double lo, double hi, double start, double *u_hat) {
  double a, x, b, fx;
  if (isnan(start)) {
    int ng = (int)((hi - lo) / GRID_STEP) + 1, best = 0;
    fx = -INFINITY;
    for (int k = 0; k < ng; k++) {
      double v = fn(lo + k * GRID_STEP, arg);
      if (v > fx) fx = v, best = k;
    }
    x = lo + best * GRID_STEP, a = x - GRID_STEP, b = x + GRID_STEP;
  } else {
    double h = 0.25;
    x = clampu(start, lo, hi), fx = fn(x, arg);
    double xl = fmax(x - h, lo), xr = fmin(x + h, hi);
    double fl = xl < x ? fn(xl, arg) : -INFINITY, fr = xr > x ? fn(xr, arg) : -INFINITY;
    a = xl, b = xr;
    if (fl > fx || fr > fx) { /* walk uphill: prev < cur along dir, until the next is lower */
      int dir = fr > fl ? 1 : -1;
      double prev = x, cur = dir > 0 ? xr : xl, fcur = dir > 0 ? fr : fl;
      for (int it = 0; it < 60; it++) {
        h *= 2;
        double nxt = clampu(cur + dir * h, lo, hi), fn_ = nxt != cur ? fn(nxt, arg) : -INFINITY;
        if (!(fn_ > fcur)) {
          a = dir > 0 ? prev : (nxt != cur ? nxt : cur), b = dir > 0 ? (nxt != cur ? nxt : cur) : prev;
          break;
        }
        prev = cur, cur = nxt, fcur = fn_;
        a = b = cur;
      }
      x = cur, fx = fcur;
    }
  }
  double at0 = fn(-INFINITY, arg);
  if (x <= lo && at0 >= fx) {
    *u_hat = -INFINITY;
    return at0;
  }
  if (x <= lo || x >= hi) {
    *u_hat = x;
    return fx;
  }
  negated N = {fn, arg};
  gsl_function F = {neg_fn, &N};
  gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  double xm = x;
  if (m && gsl_min_fminimizer_set(m, &F, x, a, b) == GSL_SUCCESS) {
    for (int it = 0; it < 100; it++) {
      if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS) break;
      if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(m), gsl_min_fminimizer_x_upper(m), 1e-5, 0) ==
          GSL_SUCCESS)
        break;
    }
    xm = gsl_min_fminimizer_x_minimum(m);
  }
  if (m) gsl_min_fminimizer_free(m);
  double v = fn(xm, arg);
  if (!(v >= fx)) xm = x, v = fx;
  if (at0 > v) xm = -INFINITY, v = at0;
  *u_hat = xm;
  return v;
}

/* The fit's state: the data and the centre of the rate grids. */
typedef struct {
  relay_data *d;
  double u_mid;   /* ln of the total hop rate n / T */
  double fixed_u; /* the coordinate held fixed by the profile functions */
  double best_other; /* the other coordinate at the last profile's maximum */
} relay_fit;

static double lnl_fr(relay_fit *f, double uf, double ur) {
  double g;
  return profile_gamma(f->d, exp(uf), exp(ur), &g);
}

/* k_r maximised at k_f = exp(fixed_u), and the other way round. */
static double at_kr(double ur, void *p) {
  relay_fit *f = p;
  return lnl_fr(f, f->fixed_u, ur);
}
static double at_kf(double uf, void *p) {
  relay_fit *f = p;
  return lnl_fr(f, uf, f->fixed_u);
}
/* The profiles over ln k_f and ln k_r: each inner maximum from a grid, so
 * that the profile is a function of its argument alone (the interval's
 * root search evaluates it again); the maximiser into f->best_other. */
static double prof_inner(relay_fit *f, ufn inner, double u) {
  relay_fit g = *f;
  g.fixed_u = u;
  return max1d(inner, &g, f->u_mid - GRID_HALF, f->u_mid + GRID_HALF, NAN, &f->best_other);
}
static double prof_kf(double uf, void *p) { return prof_inner(p, at_kr, uf); }
static double prof_kr(double ur, void *p) { return prof_inner(p, at_kf, ur); }

/* Gamma's profile: lnL at Gamma = exp(ug) maximised over (ln k_f, ln k_r)
 * by a simplex from the maximum, each clamped to its grid (its lower end,
 * exp(-20) times the hop rate, stands for a rate 0 there). */
typedef struct {
  relay_fit *f;
  double g;
  double lo, hi;
} gamma_arg;

static double gamma_neg(const gsl_vector *v, void *p) {
  const gamma_arg *a = p;
  double uf = clampu(gsl_vector_get(v, 0), a->lo, a->hi), ur = clampu(gsl_vector_get(v, 1), a->lo, a->hi);
  double l = loglik_at(a->f->d, a->g, exp(uf), exp(ur));
  return isfinite(l) ? -l : 1e300;
}

typedef struct {
  relay_fit *f;
  double uf0, ur0; /* the maximum's (clamped to the grid) */
} gprof_arg;

static double prof_gamma(double ug, void *p) {
  gprof_arg *A = p;
  gamma_arg a = {A->f, exp(ug), A->f->u_mid - GRID_HALF, A->f->u_mid + GRID_HALF};
  double best = -INFINITY;
  gsl_multimin_function F = {gamma_neg, 2, &a};
  gsl_vector *x = gsl_vector_alloc(2), *step = gsl_vector_alloc(2);
  gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
  if (x && step && m) {
    gsl_vector_set(x, 0, A->uf0);
    gsl_vector_set(x, 1, A->ur0);
    gsl_vector_set_all(step, 0.5);
    if (gsl_multimin_fminimizer_set(m, &F, x, step) == GSL_SUCCESS) {
      for (int it = 0; it < 400; it++) {
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS) break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 1e-6) == GSL_SUCCESS) break;
      }
      best = fmax(best, -gsl_multimin_fminimizer_minimum(m));
    }
  }
  gsl_multimin_fminimizer_free(m);
  gsl_vector_free(x);
  gsl_vector_free(step);
  return best;
}

/* Both interval ends of one rate from its maximum u_hat (+-INFINITY at a
 * boundary: the search starts at that end of the grid). */
static ionkmc_status rate_interval(ionkmc_patternfit_profile_fn prof, void *arg, double u_hat, double u_mid,
                                   double lmax, double *lo, double *hi, ionkmc_error *err) {
  double from = isfinite(u_hat) ? u_hat : u_mid + (u_hat > 0 ? GRID_HALF : -GRID_HALF);
  *lo = 0, *hi = INFINITY;
  ionkmc_status st = IONKMC_OK;
  if (u_hat > -INFINITY) st = ionkmc_patternfit_profile_bound(prof, arg, from, lmax, -1, 2 * GRID_HALF, lo, err);
  if (st == IONKMC_OK && u_hat < INFINITY)
    st = ionkmc_patternfit_profile_bound(prof, arg, from, lmax, +1, 2 * GRID_HALF, hi, err);
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
  relay_fit f = {&d, log((double)d.nj / d.time), 0, 0};
  double lo = f.u_mid - GRID_HALF, hi = f.u_mid + GRID_HALF;
  /* a grid over (ln k_f, ln k_r), the boundaries 0 included, then the
   * profile over ln k_f refined from its best point */
  int ng = (int)(2 * GRID_HALF / GRID_STEP) + 1;
  double uf = -INFINITY, ur = -INFINITY, lmax = -INFINITY, gg;
  for (int i = -1; i < ng; i++)
    for (int k = -1; k < ng; k++) {
      double a = i < 0 ? -INFINITY : lo + i * GRID_STEP, b = k < 0 ? -INFINITY : lo + k * GRID_STEP;
      double v = profile_gamma(&d, exp(a), exp(b), &gg);
      if (v > lmax) lmax = v, uf = a, ur = b;
    }
  lmax = max1d(prof_kf, &f, lo, hi, clampu(uf, lo, hi), &uf);
  prof_kf(uf, &f); /* its inner maximum at uf */
  ur = f.best_other;
  double g;
  lmax = profile_gamma(&d, exp(uf), exp(ur), &g);
  /* the intervals */
  gprof_arg ga = {&f, clampu(uf, lo, hi), clampu(ur, lo, hi)};
  double ug = log(g);
  st = ionkmc_patternfit_profile_bound(prof_gamma, &ga, ug, lmax, -1, GRID_HALF, &out->rate_lo, err);
  if (st == IONKMC_OK)
    st = ionkmc_patternfit_profile_bound(prof_gamma, &ga, ug, lmax, +1, GRID_HALF, &out->rate_hi, err);
  if (st == IONKMC_OK)
    st = rate_interval(prof_kr, &f, ur, f.u_mid, lmax, &out->prate_lo[0], &out->prate_hi[0], err);
  if (st == IONKMC_OK)
    st = rate_interval(prof_kf, &f, uf, f.u_mid, lmax, &out->prate_lo[1], &out->prate_hi[1], err);
  relay_data_free(&d);
  if (st != IONKMC_OK) return st;
  out->npar = 3;
  out->njumps = d.nj;
  out->rate = g;
  out->prate[0] = exp(ur);
  out->prate[1] = exp(uf);
  out->loglik = lmax;
  out->aic = 2.0 * out->npar - 2.0 * out->loglik;
  return IONKMC_OK;
}

static ionkmc_status loglik_relay(const ionkmc_jump_context *ctx, const ionkmc_jump_track *tracks, size_t ntracks,
                                  double rate, const double *prate, double *ll, ionkmc_error *err) {
  relay_data d;
  ionkmc_status st = collect(ctx, tracks, ntracks, &d, err);
  if (st == IONKMC_OK && !(rate > 0 && prate[0] >= 0 && prate[1] >= 0 && isfinite(prate[0]) && isfinite(prate[1])))
    st = ionkmc_error_set(err, IONKMC_EINVAL, "pattern fit: the relay rates must be > 0, finite and >= 0");
  if (st == IONKMC_OK) *ll = loglik_at(&d, rate, prate[1], prate[0]);
  relay_data_free(&d);
  return st;
}

const ionkmc_patternfit_type ionkmc_patternfit_relay = {IONKMC_PATTERN_RELAY, fit_relay, loglik_relay};
