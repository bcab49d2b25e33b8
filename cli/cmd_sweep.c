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
#include "cli/progress.h"
#include "cli/sweep_csv.h"
#include "lattice/outfile.h"

static const char *HELP =
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
    "\n"
    "options:\n"
    "  --T RANGE              temperatures in K (default 300:600:50)\n"
    "  --size LIST            supercell edges (default 6)\n"
    "  --defect LIST          defects (default I_I-,V_I+,I_MA0,I_MA+)\n"
    "  --barrier-shift RANGE  barrier shifts in eV (default 0)\n"
    "  --field Ex,Ey,Ez       electric field in V/angstrom (default 0,0,0)\n"
    "  --hops N | --time S    per run (default 200000 hops)\n"
    "  --runs M               runs per point (default 32)\n"
    "  --seed S               random seed (default 20240601)\n"
    "  --common-random-numbers  the same streams at every point (see above)\n"
    "  --threads N            OpenMP threads (default: all)\n"
    "  --catalog FILE         rate catalog JSON (default: embedded)\n"
    "  --catalog-samples K    parameter draws for ci95_catalog / ci95_total (default 1000\n"
    "                         when rescaling, 64 when rerunning; see ionkmc run --help)\n"
    "  --csv FILE             CSV output (default: standard output)\n"
    "  --json FILE            also write all points as JSON at the end\n"
    "  --resume               continue the sweep of an existing --csv FILE: skip the points\n"
    "                         whose row is complete (same defect, T, a, size, shift, runs),\n"
    "                         append the others (the rest of the command must be the same)\n"
    "  --force                replace an existing --csv FILE (without --resume or --force\n"
    "                         an existing file is refused)\n"
    "  --progress, --no-progress\n"
    "                         force progress on stderr (points done, ETA) or turn it\n"
    "                         off (default: on a terminal, after 2 s)\n";

enum { O_T, O_SIZE, O_DEFECT, O_SHIFT, O_FIELD, O_HOPS, O_TIME, O_RUNS, O_SEED, O_THREADS,
       O_CATALOG, O_CSV, O_JSON, O_PROG, O_NOPROG, O_CRN, O_KSAMP, O_RESUME, O_FORCE, O_N };
static const cli_opt OPTS[O_N] = {{"T", 1},    {"size", 1}, {"defect", 1},  {"barrier-shift", 1},
                                  {"field", 1}, {"hops", 1}, {"time", 1},    {"runs", 1},
                                  {"seed", 1},  {"threads", 1}, {"catalog", 1}, {"csv", 1},
                                  {"json", 1}, {"progress", 0}, {"no-progress", 0},
                                  {"common-random-numbers", 0},
                                  {"catalog-samples", 1}, {"resume", 0}, {"force", 0}};

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

