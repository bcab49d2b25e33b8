/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Cubic perovskite supercell: site indexing and neighbour tables. */
#include "lattice/lattice.h"

#include <stdlib.h>
#include <string.h>

struct ionkmc_lattice {
  int L;
  int ncell;
  int32_t *xx;  /* [3 ncell][8] */
  int32_t *aa;  /* [ncell][6] */
  int32_t *aa2; /* [ncell][6] */
  int32_t *ax;  /* [ncell][12] */
  int32_t *bx;  /* [ncell][6] */
};

/* X-X neighbour displacements per X type k, in h-units. An X site of type k
 * has its odd coordinate along axis k; its 8 neighbours differ by +-1 along k
 * and by +-1 along one of the two other axes. Path d and path d^4 are
 * opposite for every k (the tables are ordered so). */
static const int8_t XX_VEC[3][IONKMC_NNB_XX][3] = {
    {{-1, -1, 0}, {-1, 1, 0}, {-1, 0, -1}, {-1, 0, 1}, {1, 1, 0}, {1, -1, 0}, {1, 0, 1}, {1, 0, -1}},
    {{-1, -1, 0}, {1, -1, 0}, {0, -1, -1}, {0, -1, 1}, {1, 1, 0}, {-1, 1, 0}, {0, 1, 1}, {0, 1, -1}},
    {{-1, 0, -1}, {1, 0, -1}, {0, -1, -1}, {0, 1, -1}, {1, 0, 1}, {-1, 0, 1}, {0, 1, 1}, {0, -1, 1}}};
/* A-A neighbours; d^1 is opposite to d. */
static const int8_t AA_VEC[IONKMC_NNB_AA][3] = {
    {2, 0, 0}, {-2, 0, 0}, {0, 2, 0}, {0, -2, 0}, {0, 0, 2}, {0, 0, -2}};
static const int8_t AA2_VEC[IONKMC_NNB_AA][3] = {
    {4, 0, 0}, {-4, 0, 0}, {0, 4, 0}, {0, -4, 0}, {0, 0, 4}, {0, 0, -4}};
static const int8_t AX_VEC[IONKMC_NNB_AX][3] = {
    {0, -1, -1}, {0, -1, 1}, {0, 1, -1}, {0, 1, 1}, {-1, 0, -1}, {-1, 0, 1},
    {1, 0, -1},  {1, 0, 1},  {-1, -1, 0}, {-1, 1, 0}, {1, -1, 0}, {1, 1, 0}};
