/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Pattern selection of the calibration (calibration/calibrate.h): the
 * fitters of calibration/patternfit.h on the lone defects' MD tracks, per
 * temperature, the choice, Arrhenius pairs for the chosen pattern's rates
 * and the evidence written with the entry. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "calibration/calibrate.h"
#include "events/oriented_f.h"

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The tracks of the runs at temperature q (lone defects with jumps). */
static int temp_tracks(const ionkmc_calib_data *d, int q, ionkmc_jump_track *tr) {
  int n = 0;
  const ionkmc_calib_temp *tp = &d->temps[q];
  for (int k = 0; k < tp->nruns; k++) {
    const ionkmc_calib_run *r = &d->runs[tp->run[k]];
    if (r->lone && r->track.n > 0) tr[n++] = r->track;
  }
  return n;
}

/* A weighted Arrhenius fit of rates k[0..n) (1/s) at temperatures T, each
 * with its 95% interval [lo, hi]: ln k against x = 1/kT by least squares
 * weighted by 1/var(ln k) from the interval (its upper half where it reaches
 * k = 0); a fit falling with T at the bound Eb = 0; with fixed_Eb finite
 * only ln nu (the weighted mean of ln k + Eb x); one weighted point, or
 * none, takes entry_Eb. Variances of Eb and ln nu and their covariance from
 * the weights (0 where held). */
typedef struct {
  double nu, Eb, var_Eb, var_ln_nu, cov;
  int held_Eb;       /* 1: Eb was not fitted (entry's, fixed, or the bound 0) */
  int weighted;      /* points with a weight */
  int bounded;       /* 1: Eb moved to keep the law within a zero fit's interval */
  const char *method;
} weighted_arrhenius;

/* A rate whose fit is at k = 0 at some temperatures (their 95% intervals
 * [0, hi]) cannot enter ln k; the law through the other points (weighted,
 * at Eb = 0, or the one-temperature rule) must still stay within those
 * intervals: ln nu - Eb x <= ln hi there. Among the lines through the
 * pivot (xp, yp) (the weighted mean point, through which every weighted
 * least-squares line of given slope passes, or the one point) the nearest
 * Eb >= 0 to the unconstrained one that meets every such bound; so the
 * result is the weighted least squares under those constraints. Nothing
 * changes when the bounds hold already or contradict each other. */
static void bound_by_zero_fits(int n, const double *T, const double *k, const double *hi, double xp, double yp,
                               weighted_arrhenius *o) {
  double emin = 0, emax = INFINITY;
  int any = 0;
  for (int q = 0; q < n; q++) {
    if (k[q] != 0 || !(hi[q] > 0) || !isfinite(hi[q])) continue;
    double dx = 1.0 / (IONKMC_KB_EV * T[q]) - xp, e = (yp - log(hi[q])) / dx;
    if (dx > 0) emin = fmax(emin, e);
    else if (dx < 0) emax = fmin(emax, e);
    any = 1;
  }
  if (!any || emin > emax || (o->Eb >= emin && o->Eb <= emax)) return;
  o->Eb = o->Eb < emin ? emin : emax;
  o->nu = exp(yp + o->Eb * xp);
  o->bounded = 1;
}

