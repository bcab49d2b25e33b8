/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Calibration statistics as a library (calibration/calibrate.h): Garwood
 * intervals against published values and closed forms, the overdispersion
 * test on Poisson and on over-dispersed counts (fixed seeds, tolerances from
 * binomial standard errors), the fits on exact data, the rule that chooses
 * the fit written to the catalog, and the entry update that
 * ionkmc_catalog_apply applies. */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calibration/calibrate.h"

#define KIND IONKMC_V_I
#define NP 8 /* paths of V_I+ */

static ionkmc_calib_run runs[IONKMC_CALIB_MAX_RUNS];
static ionkmc_calib_temp temps[IONKMC_CALIB_MAX_RUNS];

/* A run of V_I+ at T with lattice constant a, `events` kick-out events over
 * `exposure` defect-seconds. */
static ionkmc_calib_run mkrun(double T, double a, int64_t events, double exposure) {
  ionkmc_calib_run r;
  memset(&r, 0, sizeof r);
  ionkmc_mech m = ionkmc_mech_of_defect(KIND);
  r.T = T;
  r.path = "synthetic";
  r.sum.L = 6;
  r.sum.a_mean = a;
  r.sum.t_last = 1000;
  r.sum.events[m] = events;
  r.sum.exposure[m] = exposure;
  r.sum.defects_first[m] = 1;
  r.sum.D[0] = r.sum.D[1] = NAN;
  for (int k = 0; k < IONKMC_NMECH; k++) r.sum.D_defect[k] = NAN;
  return r;
}

static ionkmc_calib_data data(int nruns, int ntemps) {
  ionkmc_calib_data d;
  memset(&d, 0, sizeof d);
  d.kind = KIND;
  d.hp = ionkmc_hop_params_default();
  d.timestep_ps = 0.001;
  d.nruns = nruns;
  d.runs = runs;
  d.ntemps = ntemps;
  d.temps = temps;
  return d;
}

static double rate(double nu, double Eb, double T) { return nu * exp(-Eb / (IONKMC_KB_EV * T)); }

/* Three runs at 500, 550 and 600 K whose counts 120, 300, 640 lie exactly on
 * k = 1e12 exp(-0.2 eV/kT) per path, grouped; returns the data. */
static const int64_t EXACT_C[3] = {120, 300, 640};
static const double EXACT_T[3] = {500, 550, 600};
static ionkmc_calib_data exact_runs(void) {
  for (int i = 0; i < 3; i++)
    runs[i] = mkrun(EXACT_T[i], 6.36, EXACT_C[i], (double)EXACT_C[i] / (NP * rate(1e12, 0.2, EXACT_T[i])));
  ionkmc_error err;
  int nt;
  assert_int_equal(ionkmc_calib_group(runs, 3, KIND, temps, &nt, &err), IONKMC_OK);
  assert_int_equal(nt, 3);
  return data(3, nt);
}

/* Garwood 95%: published values (4-5 significant digits) and the closed forms
 * n = 0 (one-sided upper limit -ln 0.05) and n = 1 (lower -ln 0.975). */
