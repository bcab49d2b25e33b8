/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibration benchmark (not a test): LAMMPS-dump reading + hop detection
 * throughput on one core, and the FFT MSD for 2592 particles x 20000 frames.
 *
 * Build and run from the repository root after building the library:
 *   cc -O2 -I. bench/bench_calibration.c build/libionkmc.a \
 *      $(pkg-config --libs gsl jansson fftw3 zlib) -fopenmp -lm -o build/bench_calibration
 *   OMP_NUM_THREADS=1 build/bench_calibration [frames] [msd_frames] [pipeline_frames]
 * With pipeline_frames > 0 a second dump of that many frames is written and
 * analysed with the MSD on (the whole calibrate path for one run), and the
 * peak resident memory of the process is printed after it; this part runs
 * before the in-memory FFT MSD step so that the peak belongs to it.
 * The dump is a 6x6x6 MAPbI3 cell with H (2592 atoms), atoms at their sites
 * plus 0.3 A noise (shared by the atoms of a molecule), "id type x y z ix iy iz", written to /tmp and removed. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calibration/mdtrack.h"
#include "calibration/msd.h"
#include "kmc/rng.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double gauss(ionkmc_rng *r) {
  double u1, u2;
  ionkmc_rng_uniform2(r, &u1, &u2);
  return sqrt(-2 * log1p(-u1)) * cos(2 * 3.14159265358979 * u2);
}

/* Writes `frames` frames of the noisy 6x6x6 cell to fp (closed here) and
 * returns the size of the file at path in MB. */
static double write_dump(FILE *fp, const char *path, int frames, ionkmc_rng *rng) {
  const int L = 6;
  const double a = 6.365, box = L * a;
  ionkmc_rng r = *rng;
  /* Ideal positions and types. */
  int n = 0;
  double (*x)[3] = malloc(sizeof(double[3]) * 2592);
  int *type = malloc(sizeof(int) * 2592);
  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      for (int k = 0; k < L; k++) {
        double o[3] = {i * a, j * a, k * a};
        double s[10][3] = {{0, 0, 0}, {a / 2, 0, 0}, {0, a / 2, 0}, {0, 0, a / 2},
                           {a / 2 - 0.735, a / 2, a / 2}, {a / 2 + 0.735, a / 2, a / 2}};
        int t[12] = {1, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5};
        for (int q = 0; q < 6; q++) {
          for (int c = 0; c < 3; c++) x[n][c] = o[c] + s[q][c];
          type[n++] = t[q];
        }
        for (int h = 0; h < 6; h++) { /* H around C (3) and N (3) */
          double ang = 2.0944 * (h % 3);
          double base = h < 3 ? a / 2 - 1.1 : a / 2 + 1.1;
          x[n][0] = o[0] + base;
          x[n][1] = o[1] + a / 2 + cos(ang);
          x[n][2] = o[2] + a / 2 + sin(ang);
          type[n++] = 5;
        }
      }
  for (int f = 0; f < frames; f++) {
    fprintf(fp, "ITEM: TIMESTEP\n%d\nITEM: NUMBER OF ATOMS\n%d\nITEM: BOX BOUNDS pp pp pp\n"
                "0 %.6f\n0 %.6f\n0 %.6f\nITEM: ATOMS id type x y z ix iy iz\n",
            f * 10, n, box, box, box);
    double mol[3] = {0, 0, 0};
    for (int i = 0; i < n; i++) {
      double p[3];
      int im[3];
      if (i % 12 == 4) /* one rigid-ish molecule: C, N and 6 H share the noise */
        for (int c = 0; c < 3; c++) mol[c] = 0.3 * gauss(&r);
      for (int c = 0; c < 3; c++) {
        p[c] = x[i][c] + (i % 12 >= 4 ? mol[c] + 0.03 * gauss(&r) : 0.3 * gauss(&r));
        im[c] = (int)floor(p[c] / box);
        p[c] -= im[c] * box;
      }
      fprintf(fp, "%d %d %.5f %.5f %.5f %d %d %d\n", i + 1, type[i], p[0], p[1], p[2], im[0], im[1], im[2]);
    }
  }
  fclose(fp);
  free(x);
  free(type);
  *rng = r;
  struct stat sb;
  stat(path, &sb);
  return sb.st_size / 1e6;
}

