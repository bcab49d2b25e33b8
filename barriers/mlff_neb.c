/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: CI-NEB of one hop with a deployed MLFF. See barriers/mlff_neb.h. */
#include "barriers/mlff_neb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ionkmc_status ionkmc_mlff_pes_eval(void *ctx, const double *x, double *E, double *F, ionkmc_error *err) {
  ionkmc_mlff_pes *c = ctx;
  ionkmc_status st = ionkmc_mlff_eval(c->m, c->a, x, E, F, NULL, NULL, err);
  if (!st && c->frozen)
    for (int i = 0; i < c->a->n; i++)
      if (c->frozen[i]) F[3 * i] = F[3 * i + 1] = F[3 * i + 2] = 0;
  return st;
}

ionkmc_mlff_neb_params ionkmc_mlff_neb_params_default(void) {
  ionkmc_mlff_neb_params p;
  p.nimages = 7;
  p.relax = 1;
  p.fire = ionkmc_fire_params_default();
  p.fire.ftol = 0.005;
  p.neb = ionkmc_cineb_params_default();
  p.frozen = NULL;
  return p;
}

void ionkmc_mlff_band_free(ionkmc_mlff_band *b) {
  if (!b) return;
  free(b->band);
  free(b->E);
  free(b->F);
  free(b);
}

ionkmc_status ionkmc_mlff_neb(ionkmc_mlff *m, const ionkmc_atoms *ini, const ionkmc_atoms *fin,
                              const ionkmc_mlff_neb_params *p, ionkmc_mlff_band **out, ionkmc_error *err) {
  *out = NULL;
  if (ini->n != fin->n)
    return ionkmc_error_set(err, IONKMC_EINVAL, "NEB: the end points hold %d and %d atoms", ini->n, fin->n);
  for (int i = 0; i < ini->n; i++)
    if (strcmp(ini->el[i], fin->el[i]))
      return ionkmc_error_set(err, IONKMC_EINVAL, "NEB: atom %d is %s in the initial and %s in the final structure",
                              i + 1, ini->el[i], fin->el[i]);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      if (fabs(ini->cell[i][j] - fin->cell[i][j]) > 1e-6)
        return ionkmc_error_set(err, IONKMC_EINVAL, "NEB: the end points have different cells");
  if (p->nimages < 3 || p->nimages > 64)
    return ionkmc_error_set(err, IONKMC_EINVAL, "NEB: %d images (expected 3..64, ends included)", p->nimages);
  ionkmc_mlff_band *b = calloc(1, sizeof *b);
  const int ndof = 3 * ini->n, M = p->nimages;
  if (!b || !(b->band = malloc((size_t)M * ndof * sizeof(double))) || !(b->E = malloc((size_t)M * sizeof(double))) ||
      !(b->F = malloc((size_t)M * ndof * sizeof(double)))) {
    ionkmc_mlff_band_free(b);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "NEB: out of memory");
  }
  b->nimages = M;
  b->ndof = ndof;
  double *x0 = b->band, *x1 = b->band + (size_t)(M - 1) * ndof, inv[3][3];
  ionkmc_cell_inverse(ini->cell, inv, NULL);
  memcpy(x0, ini->x, (size_t)ndof * sizeof(double));
  for (int i = 0; i < ini->n; i++) {
    double d[3];
    ionkmc_cell_min_image(ini->cell, inv, &ini->x[3 * i], &fin->x[3 * i], d);
    for (int k = 0; k < 3; k++) x1[3 * i + k] = ini->x[3 * i + k] + d[k];
  }
  ionkmc_mlff_pes ctx = {m, ini, p->frozen};
  ionkmc_status st = IONKMC_OK;
  if (p->relax) {
    if ((st = ionkmc_fire_minimize(ndof, x0, ionkmc_mlff_pes_eval, &ctx, p->frozen, &p->fire, &b->relax[0], err)) ||
        (st = ionkmc_fire_minimize(ndof, x1, ionkmc_mlff_pes_eval, &ctx, p->frozen, &p->fire, &b->relax[1], err))) {
      ionkmc_mlff_band_free(b);
      return st;
    }
  }
  b->hop_length = 0;
  b->mover = 0;
  for (int i = 0; i < ini->n; i++) {
    double d = 0;
    for (int k = 0; k < 3; k++) d += (x1[3 * i + k] - x0[3 * i + k]) * (x1[3 * i + k] - x0[3 * i + k]);
    if (sqrt(d) > b->hop_length) b->hop_length = sqrt(d), b->mover = i;
  }
  ionkmc_cineb_interpolate(M, ndof, b->band);
  st = ionkmc_cineb_run(M, ndof, b->band, ionkmc_mlff_pes_eval, &ctx, &p->neb, b->E, b->F, &b->res, err);
  if (st) {
    ionkmc_mlff_band_free(b);
    return st;
  }
  *out = b;
  return IONKMC_OK;
}

ionkmc_status ionkmc_mlff_band_write(FILE *fp, const ionkmc_mlff_band *b, const ionkmc_atoms *tmpl,
                                     ionkmc_error *err) {
  ionkmc_atoms *a = ionkmc_atoms_copy(tmpl);
  if (!a) return ionkmc_error_set(err, IONKMC_ENOMEM, "NEB band: out of memory");
  ionkmc_status st = IONKMC_OK;
  for (int m = 0; m < b->nimages && !st; m++) {
    char extra[128];
    snprintf(extra, sizeof extra, "image=%d climbing=%s", m, m == b->res.climber ? "T" : "F");
    memcpy(a->x, b->band + (size_t)m * b->ndof, (size_t)b->ndof * sizeof(double));
    st = ionkmc_atoms_write_extxyz(fp, a, b->E[m], b->F + (size_t)m * b->ndof, extra, err);
  }
  ionkmc_atoms_free(a);
  return st;
}