static void test_garwood(void **state) {
  (void)state;
  const struct {
    int n;
    double lo, hi;
  } t[] = {{1, 0.02532, 5.5716}, {2, 0.2422, 7.2247}, {3, 0.6186, 8.7673},
           {5, 1.6235, 11.668},  {10, 4.7954, 18.390}, {20, 12.217, 30.889}};
  ionkmc_error err;
  double lo, hi;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    assert_int_equal(ionkmc_poisson_interval(t[i].n, 0.95, &lo, &hi, &err), IONKMC_OK);
    assert_true(fabs(lo / t[i].lo - 1) < 5e-4);
    assert_true(fabs(hi / t[i].hi - 1) < 5e-4);
  }
  assert_int_equal(ionkmc_poisson_interval(0, 0.95, &lo, &hi, &err), IONKMC_OK);
  assert_true(lo == 0 && fabs(hi + log(0.05)) < 1e-9);
  assert_int_equal(ionkmc_poisson_interval(1, 0.95, &lo, &hi, &err), IONKMC_OK);
  assert_true(fabs(lo + log(0.975)) < 1e-9);
  assert_int_equal(ionkmc_poisson_interval(-1, 0.95, &lo, &hi, &err), IONKMC_EINVAL);
  /* Through the grouping: two runs at 600 K and one at 500 K, in any order;
   * the rate per path is the Garwood interval over the summed exposure. */
  runs[0] = mkrun(600, 6.377, 3, 1e-9);
  runs[1] = mkrun(500, 6.354, 0, 2e-9);
  runs[2] = mkrun(600, 6.377, 7, 3e-9);
  int nt;
  assert_int_equal(ionkmc_calib_group(runs, 3, KIND, temps, &nt, &err), IONKMC_OK);
  assert_int_equal(nt, 2);
  assert_true(temps[0].T == 500 && temps[0].nruns == 1 && temps[0].run[0] == 1);
  assert_true(temps[1].T == 600 && temps[1].nruns == 2 && temps[1].count == 10);
  assert_true(fabs(temps[1].exposure - 4e-9) < 1e-24);
  double E = 4e-9 * NP;
  assert_true(fabs(temps[1].rate - 10 / E) < 1e-6 * temps[1].rate);
  assert_true(fabs(temps[1].rate_lo * E / 4.7954 - 1) < 5e-4 && fabs(temps[1].rate_hi * E / 18.390 - 1) < 5e-4);
  assert_true(temps[0].rate == 0 && temps[0].rate_lo == 0);
  assert_true(fabs(temps[0].rate_hi * 2e-9 * NP + log(0.05)) < 1e-9);
  assert_true(isnan(temps[0].od_p)); /* one run: no overdispersion test */
  assert_int_equal(ionkmc_calib_group(runs, 0, KIND, temps, &nt, &err), IONKMC_EINVAL);
}

/* Overdispersion across runs at one T: for Poisson counts the p-value is
 * uniform (rejections at 5% within 3 binomial SE of 0.05; mean p within 3 SE
 * of 1/2); gamma-mixed counts (variance mu + mu^2/2) are rejected nearly
 * always. Unequal exposures, fixed seeds. */
static void test_overdispersion(void **state) {
  (void)state;
  gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
  ionkmc_error err;
  const int sets = 400, nr = 6;
  for (int mixed = 0; mixed < 2; mixed++) {
    gsl_rng_set(g, 20261201 + mixed);
    int rejected = 0;
    double psum = 0;
    for (int s = 0; s < sets; s++) {
      for (int r = 0; r < nr; r++) {
        double E = (1 + r) * 1e-9, mu = 40.0 * (1 + r);
        if (mixed) mu *= gsl_ran_gamma(g, 2.0, 0.5);
        runs[r] = mkrun(550, 6.365, (int64_t)gsl_ran_poisson(g, mu), E);
      }
      int nt;
      assert_int_equal(ionkmc_calib_group(runs, nr, KIND, temps, &nt, &err), IONKMC_OK);
      assert_int_equal(temps[0].od_dof, nr - 1);
      rejected += temps[0].od_p < 0.05;
      psum += temps[0].od_p;
    }
    double frac = (double)rejected / sets, pm = psum / sets;
    print_message("%s counts: %d of %d sets rejected at 5%%, mean p %.3f\n", mixed ? "gamma-mixed" : "Poisson",
                  rejected, sets, pm);
    if (mixed) {
      assert_true(frac > 0.9);
    } else {
      assert_true(fabs(frac - 0.05) < 3 * sqrt(0.05 * 0.95 / sets));
      assert_true(fabs(pm - 0.5) < 3 * sqrt(1.0 / 12 / sets));
    }
  }
  gsl_rng_free(g);
}

/* Counts exactly on an Arrhenius law: the Poisson ML fit returns Ea and nu,
 * deviance 0, and var Ea = 1 / sum_i c_i (x_i - xbar)^2 with x = 1/kT and
 * xbar the count-weighted mean (the inverse Fisher information). */
