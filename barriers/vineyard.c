/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the Vineyard prefactor. See barriers/vineyard.h. */
#include "barriers/vineyard.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Eigenvalues (ascending) of the mass-weighted Hessian at x, into lam[3 na]. */
static ionkmc_status hessian_eigs(int ndof, const double *x, int na, const int *active, const double *mass,
                                  ionkmc_pes_fn pes, void *ctx, double h, double *lam, ionkmc_error *err) {
  const int n = 3 * na;
  double *xp = malloc((size_t)ndof * sizeof *xp), *Fp = malloc((size_t)ndof * sizeof *Fp),
         *Fm = malloc((size_t)ndof * sizeof *Fm);
  gsl_matrix *H = gsl_matrix_alloc((size_t)n, (size_t)n);
  gsl_vector *ev = gsl_vector_alloc((size_t)n);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc((size_t)n);
  ionkmc_status st = IONKMC_OK;
  if (!xp || !Fp || !Fm || !H || !ev || !w) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "Vineyard: out of memory");
    goto done;
  }
  memcpy(xp, x, (size_t)ndof * sizeof *xp);
  for (int c = 0; c < n; c++) {
    const int dof = 3 * active[c / 3] + c % 3;
    double E;
    xp[dof] = x[dof] + h;
    if ((st = pes(ctx, xp, &E, Fp, err))) goto done;
    xp[dof] = x[dof] - h;
    if ((st = pes(ctx, xp, &E, Fm, err))) goto done;
    xp[dof] = x[dof];
    for (int r = 0; r < n; r++) {
      const int rd = 3 * active[r / 3] + r % 3;
      gsl_matrix_set(H, (size_t)r, (size_t)c, -(Fp[rd] - Fm[rd]) / (2 * h) / sqrt(mass[r / 3] * mass[c / 3]));
    }
  }
  for (int r = 0; r < n; r++)
    for (int c = r + 1; c < n; c++) {
      double s = 0.5 * (gsl_matrix_get(H, (size_t)r, (size_t)c) + gsl_matrix_get(H, (size_t)c, (size_t)r));
      gsl_matrix_set(H, (size_t)r, (size_t)c, s);
      gsl_matrix_set(H, (size_t)c, (size_t)r, s);
    }
  if (gsl_eigen_symm(H, ev, w) != GSL_SUCCESS) {
    st = ionkmc_error_set(err, IONKMC_EINTERNAL, "Vineyard: the eigensolver failed");
    goto done;
  }
  gsl_sort_vector(ev);
  for (int k = 0; k < n; k++) lam[k] = gsl_vector_get(ev, (size_t)k);
done:
  free(xp);
  free(Fp);
  free(Fm);
  gsl_matrix_free(H);
  gsl_vector_free(ev);
  gsl_eigen_symm_free(w);
  return st;
}

ionkmc_status ionkmc_vineyard_eval(int ndof, const double *x_min, const double *x_sad, int nactive,
                                   const int *active, const double *mass, ionkmc_pes_fn pes, void *ctx, double h,
                                   ionkmc_vineyard_result *r, ionkmc_error *err) {
  if (nactive < 1 || ndof < 3 * nactive || !(h > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "Vineyard: bad arguments (%d active atoms, h %g)", nactive, h);
  for (int i = 0; i < nactive; i++)
    if (active[i] < 0 || 3 * active[i] + 2 >= ndof || !(mass[i] > 0))
      return ionkmc_error_set(err, IONKMC_EINVAL, "Vineyard: active atom %d: bad index or mass", i);
  const int n = 3 * nactive;
  double *lm = malloc((size_t)n * sizeof *lm), *ls = malloc((size_t)n * sizeof *ls);
  if (!lm || !ls) {
    free(lm);
    free(ls);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "Vineyard: out of memory");
  }
  ionkmc_status st = hessian_eigs(ndof, x_min, nactive, active, mass, pes, ctx, h, lm, err);
  if (!st) st = hessian_eigs(ndof, x_sad, nactive, active, mass, pes, ctx, h, ls, err);
  if (!st) {
    memset(r, 0, sizeof *r);
    r->n_active = nactive;
    r->h = h;
    for (int k = 0; k < n; k++) {
      r->n_neg_min += lm[k] <= 0;
      r->n_neg_saddle += ls[k] <= 0;
    }
    if (r->n_neg_min != 0 || r->n_neg_saddle != 1) {
      st = ionkmc_error_set(err, IONKMC_ERANGE,
                            "Vineyard: %d non-positive Hessian eigenvalues at the minimum (expected 0) and %d at "
                            "the saddle (expected 1): not a minimum and a first-order saddle",
                            r->n_neg_min, r->n_neg_saddle);
    } else {
      /* ln nu = sum ln f_min - sum' ln f_sad, f = sqrt(lambda) U / 2 pi */
      const double lu = log(IONKMC_OMEGA_UNIT / IONKMC_TWO_PI);
      double s = 0;
      for (int k = 0; k < n; k++) s += 0.5 * log(lm[k]) + lu;
      for (int k = 1; k < n; k++) s -= 0.5 * log(ls[k]) + lu;
      r->log_nu = s;
      r->nu = exp(s);
      r->f_min_lowest = sqrt(lm[0]) * IONKMC_OMEGA_UNIT / IONKMC_TWO_PI;
      r->f_imag = sqrt(-ls[0]) * IONKMC_OMEGA_UNIT / IONKMC_TWO_PI;
    }
  }
  free(lm);
  free(ls);
  return st;
}

ionkmc_status ionkmc_vineyard_band(ionkmc_mlff *m, const ionkmc_atoms *a, const ionkmc_mlff_band *b, double radius,
                                   ionkmc_vineyard_result *r, ionkmc_error *err) {
  const double *x0 = b->band, *xs = b->band + (size_t)b->res.saddle * b->ndof;
  if (b->res.saddle <= 0 || b->res.saddle >= b->nimages - 1)
    return ionkmc_error_set(err, IONKMC_ERANGE, "Vineyard: the band's highest image is an end point (no saddle)");
  int *active = malloc((size_t)a->n * sizeof *active);
  double *mass = malloc((size_t)a->n * sizeof *mass), inv[3][3];
  if (!active || !mass) {
    free(active);
    free(mass);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "Vineyard: out of memory");
  }
  ionkmc_cell_inverse(a->cell, inv, NULL);
  int na = 0;
  ionkmc_status st = IONKMC_OK;
  for (int i = 0; i < a->n && !st; i++) {
    double d[3];
    ionkmc_cell_min_image(a->cell, inv, &x0[3 * b->mover], &x0[3 * i], d);
    if (sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) > radius) continue;
    if (!((mass[na] = ionkmc_element_mass_of(a->el[i])) > 0))
      st = ionkmc_error_set(err, IONKMC_EINVAL, "Vineyard: no mass known for element '%s' (atom %d)", a->el[i],
                            i + 1);
    active[na++] = i;
  }
  ionkmc_mlff_pes ctx = {m, a, NULL};
  if (!st) st = ionkmc_vineyard_eval(b->ndof, x0, xs, na, active, mass, ionkmc_mlff_pes_eval, &ctx, 0.005, r, err);
  if (!st) r->radius = radius;
  free(active);
  free(mass);
  return st;
}
