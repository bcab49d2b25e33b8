/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Site assignment and hop detection in MD trajectories, frame by frame.
 * Allocation, the MSD and the summary at the end are in mdtrack_life.c.
 * See mdtrack.h. */
#define _POSIX_C_SOURCE 200809L
#include "calibration/mdtrack.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibration/msd.h"
#include "calibration/msdblock.h"
#include "lattice/lattice.h"
#include "calibration/mdtrack_impl.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif


/* Inverse of the row-vector cell matrix M (x = f M). Returns the determinant. */
static double invert3(const double m[3][3], double inv[3][3]) {
  double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
               m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
               m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (det == 0) return 0;
  inv[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
  inv[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
  inv[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
  inv[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
  inv[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
  inv[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
  inv[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
  inv[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
  inv[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
  return det;
}

/* Wrapped h-coordinates (without the origin offset) of every atom. */
static void frame_h(const ionkmc_mdtrack *t, const ionkmc_frame *f, const double inv[3][3], int i,
                    double h[3]) {
  const double *x = f->x + 3 * (size_t)i;
  double r[3] = {x[0] - f->origin[0], x[1] - f->origin[1], x[2] - f->origin[2]};
  double L2 = 2.0 * t->L;
  for (int c = 0; c < 3; c++) {
    double fr = r[0] * inv[0][c] + r[1] * inv[1][c] + r[2] * inv[2][c];
    fr -= floor(fr);
    h[c] = L2 * fr;
  }
}

static double frame_a(const ionkmc_frame *f, int L) {
  double s = 0;
  for (int k = 0; k < 3; k++)
    s += sqrt(f->cell[k][0] * f->cell[k][0] + f->cell[k][1] * f->cell[k][1] +
              f->cell[k][2] * f->cell[k][2]);
  return s / (3.0 * L);
}

static void nearest_x(const double p[3], int32_t s[3], double *d2) {
  double best = INFINITY;
  for (int k = 0; k < 3; k++) {
    int32_t c[3];
    double dd = 0;
    for (int a = 0; a < 3; a++) {
      c[a] = a == k ? (int32_t)(2 * floor(p[a] / 2) + 1) : (int32_t)(2 * floor(p[a] / 2 + 0.5));
      dd += (p[a] - c[a]) * (p[a] - c[a]);
    }
    if (dd < best) {
      best = dd;
      memcpy(s, c, sizeof c);
    }
  }
  *d2 = best;
}

static void nearest_a(const double p[3], int32_t s[3], double *d2) {
  double dd = 0;
  for (int a = 0; a < 3; a++) {
    s[a] = (int32_t)(2 * floor(p[a] / 2) + 1);
    dd += (p[a] - s[a]) * (p[a] - s[a]);
  }
  *d2 = dd;
}

/* The split-interstitial mechanism of species sp, from the defect table. */
static ionkmc_mech mech_int(int sp) { return ionkmc_mechanism_of(sp, 0); }

static void occ_change(ionkmc_mdtrack *t, int sp, int site, int delta) {
  int v = t->occ[sp][site];
  if (v == 0) t->ndef[mdtrack_mech_vac(sp)]--;
  else if (v >= 2) t->ndef[mech_int(sp)] -= v - 1;
  v += delta;
  if (v < 0) v = 0;
  if (v > 255) v = 255;
  t->occ[sp][site] = (uint8_t)v;
  if (v == 0) t->ndef[mdtrack_mech_vac(sp)]++;
  else if (v >= 2) t->ndef[mech_int(sp)] += v - 1;
}

static int site_of(const ionkmc_mdtrack *t, int sp, const int32_t h[3]) {
  return ionkmc_lattice_site_at(t->lat, sp == 0 ? IONKMC_SUB_X : IONKMC_SUB_A, h);
}

/* The position of particle j (drift-corrected, h-units incl. offset). */
/* The unwrapped coordinates of the current frame: the tracker's own, or
 * after its first frame those of the leader it follows. */
static const double *hun_of(const ionkmc_mdtrack *t) {
  return (t->leader && t->nframes > 0) ? t->leader->hun : t->hun;
}

static void part_pos(const ionkmc_mdtrack *t, int j, const double drift[3], double p[3]) {
  const double *hun = hun_of(t);
  if (j < t->ni) {
    const double *h = hun + 3 * (size_t)t->iat[j];
    for (int c = 0; c < 3; c++) p[c] = h[c] - drift[c] - t->off[c];
  } else {
    const double *hc = hun + 3 * (size_t)t->cat[j - t->ni];
    const double *hn = hun + 3 * (size_t)t->nat[j - t->ni];
    for (int c = 0; c < 3; c++) p[c] = 0.5 * (hc[c] + hn[c]) - drift[c] - t->off[c];
  }
}

void mdtrack_close_group(ionkmc_mdtrack *t, int g) {
  group *G = &t->open[g];
  int64_t ev = 0;
  for (int m = 0; m < IONKMC_NMECH; m++) ev += t->sum.events[m];
  t->sum.events[G->mech]++;
  if (t->fn)
    for (int i = 0; i < G->n; i++) {
      G->rec[i].event = ev;
      G->rec[i].event_mech = G->mech;
      G->rec[i].event_size = G->n;
      t->fn(&G->rec[i], t->user);
    }
  t->open[g] = t->open[--t->nopen];
}

static void add_to_group(ionkmc_mdtrack *t, const ionkmc_hop_record *r) {
  int sp = r->species;
  for (int g = 0; g < t->nopen; g++) {
    group *G = &t->open[g];
    if (G->species != sp || r->time - G->t_last > t->p.window || G->n >= GROUP_MAX) continue;
    int share = 0;
    for (int s = 0; s < 2 * G->n && !share; s++) share = G->sites[s] == r->from_site || G->sites[s] == r->to_site;
    if (!share) continue;
    G->rec[G->n] = *r;
    G->sites[2 * G->n] = r->from_site;
    G->sites[2 * G->n + 1] = r->to_site;
    G->n++;
    if (r->time > G->t_last) G->t_last = r->time;
    if (G->mech == IONKMC_MECH_UNCLASSIFIED) G->mech = r->mech;
    return;
  }
  if (t->nopen == OPEN_MAX) {
    /* Close the oldest group. */
    int old = 0;
    for (int g = 1; g < t->nopen; g++)
      if (t->open[g].t_last < t->open[old].t_last) old = g;
    mdtrack_close_group(t, old);
  }
  group *G = &t->open[t->nopen++];
  G->species = sp;
  G->mech = r->mech;
  G->t_last = r->time;
  G->n = 1;
  G->rec[0] = *r;
  G->sites[0] = r->from_site;
  G->sites[1] = r->to_site;
}

static int cmp_commit(const void *a, const void *b) {
  const commit *x = a, *y = b;
  if (x->t_enter != y->t_enter) return x->t_enter < y->t_enter ? -1 : 1;
  if (x->src_occ != y->src_occ) return y->src_occ - x->src_occ;
  return x->part - y->part;
}

typedef struct {
  double d2;
  int c, n;
} cn_pair;

static int cmp_pair(const void *a, const void *b) {
  const cn_pair *x = a, *y = b;
  if (x->d2 != y->d2) return x->d2 < y->d2 ? -1 : 1;
  return x->c != y->c ? x->c - y->c : x->n - y->n;
}

static ionkmc_status pair_molecules(ionkmc_mdtrack *t, const ionkmc_frame *f, const int *nlist, int nn,
                                    int nmol, double amean, ionkmc_error *err) {
  double ah = amean / 2, cut = 2.5 / ah;
  double L2 = 2.0 * t->L;
  size_t cap = 4 * (size_t)nn + 16, np = 0;
  cn_pair *pairs = malloc(sizeof *pairs * cap);
  int *cfor = malloc(sizeof(int) * (size_t)(nn + 1)), *ntaken = calloc((size_t)nn + 1, sizeof(int));
  if (!pairs || !cfor || !ntaken) {
    free(pairs);
    free(cfor);
    free(ntaken);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", t->name);
  }
  for (int j = 0; j < nmol; j++) {
    const double *hc = t->hun + 3 * (size_t)t->cat[j];
    for (int k = 0; k < nn; k++) {
      const double *hn = t->hun + 3 * (size_t)nlist[k];
      double d2 = 0;
      for (int c = 0; c < 3 && d2 <= cut * cut; c++) {
        double d = hn[c] - hc[c];
        d -= L2 * floor(d / L2 + 0.5);
        d2 += d * d;
      }
      if (d2 > cut * cut) continue;
      if (np == cap) {
        cn_pair *q = realloc(pairs, sizeof *pairs * (cap *= 2));
        if (!q) {
          free(pairs);
          free(cfor);
          free(ntaken);
          return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", t->name);
        }
        pairs = q;
      }
      pairs[np].d2 = d2;
      pairs[np].c = j;
      pairs[np].n = k;
      np++;
    }
  }
  qsort(pairs, np, sizeof *pairs, cmp_pair);
  for (int j = 0; j < nmol; j++) cfor[j] = -1;
  for (size_t q = 0; q < np; q++) {
    if (cfor[pairs[q].c] >= 0 || ntaken[pairs[q].n]) continue;
    cfor[pairs[q].c] = pairs[q].n;
    ntaken[pairs[q].n] = 1;
  }
  free(pairs);
  ionkmc_status st = IONKMC_OK;
  for (int j = 0; j < nmol && !st; j++) {
    if (cfor[j] < 0) {
      st = ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frame 0 (line %ld): cannot pair C atom id %lld with an N atom "
                            "(expected one N within 2.5 A per C)",
                            t->name, f->line, (long long)f->id[t->cat[j]]);
      break;
    }
    t->nat[j] = nlist[cfor[j]];
    /* Make the pair contiguous in the unwrapped frame. */
    const double *hc = t->hun + 3 * (size_t)t->cat[j];
    double *hn = t->hun + 3 * (size_t)t->nat[j];
    for (int c = 0; c < 3; c++) {
      double d = hn[c] - hc[c];
      d -= L2 * floor(d / L2 + 0.5);
      hn[c] = hc[c] + d;
    }
  }
  free(cfor);
  free(ntaken);
  return st;
}

static ionkmc_status first_frame(ionkmc_mdtrack *t, const ionkmc_frame *f, ionkmc_error *err) {
  ionkmc_status st;
  int n = f->natoms;
  const char *nm = t->name;
  int count[IONKMC_NELEMENT] = {0};
  for (int i = 0; i < n; i++) count[f->element[i] < IONKMC_NELEMENT ? f->element[i] : 0]++;
  /* Roles: B metals on B sites, halides on X sites ("I" in the summaries),
   * C-N molecules and point cations on A sites ("MA"). */
  t->npb = count[IONKMC_EL_PB] + count[IONKMC_EL_SN];
  t->ni = count[IONKMC_EL_I] + count[IONKMC_EL_BR] + count[IONKMC_EL_CL];
  int nc = count[IONKMC_EL_C], nn = count[IONKMC_EL_N];
  int npt = count[IONKMC_EL_CS] + count[IONKMC_EL_RB] + count[IONKMC_EL_K] + count[IONKMC_EL_FA];
  int L = (int)lround(cbrt((double)t->npb));
  if (t->npb < 8 || L * L * L != t->npb)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frame 0 (line %ld): %d Pb atoms is not L^3 for a cubic L x L x L "
                            "perovskite supercell (L >= 2)",
                            nm, f->line, t->npb);
  t->L = L;
  int n3 = L * L * L;
  if (abs(t->ni - 3 * n3) > 8 || nc != nn || abs(nc + npt - n3) > 8)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frame 0 (line %ld): inconsistent atom counts for a %dx%dx%d MAPbI3 "
                            "cell: %d Pb, %d I, %d C, %d N, %d Cs/Rb/K (expected %d I and %d C = N "
                            "or A cations, give or take a few defects)",
                            nm, f->line, L, L, L, t->npb, t->ni, nc, nn, npt, 3 * n3, n3);
  t->nma = nc + npt;
  /* Box: three edges of length L a, orthogonal. */
  double len[3], amean = frame_a(f, L);
  for (int k = 0; k < 3; k++) {
    len[k] = sqrt(f->cell[k][0] * f->cell[k][0] + f->cell[k][1] * f->cell[k][1] + f->cell[k][2] * f->cell[k][2]);
    if (fabs(len[k] / L / amean - 1) > 0.05)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: frame 0 (line %ld): the box does not fit a cubic perovskite: "
                              "edge lengths %.4g, %.4g, %.4g A differ by more than 5%%",
                              nm, f->line, len[0], len[1], len[2]);
  }
  for (int k = 0; k < 3; k++) {
    int l = (k + 1) % 3;
    double dot = f->cell[k][0] * f->cell[l][0] + f->cell[k][1] * f->cell[l][1] + f->cell[k][2] * f->cell[l][2];
    if (fabs(dot / (len[k] * len[l])) > sin(5 * M_PI / 180))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: frame 0 (line %ld): the box does not fit a cubic perovskite: "
                              "cell vectors %d and %d are not orthogonal within 5 degrees",
                              nm, f->line, k + 1, l + 1);
  }
  if (!(amean > 3.0 && amean < 10.0))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frame 0 (line %ld): the box gives a lattice constant of %.4g A for "
                            "L = %d, outside 3-10 A",
                            nm, f->line, amean, L);
  t->natoms = n;
  t->npart = t->ni + t->nma;
  t->pb = malloc(sizeof(int) * (size_t)t->npb);
  t->iat = malloc(sizeof(int) * (size_t)(t->ni + 1));
  t->cat = malloc(sizeof(int) * (size_t)(t->nma + 1));
  t->nat = malloc(sizeof(int) * (size_t)(t->nma + 1));
  t->ids = malloc(sizeof(int64_t) * (size_t)n);
  t->els = malloc((size_t)n);
  t->hprev = malloc(sizeof(double) * 3 * (size_t)n);
  t->hun = malloc(sizeof(double) * 3 * (size_t)n);
  t->part = calloc((size_t)t->npart + 1, sizeof(particle));
  t->commits = malloc(sizeof(commit) * ((size_t)t->npart + 1));
  ionkmc_status lst;
  t->lat = ionkmc_lattice_alloc(L, &lst);
  t->occ[0] = calloc((size_t)3 * n3, 1);
  t->occ[1] = calloc((size_t)n3, 1);
  int *nlist = malloc(sizeof(int) * (size_t)(nn + 1));
  if (!t->pb || !t->iat || !t->cat || !t->nat || !t->ids || !t->els || !t->hprev || !t->hun ||
      !t->part || !t->commits || !t->lat || !t->occ[0] || !t->occ[1] || !nlist) {
    free(nlist);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for %d atoms", nm, n);
  }
  memcpy(t->ids, f->id, sizeof(int64_t) * (size_t)n);
  memcpy(t->els, f->element, (size_t)n);
  int ipb = 0, ii = 0, ic = 0, in = 0, ipt = nc;
  for (int i = 0; i < n; i++) {
    switch (f->element[i]) {
    case IONKMC_EL_PB: case IONKMC_EL_SN: t->pb[ipb++] = i; break;
    case IONKMC_EL_I: case IONKMC_EL_BR: case IONKMC_EL_CL: t->iat[ii++] = i; break;
    case IONKMC_EL_C: t->cat[ic++] = i; break;
    case IONKMC_EL_N: nlist[in++] = i; break;
    case IONKMC_EL_CS: case IONKMC_EL_RB: case IONKMC_EL_K: case IONKMC_EL_FA:
      /* A point cation is a "molecule" whose C and N are the same atom. */
      t->cat[ipt] = t->nat[ipt] = i;
      ipt++;
      break;
    default: break;
    }
  }
  double inv[3][3];
  if (invert3(f->cell, inv) == 0) {
    free(nlist);
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: frame 0 (line %ld): singular box", nm, f->line);
  }
  for (int i = 0; i < n; i++) frame_h(t, f, inv, i, t->hprev + 3 * (size_t)i);
  memcpy(t->hun, t->hprev, sizeof(double) * 3 * (size_t)n);
  /* Origin: circular mean of the Pb offsets from even h-coordinates. */
  for (int c = 0; c < 3; c++) {
    double cs = 0, sn = 0;
    for (int j = 0; j < t->npb; j++) {
      double th = M_PI * t->hprev[3 * (size_t)t->pb[j] + c];
      cs += cos(th);
      sn += sin(th);
    }
    t->off[c] = atan2(sn, cs) / M_PI;
  }
  /* Pb must sit on the B sublattice. */
  double ss = 0;
  for (int j = 0; j < t->npb; j++) {
    double *h = t->hun + 3 * (size_t)t->pb[j];
    for (int c = 0; c < 3; c++) {
      double d = h[c] - t->off[c];
      d -= 2 * floor(d / 2 + 0.5);
      ss += d * d;
    }
  }
  double rms = sqrt(ss / t->npb) * amean / 2;
  t->sum.pb_rms = rms;
  if (rms > 0.2 * amean) {
    free(nlist);
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frame 0 (line %ld): the Pb atoms do not sit on a simple cubic "
                            "lattice of %d^3 cells in this box (rms deviation %.3g A, expected < %.3g A)",
                            nm, f->line, L, rms, 0.2 * amean);
  }
  /* Pair C and N atoms into molecules: every C-N pair closer than 2.5 A
   * (minimum image), matched greedily in order of increasing distance. */
  st = pair_molecules(t, f, nlist, nn, nc, amean, err);
  free(nlist);
  if (st) return st;
  for (int c = 0; c < 3; c++) {
    double s = 0;
    for (int j = 0; j < t->npb; j++) s += t->hun[3 * (size_t)t->pb[j] + c];
    t->pb_mean0[c] = s / t->npb;
  }
  /* Initial sites and occupancy. */
  for (int m = 0; m < IONKMC_NMECH; m++) t->ndef[m] = 0;
  /* every site empty until the particles are placed: 3 X and 1 A per cell */
  t->ndef[mdtrack_mech_vac(IONKMC_SPECIES_I)] = 3 * n3;
  t->ndef[mdtrack_mech_vac(IONKMC_SPECIES_MA)] = n3;
  double zero[3] = {0, 0, 0};
  for (int j = 0; j < t->npart; j++) {
    double p[3], d2;
    part_pos(t, j, zero, p);
    particle *P = &t->part[j];
    int sp = j < t->ni ? 0 : 1;
    if (sp == 0) nearest_x(p, P->com, &d2);
    else nearest_a(p, P->com, &d2);
    occ_change(t, sp, site_of(t, sp, P->com), +1);
  }
  memcpy(t->sum.defects_first, t->ndef, sizeof t->ndef);
  t->sum.L = L;
  t->sum.natoms = n;
  t->sum.n_pb = t->npb;
  t->sum.n_i = t->ni;
  t->sum.n_ma = t->nma;
  t->sum.a_first = amean;
  t->t_first = t->t_prev = f->time;
  t->started = 1;
  return IONKMC_OK;
}

static ionkmc_status store_positions(ionkmc_mdtrack *t, const ionkmc_frame *f, const double drift[3],
                                     ionkmc_error *err) {
  size_t per = 3 * (size_t)t->npart;
  if (!t->pos) {
    t->pos = malloc(sizeof(float) * per);
    if (!t->pos) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the MSD", t->name);
    /* In $TMPDIR (or /tmp), unlinked at once so it vanishes with the process. */
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/ionkmc_msd_XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd >= 0) {
      unlink(path);
      if (!(t->spill = fdopen(fd, "w+b"))) close(fd);
    }
    if (!t->spill)
      return ionkmc_error_set(err, IONKMC_EIO,
                              "%s: cannot open a temporary file in %s for the MSD positions (set TMPDIR)",
                              t->name, dir);
  }
  float *dst = t->pos;
  double s = 1.0 / (2.0 * t->L);
  for (int j = 0; j < t->npart; j++) {
    double p[3];
    part_pos(t, j, drift, p);
    double fr[3] = {p[0] * s, p[1] * s, p[2] * s};
    for (int c = 0; c < 3; c++)
      dst[3 * (size_t)j + c] = (float)(fr[0] * f->cell[0][c] + fr[1] * f->cell[1][c] + fr[2] * f->cell[2][c]);
  }
  if (fwrite(dst, sizeof(float), per, t->spill) != per)
    return ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write the MSD positions of frame %d",
                            t->name, t->nframes);
  return IONKMC_OK;
}


