/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The plain reference engine (tests/ref_engine.h) against closed forms, so
 * that "the engine equals the reference" (test_engine_reference) rests on
 * a reference that is itself checked:
 *   - a lone defect in a box: total rate = n_paths Gamma at zero field;
 *   - on the simple-cubic A sublattice under a field E along x, the two
 *     paths along x are biased by exp(+-q E a / 2 kB T) (a displacement of
 *     a = 2h; 2a for the collinear MA pattern) and the four others are not:
 *     R = m Gamma (4 + 2 cosh(q E d / 2 kB T)), m = 1 for a vacancy and 2
 *     for a split interstitial (either atom of the pair moves), d the
 *     displacement;
 *   - the clock: one event advances t by -ln(1 - u1) / R with u1 the first
 *     uniform of the stream's block;
 *   - the engine's total rate equals the reference's for the same boxes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "barriers/catalog.h"
#include "kmc/engine.h"
#include "tests/ref_engine.h"

static const double GAMMA = 1e6, T = 300, A = 6.3;

static ionkmc_box_spec lone(ionkmc_defect_kind k, double Ex, int collinear) {
  ionkmc_box_spec s;
  memset(&s, 0, sizeof s);
  s.L = 4;
  s.cond.T = T;
  s.cond.a = A;
  s.cond.field[0] = Ex;
  s.count[k] = 1;
  for (int j = 0; j < IONKMC_NDEFECT; j++) s.rate[j] = GAMMA;
  if (collinear) s.pattern[k] = IONKMC_PATTERN_COLLINEAR;
  return s;
}

/* The reference's and the engine's total rate after placement. */
static double total_rate(const ionkmc_box_spec *s, double *engine_rate) {
  ionkmc_lattice *lat = ionkmc_lattice_alloc(s->L, NULL);
  assert_non_null(lat);
  ref_engine *r = ref_engine_alloc(s, lat);
  assert_non_null(r);
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 3, 0);
  assert_int_equal(ref_engine_reset(r, &rng), 0);
  double R = ionkmc_sumtree_total(r->tree);
  ionkmc_engine *e = ionkmc_engine_alloc(s, lat, NULL, NULL);
  assert_non_null(e);
  ionkmc_rng_init(&rng, 3, 0);
  assert_int_equal(ionkmc_engine_reset(e, &rng, NULL), IONKMC_OK);
  *engine_rate = ionkmc_engine_total_rate(e);
  ionkmc_engine_free(e);
  ref_engine_free(r);
  ionkmc_lattice_free(lat);
  return R;
}

static void test_zero_field_rates(void **state) {
  (void)state;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ionkmc_box_spec s = lone((ionkmc_defect_kind)k, 0.0, 0);
    double eng, R = total_rate(&s, &eng);
    double want = ionkmc_defect_npaths((ionkmc_defect_kind)k) * GAMMA;
    if (fabs(R / want - 1) > 1e-14) fail_msg("%s: R = %.17g, expected %.17g", ionkmc_defect_name(k), R, want);
    assert_true(eng == R);
  }
}

static void test_field_on_the_a_sublattice(void **state) {
  (void)state;
  const struct {
    ionkmc_defect_kind k;
    int collinear;
    double m, d; /* paths per direction, displacement in angstrom */
  } cases[] = {{IONKMC_V_MA_M, 0, 1, A}, {IONKMC_I_MA_P, 0, 2, A}, {IONKMC_I_MA_P, 1, 2, 2 * A}};
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
    for (int sign = -1; sign <= 1; sign += 2) {
      double Ex = sign * 0.004; /* V/angstrom */
      ionkmc_box_spec s = lone(cases[c].k, Ex, cases[c].collinear);
      double eng, R = total_rate(&s, &eng);
      double q = ionkmc_defect_charge(cases[c].k);
      double want = cases[c].m * GAMMA * (4 + 2 * cosh(q * Ex * cases[c].d / (2 * IONKMC_KB_EV * T)));
      if (fabs(R / want - 1) > 1e-13)
        fail_msg("%s%s, E = %g: R = %.17g, expected %.17g", ionkmc_defect_name(cases[c].k),
                 cases[c].collinear ? " collinear" : "", Ex, R, want);
      assert_true(R > cases[c].m * 6 * GAMMA); /* the bias raises the total (cosh > 1) */
      assert_true(eng == R);
    }
}

static void test_clock(void **state) {
  (void)state;
  ionkmc_box_spec s = lone(IONKMC_V_I, 0.0, 0);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(s.L, NULL);
  ref_engine *r = ref_engine_alloc(&s, lat);
  assert_non_null(r);
  ionkmc_rng rng, copy;
  ionkmc_rng_init(&rng, 9, 0);
  assert_int_equal(ref_engine_reset(r, &rng), 0);
  for (int i = 0; i < 50; i++) {
    double R = ionkmc_sumtree_total(r->tree), t0 = r->t, u1, u2;
    copy = rng;
    ionkmc_rng_uniform2(&copy, &u1, &u2);
    assert_int_equal(ref_engine_step(r, &rng), 1);
    assert_true(r->t == t0 + -log(1.0 - u1) / R);
    assert_int_equal(r->hops, i + 1);
  }
  ref_engine_free(r);
  ionkmc_lattice_free(lat);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zero_field_rates),
      cmocka_unit_test(test_field_on_the_a_sublattice),
      cmocka_unit_test(test_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
