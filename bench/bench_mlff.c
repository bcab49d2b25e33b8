/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Throughput of the MLFF path (bench/RESULTS.md): energy+force evaluations
 * per second of a deployed model on L^3 CsPbI3 cells (one I vacancy), the
 * share of the neighbour list, and the wall time of one CI-NEB (V_I hop,
 * 2^3 cells, 7 images, the ionkmc neb defaults).
 *   ionkmc_bench_mlff [--threads N] [--seconds S] MODEL.pth [L ...]   (default L: 2 3 6) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barriers/hopcell.h"
#include "barriers/mlff_neb.h"
#include "barriers/nlist.h"
#include "barriers/torch_model.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
  int threads = 1, sizes[16], ns = 0;
  double seconds = 3.0;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
    else if (!path) path = argv[i];
    else if (ns < 16) sizes[ns++] = atoi(argv[i]);
  }
  if (!path) {
    fprintf(stderr, "usage: ionkmc_bench_mlff [--threads N] [--seconds S] MODEL.pth [L ...]\n");
    return 2;
  }
  if (!ns) sizes[ns++] = 2, sizes[ns++] = 3, sizes[ns++] = 6;
  ionkmc_error err;
  ionkmc_status st;
  if (ionkmc_torch_set_num_threads(threads, &err)) return fprintf(stderr, "%s\n", err.text), 1;
  ionkmc_mlff *m = ionkmc_mlff_alloc(path, "cpu", &err, &st);
  if (!m) return fprintf(stderr, "%s\n", err.text), 1;
  printf("model %s, r_max %g A, %d libtorch thread(s)\n", path, ionkmc_mlff_meta_of(m)->r_max, threads);
  printf("%4s %7s %9s %12s %12s %10s\n", "L", "atoms", "edges", "evals/s", "ms/eval", "nlist %");
  for (int s = 0; s < ns; s++) {
    ionkmc_atoms *ini, *fin;
    int mover;
    if (ionkmc_hopcell_build("Cs", "Pb", "I", sizes[s], 6.37, IONKMC_HOP_V_X, &ini, &fin, &mover, &err))
      return fprintf(stderr, "%s\n", err.text), 1;
    double *F = malloc((size_t)ini->n * 3 * sizeof *F), E;
    if (ionkmc_mlff_eval(m, ini, NULL, &E, F, NULL, NULL, &err)) return fprintf(stderr, "%s\n", err.text), 1;
    int n = 0;
    double t0 = now(), t;
    do {
      ionkmc_mlff_eval(m, ini, NULL, &E, F, NULL, NULL, &err);
      n++;
    } while ((t = now() - t0) < seconds);
    ionkmc_nlist *nl = ionkmc_nlist_alloc();
    int k = 0;
    double t1 = now(), tn;
    do {
      ionkmc_nlist_build(nl, ini->n, ini->x, ini->cell, ionkmc_mlff_meta_of(m)->r_max, &err);
      k++;
    } while ((tn = now() - t1) < seconds / 4);
    printf("%4d %7d %9lld %12.1f %12.3f %10.1f\n", sizes[s], ini->n, ionkmc_mlff_last_edges(m), n / t, 1e3 * t / n,
           100 * (tn / k) / (t / n));
    ionkmc_nlist_free(nl);
    free(F);
    ionkmc_atoms_free(ini);
    ionkmc_atoms_free(fin);
  }
  ionkmc_atoms *ini, *fin;
  int mover;
  ionkmc_hopcell_build("Cs", "Pb", "I", 2, 6.37, IONKMC_HOP_V_X, &ini, &fin, &mover, &err);
  ionkmc_mlff_neb_params p = ionkmc_mlff_neb_params_default();
  ionkmc_mlff_band *b;
  double t0 = now();
  if (ionkmc_mlff_neb(m, ini, fin, &p, &b, &err)) return fprintf(stderr, "%s\n", err.text), 1;
  printf("CI-NEB V_I hop, 2^3 cells (%d atoms), 7 images: %.2f s wall (relaxations %d + %d FIRE steps, %d NEB "
         "iterations), Ef = %.4f eV\n",
         ini->n, now() - t0, b->relax[0].iterations, b->relax[1].iterations, b->res.iterations, b->res.Ef);
  ionkmc_mlff_band_free(b);
  ionkmc_atoms_free(ini);
  ionkmc_atoms_free(fin);
  ionkmc_mlff_free(m);
  return 0;
}
