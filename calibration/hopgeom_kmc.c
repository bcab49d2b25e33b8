/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The KMC's own hop geometry (calibration/hopgeom.h): trajectories with the
 * engine's jump log, read by the same code as the MD's. */
#include <stdlib.h>
#include <string.h>

#include "calibration/hopgeom.h"
#include "kmc/engine.h"
#include "kmc/model.h"

ionkmc_status ionkmc_geom_kmc_sample(const ionkmc_run_config *cfg, const ionkmc_lattice *lat, ionkmc_defect_kind kind,
                                     int nruns, size_t max_jumps, ionkmc_geom_acc *acc, ionkmc_error *err) {
  if (nruns < 1 || max_jumps < 1 || !(cfg->time > 0 || cfg->hops > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "hop geometry: expected runs >= 1 with a length");
  ionkmc_status st = IONKMC_OK;
  int need_prov = 0, ndef = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ndef += cfg->spec.count[k];
    if (cfg->cat && cfg->spec.count[k] > 0 && ionkmc_catalog_get(cfg->cat, k)->present &&
        ionkmc_catalog_get(cfg->cat, k)->provider->env_shells > 0)
      need_prov = 1;
  }
  int lone = ndef == 1 && cfg->spec.count[kind] == 1 && !(cfg->spec.frenkel_w > 0);
  ionkmc_model *model = NULL;
  ionkmc_providers *prov = NULL;
  ionkmc_defect_jump *jump = lone ? malloc(max_jumps * sizeof *jump) : NULL;
  ionkmc_engine *e = ionkmc_engine_alloc(&cfg->spec, lat, err, &st);
  if (!e) goto out;
  if ((lone && !jump) || (st = ionkmc_engine_jumplog_alloc(e, max_jumps, err))) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "hop geometry: out of memory for %zu jumps", max_jumps);
    goto out;
  }
  if (need_prov) {
    ionkmc_conditions cond = ionkmc_box_spec_conditions(&cfg->spec);
    if (!(model = ionkmc_model_alloc(cfg->cat, &cond, NULL, IONKMC_MODEL_PROVIDERS, err, &st)) ||
        !(prov = ionkmc_model_providers(model, err, &st)) || (st = ionkmc_engine_set_providers(e, prov, err)))
      goto out;
  }
  double a = cfg->spec.cond.a;
  for (int i = 0; i < nruns && !st; i++) {
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, cfg->seed, IONKMC_GEOM_STREAM + (uint64_t)i);
    if ((st = ionkmc_engine_reset(e, &rng, err))) break;
    int64_t hops = cfg->hops > 0 && (size_t)cfg->hops < max_jumps ? cfg->hops : (int64_t)max_jumps;
    if ((st = ionkmc_engine_run(e, &rng, hops, cfg->time, 0))) {
      st = ionkmc_error_set(err, st, "hop geometry: %s", ionkmc_engine_error(e));
      break;
    }
    double t_end = ionkmc_engine_obs(e)->t;
    size_t n;
    const ionkmc_jump_entry *log = ionkmc_engine_jumplog(e, &n, NULL);
    for (int d = 0; d < ionkmc_engine_ndefects(e) && !st; d++) {
      ionkmc_defect_kind k;
      ionkmc_engine_defect(e, d, &k, NULL, NULL, NULL);
      if (k != kind) continue;
      ionkmc_jump_track tr;
      st = ionkmc_geom_kmc_run(log, n, d, t_end, a, acc, jump, max_jumps, &tr, err);
    }
  }
out:
  ionkmc_engine_free(e);
  ionkmc_providers_free(prov);
  ionkmc_model_free(model);
  free(jump);
  return st;
}
