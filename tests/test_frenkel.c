/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Thermal Frenkel pairs: the catalog entry, the exact equilibrium, the law
 * of mass action reached from an empty and from an over-full box, the
 * dilute closed form, detailed balance class by class, and the errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_gamma.h>

#include "kmc/frenkel.h"
#include "kmc/runner.h"

#define T_K 600.0
#define A_LAT 6.377

/* A catalog with V_I+ and I_I- entries and `frenkel_json` as its frenkel
 * member ("" for none). */
static ionkmc_catalog *catalog(const char *frenkel_json, ionkmc_error *err, ionkmc_status *st) {
  char text[2048];
  snprintf(text, sizeof text,
           "{\"schema\": \"ionkmc-catalog/1\", \"name\": \"t\", \"entries\": ["
           "{\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"Eb\": 0.15, \"nu\": 5e10,"
           " \"source\": \"user\", \"provenance\": \"t\"},"
           "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"Eb\": 0.18, \"nu\": 1e11,"
           " \"source\": \"user\", \"provenance\": \"t\"}]%s%s}",
           frenkel_json[0] ? ", \"frenkel\": " : "", frenkel_json);
  return ionkmc_catalog_alloc_string(text, "t.json", err, st);
}

/* E_f that gives pair weight w at T_K. */
static double ef_of(double w) { return -IONKMC_KB_EV * T_K * log(w); }

static ionkmc_run_config frenkel_config(int L, int nv, int ni, double w, const ionkmc_catalog **keep) {
  ionkmc_error err;
  ionkmc_status st;
  char fj[256];
  snprintf(fj, sizeof fj, "{\"E_f\": %.17g, \"source\": \"user\", \"provenance\": \"t\"}", ef_of(w));
  ionkmc_catalog *cat = catalog(fj, &err, &st);
  assert_non_null(cat);
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = L;
  c.spec.cond.T = T_K;
  c.spec.cond.a = A_LAT;
  c.spec.count[IONKMC_V_I] = nv;
  c.spec.count[IONKMC_I_I] = ni;
  assert_int_equal(ionkmc_box_spec_rates(&c.spec, cat, &err), IONKMC_OK);
  assert_int_equal(ionkmc_box_spec_frenkel(&c.spec, cat, &err), IONKMC_OK);
  assert_true(fabs(c.spec.frenkel_w / w - 1) < 1e-12);
  c.seed = 20261201;
  c.stream_unit = ionkmc_run_stream_unit(&c.spec);
  *keep = cat;
  return c;
}

/* Exact moments from the configuration count written out with binomials:
 * Omega(n) / M! = C(N, n) C(N - n, n + delta) 2^-(n + delta), P(n) ~ Omega(n) w^n,
 * summed over every admissible n. */
static void exact_direct(int N, int delta, double w, double *nv, double *nvni, double *n0n0) {
  double s0 = 0, s1 = 0, s2 = 0, sz = 0;
  for (int n = delta < 0 ? -delta : 0; N - 2 * n - delta >= 0; n++) {
    int ni = n + delta, n0 = N - n - ni;
    double lp = gsl_sf_lnchoose((unsigned)N, (unsigned)n) + gsl_sf_lnchoose((unsigned)(N - n), (unsigned)ni) -
                ni * log(2.0) + n * log(w);
    double p = exp(lp);
    s0 += p;
    s1 += p * n;
    s2 += p * (double)n * ni;
    sz += p * (double)n0 * (n0 - 1);
  }
  *nv = s1 / s0;
  *nvni = s2 / s0;
  *n0n0 = sz / s0;
}

