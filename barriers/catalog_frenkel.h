/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the catalog's `frenkel` entry (thermal Frenkel pairs).
 *
 * Conventions
 *   Units: E_f in eV, S_f in units of kB, T in K, rates in 1/s per path.
 *   The entry turns on thermal creation of iodide Frenkel pairs (V_I+ and
 *   I_I-) in a mixed box. A pair is created when an I atom on a singly
 *   occupied X site moves onto a neighbouring singly occupied X site: its
 *   old site becomes a vacancy, the new one a split interstitial holding the
 *   moved atom. The one hop that undoes it is the interstitial's hop of that
 *   same atom back onto the vacancy (Frenkel recombination), at the I_I-
 *   rate Gamma_I of the catalog. Detailed balance with it, per configuration
 *   (atoms labelled, a site a set of atoms), fixes the creation rate:
 *       k_create = Gamma_I exp(S_f / kB) exp(-E_f / (kB T)),
 *   so the pair's prefactor is the interstitial's (the reverse path fixes
 *   it) and the entry holds only the pair's free energy of formation
 *   G_f = E_f - T S_f (S_f optional, default 0). Every configuration C then
 *   has the weight w^{n_V(C)}, w = exp(S_f/kB - E_f/kB T), and the exact law
 *   of mass action on N X sites with n_0 = N - n_V - n_I singly occupied is
 *       <n_V n_I> = (w/2) <n_0 (n_0 - 1)>,
 *   the 1/2 being the two labelled atoms of a split pair (kmc/frenkel.h).
 *
 * JSON (top level of an ionkmc-catalog/1 document, optional):
 *   "frenkel": {"pair": "V_I+/I_I-",          (optional; the only pair)
 *               "E_f": eV in [0, 20],          (required)
 *               "S_f": kB in [-50, 50],        (optional, default 0)
 *               "max_pairs": integer >= 1,     (optional: created pairs alive at
 *                                               once beyond the box's own
 *                                               defects; default from the
 *                                               equilibrium, kmc/frenkel.h)
 *               "source": one of the catalog sources, "provenance": str}
 *   The catalog must then hold V_I+ and I_I- entries.
 *
 * Ownership: the entry's strings are borrowed from the catalog document.
 */
#ifndef IONKMC_CATALOG_FRENKEL_H
#define IONKMC_CATALOG_FRENKEL_H

#include "base/status.h"

#define IONKMC_FRENKEL_EF_MAX 20.0     /* eV */
#define IONKMC_FRENKEL_SF_MAX 50.0     /* kB, |S_f| */
#define IONKMC_FRENKEL_MAX_PAIRS 10000000

typedef struct {
  int present;            /* 0: no pair creation */
  double E_f;             /* eV */
  double S_f;             /* kB */
  int max_pairs;          /* 0: default from the equilibrium */
  const char *source;     /* borrowed */
  const char *provenance; /* borrowed */
} ionkmc_frenkel_entry;

struct json_t;

/* Parse the optional "frenkel" member of the catalog document doc
 * (borrowed) into *out (present = 0 when absent). has_vi, has_ii: whether
 * the catalog holds V_I+ and I_I- entries; source_ok: the catalog's test of
 * an entry source (the catalog owns the list). name labels messages.
 * IONKMC_EINVAL / IONKMC_ERANGE with the field named. */
ionkmc_status ionkmc_catalog_frenkel_parse(struct json_t *doc, const char *name, int has_vi,
                                           int has_ii, int (*source_ok)(const char *),
                                           ionkmc_frenkel_entry *out, ionkmc_error *err);

/* w = exp(S_f - E_f / (kB T)), the equilibrium weight of one pair (0 when
 * the entry is absent). */
double ionkmc_frenkel_weight(const ionkmc_frenkel_entry *f, double T);

#endif
