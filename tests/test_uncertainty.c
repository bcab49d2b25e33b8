/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalog uncertainty: the schema, parameter draws, the intervals they give,
 * and their coverage over synthetic calibrations with a known rate law
 * (Poisson counts), with and without strain in the data. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "barriers/catalog.h"
#include "calibration/strain.h"
#include "kmc/catdraw.h"

static const char *BASE =
    "{\"schema\": \"ionkmc-catalog/1\", \"name\": \"t\", \"entries\": ["
    "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"Eb\": 0.2, \"nu\": 1e12,"
    " \"source\": \"user\", \"provenance\": \"test\"%s}]}";

static ionkmc_catalog *parse(const char *extra, ionkmc_status *st, ionkmc_error *err) {
  static char buf[4096];
  snprintf(buf, sizeof buf, BASE, extra);
  return ionkmc_catalog_alloc_string(buf, "u.json", err, st);
}

static void expect_bad(const char *extra, ionkmc_status want, const char *text) {
  ionkmc_error err = {{0}};
  ionkmc_status st;
  ionkmc_catalog *c = parse(extra, &st, &err);
  if (c) fail_msg("accepted: %s", extra);
  assert_int_equal(st, want);
  if (!strstr(err.text, text)) fail_msg("message '%s' lacks '%s'", err.text, text);
}

static void test_schema(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_status st;
  /* no block: loads, no uncertainty */
  ionkmc_catalog *c = parse("", &st, &err);
  assert_non_null(c);
  assert_int_equal(ionkmc_catalog_get(c, IONKMC_V_I)->unc_n, 0);
  ionkmc_catalog_free(c);
  c = parse(", \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"values\": [0.2, 27.63102112],"
            " \"covariance\": [[0.0004, 0.001], [0.001, 0.09]]}", &st, &err);
  assert_non_null(c);
  const ionkmc_catalog_entry *e = ionkmc_catalog_get(c, IONKMC_V_I);
  assert_int_equal(e->unc_n, 2);
  assert_true(fabs(e->unc_chol[0][0] - 0.02) < 1e-12 && fabs(e->unc_chol[1][0] - 0.05) < 1e-12);
  ionkmc_catalog_free(c);
  expect_bad(", \"uncertainty\": {\"parameters\": [\"Eb\", \"mu\"], \"covariance\": [[1, 0], [0, 1]]}",
             IONKMC_EINVAL, "parameters[1]");
  expect_bad(", \"uncertainty\": {\"parameters\": [\"Eb\"], \"covariance\": [[1, 0], [0, 1]]}", IONKMC_EINVAL,
             "covariance");
  expect_bad(", \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"covariance\": [[1, 0.5], [0.4, 1]]}",
             IONKMC_EINVAL, "symmetric");
  expect_bad(", \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"covariance\": [[1, 2], [2, 1]]}",
             IONKMC_ERANGE, "positive semi-definite");
  expect_bad(", \"uncertainty\": {\"parameters\": [\"Eb\"], \"values\": [0.3], \"covariance\": [[1]]}",
             IONKMC_EINVAL, "values[0]");
  expect_bad(", \"uncertainty\": {\"parameters\": [\"dEb_da\"], \"covariance\": [[1]]}", IONKMC_EINVAL,
             "a_ref");
  expect_bad(", \"a_ref\": 6.3", IONKMC_EINVAL, "a_ref");
  /* the prefactor's strain term: nu exp(h (a - a_ref)) */
  c = parse(", \"a_ref\": 6.3, \"dlnnu_da\": 2.5", &st, &err);
  assert_non_null(c);
  double r;
  assert_int_equal(ionkmc_catalog_rate(c, IONKMC_V_I, 400, 6.4, 0, &r, &err), IONKMC_OK);
  assert_true(fabs(r / (1e12 * exp(0.25) * exp(-0.2 / (IONKMC_KB_EV * 400))) - 1) < 1e-12);
  ionkmc_catalog_free(c);
}

