/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Calibration numerics: Garwood intervals, Poisson ML Arrhenius fits,
 * the (1/T, a) fit, overdispersion, the FFT MSD against the direct sum, and NEB barriers of
 * bands known in closed form (VTST, ASE extxyz, LAMMPS neb). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "barriers/catalog.h"
#include "calibration/msd.h"
#include "calibration/neb.h"
#include "calibration/rates.h"
#include "kmc/rng.h"
#include "tests/util.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static char dir[512];

static int setup(void **state) {
  return tu_tmpdir(dir, sizeof dir, "calib-nu");
}

static int teardown(void **state) { return tu_rmtree(dir); }

static void test_garwood(void **state) {
  double lo, hi;
  assert_int_equal(ionkmc_poisson_interval(0, 0.95, &lo, &hi, NULL), IONKMC_OK);
  assert_true(lo == 0 && fabs(hi - 2.995732) < 1e-5); /* -ln 0.05 */
  assert_int_equal(ionkmc_poisson_interval(10, 0.95, &lo, &hi, NULL), IONKMC_OK);
  assert_true(fabs(lo - 4.795389) < 1e-5 && fabs(hi - 18.390356) < 1e-5);
  assert_int_equal(ionkmc_poisson_interval(1, 0.95, &lo, &hi, NULL), IONKMC_OK);
  assert_true(fabs(lo - 0.025318) < 1e-5 && fabs(hi - 5.571643) < 1e-5);
  ionkmc_error err;
  assert_int_equal(ionkmc_poisson_interval(-1, 0.95, &lo, &hi, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_poisson_interval(3, 1.5, &lo, &hi, &err), IONKMC_EINVAL);
}

static void test_arrhenius(void **state) {
  /* Expected counts exactly on the law: the ML fit returns it exactly. */
  double T[5] = {500, 525, 550, 575, 600}, n[5], E[5];
  double Ea = 0.18, nu = 2e12;
  for (int i = 0; i < 5; i++) {
    E[i] = 1e-9 * (1 + i);
    n[i] = E[i] * nu * exp(-Ea / (IONKMC_KB_EV * T[i]));
  }
  ionkmc_arrhenius f;
  ionkmc_error err;
  assert_int_equal(ionkmc_arrhenius_fit(T, n, E, 5, &f, &err), IONKMC_OK);
  assert_true(fabs(f.Ea - Ea) < 1e-9);
  assert_true(fabs(f.nu / nu - 1) < 1e-8);
  assert_true(f.deviance < 1e-9);
  /* Standard error from the Fisher information: 1 / sqrt(sum mu (x - xbar_mu)^2). */
  double x0 = f.x0, sm = 0, smx = 0, smxx = 0;
  for (int i = 0; i < 5; i++) {
    double x = 1 / (IONKMC_KB_EV * T[i]) - x0;
    sm += n[i];
    smx += n[i] * x;
    smxx += n[i] * x * x;
  }
  assert_true(fabs(f.Ea_se - 1 / sqrt(smxx - smx * smx / sm)) < 1e-9 * f.Ea_se + 1e-12);
  double k, lo, hi;
  ionkmc_arrhenius_predict(&f, 300, &k, &lo, &hi);
  assert_true(fabs(k / (nu * exp(-Ea / (IONKMC_KB_EV * 300))) - 1) < 1e-6);
  assert_true(lo < k && k < hi);
  /* Fixed barrier: nu = sum n / sum E exp(-Eb/kT). */
  assert_int_equal(ionkmc_arrhenius_fit_fixed(T, n, E, 5, Ea, &f, &err), IONKMC_OK);
  assert_true(fabs(f.nu / nu - 1) < 1e-9 && f.fixed == 1);
  double tot = 0;
  for (int i = 0; i < 5; i++) tot += n[i];
  assert_true(fabs(f.ln_nu_se - 1 / sqrt(tot)) < 1e-12);
  /* No events with the barrier fixed: nu < -ln(0.05) / sum E exp(-Eb/kT). */
  double nu_hi, S = 0;
  for (int i = 0; i < 5; i++) S += E[i] * exp(-Ea / (IONKMC_KB_EV * T[i]));
  assert_int_equal(ionkmc_nu_upper_limit(T, E, 5, Ea, 0.95, &nu_hi, &err), IONKMC_OK);
  assert_true(fabs(nu_hi * S / -log(0.05) - 1) < 1e-9);
  double E0[5] = {0, 0, 0, 0, 0};
  assert_int_equal(ionkmc_nu_upper_limit(T, E0, 5, Ea, 0.95, &nu_hi, &err), IONKMC_EINVAL);
  /* Errors: one temperature, no counts, bad exposure. */
  assert_int_equal(ionkmc_arrhenius_fit(T, n, E, 1, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "two distinct temperatures"));
  double z[5] = {0, 0, 0, 0, 0};
  assert_int_equal(ionkmc_arrhenius_fit(T, z, E, 5, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "upper limits"));
  E[2] = 0;
  assert_int_equal(ionkmc_arrhenius_fit(T, n, E, 5, &f, &err), IONKMC_EINVAL);
  /* Zero counts at the lowest T still fit (finite Ea). */
  double T2[3] = {500, 550, 600}, n2[3] = {0, 4, 9}, E2[3] = {1, 1, 1};
  assert_int_equal(ionkmc_arrhenius_fit(T2, n2, E2, 3, &f, &err), IONKMC_OK);
  assert_true(isfinite(f.Ea) && f.Ea > 0);
}

/* ln k linear in 1/T and a: exact recovery on expected counts, coverage of
 * the Fisher intervals on Poisson draws, and refusal of designs where a
 * follows T (dEb/da then cannot be told from Eb). */
static void test_arrhenius_a(void **state) {
  const double Eb = 0.30, g = 0.8, a_ref = 6.36, nu = 1e12;
  double T[9], a[9], n[9], E[9], mu[9];
  for (int i = 0; i < 9; i++) {
    T[i] = 500 + 50 * (i / 3);
    a[i] = 6.33 + 0.03 * (i % 3);
    E[i] = 1e-7; /* 95 to 300 expected events per run */
    mu[i] = E[i] * nu * exp(-(Eb + g * (a[i] - a_ref)) / (IONKMC_KB_EV * T[i]));
    n[i] = mu[i];
  }
  ionkmc_arrhenius_a f;
  ionkmc_error err;
  assert_int_equal(ionkmc_arrhenius_fit_a(T, a, n, E, 9, &f, &err), IONKMC_OK);
  /* The fit's barrier is at its own a0 (the exposure-weighted mean, here a_ref). */
  assert_true(fabs(f.a0 - a_ref) < 1e-12);
  assert_true(fabs(f.Eb - Eb) < 1e-8 && fabs(f.dEb_da - g) < 1e-7);
  assert_true(fabs(f.nu / nu - 1) < 1e-7 && f.deviance < 1e-8);
  /* The covariance is the inverse of the Fisher information sum mu z z^T,
   * z = (1, -(x - x0), -(a - a0) x). */
  double H[3][3] = {{0}};
  for (int i = 0; i < 9; i++) {
    double x = 1 / (IONKMC_KB_EV * T[i]), z[3] = {1, -(x - f.x0), -(a[i] - f.a0) * x};
    for (int j = 0; j < 3; j++)
      for (int l = 0; l < 3; l++) H[j][l] += mu[i] * z[j] * z[l];
  }
  for (int j = 0; j < 3; j++)
    for (int l = 0; l < 3; l++) {
      double v = 0;
      for (int m = 0; m < 3; m++) v += H[j][m] * f.cov[m][l];
      assert_true(fabs(v - (j == l)) < 1e-6);
    }
  double k, lo, hi;
  ionkmc_arrhenius_a_predict(&f, 300, 6.30, &k, &lo, &hi);
  assert_true(fabs(k / (nu * exp(-(Eb + g * (6.30 - a_ref)) / (IONKMC_KB_EV * 300))) - 1) < 1e-6);
  assert_true(lo < k && k < hi);

  /* Poisson draws: the 95% intervals from the inverse Fisher information
   * cover the truth 95% of the time (binomial SE over 400 draws is 0.011;
   * the bounds are 3 SE) and the pulls average to 0 within 3 SE. */
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 20261124);
  int reps = 400, cov_g = 0, cov_eb = 0;
  double pull_g = 0;
  for (int rep = 0; rep < reps; rep++) {
    for (int i = 0; i < 9; i++) n[i] = gsl_ran_poisson(r, mu[i]);
    assert_int_equal(ionkmc_arrhenius_fit_a(T, a, n, E, 9, &f, &err), IONKMC_OK);
    cov_g += fabs(f.dEb_da - g) < 1.959964 * f.dEb_da_se;
    cov_eb += fabs(f.Eb - Eb) < 1.959964 * f.Eb_se;
    pull_g += (f.dEb_da - g) / f.dEb_da_se;
  }
  gsl_rng_free(r);
  print_message("(T, a) fit over %d draws: coverage dEb/da %.3f, Eb %.3f, mean pull %.3f\n", reps,
                cov_g / (double)reps, cov_eb / (double)reps, pull_g / reps);
  double se = sqrt(0.95 * 0.05 / reps);
  assert_true(fabs(cov_g / (double)reps - 0.95) < 3 * se);
  assert_true(fabs(cov_eb / (double)reps - 0.95) < 3 * se);
  assert_true(fabs(pull_g / reps) < 3 / sqrt((double)reps));

  /* a along a line in T (NpT expansion only): refused, naming the reason. */
  for (int i = 0; i < 9; i++) a[i] = 6.20 + 2.8e-4 * T[i];
  assert_int_equal(ionkmc_arrhenius_fit_a(T, a, n, E, 9, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "follow T"));
  for (int i = 0; i < 9; i++) a[i] = 6.36 * (1 + 1e-14 * (i % 3)); /* a spread at rounding level */
  assert_int_equal(ionkmc_arrhenius_fit_a(T, a, n, E, 9, &f, &err), IONKMC_EINVAL);
  for (int i = 0; i < 9; i++) a[i] = 6.36;
  assert_int_equal(ionkmc_arrhenius_fit_a(T, a, n, E, 9, &f, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_arrhenius_fit_a(T, a, n, E, 2, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "at least 3 runs"));
}

static void test_overdispersion(void **state) {
  double c[3] = {10, 10, 10}, e[3] = {1, 1, 1}, x2, p;
  int dof;
  ionkmc_error err;
  assert_int_equal(ionkmc_overdispersion(c, e, 3, &x2, &dof, &p, &err), IONKMC_OK);
  assert_true(x2 == 0 && dof == 2 && fabs(p - 1) < 1e-12);
  double c2[3] = {0, 10, 50};
  assert_int_equal(ionkmc_overdispersion(c2, e, 3, &x2, &dof, &p, &err), IONKMC_OK);
  assert_true(fabs(x2 - (400.0 + 100.0 + 900.0) / 20.0) < 1e-9 && p < 1e-10);
  assert_int_equal(ionkmc_overdispersion(c, e, 1, &x2, &dof, &p, &err), IONKMC_EINVAL);
}

/* FFT MSD summed over particles equals the direct O(N^2) average over time
 * origins; D of a 3D random walk is recovered. */
static void test_msd(void **state) {
  int N = 300, P = 4;
  double *x = malloc(sizeof(double) * 3 * N * P);
  ionkmc_rng r;
  ionkmc_rng_init(&r, 11, 0);
  for (int p = 0; p < P; p++)
    for (int c = 0; c < 3; c++) {
      double v = 10 * p;
      for (int k = 0; k < N; k++) {
        double u1, u2;
        ionkmc_rng_uniform2(&r, &u1, &u2);
        v += (u1 < 0.5 ? -1 : 1) * 0.5;
        x[(k * P + p) * 3 + c] = v;
      }
    }
  ionkmc_error err;
  ionkmc_msd *w = ionkmc_msd_alloc(N, &err);
  assert_non_null(w);
  for (int p = 0; p < P; p++) ionkmc_msd_add_double(w, x + 3 * p, 3 * (size_t)P);
  double *m = malloc(sizeof(double) * N);
  ionkmc_msd_result(w, m);
  for (int lag = 0; lag < N; lag += 37) {
    double direct = 0;
    for (int p = 0; p < P; p++) {
      double s = 0;
      for (int k = 0; k + lag < N; k++)
        for (int c = 0; c < 3; c++) {
          double d = x[((k + lag) * P + p) * 3 + c] - x[(k * P + p) * 3 + c];
          s += d * d;
        }
      direct += s / (N - lag);
    }
    assert_true(fabs(m[lag] - direct) < 1e-9 * (1 + direct));
  }
  ionkmc_msd_free(w);
  /* A straight-line MSD gives its slope / 6: MSD = 6 D t, D = 1e-4 cm^2/s = 1 A^2/ps. */
  for (int k = 0; k < N; k++) m[k] = 6.0 * 1.0 * k * 0.1 + 3.0;
  double D;
  assert_int_equal(ionkmc_msd_fit_D(m, N, 0.1, 0.1, 0.5, &D, &err), IONKMC_OK);
  assert_true(fabs(D - 1e-4) < 1e-12);
  assert_int_equal(ionkmc_msd_fit_D(m, 4, 0.1, 0.1, 0.5, &D, &err), IONKMC_EINVAL);
  assert_null(ionkmc_msd_alloc(1, &err));
  free(m);
  free(x);
}

/* E(s) = Eb sin^2(pi s) + dE s on [0, 1], 7 images, exact tangential forces. */
static ionkmc_neb_band band(double Eb, double dE, int k) {
  ionkmc_neb_band b;
  memset(&b, 0, sizeof b);
  b.n = 7;
  b.has_forces = 1;
  for (int i = 0; i < 7; i++) {
    double s = i / 6.0;
    b.s[i] = s;
    b.E[i] = Eb * pow(sin(k * M_PI * s), 2) + dE * s;
    b.F[i] = -(Eb * k * M_PI * sin(2 * k * M_PI * s) + dE);
  }
  return b;
}

static void test_neb_fit(void **state) {
  ionkmc_neb_result r;
  ionkmc_error err;
  ionkmc_neb_band b = band(0.5, 0, 1);
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  assert_true(fabs(r.Ef - 0.5) < 1e-12 && fabs(r.Er - 0.5) < 1e-12 && fabs(r.s_max - 0.5) < 1e-9);
  assert_int_equal(r.n_minima, 0);
  /* Asymmetric: the saddle lies between images; the Hermite fit is exact to
   * a few meV with 7 images. */
  b = band(0.5, -0.2, 1);
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  double best = -1, sbest = 0;
  for (int i = 0; i <= 100000; i++) {
    double s = i / 100000.0, e = 0.5 * pow(sin(M_PI * s), 2) - 0.2 * s;
    if (e > best) {
      best = e;
      sbest = s;
    }
  }
  assert_true(fabs(r.Ef - best) < 3e-3);
  assert_true(fabs(r.Er - (best + 0.2)) < 3e-3);
  assert_true(fabs(r.s_max - sbest) < 0.02);
  assert_true(fabs(r.dE + 0.2) < 1e-12);
  /* Two humps: an intermediate minimum at s = 1/2, flagged. */
  b = band(0.3, 0, 2);
  b.n = 7; /* images at s = i/6: the humps at 1/4 and 3/4 fall between images */
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  assert_int_equal(r.n_minima, 1);
  assert_true(fabs(r.s_min[0] - 0.5) < 1e-6);
  assert_true(r.depth[0] > 0.25);
  /* Without forces: finite-difference slopes, still close. */
  b = band(0.5, 0, 1);
  b.has_forces = 0;
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  assert_true(fabs(r.Ef - 0.5) < 1e-9);
  b.n = 1;
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_EINVAL);
}

