/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Thermal Frenkel pairs: the box set-up from the catalog and the exact
 * equilibrium (kmc/frenkel.h). */
#include "kmc/frenkel.h"

#include <math.h>
#include <stddef.h>

/* ln P(n) up to a constant: n ln(w/2) - ln n! - ln (n + delta)! - ln n_0!. */
static double log_weight(int N, int delta, double lw2, int n) {
  double n0 = (double)N - 2.0 * n - delta;
  return n * lw2 - lgamma(n + 1.0) - lgamma(n + delta + 1.0) - lgamma(n0 + 1.0);
}

/* P(n + 1) / P(n) >= 1 */
static int rising(int N, int delta, double w, int n) {
  double n0 = (double)N - 2.0 * n - delta;
  return 0.5 * w * n0 * (n0 - 1) >= (n + 1.0) * (n + 1.0 + delta);
}

ionkmc_status ionkmc_frenkel_equilibrium(int nsites, int delta, double w, ionkmc_frenkel_eq *out,
                                         ionkmc_error *err) {
  if (!(w > 0) || !isfinite(w))
    return ionkmc_error_set(err, IONKMC_ERANGE, "frenkel: pair weight must be > 0 and finite, got %g", w);
  int lo = delta < 0 ? -delta : 0, hi = (nsites - delta) / 2;
  if (nsites < 1 || (nsites - delta) < 0 || lo > hi)
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "frenkel: no admissible pair count on %d sites with n_I - n_V = %d", nsites,
                            delta);
  /* the mode: P(n+1)/P(n) falls with n, so bisect for its last rise */
  int a = lo, b = hi;
  while (a < b) {
    int m = a + (b - a) / 2;
    if (rising(nsites, delta, w, m)) a = m + 1;
    else b = m;
  }
  int mode = a;
  double lw2 = log(0.5 * w), l0 = log_weight(nsites, delta, lw2, mode);
  double s0 = 0, s1 = 0, s2 = 0, sz = 0;
  for (int dir = -1; dir <= 1; dir += 2)
    for (int n = dir < 0 ? mode : mode + 1; n >= lo && n <= hi; n += dir) {
      double lp = log_weight(nsites, delta, lw2, n) - l0;
      if (lp < -69.1) break; /* below 1e-30 of the largest term, and falling */
      double p = exp(lp), n0 = (double)nsites - 2.0 * n - delta;
      s0 += p;
      s1 += p * n;
      s2 += p * (double)n * n;
      sz += p * n0 * (n0 - 1);
    }
  double m1 = s1 / s0, m2 = s2 / s0;
  out->nv = m1;
  out->ni = m1 + delta;
  out->nv_sd = sqrt(fmax(0.0, m2 - m1 * m1));
  out->nvni = m2 + delta * m1;
  out->n0n0 = sz / s0;
  return IONKMC_OK;
}

ionkmc_status ionkmc_box_spec_frenkel(ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                                      ionkmc_error *err) {
  const ionkmc_frenkel_entry *f = ionkmc_catalog_frenkel(cat);
  spec->frenkel_w = 0;
  spec->frenkel_max = 0;
  if (!f->present) return IONKMC_OK;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *en = ionkmc_catalog_get(cat, k);
    if ((spec->count[k] > 0 || k == IONKMC_V_I || k == IONKMC_I_I) && en->present && en->provider->env_shells > 0)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "frenkel: %s uses the %s provider; thermal pair creation needs the "
                              "constant (or sampled) provider for every defect of the box",
                              ionkmc_defect_name(k), en->provider->name);
  }
  for (int k = IONKMC_V_I; k <= IONKMC_I_I; k++) {
    ionkmc_status st = ionkmc_catalog_rate(cat, k, spec->cond.T, spec->cond.a, spec->cond.shift, &spec->rate[k], err);
    if (st) return st;
    /* a correlated pattern stays, for ionkmc_box_spec_check to refuse */
    ionkmc_pattern pat = ionkmc_catalog_get(cat, k)->pattern;
    spec->pattern[k] = ionkmc_pattern_correlated(pat) ? pat : IONKMC_PATTERN_SINGLE;
  }
  double w = ionkmc_frenkel_weight(f, spec->cond.T);
  if (!(w > 1e-300))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "frenkel.E_f: the pair weight exp(S_f - E_f/kT) = %g at %g K: no pair would "
                            "ever form", w, spec->cond.T);
  int N = 3 * spec->L * spec->L * spec->L;
  ionkmc_frenkel_eq eq;
  ionkmc_status st =
      ionkmc_frenkel_equilibrium(N, spec->count[IONKMC_I_I] - spec->count[IONKMC_V_I], w, &eq, err);
  if (st) return st;
  spec->frenkel_w = w;
  if (f->max_pairs > 0) spec->frenkel_max = f->max_pairs;
  else {
    double m = ceil(eq.nv + 10 * eq.nv_sd + 16);
    spec->frenkel_max = m < N / 2 ? (int)m : (N / 2 > 1 ? N / 2 : 1);
  }
  return IONKMC_OK;
}

double ionkmc_frenkel_nominal_rate(const ionkmc_box_spec *spec) {
  int N = 3 * spec->L * spec->L * spec->L;
  ionkmc_frenkel_eq eq = {0, 0, 0, 0, 0};
  if (ionkmc_frenkel_equilibrium(N, spec->count[IONKMC_I_I] - spec->count[IONKMC_V_I], spec->frenkel_w,
                                 &eq, NULL) != IONKMC_OK)
    eq.nv = eq.ni = 0;
  double r = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    double n = spec->count[k];
    if (k == IONKMC_V_I) n = fmax(n, eq.nv);
    if (k == IONKMC_I_I) n = fmax(n, eq.ni);
    r += n * ionkmc_defect_npaths(k) * spec->rate[k];
  }
  return r + (double)N * IONKMC_NNB_XX * spec->frenkel_w * spec->rate[IONKMC_I_I];
}
