/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc units and physical constants, one definition for every module.
 *
 * Units of the library (every module header restates the ones it uses):
 *   lengths in angstrom, energies in eV, temperatures in K, times in s (MD
 *   times in ps), attempt frequencies in 1/s, charges in units of e, fields
 *   in V/angstrom where the header does not say otherwise, diffusion
 *   coefficients in cm^2/s, masses in amu.
 * Constants: CODATA 2018 exact values (kB, e) and the derived conversions
 *   below; plain double literals, no storage.
 */
#ifndef IONKMC_UNITS_H
#define IONKMC_UNITS_H

#define IONKMC_KB_EV 8.617333262e-5     /* Boltzmann constant, eV/K */
#define IONKMC_E_CHARGE 1.602176634e-19 /* elementary charge, C */
#define IONKMC_ANGSTROM_CM 1e-8         /* cm per angstrom (D in cm^2/s from angstrom^2/s) */
#define IONKMC_OMEGA_UNIT 9.8226947e13  /* rad/s for omega^2 = 1 eV/(angstrom^2 amu) */
#define IONKMC_TWO_PI 6.283185307179586

#endif
