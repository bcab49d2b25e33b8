/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc neb: hop end points from the structure builder, optionally on an
 * MD snapshot. See cli/neb_struct.h. */
#include "cli/neb_struct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lattice/lattice.h"

ionkmc_structure_spec neb_struct_spec(const neb_build_opts *bo, const char el[3][4], int L, double a,
                                      ionkmc_defect_kind kind) {
  ionkmc_structure_spec s = ionkmc_structure_spec_default();
  s.L = L;
  s.a = a;
  s.a_site = bo->a_site;
  s.b_site = el[1];
  s.x_site = el[2];
  s.ma_axis = bo->ma_axis;
  s.seed = bo->seed;
  s.ndefects = 1;
  s.defect[0].kind = kind;
  s.defect[0].site = 0;
  return s;
}

static double wrap1(double d, double box) { return d - box * floor(d / box + 0.5); }

/* Minimum-image difference q - p in the builder's cubic box. */
static void diff(const double *p, const double *q, double box, double d[3]) {
  for (int c = 0; c < 3; c++) d[c] = wrap1(q[c] - p[c], box);
}

/* A builder vector (cubic box of edge box) onto the cell: fractional, then cell rows. */
static void to_cell(const double v[3], double box, const double cell[3][3], double out[3]) {
  for (int k = 0; k < 3; k++) out[k] = (v[0] * cell[0][k] + v[1] * cell[1][k] + v[2] * cell[2][k]) / box;
}

static int nsites_of(int L, ionkmc_sublattice sub) { return sub == IONKMC_SUB_X ? 3 * L * L * L : L * L * L; }

/* The C-N axis class (0, 1, 2) of the first molecule on A site c of s, -1 if none. */
static int cage_class(const ionkmc_structure *s, int c) {
  double box = s->L * s->a;
  for (int i = 0; i + 1 < s->natoms; i++) {
    const ionkmc_atom *C = &s->atoms[i], *N = &s->atoms[i + 1];
    if (!C->mol || C->sub != IONKMC_SUB_A || C->site != c || C->element != IONKMC_EL_C || N->mol != C->mol)
      continue;
    double u[3];
    diff(C->x, N->x, box, u);
    int cls = 0;
    for (int k = 1; k < 3; k++)
      if (fabs(u[k]) > fabs(u[cls])) cls = k;
    return cls;
  }
  return -1;
}

/* Neighbouring defects of the hopping one on the first shells; cos^2 of the cages. */
static void descriptor(const ionkmc_structure *init, const ionkmc_structure *hop, neb_struct_info *info) {
  double box = init->L * init->a, a = init->a, d[3], dr[3], mid[3];
  ionkmc_sublattice sub = ionkmc_defect_sublattice(init->defect[0].kind);
  const double shell = sub == IONKMC_SUB_X ? a / sqrt(2.0) : a;
  const double *p0 = init->defect_pos[0], *p1 = hop->defect_pos[0];
  for (int e = 1; e < init->ndefects; e++) {
    if (ionkmc_defect_sublattice(init->defect[e].kind) != sub) continue;
    diff(p0, init->defect_pos[e], box, d);
    if (fabs(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) - shell) < 0.1 * a) info->init_counts[init->defect[e].kind]++;
    diff(p1, init->defect_pos[e], box, d);
    if (fabs(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) - shell) < 0.1 * a) info->final_counts[init->defect[e].kind]++;
  }
  diff(p0, p1, box, dr);
  double len2 = dr[0] * dr[0] + dr[1] * dr[1] + dr[2] * dr[2];
  int cages[2] = {init->defect[0].site, hop->defect[0].site};
  if (sub == IONKMC_SUB_X) { /* the two A sites nearest the midpoint */
    double best[2] = {INFINITY, INFINITY};
    for (int c = 0; c < 3; c++) mid[c] = p0[c] + 0.5 * dr[c];
    const int L = init->L;
    for (int c = 0; c < L * L * L; c++) {
      double ctr[3] = {((c / (L * L)) + 0.5) * a, ((c / L) % L + 0.5) * a, (c % L + 0.5) * a};
      diff(mid, ctr, box, d);
      double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      if (r2 < best[0]) best[1] = best[0], cages[1] = cages[0], best[0] = r2, cages[0] = c;
      else if (r2 < best[1]) best[1] = r2, cages[1] = c;
    }
  }
  for (int g = 0; g < 2; g++) {
    int cls = cage_class(init, cages[g]);
    if (cls < 0) cls = cage_class(hop, cages[g]);
    if (cls < 0 || !(len2 > 0)) continue;
    info->cos2 += dr[cls] * dr[cls] / len2;
    info->ncages++;
  }
}

