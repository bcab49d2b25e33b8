/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Profile-likelihood interval ends for the pattern fitters. See
 * patternfit.h. */
#include "calibration/patternfit.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

typedef struct {
  ionkmc_patternfit_profile_fn prof;
  void *arg;
  double target;
} crossing;

static double crossing_gap(double u, void *p) {
  const crossing *c = p;
  double v = c->prof(u, c->arg);
  return (isfinite(v) ? v : -1e300) - c->target;
}

ionkmc_status ionkmc_patternfit_profile_bound(ionkmc_patternfit_profile_fn prof, void *arg, double u_hat,
                                              double lnl_max, int side, double span, double *bound,
                                              ionkmc_error *err) {
  crossing c = {prof, arg, lnl_max - IONKMC_PATTERNFIT_HALF_CHI2};
  double inside = u_hat, outside = u_hat, step = 0.1;
  int found = 0;
  while (step <= 2 * span) {
    double u = u_hat + side * (step < span ? step : span);
    if (crossing_gap(u, &c) < 0) {
      outside = u;
      found = 1;
      break;
    }
    inside = u;
    if (step >= span) break;
    step *= 2;
  }
  if (!found) {
    *bound = side < 0 ? 0.0 : INFINITY;
    return IONKMC_OK;
  }
  gsl_function F = {crossing_gap, &c};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!s) return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: no memory for the interval search");
  double lo = inside < outside ? inside : outside, hi = inside < outside ? outside : inside;
  int st = gsl_root_fsolver_set(s, &F, lo, hi);
  for (int it = 0; st == GSL_SUCCESS && it < 100; it++) {
    st = gsl_root_fsolver_iterate(s);
    if (st != GSL_SUCCESS) break;
    lo = gsl_root_fsolver_x_lower(s);
    hi = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(lo, hi, 1e-5, 0) == GSL_SUCCESS) break;
  }
  double root = gsl_root_fsolver_root(s);
  gsl_root_fsolver_free(s);
  if (st != GSL_SUCCESS)
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "pattern fit: the interval search failed (%s)", gsl_strerror(st));
  *bound = exp(root);
  return IONKMC_OK;
}
