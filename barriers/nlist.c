/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: periodic cell-list neighbour lists. See barriers/nlist.h. */
#include "barriers/nlist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/atoms.h"

#define NLIST_MAX_BINS_PER_DIM 128

ionkmc_nlist *ionkmc_nlist_alloc(void) { return calloc(1, sizeof(ionkmc_nlist)); }

void ionkmc_nlist_free(ionkmc_nlist *nl) {
  if (!nl) return;
  free(nl->src);
  free(nl->dst);
  free(nl->shift);
  free(nl->bin_head);
  free(nl->next);
  free(nl->bin_of);
  free(nl->xw);
  free(nl->img);
  free(nl);
}

static int grow_edges(ionkmc_nlist *nl, int64_t need) {
  if (need <= nl->cap) return 1;
  int64_t cap = nl->cap ? nl->cap : 1024;
  while (cap < need) cap *= 2;
  int64_t *s = realloc(nl->src, (size_t)cap * sizeof *s);
  if (!s) return 0;
  nl->src = s;
  int64_t *d = realloc(nl->dst, (size_t)cap * sizeof *d);
  if (!d) return 0;
  nl->dst = d;
  double *sh = realloc(nl->shift, (size_t)cap * 3 * sizeof *sh);
  if (!sh) return 0;
  nl->shift = sh;
  nl->cap = cap;
  return 1;
}

static inline int push_edge(ionkmc_nlist *nl, int i, int j, const int s[3]) {
  if (nl->nedges == nl->cap && !grow_edges(nl, nl->nedges + 1)) return 0;
  int64_t e = nl->nedges++;
  nl->src[e] = i;
  nl->dst[e] = j;
  for (int k = 0; k < 3; k++) nl->shift[3 * e + k] = s[k];
  return 1;
}

static ionkmc_status check_args(int n, const double *x, const double cell[3][3], double rc, double inv[3][3],
                                double width[3], ionkmc_error *err) {
  if (n < 0 || (n > 0 && !x)) return ionkmc_error_set(err, IONKMC_EINVAL, "neighbour list: bad atoms");
  if (!(rc > 0) || !isfinite(rc))
    return ionkmc_error_set(err, IONKMC_EINVAL, "neighbour list: cutoff %g must be positive", rc);
  if (ionkmc_cell_inverse(cell, inv, width) == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "neighbour list: singular cell");
  for (int i = 0; i < 3 * n; i++)
    if (!isfinite(x[i]))
      return ionkmc_error_set(err, IONKMC_EINVAL, "neighbour list: atom %d has a non-finite position", i / 3);
  return IONKMC_OK;
}