static void arrhenius_weighted(int n, const double *T, const double *k_in, const double *lo_in,
                               const double *hi_in, double entry_Eb, double fixed_Eb, weighted_arrhenius *w_out) {
  double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, k1 = NAN, x1 = NAN, s1 = NAN;
  int m = 0;
  for (int q = 0; q < n; q++) {
    double k = k_in[q], lo = lo_in[q], hi = hi_in[q];
    if (!(k > 0) || !isfinite(k)) continue; /* a boundary maximum (0 or unbounded) */
    double x = 1.0 / (IONKMC_KB_EV * T[q]), y = log(k);
    if (!isfinite(k1)) {
      k1 = k;
      x1 = x;
    }
    /* the SD of ln k from the 95% interval; an interval open at k = 0
     * (a boundary inside it) still bounds ln k from above: its upper half */
    double s;
    if (lo > 0 && isfinite(hi) && hi > lo)
      s = (log(hi) - log(lo)) / (2 * 1.959963984540054);
    else if (isfinite(hi) && hi > k)
      s = (log(hi) - log(k)) / 1.959963984540054;
    else
      continue;
    double w = 1.0 / (s * s);
    if (m == 0) {
      k1 = k; /* the one-temperature rule prefers a point with an interval */
      x1 = x;
      s1 = s;
    }
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
    m++;
  }
  weighted_arrhenius *o = w_out;
  memset(o, 0, sizeof *o);
  o->weighted = m;
  o->held_Eb = 1;
  double det = sw * sxx - sx * sx;
  if (isfinite(fixed_Eb) && m >= 1) {
    o->Eb = fixed_Eb;
    o->nu = exp((sy + fixed_Eb * sx) / sw);
    o->var_ln_nu = 1 / sw;
    o->method = "arrhenius_weighted_ln_k_fixed_Eb";
  } else if (m >= 2 && det > 0) {
    double slope = (sw * sxy - sx * sy) / det, icpt = (sy - slope * sx) / sw;
    if (slope > 0) {
      /* a rate that falls with T: the barrier's lower bound Eb = 0 is the
       * constrained optimum of the same weighted least squares, whose nu is
       * the weighted mean of ln k */
      o->Eb = 0;
      o->nu = exp(sy / sw);
      o->var_ln_nu = 1 / sw;
      o->method = "arrhenius_weighted_ln_k_Eb0";
    } else {
      o->Eb = -slope;
      o->nu = exp(icpt);
      o->held_Eb = 0;
      o->var_Eb = sw / det;
      o->var_ln_nu = sxx / det;
      o->cov = sx / det; /* cov(-slope, intercept) */
      o->method = "arrhenius_weighted_ln_k";
    }
    bound_by_zero_fits(n, T, k_in, hi_in, sx / sw, sy / sw, o);
  } else if (isfinite(k1)) {
    o->Eb = isfinite(fixed_Eb) ? fixed_Eb : entry_Eb;
    o->nu = k1 * exp(o->Eb * x1);
    o->var_ln_nu = isfinite(s1) ? s1 * s1 : 0;
    o->method = "entry_Eb_one_temperature";
    if (!isfinite(fixed_Eb)) bound_by_zero_fits(n, T, k_in, hi_in, x1, log(k1), o);
  } else {
    /* no temperature has a finite positive maximum: the fits sit at the
     * boundary k = 0 (the rate is off) */
    o->Eb = isfinite(fixed_Eb) ? fixed_Eb : entry_Eb;
    o->nu = 0;
    o->method = "boundary_zero";
  }
}

/* Arrhenius pairs of the chosen pattern's rates from the fits at the
 * temperatures (arrhenius_weighted); rates_method: a rate at the bound
 * Eb = 0 names the whole, else a fitted one, else the first rate's. */
void ionkmc_calib_pattern_rates(ionkmc_calib_pattern *p, double entry_Eb) {
  const ionkmc_pattern_info *pi = ionkmc_pattern_info_get(p->chosen);
  p->rates_method = NULL;
  for (int j = 0; pi && j < pi->nrates; j++) {
    double k[IONKMC_CALIB_MAX_RUNS], lo[IONKMC_CALIB_MAX_RUNS], hi[IONKMC_CALIB_MAX_RUNS];
    for (int q = 0; q < p->nt; q++) {
      const ionkmc_pattern_fit *f = &p->fit[q][p->chosen];
      k[q] = f->prate[j] * 1e12, lo[q] = f->prate_lo[j] * 1e12, hi[q] = f->prate_hi[j] * 1e12;
    }
    weighted_arrhenius w;
    arrhenius_weighted(p->nt, p->T, k, lo, hi, entry_Eb, NAN, &w);
    p->nu[j] = w.nu;
    p->Eb[j] = w.Eb;
    p->rate_bounded[j] = w.bounded;
    int eb0 = p->rates_method && !strcmp(p->rates_method, "arrhenius_weighted_ln_k_Eb0");
    if (!strcmp(w.method, "arrhenius_weighted_ln_k_Eb0") || (!strcmp(w.method, "arrhenius_weighted_ln_k") && !eb0) ||
        !p->rates_method)
      p->rates_method = w.method;
  }
}

