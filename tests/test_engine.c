/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* KMC engine: exact random-walk limits, correlation factors, local updates,
 * recombination and error statuses. Fixed seeds; tolerances from the SE. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/runner.h"
#include "tests/util.h"


static ionkmc_run_summary batch(const ionkmc_box_spec *s, int runs, int64_t hops, uint64_t seed) {
  ionkmc_run_summary sum;
  assert_int_equal(tu_run_batch(s, runs, hops, seed, &sum), IONKMC_OK);
  return sum;
}

/* Tracer correlation factor of one vacancy: 0.69 on the perovskite X
 * sublattice (Ishigaki et al. 1988), 0.6531 on the simple-cubic A sublattice. */
static void test_correlation_factors(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_one(&s, 8, IONKMC_V_I, 1e9);
  ionkmc_run_summary r = batch(&s, 1000, 20000, 11);
  printf("# f(X, L=8) = %.4f +- %.4f\n", r.f[0].mean, r.f[0].sem);
  assert_true(r.f[0].sem < 0.002);
  assert_true(fabs(r.f[0].mean - 0.69) < 0.01);
  tu_spec_one(&s, 8, IONKMC_V_MA_M, 1e9);
  r = batch(&s, 1000, 20000, 12);
  printf("# f(A, L=8) = %.4f +- %.4f\n", r.f[1].mean, r.f[1].sem);
  assert_true(r.f[1].sem < 0.002);
  assert_true(fabs(r.f[1].mean - 0.6531) < 0.01);
  /* A split interstitial moving one atom per hop in a uniformly random
   * direction leaves every atom's jumps uncorrelated: f = 1 exactly. */
  tu_spec_one(&s, 6, IONKMC_I_I, 1e9);
  r = batch(&s, 400, 20000, 13);
  assert_true(fabs(r.f[0].mean - 1) < 3 * r.f[0].sem);
  tu_spec_one(&s, 6, IONKMC_I_MA_P, 1e9);
  r = batch(&s, 400, 20000, 14);
  assert_true(fabs(r.f[1].mean - 1) < 3 * r.f[1].sem);
}

/* D_defect = sum over paths of Gamma lambda^2 / 6 for an isolated defect. */
static void test_defect_random_walk(void **state) {
  (void)state;
  for (int k = 0; k <= IONKMC_NDEFECT; k++) {
    int kind = k < IONKMC_NDEFECT ? k : IONKMC_I_MA_0;
    ionkmc_box_spec s;
    tu_spec_one(&s, 6, kind, 3e8 * (k + 1));
    if (k == IONKMC_NDEFECT) s.pattern[kind] = IONKMC_PATTERN_COLLINEAR;
    ionkmc_run_summary r = batch(&s, 64, 20000, 100 + k);
    double lam2 = ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? 0.5 * s.cond.a * s.cond.a : s.cond.a * s.cond.a;
    if (s.pattern[kind] == IONKMC_PATTERN_COLLINEAR) lam2 *= 4; /* the pair moves 2a */
    double exact = ionkmc_defect_npaths(kind) * s.rate[kind] * lam2 * 1e-16 / 6;
    printf("# %s%s D_defect = %.4e +- %.1e, exact %.4e\n", ionkmc_defect_name(kind),
           k == IONKMC_NDEFECT ? " (collinear)" : "", r.D_defect.mean, r.D_defect.sem, exact);
    assert_true(r.D_defect.sem < 0.05 * exact);
    assert_true(fabs(r.D_defect.mean - exact) < 3 * r.D_defect.sem);
    /* every hop moves the species' centre of charge by the defect's own
     * displacement, so N D_sigma is the defect's D as well */
    int sp = ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? 0 : 1;
    double n = r.natoms[sp];
    printf("#   N D_sigma = %.4e +- %.1e\n", n * r.D_sigma[sp].mean, n * r.D_sigma[sp].sem);
    assert_true(n * r.D_sigma[sp].sem < 0.05 * exact);
    assert_true(fabs(n * r.D_sigma[sp].mean - exact) < 3 * n * r.D_sigma[sp].sem);
  }
}

/* The clock: N hops of a lone vacancy take a Gamma(N, R) time, R = 8 Gamma. */
static void test_exponential_clock(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_one(&s, 4, IONKMC_V_I, 2.5e9);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_engine *e = ionkmc_engine_alloc(&s, lat, NULL, NULL);
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 5, 0);
  assert_int_equal(ionkmc_engine_reset(e, &rng, NULL), IONKMC_OK);
  double R = 8 * 2.5e9;
  assert_true(fabs(ionkmc_engine_total_rate(e) - R) < 1e-6 * R);
  const int N = 200000;
  ionkmc_engine_run(e, &rng, N, 0, 1000);
  const ionkmc_run_obs *o = ionkmc_engine_obs(e);
  assert_int_equal(o->hops, N);
  assert_true(fabs(o->t - N / R) < 4 * sqrt((double)N) / R);
  /* a time-limited run stops exactly at the limit */
  ionkmc_engine_reset(e, &rng, NULL);
  ionkmc_engine_run(e, &rng, 0, 1e-6, 1000);
  o = ionkmc_engine_obs(e);
  assert_true(o->t == 1e-6);
  assert_true(fabs((double)o->hops - R * 1e-6) < 5 * sqrt(R * 1e-6));
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* Recompute every path rate from the occupancies and compare with the
 * engine's locally updated tables; check site bookkeeping. */
