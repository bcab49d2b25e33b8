/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The correlated patterns of the engine against their closed forms and
 * exact chains:
 *   RETURNS   the immediate-return fraction and the dwell distribution of
 *             one defect (X vacancy, A vacancy, iodide split pair) against
 *             the closed forms of the README ("Correlated patterns"), and
 *             the species correlation factor at k_b = 0 against the plain
 *             pattern's;
 *   ORIENTED  the hop rule step by step, the defect's rate and D (its own
 *             correlation factor is 1 for every k_r), the planar walk at
 *             k_r = 0, and the iodide tracer correlation factor against an
 *             exact linear solve over the relative configurations of a
 *             tagged atom and the pair in the same periodic box.
 * Fixed seeds; tolerances from the standard errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calibration/calibrate.h"
#include "calibration/trajwriter.h"
#include "events/oriented_f.h"
#include "kmc/engine_state.h"
#include "kmc/runner.h"
#include "tests/util.h"


static ionkmc_run_summary batch(const ionkmc_box_spec *s, int runs, int64_t hops, uint64_t seed) {
  ionkmc_run_summary sum;
  assert_int_equal(tu_run_batch(s, runs, hops, seed, &sum), IONKMC_OK);
  return sum;
}

/* An engine for box s on a new lattice (*lat), reset from the stream
 * (seed, 0) left in *rng. */
static ionkmc_engine *engine_for(const ionkmc_box_spec *s, ionkmc_lattice **lat, uint64_t seed, ionkmc_rng *rng) {
  ionkmc_engine *e = tu_engine_for(s, lat, seed, rng);
  assert_non_null(e);
  return e;
}

/* ---- RETURNS ------------------------------------------------------------ */

/* Closed forms for a lone defect with z directions, m paths per direction
 * at per-path rate g: P_ret, the mean dwell after a hop and the survival
 * S(tau) of the dwell. */
typedef struct {
  double RR, RU, kb, kr;
} ret_model;

static ret_model ret_model_of(int z, int m, double g, double kb, double kr) {
  ret_model M = {m * z * g, m * z * g + kb + kr, kb, kr};
  return M;
}
static double ret_pret(const ret_model *M, int z, int m, double g) {
  return (m * g + M->kb) / M->RU + (M->kr / M->RU) / z;
}
static double ret_mean_dwell(const ret_model *M) { return (M->RR + M->kr) / (M->RR * M->RU); }
static double ret_survival(const ret_model *M, double tau) {
  double k = M->kb + M->kr;
  return exp(-M->RU * tau) + (k > 0 ? M->kr * exp(-M->RR * tau) * (1 - exp(-k * tau)) / k : 0);
}

/* Follow one defect for nhops hops, step by step: the fraction of hops
 * exactly opposite to the previous one, the mean dwell between hops and
 * the fraction of dwells longer than tau0, each with its SE. */
typedef struct {
  double pret, pret_se, dwell, dwell_se, surv, surv_se;
  int64_t internal;
} ret_stats;

static ret_stats follow(const ionkmc_box_spec *s, int nhops, uint64_t seed, double tau0) {
  ionkmc_lattice *lat;
  ionkmc_rng rng;
  ionkmc_engine *e = engine_for(s, &lat, seed, &rng);
  int32_t p0[3], p1[3], prev[3] = {0, 0, 0};
  ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p0);
  double t_last = 0, sw = 0, sw2 = 0;
  int64_t nret = 0, npairs = 0, ndw = 0, nlong = 0, hops = 0;
  while (hops < nhops) {
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
    ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p1);
    int32_t dr[3] = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
    if (!dr[0] && !dr[1] && !dr[2]) continue; /* an internal event */
    double t = ionkmc_engine_obs(e)->t;
    if (hops > 0) { /* after the first hop the state is known (U) */
      npairs++;
      nret += dr[0] == -prev[0] && dr[1] == -prev[1] && dr[2] == -prev[2];
      double w = t - t_last;
      sw += w;
      sw2 += w * w;
      ndw++;
      nlong += w > tau0;
    }
    memcpy(prev, dr, sizeof dr);
    memcpy(p0, p1, sizeof p1);
    t_last = t;
    hops++;
  }
  ret_stats r;
  r.pret = (double)nret / npairs;
  r.pret_se = sqrt(r.pret * (1 - r.pret) / npairs);
  r.dwell = sw / ndw;
  r.dwell_se = sqrt((sw2 / ndw - r.dwell * r.dwell) / ndw);
  r.surv = (double)nlong / ndw;
  r.surv_se = sqrt(r.surv * (1 - r.surv) / ndw);
  r.internal = ionkmc_engine_obs(e)->pattern_events[s->count[IONKMC_V_I] ? IONKMC_V_I
                                                      : s->count[IONKMC_I_I] ? IONKMC_I_I
                                                                               : IONKMC_V_MA_M];
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  return r;
}

