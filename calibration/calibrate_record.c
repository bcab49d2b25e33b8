/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibration provenance (calibration/calibrate.h, step 4): the calibration
 * record as JSON and the catalog entry update of a chosen result. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calibration/calibrate.h"

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

json_t *ionkmc_estimate_json(ionkmc_estimate e) {
  return json_pack("{s:o,s:o,s:[o,o]}", "mean", num(e.mean), "sem", num(e.sem), "ci95", num(e.lo), num(e.hi));
}

static json_t *frac_json(const ionkmc_geom_frac *f) {
  return json_pack("{s:f,s:f,s:o,s:[o,o]}", "count", f->k, "of", f->n, "fraction", num(f->frac), "ci95", num(f->lo),
                   num(f->hi));
}

json_t *ionkmc_calib_corr_json(const ionkmc_geom_corr *c) {
  return json_pack("{s:o,s:[o,o],s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "mean", num(c->f), "ci95", num(c->f_lo),
                   num(c->f_hi), "sd_ln", num(c->f_sd_ln), "D_species_cm2_s", num(c->D), "D_sd_ln", num(c->D_sd_ln),
                   "events_per_s_cell", num(c->gamma), "events_sd_ln", num(c->gamma_sd_ln), "S_per_event_A2",
                   num(c->S), "S_sd_ln", num(c->S_sd_ln), "interval",
                   "log-normal 95%, propagated from the log-scale SE of D_species, the Poisson 1/sqrt(events) "
                   "of Gamma_box and the SE of <S>, taken as independent");
}

json_t *ionkmc_calib_geom_json(const ionkmc_geom_stats *g, const ionkmc_geom_corr *c) {
  json_t *hist = json_array();
  for (int b = 0; b < IONKMC_GEOM_NCOS; b++) {
    json_t *o = frac_json(&g->cos_bin[b]);
    json_object_set_new(o, "cos", json_real(g->cos_value[b]));
    json_array_append_new(hist, o);
  }
  json_t *ret = frac_json(&g->ret);
  json_object_set_new(ret, "random_walk", num(g->ret_random_walk));
  json_object_set_new(ret, "agree_random_walk", g->ret_agree < 0 ? json_null() : json_boolean(g->ret_agree));
  json_t *cs = ionkmc_estimate_json(g->cos);
  json_object_set_new(cs, "histogram", hist);
  json_object_set_new(cs, "bins", json_string("width 0.5, centred on the cos value"));
  json_t *o = json_object();
  json_object_set_new(o, "events", json_real(g->events));
  json_object_set_new(o, "tracks", json_real(g->tracks));
  json_object_set_new(o, "jumps", json_real(g->jumps));
  json_object_set_new(o, "atoms_per_event", ionkmc_estimate_json(g->natoms));
  json_object_set_new(o, "sum_dr2_per_event_A2", ionkmc_estimate_json(g->S));
  json_object_set_new(o, "defect_dR2_per_jump_A2", ionkmc_estimate_json(g->dR2));
  json_object_set_new(o, "cos_successive_jumps", cs);
  json_object_set_new(o, "immediate_return", ret);
  json_object_set_new(o, "f", ionkmc_calib_corr_json(c));
  json_object_set_new(o, "intervals",
                      json_string("means: Student-t 95% over events (jumps, successive pairs) as independent "
                                  "samples; fractions: exact binomial (Clopper-Pearson) 95%; f: see f.interval"));
  return o;
}

json_t *ionkmc_calib_hop_params_json(const ionkmc_hop_params *hp, double timestep_ps) {
  return json_pack("{s:f,s:f,s:f,s:f,s:[f,f],s:[f,f],s:f}", "r_inner_A", hp->r_inner, "r_inner_ma_A",
                   hp->r_inner_ma, "dwell_ps", hp->dwell, "window_ps", hp->window, "msd_fit_window", hp->fit_lo,
                   hp->fit_hi, "defect_msd_fit_window", hp->def_fit_lo, hp->def_fit_hi, "timestep_ps", timestep_ps);
}

