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
#include "cli/progress.h"
#include "lattice/outfile.h"

static const char *HELP =
    "usage: ionkmc run [options]\n"
    "\n"
    "Run M independent KMC trajectories per defect (one defect in an L^3 box,\n"
    "as in the paper) and print D_species (Eq. S1-S2), D_defect, the tracer\n"
    "correlation factor f, hops and simulated time, beside the paper's\n"
    "Arrhenius law D0 exp(-Ea/kT). With no options: every mobile defect\n"
    "(I_I-, V_I+, I_MA0, I_MA+) at 300 K on the embedded catalog.\n"
    "\n"
    "options:\n"
    "  --defect LIST       defects, comma-separated (@DEFECTS@)\n"
    "  --box SPEC          one mixed box instead, e.g. 'V_I+=2,I_I-=2' (reports each species)\n"
    "  --T K               temperature in K (default 300)\n"
    "  --size L            supercell edge in cells, >= 2 (default 6)\n"
    "  --a A               lattice constant in angstrom (default: catalog a(T))\n"
    "  --hops N            events per run (default 200000)\n"
    "  --time S            simulated seconds per run instead of --hops\n"
    "  --runs M            independent runs (default 32)\n"
    "  --seed S            random seed (default 20240601)\n"
    "  --common-random-numbers\n"
    "                      give every defect of --defect the same random streams\n"
    "                      (variance reduction for differences between them; by\n"
    "                      default each box draws its own independent streams)\n"
    "  --threads N         OpenMP threads (default: all); results do not depend on it\n"
    "  --barrier-shift E   add E eV to every barrier (default 0)\n"
    "  --field Ex,Ey,Ez    electric field in V/angstrom (1 V/A = 100 MV/cm; default 0,0,0);\n"
    "                      rates are biased by exp(q E.dr / 2kT); reports drift and mobility\n"
    "  --catalog FILE      rate catalog JSON (default: embedded)\n"
    "  --catalog-samples K parameter draws from the catalog's fitted distributions for\n"
    "                      ci95_catalog and ci95_total (default 1000 when\n"
    "                      rescaling, 64 when rerunning; see below)\n"
    "  --json FILE         write results as JSON ('-' for stdout)\n"
    "  --csv FILE          write results as CSV ('-' for stdout)\n"
    "  --msd               include MSD(t) on log-spaced times in the JSON\n"
    "  --concentration C   defect concentration: C in cm^-3 (or C/cm3) or X/fu per formula\n"
    "                      unit (one per cubic cell); reports the ionic conductivity\n"
    "                      sigma = n q^2 D_sigma / kT in S/cm (not with --box)\n"
    "  --quiet             no table on stdout\n"
    "  --progress, --no-progress\n"
    "                      force progress on stderr (runs done, ETA) or turn it off\n"
    "                      (default: on a terminal, after 2 s)\n"
    "  --version           print the version\n"
    "\n"
    "Intervals: ci95 is KMC sampling alone (Student-t over the runs); ci95_catalog the\n"
    "catalog's parameter uncertainty alone (draws from each entry's fitted normal);\n"
    "ci95_total both together (log scale). For one defect kind with the constant\n"
    "provider each draw rescales the result by its rate (exact per trajectory with\n"
    "--hops, in expectation with --time); otherwise\n"
    "each draw reruns the batch with runs/4 runs (at least 4). Entries without a\n"
    "covariance contribute nothing, and the output says so.\n";

enum { O_DEFECT, O_BOX, O_T, O_SIZE, O_A, O_HOPS, O_TIME, O_RUNS, O_SEED, O_THREADS, O_SHIFT,
       O_FIELD, O_CATALOG, O_JSON, O_CSV, O_MSD, O_QUIET, O_VERSION, O_PROG, O_NOPROG, O_CRN, O_CONC,
       O_KSAMP, O_N };
static const cli_opt OPTS[O_N] = {
    {"defect", 1}, {"box", 1},  {"T", 1},       {"size", 1},    {"a", 1},   {"hops", 1},
    {"time", 1},   {"runs", 1}, {"seed", 1},    {"threads", 1}, {"barrier-shift", 1},
    {"field", 1},  {"catalog", 1}, {"json", 1}, {"csv", 1},     {"msd", 0}, {"quiet", 0},
    {"version", 0}, {"progress", 0}, {"no-progress", 0}, {"common-random-numbers", 0},
    {"concentration", 1}, {"catalog-samples", 1}};