static void test_equilibrium_function(void **state) {
  (void)state;
  ionkmc_error err;
  const int N[] = {24, 24, 81, 648};
  const int D[] = {0, -2, 3, 0};
  const double W[] = {0.0209, 0.5, 1e-3, 2e-5};
  for (int i = 0; i < 4; i++) {
    ionkmc_frenkel_eq eq;
    assert_int_equal(ionkmc_frenkel_equilibrium(N[i], D[i], W[i], &eq, &err), IONKMC_OK);
    double nv, nvni, n0n0;
    exact_direct(N[i], D[i], W[i], &nv, &nvni, &n0n0);
    assert_true(fabs(eq.nv / nv - 1) < 1e-10);
    assert_true(fabs(eq.ni - eq.nv - D[i]) < 1e-9);
    assert_true(fabs(eq.nvni / nvni - 1) < 1e-10);
    assert_true(fabs(eq.n0n0 / n0n0 - 1) < 1e-10);
    /* the exact law of mass action */
    assert_true(fabs(eq.nvni / (0.5 * W[i] * eq.n0n0) - 1) < 1e-10);
  }
  /* dilute limit: lambda I1(2 lambda)/I0(2 lambda) and lambda^2 as N grows */
  double lam = 2.0;
  for (int N2 = 3000; N2 <= 3000000; N2 *= 10) {
    double w = 2 * lam * lam / ((double)N2 * N2);
    ionkmc_frenkel_eq eq;
    assert_int_equal(ionkmc_frenkel_equilibrium(N2, 0, w, &eq, &err), IONKMC_OK);
    double nv = lam * gsl_sf_bessel_I1(2 * lam) / gsl_sf_bessel_I0(2 * lam);
    /* the finite-N corrections go as <n>/N */
    assert_true(fabs(eq.nv / nv - 1) < 6.0 / N2);
    assert_true(fabs(eq.nvni / (lam * lam) - 1) < 12.0 / N2);
  }
  ionkmc_frenkel_eq eq;
  assert_int_equal(ionkmc_frenkel_equilibrium(24, 0, 0, &eq, &err), IONKMC_ERANGE);
  assert_int_equal(ionkmc_frenkel_equilibrium(24, 30, 0.1, &eq, &err), IONKMC_ERANGE);
}

/* Run the batch and compare the second-half population with the exact
 * equilibrium: n_V, <n_V n_I> and the mass-action ratio within 4 SE. */
static void check_equilibrium(int L, int nv0, int ni0, double w, int runs, int64_t hops) {
  const ionkmc_catalog *cat;
  ionkmc_run_config c = frenkel_config(L, nv0, ni0, w, &cat);
  c.runs = runs;
  c.hops = hops;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, NULL);
  ionkmc_run_summary s;
  ionkmc_error err;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_OK);
  double nv, nvni, n0n0;
  int N = 3 * L * L * L;
  exact_direct(N, ni0 - nv0, w, &nv, &nvni, &n0n0);
  printf("L=%d start %d+%d w=%g: n_V %.4f +- %.4f (exact %.4f), n_V n_I %.4f +- %.4f (exact %.4f), "
         "ratio %.4f +- %.4f, created %lld, null %lld\n",
         L, nv0, ni0, w, s.pop_nv.mean, s.pop_nv.sem, nv, s.pop_nvni.mean, s.pop_nvni.sem, nvni,
         s.mass_action.mean, s.mass_action.sem, (long long)s.frenkel_created, (long long)s.frenkel_null);
  assert_true(s.frenkel);
  assert_true(s.pop_nv.sem > 0 && s.pop_nvni.sem > 0);
  assert_true(fabs(s.pop_nv.mean - nv) < 4 * s.pop_nv.sem);
  assert_true(fabs(s.pop_ni.mean - (nv + ni0 - nv0)) < 4 * s.pop_ni.sem);
  assert_true(fabs(s.pop_nvni.mean - nvni) < 4 * s.pop_nvni.sem);
  assert_true(fabs(s.mass_action.mean - 1) < 4 * s.mass_action.sem);
  assert_true(fabs(s.eq_nv - nv) < 1e-9 * nv);
  /* steady state: as many pairs made as undone in the second halves */
  assert_true(fabs(s.pair_balance.mean) < 4 * s.pair_balance.sem + 1e-12);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free((ionkmc_catalog *)cat);
}

/* 24 X sites, <n_V> = 1.81: from the perfect crystal, from 10 + 10 defects,
 * and with n_I - n_V = -2 (3 vacancies and 1 interstitial to start). */
static void test_small_box_from_empty(void **state) {
  (void)state;
  check_equilibrium(2, 0, 0, 0.0209, 16, 200000);
}
static void test_small_box_overfull(void **state) {
  (void)state;
  check_equilibrium(2, 10, 10, 0.0209, 16, 200000);
}
static void test_small_box_unbalanced(void **state) {
  (void)state;
  check_equilibrium(2, 3, 1, 0.0209, 16, 200000);
}