ionkmc_status ionkmc_calib_pattern_select(const ionkmc_calib_data *d, int mode, double entry_Eb, ionkmc_pattern base,
                                          ionkmc_calib_pattern *out, ionkmc_error *err) {
  memset(out, 0, sizeof *out);
  out->mode = mode;
  if (mode == IONKMC_CALIB_PATTERN_RATE_ONLY) {
    snprintf(out->why, sizeof out->why, "rate only (--pattern rate-only): the entry keeps its pattern");
    return IONKMC_OK;
  }
  if (mode >= 0) {
    if (!ionkmc_defect_takes_pattern(d->kind, (ionkmc_pattern)mode))
      return ionkmc_error_set(err, IONKMC_EINVAL, "pattern %s: %s does not take it",
                              ionkmc_pattern_name((ionkmc_pattern)mode), ionkmc_defect_name(d->kind));
    if (!ionkmc_patternfit_lookup((ionkmc_pattern)mode))
      return ionkmc_error_set(err, IONKMC_EINVAL, "pattern %s: no fitter for it",
                              ionkmc_pattern_name((ionkmc_pattern)mode));
  }
  ionkmc_jump_track *tr = malloc(sizeof *tr * IONKMC_CALIB_MAX_RUNS);
  out->fit = calloc((size_t)(d->ntemps > 0 ? d->ntemps : 1), sizeof *out->fit);
  if (!tr || !out->fit) {
    free(tr);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "pattern fit: out of memory");
  }
  for (int p = 0; p < IONKMC_NPATTERN; p++) out->fitted_all[p] = 1;
  ionkmc_error last = {0};
  for (int q = 0; q < d->ntemps; q++) {
    int n = temp_tracks(d, q, tr);
    if (n == 0) continue;
    const ionkmc_calib_temp *tp = &d->temps[q];
    ionkmc_jump_context ctx = {d->kind, tp->L, tp->T};
    int i = out->nt;
    ionkmc_pattern best = IONKMC_PATTERN_SINGLE;
    if (ionkmc_patternfit_select(&ctx, tr, (size_t)n, out->fit[i], &best, &last) != IONKMC_OK)
      for (int p = 0; p < IONKMC_NPATTERN; p++) out->fit[i][p].npar = 0;
    out->T[i] = tp->T;
    out->tracks[i] = n;
    out->best[i] = best;
    for (int p = 0; p < IONKMC_NPATTERN; p++) {
      if (out->fit[i][p].npar > 0) out->aic_total[p] += out->fit[i][p].aic;
      else out->fitted_all[p] = 0;
    }
    out->nt++;
  }
  free(tr);
  if (out->nt == 0) {
    for (int p = 0; p < IONKMC_NPATTERN; p++) out->fitted_all[p] = 0;
    if (mode >= 0)
      return ionkmc_error_set(err, IONKMC_EINVAL, "pattern %s: no lone-defect track with jumps in any run",
                              ionkmc_pattern_name((ionkmc_pattern)mode));
    snprintf(out->why, sizeof out->why, "no lone-defect track with jumps in any run: nothing to fit");
    return IONKMC_OK;
  }
  if (mode >= 0) {
    if (!out->fitted_all[mode])
      return ionkmc_error_set(err, IONKMC_EINVAL, "pattern %s: cannot be fitted to the tracks%s%s",
                              ionkmc_pattern_name((ionkmc_pattern)mode), last.text[0] ? ": " : "", last.text);
    out->chosen = (ionkmc_pattern)mode;
    out->chosen_set = 1;
    snprintf(out->why, sizeof out->why, "forced with --pattern %s", ionkmc_pattern_name(out->chosen));
  } else {
    for (int p = 0; p < IONKMC_NPATTERN; p++)
      if (out->fitted_all[p] && (!out->chosen_set || out->aic_total[p] < out->aic_total[out->chosen])) {
        out->chosen = (ionkmc_pattern)p;
        out->chosen_set = 1;
      }
    if (!out->chosen_set) {
      snprintf(out->why, sizeof out->why, "no pattern could be fitted at every temperature with tracks%s%.400s",
               last.text[0] ? ": " : "", last.text);
      return IONKMC_OK;
    }
    snprintf(out->why, sizeof out->why, "least AIC summed over %d temperature%s with tracks", out->nt,
             out->nt > 1 ? "s" : "");
  }
  ionkmc_calib_pattern_rates(out, entry_Eb);
  /* The entry's per-path rate is the plain pattern's (events / (paths x
   * time)); a pattern with other paths or extra rates has its own per-path
   * rate from its fit: the factor between the two, geometric mean over the
   * temperatures (exactly 16/4 for the oriented pair's paths). */
  out->nu_scale = 1;
  if (out->chosen != IONKMC_PATTERN_SINGLE && out->chosen != IONKMC_PATTERN_COLLINEAR) {
    double sl = 0;
    int nl = 0;
    for (int q = 0; q < out->nt; q++) {
      const ionkmc_pattern_fit *c = &out->fit[q][out->chosen], *s0 = &out->fit[q][IONKMC_PATTERN_SINGLE],
                               *s1 = &out->fit[q][IONKMC_PATTERN_COLLINEAR];
      const ionkmc_pattern_fit *pl = s0->npar > 0 ? s0 : s1->npar > 0 ? s1 : NULL;
      if (pl && c->npar > 0 && c->rate > 0 && pl->rate > 0 && isfinite(c->rate)) {
        sl += log(c->rate / pl->rate);
        nl++;
      }
    }
    if (nl > 0) out->nu_scale = exp(sl / nl);
  }
  const ionkmc_pattern_info *pi = ionkmc_pattern_info_get(out->chosen);
  out->write = out->chosen != base || (pi && pi->nrates > 0);
  return IONKMC_OK;
}

