/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibrate: a rate catalog from MD runs (and NEB bands). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/neb.h"
#include "calibration/strain.h"
#include "cli/calib.h"

static const char HEAD[] =
    "usage: ionkmc calibrate --md T:FILE [--md T:FILE ...] --defect NAME --out CATALOG [options]\n"
    "\n"
    "Detect the hops of one defect in MD runs at several temperatures, count them\n"
    "per mechanism, turn counts and exposures (defect-time) into per-path rates with\n"
    "exact Poisson (Garwood) 95% intervals, fit k = nu exp(-Ea/kT) by Poisson maximum\n"
    "likelihood and write a catalog the KMC reads directly (source md_calibration,\n"
    "with the files, temperatures, counts and fit as provenance). With --neb the\n"
    "band's forward barrier is fitted too and the fixed-barrier fit (only nu free)\n"
    "is reported beside the free one. With no event in any run (MA vacancies in ns\n"
    "of MD) only --neb FILE --use-neb writes an entry: the NEB barrier, with nu\n"
    "bounded by the runs. Without it the report (--report) is still written, with\n"
    "the upper limits (and the bound on nu at the band's barrier with --neb), no\n"
    "catalog is written (a file at --out stays as it was) and the exit status is 0;\n"
    "with neither --report nor --use-neb it is a bad-input error (exit 2).\n"
    "\n";

typedef struct {
  calib_inputs in;
  const char *neb, *base, *out, *report, *events;
  int nebfmt, use_neb, fit_a, a_model, quiet;
  cli_temps_arg predict;
} calibrate_opts;

static void calibrate_defaults(void *p) {
  calibrate_opts *o = p;
  calib_inputs_init(&o->in);
  o->in.sensitivity = 1;
  o->a_model = -1;
  o->predict.n = 1;
  o->predict.T[0] = 300;
}

#define S calibrate_opts
static const cli_option OPTS[] = {
    CALIB_MD_OPTIONS(in),
    CLI_OPT_STR("neb", neb, "FILE", "NEB band: VTST neb.dat, ASE extxyz band or LAMMPS neb log"),
    CLI_OPT_CHOICE("neb-format", nebfmt, "auto|vtst|extxyz|lammps", "format of --neb"),
    CLI_OPT_FLAG("use-neb", use_neb, 1, "write the fixed-barrier fit (Eb from the band) into the catalog"),
    CLI_OPT_FLAG("fit-a", fit_a, 1,
                 "write the fit of ln k linear in 1/T and in the runs' lattice constants (Eb at a_ref, dEb_da) into "
                 "the catalog; needs runs whose a does not simply follow T (the fit is reported whenever there are "
                 "3 or more runs)"),
    {.name = "a-model", .kind = CLI_CHOICE, .off = offsetof(S, a_model), .meta = "M",
     .choices = "barrier|prefactor|both", .def = "the one of least AIC among those the runs allow",
     .help = "with --fit-a: barrier (dEb_da), prefactor (dlnnu_da) or both (all three are fitted and reported "
             "whenever the runs separate a from T). A fitted barrier below 0 is written as the constrained fit on "
             "Eb = 0 (boundary maximum likelihood, upper limit from the profile likelihood), and the provenance "
             "says so."},
    {.name = "predict", .kind = CLI_CUSTOM, .off = offsetof(S, predict), .meta = "T[,T...]",
     .parse = cli_parse_temps, .show = cli_show_temps,
     .help = "temperatures (K) at which to report the fitted per-path rate with its 95% interval"},
    CLI_OPT_FLAG("no-sensitivity", in.sensitivity, 0,
                 "skip the hysteresis sensitivity (by default the counts are also taken with r_inner x0.8 and x1.2 "
                 "and dwell x0.5 and x2, in the same pass over the files, and reported)"),
    {.name = "base-catalog", .kind = CLI_STR, .off = offsetof(S, base), .meta = "FILE", .def = "the embedded one",
     .help = "start from this catalog"},
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "FILE", .def = "required",
     .help = "the catalog to write"},
    CLI_OPT_STR("report", report, "FILE", "full calibration report as JSON"),
    CLI_OPT_STR("events", events, "FILE", "event log CSV (time, atom ids, sites, vector, mechanism, dwell)"),
    CLI_OPT_FLAG("quiet", quiet, 1, "no table on stdout"),
};
#undef S

const cli_command CLI_CMD_CALIBRATE = {"calibrate", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(calibrate_opts),
                                       calibrate_defaults, NULL};

static json_t *fit_json(const ionkmc_arrhenius *f) {
  return json_pack("{s:b,s:f,s:f,s:f,s:f,s:f,s:f,s:{s:f,s:f,s:f},s:f,s:o,s:i}", "Ea_fixed", f->fixed,
                   "Ea_eV", f->Ea, "Ea_se_eV", f->Ea_se, "nu_per_path_s", f->nu, "ln_nu", f->ln_nu,
                   "ln_nu_se", f->ln_nu_se, "x0_inv_eV", f->x0, "covariance_Ea_ln_nu", "var_Ea",
                   f->var_Ea, "var_ln_nu", f->var_ln_nu, "cov", f->cov_Ea_ln_nu, "deviance",
                   f->deviance, "p_value", isfinite(f->p_value) ? json_real(f->p_value) : json_null(),
                   "temperatures", f->npoints);
}

