/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The bare random walk: one iodide vacancy hopping on the X sublattice of an
 * unbounded cubic perovskite by residence-time steps, with the embedded
 * catalog's V_I+ per-path rate at 300 K, the same Philox stream (seed, 0)
 * read a batch at a time, and nothing else: the state is the position (h
 * units, a/2) and the clock. It is the floor under `ionkmc run` and
 * `ionkmc bench --scenario single-vacancy` (bench/walk_ratio.sh prints the
 * ratios).
 *
 *   ionkmc_bench_walk [HOPS [SEED [libm|batch]]]
 *
 * libm (default): the waiting time is -log(1 - u1) / R with the C library's
 * log, one call per hop; batch: the batched logarithm of kmc/rng.h (the same
 * bits). Prints hops, seconds (wall clock of the walk loop only), hops/s,
 * the final clock and the diffusion coefficient <|r|^2> / 6t of this one
 * walk (for the vacancy alone D = 8 k (a/sqrt 2)^2 / 6; a single walk is a
 * rough check). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ionkmc.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
  long long hops = argc > 1 ? atoll(argv[1]) : 20000000;
  unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
  int batched = argc > 3 && !strcmp(argv[3], "batch");
  if (hops < 1 || (argc > 3 && !batched && strcmp(argv[3], "libm"))) {
    fprintf(stderr, "usage: ionkmc_bench_walk [HOPS [SEED [libm|batch]]]\n");
    return 2;
  }
  /* the per-path rate of V_I+ at 300 K, as ionkmc bench's scenarios */
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(&err);
  if (!cat) {
    fprintf(stderr, "ionkmc_bench_walk: %s\n", err.text);
    return 1;
  }
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = 4;
  spec.cond.T = 300;
  spec.cond.a = ionkmc_acell_eval(&am, 300.0);
  spec.count[IONKMC_V_I] = 1;
  if ((st = ionkmc_box_spec_rates(&spec, cat, &err))) {
    fprintf(stderr, "ionkmc_bench_walk: %s\n", err.text);
    ionkmc_catalog_free(cat);
    return 1;
  }
  ionkmc_catalog_free(cat);
  double k = spec.rate[IONKMC_V_I], R = IONKMC_NNB_XX * k, invR = 1.0 / R;
  /* hop d of an X site of type t (the axis of its Pb-Pb bond, along which
   * its coordinate is odd): displacement and the type it lands on */
  int dv[3][IONKMC_NNB_XX][3], next[3][IONKMC_NNB_XX];
  for (int t = 0; t < 3; t++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(t, d);
      next[t][d] = -1;
      for (int c = 0; c < 3; c++) {
        dv[t][d][c] = v[c];
        if (((c == t) + v[c]) & 1) next[t][d] = c;
      }
    }
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, seed, 0);
  ionkmc_rng_batch b;
  if (batched) ionkmc_rng_batch_begin_neglog(&b, &rng);
  else ionkmc_rng_batch_begin(&b, &rng);
  long long x = 0, y = 0, z = 0;
  int type = 0;
  double t = 0;
  double t0 = now();
  for (long long h = 0; h < hops; h++) {
    double w, u2;
    if (batched) {
      ionkmc_rng_batch_neglog_uniform2(&b, &w, &u2);
    } else {
      double u1;
      ionkmc_rng_batch_uniform2(&b, &u1, &u2);
      w = -log(1.0 - u1);
    }
    t += w * invR;
    int d = (int)(u2 * IONKMC_NNB_XX);
    const int *v = dv[type][d];
    x += v[0];
    y += v[1];
    z += v[2];
    type = next[type][d];
  }
  double dt = now() - t0;
  ionkmc_rng_batch_end(&b);
  double h = 0.5 * spec.cond.a * 1e-8; /* cm */
  double r2 = (double)(x * x + y * y + z * z) * h * h;
  printf("hops %lld\nseconds %.6g\nhops_per_second %.6g\nlog %s\nclock_s %.6g\n"
         "D_walk_cm2_s %.4g\nD_exact_cm2_s %.4g\n",
         hops, dt, hops / dt, batched ? "batch" : "libm", t, r2 / (6 * t),
         R * 2 * h * h / 6);
  return 0;
}
