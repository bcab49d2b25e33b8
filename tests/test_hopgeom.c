/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Hop geometry and correlation statistics (calibration/hopgeom.h) on
 * constructed sequences with known answers, the MD hop records turned into
 * events and a track, f and the decomposition identity, and the engine's
 * jump log (kmc/jumpstats.h): it leaves the trajectory unchanged and its
 * statistics are those of a lone vacancy's walk. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/units.h"
#include "calibration/calibrate.h"
#include "calibration/hopgeom.h"
#include "kmc/engine.h"

static void test_track_statistics(void **state) {
  (void)state;
  /* four jumps on X: a return, a turn by 120 degrees, a straight repeat */
  ionkmc_defect_jump j[4] = {{1.0, {1, 1, 0}, 0}, {2.0, {-1, -1, 0}, 1}, {0.5, {1, 0, 1}, 2}, {0.5, {1, 0, 1}, 3}};
  ionkmc_jump_track tr = {j, 4, 1.0};
  ionkmc_geom_acc acc;
  memset(&acc, 0, sizeof acc);
  ionkmc_geom_add_track(&acc, &tr);
  ionkmc_geom_stats s;
  ionkmc_geom_finish(&acc, 8, &s);
  assert_true(s.jumps == 4 && s.pairs == 3 && s.tracks == 1);
  assert_true(fabs(s.cos.mean - (-1.0 - 0.5 + 1.0) / 3) < 1e-12);
  assert_true(s.cos_bin[0].k == 1 && s.cos_bin[1].k == 1 && s.cos_bin[4].k == 1 && s.cos_bin[2].k == 0);
  assert_true(s.ret.k == 1 && s.ret.n == 3);
  assert_true(fabs(s.ret_random_walk - 0.125) < 1e-15);
  /* Clopper-Pearson for 1 of 3: [0.00840, 0.90570] */
  assert_true(fabs(s.ret.lo - 0.008403759) < 1e-6 && fabs(s.ret.hi - 0.905700675) < 1e-6);
  assert_int_equal(s.ret_agree, 1);
  /* events: natoms and S */
  ionkmc_geom_add_event(&acc, 1, 4.0, 18.0);
  ionkmc_geom_add_event(&acc, 2, 8.0, 18.0);
  ionkmc_geom_finish(&acc, 8, &s);
  assert_true(fabs(s.natoms.mean - 1.5) < 1e-12 && fabs(s.S.mean - 6.0) < 1e-12);
  assert_true(fabs(s.dR2.mean - 18.0) < 1e-12 && s.dR2.sem == 0);
  assert_true(fabs(s.S.sem - 2.0) < 1e-12); /* sd 2.828, / sqrt 2 */
  ionkmc_geom_acc b = acc;
  ionkmc_geom_acc_merge(&acc, &b);
  assert_true(acc.events == 4 && acc.pairs == 6 && acc.cos_hist[4] == 2);
}

/* A vacancy's events: one single hop, one of two atoms (a chain), one of
 * another mechanism; the track follows the vacancy the other way. */