/* A defect can be followed through the hops of its species when it is the
 * species' only defect: every site holds one particle except the defect's
 * (empty, or doubly occupied). Then the sum over the species' particles of
 * their site positions changes by the net hop vector, and the defect moves by
 * minus that (vacancy) or by that (split interstitial), whatever the order or
 * classification of the hops in the frame. */
static void defect_check(ionkmc_mdtrack *t) {
  for (int sp = 0; sp < IONKMC_NSPECIES; sp++) {
    ionkmc_mech v = mdtrack_mech_vac(sp), i = mech_int(sp);
    t->clean[v] = t->ndef[v] == 1 && t->ndef[i] == 0;
    t->clean[i] = t->ndef[i] == 1 && t->ndef[v] == 0;
    t->unclean[v] += !t->clean[v];
    t->unclean[i] += !t->clean[i];
  }
}

static ionkmc_status add_move(ionkmc_mdtrack *t, int sp, double time, const double d[3], ionkmc_error *err) {
  if (t->nmoves == t->cap_moves) {
    size_t cap = t->cap_moves ? 2 * t->cap_moves : 256;
    dmove *nm = realloc(t->moves, cap * sizeof *nm);
    if (!nm) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the defect moves", t->name);
    t->moves = nm;
    t->cap_moves = cap;
  }
  dmove *m = &t->moves[t->nmoves++];
  m->t = time;
  m->sp = sp;
  memcpy(m->d, d, sizeof m->d);
  return IONKMC_OK;
}