static void check_consistency(const ionkmc_engine *e, const ionkmc_lattice *lat,
                              const ionkmc_box_spec *s) {
  for (int sp = 0; sp < 2; sp++) {
    ionkmc_sublattice sub = sp == 0 ? IONKMC_SUB_X : IONKMC_SUB_A;
    int n = ionkmc_lattice_nsites(lat, sub), total = 0, holes = 0, pairs = 0;
    for (int i = 0; i < n; i++) {
      int o = ionkmc_engine_occupancy(e, sub, i);
      assert_true(o >= 0 && o <= 2);
      total += o;
      holes += o == 0;
      pairs += o == 2;
    }
    assert_int_equal(total, ionkmc_engine_natoms(e, sp));
    int vac = 0, inter = 0;
    for (int d = 0; d < ionkmc_engine_ndefects(e); d++) {
      ionkmc_defect_kind k;
      int site, alive;
      ionkmc_engine_defect(e, d, &k, &site, &alive, NULL);
      if (!alive || ionkmc_defect_sublattice(k) != sub) continue;
      int o = ionkmc_engine_occupancy(e, sub, site);
      if (ionkmc_defect_is_vacancy(k)) {
        vac++;
        assert_int_equal(o, 0);
      } else {
        inter++;
        assert_int_equal(o, 2);
      }
    }
    assert_int_equal(vac, holes);
    assert_int_equal(inter, pairs);
    /* every atom's recorded site holds at least one atom */
    const int32_t *as = ionkmc_engine_atom_site(e, sp);
    for (int a = 0; a < ionkmc_engine_natoms(e, sp); a++)
      assert_true(ionkmc_engine_occupancy(e, sub, as[a]) >= 1);
  }
  double sum = 0;
  for (int d = 0; d < ionkmc_engine_ndefects(e); d++) {
    ionkmc_defect_kind k;
    int site, alive;
    ionkmc_engine_defect(e, d, &k, &site, &alive, NULL);
    const double *pr = ionkmc_engine_path_rates(e, d);
    if (!alive) continue;
    ionkmc_sublattice sub = ionkmc_defect_sublattice(k);
    int z;
    const int32_t *nb = ionkmc_lattice_neighbours(lat, sub == IONKMC_SUB_X ? "XX" : "AA", site, &z, NULL);
    const int32_t *nb2 = sub == IONKMC_SUB_A ? ionkmc_lattice_neighbours(lat, "AA2", site, &z, NULL) : NULL;
    for (int p = 0; p < ionkmc_defect_npaths(k); p++) {
      int t = nb[p % z], ot = ionkmc_engine_occupancy(e, sub, t), ok;
      if (ionkmc_defect_is_vacancy(k)) ok = ot == 1;
      else if (sub == IONKMC_SUB_A && s->pattern[k] == IONKMC_PATTERN_COLLINEAR)
        ok = ot == 0 || (ot == 1 && ionkmc_engine_occupancy(e, sub, nb2[p % z]) < 2);
      else ok = ot < 2;
      assert_true(pr[p] == (ok ? s->rate[k] : 0.0));
      sum += pr[p];
    }
  }
  assert_true(fabs(sum - ionkmc_engine_total_rate(e)) <= 1e-9 * (sum + 1));
}

static void test_local_updates_mixed_box(void **state) {
  (void)state;
  for (int pattern = 0; pattern < 2; pattern++) {
    ionkmc_box_spec s;
    memset(&s, 0, sizeof s);
    s.L = 4;
    s.cond.T = 400;
    s.cond.a = 6.3;
    int counts[IONKMC_NDEFECT] = {6, 6, 4, 4, 3, 3};
    for (int k = 0; k < IONKMC_NDEFECT; k++) {
      s.count[k] = counts[k];
      s.rate[k] = 1e9 * (1 + k);
      s.pattern[k] = (ionkmc_pattern)pattern; /* the engine ignores it except for I_MA */
    }
    ionkmc_lattice *lat = ionkmc_lattice_alloc(s.L, NULL);
    ionkmc_engine *e = ionkmc_engine_alloc(&s, lat, NULL, NULL);
    assert_non_null(e);
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, 77 + pattern, 0);
    ionkmc_engine_reset(e, &rng, NULL);
    check_consistency(e, lat, &s);
    int steps = 0;
    while (ionkmc_engine_step(e, &rng) == IONKMC_OK && steps < 20000) {
      steps++;
      if (steps % 97 == 0) check_consistency(e, lat, &s);
    }
    check_consistency(e, lat, &s);
    const ionkmc_run_obs *o = ionkmc_engine_obs(e);
    /* recombinations remove one vacancy and one interstitial each */
    assert_int_equal(o->defects_alive, 26 - 2 * (int)o->recombinations);
    assert_true(o->recombinations > 0);
    ionkmc_engine_free(e);
    ionkmc_lattice_free(lat);
  }
}