static void check_returns(ionkmc_defect_kind kind, int m, double kb, double kr, uint64_t seed) {
  const double g = 1.0;
  int z = ionkmc_defect_z(kind);
  ionkmc_box_spec s;
  tu_spec_pattern(&s, 4, kind, g, IONKMC_PATTERN_RETURNS, kb, kr);
  ret_model M = ret_model_of(z, m, g, kb, kr);
  double tau0 = 1.0 / M.RR;
  ret_stats r = follow(&s, 40000, seed, tau0);
  double pret = ret_pret(&M, z, m, g), dw = ret_mean_dwell(&M), sv = ret_survival(&M, tau0);
  printf("# %s k_b %g k_r %g: P_ret %.4f +- %.4f (closed form %.4f), dwell %.5f +- %.5f (%.5f), "
         "S(1/R_R) %.4f +- %.4f (%.4f)\n",
         ionkmc_defect_name(kind), kb, kr, r.pret, r.pret_se, pret, r.dwell, r.dwell_se, dw, r.surv,
         r.surv_se, sv);
  assert_true(fabs(r.pret - pret) < 4 * r.pret_se);
  assert_true(fabs(r.dwell - dw) < 4 * r.dwell_se);
  assert_true(fabs(r.surv - sv) < 4 * r.surv_se);
  if (kr > 0) assert_true(r.internal > 0);
}

static void test_returns_closed_forms(void **state) {
  (void)state;
  /* vacancy on X (z 8, m 1), vacancy on A (z 6, m 1), split pair (z 8, m 2) */
  check_returns(IONKMC_V_I, 1, 4.0, 2.0, 31);
  check_returns(IONKMC_V_MA_M, 1, 3.0, 1.0, 32);
  check_returns(IONKMC_I_I, 2, 6.0, 3.0, 33);
  /* no relaxation: every hop's reverse keeps its extra rate */
  check_returns(IONKMC_V_I, 1, 8.0, 0.0, 34);
  /* the plain walk: P_ret = 1/z */
  check_returns(IONKMC_V_MA_M, 1, 0.0, 5.0, 35);
}

/* At k_b = 0 the rates are the plain pattern's: the same f (0.69 on X,
 * 0.6531 on A, 1 for the split pair); with k_b > 0 the returns lower it. */
static void test_returns_f(void **state) {
  (void)state;
  const struct {
    ionkmc_defect_kind kind;
    int L;
    double f;
  } cases[] = {{IONKMC_V_I, 8, 0.69}, {IONKMC_V_MA_M, 8, 0.6531}, {IONKMC_I_I, 6, 1.0}};
  for (int i = 0; i < 3; i++) {
    ionkmc_box_spec s;
    int sp = ionkmc_defect_species_index(cases[i].kind);
    tu_spec_pattern(&s, cases[i].L, cases[i].kind, 1e9, IONKMC_PATTERN_RETURNS, 0.0, 2e9);
    ionkmc_run_summary r = batch(&s, 200, 20000, 41 + i);
    /* the literature values are given to +-0.005 (X) and +-0.00005 (A) */
    double lit = cases[i].kind == IONKMC_V_I ? 0.005 : 0.0001;
    printf("# %s returns k_b = 0: f = %.4f +- %.4f (plain %.4f)\n", ionkmc_defect_name(cases[i].kind),
           r.f[sp].mean, r.f[sp].sem, cases[i].f);
    assert_true(fabs(r.f[sp].mean - cases[i].f) < 4 * r.f[sp].sem + lit);
    tu_spec_pattern(&s, cases[i].L, cases[i].kind, 1e9, IONKMC_PATTERN_RETURNS, 8e9, 2e9);
    ionkmc_run_summary b = batch(&s, 200, 20000, 51 + i);
    printf("# %s returns k_b = 8 Gamma, k_r = 2 Gamma: f = %.4f +- %.4f\n", ionkmc_defect_name(cases[i].kind),
           b.f[sp].mean, b.f[sp].sem);
    assert_true(b.f[sp].mean < cases[i].f - 5 * b.f[sp].sem - lit);
  }
}

/* ---- ORIENTED ----------------------------------------------------------- */

/* The exact chain of a tagged I atom and one oriented pair in an L^3
 * periodic box. State: the tagged atom's site type kap (it sits on the
 * reference site kap of cell 0, the box translated so), the pair's site ds,
 * its orientation o and, when the tagged atom is in the pair (ds == kap),
 * its side sig (1: +o). Every state has the total rate 4 Gamma + k_r. */
typedef struct {
  int n;        /* states */
  int *ntr;     /* [n] transitions */
  int (*to)[6]; /* [n][6] */
  double (*pr)[6];
  int8_t (*dx)[6][3]; /* the tagged atom's displacement, h */
  uint8_t *valid;
  uint8_t *inpair;    /* the tagged atom is in the pair */
} chain;

static int st_index(int nx, int kap, int ds, int o, int sig) { return ((kap * nx + ds) * 3 + o) * 2 + sig; }

static void add_tr(chain *c, int from, int to, double p, const int8_t *dx) {
  int k = c->ntr[from]++;
  c->to[from][k] = to;
  c->pr[from][k] = p;
  for (int q = 0; q < 3; q++) c->dx[from][k][q] = dx ? dx[q] : 0;
}

static int site_plus(const ionkmc_lattice *lat, int site, const int8_t *v) {
  int32_t p[3];
  ionkmc_lattice_site_pos(lat, IONKMC_SUB_X, site, p);
  for (int q = 0; q < 3; q++) p[q] += v[q];
  return ionkmc_lattice_site_at(lat, IONKMC_SUB_X, p);
}