/* Dilute: 3000 X sites, lambda = N sqrt(w/2) = 2, against the closed form
 * <n_V> = lambda I1(2 lambda)/I0(2 lambda) and <n_V n_I> = lambda^2, whose
 * own dilute-limit error (here about 4 <n>/N = 0.2%) is checked to be far
 * below the SE; from empty and from 8 + 8. */
static void check_dilute(int n0) {
  const int L = 10, N = 3 * L * L * L;
  double lam = 2.0, w = 2 * lam * lam / ((double)N * N);
  const ionkmc_catalog *cat;
  ionkmc_run_config c = frenkel_config(L, n0, n0, w, &cat);
  c.runs = 24;
  c.hops = 400000;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, NULL);
  ionkmc_run_summary s;
  ionkmc_error err;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_OK);
  double nv = lam * gsl_sf_bessel_I1(2 * lam) / gsl_sf_bessel_I0(2 * lam), nvni = lam * lam;
  printf("dilute from %d+%d: n_V %.4f +- %.4f (closed form %.4f, exact %.4f), n_V n_I %.4f +- %.4f "
         "(closed form %.4f, exact %.4f)\n",
         n0, n0, s.pop_nv.mean, s.pop_nv.sem, nv, s.eq_nv, s.pop_nvni.mean, s.pop_nvni.sem, nvni,
         s.eq_nvni);
  assert_true(fabs(s.eq_nv - nv) < 0.25 * s.pop_nv.sem);
  assert_true(fabs(s.eq_nvni - nvni) < 0.25 * s.pop_nvni.sem);
  assert_true(fabs(s.pop_nv.mean - nv) < 4 * s.pop_nv.sem);
  assert_true(fabs(s.pop_nvni.mean - nvni) < 4 * s.pop_nvni.sem);
  assert_true(fabs(s.mass_action.mean - 1) < 4 * s.mass_action.sem);
  /* D_defect per unit defect-time: n_V = n_I at every instant, so the mean
   * of the lone-defect values z Gamma lambda^2 / 6 (8 paths for V_I+, 16 for
   * I_I-); the paths a neighbouring partner blocks are rare when dilute */
  double l2 = 0.5 * A_LAT * A_LAT * 1e-16; /* cm^2 */
  double dmix = (8 * c.spec.rate[IONKMC_V_I] + 16 * c.spec.rate[IONKMC_I_I]) * l2 / 12;
  printf("dilute D_defect %.5e +- %.2e, lone-defect mean %.5e\n", s.D_defect.mean, s.D_defect.sem, dmix);
  assert_true(fabs(s.D_defect.mean - dmix) < 4 * s.D_defect.sem);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free((ionkmc_catalog *)cat);
}
static void test_dilute_from_empty(void **state) {
  (void)state;
  check_dilute(0);
}
static void test_dilute_overfull(void **state) {
  (void)state;
  check_dilute(8);
}

/* Number of sites other than p and q, next to p or q, that hold a defect
 * (occupancy occ != 1). */
static int env_class(const uint8_t *occ, const ionkmc_lattice *lat, int p, int q) {
  const int32_t *nb = ionkmc_lattice_xx(lat);
  int seen[2 * IONKMC_NNB_XX], n = 0, k = 0;
  for (int j = 0; j < 2; j++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      int s = nb[(size_t)(j ? q : p) * IONKMC_NNB_XX + d], dup = s == p || s == q;
      for (int i = 0; i < n; i++) dup |= seen[i] == s;
      if (dup) continue;
      seen[n++] = s;
      k += occ[s] != 1;
    }
  return k;
}

/* Detailed balance: in steady state every creation has its time reverse, so
 * pairs created in a given environment (defects next to the pair, counted
 * with the pair present) and pairs annihilated from that same environment
 * occur equally often, class by class. Per run the difference, then its
 * mean over the 16 runs within 4.5 SE of 0 (Student-t, 15 degrees of
 * freedom: a false alarm about once in 2500 per class) for every class with
 * events. */
