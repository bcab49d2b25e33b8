/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The box-size limit of run, sweep and catalog derive: the memory a box
 * would take (kmc/engine_memory.h) against the physical memory or
 * --max-memory. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "kmc/engine_memory.h"

int cli_parse_bytes(const char *cmd, const char *opt, const char *arg, void *field) {
  double *bytes = field;
  char *end;
  double v = strtod(arg, &end);
  double f = 1;
  switch (toupper((unsigned char)*end)) {
  case 0: break;
  case 'K': f = 0x1p10; break;
  case 'M': f = 0x1p20; break;
  case 'G': f = 0x1p30; break;
  case 'T': f = 0x1p40; break;
  default: f = -1;
  }
  if (*end) end++;
  if (f < 0 || *end || !(v > 0) || !isfinite(v))
    return cli_bad(cmd, "--%s: expected a positive size in bytes, optionally with K, M, G or T "
                        "(powers of 1024), got '%s'", opt, arg), 0;
  *bytes = v * f;
  return 1;
}

/* "12.3 GiB" */
static void human(double b, char *buf, size_t n) {
  const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int i = 0;
  while (b >= 1024 && i < 5) {
    b /= 1024;
    i++;
  }
  snprintf(buf, n, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

int cli_check_box_memory(const char *cmd, const ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                         int threads, long long runs, double max_memory) {
  if (spec->L > IONKMC_ENGINE_MAX_L)
    return cli_bad(cmd, "--size: %d is more than the %d cells of edge whose sites the engine can "
                        "number", spec->L, IONKMC_ENGINE_MAX_L);
  int env = 0, quenched = 0;
  for (int k = 0; k < IONKMC_NDEFECT && cat; k++) {
    const ionkmc_catalog_entry *ent = ionkmc_catalog_get(cat, k);
    if (spec->count[k] > 0 && ent->present && ent->provider->env_shells > 0) {
      env |= 1 << k;
      if (ent->provider->quenched && ent->provider->quenched(ent->params)) quenched = 1;
    }
  }
  int nth = threads > 0 ? threads : omp_get_max_threads();
  if (runs > 0 && nth > runs) nth = (int)runs;
  ionkmc_memory_need m = ionkmc_engine_memory_estimate(spec, nth, env, quenched);
  double avail = max_memory;
  const char *what = "--max-memory";
  if (!(avail > 0)) {
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psz <= 0) return 0; /* unknown: no limit */
    avail = (double)pages * psz;
    what = "physical memory; --max-memory sets another limit";
  }
  if (m.total <= avail) return 0;
  char need[32], lat[32], per[32], have[32];
  human(m.total, need, sizeof need);
  human(m.lattice, lat, sizeof lat);
  human(m.engine + m.env, per, sizeof per);
  human(avail, have, sizeof have);
  return cli_bad(cmd, "--size: a %d^3 box needs %s (lattice %s + %d thread%s x %s), more than the "
                      "%s available (%s)", spec->L, need, lat, m.threads, m.threads > 1 ? "s" : "",
                 per, have, what);
}
