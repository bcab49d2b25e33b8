/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Poisson intervals, Arrhenius fits, overdispersion. See rates.h. */
#include "calibration/rates.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <math.h>
#include <string.h>

#include "barriers/catalog.h"

ionkmc_status ionkmc_poisson_interval(int64_t n, double conf, double *lo, double *hi,
                                      ionkmc_error *err) {
  if (n < 0 || !(conf > 0 && conf < 1))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "poisson interval: expected a count >= 0 and 0 < conf < 1");
  double alpha = 1 - conf;
  if (n == 0) {
    *lo = 0;
    *hi = 0.5 * gsl_cdf_chisq_Pinv(conf, 2.0);
  } else {
    *lo = 0.5 * gsl_cdf_chisq_Pinv(alpha / 2, 2.0 * (double)n);
    *hi = 0.5 * gsl_cdf_chisq_Pinv(1 - alpha / 2, 2.0 * (double)n + 2);
  }
  if (!isfinite(*lo) || !isfinite(*hi))
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "poisson interval: chi-square quantile failed for n = %lld",
                            (long long)n);
  return IONKMC_OK;
}

static ionkmc_status check_points(const double *T, const double *cnt, const double *E, int n,
                                  double *ntot, ionkmc_error *err) {
  *ntot = 0;
  for (int i = 0; i < n; i++) {
    if (!(T[i] > 0) || !isfinite(T[i]))
      return ionkmc_error_set(err, IONKMC_EINVAL, "arrhenius: point %d: T must be > 0 K", i);
    if (!(cnt[i] >= 0) || !(E[i] > 0) || !isfinite(E[i]))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "arrhenius: point %d: expected a count >= 0 and an exposure > 0 s", i);
    *ntot += cnt[i];
  }
  if (!(*ntot > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "arrhenius: no hops at any temperature; only upper limits can be given");
  return IONKMC_OK;
}

static void finish_fit(ionkmc_arrhenius *f, const double *T, const double *cnt, const double *E,
                       int n, int nfree) {
  double dev = 0;
  for (int i = 0; i < n; i++) {
    double x = 1 / (IONKMC_KB_EV * T[i]) - f->x0;
    double mu = E[i] * exp(f->c - f->Ea * x);
    dev += 2 * ((cnt[i] > 0 ? cnt[i] * log(cnt[i] / mu) : 0) - (cnt[i] - mu));
  }
  f->deviance = dev;
  int dof = n - nfree;
  f->p_value = dof >= 1 ? gsl_cdf_chisq_Q(dev > 0 ? dev : 0, dof) : NAN;
  f->ln_nu = f->c + f->Ea * f->x0;
  f->nu = exp(f->ln_nu);
  f->var_ln_nu = f->var_c + f->x0 * f->x0 * f->var_Ea + 2 * f->x0 * f->cov_c_Ea;
  f->cov_Ea_ln_nu = f->cov_c_Ea + f->x0 * f->var_Ea;
  f->Ea_se = sqrt(f->var_Ea);
  f->ln_nu_se = sqrt(f->var_ln_nu);
}

ionkmc_status ionkmc_arrhenius_fit(const double *T, const double *cnt, const double *E, int n,
                                   ionkmc_arrhenius *out, ionkmc_error *err) {
  double ntot;
  ionkmc_status st = check_points(T, cnt, E, n, &ntot, err);
  if (st) return st;
  double tmin = INFINITY, tmax = -INFINITY, x0 = 0, wsum = 0;
  for (int i = 0; i < n; i++) {
    tmin = fmin(tmin, T[i]);
    tmax = fmax(tmax, T[i]);
    x0 += E[i] / (IONKMC_KB_EV * T[i]);
    wsum += E[i];
  }
  if (!(tmax > tmin * (1 + 1e-9)))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "arrhenius: need at least two distinct temperatures (or a fixed barrier)");
  x0 /= wsum;
  double Etot = 0;
  for (int i = 0; i < n; i++) Etot += E[i];
  double c = log(ntot / Etot), Ea = 0;
  int it;
  double h00 = 0, h01 = 0, h11 = 0;
  for (it = 1; it <= 200; it++) {
    double g0 = 0, g1 = 0;
    h00 = h01 = h11 = 0;
    for (int i = 0; i < n; i++) {
      double x = 1 / (IONKMC_KB_EV * T[i]) - x0;
      double mu = E[i] * exp(c - Ea * x);
      double r = cnt[i] - mu;
      g0 += r;
      g1 += -x * r;
      h00 += mu;
      h01 += -x * mu;
      h11 += x * x * mu;
    }
    double det = h00 * h11 - h01 * h01;
    if (!(det > 0) || !isfinite(det))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "arrhenius: singular information matrix (are all hops at one temperature?)");
    /* Newton step: information * delta = gradient. */
    double d0 = (h11 * g0 - h01 * g1) / det;
    double d1 = (-h01 * g0 + h00 * g1) / det;
    /* Damp huge steps in c (log scale). */
    double sc = fabs(d0) > 2 ? 2 / fabs(d0) : 1;
    c += sc * d0;
    Ea += sc * d1;
    if (fabs(d0) < 1e-12 && fabs(d1) < 1e-12) break;
  }
  if (it > 200 || !isfinite(c) || !isfinite(Ea))
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "arrhenius: Newton iteration did not converge");
  double det = h00 * h11 - h01 * h01;
  out->npoints = n;
  out->fixed = 0;
  out->x0 = x0;
  out->c = c;
  out->Ea = Ea;
  out->var_c = h11 / det;
  out->var_Ea = h00 / det;
  out->cov_c_Ea = -h01 / det;
  out->iterations = it;
  finish_fit(out, T, cnt, E, n, 2);
  return IONKMC_OK;
}

