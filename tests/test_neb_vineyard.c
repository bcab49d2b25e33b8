/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Tests of barriers/fire.h, barriers/cineb.h and barriers/vineyard.h on
 * analytic potentials with exact answers: FIRE finds a known minimum;
 * CI-NEB finds the exact saddle energy of a curved double-well valley; the
 * Vineyard prefactor of a 1-D double well and of a harmonic ring crystal
 * whose mode frequencies change at the saddle equals the closed form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/cineb.h"
#include "barriers/fire.h"
#include "barriers/vineyard.h"

/* One atom: V = E0 ((x/b)^2 - 1)^2 + k/2 (y - beta (x^2 - b^2))^2 + k/2 z^2.
 * Minima (+-b, 0, 0) at 0, saddle (0, -beta b^2, 0) at E0. */
typedef struct {
  double E0, b, k, beta;
} valley;

static ionkmc_status valley_pes(void *ctx, const double *x, double *E, double *F, ionkmc_error *err) {
  (void)err;
  const valley *v = ctx;
  double u = x[0] / v->b, w = x[1] - v->beta * (x[0] * x[0] - v->b * v->b);
  *E = v->E0 * (u * u - 1) * (u * u - 1) + 0.5 * v->k * w * w + 0.5 * v->k * x[2] * x[2];
  F[0] = -(v->E0 * 4 * (u * u - 1) * u / v->b - v->k * w * v->beta * 2 * x[0]);
  F[1] = -v->k * w;
  F[2] = -v->k * x[2];
  return IONKMC_OK;
}

static void test_fire_minimum(void **state) {
  (void)state;
  valley v = {0.5, 1.5, 4.0, 0.6};
  double x[3] = {0.9, 0.7, -0.3};
  ionkmc_fire_params p = ionkmc_fire_params_default();
  p.ftol = 1e-6;
  ionkmc_fire_result r;
  ionkmc_error err;
  assert_int_equal(ionkmc_fire_minimize(3, x, valley_pes, &v, NULL, &p, &r, &err), IONKMC_OK);
  assert_true(r.converged);
  assert_true(fabs(x[0] - v.b) < 1e-5 && fabs(x[1]) < 1e-5 && fabs(x[2]) < 1e-5);
  assert_true(fabs(r.energy) < 1e-10);
  /* a frozen atom stays */
  double y[3] = {0.9, 0.7, -0.3};
  unsigned char mask[1] = {1};
  assert_int_equal(ionkmc_fire_minimize(3, y, valley_pes, &v, mask, &p, &r, &err), IONKMC_OK);
  assert_true(y[0] == 0.9 && y[1] == 0.7 && y[2] == -0.3);
  p.ftol = 0;
  assert_int_equal(ionkmc_fire_minimize(3, x, valley_pes, &v, NULL, &p, &r, &err), IONKMC_EINVAL);
}

static void test_cineb_exact_saddle(void **state) {
  (void)state;
  valley v = {0.5, 1.5, 4.0, 0.6};
  const int M = 8; /* even: no image sits on the saddle by symmetry, only by climbing */
  double band[8 * 3] = {0}, E[8], F[8 * 3];
  band[0] = -v.b;
  band[3 * (M - 1)] = v.b;
  ionkmc_cineb_interpolate(M, 3, band);
  ionkmc_cineb_params p = ionkmc_cineb_params_default();
  p.ftol = 1e-5;
  p.max_iter = 20000;
  ionkmc_cineb_result r;
  ionkmc_error err;
  assert_int_equal(ionkmc_cineb_run(M, 3, band, valley_pes, &v, &p, E, F, &r, &err), IONKMC_OK);
  assert_true(r.converged);
  assert_true(r.climber == 3 || r.climber == 4);
  const int c = r.climber;
  printf("curved valley: Ef = %.10f (exact %.10f) after %d iterations\n", r.Ef, v.E0, r.iterations);
  assert_true(fabs(r.Ef - v.E0) < 1e-6);
  assert_true(fabs(r.Er - v.E0) < 1e-6);
  assert_true(fabs(r.dE) < 1e-12);
  /* the climbing image sits on the saddle, off the straight line */
  assert_true(fabs(band[3 * c + 0]) < 1e-4);
  assert_true(fabs(band[3 * c + 1] + v.beta * v.b * v.b) < 1e-4);
  /* plain NEB: the highest image lies below the saddle */
  memset(band, 0, sizeof band);
  band[0] = -v.b;
  band[3 * (M - 1)] = v.b;
  ionkmc_cineb_interpolate(M, 3, band);
  p.climb = 0;
  assert_int_equal(ionkmc_cineb_run(M, 3, band, valley_pes, &v, &p, E, F, &r, &err), IONKMC_OK);
  printf("plain NEB: highest image %.6f below the saddle %.6f\n", r.Ef, v.E0);
  assert_true(r.Ef < v.E0 - 1e-3);
  assert_int_equal(ionkmc_cineb_run(2, 3, band, valley_pes, &v, &p, E, F, &r, &err), IONKMC_EINVAL);
}

