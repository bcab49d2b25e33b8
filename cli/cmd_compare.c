/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc compare: the KMC beside the MD it was calibrated from. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "cli/calib.h"
#include "cli/progress.h"
#include "events/oriented_f.h"

static const char HEAD[] =
    "usage: ionkmc compare --catalog FILE --md T:FILE [--md T:FILE ...] --defect NAME [options]\n"
    "\n"
    "Run the KMC with a catalog at each MD temperature, on the MD cell (its L and\n"
    "mean lattice constant), and print one table: T, MD D_species +- SE (Eq. S1-S2,\n"
    "FFT MSD, per run then pooled), KMC D_species +- SE, their ratio, the hop rate\n"
    "per defect in MD and in the KMC, and whether they agree within the combined 95%\n"
    "interval (sqrt of the sum of the squared half-widths). Where the MD defect is\n"
    "alone in its species, its own D (from its committed hops) is set beside the\n"
    "KMC's D_defect the same way.\n"
    "\n";

typedef struct {
  calib_inputs in;
  const char *catalog;
  cli_out_paths out;
  long long runs, seed, threads, ksamp;
  double tfac;
  int quiet;
} compare_opts;

static void compare_defaults(void *p) {
  compare_opts *o = p;
  ionkmc_run_config d = ionkmc_run_config_default();
  calib_inputs_init(&o->in);
  o->runs = d.runs;
  o->seed = (long long)d.seed;
  o->ksamp = IONKMC_CATALOG_SAMPLES_DEFAULT;
  o->tfac = 10;
}

#define S compare_opts
static const cli_option OPTS[] = {
    CALIB_MD_OPTIONS(in),
    CLI_OPT_STR("catalog", catalog, "FILE", "rate catalog (default: the embedded one)"),
    CLI_OPT_INT("runs", runs, "M", 2, 1000000, "KMC trajectories per temperature"),
    CLI_OPT_REAL("time-factor", tfac, "F", 0, 1e6, CLI_GT, "a factor", NULL,
                 "simulated time per KMC run = F x the MD time per run"),
    CLI_OPT_INT("seed", seed, "S", 0, 9e15, "random seed"),
    CLI_OPT_CATALOG_SAMPLES(ksamp),
    CLI_OPT_THREADS(threads),
    CLI_OPT_OUTPUTS(out, CLI_OUT_DOC | CLI_OUT_ROWS),
    CLI_OPT_FLAG("quiet", quiet, 1, "no table on stdout"),
};
#undef S

const cli_command CLI_CMD_COMPARE = {"compare", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(compare_opts),
                                     compare_defaults, NULL};

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* Hop-detection settings: those stored in the catalog entry's calibration
 * record (calibration.hop_detection) are used unless given on the command
 * line; an option that differs from the stored value is a warning. */
static const struct {
  const char *opt, *key;
  size_t off;
} HOPSET[] = {{"r-inner", "r_inner_A", offsetof(ionkmc_hop_params, r_inner)},
              {"r-inner-ma", "r_inner_ma_A", offsetof(ionkmc_hop_params, r_inner_ma)},
              {"dwell", "dwell_ps", offsetof(ionkmc_hop_params, dwell)},
              {"window", "window_ps", offsetof(ionkmc_hop_params, window)}};
#define NHOPSET (sizeof HOPSET / sizeof HOPSET[0])

static const char *stored_hop_settings(const char *cmd, const ionkmc_catalog *cat, calib_inputs *in,
                                       const unsigned given, json_t *warnings) {
  double stored[NHOPSET];
  unsigned have = ionkmc_calib_stored_hop_params(cat, in->kind, stored);
  const char *src = "defaults";
  if (given) src = "command line";
  for (size_t j = 0; j < NHOPSET; j++) {
    if (!(have >> j & 1)) continue;
    double *cur = (double *)((char *)&in->hp + HOPSET[j].off);
    if (!(given >> j & 1)) {
      *cur = stored[j];
      src = given ? "command line and catalog calibration record" : "catalog calibration record";
    } else if (fabs(*cur - stored[j]) > 1e-9 * fmax(1, fabs(stored[j]))) {
      cli_warn(cmd, warnings,
               "--%s %g differs from the %g the catalog was calibrated with (%s in its "
               "calibration record); hops are detected with %g",
               HOPSET[j].opt, *cur, stored[j], HOPSET[j].key, *cur);
    }
  }
  return src;
}

