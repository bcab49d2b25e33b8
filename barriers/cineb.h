/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: climbing-image nudged elastic band (Henkelman, Uberuaga,
 * Jonsson, J. Chem. Phys. 113, 9901 (2000); improved tangent: Henkelman and
 * Jonsson, ibid. 9978) on any potential-energy callback, optimised with FIRE.
 *
 * Conventions
 *   Units: angstrom, eV, eV/angstrom; spring constant in eV/angstrom^2.
 *   Band: nimages >= 3 images of ndof = 3 natoms coordinates each, row-major
 *   band[image][ndof]; images 0 and nimages-1 are the fixed end points
 *   (relax them first). Coordinates are continuous along the band (no
 *   wrapping); ionkmc_cineb_interpolate builds the straight band.
 *   Tangent: the improved (energy-weighted upwind) tangent. Spring force:
 *   k (|R+ - R| - |R - R-|) along the tangent. Climbing image: the highest
 *   interior image feels the true force with its tangential part inverted.
 *   Stages: a plain NEB until the largest per-atom NEB force is below
 *   climb_tol (or max_iter/2 iterations), then CI-NEB until it is below ftol.
 *   All interior images are moved by one FIRE stepper on their joint
 *   coordinates.
 *   Result: image energies and true forces, the forward barrier max E - E0,
 *   the reverse one max E - E_last, dE = E_last - E0.
 * Ownership: the caller owns band, E and F; nothing is kept.
 */
#ifndef IONKMC_CINEB_H
#define IONKMC_CINEB_H

#include "barriers/fire.h"

typedef struct {
  double k_spring;   /* eV/angstrom^2 (default 1.0) */
  int climb;         /* 1: climbing image (default) */
  double climb_tol;  /* eV/angstrom, NEB force below which climbing starts (default 0.1) */
  double ftol;       /* eV/angstrom (default 0.01) */
  int max_iter;      /* default 3000 */
  ionkmc_fire_params fire;
} ionkmc_cineb_params;

typedef struct {
  int iterations, converged, climber; /* climber: image index, -1 if none */
  double fmax;                        /* largest per-atom NEB force at the end */
  double Ef, Er, dE;                  /* eV */
  int saddle;                         /* index of the highest image */
} ionkmc_cineb_result;

ionkmc_cineb_params ionkmc_cineb_params_default(void);
/* Fill the interior images of band[nimages][ndof] by linear interpolation
 * between images 0 and nimages-1. */
void ionkmc_cineb_interpolate(int nimages, int ndof, double *band);
/* Run CI-NEB on band (interior images changed in place). E[nimages] and
 * F[nimages][ndof] (caller's) receive the energies and true forces of every
 * image. IONKMC_EINVAL (nimages < 3, bad parameters), the callback's status,
 * IONKMC_ENOMEM. Not converging is no error (res->converged). */
ionkmc_status ionkmc_cineb_run(int nimages, int ndof, double *band, ionkmc_pes_fn pes, void *ctx,
                               const ionkmc_cineb_params *p, double *E, double *F, ionkmc_cineb_result *res,
                               ionkmc_error *err);

#endif
