/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barrier providers: the rate of one hop in its local environment.
 *
 * Conventions
 *   Units: Eb in eV, nu in 1/s per path, T in K, a in angstrom, field in
 *   V/angstrom, hop vectors in angstrom, interaction energies in eV.
 *   Providers (chosen per defect kind in the catalog, "provider"):
 *     constant  Gamma = nu exp(-Eb/kT) (the catalog's Eb, nu, a-dependence
 *               and barrier shift), optionally averaged over a Gaussian
 *               barrier disorder of width sigma ("disorder_sigma", eV):
 *               annealed <exp(-Eb/kT)> = exp(-Eb/kT + sigma^2/(2 k^2 T^2)),
 *               evaluated by Gauss-Hermite quadrature.
 *     kra       Eb = max(0, dE, E_KRA + dE/2) with dE = E_final - E_initial,
 *               E = sum over defects on the first neighbour shell (same
 *               sublattice, the moving defect excluded) of the pair energy
 *               J[kind] ("interactions"). The max() keeps
 *               Eb_forward - Eb_backward = dE, so detailed balance holds.
 *     torch     Eb and nu from a TorchScript model (barriers/torch_model.h)
 *               on the version-1 descriptor. MA orientations: in annealed
 *               mode (default) the rate is the average of the model's rate
 *               over the orientation classes (x, y, z, equally likely) of
 *               the cages next to the path; in quenched mode the classes the
 *               engine holds are used as they are.
 *   Every provider multiplies by the field bias exp(q E.dr / 2kT).
 *   Results of kra and torch are cached by environment key (envcache.h).
 * Ownership: a provider set borrows the catalog for its lifetime and owns
 * its models and caches.
 */
#ifndef IONKMC_PROVIDER_H
#define IONKMC_PROVIDER_H

#include <stdint.h>

#include "barriers/catalog.h"
#include "barriers/envcache.h"
#include "barriers/torch_model.h"

typedef enum {
  IONKMC_PROVIDER_CONSTANT = 0,
  IONKMC_PROVIDER_KRA = 1,
  IONKMC_PROVIDER_TORCH = 2
} ionkmc_provider_kind;

typedef enum { IONKMC_ORIENT_ANNEALED = 0, IONKMC_ORIENT_QUENCHED = 1 } ionkmc_orient_mode;

/* The environment of one hop, filled by the engine. */
typedef struct {
  ionkmc_defect_kind kind;
  int init_counts[IONKMC_NDEFECT];  /* defects on the first shell of the initial site */
  int final_counts[IONKMC_NDEFECT]; /* ... of the final site (moving defect excluded) */
  double dr[3];                     /* defect displacement, angstrom */
  int ncages;                       /* MA cages next to the path (<= 4) */
  int cage_class[4];                /* their orientation classes 0 (x), 1 (y), 2 (z) */
} ionkmc_hop_env;

/* Gauss-Hermite average <exp(-d/kT)> over d ~ N(0, sigma^2), with n nodes. */
double ionkmc_gauss_disorder_factor(double sigma, double kT, int n);

/* KRA barrier max(0, dE, E_kra + dE/2), eV. */
double ionkmc_kra_barrier(double E_kra, double dE);

typedef struct ionkmc_providers ionkmc_providers;

/* Providers for every kind of the catalog at temperature T, lattice constant
 * a, barrier shift and field. Loads torch models (paths in the catalog,
 * relative to the working directory). NULL with err/status on failure
 * (missing model, wrong descriptor version, ...). Caller frees. */
ionkmc_providers *ionkmc_providers_alloc(const ionkmc_catalog *cat, double T, double a,
                                         double shift, const double field[3],
                                         ionkmc_error *err, ionkmc_status *status);
void ionkmc_providers_free(ionkmc_providers *p);
/* Provider kind used for defect kind k. */
ionkmc_provider_kind ionkmc_providers_kind(const ionkmc_providers *p, ionkmc_defect_kind k);
/* 1 if any kind needs the environment (kra or torch). */
int ionkmc_providers_need_env(const ionkmc_providers *p);
/* Orientation mode of the torch providers. */
ionkmc_orient_mode ionkmc_providers_orientation(const ionkmc_providers *p);
/* Rate (1/s) of one hop. Not thread-safe (caches): one provider set per
 * engine. IONKMC_ERANGE if a model gives an invalid barrier (NaN, < 0). */
ionkmc_status ionkmc_providers_rate(ionkmc_providers *p, const ionkmc_hop_env *env, double *rate,
                                    ionkmc_error *err);
/* Forget cached rates and zero the hit/miss counts (a new run). */
void ionkmc_providers_clear_cache(ionkmc_providers *p);
/* Cache statistics summed over kinds, and seconds spent in models. */
void ionkmc_providers_stats(const ionkmc_providers *p, int64_t *hits, int64_t *misses,
                            double *model_seconds);

#endif
