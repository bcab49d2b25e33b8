/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The relay pattern's fitter, on tracks from a small simulator of the
 * pattern written here (the pair's site axis, orientation, fresh flag and
 * last jump, with the competing hop and re-orientation clocks): the true
 * rates (Gamma, k_r, k_f, k_s) inside their intervals at the nominal rate
 * over many seeds; the likelihood against an independent evaluation (the
 * hidden chain's matrix exponential) with and without k_s; the nested
 * limit k_f = k_s = 0 (the oriented fitter's lnL); the boundaries k_r = 0,
 * k_f = 0 and k_s = 0; selection by AIC; foreign moves refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "base/init.h"
#include "calibration/patternfit.h"
#include "lattice/lattice.h"

#define L 4
static ionkmc_lattice *lat;

/* One track of the relay pattern over [0, T_end] at per-path rate G,
 * forward rate kf, side rate ks and re-orientation rate kr (1/ps). Returns
 * the number of jumps (<= cap). */
static size_t simulate(gsl_rng *r, double G, double kf, double ks, double kr, double T_end, ionkmc_defect_jump *j,
                       size_t cap, double *tail) {
  int alpha = (int)gsl_rng_uniform_int(r, 3);
  int o = (alpha + 1 + (int)gsl_rng_uniform_int(r, 2)) % 3, fresh = 0;
  int32_t pos[3] = {0, 0, 0};
  pos[alpha] = 1;
  int last[3] = {0, 0, 0};
  double t = 0, tl = 0;
  size_t n = 0;
  for (;;) {
    double R = 4 * G + (fresh ? kf + 2 * ks : 0);
    double th = gsl_ran_exponential(r, 1.0 / R);
    double tr = kr > 0 ? gsl_ran_exponential(r, 1.0 / kr) : INFINITY;
    if (tr < th) { /* the pair turns; no longer fresh */
      if (t + tr > T_end) break;
      t += tr;
      o = 3 - alpha - o;
      fresh = 0;
      continue;
    }
    if (t + th > T_end || n == cap) break;
    t += th;
    int dh[3] = {0, 0, 0};
    if (fresh) { /* forward (G + kf), either side (G + ks), the return (G) */
      double x = gsl_rng_uniform(r) * R;
      dh[alpha] = last[alpha], dh[o] = last[o];
      if (x < G + kf) {
      } else if (x < 2 * G + kf + ks) {
        dh[alpha] = -dh[alpha];
      } else if (x < 3 * G + kf + 2 * ks) {
        dh[o] = -dh[o];
      } else {
        dh[alpha] = -dh[alpha], dh[o] = -dh[o];
      }
    } else {
      dh[alpha] = gsl_rng_uniform_int(r, 2) ? 1 : -1;
      dh[o] = gsl_rng_uniform_int(r, 2) ? 1 : -1;
    }
    j[n].dwell = t - tl;
    memcpy(j[n].dh, dh, sizeof dh);
    j[n].from_site = ionkmc_lattice_site_at(lat, IONKMC_SUB_X, pos);
    assert_true(j[n].from_site >= 0);
    n++;
    tl = t;
    for (int c = 0; c < 3; c++) pos[c] += dh[c];
    memcpy(last, dh, sizeof dh);
    int a2 = o;
    o = alpha;
    alpha = a2;
    fresh = 1;
  }
  *tail = T_end - tl;
  return n;
}

/* The same likelihood computed another way: the hidden chain's survival
 * row vector e^{Q tau} from A (Q the generator of A, B, C without hops:
 * A -> B and B <-> C at kr, every state losing its hop rate), the jump
 * classified from its displacement here. */
static double loglik_expm(const ionkmc_jump_track *tr, double G, double kr, double kf, double ks) {
  gsl_matrix *Q = gsl_matrix_calloc(3, 3), *E = gsl_matrix_alloc(3, 3);
  double ll = 0;
  const int *prev = NULL;
  for (size_t i = 0; i <= tr->n; i++) {
    double tau = i < tr->n ? tr->jump[i].dwell : tr->tail;
    if (i == 0) { /* not fresh, orientation unknown: 1/2 per plane */
      ll += log(G * exp(-4 * G * tau) / 2);
      prev = tr->jump[0].dh;
      continue;
    }
    gsl_matrix_set_zero(Q);
    gsl_matrix_set(Q, 0, 0, -(4 * G + kf + 2 * ks + kr));
    gsl_matrix_set(Q, 0, 1, kr);
    gsl_matrix_set(Q, 1, 1, -(4 * G + kr));
    gsl_matrix_set(Q, 1, 2, kr);
    gsl_matrix_set(Q, 2, 2, -(4 * G + kr));
    gsl_matrix_set(Q, 2, 1, kr);
    gsl_matrix_scale(Q, tau);
    assert_int_equal(gsl_linalg_exponential_ss(Q, E, GSL_PREC_DOUBLE), GSL_SUCCESS);
    double pa = gsl_matrix_get(E, 0, 0), pb = gsl_matrix_get(E, 0, 1), pc = gsl_matrix_get(E, 0, 2);
    if (i == tr->n) {
      ll += log(pa + pb + pc);
      break;
    }
    const int *d = tr->jump[i].dh;
    int inplane = 1, dot = 0;
    for (int c = 0; c < 3; c++) inplane &= (d[c] != 0) == (prev[c] != 0), dot += d[c] * prev[c];
    if (!inplane) ll += log(G * pb);
    else if (dot > 0) ll += log((G + kf) * pa + G * pc);
    else if (dot < 0) ll += log(G * (pa + pc));
    else ll += log((G + ks) * pa + G * pc);
    prev = d;
  }
  gsl_matrix_free(Q);
  gsl_matrix_free(E);
  return ll;
}

#define CAP 20000
static ionkmc_defect_jump jumps[CAP];
static const ionkmc_jump_context CTX = {IONKMC_I_I, L, 300};

static ionkmc_pattern_fit fit_one(gsl_rng *r, double G, double kf, double ks, double kr, size_t want,
                                  ionkmc_jump_track *tr) {
  double tail;
  /* the mean dwell (4 G + kr) / (4 G (4 G + kf + 2 ks + kr)) */
  double T_end = want * (4 * G + kr) / (4 * G * (4 * G + kf + 2 * ks + kr));
  size_t n = simulate(r, G, kf, ks, kr, T_end, jumps, CAP, &tail);
  assert_true(n < CAP);
  *tr = (ionkmc_jump_track){jumps, n, tail};
  ionkmc_pattern_fit f;
  ionkmc_error err = {0};
  ionkmc_status st = ionkmc_patternfit_relay.fit(&CTX, tr, 1, &f, &err);
  if (st) print_message("%s\n", err.text);
  assert_int_equal(st, IONKMC_OK);
  assert_int_equal(f.njumps, n);
  assert_int_equal(f.npar, 4);
  assert_int_equal(f.pattern, IONKMC_PATTERN_RELAY);
  assert_true(f.rate_lo < f.rate && f.rate < f.rate_hi);
  for (int k = 0; k < 3; k++) assert_true(f.prate_lo[k] <= f.prate[k] && f.prate[k] <= f.prate_hi[k]);
  return f;
}

/* 95% intervals cover the truth in 19 of 20 seeds on average (binomial
 * SD 0.97); 16 is 3 SD below. At the maximum, loglik is the fit's lnL and
 * the independent evaluation's; a rate moved to its interval's end with
 * the others kept lies at least 1.92 below (the profile, maximised over
 * the others, is exactly 1.92 below there). */
static void coverage(double G, double kf, double ks, double kr, size_t want, unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  int trials = 20, cov_g = 0, cov_f = 0, cov_s = 0, cov_r = 0;
  for (int t = 0; t < trials; t++) {
    ionkmc_jump_track tr;
    ionkmc_pattern_fit f = fit_one(r, G, kf, ks, kr, want, &tr);
    cov_g += f.rate_lo <= G && G <= f.rate_hi;
    cov_r += f.prate_lo[0] <= kr && kr <= f.prate_hi[0];
    cov_f += f.prate_lo[1] <= kf && kf <= f.prate_hi[1];
    cov_s += f.prate_lo[2] <= ks && ks <= f.prate_hi[2];
    if (t < 3) {
      ionkmc_error err = {0};
      double ll, le;
      assert_int_equal(ionkmc_patternfit_relay.loglik(&CTX, &tr, 1, f.rate, f.prate, &ll, &err), IONKMC_OK);
      assert_true(fabs(ll - f.loglik) < 1e-9 * fabs(ll));
      le = loglik_expm(&tr, f.rate, f.prate[0], f.prate[1], f.prate[2]);
      assert_true(fabs(ll - le) < 1e-9 * fabs(ll));
      for (int k = 0; k < 3; k++)
        for (int side = 0; side < 2; side++) {
          double p[3] = {f.prate[0], f.prate[1], f.prate[2]};
          p[k] = side ? f.prate_hi[k] : f.prate_lo[k];
          if (!isfinite(p[k]) || p[k] == 0) continue;
          assert_int_equal(ionkmc_patternfit_relay.loglik(&CTX, &tr, 1, f.rate, p, &le, &err), IONKMC_OK);
          assert_true(ll - le > IONKMC_PATTERNFIT_HALF_CHI2 - 1e-4);
        }
    }
  }
  print_message("relay G=%g kf=%g ks=%g kr=%g, %zu jumps: Gamma covered %d/%d, k_f %d/%d, k_s %d/%d, k_r %d/%d\n",
                G, kf, ks, kr, want, cov_g, trials, cov_f, trials, cov_s, trials, cov_r, trials);
  assert_true(cov_g >= 16);
  assert_true(cov_f >= 16);
  assert_true(cov_s >= 16);
  assert_true(cov_r >= 16);
  gsl_rng_free(r);
}

static void test_coverage(void **state) {
  (void)state;
  coverage(0.25, 0.5, 0.2, 0.1, 300, 11);
  /* the MD's 650 K pattern: returns below the sides, one plane */
  coverage(0.05, 0.075, 0.035, 0.005, 300, 12);
}

/* The likelihood against the matrix exponential at rates off the
 * maximum, k_s = 0 (relay before the side rate) and k_s > 0, to 1e-9. */
static void test_loglik_independent(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 21);
  ionkmc_error err = {0};
  ionkmc_jump_track tr;
  double tail;
  size_t n = simulate(r, 0.2, 0.4, 0.15, 0.05, 800, jumps, CAP, &tail);
  tr = (ionkmc_jump_track){jumps, n, tail};
  const double p[6][4] = {{0.2, 0.05, 0.4, 0.15}, {0.2, 0.05, 0.4, 0.0}, {0.3, 0.02, 0.7, 0.0},
                          {0.1, 0.2, 0.0, 0.3},   {0.25, 0.2, 0.2, 0.2}, {0.2, 0.05, 0.2, 0.1}};
  for (int i = 0; i < 6; i++) {
    double ll, le = loglik_expm(&tr, p[i][0], p[i][1], p[i][2], p[i][3]);
    assert_int_equal(ionkmc_patternfit_relay.loglik(&CTX, &tr, 1, p[i][0], &p[i][1], &ll, &err), IONKMC_OK);
    print_message("G %g k_r %g k_f %g k_s %g: lnL %.10f, matrix exponential %.10f\n", p[i][0], p[i][1], p[i][2],
                  p[i][3], ll, le);
    assert_true(fabs(ll - le) < 1e-9 * fabs(le));
  }
  assert_true(n > 500);
  gsl_rng_free(r);
}

/* k_f = k_s = 0: the likelihood is the oriented fitter's at the same
 * (Gamma, k_r); the relay maximum is at least the oriented one, and on
 * oriented tracks relay is rarely chosen. */
static void test_nested_oriented(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 31);
  ionkmc_error err = {0};
  int chosen = 0, trials = 12;
  for (int t = 0; t < trials; t++) {
    double tail, G = 0.2, kr0 = 0.15;
    size_t n = simulate(r, G, 0.0, 0.0, kr0, 300 / (4 * G), jumps, CAP, &tail);
    ionkmc_jump_track tr = {jumps, n, tail};
    for (int i = 0; i < 3; i++) {
      double g = 0.1 + 0.1 * i, kr[3] = {0.0, 0.05, 2.0};
      double pr[3] = {kr[i], 0.0, 0.0}, lr, lo;
      assert_int_equal(ionkmc_patternfit_relay.loglik(&CTX, &tr, 1, g, pr, &lr, &err), IONKMC_OK);
      assert_int_equal(ionkmc_patternfit_oriented.loglik(&CTX, &tr, 1, g, pr, &lo, &err), IONKMC_OK);
      if (isfinite(lo) || isfinite(lr)) assert_true(fabs(lr - lo) < 1e-9);
    }
    ionkmc_pattern_fit all[IONKMC_NPATTERN];
    ionkmc_pattern best = IONKMC_NPATTERN;
    assert_int_equal(ionkmc_patternfit_select(&CTX, &tr, 1, all, &best, &err), IONKMC_OK);
    assert_true(all[IONKMC_PATTERN_RELAY].npar == 4 && all[IONKMC_PATTERN_ORIENTED].npar == 2);
    assert_true(all[IONKMC_PATTERN_RELAY].loglik >= all[IONKMC_PATTERN_ORIENTED].loglik - 1e-9);
    chosen += best == IONKMC_PATTERN_RELAY;
  }
  print_message("oriented tracks: relay selected %d/%d\n", chosen, trials);
  /* relay needs lnL 2 above oriented (AIC, two rates more): 2 delta lnL >
   * 4 with both rates at their boundary 0, a chi-square mixture
   * (1/4 chi2_0 + 1/2 chi2_1 + 1/4 chi2_2): 5.7%, ~0.7 of 12, SD 0.8; 4
   * is 4 SD above */
  assert_true(chosen <= 3);
  gsl_rng_free(r);
}

