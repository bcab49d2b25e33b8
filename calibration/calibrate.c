/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibration as a library (calibration/calibrate.h): runs grouped by T and
 * their statistics, the fits, the choice between them and the provenance. */
#define _POSIX_C_SOURCE 200809L
#include "calibration/calibrate.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const ALT_NAME[IONKMC_CALIB_NALT] = {"r_inner x0.8", "r_inner x1.2", "dwell x0.5",
                                                        "dwell x2"};

const char *ionkmc_calib_sensitivity_name(int k) {
  return k >= 0 && k < IONKMC_CALIB_NALT ? ALT_NAME[k] : NULL;
}

void ionkmc_calib_sensitivity_params(const ionkmc_hop_params *hp, ionkmc_hop_params alt[IONKMC_CALIB_NALT]) {
  for (int k = 0; k < IONKMC_CALIB_NALT; k++) {
    ionkmc_hop_params q = *hp;
    q.msd = 0;
    if (k < 2) {
      q.r_inner *= k == 0 ? 0.8 : 1.2;
      q.r_inner_ma *= k == 0 ? 0.8 : 1.2;
    } else {
      q.dwell *= k == 2 ? 0.5 : 2.0;
    }
    alt[k] = q;
  }
}

ionkmc_status ionkmc_calib_check_run(const ionkmc_calib_run *run, ionkmc_defect_kind kind, ionkmc_error *err) {
  ionkmc_mech mech = ionkmc_mech_of_defect(kind);
  if (run->sum.defects_first[mech] >= 1) return IONKMC_OK;
  return ionkmc_error_set(err, IONKMC_EINVAL,
                          "%s: frame 0: expected a %s (mechanism %s) in the first frame, found none "
                          "(empty X sites %d, doubly occupied X %d, doubly occupied A %d, empty A %d)",
                          run->path, ionkmc_defect_name(kind), ionkmc_mech_name(mech), run->sum.defects_first[0],
                          run->sum.defects_first[1], run->sum.defects_first[2], run->sum.defects_first[3]);
}

/* The statistics of one temperature over its runs. */
static ionkmc_status temp_stats(const ionkmc_calib_run *runs, ionkmc_defect_kind kind, ionkmc_calib_temp *tp,
                                ionkmc_error *err) {
  ionkmc_mech mech = ionkmc_mech_of_defect(kind);
  int np = ionkmc_defect_npaths(kind);
  int sp = ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? 0 : 1;
  double asum = 0;
  for (int q = 0; q < tp->nruns; q++) {
    const ionkmc_md_summary *s = &runs[tp->run[q]].sum;
    tp->count += (double)s->events[mech];
    tp->exposure += s->exposure[mech];
    tp->unclassified += (double)s->events[IONKMC_MECH_UNCLASSIFIED];
    tp->hops += (double)s->hops[sp];
    tp->back_hops += (double)s->back_hops[sp];
    for (int v = 0; v < IONKMC_CALIB_NALT; v++) tp->alt_count[v] += (double)runs[tp->run[q]].alt[v].events[mech];
    tp->duration += (s->t_last - s->t_first) * 1e-12;
    asum += s->a_mean;
    tp->L = s->L;
  }
  tp->a = asum / tp->nruns;
  ionkmc_geom_acc g;
  memset(&g, 0, sizeof g);
  for (int q = 0; q < tp->nruns; q++) ionkmc_geom_acc_merge(&g, &runs[tp->run[q]].geom);
  ionkmc_geom_finish(&g, ionkmc_defect_z(kind), &tp->geom);
  double lo, hi;
  ionkmc_status st = ionkmc_poisson_interval((int64_t)tp->count, 0.95, &lo, &hi, err);
  if (st) return st;
  tp->rate = tp->count / (tp->exposure * np);
  tp->rate_lo = lo / (tp->exposure * np);
  tp->rate_hi = hi / (tp->exposure * np);
  tp->od_chi2 = tp->od_p = NAN;
  tp->od_dof = 0;
  double c[IONKMC_CALIB_MAX_RUNS], e[IONKMC_CALIB_MAX_RUNS];
  if (tp->nruns >= 2 && tp->count > 0) {
    for (int q = 0; q < tp->nruns; q++) {
      c[q] = (double)runs[tp->run[q]].sum.events[mech];
      e[q] = runs[tp->run[q]].sum.exposure[mech];
    }
    if ((st = ionkmc_overdispersion(c, e, tp->nruns, &tp->od_chi2, &tp->od_dof, &tp->od_p, err))) return st;
  }
  for (int q = 0; q < tp->nruns; q++) c[q] = runs[tp->run[q]].sum.D[sp];
  tp->D = ionkmc_estimate_log_interval(ionkmc_estimate_mean(c, tp->nruns, 1));
  for (int q = 0; q < tp->nruns; q++) c[q] = runs[tp->run[q]].sum.D_defect[mech];
  tp->D_defect = ionkmc_estimate_log_interval(ionkmc_estimate_mean(c, tp->nruns, 1));
  tp->defect_runs = tp->D_defect.n;
  /* One run at this T: the standard errors come from blocks of it. */
  const ionkmc_md_summary *s0 = &runs[tp->run[0]].sum;
  tp->nblocks = tp->block_frames = 0;
  if (tp->nruns == 1 && s0->nblocks > 0) {
    tp->nblocks = s0->nblocks;
    tp->block_frames = s0->block_frames;
    if (s0->D_block[sp].n > 0) tp->D = s0->D_block[sp];
    if (isfinite(s0->D_defect[mech]) && s0->D_defect_block[mech].n > 0) tp->D_defect = s0->D_defect_block[mech];
  }
  ionkmc_geom_correlation(tp->D, tp->count, tp->duration, tp->geom.S, &tp->corr);
  return IONKMC_OK;
}

