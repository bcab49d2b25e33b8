/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Rate tables of the KMC engine: per kind and X-site type the rate and
 * displacement of every path (field bias included) and the total rate of a
 * defect for each mask of open directions. See engine.h for conventions. */
#include "kmc/engine_impl.h"

void ionkmc_engine_build_tables(ionkmc_engine *e) {
  const ionkmc_box_spec *s = &e->spec;
  e->fast_kind = ionkmc_defect_is_vacancy(HOP_FAST_KIND) &&
                         ionkmc_defect_sublattice(HOP_FAST_KIND) == IONKMC_SUB_X
                     ? HOP_FAST_KIND
                     : -1;
  ionkmc_conditions cond = ionkmc_box_spec_conditions(s);
  double kT = ionkmc_conditions_kT(&cond);
  /* An X site of type k has its odd coordinate along k; a neighbour differs
   * by +-1 along k and along one other axis, which becomes its odd one. */
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(k, d);
      for (int c = 0; c < 3; c++)
        if (c != k && v[c] != 0) e->xt_next[k][d] = (uint8_t)c;
    }
  /* The cages (A sites) next to both ends of an X-X path: of the four A
   * neighbours of the initial site, the two at a/sqrt2 from the final one. */
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(k, d);
      int n = 0;
      for (int s1 = -1; s1 <= 1; s1 += 2)
        for (int s2 = -1; s2 <= 1; s2 += 2) {
          int8_t o[3] = {0, 0, 0};
          o[(k + 1) % 3] = (int8_t)s1;
          o[(k + 2) % 3] = (int8_t)s2;
          int r2 = 0;
          for (int c = 0; c < 3; c++) r2 += (o[c] - v[c]) * (o[c] - v[c]);
          if (r2 == 2 && n < 2) memcpy(e->xcage[k][d][n++], o, sizeof o);
        }
    }
  for (int kind = 0; kind < IONKMC_NDEFECT; kind++) {
    int onx = kind_sp(kind) == 0;
    int z = ionkmc_defect_z(kind), np = ionkmc_defect_npaths(kind);
    int ntype = onx ? 3 : 1;
    int vac = ionkmc_defect_is_vacancy(kind);
    int coll = !onx && !vac && s->pattern[kind] == IONKMC_PATTERN_COLLINEAR;
    double q = ionkmc_defect_charge(kind);
    e->kcls[kind] = (uint8_t)(vac ? CLS_VAC : coll ? CLS_INT_COLL : CLS_INT);
    e->ksp[kind] = (uint8_t)kind_sp(kind);
    e->knp[kind] = (uint8_t)np;
    e->kz[kind] = (uint8_t)z;
    for (int k = 0; k < ntype; k++) {
      e->rpos[kind][k] = 0;
      for (int p = 0; p < np; p++) {
        int d = p % z;
        const int8_t *v = onx ? ionkmc_lattice_xx_vec(k, d) : ionkmc_lattice_aa_vec(d);
        int mult = coll ? 2 : 1;
        double dr[3];
        int j2 = 0;
        for (int c = 0; c < 3; c++) {
          e->dvec[kind][k][p][c] = (int8_t)(mult * v[c]);
          e->astep[kind][k][p][c] = (int8_t)(vac ? -v[c] : v[c]); /* a vacancy's atom moves back */
          dr[c] = 0.5 * s->cond.a * (mult * v[c]);
          j2 += v[c] * v[c];
        }
        e->jump2[kind][p] = (int8_t)j2;
        e->rtab[kind][k][p] = s->rate[kind] * ionkmc_rate_field_bias(q, s->cond.field, dr, kT);
        if (e->rtab[kind][k][p] > 0) e->rpos[kind][k] |= (uint16_t)(1u << p);
      }
      /* The sums in the order of the path scan: vacancies add path by path,
       * interstitials add the two atoms' paths of a direction as a pair. */
      const double *rt = e->rtab[kind][k];
      for (int m = 0; m < (1 << z); m++) {
        double sum = 0;
        for (int p = 0; p < z; p++) {
          int ok = (m >> p) & 1;
          if (vac) sum += ok ? rt[p] : 0.0;
          else sum += (ok ? rt[p] : 0.0) + (ok ? rt[z + p] : 0.0);
        }
        e->rsum[kind][k][m] = sum;
      }
    }
  }
}
