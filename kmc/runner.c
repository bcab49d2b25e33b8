/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/runner.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix64(uint64_t h, uint64_t v) {
  /* splitmix64 finaliser over h ^ v */
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static uint64_t mix_double(uint64_t h, double x) {
  x += 0.0; /* -0.0 and 0.0 are one box */
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return mix64(h, u);
}

uint32_t ionkmc_run_stream_unit(const ionkmc_box_spec *spec) {
  uint64_t h = mix64(0x696f6e6b6d63ull, (uint64_t)spec->L);
  h = mix_double(h, spec->T);
  h = mix_double(h, spec->a);
  h = mix_double(h, spec->shift);
  for (int c = 0; c < 3; c++) h = mix_double(h, spec->field[c]);
  for (int k = 0; k < IONKMC_NDEFECT; k++) h = mix64(h, (uint64_t)spec->count[k]);
  uint32_t u = (uint32_t)(h >> 32);
  return u ? u : 1u;
}

ionkmc_run_config ionkmc_run_config_default(void) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.runs = IONKMC_RUN_RUNS_DEFAULT;
  c.hops = IONKMC_RUN_HOPS_DEFAULT;
  c.seed = IONKMC_RUN_SEED_DEFAULT;
  c.blocks = IONKMC_RUN_BLOCKS_DEFAULT;
  return c;
}

ionkmc_status ionkmc_run_batch(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                               ionkmc_run_summary *out, ionkmc_error *err) {
  return ionkmc_run_batch_progress(cfg, lat, out, err, NULL, NULL);
}

/* Per-run scalars kept for the statistics, in run order. */
enum {
  V_DSP0, V_DSP1, V_DTR0, V_DTR1, V_DSG0, V_DSG1, V_F0, V_F1, V_DDEF, V_DRIFT, V_T, V_TRN0, V_TRN1,
  V_SIG0, V_SIG1, NV
};

