/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/runner.h"
#include "kmc/workq.h"

#include "kmc/model.h"

#include "kmc/frenkel.h"

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
  h = mix_double(h, spec->cond.T);
  h = mix_double(h, spec->cond.a);
  h = mix_double(h, spec->cond.shift);
  for (int c = 0; c < 3; c++) h = mix_double(h, spec->cond.field[c]);
  for (int k = 0; k < IONKMC_NDEFECT; k++) h = mix64(h, (uint64_t)spec->count[k]);
  uint32_t u = (uint32_t)(h >> 32);
  return u ? u : 1u;
}

/* The per-run population values over the window between tallies a and b:
 * time averages of n_V, n_I, n_V n_I and (w/2) n_0 (n_0 - 1), and the pair
 * balance (created - recombined) / (created + recombined), NaN without
 * events. n_I = n_V + delta and n_0 = N - 2 n_V - delta. */
static void frenkel_window(const ionkmc_box_spec *spec, const ionkmc_frenkel_tally *a,
                           const ionkmc_frenkel_tally *b, double *r) {
  double dt = b->t - a->t, N = 3.0 * spec->L * spec->L * spec->L;
  double delta = spec->count[IONKMC_I_I] - spec->count[IONKMC_V_I];
  double m1 = dt > 0 ? (b->nv_dt - a->nv_dt) / dt : NAN, m2 = dt > 0 ? (b->nv2_dt - a->nv2_dt) / dt : NAN;
  double c = N - delta; /* n_0 = c - 2 n_V */
  r[0] = m1;
  r[1] = m1 + delta;
  r[2] = m2 + delta * m1;
  r[3] = 0.5 * spec->frenkel_w * (c * c - 4 * c * m1 + 4 * m2 - c + 2 * m1);
  double nc = (double)(b->created - a->created), nr = (double)(b->recombinations - a->recombinations);
  r[4] = nc + nr > 0 ? (nc - nr) / (nc + nr) : NAN;
}

ionkmc_status ionkmc_run_batch(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                               ionkmc_run_summary *out, ionkmc_error *err) {
  return ionkmc_run_batch_progress(cfg, lat, out, err, NULL, NULL);
}

/* Per-run scalars kept for the statistics, in run order. */
enum {
  V_DSP0, V_DSP1, V_DTR0, V_DTR1, V_DSG0, V_DSG1, V_F0, V_F1, V_DDEF, V_DRIFT, V_T, V_TRN0, V_TRN1,
  V_SIG0, V_SIG1, V_NV, V_NI, V_NVNI, V_N0N0, V_BAL, NV
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

  int frk = cfg->spec.frenkel_w > 0;
  ionkmc_run_obs *obs = malloc(sizeof *obs * (size_t)M);
  if (!obs) {
    return ionkmc_error_set(err, IONKMC_ENOMEM, "runner: out of memory for %d runs", M);
  }
  /* Validate the spec once outside the parallel region. */
  ionkmc_status st = ionkmc_box_spec_check(&cfg->spec, lat, err);
  if (st) {
    free(obs);
    return st;
  }
  /* Environment-dependent providers (kra, torch): the model opens them once
   * here, which reports a bad model before any run, and each thread takes
   * its own set cloned from it, as they cache. */
  ionkmc_model *model = NULL;
  int need_prov = 0;
  if (cfg->cat)
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      if (cfg->spec.count[k] > 0 && ionkmc_catalog_get(cfg->cat, k)->present &&
          ionkmc_catalog_get(cfg->cat, k)->provider->env_shells > 0)
        need_prov = 1;
  if (need_prov) {
    ionkmc_conditions cond = ionkmc_box_spec_conditions(&cfg->spec);
    model = ionkmc_model_alloc(cfg->cat, &cond, NULL, IONKMC_MODEL_PROVIDERS, err, &st);
    if (!model) {
      free(obs);
        return st;
    }
  }