ionkmc_status ionkmc_arrhenius_fit_fixed(const double *T, const double *cnt, const double *E, int n,
                                         double Eb, ionkmc_arrhenius *out, ionkmc_error *err) {
  double ntot;
  ionkmc_status st = check_points(T, cnt, E, n, &ntot, err);
  if (st) return st;
  if (!(Eb >= 0) || !isfinite(Eb))
    return ionkmc_error_set(err, IONKMC_EINVAL, "arrhenius: fixed barrier must be >= 0 eV, got %g", Eb);
  double x0 = 0, wsum = 0, den = 0;
  for (int i = 0; i < n; i++) {
    x0 += E[i] / (IONKMC_KB_EV * T[i]);
    wsum += E[i];
  }
  x0 /= wsum;
  for (int i = 0; i < n; i++) den += E[i] * exp(-Eb * (1 / (IONKMC_KB_EV * T[i]) - x0));
  out->npoints = n;
  out->fixed = 1;
  out->x0 = x0;
  out->c = log(ntot / den);
  out->Ea = Eb;
  out->var_c = 1 / ntot;
  out->var_Ea = 0;
  out->cov_c_Ea = 0;
  out->iterations = 1;
  finish_fit(out, T, cnt, E, n, 1);
  return IONKMC_OK;
}

ionkmc_status ionkmc_nu_upper_limit(const double *T, const double *E, int n, double Eb, double conf,
                                    double *nu_hi, ionkmc_error *err) {
  double lo = 0, hi = 0, S = 0;
  ionkmc_status st = ionkmc_poisson_interval(0, conf, &lo, &hi, err);
  if (st) return st;
  for (int i = 0; i < n; i++) {
    if (!(T[i] > 0) || !(E[i] >= 0) || !isfinite(E[i]))
      return ionkmc_error_set(err, IONKMC_EINVAL, "nu limit: point %d: expected T > 0 K and an exposure >= 0 s", i);
    S += E[i] * exp(-Eb / (IONKMC_KB_EV * T[i]));
  }
  if (!(S > 0) || !isfinite(S))
    return ionkmc_error_set(err, IONKMC_EINVAL, "nu limit: no exposure at the barrier %.4g eV; no bound on nu", Eb);
  *nu_hi = hi / S;
  return IONKMC_OK;
}

void ionkmc_arrhenius_predict(const ionkmc_arrhenius *f, double T, double *rate, double *lo,
                              double *hi) {
  double x = 1 / (IONKMC_KB_EV * T) - f->x0;
  double lr = f->c - f->Ea * x;
  double v = f->var_c + x * x * f->var_Ea - 2 * x * f->cov_c_Ea;
  double s = sqrt(v > 0 ? v : 0);
  *rate = exp(lr);
  if (lo) *lo = exp(lr - 1.959963984540054 * s);
  if (hi) *hi = exp(lr + 1.959963984540054 * s);
}

/* Design row of the (T, a) model at one run: d ln k / d(c, Eb, g). */
static void design_a(double x, double a, double x0, double a0, double z[3]) {
  z[0] = 1;
  z[1] = -(x - x0);
  z[2] = -(a - a0) * x;
}

/* Smallest eigenvalue of the information matrix scaled to unit diagonal. */
static double min_eig_corr(const double H[3][3]) {
  double m[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) m[3 * i + j] = H[i][j] / sqrt(H[i][i] * H[j][j]);
  gsl_matrix_view mv = gsl_matrix_view_array(m, 3, 3);
  double ev[3];
  gsl_vector_view vv = gsl_vector_view_array(ev, 3);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(3);
  if (!w) return NAN;
  int rc = gsl_eigen_symm(&mv.matrix, &vv.vector, w);
  gsl_eigen_symm_free(w);
  if (rc) return NAN;
  return fmin(ev[0], fmin(ev[1], ev[2]));
}

