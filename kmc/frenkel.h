/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc thermal Frenkel pairs: the box set-up from a catalog's `frenkel`
 * entry and the exact equilibrium it reaches.
 *
 * Conventions
 *   Units: rates in 1/s per path, T in K, energies in eV, S_f in kB.
 *   The pair is the iodide one, V_I+ and I_I- on the X sublattice (N_X = 3 L^3
 *   sites). Creation: an I atom moves from a singly occupied site t onto a
 *   singly occupied neighbour s (8 per site), leaving a vacancy at t and a
 *   split interstitial (the moved atom and the atom of s) at s. Its reverse is
 *   the one I_I- path that moves that same atom back from s onto t, the
 *   Frenkel recombination, at rate Gamma_I (the catalog's I_I- rate, field
 *   bias included). Detailed balance between the two, configuration by
 *   configuration (atoms labelled; a site is a set of atoms), with pair
 *   weight w = exp(S_f/kB - E_f/(kB T)), is
 *       pi(C') / pi(C) = w = k_create / Gamma_I,
 *   so k_create(t -> s) = w Gamma_I(s -> t) exactly: the prefactor of the
 *   creation is that of the interstitial hop, and no other parameter enters.
 *   Every other hop of the engine is its own reverse at equal rate (no
 *   interactions), so pi(C) is proportional to w^{n_V(C)}.
 *   Equilibrium: with n_I - n_V = Delta fixed (creation and recombination
 *   change both by one), M = N_X + Delta labelled atoms and n_0 = N_X - n_V -
 *   n_I singly occupied sites, the number of configurations with n_V = n is
 *       Omega(n) = N_X! / (n! (n + Delta)! n_0!) * M! / 2^(n + Delta)
 *   (2 orderings of the atoms of each pair are one configuration), and
 *       P(n) proportional to Omega(n) w^n.
 *   P(n + 1) / P(n) = (w/2) n_0 (n_0 - 1) / ((n + 1)(n + 1 + Delta)), which,
 *   summed over n, is the exact law of mass action
 *       <n_V n_I> = (w/2) <n_0 (n_0 - 1)>,
 *   and in the dilute limit (Delta = 0, n << N_X) P(n) ~ lambda^{2n}/(n!)^2 with
 *   lambda = N_X sqrt(w/2): <n_V n_I> = lambda^2 and <n_V> = lambda
 *   I_1(2 lambda) / I_0(2 lambda).
 *
 * Ownership: plain values; nothing to free.
 */
#ifndef IONKMC_FRENKEL_H
#define IONKMC_FRENKEL_H

#include "barriers/catalog.h"
#include "kmc/engine.h"

/* Exact equilibrium moments of the pair population. */
typedef struct {
  double nv, ni;   /* <n_V>, <n_I> */
  double nv_sd;    /* standard deviation of n_V (= that of n_I) */
  double nvni;     /* <n_V n_I> */
  double n0n0;     /* <n_0 (n_0 - 1)> */
} ionkmc_frenkel_eq;

/* The exact equilibrium on nsites X sites with n_I - n_V = delta and pair
 * weight w > 0 (sums of P(n) over every n where it is above 1e-30 of its
 * largest term). IONKMC_ERANGE for w <= 0 or no admissible n. */
ionkmc_status ionkmc_frenkel_equilibrium(int nsites, int delta, double w, ionkmc_frenkel_eq *out,
                                         ionkmc_error *err);

/* Turn on pair creation in spec (L, T, a, shift and count set) from the
 * catalog's frenkel entry: frenkel_w, frenkel_max (the entry's max_pairs,
 * or <n_V> + 10 SD + 16 of the equilibrium, at most N_X / 2) and the V_I+
 * and I_I- rates and patterns even where their counts are 0. Without an
 * entry it sets frenkel_w = 0 and returns IONKMC_OK. Errors (the field
 * named): a kind of the box whose entry uses an environment provider,
 * a weight that underflows at T, IONKMC_ERANGE rates. */
ionkmc_status ionkmc_box_spec_frenkel(ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                                      ionkmc_error *err);

/* The nominal total rate of a box with pair creation, 1/s: the defects at
 * the larger of their count and their equilibrium mean, each with all paths
 * open, plus the creation bound at zero field. */
double ionkmc_frenkel_nominal_rate(const ionkmc_box_spec *spec);

#endif
