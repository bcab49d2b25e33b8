/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* NEB band readers and the Hermite barrier fit. See neb.h. */
#define _POSIX_C_SOURCE 200809L
#include "calibration/neb.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/traj.h"

static int blank(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
  return *p == 0 || *p == '#';
}

static ionkmc_status read_vtst(const char *path, ionkmc_neb_band *b, ionkmc_error *err) {
  FILE *fp = fopen(path, "r");
  if (!fp)
    return ionkmc_error_set(err, errno == ENOMEM ? IONKMC_ENOMEM : IONKMC_EIO,
                            "%s: cannot open NEB file (%s)", path, strerror(errno));
  char line[4096];
  long ln = 0;
  b->n = 0;
  b->has_forces = 1;
  while (fgets(line, sizeof line, fp)) {
    ln++;
    if (blank(line)) continue;
    double v[5];
    const char *p = line;
    int k;
    for (k = 0; k < 4 && p; k++) p = ionkmc_parse_double(p, &v[k]);
    if (!p) {
      fclose(fp);
      return ionkmc_error_set(err, IONKMC_EPARSE,
                              "%s: line %ld: expected 'image distance energy force image' (VTST neb.dat)",
                              path, ln);
    }
    if (b->n >= IONKMC_NEB_MAX_IMAGES) {
      fclose(fp);
      return ionkmc_error_set(err, IONKMC_EPARSE, "%s: line %ld: more than %d images", path, ln,
                              IONKMC_NEB_MAX_IMAGES);
    }
    b->s[b->n] = v[1];
    b->E[b->n] = v[2];
    b->F[b->n] = v[3];
    b->n++;
  }
  fclose(fp);
  return IONKMC_OK;
}

static ionkmc_status read_lammps_neb(const char *path, ionkmc_neb_band *b, ionkmc_error *err) {
  FILE *fp = fopen(path, "r");
  if (!fp)
    return ionkmc_error_set(err, errno == ENOMEM ? IONKMC_ENOMEM : IONKMC_EIO,
                            "%s: cannot open NEB file (%s)", path, strerror(errno));
  char line[16384], last[16384] = "";
  long ln = 0, lastln = 0;
  int in_table = 0;
  while (fgets(line, sizeof line, fp)) {
    ln++;
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (!strncmp(p, "Step MaxReplicaForce", 20)) {
      in_table = 1;
      continue;
    }
    if (in_table) {
      double v;
      if (ionkmc_parse_double(p, &v) && !blank(p)) {
        strcpy(last, line);
        lastln = ln;
      } else {
        in_table = 0;
      }
    }
  }
  fclose(fp);
  if (!lastln)
    return ionkmc_error_set(err, IONKMC_EPARSE,
                            "%s: no LAMMPS neb table (a header 'Step MaxReplicaForce ...' followed by "
                            "numeric lines) found",
                            path);
  double v[2 * IONKMC_NEB_MAX_IMAGES + 16];
  int n = 0;
  const char *p = last;
  while (n < (int)(sizeof v / sizeof *v) && (p = ionkmc_parse_double(p, &v[n]))) n++;
  if (n < 9 + 4 || (n - 9) % 2 != 0)
    return ionkmc_error_set(err, IONKMC_EPARSE,
                            "%s: line %ld: expected 9 columns then RDi PEi pairs for >= 2 replicas, got %d "
                            "numbers",
                            path, lastln, n);
  b->n = (n - 9) / 2;
  b->has_forces = 0;
  for (int i = 0; i < b->n; i++) {
    b->s[i] = v[9 + 2 * i];
    b->E[i] = v[10 + 2 * i];
    b->F[i] = NAN;
  }
  return IONKMC_OK;
}