static int compare_main(compare_opts *opt, unsigned given, int argc, char **argv);

/* The KMC geometry pass: at most GEOM_RUNS trajectories of at most
 * GEOM_MAX_JUMPS hops each. */
#define GEOM_RUNS 16
#define GEOM_MAX_JUMPS 200000.0

static const char *agree_word(int a) { return a < 0 ? "" : a ? "yes" : "no"; }

static json_t *ratio_json(const ionkmc_geom_ratio *r) {
  return json_pack("{s:o,s:[o,o],s:o,s:o}", "ratio", num(r->ratio), "ci95", num(r->lo), num(r->hi), "sd_ln",
                   num(r->sd_ln), "agree", r->agree < 0 ? json_null() : json_boolean(r->agree));
}

static json_t *decomp_json(const ionkmc_geom_decomp *d) {
  return json_pack("{s:o,s:o,s:o,s:o,s:o,s:s,s:s}", "D_species", ratio_json(&d->D), "rate", ratio_json(&d->rate),
                   "displacement", ratio_json(&d->disp), "correlation", ratio_json(&d->corr), "identity_residual",
                   num(d->identity), "off", d->off, "definition",
                   "MD over KMC: D_species = rate (events per s in the cell) x displacement (<sum_i |dr_i|^2> per "
                   "event) x correlation (f = 6 D / (rate x displacement)) / 6; each ratio's 95% interval is "
                   "log-normal from both sides' log-scale errors in quadrature; agree: the interval holds 1, or "
                   "the ratio is within 1e-6 of 1");
}

static void ratio_cell(char *buf, size_t n, const ionkmc_geom_ratio *r) {
  if (isfinite(r->lo)) snprintf(buf, n, "%.3f [%.3f,%.3f] %s", r->ratio, r->lo, r->hi, r->agree ? "yes" : "no");
  else snprintf(buf, n, "%.3f -(c)", r->ratio);
}

/* The decomposition table: D(MD)/D(KMC) = rate x displacement x correlation. */
/* The KMC side of one temperature: its geometry, f and the decomposition. */
typedef struct {
  ionkmc_geom_stats geo;
  ionkmc_geom_corr corr;
  ionkmc_geom_decomp dc;
  int has_closed;            /* an oriented entry: the closed form of its f in the row's box */
  ionkmc_oriented_f closed;
} kmc_geom;

/* The oriented pair's f in closed form for the box of one row: k_r / Gamma
 * from the entry's rates at T (zero field), the row's periodic L^3. */
static void oriented_closed(const ionkmc_box_spec *s, ionkmc_defect_kind k, kmc_geom *kg) {
  kg->has_closed = 0;
  if (s->pattern[k] != IONKMC_PATTERN_ORIENTED || !(s->rate[k] > 0)) return;
  ionkmc_error err;
  kg->has_closed = ionkmc_oriented_f_compute(s->pattern_rate[k][0] / s->rate[k], s->L, &kg->closed, &err) ==
                   IONKMC_OK;
}

static json_t *closed_json(const kmc_geom *kg) {
  const ionkmc_oriented_f *o = &kg->closed;
  return json_pack("{s:o,s:o,s:i,s:o,s:o,s:o,s:s}", "f", num(o->f), "kr_over_gamma", num(o->kappa), "L", o->L,
                   "f_pair", num(o->f_pair), "g", num(o->g), "return_probability", num(o->q_return), "definition",
                   "the lone oriented pair's iodide tracer correlation factor in this periodic L^3 box, exact: f = "
                   "(2 + k - 2 g)/(4 + k - 2 g), k = k_r/Gamma of the entry at T, g the mean component along the "
                   "left atom's old pair axis of the hop by which the pair first comes back to it "
                   "(events/oriented_f.h); f_pair = f at g = 0");
}