static void test_fit_exact(void **state) {
  (void)state;
  const double Ea = 0.2, nu = 1e12, *T = EXACT_T;
  const int64_t *c = EXACT_C;
  ionkmc_calib_data d = exact_runs();
  ionkmc_error err;
  ionkmc_calib_options opt = {.a_model = -1, .neb_Eb = NAN, .nu_base = NAN};
  ionkmc_calib_result *res = calloc(1, sizeof *res);
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_true(res->have_free && !res->have_fixed && !res->zero_events && res->total == 1060);
  const ionkmc_arrhenius *f = &res->free_fit;
  assert_true(fabs(f->Ea - Ea) < 1e-9);
  assert_true(fabs(f->nu / nu - 1) < 1e-8);
  assert_true(f->deviance < 1e-9);
  double xs = 0, cs = 0, S = 0;
  for (int i = 0; i < 3; i++) xs += c[i] / (IONKMC_KB_EV * T[i]), cs += c[i];
  for (int i = 0; i < 3; i++) S += c[i] * pow(1 / (IONKMC_KB_EV * T[i]) - xs / cs, 2);
  assert_true(fabs(f->var_Ea * S - 1) < 1e-6);
  /* a follows T (one run per T): the fit in a is refused, with its reason */
  assert_false(res->have_afit);
  assert_non_null(strstr(res->afit_why, "follow T"));
  /* the NEB-fixed fit at the true barrier: nu = sum c / sum E e^(-Eb/kT) */
  opt.neb_Eb = Ea;
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_true(res->have_fixed && fabs(res->fixed_fit.nu / nu - 1) < 1e-9);
  assert_true(fabs(res->fixed_fit.var_ln_nu * 1060 - 1) < 1e-9);
  free(res);
}

/* The choice rule, case by case. */
static void test_choice(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_calib_result *res = calloc(1, sizeof *res);
  int nt;
  /* 1. the free Arrhenius fit */
  ionkmc_calib_data d = exact_runs();
  ionkmc_calib_options opt = {.a_model = -1, .neb_Eb = 0.35, .nu_base = NAN};
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_string_equal(res->fit_used, "arrhenius_fit");
  assert_true(fabs(res->Eb - 0.2) < 1e-9 && res->cf.nparams == 2 && res->warning[0] == 0);
  assert_non_null(strstr(res->provenance, "3 runs at 3 temperatures (500-600 K), 1060 kick_out events; Poisson ML "
                                          "Arrhenius fit: Ea = 0.2000"));
  /* 2. --use-neb: the barrier of the band, only ln nu with a variance */
  opt.use_neb = 1;
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_string_equal(res->fit_used, "neb_fixed_fit");
  assert_true(res->Eb == 0.35 && res->cf.nparams == 1 && res->cf.param[0] == IONKMC_PARAM_LN_NU);
  /* 3. --fit-a with runs whose a follows T: refused */
  opt.use_neb = 0;
  opt.fit_a = 1;
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_EINVAL);
  assert_int_equal(res->refusal, IONKMC_CALIB_BAD_FIT_A);
  assert_non_null(strstr(err.text, "follow T"));
  /* 4. rates falling with T: the Eb >= 0 boundary fit, with a warning */
  runs[0] = mkrun(500, 6.36, 200, 1e-9);
  runs[1] = mkrun(600, 6.36, 100, 1e-9);
  assert_int_equal(ionkmc_calib_group(runs, 2, KIND, temps, &nt, &err), IONKMC_OK);
  d = data(2, nt);
  opt = (ionkmc_calib_options){.a_model = -1, .neb_Eb = NAN, .nu_base = NAN};
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_true(res->free_fit.Ea < 0);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_string_equal(res->fit_used, "arrhenius_boundary_fit");
  assert_true(res->Eb == 0 && res->free_boundary && res->warning[0]);
  /* boundary ML at Eb = 0: nu = total count / total per-path exposure */
  assert_true(fabs(res->nu / (300 / (2e-9 * NP)) - 1) < 1e-6);
  /* 5. one temperature: no Arrhenius fit, and no fixed barrier to fall back on */
  runs[0] = mkrun(600, 6.36, 50, 1e-9);
  assert_int_equal(ionkmc_calib_group(runs, 1, KIND, temps, &nt, &err), IONKMC_OK);
  d = data(1, nt);
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_EINVAL);
  assert_int_equal(res->refusal, IONKMC_CALIB_BAD_NO_FIT);
  /* 6. no event at all: the NEB barrier; nu the base value if the MD bound
   * -ln 0.05 / sum_T (paths E e^(-Eb/kT)) allows it, else the bound */
  runs[0] = mkrun(500, 6.36, 0, 2e-9);
  runs[1] = mkrun(600, 6.36, 0, 1e-9);
  assert_int_equal(ionkmc_calib_group(runs, 2, KIND, temps, &nt, &err), IONKMC_OK);
  d = data(2, nt);
  opt = (ionkmc_calib_options){.a_model = -1, .neb_Eb = 0.5, .nu_base = 1e12};
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_true(res->zero_events && !res->have_free);
  double bound = -log(0.05) / (NP * (2e-9 * exp(-0.5 / (IONKMC_KB_EV * 500)) + 1e-9 * exp(-0.5 / (IONKMC_KB_EV * 600))));
  assert_true(fabs(res->nu_hi95 / bound - 1) < 1e-9);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_EINVAL); /* without use_neb */
  assert_int_equal(res->refusal, IONKMC_CALIB_BAD_NO_FIT);
  opt.use_neb = 1;
  assert_true(1e12 < bound);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_string_equal(res->fit_used, "neb_barrier_zero_events");
  assert_true(res->Eb == 0.5 && res->nu == 1e12 && !res->capped && res->cf.nparams == 0);
  opt.nu_base = 10 * bound;
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_true(res->nu == res->nu_hi95 && res->capped);
  assert_non_null(strstr(res->provenance, "an upper limit, not an estimate"));
  free(res);
}

