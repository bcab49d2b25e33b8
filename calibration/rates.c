/* Poisson intervals, Arrhenius fits, overdispersion. See rates.h. */
#include "calibration/rates.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

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
