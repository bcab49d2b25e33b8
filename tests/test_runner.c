/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Runner: thread invariance, statistics helpers, configuration errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/runner.h"

static ionkmc_run_config config(void) {
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 4;
  c.spec.cond.T = 350;
  c.spec.cond.a = 6.32;
  c.spec.count[IONKMC_V_I] = 2;
  c.spec.count[IONKMC_I_MA_P] = 1;
  c.spec.rate[IONKMC_V_I] = 1e9;
  c.spec.rate[IONKMC_I_MA_P] = 3e8;
  c.runs = 7;
  c.hops = 3000;
  c.seed = 2024;
  return c;
}

/* Bitwise equality of every value of two summaries (padding bytes aside). */
static int same_est(ionkmc_estimate a, ionkmc_estimate b) {
  return !memcmp(&a.mean, &b.mean, sizeof a.mean) && !memcmp(&a.sem, &b.sem, sizeof a.sem) &&
         !memcmp(&a.lo, &b.lo, sizeof a.lo) && !memcmp(&a.hi, &b.hi, sizeof a.hi) && a.n == b.n;
}

static void assert_same_summary(const ionkmc_run_summary *a, const ionkmc_run_summary *b) {
  for (int s = 0; s < 2; s++) {
    assert_true(same_est(a->D_species[s], b->D_species[s]));
    assert_true(same_est(a->D_tracer[s], b->D_tracer[s]));
    assert_true(same_est(a->D_sigma[s], b->D_sigma[s]));
    assert_true(same_est(a->f[s], b->f[s]));
    assert_true(same_est(a->H_R[s], b->H_R[s]));
    for (int k = 0; k < a->msd_n; k++) assert_true(same_est(a->msd[s][k], b->msd[s][k]));
  }
  assert_true(same_est(a->D_defect, b->D_defect));
  assert_true(same_est(a->drift, b->drift));
  assert_true(same_est(a->sim_time, b->sim_time));
  assert_int_equal(a->hops, b->hops);
  assert_int_equal(a->recombinations, b->recombinations);
  assert_int_equal(a->msd_n, b->msd_n);
  assert_memory_equal(a->hops_by_kind, b->hops_by_kind, sizeof a->hops_by_kind);
  assert_memory_equal(a->msd_t, b->msd_t, sizeof a->msd_t);
}

static void test_thread_invariance(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_run_config c = config();
  ionkmc_run_summary s1, s2, s3;
  ionkmc_error err;
  c.threads = 1;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s1, &err), IONKMC_OK);
  c.threads = 2;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s2, &err), IONKMC_OK);
  c.threads = 3;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s3, &err), IONKMC_OK);
  assert_same_summary(&s1, &s2);
  assert_same_summary(&s1, &s3);
  /* a different seed gives different numbers */
  c.seed = 2025;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s2, &err), IONKMC_OK);
  assert_true(s1.D_species[0].mean != s2.D_species[0].mean);
  assert_int_equal(s1.hops, 7 * 3000);
  ionkmc_lattice_free(lat);
}

/* Two MA interstitials that differ only in their rate: with one stream unit
 * they replay one trajectory up to a time scale (f bit for bit), with the
 * units of their boxes they are independent. */
static void test_stream_units(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_run_config c0 = config(), cp = config();
  ionkmc_error err;
  memset(c0.spec.count, 0, sizeof c0.spec.count);
  memset(cp.spec.count, 0, sizeof cp.spec.count);
  c0.spec.count[IONKMC_I_MA_0] = 1;
  c0.spec.rate[IONKMC_I_MA_0] = 2e8;
  cp.spec.count[IONKMC_I_MA_P] = 1;
  cp.spec.rate[IONKMC_I_MA_P] = 3e8;
  uint32_t u0 = ionkmc_run_stream_unit(&c0.spec), up = ionkmc_run_stream_unit(&cp.spec);
  assert_true(u0 != 0 && up != 0 && u0 != up);
  /* the unit follows the box, not the rates */
  cp.spec.rate[IONKMC_I_MA_P] = 5e8;
  assert_int_equal(ionkmc_run_stream_unit(&cp.spec), up);
  cp.spec.rate[IONKMC_I_MA_P] = 3e8;
  ionkmc_box_spec other = c0.spec;
  other.cond.T = 351;
  assert_true(ionkmc_run_stream_unit(&other) != u0);
  other = c0.spec;
  other.cond.shift = -0.0; /* the same box as shift 0 */
  assert_int_equal(ionkmc_run_stream_unit(&other), u0);
  ionkmc_run_summary s0, sp;
  c0.stream_unit = cp.stream_unit = 0;
  assert_int_equal(ionkmc_run_batch(&c0, lat, &s0, &err), IONKMC_OK);
  assert_int_equal(ionkmc_run_batch(&cp, lat, &sp, &err), IONKMC_OK);
  assert_true(same_est(s0.f[1], sp.f[1]));
  c0.stream_unit = u0;
  cp.stream_unit = up;
  assert_int_equal(ionkmc_run_batch(&c0, lat, &s0, &err), IONKMC_OK);
  assert_int_equal(ionkmc_run_batch(&cp, lat, &sp, &err), IONKMC_OK);
  assert_true(s0.f[1].mean != sp.f[1].mean);
  assert_true(s0.D_defect.mean / 2e8 != sp.D_defect.mean / 3e8);
  ionkmc_lattice_free(lat);
}

