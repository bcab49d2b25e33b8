/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc sweep: the cartesian product of T, size, defect and barrier shift. */
#define _GNU_SOURCE /* __fpurge */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/progress.h"
#include "cli/sweep_csv.h"
#include "kmc/engine_memory.h"
#include "base/outfile.h"

static const char HEAD[] =
    "usage: ionkmc sweep [options]\n"
    "\n"
    "Run every point of the cartesian product of the ranges below and write one\n"
    "CSV row per point as soon as it finishes (an interrupted sweep keeps the\n"
    "rows it finished). A range is start:stop:step (inclusive) or a comma list.\n"
    "Each point draws its own random streams, set by the seed and the point's box\n"
    "(defect, T, a, L, shift, field), so points are independent and a point gives\n"
    "the numbers 'ionkmc run' gives for the same box. --common-random-numbers\n"
    "gives every point the same streams instead: a variance-reduction option for\n"
    "differences between points (their errors are then correlated, and the SE\n"
    "of a difference is not the two SEs in quadrature).\n"
    "\n";

typedef struct {
  cli_range_arg T, size, shift;
  cli_defect_list defects;
  cli_box_arg box;
  double a, field[3], max_mem;
  cli_batch_opts b;
  const char *conc, *csv; /* the CSV grows row by row, so it is sweep's own option */
  int msd, resume, force;
} sweep_opts;

static void sweep_defaults(void *p) {
  sweep_opts *o = p;
  cli_defect_list_mobile(&o->defects);
  o->a = NAN;
  cli_batch_defaults(&o->b);
  o->csv = "-";
}

#define S sweep_opts
static const cli_option OPTS[] = {
    CLI_OPT_CUSTOM("T", T, "RANGE", cli_parse_range, "300:600:50", "temperatures in K"),
    CLI_OPT_CUSTOM("size", size, "LIST", cli_parse_range, "6", "supercell edges in cells (limited by --max-memory)"),
    CLI_OPT_MAX_MEMORY(max_mem),
    CLI_OPT_DEFECTS("defect", defects, "defects"),
    CLI_OPT_CUSTOM("box", box, "SPEC", cli_parse_box, NULL,
                   "one mixed box per point instead of --defect, e.g. 'V_I+=2,I_I-=2' (a row per species)"),
    CLI_OPT_CUSTOM("barrier-shift", shift, "RANGE", cli_parse_range, "0", "barrier shifts in eV"),
    {.name = "a", .kind = CLI_REAL, .off = offsetof(S, a), .meta = "A", .lo = CLI_A_MIN, .hi = CLI_A_MAX,
     .what = "a lattice constant", .unit = "angstrom", .def = "catalog a(T) at each T",
     .help = "lattice constant in angstrom at every point"},
    CLI_OPT_CUSTOM("field", field, "Ex,Ey,Ez", cli_parse_field, "0,0,0", "electric field in V/angstrom"),
    CLI_BATCH_OPTIONS(b),
    {.name = "csv", .kind = CLI_STR, .off = offsetof(S, csv), .meta = "FILE", .def = "standard output",
     .help = "CSV output ('-' for stdout)"},
    CLI_OPT_FLAG("msd", msd, 1, "include MSD(t) on log-spaced times in the JSON of each point"),
    CLI_OPT_FLAG("resume", resume, 1,
                 "continue the sweep of an existing --csv FILE: skip the points whose row is complete "
                 "(same defect, T, a, size, shift, runs), append the others (the rest of the command "
                 "must be the same)"),
    CLI_OPT_FLAG("force", force, 1,
                 "replace an existing --csv FILE (without --resume or --force an existing file is refused)"),
    CLI_OPT_STR("concentration", conc, "C",
                "defect concentration (see ionkmc run --help); reports the ionic conductivity of each "
                "point in the JSON"),
};
#undef S

const cli_command CLI_CMD_SWEEP = {"sweep", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(sweep_opts), sweep_defaults,
                                   NULL};

/* Push the rows written so far to the CSV. On a failure (a full disk) cut
 * the file back to its last complete row and return exit status 1. */
