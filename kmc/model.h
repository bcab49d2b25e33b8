/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc kmc: the model, a rate catalog at one set of conditions.
 *
 * Conventions
 *   Units: T in K, a in angstrom, shift in eV, field in V/angstrom, rates in
 *   1/s per path.
 *   T, a, the barrier shift and the field flow one way: the caller fills an
 *   ionkmc_conditions (barriers/conditions.h), the model turns catalog +
 *   conditions into what the engine needs, once: per defect kind the
 *   zero-field rate per path (validated: the catalog's range of rates), the
 *   MA interstitial pattern and, with IONKMC_MODEL_PROVIDERS, a provider set
 *   (models loaded, errors reported before any run). Each thread then takes
 *   its own provider set cloned from the model's (ionkmc_model_providers):
 *   the same rates, its own cache and instances.
 *   The kinds are those with count[k] > 0 (count NULL: every kind the
 *   catalog has).
 * Ownership: a model borrows the catalog (which must outlive it and stay
 *   unchanged) and owns its provider set; provider sets it hands out belong
 *   to the caller (ionkmc_providers_free). A built model is read-only and
 *   may be shared by threads.
 */
#ifndef IONKMC_MODEL_H
#define IONKMC_MODEL_H

#include "barriers/catalog.h"
#include "barriers/conditions.h"
#include "barriers/provider.h"

typedef enum {
  IONKMC_MODEL_RATES = 0,     /* rate tables and patterns only */
  IONKMC_MODEL_PROVIDERS = 1  /* also open the provider set (loads models) */
} ionkmc_model_flags;

typedef struct ionkmc_model ionkmc_model;

/* Build the model of cat at cond for the kinds with count[k] > 0. NULL with
 * err/status on failure: bad conditions (IONKMC_ERANGE, the message names
 * T, a, shift or field), a kind without an entry (IONKMC_EINVAL), a rate
 * outside the catalog's range (IONKMC_ERANGE), a provider that cannot be
 * opened (its status), IONKMC_ENOMEM. Caller frees. */
ionkmc_model *ionkmc_model_alloc(const ionkmc_catalog *cat, const ionkmc_conditions *cond,
                                 const int count[IONKMC_NDEFECT], ionkmc_model_flags flags,
                                 ionkmc_error *err, ionkmc_status *status);
/* Free; NULL is a no-op. */
void ionkmc_model_free(ionkmc_model *m);

/* The conditions and the catalog (borrowed). */
const ionkmc_conditions *ionkmc_model_conditions(const ionkmc_model *m);
const ionkmc_catalog *ionkmc_model_catalog(const ionkmc_model *m);
/* 1 if kind k is in the model. */
int ionkmc_model_has(const ionkmc_model *m, ionkmc_defect_kind k);
/* Zero-field rate per path of kind k (1/s; 0 for a kind not in the model). */
double ionkmc_model_rate(const ionkmc_model *m, ionkmc_defect_kind k);
/* Displacement pattern of kind k (single for a kind not in the model). */
ionkmc_pattern ionkmc_model_pattern(const ionkmc_model *m, ionkmc_defect_kind k);
/* Rate r of kind k's pattern at the model's conditions (1/s, Arrhenius
 * with the barrier shift, no field bias; 0 beyond the pattern's rates). */
double ionkmc_model_pattern_rate(const ionkmc_model *m, ionkmc_defect_kind k, int r);
/* 1 if a kind of the model has a provider that reads the environment. */
int ionkmc_model_need_env(const ionkmc_model *m);

/* A provider set for one thread, cloned from the model's. NULL with
 * err/status: IONKMC_ESTATE if the model was built without
 * IONKMC_MODEL_PROVIDERS, else the provider's failure. Caller frees. */
ionkmc_providers *ionkmc_model_providers(const ionkmc_model *m, ionkmc_error *err,
                                         ionkmc_status *status);

#endif
