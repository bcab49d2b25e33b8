/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing helpers shared by the provider types. */
#include <jansson.h>

#include "barriers/provider_type.h"

#include <math.h>

ionkmc_status ionkmc_provider_parse_sigma(json_t *ent, const char *where, int allowed,
                                          double *sigma, ionkmc_error *err) {
  *sigma = 0;
  json_t *v = json_object_get(ent, "disorder_sigma");
  if (!v) return IONKMC_OK;
  if (!json_is_number(v) || !isfinite(json_number_value(v)))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s.disorder_sigma: expected a number", where);
  *sigma = json_number_value(v);
  if (!(*sigma >= 0 && *sigma <= IONKMC_CATALOG_SIGMA_MAX) || (*sigma > 0 && !allowed))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s.disorder_sigma: expected a width in [0, %g] eV (constant provider "
                            "only)", where, IONKMC_CATALOG_SIGMA_MAX);
  return IONKMC_OK;
}