static void test_md_records(void **state) {
  (void)state;
  ionkmc_hop_record h[4];
  memset(h, 0, sizeof h);
  const double a = 6.4, hA = 3.2;
  /* event 0: atom 7 hops (1,1,0) h into the vacancy at site 5 from site 9 */
  h[0] = (ionkmc_hop_record){.time = 10, .species = 0, .id = {7, -1}, .from_site = 9, .to_site = 5,
                             .vec = {hA, hA, 0}, .dh = {1, 1, 0}, .mech = IONKMC_MECH_KICK_OUT, .event = 0,
                             .event_mech = IONKMC_MECH_KICK_OUT, .event_size = 1};
  /* event 1: atoms 3 then 4, each (0,1,1) */
  h[1] = (ionkmc_hop_record){.time = 20, .species = 0, .id = {3, -1}, .from_site = 11, .to_site = 9,
                             .vec = {0, hA, hA}, .dh = {0, 1, 1}, .mech = IONKMC_MECH_KICK_OUT, .event = 1,
                             .event_mech = IONKMC_MECH_KICK_OUT, .event_size = 2};
  h[2] = h[1];
  h[2].time = 19.95; /* listed after the later hop: the track takes time order */
  h[2].id[0] = 4;
  h[2].from_site = 12;
  h[2].to_site = 11;
  /* event 2: an interstitial event, not this mechanism */
  h[3] = h[0];
  h[3].time = 30;
  h[3].event = 2;
  h[3].mech = h[3].event_mech = IONKMC_MECH_DOUBLE_BRIDGE;
  ionkmc_geom_acc acc;
  memset(&acc, 0, sizeof acc);
  ionkmc_defect_jump j[4];
  ionkmc_jump_track tr;
  assert_int_equal(ionkmc_geom_md_run(h, 4, IONKMC_V_I, 0, 50, a, &acc, j, 4, &tr, NULL), IONKMC_OK);
  /* the chain is not one move of the vacancy: its two hops are two jumps */
  assert_int_equal(tr.n, 3);
  assert_true(fabs(j[0].dwell - 10) < 1e-12 && fabs(j[1].dwell - 9.95) < 1e-9 && fabs(j[2].dwell - 0.05) < 1e-9);
  assert_true(fabs(tr.tail - 30) < 1e-9);
  assert_true(j[0].dh[0] == -1 && j[0].dh[1] == -1 && j[0].dh[2] == 0);
  assert_true(j[1].dh[0] == 0 && j[1].dh[1] == -1 && j[1].dh[2] == -1);
  assert_true(j[2].dh[0] == 0 && j[2].dh[1] == -1 && j[2].dh[2] == -1);
  assert_int_equal(j[0].from_site, 5);
  assert_int_equal(j[1].from_site, 11);
  assert_int_equal(j[2].from_site, 9);
  ionkmc_geom_stats s;
  ionkmc_geom_finish(&acc, 8, &s);
  assert_true(s.events == 2);
  assert_true(fabs(s.natoms.mean - 1.5) < 1e-12);
  assert_true(fabs(s.S.mean - 0.5 * (2 * hA * hA + 4 * hA * hA)) < 1e-9);
  /* the chain moved the vacancy by two steps: |dR|^2 = 8 h^2 */
  assert_true(fabs(s.dR2.mean - 0.5 * (2 + 8) * hA * hA) < 1e-9);
  /* too little room for the jumps */
  ionkmc_error err = {0};
  memset(&acc, 0, sizeof acc);
  assert_int_equal(ionkmc_geom_md_run(h, 4, IONKMC_V_I, 0, 50, a, &acc, j, 2, &tr, &err), IONKMC_ERANGE);
  /* the interstitial takes event 2 only, in the hop's own direction */
  memset(&acc, 0, sizeof acc);
  assert_int_equal(ionkmc_geom_md_run(h, 4, IONKMC_I_I, 0, 50, a, &acc, j, 4, &tr, NULL), IONKMC_OK);
  assert_int_equal(tr.n, 1);
  assert_true(j[0].dh[0] == 1 && j[0].dh[1] == 1 && j[0].from_site == 9);
}

