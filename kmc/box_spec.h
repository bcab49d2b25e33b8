/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc box specifications from a catalog.
 *
 * Conventions
 *   Units as kmc/engine.h: T in K, a in angstrom, the shift in eV, rates in
 *   1/s. The catalog is borrowed for the call; spec is the caller's.
 */
#ifndef IONKMC_BOX_SPEC_H
#define IONKMC_BOX_SPEC_H

#include "barriers/catalog.h"
#include "kmc/engine.h"

/* Build the rate tables for spec from a catalog: fills spec->rate and
 * spec->pattern for every kind with count > 0. Errors name the field. */
ionkmc_status ionkmc_box_spec_rates(ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                                    ionkmc_error *err);

#endif