ionkmc_status ionkmc_run_batch_progress(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                                        ionkmc_run_summary *out, ionkmc_error *err,
                                        ionkmc_progress_fn fn, void *user) {
  if (cfg->runs < 1)
    return ionkmc_error_set(err, IONKMC_EINVAL, "runs: expected an integer >= 1, got %d", cfg->runs);
  if (cfg->hops <= 0 && !(cfg->time > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "hops/time: give hops > 0 or time > 0 per run");
  int M = cfg->runs;
  int blocks = cfg->blocks > 0 ? cfg->blocks : IONKMC_RUN_BLOCKS_DEFAULT;
  double R0 = ionkmc_box_spec_nominal_rate(&cfg->spec);
  int64_t expected = cfg->hops > 0 ? cfg->hops : (int64_t)(cfg->time * R0);
  int64_t block_hops = expected / blocks > 0 ? expected / blocks : 1;

  ionkmc_run_obs *obs = malloc(sizeof *obs * (size_t)M);
  if (!obs) return ionkmc_error_set(err, IONKMC_ENOMEM, "runner: out of memory for %d runs", M);
  /* Validate the spec once outside the parallel region. */
  ionkmc_status st;
  ionkmc_engine *probe = ionkmc_engine_alloc(&cfg->spec, lat, err, &st);
  if (!probe) {
    free(obs);
    return st;
  }
  ionkmc_engine_free(probe);
  /* Environment-dependent providers (kra, torch): one set per thread, as
   * they cache; loading them once here reports a bad model before any run. */
  int need_prov = 0;
  if (cfg->cat)
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      if (cfg->spec.count[k] > 0 && ionkmc_catalog_get(cfg->cat, k)->present &&
          ionkmc_catalog_get(cfg->cat, k)->provider != 0)
        need_prov = 1;
  if (need_prov) {
    ionkmc_providers *pp = ionkmc_providers_alloc(cfg->cat, cfg->spec.T, cfg->spec.a,
                                                  cfg->spec.shift, cfg->spec.field, err, &st);
    if (!pp) {
      free(obs);
      return st;
    }
    ionkmc_providers_free(pp);
  }

  int failed = 0, done = 0, fail_run = M;
  ionkmc_status fail_st = IONKMC_OK;
  ionkmc_error terr = {{0}};
  int nth = cfg->threads > 0 ? cfg->threads : omp_get_max_threads();
  if (nth > M) nth = M;
#pragma omp parallel num_threads(nth)
  {
    ionkmc_error lerr;
    ionkmc_status lst;
    ionkmc_engine *eng = ionkmc_engine_alloc(&cfg->spec, lat, &lerr, &lst);
    ionkmc_providers *prov = NULL;
    if (eng && need_prov) {
      prov = ionkmc_providers_alloc(cfg->cat, cfg->spec.T, cfg->spec.a, cfg->spec.shift,
                                    cfg->spec.field, &lerr, &lst);
      if (!prov || ionkmc_engine_set_providers(eng, prov, &lerr) != IONKMC_OK) {
        if (prov) lst = IONKMC_ENOMEM;
        ionkmc_engine_free(eng);
        eng = NULL;
      }
    }
    if (!eng) {
#pragma omp critical(ionkmc_runner)
      {
        failed = 1;
        if (fail_st == IONKMC_OK) {
          fail_st = lst;
          terr = lerr;
        }
      }
    }
#pragma omp for schedule(dynamic, 1)
    for (int i = 0; i < M; i++) {
      if (!eng) continue;
      ionkmc_rng rng;
      ionkmc_rng_init(&rng, cfg->seed, ((uint64_t)cfg->stream_unit << 32) | (uint64_t)i);
      ionkmc_status rst = ionkmc_cancel_requested()
                              ? ionkmc_error_set(&lerr, IONKMC_ECANCEL, "runner: cancelled at run %d", i)
                              : ionkmc_engine_reset(eng, &rng, &lerr);
      if (rst == IONKMC_OK) {
        rst = ionkmc_engine_run(eng, &rng, cfg->hops, cfg->time, block_hops);
        if (rst != IONKMC_OK) ionkmc_error_set(&lerr, rst, "%s", ionkmc_engine_error(eng));
      }
      if (rst != IONKMC_OK) {
        /* keep the failure of the lowest run index: the same for any thread count */
#pragma omp critical(ionkmc_runner)
        {
          failed = 1;
          if (i < fail_run) {
            fail_run = i;
            fail_st = rst;
            terr = lerr;
          }
        }
        continue;
      }
      obs[i] = *ionkmc_engine_obs(eng);
      if (fn) {
#pragma omp critical(ionkmc_runner_progress)
        fn(++done, M, user);
      }
    }
    ionkmc_engine_free(eng);
    ionkmc_providers_free(prov);
  }
  if (failed) {
    free(obs);
    if (err) *err = terr;
    return fail_st != IONKMC_OK ? fail_st : IONKMC_EINTERNAL;
  }

  double *v = calloc((size_t)M * NV, sizeof(double));
  if (!v) {
    free(obs);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "runner: out of memory");
  }
  memset(out, 0, sizeof *out);
  double h = 0.5 * cfg->spec.a * 1e-8; /* h-unit in cm */
  double h2 = h * h;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (cfg->spec.count[k] > 0)
      out->species_present[ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? 0 : 1] = 1;
  double E = sqrt(cfg->spec.field[0] * cfg->spec.field[0] + cfg->spec.field[1] * cfg->spec.field[1] +
                  cfg->spec.field[2] * cfg->spec.field[2]);
  int ndef = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) ndef += cfg->spec.count[k];
  out->msd_n = IONKMC_MSD_POINTS;
  for (int i = 0; i < M; i++) {
    const ionkmc_run_obs *o = &obs[i];
    double *r = v + (size_t)i * NV;
    double t = o->t;
    for (int s = 0; s < 2; s++) {
      double n = o->natoms[s];
      /* time with defects of the species present (all of it unless they annihilated) */
      double ts = o->t_emptied[s] >= 0 ? o->t_emptied[s] : t;
      double sr2 = 0;
      for (int c = 0; c < 3; c++) sr2 += (double)o->sum_dr[s][c] * o->sum_dr[s][c];
      /* the centre of charge from its blocks (one run's |S|^2 alone is one sample) */
      double dr2 = (double)o->sum_dr2[s], sig = o->sigma_r2[s];
      if (E > 0) {
        /* Drift-free: the species' mean displacement S/n removed from every atom,
         * sum |dr_i - S/n|^2 = dr2 - |S|^2/n, plus the centre's fluctuation that this
         * subtraction takes away, estimated without bias from the blocks. */
        double sig_rate = o->sigma_t_nodrift > 0 ? o->sigma_r2_nodrift[s] / o->sigma_t_nodrift : NAN;
        dr2 = dr2 - sr2 / n + sig_rate * ts / n;
        sig = sig_rate * ts;
      }
      r[V_DSP0 + s] = ts > 0 ? dr2 * h2 / (6 * ts) : NAN;
      r[V_DTR0 + s] = ts > 0 ? dr2 * h2 / (6 * ts * n) : NAN;
      r[V_DSG0 + s] = ts > 0 ? sig * h2 / (6 * ts * n) : NAN;
      r[V_F0 + s] = o->sum_jump2[s] > 0 ? dr2 / o->sum_jump2[s] : NAN;
      r[V_TRN0 + s] = dr2 / n; /* for H_R as a ratio of means */
      r[V_SIG0 + s] = sig / n;
    }
    if (E > 0)
      r[V_DDEF] = o->defect_t_nodrift > 0 ? o->defect_r2_nodrift * h2 / (6 * o->defect_t_nodrift) : NAN;
    else
      r[V_DDEF] = o->defect_t > 0 ? o->defect_r2 * h2 / (6 * o->defect_t) : NAN;
    double proj = 0;
    if (E > 0)
      for (int c = 0; c < 3; c++) proj += o->defect_drift[c] * cfg->spec.field[c] / E;
    r[V_DRIFT] = (E > 0 && t > 0) ? proj * h / (t * ndef) : NAN;
    r[V_T] = t;
    out->hops += o->hops;
    for (int k = 0; k < IONKMC_NDEFECT; k++) out->hops_by_kind[k] += o->hops_by_kind[k];
    out->recombinations += o->recombinations;
    out->cache_hits += o->cache_hits;
    out->cache_misses += o->cache_misses;
    out->runs_out_of_events += o->no_events;
    out->sim_time_total += t;
    if (o->msd_n < out->msd_n) out->msd_n = o->msd_n;
    for (int s = 0; s < 2; s++) {
      out->natoms[s] = o->natoms[s];
      if (o->t_emptied[s] >= 0) {
        out->t_emptied[s] += o->t_emptied[s];
        out->runs_emptied[s]++;
      }
    }
  }
  for (int s = 0; s < 2; s++)
    out->t_emptied[s] = out->runs_emptied[s] ? out->t_emptied[s] / out->runs_emptied[s] : NAN;
  for (int s = 0; s < 2; s++) {
    out->D_species[s] = ionkmc_estimate_mean(v + V_DSP0 + s, M, NV);
    out->D_tracer[s] = ionkmc_estimate_mean(v + V_DTR0 + s, M, NV);
    out->D_sigma[s] = ionkmc_estimate_mean(v + V_DSG0 + s, M, NV);
    out->f[s] = ionkmc_estimate_mean(v + V_F0 + s, M, NV);
    out->H_R[s] = ionkmc_estimate_ratio(v + V_TRN0 + s, v + V_SIG0 + s, M, NV);
  }
  out->D_defect = ionkmc_estimate_mean(v + V_DDEF, M, NV);
  out->drift = ionkmc_estimate_mean(v + V_DRIFT, M, NV);
  out->mobility = ionkmc_estimate_scale(out->drift, E > 0 ? 1.0 / (E * 1e8) : NAN);
  out->sim_time = ionkmc_estimate_mean(v + V_T, M, NV);
  double t0 = obs[0].msd_t0;
  double a2 = 0.25 * cfg->spec.a * cfg->spec.a; /* h^2 in angstrom^2 */
  for (int k = 0; k < out->msd_n; k++) {
    out->msd_t[k] = t0 * pow(10.0, (double)k / IONKMC_MSD_PER_DECADE);
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < M; i++) v[(size_t)i * NV] = obs[i].msd[s][k] * a2;
      out->msd[s][k] = ionkmc_estimate_mean(v, M, NV);
    }
  }
  int nmin = IONKMC_MSD_POINTS, nmax = 0, any_end = 0;
  for (int i = 0; i < M; i++) {
    if (obs[i].msd_n > nmax) nmax = obs[i].msd_n;
    if (!obs[i].no_events && obs[i].msd_n < nmin) nmin = obs[i].msd_n;
    if (!obs[i].no_events) any_end = 1;
  }
  /* all ran out of events: one point past the last sample shows the final counts */
  out->alive_n = any_end ? nmin : (nmax < IONKMC_MSD_POINTS ? nmax + 1 : nmax);
  for (int k = 0; k < out->alive_n; k++) {
    out->alive_t[k] = t0 * pow(10.0, (double)k / IONKMC_MSD_PER_DECADE);
    for (int i = 0; i < M; i++)
      out->alive_at[k] += k < obs[i].msd_n ? obs[i].alive_at[k] : obs[i].defects_alive;
  }
  free(v);
  free(obs);
  return IONKMC_OK;
}