/* The calibration record's common part: the defect, mechanism, hop
 * settings, and per temperature and per run what the MD showed (counts,
 * exposures, Garwood intervals or upper limits, D). New reference. */
static json_t *calib_record(calib_inputs *in, ionkmc_mech mech, int np) {
  json_t *cal = json_object(), *files = json_array(), *temps = json_array();
  int nt = in->ntemps;
  for (int r = 0; r < in->nruns; r++) json_array_append_new(files, calib_run_json(&in->runs[r]));
  for (int q = 0; q < nt; q++) {
    calib_temp *tp = &in->temps[q];
    json_array_append_new(
        temps, json_pack("{s:f,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:o,s:o,s:f}", "T", tp->T, "runs", tp->nruns,
                         "a_mean_A", tp->a, "count", tp->count, "exposure_defect_s", tp->exposure,
                         "rate_per_path_s", tp->rate, "rate_ci95_lo", tp->rate_lo, "rate_ci95_hi",
                         tp->rate_hi,
                         "overdispersion_chi2", isfinite(tp->od_chi2) ? json_real(tp->od_chi2) : json_null(),
                         "overdispersion_p", isfinite(tp->od_p) ? json_real(tp->od_p) : json_null(),
                         "unclassified_events", tp->unclassified));
    json_t *tj = json_array_get(temps, json_array_size(temps) - 1);
    json_object_set_new(tj, "md_D_species", cli_estimate_json(tp->D));
    json_object_set_new(tj, "md_D_defect", cli_estimate_json(tp->D_defect));
    json_object_set_new(tj, "md_D_defect_runs", json_integer(tp->defect_runs));
    json_object_set_new(tj, "md_standard_errors", calib_se_method_json(tp));
    json_object_set_new(tj, "hysteresis", calib_sensitivity_json(in, tp));
  }
  json_object_set_new(cal, "defect", json_string(ionkmc_defect_name(in->kind)));
  json_object_set_new(cal, "mechanism", json_string(ionkmc_mech_name(mech)));
  json_object_set_new(cal, "paths", json_integer(np));
  json_object_set_new(cal, "hop_detection", calib_hop_params_json(in));
  json_object_set_new(cal, "temperatures", temps);
  json_object_set_new(cal, "runs", files);
  return cal;
}

static int calibrate_main(calibrate_opts *opt, int argc, char **argv);

int cmd_calibrate(int argc, char **argv) {
  calibrate_opts *o = malloc(sizeof *o);
  if (!o) return cli_fail("calibrate", "out of memory");
  int code = cli_parse(&CLI_CMD_CALIBRATE, argc, argv, 2, o, NULL);
  if (!code) code = calibrate_main(o, argc, argv);
  free(o);
  return code < 0 ? 0 : code;
}