static void print_closed(const calib_inputs *in, const kmc_geom *kg) {
  int any = 0;
  for (int q = 0; q < in->ntemps; q++) any |= kg[q].has_closed;
  if (!any) return;
  printf("# f_KMC of the oriented pair beside its exact value in the same box (closed form, "
         "kmc_f_closed_form in the JSON): f = (2 + k - 2g)/(4 + k - 2g), k = k_r/Gamma\n");
  printf("%7s %3s %10s %8s %8s %8s %26s\n", "T/K", "L", "k_r/Gamma", "g", "f_pair", "f exact", "f_KMC [95%]");
  for (int q = 0; q < in->ntemps; q++) {
    if (!kg[q].has_closed) continue;
    const ionkmc_oriented_f *o = &kg[q].closed;
    char c[64];
    snprintf(c, sizeof c, "%.3f [%.3f,%.3f]", kg[q].corr.f, kg[q].corr.f_lo, kg[q].corr.f_hi);
    printf("%7.1f %3d %10.4g %8.5f %8.5f %8.5f %26s\n", in->temps[q].T, o->L, o->kappa, o->g, o->f_pair, o->f, c);
  }
}

static void print_decomposition(const calib_inputs *in, const kmc_geom *kg) {
  printf("# D_species(MD)/D_species(KMC) = rate x displacement x correlation (each MD/KMC, 95%% interval, agree)\n");
  printf("%7s %26s %26s %26s %26s %8s %8s %15s %15s %6s %s\n", "T/K", "D ratio", "rate ratio", "displ. ratio",
         "corr. ratio", "f_MD", "f_KMC", "return MD", "return KMC", "1/z", "off");
  for (int q = 0; q < in->ntemps; q++) {
    const calib_temp *tp = &in->temps[q];
    char c[4][64], rm[32], rk[32];
    const ionkmc_geom_decomp *dc = &kg[q].dc;
    ratio_cell(c[0], sizeof c[0], &dc->D);
    ratio_cell(c[1], sizeof c[1], &dc->rate);
    ratio_cell(c[2], sizeof c[2], &dc->disp);
    ratio_cell(c[3], sizeof c[3], &dc->corr);
    snprintf(rm, sizeof rm, "%.3f (%.0f)", tp->geom.ret.frac, tp->geom.pairs);
    snprintf(rk, sizeof rk, "%.3f (%.0f)", kg[q].geo.ret.frac, kg[q].geo.pairs);
    printf("%7.1f %26s %26s %26s %26s %8.3f %8.3f %15s %15s %6.3f %s\n", tp->T, c[0], c[1], c[2], c[3], tp->corr.f,
           kg[q].corr.f, rm, rk, tp->geom.ret_random_walk, dc->off);
  }
  printf("# rate: Poisson 1/sqrt(events) each side; displacement: SE of the per-event mean; D: the SEs above; "
         "correlation: f = 6 D/(rate x displacement), its three errors propagated; intervals log-normal, "
         "errors taken as independent. return: immediate-return fraction (successive pairs) of the lone "
         "defect's track; KMC geometry from up to %d jump-logged trajectories\n",
         GEOM_RUNS);
}

int cmd_compare(int argc, char **argv) {
  compare_opts *o = malloc(sizeof *o);
  if (!o) return cli_fail("compare", "out of memory");
  cli_given g;
  int code = cli_parse(&CLI_CMD_COMPARE, argc, argv, 2, o, &g);
  if (!code) {
    unsigned given = 0; /* bit j: HOPSET[j] was on the command line */
    for (size_t j = 0; j < NHOPSET; j++)
      if (cli_was_given(&CLI_CMD_COMPARE, g, HOPSET[j].opt)) given |= 1u << j;
    code = compare_main(o, given, argc, argv);
    calib_inputs_release(&o->in);
  }
  free(o);
  return code < 0 ? 0 : code;
}

