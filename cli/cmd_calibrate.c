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
#include "cli/opt.h"
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
  int pattern; /* index into PATTERN_CHOICES */
  cli_temps_arg predict;
} calibrate_opts;

/* --pattern: auto, rate-only, or a pattern of events/defects.h by name. */
#define PATTERN_CHOICES "auto|rate-only|single|collinear|oriented|returns|relay"

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
    {.name = "pattern", .kind = CLI_CHOICE, .off = offsetof(S, pattern), .meta = "P", .choices = PATTERN_CHOICES,
     .def = "auto",
     .help = "displacement pattern of the entry: auto fits every pattern the defect takes to the lone defects' "
             "MD jump sequences and keeps the least AIC over the temperatures; rate-only fits none and keeps the "
             "base entry's pattern; a pattern name forces it. A pattern with rates of its own is written with "
             "them (\"pattern\", \"pattern_rates\") and the evidence (\"pattern_evidence\")"},
    CLI_OPT_STR("report", report, "FILE", "full calibration report as JSON"),
    CLI_OPT_STR("events", events, "FILE", "event log CSV (time, atom ids, sites, vector, mechanism, dwell)"),
    CLI_OPT_FLAG("quiet", quiet, 1, "no table on stdout"),
};
#undef S

const cli_command CLI_CMD_CALIBRATE = {"calibrate", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(calibrate_opts),
                                       calibrate_defaults, NULL};

static int calibrate_main(calibrate_opts *opt, int argc, char **argv);