ionkmc_status neb_struct_hop(const ionkmc_structure_spec *spec_in, const ionkmc_frame *snap, ionkmc_atoms **ini,
                             ionkmc_atoms **fin, neb_struct_info *info, ionkmc_error *err) {
  *ini = *fin = NULL;
  memset(info, 0, sizeof *info);
  ionkmc_structure_spec spec = *spec_in;
  double cell[3][3] = {{0}};
  if (snap) {
    double inv[3][3], vol = fabs(ionkmc_cell_inverse(snap->cell, inv, NULL));
    spec.a = cbrt(vol) / spec.L;
    if (!(spec.a >= 3 && spec.a <= 10))
      return ionkmc_error_set(err, IONKMC_EINVAL, "snapshot frame %lld: its cell gives a = %g angstrom for %d cells "
                              "per edge (expected 3..10)", (long long)snap->index, spec.a, spec.L);
    memcpy(cell, snap->cell, sizeof cell);
  }
  if (spec.ndefects < 1) return ionkmc_error_set(err, IONKMC_EINVAL, "hop: no defect to move");
  ionkmc_structure *init = ionkmc_structure_build(&spec, err), *hop = NULL, *perfect = NULL;
  if (!init) return IONKMC_EINVAL;
  ionkmc_status st = IONKMC_OK;
  int *first = NULL, *count = NULL;
  if (!(hop = ionkmc_structure_hop(init, &spec, 0, -1, err))) {
    st = IONKMC_EINVAL;
    goto done;
  }
  const int L = spec.L, n = init->natoms;
  const double box = L * spec.a;
  if (!snap)
    for (int k = 0; k < 3; k++) cell[k][k] = box;
  ionkmc_atoms *A = ionkmc_atoms_alloc(n), *B = ionkmc_atoms_alloc(n);
  *ini = A, *fin = B;
  if (!A || !B) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "hop: out of memory");
    goto done;
  }
  memcpy(A->cell, cell, sizeof cell);
  memcpy(B->cell, cell, sizeof cell);
  /* site -> its atoms in the defect-free cell, for the snapshot */
  int ns[3], off[3];
  for (int u = 0; u < 3; u++) ns[u] = nsites_of(L, (ionkmc_sublattice)u);
  off[0] = 0, off[1] = ns[0], off[2] = ns[0] + ns[1];
  if (snap) {
    ionkmc_structure_spec ps = spec;
    ps.ndefects = 0;
    if (!(perfect = ionkmc_structure_build(&ps, err))) {
      st = IONKMC_EINVAL;
      goto done;
    }
    if (snap->natoms != perfect->natoms) {
      st = ionkmc_error_set(err, IONKMC_EINVAL,
                            "snapshot frame %lld: %d atoms, but the defect-free cell of this --a-site, --size and "
                            "--seed holds %d (the snapshots must be of that cell, as `ionkmc structure` writes it)",
                            (long long)snap->index, snap->natoms, perfect->natoms);
      goto done;
    }
    for (int i = 0; i < perfect->natoms; i++)
      if (snap->element[i] != perfect->atoms[i].element) {
        st = ionkmc_error_set(err, IONKMC_EINVAL,
                              "snapshot frame %lld: atom %d (id %lld) is %s, the defect-free cell has %s there (the "
                              "snapshots must hold the atoms in the order `ionkmc structure` writes them)",
                              (long long)snap->index, i + 1, (long long)snap->id[i],
                              ionkmc_element_name((ionkmc_element)snap->element[i]),
                              ionkmc_element_name((ionkmc_element)perfect->atoms[i].element));
        goto done;
      }
    first = malloc(sizeof *first * (size_t)(off[2] + ns[2]));
    count = calloc((size_t)(off[2] + ns[2]), sizeof *count);
    if (!first || !count) {
      st = ionkmc_error_set(err, IONKMC_ENOMEM, "hop: out of memory");
      goto done;
    }
    for (int i = perfect->natoms - 1; i >= 0; i--) {
      const ionkmc_atom *p = &perfect->atoms[i];
      first[off[p->sub] + p->site] = i;
      count[off[p->sub] + p->site]++;
    }
  }
  ionkmc_sublattice hsub = ionkmc_defect_sublattice(spec.defect[0].kind);
  const int src = init->defect[0].site, dst = hop->defect[0].site;
  int *rank = calloc((size_t)(off[2] + ns[2]), sizeof *rank);
  if (!rank) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "hop: out of memory");
    goto done;
  }
  double dmax = -1;
  for (int i = 0; i < n; i++) {
    const ionkmc_atom *p = &init->atoms[i], *q = &hop->atoms[i];
    strcpy(A->el[i], ionkmc_element_name((ionkmc_element)p->element));
    strcpy(B->el[i], A->el[i]);
    int r = rank[off[p->sub] + p->site]++;
    int touched = p->sub == (int)hsub && (p->site == src || p->site == dst);
    double x[3], d[3], dc[3];
    to_cell(p->x, box, cell, x);
    if (snap && !touched && r < count[off[p->sub] + p->site]) {
      int j = first[off[p->sub] + p->site] + r;
      for (int c = 0; c < 3; c++) x[c] = snap->x[3 * j + c] - snap->origin[c];
      info->from_snapshot++;
    }
    diff(p->x, q->x, box, d);
    to_cell(d, box, cell, dc);
    double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    if (d2 > dmax) dmax = d2, info->mover = i;
    for (int c = 0; c < 3; c++) {
      A->x[3 * i + c] = x[c];
      B->x[3 * i + c] = x[c] + dc[c];
    }
  }
  free(rank);
  to_cell(init->defect_pos[0], box, cell, info->s0);
  to_cell(hop->defect_pos[0], box, cell, info->s1);
  info->a = spec.a;
  info->seed = spec.seed;
  descriptor(init, hop, info);
done:
  if (st) {
    ionkmc_atoms_free(*ini);
    ionkmc_atoms_free(*fin);
    *ini = *fin = NULL;
  }
  free(first);
  free(count);
  ionkmc_structure_free(perfect);
  ionkmc_structure_free(hop);
  ionkmc_structure_free(init);
  return st;
}
