/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: NEB bands and their barriers.
 *
 * Conventions
 *   Units: reaction coordinate s in angstrom (LAMMPS: the normalised
 *   coordinate, 0..1), energies in eV, tangential forces in eV/angstrom.
 *   The tangential force is minus the slope of the band: dE/ds = -F_t.
 *   Readers:
 *     VTST neb.dat: lines "image distance energy force image" (blank lines and
 *       '#' comments skipped);
 *     ASE band as extxyz: one frame per image with energy= and forces:R:3;
 *       s is the cumulative image-to-image distance (minimum image), the
 *       tangent at an image the normalised difference of its neighbours
 *       (one-sided at the ends), and F_t = F . tangent;
 *     LAMMPS neb screen / log output: the last numeric line of the table whose
 *       header starts "Step MaxReplicaForce"; RDi and PEi pairs from column 10
 *       on (energies only).
 *   Fit: a cubic Hermite curve through the energies, with slopes -F_t, or,
 *   without forces, three-point finite-difference slopes. The forward barrier
 *   is max E - E(first image), the reverse one max E - E(last image). Interior
 *   local minima of the curve deeper than 5 meV below the maxima on both
 *   sides are flagged as intermediate minima (a metastable state on the path).
 * No ownership: plain values.
 */
#ifndef IONKMC_NEB_H
#define IONKMC_NEB_H

#include "base/status.h"

#define IONKMC_NEB_MAX_IMAGES 256
#define IONKMC_NEB_MAX_MINIMA 16

typedef enum {
  IONKMC_NEB_AUTO = 0, /* from the name: *.dat -> VTST, *.xyz / *.extxyz -> ASE, else LAMMPS */
  IONKMC_NEB_VTST = 1,
  IONKMC_NEB_EXTXYZ = 2,
  IONKMC_NEB_LAMMPS = 3
} ionkmc_neb_format;

typedef struct {
  int n;                                /* images */
  int has_forces;
  double s[IONKMC_NEB_MAX_IMAGES];      /* angstrom (or normalised) */
  double E[IONKMC_NEB_MAX_IMAGES];      /* eV */
  double F[IONKMC_NEB_MAX_IMAGES];      /* eV/angstrom, tangential */
} ionkmc_neb_band;

typedef struct {
  double Ef, Er;        /* forward and reverse barriers, eV */
  double dE;            /* E(last) - E(first), eV */
  double s_max, E_max;  /* saddle on the fitted curve */
  int n_minima;         /* intermediate minima */
  double s_min[IONKMC_NEB_MAX_MINIMA], depth[IONKMC_NEB_MAX_MINIMA]; /* position, depth (eV) */
} ionkmc_neb_result;

/* Read a band from path. IONKMC_EIO / IONKMC_EPARSE with file and line. */
ionkmc_status ionkmc_neb_read(const char *path, ionkmc_neb_format fmt, ionkmc_neb_band *band,
                              ionkmc_error *err);
/* Fit a band (>= 2 images, s strictly increasing). IONKMC_EINVAL otherwise. */
ionkmc_status ionkmc_neb_fit(const ionkmc_neb_band *band, ionkmc_neb_result *r, ionkmc_error *err);
/* The fitted energy (eV) at s. */
double ionkmc_neb_eval(const ionkmc_neb_band *band, double s);

#endif
