/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc run configuration: what one batch of M runs of a box is (the box,
 * the run length, the seed and stream unit, threads, blocks), shared by the
 * runner (kmc/runner.h) and the work queue (kmc/workq.h).
 *
 * Units: hops are events, time is simulated seconds.
 * Ownership: plain values; the catalog is borrowed.
 */
#ifndef IONKMC_RUN_CONFIG_H
#define IONKMC_RUN_CONFIG_H

#include <stdint.h>

#include "barriers/catalog.h"
#include "kmc/box_spec.h"

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

/* The defaults of a batch, in one place (the program's --help prints them):
 * IONKMC_RUN_RUNS_DEFAULT runs of IONKMC_RUN_HOPS_DEFAULT hops, seed
 * IONKMC_RUN_SEED_DEFAULT, IONKMC_RUN_BLOCKS_DEFAULT blocks per run; time 0,
 * threads 0 (OpenMP default), stream unit 0, an empty box, no catalog. */
#define IONKMC_RUN_RUNS_DEFAULT 32
#define IONKMC_RUN_HOPS_DEFAULT 200000
#define IONKMC_RUN_SEED_DEFAULT 20240601
#define IONKMC_RUN_BLOCKS_DEFAULT 32
ionkmc_run_config ionkmc_run_config_default(void);

#endif