int cmd_sweep(int argc, char **argv) {
  const char *cmd = "sweep";
  double *Ts = NULL, *sizes = NULL, *shifts = NULL;
  int nT = 0, nS = 0, nB = 0;
  ionkmc_defect_kind kinds[IONKMC_NDEFECT * 4] = {IONKMC_I_I, IONKMC_V_I, IONKMC_I_MA_0, IONKMC_I_MA_P};
  int nK = 4, hops_set = 0, crn = 0;
  double field[3] = {0, 0, 0}, tmax = 0;
  long long hops = 200000, runs = 32, seed = 20240601, threads = 0;
  long long ksamp = IONKMC_CATALOG_SAMPLES_DEFAULT;
  const char *catalog = NULL, *csv_path = "-", *json_path = NULL, *arg;
  int i = 2, k, code = 0, force = -1, resume = 0, replace = 0;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    switch (k) {
    case O_PROG: force = 1; break;
    case O_NOPROG: force = 0; break;
    case -3: fputs(HELP, stdout); code = -1; goto done;
    case -2: code = EXIT_BAD_INPUT; goto done;
    case O_T: free(Ts); if (!(nT = cli_range(cmd, "T", arg, &Ts))) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_SIZE: free(sizes); if (!(nS = cli_range(cmd, "size", arg, &sizes))) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_DEFECT: if (!(nK = cli_defects(cmd, "defect", arg, kinds))) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_SHIFT: free(shifts); if (!(nB = cli_range(cmd, "barrier-shift", arg, &shifts))) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_FIELD: if (!cli_field(cmd, "field", arg, field)) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_HOPS: if (!cli_int(cmd, "hops", arg, 1, (long long)CLI_MAX_HOPS_RUN, &hops)) { code = EXIT_BAD_INPUT; goto done; } hops_set = 1; break;
    case O_TIME:
      if (!cli_double(cmd, "time", arg, &tmax)) { code = EXIT_BAD_INPUT; goto done; }
      if (!(tmax > 0)) { code = cli_bad(cmd, "--time: expected simulated seconds > 0, got '%s'", arg); goto done; }
      break;
    case O_RUNS: if (!cli_int(cmd, "runs", arg, 1, 10000000, &runs)) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_SEED: if (!cli_int(cmd, "seed", arg, 0, (long long)9e15, &seed)) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_THREADS: if (!cli_int(cmd, "threads", arg, 1, 4096, &threads)) { code = EXIT_BAD_INPUT; goto done; } break;
    case O_CATALOG: catalog = arg; break;
    case O_CSV: csv_path = arg; break;
    case O_JSON: json_path = arg; break;
    case O_CRN: crn = 1; break;
    case O_RESUME: resume = 1; break;
    case O_FORCE: replace = 1; break;
    case O_KSAMP: if (!cli_int(cmd, "catalog-samples", arg, 2, 10000000, &ksamp)) { code = EXIT_BAD_INPUT; goto done; } break;
    }
  }
  if (tmax > 0 && !hops_set) hops = 0;
  if (!nT) nT = cli_range(cmd, "T", "300:600:50", &Ts);
  if (!nS) nS = cli_range(cmd, "size", "6", &sizes);
  if (!nB) nB = cli_range(cmd, "barrier-shift", "0", &shifts);
  for (int j = 0; j < nT; j++)
    if (!(Ts[j] > 0)) { code = cli_bad(cmd, "--T: expected temperatures > 0 K, got %g", Ts[j]); goto done; }
  for (int j = 0; j < nS; j++)
    if (sizes[j] != floor(sizes[j]) || sizes[j] < 2 || sizes[j] > 512) {
      code = cli_bad(cmd, "--size: expected integers in [2, 512], got %g", sizes[j]);
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
        double r, acell = ionkmc_acell_eval(&am, Ts[a]);
        if ((code = cli_check_conditions(cmd, Ts[a], acell, shifts[c], field))) {
          ionkmc_catalog_free(cat);
          goto done;
        }
        if (ionkmc_catalog_rate(cat, kinds[b], Ts[a], acell, shifts[c], &r, &err) != IONKMC_OK) {
          code = cli_bad(cmd, "%s", err.text);
          ionkmc_catalog_free(cat);
          goto done;
        }
        double h = cli_hops_per_run(ionkmc_defect_npaths(kinds[b]) * r, hops, tmax);
        total_hops += h * (double)runs * nS;
        if ((code = cli_check_work(cmd, h, total_hops))) {
          ionkmc_catalog_free(cat);
          goto done;
        }
      }
  /* The JSON path first: a bad one must not cost an existing CSV. */
  ionkmc_outfile *jf = NULL;
  if ((code = cli_open(cmd, "json", json_path, &jf))) {
    ionkmc_catalog_free(cat);
    goto done;
  }
  FILE *csv;
  long good_end; /* end of the last complete row */
  cli_sweep_resume rs;
  if ((code = cli_sweep_csv_open(cmd, csv_path, resume, replace, json_path != NULL, &csv, &good_end, &rs))) {
    ionkmc_outfile_abort(jf);
    ionkmc_catalog_free(cat);
    goto done;
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
          cfg.spec.T = Ts[a];
          cfg.spec.a = ionkmc_acell_eval(&am, Ts[a]);
          cfg.spec.shift = shifts[c];
          memcpy(cfg.spec.field, field, sizeof field);
          cfg.spec.count[kinds[b]] = 1;
          cfg.runs = (int)runs;
          cfg.hops = hops;
          cfg.time = tmax;
          cfg.seed = (uint64_t)seed;
          cfg.threads = (int)threads;
          cfg.cat = cat;
          ionkmc_run_summary sum;
          cli_batch_item(&bp, done_pts, "%s T=%g L=%d shift=%g", ionkmc_defect_name(kinds[b]), Ts[a], cfg.spec.L,
                         shifts[c]);
          cfg.stream_unit = crn ? 0 : ionkmc_run_stream_unit(&cfg.spec);
          int sp = ionkmc_defect_sublattice(kinds[b]) == IONKMC_SUB_X ? 0 : 1;
          if (cli_sweep_point_done(&rs, ionkmc_defect_name(kinds[b]), sp, &cfg)) { /* --resume */
            done_pts++;
            continue;
          }
          if ((st = ionkmc_box_spec_rates(&cfg.spec, cat, &err)) != IONKMC_OK ||
              (st = ionkmc_run_batch_progress(&cfg, lat, &sum, &err, bp.pr.mode ? cli_batch_runs : NULL, &bp)) !=
                  IONKMC_OK) {
            cli_progress_end(&bp.pr);
            code = (st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL) ? cli_fail(cmd, "%s", err.text)
                                                                     : cli_bad(cmd, "%s", err.text);
            break;
          }
          ionkmc_catalog_uq uq;
          if ((code = cli_result_uq(cmd, &cfg, lat, (int)ksamp, &sum, &uq))) break;
          cli_result r = {ionkmc_defect_name(kinds[b]),
                          ionkmc_defect_sublattice(kinds[b]) == IONKMC_SUB_X ? 0 : 1,
                          (int)kinds[b], &cfg, &sum, 0, &uq};
          cli_csv_row(csv, &r);
          if ((code = csv_flush(cmd, csv, csv_path, &good_end))) break;
          json_array_append_new(arr, cli_result_json(&r, 0));
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
  if (jf && !code) {
    json_t *doc = json_object();
    json_object_set_new(doc, "program", json_string("ionkmc"));
    json_object_set_new(doc, "version", json_string(IONKMC_VERSION));
    json_object_set_new(doc, "command", cli_command_json(argc, argv));
    json_object_set_new(doc, "catalog", json_string(ionkmc_catalog_name(cat)));
    json_object_set_new(doc, "seed", json_integer(seed));
    json_object_set_new(doc, "warnings", json_incref(warnings));
    json_object_set_new(doc, "results", arr);
    arr = NULL;
    code = cli_commit_json(cmd, doc, &jf, 12);
    json_decref(doc);
  }
  json_decref(arr);
  json_decref(warnings);
  ionkmc_outfile_abort(jf);
  ionkmc_catalog_free(cat);
done:
  free(Ts);
  free(sizes);
  free(shifts);
  return code < 0 ? 0 : code;
}