int main(int argc, char **argv) {
  int frames = argc > 1 ? atoi(argv[1]) : 2000;
  int mframes = argc > 2 ? atoi(argv[2]) : 20000;
  int pframes = argc > 3 ? atoi(argv[3]) : 0;
  char path[] = "/tmp/ionkmc_bench_XXXXXX";
  int fd = mkstemp(path);
  ionkmc_rng r;
  ionkmc_rng_init(&r, 1, 0);
  double t0 = now();
  double mb = write_dump(fdopen(fd, "w"), path, frames, &r);
  printf("dump: 2592 atoms x %d frames, %.1f MB (written in %.1f s)\n", frames, mb, now() - t0);
  ionkmc_traj_options o = ionkmc_traj_options_default();
  o.type_element[1] = 1; o.type_element[2] = 2; o.type_element[3] = 3; o.type_element[4] = 4; o.type_element[5] = 5;
  ionkmc_error err;
  /* Reading alone. */
  t0 = now();
  ionkmc_status st;
  ionkmc_traj *tr = ionkmc_traj_open(path, &o, &err, &st);
  const ionkmc_frame *f;
  int nf = 0;
  while (ionkmc_traj_next(tr, &f, &err) == IONKMC_OK && f) nf++;
  ionkmc_traj_free(tr);
  double tr_read = now() - t0;
  /* Reading + site assignment + hop detection (no MSD). */
  ionkmc_hop_params hp = ionkmc_hop_params_default();
  hp.msd = 0;
  ionkmc_md_summary s;
  t0 = now();
  if (ionkmc_md_analyze_file(path, &o, &hp, NULL, NULL, &s, &err)) {
    fprintf(stderr, "%s\n", err.text);
    return 1;
  }
  double tr_hop = now() - t0;
  unlink(path);
  printf("read only:            %6.2f s  %7.1f MB/s  (%d frames)\n", tr_read, mb / tr_read, nf);
  printf("read + hop detection: %6.2f s  %7.1f MB/s  (hops found: %lld, expected 0)\n", tr_hop, mb / tr_hop,
         (long long)(s.hops[0] + s.hops[1]));
  if (pframes > 0) {
    /* The whole per-run path with the MSD on: positions are spilled to a
     * temporary file, so the peak memory must not scale with the frames. */
    char ppath[] = "/tmp/ionkmc_bench_XXXXXX";
    int pfd = mkstemp(ppath);
    t0 = now();
    double pmb = write_dump(fdopen(pfd, "w"), ppath, pframes, &r);
    printf("dump: 2592 atoms x %d frames, %.1f MB (written in %.1f s)\n", pframes, pmb, now() - t0);
    hp.msd = 1;
    t0 = now();
    if (ionkmc_md_analyze_file(ppath, &o, &hp, NULL, NULL, &s, &err)) {
      fprintf(stderr, "%s\n", err.text);
      unlink(ppath);
      return 1;
    }
    double tp = now() - t0;
    unlink(ppath);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("read + hops + MSD:    %6.2f s  %7.1f MB/s  (D_I %.3g, D_MA %.3g cm^2/s, hops %lld)\n", tp, pmb / tp,
           s.D[0], s.D[1], (long long)(s.hops[0] + s.hops[1]));
    printf("peak resident memory after it: %.1f MB\n", ru.ru_maxrss / 1024.0);
  }
  /* FFT MSD: 2592 particles x mframes frames of random walks (float storage). */
  int np = 2592;
  float *pos = malloc(sizeof(float) * 3 * (size_t)np * mframes);
  if (!pos) return 1;
  for (int p = 0; p < np; p++)
    for (int c = 0; c < 3; c++) {
      double v = 0;
      for (int k = 0; k < mframes; k++) {
        v += 0.05 * gauss(&r);
        pos[((size_t)k * np + p) * 3 + c] = (float)v;
      }
    }
  t0 = now();
  ionkmc_msd *w = ionkmc_msd_alloc(mframes, &err);
  for (int p = 0; p < np; p++) ionkmc_msd_add(w, pos + 3 * (size_t)p, 3 * (size_t)np);
  double *m = malloc(sizeof(double) * mframes);
  ionkmc_msd_result(w, m);
  double tm = now() - t0;
  printf("FFT MSD: %d particles x %d frames: %.2f s (MSD at lag 1000: %.3f A^2, expected %.3f)\n", np, mframes, tm,
         m[1000], np * 3 * 0.0025 * 1000.0);
  ionkmc_msd_free(w);
  free(m);
  free(pos);
  return 0;
}