/* Draws: deterministic, their own streams, mean and covariance of the entry. */
static void test_draws(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_catalog *c = parse(", \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"],"
                            " \"covariance\": [[0.0004, 0.001], [0.001, 0.09]]}", NULL, &err);
  assert_non_null(c);
  enum { K = 20000 };
  double m[2] = {0}, s[2][2] = {{0}};
  double th[IONKMC_NDEFECT][IONKMC_NPARAM], th2[IONKMC_NDEFECT][IONKMC_NPARAM];
  for (int j = 0; j < K; j++) {
    ionkmc_catalog_draw(c, 7, j, 0, th);
    double d[2] = {th[IONKMC_V_I][0] - 0.2, th[IONKMC_V_I][1] - log(1e12)};
    for (int a = 0; a < 2; a++) {
      m[a] += d[a] / K;
      for (int b = 0; b < 2; b++) s[a][b] += d[a] * d[b] / K;
    }
  }
  /* mean within 4 SE, covariance within 4 SE (normal theory) */
  assert_true(fabs(m[0]) < 4 * 0.02 / sqrt(K) && fabs(m[1]) < 4 * 0.3 / sqrt(K));
  assert_true(fabs(s[0][0] - 0.0004) < 4 * 0.0004 * sqrt(2.0 / K));
  assert_true(fabs(s[1][1] - 0.09) < 4 * 0.09 * sqrt(2.0 / K));
  assert_true(fabs(s[0][1] - 0.001) < 4 * sqrt((0.0004 * 0.09 + 0.001 * 0.001) / K));
  /* same (seed, draw): same numbers; another seed or draw: others */
  ionkmc_catalog_draw(c, 7, 3, 0, th);
  ionkmc_catalog_draw(c, 7, 3, 0, th2);
  assert_memory_equal(th, th2, sizeof th);
  ionkmc_catalog_draw(c, 8, 3, 0, th2);
  assert_true(th[IONKMC_V_I][0] != th2[IONKMC_V_I][0]);
  /* the draw streams are not the run streams (seed, i) */
  ionkmc_rng a, b;
  ionkmc_catalog_draw_rng(&a, 7, 0, IONKMC_V_I);
  ionkmc_rng_init(&b, 7, 0);
  assert_true(memcmp(a.key, b.key, sizeof a.key) != 0);
  /* Eb draws stay >= max(0, -shift) */
  ionkmc_catalog *w = parse(", \"uncertainty\": {\"parameters\": [\"Eb\"], \"covariance\": [[0.04]]}", NULL, &err);
  int clipped = 0;
  for (int j = 0; j < 1000; j++) {
    ionkmc_catalog_draw(w, 1, j, -0.1, th);
    assert_true(th[IONKMC_V_I][0] >= 0.1);
    clipped += th[IONKMC_V_I][0] == 0.1;
  }
  assert_true(clipped > 200 && clipped < 500); /* P(0.2 + 0.2 z < 0.1) = 0.31 */
  ionkmc_catalog_free(w);
  ionkmc_catalog_free(c);
}

/* A batch of one V_I+ in a 4^3 box at 300 K on catalog cat. */
static ionkmc_run_config lone_vi(ionkmc_catalog *cat, double a, int runs, int64_t hops, uint64_t seed) {
  ionkmc_run_config rc;
  memset(&rc, 0, sizeof rc);
  rc.spec.L = 4;
  rc.spec.cond.T = 300;
  rc.spec.cond.a = a;
  rc.spec.count[IONKMC_V_I] = 1;
  rc.runs = runs;
  rc.hops = hops;
  rc.seed = seed;
  rc.threads = 1;
  rc.cat = cat;
  return rc;
}

/* A draw whose barrier at the run's cell would be negative is raised to 0
 * there instead of failing the run. */
static void test_draws_clip_at_cell(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_catalog *c = parse(", \"a_ref\": 6.36, \"dEb_da\": 5, \"uncertainty\": {\"parameters\": [\"Eb\"],"
                            " \"covariance\": [[0.01]]}", NULL, &err);
  assert_non_null(c);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  /* barrier 0.2 + 5 (6.33 - 6.36) = 0.05 eV; draws sd 0.1 eV */
  ionkmc_run_config rc = lone_vi(c, 6.33, 2, 200, 3);
  assert_int_equal(ionkmc_box_spec_rates(&rc.spec, c, &err), IONKMC_OK);
  ionkmc_run_summary s;
  ionkmc_catalog_uq uq;
  assert_int_equal(ionkmc_run_batch(&rc, lat, &s, &err), IONKMC_OK);
  assert_int_equal(ionkmc_catalog_uq_run(&rc, lat, 200, &s, &uq, &err), IONKMC_OK);
  assert_true(uq.method == IONKMC_UQ_RESCALE && uq.sd_ln[IONKMC_UQ_D_DEFECT] > 0);
  rc.spec.count[IONKMC_I_I] = 1; /* no entry: the batch is refused, as before */
  assert_int_not_equal(ionkmc_box_spec_rates(&rc.spec, c, &err), IONKMC_OK);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(c);
}

/* Truth of a synthetic calibration. */
typedef struct {
  double Eb, ln_nu, g, h; /* eV, ln(1/s), eV/A, 1/A */
} truth;

static double a_of_T(double T) { return 6.354 + 2.3e-4 * (T - 500); }

