/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Hop geometry and correlation statistics (calibration/hopgeom.h): the
 * accumulators, the statistics, f and the decomposition, and the two
 * readers (MD hop records, the KMC jump log). */
#include "calibration/hopgeom.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* ---- accumulation ---------------------------------------------------------- */

void ionkmc_geom_add_event(ionkmc_geom_acc *acc, int natoms, double S, double dR2) {
  acc->events += 1;
  acc->natoms += natoms;
  acc->natoms2 += (double)natoms * natoms;
  acc->S += S;
  acc->S2 += S * S;
  acc->dR2 += dR2;
  acc->dR2_2 += dR2 * dR2;
}

static int cos_bin(double c) {
  int b = (int)lround((c + 1.0) * 2.0);
  return b < 0 ? 0 : b >= IONKMC_GEOM_NCOS ? IONKMC_GEOM_NCOS - 1 : b;
}

void ionkmc_geom_add_track(ionkmc_geom_acc *acc, const ionkmc_jump_track *tr) {
  acc->tracks += 1;
  for (size_t j = 0; j < tr->n; j++) {
    const int *d = tr->jump[j].dh;
    acc->jumps += 1;
    if (j == 0) continue;
    const int *p = tr->jump[j - 1].dh;
    double pp = p[0] * p[0] + p[1] * p[1] + p[2] * p[2], dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    if (!(pp > 0 && dd > 0)) continue;
    double c = (p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) / sqrt(pp * dd);
    acc->pairs += 1;
    acc->cos += c;
    acc->cos2 += c * c;
    acc->cos_hist[cos_bin(c)] += 1;
    if (d[0] == -p[0] && d[1] == -p[1] && d[2] == -p[2]) acc->returns += 1;
  }
}

void ionkmc_geom_acc_merge(ionkmc_geom_acc *acc, const ionkmc_geom_acc *b) {
  double *x = (double *)acc;
  const double *y = (const double *)b;
  for (size_t i = 0; i < sizeof *acc / sizeof(double); i++) x[i] += y[i];
}

/* ---- statistics ------------------------------------------------------------- */

/* Mean of n samples from their sum and sum of squares, t interval. */
static ionkmc_estimate mean_est(double n, double s, double s2) {
  ionkmc_estimate e = {NAN, NAN, NAN, NAN, (int)n};
  if (!(n > 0)) return e;
  e.mean = s / n;
  if (n < 2) return e;
  double var = (s2 - s * s / n) / (n - 1);
  e.sem = sqrt(var > 0 ? var / n : 0);
  double tq = gsl_cdf_tdist_Pinv(0.975, n - 1);
  e.lo = e.mean - tq * e.sem;
  e.hi = e.mean + tq * e.sem;
  return e;
}

/* The x with I_x(a, b) = q, by bisection (the regularized incomplete beta
 * is monotone in x; GSL's own inverse fails to converge for large a, b). */
