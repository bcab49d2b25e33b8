/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc bench: hops per second of the engine on named scenarios. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/progress.h"
#include "barriers/torch_model.h"
#include "base/outfile.h"

static const char HEAD[] =
    "usage: ionkmc bench [options]\n"
    "\n"
    "Measure the KMC engine's throughput in hops (events) per second of wall\n"
    "time on named scenarios, with the embedded catalog at 300 K. Scenarios:\n"
    "  single-vacancy    one V_I+ in a 16^3 box (one core)\n"
    "  dilute-vacancies  983 V_I+ in a 32^3 box, 1% of the X sites (one core)\n"
    "  mixed             a 16^3 box holding all six defect kinds, 6 of each;\n"
    "                    interstitials and vacancies of one species recombine,\n"
    "                    so the box is re-seeded whenever half of its defects\n"
    "                    are gone (one core)\n"
    "  threads           independent runs of the single-vacancy box through the\n"
    "                    runner on N threads against 1 thread, same total work;\n"
    "                    reports the throughput ratio N over 1\n"
    "  torch-dilute      the dilute-vacancies box with V_I+ rates from a TorchScript\n"
    "                    model (--model) through\n"
    "                    the environment cache (one core; only when asked for)\n"
    "  dilute-large      10^5 V_I+ in a 150^3 box (10^7 X sites, 1%; one core;\n"
    "                    about 1 GB; only when asked for)\n"
    "\n";

static const char TAIL[] =
    "Timings are wall-clock and depend on the load of the machine; the load\n"
    "average at the start is printed with the results.\n";

typedef enum { SC_SINGLE, SC_DILUTE, SC_MIXED, SC_THREADS, SC_TORCH, SC_LARGE, SC_N } scenario_id;

typedef struct {
  const char *name;
  int L;
  int count[IONKMC_NDEFECT];
  long long hops; /* default */
} scenario_def;

static const scenario_def SCENARIOS[SC_N] = {
    {"single-vacancy", 16, {1, 0, 0, 0, 0, 0}, 20000000},
    {"dilute-vacancies", 32, {983, 0, 0, 0, 0, 0}, 5000000},
    {"mixed", 16, {6, 6, 6, 6, 6, 6}, 5000000},
    {"threads", 16, {1, 0, 0, 0, 0, 0}, 20000000},
    {"torch-dilute", 32, {983, 0, 0, 0, 0, 0}, 2000000},
    {"dilute-large", 150, {100000, 0, 0, 0, 0, 0}, 2000000},
};

typedef struct {
  int want[SC_N];
  const char *model;
  cli_out_paths out;
  long long hops, threads, repeat, seed;
  int quiet, progress;
} bench_opts;

static void bench_defaults(void *p) {
  bench_opts *o = p;
  for (int s = 0; s < SC_N; s++) o->want[s] = s != SC_TORCH && s != SC_LARGE;
  o->model = "examples/torch_barrier/model.pt";
  o->threads = 2;
  o->repeat = 1;
  o->seed = 1;
  o->progress = -1;
}

static int parse_scenarios(const char *cmd, const char *opt, const char *arg, void *field) {
  int *want = field;
  memset(want, 0, sizeof(int) * SC_N);
  const char *p = arg;
  for (;;) {
    size_t len = strcspn(p, ",");
    int found = -1;
    for (int s = 0; s < SC_N; s++)
      if (strlen(SCENARIOS[s].name) == len && !strncmp(SCENARIOS[s].name, p, len)) found = s;
    if (found < 0)
      return cli_bad(cmd,
                     "--%s: unknown scenario '%.*s' (expected single-vacancy, "
                     "dilute-vacancies, mixed, threads, torch-dilute, dilute-large)",
                     opt, (int)len, p),
             0;
    want[found] = 1;
    if (!p[len]) break;
    p += len + 1;
  }
  return 1;
}

