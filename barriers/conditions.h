/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the conditions a rate is evaluated at, and the two rate
 * laws every rate of the program goes through.
 *
 * Conventions
 *   Units: T in K, lattice constant a in angstrom, barrier shift in eV,
 *   field in V/angstrom, hop displacements in angstrom, charges in e,
 *   barriers in eV, attempt frequencies and rates in 1/s (per path).
 *   kB = 8.617333262e-5 eV/K.
 *   Arrhenius rate of a barrier set (ionkmc_barrier): the annealed average
 *       Gamma = (1/n) sum_j nu_j exp(-Eb_j / kT)
 *   over its n configurations (n = 1 for a single barrier), multiplied by
 *   the Gaussian disorder factor <exp(-d/kT)>, d ~ N(0, sigma^2), when the
 *   set has a width sigma > 0.
 *   Field bias of a hop: exp(q E . dr / (2 kT)), q the defect charge and dr
 *   the defect's displacement.
 *   These two functions are the only places where the program turns a
 *   barrier or a field into a rate factor.
 * Ownership: plain values; nothing to free.
 */
#ifndef IONKMC_CONDITIONS_H
#define IONKMC_CONDITIONS_H

#include "base/units.h"
#include "base/status.h"

/* Where rates are evaluated: one temperature, lattice constant, barrier
 * shift (added to every barrier) and field. */
typedef struct {
  double T;        /* K, > 0 */
  double a;        /* angstrom, > 0 */
  double shift;    /* eV, any finite value */
  double field[3]; /* V/angstrom, finite */
} ionkmc_conditions;

/* IONKMC_OK if T > 0, a > 0 and the shift and field are finite; otherwise
 * IONKMC_ERANGE with a message naming the field ("T: expected ..."). */
ionkmc_status ionkmc_conditions_check(const ionkmc_conditions *c, ionkmc_error *err);

/* kB T in eV. */
double ionkmc_conditions_kT(const ionkmc_conditions *c);

/* The barriers of one hop, as a provider gives them: n configurations that
 * are averaged with equal weight (annealed). Eb and nu are borrowed from the
 * provider (valid until its next call). */
typedef struct {
  int n;            /* >= 1 */
  const double *Eb; /* [n] eV, >= 0: every term included (strain, shift) */
  const double *nu; /* [n] 1/s per path, or NULL: all configurations have nu0 */
  double nu0;       /* 1/s per path, when nu is NULL */
  double sigma;     /* eV: Gaussian disorder of each barrier, 0 for none */
} ionkmc_barrier;

/* The Arrhenius rate (1/s per path) of b at kT (eV), as above. */
double ionkmc_rate_arrhenius(const ionkmc_barrier *b, double kT);

/* The field bias exp(q E . dr / (2 kT)) of a hop of a charge q (e) by dr
 * (angstrom) in the field E (V/angstrom), at kT (eV). */
double ionkmc_rate_field_bias(double q, const double field[3], const double dr[3], double kT);

/* Gauss-Hermite average <exp(-d/kT)> over d ~ N(0, sigma^2), with n nodes
 * (1 when sigma <= 0; NAN if the quadrature cannot be allocated). */
double ionkmc_gauss_disorder_factor(double sigma, double kT, int n);

#endif