void ionkmc_calib_pattern_free(ionkmc_calib_pattern *p) {
  free(p->fit);
  p->fit = NULL;
}

ionkmc_status ionkmc_calib_pattern_oriented_f(const ionkmc_pattern_fit *fit, int L, double f[3], ionkmc_error *err) {
  if (fit->pattern != IONKMC_PATTERN_ORIENTED || fit->npar <= 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "oriented f: the fit is not an oriented one");
  const double kr[3] = {fit->prate[0], fit->prate_lo[0], fit->prate_hi[0]};
  for (int j = 0; j < 3; j++) {
    ionkmc_oriented_f o;
    f[j] = NAN;
    if (fit->rate > 0 && kr[j] >= 0 && isfinite(kr[j] / fit->rate) &&
        ionkmc_oriented_f_compute(kr[j] / fit->rate, L, &o, NULL) == IONKMC_OK)
      f[j] = o.f;
  }
  return IONKMC_OK;
}

static json_t *fit_json(const ionkmc_pattern_fit *f, int L) {
  const ionkmc_pattern_info *pi = ionkmc_pattern_info_get(f->pattern);
  json_t *pr = json_object();
  for (int j = 0; pi && j < pi->nrates; j++)
    json_object_set_new(pr, pi->rate_name[j],
                        json_pack("{s:o,s:[o,o]}", "rate_s", num(f->prate[j] * 1e12), "ci95", num(f->prate_lo[j] * 1e12),
                                  num(f->prate_hi[j] * 1e12)));
  json_t *o = json_pack("{s:i,s:I,s:o,s:o,s:o,s:[o,o],s:o}", "parameters", f->npar, "jumps", (json_int_t)f->njumps,
                        "loglik", num(f->loglik), "aic", num(f->aic), "rate_per_path_s", num(f->rate * 1e12), "ci95",
                        num(f->rate_lo * 1e12), num(f->rate_hi * 1e12), "pattern_rates", pr);
  double fc[3];
  if (L > 0 && ionkmc_calib_pattern_oriented_f(f, L, fc, NULL) == IONKMC_OK)
    json_object_set_new(o, "f_closed_form",
                        json_pack("{s:o,s:[o,o],s:i,s:o,s:s}", "f", num(fc[0]), "ci95_from_reorient", num(fc[1]),
                                  num(fc[2]), "L", L, "kr_over_gamma", num(f->rate > 0 ? f->prate[0] / f->rate : NAN),
                                  "definition",
                                  "the iodide tracer f this fit predicts for the lone pair in the MD's periodic "
                                  "L^3 box (events/oriented_f.h, exact), to compare with the statistics' f_MD; "
                                  "the interval: f at the ends of reorient's 95% interval, Gamma at its estimate"));
  return o;
}

