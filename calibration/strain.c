/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Rate laws in 1/T and a with strain on the barrier and/or the prefactor,
 * and the Eb >= 0 boundary fit. See strain.h. */
#include "calibration/strain.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <math.h>
#include <string.h>

#include "calibration/rates.h"

#define NP 4 /* internal parameters (c, Eb, g, h) */
#define CHIBAR95 2.705543454095404 /* chi2(0.90; 1): one-sided 95% at a boundary */

const char *ionkmc_a_model_name(ionkmc_a_model m) {
  static const char *const n[] = {"none", "barrier", "prefactor", "both"};
  return m >= 0 && m <= 3 ? n[m] : "?";
}

/* Design row of run i in (c, Eb, g, h). */
static void design(double x, double a, double x0, double a0, double z[NP]) {
  z[0] = 1;
  z[1] = -(x - x0);
  z[2] = -(a - a0) * x;
  z[3] = a - a0;
}

static int spd_inverse(int p, const double H[NP][NP], double inv[NP][NP]) {
  return ionkmc_spd_inverse(p, NP, &H[0][0], &inv[0][0]);
}

typedef struct {
  int n;
  const double *T, *a, *cnt, *E;
  double x0, a0;
} data;

/* Poisson log-likelihood (without the ln n! constant) and, with H, the
 * information of the free columns `col[0..p-1]` at the full parameter th. */
static double loglik(const data *d, const double th[NP], const int *col, int p, double g[NP],
                     double H[NP][NP]) {
  double l = 0;
  if (H) {
    memset(H, 0, sizeof(double) * NP * NP);
    memset(g, 0, sizeof(double) * NP);
  }
  for (int i = 0; i < d->n; i++) {
    double z[NP], eta = 0;
    design(1 / (IONKMC_KB_EV * d->T[i]), d->a ? d->a[i] : d->a0, d->x0, d->a0, z);
    for (int j = 0; j < NP; j++) eta += th[j] * z[j];
    double mu = d->E[i] * exp(eta);
    l += d->cnt[i] * log(mu) - mu;
    if (!H) continue;
    for (int j = 0; j < p; j++) {
      g[j] += (d->cnt[i] - mu) * z[col[j]];
      for (int k = 0; k < p; k++) H[j][k] += mu * z[col[j]] * z[col[k]];
    }
  }
  return l;
}

/* Newton on the free columns, the others held at their values in th.
 * 0 ok, 1 singular, 2 no convergence. */
static int newton(const data *d, double th[NP], const int *col, int p, int *iters) {
  double g[NP], H[NP][NP], inv[NP][NP];
  for (int it = 1; it <= 200; it++) {
    loglik(d, th, col, p, g, H);
    if (spd_inverse(p, (const double (*)[NP])H, inv)) return 1;
    double step[NP] = {0}, big = 0;
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) step[j] += inv[j][k] * g[k];
      if (fabs(step[j]) > big) big = fabs(step[j]);
    }
    double sc = fabs(step[0]) > 2 ? 2 / fabs(step[0]) : 1;
    for (int j = 0; j < p; j++) th[col[j]] += sc * step[j];
    if (!(big == big)) return 2;
    if (big < 1e-12) {
      if (iters) *iters = it;
      return 0;
    }
  }
  return 2;
}

/* Smallest eigenvalue of a p x p information matrix scaled to unit diagonal. */
static double min_eig(int p, const double H[NP][NP]) {
  double m[NP * NP], ev[NP];
  for (int i = 0; i < p; i++)
    for (int j = 0; j < p; j++) m[p * i + j] = H[i][j] / sqrt(H[i][i] * H[j][j]);
  gsl_matrix_view mv = gsl_matrix_view_array(m, p, p);
  gsl_vector_view vv = gsl_vector_view_array(ev, p);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(p);
  if (!w) return NAN;
  int rc = gsl_eigen_symm(&mv.matrix, &vv.vector, w);
  gsl_eigen_symm_free(w);
  if (rc) return NAN;
  double e = ev[0];
  for (int i = 1; i < p; i++) e = fmin(e, ev[i]);
  return e;
}