static void test_correlation_and_identity(void **state) {
  (void)state;
  /* D = f Gamma <S> / 6 with f = 0.69 */
  double gamma = 2e11, S = 20.0, f = 0.69, D = f * gamma * S * 1e-16 / 6;
  ionkmc_estimate De = {D, 0.05 * D, NAN, NAN, 5}, Se = {S, 0.01 * S, NAN, NAN, 1000};
  ionkmc_geom_corr md, km;
  ionkmc_geom_correlation(De, 400, 400 / gamma, Se, &md);
  assert_true(fabs(md.f - f) < 1e-12);
  double sd = sqrt(0.05 * 0.05 + 1.0 / 400 + 0.01 * 0.01);
  assert_true(fabs(md.f_sd_ln - sd) < 1e-12);
  assert_true(md.f_lo < f && f < md.f_hi);
  /* with an interval, D's log SE is its log half-width / 1.96 (a t interval keeps its width) */
  ionkmc_estimate Dt = {D, 0.01 * D, D * exp(-0.3 * 1.959963984540054), D * exp(0.3 * 1.959963984540054), 2};
  ionkmc_geom_corr mt;
  ionkmc_geom_correlation(Dt, 400, 400 / gamma, Se, &mt);
  assert_true(fabs(mt.D_sd_ln - 0.3) < 1e-12);
  /* the KMC side: another rate, the same displacement, f = 1 */
  ionkmc_estimate Dk = {1.0 * 3e11 * S * 1e-16 / 6, 0.01 * D, NAN, NAN, 20}, Sk = {S, 0, NAN, NAN, 5000};
  ionkmc_geom_correlation(Dk, 1e6, 1e6 / 3e11, Sk, &km);
  assert_true(fabs(km.f - 1.0) < 1e-12);
  ionkmc_geom_decomp dc;
  ionkmc_geom_decompose(&md, &km, &dc);
  assert_true(fabs(dc.identity) < 1e-14);
  assert_true(fabs(dc.rate.ratio - 2.0 / 3) < 1e-12 && fabs(dc.disp.ratio - 1) < 1e-12);
  assert_true(fabs(dc.corr.ratio - 0.69) < 1e-12);
  assert_int_equal(dc.disp.agree, 1);
  assert_int_equal(dc.rate.agree, 0);
  assert_int_equal(dc.corr.agree, 0);
  assert_string_equal(dc.off, "rate+correlation");
  ionkmc_geom_decompose(&md, &md, &dc);
  assert_string_equal(dc.off, "none");
  /* the same geometry on both sides up to the rounding of the sums (a
   * relative 1e-9, with an SE smaller still) agrees; 1e-4 with that SE
   * does not */
  ionkmc_geom_corr s1 = md, s2 = md;
  s1.S_sd_ln = 0;
  s2.S = md.S * (1 + 1e-9);
  s2.S_sd_ln = 1e-10;
  ionkmc_geom_decompose(&s1, &s2, &dc);
  assert_int_equal(dc.disp.agree, 1);
  s2.S = md.S * (1 + 1e-4);
  ionkmc_geom_decompose(&s1, &s2, &dc);
  assert_int_equal(dc.disp.agree, 0);
  /* D off by 1.25 with a tight D interval while every factor's interval is
   * wide: the factor farthest from 1 is named */
  ionkmc_geom_corr a = md, b = md;
  b.D = md.D / 1.25;
  b.f = md.f / 1.25;
  a.D_sd_ln = b.D_sd_ln = 0.02;
  a.f_sd_ln = b.f_sd_ln = 0.3;
  ionkmc_geom_decompose(&a, &b, &dc);
  assert_int_equal(dc.D.agree, 0);
  assert_int_equal(dc.corr.agree, 1);
  assert_string_equal(dc.off, "correlation (largest)");
  assert_true(fabs(dc.identity) < 1e-15);
}

/* The log is off by default, and on it changes nothing of the trajectory;
 * a lone vacancy's log gives the exact walk: one atom of |jump|^2 = 2 h^2
 * per hop, displacements summing to the defect's, returns 1/8 within the
 * binomial interval. */