#define S bench_opts
static const cli_option OPTS[] = {
    CLI_OPT_CUSTOM("scenario", want, "LIST", parse_scenarios, "the first four", "scenarios, comma-separated"),
    CLI_OPT_STR("model", model, "FILE", "TorchScript barrier model of torch-dilute"),
    {.name = "hops", .kind = CLI_INT, .off = offsetof(S, hops), .meta = "N", .lo = 1, .hi = 1e15,
     .def = "the scenario's own, listed above",
     .help = "hops per scenario; threads: total over all runs"},
    CLI_OPT_INT("threads", threads, "N", 1, 4096, "threads of the threads scenario"),
    CLI_OPT_INT("repeat", repeat, "R", 1, 1000, "time each scenario R times and keep the fastest"),
    CLI_OPT_INT("seed", seed, "S", 0, 9e15, "random seed"),
    CLI_OPT_OUTPUTS(out, CLI_OUT_DOC | CLI_OUT_ROWS),
    CLI_OPT_FLAG("quiet", quiet, 1, "no table on stdout"),
    CLI_OPT_FLAG("progress", progress, 1, "force progress on stderr (scenario under way, ETA)"),
    CLI_OPT_FLAG("no-progress", progress, 0, "turn progress off (default: on a terminal, after 2 s)"),
};
#undef S

/* The scenarios and their default hops in --help, from the table. */
static void bench_help_extra(FILE *fp) {
  fputs("default hops:", fp);
  for (int s = 0; s < SC_N; s++) fprintf(fp, "%s %s %lld", s ? "," : "", SCENARIOS[s].name, SCENARIOS[s].hops);
  fputs("\n\n", fp);
}

const cli_command CLI_CMD_BENCH = {"bench", HEAD, TAIL, OPTS, CLI_NOPTS(OPTS), sizeof(bench_opts), bench_defaults,
                                   bench_help_extra};

/* Runs of the threads scenario per thread. */
#define RUNS_PER_THREAD 4
/* Hops between checks of the defect count in the mixed scenario. */
#define MIXED_SEGMENT 8192

typedef struct {
  const char *name;
  int L, ndef, threads;
  long long hops;
  double seconds;        /* best wall time */
  double rate;           /* hops / s */
  long long recombinations;
  long long reseeds;
  long long hops_by_kind[IONKMC_NDEFECT];
  double seconds1, rate1; /* threads: one thread */
  double speedup;         /* threads: rate / rate1; NaN otherwise */
} bench_result;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* One timed trajectory on one engine. Mixed boxes are re-seeded (fresh random
 * placement from the same stream) when half of the defects are gone. */
static ionkmc_status time_engine(ionkmc_engine *e, long long hops, uint64_t seed, int reseed,
                                 bench_result *r, ionkmc_error *err) {
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, seed, 0);
  ionkmc_status st = ionkmc_engine_reset(e, &rng, err);
  if (st) return st;
  int ndef = ionkmc_engine_ndefects(e);
  int64_t block = hops / 32 > 0 ? hops / 32 : 1;
  long long done = 0, recomb = 0, reseeds = 0, by_kind[IONKMC_NDEFECT] = {0};
  double t0 = now();
  if (!reseed) {
    ionkmc_engine_run(e, &rng, hops, 0, block);
    const ionkmc_run_obs *o = ionkmc_engine_obs(e);
    done = o->hops;
    recomb = o->recombinations;
    for (int k = 0; k < IONKMC_NDEFECT; k++) by_kind[k] = o->hops_by_kind[k];
  } else {
    while (done < hops) {
      const ionkmc_run_obs *o = ionkmc_engine_obs(e);
      int64_t before = o->hops, seg = hops - done < MIXED_SEGMENT ? hops - done : MIXED_SEGMENT;
      ionkmc_engine_run(e, &rng, before + seg, 0, block);
      o = ionkmc_engine_obs(e);
      done += o->hops - before;
      if (o->no_events || 2 * o->defects_alive <= ndef) {
        recomb += o->recombinations;
        for (int k = 0; k < IONKMC_NDEFECT; k++) by_kind[k] += o->hops_by_kind[k];
        reseeds++;
        if ((st = ionkmc_engine_reset(e, &rng, err))) return st;
      }
    }
    const ionkmc_run_obs *o = ionkmc_engine_obs(e);
    recomb += o->recombinations;
    for (int k = 0; k < IONKMC_NDEFECT; k++) by_kind[k] += o->hops_by_kind[k];
  }
  double dt = now() - t0;
  if (done < hops)
    return ionkmc_error_set(err, IONKMC_ESTATE, "%s: the box ran out of events after %lld hops",
                            r->name, done);
  if (r->seconds == 0 || dt < r->seconds) r->seconds = dt;
  r->hops = done;
  r->recombinations = recomb;
  r->reseeds = reseeds;
  memcpy(r->hops_by_kind, by_kind, sizeof by_kind);
  return IONKMC_OK;
}