static chain chain_build(const ionkmc_lattice *lat, double g, double kr) {
  int nx = ionkmc_lattice_nsites(lat, IONKMC_SUB_X);
  chain c;
  c.n = 3 * nx * 3 * 2;
  c.ntr = calloc((size_t)c.n, sizeof *c.ntr);
  c.to = calloc((size_t)c.n, sizeof *c.to);
  c.pr = calloc((size_t)c.n, sizeof *c.pr);
  c.dx = calloc((size_t)c.n, sizeof *c.dx);
  c.valid = calloc((size_t)c.n, 1);
  c.inpair = calloc((size_t)c.n, 1);
  assert_true(c.ntr && c.to && c.pr && c.dx && c.valid && c.inpair);
  double R = 4 * g + kr;
  for (int kap = 0; kap < 3; kap++)
    for (int ds = 0; ds < nx; ds++) {
      int kd = ds % 3;
      assert_int_equal(kap % 3, kap); /* site kap has type kap */
      for (int o = 0; o < 3; o++) {
        if (o == kd) continue;
        int inpair = ds == kap;
        for (int sig = 0; sig < (inpair ? 2 : 1); sig++) {
          int from = st_index(nx, kap, ds, o, sig);
          c.valid[from] = 1;
          c.inpair[from] = (uint8_t)inpair;
          int o2 = 3 - kd - o;
          if (inpair) {
            add_tr(&c, from, st_index(nx, kap, ds, o2, 0), 0.5 * kr / R, NULL);
            add_tr(&c, from, st_index(nx, kap, ds, o2, 1), 0.5 * kr / R, NULL);
          } else {
            add_tr(&c, from, st_index(nx, kap, ds, o2, 0), kr / R, NULL);
          }
          for (int d = 0; d < IONKMC_NNB_XX; d++) {
            const int8_t *v = ionkmc_lattice_xx_vec(kd, d);
            if (!v[o]) continue;
            int t = site_plus(lat, ds, v);
            if (inpair && (v[o] > 0) == (sig == 1)) {
              /* the tagged atom moves; it arrives on the -sign(v_kd) side */
              add_tr(&c, from, st_index(nx, t % 3, t % 3, kd, v[kd] < 0), g / R, v);
            } else if (inpair) {
              /* its partner leaves it behind */
              add_tr(&c, from, st_index(nx, kap, t, kd, 0), g / R, NULL);
            } else if (t == kap) {
              /* the pair arrives at the tagged atom, the resident, on the
               * +sign(v_kd) side */
              add_tr(&c, from, st_index(nx, kap, kap, kd, v[kd] > 0), g / R, NULL);
            } else {
              add_tr(&c, from, st_index(nx, kap, t, kd, 0), g / R, NULL);
            }
          }
        }
      }
    }
  return c;
}

static void chain_free(chain *c) {
  free(c->ntr);
  free(c->to);
  free(c->pr);
  free(c->dx);
  free(c->valid);
  free(c->inpair);
}

/* f of the tagged atom (with noreturn, of the chain in which an atom left
 * behind by the pair never moves again): h(c) = E[sum of its future
 * displacements | c]
 * solves h = dbar + P h (dbar its mean next displacement), iterated on the
 * lazy chain (I + P) / 2; the stationary distribution is uniform over the
 * valid states (checked: P is doubly stochastic there); then
 * f = 1 + 2 sum_c sum_{its jumps c -> c'} p v.h(c') / sum_c sum p |v|^2. */
static double chain_tracer_f(const chain *c, int noreturn, int *iters) {
  int n = c->n;
  double *h = calloc((size_t)n * 3, sizeof *h), *hn = calloc((size_t)n * 3, sizeof *hn);
  double *colsum = calloc((size_t)n, sizeof *colsum);
  assert_true(h && hn && colsum);
  for (int s = 0; s < n; s++)
    for (int k = 0; k < c->ntr[s]; k++) colsum[c->to[s][k]] += c->pr[s][k];
  for (int s = 0; s < n; s++)
    if (c->valid[s]) assert_true(fabs(colsum[s] - 1) < 1e-12);
  int it;
  for (it = 0; it < 2000000; it++) {
    double dmax = 0;
    for (int s = 0; s < n; s++) {
      /* noreturn: a tagged atom left behind is never taken up again */
      if (!c->valid[s] || (noreturn && !c->inpair[s])) continue;
      for (int q = 0; q < 3; q++) {
        double acc = 0;
        for (int k = 0; k < c->ntr[s]; k++) acc += c->pr[s][k] * (c->dx[s][k][q] + h[3 * c->to[s][k] + q]);
        double v = 0.5 * (h[3 * s + q] + acc);
        dmax = fmax(dmax, fabs(v - h[3 * s + q]));
        hn[3 * s + q] = v;
      }
    }
    double *tmp = h;
    h = hn;
    hn = tmp;
    if (dmax < 1e-13) break;
  }
  *iters = it;
  double num = 0, den = 0;
  for (int s = 0; s < n; s++)
    for (int k = 0; c->valid[s] && k < c->ntr[s]; k++) {
      const int8_t *v = c->dx[s][k];
      double v2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
      if (v2 == 0) continue;
      const double *hh = h + 3 * c->to[s][k];
      num += c->pr[s][k] * (v[0] * hh[0] + v[1] * hh[1] + v[2] * hh[2]);
      den += c->pr[s][k] * v2;
    }
  free(h);
  free(hn);
  free(colsum);
  return 1 + 2 * num / den;
}