static void write_text(const char *path, const char *text) {
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static void test_neb_files(void **state) {
  char p[640];
  ionkmc_neb_band b;
  ionkmc_neb_result r;
  ionkmc_error err;
  double Eb = 0.45, Lpath = 3.2; /* s in angstrom: 0..Lpath */
  /* VTST neb.dat */
  snprintf(p, sizeof p, "%s/neb.dat", dir);
  FILE *fp = fopen(p, "w");
  for (int i = 0; i < 7; i++) {
    double u = i / 6.0, s = u * Lpath;
    fprintf(fp, "%3d %16.9f %16.9f %16.9f %3d\n", i, s, -100 + Eb * pow(sin(M_PI * u), 2),
            -Eb * M_PI / Lpath * sin(2 * M_PI * u), i);
  }
  fclose(fp);
  assert_int_equal(ionkmc_neb_read(p, IONKMC_NEB_AUTO, &b, &err), IONKMC_OK);
  assert_int_equal(b.n, 7);
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  assert_true(fabs(r.Ef - Eb) < 1e-8);
  /* ASE band as extxyz: one atom moving along x by Lpath, E and F from the law. */
  snprintf(p, sizeof p, "%s/band.xyz", dir);
  fp = fopen(p, "w");
  for (int i = 0; i < 7; i++) {
    double u = i / 6.0;
    fprintf(fp, "2\nLattice=\"20 0 0 0 20 0 0 0 20\" Properties=species:S:1:pos:R:3:forces:R:3 "
                "energy=%.10f pbc=\"T T T\"\nI %.10f 1 1 %.10f 0 0\nPb 10 10 10 0 0 0\n",
            -50 + Eb * pow(sin(M_PI * u), 2), 2 + u * Lpath, -Eb * M_PI / Lpath * sin(2 * M_PI * u));
  }
  fclose(fp);
  assert_int_equal(ionkmc_neb_read(p, IONKMC_NEB_AUTO, &b, &err), IONKMC_OK);
  assert_int_equal(b.n, 7);
  assert_true(fabs(b.s[6] - Lpath) < 1e-9);
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  assert_true(fabs(r.Ef - Eb) < 1e-8);
  /* LAMMPS neb log: the last line of the table counts. */
  snprintf(p, sizeof p, "%s/log.lammps", dir);
  fp = fopen(p, "w");
  fprintf(fp, "LAMMPS (some version)\nSetting up regular NEB ...\nStep MaxReplicaForce MaxAtomForce GradV0 GradV1 "
              "GradVc EBF EBR RDT RD1 PE1 RD2 PE2 RD3 PE3 RD4 PE4 RD5 PE5\n");
  fprintf(fp, "0 1 1 1 1 1 0.9 0.9 3 0 -10 0.25 -9 0.5 -8 0.75 -9 1 -10\n");
  fprintf(fp, "100 0.01 0.01 0 0 0 0.5 0.5 3");
  for (int i = 0; i < 5; i++) fprintf(fp, " %g %.10f", i / 4.0, -10 + 0.5 * pow(sin(M_PI * i / 4.0), 2));
  fprintf(fp, "\nLoop time of 1 on 1 procs\n");
  fclose(fp);
  assert_int_equal(ionkmc_neb_read(p, IONKMC_NEB_AUTO, &b, &err), IONKMC_OK);
  assert_int_equal(b.n, 5);
  assert_int_equal(b.has_forces, 0);
  assert_int_equal(ionkmc_neb_fit(&b, &r, &err), IONKMC_OK);
  assert_true(fabs(r.Ef - 0.5) < 1e-8);
  /* Bad files. */
  snprintf(p, sizeof p, "%s/bad.dat", dir);
  write_text(p, "0 0 0 0 0\n1 0.5 x\n");
  assert_int_equal(ionkmc_neb_read(p, IONKMC_NEB_AUTO, &b, &err), IONKMC_EPARSE);
  assert_non_null(strstr(err.text, "line 2"));
  write_text(p, "0 0 0 0 0\n1 0 0.1 0 1\n");
  assert_int_equal(ionkmc_neb_read(p, IONKMC_NEB_AUTO, &b, &err), IONKMC_EPARSE);
  assert_non_null(strstr(err.text, "must increase"));
  snprintf(p, sizeof p, "%s/nolog.txt", dir);
  write_text(p, "nothing here\n");
  assert_int_equal(ionkmc_neb_read(p, IONKMC_NEB_AUTO, &b, &err), IONKMC_EPARSE);
  assert_non_null(strstr(err.text, "no LAMMPS neb table"));
  assert_int_equal(ionkmc_neb_read("/nonexistent/neb.dat", IONKMC_NEB_AUTO, &b, &err), IONKMC_EIO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_garwood), cmocka_unit_test(test_arrhenius),
      cmocka_unit_test(test_arrhenius_a),
      cmocka_unit_test(test_overdispersion), cmocka_unit_test(test_msd),
      cmocka_unit_test(test_neb_fit), cmocka_unit_test(test_neb_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
