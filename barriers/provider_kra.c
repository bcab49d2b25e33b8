/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The kra provider: Eb = max(0, dE, E_KRA + dE/2) with dE = E_final -
 * E_initial, E = sum over the defects on the first neighbour shell (same
 * sublattice, the moving defect excluded) of the pair energy J[kind]
 * ("interactions", eV). E_KRA is the entry's barrier at the conditions. The
 * max() keeps Eb_forward - Eb_backward = dE, so detailed balance holds. */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "barriers/provider_type.h"

typedef struct {
  double J[IONKMC_NDEFECT]; /* eV */
} kra_params;

typedef struct {
  double E0; /* eV: E_KRA at the conditions */
  double nu; /* 1/s */
  double Eb; /* the last barrier given */
} kra_state;

double ionkmc_kra_barrier(double E_kra, double dE) {
  double e = E_kra + 0.5 * dE;
  if (e < dE) e = dE;
  if (e < 0) e = 0;
  return e;
}

static ionkmc_status kra_parse(json_t *ent, const char *where, void **params, ionkmc_error *err) {
  json_t *in = json_object_get(ent, "interactions");
  if (!json_is_object(in))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s.interactions: expected an object {\"V_I+\": eV, ...} for the kra "
                            "provider", where);
  kra_params *p = calloc(1, sizeof *p);
  if (!p) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", where);
  const char *key;
  json_t *val;
  json_object_foreach(in, key, val) {
    ionkmc_defect_kind o;
    if (ionkmc_defect_parse(key, &o) != IONKMC_OK || !json_is_number(val) ||
        !(fabs(json_number_value(val)) <= IONKMC_CATALOG_EB_MAX)) {
      free(p);
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s.interactions.%s: expected a defect name with an energy in eV", where, key);
    }
    p->J[o] = json_number_value(val);
  }
  double sigma;
  ionkmc_status st = ionkmc_provider_parse_sigma(ent, where, 0, &sigma, err);
  if (st) {
    free(p);
    return st;
  }
  *params = p;
  return IONKMC_OK;
}

static ionkmc_status kra_open(const ionkmc_provider_args *args, void **state, ionkmc_error *err) {
  const ionkmc_catalog_entry *e = args->entry;
  kra_state *s = malloc(sizeof *s);
  if (!s) return ionkmc_error_set(err, IONKMC_ENOMEM, "kra provider: out of memory");
  s->nu = e->dlnnu_da != 0 ? e->nu * exp(e->dlnnu_da * (args->cond.a - e->a_ref)) : e->nu;
  /* E_KRA as the barrier of the entry's rate at the conditions, recovered
   * from that rate (bit for bit what the program has always used) */
  ionkmc_barrier b = {.n = 1, .Eb = &args->Eb, .nu0 = args->nu};
  s->E0 = -args->kT * log(ionkmc_rate_arrhenius(&b, args->kT) / s->nu);
  *state = s;
  return IONKMC_OK;
}

static ionkmc_status kra_barrier(void *state, const ionkmc_provider_args *args,
                                 const ionkmc_hop_env *env, ionkmc_barrier *out, ionkmc_error *err) {
  kra_state *s = state;
  const kra_params *p = args->entry->params;
  double Ei = 0, Ef = 0;
  for (int i = 0; i < IONKMC_NDEFECT; i++) {
    Ei += env->init_counts[i] * p->J[i];
    Ef += env->final_counts[i] * p->J[i];
  }
  s->Eb = ionkmc_kra_barrier(s->E0, Ef - Ei);
  *out = (ionkmc_barrier){.n = 1, .Eb = &s->Eb, .nu0 = s->nu};
  return IONKMC_OK;
}

const ionkmc_provider_type ionkmc_provider_kra = {
    .name = "kra",
    .help = "kinetically resolved activation: Eb + dE/2 from first-shell pair energies (interactions, eV)",
    .env_shells = 1,
    .parse = kra_parse,
    .free_params = free,
    .open = kra_open,
    .barrier = kra_barrier,
    .close = free,
};