ionkmc_status ionkmc_calib_group(const ionkmc_calib_run *runs, int n, ionkmc_defect_kind kind,
                                 ionkmc_calib_temp *temps, int *ntemps, ionkmc_error *err) {
  *ntemps = 0;
  if (n < 1 || n > IONKMC_CALIB_MAX_RUNS)
    return ionkmc_error_set(err, IONKMC_EINVAL, "calibration: expected 1 to %d runs, got %d", IONKMC_CALIB_MAX_RUNS,
                            n);
  int nt = 0;
  for (int r = 0; r < n; r++) {
    int g = -1;
    for (int k = 0; k < nt; k++)
      if (temps[k].T == runs[r].T) g = k;
    if (g < 0) {
      g = nt++;
      memset(&temps[g], 0, sizeof temps[g]);
      temps[g].T = runs[r].T;
    }
    ionkmc_calib_temp *tp = &temps[g];
    tp->run[tp->nruns++] = r;
  }
  for (int i = 1; i < nt; i++) /* in order of T */
    for (int j = i; j > 0 && temps[j].T < temps[j - 1].T; j--) {
      ionkmc_calib_temp tmp = temps[j];
      temps[j] = temps[j - 1];
      temps[j - 1] = tmp;
    }
  for (int k = 0; k < nt; k++) {
    ionkmc_status st = temp_stats(runs, kind, &temps[k], err);
    if (st) return st;
  }
  *ntemps = nt;
  return IONKMC_OK;
}

static double halfwidth(ionkmc_estimate e) { return isfinite(e.hi) ? 0.5 * (e.hi - e.lo) : NAN; }

int ionkmc_calib_agree95(ionkmc_estimate md, ionkmc_estimate kmc) {
  double hw = sqrt(halfwidth(md) * halfwidth(md) + halfwidth(kmc) * halfwidth(kmc));
  return isfinite(hw) ? fabs(md.mean - kmc.mean) <= hw : -1;
}

unsigned ionkmc_calib_stored_hop_params(const ionkmc_catalog *cat, ionkmc_defect_kind kind, double stored[4]) {
  static const char *const KEY[4] = {"r_inner_A", "r_inner_ma_A", "dwell_ps", "window_ps"};
  char *text = ionkmc_catalog_dumps(cat);
  json_t *doc = text ? json_loads(text, 0, NULL) : NULL, *hd = NULL;
  free(text);
  json_t *ents = json_object_get(doc, "entries");
  for (size_t i = 0; i < json_array_size(ents) && !hd; i++) {
    json_t *e = json_array_get(ents, i);
    if (!strcmp(json_string_value(json_object_get(e, "defect")), ionkmc_defect_name(kind)))
      hd = json_object_get(json_object_get(e, "calibration"), "hop_detection");
  }
  unsigned have = 0;
  for (int j = 0; j < 4 && hd; j++) {
    json_t *v = json_object_get(hd, KEY[j]);
    if (!json_is_number(v)) continue;
    stored[j] = json_number_value(v);
    have |= 1u << j;
  }
  json_decref(doc);
  return have;
}

