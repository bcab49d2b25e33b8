/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Box specifications: rates from a catalog, nominal total rate. */
#include "kmc/box_spec.h"

ionkmc_status ionkmc_box_spec_rates(ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                                    ionkmc_error *err) {
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (spec->count[k] <= 0) continue;
    ionkmc_status st = ionkmc_catalog_rate(cat, k, spec->T, spec->a, spec->shift, &spec->rate[k], err);
    if (st) return st;
    spec->pattern[k] = ionkmc_catalog_get(cat, k)->pattern;
  }
  return IONKMC_OK;
}

double ionkmc_box_spec_nominal_rate(const ionkmc_box_spec *spec) {
  double r = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0) r += spec->count[k] * ionkmc_defect_npaths(k) * spec->rate[k];
  return r;
}
