/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Cubic perovskite supercell: site indexing and neighbour tables. */
#include "lattice/lattice.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The neighbour tables are built on first use (a 150^3 box's five tables
 * take 730 MB, and the engine reads none of them on the X sublattice), by
 * whichever thread asks first; a thread that loses the race frees its copy. */
enum { T_XX, T_AA, T_AA2, T_AX, T_BX, T_N };

struct ionkmc_lattice {
  int L;
  int ncell;
  _Atomic(int32_t *) table[T_N]; /* xx [3 ncell][8], aa, aa2 [ncell][6], ax [ncell][12], bx [ncell][6] */
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

static void build_table(const ionkmc_lattice *lat, ionkmc_sublattice from, ionkmc_sublattice to,
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

/* What each table holds: from, to, neighbours, displacements. */
static const struct {
  ionkmc_sublattice from, to;
  int nnb;
  const int8_t (*vec)[3];
} TABLES[T_N] = {
    {IONKMC_SUB_X, IONKMC_SUB_X, IONKMC_NNB_XX, NULL},
    {IONKMC_SUB_A, IONKMC_SUB_A, IONKMC_NNB_AA, AA_VEC},
    {IONKMC_SUB_A, IONKMC_SUB_A, IONKMC_NNB_AA, AA2_VEC},
    {IONKMC_SUB_A, IONKMC_SUB_X, IONKMC_NNB_AX, AX_VEC},
    {IONKMC_SUB_B, IONKMC_SUB_X, IONKMC_NNB_BX, BX_VEC},
};

/* Table t, built now if no thread has built it yet; NULL if out of memory. */
static const int32_t *table_get(const ionkmc_lattice *lat, int t) {
  ionkmc_lattice *w = (ionkmc_lattice *)lat; /* the tables are a cache */
  int32_t *tab = atomic_load(&w->table[t]);
  if (tab) return tab;
  size_t n = (size_t)ionkmc_lattice_nsites(lat, TABLES[t].from) * TABLES[t].nnb;
  int32_t *mine = malloc(sizeof(int32_t) * n);
  if (!mine) return NULL;
  build_table(lat, TABLES[t].from, TABLES[t].to, TABLES[t].nnb, TABLES[t].vec, mine);
  if (atomic_compare_exchange_strong(&w->table[t], &tab, mine)) return mine;
  free(mine); /* another thread's copy won */
  return tab;
}

ionkmc_lattice *ionkmc_lattice_alloc(int L, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_lattice *lat = NULL;
  if (L < 2 || L > IONKMC_LATTICE_MAX_L) {
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
  for (int t = 0; t < T_N; t++) atomic_init(&lat->table[t], NULL);
done:
  if (status) *status = st;
  return lat;
}

void ionkmc_lattice_free(ionkmc_lattice *lat) {
  if (!lat) return;
  for (int t = 0; t < T_N; t++) free(atomic_load(&lat->table[t]));
  free(lat);
}

int ionkmc_lattice_size(const ionkmc_lattice *lat) { return lat->L; }

int ionkmc_lattice_nsites(const ionkmc_lattice *lat, ionkmc_sublattice sub) {
  return sub == IONKMC_SUB_X ? 3 * lat->ncell : lat->ncell;
}

const int32_t *ionkmc_lattice_neighbours(const ionkmc_lattice *lat, const char *kind, int site,
                                         int *n, const int8_t **vec) {
  if (!kind) return NULL;
  static const char *const NAMES[T_N] = {"XX", "AA", "AA2", "AX", "BX"};
  int t = 0;
  while (t < T_N && strcmp(kind, NAMES[t])) t++;
  if (t == T_N) return NULL;
  int nnb = TABLES[t].nnb;
  if (site < 0 || site >= ionkmc_lattice_nsites(lat, TABLES[t].from)) return NULL;
  const int32_t *table = table_get(lat, t);
  if (!table) return NULL;
  if (n) *n = nnb;
  if (vec) *vec = t == T_XX ? &XX_VEC[site % 3][0][0] : &TABLES[t].vec[0][0];
  return table + (size_t)site * nnb;
}

const int32_t *ionkmc_lattice_xx(const ionkmc_lattice *lat) { return table_get(lat, T_XX); }
const int32_t *ionkmc_lattice_aa(const ionkmc_lattice *lat) { return table_get(lat, T_AA); }
const int32_t *ionkmc_lattice_aa2(const ionkmc_lattice *lat) { return table_get(lat, T_AA2); }
const int8_t *ionkmc_lattice_xx_vec(int k, int d) { return XX_VEC[k][d]; }
const int8_t *ionkmc_lattice_aa_vec(int d) { return AA_VEC[d]; }