/* The calibration, from the parsed options. */
static int calibrate_main(calibrate_opts *opt, int argc, char **argv) {
  const char *cmd = "calibrate";
  calib_inputs *in = &opt->in;
  const char *neb_path = opt->neb, *base = opt->base, *out = opt->out, *report = opt->report;
  const char *events = opt->events;
  ionkmc_neb_format nebfmt = (ionkmc_neb_format)opt->nebfmt;
  int use_neb = opt->use_neb, fit_a = opt->fit_a || opt->a_model >= 0, quiet = opt->quiet, code = 0;
  int npred = opt->predict.n, a_model = opt->a_model >= 0 ? opt->a_model + 1 : -1;
  double pred_T[16];
  memcpy(pred_T, opt->predict.T, sizeof pred_T);
  if (!out) return cli_bad(cmd, "--out: expected the catalog file to write");
  if (use_neb && !neb_path) return cli_bad(cmd, "--use-neb: needs --neb FILE");
  if (use_neb && fit_a) {
    return cli_bad(cmd, "--fit-a: cannot be combined with --use-neb (the barrier is either fixed or fitted)");
  }
  ionkmc_error err;
  ionkmc_outfile *of = NULL, *rf = NULL, *ef = NULL;
  ionkmc_catalog *cat = NULL, *check = NULL;
  json_t *doc = NULL, *rep = NULL;
  char *text = NULL;
  if ((code = cli_open(cmd, "out", out, &of)) || (code = cli_open(cmd, "report", report, &rf)) ||
      (code = cli_open(cmd, "events", events, &ef)))
    goto done;
  if (!(cat = cli_catalog(cmd, base, &code))) goto done;

  /* NEB first: a bad band should fail before the long MD reading. */
  ionkmc_neb_band band;
  ionkmc_neb_result neb;
  int have_neb = 0;
  if (neb_path) {
    ionkmc_status st = ionkmc_neb_read(neb_path, nebfmt, &band, &err);
    if (!st) st = ionkmc_neb_fit(&band, &neb, &err);
    if (st) {
      code = st == IONKMC_ENOMEM ? cli_fail(cmd, "%s", err.text) : cli_bad(cmd, "%s", err.text);
      goto done;
    }
    have_neb = 1;
  }
  if (ef) calib_events_header(ionkmc_outfile_stream(ef));
  if ((code = calib_read_runs(cmd, in, ef ? ionkmc_outfile_stream(ef) : NULL))) goto done;

  /* Fits. */
  int nt = in->ntemps;
  double T[CALIB_MAX_RUNS], cnt[CALIB_MAX_RUNS], ex[CALIB_MAX_RUNS], total = 0;
  int np = ionkmc_defect_npaths(in->kind);
  for (int q = 0; q < nt; q++) {
    T[q] = in->temps[q].T;
    cnt[q] = in->temps[q].count;
    ex[q] = in->temps[q].exposure * np;
    total += cnt[q];
  }
  ionkmc_mech mech = ionkmc_mech_of_defect(in->kind);
  /* No event in any run (the MA-vacancy case at MD time scales): nothing can
   * be fitted, but with the NEB barrier fixed the runs still bound nu. The
   * entry keeps the base catalog's nu when the bound allows it, else takes
   * the bound, and says so in its provenance. */
  int zero_events = total == 0;
  double nu_hi95 = NAN, nu_base = NAN;
  int capped = 0; /* zero events: nu is the bound, the base value exceeding it */
  if (zero_events) {
    if (!(use_neb && have_neb) && !rf) {
      code = cli_bad(cmd,
                     "no %s events in any run: the rates are upper limits only (%.3g 1/s per path at "
                     "%g K, 95%%); give --report FILE to keep them, or --neb FILE --use-neb to write "
                     "the NEB barrier with that bound",
                     ionkmc_mech_name(mech), in->temps[nt - 1].rate_hi, in->temps[nt - 1].T);
      goto done;
    }
    if (!(use_neb && have_neb)) {
      /* A result all the same: the report holds the upper limits (and, with a
       * band, the bound on nu at its barrier); no entry can be fitted, so no
       * catalog is written and a file at --out is left as it was. */
      json_t *cal = calib_record(in, mech, np);
      if (have_neb && ionkmc_nu_upper_limit(T, ex, nt, neb.Ef, 0.95, &nu_hi95, &err)) nu_hi95 = NAN;
      json_object_set_new(cal, "zero_events",
                          json_pack("{s:o,s:o,s:b,s:s}", "neb_barrier_eV", have_neb ? json_real(neb.Ef) : json_null(),
                                    "nu_upper95_per_path_s", isfinite(nu_hi95) ? json_real(nu_hi95) : json_null(),
                                    "catalog_written", 0, "upper_limits",
                                    "rate_ci95_hi of each temperature (Garwood 95%, zero events)"));
      json_object_set_new(cal, "fit_used", json_string("none"));
      rep = cli_envelope(argc, argv, NULL);
      json_object_set_new(rep, "calibration", cal);
      if ((code = cli_commit_json(cmd, rep, &rf, 10))) goto done;
      if (ef && (code = cli_commit(cmd, &ef))) goto done;
      cli_warn(cmd, NULL,
               "no %s events in any run: the report %s holds the upper limits (%.3g 1/s per path at %g K, "
               "95%%); no catalog written (%s untouched); --neb FILE --use-neb writes the NEB barrier "
               "with the MD bound on nu",
               ionkmc_mech_name(mech), report, in->temps[nt - 1].rate_hi, in->temps[nt - 1].T, out);
      goto done;
    }
    if (ionkmc_nu_upper_limit(T, ex, nt, neb.Ef, 0.95, &nu_hi95, &err)) {
      code = cli_bad(cmd, "--md: %s", err.text);
      goto done;
    }
    const ionkmc_catalog_entry *be = ionkmc_catalog_get(cat, in->kind);
    nu_base = be->present ? be->nu : NAN;
  }
  ionkmc_arrhenius free_fit, fixed_fit;
  int have_free = 0, have_fixed = 0;
  if (nt >= 2 && !zero_events) {
    ionkmc_status st = ionkmc_arrhenius_fit(T, cnt, ex, nt, &free_fit, &err);
    if (st == IONKMC_OK) have_free = 1;
    else if (st != IONKMC_EINVAL) {
      code = cli_fail(cmd, "%s", err.text);
      goto done;
    }
  }
  if (have_neb && !zero_events) {
    if (ionkmc_arrhenius_fit_fixed(T, cnt, ex, nt, neb.Ef, &fixed_fit, &err)) {
      code = cli_fail(cmd, "%s", err.text);
      goto done;
    }
    have_fixed = 1;
  }
  /* ln k linear in 1/T and a, per run (NpT runs expand with T; runs at one T
   * with different a let dEb/da be told from Eb). */
  double rT[CALIB_MAX_RUNS], ra[CALIB_MAX_RUNS], rc[CALIB_MAX_RUNS], re[CALIB_MAX_RUNS];
  for (int r = 0; r < in->nruns; r++) { /* per run: T, mean a, events, per-path exposure */
    rT[r] = in->runs[r].T;
    ra[r] = in->runs[r].sum.a_mean;
    rc[r] = (double)in->runs[r].sum.events[mech];
    re[r] = in->runs[r].sum.exposure[mech] * np;
  }
  ionkmc_arrhenius_a a_fit;
  int have_afit = 0;
  char afit_why[512] = "";
  if (!zero_events) {
    ionkmc_status st = ionkmc_arrhenius_fit_a(rT, ra, rc, re, in->nruns, &a_fit, &err);
    if (st == IONKMC_OK) have_afit = 1;
    else if (st == IONKMC_EINVAL) snprintf(afit_why, sizeof afit_why, "%s", err.text);
    else {
      code = cli_fail(cmd, "%s", err.text);
      goto done;
    }
  }
  /* The three strain models (barrier, prefactor, both), each with Eb >= 0. */
  ionkmc_strain_fit sf[4];
  int have_sf[4] = {0}, preferred = -1;
  char sf_why[4][512] = {"", "", "", ""};
  if (!zero_events) {
    for (int m = IONKMC_A_MODEL_BARRIER; m <= IONKMC_A_MODEL_BOTH; m++) {
      ionkmc_status st = ionkmc_strain_fit_run(rT, ra, rc, re, in->nruns, m, 1, &sf[m], &err);
      if (st == IONKMC_OK) {
        have_sf[m] = 1;
        if (preferred < 0 || sf[m].aic < sf[preferred].aic - 1e-6) preferred = m; /* ties: the simpler, barrier first */
      } else if (st == IONKMC_EINVAL) {
        snprintf(sf_why[m], sizeof sf_why[m], "%s", err.text);
      } else {
        code = cli_fail(cmd, "%s", err.text);
        goto done;
      }
    }
  }
  int chosen_a = a_model >= 0 ? a_model : preferred;
  if (fit_a && (chosen_a < 0 || !have_sf[chosen_a])) {
    code = cli_bad(cmd, "--fit-a: %s", zero_events ? "no events to fit"
                                       : afit_why[0] ? afit_why
                                                     : sf_why[chosen_a < 0 ? IONKMC_A_MODEL_BARRIER : chosen_a]);
    goto done;
  }
  if (!have_free && !use_neb && !fit_a) {
    code = cli_bad(cmd, "--md: an Arrhenius fit needs runs at two or more temperatures with hops "
                        "(or give --neb FILE --use-neb to fix the barrier)");
    goto done;
  }
  double Eb_out, nu_out;
  char prov[1024];
  ionkmc_catalog_fit cf;
  memset(&cf, 0, sizeof cf);
  ionkmc_strain_fit bfit; /* the Eb >= 0 boundary fit when the free Arrhenius Ea < 0 */
  int free_boundary = 0;
  if (zero_events) {
    capped = !(nu_base <= nu_hi95);
    Eb_out = neb.Ef;
    nu_out = capped ? nu_hi95 : nu_base;
    snprintf(prov, sizeof prov,
             "MD calibration: %d runs at %d temperatures (%g-%g K), no %s events; Eb fixed to the "
             "NEB barrier %.4f eV; the runs bound nu < %.4g 1/s per path (95%%); nu = %.4g 1/s %s; no "
             "covariance (no fit)",
             in->nruns, nt, T[0], T[nt - 1], ionkmc_mech_name(mech), neb.Ef, nu_hi95, nu_out,
             capped ? "is that bound (the base catalog's value exceeds it): an upper limit, not an estimate"
                    : "is the base catalog's value, which the bound allows");
    fprintf(stderr,
            "ionkmc calibrate: warning: no %s events in any run; the entry uses the NEB barrier and "
            "%s nu (MD bound nu < %.3g 1/s per path); it carries no covariance\n",
            ionkmc_mech_name(mech), capped ? "the bound as" : "the base catalog's", nu_hi95);
    cf.theta[IONKMC_PARAM_EB] = Eb_out;
    cf.theta[IONKMC_PARAM_LN_NU] = log(nu_out);
  } else if (fit_a) {
    const ionkmc_strain_fit *f = &sf[chosen_a];
    ionkmc_strain_fit_catalog(f, &cf);
    Eb_out = f->Eb;
    nu_out = f->nu;
    char bnd[160] = "";
    if (f->boundary)
      snprintf(bnd, sizeof bnd, " (constrained to Eb >= 0: the free optimum lies below 0; boundary ML, "
                                "Eb < %.4f eV at 95%% from the profile likelihood)", f->Eb_hi95);
    snprintf(prov, sizeof prov,
             "MD calibration: %d runs at %d temperatures (%g-%g K), %.0f %s events; Poisson ML fit of "
             "ln k linear in 1/T and a, strain on the %s (%s; AIC %.2f, deviance %.2f): Eb = %.4f +- %.4f "
             "eV%s at a_ref = %.4f A, dEb/da = %.4f +- %.4f eV/A, dln nu/da = %.4f +- %.4f 1/A, nu = %.4g "
             "1/s per path (ln nu +- %.3f)",
             in->nruns, nt, T[0], T[nt - 1], total, ionkmc_mech_name(mech),
             chosen_a == IONKMC_A_MODEL_BOTH ? "barrier and the prefactor" : ionkmc_a_model_name(chosen_a),
             a_model >= 0 ? "chosen with --a-model" : "the least AIC", f->aic, f->deviance, f->Eb,
             f->se[IONKMC_PARAM_EB], bnd, f->a0, f->dEb_da, f->se[IONKMC_PARAM_DEB_DA], f->dlnnu_da,
             f->se[IONKMC_PARAM_DLNNU_DA], f->nu, f->se[IONKMC_PARAM_LN_NU]);
  } else {
    const ionkmc_arrhenius *chosen = use_neb ? &fixed_fit : &free_fit;
    if (!use_neb && chosen->Ea < 0) {
      /* rates nearly flat in T: the constrained fit on Eb = 0 */
      if (ionkmc_strain_fit_run(T, NULL, cnt, ex, nt, IONKMC_A_MODEL_NONE, 1, &bfit, &err)) {
        code = cli_fail(cmd, "%s", err.text);
        goto done;
      }
      free_boundary = 1;
      ionkmc_strain_fit_catalog(&bfit, &cf);
      Eb_out = 0;
      nu_out = bfit.nu;
      snprintf(prov, sizeof prov,
               "MD calibration: %d runs at %d temperatures (%g-%g K), %.0f %s events; Poisson ML "
               "Arrhenius fit constrained to Eb >= 0: the free optimum Ea = %.4f eV lies below 0, so Eb = 0 "
               "(boundary ML; Eb < %.4f eV at 95%% from the profile likelihood), nu = %.4g 1/s per path (ln "
               "nu +- %.3f)",
               in->nruns, nt, T[0], T[nt - 1], total, ionkmc_mech_name(mech), chosen->Ea, bfit.Eb_hi95,
               bfit.nu, bfit.se[IONKMC_PARAM_LN_NU]);
      fprintf(stderr, "ionkmc calibrate: warning: the fitted Ea is negative (%.3g eV); the entry is the "
                      "constrained fit on Eb = 0 (Eb < %.3g eV at 95%%)\n", chosen->Ea, bfit.Eb_hi95);
    } else {
      Eb_out = chosen->Ea;
      nu_out = chosen->nu;
      snprintf(prov, sizeof prov,
               "MD calibration: %d runs at %d temperatures (%g-%g K), %.0f %s events; Poisson ML "
               "Arrhenius fit%s: Ea = %.4f +- %.4f eV, nu = %.4g 1/s per path (ln nu +- %.3f)",
               in->nruns, nt, T[0], T[nt - 1], total, ionkmc_mech_name(mech),
               use_neb ? " with Eb fixed to the NEB barrier" : "", chosen->Ea, chosen->Ea_se, chosen->nu,
               chosen->ln_nu_se);
      cf.theta[IONKMC_PARAM_EB] = chosen->Ea;
      cf.theta[IONKMC_PARAM_LN_NU] = chosen->ln_nu;
      if (use_neb) {
        cf.nparams = 1;
        cf.param[0] = IONKMC_PARAM_LN_NU;
        cf.cov[0][0] = chosen->var_ln_nu;
        cf.note = "inverse Fisher information of the Poisson fit of ln nu with Eb held at the NEB barrier "
                  "(no barrier uncertainty)";
      } else {
        cf.nparams = 2;
        cf.param[0] = IONKMC_PARAM_EB;
        cf.param[1] = IONKMC_PARAM_LN_NU;
        cf.cov[0][0] = chosen->var_Ea;
        cf.cov[1][1] = chosen->var_ln_nu;
        cf.cov[0][1] = cf.cov[1][0] = chosen->cov_Ea_ln_nu;
        cf.note = "inverse Fisher information of the Poisson maximum-likelihood Arrhenius fit";
      }
    }
  }

  /* The catalog. */
  if (ionkmc_catalog_set_fit(cat, in->kind, &cf, "md_calibration", prov, &err)) {
    code = cli_bad(cmd, "%s", err.text);
    goto done;
  }
  text = ionkmc_catalog_dumps(cat);
  json_error_t jerr;
  doc = text ? json_loads(text, 0, &jerr) : NULL;
  if (!doc) {
    code = cli_fail(cmd, "could not re-read the catalog");
    goto done;
  }
  json_t *ents = json_object_get(doc, "entries"), *ent = NULL;
  for (size_t q = 0; q < json_array_size(ents); q++) {
    const char *d = json_string_value(json_object_get(json_array_get(ents, q), "defect"));
    if (d && !strcmp(d, ionkmc_defect_name(in->kind))) ent = json_array_get(ents, q);
  }
  if (!ent) {
    code = cli_fail(cmd, "catalog entry vanished");
    goto done;
  }
  {
    char nm[512];
    snprintf(nm, sizeof nm, "%s, %s calibrated from MD", ionkmc_catalog_name(cat),
             ionkmc_defect_name(in->kind));
    json_object_set_new(doc, "name", json_string(nm));
  }
  /* Drop fields of the old entry that no longer describe it. */
  json_t *cal = calib_record(in, mech, np);
  if (have_free) json_object_set_new(cal, "arrhenius_fit", fit_json(&free_fit));
  if (have_fixed) json_object_set_new(cal, "neb_fixed_fit", fit_json(&fixed_fit));
  /* Predicted per-path rates with their 95% intervals from each fit. */
  {
    json_t *pr = json_array();
    for (int q = 0; q < npred; q++) {
      json_t *o = json_pack("{s:f}", "T", pred_T[q]);
      const ionkmc_arrhenius *fits[2] = {have_free ? &free_fit : NULL, have_fixed ? &fixed_fit : NULL};
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
  }
  if (have_afit) {
    const double (*C)[3] = (const double (*)[3])a_fit.cov;
    json_object_set_new(
        cal, "arrhenius_a_fit",
        json_pack("{s:b,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:[[f,f,f],[f,f,f],[f,f,f]],s:f,s:o,s:f}",
                  "separable", 1, "runs", a_fit.npoints, "a_ref_A", a_fit.a0, "x0_inv_eV", a_fit.x0, "Eb_eV",
                  a_fit.Eb, "Eb_se_eV", a_fit.Eb_se, "dEb_da_eV_per_A", a_fit.dEb_da, "dEb_da_se_eV_per_A",
                  a_fit.dEb_da_se, "cov_Eb_dEb_da", a_fit.cov_Eb_dEb_da, "nu_per_path_s", a_fit.nu, "ln_nu",
                  a_fit.ln_nu, "ln_nu_se", a_fit.ln_nu_se, "covariance_c_Eb_dEb_da", C[0][0], C[0][1], C[0][2],
                  C[1][0], C[1][1], C[1][2], C[2][0], C[2][1], C[2][2], "deviance", a_fit.deviance, "p_value",
                  isfinite(a_fit.p_value) ? json_real(a_fit.p_value) : json_null(), "min_eigenvalue",
                  a_fit.min_eig));
  } else if (!zero_events) {
    json_object_set_new(cal, "arrhenius_a_fit", json_pack("{s:b,s:s}", "separable", 0, "reason", afit_why));
  }
  if (!zero_events) {
    json_t *sj = json_object();
    for (int m = IONKMC_A_MODEL_BARRIER; m <= IONKMC_A_MODEL_BOTH; m++) {
      if (!have_sf[m]) {
        json_object_set_new(sj, ionkmc_a_model_name(m), json_pack("{s:b,s:s}", "fitted", 0, "reason", sf_why[m]));
        continue;
      }
      const ionkmc_strain_fit *f = &sf[m];
      json_t *o = json_pack("{s:b,s:i,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:o,s:b,s:o}", "fitted", 1,
                            "runs", f->npoints, "parameters", f->npar, "a_ref_A", f->a0, "Eb_eV", f->Eb,
                            "Eb_se_eV", f->se[IONKMC_PARAM_EB], "ln_nu", f->ln_nu, "ln_nu_se",
                            f->se[IONKMC_PARAM_LN_NU], "dEb_da_eV_per_A", f->dEb_da, "dEb_da_se_eV_per_A",
                            f->se[IONKMC_PARAM_DEB_DA], "dlnnu_da_per_A", f->dlnnu_da, "dlnnu_da_se_per_A",
                            f->se[IONKMC_PARAM_DLNNU_DA], "deviance", f->deviance, "aic", f->aic, "p_value",
                            isfinite(f->p_value) ? json_real(f->p_value) : json_null(), "Eb_at_boundary",
                            f->boundary, "Eb_upper95_profile_eV",
                            isfinite(f->Eb_hi95) ? json_real(f->Eb_hi95) : json_null());
      json_object_set_new(sj, ionkmc_a_model_name(m), o);
    }
    json_object_set_new(sj, "preferred_by_aic", preferred >= 0 ? json_string(ionkmc_a_model_name(preferred)) : json_null());
    json_object_set_new(sj, "aic", json_string("deviance + 2 x free parameters; the least is preferred"));
    json_object_set_new(cal, "strain_fits", sj);
  }
  if (free_boundary)
    json_object_set_new(cal, "arrhenius_boundary_fit",
                        json_pack("{s:f,s:f,s:f,s:f,s:f}", "Eb_eV", 0.0, "Eb_upper95_profile_eV", bfit.Eb_hi95,
                                  "ln_nu", bfit.ln_nu, "ln_nu_se", bfit.se[IONKMC_PARAM_LN_NU], "deviance",
                                  bfit.deviance));
  if (have_neb) {
    json_t *nj = json_pack("{s:s,s:i,s:b,s:f,s:f,s:f,s:f,s:i}", "file", neb_path, "images", band.n,
                           "tangential_forces", band.has_forces, "forward_barrier_eV", neb.Ef,
                           "reverse_barrier_eV", neb.Er, "dE_eV", neb.dE, "saddle_s", neb.s_max,
                           "intermediate_minima", neb.n_minima);
    json_object_set_new(cal, "neb", nj);
    json_object_set_new(ent, "neb_barrier", json_real(neb.Ef));
  }
  if (zero_events)
    json_object_set_new(cal, "zero_events",
                        json_pack("{s:f,s:o,s:f,s:s}", "nu_upper95_per_path_s", nu_hi95, "nu_base_per_path_s",
                                  isfinite(nu_base) ? json_real(nu_base) : json_null(), "nu_used_per_path_s",
                                  nu_out, "nu_used", capped ? "upper_limit" : "base_catalog"));
  json_object_set_new(cal, "fit_used",
                      json_string(zero_events ? "neb_barrier_zero_events"
                                  : fit_a     ? "arrhenius_a_fit"
                                  : use_neb   ? "neb_fixed_fit"
                                  : free_boundary ? "arrhenius_boundary_fit"
                                              : "arrhenius_fit"));
  if (fit_a) json_object_set_new(cal, "a_model", json_string(ionkmc_a_model_name(chosen_a)));
  json_object_set_new(ent, "calibration", json_deep_copy(cal));
  /* The MSD curves go to the report only (the catalog keeps the numbers). */
  json_t *files = json_object_get(cal, "runs"), *temps = json_object_get(cal, "temperatures");
  for (int r = 0; r < in->nruns; r++)
    json_object_set_new(json_array_get(files, r), "msd", calib_run_msd_json(in, &in->runs[r]));
  for (int q = 0; q < nt; q++)
    json_object_set_new(json_array_get(temps, q), "md_msd", calib_temp_msd_json(in, &in->temps[q]));
  /* Validate the final document as the KMC will read it. */
  free(text);
  text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  ionkmc_status cst;
  if (!text || !(check = ionkmc_catalog_alloc_string(text, out, &err, &cst))) {
    code = cli_fail(cmd, "the calibrated catalog does not validate: %s", text ? err.text : "no memory");
    json_decref(cal);
    goto done;
  }
  fputs(text, ionkmc_outfile_stream(of));
  fputc('\n', ionkmc_outfile_stream(of));
  if (rf) {
    rep = cli_envelope(argc, argv, NULL);
    json_object_set_new(rep, "calibration", cal);
    if ((code = cli_write_json(cmd, rep, rf, 10))) goto done;
  } else {
    json_decref(cal);
  }
  ionkmc_outfile **const outs[3] = {&of, &rf, &ef};
  if ((code = cli_commit_set(cmd, outs, 3))) goto done;
  if (!quiet) {
    printf("# ionkmc calibrate  defect %s  mechanism %s  paths %d  r_inner %.3g/%.3g A  dwell %.3g ps  "
           "window %.3g ps\n",
           ionkmc_defect_name(in->kind), ionkmc_mech_name(mech), np, in->hp.r_inner, in->hp.r_inner_ma,
           in->hp.dwell, in->hp.window);
    printf("%7s %4s %8s %7s %12s %26s %10s %22s %22s\n", "T/K", "runs", "a/A", "events", "exposure/s",
           "rate/path/s [95% CI]", "overdisp p", "MD D/cm2s-1 +- SE", "D_defect +- SE");
    int any_blocks = 0, any_nose = 0, any_nodef = 0;
    for (int q = 0; q < nt; q++) {
      calib_temp *tp = &in->temps[q];
      char ci[64], od[32], dd[48];
      snprintf(ci, sizeof ci, "%.3e [%.2e,%.2e]", tp->rate, tp->rate_lo, tp->rate_hi);
      if (isfinite(tp->od_p)) snprintf(od, sizeof od, "%.3f", tp->od_p);
      else snprintf(od, sizeof od, "-");
      char ddf[48];
      calib_pm(dd, sizeof dd, tp->D, tp->nblocks);
      if (tp->defect_runs > 0) calib_pm(ddf, sizeof ddf, tp->D_defect, tp->nblocks);
      else snprintf(ddf, sizeof ddf, "-(d)");
      any_blocks |= tp->nblocks > 0;
      any_nose |= !isfinite(tp->D.sem) || (tp->defect_runs > 0 && !isfinite(tp->D_defect.sem));
      any_nodef |= tp->defect_runs == 0;
      printf("%7.1f %4d %8.4f %7.0f %12.4e %26s %10s %22s %22s\n", tp->T, tp->nruns, tp->a, tp->count,
             tp->exposure, ci, od, dd, ddf);
    }
    calib_footnotes(stdout, any_blocks, any_nose, any_nodef);
    printf("%7s %9s %9s", "T/K", "hops", "back-hop");
    for (int v = 0; v < CALIB_NALT && in->sensitivity; v++) printf(" %13s", CALIB_ALT_NAME[v]);
    printf("   (events of %s with other hysteresis settings)\n", ionkmc_mech_name(mech));
    for (int q = 0; q < nt; q++) {
      calib_temp *tp = &in->temps[q];
      if (tp->hops > 0) printf("%7.1f %9.0f %9.3f", tp->T, tp->hops, tp->back_hops / tp->hops);
      else printf("%7.1f %9.0f %9s", tp->T, tp->hops, "-");
      for (int v = 0; v < CALIB_NALT && in->sensitivity; v++) printf(" %13.0f", tp->alt_count[v]);
      printf("\n");
    }
    if (have_free)
      printf("Arrhenius (Poisson ML): Ea = %.4f +- %.4f eV, nu = %.4e 1/s per path, cov(Ea, ln nu) = %.3g, "
             "deviance %.2f\n",
             free_fit.Ea, free_fit.Ea_se, free_fit.nu, free_fit.cov_Ea_ln_nu, free_fit.deviance);
    for (int q = 0; q < npred && (have_free || have_fixed); q++) {
      double r, lo, hi;
      printf("predicted rate per path at %g K:", pred_T[q]);
      if (have_free) {
        ionkmc_arrhenius_predict(&free_fit, pred_T[q], &r, &lo, &hi);
        printf(" Arrhenius %.4e [%.3e, %.3e] 1/s", r, lo, hi);
      }
      if (have_fixed) {
        ionkmc_arrhenius_predict(&fixed_fit, pred_T[q], &r, &lo, &hi);
        printf("%s NEB-fixed %.4e [%.3e, %.3e] 1/s", have_free ? ";" : "", r, lo, hi);
      }
      printf("\n");
    }
    if (have_afit)
      printf("ln k linear in 1/T and a (%d runs): Eb = %.4f +- %.4f eV at a = %.4f A, dEb/da = %.4f +- %.4f "
             "eV/A, nu = %.4e 1/s per path\n",
             a_fit.npoints, a_fit.Eb, a_fit.Eb_se, a_fit.a0, a_fit.dEb_da, a_fit.dEb_da_se, a_fit.nu);
    for (int m = IONKMC_A_MODEL_BARRIER; m <= IONKMC_A_MODEL_BOTH; m++)
      if (have_sf[m])
        printf("strain on the %-9s: Eb = %.4f +- %.4f eV%s, dEb/da = %.4f +- %.4f eV/A, dln nu/da = %.3f +- %.3f "
               "1/A, deviance %.2f, AIC %.2f%s\n",
               ionkmc_a_model_name(m), sf[m].Eb, sf[m].se[IONKMC_PARAM_EB], sf[m].boundary ? " (at Eb >= 0)" : "",
               sf[m].dEb_da, sf[m].se[IONKMC_PARAM_DEB_DA], sf[m].dlnnu_da, sf[m].se[IONKMC_PARAM_DLNNU_DA],
               sf[m].deviance, sf[m].aic, m == preferred ? "  <- least AIC" : "");
    if (have_fixed)
      printf("NEB: forward %.4f eV, reverse %.4f eV, %d intermediate minima; fixed-Eb fit nu = %.4e 1/s\n",
             neb.Ef, neb.Er, neb.n_minima, fixed_fit.nu);
    if (zero_events)
      printf("NEB: forward %.4f eV, reverse %.4f eV, %d intermediate minima; no events: nu < %.4e 1/s per "
             "path (95%%), catalog nu = %.4e 1/s\n",
             neb.Ef, neb.Er, neb.n_minima, nu_hi95, nu_out);
    printf("catalog written to %s (fit used: %s)\n", out,
           zero_events ? "NEB barrier, nu bounded by the MD"
           : fit_a     ? (chosen_a == IONKMC_A_MODEL_BARRIER ? "ln k linear in 1/T and a, strain on the barrier"
                          : chosen_a == IONKMC_A_MODEL_PREFACTOR ? "ln k linear in 1/T and a, strain on the prefactor"
                                                                 : "ln k linear in 1/T and a, strain on both")
           : free_boundary ? "Arrhenius constrained to Eb >= 0"
           : use_neb   ? "NEB fixed barrier"
                       : "Arrhenius");
  }
done:
  ionkmc_outfile_abort(of);
  ionkmc_outfile_abort(rf);
  ionkmc_outfile_abort(ef);
  ionkmc_catalog_free(cat);
  ionkmc_catalog_free(check);
  json_decref(doc);
  json_decref(rep);
  free(text);
  return code;
}