static void test_engine_jumplog(void **state) {
  (void)state;
  ionkmc_box_spec s;
  memset(&s, 0, sizeof s);
  s.L = 4;
  s.cond.T = 400;
  s.cond.a = 6.3;
  s.count[IONKMC_V_I] = 1;
  s.rate[IONKMC_V_I] = 1e9;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_engine *e0 = ionkmc_engine_alloc(&s, lat, NULL, NULL), *e1 = ionkmc_engine_alloc(&s, lat, NULL, NULL);
  size_t n;
  assert_null(ionkmc_engine_jumplog(e0, &n, NULL));
  assert_int_equal(n, 0);
  const size_t N = 20000;
  assert_int_equal(ionkmc_engine_jumplog_alloc(e1, N, NULL), IONKMC_OK);
  ionkmc_rng r0, r1;
  ionkmc_rng_init(&r0, 11, 0);
  ionkmc_rng_init(&r1, 11, 0);
  assert_int_equal(ionkmc_engine_reset(e0, &r0, NULL), IONKMC_OK);
  assert_int_equal(ionkmc_engine_reset(e1, &r1, NULL), IONKMC_OK);
  int32_t p0[3];
  ionkmc_engine_defect(e1, 0, NULL, NULL, NULL, p0);
  ionkmc_engine_run(e0, &r0, (int64_t)N + 500, 0, 1000);
  ionkmc_engine_run(e1, &r1, (int64_t)N + 500, 0, 1000);
  const ionkmc_run_obs *o0 = ionkmc_engine_obs(e0), *o1 = ionkmc_engine_obs(e1);
  assert_true(o0->t == o1->t && o0->sum_dr2[0] == o1->sum_dr2[0] && o0->hops == o1->hops);
  int64_t dropped;
  const ionkmc_jump_entry *log = ionkmc_engine_jumplog(e1, &n, &dropped);
  assert_int_equal(n, N);
  assert_int_equal(dropped, 500);
  int32_t sum[3] = {0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(log[i].natoms, 1);
    assert_int_equal(log[i].jump2, 2);
    for (int c = 0; c < 3; c++) sum[c] += log[i].dh[c];
    if (i) assert_true(log[i].t >= log[i - 1].t);
  }
  /* the first N jumps of the walk: rerun with exactly N */
  ionkmc_rng_init(&r1, 11, 0);
  ionkmc_engine_reset(e1, &r1, NULL);
  ionkmc_engine_run(e1, &r1, (int64_t)N, 0, 1000);
  int32_t p1[3];
  ionkmc_engine_defect(e1, 0, NULL, NULL, NULL, p1);
  log = ionkmc_engine_jumplog(e1, &n, &dropped);
  assert_int_equal(dropped, 0);
  for (int c = 0; c < 3; c++) assert_int_equal(sum[c], p1[c] - p0[c]);
  ionkmc_geom_acc acc;
  memset(&acc, 0, sizeof acc);
  static ionkmc_defect_jump j[20000];
  ionkmc_jump_track tr;
  const ionkmc_run_obs *o = ionkmc_engine_obs(e1);
  assert_int_equal(ionkmc_geom_kmc_run(log, n, 0, o->t, 6.3, &acc, j, N, &tr, NULL), IONKMC_OK);
  ionkmc_geom_stats st;
  ionkmc_geom_finish(&acc, 8, &st);
  assert_true(st.events == (double)N && st.jumps == (double)N);
  assert_true(fabs(st.S.mean - 2 * 3.15 * 3.15) < 1e-9);
  printf("# lone vacancy: returns %.4f [%.4f, %.4f] (1/8), <cos> %.4f +- %.4f (0)\n", st.ret.frac, st.ret.lo,
         st.ret.hi, st.cos.mean, st.cos.sem);
  assert_int_equal(st.ret_agree, 1);
  assert_true(fabs(st.cos.mean) < 3 * st.cos.sem);
  /* f from the same definition the MD uses equals the engine's own f */
  ionkmc_estimate D = {(double)o->sum_dr2[0] * 3.15 * 3.15 * 1e-16 / (6 * o->t), 0, NAN, NAN, 1};
  ionkmc_geom_corr c;
  ionkmc_geom_correlation(D, (double)o->hops, o->t, st.S, &c);
  assert_true(fabs(c.f - (double)o->sum_dr2[0] / (double)o->sum_jump2[0]) < 1e-12);
  /* the dwells are the event times */
  double tsum = tr.tail;
  for (size_t i = 0; i < tr.n; i++) tsum += tr.jump[i].dwell;
  assert_true(fabs(tsum - o->t * 1e12) < 1e-6 * o->t * 1e12);
  ionkmc_engine_free(e0);
  ionkmc_engine_free(e1);
  ionkmc_lattice_free(lat);
}

/* Pattern selection with the registered fitters: an MA interstitial whose
 * MD tracks move 2a per jump is collinear (single cannot take them) and,
 * with a base entry on single, the entry takes the pattern. */
