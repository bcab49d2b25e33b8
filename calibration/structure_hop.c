/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* End points of one defect hop, atom for atom (for NEB). See structure.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/structure.h"
#include "lattice/lattice.h"

/* A unit is one atom, or one whole molecule (the builder writes a molecule's
 * atoms one after the other, C and N first). */
typedef struct {
  int sub, site, first, n;
  uint8_t el;
  double c[3]; /* centre: the atom, or the C-N midpoint */
} unit;

static double wrap_d(double d, double box) { return d - box * floor(d / box + 0.5); }

static int list_units(const ionkmc_structure *s, unit *u) {
  int nu = 0;
  double box = s->L * s->a;
  for (int i = 0; i < s->natoms;) {
    const ionkmc_atom *a = &s->atoms[i];
    int n = 1;
    if (a->mol)
      while (i + n < s->natoms && s->atoms[i + n].mol == a->mol) n++;
    unit *U = &u[nu++];
    U->sub = a->sub;
    U->site = a->site;
    U->first = i;
    U->n = n;
    U->el = a->element;
    for (int c = 0; c < 3; c++) {
      U->c[c] = a->x[c];
      if (n > 1) U->c[c] += 0.5 * wrap_d(s->atoms[i + 1].x[c] - a->x[c], box);
    }
    i += n;
  }
  return nu;
}

static ionkmc_structure *copy_structure(const ionkmc_structure *s) {
  ionkmc_structure *r = malloc(sizeof *r);
  if (!r) return NULL;
  *r = *s;
  r->atoms = malloc(sizeof *r->atoms * (size_t)(s->natoms + 1));
  r->bonds = malloc(sizeof *r->bonds * (size_t)(s->nbonds + 1));
  r->angles = malloc(sizeof *r->angles * (size_t)(s->nangles + 1));
  r->dihedrals = malloc(sizeof *r->dihedrals * (size_t)(s->ndihedrals + 1));
  if (!r->atoms || !r->bonds || !r->angles || !r->dihedrals) {
    ionkmc_structure_free(r);
    return NULL;
  }
  memcpy(r->atoms, s->atoms, sizeof *r->atoms * (size_t)s->natoms);
  memcpy(r->bonds, s->bonds, sizeof *r->bonds * (size_t)s->nbonds);
  memcpy(r->angles, s->angles, sizeof *r->angles * (size_t)s->nangles);
  memcpy(r->dihedrals, s->dihedrals, sizeof *r->dihedrals * (size_t)s->ndihedrals);
  return r;
}

#define TMAX 4

ionkmc_structure *ionkmc_structure_hop(const ionkmc_structure *init, const ionkmc_structure_spec *spec, int d,
                                       int dest, ionkmc_error *err) {
  if (d < 0 || d >= init->ndefects) {
    ionkmc_error_set(err, IONKMC_EINVAL, "hop: defect %d, expected 0..%d", d, init->ndefects - 1);
    return NULL;
  }
  ionkmc_defect_kind k = init->defect[d].kind;
  int onx = ionkmc_defect_sublattice(k) == IONKMC_SUB_X, sub = onx ? IONKMC_SUB_X : IONKMC_SUB_A;
  int src = init->defect[d].site, nnb;
  ionkmc_status lst;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(init->L, &lst);
  if (!lat) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "hop: out of memory");
    return NULL;
  }
  const int32_t *nb = ionkmc_lattice_neighbours(lat, onx ? "XX" : "AA", src, &nnb, NULL);
  int ok = 0;
  if (dest < 0) dest = nb[0];
  for (int j = 0; j < nnb; j++) ok |= nb[j] == dest;
  ionkmc_lattice_free(lat);
  if (!ok) {
    ionkmc_error_set(err, IONKMC_EINVAL, "hop of %s: site %d is not a neighbour of site %d", ionkmc_defect_name(k),
                     dest, src);
    return NULL;
  }
  ionkmc_structure_spec sp2 = *spec;
  for (int e = 0; e < init->ndefects; e++) sp2.defect[e] = init->defect[e];
  sp2.defect[d].site = dest;
  ionkmc_structure *fin = ionkmc_structure_build(&sp2, err), *res = NULL;
  if (!fin) return NULL;
  unit *ui = malloc(sizeof *ui * (size_t)(init->natoms + 1)), *uf = malloc(sizeof *uf * (size_t)(fin->natoms + 1));
  res = copy_structure(init);
  if (!ui || !uf || !res) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "hop: out of memory");
    goto fail;
  }
  int ni = list_units(init, ui), nf = list_units(fin, uf);
  double box = init->L * init->a;
  int ti[TMAX], tf[TMAX], nti = 0, ntf = 0, jf = 0;
