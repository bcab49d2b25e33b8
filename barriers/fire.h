/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: FIRE minimisation (Bitzek, Koskinen, Gaehler, Moseler,
 * Gumbsch, PRL 97, 170201 (2006)) of atomic positions at fixed cell, and the
 * potential-energy callback that FIRE, CI-NEB and the Vineyard prefactor
 * share.
 *
 * Conventions
 *   Units: positions in angstrom, energies in eV, forces in eV/angstrom; the
 *   fictitious dynamics uses unit masses and a time step in arbitrary units
 *   (the defaults: dt 0.1, dt_max 1.0, N_min 5, f_inc 1.1, f_dec 0.5,
 *   alpha 0.1, f_alpha 0.99, at most 0.2 angstrom per step and per atom).
 *   Converged when the largest per-atom force norm is below ftol.
 *   Frozen atoms (mask[i] != 0) keep their positions (their forces are
 *   ignored).
 * Ownership: _alloc returns a stepper the caller frees with _free.
 */
#ifndef IONKMC_FIRE_H
#define IONKMC_FIRE_H

#include "base/status.h"

/* Energy E (eV) and forces F[ndof] (eV/angstrom) at x[ndof]; ctx is the
 * caller's. Returns a status with err set on failure. */
typedef ionkmc_status (*ionkmc_pes_fn)(void *ctx, const double *x, double *E, double *F, ionkmc_error *err);

typedef struct {
  double dt, dt_max, max_step; /* max_step: angstrom per atom and step */
  int n_min;
  double f_inc, f_dec, alpha0, f_alpha;
  double ftol;                 /* eV/angstrom */
  int max_iter;
} ionkmc_fire_params;

typedef struct {
  int iterations;
  int converged;
  double energy;  /* eV, at the returned positions */
  double fmax;    /* eV/angstrom, largest per-atom force norm */
} ionkmc_fire_result;

typedef struct ionkmc_fire ionkmc_fire;

/* The defaults above with ftol 0.01 eV/angstrom and 5000 iterations. */
ionkmc_fire_params ionkmc_fire_params_default(void);
/* A FIRE stepper on ndof = 3 natoms coordinates (NULL if out of memory or
 * ndof < 1). */
ionkmc_fire *ionkmc_fire_alloc(int ndof, const ionkmc_fire_params *p);
void ionkmc_fire_free(ionkmc_fire *w);
/* One FIRE step: move x[ndof] along the force F[ndof] (zero entries stay). */
void ionkmc_fire_step(ionkmc_fire *w, double *x, const double *F);
/* Largest per-atom norm of F[ndof] over atoms with mask[i] == 0 (mask may be NULL). */
double ionkmc_fire_fmax(int ndof, const double *F, const unsigned char *mask);
/* Minimise the energy of x[ndof] (changed in place) with FIRE. The callback's
 * failure is returned as it is. Not converging within max_iter is no error:
 * res->converged says it. IONKMC_EINVAL on bad parameters. */
ionkmc_status ionkmc_fire_minimize(int ndof, double *x, ionkmc_pes_fn pes, void *ctx, const unsigned char *mask,
                                   const ionkmc_fire_params *p, ionkmc_fire_result *res, ionkmc_error *err);

#endif