json_t *ionkmc_calib_sensitivity_json(const ionkmc_calib_data *d, const ionkmc_calib_temp *tp) {
  json_t *alts = json_array();
  for (int k = 0; k < IONKMC_CALIB_NALT && d->sensitivity; k++)
    json_array_append_new(alts, json_pack("{s:s,s:f,s:f,s:f,s:f,s:o}", "setting", ionkmc_calib_sensitivity_name(k),
                                          "r_inner_A", d->alt_hp[k].r_inner, "r_inner_ma_A", d->alt_hp[k].r_inner_ma,
                                          "dwell_ps", d->alt_hp[k].dwell, "count", tp->alt_count[k],
                                          "ratio_to_nominal",
                                          tp->count > 0 ? json_real(tp->alt_count[k] / tp->count) : json_null()));
  return json_pack("{s:f,s:f,s:o,s:o}", "hops", tp->hops, "back_hops", tp->back_hops, "back_hop_fraction",
                   tp->hops > 0 ? json_real(tp->back_hops / tp->hops) : json_null(), "counts_with_settings", alts);
}

json_t *ionkmc_calib_run_json(const ionkmc_calib_run *run) {
  const ionkmc_md_summary *s = &run->sum;
  json_t *ev = json_object(), *ex = json_object(), *df = json_object(), *dd = json_object();
  for (int m = 0; m < IONKMC_NMECH; m++) {
    json_object_set_new(ev, ionkmc_mech_name(m), json_integer(s->events[m]));
    if (m < IONKMC_MECH_UNCLASSIFIED) {
      json_object_set_new(ex, ionkmc_mech_name(m), json_real(s->exposure[m]));
      json_object_set_new(df, ionkmc_mech_name(m), json_integer(s->defects_first[m]));
      json_object_set_new(dd, ionkmc_mech_name(m), num(s->D_defect[m]));
    }
  }
  json_t *o = json_object();
  json_object_set_new(o, "file", json_string(run->path));
  json_object_set_new(o, "T", json_real(run->T));
  json_object_set_new(o, "L", json_integer(s->L));
  json_object_set_new(o, "atoms", json_integer(s->natoms));
  json_object_set_new(o, "frames", json_integer(s->nframes));
  json_object_set_new(o, "time_ps", json_real(s->t_last - s->t_first));
  json_object_set_new(o, "frame_dt_ps", json_real(s->frame_dt));
  json_object_set_new(o, "a_mean_A", json_real(s->a_mean));
  json_object_set_new(o, "defects_first_frame", df);
  json_object_set_new(o, "events", ev);
  json_object_set_new(o, "exposure_s", ex);
  json_object_set_new(o, "atom_hops", json_pack("{s:I,s:I}", "I", (json_int_t)s->hops[0], "MA", (json_int_t)s->hops[1]));
  json_object_set_new(o, "back_hops",
                      json_pack("{s:I,s:I}", "I", (json_int_t)s->back_hops[0], "MA", (json_int_t)s->back_hops[1]));
  json_object_set_new(o, "rejected_excursions",
                      json_pack("{s:I,s:I}", "I", (json_int_t)s->rejected[0], "MA", (json_int_t)s->rejected[1]));
  json_object_set_new(o, "D_species_cm2_s", json_pack("{s:o,s:o}", "I", num(s->D[0]), "MA", num(s->D[1])));
  /* null where the defect could not be followed (not alone in its species) */
  json_object_set_new(o, "D_defect_cm2_s", dd);
  /* the jumps of the defect's track where it was alone (null otherwise) */
  json_object_set_new(o, "lone_defect_jumps", run->lone ? json_integer((json_int_t)run->track.n) : json_null());
  return o;
}

json_t *ionkmc_calib_se_method_json(const ionkmc_calib_temp *tp) {
  if (tp->nblocks > 0)
    return json_pack("{s:s,s:i,s:i,s:s}", "method", "blocks", "blocks", tp->nblocks, "block_frames",
                     tp->block_frames, "note",
                     "one run at this T: mean over equal blocks of the run, SE = sd/sqrt(blocks), log-scale "
                     "Student-t interval");
  return json_pack("{s:s,s:i,s:s}", "method", "runs", "runs", tp->nruns, "note",
                   "mean over runs, SE = sd/sqrt(runs), log-scale Student-t interval");
}