json_t *ionkmc_calib_pattern_rates_json(const ionkmc_calib_pattern *p) {
  json_t *o = json_object();
  const ionkmc_pattern_info *pi = p->chosen_set ? ionkmc_pattern_info_get(p->chosen) : NULL;
  for (int j = 0; pi && j < pi->nrates; j++)
    json_object_set_new(o, pi->rate_name[j], json_pack("{s:f,s:f}", "nu", p->nu[j], "Eb", p->Eb[j]));
  return o;
}

json_t *ionkmc_calib_pattern_evidence_json(const ionkmc_calib_data *d, const ionkmc_calib_pattern *p) {
  static const char *const MODE[] = {"rate-only", "auto"};
  json_t *temps = json_array(), *tot = json_object();
  for (int i = 0; i < p->nt; i++) {
    json_t *fits = json_object();
    json_t *geo = json_null();
    int L = 0;
    for (int q = 0; q < d->ntemps; q++)
      if (d->temps[q].T == p->T[i]) {
        geo = ionkmc_calib_geom_json(&d->temps[q].geom, &d->temps[q].corr);
        L = d->temps[q].L;
      }
    for (int k = 0; k < IONKMC_NPATTERN; k++)
      if (p->fit[i][k].npar > 0)
        json_object_set_new(fits, ionkmc_pattern_name((ionkmc_pattern)k), fit_json(&p->fit[i][k], L));
    json_array_append_new(temps, json_pack("{s:f,s:i,s:o,s:s,s:o}", "T", p->T[i], "tracks", p->tracks[i], "fits", fits,
                                           "least_aic", ionkmc_pattern_name(p->best[i]), "statistics", geo));
  }
  for (int k = 0; k < IONKMC_NPATTERN; k++)
    if (p->fitted_all[k]) json_object_set_new(tot, ionkmc_pattern_name((ionkmc_pattern)k), json_real(p->aic_total[k]));
  json_t *o = json_object();
  json_object_set_new(o, "mode", json_string(p->mode >= 0 ? ionkmc_pattern_name((ionkmc_pattern)p->mode)
                                                          : MODE[p->mode == IONKMC_CALIB_PATTERN_AUTO]));
  json_object_set_new(o, "chosen", p->chosen_set ? json_string(ionkmc_pattern_name(p->chosen)) : json_null());
  if (p->chosen_set) json_object_set_new(o, "nu_scale", json_real(p->nu_scale));
  json_object_set_new(o, "why", json_string(p->why));
  json_object_set_new(o, "aic_total", tot);
  json_object_set_new(o, "criterion", json_string("AIC = 2 parameters - 2 ln L of the lone defects' jump sequences "
                                                  "(dwells and destinations), summed over the temperatures"));
  if (p->chosen_set && p->rates_method) {
    json_object_set_new(o, "pattern_rates", ionkmc_calib_pattern_rates_json(p));
    json_object_set_new(o, "pattern_rates_method",
                        json_string(!strcmp(p->rates_method, "arrhenius_weighted_ln_k")
                                        ? "least-squares fit of ln k against 1/kT weighted by 1/var(ln k) from each "
                                          "fit's 95% interval (its upper half where it reaches k = 0)"
                                    : !strcmp(p->rates_method, "arrhenius_weighted_ln_k_Eb0")
                                        ? "least-squares fit of ln k against 1/kT weighted by 1/var(ln k) from each "
                                          "fit's 95% interval (its upper half where it reaches k = 0); a rate whose free fit had Eb < 0 (falling with T) "
                                          "at the bound Eb = 0"
                                    : !strcmp(p->rates_method, "boundary_zero")
                                        ? "every temperature's maximum at k = 0 (boundary): nu = 0, the rate is off"
                                        : "one temperature: Eb = the entry's Eb, nu = k exp(Eb/kT)"));
    const ionkmc_pattern_info *pi = ionkmc_pattern_info_get(p->chosen);
    json_t *bd = json_array();
    for (int j = 0; pi && j < pi->nrates; j++)
      if (p->rate_bounded[j]) json_array_append_new(bd, json_string(pi->rate_name[j]));
    if (json_array_size(bd) > 0)
      json_object_set_new(o, "pattern_rates_bounded",
                          json_pack("{s:o,s:s}", "rates", bd, "definition",
                                    "these rates' fits are 0 at some temperatures (no ln k there); their law "
                                    "takes the Eb nearest to the one above that keeps it within those "
                                    "temperatures' 95% intervals [0, hi] (the weighted least squares under that "
                                    "constraint)"));
    else
      json_decref(bd);
  }
  if (p->gamma_used)
    json_object_set_new(
        o, "entry_rate",
        json_pack("{s:f,s:f,s:s,s:f,s:f,s:s}", "nu", p->gamma_nu, "Eb", p->gamma_Eb, "method", p->gamma_method,
                  "plain_nu", p->plain_nu, "plain_Eb", p->plain_Eb, "definition",
                  "the entry's per-path nu (1/s) and Eb (eV): the Arrhenius pair of the chosen pattern's own "
                  "per-path rate Gamma (rate_per_path_s of its fit at each temperature, weighted by 1/var(ln "
                  "Gamma) from its 95% interval), in place of the plain fit's (plain_nu, plain_Eb), so that the "
                  "KMC hops at the MD's rate at each temperature; nu_scale is then not applied"));
  json_object_set_new(o, "written_to_entry", json_boolean(p->write));
  json_object_set_new(o, "temperatures", temps);
  return o;
}

