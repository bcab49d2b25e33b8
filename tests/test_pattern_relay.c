/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The relay pattern of the iodide split interstitial (ORIENTED with
 * forward persistence, kmc/engine_pattern.c) against its closed forms:
 * after each hop by v the pair is fresh (state A: the resident's path
 * along v at Gamma + k_f, the two side paths of the plane, perpendicular
 * to v, at Gamma + k_s, the return -v at Gamma); a re-orientation (k_r)
 * takes it to B (the other plane), from which it re-orients between B and
 * C (back in the first plane, not fresh) at k_r; hops leave A at 4 Gamma +
 * k_f + 2 k_s, B and C at 4 Gamma. With R_A = 4 Gamma + k_f + 2 k_s + k_r
 * and q = k_r / R_A, the next hop leaves A with probability (4 Gamma + k_f
 * + 2 k_s) / R_A, B with q (4 Gamma + k_r) / (4 Gamma + 2 k_r), C with
 * q k_r / (4 Gamma + 2 k_r); so
 *   P(forward) = (Gamma + k_f) / R_A + P_C / 4,
 *   P(return) = Gamma / R_A + P_C / 4,
 *   P(each side path) = (Gamma + k_s) / R_A + P_C / 4,
 *   P(each of the 4 out-of-plane destinations) = P_B / 4,
 *   <cos> = c = k_f / R_A (E[v_{n+1} | v_n] = c v_n: the sides cancel, B
 *     and C are symmetric),
 *   P(the same atom next) = (2 Gamma + k_s) / R_A + q / 2 (the arriving
 *     atom takes the return and one side),
 *   mean dwell = (4 Gamma + k_r) / (4 Gamma R_A),
 *   the defect's f = (1 + c) / (1 - c), D_defect = f |v|^2 / (6 dwell);
 * at k_r = 0 and k_s = 0 these are the forms of the README. Also: the rule
 * step by step (one path at Gamma + k_f and two at Gamma + k_s after a
 * hop, none after a re-orientation, none to a blocked target), k_f = k_s
 * = 0 runs ORIENTED's trajectory from the same stream, and k_s = 0 the
 * same as a spec without a third rate. Fixed seeds; tolerances 4 standard
 * errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmc/runner.h"
#include "tests/util.h"

typedef struct {
  double fwd, ret, side, out, cos, same, dwell, f;
} relay_forms;

static relay_forms forms(double g, double kf, double ks, double kr) {
  double RA = 4 * g + kf + 2 * ks + kr, q = kr / RA;
  double PB = q * (4 * g + kr) / (4 * g + 2 * kr), PC = q * kr / (4 * g + 2 * kr);
  relay_forms F;
  F.fwd = (g + kf) / RA + PC / 4;
  F.ret = g / RA + PC / 4;
  F.side = (g + ks) / RA + PC / 4;
  F.out = PB / 4;
  F.cos = kf / RA;
  F.same = (2 * g + ks) / RA + q / 2;
  F.dwell = (4 * g + kr) / (4 * g * RA);
  F.f = (1 + F.cos) / (1 - F.cos);
  return F;
}

/* A lone relay pair's spec with all three rates. */
static void spec_relay(ionkmc_box_spec *s, int L, double g, double kf, double ks, double kr) {
  tu_spec_pattern(s, L, IONKMC_I_I, g, IONKMC_PATTERN_RELAY, kr, kf);
  s->pattern_rate[IONKMC_I_I][2] = ks;
}

/* Counts over successive hop pairs of one followed pair. */
typedef struct {
  int64_t pairs, fwd, ret, side, out, same, internal;
  double scos, scos2, sw, sw2;
} relay_counts;