/* ---- fits ------------------------------------------------------------------ */

ionkmc_status ionkmc_calib_fit(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                               ionkmc_calib_result *res, ionkmc_error *err) {
  memset(res, 0, sizeof *res);
  res->preferred = res->chosen_a = -1;
  res->nu_hi95 = res->nu_base = NAN;
  int nt = res->nt = d->ntemps;
  int np = ionkmc_defect_npaths(d->kind);
  ionkmc_mech mech = ionkmc_mech_of_defect(d->kind);
  for (int q = 0; q < nt; q++) {
    res->T[q] = d->temps[q].T;
    res->count[q] = d->temps[q].count;
    res->exposure[q] = d->temps[q].exposure * np;
    res->total += res->count[q];
  }
  res->zero_events = res->total == 0;
  ionkmc_status st;
  if (res->zero_events) {
    /* Nothing can be fitted, but with the NEB barrier fixed the runs still bound nu. */
    if (isfinite(opt->neb_Eb) &&
        ionkmc_nu_upper_limit(res->T, res->exposure, nt, opt->neb_Eb, 0.95, &res->nu_hi95, err)) {
      res->nu_hi95 = NAN;
      snprintf(res->nu_why, sizeof res->nu_why, "%s", err->text);
    }
    return IONKMC_OK;
  }
  if (nt >= 2) {
    st = ionkmc_arrhenius_fit(res->T, res->count, res->exposure, nt, &res->free_fit, err);
    if (st == IONKMC_OK) res->have_free = 1;
    else if (st != IONKMC_EINVAL) return st;
  }
  if (isfinite(opt->neb_Eb)) {
    if ((st = ionkmc_arrhenius_fit_fixed(res->T, res->count, res->exposure, nt, opt->neb_Eb, &res->fixed_fit, err)))
      return st;
    res->have_fixed = 1;
  }
  /* ln k linear in 1/T and a, per run (NpT runs expand with T; runs at one T
   * with different a let dEb/da be told from Eb). */
  double rT[IONKMC_CALIB_MAX_RUNS], ra[IONKMC_CALIB_MAX_RUNS], rc[IONKMC_CALIB_MAX_RUNS], re[IONKMC_CALIB_MAX_RUNS];
  for (int r = 0; r < d->nruns; r++) {
    rT[r] = d->runs[r].T;
    ra[r] = d->runs[r].sum.a_mean;
    rc[r] = (double)d->runs[r].sum.events[mech];
    re[r] = d->runs[r].sum.exposure[mech] * np;
  }
  st = ionkmc_arrhenius_fit_a(rT, ra, rc, re, d->nruns, &res->a_fit, err);
  if (st == IONKMC_OK) res->have_afit = 1;
  else if (st == IONKMC_EINVAL) snprintf(res->afit_why, sizeof res->afit_why, "%s", err->text);
  else return st;
  /* The three strain models (barrier, prefactor, both), each with Eb >= 0. */
  for (int m = IONKMC_A_MODEL_BARRIER; m <= IONKMC_A_MODEL_BOTH; m++) {
    st = ionkmc_strain_fit_run(rT, ra, rc, re, d->nruns, m, 1, &res->sf[m], err);
    if (st == IONKMC_OK) {
      res->have_sf[m] = 1;
      /* ties: the simpler, barrier first */
      if (res->preferred < 0 || res->sf[m].aic < res->sf[res->preferred].aic - 1e-6) res->preferred = m;
    } else if (st == IONKMC_EINVAL) {
      snprintf(res->sf_why[m], sizeof res->sf_why[m], "%s", err->text);
    } else {
      return st;
    }
  }
  return IONKMC_OK;
}

/* ---- the choice and the provenance ----------------------------------------- */

static ionkmc_status refuse(ionkmc_calib_result *res, ionkmc_calib_refusal why, ionkmc_error *err,
                            const char *text) {
  res->refusal = why;
  return ionkmc_error_set(err, IONKMC_EINVAL, "%s", text);
}