static ionkmc_status time_runner(const ionkmc_box_spec *spec, const ionkmc_lattice *lat,
                                 int runs, long long hops_per_run, int threads, uint64_t seed,
                                 double *best, ionkmc_error *err) {
  ionkmc_run_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.spec = *spec;
  cfg.runs = runs;
  cfg.hops = hops_per_run;
  cfg.seed = seed;
  cfg.threads = threads;
  ionkmc_run_summary *sum = malloc(sizeof *sum);
  if (!sum) return ionkmc_error_set(err, IONKMC_ENOMEM, "bench: out of memory");
  double t0 = now();
  ionkmc_status st = ionkmc_run_batch(&cfg, lat, sum, err);
  double dt = now() - t0;
  free(sum);
  if (st) return st;
  if (*best == 0 || dt < *best) *best = dt;
  return IONKMC_OK;
}

static ionkmc_status run_scenario(scenario_id id, const ionkmc_catalog *cat, double a,
                                  long long hops, int threads, int repeat, uint64_t seed,
                                  const char *model, bench_result *r, ionkmc_error *err) {
  const scenario_def *sd = &SCENARIOS[id];
  ionkmc_status st = IONKMC_OK;
  memset(r, 0, sizeof *r);
  r->name = sd->name;
  r->L = sd->L;
  r->threads = id == SC_THREADS ? threads : 1;
  r->speedup = NAN;
  r->rate1 = NAN;
  r->seconds1 = NAN;
  for (int k = 0; k < IONKMC_NDEFECT; k++) r->ndef += sd->count[k];
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = sd->L;
  spec.cond.T = 300;
  spec.cond.a = a;
  memcpy(spec.count, sd->count, sizeof spec.count);
  if ((st = ionkmc_box_spec_rates(&spec, cat, err))) return st;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(sd->L, &st);
  if (!lat) return ionkmc_error_set(err, st, "bench: cannot build a %d^3 lattice", sd->L);
  if (id == SC_THREADS) {
    /* The same runs (same streams, same work) on 1 and on N threads. */
    double t1 = 0, tn = 0;
    int runs = RUNS_PER_THREAD * threads;
    long long per = hops / runs > 0 ? hops / runs : 1;
    /* Alternate the two so that a change of machine load hits both alike. */
    for (int rep = 0; rep < repeat && !st; rep++) {
      st = time_runner(&spec, lat, runs, per, 1, seed, &t1, err);
      if (!st) st = time_runner(&spec, lat, runs, per, threads, seed, &tn, err);
    }
    if (!st) {
      r->hops = per * runs;
      r->seconds = tn;
      r->rate = r->hops / tn;
      r->seconds1 = t1;
      r->rate1 = r->hops / t1;
      r->speedup = t1 / tn;
    }
  } else {
    ionkmc_engine *e = ionkmc_engine_alloc(&spec, lat, err, &st);
    ionkmc_catalog *tcat = NULL;
    ionkmc_providers *prov = NULL;
    if (e && id == SC_TORCH) {
      /* the default V_I+ entry with its rates from the model */
      const ionkmc_catalog_entry *v = ionkmc_catalog_get(cat, IONKMC_V_I);
      char text[2048];
      snprintf(text, sizeof text,
               "{\"schema\": \"ionkmc-catalog/1\", \"entries\": [{\"defect\": \"V_I+\", "
               "\"mechanism\": \"kick_out\", \"provider\": \"torch\", \"model\": \"%s\", "
               "\"Eb\": %.17g, \"nu\": %.17g, \"source\": \"user\", \"provenance\": \"bench\"}]}",
               model, v->Eb, v->nu);
      tcat = ionkmc_catalog_alloc_string(text, "torch-dilute", err, &st);
      if (tcat) prov = ionkmc_providers_alloc(tcat, spec.cond.T, spec.cond.a, 0, spec.cond.field, err, &st);
      if (prov) st = ionkmc_engine_set_providers(e, prov, err);
      /* one core: libtorch's intra-op pool too (the model runs on cache
       * misses only, but a pool of the machine's cores would share it) */
      if (prov && !st) st = ionkmc_torch_set_num_threads(1, err);
    }
    if (e && !st) {
      for (int rep = 0; rep < repeat && !st; rep++)
        st = time_engine(e, hops, seed, id == SC_MIXED, r, err);
      if (!st) r->rate = r->hops / r->seconds;
    }
    ionkmc_engine_free(e);
    ionkmc_providers_free(prov);
    ionkmc_catalog_free(tcat);
  }
  ionkmc_lattice_free(lat);
  return st;
}