/* k_r = 0 (one plane), k_s = 0 and k_f = 0 at their boundaries; a long
 * relay track selects relay by far. */
static void test_boundaries_and_selection(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 41);
  ionkmc_jump_track tr;
  ionkmc_pattern_fit f = fit_one(r, 0.25, 0.6, 0.3, 0.0, 500, &tr);
  print_message("k_r = 0: k_r %g [%g, %g], k_f %g [%g, %g] (true 0.6), k_s %g [%g, %g] (true 0.3)\n", f.prate[0],
                f.prate_lo[0], f.prate_hi[0], f.prate[1], f.prate_lo[1], f.prate_hi[1], f.prate[2], f.prate_lo[2],
                f.prate_hi[2]);
  assert_true(f.prate[0] == 0 && f.prate_lo[0] == 0 && isfinite(f.prate_hi[0]));
  assert_true(f.prate_lo[1] > 0 && f.prate_lo[2] > 0);
  /* at k_f = k_s = 0 the track would be the plain planar walk: far below;
   * at k_s = 0 alone (relay before the side rate) below by more than 1.92 */
  ionkmc_error err = {0};
  double p0[3] = {0, 0, 0}, p1[3] = {f.prate[0], f.prate[1], 0}, l0, l1;
  assert_int_equal(ionkmc_patternfit_relay.loglik(&CTX, &tr, 1, f.rate, p0, &l0, &err), IONKMC_OK);
  assert_int_equal(ionkmc_patternfit_relay.loglik(&CTX, &tr, 1, f.rate, p1, &l1, &err), IONKMC_OK);
  assert_true(f.loglik - l0 > 20 && f.loglik - l1 > IONKMC_PATTERNFIT_HALF_CHI2);
  ionkmc_pattern_fit all[IONKMC_NPATTERN];
  ionkmc_pattern best = IONKMC_NPATTERN;
  assert_int_equal(ionkmc_patternfit_select(&CTX, &tr, 1, all, &best, &err), IONKMC_OK);
  print_message("k_r = 0 track: AIC relay %.2f, oriented %.2f, single %.2f\n", all[IONKMC_PATTERN_RELAY].aic,
                all[IONKMC_PATTERN_ORIENTED].aic, all[IONKMC_PATTERN_SINGLE].aic);
  assert_int_equal(best, IONKMC_PATTERN_RELAY);
  assert_true(all[IONKMC_PATTERN_RELAY].aic < all[IONKMC_PATTERN_ORIENTED].aic - 20);
  /* k_s = 0 with k_f > 0: k_s at its boundary, one-sided interval */
  f = fit_one(r, 0.25, 0.6, 0.0, 0.05, 500, &tr);
  print_message("k_s = 0: k_s %g [%g, %g], k_f %g [%g, %g] (true 0.6)\n", f.prate[2], f.prate_lo[2], f.prate_hi[2],
                f.prate[1], f.prate_lo[1], f.prate_hi[1]);
  assert_true(f.prate_lo[2] == 0 && isfinite(f.prate_hi[2]) && f.prate_lo[1] > 0);
  /* k_f = k_s = k_r = 0: all at their boundary. A one-sided 95% interval
   * there has its lower end above 0 with probability 2.5% (half of
   * P(chi2_1 > 3.84)): over 8 tracks x 3 rates ~0.6, SD 0.8; 4 is 4 SD
   * above. The upper ends are finite. */
  int above = 0;
  for (int t = 0; t < 8; t++) {
    f = fit_one(r, 0.25, 0.0, 0.0, 0.0, 250, &tr);
    for (int k = 0; k < 3; k++) {
      above += f.prate_lo[k] > 0;
      assert_true(isfinite(f.prate_hi[k]));
    }
  }
  print_message("k_f = k_s = k_r = 0: %d of 24 lower ends above 0\n", above);
  assert_true(above < 4);
  gsl_rng_free(r);
}

