/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the harmonic transition-state prefactor (Vineyard, J.
 * Phys. Chem. Solids 3, 121 (1957)) from finite-difference Hessians.
 *
 * Conventions
 *   Units: angstrom, eV, amu (g/mol); frequencies in 1/s.
 *   nu = prod_{i=1..3n} f_i(min) / prod_{i=1..3n-1} f_i(saddle), with
 *   f = omega / (2 pi) the normal-mode frequencies of the n active atoms
 *   (the other atoms held fixed) at the minimum and at the saddle (whose one
 *   imaginary mode is left out). omega^2 are the eigenvalues of the
 *   mass-weighted Hessian H_ij / sqrt(m_i m_j); H from central differences of
 *   the forces with step h, symmetrised. The minimum must have no negative
 *   eigenvalue and the saddle exactly one (IONKMC_ERANGE otherwise, the
 *   counts named). Products are taken as sums of logarithms.
 * Ownership: plain values; the caller owns every array.
 */
#ifndef IONKMC_VINEYARD_H
#define IONKMC_VINEYARD_H

#include "barriers/fire.h"
#include "barriers/mlff_neb.h"

#include "base/units.h" /* IONKMC_OMEGA_UNIT, IONKMC_TWO_PI */

typedef struct {
  double nu;             /* 1/s */
  double log_nu;         /* ln(nu / (1/s)) */
  int n_active;          /* atoms in the Hessians */
  double f_min_lowest;   /* lowest frequency at the minimum, 1/s */
  double f_imag;         /* |imaginary frequency| at the saddle, 1/s */
  int n_neg_min, n_neg_saddle;
  double radius;         /* angstrom (0 when the atoms were given) */
  double h;              /* finite-difference step, angstrom */
} ionkmc_vineyard_result;

/* nu from the Hessians at x_min and x_sad (each [ndof], borrowed) over the
 * atoms active[0..nactive) with masses mass[0..nactive) (amu), step h.
 * The callback's status, IONKMC_EINVAL (bad arguments), IONKMC_ERANGE (mode
 * counts), IONKMC_EINTERNAL (eigensolver), IONKMC_ENOMEM. */
ionkmc_status ionkmc_vineyard_eval(int ndof, const double *x_min, const double *x_sad, int nactive,
                                   const int *active, const double *mass, ionkmc_pes_fn pes, void *ctx, double h,
                                   ionkmc_vineyard_result *r, ionkmc_error *err);
/* nu of a CI-NEB band: minimum = image 0, saddle = the highest image,
 * active atoms within radius (minimum image, at image 0) of the mover. */
ionkmc_status ionkmc_vineyard_band(ionkmc_mlff *m, const ionkmc_atoms *a, const ionkmc_mlff_band *b, double radius,
                                   ionkmc_vineyard_result *r, ionkmc_error *err);

#endif