static double beta_quantile(double q, double a, double b) {
  double lo = 0, hi = 1;
  for (int it = 0; it < 100 && hi - lo > 1e-15; it++) {
    double mid = 0.5 * (lo + hi);
    if (gsl_cdf_beta_P(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

static ionkmc_geom_frac binom(double k, double n) {
  ionkmc_geom_frac f = {k, n, NAN, NAN, NAN};
  if (!(n > 0)) return f;
  f.frac = k / n;
  f.lo = k > 0 ? beta_quantile(0.025, k, n - k + 1) : 0.0;
  f.hi = k < n ? beta_quantile(0.975, k + 1, n - k) : 1.0;
  return f;
}

void ionkmc_geom_finish(const ionkmc_geom_acc *acc, int z, ionkmc_geom_stats *out) {
  memset(out, 0, sizeof *out);
  out->z = z;
  out->events = acc->events;
  out->jumps = acc->jumps;
  out->pairs = acc->pairs;
  out->tracks = acc->tracks;
  out->natoms = mean_est(acc->events, acc->natoms, acc->natoms2);
  out->S = mean_est(acc->events, acc->S, acc->S2);
  out->dR2 = mean_est(acc->events, acc->dR2, acc->dR2_2);
  out->cos = mean_est(acc->pairs, acc->cos, acc->cos2);
  for (int b = 0; b < IONKMC_GEOM_NCOS; b++) {
    out->cos_value[b] = -1.0 + 0.5 * b;
    out->cos_bin[b] = binom(acc->cos_hist[b], acc->pairs);
  }
  out->ret = binom(acc->returns, acc->pairs);
  out->ret_random_walk = z > 0 ? 1.0 / z : NAN;
  out->ret_agree = acc->pairs > 0 ? (out->ret.lo <= out->ret_random_walk && out->ret_random_walk <= out->ret.hi) : -1;
}

/* ---- f and the decomposition -------------------------------------------------- */

/* The log-scale SE of an estimate: from its 95% interval where it has one
 * (so that a Student-t interval of few runs keeps its width), else sem/mean. */
static double rel_se(ionkmc_estimate e) {
  if (!isfinite(e.mean) || !(e.mean > 0)) return NAN;
  if (e.lo > 0 && isfinite(e.hi) && e.hi > e.lo) return (log(e.hi) - log(e.lo)) / (2 * 1.959963984540054);
  if (e.n >= 2 && isfinite(e.sem)) return e.sem / e.mean;
  return e.sem == 0 ? 0.0 : NAN;
}

void ionkmc_geom_correlation(ionkmc_estimate D, double events, double time_s, ionkmc_estimate S,
                             ionkmc_geom_corr *out) {
  out->D = D.mean;
  out->D_sd_ln = rel_se(D);
  out->gamma = time_s > 0 ? events / time_s : NAN;
  out->gamma_sd_ln = events > 0 ? 1.0 / sqrt(events) : NAN;
  out->S = S.mean;
  out->S_sd_ln = S.mean > 0 && isfinite(S.sem) ? S.sem / S.mean : NAN;
  /* 1 A^2 = 1e-16 cm^2 */
  out->f = out->gamma > 0 && out->S > 0 ? 6.0 * D.mean / (out->gamma * out->S * 1e-16) : NAN;
  out->f_sd_ln = sqrt(out->D_sd_ln * out->D_sd_ln + out->gamma_sd_ln * out->gamma_sd_ln +
                      out->S_sd_ln * out->S_sd_ln);
  out->f_lo = out->f * exp(-1.959963984540054 * out->f_sd_ln);
  out->f_hi = out->f * exp(1.959963984540054 * out->f_sd_ln);
}

/* Ratios within this of 1 agree whatever their interval: two means of one
 * lattice geometry (every event a/sqrt(2) on both sides) differ only by the
 * rounding of their sums, while their SEs can be smaller still. */
#define RATIO_SAME_LN 1e-6

static ionkmc_geom_ratio ratio_of(double a, double sa, double b, double sb) {
  ionkmc_geom_ratio r;
  r.ratio = a / b;
  r.sd_ln = sqrt(sa * sa + sb * sb);
  r.lo = r.ratio * exp(-1.959963984540054 * r.sd_ln);
  r.hi = r.ratio * exp(1.959963984540054 * r.sd_ln);
  r.agree = isfinite(r.lo) && isfinite(r.hi)
                ? ((r.lo <= 1.0 && 1.0 <= r.hi) || fabs(log(r.ratio)) < RATIO_SAME_LN)
                : -1;
  return r;
}

void ionkmc_geom_decompose(const ionkmc_geom_corr *md, const ionkmc_geom_corr *kmc, ionkmc_geom_decomp *out) {
  out->D = ratio_of(md->D, md->D_sd_ln, kmc->D, kmc->D_sd_ln);
  out->rate = ratio_of(md->gamma, md->gamma_sd_ln, kmc->gamma, kmc->gamma_sd_ln);
  out->disp = ratio_of(md->S, md->S_sd_ln, kmc->S, kmc->S_sd_ln);
  out->corr = ratio_of(md->f, md->f_sd_ln, kmc->f, kmc->f_sd_ln);
  out->identity = out->rate.ratio * out->disp.ratio * out->corr.ratio / out->D.ratio - 1.0;
  const ionkmc_geom_ratio *r[3] = {&out->rate, &out->disp, &out->corr};
  const char *name[3] = {"rate", "displacement", "correlation"};
  out->off[0] = 0;
  size_t len = 0;
  for (int i = 0; i < 3; i++)
    if (r[i]->agree == 0)
      len += (size_t)snprintf(out->off + len, sizeof out->off - len, "%s%s", len ? "+" : "", name[i]);
  if (!len && out->D.agree == 0) {
    /* D disagrees although no factor alone lies outside its (wider)
     * interval: name the factor farthest from 1 in units of its own SD */
    int w = 0;
    double zmax = -1;
    for (int i = 0; i < 3; i++) {
      double z = r[i]->sd_ln > 0 ? fabs(log(r[i]->ratio)) / r[i]->sd_ln : 0;
      if (isfinite(z) && z > zmax) zmax = z, w = i;
    }
    len = (size_t)snprintf(out->off, sizeof out->off, "%s (largest)", name[w]);
  }
  if (!len) snprintf(out->off, sizeof out->off, "%s", out->corr.agree < 0 ? "unknown" : "none");
}

/* ---- MD: hop records -------------------------------------------------------- */

#define EVENT_MAX 64 /* hops of one event kept (the tracker's groups hold fewer) */

/* One event: records h[0..m) of the kind's species; ord[] their indices in
 * time order. */
static void md_event(const ionkmc_hop_record *h, size_t m, int vac, int dR[3], int *natoms, double *S, int *ord) {
  double net[EVENT_MAX][3];
  int64_t id[EVENT_MAX];
  int na = 0;
  dR[0] = dR[1] = dR[2] = 0;
  for (size_t i = 0; i < m; i++) {
    for (int c = 0; c < 3; c++) dR[c] += (vac ? -1 : 1) * h[i].dh[c];
    int k = 0;
    while (k < na && id[k] != h[i].id[0]) k++;
    if (k == na) {
      id[na] = h[i].id[0];
      net[na][0] = net[na][1] = net[na][2] = 0;
      na++;
    }
    for (int c = 0; c < 3; c++) net[k][c] += h[i].vec[c];
    /* insertion into time order */
    size_t j = i;
    while (j > 0 && h[ord[j - 1]].time > h[i].time) {
      ord[j] = ord[j - 1];
      j--;
    }
    ord[j] = (int)i;
  }
  *S = 0;
  *natoms = 0;
  for (int k = 0; k < na; k++) {
    double r2 = net[k][0] * net[k][0] + net[k][1] * net[k][1] + net[k][2] * net[k][2];
    *S += r2;
    *natoms += r2 > 0;
  }
}

/* Append a jump at time t (ps) to the track under construction. */
static ionkmc_status track_push(ionkmc_defect_jump *jump, size_t cap, size_t *nj, double *t_prev, double t,
                                const int dh[3], int from, ionkmc_error *err) {
  if (*nj == cap) return ionkmc_error_set(err, IONKMC_ERANGE, "hop geometry: more than %zu jumps", cap);
  jump[*nj].dwell = t - *t_prev;
  memcpy(jump[*nj].dh, dh, 3 * sizeof *dh);
  jump[*nj].from_site = from;
  *t_prev = t;
  ++*nj;
  return IONKMC_OK;
}

ionkmc_status ionkmc_geom_md_run(const ionkmc_hop_record *h, size_t n, ionkmc_defect_kind kind, double t_first,
                                 double t_last, double a_A, ionkmc_geom_acc *acc, ionkmc_defect_jump *jump,
                                 size_t cap, ionkmc_jump_track *track, ionkmc_error *err) {
  ionkmc_mech mech = ionkmc_mech_of_defect(kind);
  int sp = ionkmc_defect_species_index(kind), vac = ionkmc_defect_is_vacancy(kind);
  int coll = ionkmc_defect_takes_pattern(kind, IONKMC_PATTERN_COLLINEAR);
  ionkmc_sublattice sub = ionkmc_defect_sublattice(kind);
  double hA = 0.5 * a_A;
  size_t nj = 0;
  double t_prev = t_first;
  ionkmc_status st = IONKMC_OK;
  for (size_t i = 0; i < n && !st;) {
    size_t j = i + 1;
    while (j < n && h[j].event == h[i].event) j++;
    size_t m = j - i;
    if (h[i].event_mech == mech && h[i].species == sp && m <= EVENT_MAX) {
      double S;
      int dR[3], na, ord[EVENT_MAX];
      md_event(h + i, m, vac, dR, &na, &S, ord);
      const ionkmc_hop_record *h0 = &h[i + (size_t)ord[0]];
      ionkmc_geom_add_event(acc, na, S, (double)(dR[0] * dR[0] + dR[1] * dR[1] + dR[2] * dR[2]) * hA * hA);
      if (jump && (dR[0] || dR[1] || dR[2])) {
        if (ionkmc_patternfit_nn_move(sub, dR, coll)) {
          /* the event is one move of the defect */
          st = track_push(jump, cap, &nj, &t_prev, h0->time, dR, vac ? h0->to_site : h0->from_site, err);
        } else {
          /* a chain: the defect's hops one by one, in time order */
          for (size_t k = 0; k < m && !st; k++) {
            const ionkmc_hop_record *r = &h[i + (size_t)ord[k]];
            int d[3] = {(vac ? -1 : 1) * r->dh[0], (vac ? -1 : 1) * r->dh[1], (vac ? -1 : 1) * r->dh[2]};
            st = track_push(jump, cap, &nj, &t_prev, r->time, d, vac ? r->to_site : r->from_site, err);
          }
        }
      }
    }
    i = j;
  }
  if (st) return st;
  if (jump) {
    *track = (ionkmc_jump_track){jump, nj, t_last > t_prev ? t_last - t_prev : 0};
    ionkmc_geom_add_track(acc, track);
  }
  return IONKMC_OK;
}

/* ---- KMC: the jump log ------------------------------------------------------------ */

ionkmc_status ionkmc_geom_kmc_run(const ionkmc_jump_entry *log, size_t n, int d, double t_end, double a_A,
                                  ionkmc_geom_acc *acc, ionkmc_defect_jump *jump, size_t cap,
                                  ionkmc_jump_track *track, ionkmc_error *err) {
  double h = 0.5 * a_A, t_prev = 0;
  size_t nj = 0;
  for (size_t i = 0; i < n; i++) {
    if (log[i].defect != d) continue;
    int r2 = log[i].dh[0] * log[i].dh[0] + log[i].dh[1] * log[i].dh[1] + log[i].dh[2] * log[i].dh[2];
    ionkmc_geom_add_event(acc, log[i].natoms, log[i].jump2 * h * h, r2 * h * h);
    if (!jump) continue;
    if (nj == cap) return ionkmc_error_set(err, IONKMC_ERANGE, "hop geometry: more than %zu jumps", cap);
    jump[nj].dwell = (log[i].t - t_prev) * 1e12;
    for (int c = 0; c < 3; c++) jump[nj].dh[c] = log[i].dh[c];
    jump[nj].from_site = log[i].from_site;
    t_prev = log[i].t;
    nj++;
  }
  if (jump) {
    *track = (ionkmc_jump_track){jump, nj, t_end > t_prev ? (t_end - t_prev) * 1e12 : 0};
    ionkmc_geom_add_track(acc, track);
  }
  return IONKMC_OK;
}