/* The entry's Eb and nu from the chosen correlated pattern's own per-path
 * rate Gamma at each temperature (arrhenius_weighted on the fits' Gamma and
 * their 95% profile intervals; Eb held for an entry with the NEB barrier
 * fixed), with the covariance of that fit; 0 (nothing changed) where the
 * entry is not a plain Arrhenius fit or no Gamma has an interval. */
static int entry_from_gamma(ionkmc_calib_pattern *p, ionkmc_calib_result *res) {
  const char *fu = res->fit_used ? res->fit_used : "";
  int neb = !strcmp(fu, "neb_fixed_fit");
  if (p->chosen == IONKMC_PATTERN_SINGLE || p->chosen == IONKMC_PATTERN_COLLINEAR ||
      !(neb || !strcmp(fu, "arrhenius_fit") || !strcmp(fu, "arrhenius_boundary_fit")))
    return 0;
  double k[IONKMC_CALIB_MAX_RUNS], lo[IONKMC_CALIB_MAX_RUNS], hi[IONKMC_CALIB_MAX_RUNS];
  for (int q = 0; q < p->nt; q++) {
    const ionkmc_pattern_fit *f = &p->fit[q][p->chosen];
    k[q] = f->rate * 1e12, lo[q] = f->rate_lo * 1e12, hi[q] = f->rate_hi * 1e12;
  }
  weighted_arrhenius w;
  arrhenius_weighted(p->nt, p->T, k, lo, hi, res->Eb, neb ? res->Eb : NAN, &w);
  if (w.weighted < 1 || !(w.nu > 0) || !isfinite(w.nu)) return 0;
  p->gamma_used = 1;
  p->gamma_nu = w.nu;
  p->gamma_Eb = w.Eb;
  p->gamma_method = w.method;
  p->plain_nu = res->nu;
  p->plain_Eb = res->Eb;
  res->Eb = w.Eb;
  res->nu = w.nu;
  ionkmc_catalog_fit *cf = &res->cf;
  memset(cf, 0, sizeof *cf);
  cf->theta[IONKMC_PARAM_EB] = w.Eb;
  cf->theta[IONKMC_PARAM_LN_NU] = log(w.nu);
  if (w.held_Eb) {
    cf->nparams = 1;
    cf->param[0] = IONKMC_PARAM_LN_NU;
    cf->cov[0][0] = w.var_ln_nu;
  } else {
    cf->nparams = 2;
    cf->param[0] = IONKMC_PARAM_EB;
    cf->param[1] = IONKMC_PARAM_LN_NU;
    cf->cov[0][0] = w.var_Eb;
    cf->cov[1][1] = w.var_ln_nu;
    cf->cov[0][1] = cf->cov[1][0] = w.cov;
  }
  cf->note = "weighted least squares of ln Gamma (the pattern fit's per-path rate) against 1/kT, weights "
             "1/var(ln Gamma) from each fit's 95% profile-likelihood interval; Eb not in it where held";
  return 1;
}

