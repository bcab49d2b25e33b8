/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc catalog: show, export, check and derive the rate catalog. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calibration/calibrate.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "kmc/engine_memory.h"

static const char HEAD[] =
    "usage: ionkmc catalog show   [--catalog FILE] [--T K] [--json FILE]\n"
    "       ionkmc catalog export FILE [--catalog FILE]\n"
    "       ionkmc catalog check  FILE\n"
    "       ionkmc catalog derive [--catalog FILE] [--size L] [--a A] [--runs M] [--hops N]\n"
    "                             [--seed S] [--out FILE]\n"
    "\n"
    "show    print the catalog as a table (per-path rates at --T),\n"
    "        or write it as JSON with --json FILE ('-': standard output)\n"
    "export  write the catalog (embedded default unless --catalog) to FILE\n"
    "check   validate a catalog file; exit 0 if it is usable\n"
    "derive  recompute the attempt frequencies of the entries that carry the\n"
    "        paper's Table 2 law (\"table2\": {\"Ea\", \"D0\"}) so that the KMC's own\n"
    "        D_species reproduces D0 exp(-Ea/kT):\n"
    "            nu = 6 D0 / (f * npaths * n_moved * lambda^2)\n"
    "        with f the tracer correlation factor measured here in an L^3 box\n"
    "        (--size; the default is the paper's cell) at lattice constant --a.\n"
    "        Writes the catalog to --out (default: standard output).\n"
    "\n";

typedef struct {
  const char *catalog, *out;
  double T, a, max_mem;
  cli_out_paths outs; /* show: --json FILE */
  long long L, runs, hops, seed;
} catalog_opts;

static void catalog_defaults(void *p) {
  catalog_opts *o = p;
  ionkmc_run_config d = ionkmc_run_config_default();
  o->T = 300;
  o->a = 6.365;
  o->L = 6;
  o->runs = 2000;
  o->hops = 20000;
  o->seed = (long long)d.seed;
}

#define S catalog_opts
static const cli_option OPTS[] = {
    CLI_OPT_STR("catalog", catalog, "FILE", "rate catalog JSON (default: embedded)"),
    CLI_OPT_REAL("T", T, "K", CLI_T_MIN, CLI_T_MAX, 0, "a temperature", "K", "show: temperature of the rates"),
    {.name = "", .kind = CLI_OUTPUTS, .off = offsetof(S, outs), .ival = CLI_OUT_DOC, .help = "show: "},
    CLI_OPT_BARE("json", "-"), /* the flag --json of earlier versions */
    CLI_OPT_INT("size", L, "L", 2, IONKMC_ENGINE_MAX_L, "derive: supercell edge in cells (limited by --max-memory)"),
    CLI_OPT_MAX_MEMORY(max_mem),
    CLI_OPT_REAL("a", a, "A", CLI_A_MIN, CLI_A_MAX, 0, "a lattice constant", "angstrom",
                 "derive: lattice constant in angstrom"),
    CLI_OPT_INT("runs", runs, "M", 2, 10000000, "derive: independent runs per defect"),
    CLI_OPT_INT("hops", hops, "N", 1, CLI_MAX_HOPS_RUN, "derive: events per run"),
    CLI_OPT_INT("seed", seed, "S", 0, 9e15, "derive: random seed"),
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "FILE", .def = "standard output",
     .help = "derive: the catalog to write"},
    CLI_OPT_ALIAS("output", "out"),
};
#undef S

const cli_command CLI_CMD_CATALOG = {"catalog", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(catalog_opts),
                                     catalog_defaults, NULL};

/* The catalog as JSON on standard output (derive without --out). */
static int print_json(const ionkmc_catalog *cat) {
  char *s = ionkmc_catalog_dumps(cat);
  if (!s) return cli_fail("catalog", "out of memory");
  puts(s);
  free(s);
  return 0;
}

