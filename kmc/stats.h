/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc statistics over independent runs.
 *
 * Conventions
 *   An estimate is the mean over n independent runs, its standard error
 *   sem = s / sqrt(n) and the two-sided Student-t 95% interval
 *   mean +- t(0.975, n-1) sem. With n < 2 the sem and interval are NaN.
 *   No ownership: plain values.
 */
#ifndef IONKMC_STATS_H
#define IONKMC_STATS_H

typedef struct {
  double mean;
  double sem;
  double lo, hi; /* 95% Student-t interval */
  int n;
} ionkmc_estimate;

/* Estimate of the mean of x[0..n-1] (stride in doubles between values).
 * NaN values are skipped and reduce n. */
ionkmc_estimate ionkmc_estimate_mean(const double *x, int n, int stride);
/* Ratio of means mean(x)/mean(y) with a delta-method standard error. */
ionkmc_estimate ionkmc_estimate_ratio(const double *x, const double *y, int n, int stride);
/* Scale an estimate (mean, sem and interval) by c > 0. */
ionkmc_estimate ionkmc_estimate_scale(ionkmc_estimate e, double c);

/* The same estimate with the log-scale 95% interval of a positive mean,
 * mean exp(+-t(0.975, n-1) sem/mean) (delta method; never negative). The
 * interval is NaN unless mean > 0 and n >= 2. */
ionkmc_estimate ionkmc_estimate_log_interval(ionkmc_estimate e);

#endif
