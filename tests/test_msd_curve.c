/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The MD MSD(t) curves of the calibrate report: log-spaced lags, pooling per
 * T, and agreement with the D the report gives (tests/data/plot/report.json,
 * written by scripts/make-figures.sh --test-data from examples/calibration.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "calibration/msd.h"
#include "tests/util.h"

static void test_log_lags(void **state) {
  (void)state;
  int lag[64];
  int n = ionkmc_msd_log_lags(8000, 40, lag);
  assert_true(n > 20 && n <= 40);
  assert_int_equal(lag[0], 1);
  assert_int_equal(lag[n - 1], 7999);
  for (int k = 1; k < n; k++) {
    assert_true(lag[k] > lag[k - 1]);
    /* log-spaced: no step larger than the nominal ratio (7999^(1/39)) by much */
    assert_true(lag[k] <= (int)ceil(lag[k - 1] * 1.27) + 1);
  }
  assert_int_equal(ionkmc_msd_log_lags(2, 40, lag), 1);
  assert_int_equal(lag[0], 1);
  assert_int_equal(ionkmc_msd_log_lags(1, 40, lag), 0);
}

static json_t *load_report(void) {
  const char *path = tu_data_path("plot/report.json");
  json_error_t je;
  json_t *doc = json_load_file(path, 0, &je);
  if (!doc) fail_msg("%s: %s", path, je.text);
  return doc;
}

static double num(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

/* Pooled curve = mean (and SE) of the runs' curves at each lag; each run's
 * lags end at its duration. */
static void test_pooled(void **state) {
  (void)state;
  json_t *doc = load_report();
  const json_t *cal = json_object_get(doc, "calibration"), *temps = json_object_get(cal, "temperatures"),
               *runs = json_object_get(cal, "runs");
  assert_true(json_array_size(temps) >= 2);
  for (size_t q = 0; q < json_array_size(temps); q++) {
    const json_t *t = json_array_get(temps, q), *m = json_object_get(t, "md_msd");
    const json_t *mean = json_object_get(json_object_get(m, "per_atom_A2"), "I"),
                 *sem = json_object_get(json_object_get(m, "sem_A2"), "I");
    double T = num(json_object_get(t, "T"));
    size_t n = json_array_size(json_object_get(m, "lag_ps"));
    assert_true(n > 10);
    for (size_t k = 0; k < n; k++) {
      double s = 0, s2 = 0;
      int nr = 0;
      for (size_t r = 0; r < json_array_size(runs); r++) {
        const json_t *run = json_array_get(runs, r);
        if (num(json_object_get(run, "T")) != T) continue;
        const json_t *rm = json_object_get(run, "msd");
        double v = num(json_array_get(json_object_get(json_object_get(rm, "per_atom_A2"), "I"), k));
        s += v;
        s2 += v * v;
        nr++;
        if (k == n - 1)
          assert_float_equal(num(json_array_get(json_object_get(rm, "lag_ps"), k)), num(json_object_get(run, "time_ps")),
                             1e-6);
      }
      assert_int_equal(nr, (int)json_integer_value(json_object_get(m, "runs")));
      double mu = s / nr, sd = sqrt((s2 - nr * mu * mu) / (nr - 1));
      assert_float_equal(num(json_array_get(mean, k)), mu, 1e-8 * mu);
      assert_float_equal(num(json_array_get(sem, k)), sd / sqrt(nr), 1e-6 * mu);
    }
  }
  json_decref(doc);
}

/* Each run's curve gives back its D: the least-squares slope over the
 * log-spaced lags inside the fit window, times the atom count / 6, is the
 * run's D_species (fitted on every lag of the window) within 10% (a
 * subset of 6 lags of a nearly straight curve; 0.97-1.07 here). */
static void test_slope_is_D(void **state) {
  (void)state;
  json_t *doc = load_report();
  const json_t *runs = json_object_get(json_object_get(doc, "calibration"), "runs");
  assert_true(json_array_size(runs) >= 4);
  for (size_t r = 0; r < json_array_size(runs); r++) {
    const json_t *run = json_array_get(runs, r), *m = json_object_get(run, "msd");
    const json_t *lag = json_object_get(m, "lag_ps"), *v = json_object_get(json_object_get(m, "per_atom_A2"), "I"),
                 *w = json_object_get(m, "fit_window_ps");
    double a = num(json_array_get(w, 0)), b = num(json_array_get(w, 1));
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (size_t k = 0; k < json_array_size(lag); k++) {
      double x = num(json_array_get(lag, k)), y = num(json_array_get(v, k));
      if (x < a || x > b) continue;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      n++;
    }
    assert_true(n >= 4);
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double D = slope / 6 * 1e-4 * num(json_object_get(json_object_get(m, "atoms"), "I"));
    double Drep = num(json_object_get(json_object_get(run, "D_species_cm2_s"), "I"));
    assert_true(fabs(D / Drep - 1) < 0.10);
  }
  json_decref(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_log_lags), cmocka_unit_test(test_pooled),
                                     cmocka_unit_test(test_slope_is_D)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