static double exact_f(int L, double g, double kr, int noreturn) {
  ionkmc_lattice *lat = ionkmc_lattice_alloc(L, NULL);
  chain c = chain_build(lat, g, kr);
  int it;
  double f = chain_tracer_f(&c, noreturn, &it);
  chain_free(&c);
  ionkmc_lattice_free(lat);
  return f;
}

/* The hop rule, followed step by step in a box with one pair: 4 paths at
 * Gamma each (total 4 Gamma + k_r), each hop in the plane of the site's axis
 * and the orientation; after a hop by v with no re-orientation before the
 * next, the next hop has a non-zero component along the old site's axis, by
 * the arriving atom against v_alpha, or by the resident along it. */
static void test_oriented_rule(void **state) {
  (void)state;
  const double g = 1.0, kr = 0.5;
  ionkmc_box_spec s;
  tu_spec_pattern(&s, 4, IONKMC_I_I, g, IONKMC_PATTERN_ORIENTED, kr, 0);
  ionkmc_lattice *lat;
  ionkmc_rng rng;
  ionkmc_engine *e = engine_for(&s, &lat, 61, &rng);
  assert_true(fabs(ionkmc_engine_total_rate(e) - (4 * g + kr)) < 1e-12);
  int n = ionkmc_engine_natoms(e, 0);
  int32_t *d0 = malloc(sizeof(int32_t) * 3 * (size_t)n);
  assert_non_null(d0);
  memcpy(d0, ionkmc_engine_atom_disp(e, 0), sizeof(int32_t) * 3 * (size_t)n);
  int prev_atom = -1, prev_alpha = -1, site, checked = 0;
  int32_t prev_v[3] = {0, 0, 0};
  int64_t prev_int = 0;
  for (int i = 0; i < 20000; i++) {
    ionkmc_engine_defect(e, 0, NULL, &site, NULL, NULL);
    int alpha = site % 3;
    const double *pr = ionkmc_engine_path_rates(e, 0);
    int open = 0;
    for (int p = 0; p < IONKMC_MAX_PATHS; p++) {
      if (pr[p] == 0) continue;
      open++;
      assert_true(fabs(pr[p] - g) < 1e-12);
    }
    assert_int_equal(open, 4);
    assert_true(fabs(ionkmc_engine_total_rate(e) - (4 * g + kr)) < 1e-9);
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
    const int32_t *d1 = ionkmc_engine_atom_disp(e, 0);
    int moved = -1, nmoved = 0;
    for (int a = 0; a < n; a++)
      if (memcmp(d0 + 3 * a, d1 + 3 * a, 3 * sizeof(int32_t))) moved = a, nmoved++;
    int64_t nint = ionkmc_engine_obs(e)->pattern_events[IONKMC_I_I];
    if (!nmoved) { /* a re-orientation: the next hop's plane is not known */
      assert_int_equal(nint, prev_int + 1);
      prev_int = nint;
      prev_atom = -1;
      continue;
    }
    assert_int_equal(nmoved, 1);
    int32_t v[3];
    for (int q = 0; q < 3; q++) v[q] = d1[3 * moved + q] - d0[3 * moved + q];
    assert_true(v[alpha] == 1 || v[alpha] == -1);
    if (prev_atom >= 0 && nint == prev_int) {
      /* no re-orientation since the last hop: oriented along prev_alpha */
      assert_true(v[prev_alpha] != 0);
      if (moved == prev_atom) assert_int_equal(v[prev_alpha], -prev_v[prev_alpha]);
      else assert_int_equal(v[prev_alpha], prev_v[prev_alpha]);
      checked++;
    }
    prev_atom = moved;
    prev_alpha = alpha;
    prev_int = nint;
    memcpy(prev_v, v, sizeof v);
    memcpy(d0 + 3 * moved, d1 + 3 * moved, 3 * sizeof(int32_t));
  }
  assert_true(checked > 5000);
  free(d0);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* k_r = 0: the pair never leaves the plane of its first hop (the
 * coordinate along the plane's normal stays fixed). */
static void test_oriented_planar(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_pattern(&s, 4, IONKMC_I_I, 1.0, IONKMC_PATTERN_ORIENTED, 0, 0);
  ionkmc_lattice *lat;
  ionkmc_rng rng;
  ionkmc_engine *e = engine_for(&s, &lat, 62, &rng);
  int32_t p0[3], p[3];
  int site;
  ionkmc_engine_defect(e, 0, NULL, &site, NULL, p0);
  /* the reset's rule: oriented along (xt + 1) % 3; the normal is the third axis */
  int normal = 3 - site % 3 - (site % 3 + 1) % 3;
  int32_t lo = 0, hi = 0;
  for (int i = 0; i < 20000; i++) {
    assert_int_equal(ionkmc_engine_step(e, &rng), IONKMC_OK);
    ionkmc_engine_defect(e, 0, NULL, NULL, NULL, p);
    assert_int_equal(p[normal], p0[normal]);
    for (int q = 0; q < 3; q++)
      if (q != normal) lo = p[q] - p0[q] < lo ? p[q] - p0[q] : lo, hi = p[q] - p0[q] > hi ? p[q] - p0[q] : hi;
  }
  assert_true(hi - lo > 20); /* it did walk in the plane */
  assert_int_equal(ionkmc_engine_obs(e)->pattern_events[IONKMC_I_I], 0);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* The defect's own correlation factor is 1 for every k_r (each hop's two
 * in-plane components are +-1 with equal rates whatever came before), so
 * D_defect = 4 Gamma (2 h^2) / 6 = Gamma a^2 / 3; with the plain pattern's
 * 16 paths it is 4 times that. */
static void test_oriented_defect_D(void **state) {
  (void)state;
  const double g = 1e9, kr[] = {0, 1e9, 1e11};
  for (int i = 0; i < 3; i++) {
    ionkmc_box_spec s;
    tu_spec_pattern(&s, 6, IONKMC_I_I, g, IONKMC_PATTERN_ORIENTED, kr[i], 0);
    ionkmc_run_summary r = batch(&s, 64, 20000, 71 + i);
    double D = g * s.cond.a * s.cond.a / 3 * 1e-16;
    printf("# oriented k_r/Gamma = %g: D_defect = %.4e +- %.2e cm^2/s (f_defect = 1: %.4e)\n", kr[i] / g,
           r.D_defect.mean, r.D_defect.sem, D);
    assert_true(fabs(r.D_defect.mean - D) < 4 * r.D_defect.sem);
  }
}

/* The tracer correlation factor of the iodides: the engine's f in an
 * L = 3 box against the exact chain of the same box, for several k_r;
 * the chain's limits: f -> 1 (the plain pattern) as k_r -> infinity. */
static void test_oriented_tracer_f(void **state) {
  (void)state;
  const int L = 3;
  const double g = 1e9, kr[] = {0, 1e9, 8e9};
  for (int i = 0; i < 3; i++) {
    double fx = exact_f(L, 1.0, kr[i] / g, 0);
    ionkmc_box_spec s;
    tu_spec_pattern(&s, L, IONKMC_I_I, g, IONKMC_PATTERN_ORIENTED, kr[i], 0);
    ionkmc_run_summary r = batch(&s, 64, 200000, 81 + i);
    printf("# oriented L = %d k_r/Gamma = %g: f = %.4f +- %.4f, exact chain %.5f\n", L, kr[i] / g, r.f[0].mean,
           r.f[0].sem, fx);
    assert_true(fabs(r.f[0].mean - fx) < 4 * r.f[0].sem);
    assert_true(fx < 1);
  }
  double f_fast = exact_f(L, 1.0, 1e3, 0);
  printf("# oriented L = %d k_r/Gamma = 1000: exact chain f = %.5f\n", L, f_fast);
  assert_true(fabs(f_fast - 1) < 0.01);
  assert_true(exact_f(L, 1.0, 0.0, 0) < exact_f(L, 1.0, 1.0, 0));
  /* the closed form of the atom's jumps within one pair (README): f_pair =
   * (2 Gamma + k_r) / (4 Gamma + k_r), exact for the chain without returns;
   * the returns lower it */
  for (int i = 0; i < 5; i++) {
    double k = i == 4 ? 100 : 0.5 * i * i, fp = (2 + k) / (4 + k);
    double f0 = exact_f(L, 1.0, k, 1), f1 = exact_f(L, 1.0, k, 0);
    printf("# oriented k_r/Gamma = %g: f without returns %.6f (closed form %.6f), with %.5f\n", k, f0, fp, f1);
    assert_true(fabs(f0 - fp) < 1e-9);
    assert_true(f1 < fp);
  }
}

/* ---- ORIENTED: the closed form (events/oriented_f.h) ------------------- */

static ionkmc_oriented_f closed_f(double kappa, int L) {
  ionkmc_oriented_f o;
  ionkmc_error err;
  ionkmc_status st = ionkmc_oriented_f_compute(kappa, L, &o, &err);
  if (st) printf("# %s\n", err.text);
  assert_int_equal(st, IONKMC_OK);
  return o;
}

/* f = (2 + kappa - 2 g)/(4 + kappa - 2 g), g from the pair's lattice Green
 * functions, against the exact chain of the same box (a different
 * computation: the tagged atom and the pair followed together, no return
 * statistics), for boxes 2 to 5 and k_r / Gamma from 0 to large; without
 * returns (g = 0) the chain gives f_pair. In a box the pair always comes
 * back, and at k_r = 0 never along the third axis. */
static void test_oriented_f_chain(void **state) {
  (void)state;
  const double kap[] = {0, 0.25, 1, 4, 100};
  double worst = 0;
  for (int L = 2; L <= 5; L++)
    for (int i = 0; i < 5; i++) {
      ionkmc_oriented_f o = closed_f(kap[i], L);
      double fx = exact_f(L, 1.0, kap[i], 0), f0 = exact_f(L, 1.0, kap[i], 1);
      printf("# oriented L = %d k_r/Gamma = %g: closed form f = %.10f (g = %.8f), exact chain %.10f; "
             "f_pair %.10f, chain without returns %.10f\n",
             L, kap[i], o.f, o.g, fx, o.f_pair, f0);
      assert_true(fabs(o.f - fx) < 1e-9);
      assert_true(fabs(o.f_pair - f0) < 1e-9);
      assert_true(fabs(o.q_return - 1) < 1e-9);
      assert_true(o.q_same > 0 && o.q_same < o.q_plus);
      if (kap[i] == 0) assert_true(fabs(o.q_tau) < 1e-12);
      worst = fmax(worst, fabs(o.f - fx));
    }
  printf("# largest |closed form - chain| = %.2e\n", worst);
  ionkmc_oriented_f o;
  ionkmc_error err;
  assert_int_equal(ionkmc_oriented_f_compute(-1, 4, &o, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_oriented_f_compute(1, 1, &o, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_oriented_f_compute(1, IONKMC_ORIENTED_F_MAX_L + 1, &o, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_oriented_f_compute(NAN, 0, &o, &err), IONKMC_EINVAL);
}

/* The limits and the infinite lattice:
 *  - k_r = 0, the planar walk: f = 2/(2 + pi) from the square lattice's
 *    potential kernel (g = 1 - 2/pi); the boxes' 2-d sums approach it;
 *  - k_r -> infinity: f -> 1, the plain pattern's value, as 1 - 2/k + O(1/k^2);
 *  - the zone integral (L = 0) against the box sums: they differ by O(L^-3)
 *    (the factor 8 from L = 32 to 64), and f rises with k_r between the
 *    two limits. */
static void test_oriented_f_limits(void **state) {
  (void)state;
  const double planar = 2 / (2 + acos(-1.0));
  ionkmc_oriented_f p0 = closed_f(0, 0);
  assert_true(fabs(p0.f - planar) < 1e-15);
  assert_true(fabs(p0.q_return - 1) < 1e-15);
  double prev = 1;
  for (int L = 16; L <= 256; L *= 2) {
    ionkmc_oriented_f b = closed_f(0, L);
    printf("# oriented k_r = 0, L = %d: f = %.8f (planar infinite lattice %.8f)\n", L, b.f, planar);
    assert_true(b.f > planar && b.f - planar < prev);
    prev = b.f - planar;
  }
  assert_true(prev < 1e-4);
  for (double k = 1e2; k <= 1e6; k *= 1e2) {
    ionkmc_oriented_f o = closed_f(k, 0);
    double lead = 1 - 2 / k;
    printf("# oriented k_r/Gamma = %g, infinite lattice: f = %.10f, 1 - f = %.4e (1 - 2/k: %.10f)\n", k, o.f,
           1 - o.f, lead);
    assert_true(o.f < 1 && fabs(o.f - lead) < 8 / (k * k));
  }
  const double kap[] = {0.1, 1, 8};
  double last = planar;
  for (int i = 0; i < 3; i++) {
    ionkmc_oriented_f z = closed_f(kap[i], 0), a = closed_f(kap[i], 32), b = closed_f(kap[i], 64);
    double r = (a.f - z.f) / (b.f - z.f);
    printf("# oriented k_r/Gamma = %g: infinite lattice f = %.10f (integration error %.1e), L = 32 %.10f, "
           "L = 64 %.10f, (f32 - f)/(f64 - f) = %.2f; return probability %.6f, g = %.8f\n",
           kap[i], z.f, z.integration_error, a.f, b.f, r, z.q_return, z.g);
    assert_true(fabs(b.f - z.f) < 1e-6);
    assert_true(r > 6 && r < 10);
    assert_true(z.q_return > 0 && z.q_return < 1);
    assert_true(z.f > last && z.f < z.f_pair);
    last = z.f;
  }
}

/* The engine against the closed form in a box larger than the L = 3 of
 * test_oriented_tracer_f: L = 5, fixed seeds, 4 SE. */
static void test_oriented_f_engine(void **state) {
  (void)state;
  const int L = 5;
  const double g = 1e9, kap[] = {0, 2};
  for (int i = 0; i < 2; i++) {
    ionkmc_oriented_f o = closed_f(kap[i], L);
    ionkmc_box_spec s;
    tu_spec_pattern(&s, L, IONKMC_I_I, g, IONKMC_PATTERN_ORIENTED, kap[i] * g, 0);
    ionkmc_run_summary r = batch(&s, 64, 200000, 181 + i);
    printf("# oriented L = %d k_r/Gamma = %g: engine f = %.4f +- %.4f (SE of 64 runs), closed form %.5f "
           "(f_pair %.5f)\n",
           L, kap[i], r.f[0].mean, r.f[0].sem, o.f, o.f_pair);
    assert_true(fabs(r.f[0].mean - o.f) < 4 * r.f[0].sem);
  }
}

/* calibrate's prediction for an oriented fit (pattern_evidence): the
 * closed form at the fit's k_r / Gamma, and at the ends of k_r's interval
 * (f rises with k_r); refused for a fit of another pattern. */
static void test_oriented_f_of_fit(void **state) {
  (void)state;
  ionkmc_pattern_fit fit;
  memset(&fit, 0, sizeof fit);
  fit.pattern = IONKMC_PATTERN_ORIENTED;
  fit.npar = 2;
  fit.rate = 0.5;
  fit.prate[0] = 0.5;
  fit.prate_lo[0] = 0.1;
  fit.prate_hi[0] = 2.0;
  double f[3];
  ionkmc_error err;
  assert_int_equal(ionkmc_calib_pattern_oriented_f(&fit, 4, f, &err), IONKMC_OK);
  assert_true(f[0] == closed_f(1, 4).f && f[1] == closed_f(0.2, 4).f && f[2] == closed_f(4, 4).f);
  assert_true(f[1] < f[0] && f[0] < f[2]);
  fit.prate_hi[0] = INFINITY; /* an unbounded interval: no upper f */
  assert_int_equal(ionkmc_calib_pattern_oriented_f(&fit, 4, f, &err), IONKMC_OK);
  assert_true(isnan(f[2]) && f[0] == closed_f(1, 4).f);
  fit.pattern = IONKMC_PATTERN_RETURNS;
  assert_int_equal(ionkmc_calib_pattern_oriented_f(&fit, 4, f, &err), IONKMC_EINVAL);
}

/* synth's writer puts the two atoms of an oriented pair where the engine
 * has them: along the pair's axis, the + side atom at +split. */
static void test_oriented_writer(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_pattern(&s, 3, IONKMC_I_I, 1e12, IONKMC_PATTERN_ORIENTED, 1e12, 0);
  ionkmc_lattice *lat;
  ionkmc_rng rk, rn;
  ionkmc_engine *e = engine_for(&s, &lat, 91, &rk);
  ionkmc_error err;
  ionkmc_rng_init(&rn, 91, 1);
  ionkmc_trajwriter_params wp = ionkmc_trajwriter_params_default();
  wp.noise = 0;
  wp.rattle_prob = 0;
  wp.drift = 0;
  wp.lammps_columns = 1;
  ionkmc_trajwriter *w = ionkmc_trajwriter_alloc(&wp, e, 3, s.cond.a, &rn, &err);
  assert_non_null(w);
  int n3 = 27, axes[3] = {0, 0, 0};
  for (int f = 0; f < 40; f++) {
    if (f) ionkmc_engine_run(e, &rk, 0, f * 1e-12, 0);
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(ionkmc_trajwriter_frame(w, fp, e, f, f, &rn, &err), IONKMC_OK);
    int site, ax, at[2];
    ionkmc_engine_defect(e, 0, NULL, &site, NULL, NULL);
    assert_int_equal(ionkmc_engine_oriented_pair(e, site, &ax, at), 1);
    axes[ax]++;
    rewind(fp);
    char line[256];
    double x[2][3];
    int found = 0;
    while (fgets(line, sizeof line, fp)) {
      int id, type;
      double q[3];
      if (sscanf(line, "%d %d %lf %lf %lf", &id, &type, &q[0], &q[1], &q[2]) != 5) continue;
      for (int j = 0; j < 2; j++)
        if (id == n3 + at[j] + 1) memcpy(x[j], q, sizeof q), found++;
    }
    fclose(fp);
    assert_int_equal(found, 2);
    for (int c = 0; c < 3; c++) {
      /* unwrapped positions: the two atoms may differ by a box vector */
      double want = c == ax ? 2 * wp.split : 0, box = 3 * s.cond.a, dx = x[0][c] - x[1][c] - want;
      assert_true(fabs(dx - box * round(dx / box)) < 2e-4);
    }
  }
  /* the pair turned over the frames */
  assert_true((axes[0] > 0) + (axes[1] > 0) + (axes[2] > 0) >= 2);
  ionkmc_trajwriter_free(w);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* A run saved mid-way and restored continues byte-identically, pattern
 * state included (each correlated pattern of I_I- with returns V_I+,
 * several defects; relay with its side rate). */
static void test_pattern_state_restart(void **state) {
  (void)state;
  const ionkmc_pattern ii[3] = {IONKMC_PATTERN_ORIENTED, IONKMC_PATTERN_RETURNS, IONKMC_PATTERN_RELAY};
  for (int pat = 0; pat < 3; pat++) {
    ionkmc_box_spec s;
    tu_spec_pattern(&s, 4, IONKMC_I_I, 1e9, ii[pat], 3e9, 2e9);
    if (ii[pat] == IONKMC_PATTERN_RELAY) s.pattern_rate[IONKMC_I_I][2] = 1.5e9; /* relay's side rate */
    s.count[IONKMC_I_I] = 6;
    s.count[IONKMC_V_I] = 3;
    s.rate[IONKMC_V_I] = 2e9;
    s.pattern[IONKMC_V_I] = IONKMC_PATTERN_RETURNS;
    s.pattern_rate[IONKMC_V_I][0] = 5e9;
    s.pattern_rate[IONKMC_V_I][1] = 1e9;
    ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
    ionkmc_error err;
    ionkmc_status st;
    ionkmc_engine *a = ionkmc_engine_alloc(&s, lat, &err, &st), *b = ionkmc_engine_alloc(&s, lat, &err, &st);
    assert_non_null(a);
    assert_non_null(b);
    ionkmc_rng ra, rb;
    ionkmc_rng_init(&ra, 95, pat);
    assert_int_equal(ionkmc_engine_reset(a, &ra, &err), IONKMC_OK);
    assert_int_equal(ionkmc_engine_run(a, &ra, 5000, 0, 500), IONKMC_OK);
    size_t nb = ionkmc_engine_state_bytes(a);
    assert_true(nb > 0);
    unsigned char *buf = malloc(nb), *buf2 = malloc(nb);
    assert_non_null(buf);
    assert_non_null(buf2);
    ionkmc_engine_state_save(a, buf);
    rb = ra;
    ionkmc_rng_init(&ra, 1, 1); /* b must not need a's stream state beyond rb */
    assert_int_equal(ionkmc_engine_reset(b, &ra, &err), IONKMC_OK);
    assert_int_equal(ionkmc_engine_state_load(b, buf, nb, &err), IONKMC_OK);
    ionkmc_rng rc = rb;
    assert_int_equal(ionkmc_engine_run(a, &rb, 12000, 0, 500), IONKMC_OK);
    assert_int_equal(ionkmc_engine_run(b, &rc, 12000, 0, 500), IONKMC_OK);
    ionkmc_engine_state_save(a, buf);
    ionkmc_engine_state_save(b, buf2);
    assert_memory_equal(buf, buf2, nb);
    assert_true(ionkmc_engine_obs(a)->pattern_events[IONKMC_I_I] > 0);
    assert_true(ionkmc_engine_obs(a)->pattern_events[IONKMC_V_I] > 0);
    free(buf);
    free(buf2);
    ionkmc_engine_free(a);
    ionkmc_engine_free(b);
    ionkmc_lattice_free(lat);
  }
}

/* A box where no hop is possible (every X site a pair) runs out of
 * events, as with the plain pattern, instead of re-orienting for ever. */
static void test_oriented_jammed(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_pattern(&s, 2, IONKMC_I_I, 1.0, IONKMC_PATTERN_ORIENTED, 1.0, 0);
  s.count[IONKMC_I_I] = 24;
  ionkmc_lattice *lat;
  ionkmc_rng rng;
  ionkmc_engine *e = engine_for(&s, &lat, 97, &rng);
  assert_int_equal(ionkmc_engine_run(e, &rng, 100, 0, 0), IONKMC_OK);
  const ionkmc_run_obs *o = ionkmc_engine_obs(e);
  assert_int_equal(o->no_events, 1);
  assert_int_equal(o->hops, 0);
  assert_true(o->pattern_events[IONKMC_I_I] >= (1 << 20));
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
}

/* Refusals: a correlated pattern with thermal Frenkel pairs. */
static void test_refusals(void **state) {
  (void)state;
  ionkmc_box_spec s;
  tu_spec_pattern(&s, 4, IONKMC_I_I, 1.0, IONKMC_PATTERN_ORIENTED, 1.0, 0);
  s.rate[IONKMC_V_I] = 1.0;
  s.frenkel_w = 1e-3;
  s.frenkel_max = 4;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  ionkmc_error err;
  assert_int_equal(ionkmc_box_spec_check(&s, lat, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "Frenkel"));
  s.frenkel_w = 0;
  assert_int_equal(ionkmc_box_spec_check(&s, lat, &err), IONKMC_OK);
  s.frenkel_w = 1e-3;
  s.pattern[IONKMC_I_I] = IONKMC_PATTERN_RELAY;
  assert_int_equal(ionkmc_box_spec_check(&s, lat, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "\"relay\" with thermal Frenkel"));
  s.frenkel_w = 0;
  assert_int_equal(ionkmc_box_spec_check(&s, lat, &err), IONKMC_OK);
  ionkmc_lattice_free(lat);
}

/* `test_patterns --chain L K` prints the exact tracer f of the chain in an
 * L^3 box at k_r / Gamma = K, `--closed L K` the closed form's f and return
 * statistics (L = 0: the infinite lattice) (the numbers of the README). */
int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "--closed")) {
    ionkmc_oriented_f o;
    ionkmc_error err;
    if (ionkmc_oriented_f_compute(atof(argv[3]), atoi(argv[2]), &o, &err)) {
      fprintf(stderr, "%s\n", err.text);
      return 2;
    }
    printf("L = %d k_r/Gamma = %g: f = %.10f (f_pair %.6f), g = %.8f: q_plus %.6f (q_same %.6f), q_minus %.6f, "
           "q_tau %.6f, return %.6f, integration error %.1e\n",
           o.L, o.kappa, o.f, o.f_pair, o.g, o.q_plus, o.q_same, o.q_minus, o.q_tau, o.q_return,
           o.integration_error);
    return 0;
  }
  if (argc == 4 && !strcmp(argv[1], "--chain")) {
    int L = atoi(argv[2]);
    double k = atof(argv[3]);
    if (L < 2 || L > 16 || !(k >= 0)) return 2;
    printf("L = %d k_r/Gamma = %g: f = %.5f (without returns %.5f; closed form of that %.5f)\n", L, k,
           exact_f(L, 1.0, k, 0), exact_f(L, 1.0, k, 1), (2 + k) / (4 + k));
    return 0;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_returns_closed_forms), cmocka_unit_test(test_returns_f),
      cmocka_unit_test(test_oriented_rule),        cmocka_unit_test(test_oriented_planar),
      cmocka_unit_test(test_oriented_defect_D),    cmocka_unit_test(test_oriented_tracer_f),
      cmocka_unit_test(test_oriented_f_chain),     cmocka_unit_test(test_oriented_f_limits),
      cmocka_unit_test(test_oriented_f_engine),    cmocka_unit_test(test_oriented_f_of_fit),
      cmocka_unit_test(test_oriented_writer),      cmocka_unit_test(test_pattern_state_restart),
      cmocka_unit_test(test_oriented_jammed),      cmocka_unit_test(test_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