static double k_true(const truth *t, double T, double a) {
  double da = a - 6.365;
  return exp(t->ln_nu + t->h * da - (t->Eb + t->g * da) / (IONKMC_KB_EV * T));
}

/* ncal calibrations: counts at 500-600 K (and strained runs at 500 and
 * 600 K, a (1 +- 0.01), when strained), a fit (the model of least AIC
 * among barrier, prefactor and both when strained), a catalog entry, a KMC
 * batch of a lone V_I+ at 300 K and its catalog uncertainty. Counts how
 * often ci95_total and the KMC ci95 of D_defect hold the true value, and
 * how often the fit picks want. */
/* The tracer correlation factor of one vacancy on the X sublattice of the
 * 4^3 box of these runs, measured once (400 runs x 2e4 hops: SE ~ 0.1%,
 * small next to the intervals it is compared with). D_species = f D_defect
 * for a lone vacancy (DESIGN 4), so the true D_species is f times the exact
 * D_defect; f depends on the lattice only, not on the rates. */
static double f_x_L4(ionkmc_lattice *lat) {
  static double f = 0;
  if (f > 0) return f;
  ionkmc_error err;
  ionkmc_catalog *cat = parse("", NULL, &err);
  assert_non_null(cat);
  ionkmc_run_config rc = lone_vi(cat, 6.3, 400, 20000, 777);
  assert_int_equal(ionkmc_box_spec_rates(&rc.spec, cat, &err), IONKMC_OK);
  ionkmc_run_summary s;
  assert_int_equal(ionkmc_run_batch(&rc, lat, &s, &err), IONKMC_OK);
  f = s.f[0].mean;
  printf("# f of one V_I in 4^3: %.4f +- %.4f\n", f, s.f[0].sem);
  assert_true(fabs(f - 0.69) < 0.03);
  ionkmc_catalog_free(cat);
  return f;
}

static void coverage(const truth *t, int strained, double counts, int ncal, ionkmc_a_model want,
                     int *cov_total, int *cov_kmc, int *cov_total_sp, int *cov_kmc_sp, int *picked,
                     int *boundary) {
  gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(g, 12345 + (unsigned long)(long)(1000 * t->g + 10 * t->h)); /* via long: g < 0 */
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  double T[9], a[9], cnt[9], E[9];
  int n = 0;
  for (int i = 0; i < 5; i++, n++) {
    T[n] = 500 + 25 * i;
    a[n] = a_of_T(T[n]);
  }
  if (strained)
    for (int i = 0; i < 4; i++, n++) {
      T[n] = i < 2 ? 500 : 600;
      a[n] = a_of_T(T[n]) * (i % 2 ? 1.01 : 0.99);
    }
  double a300 = a_of_T(300), lam = a300 / sqrt(2.0) * 1e-8;
  double D_true = 8 * k_true(t, 300, a300) * lam * lam / 6, Dsp_true = f_x_L4(lat) * D_true;
  *cov_total = *cov_kmc = *cov_total_sp = *cov_kmc_sp = *picked = *boundary = 0;
  for (int c = 0; c < ncal; c++) {
    for (int i = 0; i < n; i++) {
      E[i] = counts / k_true(t, 550, a_of_T(550));
      cnt[i] = gsl_ran_poisson(g, E[i] * k_true(t, T[i], a[i]));
    }
    ionkmc_strain_fit best, f;
    ionkmc_error err;
    const ionkmc_a_model models[3] = {IONKMC_A_MODEL_BARRIER, IONKMC_A_MODEL_PREFACTOR, IONKMC_A_MODEL_BOTH};
    if (!strained) {
      assert_int_equal(ionkmc_strain_fit_run(T, NULL, cnt, E, n, IONKMC_A_MODEL_NONE, 1, &best, &err), IONKMC_OK);
    } else {
      best.aic = INFINITY;
      for (int q = 0; q < 3; q++) {
        assert_int_equal(ionkmc_strain_fit_run(T, a, cnt, E, n, models[q], 1, &f, &err), IONKMC_OK);
        if (f.aic < best.aic) best = f;
      }
    }
    *picked += best.model == want;
    *boundary += best.boundary;
    ionkmc_catalog *cat = parse("", NULL, &err);
    ionkmc_catalog_fit cf;
    ionkmc_strain_fit_catalog(&best, &cf);
    assert_int_equal(ionkmc_catalog_set_fit(cat, IONKMC_V_I, &cf, "md_calibration", "synthetic", &err), IONKMC_OK);
    ionkmc_run_config rc = lone_vi(cat, a300, 8, 2000, 100 + (uint64_t)c);
    assert_int_equal(ionkmc_box_spec_rates(&rc.spec, cat, &err), IONKMC_OK);
    ionkmc_run_summary s;
    ionkmc_catalog_uq uq;
    assert_int_equal(ionkmc_run_batch(&rc, lat, &s, &err), IONKMC_OK);
    assert_int_equal(ionkmc_catalog_uq_run(&rc, lat, IONKMC_CATALOG_SAMPLES_DEFAULT, &s, &uq, &err), IONKMC_OK);
    assert_int_equal(uq.method, IONKMC_UQ_RESCALE);
    double ci[2], tot[2];
    ionkmc_catalog_uq_interval(s.D_defect.mean, s.D_defect.lo, s.D_defect.hi, uq.sd_ln[IONKMC_UQ_D_DEFECT], ci, tot);
    *cov_total += tot[0] <= D_true && D_true <= tot[1];
    *cov_kmc += s.D_defect.lo <= D_true && D_true <= s.D_defect.hi;
    const ionkmc_estimate *sp = &s.D_species[0];
    ionkmc_catalog_uq_interval(sp->mean, sp->lo, sp->hi, uq.sd_ln[IONKMC_UQ_D_SPECIES_I], ci, tot);
    *cov_total_sp += tot[0] <= Dsp_true && Dsp_true <= tot[1];
    *cov_kmc_sp += sp->lo <= Dsp_true && Dsp_true <= sp->hi;
    ionkmc_catalog_free(cat);
  }
  ionkmc_lattice_free(lat);
  gsl_rng_free(g);
}