static ionkmc_status read_ase(const char *path, ionkmc_neb_band *b, ionkmc_error *err) {
  ionkmc_traj_options o = ionkmc_traj_options_default();
  o.format = IONKMC_TRAJ_EXTXYZ;
  o.frame_dt_ps = 1; /* images, not times */
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(path, &o, err, &st);
  if (!t) return st;
  double *X = NULL, *Fo = NULL;
  int n = 0;
  const ionkmc_frame *f;
  b->n = 0;
  b->has_forces = 1;
  /* Keep all images' positions and forces (bands are small). */
  while ((st = ionkmc_traj_next(t, &f, err)) == IONKMC_OK && f) {
    if (b->n >= IONKMC_NEB_MAX_IMAGES) {
      st = ionkmc_error_set(err, IONKMC_EPARSE, "%s: more than %d images", path, IONKMC_NEB_MAX_IMAGES);
      break;
    }
    if (isnan(f->energy) || !f->f) {
      st = ionkmc_error_set(err, IONKMC_EPARSE,
                            "%s: frame %d (line %ld): an NEB image needs energy= and forces:R:3", path,
                            b->n, f->line);
      break;
    }
    n = f->natoms;
    double *nx = realloc(X, sizeof(double) * 3 * (size_t)n * (b->n + 1));
    double *nf = nx ? realloc(Fo, sizeof(double) * 3 * (size_t)n * (b->n + 1)) : NULL;
    if (!nx || !nf) {
      if (nx) X = nx;
      st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
      break;
    }
    X = nx;
    Fo = nf;
    memcpy(X + 3 * (size_t)n * b->n, f->x, sizeof(double) * 3 * (size_t)n);
    memcpy(Fo + 3 * (size_t)n * b->n, f->f, sizeof(double) * 3 * (size_t)n);
    b->E[b->n] = f->energy;
    b->n++;
  }
  ionkmc_traj_free(t);
  if (st) {
    free(X);
    free(Fo);
    return st;
  }
  if (b->n < 2) {
    free(X);
    free(Fo);
    return ionkmc_error_set(err, IONKMC_EPARSE, "%s: expected at least 2 images, got %d", path, b->n);
  }
  /* Image-to-image displacements (atoms do not cross the box in a band). */
  size_t m3 = 3 * (size_t)n;
  double *dvec = malloc(sizeof(double) * m3);
  if (!dvec) {
    free(X);
    free(Fo);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  }
  b->s[0] = 0;
  for (int i = 1; i < b->n; i++) {
    double d2 = 0;
    for (size_t q = 0; q < m3; q++) {
      double d = X[i * m3 + q] - X[(i - 1) * m3 + q];
      d2 += d * d;
    }
    b->s[i] = b->s[i - 1] + sqrt(d2);
  }
  for (int i = 0; i < b->n; i++) {
    int lo = i > 0 ? i - 1 : 0, hi = i < b->n - 1 ? i + 1 : b->n - 1;
    double nrm = 0, ft = 0;
    for (size_t q = 0; q < m3; q++) {
      dvec[q] = X[hi * m3 + q] - X[lo * m3 + q];
      nrm += dvec[q] * dvec[q];
    }
    nrm = sqrt(nrm);
    for (size_t q = 0; q < m3 && nrm > 0; q++) ft += Fo[i * m3 + q] * dvec[q] / nrm;
    b->F[i] = ft;
  }
  free(dvec);
  free(X);
  free(Fo);
  return IONKMC_OK;
}

ionkmc_status ionkmc_neb_read(const char *path, ionkmc_neb_format fmt, ionkmc_neb_band *band,
                              ionkmc_error *err) {
  memset(band, 0, sizeof *band);
  if (fmt == IONKMC_NEB_AUTO) {
    size_t n = strlen(path);
    if (n >= 4 && !strcmp(path + n - 4, ".dat")) fmt = IONKMC_NEB_VTST;
    else if ((n >= 4 && !strcmp(path + n - 4, ".xyz")) || (n >= 7 && !strcmp(path + n - 7, ".extxyz")))
      fmt = IONKMC_NEB_EXTXYZ;
    else fmt = IONKMC_NEB_LAMMPS;
  }
  ionkmc_status st = fmt == IONKMC_NEB_VTST     ? read_vtst(path, band, err)
                     : fmt == IONKMC_NEB_EXTXYZ ? read_ase(path, band, err)
                                                : read_lammps_neb(path, band, err);
  if (st) return st;
  if (band->n < 2)
    return ionkmc_error_set(err, IONKMC_EPARSE, "%s: expected at least 2 images, got %d", path, band->n);
  for (int i = 1; i < band->n; i++)
    if (!(band->s[i] > band->s[i - 1]))
      return ionkmc_error_set(err, IONKMC_EPARSE,
                              "%s: image %d: the reaction coordinate must increase along the band", path,
                              i);
  return IONKMC_OK;
}

/* Slope dE/ds at image i. */
static double slope(const ionkmc_neb_band *b, int i) {
  if (b->has_forces && isfinite(b->F[i])) return -b->F[i];
  int n = b->n;
  if (n == 2) return (b->E[1] - b->E[0]) / (b->s[1] - b->s[0]);
  if (i == 0) return (b->E[1] - b->E[0]) / (b->s[1] - b->s[0]);
  if (i == n - 1) return (b->E[n - 1] - b->E[n - 2]) / (b->s[n - 1] - b->s[n - 2]);
  double h0 = b->s[i] - b->s[i - 1], h1 = b->s[i + 1] - b->s[i];
  double d0 = (b->E[i] - b->E[i - 1]) / h0, d1 = (b->E[i + 1] - b->E[i]) / h1;
  return (h1 * d0 + h0 * d1) / (h0 + h1);
}

