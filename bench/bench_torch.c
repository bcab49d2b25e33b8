/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Throughput of ionkmc_torch_model_eval: rows per second for batch 1 and
 * batch 256 (and any other batch sizes given).
 *   ionkmc_bench_torch [--threads N] [--seconds S] MODEL.pt [BATCH ...]
 * --threads sets libtorch's intra-op thread count (default 1). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barriers/torch_model.h"

#define D IONKMC_TORCH_DESCRIPTOR_LENGTH

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
  int threads = 1;
  double seconds = 2.0;
  const char *path = NULL;
  int batches[16], nb = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
      seconds = atof(argv[++i]);
    } else if (!path) {
      path = argv[i];
    } else if (nb < 16) {
      batches[nb++] = atoi(argv[i]);
    }
  }
  if (!path) {
    fprintf(stderr, "usage: %s [--threads N] [--seconds S] MODEL.pt [BATCH ...]\n", argv[0]);
    return 2;
  }
  if (nb == 0) {
    batches[nb++] = 1;
    batches[nb++] = 256;
  }
  ionkmc_error err = {{0}};
  ionkmc_status st;
  if (ionkmc_torch_set_num_threads(threads, &err) != IONKMC_OK) {
    fprintf(stderr, "%s\n", err.text);
    return 1;
  }
  ionkmc_torch_model *m = ionkmc_torch_model_alloc(path, IONKMC_TORCH_DESCRIPTOR_VERSION, D, &err, &st);
  if (!m) {
    fprintf(stderr, "%s\n", err.text);
    return 1;
  }
  printf("model %s (%s), libtorch threads %d\n", path, ionkmc_torch_model_description(m),
         ionkmc_torch_get_num_threads());
  printf("| batch | calls | rows/s | us/call | us/row |\n|---:|---:|---:|---:|---:|\n");
  for (int b = 0; b < nb; b++) {
    const int B = batches[b];
    double *x = malloc(sizeof(double) * (size_t)B * D);
    double *eb = malloc(sizeof(double) * (size_t)B);
    double *nu = malloc(sizeof(double) * (size_t)B);
    if (!x || !eb || !nu || B < 1) return 1;
    for (int i = 0; i < B; i++) {
      const int init[6] = {i % 2, 0, 0, 0, 0, 0}, fin[6] = {0, i % 3 == 0, 0, 0, 0, 0};
      ionkmc_torch_descriptor_fill(x + (size_t)i * D, 1.0, 4.5, 6.36 + 0.001 * (i % 20),
                                   0.001 * (i % 7), init, fin, 0.5 * (i % 5), 4);
    }
    for (int w = 0; w < 20; w++) ionkmc_torch_model_eval(m, x, B, eb, nu, &err); /* warm-up */
    long calls = 0;
    const double t0 = now();
    double t = t0;
    while (t - t0 < seconds) {
      for (int k = 0; k < 50; k++) {
        if (ionkmc_torch_model_eval(m, x, B, eb, nu, &err) != IONKMC_OK) {
          fprintf(stderr, "%s\n", err.text);
          return 1;
        }
      }
      calls += 50;
      t = now();
    }
    const double dt = t - t0;
    printf("| %d | %ld | %.3g | %.2f | %.3f |\n", B, calls, calls * (double)B / dt, 1e6 * dt / calls,
           1e6 * dt / (calls * (double)B));
    free(x);
    free(eb);
    free(nu);
  }
  ionkmc_torch_model_free(m);
  return 0;
}