/* A box whose Frenkel pair annihilates while an MA interstitial keeps
 * moving: the I species' D divides by the time it had defects (t_emptied),
 * not by the whole run. The same runs replayed engine by engine give it. */
static void test_time_with_defects(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(3, NULL);
  ionkmc_run_config c = config(); /* V_I+ = 2, I_MA+ = 1 */
  c.spec.L = 3;
  c.spec.cond.a = 6.33;
  c.spec.count[IONKMC_V_I] = 1;
  c.spec.count[IONKMC_I_I] = 1;
  c.spec.rate[IONKMC_I_I] = 1e9;
  c.spec.rate[IONKMC_I_MA_P] = 1e8;
  c.runs = 4;
  c.hops = 20000;
  c.seed = 5;
  c.blocks = 4;
  ionkmc_run_summary s;
  ionkmc_error err;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_OK);
  assert_int_equal(s.runs_emptied[0], 4); /* the pair met in every run */
  assert_int_equal(s.runs_emptied[1], 0);
  assert_int_equal(s.recombinations, 4);
  ionkmc_engine *e = ionkmc_engine_alloc(&c.spec, lat, &err, NULL);
  double sum = 0, sum_diluted = 0, temp = 0, h2 = 0.25 * 6.33 * 6.33 * 1e-16;
  for (int i = 0; i < 4; i++) {
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, 5, (uint64_t)i);
    assert_int_equal(ionkmc_engine_reset(e, &rng, &err), IONKMC_OK);
    assert_int_equal(ionkmc_engine_run(e, &rng, 20000, 0, 20000 / 4), IONKMC_OK);
    const ionkmc_run_obs *o = ionkmc_engine_obs(e);
    assert_true(o->t_emptied[0] > 0 && o->t_emptied[0] < o->t);
    sum += o->sum_dr2[0] * h2 / (6 * o->t_emptied[0]);
    sum_diluted += o->sum_dr2[0] * h2 / (6 * o->t);
    temp += o->t_emptied[0];
  }
  printf("# I species: D = %.6e with defects present, %.6e over the whole run\n", sum / 4, sum_diluted / 4);
  assert_true(fabs(s.D_species[0].mean - sum / 4) < 1e-12 * sum);
  assert_true(fabs(s.t_emptied[0] - temp / 4) < 1e-12 * temp);
  assert_true(sum_diluted < 0.9 * sum);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

static void test_estimates(void **state) {
  (void)state;
  double x[4] = {1, 2, 3, 4}, y[4] = {2, 2, 2, 2};
  ionkmc_estimate e = ionkmc_estimate_mean(x, 4, 1);
  assert_true(fabs(e.mean - 2.5) < 1e-15);
  assert_true(fabs(e.sem - sqrt(5.0 / 3 / 4)) < 1e-15);
  /* t(0.975, 3) = 3.182446305 */
  assert_true(fabs((e.hi - e.mean) / e.sem - 3.182446305) < 1e-8);
  double two[2] = {1, 3};
  e = ionkmc_estimate_mean(two, 2, 1);
  assert_true(fabs((e.hi - e.mean) / e.sem - 12.70620474) < 1e-7);
  /* stride and NaN skipping */
  double z[6] = {1, NAN, NAN, 0, 3, 0};
  e = ionkmc_estimate_mean(z, 3, 2);
  assert_int_equal(e.n, 2);
  assert_true(fabs(e.mean - 2) < 1e-15);
  e = ionkmc_estimate_mean(x, 1, 1);
  assert_true(isnan(e.sem) && isnan(e.lo));
  e = ionkmc_estimate_ratio(x, y, 4, 1);
  assert_true(fabs(e.mean - 1.25) < 1e-15);
  assert_true(fabs(e.sem - sqrt(5.0 / 3 / 4) / 2) < 1e-12);
  e = ionkmc_estimate_scale(e, 2);
  assert_true(fabs(e.mean - 2.5) < 1e-15);
}

static void test_runner_errors(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_run_summary s;
  ionkmc_error err;
  ionkmc_run_config c = config();
  c.runs = 0;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "runs"));
  c = config();
  c.hops = 0;
  c.time = 0;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_EINVAL);
  c = config();
  c.spec.L = 5; /* does not match the lattice */
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_EINVAL);
  c = config();
  c.spec.cond.T = -1;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_ERANGE);
  ionkmc_lattice_free(lat);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_thread_invariance),
                                     cmocka_unit_test(test_stream_units),
                                     cmocka_unit_test(test_time_with_defects),
                                     cmocka_unit_test(test_estimates),
                                     cmocka_unit_test(test_runner_errors)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
