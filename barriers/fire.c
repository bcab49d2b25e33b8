/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: FIRE minimisation. See barriers/fire.h. */
#include "barriers/fire.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ionkmc_fire {
  int ndof;
  ionkmc_fire_params p;
  double dt, alpha;
  int n_pos;
  double *v;
};

ionkmc_fire_params ionkmc_fire_params_default(void) {
  ionkmc_fire_params p = {0.1, 1.0, 0.2, 5, 1.1, 0.5, 0.1, 0.99, 0.01, 5000};
  return p;
}

ionkmc_fire *ionkmc_fire_alloc(int ndof, const ionkmc_fire_params *p) {
  if (ndof < 1) return NULL;
  ionkmc_fire *w = calloc(1, sizeof *w);
  if (!w || !(w->v = calloc((size_t)ndof, sizeof *w->v))) {
    free(w);
    return NULL;
  }
  w->ndof = ndof;
  w->p = *p;
  w->dt = p->dt;
  w->alpha = p->alpha0;
  return w;
}

void ionkmc_fire_free(ionkmc_fire *w) {
  if (!w) return;
  free(w->v);
  free(w);
}

void ionkmc_fire_step(ionkmc_fire *w, double *x, const double *F) {
  const int n = w->ndof;
  double *v = w->v;
  double P = 0, vn = 0, fn = 0;
  for (int k = 0; k < n; k++) {
    P += F[k] * v[k];
    vn += v[k] * v[k];
    fn += F[k] * F[k];
  }
  if (P > 0) {
    vn = sqrt(vn);
    fn = sqrt(fn);
    const double mix = fn > 0 ? w->alpha * vn / fn : 0;
    for (int k = 0; k < n; k++) v[k] = (1 - w->alpha) * v[k] + mix * F[k];
    if (++w->n_pos > w->p.n_min) {
      w->dt = fmin(w->dt * w->p.f_inc, w->p.dt_max);
      w->alpha *= w->p.f_alpha;
    }
  } else {
    memset(v, 0, (size_t)n * sizeof *v);
    w->dt *= w->p.f_dec;
    w->alpha = w->p.alpha0;
    w->n_pos = 0;
  }
  for (int k = 0; k < n; k++) v[k] += w->dt * F[k];
  /* the largest per-atom displacement is capped at max_step */
  double dmax = 0;
  for (int i = 0; i + 2 < n; i += 3) {
    double d = w->dt * sqrt(v[i] * v[i] + v[i + 1] * v[i + 1] + v[i + 2] * v[i + 2]);
    dmax = fmax(dmax, d);
  }
  const double scale = dmax > w->p.max_step ? w->p.max_step / dmax : 1.0;
  for (int k = 0; k < n; k++) x[k] += scale * w->dt * v[k];
}

double ionkmc_fire_fmax(int ndof, const double *F, const unsigned char *mask) {
  double m = 0;
  for (int i = 0; 3 * i + 2 < ndof; i++) {
    if (mask && mask[i]) continue;
    const double *f = &F[3 * i];
    m = fmax(m, sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
  }
  return m;
}

ionkmc_status ionkmc_fire_minimize(int ndof, double *x, ionkmc_pes_fn pes, void *ctx, const unsigned char *mask,
                                   const ionkmc_fire_params *p, ionkmc_fire_result *res, ionkmc_error *err) {
  if (ndof < 3 || ndof % 3 || !(p->ftol > 0) || p->max_iter < 0 || !(p->dt > 0) || !(p->max_step > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "FIRE: bad parameters (ndof %d, ftol %g, dt %g)", ndof, p->ftol,
                            p->dt);
  double *F = malloc((size_t)ndof * sizeof *F);
  ionkmc_fire *w = ionkmc_fire_alloc(ndof, p);
  if (!F || !w) {
    free(F);
    ionkmc_fire_free(w);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "FIRE: out of memory");
  }
  memset(res, 0, sizeof *res);
  ionkmc_status st = IONKMC_OK;
  for (int it = 0;; it++) {
    if ((st = pes(ctx, x, &res->energy, F, err))) break;
    if (mask)
      for (int i = 0; 3 * i < ndof; i++)
        if (mask[i]) F[3 * i] = F[3 * i + 1] = F[3 * i + 2] = 0;
    res->fmax = ionkmc_fire_fmax(ndof, F, mask);
    res->iterations = it;
    if (res->fmax < p->ftol) {
      res->converged = 1;
      break;
    }
    if (it == p->max_iter) break;
    ionkmc_fire_step(w, x, F);
  }
  free(F);
  ionkmc_fire_free(w);
  return st;
}
