/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The sampled provider: barriers sampled over environments ("samples_Eb",
 * eV, e.g. CI-NEB over MA orientations), averaged annealed:
 *   Gamma = nu < exp(-(Eb_j + dEb_da (a - a_ref) + shift) / kT) >_j,
 * each shifted barrier clipped at 0; the entry's Eb is their mean, for
 * display. Optional disorder_sigma as the constant provider. One rate per
 * path; the environment is not read. */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "barriers/provider_type.h"

typedef struct {
  json_t *samples; /* borrowed from the catalog document */
  int n;
  double sigma;    /* eV */
} sampled_params;

static ionkmc_status sampled_parse(json_t *ent, const char *where, void **params, ionkmc_error *err) {
  json_t *sm = json_object_get(ent, "samples_Eb");
  size_t n = json_is_array(sm) ? json_array_size(sm) : 0;
  if (n == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s.samples_Eb: expected a non-empty array of barriers (eV) for the "
                            "sampled provider", where);
  for (size_t j = 0; j < n; j++) {
    json_t *v = json_array_get(sm, j);
    if (!json_is_number(v) || !(json_number_value(v) >= 0) || !isfinite(json_number_value(v)))
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s.samples_Eb[%zu]: expected a barrier >= 0 eV",
                              where, j);
  }
  double sigma;
  ionkmc_status st = ionkmc_provider_parse_sigma(ent, where, 1, &sigma, err);
  if (st) return st;
  sampled_params *p = malloc(sizeof *p);
  if (!p) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", where);
  p->samples = sm;
  p->n = (int)n;
  p->sigma = sigma;
  *params = p;
  return IONKMC_OK;
}

/* The state: the sampled barriers at the conditions. */
static ionkmc_status sampled_open(const ionkmc_provider_args *args, void **state, ionkmc_error *err) {
  const sampled_params *p = args->entry->params;
  double *Eb = malloc(sizeof(double) * (size_t)p->n);
  if (!Eb) return ionkmc_error_set(err, IONKMC_ENOMEM, "sampled provider: out of memory");
  /* the strain and shift terms of the mean apply to every sample */
  double off = args->Eb - args->entry->Eb;
  for (int j = 0; j < p->n; j++) Eb[j] = fmax(json_number_value(json_array_get(p->samples, (size_t)j)) + off, 0);
  *state = Eb;
  return IONKMC_OK;
}

static ionkmc_status sampled_barrier(void *state, const ionkmc_provider_args *args,
                                     const ionkmc_hop_env *env, ionkmc_barrier *out,
                                     ionkmc_error *err) {
  const sampled_params *p = args->entry->params;
  *out = (ionkmc_barrier){.n = p->n, .Eb = state, .nu0 = args->nu, .sigma = p->sigma};
  return IONKMC_OK;
}

const ionkmc_provider_type ionkmc_provider_sampled = {
    .name = "sampled",
    .help = "annealed average over samples_Eb (eV), with the entry's nu and a-model",
    .env_shells = 0,
    .parse = sampled_parse,
    .free_params = free,
    .open = sampled_open,
    .barrier = sampled_barrier,
    .close = free,
};