static void test_detailed_balance_by_class(void **state) {
  (void)state;
  enum { RUNS = 16, NCLASS = 8 };
  const int L = 2, N = 3 * L * L * L;
  const ionkmc_catalog *cat;
  ionkmc_run_config c = frenkel_config(L, 0, 0, 0.05, &cat);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, NULL);
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_engine *e = ionkmc_engine_alloc(&c.spec, lat, &err, &st);
  assert_non_null(e);
  double diff[RUNS][NCLASS];
  long tot[NCLASS] = {0}, ncreated = 0;
  memset(diff, 0, sizeof diff);
  for (int r = 0; r < RUNS; r++) {
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, 77, (uint64_t)r);
    assert_int_equal(ionkmc_engine_reset(e, &rng, &err), IONKMC_OK);
    assert_int_equal(ionkmc_engine_run(e, &rng, 20000, 0, 0), IONKMC_OK); /* to steady state */
    uint8_t before[81], after[81];
    ionkmc_frenkel_tally t0, t1;
    for (long step = 0; step < 100000; step++) {
      for (int i = 0; i < N; i++) before[i] = (uint8_t)ionkmc_engine_occupancy(e, IONKMC_SUB_X, i);
      ionkmc_engine_frenkel_tally(e, &t0);
      assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
      ionkmc_engine_frenkel_tally(e, &t1);
      int made = t1.created != t0.created, undone = t1.recombinations != t0.recombinations;
      if (!made && !undone) continue;
      int vac = -1, pair = -1;
      for (int i = 0; i < N; i++) {
        after[i] = (uint8_t)ionkmc_engine_occupancy(e, IONKMC_SUB_X, i);
        if (after[i] == before[i]) continue;
        if (made) {
          if (after[i] == 0) vac = i;
          if (after[i] == 2) pair = i;
        } else {
          if (before[i] == 0) vac = i;
          if (before[i] == 2) pair = i;
        }
      }
      assert_true(vac >= 0 && pair >= 0);
      /* the class with the pair present: after a creation, before an annihilation */
      int k = env_class(made ? after : before, lat, vac, pair);
      if (k >= NCLASS) k = NCLASS - 1;
      diff[r][k] += made ? 1 : -1;
      tot[k]++;
      ncreated += made;
    }
  }
  int tested = 0;
  for (int k = 0; k < NCLASS; k++) {
    if (tot[k] < 200) continue;
    double m = 0, v = 0;
    for (int r = 0; r < RUNS; r++) m += diff[r][k] / RUNS;
    for (int r = 0; r < RUNS; r++) v += (diff[r][k] - m) * (diff[r][k] - m) / (RUNS - 1);
    double se = sqrt(v / RUNS);
    printf("class %d: %ld events, created - annihilated per run %.2f +- %.2f\n", k, tot[k], m, se);
    assert_true(fabs(m) <= 4.5 * se + 1.0 / RUNS);
    tested++;
  }
  assert_true(tested >= 3);
  assert_true(ncreated > 10000);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free((ionkmc_catalog *)cat);
}

/* Thinning under a field: every adjacent pair of singly occupied sites is
 * a valid proposal in both directions at every instant, so creations whose
 * atom moves along +x and along -x occur in the ratio of their rates,
 * exp(-E h / kT) for an I- ion moving h = a/2 along a field E x. Per run the
 * fraction moving along +x, its mean within 4 SE of r / (1 + r). */