static int csv_flush(const char *cmd, FILE *csv, const char *path, long *good_end) {
  errno = 0;
  if (fflush(csv) == 0 && !ferror(csv)) {
    if (csv != stdout) *good_end = ftell(csv);
    return 0;
  }
  int e = errno;
  if (csv != stdout) {
    __fpurge(csv); /* drop the unwritten rest, so closing writes nothing more */
    if (ftruncate(fileno(csv), *good_end) != 0) e = e ? e : errno;
  }
  return cli_fail(cmd, "%s%s: write failed (%s)", strcmp(path, "-") ? "--csv " : "",
                  strcmp(path, "-") ? path : "standard output",
                  e ? strerror(e) : "write error");
}

static int sweep_main(sweep_opts *o, int argc, char **argv);

int cmd_sweep(int argc, char **argv) {
  sweep_opts o;
  cli_given given;
  int code = cli_parse(&CLI_CMD_SWEEP, argc, argv, 2, &o, &given);
  if (!code) {
    o.b.hops_given = cli_was_given(&CLI_CMD_SWEEP, given, "hops");
    code = sweep_main(&o, argc, argv);
  }
  cli_range_free(&o.T);
  cli_range_free(&o.size);
  cli_range_free(&o.shift);
  return code < 0 ? 0 : code;
}