/* show --json FILE: the catalog document through the result formats. */
static int show_json(const ionkmc_catalog *cat, cli_out_files *outs) {
  const char *cmd = "catalog";
  char *s = ionkmc_catalog_dumps(cat);
  json_t *doc = s ? json_loads(s, 0, NULL) : NULL;
  free(s);
  if (!doc) return cli_fail(cmd, "out of memory");
  cli_output result = {.doc = doc, .precision = 10}; /* ionkmc_catalog_dumps' precision */
  int code = cli_out_finish(cmd, outs, &result);
  json_decref(doc);
  return code;
}

static int show(const ionkmc_catalog *cat, double T) {
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  double a = ionkmc_acell_eval(&am, T);
  printf("# catalog: %s\n# T = %g K, a(T) = %.4f A; rates per path\n", ionkmc_catalog_name(cat), T, a);
  printf("%-6s %-15s %-9s %7s %11s %11s %-13s  %s\n", "defect", "mechanism", "pattern", "Eb/eV",
         "nu/s-1", "rate/s-1", "source", "provenance");
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_catalog_entry *e = ionkmc_catalog_get(cat, k);
    if (!e->present) continue;
    double r = NAN;
    char rate[32] = "out-of-range"; /* never a nan or inf in the table */
    if (ionkmc_catalog_rate(cat, k, T, a, 0, &r, NULL) == IONKMC_OK) snprintf(rate, sizeof rate, "%.4e", r);
    printf("%-6s %-15s %-9s %7.3f %11.4e %11s %-13s  %s\n", ionkmc_defect_name(k),
           ionkmc_defect_mechanism(k),
           ionkmc_pattern_name(e->pattern), e->Eb,
           e->nu, rate, e->source,
           e->provenance);
  }
  return 0;
}

/* `of` is the opened --out (NULL: standard output); derive commits or
 * aborts it. */
static int derive_into(ionkmc_catalog *cat, const char *catpath, int L, double a, int runs,
                       long long hops, long long seed, ionkmc_outfile **of);

static int derive(ionkmc_catalog *cat, const char *catpath, int L, double a, int runs, long long hops,
                  long long seed, const char *out, double max_mem) {
  ionkmc_outfile *of = NULL;
  int code, nt2 = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) nt2 += ionkmc_catalog_get(cat, k)->present;
  if ((code = cli_check_work("catalog", (double)hops, (double)hops * runs * nt2))) return code;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ionkmc_box_spec ms;
    memset(&ms, 0, sizeof ms);
    ms.L = L;
    ms.count[k] = 1;
    if (ionkmc_catalog_get(cat, k)->present &&
        (code = cli_check_box_memory("catalog", &ms, cat, 0, runs, max_mem)))
      return code;
  }
  /* Check --out before minutes of runs. */
  if (out && strcmp(out, "-") != 0 && (code = cli_open("catalog", "out", out, &of))) return code;
  code = derive_into(cat, catpath, L, a, runs, hops, seed, &of);
  ionkmc_outfile_abort(of); /* NULL once committed */
  return code;
}

static int derive_into(ionkmc_catalog *cat, const char *catpath, int L, double a, int runs,
                       long long hops, long long seed, ionkmc_outfile **of) {
  const char *cmd = "catalog";
  ionkmc_error err;
  /* The derivation lives in the library (calibration/calibrate.h). */
  ionkmc_derive_options o = {.L = L, .a = a, .runs = runs, .hops = hops, .seed = seed};
  ionkmc_derive_row rows[IONKMC_NDEFECT];
  int nderived = 0;
  ionkmc_status st = ionkmc_catalog_derive(cat, catpath, &o, rows, &nderived, &err);
  for (int q = 0; q < nderived; q++)
    fprintf(stderr, "%-6s f = %.4f +- %.4f  nu = %.5e 1/s\n", ionkmc_defect_name(rows[q].kind), rows[q].f,
            rows[q].f_sem, rows[q].nu);
  if (st) return st == IONKMC_ENOMEM ? cli_fail(cmd, "%s", err.text) : cli_bad(cmd, "%s", err.text);
  if (nderived == 0)
    return cli_bad(cmd, "%s: no entry carries \"table2\": {\"Ea\", \"D0\"}; nothing to derive",
                   catpath ? catpath : "catalog");
  if (!*of) return print_json(cat);
  char *dump = ionkmc_catalog_dumps(cat);
  if (!dump) return cli_fail(cmd, "out of memory");
  fputs(dump, ionkmc_outfile_stream(*of));
  fputc('\n', ionkmc_outfile_stream(*of));
  free(dump);
  return cli_commit(cmd, of);
}