/* Runs at two lattice constants per T, counts exactly on
 * k = nu exp(-(Eb + g (a - a0))/kT): the strain on the barrier fits with
 * deviance 0 and is preferred by AIC over the prefactor model (which cannot
 * fit) and over both (one parameter more); --a-model overrides the choice. */
static void test_choice_strain(void **state) {
  (void)state;
  const double Eb = 0.25, g = -0.4, a0 = 6.36, nu = 2e12;
  const double T[4] = {500, 500, 600, 600}, a[4] = {6.30, 6.42, 6.33, 6.45};
  const int64_t c[4] = {90, 250, 400, 900};
  for (int i = 0; i < 4; i++)
    runs[i] = mkrun(T[i], a[i], c[i], (double)c[i] / (NP * rate(nu, Eb + g * (a[i] - a0), T[i])));
  ionkmc_error err;
  int nt;
  assert_int_equal(ionkmc_calib_group(runs, 4, KIND, temps, &nt, &err), IONKMC_OK);
  ionkmc_calib_data d = data(4, nt);
  ionkmc_calib_options opt = {.fit_a = 1, .a_model = -1, .neb_Eb = NAN, .nu_base = NAN};
  ionkmc_calib_result *res = calloc(1, sizeof *res);
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_true(res->have_afit && res->have_sf[IONKMC_A_MODEL_BARRIER] && res->have_sf[IONKMC_A_MODEL_PREFACTOR]);
  assert_int_equal(res->preferred, IONKMC_A_MODEL_BARRIER);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_string_equal(res->fit_used, "arrhenius_a_fit");
  assert_int_equal(res->chosen_a, IONKMC_A_MODEL_BARRIER);
  const ionkmc_strain_fit *f = &res->sf[IONKMC_A_MODEL_BARRIER];
  assert_true(f->deviance < 1e-8 && fabs(f->dEb_da - g) < 1e-6);
  assert_true(fabs(res->Eb - (Eb + g * (f->a0 - a0))) < 1e-7);
  assert_true(res->cf.with_a && res->cf.theta[IONKMC_PARAM_DEB_DA] == f->dEb_da);
  assert_non_null(strstr(res->provenance, "strain on the barrier (the least AIC"));
  opt.a_model = IONKMC_A_MODEL_BOTH;
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  assert_int_equal(res->chosen_a, IONKMC_A_MODEL_BOTH);
  assert_non_null(strstr(res->provenance, "chosen with --a-model"));
  free(res);
}