static void test_field_thinning(void **state) {
  (void)state;
  enum { RUNS = 24 };
  const int L = 3, N = 3 * L * L * L;
  const ionkmc_catalog *cat;
  ionkmc_run_config c = frenkel_config(L, 0, 0, 0.01, &cat);
  const double E = 0.01; /* V/angstrom */
  c.spec.cond.field[0] = E;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, NULL);
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_engine *e = ionkmc_engine_alloc(&c.spec, lat, &err, &st);
  assert_non_null(e);
  double frac[RUNS], m = 0, v = 0;
  long n_all = 0;
  for (int r = 0; r < RUNS; r++) {
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, 91, (uint64_t)r);
    assert_int_equal(ionkmc_engine_reset(e, &rng, &err), IONKMC_OK);
    uint8_t before[81];
    long plus = 0, minus = 0;
    for (long step = 0; step < 60000; step++) {
      ionkmc_frenkel_tally t0, t1;
      for (int i = 0; i < N; i++) before[i] = (uint8_t)ionkmc_engine_occupancy(e, IONKMC_SUB_X, i);
      ionkmc_engine_frenkel_tally(e, &t0);
      assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
      ionkmc_engine_frenkel_tally(e, &t1);
      if (t1.created == t0.created) continue;
      int vac = -1, pair = -1;
      for (int i = 0; i < N; i++) {
        int o = ionkmc_engine_occupancy(e, IONKMC_SUB_X, i);
        if (o != before[i] && o == 0) vac = i;
        if (o != before[i] && o == 2) pair = i;
      }
      assert_true(vac >= 0 && pair >= 0);
      int32_t pv[3], pp[3];
      ionkmc_lattice_site_pos(lat, IONKMC_SUB_X, vac, pv);
      ionkmc_lattice_site_pos(lat, IONKMC_SUB_X, pair, pp);
      int dx = pp[0] - pv[0];
      if (dx > L) dx -= 2 * L;
      if (dx < -L) dx += 2 * L;
      plus += dx > 0;
      minus += dx < 0;
    }
    frac[r] = (double)plus / (double)(plus + minus);
    n_all += plus + minus;
    m += frac[r] / RUNS;
  }
  for (int r = 0; r < RUNS; r++) v += (frac[r] - m) * (frac[r] - m) / (RUNS - 1);
  double se = sqrt(v / RUNS), ratio = exp(-E * 0.5 * A_LAT / (IONKMC_KB_EV * T_K));
  double want = ratio / (1 + ratio);
  printf("field: creations along +x %.4f +- %.4f of those along x (%ld), expected %.4f\n", m, se, n_all, want);
  assert_true(n_all > 2000);
  assert_true(fabs(m - want) < 4 * se);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free((ionkmc_catalog *)cat);
}

/* A full slot pool fails the run with a message naming max_pairs. */
static void test_slots_exhausted(void **state) {
  (void)state;
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat =
      catalog("{\"E_f\": 0, \"max_pairs\": 1, \"source\": \"user\", \"provenance\": \"t\"}", &err, &st);
  assert_non_null(cat);
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec.L = 2;
  c.spec.cond.T = T_K;
  c.spec.cond.a = A_LAT;
  assert_int_equal(ionkmc_box_spec_rates(&c.spec, cat, &err), IONKMC_OK);
  assert_int_equal(ionkmc_box_spec_frenkel(&c.spec, cat, &err), IONKMC_OK);
  assert_int_equal(c.spec.frenkel_max, 1);
  c.runs = 2;
  c.hops = 10000;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(2, NULL);
  ionkmc_run_summary s;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_ERANGE);
  assert_non_null(strstr(err.text, "frenkel.max_pairs"));
  /* an empty box needs pair creation */
  c.spec.frenkel_w = 0;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_EINVAL);
  /* creation needs a moving interstitial */
  c.spec.frenkel_w = 0.1;
  c.spec.rate[IONKMC_I_I] = 0;
  assert_int_equal(ionkmc_run_batch(&c, lat, &s, &err), IONKMC_ERANGE);
  assert_non_null(strstr(err.text, "frenkel"));
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
}