ionkmc_status ionkmc_nlist_build(ionkmc_nlist *nl, int n, const double *x, const double cell[3][3], double rc,
                                 ionkmc_error *err) {
  double inv[3][3], width[3];
  ionkmc_status st = check_args(n, x, cell, rc, inv, width, err);
  if (st) return st;
  nl->nedges = 0;
  int nb[3], m[3];
  for (int k = 0; k < 3; k++) {
    nb[k] = (int)floor(width[k] / rc);
    if (nb[k] < 1) nb[k] = 1;
    if (nb[k] > NLIST_MAX_BINS_PER_DIM) nb[k] = NLIST_MAX_BINS_PER_DIM;
    /* Bins are width/nb wide; atoms within rc differ by at most m bins. */
    m[k] = (int)ceil(rc * nb[k] / width[k] - 1e-12);
    if (m[k] < 1) m[k] = 1;
  }
  int nbins = nb[0] * nb[1] * nb[2];
  if (n > nl->natoms_cap) {
    free(nl->next);
    free(nl->bin_of);
    free(nl->xw);
    free(nl->img);
    nl->next = malloc((size_t)n * sizeof *nl->next);
    nl->bin_of = malloc((size_t)n * sizeof *nl->bin_of);
    nl->xw = malloc((size_t)n * 3 * sizeof *nl->xw);
    nl->img = malloc((size_t)n * 3 * sizeof *nl->img);
    nl->natoms_cap = (nl->next && nl->bin_of && nl->xw && nl->img) ? n : 0;
    if (!nl->natoms_cap) return ionkmc_error_set(err, IONKMC_ENOMEM, "neighbour list: out of memory");
  }
  if (nbins > nl->nbins_cap) {
    free(nl->bin_head);
    nl->bin_head = malloc((size_t)nbins * sizeof *nl->bin_head);
    nl->nbins_cap = nl->bin_head ? nbins : 0;
    if (!nl->bin_head) return ionkmc_error_set(err, IONKMC_ENOMEM, "neighbour list: out of memory");
  }
  for (int b = 0; b < nbins; b++) nl->bin_head[b] = -1;
  /* Wrap into the cell through fractional coordinates; bin. Insert in
   * reverse so each bin's chain runs in increasing atom order. */
  for (int i = n - 1; i >= 0; i--) {
    double s[3];
    int bi[3];
    for (int k = 0; k < 3; k++) {
      s[k] = x[3 * i] * inv[0][k] + x[3 * i + 1] * inv[1][k] + x[3 * i + 2] * inv[2][k];
      double f = floor(s[k]);
      nl->img[3 * i + k] = (int)f;
      s[k] -= f;
      bi[k] = (int)(s[k] * nb[k]);
      if (bi[k] >= nb[k]) bi[k] = nb[k] - 1;
      if (bi[k] < 0) bi[k] = 0;
    }
    for (int k = 0; k < 3; k++)
      nl->xw[3 * i + k] = s[0] * cell[0][k] + s[1] * cell[1][k] + s[2] * cell[2][k];
    int b = (bi[0] * nb[1] + bi[1]) * nb[2] + bi[2];
    nl->bin_of[i] = b;
    nl->next[i] = nl->bin_head[b];
    nl->bin_head[b] = i;
  }
  const double rc2 = rc * rc;
  for (int i = 0; i < n; i++) {
    int b = nl->bin_of[i];
    int bi[3] = {b / (nb[1] * nb[2]), (b / nb[2]) % nb[1], b % nb[2]};
    const double *xi = &nl->xw[3 * i];
    for (int d0 = -m[0]; d0 <= m[0]; d0++)
      for (int d1 = -m[1]; d1 <= m[1]; d1++)
        for (int d2 = -m[2]; d2 <= m[2]; d2++) {
          int d[3] = {d0, d1, d2}, tb[3], S[3];
          for (int k = 0; k < 3; k++) {
            int t = bi[k] + d[k];
            /* floor division: the image of the target bin */
            S[k] = t >= 0 ? t / nb[k] : -((-t + nb[k] - 1) / nb[k]);
            tb[k] = t - S[k] * nb[k];
          }
          double off[3];
          for (int k = 0; k < 3; k++) off[k] = S[0] * cell[0][k] + S[1] * cell[1][k] + S[2] * cell[2][k];
          for (int j = nl->bin_head[(tb[0] * nb[1] + tb[1]) * nb[2] + tb[2]]; j >= 0; j = nl->next[j]) {
            if (j == i && S[0] == 0 && S[1] == 0 && S[2] == 0) continue;
            const double *xj = &nl->xw[3 * j];
            double dx = xj[0] + off[0] - xi[0], dy = xj[1] + off[1] - xi[1], dz = xj[2] + off[2] - xi[2];
            if (dx * dx + dy * dy + dz * dz >= rc2) continue;
            /* back to the unwrapped positions: x = xw + img . cell */
            int E[3];
            for (int k = 0; k < 3; k++) E[k] = S[k] + nl->img[3 * i + k] - nl->img[3 * j + k];
            if (!push_edge(nl, i, j, E)) return ionkmc_error_set(err, IONKMC_ENOMEM, "neighbour list: out of memory");
          }
        }
  }
  return IONKMC_OK;
}

ionkmc_status ionkmc_nlist_build_brute(ionkmc_nlist *nl, int n, const double *x, const double cell[3][3],
                                       double rc, ionkmc_error *err) {
  double inv[3][3], width[3];
  ionkmc_status st = check_args(n, x, cell, rc, inv, width, err);
  if (st) return st;
  nl->nedges = 0;
  /* Any shift within reach: the fractional extent of the atoms plus rc. */
  double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
  for (int i = 0; i < n; i++)
    for (int k = 0; k < 3; k++) {
      double s = x[3 * i] * inv[0][k] + x[3 * i + 1] * inv[1][k] + x[3 * i + 2] * inv[2][k];
      lo[k] = fmin(lo[k], s);
      hi[k] = fmax(hi[k], s);
    }
  int M[3];
  for (int k = 0; k < 3; k++) M[k] = n ? (int)ceil(hi[k] - lo[k] + rc / width[k]) + 1 : 0;
  const double rc2 = rc * rc;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      for (int s0 = -M[0]; s0 <= M[0]; s0++)
        for (int s1 = -M[1]; s1 <= M[1]; s1++)
          for (int s2 = -M[2]; s2 <= M[2]; s2++) {
            if (i == j && !s0 && !s1 && !s2) continue;
            int S[3] = {s0, s1, s2};
            double r2 = 0;
            for (int k = 0; k < 3; k++) {
              double d = x[3 * j + k] - x[3 * i + k] + s0 * cell[0][k] + s1 * cell[1][k] + s2 * cell[2][k];
              r2 += d * d;
            }
            if (r2 < rc2 && !push_edge(nl, i, j, S))
              return ionkmc_error_set(err, IONKMC_ENOMEM, "neighbour list: out of memory");
          }
  return IONKMC_OK;
}