/* The entry of a free or NEB-fixed Arrhenius fit. */
static void arrhenius_entry(const ionkmc_calib_data *d, int use_neb, ionkmc_calib_result *res, const char *head) {
  const ionkmc_arrhenius *f = use_neb ? &res->fixed_fit : &res->free_fit;
  ionkmc_catalog_fit *cf = &res->cf;
  res->Eb = f->Ea;
  res->nu = f->nu;
  snprintf(res->provenance, sizeof res->provenance,
           "%s Poisson ML Arrhenius fit%s: Ea = %.4f +- %.4f eV, nu = %.4g 1/s per path (ln nu +- %.3f)", head,
           use_neb ? " with Eb fixed to the NEB barrier" : "", f->Ea, f->Ea_se, f->nu, f->ln_nu_se);
  cf->theta[IONKMC_PARAM_EB] = f->Ea;
  cf->theta[IONKMC_PARAM_LN_NU] = f->ln_nu;
  if (use_neb) {
    cf->nparams = 1;
    cf->param[0] = IONKMC_PARAM_LN_NU;
    cf->cov[0][0] = f->var_ln_nu;
    cf->note = "inverse Fisher information of the Poisson fit of ln nu with Eb held at the NEB barrier "
               "(no barrier uncertainty)";
  } else {
    cf->nparams = 2;
    cf->param[0] = IONKMC_PARAM_EB;
    cf->param[1] = IONKMC_PARAM_LN_NU;
    cf->cov[0][0] = f->var_Ea;
    cf->cov[1][1] = f->var_ln_nu;
    cf->cov[0][1] = cf->cov[1][0] = f->cov_Ea_ln_nu;
    cf->note = "inverse Fisher information of the Poisson maximum-likelihood Arrhenius fit";
  }
  (void)d;
}