int cmd_run(int argc, char **argv) {
  const char *cmd = "run";
  ionkmc_defect_kind kinds[IONKMC_NDEFECT * 4] = {IONKMC_I_I, IONKMC_V_I, IONKMC_I_MA_0, IONKMC_I_MA_P};
  int nkinds = 4, use_box = 0, box[IONKMC_NDEFECT];
  double T = 300, a = NAN, shift = 0, field[3] = {0, 0, 0}, tmax = 0;
  long long L = 6, hops = 200000, runs = 32, seed = 20240601, threads = 0;
  long long ksamp = IONKMC_CATALOG_SAMPLES_DEFAULT;
  int hops_set = 0, with_msd = 0, quiet = 0, force = -1, crn = 0;
  cli_batch_progress bp;
  const char *catalog = NULL, *json_path = NULL, *csv_path = NULL, *conc_arg = NULL, *arg;
  double conc = 0;
  int i = 2, k;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    switch (k) {
    case -3: return cli_help(HELP);
    case -2: return EXIT_BAD_INPUT;
    case O_DEFECT: if (!(nkinds = cli_defects(cmd, "defect", arg, kinds))) return EXIT_BAD_INPUT; break;
    case O_BOX: if (!cli_box(cmd, "box", arg, box)) return EXIT_BAD_INPUT; use_box = 1; break;
    case O_T:
      if (!cli_double(cmd, "T", arg, &T)) return EXIT_BAD_INPUT;
      if (!(T > 0)) return cli_bad(cmd, "--T: expected a temperature > 0 K, got '%s'", arg);
      break;
    case O_SIZE: if (!cli_int(cmd, "size", arg, 2, 512, &L)) return EXIT_BAD_INPUT; break;
    case O_A:
      if (!cli_double(cmd, "a", arg, &a)) return EXIT_BAD_INPUT;
      if (!(a > 0)) return cli_bad(cmd, "--a: expected a lattice constant > 0 angstrom, got '%s'", arg);
      break;
    case O_HOPS: if (!cli_int(cmd, "hops", arg, 1, (long long)CLI_MAX_HOPS_RUN, &hops)) return EXIT_BAD_INPUT; hops_set = 1; break;
    case O_TIME:
      if (!cli_double(cmd, "time", arg, &tmax)) return EXIT_BAD_INPUT;
      if (!(tmax > 0)) return cli_bad(cmd, "--time: expected simulated seconds > 0, got '%s'", arg);
      break;
    case O_RUNS: if (!cli_int(cmd, "runs", arg, 1, 10000000, &runs)) return EXIT_BAD_INPUT; break;
    case O_SEED: if (!cli_int(cmd, "seed", arg, 0, (long long)9e15, &seed)) return EXIT_BAD_INPUT; break;
    case O_THREADS: if (!cli_int(cmd, "threads", arg, 1, 4096, &threads)) return EXIT_BAD_INPUT; break;
    case O_SHIFT: if (!cli_double(cmd, "barrier-shift", arg, &shift)) return EXIT_BAD_INPUT; break;
    case O_FIELD: if (!cli_field(cmd, "field", arg, field)) return EXIT_BAD_INPUT; break;
    case O_CATALOG: catalog = arg; break;
    case O_JSON: json_path = arg; break;
    case O_CSV: csv_path = arg; break;
    case O_MSD: with_msd = 1; break;
    case O_QUIET: quiet = 1; break;
    case O_PROG: force = 1; break;
    case O_NOPROG: force = 0; break;
    case O_CRN: crn = 1; break;
    case O_CONC: conc_arg = arg; break;
    case O_KSAMP: if (!cli_int(cmd, "catalog-samples", arg, 2, 10000000, &ksamp)) return EXIT_BAD_INPUT; break;
    case O_VERSION: printf("ionkmc %s\n", IONKMC_VERSION); return 0;
    }
  }
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
  ionkmc_outfile *jf = NULL, *cf = NULL;
  int oc;
  if ((oc = cli_open(cmd, "json", json_path, &jf)) || (oc = cli_open(cmd, "csv", csv_path, &cf))) {
    ionkmc_outfile_abort(jf);
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
  ionkmc_lattice *lat = ionkmc_lattice_alloc((int)L, &st);
  if (!cfgs || !sums || !uqs || !res || !lat) {
    code = cli_fail(cmd, "out of memory");
    goto done;
  }
  cli_batch_init(&bp, cmd, "defect", njobs, force);
  double total_hops = 0;
  for (int j = 0; j < njobs; j++) {
    ionkmc_run_config *c = &cfgs[j];
    c->spec.L = (int)L;
    c->spec.T = T;
    c->spec.a = a;
    c->spec.shift = shift;
    memcpy(c->spec.field, field, sizeof field);
    if (use_box) memcpy(c->spec.count, box, sizeof box);
    else c->spec.count[kinds[j]] = 1;
    if (ionkmc_box_spec_rates(&c->spec, cat, &err) != IONKMC_OK) {
      code = cli_bad(cmd, "%s", err.text);
      goto done;
    }
    double h = cli_hops_per_run(ionkmc_box_spec_nominal_rate(&c->spec), hops, tmax);
    total_hops += h * (double)runs;
    if ((code = cli_check_work(cmd, h, total_hops))) goto done;
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
      for (int q = 0; q < IONKMC_NDEFECT; q++)
        if (box[q] > 0)
          snprintf(boxlabel + strlen(boxlabel), sizeof boxlabel - strlen(boxlabel), "%s%s=%d",
                   boxlabel[0] ? "," : "", ionkmc_defect_name(q), box[q]);
    }
    cli_batch_item(&bp, j, "%s", label);
    st = ionkmc_run_batch_progress(c, lat, &sums[j], &err, bp.pr.mode ? cli_batch_runs : NULL, &bp);
    if (st != IONKMC_OK) {
      cli_progress_end(&bp.pr);
      code = (st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL) ? cli_fail(cmd, "%s", err.text)
                                                               : cli_bad(cmd, "%s", err.text);
      goto done;
    }
    if ((code = cli_result_uq(cmd, c, lat, (int)ksamp, &sums[j], &uqs[j]))) goto done;
    for (int sp = 0; sp < 2; sp++) {
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
  if (jf) {
    json_t *doc = json_object(), *arr = json_array();
    json_object_set_new(doc, "program", json_string("ionkmc"));
    json_object_set_new(doc, "version", json_string(IONKMC_VERSION));
    json_object_set_new(doc, "command", cli_command_json(argc, argv));
    json_object_set_new(doc, "catalog", json_string(ionkmc_catalog_name(cat)));
    json_object_set_new(doc, "seed", json_integer(seed));
    json_object_set_new(doc, "catalog_samples", ksamp ? json_integer(ksamp) : json_string("default"));
    json_object_set_new(doc, "units", json_pack("{s:s,s:s,s:s,s:s}", "D", "cm^2/s", "T", "K", "a",
                                                "angstrom", "time", "s"));
    json_object_set_new(doc, "warnings", json_incref(warnings));
    for (int j = 0; j < nres; j++) json_array_append_new(arr, cli_result_json(&res[j], with_msd));
    json_object_set_new(doc, "results", arr);
    code = cli_write_json(cmd, doc, jf, 12);
    json_decref(doc);
    if (code) goto done;
  }
  if (cf) {
    cli_csv_header(ionkmc_outfile_stream(cf));
    for (int j = 0; j < nres; j++) cli_csv_row(ionkmc_outfile_stream(cf), &res[j]);
  }
  /* The table went out whole, or nothing is committed. */
  if (fflush(stdout) != 0 || ferror(stdout)) {
    code = cli_fail(cmd, "standard output: write failed");
    goto done;
  }
  ionkmc_outfile **const outs[2] = {&jf, &cf};
  code = cli_commit_set(cmd, outs, 2);
done:
  ionkmc_outfile_abort(jf);
  ionkmc_outfile_abort(cf);
  ionkmc_lattice_free(lat);
  ionkmc_catalog_free(cat);
  free(cfgs);
  free(sums);
  free(uqs);
  free(res);
  json_decref(warnings);
  return code;
}
