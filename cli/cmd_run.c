/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc run: diffusion coefficients of defects at one temperature. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/progress.h"
#include "kmc/engine_memory.h"
#include "kmc/frenkel.h"
#include "base/outfile.h"

static const char HEAD[] =
    "usage: ionkmc run [options]\n"
    "\n"
    "Run M independent KMC trajectories per defect (one defect in an L^3 box,\n"
    "as in the paper) and print D_species (Eq. S1-S2), D_defect, the tracer\n"
    "correlation factor f, hops and simulated time, beside the paper's\n"
    "Arrhenius law D0 exp(-Ea/kT). With no options: every mobile defect\n"
    "(I_I-, V_I+, I_MA0, I_MA+) at the default temperature on the embedded catalog.\n"
    "\n";

static const char TAIL[] =
    "Intervals: ci95 is KMC sampling alone (Student-t over the runs); ci95_catalog the\n"
    "catalog's parameter uncertainty alone (draws from each entry's fitted normal);\n"
    "ci95_total both together (log scale). For one defect kind with the constant\n"
    "provider each draw rescales the result by its rate (exact per trajectory with\n"
    "--hops, in expectation with --time); otherwise\n"
    "each draw reruns the batch with runs/4 runs (at least 4). Entries without a\n"
    "covariance contribute nothing, and the output says so.\n";

typedef struct {
  cli_defect_list defects;
  cli_box_arg box;
  double T, a, shift, field[3];
  long long L;
  double max_mem;
  cli_batch_opts b;
  const char *conc;
  int msd, quiet, version;
} run_opts;

static void run_defaults(void *p) {
  run_opts *o = p;
  cli_defect_list_mobile(&o->defects);
  o->T = 300;
  o->a = NAN;
  o->L = 6;
  cli_batch_defaults(&o->b);
}

#define S run_opts
static const cli_option OPTS[] = {
    CLI_OPT_DEFECTS("defect", defects, "defects, comma-separated (@DEFECTS@)"),
    CLI_OPT_CUSTOM("box", box, "SPEC", cli_parse_box, NULL,
                   "one mixed box instead, e.g. 'V_I+=2,I_I-=2' (reports each species); with a catalog "
                   "'frenkel' entry the box also creates iodide Frenkel pairs thermally and reports their "
                   "equilibrium population (counts may be 0: 'V_I+=0,I_I-=0' starts from the perfect crystal)"),
    CLI_OPT_REAL("T", T, "K", CLI_T_MIN, CLI_T_MAX, 0, "a temperature", "K", "temperature"),
    CLI_OPT_INT("size", L, "L", 2, IONKMC_ENGINE_MAX_L, "supercell edge in cells (limited by --max-memory)"),
    CLI_OPT_MAX_MEMORY(max_mem),
    {.name = "a", .kind = CLI_REAL, .off = offsetof(S, a), .meta = "A", .lo = CLI_A_MIN, .hi = CLI_A_MAX,
     .what = "a lattice constant", .unit = "angstrom", .def = "catalog a(T)",
     .help = "lattice constant in angstrom"},
    CLI_BATCH_OPTIONS(b),
    CLI_OPT_REAL("barrier-shift", shift, "E", -CLI_SHIFT_MAX, CLI_SHIFT_MAX, 0, "a shift", "eV",
                 "add E eV to every barrier"),
    CLI_OPT_CUSTOM("field", field, "Ex,Ey,Ez", cli_parse_field, "0,0,0",
                   "electric field in V/angstrom (1 V/A = 100 MV/cm); rates are biased by "
                   "exp(q E.dr / 2kT); reports drift and mobility"),
    CLI_OPT_FLAG("msd", msd, 1, "include MSD(t) on log-spaced times in the JSON"),
    CLI_OPT_STR("concentration", conc, "C",
                "defect concentration: C in cm^-3 (or C/cm3) or X/fu per formula unit (one per cubic "
                "cell); reports the ionic conductivity sigma = n q^2 D_sigma / kT in S/cm (not with --box)"),
    CLI_OPT_FLAG("quiet", quiet, 1, "no table on stdout"),
    CLI_OPT_FLAG("version", version, 1, "print the version"),
};
#undef S