static void follow(const ionkmc_box_spec *s, int nhops, uint64_t seed, relay_counts *c) {
  ionkmc_lattice *lat;
  ionkmc_rng rng;
  ionkmc_engine *e = tu_engine_for(s, &lat, seed, &rng);
  assert_non_null(e);
  int n = ionkmc_engine_natoms(e, 0);
  int32_t *d0 = malloc(sizeof(int32_t) * 3 * (size_t)n);
  assert_non_null(d0);
  memcpy(d0, ionkmc_engine_atom_disp(e, 0), sizeof(int32_t) * 3 * (size_t)n);
  int32_t p0[3], p1[3], prev[3] = {0, 0, 0};
  ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p0);
  memset(c, 0, sizeof *c);
  double t_last = 0;
  int prev_atom = -1, hops = 0;
  while (hops < nhops) {
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
    ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p1);
    int32_t w[3] = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
    if (!w[0] && !w[1] && !w[2]) continue; /* a re-orientation */
    const int32_t *d1 = ionkmc_engine_atom_disp(e, 0);
    int moved = -1;
    for (int a = 0; a < n; a++)
      if (memcmp(d0 + 3 * a, d1 + 3 * a, 3 * sizeof(int32_t))) moved = a;
    assert_true(moved >= 0);
    memcpy(d0 + 3 * moved, d1 + 3 * moved, 3 * sizeof(int32_t));
    double t = ionkmc_engine_obs(e)->t;
    if (hops > 0) { /* after the first hop the pair is fresh */
      int dot = w[0] * prev[0] + w[1] * prev[1] + w[2] * prev[2];
      int inplane = 1;
      for (int q = 0; q < 3; q++) inplane &= (w[q] != 0) == (prev[q] != 0);
      c->pairs++;
      c->fwd += dot == 2;
      c->ret += dot == -2;
      c->side += inplane && dot == 0;
      c->out += !inplane;
      c->same += moved == prev_atom;
      c->scos += dot / 2.0;
      c->scos2 += dot * dot / 4.0;
      c->sw += t - t_last;
      c->sw2 += (t - t_last) * (t - t_last);
    }
    memcpy(prev, w, sizeof w);
    memcpy(p0, p1, sizeof p1);
    prev_atom = moved;
    t_last = t;
    hops++;
  }
  c->internal = ionkmc_engine_obs(e)->pattern_events[IONKMC_I_I];
  free(d0);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* A binomial fraction k / n against p: within 4 SE (of the closed form's p). */
static void check_frac(const char *what, int64_t k, int64_t n, double p) {
  double x = (double)k / n, se = sqrt(p * (1 - p) / n);
  printf("#   %-10s %.4f (closed form %.4f, SE %.4f)\n", what, x, p, se);
  if (p == 0) assert_int_equal(k, 0);
  else assert_true(fabs(x - p) < 4 * se);
}

static void check_forms(double g, double kf, double ks, double kr, uint64_t seed) {
  ionkmc_box_spec s;
  spec_relay(&s, 4, g, kf, ks, kr);
  relay_forms F = forms(g, kf, ks, kr);
  relay_counts c;
  follow(&s, 40000, seed, &c);
  int64_t n = c.pairs;
  printf("# relay Gamma %g k_f %g k_s %g k_r %g, %lld hop pairs:\n", g, kf, ks, kr, (long long)n);
  check_frac("forward", c.fwd, n, F.fwd);
  check_frac("return", c.ret, n, F.ret);
  /* the two side paths together */
  check_frac("side", c.side, n, 2 * F.side);
  check_frac("out", c.out, n, 4 * F.out);
  check_frac("same atom", c.same, n, F.same);
  double mc = c.scos / n, sc = sqrt((c.scos2 / n - mc * mc) / n);
  double mw = c.sw / n, sw = sqrt((c.sw2 / n - mw * mw) / n);
  printf("#   <cos>      %.4f +- %.4f (closed form %.4f)\n", mc, sc, F.cos);
  printf("#   dwell      %.5f +- %.5f (closed form %.5f)\n", mw, sw, F.dwell);
  assert_true(fabs(mc - F.cos) < 4 * sc);
  assert_true(fabs(mw - F.dwell) < 4 * sw);
  if (kr == 0) {
    assert_int_equal(c.internal, 0);
    assert_int_equal(c.out, 0);
  } else {
    assert_true(c.internal > 0);
  }
}

static void test_relay_closed_forms(void **state) {
  (void)state;
  check_forms(1.0, 2.0, 0.0, 0.0, 101);
  check_forms(1.0, 3.0, 0.0, 1.5, 102);
  /* k_f = 0: ORIENTED's values (1/4 forward and return at k_r = 0, <cos> 0) */
  check_forms(1.0, 0.0, 0.0, 0.0, 103);
  /* the side rate: returns below the sides (the MD's 650 K pattern), and
   * with re-orientation */
  check_forms(1.0, 1.7, 0.8, 0.0, 104);
  check_forms(1.0, 2.0, 1.2, 0.9, 105);
}

/* The defect's f = (1 + c) / (1 - c) from its D over many runs:
 * D_defect = f |v|^2 / (6 dwell), |v|^2 = a^2 / 2. */
static void test_relay_defect_f(void **state) {
  (void)state;
  const double g = 1e9, kf[] = {2e9, 3e9, 1.7e9, 2e9}, ks[] = {0, 0, 0.8e9, 1.2e9}, kr[] = {0, 1.5e9, 0, 0.9e9};
  for (int i = 0; i < 4; i++) {
    ionkmc_box_spec s;
    spec_relay(&s, 6, g, kf[i], ks[i], kr[i]);
    relay_forms F = forms(g, kf[i], ks[i], kr[i]);
    ionkmc_run_summary r;
    assert_int_equal(tu_run_batch(&s, 256, 20000, 111 + i, &r), IONKMC_OK);
    double D = F.f * s.cond.a * s.cond.a / 2 / (6 * F.dwell) * 1e-16;
    printf("# relay k_f/Gamma %g k_s/Gamma %g k_r/Gamma %g: D_defect %.4e +- %.2e cm^2/s, closed form %.4e (f = "
           "%.4f)\n",
           kf[i] / g, ks[i] / g, kr[i] / g, r.D_defect.mean, r.D_defect.sem, D, F.f);
    assert_true(fabs(r.D_defect.mean - D) < 4 * r.D_defect.sem);
  }
}

/* The rule step by step: a lone pair has after each hop exactly one path
 * at Gamma + k_f, which is the same v by the resident atom, two at Gamma +
 * k_s, the in-plane paths perpendicular to v (one by each atom), and the
 * return -v at Gamma; after a re-orientation four at Gamma. In a crowded
 * box no path to a pair has a rate (the bonuses included). */
static void test_relay_rule(void **state) {
  (void)state;
  const double g = 1.0, kf = 2.5, ks = 0.6, kr = 0.7;
  ionkmc_box_spec s;
  spec_relay(&s, 4, g, kf, ks, kr);
  ionkmc_lattice *lat;
  ionkmc_rng rng;
  ionkmc_engine *e = tu_engine_for(&s, &lat, 121, &rng);
  assert_non_null(e);
  int32_t p0[3], p1[3], prev[3] = {0, 0, 0};
  int fresh = 0, nfwd = 0, nside = 0, nturn = 0;
  ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p0);
  for (int i = 0; i < 20000; i++) {
    const double *pr = ionkmc_engine_path_rates(e, 0);
    int open = 0, fast = -1, sides = 0, side_atoms = 0, site;
    ionkmc_engine_defect(e, 0, NULL, &site, NULL, NULL);
    for (int p = 0; p < IONKMC_MAX_PATHS; p++) {
      if (pr[p] == 0) continue;
      open++;
      const int8_t *v = ionkmc_lattice_xx_vec(site % 3, p % IONKMC_NNB_XX);
      if (fabs(pr[p] - (g + kf)) < 1e-12) {
        fast = p;
      } else if (fabs(pr[p] - (g + ks)) < 1e-12) {
        assert_true(fresh);
        assert_int_equal(v[0] * prev[0] + v[1] * prev[1] + v[2] * prev[2], 0);
        sides++;
        side_atoms |= 1 << (p / IONKMC_NNB_XX);
      } else {
        assert_true(fabs(pr[p] - g) < 1e-12);
        if (fresh) /* the one plain path of a fresh pair is the return */
          assert_true(v[0] == -prev[0] && v[1] == -prev[1] && v[2] == -prev[2] && p >= IONKMC_NNB_XX);
      }
    }
    assert_int_equal(open, 4);
    assert_int_equal(fast >= 0, fresh);
    assert_int_equal(sides, fresh ? 2 : 0);
    if (fresh) assert_int_equal(side_atoms, 3);
    if (fast >= 0) { /* the last hop's v, by the resident (the site's first atom) */
      const int8_t *v = ionkmc_lattice_xx_vec(site % 3, fast % IONKMC_NNB_XX);
      assert_true(fast < IONKMC_NNB_XX && v[0] == prev[0] && v[1] == prev[1] && v[2] == prev[2]);
    }
    assert_true(fabs(ionkmc_engine_total_rate(e) - (4 * g + kr + (fresh ? kf + 2 * ks : 0))) < 1e-9);
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
    ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p1);
    int32_t w[3] = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
    if (!w[0] && !w[1] && !w[2]) {
      fresh = 0, nturn++;
      continue;
    }
    if (fresh && w[0] == prev[0] && w[1] == prev[1] && w[2] == prev[2]) nfwd++;
    if (fresh && w[0] * prev[0] + w[1] * prev[1] + w[2] * prev[2] == 0) nside++;
    fresh = 1;
    memcpy(prev, w, sizeof w);
    memcpy(p0, p1, sizeof p1);
  }
  assert_true(nfwd > 2000 && nside > 2000 && nturn > 1000);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  /* crowded: 12 pairs on the 24 X sites of a 2^3 box */
  spec_relay(&s, 2, g, 50.0, 20.0, 0.3);
  s.count[IONKMC_I_I] = 12;
  e = tu_engine_for(&s, &lat, 122, &rng);
  assert_non_null(e);
  int nfast = 0;
  for (int i = 0; i < 4000; i++) {
    for (int d = 0; d < 12; d++) {
      int site;
      int32_t h[3];
      ionkmc_engine_defect(e, d, NULL, &site, NULL, NULL);
      ionkmc_lattice_site_pos(lat, IONKMC_SUB_X, site, h);
      const double *pr = ionkmc_engine_path_rates(e, d);
      for (int p = 0; p < IONKMC_MAX_PATHS; p++) {
        if (pr[p] == 0) continue;
        const int8_t *v = ionkmc_lattice_xx_vec(site % 3, p % IONKMC_NNB_XX);
        int32_t t[3] = {h[0] + v[0], h[1] + v[1], h[2] + v[2]};
        assert_int_equal(ionkmc_engine_occupancy(e, IONKMC_SUB_X, ionkmc_lattice_site_at(lat, IONKMC_SUB_X, t)), 1);
        nfast += pr[p] > g;
      }
    }
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
  }
  assert_true(nfast > 100);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* Two specs step for step from one stream: the same times, atom and
 * defect positions and internal events. */