/* The comparison, from the parsed options. */
static int compare_main(compare_opts *opt, unsigned given, int argc, char **argv) {
  const char *cmd = "compare";
  calib_inputs *in = &opt->in;
  const char *catalog = opt->catalog;
  long long runs = opt->runs, seed = opt->seed, threads = opt->threads, ksamp = opt->ksamp;
  double tfac = opt->tfac;
  int quiet = opt->quiet, code = 0;
  cli_batch_progress bp;
  ionkmc_error err;
  cli_out_files outs = {{NULL}};
  ionkmc_catalog *cat = NULL;
  ionkmc_lattice *lat = NULL;
  json_t *doc = NULL;
  cli_rows *tab = cli_rows_alloc(); /* the table of the results */
  if ((code = cli_out_open(cmd, &opt->out, &outs))) goto done;
  if (!(cat = cli_catalog(cmd, catalog, &code))) goto done;
  if (!ionkmc_catalog_get(cat, in->kind_set ? in->kind : IONKMC_V_I)->present && in->kind_set) {
    code = cli_bad(cmd, "%s: catalog has no entry for %s", ionkmc_catalog_name(cat),
                   ionkmc_defect_name(in->kind));
    goto done;
  }
  json_t *warnings = json_array();
  const char *hop_src = stored_hop_settings(cmd, cat, in, given, warnings);
  if ((code = calib_read_runs(cmd, in, NULL))) {
    json_decref(warnings);
    goto done;
  }
  int sp = ionkmc_defect_sublattice(in->kind) == IONKMC_SUB_X ? 0 : 1;
  int nt = in->ntemps;
  ionkmc_run_summary *sums = calloc((size_t)nt, sizeof *sums);
  ionkmc_run_config *cfgs = calloc((size_t)nt, sizeof *cfgs);
  ionkmc_catalog_uq *uqs = calloc((size_t)nt, sizeof *uqs);
  kmc_geom *kgeo = calloc((size_t)nt, sizeof *kgeo);
  if (!sums || !cfgs || !uqs || !kgeo) {
    free(kgeo);
    free(uqs);
    free(sums);
    free(cfgs);
    json_decref(warnings);
    code = cli_fail(cmd, "out of memory");
    goto done;
  }
  json_t *rows = json_array();
  cli_envelope_info env = {.catalog = ionkmc_catalog_name(cat), .defect = ionkmc_defect_name(in->kind),
                           .has_seed = 1, .seed = seed,
                           .units = json_pack("{s:s,s:s,s:s}", "D", "cm^2/s", "rate", "1/s per defect", "T", "K")};
  doc = cli_envelope(argc, argv, &env);
  json_object_set_new(doc, "hop_detection", ionkmc_calib_hop_params_json(&in->hp, in->topt.timestep_ps));
  json_object_set_new(doc, "hop_detection_from", json_string(hop_src));
  json_object_set_new(doc, "warnings", warnings);
  json_object_set_new(doc, "results", rows);
  cli_batch_init(&bp, cmd, "T", nt, in->progress);
  for (int q = 0; q < nt && !code; q++) {
    calib_temp *tp = &in->temps[q];
    ionkmc_run_config *c = &cfgs[q];
    c->spec.L = tp->L;
    c->spec.cond.T = tp->T;
    c->spec.cond.a = tp->a;
    c->spec.count[in->kind] = 1;
    c->runs = (int)runs;
    c->time = tfac * tp->duration / tp->nruns;
    c->seed = (uint64_t)seed + (uint64_t)q * 1000003u;
    c->threads = (int)threads;
    c->cat = cat;
    ionkmc_lattice_free(lat);
    ionkmc_status st;
    if (!(lat = ionkmc_lattice_alloc(tp->L, &st))) {
      code = cli_fail(cmd, "out of memory");
      break;
    }
    if ((code = cli_check_conditions(cmd, c->spec.cond.T, c->spec.cond.a, 0, NULL))) break;
    if (ionkmc_box_spec_rates(&c->spec, cat, &err) != IONKMC_OK) {
      code = cli_bad(cmd, "%s", err.text);
      break;
    }
    double h = cli_hops_per_run(ionkmc_box_spec_nominal_rate(&c->spec), 0, c->time);
    if ((code = cli_check_work(cmd, h, h * (double)runs))) break;
    cli_batch_item(&bp, q, "%g K", tp->T);
    st = ionkmc_run_batch_progress(c, lat, &sums[q], &err, bp.pr.mode ? cli_batch_runs : NULL, &bp);
    if (st) {
      code = (st == IONKMC_EINVAL || st == IONKMC_ERANGE) ? cli_bad(cmd, "%s", err.text)
                                                            : cli_fail(cmd, "%s", err.text);
      break;
    }
    if ((code = cli_result_uq(cmd, c, lat, (int)ksamp, &sums[q], &uqs[q]))) break;
    /* The KMC's own hop geometry, from trajectories with the jump log. */
    ionkmc_geom_acc acc;
    memset(&acc, 0, sizeof acc);
    size_t maxj = (size_t)fmin(GEOM_MAX_JUMPS, 2 * h + 1000);
    st = ionkmc_geom_kmc_sample(c, lat, in->kind, runs < GEOM_RUNS ? (int)runs : GEOM_RUNS, maxj, &acc, &err);
    if (st) {
      code = st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL ? cli_fail(cmd, "%s", err.text) : cli_bad(cmd, "%s", err.text);
      break;
    }
    ionkmc_geom_finish(&acc, ionkmc_defect_z(in->kind), &kgeo[q].geo);
  }
  cli_progress_end(&bp.pr);
  if (code) {
    free(kgeo);
    free(sums);
    free(cfgs);
    free(uqs);
    goto done;
  }
  if (!quiet)
    printf("# ionkmc compare  defect %s  catalog %s  KMC runs %lld x %.3g MD time  seed %lld\n"
           "%7s %3s %8s %24s %24s %22s %8s %11s %11s %6s %22s %22s %6s\n",
           ionkmc_defect_name(in->kind), ionkmc_catalog_name(cat), runs, tfac, seed, "T/K", "L",
           "a/A", "MD D/cm2s-1 +- SE", "KMC D/cm2s-1 +- SE", "95% incl. calibration", "ratio", "MD rate/s", "KMC rate/s",
           "agree", "MD D_defect +- SE", "KMC D_defect +- SE", "agree");
  cli_rows_new(tab);
  cli_rows_names(tab, "defect,T,L,a,md_runs,md_D,md_D_sem,md_D_lo,md_D_hi,kmc_runs,kmc_D,kmc_D_sem,kmc_D_lo,"
                      "kmc_D_hi,ratio,md_events,md_rate,md_rate_lo,md_rate_hi,kmc_hops,kmc_rate,agree,"
                      "md_D_defect_runs,md_D_defect,md_D_defect_sem,kmc_D_defect,kmc_D_defect_sem,agree_D_defect,"
                      "md_se_method,md_blocks,kmc_D_ci95_catalog_lo,kmc_D_ci95_catalog_hi,kmc_D_ci95_total_lo,"
                      "kmc_D_ci95_total_hi,md_f,md_f_lo,md_f_hi,kmc_f,kmc_f_lo,kmc_f_hi,rate_ratio,rate_ratio_lo,"
                      "rate_ratio_hi,disp_ratio,disp_ratio_lo,disp_ratio_hi,corr_ratio,corr_ratio_lo,corr_ratio_hi,agree_rate,"
                      "agree_disp,agree_corr,factor_off,md_return_fraction,kmc_return_fraction,return_random_walk");
  int any_blocks = 0, any_nose = 0, any_nodef = 0;
  for (int q = 0; q < nt; q++) {
    calib_temp *tp = &in->temps[q];
    ionkmc_run_summary *s = &sums[q];
    ionkmc_estimate md = tp->D, km = s->D_species[sp];
    double ratio = md.mean / km.mean;
    int agree = ionkmc_calib_agree95(md, km);
    double md_rate = tp->count / tp->exposure;
    double md_lo = tp->rate_lo * ionkmc_defect_npaths(in->kind), md_hi = tp->rate_hi * ionkmc_defect_npaths(in->kind);
    double kmc_rate = s->sim_time_total > 0 ? (double)s->hops / s->sim_time_total : NAN;
    const char *ag = agree < 0 ? "-(c)" : agree ? "yes" : "no";
    /* The defect's own D, where the MD could follow it (alone in its species). */
    double kcat[2], ktot[2];
    {
      const ionkmc_catalog_uq *u = &uqs[q];
      ionkmc_catalog_uq_interval(km.mean, km.lo, km.hi, u->method ? u->sd_ln[IONKMC_UQ_D_SPECIES_I + sp] : 0, kcat,
                                 ktot);
      if (!u->method) kcat[0] = kcat[1] = NAN;
    }
    ionkmc_geom_corr kc;
    ionkmc_geom_correlation(km, (double)s->hops, s->sim_time_total, kgeo[q].geo.S, &kc);
    ionkmc_geom_decomp dc;
    ionkmc_geom_decompose(&tp->corr, &kc, &dc);
    kgeo[q].corr = kc;
    kgeo[q].dc = dc;
    oriented_closed(&cfgs[q].spec, in->kind, &kgeo[q]);
    ionkmc_estimate mdd = tp->D_defect, kmd = s->D_defect;
    int agree_d = tp->defect_runs > 0 && mdd.n > 1 ? ionkmc_calib_agree95(mdd, kmd) : -1;
    const char *agd = agree_d < 0 ? (tp->defect_runs == 0 ? "-(d)" : "-(c)") : agree_d ? "yes" : "no";
    if (!quiet) {
      char a[48], b[48], c[48], d[48], rt[24];
      calib_pm(a, sizeof a, md, tp->nblocks);
      calib_pm(b, sizeof b, km, 0);
      if (tp->defect_runs > 0) calib_pm(c, sizeof c, mdd, tp->nblocks);
      else snprintf(c, sizeof c, "-(d)");
      calib_pm(d, sizeof d, kmd, 0);
      if (isfinite(ratio)) snprintf(rt, sizeof rt, "%.3f", ratio);
      else snprintf(rt, sizeof rt, "-(c)");
      char kt[48];
      if (isfinite(ktot[0])) snprintf(kt, sizeof kt, "[%.2e, %.2e]", ktot[0], ktot[1]);
      else snprintf(kt, sizeof kt, "-(c)");
      printf("%7.1f %3d %8.4f %24s %24s %22s %8s %11.4e %11.4e %6s %22s %22s %6s\n", tp->T, tp->L, tp->a, a, b,
             kt, rt, md_rate, kmc_rate, ag, c, d, agd);
      any_blocks |= tp->nblocks > 0;
      any_nose |= !isfinite(md.sem) || !isfinite(km.sem);
      any_nodef |= tp->defect_runs == 0;
    }
    json_t *r = json_object();
    json_object_set_new(r, "T", json_real(tp->T));
    json_object_set_new(r, "L", json_integer(tp->L));
    json_object_set_new(r, "a", json_real(tp->a));
    json_object_set_new(r, "md_runs", json_integer(tp->nruns));
    json_object_set_new(r, "md_D_species", cli_estimate_json(md));
    json_object_set_new(r, "kmc_runs", json_integer(cfgs[q].runs));
    json_object_set_new(r, "kmc_time_per_run_s", json_real(cfgs[q].time));
    json_object_set_new(r, "kmc_D_species", cli_estimate_json(km));
    {
      json_t *kj = json_object_get(r, "kmc_D_species");
      json_object_set_new(kj, "ci95_catalog", json_pack("[o,o]", num(kcat[0]), num(kcat[1])));
      json_object_set_new(kj, "ci95_total", json_pack("[o,o]", num(ktot[0]), num(ktot[1])));
      json_object_set_new(r, "kmc_catalog_uncertainty", cli_uq_json(&uqs[q]));
    }
    json_object_set_new(r, "ratio_md_over_kmc", num(ratio));
    json_object_set_new(r, "md_events", json_real(tp->count));
    json_object_set_new(r, "md_rate", json_pack("{s:o,s:[o,o]}", "mean", num(md_rate), "ci95", num(md_lo), num(md_hi)));
    json_object_set_new(r, "kmc_hops", json_integer(s->hops));
    json_object_set_new(r, "kmc_rate", num(kmc_rate));
    json_object_set_new(r, "agree_95", agree < 0 ? json_null() : json_boolean(agree));
    json_object_set_new(r, "md_D_defect_runs", json_integer(tp->defect_runs));
    json_object_set_new(r, "md_standard_errors", ionkmc_calib_se_method_json(tp));
    json_object_set_new(r, "md_D_defect", cli_estimate_json(mdd));
    json_object_set_new(r, "kmc_D_defect", cli_estimate_json(kmd));
    json_object_set_new(r, "agree_D_defect_95", agree_d < 0 ? json_null() : json_boolean(agree_d));
    json_object_set_new(r, "md_geometry", ionkmc_calib_geom_json(&tp->geom, &tp->corr));
    json_object_set_new(r, "kmc_geometry", ionkmc_calib_geom_json(&kgeo[q].geo, &kc));
    if (kgeo[q].has_closed) json_object_set_new(r, "kmc_f_closed_form", closed_json(&kgeo[q]));
    json_object_set_new(r, "decomposition", decomp_json(&dc));
    json_array_append_new(rows, r);
    cli_rows_new(tab);
    cli_rows_add(tab, "%s", ionkmc_defect_name(in->kind));
    cli_rows_add(tab, "%g", tp->T);
    cli_rows_add(tab, "%d", tp->L);
    cli_rows_add(tab, "%.6g", tp->a);
    cli_rows_add(tab, "%d", tp->nruns);
    const double v1[] = {md.mean, md.sem, md.lo, md.hi};
    for (int z = 0; z < 4; z++) cli_rows_num(tab, "%.6e", v1[z]);
    cli_rows_add(tab, "%d", cfgs[q].runs);
    const double v2[] = {km.mean, km.sem, km.lo, km.hi, ratio, tp->count, md_rate, md_lo, md_hi};
    for (int z = 0; z < 9; z++) cli_rows_num(tab, "%.6e", v2[z]);
    cli_rows_add(tab, "%lld", (long long)s->hops);
    cli_rows_num(tab, "%.6e", kmc_rate);
    cli_rows_add(tab, "%s", agree < 0 ? "" : ag);
    cli_rows_add(tab, "%d", tp->defect_runs);
    const double v3[] = {mdd.mean, mdd.sem, kmd.mean, kmd.sem};
    for (int z = 0; z < 4; z++) cli_rows_num(tab, "%.6e", v3[z]);
    cli_rows_add(tab, "%s", agree_d < 0 ? "" : agd);
    cli_rows_add(tab, "%s", tp->nblocks > 0 ? "blocks" : "runs");
    cli_rows_add(tab, "%d", tp->nblocks);
    const double v4[] = {kcat[0], kcat[1], ktot[0], ktot[1], tp->corr.f, tp->corr.f_lo, tp->corr.f_hi, kc.f,
                         kc.f_lo, kc.f_hi, dc.rate.ratio, dc.rate.lo, dc.rate.hi, dc.disp.ratio, dc.disp.lo,
                         dc.disp.hi, dc.corr.ratio, dc.corr.lo, dc.corr.hi};
    for (size_t z = 0; z < sizeof v4 / sizeof v4[0]; z++) cli_rows_num(tab, "%.6e", v4[z]);
    cli_rows_add(tab, "%s", agree_word(dc.rate.agree));
    cli_rows_add(tab, "%s", agree_word(dc.disp.agree));
    cli_rows_add(tab, "%s", agree_word(dc.corr.agree));
    cli_rows_add(tab, "%s", dc.off);
    const double v5[] = {tp->geom.ret.frac, kgeo[q].geo.ret.frac, tp->geom.ret_random_walk};
    for (int z = 0; z < 3; z++) cli_rows_num(tab, "%.6e", v5[z]);
  }
  if (!quiet) {
    calib_footnotes(stdout, any_blocks, any_nose, any_nodef);
    printf("# KMC +- SE: KMC sampling only; \"95%% incl. calibration\": the KMC D with the catalog's parameter "
           "uncertainty (kmc_D_species.ci95_total in the JSON); the agree columns compare MD and KMC sampling "
           "only\n");
    print_decomposition(in, kgeo);
    print_closed(in, kgeo);
  }
  free(kgeo);
  free(sums);
  free(cfgs);
  free(uqs);
  cli_output result = {.doc = doc, .precision = 10, .rows = tab};
  if ((code = cli_out_write(cmd, &outs, &result))) goto done;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    code = cli_fail(cmd, "standard output: write failed");
    goto done;
  }
  code = cli_out_commit(cmd, &outs);
done:
  cli_out_abort(&outs);
  cli_rows_free(tab);
  ionkmc_catalog_free(cat);
  ionkmc_lattice_free(lat);
  json_decref(doc);
  return code;
}