static void test_foreign_moves_refused(void **state) {
  (void)state;
  ionkmc_jump_context ctx = CTX;
  ionkmc_pattern_fit f;
  ionkmc_error err = {0};
  int32_t p0[3] = {1, 0, 0}, p1[3] = {2, 1, 0}; /* axis 0, then axis 1 */
  int s0 = ionkmc_lattice_site_at(lat, IONKMC_SUB_X, p0), s1 = ionkmc_lattice_site_at(lat, IONKMC_SUB_X, p1);
  ionkmc_defect_jump ok[2] = {{1.0, {1, 1, 0}, s0}, {1.0, {1, -1, 0}, s1}};
  ionkmc_jump_track tr = {ok, 2, 0.5};
  assert_int_equal(ionkmc_patternfit_relay.fit(&ctx, &tr, 1, &f, &err), IONKMC_OK);
  ionkmc_defect_jump bad[2] = {{1.0, {1, 1, 0}, s0}, {1.0, {1, 0, 1}, s1}};
  tr.jump = bad;
  assert_int_equal(ionkmc_patternfit_relay.fit(&ctx, &tr, 1, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "jump 1"));
  ionkmc_defect_jump gap[2] = {{1.0, {1, 1, 0}, s0}, {1.0, {1, 1, 0}, s0}};
  tr.jump = gap;
  assert_int_equal(ionkmc_patternfit_relay.fit(&ctx, &tr, 1, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "axis"));
  tr = (ionkmc_jump_track){ok, 2, 0.5};
  ctx.kind = IONKMC_V_I;
  assert_int_equal(ionkmc_patternfit_relay.fit(&ctx, &tr, 1, &f, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "relay"));
  assert_ptr_equal(ionkmc_patternfit_lookup(IONKMC_PATTERN_RELAY), &ionkmc_patternfit_relay);
}

int main(void) {
  ionkmc_init();
  lat = ionkmc_lattice_alloc(L, NULL);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_coverage),
      cmocka_unit_test(test_loglik_independent),
      cmocka_unit_test(test_nested_oriented),
      cmocka_unit_test(test_boundaries_and_selection),
      cmocka_unit_test(test_foreign_moves_refused),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  ionkmc_lattice_free(lat);
  return rc;
}
