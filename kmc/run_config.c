/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The defaults of a batch (kmc/run_config.h). */
#include "kmc/run_config.h"

#include <string.h>

ionkmc_run_config ionkmc_run_config_default(void) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.runs = IONKMC_RUN_RUNS_DEFAULT;
  c.hops = IONKMC_RUN_HOPS_DEFAULT;
  c.seed = IONKMC_RUN_SEED_DEFAULT;
  c.blocks = IONKMC_RUN_BLOCKS_DEFAULT;
  return c;
}
