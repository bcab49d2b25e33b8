/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Calibration round trip: KMC trajectories written as LAMMPS dumps / extxyz
 * with noise and rattling, read back, hops detected, rates and Arrhenius
 * parameters recovered within their statistical intervals, the lone defect's
 * D against the KMC walk. */
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

#include "barriers/catalog.h"
#include "calibration/mdtrack.h"
#include "calibration/rates.h"
#include "calibration/trajwriter.h"
#include "tests/util.h"

static char dir[512];

static int setup(void **state) {
  return tu_tmpdir(dir, sizeof dir, "calib-rt");
}

static int teardown(void **state) { return tu_rmtree(dir); }

static ionkmc_traj_options topt(void) { return tu_traj_options_mapbi3(); }

/* Frames every 0.01 ps; a hop is committed after 2 frames in the new basin. */
static ionkmc_hop_params hparams(void) {
  ionkmc_hop_params p = ionkmc_hop_params_default();
  p.dwell = 0.02;
  p.window = 0;
  return p;
}

static void write_run(ionkmc_defect_kind kind, double T, double rate, int nframes, uint64_t stream,
                      ionkmc_trajwriter_params wp, const char *path, int64_t *hops) {
  ionkmc_synth_spec s;
  memset(&s, 0, sizeof s);
  s.kind = kind;
  s.L = 3;
  s.T = T;
  ionkmc_acell_model am = ionkmc_acell_default();
  s.a = ionkmc_acell_eval(&am, T);
  s.rate = rate;
  s.dt_ps = 0.01;
  s.nframes = nframes;
  s.seed = 4242;
  s.stream = stream;
  s.wp = wp;
  ionkmc_error err;
  ionkmc_status st = ionkmc_synth_write(&s, path, hops, &err);
  if (st) fail_msg("%s", err.text);
}

/* Five temperatures, two runs each: per-T rates inside their Garwood
 * intervals (at most one miss of five, P = 0.023 by chance), Ea within 2 sigma. */
static void recover(ionkmc_defect_kind kind, double Eb, double rate600) {
  const double Ts[5] = {500, 525, 550, 575, 600};
  double nu = rate600 * exp(Eb / (IONKMC_KB_EV * 600));
  double cnt[5], ex[5], dratio[10];
  int np = ionkmc_defect_npaths(kind), misses = 0;
  ionkmc_mech mech = ionkmc_mech_of_defect(kind);
  ionkmc_traj_options o = topt();
  ionkmc_hop_params hp = hparams();
  for (int q = 0; q < 5; q++) {
    double rate = nu * exp(-Eb / (IONKMC_KB_EV * Ts[q]));
    cnt[q] = ex[q] = 0;
    int64_t kmc = 0;
    for (int r = 0; r < 2; r++) {
      char path[640];
      snprintf(path, sizeof path, "%s/rt_%d_%d.dump", dir, q, r);
      ionkmc_trajwriter_params wp = ionkmc_trajwriter_params_default();
      wp.shuffle = r; /* atoms in any order */
      int64_t h;
      write_run(kind, Ts[q], rate, 4000, (uint64_t)(100 * kind + 10 * q + r), wp, path, &h);
      kmc += h;
      ionkmc_md_summary s;
      ionkmc_error err;
      ionkmc_status st = ionkmc_md_analyze_file(path, &o, &hp, NULL, NULL, &s, &err);
      if (st) fail_msg("%s", err.text);
      assert_int_equal(s.L, 3);
      assert_int_equal(s.defects_first[mech], 1);
      cnt[q] += (double)s.events[mech];
      /* The lone defect is followed through the net hop vectors: its D
       * against the walk the KMC made, np * rate * lambda^2 / 6. */
      ionkmc_acell_model am = ionkmc_acell_default();
      double a = ionkmc_acell_eval(&am, Ts[q]);
      double lam = ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? a / sqrt(2.0) : a;
      if (!isfinite(s.D_defect[mech])) fail_msg("%s: D_defect not tracked", ionkmc_defect_name(kind));
      dratio[2 * q + r] = s.D_defect[mech] / (np * rate * lam * lam / 6 * 1e-16);
      ex[q] += s.exposure[mech] * np;
      /* Every detected event is a real one; the few lost are hops undone
       * within the dwell time or two hops in one frame. */
      assert_true(s.events[IONKMC_MECH_UNCLASSIFIED] <= 2 + h / 20);
      unlink(path);
    }
    assert_true(cnt[q] <= (double)kmc);
    assert_true(cnt[q] >= 0.9 * (double)kmc - 3);
    double lo, hi;
    assert_int_equal(ionkmc_poisson_interval((int64_t)cnt[q], 0.95, &lo, &hi, NULL), IONKMC_OK);
    if (rate < lo / ex[q] || rate > hi / ex[q]) misses++;
  }
  assert_true(misses <= 1);
  /* Mean ratio over the 10 runs within 3 SE of 1 (SE from their spread). */
  double m = 0, v = 0;
  for (int i = 0; i < 10; i++) m += dratio[i] / 10;
  for (int i = 0; i < 10; i++) v += (dratio[i] - m) * (dratio[i] - m) / 9;
  double se = sqrt(v / 10);
  print_message("%s: MD D_defect / KMC walk = %.3f +- %.3f (10 runs)\n", ionkmc_defect_name(kind), m, se);
  if (!(fabs(m - 1) < 3 * se)) fail_msg("%s: D_defect ratio %.3f +- %.3f", ionkmc_defect_name(kind), m, se);
  ionkmc_arrhenius f;
  ionkmc_error err;
  assert_int_equal(ionkmc_arrhenius_fit(Ts, cnt, ex, 5, &f, &err), IONKMC_OK);
  if (fabs(f.Ea - Eb) > 2 * f.Ea_se)
    fail_msg("%s: Ea = %g +- %g eV, input %g", ionkmc_defect_name(kind), f.Ea, f.Ea_se, Eb);
  /* nu through the rate at the centre of the data, which is well determined. */
  double k550, klo, khi;
  ionkmc_arrhenius_predict(&f, 550, &k550, &klo, &khi);
  double true550 = nu * exp(-Eb / (IONKMC_KB_EV * 550));
  assert_true(true550 > klo * 0.97 && true550 < khi * 1.03);
}

