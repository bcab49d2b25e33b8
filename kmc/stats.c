/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static ionkmc_estimate finish(double mean, double sem, int n) {
  ionkmc_estimate e = {mean, sem, NAN, NAN, n};
  if (n >= 2 && isfinite(sem)) {
    double tq = gsl_cdf_tdist_Pinv(0.975, n - 1);
    e.lo = mean - tq * sem;
    e.hi = mean + tq * sem;
  } else {
    e.sem = NAN;
  }
  return e;
}

ionkmc_estimate ionkmc_estimate_mean(const double *x, int n, int stride) {
  double sum = 0;
  int m = 0;
  for (int i = 0; i < n; i++) {
    double v = x[(long)i * stride];
    if (isnan(v)) continue;
    sum += v;
    m++;
  }
  if (m == 0) return finish(NAN, NAN, 0);
  double mean = sum / m, ss = 0;
  for (int i = 0; i < n; i++) {
    double v = x[(long)i * stride];
    if (!isnan(v)) ss += (v - mean) * (v - mean);
  }
  double sem = m >= 2 ? sqrt(ss / (m - 1) / m) : NAN;
  return finish(mean, sem, m);
}

ionkmc_estimate ionkmc_estimate_ratio(const double *x, const double *y, int n, int stride) {
  double sx = 0, sy = 0;
  for (int i = 0; i < n; i++) {
    sx += x[(long)i * stride];
    sy += y[(long)i * stride];
  }
  if (n == 0 || sy == 0) return finish(NAN, NAN, n);
  double mx = sx / n, my = sy / n, r = mx / my;
  double vxx = 0, vyy = 0, vxy = 0;
  for (int i = 0; i < n; i++) {
    double dx = x[(long)i * stride] - mx, dy = y[(long)i * stride] - my;
    vxx += dx * dx;
    vyy += dy * dy;
    vxy += dx * dy;
  }
  if (n < 2) return finish(r, NAN, n);
  vxx /= n - 1;
  vyy /= n - 1;
  vxy /= n - 1;
  double var = (vxx - 2 * r * vxy + r * r * vyy) / (my * my) / n;
  return finish(r, sqrt(var > 0 ? var : 0), n);
}

ionkmc_estimate ionkmc_estimate_scale(ionkmc_estimate e, double c) {
  e.mean *= c;
  e.sem *= c;
  e.lo *= c;
  e.hi *= c;
  return e;
}

ionkmc_estimate ionkmc_estimate_log_interval(ionkmc_estimate e) {
  e.lo = e.hi = NAN;
  if (e.n >= 2 && e.mean > 0 && isfinite(e.sem)) {
    double w = gsl_cdf_tdist_Pinv(0.975, e.n - 1) * e.sem / e.mean;
    e.lo = e.mean * exp(-w);
    e.hi = e.mean * exp(w);
  }
  return e;
}