/* 95% +- 3 binomial standard errors over n cases. */
static void assert_coverage(const char *what, int hit, int n) {
  double p = (double)hit / n, se = sqrt(0.95 * 0.05 / n);
  printf("# %s: coverage %d/%d = %.3f (95%% +- %.3f)\n", what, hit, n, p, 3 * se);
  if (fabs(p - 0.95) > 3 * se) fail_msg("%s: coverage %.3f outside 0.95 +- %.3f", what, p, 3 * se);
}

enum { NCAL = 200 };

static void test_coverage_arrhenius(void **state) {
  (void)state;
  truth t = {0.25, log(1e12), 0, 0};
  int tot, kmc, tsp, ksp, pick, bnd;
  coverage(&t, 0, 300, NCAL, IONKMC_A_MODEL_NONE, &tot, &kmc, &tsp, &ksp, &pick, &bnd);
  assert_coverage("Arrhenius, 300 K D_defect, ci95_total", tot, NCAL);
  assert_coverage("Arrhenius, 300 K D_species, ci95_total", tsp, NCAL);
  printf("# Arrhenius, 300 K D_species, KMC-only ci95: %d/%d = %.3f\n", ksp, NCAL, (double)ksp / NCAL);
  printf("# Arrhenius, 300 K D_defect, KMC-only ci95: %d/%d = %.3f\n", kmc, NCAL, (double)kmc / NCAL);
  assert_true(kmc < NCAL / 2); /* the KMC interval alone misses the calibration's uncertainty */
}

static void test_coverage_strain(void **state) {
  (void)state;
  const truth tb = {0.25, log(1e12), -1.0, 0}, tp = {0.25, log(1e12), 0, 21.0};
  int tot, kmc, tsp, ksp, pick, bnd;
  coverage(&tb, 1, 2000, NCAL, IONKMC_A_MODEL_BARRIER, &tot, &kmc, &tsp, &ksp, &pick, &bnd);
  assert_coverage("strain on the barrier, 300 K D_defect, ci95_total", tot, NCAL);
  assert_coverage("strain on the barrier, 300 K D_species, ci95_total", tsp, NCAL);
  printf("# strain on the barrier: KMC-only ci95 %d/%d; fit picked the barrier form %d/%d\n", kmc, NCAL, pick,
         NCAL);
  assert_true(pick > NCAL * 7 / 10);
  coverage(&tp, 1, 2000, NCAL, IONKMC_A_MODEL_PREFACTOR, &tot, &kmc, &tsp, &ksp, &pick, &bnd);
  assert_coverage("strain on the prefactor, 300 K D_defect, ci95_total", tot, NCAL);
  assert_coverage("strain on the prefactor, 300 K D_species, ci95_total", tsp, NCAL);
  printf("# strain on the prefactor: KMC-only ci95 %d/%d; fit picked the prefactor form %d/%d\n", kmc, NCAL,
         pick, NCAL);
  assert_true(pick > NCAL * 7 / 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_schema),
      cmocka_unit_test(test_draws),
      cmocka_unit_test(test_draws_clip_at_cell),
      cmocka_unit_test(test_coverage_arrhenius),
      cmocka_unit_test(test_coverage_strain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
