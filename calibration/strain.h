/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: rate laws in 1/T and the lattice constant, with the
 * strain acting on the barrier, on the prefactor or on both, and the Eb >= 0
 * boundary fit.
 *
 * Conventions
 *   Units: T in K, a in angstrom, counts and exposures (s, times the paths
 *   for a per-path rate), Eb in eV, nu in 1/s, dEb_da in eV/angstrom,
 *   dlnnu_da in 1/angstrom; x = 1/(kB T) in 1/eV.
 *   Model (the catalog's, a_ref = a0):
 *     ln k = c - Eb (x - x0) - g (a - a0) x + h (a - a0),   ln nu = c + Eb x0,
 *   with g = dEb_da (model "barrier": h = 0), h = dlnnu_da ("prefactor":
 *   g = 0), both ("both") or neither ("none", plain Arrhenius). x0, a0 are
 *   the exposure-weighted means of the runs. Poisson maximum likelihood by
 *   Newton; the covariance is the inverse Fisher information.
 *   Deviance D = 2 sum [n ln(n/mu) - (n - mu)]; AIC = D + 2 p (p free
 *   parameters): AIC differences equal those of -2 ln L + 2 p.
 *   Eb >= 0: when asked and the free optimum has Eb < 0, the fit is the
 *   constrained maximum on the boundary Eb = 0 (the other parameters fitted
 *   with Eb = 0); its covariance is the inverse information of the full
 *   model at that point (so parameter draws, with Eb clipped at 0, follow the
 *   50:50 mixture of the constrained estimate), and Eb_hi95 is the upper 95%
 *   limit from the profile likelihood, 2 [l(0) - l_p(Eb)] = 2.706 (the
 *   one-sided chi-bar-square quantile at the boundary).
 *   Identifiability: a model with g or h needs runs whose a is not a linear
 *   function of T (IONKMC_EINVAL otherwise, as ionkmc_arrhenius_fit_a).
 * No ownership: plain values.
 */
#ifndef IONKMC_STRAIN_H
#define IONKMC_STRAIN_H

#include "barriers/catalog.h"
#include "base/status.h"

typedef enum {
  IONKMC_A_MODEL_NONE = 0,      /* ln k = c - Eb (x - x0) */
  IONKMC_A_MODEL_BARRIER = 1,   /* + dEb_da */
  IONKMC_A_MODEL_PREFACTOR = 2, /* + dlnnu_da */
  IONKMC_A_MODEL_BOTH = 3
} ionkmc_a_model;

/* "none", "barrier", "prefactor", "both". */
const char *ionkmc_a_model_name(ionkmc_a_model m);

typedef struct {
  ionkmc_a_model model;
  int npoints, npar;   /* runs, free parameters */
  double x0, a0;       /* 1/eV, angstrom (a0 = a_ref) */
  double c, Eb, dEb_da, dlnnu_da, ln_nu, nu;
  /* covariance of the catalog parameters (Eb, ln_nu, dEb_da, dlnnu_da),
   * IONKMC_PARAM_* order; rows of parameters the model lacks are 0 */
  double cov[IONKMC_NPARAM][IONKMC_NPARAM];
  double se[IONKMC_NPARAM];
  double deviance, aic, p_value; /* p_value NAN without degrees of freedom */
  int boundary;        /* 1: Eb held at 0 by the constraint */
  double Eb_hi95;      /* boundary fit: profile-likelihood upper limit, eV (NAN otherwise) */
  double min_eig;      /* smallest eigenvalue of the information in correlation form */
  int iterations;
} ionkmc_strain_fit;

/* Fit model m to n runs (T[i] K, a[i] angstrom, counts, exposures); with
 * eb_nonneg the Eb >= 0 boundary fit when the free Eb is negative.
 * IONKMC_EINVAL: too few runs (m's parameters + 0), no hops, or a design that
 * cannot separate the strain terms (message says which); IONKMC_EINTERNAL
 * if Newton fails. a may be NULL for IONKMC_A_MODEL_NONE. */
ionkmc_status ionkmc_strain_fit_run(const double *T, const double *a, const double *cnt,
                                    const double *E, int n, ionkmc_a_model m, int eb_nonneg,
                                    ionkmc_strain_fit *out, ionkmc_error *err);

/* The fit as a catalog entry: parameters, a-model (a_ref = a0) and the
 * covariance of the model's free parameters (Eb included at a boundary). */
void ionkmc_strain_fit_catalog(const ionkmc_strain_fit *f, ionkmc_catalog_fit *out);

/* ln of the predicted per-path rate at (T, a) and its standard error. */
void ionkmc_strain_fit_predict_ln(const ionkmc_strain_fit *f, double T, double a, double *ln_rate,
                                  double *se);

#endif