/* The combined 95% interval of compare. */
static void test_agree(void **state) {
  (void)state;
  ionkmc_estimate md = {.mean = 1, .sem = 0.1, .lo = 0.8, .hi = 1.2, .n = 4};
  ionkmc_estimate k = {.mean = 1.25, .sem = 0.05, .lo = 1.15, .hi = 1.35, .n = 4};
  assert_int_equal(ionkmc_calib_agree95(md, k), 0); /* |0.25| > sqrt(0.2^2 + 0.1^2) */
  k.mean = 1.2;
  assert_int_equal(ionkmc_calib_agree95(md, k), 1);
  k.hi = NAN;
  assert_int_equal(ionkmc_calib_agree95(md, k), -1);
}

/* The entry update of a calibration, applied: the fit, the record, the new
 * name; a failed update leaves the catalog as it was. */
static void test_update_apply(void **state) {
  (void)state;
  ionkmc_calib_data d = exact_runs();
  ionkmc_error err;
  ionkmc_calib_options opt = {.a_model = -1, .neb_Eb = NAN, .nu_base = NAN};
  ionkmc_calib_result *res = calloc(1, sizeof *res);
  assert_int_equal(ionkmc_calib_fit(&d, &opt, res, &err), IONKMC_OK);
  assert_int_equal(ionkmc_calib_choose(&d, &opt, res, &err), IONKMC_OK);
  double pT = 300;
  json_t *cal = ionkmc_calib_result_record(&d, &opt, res, &pT, 1, NULL);
  assert_non_null(cal);
  assert_string_equal(json_string_value(json_object_get(cal, "fit_used")), "arrhenius_fit");
  assert_int_equal(json_array_size(json_object_get(cal, "temperatures")), 3);
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(&err);
  assert_non_null(cat);
  char *before = ionkmc_catalog_dumps(cat);
  /* failures first: nothing changes */
  ionkmc_catalog_update bad = ionkmc_catalog_update_init(KIND, 0.2, -1, "user", "x");
  assert_int_equal(ionkmc_catalog_apply(cat, &bad, &err), IONKMC_ERANGE);
  bad = ionkmc_catalog_update_init(KIND, 0.2, 1e12, "rumour", "x");
  assert_int_equal(ionkmc_catalog_apply(cat, &bad, &err), IONKMC_EINVAL);
  char *after = ionkmc_catalog_dumps(cat);
  assert_string_equal(before, after);
  free(after);
  char name[512];
  ionkmc_catalog_update u;
  ionkmc_calib_update(&d, &opt, res, cal, ionkmc_catalog_name(cat), name, &u);
  assert_int_equal(ionkmc_catalog_apply(cat, &u, &err), IONKMC_OK);
  const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, KIND);
  assert_true(fabs(e->Eb - 0.2) < 1e-9 && fabs(e->nu / 1e12 - 1) < 1e-8);
  assert_string_equal(e->source, "md_calibration");
  assert_string_equal(e->provenance, res->provenance);
  assert_int_equal(e->unc_n, 2);
  assert_true(fabs(e->unc_cov[0][0] - res->free_fit.var_Ea) < 1e-12);
  assert_non_null(strstr(ionkmc_catalog_name(cat), ", V_I+ calibrated from MD"));
  char *text = ionkmc_catalog_dumps(cat);
  assert_non_null(strstr(text, "\"calibration\": {"));
  /* the fit drops the entry's table2 block (the paper's law no longer describes it) */
  char *v = strstr(text, "\"defect\": \"V_I+\""), *next = v ? strstr(v, "\"defect\": \"I_MA0\"") : NULL;
  char *t2 = v ? strstr(v, "\"table2\"") : NULL;
  assert_true(v && next && (!t2 || t2 > next));
  free(text);
  free(before);
  json_decref(cal);
  ionkmc_catalog_free(cat);
  free(res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_garwood), cmocka_unit_test(test_overdispersion),
      cmocka_unit_test(test_fit_exact), cmocka_unit_test(test_choice),
      cmocka_unit_test(test_choice_strain), cmocka_unit_test(test_agree),
      cmocka_unit_test(test_update_apply)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