json_t *ionkmc_calib_record(const ionkmc_calib_data *d) {
  json_t *cal = json_object(), *files = json_array(), *temps = json_array();
  for (int r = 0; r < d->nruns; r++) json_array_append_new(files, ionkmc_calib_run_json(&d->runs[r]));
  for (int q = 0; q < d->ntemps; q++) {
    const ionkmc_calib_temp *tp = &d->temps[q];
    json_t *tj = json_pack("{s:f,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:o,s:o,s:f}", "T", tp->T, "runs", tp->nruns, "a_mean_A",
                           tp->a, "count", tp->count, "exposure_defect_s", tp->exposure, "rate_per_path_s", tp->rate,
                           "rate_ci95_lo", tp->rate_lo, "rate_ci95_hi", tp->rate_hi, "overdispersion_chi2",
                           num(tp->od_chi2), "overdispersion_p", num(tp->od_p), "unclassified_events",
                           tp->unclassified);
    json_object_set_new(tj, "md_D_species", ionkmc_estimate_json(tp->D));
    json_object_set_new(tj, "md_D_defect", ionkmc_estimate_json(tp->D_defect));
    json_object_set_new(tj, "md_D_defect_runs", json_integer(tp->defect_runs));
    json_object_set_new(tj, "md_standard_errors", ionkmc_calib_se_method_json(tp));
    json_object_set_new(tj, "hysteresis", ionkmc_calib_sensitivity_json(d, tp));
    json_object_set_new(tj, "geometry", ionkmc_calib_geom_json(&tp->geom, &tp->corr));
    json_array_append_new(temps, tj);
  }
  ionkmc_mech mech = ionkmc_mech_of_defect(d->kind);
  json_object_set_new(cal, "defect", json_string(ionkmc_defect_name(d->kind)));
  json_object_set_new(cal, "mechanism", json_string(ionkmc_mech_name(mech)));
  json_object_set_new(cal, "paths", json_integer(ionkmc_defect_npaths(d->kind)));
  json_object_set_new(cal, "hop_detection", ionkmc_calib_hop_params_json(&d->hp, d->timestep_ps));
  json_object_set_new(cal, "temperatures", temps);
  json_object_set_new(cal, "runs", files);
  return cal;
}

static json_t *fit_json(const ionkmc_arrhenius *f) {
  return json_pack("{s:b,s:f,s:f,s:f,s:f,s:f,s:f,s:{s:f,s:f,s:f},s:f,s:o,s:i}", "Ea_fixed", f->fixed, "Ea_eV", f->Ea,
                   "Ea_se_eV", f->Ea_se, "nu_per_path_s", f->nu, "ln_nu", f->ln_nu, "ln_nu_se", f->ln_nu_se,
                   "x0_inv_eV", f->x0, "covariance_Ea_ln_nu", "var_Ea", f->var_Ea, "var_ln_nu", f->var_ln_nu, "cov",
                   f->cov_Ea_ln_nu, "deviance", f->deviance, "p_value", num(f->p_value), "temperatures",
                   f->npoints);
}

static json_t *a_fit_json(const ionkmc_arrhenius_a *a) {
  const double (*C)[3] = (const double (*)[3])a->cov;
  return json_pack("{s:b,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:[[f,f,f],[f,f,f],[f,f,f]],s:f,s:o,s:f}",
                   "separable", 1, "runs", a->npoints, "a_ref_A", a->a0, "x0_inv_eV", a->x0, "Eb_eV", a->Eb,
                   "Eb_se_eV", a->Eb_se, "dEb_da_eV_per_A", a->dEb_da, "dEb_da_se_eV_per_A", a->dEb_da_se,
                   "cov_Eb_dEb_da", a->cov_Eb_dEb_da, "nu_per_path_s", a->nu, "ln_nu", a->ln_nu, "ln_nu_se",
                   a->ln_nu_se, "covariance_c_Eb_dEb_da", C[0][0], C[0][1], C[0][2], C[1][0], C[1][1], C[1][2],
                   C[2][0], C[2][1], C[2][2], "deviance", a->deviance, "p_value", num(a->p_value), "min_eigenvalue",
                   a->min_eig);
}

static json_t *strain_fits_json(const ionkmc_calib_result *res) {
  json_t *sj = json_object();
  for (int m = IONKMC_A_MODEL_BARRIER; m <= IONKMC_A_MODEL_BOTH; m++) {
    if (!res->have_sf[m]) {
      json_object_set_new(sj, ionkmc_a_model_name(m), json_pack("{s:b,s:s}", "fitted", 0, "reason", res->sf_why[m]));
      continue;
    }
    const ionkmc_strain_fit *f = &res->sf[m];
    json_object_set_new(
        sj, ionkmc_a_model_name(m),
        json_pack("{s:b,s:i,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:o,s:b,s:o}", "fitted", 1, "runs",
                  f->npoints, "parameters", f->npar, "a_ref_A", f->a0, "Eb_eV", f->Eb, "Eb_se_eV",
                  f->se[IONKMC_PARAM_EB], "ln_nu", f->ln_nu, "ln_nu_se", f->se[IONKMC_PARAM_LN_NU], "dEb_da_eV_per_A",
                  f->dEb_da, "dEb_da_se_eV_per_A", f->se[IONKMC_PARAM_DEB_DA], "dlnnu_da_per_A", f->dlnnu_da,
                  "dlnnu_da_se_per_A", f->se[IONKMC_PARAM_DLNNU_DA], "deviance", f->deviance, "aic", f->aic,
                  "p_value", num(f->p_value), "Eb_at_boundary", f->boundary, "Eb_upper95_profile_eV",
                  num(f->Eb_hi95)));
  }
  json_object_set_new(sj, "preferred_by_aic",
                      res->preferred >= 0 ? json_string(ionkmc_a_model_name(res->preferred)) : json_null());
  json_object_set_new(sj, "aic", json_string("deviance + 2 x free parameters; the least is preferred"));
  return sj;
}