/* The computation, from the parsed options (the ranges stay the caller's). */
static int sweep_main(sweep_opts *o, int argc, char **argv) {
  const char *cmd = "sweep";
  double *Ts = o->T.v, *sizes = o->size.v, *shifts = o->shift.v;
  int nT = o->T.n, nS = o->size.n, nB = o->shift.n;
  ionkmc_defect_kind kinds[CLI_MAX_DEFECTS];
  memcpy(kinds, o->defects.kind, sizeof kinds);
  int nK = o->defects.n, hops_set = o->b.hops_given, crn = o->b.crn, with_msd = o->msd;
  double field[3] = {o->field[0], o->field[1], o->field[2]}, tmax = o->b.time, a_fixed = o->a, conc = 0;
  long long hops = o->b.hops, runs = o->b.runs, seed = o->b.seed, threads = o->b.threads;
  long long ksamp = o->b.ksamp;
  const char *catalog = o->b.catalog, *csv_path = o->csv;
  int code = 0, force = o->b.progress, resume = o->resume, replace = o->force;
  if (tmax > 0 && !hops_set) hops = 0;
  if (!nT) nT = cli_range(cmd, "T", "300:600:50", &o->T.v), Ts = o->T.v, o->T.n = nT;
  if (!nS) nS = cli_range(cmd, "size", "6", &o->size.v), sizes = o->size.v, o->size.n = nS;
  if (!nB) nB = cli_range(cmd, "barrier-shift", "0", &o->shift.v), shifts = o->shift.v, o->shift.n = nB;
  int use_box = o->box.set;
  char boxlabel[256] = "";
  if (use_box) {
    nK = 1; /* one box per point */
    cli_box_label(o->box.count, boxlabel, sizeof boxlabel);
    if (o->conc) return cli_bad(cmd, "--concentration: needs one defect kind per box (--defect), not --box");
    if (resume) return cli_bad(cmd, "--resume: goes with --defect points, not --box (use --checkpoint)");
  }
  if (o->conc && !cli_concentration(cmd, "concentration", o->conc, 1.0, &conc)) return EXIT_BAD_INPUT;
  for (int j = 0; j < nT; j++)
    if (!(Ts[j] > 0)) { code = cli_bad(cmd, "--T: expected temperatures > 0 K, got %g", Ts[j]); goto done; }
  for (int j = 0; j < nS; j++)
    if (sizes[j] != floor(sizes[j]) || sizes[j] < 2 || sizes[j] > IONKMC_ENGINE_MAX_L) {
      code = cli_bad(cmd, "--size: expected integers in [2, %d], got %g", IONKMC_ENGINE_MAX_L, sizes[j]);
      goto done;
    }

  ionkmc_catalog *cat = cli_catalog(cmd, catalog, &code);
  if (!cat) goto done;
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  /* Check every point's conditions, rates and work before writing anything. */
  ionkmc_error err;
  double total_hops = 0;
  for (int a = 0; a < nT; a++)
    for (int b = 0; b < nK; b++)
      for (int c = 0; c < nB; c++) {
        double r, acell = isnan(a_fixed) ? ionkmc_acell_eval(&am, Ts[a]) : a_fixed;
        if ((code = cli_check_conditions(cmd, Ts[a], acell, shifts[c], field))) {
          ionkmc_catalog_free(cat);
          goto done;
        }
        ionkmc_box_spec bs;
        memset(&bs, 0, sizeof bs);
        if (use_box) {
          bs.L = (int)sizes[0];
          bs.cond.T = Ts[a];
          bs.cond.a = acell;
          bs.cond.shift = shifts[c];
          memcpy(bs.cond.field, field, sizeof field);
          memcpy(bs.count, o->box.count, sizeof bs.count);
        }
        if (use_box ? ionkmc_box_spec_rates(&bs, cat, &err) != IONKMC_OK
                    : ionkmc_catalog_rate(cat, kinds[b], Ts[a], acell, shifts[c], &r, &err) != IONKMC_OK) {
          code = cli_bad(cmd, "%s", err.text);
          ionkmc_catalog_free(cat);
          goto done;
        }
        double nominal = use_box ? ionkmc_box_spec_nominal_rate(&bs) : ionkmc_defect_npaths(kinds[b]) * r;
        double h = cli_hops_per_run(nominal, hops, tmax);
        total_hops += h * (double)runs * nS;
        if ((code = cli_check_work(cmd, h, total_hops))) {
          ionkmc_catalog_free(cat);
          goto done;
        }
      }
  /* Every size's box must fit in memory (the rates do not matter). */
  for (int j = 0; j < nS; j++)
    for (int b = 0; b < nK; b++) {
      ionkmc_box_spec ms;
      memset(&ms, 0, sizeof ms);
      ms.L = (int)sizes[j];
      if (use_box) memcpy(ms.count, o->box.count, sizeof ms.count);
      else ms.count[kinds[b]] = 1;
      if ((code = cli_check_box_memory(cmd, &ms, cat, (int)threads, runs, o->max_mem))) {
        ionkmc_catalog_free(cat);
        goto done;
      }
    }
  /* The other outputs first: a bad path must not cost an existing CSV. */
  cli_out_files outs;
  if ((code = cli_out_open(cmd, &o->b.out, &outs))) {
    ionkmc_catalog_free(cat);
    goto done;
  }
  FILE *csv;
  long good_end; /* end of the last complete row */
  cli_sweep_resume rs;
  if ((code = cli_sweep_csv_open(cmd, csv_path, resume, replace, cli_out_wants(&outs, CLI_OUT_DOC | CLI_OUT_ROWS),
                                 &csv, &good_end, &rs))) {
    cli_out_abort(&outs);
    ionkmc_catalog_free(cat);
    goto done;
  }
  /* Every row, for the outputs written at the end (the CSV has them already). */
  cli_rows *rows = NULL;
  if (cli_out_wants(&outs, CLI_OUT_ROWS)) {
    rows = cli_rows_alloc();
    cli_result_rows_header(rows, NULL, 0);
  }
  code = csv_flush(cmd, csv, csv_path, &good_end);
  json_t *arr = json_array();
  int npts = nT * nS * nK * nB, done_pts = 0;
  cli_batch_progress bp;
  cli_batch_init(&bp, cmd, "point", npts, force);
  for (int s = 0; s < nS && !code; s++) {
    ionkmc_status st;
    ionkmc_lattice *lat = ionkmc_lattice_alloc((int)sizes[s], &st);
    if (!lat) {
      code = cli_fail(cmd, "out of memory");
      break;
    }
    for (int a = 0; a < nT && !code; a++)
      for (int b = 0; b < nK && !code; b++)
        for (int c = 0; c < nB && !code; c++) {
          ionkmc_run_config cfg;
          memset(&cfg, 0, sizeof cfg);
          cfg.spec.L = (int)sizes[s];
          cfg.spec.cond.T = Ts[a];
          cfg.spec.cond.a = isnan(a_fixed) ? ionkmc_acell_eval(&am, Ts[a]) : a_fixed;
          cfg.spec.cond.shift = shifts[c];
          memcpy(cfg.spec.cond.field, field, sizeof field);
          if (use_box) memcpy(cfg.spec.count, o->box.count, sizeof cfg.spec.count);
          else cfg.spec.count[kinds[b]] = 1;
          const char *label = use_box ? boxlabel : ionkmc_defect_name(kinds[b]);
          cfg.runs = (int)runs;
          cfg.hops = hops;
          cfg.time = tmax;
          cfg.seed = (uint64_t)seed;
          cfg.threads = (int)threads;
          cfg.cat = cat;
          ionkmc_run_summary sum;
          cli_batch_item(&bp, done_pts, "%s T=%g L=%d shift=%g", label, Ts[a], cfg.spec.L, shifts[c]);
          cfg.stream_unit = crn ? 0 : ionkmc_run_stream_unit(&cfg.spec);
          int sp0 = ionkmc_defect_sublattice(kinds[b]) == IONKMC_SUB_X ? 0 : 1;
          if (!use_box && cli_sweep_point_done(&rs, label, sp0, &cfg)) { /* --resume */
            done_pts++;
            continue;
          }
          if ((st = ionkmc_box_spec_rates(&cfg.spec, cat, &err)) != IONKMC_OK ||
              (st = ionkmc_run_batch_progress(&cfg, lat, &sum, &err, bp.pr.mode ? cli_batch_runs : NULL, &bp)) !=
                  IONKMC_OK) {
            cli_progress_end(&bp.pr);
            code = cli_status_exit(cmd, st, err.text);
            break;
          }
          ionkmc_catalog_uq uq;
          if ((code = cli_result_uq(cmd, &cfg, lat, (int)ksamp, &sum, &uq))) break;
          if (o->conc) cli_concentration(cmd, "concentration", o->conc, cfg.spec.cond.a, &conc); /* /fu needs a */
          /* One row per defect, or per species present in a box. */
          for (int sp = 0; sp < IONKMC_NSPECIES && !code; sp++) {
            if (use_box ? !sum.species_present[sp] : sp > 0) continue;
            cli_result r = {label, use_box ? sp : ionkmc_defect_sublattice(kinds[b]) == IONKMC_SUB_X ? 0 : 1,
                            use_box ? -1 : (int)kinds[b], &cfg, &sum, conc, &uq};
            if (cli_csv_row(csv, &r) && !ferror(csv)) { /* nothing written */
              code = cli_fail(cmd, "out of memory");
              break;
            }
            if ((code = csv_flush(cmd, csv, csv_path, &good_end))) break;
            json_array_append_new(arr, cli_result_json(&r, with_msd));
            if (rows) cli_result_rows(rows, &r);
          }
          done_pts++;
        }
    ionkmc_lattice_free(lat);
  }
  cli_progress_end(&bp.pr);
  cli_sweep_resume_free(&rs);
  json_t *warnings = json_array();
  if (!code) {
    double Tmin = Ts[0];
    for (int j = 1; j < nT; j++) Tmin = fmin(Tmin, Ts[j]);
    cli_warn_phase(cmd, warnings, Tmin);
  }
  if (csv != stdout && fclose(csv) != 0 && !code)
    code = cli_fail(cmd, "--csv %s: write failed (%s)", csv_path, strerror(errno));
  if (!code) {
    cli_envelope_info env = {.catalog = ionkmc_catalog_name(cat), .has_seed = 1, .seed = seed,
                             .units = cli_result_units()};
    json_t *doc = cli_envelope(argc, argv, &env);
    json_object_set_new(doc, "warnings", json_incref(warnings));
    json_object_set_new(doc, "results", arr);
    arr = NULL;
    cli_output result = {.doc = doc, .precision = 12, .rows = rows};
    code = cli_out_finish(cmd, &outs, &result);
    json_decref(doc);
  }
  json_decref(arr);
  json_decref(warnings);
  cli_rows_free(rows);
  cli_out_abort(&outs);
  ionkmc_catalog_free(cat);
done:
  return code;
}
