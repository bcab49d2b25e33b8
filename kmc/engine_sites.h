/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Site numbering and neighbours of the engine's species states (private to
 * kmc/, included by kmc/engine_impl.h after species_state).
 *
 * Units: positions and steps in h = a/2 (wrapped h-positions in [0, 2L));
 * site indices are the engine's internal numbering (X sites in tiles of 8^3
 * cells in Morton order), public indices those of lattice/lattice.h.
 * Ownership: the functions read the tables of the species_state they are
 * given and own nothing; a caller's buffer holds a computed row. */
#ifndef IONKMC_ENGINE_SITES_H
#define IONKMC_ENGINE_SITES_H

/* ---- site numbering (see species_state) -------------------------------- */

/* Internal index of the X site of type k at wrapped h-position h (each
 * coordinate in [-1, 2L], taken periodically). */
static inline int x_index(const species_state *S, int hx, int hy, int hz, int k) {
  return S->xo[0][hx] + S->xo[1][hy] + S->xo[2][hz] + k;
}

/* Boxes with at most this many internal X sites keep an X-X table. */
#define X_TABLE_MAX_SITES (1 << 19)

/* Neighbour d of the X site of type k at wrapped h-position hw, computed. */
static inline int x_nbr_at(const species_state *S, const uint16_t hw[3], int k, int d) {
  const int8_t *v = S->xv[k][d];
  return x_index(S, hw[0] + v[0], hw[1] + v[1], hw[2] + v[2], S->xk[k][d]);
}

/* The 8 X-X neighbours of the X site of type k at wrapped h-position hw,
 * computed. */
static inline void x_nbrs_at(const species_state *S, const uint16_t hw[3], int k,
                             int32_t nb[IONKMC_NNB_XX]) {
  for (int d = 0; d < IONKMC_NNB_XX; d++) nb[d] = x_nbr_at(S, hw, k, d);
}

/* Neighbour d of X site `site` (of type k at hw): from the table when the
 * box keeps one. */
static inline int x_nbr(const species_state *S, int site, const uint16_t hw[3], int k, int d) {
  if (S->xnb) return S->xnb[(size_t)site * IONKMC_NNB_XX + d];
  return x_nbr_at(S, hw, k, d);
}

/* The 8 neighbours of X site `site` (of type k at hw): a table row, or
 * computed into buf. */
static inline const int32_t *x_row(const species_state *S, int site, const uint16_t hw[3], int k,
                                   int32_t buf[IONKMC_NNB_XX]) {
  if (S->xnb) return S->xnb + (size_t)site * IONKMC_NNB_XX;
  x_nbrs_at(S, hw, k, buf);
  return buf;
}

/* Wrapped h-position and type of internal X site i. */
static inline int x_decode(const species_state *S, int i, uint16_t hw[3]) {
  int k = i % 3, cell = i / 3, m = cell & 511, tile = cell >> 9;
  int t[3] = {tile / (S->nt * S->nt), (tile / S->nt) % S->nt, tile % S->nt};
  for (int a = 0; a < 3; a++) {
    int c = 0;
    for (int b = 0; b < 3; b++) c |= ((m >> (3 * b + 2 - a)) & 1) << b;
    hw[a] = (uint16_t)(2 * (8 * t[a] + c) + (a == k));
  }
  return k;
}

/* Internal index of public site p of species state S, and back (identity
 * on A). */
static inline int x_pub2int(const species_state *S, int p) {
  if (!S->xo[0]) return p;
  int k = p % 3, cell = p / 3, L = S->L;
  int c[3] = {cell / (L * L), (cell / L) % L, cell % L};
  return x_index(S, 2 * c[0] + (k == 0), 2 * c[1] + (k == 1), 2 * c[2] + (k == 2), k);
}
static inline int x_int2pub(const species_state *S, int i) {
  if (!S->xo[0]) return i;
  uint16_t hw[3];
  int k = x_decode(S, i, hw), L = S->L;
  return (((hw[0] >> 1) * L + (hw[1] >> 1)) * L + (hw[2] >> 1)) * 3 + k;
}

/* The z neighbours of site `site` of S: a row of the table on A, computed
 * into buf on X. */
static inline const int32_t *site_nbrs(const species_state *S, int site, int32_t buf[IONKMC_NNB_XX]) {
  if (!S->xo[0]) return S->nbr + (size_t)site * S->z;
  if (S->xnb) return S->xnb + (size_t)site * IONKMC_NNB_XX;
  uint16_t hw[3];
  int k = x_decode(S, site, hw);
  x_nbrs_at(S, hw, k, buf);
  return buf;
}

#endif