ionkmc_status ionkmc_mdtrack_frame(ionkmc_mdtrack *t, const ionkmc_frame *f, ionkmc_error *err) {
  ionkmc_status st;
  int first = !t->started;
  if (first) {
    if ((st = first_frame(t, f, err))) return st;
  } else {
    if (f->natoms != t->natoms)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: frame %lld (line %ld): %d atoms, expected %d as in the first frame",
                              t->name, (long long)f->index, f->line, f->natoms, t->natoms);
    if (!(f->time > t->t_prev))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: frame %lld (line %ld): time %.6g ps is not after %.6g ps "
                              "(non-monotonic time)",
                              t->name, (long long)f->index, f->line, f->time, t->t_prev);
    double dt = f->time - t->t_prev;
    if (t->nframes == 1) t->dt0 = dt;
    else if (!t->nonuniform_frame && fabs(dt - t->dt0) > 1e-6 * t->dt0 + 1e-9)
      t->nonuniform_frame = (int)f->index;
    double inv[3][3];
    if (invert3(f->cell, inv) == 0)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: frame %lld (line %ld): singular box", t->name,
                              (long long)f->index, f->line);
    double L2 = 2.0 * t->L;
    for (int i = 0; i < t->natoms && !t->leader; i++) {
      double h[3];
      frame_h(t, f, inv, i, h);
      double *hp = t->hprev + 3 * (size_t)i, *hu = t->hun + 3 * (size_t)i;
      for (int c = 0; c < 3; c++) {
        double d = h[c] - hp[c];
        d -= L2 * floor(d / L2 + 0.5);
        hu[c] += d;
        hp[c] = h[c];
      }
    }
    for (int m = 0; m < IONKMC_NMECH; m++) t->sum.exposure[m] += t->ndef[m] * dt * 1e-12;
  }
  double a = frame_a(f, t->L);
  t->a_sum += a;
  double drift[3];
  const double *hun = hun_of(t);
  for (int c = 0; c < 3; c++) {
    double s = 0;
    for (int j = 0; j < t->npb; j++) s += hun[3 * (size_t)t->pb[j] + c];
    drift[c] = s / t->npb - t->pb_mean0[c];
  }
  if (t->p.msd && (st = store_positions(t, f, drift, err))) return st;
  t->nframes++;
  double now = f->time;
  t->t_prev = now;
  if (first) {
    defect_check(t);
    memcpy(t->clean_first, t->clean, sizeof t->clean);
    return IONKMC_OK;
  }

  double rin2s[IONKMC_NSPECIES] = {t->p.r_inner / (a / 2), t->p.r_inner_ma / (a / 2)};
  rin2s[0] *= rin2s[0];
  rin2s[1] *= rin2s[1];
  int ncommit = 0;
  for (int j = 0; j < t->npart; j++) {
    particle *P = &t->part[j];
    int sp = j < t->ni ? 0 : 1;
    double p[3], d2;
    int32_t s[3];
    part_pos(t, j, drift, p);
    if (sp == 0) nearest_x(p, s, &d2);
    else nearest_a(p, s, &d2);
    int at_com = s[0] == P->com[0] && s[1] == P->com[1] && s[2] == P->com[2];
    int at_cand = P->cand_on && s[0] == P->cand[0] && s[1] == P->cand[1] && s[2] == P->cand[2];
    if (at_com) {
      if (P->cand_on) t->sum.rejected[sp]++;
      P->cand_on = 0;
      continue;
    }
    if (!at_cand) {
      if (P->cand_on) t->sum.rejected[sp]++;
      P->cand_on = 0;
      if (d2 < rin2s[sp]) {
        P->cand_on = 1;
        memcpy(P->cand, s, sizeof s);
        P->t_enter = now;
      } else {
        continue;
      }
    }
    if (now - P->t_enter + 1e-9 >= t->p.dwell) {
      commit *C = &t->commits[ncommit++];
      C->part = j;
      memcpy(C->from, P->com, sizeof C->from);
      memcpy(C->to, P->cand, sizeof C->to);
      C->t_enter = P->t_enter;
      C->dwell = now - P->t_enter;
      C->src_occ = t->occ[sp][site_of(t, sp, P->com)];
      memcpy(P->com, P->cand, sizeof P->com);
      P->cand_on = 0;
    }
  }
  if (ncommit > 1) qsort(t->commits, (size_t)ncommit, sizeof(commit), cmp_commit);
  double net[IONKMC_NSPECIES][3] = {{0}}, t_net[IONKMC_NSPECIES];
  int moved[IONKMC_NSPECIES] = {0};
  for (int sp = 0; sp < IONKMC_NSPECIES; sp++) t_net[sp] = -INFINITY;
  for (int q = 0; q < ncommit; q++) {
    commit *C = &t->commits[q];
    int j = C->part, sp = j < t->ni ? 0 : 1;
    particle *P = &t->part[j];
    int fs = site_of(t, sp, C->from), ts = site_of(t, sp, C->to);
    int src = t->occ[sp][fs], tgt = t->occ[sp][ts];
    int32_t d[3] = {C->to[0] - C->from[0], C->to[1] - C->from[1], C->to[2] - C->from[2]};
    int len2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    int nz = (d[0] != 0) + (d[1] != 0) + (d[2] != 0);
    ionkmc_mech m = IONKMC_MECH_UNCLASSIFIED;
    int nbr = sp == 0 ? (len2 == 2) : (len2 == 4 && nz == 1);
    if (nbr) m = ionkmc_mechanism_classify(sp, src, tgt);
    occ_change(t, sp, fs, -1);
    occ_change(t, sp, ts, +1);
    t->sum.hops[sp]++;
    if (P->has_last && C->to[0] == P->last_from[0] && C->to[1] == P->last_from[1] &&
        C->to[2] == P->last_from[2])
      t->sum.back_hops[sp]++;
    memcpy(P->last_from, C->from, sizeof C->from);
    P->has_last = 1;
    ionkmc_hop_record r;
    memset(&r, 0, sizeof r);
    r.time = C->t_enter;
    r.dwell = C->dwell;
    r.species = sp;
    if (sp == 0) {
      r.id[0] = t->ids[t->iat[j]];
      r.id[1] = -1;
    } else {
      r.id[0] = t->ids[t->cat[j - t->ni]];
      r.id[1] = t->ids[t->nat[j - t->ni]];
    }
    r.from_site = fs;
    r.to_site = ts;
    double s = 1.0 / (2.0 * t->L);
    for (int c = 0; c < 3; c++)
      r.vec[c] = s * (d[0] * f->cell[0][c] + d[1] * f->cell[1][c] + d[2] * f->cell[2][c]);
    for (int c = 0; c < 3; c++) r.dh[c] = d[c];
    r.mech = m;
    add_to_group(t, &r);
    for (int c = 0; c < 3; c++) net[sp][c] += r.vec[c];
    moved[sp] = 1;
    if (r.time > t_net[sp]) t_net[sp] = r.time;
  }
  for (int sp = 0; sp < IONKMC_NSPECIES; sp++)
    if (moved[sp] && (st = add_move(t, sp, t_net[sp], net[sp], err))) return st;
  defect_check(t);
  for (int g = 0; g < t->nopen;) {
    if (now - t->open[g].t_last >= t->p.window + t->p.dwell) mdtrack_close_group(t, g);
    else g++;
  }
  return IONKMC_OK;
}