static const char *gamma_method_text(const char *m) {
  return !strcmp(m, "arrhenius_weighted_ln_k")            ? "a weighted Arrhenius fit of ln Gamma"
         : !strcmp(m, "arrhenius_weighted_ln_k_Eb0")      ? "a weighted Arrhenius fit of ln Gamma at the bound Eb = 0"
         : !strcmp(m, "arrhenius_weighted_ln_k_fixed_Eb") ? "the weighted mean of ln Gamma + Eb/kT, Eb held at the "
                                                            "entry's NEB barrier"
                                                          : "one temperature, at the entry's Eb";
}

void ionkmc_calib_pattern_apply(ionkmc_calib_pattern *p, ionkmc_calib_result *res) {
  static const struct {
    const char *method, *text;
  } HOW[] = {{"arrhenius_weighted_ln_k", "from a weighted Arrhenius fit of ln k over the temperatures"},
             {"arrhenius_weighted_ln_k_Eb0",
              "from a weighted Arrhenius fit of ln k over the temperatures (a rate falling with T at Eb = 0)"},
             {"entry_Eb_one_temperature", "at the entry's Eb from one temperature (nu = k exp(Eb/kT))"},
             {"boundary_zero", "off (nu = 0: every temperature's fit at the boundary k = 0)"}};
  int gamma = entry_from_gamma(p, res);
  /* the one-temperature rule of the pattern's rates takes the entry's new Eb */
  if (gamma) ionkmc_calib_pattern_rates(p, res->Eb);
  const char *how = "(none)";
  for (size_t i = 0; p->rates_method && i < sizeof HOW / sizeof HOW[0]; i++)
    if (!strcmp(p->rates_method, HOW[i].method)) how = HOW[i].text;
  size_t len = strlen(res->provenance);
  snprintf(res->provenance + len, sizeof res->provenance - len, "; pattern %s (%s), its rates %s",
           ionkmc_pattern_name(p->chosen), p->why, how);
  const ionkmc_pattern_info *pi = ionkmc_pattern_info_get(p->chosen);
  for (int j = 0; pi && j < pi->nrates; j++)
    if (p->rate_bounded[j]) {
      len = strlen(res->provenance);
      snprintf(res->provenance + len, sizeof res->provenance - len,
               " (%s at Eb = %.4f eV, within the 95%% interval of the temperatures where its fit is 0)",
               pi->rate_name[j], p->Eb[j]);
    }
  if (gamma) {
    len = strlen(res->provenance);
    snprintf(res->provenance + len, sizeof res->provenance - len,
             "; the entry's Eb = %.4f eV and nu = %.4g 1/s per path are the pattern's own per-path rate Gamma "
             "(%s over %d temperatures), so that the KMC hops at the MD's rate at each; the plain fit's were "
             "Eb = %.4f eV, nu = %.4g 1/s",
             res->Eb, res->nu, gamma_method_text(p->gamma_method), p->nt, p->plain_Eb, p->plain_nu);
    return;
  }
  if (p->nu_scale == 1) return;
  /* the entry's per-path rate becomes the pattern's own (its paths differ,
   * or part of the events are its extra rates) */
  res->nu *= p->nu_scale;
  res->cf.theta[IONKMC_PARAM_LN_NU] += log(p->nu_scale);
  len = strlen(res->provenance);
  snprintf(res->provenance + len, sizeof res->provenance - len,
           "; nu x %.4g: the pattern's own per-path rate over the plain one (geometric mean over the "
           "temperatures; the covariance is the plain fit's)",
           p->nu_scale);
}
