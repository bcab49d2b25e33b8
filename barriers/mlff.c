/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: deployed MLFF models (see barriers/mlff.h). */
#include "barriers/mlff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/nlist.h"

struct ionkmc_mlff {
  const ionkmc_mlff_backend *be;
  void *handle;
  ionkmc_mlff_meta meta;
  ionkmc_nlist *nl;
  int64_t *types;
  int ntypes_cap;
};

int ionkmc_mlff_available(void) { return ionkmc_mlff_backend_get() != NULL; }

ionkmc_mlff *ionkmc_mlff_alloc(const char *path, const char *device, ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  const ionkmc_mlff_backend *be = ionkmc_mlff_backend_get();
  if (!be) {
    st = ionkmc_error_set(err, IONKMC_ESTATE, "model '%s': %s", path, ionkmc_torch_module_error());
    if (status) *status = st;
    return NULL;
  }
  ionkmc_mlff *m = calloc(1, sizeof *m);
  if (!m || !(m->nl = ionkmc_nlist_alloc())) {
    free(m);
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "model '%s': out of memory", path);
    if (status) *status = st;
    return NULL;
  }
  m->be = be;
  m->handle = be->load(path, device ? device : "cpu", &m->meta, err, &st);
  if (!m->handle) {
    ionkmc_nlist_free(m->nl);
    free(m);
    if (status) *status = st ? st : IONKMC_EINTERNAL;
    return NULL;
  }
  if (status) *status = IONKMC_OK;
  return m;
}

void ionkmc_mlff_free(ionkmc_mlff *m) {
  if (!m) return;
  if (m->handle) m->be->free(m->handle);
  ionkmc_nlist_free(m->nl);
  free(m->types);
  free(m);
}

const ionkmc_mlff_meta *ionkmc_mlff_meta_of(const ionkmc_mlff *m) { return &m->meta; }

long long ionkmc_mlff_last_edges(const ionkmc_mlff *m) { return (long long)m->nl->nedges; }

ionkmc_status ionkmc_mlff_types(const ionkmc_mlff *m, const ionkmc_atoms *a, int64_t *types, ionkmc_error *err) {
  for (int i = 0; i < a->n; i++) {
    int t = -1;
    for (int k = 0; k < m->meta.n_species && t < 0; k++)
      if (!strcmp(a->el[i], m->meta.type_names[k])) t = k;
    if (t < 0) {
      char names[IONKMC_MLFF_MAX_TYPES * IONKMC_MLFF_TYPELEN] = "";
      for (int k = 0; k < m->meta.n_species; k++) {
        if (k) strcat(names, " ");
        strcat(names, m->meta.type_names[k]);
      }
      return ionkmc_error_set(err, IONKMC_EINVAL, "atom %d: element '%s' is not among the model's type_names '%s'",
                              i + 1, a->el[i], names);
    }
    types[i] = t;
  }
  return IONKMC_OK;
}

/* A direction the structure marks non-periodic is evaluated as periodic
 * only when no atom can reach an image across it: the atoms' extent along
 * it plus r_max must fit in the cell's width there. */
static ionkmc_status check_open(const ionkmc_atoms *a, const double *x, double rc, ionkmc_error *err) {
  if (!a->open[0] && !a->open[1] && !a->open[2]) return IONKMC_OK;
  double inv[3][3], width[3];
  if (ionkmc_cell_inverse(a->cell, inv, width) == 0) return IONKMC_OK; /* the neighbour list reports it */
  for (int k = 0; k < 3; k++) {
    if (!a->open[k]) continue;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < a->n; i++) {
      double s = x[3 * i] * inv[0][k] + x[3 * i + 1] * inv[1][k] + x[3 * i + 2] * inv[2][k];
      lo = fmin(lo, s), hi = fmax(hi, s);
    }
    double extent = a->n ? (hi - lo) * width[k] : 0;
    if (extent + rc > width[k])
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "cell vector %d is not periodic (pbc F) but the cell is %.4g A wide there, less than "
                              "the atoms' extent %.4g A + r_max %.4g A: periodic images would interact; give "
                              "that much vacuum (or a periodic cell with replicas)",
                              k + 1, width[k], extent, rc);
  }
  return IONKMC_OK;
}

ionkmc_status ionkmc_mlff_eval(ionkmc_mlff *m, const ionkmc_atoms *a, const double *x, double *energy,
                               double *forces, double stress[9], int *has_stress, ionkmc_error *err) {
  if (!x) x = a->x;
  if (a->n > m->ntypes_cap) {
    int64_t *t = realloc(m->types, (size_t)a->n * sizeof *t);
    if (!t) return ionkmc_error_set(err, IONKMC_ENOMEM, "model: out of memory");
    m->types = t;
    m->ntypes_cap = a->n;
  }
  ionkmc_status st = ionkmc_mlff_types(m, a, m->types, err);
  if (st || (st = check_open(a, x, m->meta.r_max, err))) return st;
  st = ionkmc_nlist_build(m->nl, a->n, x, a->cell, m->meta.r_max, err);
  if (st) return st;
  ionkmc_mlff_input in = {a->n, x, m->types, &a->cell[0][0], m->nl->nedges, m->nl->src, m->nl->dst, m->nl->shift};
  ionkmc_mlff_output out;
  memset(&out, 0, sizeof out);
  out.forces = forces;
  st = m->be->eval(m->handle, &in, &out, err);
  if (st) return st;
  *energy = out.energy;
  if (stress) memcpy(stress, out.stress, sizeof out.stress);
  if (has_stress) *has_stress = out.has_stress;
  return IONKMC_OK;
}
