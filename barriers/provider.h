/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barrier providers: the rate of one hop in its local environment,
 * for every defect kind of a catalog at one set of conditions.
 *
 * Conventions
 *   Units: Eb in eV, nu in 1/s per path, T in K, a in angstrom, field in
 *   V/angstrom, hop vectors in angstrom, interaction energies in eV.
 *   Each kind's catalog entry names its provider type (provider_type.h;
 *   the types are listed in provider_registry.h: constant, sampled, kra,
 *   torch). The rate of a hop is the Arrhenius rate of the barriers its type
 *   gives (ionkmc_rate_arrhenius) times the field bias exp(q E.dr / 2kT)
 *   (ionkmc_rate_field_bias). Kinds whose type reads no environment have one
 *   zero-field rate per path, computed once; the rates of the others are
 *   cached by environment key (envcache.h).
 * Ownership: a provider set borrows the catalog for its lifetime and owns
 * its instances (models) and cache. One set serves one thread.
 */
#ifndef IONKMC_PROVIDER_H
#define IONKMC_PROVIDER_H

#include <stdint.h>

#include "barriers/catalog.h"
#include "barriers/conditions.h"
#include "barriers/envcache.h"
#include "barriers/provider_type.h"

typedef enum { IONKMC_ORIENT_ANNEALED = 0, IONKMC_ORIENT_QUENCHED = 1 } ionkmc_orient_mode;

typedef struct ionkmc_providers ionkmc_providers;

/* Providers for every kind of the catalog at the conditions cond. Opens the
 * instances (torch: loads the models, paths relative to the working
 * directory). NULL with err/status on failure (bad conditions, missing
 * model, wrong descriptor version, ...). Caller frees. */
ionkmc_providers *ionkmc_providers_alloc_cond(const ionkmc_catalog *cat, const ionkmc_conditions *cond,
                                              ionkmc_error *err, ionkmc_status *status);
/* The same with the conditions spelled out (field may be NULL: zero). */
ionkmc_providers *ionkmc_providers_alloc(const ionkmc_catalog *cat, double T, double a,
                                         double shift, const double field[3],
                                         ionkmc_error *err, ionkmc_status *status);
/* A fresh set with the catalog and conditions of p (its own instances and
 * an empty cache), for another thread. NULL with err/status on failure. */
ionkmc_providers *ionkmc_providers_clone(const ionkmc_providers *p, ionkmc_error *err,
                                         ionkmc_status *status);
void ionkmc_providers_free(ionkmc_providers *p);
/* Provider type used for defect kind k (NULL if the catalog has no entry). */
const ionkmc_provider_type *ionkmc_providers_type(const ionkmc_providers *p, ionkmc_defect_kind k);
/* 1 if kind k has an entry whose type reads the environment (env_shells > 0). */
int ionkmc_providers_env(const ionkmc_providers *p, ionkmc_defect_kind k);
/* 1 if any kind needs the environment (kra or torch). */
int ionkmc_providers_need_env(const ionkmc_providers *p);
/* Orientation mode: quenched if a kind's instance reads the engine's MA
 * orientation classes. */
ionkmc_orient_mode ionkmc_providers_orientation(const ionkmc_providers *p);
/* The conditions of the set (borrowed). */
const ionkmc_conditions *ionkmc_providers_conditions(const ionkmc_providers *p);
/* Rate (1/s) of one hop. Not thread-safe (caches): one provider set per
 * engine. IONKMC_ERANGE if a model gives an invalid barrier (NaN, < 0). */
ionkmc_status ionkmc_providers_rate(ionkmc_providers *p, const ionkmc_hop_env *env, double *rate,
                                    ionkmc_error *err);
/* Forget cached rates and zero the hit/miss counts (a new run). */
void ionkmc_providers_clear_cache(ionkmc_providers *p);
/* For a caller that keeps whole sets of rates above the cache (the
 * engine's environment rows): the cache's flushes since the last clear
 * (the caller must forget its rows when this changes), and n lookups it
 * skipped, counted as the hits they would have been, so that the statistics
 * do not depend on the caller's layer. */
int64_t ionkmc_providers_flushes(const ionkmc_providers *p);
/* Replace the rate cache (where there is one) with an empty one of
 * 2^log2cap slots, 4 <= log2cap <= 30: for tests, a cache small enough to
 * flush during a run. IONKMC_EINVAL on a bad size, IONKMC_ENOMEM. */
ionkmc_status ionkmc_providers_set_cache_size(ionkmc_providers *p, int log2cap);
void ionkmc_providers_note_hits(ionkmc_providers *p, int64_t n);
/* Cache statistics summed over kinds, and seconds spent in models. */
void ionkmc_providers_stats(const ionkmc_providers *p, int64_t *hits, int64_t *misses,
                            double *model_seconds);

#endif