int ionkmc_spd_inverse(int p, int ld, const double *H, double *inv) {
  double L[16] = {0}, W[16] = {0};
  if (p < 1 || p > 4) return 1;
  for (int i = 0; i < p; i++)
    for (int j = 0; j <= i; j++) {
      double v = H[i * ld + j];
      for (int k = 0; k < j; k++) v -= L[4 * i + k] * L[4 * j + k];
      if (i == j) {
        if (!(v > 0) || !isfinite(v)) return 1;
        L[4 * i + i] = sqrt(v);
      } else {
        L[4 * i + j] = v / L[4 * j + j];
      }
    }
  /* W = L^-1 (lower triangular), inv = W^T W */
  for (int j = 0; j < p; j++) {
    W[4 * j + j] = 1 / L[4 * j + j];
    for (int i = j + 1; i < p; i++) {
      double v = 0;
      for (int k = j; k < i; k++) v -= L[4 * i + k] * W[4 * k + j];
      W[4 * i + j] = v / L[4 * i + i];
    }
  }
  for (int i = 0; i < p; i++)
    for (int j = 0; j < p; j++) {
      double v = 0;
      for (int k = 0; k < p; k++) v += W[4 * k + i] * W[4 * k + j];
      inv[i * ld + j] = v;
    }
  return 0;
}

static int spd_inverse3(const double H[3][3], double inv[3][3]) {
  return ionkmc_spd_inverse(3, 3, &H[0][0], &inv[0][0]);
}

int ionkmc_a_varies_beyond_T(const double *T, const double *a, const double *E, int n) {
  double wsum = 0, a0 = 0, mT = 0, sTT = 0, sTa = 0, res = 0;
  for (int i = 0; i < n; i++) {
    wsum += E[i];
    a0 += E[i] * a[i];
    mT += E[i] * T[i];
  }
  a0 /= wsum;
  mT /= wsum;
  for (int i = 0; i < n; i++) {
    sTT += E[i] / wsum * (T[i] - mT) * (T[i] - mT);
    sTa += E[i] / wsum * (T[i] - mT) * (a[i] - a0);
  }
  for (int i = 0; i < n; i++) {
    double d = a[i] - a0 - (sTT > 0 ? sTa / sTT * (T[i] - mT) : 0);
    res += E[i] / wsum * d * d;
  }
  return sqrt(res) > 1e-6 * a0;
}

/* Below this the (1/T, a) design cannot separate dEb/da from Eb: the runs'
 * a is (to this precision) a linear function of T. */
#define ARRH_A_MIN_EIG 1e-9

