/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: hop rates, exact Poisson intervals and Arrhenius fits.
 *
 * Conventions
 *   Units: rates in 1/s, exposures in s (defect-seconds, times the number of
 *   paths when a per-path rate is wanted), T in K, energies in eV.
 *   Poisson intervals are Garwood's exact ones from chi-square quantiles:
 *     lo = chi2(alpha/2; 2n)/2, hi = chi2(1-alpha/2; 2n+2)/2, alpha = 1-conf;
 *   for n = 0 the lower end is 0 and the upper end is the one-sided upper
 *   limit chi2(conf; 2)/2 = -ln(1-conf).
 *   Arrhenius: k(T) = nu exp(-Ea / kB T), fitted to counts n_i over exposures
 *   E_i by Poisson maximum likelihood (Newton on the concave log-likelihood)
 *   with x = 1/(kB T) centred on the exposure-weighted data mean x0:
 *     ln k = c - Ea (x - x0),  ln nu = c + Ea x0.
 *   Covariances are the inverse Fisher information. The fixed-barrier fit
 *   keeps Ea = Eb (an NEB barrier) and fits only nu.
 *   Arrhenius with the lattice constant (runs that differ in a, e.g. NpT runs
 *   or strained cells): the barrier is linear in a, as in the catalog,
 *     k = nu exp(-(Eb + g (a - a0)) / kB T),  g = dEb/da,
 *   fitted per run by Poisson ML with x = 1/(kB T) and a centred on their
 *   exposure-weighted means x0, a0:
 *     ln k = c - Eb (x - x0) - g (a - a0) x,  ln nu = c + Eb x0.
 *   When every run's a follows T along a line a = a1 + alpha T, the term
 *   (a - a0) x is a combination of 1 and x and g cannot be told from Eb; the
 *   fit then refuses (IONKMC_EINVAL) rather than return a meaningless g.
 *   Overdispersion across runs at one T: Pearson X^2 = sum (n_r - m_r)^2 / m_r
 *   with m_r = E_r sum n / sum E, R-1 degrees of freedom, p = Q(X^2).
 * No ownership: plain values.
 */
#ifndef IONKMC_RATES_H
#define IONKMC_RATES_H

#include <stdint.h>

#include "base/status.h"

/* Garwood interval for the mean of a Poisson count n at confidence conf
 * (0 < conf < 1). IONKMC_EINVAL on bad arguments, IONKMC_EINTERNAL if GSL
 * returns a non-finite quantile. */
ionkmc_status ionkmc_poisson_interval(int64_t n, double conf, double *lo, double *hi,
                                      ionkmc_error *err);

typedef struct {
  int npoints;        /* temperatures used */
  int fixed;          /* 1 if Ea was held fixed */
  double x0;          /* centring 1/(kB T), 1/eV */
  double c;           /* ln k at x0 (ln 1/s) */
  double Ea;          /* eV */
  double ln_nu;       /* ln(1/s) */
  double nu;          /* 1/s */
  double var_c, var_Ea, cov_c_Ea;      /* covariance of (c, Ea) */
  double var_ln_nu, cov_Ea_ln_nu;      /* covariance of (Ea, ln nu) */
  double Ea_se, ln_nu_se;              /* standard errors */
  double deviance;    /* Poisson deviance, ~ chi2(npoints - 2) */
  double p_value;     /* Q(deviance, dof), NAN if dof < 1 */
  int iterations;
} ionkmc_arrhenius;

/* Poisson ML Arrhenius fit over n temperatures T[i] (K), counts[i], exposures
 * exposure[i] (s). Needs two distinct temperatures and a nonzero total count
 * (IONKMC_EINVAL otherwise); IONKMC_EINTERNAL if Newton does not converge. */
ionkmc_status ionkmc_arrhenius_fit(const double *T, const double *counts, const double *exposure,
                                   int n, ionkmc_arrhenius *out, ionkmc_error *err);
/* Same with Ea fixed to Eb (eV): nu = sum n / sum E exp(-Eb/kT), var ln nu = 1/sum n. */
ionkmc_status ionkmc_arrhenius_fit_fixed(const double *T, const double *counts,
                                         const double *exposure, int n, double Eb,
                                         ionkmc_arrhenius *out, ionkmc_error *err);
/* Upper limit on nu (1/s) with the barrier fixed to Eb (eV) when no event was
 * seen in any of the n points: the expected count nu sum_i E_i exp(-Eb/kT_i)
 * is below the Garwood upper limit for a count of 0 at conf (-ln(1-conf)).
 * IONKMC_EINVAL on bad points or a sum that is not > 0. */
ionkmc_status ionkmc_nu_upper_limit(const double *T, const double *exposure, int n, double Eb,
                                    double conf, double *nu_hi, ionkmc_error *err);
/* Predicted rate (1/s) at T (K) with a 95% interval from the covariance. */
void ionkmc_arrhenius_predict(const ionkmc_arrhenius *f, double T, double *rate, double *lo,
                              double *hi);

typedef struct {
  int npoints;        /* runs used */
  double x0, a0;      /* centring 1/(kB T) (1/eV) and lattice constant (angstrom) */
  double c;           /* ln k at x0, a0 */
  double Eb, dEb_da;  /* eV at a0; eV/angstrom */
  double ln_nu, nu;
  double cov[3][3];   /* covariance of (c, Eb, dEb_da) */
  double Eb_se, dEb_da_se, ln_nu_se;
  double cov_Eb_dEb_da;
  double deviance;    /* ~ chi2(npoints - 3) */
  double p_value;     /* NAN if npoints <= 3 */
  double min_eig;     /* smallest eigenvalue of the information matrix in
                         correlation form; near 0 means g and Eb are confounded */
  int iterations;
} ionkmc_arrhenius_a;

/* Poisson ML fit of ln k linear in 1/T and in a over n runs (T[i] K, a[i]
 * angstrom, counts[i], exposures[i] s). Needs n >= 3, a nonzero total count
 * and runs whose (1/T, a) do not lie on one Arrhenius-degenerate line
 * (IONKMC_EINVAL, the message says which); IONKMC_EINTERNAL if Newton fails. */
ionkmc_status ionkmc_arrhenius_fit_a(const double *T, const double *a, const double *counts,
                                     const double *exposure, int n, ionkmc_arrhenius_a *out,
                                     ionkmc_error *err);
/* Inverse of a symmetric positive-definite p x p matrix (1 <= p <= 4, row
 * stride ld doubles) through its Cholesky factor, with no GSL call (so no
 * GSL error handler is involved); 1 if not positive definite. */
int ionkmc_spd_inverse(int p, int ld, const double *H, double *inv);
/* 1 if the runs' a (angstrom) departs from the exposure-weighted straight
 * line in T by more than 1e-6 a (rms), i.e. strain can be told from T. */
int ionkmc_a_varies_beyond_T(const double *T, const double *a, const double *E, int n);
/* Predicted rate (1/s) at (T K, a angstrom) with a 95% interval. */
void ionkmc_arrhenius_a_predict(const ionkmc_arrhenius_a *f, double T, double a, double *rate,
                                double *lo, double *hi);

/* Pearson overdispersion test over n runs at one T: chi2, dof = n-1 and the
 * upper-tail p-value. IONKMC_EINVAL if n < 2 or the total count is zero. */
ionkmc_status ionkmc_overdispersion(const double *counts, const double *exposure, int n,
                                    double *chi2, int *dof, double *p, ionkmc_error *err);

#endif