static const int8_t BX_VEC[IONKMC_NNB_BX][3] = {
    {1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};

ionkmc_acell_model ionkmc_acell_default(void) {
  ionkmc_acell_model m = {6.354, 500.0, 2.3e-4};
  return m;
}

double ionkmc_acell_eval(const ionkmc_acell_model *m, double T) {
  return m->a0 + m->dadT * (T - m->T0);
}

static inline int wrap(int v, int m) {
  int r = v % m;
  return r < 0 ? r + m : r;
}

int ionkmc_lattice_site_at(const ionkmc_lattice *lat, ionkmc_sublattice sub,
                           const int32_t pos[3]) {
  int L = lat->L, m = 2 * L;
  int p[3] = {wrap(pos[0], m), wrap(pos[1], m), wrap(pos[2], m)};
  int odd = (p[0] & 1) + (p[1] & 1) + (p[2] & 1);
  int cell = ((p[0] >> 1) * L + (p[1] >> 1)) * L + (p[2] >> 1);
  switch (sub) {
  case IONKMC_SUB_B: return odd == 0 ? cell : -1;
  case IONKMC_SUB_A: return odd == 3 ? cell : -1;
  case IONKMC_SUB_X:
    if (odd != 1) return -1;
    return 3 * cell + ((p[0] & 1) ? 0 : (p[1] & 1) ? 1 : 2);
  }
  return -1;
}

void ionkmc_lattice_site_pos(const ionkmc_lattice *lat, ionkmc_sublattice sub, int site,
                             int32_t pos[3]) {
  int L = lat->L;
  int cell = sub == IONKMC_SUB_X ? site / 3 : site;
  pos[0] = 2 * (cell / (L * L));
  pos[1] = 2 * ((cell / L) % L);
  pos[2] = 2 * (cell % L);
  if (sub == IONKMC_SUB_A) {
    pos[0]++; pos[1]++; pos[2]++;
  } else if (sub == IONKMC_SUB_X) {
    pos[site % 3]++;
  }
}

static void build_table(ionkmc_lattice *lat, ionkmc_sublattice from, ionkmc_sublattice to,
                        int nnb, const int8_t (*vec)[3], int32_t *table) {
  int n = ionkmc_lattice_nsites(lat, from);
  for (int s = 0; s < n; s++) {
    int32_t p[3];
    ionkmc_lattice_site_pos(lat, from, s, p);
    for (int d = 0; d < nnb; d++) {
      const int8_t *v = from == IONKMC_SUB_X ? XX_VEC[s % 3][d] : vec[d];
      int32_t q[3] = {p[0] + v[0], p[1] + v[1], p[2] + v[2]};
      table[(size_t)s * nnb + d] = ionkmc_lattice_site_at(lat, to, q);
    }
  }
}

ionkmc_lattice *ionkmc_lattice_alloc(int L, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_lattice *lat = NULL;
  if (L < 2 || L > 1024) {
    st = IONKMC_EINVAL;
    goto done;
  }
  lat = calloc(1, sizeof *lat);
  if (!lat) {
    st = IONKMC_ENOMEM;
    goto done;
  }
  lat->L = L;
  lat->ncell = L * L * L;
  size_t nc = (size_t)lat->ncell;
  lat->xx = malloc(sizeof(int32_t) * 3 * nc * IONKMC_NNB_XX);
  lat->aa = malloc(sizeof(int32_t) * nc * IONKMC_NNB_AA);
  lat->aa2 = malloc(sizeof(int32_t) * nc * IONKMC_NNB_AA);
  lat->ax = malloc(sizeof(int32_t) * nc * IONKMC_NNB_AX);
  lat->bx = malloc(sizeof(int32_t) * nc * IONKMC_NNB_BX);
  if (!lat->xx || !lat->aa || !lat->aa2 || !lat->ax || !lat->bx) {
    ionkmc_lattice_free(lat);
    lat = NULL;
    st = IONKMC_ENOMEM;
    goto done;
  }
  build_table(lat, IONKMC_SUB_X, IONKMC_SUB_X, IONKMC_NNB_XX, NULL, lat->xx);
  build_table(lat, IONKMC_SUB_A, IONKMC_SUB_A, IONKMC_NNB_AA, AA_VEC, lat->aa);
  build_table(lat, IONKMC_SUB_A, IONKMC_SUB_A, IONKMC_NNB_AA, AA2_VEC, lat->aa2);
  build_table(lat, IONKMC_SUB_A, IONKMC_SUB_X, IONKMC_NNB_AX, AX_VEC, lat->ax);
  build_table(lat, IONKMC_SUB_B, IONKMC_SUB_X, IONKMC_NNB_BX, BX_VEC, lat->bx);
done:
  if (status) *status = st;
  return lat;
}

void ionkmc_lattice_free(ionkmc_lattice *lat) {
  if (!lat) return;
  free(lat->xx);
  free(lat->aa);
  free(lat->aa2);
  free(lat->ax);
  free(lat->bx);
  free(lat);
}

int ionkmc_lattice_size(const ionkmc_lattice *lat) { return lat->L; }

int ionkmc_lattice_nsites(const ionkmc_lattice *lat, ionkmc_sublattice sub) {
  return sub == IONKMC_SUB_X ? 3 * lat->ncell : lat->ncell;
}

const int32_t *ionkmc_lattice_neighbours(const ionkmc_lattice *lat, const char *kind, int site,
                                         int *n, const int8_t **vec) {
  if (!kind) return NULL;
  ionkmc_sublattice from;
  int nnb;
  const int32_t *table;
  const int8_t *v;
  if (!strcmp(kind, "XX")) {
    from = IONKMC_SUB_X, nnb = IONKMC_NNB_XX, table = lat->xx;
  } else if (!strcmp(kind, "AA")) {
    from = IONKMC_SUB_A, nnb = IONKMC_NNB_AA, table = lat->aa;
  } else if (!strcmp(kind, "AA2")) {
    from = IONKMC_SUB_A, nnb = IONKMC_NNB_AA, table = lat->aa2;
  } else if (!strcmp(kind, "AX")) {
    from = IONKMC_SUB_A, nnb = IONKMC_NNB_AX, table = lat->ax;
  } else if (!strcmp(kind, "BX")) {
    from = IONKMC_SUB_B, nnb = IONKMC_NNB_BX, table = lat->bx;
  } else {
    return NULL;
  }
  if (site < 0 || site >= ionkmc_lattice_nsites(lat, from)) return NULL;
  if (!strcmp(kind, "XX")) v = &XX_VEC[site % 3][0][0];
  else if (!strcmp(kind, "AA")) v = &AA_VEC[0][0];
  else if (!strcmp(kind, "AA2")) v = &AA2_VEC[0][0];
  else if (!strcmp(kind, "AX")) v = &AX_VEC[0][0];
  else v = &BX_VEC[0][0];
  if (n) *n = nnb;
  if (vec) *vec = v;
  return table + (size_t)site * nnb;
}

const int32_t *ionkmc_lattice_xx(const ionkmc_lattice *lat) { return lat->xx; }
const int32_t *ionkmc_lattice_aa(const ionkmc_lattice *lat) { return lat->aa; }
const int32_t *ionkmc_lattice_aa2(const ionkmc_lattice *lat) { return lat->aa2; }
const int8_t *ionkmc_lattice_xx_vec(int k, int d) { return XX_VEC[k][d]; }
const int8_t *ionkmc_lattice_aa_vec(int d) { return AA_VEC[d]; }
