/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The constant provider: the catalog's Eb and nu (with the a-model and the
 * shift), optionally with a Gaussian barrier disorder "disorder_sigma" (eV),
 * annealed: <exp(-Eb/kT)> = exp(-Eb/kT + sigma^2/(2 k^2 T^2)), evaluated by
 * Gauss-Hermite quadrature. One rate per path; the environment is not read. */
#include <stdlib.h>

#include <jansson.h>

#include "barriers/provider_type.h"

typedef struct {
  double sigma; /* eV */
} constant_params;

static ionkmc_status constant_parse(json_t *ent, const char *where, void **params, ionkmc_error *err) {
  double sigma;
  ionkmc_status st = ionkmc_provider_parse_sigma(ent, where, 1, &sigma, err);
  if (st || sigma == 0) return st;
  constant_params *p = malloc(sizeof *p);
  if (!p) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", where);
  p->sigma = sigma;
  *params = p;
  return IONKMC_OK;
}

static ionkmc_status constant_barrier(void *state, const ionkmc_provider_args *args,
                                      const ionkmc_hop_env *env, ionkmc_barrier *out,
                                      ionkmc_error *err) {
  const constant_params *p = args->entry->params;
  *out = (ionkmc_barrier){.n = 1, .Eb = &args->Eb, .nu0 = args->nu, .sigma = p ? p->sigma : 0};
  return IONKMC_OK;
}

const ionkmc_provider_type ionkmc_provider_constant = {
    .name = "constant",
    .help = "the entry's Eb and nu; optional disorder_sigma (eV, annealed Gaussian)",
    .env_shells = 0,
    .parse = constant_parse,
    .free_params = free,
    .barrier = constant_barrier,
};
