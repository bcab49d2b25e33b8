/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: hop end points in ABX3 supercells. See barriers/hopcell.h. */
#include "barriers/hopcell.h"

#include <math.h>
#include <string.h>

ionkmc_status ionkmc_hop_mech_parse(const char *name, ionkmc_hop_mech *mech) {
  static const char *vx[] = {"V_X", "V_I", "V_I+"}, *va[] = {"V_A", "V_MA", "V_MA-", "V_MA0", "V_Cs"};
  for (int k = 0; k < 3; k++)
    if (!strcmp(name, vx[k])) return *mech = IONKMC_HOP_V_X, IONKMC_OK;
  for (int k = 0; k < 5; k++)
    if (!strcmp(name, va[k])) return *mech = IONKMC_HOP_V_A, IONKMC_OK;
  if (!strcmp(name, "I_X") || !strcmp(name, "I_I") || !strcmp(name, "I_I-")) return *mech = IONKMC_HOP_I_X, IONKMC_OK;
  return IONKMC_EINVAL;
}

void ionkmc_atoms_scale(ionkmc_atoms *s, double f) {
  for (int i = 0; i < 3 * s->n; i++) s->x[i] *= f;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) s->cell[i][j] *= f;
}

ionkmc_status ionkmc_hopcell_build(const char *a_el, const char *b_el, const char *x_el, int L, double a,
                                   ionkmc_hop_mech mech, ionkmc_atoms **initial, ionkmc_atoms **final, int *mover,
                                   ionkmc_error *err) {
  *initial = *final = NULL;
  if (L < 2 || L > 20) return ionkmc_error_set(err, IONKMC_EINVAL, "hop cell: size %d (expected 2..20)", L);
  if (!(a >= 3 && a <= 10)) return ionkmc_error_set(err, IONKMC_EINVAL, "hop cell: a = %g angstrom (expected 3..10)", a);
  const char *el[5] = {a_el, b_el, x_el, x_el, x_el};
  for (int k = 0; k < 3; k++)
    if (!el[k] || !el[k][0] || strlen(el[k]) >= IONKMC_ATOMS_SYMLEN)
      return ionkmc_error_set(err, IONKMC_EINVAL, "hop cell: bad element name");
  static const double basis[5][3] = {{0.5, 0.5, 0.5}, {0, 0, 0}, {0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
  const int inter = mech == IONKMC_HOP_I_X;
  /* removed atom (vacancies): (cell, basis); the interstitial removes none */
  const int rm_cell[3] = {0, 0, 0}, rm_b = inter ? -1 : mech == IONKMC_HOP_V_X ? 2 : 0;
  const int mv_cell[3] = {mech == IONKMC_HOP_V_A ? 1 : 0, 0, 0}, mv_b = mech == IONKMC_HOP_V_A ? 0 : 3;
  ionkmc_atoms *s = ionkmc_atoms_alloc(5 * L * L * L + (inter ? 1 : -1));
  if (!s) return ionkmc_error_set(err, IONKMC_ENOMEM, "hop cell: out of memory");
  int k = 0;
  *mover = -1;
  for (int x = 0; x < L; x++)
    for (int y = 0; y < L; y++)
      for (int z = 0; z < L; z++)
        for (int b = 0; b < 5; b++) {
          int c[3] = {x, y, z};
          if (b == rm_b && !memcmp(c, rm_cell, sizeof c)) continue;
          if (b == mv_b && !memcmp(c, mv_cell, sizeof c)) *mover = k;
          for (int d = 0; d < 3; d++) s->x[3 * k + d] = (c[d] + basis[b][d]) * a;
          strcpy(s->el[k], el[b]);
          k++;
        }
  for (int d = 0; d < 3; d++) s->cell[d][d] = L * a;
  int partner = -1, host = *mover;
  if (inter) { /* the X atom at (1/2,0,0) is index 2 (cell 0, basis 2); the extra one is last */
    const double split = 1.6;
    partner = 2;
    *mover = k;
    strcpy(s->el[k], x_el);
    s->x[3 * k] = 0.5 * a, s->x[3 * k + 1] = split, s->x[3 * k + 2] = 0;
    s->x[3 * partner + 1] = -split;
  }
  ionkmc_atoms *f = ionkmc_atoms_copy(s);
  if (!f) {
    ionkmc_atoms_free(s);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "hop cell: out of memory");
  }
  if (inter) {
    const double split = 1.6;
    f->x[3 * partner + 1] = 0;                      /* back onto (1/2,0,0) */
    f->x[3 * host + 2] = -split;                    /* (0,1/2,0) - split z */
    f->x[3 * *mover] = 0, f->x[3 * *mover + 1] = 0.5 * a, f->x[3 * *mover + 2] = split;
  } else {
    for (int d = 0; d < 3; d++) f->x[3 * *mover + d] = (rm_cell[d] + basis[rm_b][d]) * a;
  }
  *initial = s;
  *final = f;
  return IONKMC_OK;
}