/* Every bad value of the entry is refused, naming the field. */
static void test_catalog_entry(void **state) {
  (void)state;
  static const struct {
    const char *json, *field;
    ionkmc_status st;
  } bad[] = {
      {"{\"source\": \"user\", \"provenance\": \"t\"}", "frenkel.E_f", IONKMC_EINVAL},
      {"{\"E_f\": -0.1, \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.E_f", IONKMC_ERANGE},
      {"{\"E_f\": \"x\", \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.E_f", IONKMC_EINVAL},
      {"{\"E_f\": 25, \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.E_f", IONKMC_ERANGE},
      {"{\"E_f\": 1, \"S_f\": 80, \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.S_f", IONKMC_ERANGE},
      {"{\"E_f\": 1, \"max_pairs\": 0, \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.max_pairs",
       IONKMC_ERANGE},
      {"{\"E_f\": 1, \"max_pairs\": 2.5, \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.max_pairs",
       IONKMC_ERANGE},
      {"{\"E_f\": 1, \"pair\": \"V_MA-/I_MA+\", \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.pair",
       IONKMC_EINVAL},
      {"{\"E_f\": 1, \"source\": \"guess\", \"provenance\": \"t\"}", "frenkel.source", IONKMC_EINVAL},
      {"{\"E_f\": 1, \"source\": \"user\"}", "frenkel.provenance", IONKMC_EINVAL},
      {"{\"E_f\": 1, \"Ef\": 1, \"source\": \"user\", \"provenance\": \"t\"}", "frenkel.Ef", IONKMC_EINVAL},
      {"[1]", "frenkel", IONKMC_EINVAL},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ionkmc_error err = {{0}};
    ionkmc_status st = IONKMC_OK;
    ionkmc_catalog *cat = catalog(bad[i].json, &err, &st);
    assert_null(cat);
    assert_int_equal(st, bad[i].st);
    assert_non_null(strstr(err.text, bad[i].field));
  }
  /* the pair needs both iodide entries */
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(
      "{\"schema\": \"ionkmc-catalog/1\", \"entries\": [{\"defect\": \"V_I+\", \"mechanism\": "
      "\"kick_out\", \"Eb\": 0.1, \"nu\": 1e10, \"source\": \"user\", \"provenance\": \"t\"}], "
      "\"frenkel\": {\"E_f\": 1, \"source\": \"user\", \"provenance\": \"t\"}}",
      "t.json", &err, &st);
  assert_null(cat);
  assert_non_null(strstr(err.text, "frenkel: needs entries for V_I+ and I_I-"));
  /* a good entry: fields read, absent = none */
  cat = catalog("{\"pair\": \"V_I+/I_I-\", \"E_f\": 0.9, \"S_f\": 2.5, \"max_pairs\": 40, \"source\": "
                "\"neb\", \"provenance\": \"t\"}", &err, &st);
  assert_non_null(cat);
  const ionkmc_frenkel_entry *f = ionkmc_catalog_frenkel(cat);
  assert_true(f->present);
  assert_true(f->E_f == 0.9 && f->S_f == 2.5 && f->max_pairs == 40);
  assert_string_equal(f->source, "neb");
  assert_true(fabs(ionkmc_frenkel_weight(f, 500) / exp(2.5 - 0.9 / (IONKMC_KB_EV * 500)) - 1) < 1e-14);
  ionkmc_catalog *copy = ionkmc_catalog_clone(cat, &err);
  assert_non_null(copy);
  assert_true(ionkmc_catalog_frenkel(copy)->present);
  ionkmc_catalog_free(copy);
  ionkmc_catalog_free(cat);
  cat = catalog("", &err, &st);
  assert_non_null(cat);
  assert_false(ionkmc_catalog_frenkel(cat)->present);
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = 2;
  spec.cond.T = T_K;
  spec.cond.a = A_LAT;
  spec.frenkel_w = 3; /* cleared when the catalog has no entry */
  assert_int_equal(ionkmc_box_spec_frenkel(&spec, cat, &err), IONKMC_OK);
  assert_true(spec.frenkel_w == 0);
  ionkmc_catalog_free(cat);
  /* a weight that underflows is refused */
  cat = catalog("{\"E_f\": 19, \"S_f\": -50, \"source\": \"user\", \"provenance\": \"t\"}", &err, &st);
  assert_non_null(cat);
  spec.cond.T = 50;
  assert_int_equal(ionkmc_box_spec_frenkel(&spec, cat, &err), IONKMC_ERANGE);
  assert_non_null(strstr(err.text, "frenkel.E_f"));
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_catalog_entry),
      cmocka_unit_test(test_equilibrium_function),
      cmocka_unit_test(test_slots_exhausted),
      cmocka_unit_test(test_small_box_from_empty),
      cmocka_unit_test(test_small_box_overfull),
      cmocka_unit_test(test_small_box_unbalanced),
      cmocka_unit_test(test_dilute_from_empty),
      cmocka_unit_test(test_dilute_overfull),
      cmocka_unit_test(test_detailed_balance_by_class),
      cmocka_unit_test(test_field_thinning),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