/* Cubic a t^3 + b t^2 + c t + d on segment i, t in [0, 1]. */
static void coeffs(const ionkmc_neb_band *b, int i, double q[4]) {
  double h = b->s[i + 1] - b->s[i];
  double E0 = b->E[i], E1 = b->E[i + 1], m0 = slope(b, i) * h, m1 = slope(b, i + 1) * h;
  q[0] = 2 * (E0 - E1) + m0 + m1;
  q[1] = 3 * (E1 - E0) - 2 * m0 - m1;
  q[2] = m0;
  q[3] = E0;
}

static double cubic(const double q[4], double t) { return ((q[0] * t + q[1]) * t + q[2]) * t + q[3]; }

double ionkmc_neb_eval(const ionkmc_neb_band *b, double s) {
  int i = 0;
  while (i < b->n - 2 && s > b->s[i + 1]) i++;
  double q[4];
  coeffs(b, i, q);
  return cubic(q, (s - b->s[i]) / (b->s[i + 1] - b->s[i]));
}

/* Stationary points of a segment's cubic (roots of its derivative, in the
 * segment's own t, not yet restricted to [0, 1]); returns how many. */
static int stationary(const double q[4], double roots[2]) {
  double A = 3 * q[0], B = 2 * q[1], C = q[2];
  int nr = 0;
  if (fabs(A) < 1e-300) {
    if (B != 0) roots[nr++] = -C / B;
  } else {
    double disc = B * B - 4 * A * C;
    if (disc >= 0) {
      roots[nr++] = (-B + sqrt(disc)) / (2 * A);
      roots[nr++] = (-B - sqrt(disc)) / (2 * A);
    }
  }
  return nr;
}

/* Maximum of the curve on [sa, sb]. */
static double curve_max(const ionkmc_neb_band *b, double sa, double sb) {
  double best = fmax(ionkmc_neb_eval(b, sa), ionkmc_neb_eval(b, sb));
  for (int i = 0; i < b->n - 1; i++) {
    double q[4];
    coeffs(b, i, q);
    double roots[2];
    int nr = stationary(q, roots);
    double h = b->s[i + 1] - b->s[i];
    for (int r = 0; r < nr; r++) {
      if (roots[r] < 0 || roots[r] > 1) continue;
      double s = b->s[i] + roots[r] * h;
      if (s < sa || s > sb) continue;
      best = fmax(best, cubic(q, roots[r]));
    }
    /* image points inside the range */
    if (b->s[i] >= sa && b->s[i] <= sb) best = fmax(best, b->E[i]);
  }
  return best;
}

ionkmc_status ionkmc_neb_fit(const ionkmc_neb_band *b, ionkmc_neb_result *r, ionkmc_error *err) {
  if (b->n < 2) return ionkmc_error_set(err, IONKMC_EINVAL, "neb: need at least 2 images");
  for (int i = 1; i < b->n; i++)
    if (!(b->s[i] > b->s[i - 1]))
      return ionkmc_error_set(err, IONKMC_EINVAL, "neb: image %d: s must increase", i);
  memset(r, 0, sizeof *r);
  double smax = b->s[0], emax = b->E[0];
  for (int i = 0; i < b->n - 1; i++) {
    double q[4];
    coeffs(b, i, q);
    double roots[2];
    int nr = stationary(q, roots);
    double h = b->s[i + 1] - b->s[i];
    if (b->E[i + 1] > emax) {
      emax = b->E[i + 1];
      smax = b->s[i + 1];
    }
    for (int k = 0; k < nr; k++) {
      double t = roots[k];
      if (!(t > 0 && t < 1)) continue;
      double e = cubic(q, t), s = b->s[i] + t * h;
      double curv = 6 * q[0] * t + 2 * q[1];
      if (e > emax) {
        emax = e;
        smax = s;
      }
      if (curv > 0 && r->n_minima < IONKMC_NEB_MAX_MINIMA) {
        double depth = fmin(curve_max(b, b->s[0], s), curve_max(b, s, b->s[b->n - 1])) - e;
        if (depth > 0.005) {
          r->s_min[r->n_minima] = s;
          r->depth[r->n_minima] = depth;
          r->n_minima++;
        }
      }
    }
    /* An interior image that is a local minimum of the data itself. */
  }
  r->s_max = smax;
  r->E_max = emax;
  r->Ef = emax - b->E[0];
  r->Er = emax - b->E[b->n - 1];
  r->dE = b->E[b->n - 1] - b->E[0];
  return IONKMC_OK;
}