static void test_vineyard_double_well(void **state) {
  (void)state;
  valley v = {0.4, 1.2, 3.0, 0.0};
  double xm[3] = {v.b, 0, 0}, xs[3] = {0, 0, 0}, mass[1] = {126.904};
  int active[1] = {0};
  ionkmc_vineyard_result r;
  ionkmc_error err;
  assert_int_equal(ionkmc_vineyard_eval(3, xm, xs, 1, active, mass, valley_pes, &v, 1e-3, &r, &err), IONKMC_OK);
  double exact = sqrt(8 * v.E0 / (v.b * v.b) / mass[0]) * IONKMC_OMEGA_UNIT / IONKMC_TWO_PI;
  printf("double well: nu = %.6e 1/s, exact %.6e (rel. error %.1e)\n", r.nu, exact, fabs(r.nu / exact - 1));
  assert_true(fabs(r.nu / exact - 1) < 1e-3);
  /* the end points swapped: the saddle has no negative mode left */
  assert_int_equal(ionkmc_vineyard_eval(3, xs, xm, 1, active, mass, valley_pes, &v, 1e-3, &r, &err), IONKMC_ERANGE);
}

/* A ring of N atoms (x only; y, z Einstein oscillators): with Q = sum x /
 * sqrt N, V = (1 + c Q^2)/2 x^T [kappa L + kappa0 (I - P)] x + W(Q) + y, z
 * terms, L the ring Laplacian, P the projector on the uniform mode and
 * W(Q) = E0 ((Q/b)^2 - 1)^2. Stationary points: x uniform with Q = b
 * (minimum) and Q = 0 (saddle); there the non-uniform modes have omega^2 =
 * (1 + c Q^2)(kappa0 + kappa (2 - 2 cos)) / m, the uniform one W''(Q) / m:
 * nu = U/(2 pi) sqrt(8 E0 / (b^2 m)) (1 + c b^2)^((N-1)/2). */
typedef struct {
  int N;
  double kappa, kappa0, c, E0, b, kyz;
} ring;

static ionkmc_status ring_pes(void *ctx, const double *x, double *E, double *F, ionkmc_error *err) {
  (void)err;
  const ring *g = ctx;
  const int N = g->N;
  double sum = 0;
  for (int i = 0; i < N; i++) sum += x[3 * i];
  const double Q = sum / sqrt(N), mean = sum / N;
  double quad = 0, *Mx = malloc((size_t)N * sizeof *Mx);
  for (int i = 0; i < N; i++) {
    double xi = x[3 * i], xl = x[3 * ((i + N - 1) % N)], xr = x[3 * ((i + 1) % N)];
    Mx[i] = g->kappa * (2 * xi - xl - xr) + g->kappa0 * (xi - mean);
    quad += xi * Mx[i];
  }
  const double s = 1 + g->c * Q * Q, u = Q / g->b;
  const double W = g->E0 * (u * u - 1) * (u * u - 1), dW = g->E0 * 4 * (u * u - 1) * u / g->b;
  *E = 0.5 * s * quad + W;
  for (int i = 0; i < N; i++) {
    /* dE/dx_i = s Mx_i + (c Q quad + W'(Q)) / sqrt N */
    F[3 * i] = -(s * Mx[i] + (g->c * Q * quad + dW) / sqrt(N));
    F[3 * i + 1] = -g->kyz * x[3 * i + 1];
    F[3 * i + 2] = -g->kyz * x[3 * i + 2];
    *E += 0.5 * g->kyz * (x[3 * i + 1] * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2]);
  }
  free(Mx);
  return IONKMC_OK;
}

static void test_vineyard_harmonic_crystal(void **state) {
  (void)state;
  ring g = {8, 1.5, 0.7, 0.3, 0.5, 1.1, 2.0};
  const int N = g.N;
  double xm[24] = {0}, xs[24] = {0}, mass[8];
  int active[8];
  for (int i = 0; i < N; i++) {
    xm[3 * i] = g.b / sqrt(N);
    mass[i] = 126.904;
    active[i] = i;
  }
  ionkmc_vineyard_result r;
  ionkmc_error err;
  assert_int_equal(ionkmc_vineyard_eval(3 * N, xm, xs, N, active, mass, ring_pes, &g, 1e-3, &r, &err), IONKMC_OK);
  double exact = IONKMC_OMEGA_UNIT / IONKMC_TWO_PI * sqrt(8 * g.E0 / (g.b * g.b) / mass[0]) *
                 pow(1 + g.c * g.b * g.b, 0.5 * (N - 1));
  printf("harmonic ring crystal: nu = %.6e 1/s, exact %.6e (rel. error %.1e)\n", r.nu, exact, fabs(r.nu / exact - 1));
  assert_true(fabs(r.nu / exact - 1) < 1e-3);
  assert_int_equal(r.n_neg_saddle, 1);
  /* bad arguments */
  assert_int_equal(ionkmc_vineyard_eval(3 * N, xm, xs, 0, active, mass, ring_pes, &g, 1e-3, &r, &err), IONKMC_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fire_minimum),
      cmocka_unit_test(test_cineb_exact_saddle),
      cmocka_unit_test(test_vineyard_double_well),
      cmocka_unit_test(test_vineyard_harmonic_crystal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