static void same_trajectory(const ionkmc_box_spec *sa, const ionkmc_box_spec *sb, int ndef, uint64_t seed) {
  ionkmc_lattice *la, *lb;
  ionkmc_rng ra, rb;
  ionkmc_engine *a = tu_engine_for(sa, &la, seed, &ra), *b = tu_engine_for(sb, &lb, seed, &rb);
  assert_non_null(a);
  assert_non_null(b);
  int n = ionkmc_engine_natoms(a, 0);
  for (int i = 0; i < 20000; i++) {
    assert_int_equal(ionkmc_engine_step(a, &ra), IONKMC_OK);
    assert_int_equal(ionkmc_engine_step(b, &rb), IONKMC_OK);
    assert_true(ionkmc_engine_obs(a)->t == ionkmc_engine_obs(b)->t);
  }
  assert_memory_equal(ionkmc_engine_atom_disp(a, 0), ionkmc_engine_atom_disp(b, 0), sizeof(int32_t) * 3 * (size_t)n);
  for (int d = 0; d < ndef; d++) {
    int32_t pa[3], pb[3];
    ionkmc_engine_defect(a, d, NULL, NULL, NULL, pa);
    ionkmc_engine_defect(b, d, NULL, NULL, NULL, pb);
    assert_memory_equal(pa, pb, sizeof pa);
  }
  assert_true(ionkmc_engine_obs(a)->hops > 10000);
  assert_int_equal(ionkmc_engine_obs(a)->pattern_events[IONKMC_I_I], ionkmc_engine_obs(b)->pattern_events[IONKMC_I_I]);
  ionkmc_engine_free(a);
  ionkmc_engine_free(b);
  ionkmc_lattice_free(la);
  ionkmc_lattice_free(lb);
}

