/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The model: catalog + conditions -> rate tables and a provider set. */
#include "kmc/model.h"

#include <stdlib.h>

struct ionkmc_model {
  const ionkmc_catalog *cat;
  ionkmc_conditions cond;
  int has[IONKMC_NDEFECT];
  double rate[IONKMC_NDEFECT];
  ionkmc_pattern pattern[IONKMC_NDEFECT];
  double pattern_rate[IONKMC_NDEFECT][IONKMC_PATTERN_MAXRATES];
  int need_env;
  ionkmc_providers *prov; /* with IONKMC_MODEL_PROVIDERS */
};

void ionkmc_model_free(ionkmc_model *m) {
  if (!m) return;
  ionkmc_providers_free(m->prov);
  free(m);
}

ionkmc_model *ionkmc_model_alloc(const ionkmc_catalog *cat, const ionkmc_conditions *cond,
                                 const int count[IONKMC_NDEFECT], ionkmc_model_flags flags,
                                 ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_model *m = NULL;
  if (!cat || !cond) {
    st = ionkmc_error_set(err, IONKMC_EINVAL, "model: NULL catalog or conditions");
    goto out;
  }
  if ((st = ionkmc_conditions_check(cond, err))) goto out;
  if (!(m = calloc(1, sizeof *m))) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "model: out of memory");
    goto out;
  }
  m->cat = cat;
  m->cond = *cond;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    if (count ? count[k] <= 0 : !e->present) continue;
    if (!e->present) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "%s: catalog has no entry for %s", ionkmc_catalog_name(cat),
                            ionkmc_defect_name(k));
      goto out;
    }
    if ((st = ionkmc_catalog_entry_rate_at(e, NULL, cond, &m->rate[k], err))) goto out;
    m->has[k] = 1;
    m->pattern[k] = e->pattern;
    for (int r = 0; r < ionkmc_pattern_info_get(e->pattern)->nrates; r++) {
      /* the pattern's own rates: Arrhenius at T with the barrier shift */
      double Eb = e->pattern_rate[r].Eb + cond->shift;
      if (Eb < 0) Eb = 0;
      ionkmc_barrier b = {.n = 1, .Eb = &Eb, .nu = NULL, .nu0 = e->pattern_rate[r].nu, .sigma = 0};
      m->pattern_rate[k][r] = ionkmc_rate_arrhenius(&b, ionkmc_conditions_kT(cond));
    }
    if (e->provider->env_shells > 0) m->need_env = 1;
  }
  if (flags & IONKMC_MODEL_PROVIDERS) {
    m->prov = ionkmc_providers_alloc_cond(cat, cond, err, &st);
    if (!m->prov) goto out;
  }
out:
  if (st) {
    ionkmc_model_free(m);
    m = NULL;
  }
  if (status) *status = st;
  return m;
}

const ionkmc_conditions *ionkmc_model_conditions(const ionkmc_model *m) { return &m->cond; }
const ionkmc_catalog *ionkmc_model_catalog(const ionkmc_model *m) { return m->cat; }
int ionkmc_model_has(const ionkmc_model *m, ionkmc_defect_kind k) { return m->has[k]; }
double ionkmc_model_rate(const ionkmc_model *m, ionkmc_defect_kind k) { return m->rate[k]; }
double ionkmc_model_pattern_rate(const ionkmc_model *m, ionkmc_defect_kind k, int r) {
  return (m->has[k] && r >= 0 && r < IONKMC_PATTERN_MAXRATES) ? m->pattern_rate[k][r] : 0;
}

ionkmc_pattern ionkmc_model_pattern(const ionkmc_model *m, ionkmc_defect_kind k) {
  return m->has[k] ? m->pattern[k] : IONKMC_PATTERN_SINGLE;
}
int ionkmc_model_need_env(const ionkmc_model *m) { return m->need_env; }

ionkmc_providers *ionkmc_model_providers(const ionkmc_model *m, ionkmc_error *err,
                                         ionkmc_status *status) {
  if (!m->prov) {
    ionkmc_status st = ionkmc_error_set(err, IONKMC_ESTATE,
                                        "model: built without providers (IONKMC_MODEL_PROVIDERS)");
    if (status) *status = st;
    return NULL;
  }
  return ionkmc_providers_clone(m->prov, err, status);
}