static void test_pattern_select(void **state) {
  (void)state;
  static ionkmc_calib_run runs[2];
  static ionkmc_calib_temp temps[2];
  static ionkmc_defect_jump j[2][300];
  memset(runs, 0, sizeof runs);
  memset(temps, 0, sizeof temps);
  uint64_t x = 88172645463325252ull;
  for (int r = 0; r < 2; r++) {
    for (int i = 0; i < 300; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      int ax = (int)(x % 3), sg = (x >> 8) & 1 ? 1 : -1;
      memset(j[r][i].dh, 0, sizeof j[r][i].dh);
      j[r][i].dh[ax] = 4 * sg;
      j[r][i].dwell = 1.0 + (double)((x >> 16) % 1000) / 1000.0;
    }
    runs[r].lone = 1;
    runs[r].track = (ionkmc_jump_track){j[r], 300, 0.5};
    temps[r].T = 400 + 100 * r;
    temps[r].nruns = 1;
    temps[r].run[0] = r;
    temps[r].L = 4;
  }
  ionkmc_calib_data d;
  memset(&d, 0, sizeof d);
  d.kind = IONKMC_I_MA_P;
  d.nruns = d.ntemps = 2;
  d.runs = runs;
  d.temps = temps;
  ionkmc_calib_pattern p;
  ionkmc_error err = {0};
  assert_int_equal(ionkmc_calib_pattern_select(&d, IONKMC_CALIB_PATTERN_AUTO, 0.3, IONKMC_PATTERN_SINGLE, &p, &err),
                   IONKMC_OK);
  assert_int_equal(p.nt, 2);
  assert_true(p.chosen_set && p.chosen == IONKMC_PATTERN_COLLINEAR);
  assert_true(p.fitted_all[IONKMC_PATTERN_COLLINEAR] && !p.fitted_all[IONKMC_PATTERN_SINGLE]);
  assert_int_equal(p.write, 1);
  json_t *ev = ionkmc_calib_pattern_evidence_json(&d, &p);
  assert_string_equal(json_string_value(json_object_get(ev, "chosen")), "collinear");
  json_decref(ev);
  ionkmc_calib_pattern_free(&p);
  /* the same base pattern: nothing to write */
  assert_int_equal(ionkmc_calib_pattern_select(&d, IONKMC_CALIB_PATTERN_AUTO, 0.3, IONKMC_PATTERN_COLLINEAR, &p, &err),
                   IONKMC_OK);
  assert_int_equal(p.write, 0);
  ionkmc_calib_pattern_free(&p);
  /* forcing single fails on these tracks; V_I+ cannot take collinear */
  assert_int_equal(ionkmc_calib_pattern_select(&d, IONKMC_PATTERN_SINGLE, 0.3, IONKMC_PATTERN_SINGLE, &p, &err),
                   IONKMC_EINVAL);
  ionkmc_calib_pattern_free(&p);
  d.kind = IONKMC_V_I;
  assert_int_equal(ionkmc_calib_pattern_select(&d, IONKMC_PATTERN_COLLINEAR, 0.3, IONKMC_PATTERN_SINGLE, &p, &err),
                   IONKMC_EINVAL);
  ionkmc_calib_pattern_free(&p);
  /* rate-only fits nothing */
  assert_int_equal(ionkmc_calib_pattern_select(&d, IONKMC_CALIB_PATTERN_RATE_ONLY, 0.3, IONKMC_PATTERN_SINGLE, &p, &err),
                   IONKMC_OK);
  assert_true(!p.chosen_set && p.nt == 0 && !p.write);
  ionkmc_calib_pattern_free(&p);
}

/* Arrhenius pairs of a pattern's own rates, as a correlated fitter would
 * give them: exact through two temperatures, Eb of the entry with one. */
