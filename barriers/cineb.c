/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: CI-NEB with the improved tangent. See barriers/cineb.h. */
#include "barriers/cineb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ionkmc_cineb_params ionkmc_cineb_params_default(void) {
  ionkmc_cineb_params p = {1.0, 1, 0.1, 0.01, 3000, ionkmc_fire_params_default()};
  return p;
}

void ionkmc_cineb_interpolate(int nimages, int ndof, double *band) {
  const double *a = band, *b = band + (size_t)(nimages - 1) * ndof;
  for (int m = 1; m < nimages - 1; m++) {
    double t = (double)m / (nimages - 1);
    for (int k = 0; k < ndof; k++) band[(size_t)m * ndof + k] = (1 - t) * a[k] + t * b[k];
  }
}

static double norm(int n, const double *v) {
  double s = 0;
  for (int k = 0; k < n; k++) s += v[k] * v[k];
  return sqrt(s);
}

/* The NEB force of interior image m into G (ndof), given all energies and
 * true forces; climbing if climb. */
static void neb_force(int m, int ndof, const double *band, const double *E, const double *F, double k_spring,
                      int climb, double *tau, double *G) {
  const double *R = band + (size_t)m * ndof, *Rp = R + ndof, *Rm = R - ndof;
  const double Vp = E[m + 1], V = E[m], Vm = E[m - 1];
  double dp = 0, dm = 0;
  for (int k = 0; k < ndof; k++) {
    double tp = Rp[k] - R[k], tm = R[k] - Rm[k];
    dp += tp * tp;
    dm += tm * tm;
  }
  dp = sqrt(dp);
  dm = sqrt(dm);
  double wp, wm;
  if (Vp > V && V > Vm) wp = 1, wm = 0;
  else if (Vp < V && V < Vm) wp = 0, wm = 1;
  else {
    double dmax = fmax(fabs(Vp - V), fabs(Vm - V)), dmin = fmin(fabs(Vp - V), fabs(Vm - V));
    if (Vp > Vm) wp = dmax, wm = dmin;
    else wp = dmin, wm = dmax;
    if (wp == 0 && wm == 0) wp = wm = 1;
  }
  for (int k = 0; k < ndof; k++) tau[k] = wp * (Rp[k] - R[k]) + wm * (R[k] - Rm[k]);
  double tn = norm(ndof, tau);
  if (tn > 0)
    for (int k = 0; k < ndof; k++) tau[k] /= tn;
  const double *f = F + (size_t)m * ndof;
  double fpar = 0;
  for (int k = 0; k < ndof; k++) fpar += f[k] * tau[k];
  if (climb) {
    for (int k = 0; k < ndof; k++) G[k] = f[k] - 2 * fpar * tau[k];
  } else {
    const double fs = k_spring * (dp - dm);
    for (int k = 0; k < ndof; k++) G[k] = f[k] - fpar * tau[k] + fs * tau[k];
  }
}

ionkmc_status ionkmc_cineb_run(int nimages, int ndof, double *band, ionkmc_pes_fn pes, void *ctx,
                               const ionkmc_cineb_params *p, double *E, double *F, ionkmc_cineb_result *res,
                               ionkmc_error *err) {
  if (nimages < 3 || ndof < 3 || ndof % 3 || !(p->ftol > 0) || !(p->k_spring > 0) || p->max_iter < 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "CI-NEB: bad parameters (%d images, ftol %g, k %g)", nimages,
                            p->ftol, p->k_spring);
  const int ni = nimages - 2;
  const size_t nin = (size_t)ni * ndof;
  double *x = malloc(nin * sizeof *x), *G = malloc(nin * sizeof *G), *tau = malloc((size_t)ndof * sizeof *tau);
  ionkmc_fire *w = ionkmc_fire_alloc((int)nin, &p->fire);
  ionkmc_status st = IONKMC_OK;
  if (!x || !G || !tau || !w) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "CI-NEB: out of memory");
    goto done;
  }
  memset(res, 0, sizeof *res);
  res->climber = -1;
  for (int m = 0; m < nimages; m += nimages - 1)
    if ((st = pes(ctx, band + (size_t)m * ndof, &E[m], F + (size_t)m * ndof, err))) goto done;
  memcpy(x, band + ndof, nin * sizeof *x);
  int climbing = 0;
  for (int it = 0;; it++) {
    memcpy(band + ndof, x, nin * sizeof *x);
    for (int m = 1; m <= ni; m++)
      if ((st = pes(ctx, band + (size_t)m * ndof, &E[m], F + (size_t)m * ndof, err))) goto done;
    int top = 1;
    for (int m = 2; m <= ni; m++)
      if (E[m] > E[top]) top = m;
    for (int m = 1; m <= ni; m++)
      neb_force(m, ndof, band, E, F, p->k_spring, climbing && m == top, tau, G + (size_t)(m - 1) * ndof);
    double fm = 0;
    for (int m = 0; m < ni; m++) fm = fmax(fm, ionkmc_fire_fmax(ndof, G + (size_t)m * ndof, NULL));
    res->iterations = it;
    res->fmax = fm;
    res->climber = climbing ? top : -1;
    if (p->climb && !climbing && (fm < p->climb_tol || it >= p->max_iter / 2)) {
      climbing = 1;
      /* restart the dynamics: the force field changes */
      ionkmc_fire_free(w);
      if (!(w = ionkmc_fire_alloc((int)nin, &p->fire))) {
        st = ionkmc_error_set(err, IONKMC_ENOMEM, "CI-NEB: out of memory");
        goto done;
      }
      continue;
    }
    if (fm < p->ftol && (climbing || !p->climb)) {
      res->converged = 1;
      break;
    }
    if (it >= p->max_iter) break;
    ionkmc_fire_step(w, x, G);
  }
  res->saddle = 0;
  for (int m = 1; m < nimages; m++)
    if (E[m] > E[res->saddle]) res->saddle = m;
  res->Ef = E[res->saddle] - E[0];
  res->Er = E[res->saddle] - E[nimages - 1];
  res->dE = E[nimages - 1] - E[0];
done:
  free(x);
  free(G);
  free(tau);
  ionkmc_fire_free(w);
  return st;
}