/* 1 for the scenarios timed on one engine (they count hops by kind). */
static int id_single_core(const bench_result *r) { return !isfinite(r->speedup); }

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The CPU model from /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t n) {
  snprintf(buf, n, "unknown");
  FILE *fp = fopen("/proc/cpuinfo", "r");
  if (!fp) return;
  char line[512];
  while (fgets(line, sizeof line, fp)) {
    if (strncmp(line, "model name", 10) != 0) continue;
    char *c = strchr(line, ':');
    if (!c) break;
    c++;
    while (*c == ' ' || *c == '\t') c++;
    c[strcspn(c, "\n")] = 0;
    snprintf(buf, n, "%s", c);
    break;
  }
  fclose(fp);
}

static int bench_main(const bench_opts *o, int argc, char **argv);

int cmd_bench(int argc, char **argv) {
  bench_opts o;
  int code = cli_parse(&CLI_CMD_BENCH, argc, argv, 2, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return bench_main(&o, argc, argv);
}

/* The timings, from the parsed options. */
static int bench_main(const bench_opts *opt, int argc, char **argv) {
  const char *cmd = "bench";
  const int *want = opt->want;
  const char *model = opt->model;
  long long hops = opt->hops, threads = opt->threads, repeat = opt->repeat, seed = opt->seed;
  int quiet = opt->quiet, force = opt->progress;

  int code = 0;
  ionkmc_catalog *cat = cli_catalog(cmd, NULL, &code);
  if (!cat) return code;
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  double a = ionkmc_acell_eval(&am, 300.0);
  ionkmc_error err;
  cli_out_files outs;
  int oc;
  if ((oc = cli_out_open(cmd, &opt->out, &outs))) {
    ionkmc_catalog_free(cat);
    return oc;
  }

  double load[1] = {NAN};
  if (getloadavg(load, 1) != 1) load[0] = NAN;
  char cpu[256];
  cpu_model(cpu, sizeof cpu);
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

  bench_result res[SC_N];
  int nres = 0;
  if (!quiet) {
    printf("# ionkmc %s bench  catalog: %s  T = 300 K  a = %.4f A  seed = %lld\n", IONKMC_VERSION,
           ionkmc_catalog_name(cat), a, seed);
    printf("# cpu: %s  online cpus: %ld  load average (1 min): %.2f\n", cpu, ncpu, load[0]);
    printf("%-17s %3s %7s %7s %11s %8s %10s %7s %7s %7s\n", "scenario", "L", "defects", "threads",
           "hops", "seconds", "hops/s", "recomb", "reseeds", "speedup");
    fflush(stdout);
  }
  /* Progress only between scenarios, so that it never runs inside a timing. */
  int nwant = 0;
  for (int s = 0; s < SC_N; s++) nwant += want[s];
  cli_batch_progress bp;
  cli_batch_init(&bp, cmd, "scenario", nwant, force);
  for (int s = 0; s < SC_N; s++) {
    if (!want[s]) continue;
    cli_batch_item(&bp, nres, "%s", SCENARIOS[s].name);
    bench_result *r = &res[nres];
    long long h = hops > 0 ? hops : SCENARIOS[s].hops;
    ionkmc_status st = run_scenario((scenario_id)s, cat, a, h, (int)threads, (int)repeat,
                                    (uint64_t)seed, model, r, &err);
    if (st) {
      cli_progress_end(&bp.pr);
      code = cli_status_exit(cmd, st, err.text);
      goto done;
    }
    nres++;
    cli_progress_end(&bp.pr);
    if (!quiet) {
      printf("%-17s %3d %7d %7d %11lld %8.3f %10.4g %7lld %7lld", r->name, r->L, r->ndef, r->threads,
             r->hops, r->seconds, r->rate, r->recombinations, r->reseeds);
      if (isfinite(r->speedup)) printf(" %7.3f\n", r->speedup);
      else printf(" %7s\n", "-");
      fflush(stdout);
    }
  }

  json_t *doc = NULL;
  cli_rows *tab = NULL;
  if (cli_out_wants(&outs, CLI_OUT_DOC)) {
    cli_envelope_info env = {
        .catalog = ionkmc_catalog_name(cat), .has_seed = 1, .seed = seed,
        .units = json_pack("{s:s,s:s}", "seconds", "s (wall clock)", "hops_per_second", "1/s")};
    doc = cli_envelope(argc, argv, &env);
    json_t *arr = json_array();
    json_object_set_new(doc, "T", json_real(300.0));
    json_object_set_new(doc, "a", json_real(a));
    json_object_set_new(doc, "repeat", json_integer(repeat));
    json_object_set_new(doc, "machine", json_pack("{s:s,s:I,s:o}", "cpu", cpu, "online_cpus",
                                                  (json_int_t)ncpu, "load_average_1min",
                                                  num_or_null(load[0])));
    for (int j = 0; j < nres; j++) {
      const bench_result *r = &res[j];
      json_t *o = json_object();
      json_object_set_new(o, "scenario", json_string(r->name));
      json_object_set_new(o, "L", json_integer(r->L));
      json_object_set_new(o, "defects", json_integer(r->ndef));
      json_object_set_new(o, "threads", json_integer(r->threads));
      json_object_set_new(o, "hops", json_integer(r->hops));
      json_object_set_new(o, "seconds", num_or_null(r->seconds));
      json_object_set_new(o, "hops_per_second", num_or_null(r->rate));
      json_object_set_new(o, "recombinations", json_integer(r->recombinations));
      json_object_set_new(o, "reseeds", json_integer(r->reseeds));
      if (id_single_core(r)) {
        json_t *bk = json_object();
        for (int q = 0; q < IONKMC_NDEFECT; q++)
          if (r->hops_by_kind[q] > 0)
            json_object_set_new(bk, ionkmc_defect_name(q), json_integer(r->hops_by_kind[q]));
        json_object_set_new(o, "hops_by_kind", bk);
      }
      json_object_set_new(o, "seconds_one_thread", num_or_null(r->seconds1));
      json_object_set_new(o, "hops_per_second_one_thread", num_or_null(r->rate1));
      json_object_set_new(o, "speedup", num_or_null(r->speedup));
      json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "results", arr);
  }
  if (cli_out_wants(&outs, CLI_OUT_ROWS)) {
    tab = cli_rows_alloc();
    cli_rows_new(tab);
    cli_rows_names(tab, "scenario,L,defects,threads,hops,seconds,hops_per_second,recombinations,reseeds,"
                        "seconds_one_thread,hops_per_second_one_thread,speedup");
    for (int j = 0; j < nres; j++) {
      const bench_result *r = &res[j];
      cli_rows_new(tab);
      cli_rows_add(tab, "%s", r->name);
      cli_rows_add(tab, "%d", r->L);
      cli_rows_add(tab, "%d", r->ndef);
      cli_rows_add(tab, "%d", r->threads);
      cli_rows_add(tab, "%lld", r->hops);
      cli_rows_add(tab, "%.6g", r->seconds);
      cli_rows_add(tab, "%.6g", r->rate);
      cli_rows_add(tab, "%lld", r->recombinations);
      cli_rows_add(tab, "%lld", r->reseeds);
      const double v[] = {r->seconds1, r->rate1, r->speedup};
      for (int q = 0; q < 3; q++) /* the single-thread columns go with a speedup */
        if (isfinite(r->speedup)) cli_rows_add(tab, "%.6g", v[q]);
        else cli_rows_add(tab, "%s", "");
    }
  }
  cli_output result = {.doc = doc, .precision = 10, .rows = tab};
  code = cli_out_finish(cmd, &outs, &result);
  json_decref(doc);
  cli_rows_free(tab);
done:
  cli_out_abort(&outs);
  ionkmc_catalog_free(cat);
  return code;
}