/* k_f = k_s = 0: the same rates in the same order as ORIENTED, so the
 * same trajectory from the same stream (times, defect and atom positions).
 * And a side rate that is there but 0 is no side rate: the trajectory of
 * relay with (k_r, k_f) alone. That one differs from k_s > 0 (the test can
 * tell trajectories apart). */
static void test_relay_kf0_is_oriented(void **state) {
  (void)state;
  ionkmc_box_spec so, sr;
  tu_spec_pattern(&so, 4, IONKMC_I_I, 1e9, IONKMC_PATTERN_ORIENTED, 7e8, 0);
  tu_spec_pattern(&sr, 4, IONKMC_I_I, 1e9, IONKMC_PATTERN_RELAY, 7e8, 0);
  so.count[IONKMC_I_I] = sr.count[IONKMC_I_I] = 5;
  same_trajectory(&so, &sr, 5, 131);
}

static void test_relay_ks0(void **state) {
  (void)state;
  ionkmc_box_spec s2, s3;
  tu_spec_pattern(&s2, 4, IONKMC_I_I, 1e9, IONKMC_PATTERN_RELAY, 7e8, 2e9);
  spec_relay(&s3, 4, 1e9, 2e9, 0.0, 7e8);
  s2.count[IONKMC_I_I] = s3.count[IONKMC_I_I] = 5;
  same_trajectory(&s2, &s3, 5, 132);
  /* k_s > 0 changes the times from the first fresh hop on */
  s3.pattern_rate[IONKMC_I_I][2] = 1e8;
  ionkmc_lattice *la, *lb;
  ionkmc_rng ra, rb;
  ionkmc_engine *a = tu_engine_for(&s2, &la, 132, &ra), *b = tu_engine_for(&s3, &lb, 132, &rb);
  int differ = 0;
  for (int i = 0; i < 100 && !differ; i++) {
    assert_int_equal(ionkmc_engine_step(a, &ra), IONKMC_OK);
    assert_int_equal(ionkmc_engine_step(b, &rb), IONKMC_OK);
    differ = ionkmc_engine_obs(a)->t != ionkmc_engine_obs(b)->t;
  }
  assert_true(differ);
  ionkmc_engine_free(a);
  ionkmc_engine_free(b);
  ionkmc_lattice_free(la);
  ionkmc_lattice_free(lb);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_relay_closed_forms),
      cmocka_unit_test(test_relay_defect_f),
      cmocka_unit_test(test_relay_rule),
      cmocka_unit_test(test_relay_kf0_is_oriented),
      cmocka_unit_test(test_relay_ks0),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