static int catalog_main(const char *verb, const char *file, const catalog_opts *o);

int cmd_catalog(int argc, char **argv) {
  const char *cmd = "catalog";
  if (argc < 3)
    return cli_bad(cmd, "expected an action: show, export, check or derive (see ionkmc catalog --help)");
  const char *verb = argv[2];
  if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "--list-options")) {
    if (verb[2] == 'l') cli_list_options(&CLI_CMD_CATALOG, stdout);
    else cli_help(&CLI_CMD_CATALOG, stdout);
    return 0;
  }
  catalog_opts o;
  const char *pos[1] = {NULL};
  int npos = 1;
  int code = cli_parse_args(&CLI_CMD_CATALOG, argc, argv, 3, &o, NULL, pos, &npos);
  if (code) return code < 0 ? 0 : code;
  return catalog_main(verb, pos[0], &o);
}

/* The action `verb` (FILE of export / check, or NULL), from the parsed options. */
static int catalog_main(const char *verb, const char *file, const catalog_opts *o) {
  const char *cmd = "catalog";
  int code = 0;
  const char *catpath = o->catalog, *out = o->out;
  double T = o->T, a = o->a;
  long long L = o->L, runs = o->runs, hops = o->hops, seed = o->seed;
  int any_out = 0;
  for (int i = 0; i < CLI_OUT_MAX; i++) any_out |= o->outs.path[i] != NULL;
  if (any_out && strcmp(verb, "show"))
    return cli_bad(cmd, "--json: only 'catalog show' writes one (%s writes %s)", verb,
                   !strcmp(verb, "derive") ? "--out" : !strcmp(verb, "export") ? "FILE" : "nothing");
  if (file && strcmp(verb, "export") && strcmp(verb, "check") &&
      (!strcmp(verb, "show") || !strcmp(verb, "derive")))
    return cli_bad(cmd, "unexpected argument '%s' (see ionkmc %s --help)", file, cmd);
  if (!strcmp(verb, "check")) {
    if (!file) return cli_bad(cmd, "check: expected a catalog FILE");
    ionkmc_catalog *cat = cli_catalog(cmd, file, &code);
    if (!cat) return code;
    if ((code = cli_check_catalog(cmd, cat, T))) {
      ionkmc_catalog_free(cat);
      return code;
    }
    printf("%s: ok (%s)\n", file, ionkmc_catalog_name(cat));
    ionkmc_catalog_free(cat);
    return 0;
  }
  cli_out_files outs = {{NULL}};
  /* show: the output is checked before the catalog is read */
  if (!strcmp(verb, "show") && (code = cli_out_open(cmd, &o->outs, &outs))) return code;
  ionkmc_catalog *cat = cli_catalog(cmd, catpath, &code);
  if (!cat) {
    cli_out_abort(&outs);
    return code;
  }
  if (!strcmp(verb, "show")) {
    code = any_out ? show_json(cat, &outs) : show(cat, T);
  } else if (!strcmp(verb, "export")) {
    ionkmc_error err;
    if (!file) code = cli_bad(cmd, "export: expected an output FILE");
    else if (ionkmc_catalog_save(cat, file, &err) != IONKMC_OK) code = cli_bad(cmd, "%s", err.text);
  } else if (!strcmp(verb, "derive")) {
    code = derive(cat, catpath, (int)L, a, (int)runs, hops, seed, out, o->max_mem);
  } else {
    code = cli_bad(cmd, "unknown action '%s' (expected show, export, check, derive)", verb);
  }
  ionkmc_catalog_free(cat);
  return code;
}