ionkmc_status ionkmc_calib_choose(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                                  ionkmc_calib_result *res, ionkmc_error *err) {
  int nt = res->nt;
  const double *T = res->T;
  const char *mname = ionkmc_mech_name(ionkmc_mech_of_defect(d->kind));
  res->refusal = IONKMC_CALIB_OK;
  res->warning[0] = 0;
  memset(&res->cf, 0, sizeof res->cf);
  res->free_boundary = res->capped = 0;
  res->chosen_a = opt->a_model >= 0 ? opt->a_model : res->preferred;
  if (res->zero_events) {
    if (!(opt->use_neb && isfinite(opt->neb_Eb)))
      return refuse(res, IONKMC_CALIB_BAD_NO_FIT, err, "no events in any run and no fixed barrier");
    if (!isfinite(res->nu_hi95)) return refuse(res, IONKMC_CALIB_BAD_NU_BOUND, err, res->nu_why);
  }
  if (opt->fit_a && !res->zero_events && (res->chosen_a < 0 || !res->have_sf[res->chosen_a]))
    return refuse(res, IONKMC_CALIB_BAD_FIT_A, err,
                  res->afit_why[0] ? res->afit_why
                                   : res->sf_why[res->chosen_a < 0 ? IONKMC_A_MODEL_BARRIER : res->chosen_a]);
  if (opt->fit_a && res->zero_events) return refuse(res, IONKMC_CALIB_BAD_FIT_A, err, "no events to fit");
  if (!res->have_free && !opt->use_neb && !opt->fit_a)
    return refuse(res, IONKMC_CALIB_BAD_NO_FIT, err,
                  "an Arrhenius fit needs runs at two or more temperatures with hops");
  char head[256];
  snprintf(head, sizeof head, "MD calibration: %d runs at %d temperatures (%g-%g K), %.0f %s events;", d->nruns,
           nt, T[0], T[nt - 1], res->total, mname);
  ionkmc_catalog_fit *cf = &res->cf;
  if (res->zero_events) {
    /* The entry keeps the base catalog's nu when the bound allows it, else
     * takes the bound, and says so in its provenance. */
    res->nu_base = opt->nu_base;
    res->capped = !(res->nu_base <= res->nu_hi95);
    res->Eb = opt->neb_Eb;
    res->nu = res->capped ? res->nu_hi95 : res->nu_base;
    snprintf(res->provenance, sizeof res->provenance,
             "MD calibration: %d runs at %d temperatures (%g-%g K), no %s events; Eb fixed to the "
             "NEB barrier %.4f eV; the runs bound nu < %.4g 1/s per path (95%%); nu = %.4g 1/s %s; no "
             "covariance (no fit)",
             d->nruns, nt, T[0], T[nt - 1], mname, opt->neb_Eb, res->nu_hi95, res->nu,
             res->capped ? "is that bound (the base catalog's value exceeds it): an upper limit, not an estimate"
                         : "is the base catalog's value, which the bound allows");
    snprintf(res->warning, sizeof res->warning,
             "no %s events in any run; the entry uses the NEB barrier and %s nu (MD bound nu < %.3g 1/s per "
             "path); it carries no covariance",
             mname, res->capped ? "the bound as" : "the base catalog's", res->nu_hi95);
    cf->theta[IONKMC_PARAM_EB] = res->Eb;
    cf->theta[IONKMC_PARAM_LN_NU] = log(res->nu);
    res->fit_used = "neb_barrier_zero_events";
  } else if (opt->fit_a) {
    int m = res->chosen_a;
    const ionkmc_strain_fit *f = &res->sf[m];
    ionkmc_strain_fit_catalog(f, cf);
    res->Eb = f->Eb;
    res->nu = f->nu;
    char bnd[160] = "";
    if (f->boundary)
      snprintf(bnd, sizeof bnd, " (constrained to Eb >= 0: the free optimum lies below 0; boundary ML, "
                                "Eb < %.4f eV at 95%% from the profile likelihood)", f->Eb_hi95);
    snprintf(res->provenance, sizeof res->provenance,
             "%s Poisson ML fit of ln k linear in 1/T and a, strain on the %s (%s; AIC %.2f, deviance %.2f): "
             "Eb = %.4f +- %.4f eV%s at a_ref = %.4f A, dEb/da = %.4f +- %.4f eV/A, dln nu/da = %.4f +- %.4f "
             "1/A, nu = %.4g 1/s per path (ln nu +- %.3f)",
             head, m == IONKMC_A_MODEL_BOTH ? "barrier and the prefactor" : ionkmc_a_model_name(m),
             opt->a_model >= 0 ? "chosen with --a-model" : "the least AIC", f->aic, f->deviance, f->Eb,
             f->se[IONKMC_PARAM_EB], bnd, f->a0, f->dEb_da, f->se[IONKMC_PARAM_DEB_DA], f->dlnnu_da,
             f->se[IONKMC_PARAM_DLNNU_DA], f->nu, f->se[IONKMC_PARAM_LN_NU]);
    res->fit_used = "arrhenius_a_fit";
  } else if (!opt->use_neb && res->free_fit.Ea < 0) {
    /* rates nearly flat in T: the constrained fit on Eb = 0 */
    ionkmc_status st = ionkmc_strain_fit_run(T, NULL, res->count, res->exposure, nt, IONKMC_A_MODEL_NONE, 1,
                                             &res->bfit, err);
    if (st) return st == IONKMC_EINVAL ? IONKMC_EINTERNAL : st;
    const ionkmc_strain_fit *b = &res->bfit;
    res->free_boundary = 1;
    ionkmc_strain_fit_catalog(b, cf);
    res->Eb = 0;
    res->nu = b->nu;
    snprintf(res->provenance, sizeof res->provenance,
             "%s Poisson ML Arrhenius fit constrained to Eb >= 0: the free optimum Ea = %.4f eV lies below 0, so "
             "Eb = 0 (boundary ML; Eb < %.4f eV at 95%% from the profile likelihood), nu = %.4g 1/s per path (ln "
             "nu +- %.3f)",
             head, res->free_fit.Ea, b->Eb_hi95, b->nu, b->se[IONKMC_PARAM_LN_NU]);
    snprintf(res->warning, sizeof res->warning,
             "the fitted Ea is negative (%.3g eV); the entry is the constrained fit on Eb = 0 (Eb < %.3g eV at 95%%)",
             res->free_fit.Ea, b->Eb_hi95);
    res->fit_used = "arrhenius_boundary_fit";
  } else {
    arrhenius_entry(d, opt->use_neb, res, head);
    res->fit_used = opt->use_neb ? "neb_fixed_fit" : "arrhenius_fit";
  }
  return IONKMC_OK;
}