static void test_recover_v_i(void **state) { recover(IONKMC_V_I, 0.15, 1.0e11); }
static void test_recover_i_i(void **state) { recover(IONKMC_I_I, 0.18, 5.0e10); }
static void test_recover_i_ma(void **state) { recover(IONKMC_I_MA_P, 0.20, 7.0e10); }

/* The lone defect's D over more runs than recover() uses: 24 V_I+ runs at
 * 600 K, MD D_defect against the KMC walk np * rate * (a/sqrt2)^2 / 6. */
static void test_defect_walk(void **state) {
  ionkmc_traj_options o = topt();
  ionkmc_hop_params hp = hparams();
  const int n = 24;
  const double rate = 1e11;
  ionkmc_acell_model am = ionkmc_acell_default();
  double a = ionkmc_acell_eval(&am, 600), want = 8 * rate * a * a / 2 / 6 * 1e-16, m = 0, v = 0, x[24];
  for (int r = 0; r < n; r++) {
    char path[640];
    snprintf(path, sizeof path, "%s/walk_%d.dump", dir, r);
    int64_t h;
    write_run(IONKMC_V_I, 600, rate, 3000, 5000 + r, ionkmc_trajwriter_params_default(), path, &h);
    ionkmc_md_summary s;
    ionkmc_error err;
    if (ionkmc_md_analyze_file(path, &o, &hp, NULL, NULL, &s, &err)) fail_msg("%s", err.text);
    unlink(path);
    x[r] = s.D_defect[IONKMC_MECH_KICK_OUT] / want;
    if (!isfinite(x[r])) fail_msg("run %d: the vacancy was not followed", r);
    m += x[r] / n;
  }
  for (int r = 0; r < n; r++) v += (x[r] - m) * (x[r] - m) / (n - 1);
  double se = sqrt(v / n);
  print_message("V_I+ at 600 K: MD D_defect / KMC walk = %.3f +- %.3f (%d runs)\n", m, se, n);
  assert_true(fabs(m - 1) < 3 * se);
}

/* Trackers that share tracker 0's unwrapping (ionkmc_md_analyze_file_n, as
 * the hysteresis sensitivity uses them) give exactly the summaries of
 * independent trackers with the same settings. */
static void test_shared_trackers(void **state) {
  ionkmc_traj_options o = topt();
  char path[640];
  snprintf(path, sizeof path, "%s/shared.dump", dir);
  int64_t h;
  write_run(IONKMC_V_I, 575, 1.5e11, 2500, 31, ionkmc_trajwriter_params_default(), path, &h);
  ionkmc_hop_params p[4] = {hparams(), hparams(), hparams(), hparams()};
  p[1].dwell = 0.2; /* ten frames */
  p[2].r_inner *= 0.8;
  p[3].window = 0.1;
  p[3].msd = 0;
  ionkmc_md_summary multi[4], one;
  ionkmc_error err;
  if (ionkmc_md_analyze_file_n(path, &o, p, 4, NULL, NULL, multi, &err)) fail_msg("%s", err.text);
  for (int k = 0; k < 4; k++) {
    if (ionkmc_md_analyze_file(path, &o, &p[k], NULL, NULL, &one, &err)) fail_msg("%s", err.text);
    for (int m = 0; m < IONKMC_NMECH; m++) {
      assert_int_equal(multi[k].events[m], one.events[m]);
      assert_true(multi[k].exposure[m] == one.exposure[m]);
      assert_true(multi[k].D_defect[m] == one.D_defect[m] || (isnan(multi[k].D_defect[m]) && isnan(one.D_defect[m])));
    }
    for (int sp = 0; sp < 2; sp++) {
      assert_int_equal(multi[k].hops[sp], one.hops[sp]);
      assert_int_equal(multi[k].back_hops[sp], one.back_hops[sp]);
      assert_int_equal(multi[k].rejected[sp], one.rejected[sp]);
      assert_true(multi[k].D[sp] == one.D[sp] || (isnan(multi[k].D[sp]) && isnan(one.D[sp])));
    }
    assert_true(multi[k].a_mean == one.a_mean);
  }
  /* the settings do change the counts, so the comparison means something */
  assert_true(multi[0].events[0] > 0);
  assert_true(multi[0].rejected[0] != multi[1].rejected[0] || multi[0].events[0] != multi[1].events[0]);
  unlink(path);
}