int cmd_calibrate(int argc, char **argv) {
  calibrate_opts *o = malloc(sizeof *o);
  if (!o) return cli_fail("calibrate", "out of memory");
  int code = cli_parse(&CLI_CMD_CALIBRATE, argc, argv, 2, o, NULL);
  if (!code) {
    code = calibrate_main(o, argc, argv);
    calib_inputs_release(&o->in);
  }
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
  ionkmc_catalog *cat = NULL;
  json_t *rep = NULL, *cal = NULL, *nebj = NULL, *pev = NULL, *prt = NULL, *pnm = NULL;
  ionkmc_calib_pattern pat;
  memset(&pat, 0, sizeof pat);
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
    nebj = json_pack("{s:s,s:i,s:b,s:f,s:f,s:f,s:f,s:i}", "file", neb_path, "images", band.n, "tangential_forces",
                     band.has_forces, "forward_barrier_eV", neb.Ef, "reverse_barrier_eV", neb.Er, "dE_eV", neb.dE,
                     "saddle_s", neb.s_max, "intermediate_minima", neb.n_minima);
  }
  if (ef) calib_events_header(ionkmc_outfile_stream(ef));
  if ((code = calib_read_runs(cmd, in, ef ? ionkmc_outfile_stream(ef) : NULL))) goto done;

  /* Fits (calibration/calibrate.h). */
  int nt = in->ntemps;
  int np = ionkmc_defect_npaths(in->kind);
  ionkmc_mech mech = ionkmc_mech_of_defect(in->kind);
  ionkmc_calib_data data = calib_data(in);
  const ionkmc_catalog_entry *be = ionkmc_catalog_get(cat, in->kind);
  ionkmc_calib_options copt = {.use_neb = use_neb, .fit_a = fit_a, .a_model = a_model,
                               .neb_Eb = have_neb ? neb.Ef : NAN, .nu_base = be->present ? be->nu : NAN};
  ionkmc_calib_result *res = calloc(1, sizeof *res);
  if (!res) {
    code = cli_fail(cmd, "out of memory");
    goto done;
  }
  ionkmc_status st = ionkmc_calib_fit(&data, &copt, res, &err);
  if (st) {
    code = cli_fail(cmd, "%s", err.text);
    goto done_res;
  }
  /* No event in any run (the MA-vacancy case at MD time scales): nothing can
   * be fitted; with the NEB barrier fixed the runs still bound nu. */
  if (res->zero_events && !(use_neb && have_neb)) {
    if (!rf) {
      code = cli_bad(cmd,
                     "no %s events in any run: the rates are upper limits only (%.3g 1/s per path at "
                     "%g K, 95%%); give --report FILE to keep them, or --neb FILE --use-neb to write "
                     "the NEB barrier with that bound",
                     ionkmc_mech_name(mech), in->temps[nt - 1].rate_hi, in->temps[nt - 1].T);
      goto done_res;
    }
    /* A result all the same: the report holds the upper limits (and, with a
     * band, the bound on nu at its barrier); no entry can be fitted, so no
     * catalog is written and a file at --out is left as it was. */
    cal = ionkmc_calib_record(&data);
    json_object_set_new(cal, "zero_events",
                        json_pack("{s:o,s:o,s:b,s:s}", "neb_barrier_eV", have_neb ? json_real(neb.Ef) : json_null(),
                                  "nu_upper95_per_path_s",
                                  isfinite(res->nu_hi95) ? json_real(res->nu_hi95) : json_null(), "catalog_written", 0,
                                  "upper_limits", "rate_ci95_hi of each temperature (Garwood 95%, zero events)"));
    json_object_set_new(cal, "fit_used", json_string("none"));
    rep = cli_envelope(argc, argv, NULL);
    json_object_set_new(rep, "calibration", cal);
    cal = NULL;
    if ((code = cli_commit_json(cmd, rep, &rf, 10))) goto done_res;
    if (ef && (code = cli_commit(cmd, &ef))) goto done_res;
    cli_warn(cmd, NULL,
             "no %s events in any run: the report %s holds the upper limits (%.3g 1/s per path at %g K, "
             "95%%); no catalog written (%s untouched); --neb FILE --use-neb writes the NEB barrier "
             "with the MD bound on nu",
             ionkmc_mech_name(mech), report, in->temps[nt - 1].rate_hi, in->temps[nt - 1].T, out);
    goto done_res;
  }
  if ((st = ionkmc_calib_choose(&data, &copt, res, &err))) {
    if (st != IONKMC_EINVAL) code = cli_fail(cmd, "%s", err.text);
    else if (res->refusal == IONKMC_CALIB_BAD_FIT_A) code = cli_bad(cmd, "--fit-a: %s", err.text);
    else if (res->refusal == IONKMC_CALIB_BAD_NU_BOUND) code = cli_bad(cmd, "--md: %s", err.text);
    else code = cli_bad(cmd, "--md: %s (or give --neb FILE --use-neb to fix the barrier)", err.text);
    goto done_res;
  }
  if (res->warning[0]) fprintf(stderr, "ionkmc calibrate: warning: %s\n", res->warning);
  /* The displacement pattern, from the lone defects' tracks. */
  {
    int pmode = opt->pattern == 0 ? IONKMC_CALIB_PATTERN_AUTO : IONKMC_CALIB_PATTERN_RATE_ONLY;
    if (opt->pattern >= 2) {
      char names[] = PATTERN_CHOICES, *save = NULL, *tok = strtok_r(names, "|", &save);
      for (int k = 0; tok && k < opt->pattern; k++) tok = strtok_r(NULL, "|", &save);
      ionkmc_pattern pp = IONKMC_PATTERN_SINGLE;
      if (!tok || ionkmc_pattern_parse(tok, &pp)) {
        code = cli_fail(cmd, "--pattern: internal: no pattern at choice %d", opt->pattern);
        goto done_res;
      }
      pmode = (int)pp;
    }
    st = ionkmc_calib_pattern_select(&data, pmode, res->Eb, be->present ? be->pattern : IONKMC_PATTERN_SINGLE, &pat,
                                     &err);
    if (st) {
      code = st == IONKMC_EINVAL ? cli_bad(cmd, "--pattern: %s", err.text) : cli_fail(cmd, "%s", err.text);
      goto done_res;
    }
    if (pat.write) {
      ionkmc_calib_pattern_apply(&pat, res);
      pnm = json_string(ionkmc_pattern_name(pat.chosen));
      prt = ionkmc_calib_pattern_rates_json(&pat);
    }
    if (pmode != IONKMC_CALIB_PATTERN_RATE_ONLY && !(pev = ionkmc_calib_pattern_evidence_json(&data, &pat))) {
      code = cli_fail(cmd, "out of memory");
      goto done_res;
    }
  }

  /* The catalog: the entry update, applied and validated as the KMC will read it. */
  if (!(cal = ionkmc_calib_result_record(&data, &copt, res, pred_T, npred, nebj))) {
    code = cli_fail(cmd, "out of memory");
    goto done_res;
  }
  {
    char nm[512];
    ionkmc_catalog_update u;
    ionkmc_calib_update(&data, &copt, res, cal, ionkmc_catalog_name(cat), nm, &u);
    if ((pnm && ((st = ionkmc_catalog_update_field(&u, "pattern", pnm, &err)) ||
                 (st = ionkmc_catalog_update_field(&u, "pattern_rates", prt, &err)))) ||
        (pev && (st = ionkmc_catalog_update_field(&u, "pattern_evidence", pev, &err)))) {
      code = cli_fail(cmd, "%s", err.text);
      goto done_res;
    }
    if ((st = ionkmc_catalog_apply(cat, &u, &err))) {
      code = st == IONKMC_ERANGE ? cli_bad(cmd, "%s", err.text)
                                 : cli_fail(cmd, "the calibrated catalog does not validate: %s", err.text);
      goto done_res;
    }
  }
  /* The MSD curves go to the report only (the catalog keeps the numbers). */
  json_t *files = json_object_get(cal, "runs"), *temps = json_object_get(cal, "temperatures");
  for (int r = 0; r < in->nruns; r++)
    json_object_set_new(json_array_get(files, r), "msd", calib_run_msd_json(in, &in->runs[r]));
  for (int q = 0; q < nt; q++)
    json_object_set_new(json_array_get(temps, q), "md_msd", calib_temp_msd_json(in, &in->temps[q]));
  if (!(text = ionkmc_catalog_dumps(cat))) {
    code = cli_fail(cmd, "out of memory");
    goto done_res;
  }
  fputs(text, ionkmc_outfile_stream(of));
  fputc('\n', ionkmc_outfile_stream(of));
  if (rf) {
    rep = cli_envelope(argc, argv, NULL);
    json_object_set_new(rep, "calibration", cal);
    cal = NULL;
    if (pev) json_object_set(rep, "pattern_evidence", pev);
    if ((code = cli_write_json(cmd, rep, rf, 10))) goto done_res;
  }
  ionkmc_outfile **const outs[3] = {&of, &rf, &ef};
  if ((code = cli_commit_set(cmd, outs, 3))) goto done_res;
  if (!quiet) {
    const ionkmc_arrhenius *ff = res->have_free ? &res->free_fit : NULL, *xf = res->have_fixed ? &res->fixed_fit : NULL;
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
    for (int v = 0; v < CALIB_NALT && in->sensitivity; v++) printf(" %13s", ionkmc_calib_sensitivity_name(v));
    printf("   (events of %s with other hysteresis settings)\n", ionkmc_mech_name(mech));
    for (int q = 0; q < nt; q++) {
      calib_temp *tp = &in->temps[q];
      if (tp->hops > 0) printf("%7.1f %9.0f %9.3f", tp->T, tp->hops, tp->back_hops / tp->hops);
      else printf("%7.1f %9.0f %9s", tp->T, tp->hops, "-");
      for (int v = 0; v < CALIB_NALT && in->sensitivity; v++) printf(" %13.0f", tp->alt_count[v]);
      printf("\n");
    }
    if (ff)
      printf("Arrhenius (Poisson ML): Ea = %.4f +- %.4f eV, nu = %.4e 1/s per path, cov(Ea, ln nu) = %.3g, "
             "deviance %.2f\n",
             ff->Ea, ff->Ea_se, ff->nu, ff->cov_Ea_ln_nu, ff->deviance);
    for (int q = 0; q < npred && (ff || xf); q++) {
      double r, lo, hi;
      printf("predicted rate per path at %g K:", pred_T[q]);
      if (ff) {
        ionkmc_arrhenius_predict(ff, pred_T[q], &r, &lo, &hi);
        printf(" Arrhenius %.4e [%.3e, %.3e] 1/s", r, lo, hi);
      }
      if (xf) {
        ionkmc_arrhenius_predict(xf, pred_T[q], &r, &lo, &hi);
        printf("%s NEB-fixed %.4e [%.3e, %.3e] 1/s", ff ? ";" : "", r, lo, hi);
      }
      printf("\n");
    }
    const ionkmc_arrhenius_a *af = &res->a_fit;
    if (res->have_afit)
      printf("ln k linear in 1/T and a (%d runs): Eb = %.4f +- %.4f eV at a = %.4f A, dEb/da = %.4f +- %.4f "
             "eV/A, nu = %.4e 1/s per path\n",
             af->npoints, af->Eb, af->Eb_se, af->a0, af->dEb_da, af->dEb_da_se, af->nu);
    const ionkmc_strain_fit *sf = res->sf;
    for (int m = IONKMC_A_MODEL_BARRIER; m <= IONKMC_A_MODEL_BOTH; m++)
      if (res->have_sf[m])
        printf("strain on the %-9s: Eb = %.4f +- %.4f eV%s, dEb/da = %.4f +- %.4f eV/A, dln nu/da = %.3f +- %.3f "
               "1/A, deviance %.2f, AIC %.2f%s\n",
               ionkmc_a_model_name(m), sf[m].Eb, sf[m].se[IONKMC_PARAM_EB], sf[m].boundary ? " (at Eb >= 0)" : "",
               sf[m].dEb_da, sf[m].se[IONKMC_PARAM_DEB_DA], sf[m].dlnnu_da, sf[m].se[IONKMC_PARAM_DLNNU_DA],
               sf[m].deviance, sf[m].aic, m == res->preferred ? "  <- least AIC" : "");
    if (xf)
      printf("NEB: forward %.4f eV, reverse %.4f eV, %d intermediate minima; fixed-Eb fit nu = %.4e 1/s\n",
             neb.Ef, neb.Er, neb.n_minima, xf->nu);
    if (res->zero_events)
      printf("NEB: forward %.4f eV, reverse %.4f eV, %d intermediate minima; no events: nu < %.4e 1/s per "
             "path (95%%), catalog nu = %.4e 1/s\n",
             neb.Ef, neb.Er, neb.n_minima, res->nu_hi95, res->nu);
    /* one line per T, led by a word so that the numeric tables above stay
     * the only lines starting with a temperature */
    for (int i = 0; i < pat.nt; i++) {
      printf("geometry %g K: %d track%s, AIC", pat.T[i], pat.tracks[i], pat.tracks[i] == 1 ? "" : "s");
      for (int k = 0; k < IONKMC_NPATTERN; k++)
        if (pat.fitted_all[k]) printf(" %s %.2f", ionkmc_pattern_name((ionkmc_pattern)k), pat.fit[i][k].aic);
      for (int q = 0; q < nt; q++)
        if (in->temps[q].T == pat.T[i]) {
          const calib_temp *tp = &in->temps[q];
          printf(", f_MD %.3f [%.3f, %.3f], returns %.3f [%.3f, %.3f] (random walk %.3f)", tp->corr.f, tp->corr.f_lo,
                 tp->corr.f_hi, tp->geom.ret.frac, tp->geom.ret.lo, tp->geom.ret.hi, tp->geom.ret_random_walk);
          double fc[3];
          if (pat.fit[i][IONKMC_PATTERN_ORIENTED].npar > 0 &&
              ionkmc_calib_pattern_oriented_f(&pat.fit[i][IONKMC_PATTERN_ORIENTED], tp->L, fc, NULL) == IONKMC_OK)
            printf(", oriented fit's f %.3f [%.3f, %.3f] (exact for its k_r/Gamma in the %d^3 box; interval from "
                   "reorient's)",
                   fc[0], fc[1], fc[2], tp->L);
        }
      printf("\n");
    }
    printf("pattern: %s (%s)%s\n", pat.chosen_set ? ionkmc_pattern_name(pat.chosen) : "-", pat.why,
           pat.write ? ", written with its rates" : "");
    if (pat.gamma_used)
      printf("entry rate from the pattern's own per-path Gamma: Eb = %.4f eV, nu = %.4e 1/s per path (the plain "
             "fit's Eb = %.4f eV, nu = %.4e 1/s)\n",
             pat.gamma_Eb, pat.gamma_nu, pat.plain_Eb, pat.plain_nu);
    int ca = res->chosen_a;
    printf("catalog written to %s (fit used: %s)\n", out,
           res->zero_events ? "NEB barrier, nu bounded by the MD"
           : fit_a          ? (ca == IONKMC_A_MODEL_BARRIER     ? "ln k linear in 1/T and a, strain on the barrier"
                               : ca == IONKMC_A_MODEL_PREFACTOR ? "ln k linear in 1/T and a, strain on the prefactor"
                                                                : "ln k linear in 1/T and a, strain on both")
           : res->free_boundary ? "Arrhenius constrained to Eb >= 0"
           : use_neb            ? "NEB fixed barrier"
                                : "Arrhenius");
  }
done_res:
  free(res);
  ionkmc_calib_pattern_free(&pat);
done:
  ionkmc_outfile_abort(of);
  ionkmc_outfile_abort(rf);
  ionkmc_outfile_abort(ef);
  ionkmc_catalog_free(cat);
  json_decref(rep);
  json_decref(cal);
  json_decref(nebj);
  json_decref(pev);
  json_decref(prt);
  json_decref(pnm);
  free(text);
  return code;
}