#define TOUCHED(U) ((U).sub == sub && ((U).site == src || (U).site == dest))
  for (int j = 0; j < nf; j++)
    if (TOUCHED(uf[j])) {
      if (ntf == TMAX) break;
      tf[ntf++] = j;
    }
  for (int j = 0; j < ni; j++) {
    if (TOUCHED(ui[j])) {
      if (nti < TMAX) ti[nti++] = j;
      continue;
    }
    while (jf < nf && TOUCHED(uf[jf])) jf++;
    if (jf >= nf || uf[jf].sub != ui[j].sub || uf[jf].site != ui[j].site || uf[jf].n != ui[j].n) {
      ionkmc_error_set(err, IONKMC_EINTERNAL, "hop: the two end points differ away from the hop");
      goto fail;
    }
    jf++;
  }
  if (nti != ntf || nti == 0 || nti > 3) {
    ionkmc_error_set(err, IONKMC_EINTERNAL, "hop: %d units move in, %d out", nti, ntf);
    goto fail;
  }
  /* Least total squared displacement over the matchings of the touched units. */
  static const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  int np = nti == 1 ? 1 : nti == 2 ? 2 : 6, best = -1;
  double bestd = INFINITY;
  for (int p = 0; p < np; p++) {
    double sum = 0;
    int valid = 1;
    for (int j = 0; j < nti && valid; j++) {
      int m = nti == 2 ? (p == 0 ? j : 1 - j) : perms[p][j];
      const unit *A = &ui[ti[j]], *B = &uf[tf[m]];
      if (A->n != B->n || A->el != B->el) valid = 0;
      for (int c = 0; c < 3; c++) sum += pow(wrap_d(B->c[c] - A->c[c], box), 2);
    }
    if (valid && sum < bestd) bestd = sum, best = p;
  }
  if (best < 0) {
    ionkmc_error_set(err, IONKMC_EINVAL, "hop of %s: the species on sites %d and %d differ; no hop between them",
                     ionkmc_defect_name(k), src, dest);
    goto fail;
  }
  for (int j = 0; j < nti; j++) {
    int m = nti == 2 ? (best == 0 ? j : 1 - j) : perms[best][j];
    const unit *A = &ui[ti[j]], *B = &uf[tf[m]];
    int rigid = A->n > 1 && A->site != B->site;
    for (int q = 0; q < A->n; q++) {
      ionkmc_atom *at = &res->atoms[A->first + q];
      const ionkmc_atom *bt = &fin->atoms[B->first + q];
      at->site = B->site;
      for (int c = 0; c < 3; c++) {
        double x = rigid ? at->x[c] + wrap_d(B->c[c] - A->c[c], box) : bt->x[c];
        x = fmod(x, box);
        at->x[c] = x < 0 ? x + box : x;
      }
    }
  }
  res->defect[d].site = dest;
  memcpy(res->defect_pos[d], fin->defect_pos[d], sizeof res->defect_pos[d]);
  if (ionkmc_structure_validate(res, err)) goto fail;
  free(ui);
  free(uf);
  ionkmc_structure_free(fin);
  return res;
fail:
  free(ui);
  free(uf);
  ionkmc_structure_free(fin);
  ionkmc_structure_free(res);
  return NULL;
}