json_t *ionkmc_calib_result_record(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                                   const ionkmc_calib_result *res, const double *pred_T, int npred,
                                   const json_t *neb) {
  json_t *cal = ionkmc_calib_record(d);
  if (!cal) return NULL;
  if (res->have_free) json_object_set_new(cal, "arrhenius_fit", fit_json(&res->free_fit));
  if (res->have_fixed) json_object_set_new(cal, "neb_fixed_fit", fit_json(&res->fixed_fit));
  /* Predicted per-path rates with their 95% intervals from each fit. */
  json_t *pr = json_array();
  for (int q = 0; q < npred; q++) {
    json_t *o = json_pack("{s:f}", "T", pred_T[q]);
    const ionkmc_arrhenius *fits[2] = {res->have_free ? &res->free_fit : NULL, res->have_fixed ? &res->fixed_fit : NULL};
    const char *names[2] = {"arrhenius_fit", "neb_fixed_fit"};
    for (int fi = 0; fi < 2; fi++) {
      if (!fits[fi]) continue;
      double r, lo, hi;
      ionkmc_arrhenius_predict(fits[fi], pred_T[q], &r, &lo, &hi);
      json_object_set_new(o, names[fi], json_pack("{s:f,s:[f,f]}", "rate_per_path_s", r, "ci95", lo, hi));
    }
    json_array_append_new(pr, o);
  }
  json_object_set_new(cal, "predictions", pr);
  if (res->have_afit)
    json_object_set_new(cal, "arrhenius_a_fit", a_fit_json(&res->a_fit));
  else if (!res->zero_events)
    json_object_set_new(cal, "arrhenius_a_fit", json_pack("{s:b,s:s}", "separable", 0, "reason", res->afit_why));
  if (!res->zero_events) json_object_set_new(cal, "strain_fits", strain_fits_json(res));
  if (res->free_boundary)
    json_object_set_new(cal, "arrhenius_boundary_fit",
                        json_pack("{s:f,s:f,s:f,s:f,s:f}", "Eb_eV", 0.0, "Eb_upper95_profile_eV", res->bfit.Eb_hi95,
                                  "ln_nu", res->bfit.ln_nu, "ln_nu_se", res->bfit.se[IONKMC_PARAM_LN_NU], "deviance",
                                  res->bfit.deviance));
  if (neb) json_object_set_new(cal, "neb", json_deep_copy(neb));
  if (res->zero_events)
    json_object_set_new(cal, "zero_events",
                        json_pack("{s:f,s:o,s:f,s:s}", "nu_upper95_per_path_s", res->nu_hi95, "nu_base_per_path_s",
                                  num(res->nu_base), "nu_used_per_path_s", res->nu, "nu_used",
                                  res->capped ? "upper_limit" : "base_catalog"));
  json_object_set_new(cal, "fit_used", json_string(res->fit_used));
  if (opt->fit_a) json_object_set_new(cal, "a_model", json_string(ionkmc_a_model_name(res->chosen_a)));
  return cal;
}

void ionkmc_calib_update(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                         const ionkmc_calib_result *res, const json_t *cal, const char *base_name,
                         char name_buf[512], ionkmc_catalog_update *u) {
  *u = ionkmc_catalog_update_init(d->kind, res->Eb, res->nu, "md_calibration", res->provenance);
  u->fit = &res->cf;
  snprintf(name_buf, 512, "%s, %s calibrated from MD", base_name, ionkmc_defect_name(d->kind));
  u->catalog_name = name_buf;
  json_t *neb = json_object_get(cal, "neb");
  if (neb && isfinite(opt->neb_Eb)) {
    u->field_name[u->nfields] = "neb_barrier";
    u->field[u->nfields++] = json_object_get(neb, "forward_barrier_eV");
  }
  u->field_name[u->nfields] = "calibration";
  u->field[u->nfields++] = cal;
}