static void test_pattern_rates(void **state) {
  (void)state;
  ionkmc_calib_pattern p;
  memset(&p, 0, sizeof p);
  ionkmc_pattern_fit fit[3][IONKMC_NPATTERN];
  memset(fit, 0, sizeof fit);
  p.fit = fit;
  p.chosen = IONKMC_PATTERN_RETURNS;
  p.chosen_set = 1;
  const double nu[2] = {3e12, 5e11}, Eb[2] = {0.25, 0.1}, T[3] = {300, 400, 600};
  for (int q = 0; q < 3; q++) {
    p.T[q] = T[q];
    for (int r = 0; r < 2; r++) {
      double k = nu[r] * exp(-Eb[r] / (IONKMC_KB_EV * T[q])) * 1e-12; /* 1/ps */
      fit[q][IONKMC_PATTERN_RETURNS].prate[r] = k;
      fit[q][IONKMC_PATTERN_RETURNS].prate_lo[r] = k / (1.2 + 0.1 * q);
      fit[q][IONKMC_PATTERN_RETURNS].prate_hi[r] = k * (1.2 + 0.1 * q);
    }
  }
  p.nt = 3;
  ionkmc_calib_pattern_rates(&p, 0.4);
  assert_string_equal(p.rates_method, "arrhenius_weighted_ln_k");
  for (int r = 0; r < 2; r++) {
    assert_true(fabs(p.Eb[r] - Eb[r]) < 1e-9);
    assert_true(fabs(p.nu[r] / nu[r] - 1) < 1e-8);
  }
  p.nt = 1;
  ionkmc_calib_pattern_rates(&p, 0.4);
  assert_string_equal(p.rates_method, "entry_Eb_one_temperature");
  double k0 = nu[0] * exp(-Eb[0] / (IONKMC_KB_EV * T[0]));
  assert_true(fabs(p.Eb[0] - 0.4) < 1e-15);
  assert_true(fabs(p.nu[0] - k0 * exp(0.4 / (IONKMC_KB_EV * T[0]))) < 1e-6 * p.nu[0]);
  json_t *pr = ionkmc_calib_pattern_rates_json(&p);
  assert_non_null(json_object_get(pr, "back"));
  assert_non_null(json_object_get(pr, "relax"));
  json_decref(pr);
  /* a rate falling with T: the fit stops at the bound Eb = 0, where the
   * weighted least squares' nu is the weighted geometric mean of the k */
  const double kf[2] = {5e9, 4e9}, w[2] = {1 / 0.04, 1 / 0.09};
  for (int q = 0; q < 2; q++) {
    double k = kf[q] * 1e-12, s = q ? 0.3 : 0.2; /* ln-k SDs, 1/var = w */
    fit[q][IONKMC_PATTERN_RETURNS].prate[0] = k;
    fit[q][IONKMC_PATTERN_RETURNS].prate_lo[0] = k * exp(-1.959963984540054 * s);
    fit[q][IONKMC_PATTERN_RETURNS].prate_hi[0] = k * exp(1.959963984540054 * s);
  }
  p.nt = 2;
  ionkmc_calib_pattern_rates(&p, 0.4);
  assert_string_equal(p.rates_method, "arrhenius_weighted_ln_k_Eb0");
  assert_true(p.Eb[0] == 0);
  double lnm = (w[0] * log(kf[0]) + w[1] * log(kf[1])) / (w[0] + w[1]);
  assert_true(fabs(p.nu[0] / exp(lnm) - 1) < 1e-9);
  assert_true(!p.rate_bounded[0]);
  /* a fit at k = 0 with [0, hi] at 300 K and positive ones at 400, 600 K:
   * the law through their weighted mean point meets hi at 300 K exactly
   * when the unconstrained one would exceed it; a generous hi leaves it */
  for (int q = 1; q < 3; q++) {
    double k = 2e10 * 1e-12;
    fit[q][IONKMC_PATTERN_RETURNS].prate[0] = k;
    fit[q][IONKMC_PATTERN_RETURNS].prate_lo[0] = k / 1.5;
    fit[q][IONKMC_PATTERN_RETURNS].prate_hi[0] = k * 1.5;
  }
  for (int c = 0; c < 2; c++) {
    double hi = c ? 1e11 : 3e9;
    fit[0][IONKMC_PATTERN_RETURNS].prate[0] = 0;
    fit[0][IONKMC_PATTERN_RETURNS].prate_lo[0] = 0;
    fit[0][IONKMC_PATTERN_RETURNS].prate_hi[0] = hi * 1e-12;
    p.nt = 3;
    ionkmc_calib_pattern_rates(&p, 0.4);
    double k300 = p.nu[0] * exp(-p.Eb[0] / (IONKMC_KB_EV * T[0]));
    double xm = 0.5 / (IONKMC_KB_EV * T[1]) + 0.5 / (IONKMC_KB_EV * T[2]);
    double k500 = p.nu[0] * exp(-p.Eb[0] * xm);
    if (c == 0) { /* flat through 2e10 would break 3e9 at 300 K */
      assert_true(p.rate_bounded[0] && fabs(k300 / hi - 1) < 1e-9 && p.Eb[0] > 0);
      assert_true(fabs(k500 / 2e10 - 1) < 1e-9); /* through the mean point of 400 and 600 K (equal weights) */
    } else {
      assert_true(!p.rate_bounded[0] && p.Eb[0] == 0 && fabs(p.nu[0] / 2e10 - 1) < 1e-9);
    }
  }
}

/* The entry's rate from a correlated pattern's own per-path Gamma: an
 * Arrhenius Gamma with intervals at three temperatures gives the entry that
 * law (Eb, nu exact, the covariance of the weighted fit), with the NEB
 * barrier held the weighted mean of ln Gamma + Eb/kT; a strain-fitted entry
 * keeps the plain fit times nu_scale; a plain pattern is left alone. */
