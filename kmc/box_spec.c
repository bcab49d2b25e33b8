/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Box specifications: conditions, rates from the model, validation, nominal total rate. */
#include "kmc/box_spec.h"
#include "kmc/frenkel.h"

#include <math.h>
#include <string.h>

#include "kmc/model.h"

ionkmc_conditions ionkmc_box_spec_conditions(const ionkmc_box_spec *spec) { return spec->cond; }

/* 1 if kind k moves by a correlated pattern (ORIENTED, RETURNS, RELAY) it takes. */
static int correlated(const ionkmc_box_spec *spec, int k) {
  ionkmc_pattern p = spec->pattern[k];
  return ionkmc_defect_takes_pattern(k, p) && ionkmc_pattern_correlated(p);
}

ionkmc_status ionkmc_box_spec_rates(ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                                    ionkmc_error *err) {
  ionkmc_conditions cond = ionkmc_box_spec_conditions(spec);
  ionkmc_status st;
  /* a box with pair creation needs the pair's rates even at count 0 */
  int need[IONKMC_NDEFECT];
  memcpy(need, spec->count, sizeof need);
  if (spec->frenkel_w > 0) {
    if (need[IONKMC_V_I] <= 0) need[IONKMC_V_I] = 1;
    if (need[IONKMC_I_I] <= 0) need[IONKMC_I_I] = 1;
  }
  ionkmc_model *m = ionkmc_model_alloc(cat, &cond, need, IONKMC_MODEL_RATES, err, &st);
  if (!m) return st;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (need[k] <= 0) continue;
    spec->rate[k] = ionkmc_model_rate(m, k);
    spec->pattern[k] = ionkmc_model_pattern(m, k);
    for (int r = 0; r < IONKMC_PATTERN_MAXRATES; r++) spec->pattern_rate[k][r] = ionkmc_model_pattern_rate(m, k, r);
  }
  ionkmc_model_free(m);
  /* a correlated pattern needs the constant rates of every defect of the box */
  int pat = -1, env = -1;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *en = ionkmc_catalog_get(cat, k);
    if (need[k] <= 0 || !en->present) continue;
    if (pat < 0 && correlated(spec, k)) pat = k;
    if (env < 0 && en->provider->env_shells > 0) env = k;
  }
  if (pat >= 0 && env >= 0)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: pattern \"%s\" with the %s provider of %s is not implemented (a correlated "
                            "pattern needs the constant or sampled provider for every defect of the box)",
                            ionkmc_defect_name(pat), ionkmc_pattern_name(spec->pattern[pat]),
                            ionkmc_catalog_get(cat, env)->provider->name, ionkmc_defect_name(env));
  return IONKMC_OK;
}

ionkmc_status ionkmc_box_spec_check(const ionkmc_box_spec *spec, const ionkmc_lattice *lat,
                                    ionkmc_error *err) {
  if (!spec || !lat) return ionkmc_error_set(err, IONKMC_EINVAL, "engine: NULL spec or lattice");
  if (spec->L != ionkmc_lattice_size(lat))
    return ionkmc_error_set(err, IONKMC_EINVAL, "size: lattice has L = %d, spec asks for %d",
                            ionkmc_lattice_size(lat), spec->L);
  ionkmc_conditions cond = ionkmc_box_spec_conditions(spec);
  ionkmc_status st = ionkmc_conditions_check(&cond, err);
  if (st) return st;
  int ndef = 0, nsite[IONKMC_NSPECIES] = {0};
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (spec->count[k] < 0)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: negative defect count", ionkmc_defect_name(k));
    if (spec->count[k] == 0) continue;
    if (!(spec->rate[k] >= 0) || !isfinite(spec->rate[k]))
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: rate must be finite and >= 0, got %g",
                              ionkmc_defect_name(k), spec->rate[k]);
    /* (a kind whose row does not take the pattern asked for moves singly) */
    for (int r = 0; r < IONKMC_PATTERN_MAXRATES; r++)
      if (!(spec->pattern_rate[k][r] >= 0) || !isfinite(spec->pattern_rate[k][r]))
        return ionkmc_error_set(err, IONKMC_ERANGE, "%s: pattern rate %d must be finite and >= 0, got %g",
                                ionkmc_defect_name(k), r, spec->pattern_rate[k][r]);
    if (spec->pattern[k] == IONKMC_PATTERN_COLLINEAR && spec->L < 3)
      return ionkmc_error_set(err, IONKMC_EINVAL, "size: the collinear pattern of %s needs L >= 3",
                              ionkmc_defect_name(k));
    ndef += spec->count[k];
    nsite[ionkmc_defect_species_index(k)] += spec->count[k];
  }
  int frk = spec->frenkel_w > 0;
  if (!(spec->frenkel_w >= 0) || !isfinite(spec->frenkel_w))
    return ionkmc_error_set(err, IONKMC_ERANGE, "frenkel: pair weight must be finite and >= 0, got %g",
                            spec->frenkel_w);
  if (frk && (spec->frenkel_max < 1 || !(spec->rate[IONKMC_I_I] > 0) || !isfinite(spec->rate[IONKMC_I_I]) ||
              !(spec->rate[IONKMC_V_I] >= 0) || !isfinite(spec->rate[IONKMC_V_I])))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "frenkel: pair creation needs max_pairs >= 1 (got %d), an I_I- rate > 0 "
                            "(got %g) and a V_I+ rate >= 0 (got %g)",
                            spec->frenkel_max, spec->rate[IONKMC_I_I], spec->rate[IONKMC_V_I]);
  for (int k = 0; frk && k < IONKMC_NDEFECT; k++)
    if ((k == IONKMC_V_I || k == IONKMC_I_I) && correlated(spec, k))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: pattern \"%s\" with thermal Frenkel pairs is not implemented (their "
                              "detailed balance assumes the plain patterns)",
                              ionkmc_defect_name(k), ionkmc_pattern_name(spec->pattern[k]));
  if (ndef == 0 && !frk) return ionkmc_error_set(err, IONKMC_EINVAL, "defect: the box holds no defect");
  if (nsite[0] > ionkmc_lattice_nsites(lat, IONKMC_SUB_X) || nsite[1] > ionkmc_lattice_nsites(lat, IONKMC_SUB_A))
    return ionkmc_error_set(err, IONKMC_EINVAL, "defect: more defects than sites in a %d^3 box", spec->L);
  return IONKMC_OK;
}

double ionkmc_box_spec_nominal_rate(const ionkmc_box_spec *spec) {
  if (spec->frenkel_w > 0) return ionkmc_frenkel_nominal_rate(spec);
  double r = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0) r += spec->count[k] * ionkmc_defect_npaths(k) * spec->rate[k];
  return r;
}