const cli_command CLI_CMD_RUN = {"run", HEAD, TAIL, OPTS, CLI_NOPTS(OPTS), sizeof(run_opts), run_defaults, NULL};

static int run_main(const run_opts *o, int argc, char **argv);

int cmd_run(int argc, char **argv) {
  run_opts o;
  cli_given given;
  int code = cli_parse(&CLI_CMD_RUN, argc, argv, 2, &o, &given);
  if (code) return code < 0 ? 0 : code;
  o.b.hops_given = cli_was_given(&CLI_CMD_RUN, given, "hops");
  if (o.version) {
    printf("ionkmc %s\n", IONKMC_VERSION);
    return 0;
  }
  return run_main(&o, argc, argv);
}

/* The computation, from the parsed options. */
static int run_main(const run_opts *o, int argc, char **argv) {
  const char *cmd = "run";
  ionkmc_defect_kind kinds[CLI_MAX_DEFECTS];
  memcpy(kinds, o->defects.kind, sizeof kinds);
  int nkinds = o->defects.n, use_box = o->box.set, box[IONKMC_NDEFECT];
  memcpy(box, o->box.count, sizeof box);
  double T = o->T, a = o->a, shift = o->shift, field[3] = {o->field[0], o->field[1], o->field[2]};
  double tmax = o->b.time;
  long long L = o->L, hops = o->b.hops, runs = o->b.runs, seed = o->b.seed, threads = o->b.threads;
  long long ksamp = o->b.ksamp;
  int hops_set = o->b.hops_given, with_msd = o->msd, quiet = o->quiet;
  int force = o->b.progress, crn = o->b.crn;
  cli_batch_progress bp;
  const char *catalog = o->b.catalog, *conc_arg = o->conc;
  double conc = 0;
  if (tmax > 0 && !hops_set) hops = 0;
  if (field[0] != 0 || field[1] != 0 || field[2] != 0) {
    for (int j = 0; j < (use_box ? IONKMC_NDEFECT : nkinds); j++) {
      int kk = use_box ? j : (int)kinds[j];
      if ((!use_box || box[kk] > 0) && ionkmc_defect_charge(kk) == 0)
        return cli_bad(cmd, "--field: %s carries no charge, so a field cannot drive it; drop it "
                            "from --defect/--box or drop --field", ionkmc_defect_name(kk));
    }
  }

  if (conc_arg && use_box)
    return cli_bad(cmd, "--concentration: needs one defect kind per box (--defect), not --box");
  if (conc_arg && !cli_concentration(cmd, "concentration", conc_arg, 1.0, &conc)) return EXIT_BAD_INPUT;

  int code = 0;
  ionkmc_catalog *cat = cli_catalog(cmd, catalog, &code);
  if (!cat) return code;
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  if (isnan(a)) a = ionkmc_acell_eval(&am, T);
  if (!(a > 0)) {
    ionkmc_catalog_free(cat);
    return cli_bad(cmd, "a(T): the catalog's lattice model gives a = %g angstrom at %g K", a, T);
  }
  if ((code = cli_check_conditions(cmd, T, a, shift, field))) {
    ionkmc_catalog_free(cat);
    return code;
  }

  if (conc_arg) cli_concentration(cmd, "concentration", conc_arg, a, &conc); /* /fu needs a */

  /* Open outputs before any work, so an unwritable path fails at once. */
  ionkmc_error err;
  cli_out_files outs;
  int oc;
  if ((oc = cli_out_open(cmd, &o->b.out, &outs))) {
    ionkmc_catalog_free(cat);
    return oc;
  }

  json_t *warnings = json_array();
  int njobs = use_box ? 1 : nkinds;
  ionkmc_run_config *cfgs = calloc((size_t)njobs, sizeof *cfgs);
  ionkmc_run_summary *sums = calloc((size_t)njobs, sizeof *sums);
  ionkmc_catalog_uq *uqs = calloc((size_t)njobs, sizeof *uqs);
  cli_result *res = calloc((size_t)njobs * 2, sizeof *res);
  char boxlabel[256] = "";
  int nres = 0;
  ionkmc_status st;
  ionkmc_lattice *lat = NULL;
  if (!cfgs || !sums || !uqs || !res) {
    code = cli_fail(cmd, "out of memory");
    goto done;
  }
  cli_batch_init(&bp, cmd, "defect", njobs, force);
  double total_hops = 0;
  for (int j = 0; j < njobs; j++) {
    ionkmc_run_config *c = &cfgs[j];
    c->spec.L = (int)L;
    c->spec.cond.T = T;
    c->spec.cond.a = a;
    c->spec.cond.shift = shift;
    memcpy(c->spec.cond.field, field, sizeof field);
    if (use_box) memcpy(c->spec.count, box, sizeof box);
    else c->spec.count[kinds[j]] = 1;
    if (ionkmc_box_spec_rates(&c->spec, cat, &err) != IONKMC_OK ||
        (use_box && ionkmc_box_spec_frenkel(&c->spec, cat, &err) != IONKMC_OK)) {
      code = cli_bad(cmd, "%s", err.text);
      goto done;
    }
    double h = cli_hops_per_run(ionkmc_box_spec_nominal_rate(&c->spec), hops, tmax);
    total_hops += h * (double)runs;
    if ((code = cli_check_work(cmd, h, total_hops))) goto done;
    if ((code = cli_check_box_memory(cmd, &c->spec, cat, (int)threads, runs, o->max_mem))) goto done;
  }
  if (!(lat = ionkmc_lattice_alloc((int)L, &st))) {
    code = cli_fail(cmd, "out of memory");
    goto done;
  }
  for (int j = 0; j < njobs; j++) {
    ionkmc_run_config *c = &cfgs[j];
    c->runs = (int)runs;
    c->hops = hops;
    c->time = tmax;
    c->seed = (uint64_t)seed;
    c->threads = (int)threads;
    c->cat = cat;
    c->stream_unit = crn ? 0 : ionkmc_run_stream_unit(&c->spec);
    const char *label = use_box ? boxlabel : ionkmc_defect_name(kinds[j]);
    if (use_box) {
      cli_box_label(box, boxlabel, sizeof boxlabel);
      if (c->spec.frenkel_w > 0)
        snprintf(boxlabel + strlen(boxlabel), sizeof boxlabel - strlen(boxlabel), "%sfrenkel",
                 boxlabel[0] ? "+" : "");
    }
    cli_batch_item(&bp, j, "%s", label);
    st = ionkmc_run_batch_progress(c, lat, &sums[j], &err, bp.pr.mode ? cli_batch_runs : NULL, &bp);
    if (st != IONKMC_OK) {
      cli_progress_end(&bp.pr);
      code = cli_status_exit(cmd, st, err.text);
      goto done;
    }
    if ((code = cli_result_uq(cmd, c, lat, (int)ksamp, &sums[j], &uqs[j]))) goto done;
    for (int sp = 0; sp < IONKMC_NSPECIES; sp++) {
      if (!sums[j].species_present[sp]) continue;
      cli_result *r = &res[nres++];
      r->label = label;
      r->species = sp;
      r->primary_kind = use_box ? -1 : (int)kinds[j];
      r->cfg = c;
      r->sum = &sums[j];
      r->concentration_cm3 = conc;
      r->uq = &uqs[j];
    }
  }
  cli_progress_end(&bp.pr);

  /* after the work, so that bad input still gets its one line */
  cli_warn_phase(cmd, warnings, T);
  for (int j = 0; j < nres; j++) cli_warn_recombination(cmd, warnings, &res[j]);
  if (!quiet) {
    printf("# ionkmc %s  catalog: %s  T = %g K  a = %.4f A  L = %lld  runs = %lld  seed = %lld\n",
           IONKMC_VERSION, ionkmc_catalog_name(cat), T, a, L, runs, seed);
    cli_table_header(stdout);
    for (int j = 0; j < nres; j++) cli_table_row(stdout, &res[j]);
    cli_table_footnotes(stdout, res, nres);
    for (int j = 0; j < nres; j++) cli_frenkel_table(stdout, &res[j]);
    if (field[0] != 0 || field[1] != 0 || field[2] != 0)
      for (int j = 0; j < nres; j++)
      {
        double mc[2], mt[2];
        const ionkmc_catalog_uq *u = res[j].uq;
        ionkmc_catalog_uq_interval(res[j].sum->mobility.mean, res[j].sum->mobility.lo, res[j].sum->mobility.hi,
                                   u->method ? u->sd_ln[IONKMC_UQ_MOBILITY] : 0, mc, mt);
        printf("%-8s drift along E = %.4e +- %.1e cm/s   mobility = %.4e +- %.1e cm2/(V s), 95%% incl. "
               "calibration [%.2e, %.2e]\n",
               res[j].label, res[j].sum->drift.mean, res[j].sum->drift.sem,
               res[j].sum->mobility.mean, res[j].sum->mobility.sem, mt[0], mt[1]);
      }
    if (conc > 0)
      for (int j = 0; j < nres; j++) {
        const ionkmc_estimate *ds = &res[j].sum->D_sigma[res[j].species];
        int q = ionkmc_defect_charge(res[j].primary_kind);
        double per = (double)q * q * IONKMC_E_CHARGE * conc / (IONKMC_KB_EV * T) *
                     res[j].sum->natoms[res[j].species]; /* one defect per box */
        printf("%-8s sigma = %.4e +- %.1e S/cm at n = %.4e cm^-3 (SE: KMC sampling)\n",
               res[j].label, ds->mean * per, ds->sem * per, conc);
      }
    fflush(stdout);
  }
  json_t *doc = NULL;
  cli_rows *rows = NULL;
  if (cli_out_wants(&outs, CLI_OUT_DOC)) {
    cli_envelope_info env = {
        .catalog = ionkmc_catalog_name(cat), .has_seed = 1, .seed = seed,
        .catalog_samples = ksamp ? json_integer(ksamp) : json_string("default"),
        .units = cli_result_units()};
    doc = cli_envelope(argc, argv, &env);
    json_t *arr = json_array();
    json_object_set_new(doc, "warnings", json_incref(warnings));
    for (int j = 0; j < nres; j++) json_array_append_new(arr, cli_result_json(&res[j], with_msd));
    json_object_set_new(doc, "results", arr);
  }
  if (cli_out_wants(&outs, CLI_OUT_ROWS)) {
    rows = cli_rows_alloc();
    cli_result_rows_header(rows, res, nres);
    for (int j = 0; j < nres; j++) cli_result_rows(rows, &res[j]);
  }
  cli_output result = {.doc = doc, .precision = 12, .rows = rows};
  code = cli_out_write(cmd, &outs, &result);
  json_decref(doc);
  cli_rows_free(rows);
  if (code) goto done;
  /* The table went out whole, or nothing is committed. */
  if (fflush(stdout) != 0 || ferror(stdout)) {
    code = cli_fail(cmd, "standard output: write failed");
    goto done;
  }
  code = cli_out_commit(cmd, &outs);
done:
  cli_out_abort(&outs);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
  free(cfgs);
  free(sums);
  free(uqs);
  free(res);
  json_decref(warnings);
  return code;
}