static void test_pattern_entry_rate(void **state) {
  (void)state;
  ionkmc_pattern_fit fit[3][IONKMC_NPATTERN];
  memset(fit, 0, sizeof fit);
  const double nu = 7e10, Eb = 0.05, T[3] = {450, 500, 650}, s[3] = {0.1, 0.2, 0.15};
  double sw = 0, sx = 0, sxx = 0;
  for (int q = 0; q < 3; q++) {
    ionkmc_pattern_fit *f = &fit[q][IONKMC_PATTERN_RELAY];
    double x = 1 / (IONKMC_KB_EV * T[q]), w = 1 / (s[q] * s[q]);
    f->npar = 4;
    f->rate = nu * exp(-Eb * x) * 1e-12;
    f->rate_lo = f->rate * exp(-1.959963984540054 * s[q]);
    f->rate_hi = f->rate * exp(1.959963984540054 * s[q]);
    f->prate[0] = f->prate[1] = 1e-3;
    f->prate_lo[0] = f->prate_lo[1] = 5e-4;
    f->prate_hi[0] = f->prate_hi[1] = 2e-3;
    sw += w, sx += w * x, sxx += w * x * x;
  }
  const char *used[4] = {"arrhenius_fit", "arrhenius_boundary_fit", "neb_fixed_fit", "arrhenius_a_fit"};
  for (int c = 0; c < 5; c++) {
    ionkmc_calib_pattern p;
    memset(&p, 0, sizeof p);
    p.fit = fit;
    p.nt = 3;
    memcpy(p.T, T, sizeof T);
    p.chosen = c == 4 ? IONKMC_PATTERN_SINGLE : IONKMC_PATTERN_RELAY;
    p.chosen_set = p.write = 1;
    p.nu_scale = c == 4 ? 1 : 2.5;
    ionkmc_calib_pattern_rates(&p, 0.3);
    ionkmc_calib_result res;
    memset(&res, 0, sizeof res);
    res.fit_used = used[c % 4];
    res.Eb = c == 2 ? 0.08 : 0.3;
    res.nu = 1e11;
    res.cf.theta[IONKMC_PARAM_LN_NU] = log(res.nu);
    ionkmc_calib_pattern_apply(&p, &res);
    if (c < 2) {
      double det = sw * sxx - sx * sx;
      assert_true(p.gamma_used && fabs(res.Eb - Eb) < 1e-9 && fabs(res.nu / nu - 1) < 1e-8);
      assert_true(p.plain_Eb == 0.3 && p.plain_nu == 1e11);
      assert_true(res.cf.nparams == 2 && res.cf.param[0] == IONKMC_PARAM_EB);
      assert_true(fabs(res.cf.cov[0][0] / (sw / det) - 1) < 1e-9 && fabs(res.cf.cov[1][1] / (sxx / det) - 1) < 1e-9);
      assert_true(fabs(res.cf.theta[IONKMC_PARAM_LN_NU] - log(nu)) < 1e-9);
      assert_non_null(strstr(res.provenance, "own per-path rate Gamma"));
    } else if (c == 2) {
      /* Eb held at 0.08: ln nu = sum w (ln Gamma + 0.08 x) / sum w */
      double m = 0;
      for (int q = 0; q < 3; q++) {
        double x = 1 / (IONKMC_KB_EV * T[q]);
        m += (log(fit[q][IONKMC_PATTERN_RELAY].rate * 1e12) + 0.08 * x) / (s[q] * s[q]);
      }
      assert_true(p.gamma_used && res.Eb == 0.08 && fabs(log(res.nu) - m / sw) < 1e-9);
      assert_true(res.cf.nparams == 1 && res.cf.param[0] == IONKMC_PARAM_LN_NU && fabs(res.cf.cov[0][0] * sw - 1) < 1e-9);
    } else {
      /* strain fit (nu x nu_scale) and a plain pattern (nu_scale 1): Gamma unused */
      assert_true(!p.gamma_used && res.Eb == 0.3 && fabs(res.nu - 1e11 * p.nu_scale) < 1e-3);
    }
    json_t *ev = ionkmc_calib_pattern_evidence_json(&(ionkmc_calib_data){0}, &p);
    assert_non_null(ev);
    assert_int_equal(json_object_get(ev, "entry_rate") != NULL, p.gamma_used);
    json_decref(ev);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_track_statistics),
      cmocka_unit_test(test_md_records),
      cmocka_unit_test(test_correlation_and_identity),
      cmocka_unit_test(test_engine_jumplog),
      cmocka_unit_test(test_pattern_select),
      cmocka_unit_test(test_pattern_rates),
      cmocka_unit_test(test_pattern_entry_rate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
