/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc events: the iodide tracer correlation factor of the ORIENTED split
 * interstitial (one pair on the X sublattice, pattern "oriented" of
 * events/defects.h) in closed form, with the pair's return statistics
 * computed exactly from its lattice Green functions.
 *
 * Conventions
 *   Units: rates relative to the per-path rate Gamma (kappa = k_r / Gamma,
 *   dimensionless); lengths in h = a/2 (lattice/lattice.h); probabilities
 *   and f are dimensionless.
 *   The result (README "Correlated patterns", derivation in oriented_f.c):
 *     f = (2 + kappa - 2 g) / (4 + kappa - 2 g),
 *   where g is the mean component along the left-behind atom's old pair axis
 *   (pi) of the hop by which the pair first comes back to that atom (zero
 *   when it never does). g = q_plus - q_minus: the probabilities that the
 *   pair's first return arrives from a site of axis pi with a hop along +pi
 *   or along -pi; q_tau is the probability that it arrives along the third
 *   axis (no contribution); q_same, a part of q_plus, that it arrives back
 *   along the bond it left by. q_plus + q_minus + q_tau is the return
 *   probability: 1 in a periodic box and, at kappa = 0, on the infinite
 *   lattice (the walk is planar and recurrent).
 *   L >= 2: the periodic L^3 box of the engine, a finite sum over its L^3
 *   wave vectors (exact to rounding). L = 0: the infinite lattice; kappa > 0
 *   a Brillouin-zone integral (adaptive cubature, error estimate in
 *   integration_error), kappa = 0 the closed form g = 1 - 2/pi, f = 2/(2+pi).
 * Ownership: plain values, nothing allocated that outlives the call.
 */
#ifndef IONKMC_ORIENTED_F_H
#define IONKMC_ORIENTED_F_H

#include "base/status.h"

/* The largest box the finite sum takes (its cost grows as L^3 for
 * k_r > 0: about 1 s at L = 128 and 7 s at this bound on one core; the
 * boxes approach the infinite lattice, L = 0, as L^-3). */
#define IONKMC_ORIENTED_F_MAX_L 256

typedef struct {
  double kappa;             /* k_r / Gamma, as given */
  int L;                    /* as given; 0: the infinite lattice */
  double f;                 /* the iodide tracer correlation factor */
  double f_pair;            /* (2 + kappa)/(4 + kappa): f without returns (g = 0) */
  double g;                 /* q_plus - q_minus */
  double q_plus, q_minus, q_tau, q_same;
  double q_return;          /* q_plus + q_minus + q_tau */
  double integration_error; /* L = 0, kappa > 0: the sum of the integrator's absolute error
                               estimates of the Green functions (g's error is of that order);
                               0 for sums and closed forms */
} ionkmc_oriented_f;

/* f and the return statistics for kappa = k_r / Gamma >= 0 (finite) in the
 * periodic L^3 box (2 <= L <= IONKMC_ORIENTED_F_MAX_L) or on the infinite
 * lattice (L = 0). Returns IONKMC_OK; IONKMC_EINVAL on a bad kappa or L,
 * IONKMC_ENOMEM, or IONKMC_EINTERNAL when the integral does not converge
 * (err says which); *out is filled only on success. */
ionkmc_status ionkmc_oriented_f_compute(double kappa, int L, ionkmc_oriented_f *out, ionkmc_error *err);

#endif