/* Rattling alone (a defect that never hops): no hop at all, many rejected
 * excursions. Twice the default rattling to make the point. */
static void test_no_false_hops(void **state) {
  ionkmc_traj_options o = topt();
  ionkmc_hop_params hp = hparams();
  ionkmc_defect_kind kinds[3] = {IONKMC_V_I, IONKMC_I_I, IONKMC_I_MA_P};
  for (int k = 0; k < 3; k++) {
    char path[640];
    snprintf(path, sizeof path, "%s/still_%d.dump", dir, k);
    ionkmc_trajwriter_params wp = ionkmc_trajwriter_params_default();
    wp.rattle_prob = 0.004;
    int64_t h;
    write_run(kinds[k], 600, 0.0, 3000, 900 + k, wp, path, &h);
    assert_int_equal(h, 0);
    ionkmc_md_summary s;
    ionkmc_error err;
    if (ionkmc_md_analyze_file(path, &o, &hp, NULL, NULL, &s, &err)) fail_msg("%s", err.text);
    for (int m = 0; m < IONKMC_NMECH; m++)
      if (s.events[m]) fail_msg("%s: %lld false %s events", ionkmc_defect_name(kinds[k]), (long long)s.events[m], ionkmc_mech_name(m));
    assert_int_equal(s.hops[0] + s.hops[1], 0);
    assert_true(s.rejected[0] + s.rejected[1] > 100);
    /* With no hops, D is the noise of a static crystal: ~0. */
    assert_true(fabs(s.D[0]) < 1e-5 && fabs(s.D[1]) < 1e-5);
    unlink(path);
  }
}

/* The same trajectory as LAMMPS (three column layouts) and extxyz gives the
 * same hops. */
static void test_formats_agree(void **state) {
  ionkmc_traj_options o = topt();
  ionkmc_hop_params hp = hparams();
  int64_t ev[4];
  for (int f = 0; f < 4; f++) {
    char path[640];
    snprintf(path, sizeof path, "%s/fmt_%d.%s", dir, f, f == 3 ? "xyz" : "dump");
    ionkmc_trajwriter_params wp = ionkmc_trajwriter_params_default();
    if (f < 3) wp.lammps_columns = f;
    else wp.format = IONKMC_TRAJ_EXTXYZ;
    int64_t h;
    write_run(IONKMC_V_I, 550, 1e11, 1500, 77, wp, path, &h);
    ionkmc_md_summary s;
    ionkmc_error err;
    if (ionkmc_md_analyze_file(path, &o, &hp, NULL, NULL, &s, &err)) fail_msg("%s", err.text);
    ev[f] = s.events[IONKMC_MECH_KICK_OUT];
    assert_true(ev[f] > 0);
    unlink(path);
  }
  assert_int_equal(ev[0], ev[1]);
  assert_int_equal(ev[0], ev[2]);
  assert_int_equal(ev[0], ev[3]);
}

/* With a long dwell (beyond the one-frame rattling but short against the
 * residence time) and a wide time window the counts barely change: the
 * hysteresis settings are not what makes the rate. */
static void test_hysteresis_stability(void **state) {
  ionkmc_traj_options o = topt();
  char path[640];
  snprintf(path, sizeof path, "%s/hyst.dump", dir);
  int64_t h;
  write_run(IONKMC_V_I, 550, 1e11, 4000, 55, ionkmc_trajwriter_params_default(), path, &h);
  ionkmc_hop_params a = hparams(), b = hparams();
  b.dwell = 0.05;
  b.r_inner = 1.2;
  ionkmc_md_summary sa, sb;
  ionkmc_error err;
  if (ionkmc_md_analyze_file(path, &o, &a, NULL, NULL, &sa, &err)) fail_msg("%s", err.text);
  if (ionkmc_md_analyze_file(path, &o, &b, NULL, NULL, &sb, &err)) fail_msg("%s", err.text);
  int64_t ea = sa.events[0], eb = sb.events[0];
  assert_true(ea > 20);
  assert_true(llabs(ea - eb) <= 2 + ea / 20);
  assert_true(ea <= h && ea >= h - 2 - h / 20);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_false_hops),     cmocka_unit_test(test_formats_agree),
      cmocka_unit_test(test_hysteresis_stability), cmocka_unit_test(test_recover_v_i),
      cmocka_unit_test(test_recover_i_i),       cmocka_unit_test(test_recover_i_ma),
      cmocka_unit_test(test_defect_walk),
      cmocka_unit_test(test_shared_trackers),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
