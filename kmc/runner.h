/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc runner: M independent trajectories of one box, in parallel, and
 * their statistics.
 *
 * Conventions
 *   Units: D in cm^2/s, time in s, velocity in cm/s.
 *   Run i draws from the stream (seed, unit * 2^32 + i), unit = the config's
 *   stream_unit, whatever thread executes it, and the per-run results are
 *   combined in run order, so a summary is bit-identical for any number of
 *   threads. Boxes that must be independent (two defect kinds in one command,
 *   two points of a sweep) get different units (ionkmc_run_stream_unit);
 *   common random numbers across boxes means giving them the same unit.
 *   Species index 0 = I, 1 = MA.
 *   D_species = sum_i |dr_i|^2 / (6 t), the paper's Eq. S1-S2 (a sum over
 *   every atom of the species, not an average).
 *   D_tracer  = D_species / N,  D_sigma = sum_b |dS_b|^2 / (6 t N) with dS_b
 *   the centre-of-charge displacement sum_i dr_i over block b (the D_defect
 *   blocks; in expectation |sum_i dr_i|^2 / (6 t N) of the whole run),
 *   f = sum_i |dr_i|^2 / sum over jumps |jump|^2,  H_R = D_tracer / D_sigma
 *   (ratio of means over runs).
 *   D_defect  = sum over blocks and defects |dR|^2 / (6 sum of block times).
 *   With a field E (V/angstrom), drift and mobility use |E| in V/cm, and
 *   every D (and f, H_R) is drift-free: computed from displacements less each
 *   run's own mean drift, without bias (see ionkmc_run_obs), so the
 *   Nernst-Einstein mobility |q| D_defect / kT uses a D without the drift.
 *   D_species, D_tracer and D_sigma divide by the time during which the
 *   species had defects (t_emptied when Frenkel recombination emptied it).
 * Ownership: a summary is a plain value; nothing to free.
 */
#ifndef IONKMC_RUNNER_H
#define IONKMC_RUNNER_H

#include "kmc/engine.h"
#include "kmc/stats.h"

typedef struct {
  ionkmc_box_spec spec;
  int runs;          /* M >= 1 */
  int64_t hops;      /* events per run (0: use time) */
  double time;       /* simulated seconds per run (0: use hops) */
  uint64_t seed;
  uint32_t stream_unit; /* run i uses stream (stream_unit << 32) | i */
  int threads;       /* 0: OpenMP default */
  int blocks;        /* blocks per run for D_defect (0: IONKMC_RUN_BLOCKS_DEFAULT) */
  const ionkmc_catalog *cat; /* borrowed; needed when a kind uses the kra or
                                torch provider (NULL: spec rates only) */
} ionkmc_run_config;

typedef struct {
  int species_present[2];           /* 1 if the box has defects of that species */
  ionkmc_estimate D_species[2];     /* cm^2/s */
  ionkmc_estimate D_tracer[2];      /* cm^2/s */
  ionkmc_estimate D_sigma[2];       /* cm^2/s */
  ionkmc_estimate f[2];
  ionkmc_estimate H_R[2];
  ionkmc_estimate D_defect;         /* cm^2/s */
  ionkmc_estimate drift;            /* charge-weighted defect drift velocity along the
                                       field, sum_d q_d dR_d.E/|E| / (t n_def), cm/s */
  ionkmc_estimate mobility;         /* drift / |E|, cm^2/(V s); Nernst-Einstein:
                                       |q| D_defect / (kB T / e) at small field */
  ionkmc_estimate sim_time;         /* s per run */
  int64_t hops;                     /* total over runs */
  int64_t hops_by_kind[IONKMC_NDEFECT];
  int64_t recombinations;
  int64_t cache_hits, cache_misses; /* environment cache, summed over runs */
  int runs_out_of_events;
  double sim_time_total;            /* s, sum over runs */
  int natoms[2];                    /* atoms (molecules) of each species in the box */
  int alive_n;                      /* points of alive_t known for every run: those
                                       before any run's end, and beyond it for runs
                                       that ran out of events (their count stays) */
  double alive_t[IONKMC_MSD_POINTS];/* s, the MSD sample times */
  int alive_at[IONKMC_MSD_POINTS];  /* defects alive at alive_t[k], summed over runs */
  double t_emptied[2];              /* s: mean over the runs whose species lost all its
                                       defects of the time it did (NAN if none did) */
  int runs_emptied[2];              /* runs in which the species lost all its defects */
  int msd_n;                        /* MSD points reached by every run */
  double msd_t[IONKMC_MSD_POINTS];  /* s */
  ionkmc_estimate msd[2][IONKMC_MSD_POINTS]; /* sum_i |dr_i|^2, angstrom^2 */
} ionkmc_run_summary;

/* A stream unit that depends only on the box (L, T, a, shift, field and the
 * defect counts; not the rates or run lengths): different boxes get
 * different units (a 32-bit hash, never 0), the same box the same unit, so a
 * box's numbers do not depend on what else a command runs. Unit 0 is left
 * for common random numbers. */
uint32_t ionkmc_run_stream_unit(const ionkmc_box_spec *spec);

/* The defaults of a batch, in one place (the program's --help prints them):
 * IONKMC_RUN_RUNS_DEFAULT runs of IONKMC_RUN_HOPS_DEFAULT hops, seed
 * IONKMC_RUN_SEED_DEFAULT, IONKMC_RUN_BLOCKS_DEFAULT blocks per run; time 0,
 * threads 0 (OpenMP default), stream unit 0, an empty box, no catalog. */
#define IONKMC_RUN_RUNS_DEFAULT 32
#define IONKMC_RUN_HOPS_DEFAULT 200000
#define IONKMC_RUN_SEED_DEFAULT 20240601
#define IONKMC_RUN_BLOCKS_DEFAULT 32
ionkmc_run_config ionkmc_run_config_default(void);

/* Run cfg->runs trajectories on lattice lat (size cfg->spec.L). Rates must be
 * set in cfg->spec (see ionkmc_box_spec_rates). Errors: IONKMC_EINVAL for a
 * bad config (message names the field), IONKMC_ENOMEM. */
ionkmc_status ionkmc_run_batch(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                               ionkmc_run_summary *out, ionkmc_error *err);

/* Per-run progress callback (may be NULL): called from the thread that ran
 * it, under a critical section, with the number of runs finished so far. */
typedef void (*ionkmc_progress_fn)(int done, int total, void *user);
ionkmc_status ionkmc_run_batch_progress(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                                        ionkmc_run_summary *out, ionkmc_error *err,
                                        ionkmc_progress_fn fn, void *user);

#endif