ionkmc_status ionkmc_arrhenius_fit_a(const double *T, const double *a, const double *cnt,
                                     const double *E, int n, ionkmc_arrhenius_a *out,
                                     ionkmc_error *err) {
  double ntot;
  ionkmc_status st = check_points(T, cnt, E, n, &ntot, err);
  if (st) return st;
  if (n < 3)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "arrhenius(T, a): need at least 3 runs, got %d", n);
  double x0 = 0, a0 = 0, wsum = 0;
  for (int i = 0; i < n; i++) {
    if (!(a[i] > 0) || !isfinite(a[i]))
      return ionkmc_error_set(err, IONKMC_EINVAL, "arrhenius(T, a): run %d: a must be > 0 angstrom", i);
    x0 += E[i] / (IONKMC_KB_EV * T[i]);
    a0 += E[i] * a[i];
    wsum += E[i];
  }
  x0 /= wsum;
  a0 /= wsum;
  /* Identifiability is a property of the design, weighted by exposure; test
   * it before fitting so a confounded design never reaches Newton. */
  double H[3][3] = {{0}};
  for (int i = 0; i < n; i++) {
    double z[3];
    design_a(1 / (IONKMC_KB_EV * T[i]), a[i], x0, a0, z);
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 3; k++) H[j][k] += E[i] / wsum * z[j] * z[k];
  }
  /* The scaled eigenvalue alone would accept a spread of a at rounding
   * level, so the part of a not explained by a line in T must also exceed
   * 1e-6 a0 (far below any lattice-constant difference MD can resolve). */
  double me = (H[1][1] > 0 && H[2][2] > 0) ? min_eig_corr(H) : 0;
  if (!(me > ARRH_A_MIN_EIG) || !ionkmc_a_varies_beyond_T(T, a, E, n))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "arrhenius(T, a): the runs' lattice constants follow T (or do not vary), "
                            "so dEb/da cannot be separated from Eb; runs at one T with different a "
                            "are needed");
  double th[3] = {log(ntot / wsum), 0, 0};
  int it;
  for (it = 1; it <= 200; it++) {
    double g[3] = {0};
    memset(H, 0, sizeof H);
    for (int i = 0; i < n; i++) {
      double z[3];
      design_a(1 / (IONKMC_KB_EV * T[i]), a[i], x0, a0, z);
      double mu = E[i] * exp(th[0] + th[1] * z[1] + th[2] * z[2]);
      for (int j = 0; j < 3; j++) {
        g[j] += (cnt[i] - mu) * z[j];
        for (int k = 0; k < 3; k++) H[j][k] += mu * z[j] * z[k];
      }
    }
    double inv[3][3];
    if (spd_inverse3(H, inv))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "arrhenius(T, a): singular information matrix (too few runs with hops?)");
    double d[3] = {0};
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 3; k++) d[j] += inv[j][k] * g[k];
    double sc = fabs(d[0]) > 2 ? 2 / fabs(d[0]) : 1;
    for (int j = 0; j < 3; j++) th[j] += sc * d[j];
    if (fabs(d[0]) < 1e-12 && fabs(d[1]) < 1e-12 && fabs(d[2]) < 1e-12) break;
  }
  if (it > 200 || !isfinite(th[0]) || !isfinite(th[1]) || !isfinite(th[2]))
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "arrhenius(T, a): Newton iteration did not converge");
  if (spd_inverse3(H, out->cov))
    return ionkmc_error_set(err, IONKMC_EINVAL, "arrhenius(T, a): singular information matrix");
  out->npoints = n;
  out->x0 = x0;
  out->a0 = a0;
  out->c = th[0];
  out->Eb = th[1];
  out->dEb_da = th[2];
  out->iterations = it;
  out->min_eig = min_eig_corr(H);
  double dev = 0;
  for (int i = 0; i < n; i++) {
    double z[3];
    design_a(1 / (IONKMC_KB_EV * T[i]), a[i], x0, a0, z);
    double mu = E[i] * exp(th[0] + th[1] * z[1] + th[2] * z[2]);
    dev += 2 * ((cnt[i] > 0 ? cnt[i] * log(cnt[i] / mu) : 0) - (cnt[i] - mu));
  }
  out->deviance = dev;
  out->p_value = n > 3 ? gsl_cdf_chisq_Q(dev > 0 ? dev : 0, n - 3) : NAN;
  /* ln nu = c + Eb x0 */
  out->ln_nu = th[0] + th[1] * x0;
  out->nu = exp(out->ln_nu);
  double (*C)[3] = out->cov;
  out->Eb_se = sqrt(C[1][1]);
  out->dEb_da_se = sqrt(C[2][2]);
  out->ln_nu_se = sqrt(C[0][0] + x0 * x0 * C[1][1] + 2 * x0 * C[0][1]);
  out->cov_Eb_dEb_da = C[1][2];
  return IONKMC_OK;
}

void ionkmc_arrhenius_a_predict(const ionkmc_arrhenius_a *f, double T, double a, double *rate,
                                double *lo, double *hi) {
  double z[3];
  design_a(1 / (IONKMC_KB_EV * T), a, f->x0, f->a0, z);
  double lr = f->c + f->Eb * z[1] + f->dEb_da * z[2], v = 0;
  for (int j = 0; j < 3; j++)
    for (int k = 0; k < 3; k++) v += z[j] * f->cov[j][k] * z[k];
  double s = sqrt(v > 0 ? v : 0);
  *rate = exp(lr);
  if (lo) *lo = exp(lr - 1.959963984540054 * s);
  if (hi) *hi = exp(lr + 1.959963984540054 * s);
}

ionkmc_status ionkmc_overdispersion(const double *cnt, const double *E, int n, double *chi2, int *dof,
                                    double *p, ionkmc_error *err) {
  if (n < 2) return ionkmc_error_set(err, IONKMC_EINVAL, "overdispersion: need at least 2 runs");
  double nt = 0, et = 0;
  for (int i = 0; i < n; i++) {
    if (!(E[i] > 0) || !(cnt[i] >= 0))
      return ionkmc_error_set(err, IONKMC_EINVAL, "overdispersion: run %d: bad count or exposure", i);
    nt += cnt[i];
    et += E[i];
  }
  if (!(nt > 0)) return ionkmc_error_set(err, IONKMC_EINVAL, "overdispersion: no hops in any run");
  double x2 = 0;
  for (int i = 0; i < n; i++) {
    double m = E[i] * nt / et;
    x2 += (cnt[i] - m) * (cnt[i] - m) / m;
  }
  *chi2 = x2;
  *dof = n - 1;
  *p = gsl_cdf_chisq_Q(x2, n - 1);
  if (!isfinite(*p))
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "overdispersion: chi-square tail failed");
  return IONKMC_OK;
}