ionkmc_status ionkmc_strain_fit_run(const double *T, const double *a, const double *cnt,
                                    const double *E, int n, ionkmc_a_model m, int eb_nonneg,
                                    ionkmc_strain_fit *out, ionkmc_error *err) {
  memset(out, 0, sizeof *out);
  if (m < IONKMC_A_MODEL_NONE || m > IONKMC_A_MODEL_BOTH || (m != IONKMC_A_MODEL_NONE && !a))
    return ionkmc_error_set(err, IONKMC_EINVAL, "strain fit: unknown model or no lattice constants");
  int col[NP], p = 0;
  col[p++] = 0;
  col[p++] = 1;
  if (m == IONKMC_A_MODEL_BARRIER || m == IONKMC_A_MODEL_BOTH) col[p++] = 2;
  if (m == IONKMC_A_MODEL_PREFACTOR || m == IONKMC_A_MODEL_BOTH) col[p++] = 3;
  if (n < p)
    return ionkmc_error_set(err, IONKMC_EINVAL, "strain fit (%s): need at least %d runs, got %d",
                            ionkmc_a_model_name(m), p, n);
  data d = {n, T, a, cnt, E, 0, 0};
  double ntot = 0, wsum = 0;
  for (int i = 0; i < n; i++) {
    if (!(T[i] > 0) || !(cnt[i] >= 0) || !(E[i] > 0) || !isfinite(E[i]) || (a && !(a[i] > 0)))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "strain fit: run %d: expected T > 0 K, a > 0 A, a count >= 0 and an exposure > 0 s", i);
    ntot += cnt[i];
    wsum += E[i];
    d.x0 += E[i] / (IONKMC_KB_EV * T[i]);
    if (a) d.a0 += E[i] * a[i];
  }
  if (!(ntot > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "strain fit: no hops in any run; only upper limits can be given");
  d.x0 /= wsum;
  d.a0 = a ? d.a0 / wsum : 0;
  if (p > 2 && !ionkmc_a_varies_beyond_T(T, a, E, n))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "strain fit (%s): the runs' lattice constants follow T (or do not vary), so "
                            "the strain dependence cannot be separated from Eb; runs at one T with "
                            "different a are needed", ionkmc_a_model_name(m));
  double th[NP] = {log(ntot / wsum), 0, 0, 0};
  int rc = newton(&d, th, col, p, &out->iterations);
  if (rc == 1)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "strain fit (%s): singular information matrix (too few temperatures or "
                            "lattice constants with hops?)", ionkmc_a_model_name(m));
  if (rc)
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "strain fit (%s): Newton iteration did not converge",
                            ionkmc_a_model_name(m));
  out->Eb_hi95 = NAN;
  if (eb_nonneg && th[1] < 0) {
    /* the constrained maximum: Eb = 0, the others refitted */
    int col2[NP], p2 = 0;
    for (int j = 0; j < p; j++)
      if (col[j] != 1) col2[p2++] = col[j];
    th[1] = 0;
    if (newton(&d, th, col2, p2, &out->iterations))
      return ionkmc_error_set(err, IONKMC_EINTERNAL, "strain fit (%s): the Eb = 0 fit did not converge",
                              ionkmc_a_model_name(m));
    out->boundary = 1;
    double l0 = loglik(&d, th, NULL, 0, NULL, NULL);
    /* profile likelihood upper limit: 2 [l(0) - l_p(Eb)] = CHIBAR95 */
    double lo = 0, hi = 0.01, tp[NP];
    for (int k = 0; k < 60; k++) {
      memcpy(tp, th, sizeof tp);
      tp[1] = hi;
      if (newton(&d, tp, col2, p2, NULL)) break;
      if (2 * (l0 - loglik(&d, tp, NULL, 0, NULL, NULL)) > CHIBAR95) break;
      lo = hi;
      hi *= 2;
    }
    double th_lo[NP];
    memcpy(th_lo, th, sizeof th_lo);
    for (int k = 0; k < 60; k++) {
      double mid = 0.5 * (lo + hi);
      memcpy(tp, th_lo, sizeof tp);
      tp[1] = mid;
      if (newton(&d, tp, col2, p2, NULL)) break;
      if (2 * (l0 - loglik(&d, tp, NULL, 0, NULL, NULL)) > CHIBAR95) hi = mid;
      else {
        lo = mid;
        memcpy(th_lo, tp, sizeof th_lo);
      }
    }
    out->Eb_hi95 = 0.5 * (lo + hi);
  }
  double g[NP], H[NP][NP], C[NP][NP];
  loglik(&d, th, col, p, g, H);
  if (spd_inverse(p, (const double (*)[NP])H, C))
    return ionkmc_error_set(err, IONKMC_EINVAL, "strain fit (%s): singular information matrix",
                            ionkmc_a_model_name(m));
  out->min_eig = min_eig(p, (const double (*)[NP])H);
  /* full (c, Eb, g, h) covariance, then the catalog's (Eb, ln nu, g, h) */
  double C4[NP][NP] = {{0}};
  for (int i = 0; i < p; i++)
    for (int j = 0; j < p; j++) C4[col[i]][col[j]] = C[i][j];
  double J[NP][NP] = {{0, 1, 0, 0}, {1, d.x0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  for (int i = 0; i < NP; i++)
    for (int j = 0; j < NP; j++) {
      double v = 0;
      for (int k = 0; k < NP; k++)
        for (int l = 0; l < NP; l++) v += J[i][k] * C4[k][l] * J[j][l];
      out->cov[i][j] = v;
    }
  for (int i = 0; i < NP; i++) out->se[i] = sqrt(out->cov[i][i] > 0 ? out->cov[i][i] : 0);
  out->model = m;
  out->npoints = n;
  out->npar = p - out->boundary;
  out->x0 = d.x0;
  out->a0 = d.a0;
  out->c = th[0];
  out->Eb = th[1];
  out->dEb_da = th[2];
  out->dlnnu_da = th[3];
  out->ln_nu = th[0] + th[1] * d.x0;
  out->nu = exp(out->ln_nu);
  double dev = 0;
  for (int i = 0; i < n; i++) {
    double z[NP], eta = 0;
    design(1 / (IONKMC_KB_EV * T[i]), a ? a[i] : d.a0, d.x0, d.a0, z);
    for (int j = 0; j < NP; j++) eta += th[j] * z[j];
    double mu = E[i] * exp(eta);
    dev += 2 * ((cnt[i] > 0 ? cnt[i] * log(cnt[i] / mu) : 0) - (cnt[i] - mu));
  }
  out->deviance = dev;
  out->aic = dev + 2 * p;
  out->p_value = n > out->npar ? gsl_cdf_chisq_Q(dev > 0 ? dev : 0, n - out->npar) : NAN;
  return IONKMC_OK;
}

void ionkmc_strain_fit_predict_ln(const ionkmc_strain_fit *f, double T, double a, double *ln_rate,
                                  double *se) {
  double x = 1 / (IONKMC_KB_EV * T), da = f->model == IONKMC_A_MODEL_NONE ? 0 : a - f->a0;
  double gr[NP] = {-x, 1, -da * x, da};
  *ln_rate = f->ln_nu - f->Eb * x - f->dEb_da * da * x + f->dlnnu_da * da;
  double v = 0;
  for (int i = 0; i < NP; i++)
    for (int j = 0; j < NP; j++) v += gr[i] * f->cov[i][j] * gr[j];
  if (se) *se = sqrt(v > 0 ? v : 0);
}

void ionkmc_strain_fit_catalog(const ionkmc_strain_fit *f, ionkmc_catalog_fit *out) {
  memset(out, 0, sizeof *out);
  out->theta[IONKMC_PARAM_EB] = f->Eb;
  out->theta[IONKMC_PARAM_LN_NU] = f->ln_nu;
  out->theta[IONKMC_PARAM_DEB_DA] = f->dEb_da;
  out->theta[IONKMC_PARAM_DLNNU_DA] = f->dlnnu_da;
  out->with_a = f->model != IONKMC_A_MODEL_NONE;
  out->a_ref = f->a0;
  int n = 0;
  out->param[n++] = IONKMC_PARAM_EB;
  out->param[n++] = IONKMC_PARAM_LN_NU;
  if (f->model == IONKMC_A_MODEL_BARRIER || f->model == IONKMC_A_MODEL_BOTH) out->param[n++] = IONKMC_PARAM_DEB_DA;
  if (f->model == IONKMC_A_MODEL_PREFACTOR || f->model == IONKMC_A_MODEL_BOTH)
    out->param[n++] = IONKMC_PARAM_DLNNU_DA;
  out->nparams = n;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) out->cov[i][j] = f->cov[out->param[i]][out->param[j]];
  out->note = f->boundary ? "inverse Fisher information of the Poisson fit at the Eb = 0 boundary "
                            "(constrained maximum likelihood); Eb draws below 0 are set to 0"
                          : "inverse Fisher information of the Poisson maximum-likelihood fit";
}