  int failed = 0, done = 0, fail_run = M;
  ionkmc_status fail_st = IONKMC_OK;
  ionkmc_error terr = {{0}};
  /* which runs this process computes, and which are known (kmc/workq.h) */
  ionkmc_workq_batch wq;
  if ((st = ionkmc_workq_begin(&wq, cfg, obs, err)) != IONKMC_OK) {
    ionkmc_model_free(model);
    free(obs);
    return st;
  }
  int nth = wq.threads;
#pragma omp parallel num_threads(nth)
  {
    ionkmc_error lerr;
    ionkmc_status lst;
    ionkmc_engine *eng = ionkmc_engine_alloc(&cfg->spec, lat, &lerr, &lst);
    ionkmc_providers *prov = NULL;
    if (eng && need_prov) {
      prov = ionkmc_model_providers(model, &lerr, &lst);
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
    for (int i; eng && (i = ionkmc_workq_next(&wq)) >= 0;) {
      /* from run i's own stream, or from its state in a checkpoint */
      ionkmc_status rst = ionkmc_workq_run(&wq, cfg, eng, i, block_hops, &lerr);
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
      ionkmc_workq_done(&wq, i);
      if (fn) {
#pragma omp critical(ionkmc_runner_progress)
        fn(++done, M, user);
      }
    }
    ionkmc_engine_free(eng);
    ionkmc_providers_free(prov);
  }
  ionkmc_model_free(model);
  ionkmc_status wst = ionkmc_workq_end(&wq, &failed, failed ? NULL : &terr);
  if (wst != IONKMC_OK && fail_st == IONKMC_OK) fail_st = wst;
  if (failed || wst != IONKMC_OK) {
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
  double h = 0.5 * cfg->spec.cond.a * 1e-8; /* h-unit in cm */
  double h2 = h * h;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (cfg->spec.count[k] > 0)
      out->species_present[ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? 0 : 1] = 1;
  double E = sqrt(cfg->spec.cond.field[0] * cfg->spec.cond.field[0] + cfg->spec.cond.field[1] * cfg->spec.cond.field[1] +
                  cfg->spec.cond.field[2] * cfg->spec.cond.field[2]);
  int ndef = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) ndef += cfg->spec.count[k];
  out->msd_n = IONKMC_MSD_POINTS;
  for (int i = 0; i < M; i++) {
    const ionkmc_run_obs *o = &obs[i];
    double *r = v + (size_t)i * NV;
    double t = o->t;
    for (int s = 0; s < IONKMC_NSPECIES; s++) {
      double n = o->natoms[s];
      /* time with defects of the species present (all of it unless they annihilated) */
      double ts = frk ? o->t_present[s] : o->t_emptied[s] >= 0 ? o->t_emptied[s] : t;
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
      for (int c = 0; c < 3; c++) proj += o->defect_drift[c] * cfg->spec.cond.field[c] / E;
    r[V_DRIFT] = (E > 0 && t > 0) ? proj * h / (t * ndef) : NAN;
    if (frk) {
      r[V_DRIFT] = (E > 0 && o->frenkel.ndef_dt > 0) ? proj * h / o->frenkel.ndef_dt : NAN;
      frenkel_window(&cfg->spec, &o->frenkel_half, &o->frenkel, r + V_NV);
      out->created_half2 += o->frenkel.created - o->frenkel_half.created;
      out->recombined_half2 += o->frenkel.recombinations - o->frenkel_half.recombinations;
      out->frenkel_created += o->frenkel.created;
      out->frenkel_null += o->frenkel.null_events;
    }
    r[V_T] = t;
    out->hops += o->hops;
    for (int k = 0; k < IONKMC_NDEFECT; k++) out->hops_by_kind[k] += o->hops_by_kind[k];
    out->recombinations += o->recombinations;
    out->cache_hits += o->cache_hits;
    out->cache_misses += o->cache_misses;
    out->runs_out_of_events += o->no_events;
    out->sim_time_total += t;
    if (o->msd_n < out->msd_n) out->msd_n = o->msd_n;
    for (int s = 0; s < IONKMC_NSPECIES; s++) {
      out->natoms[s] = o->natoms[s];
      if (o->t_emptied[s] >= 0) {
        out->t_emptied[s] += o->t_emptied[s];
        out->runs_emptied[s]++;
      }
    }
  }
  for (int s = 0; s < IONKMC_NSPECIES; s++)
    out->t_emptied[s] = out->runs_emptied[s] ? out->t_emptied[s] / out->runs_emptied[s] : NAN;
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    out->D_species[s] = ionkmc_estimate_mean(v + V_DSP0 + s, M, NV);
    out->D_tracer[s] = ionkmc_estimate_mean(v + V_DTR0 + s, M, NV);
    out->D_sigma[s] = ionkmc_estimate_mean(v + V_DSG0 + s, M, NV);
    out->f[s] = ionkmc_estimate_mean(v + V_F0 + s, M, NV);
    out->H_R[s] = ionkmc_estimate_ratio(v + V_TRN0 + s, v + V_SIG0 + s, M, NV);
  }
  out->D_defect = ionkmc_estimate_mean(v + V_DDEF, M, NV);
  if (frk) {
    out->frenkel = 1;
    out->species_present[0] = 1;
    out->pop_nv = ionkmc_estimate_mean(v + V_NV, M, NV);
    out->pop_ni = ionkmc_estimate_mean(v + V_NI, M, NV);
    out->pop_nvni = ionkmc_estimate_mean(v + V_NVNI, M, NV);
    out->pair_balance = ionkmc_estimate_mean(v + V_BAL, M, NV);
    out->mass_action = ionkmc_estimate_ratio(v + V_NVNI, v + V_N0N0, M, NV);
    ionkmc_frenkel_eq eq;
    int N = 3 * cfg->spec.L * cfg->spec.L * cfg->spec.L;
    if (ionkmc_frenkel_equilibrium(N, cfg->spec.count[IONKMC_I_I] - cfg->spec.count[IONKMC_V_I],
                                   cfg->spec.frenkel_w, &eq, NULL) == IONKMC_OK) {
      out->eq_nv = eq.nv;
      out->eq_ni = eq.ni;
      out->eq_nv_sd = eq.nv_sd;
      out->eq_nvni = eq.nvni;
    }
  }
  out->drift = ionkmc_estimate_mean(v + V_DRIFT, M, NV);
  out->mobility = ionkmc_estimate_scale(out->drift, E > 0 ? 1.0 / (E * 1e8) : NAN);
  out->sim_time = ionkmc_estimate_mean(v + V_T, M, NV);
  double t0 = obs[0].msd_t0;
  double a2 = 0.25 * cfg->spec.cond.a * cfg->spec.cond.a; /* h^2 in angstrom^2 */
  for (int k = 0; k < out->msd_n; k++) {
    out->msd_t[k] = t0 * pow(10.0, (double)k / IONKMC_MSD_PER_DECADE);
    for (int s = 0; s < IONKMC_NSPECIES; s++) {
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