/* One Frenkel pair in a small box always recombines, and then nothing moves. */
static void test_recombination(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_one(&s, 3, IONKMC_V_I, 1e9);
  s.count[IONKMC_I_I] = 1;
  s.rate[IONKMC_I_I] = 1e9;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(3, NULL);
  ionkmc_engine *e = ionkmc_engine_alloc(&s, lat, NULL, NULL);
  ionkmc_rng rng;
  for (int trial = 0; trial < 20; trial++) {
    ionkmc_rng_init(&rng, 9, trial);
    ionkmc_engine_reset(e, &rng, NULL);
    assert_int_equal(ionkmc_engine_natoms(e, 0), 81);
    ionkmc_engine_run(e, &rng, 10000000, 0, 100);
    const ionkmc_run_obs *o = ionkmc_engine_obs(e);
    assert_int_equal(o->recombinations, 1);
    assert_int_equal(o->defects_alive, 0);
    assert_int_equal(o->no_events, 1);
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_ESTATE);
    for (int i = 0; i < 81; i++) assert_int_equal(ionkmc_engine_occupancy(e, IONKMC_SUB_X, i), 1);
  }
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* A field multiplies each path by exp(q E.dr / 2kT). */
static void test_field_bias(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_one(&s, 4, IONKMC_V_I, 1e9);
  s.cond.field[0] = 0.01; /* V/A */
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_engine *e = ionkmc_engine_alloc(&s, lat, NULL, NULL);
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 1, 0);
  ionkmc_engine_reset(e, &rng, NULL);
  ionkmc_defect_kind k;
  int site;
  ionkmc_engine_defect(e, 0, &k, &site, NULL, NULL);
  const double *pr = ionkmc_engine_path_rates(e, 0);
  for (int p = 0; p < 8; p++) {
    const int8_t *v = ionkmc_lattice_xx_vec(site % 3, p);
    double dx = 0.5 * s.cond.a * v[0];
    double want = 1e9 * exp(+1 * 0.01 * dx / (2 * IONKMC_KB_EV * s.cond.T));
    assert_true(fabs(pr[p] / want - 1) < 1e-12);
  }
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

static void test_engine_errors(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_lattice *lat2 = ionkmc_lattice_alloc(2, NULL);
  ionkmc_box_spec s;
  ionkmc_error err;
  ionkmc_status st;
  tu_spec_one(&s, 5, IONKMC_V_I, 1e9);
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  assert_null(ionkmc_engine_alloc(NULL, lat, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  tu_spec_one(&s, 4, IONKMC_V_I, 1e9);
  s.cond.T = 0;
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_ERANGE);
  s.cond.T = 300;
  s.cond.a = -1;
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_ERANGE);
  s.cond.a = 6.3;
  s.rate[IONKMC_V_I] = NAN;
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_ERANGE);
  s.rate[IONKMC_V_I] = 1e9;
  s.count[IONKMC_V_I] = 0;
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  s.count[IONKMC_V_I] = -2;
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  s.count[IONKMC_V_I] = 3 * 64 + 1;
  assert_null(ionkmc_engine_alloc(&s, lat, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  tu_spec_one(&s, 2, IONKMC_I_MA_P, 1e9);
  s.pattern[IONKMC_I_MA_P] = IONKMC_PATTERN_COLLINEAR;
  assert_null(ionkmc_engine_alloc(&s, lat2, &err, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "collinear"));
  /* a run needs a limit; a dead box has no step */
  tu_spec_one(&s, 4, IONKMC_V_I, 0.0);
  ionkmc_engine *e = ionkmc_engine_alloc(&s, lat, &err, &st);
  assert_non_null(e);
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 1, 0);
  ionkmc_engine_reset(e, &rng, NULL);
  assert_int_equal(ionkmc_engine_run(e, &rng, 0, 0, 10), IONKMC_EINVAL);
  assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_ESTATE);
  ionkmc_engine_free(e);
  ionkmc_engine_free(NULL);
  ionkmc_lattice_free(lat);
  ionkmc_lattice_free(lat2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_correlation_factors), cmocka_unit_test(test_defect_random_walk),
      cmocka_unit_test(test_exponential_clock),   cmocka_unit_test(test_local_updates_mixed_box),
      cmocka_unit_test(test_recombination),       cmocka_unit_test(test_field_bias),
      cmocka_unit_test(test_engine_errors)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
