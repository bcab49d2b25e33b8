/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: shared helpers of the subcommands.
 * Exit status: 0 success, 2 bad input (one line on stderr naming the file,
 * option or field), 1 internal failure. */
#ifndef IONKMC_CLI_H
#define IONKMC_CLI_H

#include <jansson.h>
#include <stdio.h>
#include <stdint.h>

#include "barriers/catalog.h"
#include "calibration/structure.h"
#include "kmc/catdraw.h"
#include "kmc/runner.h"
#include "base/outfile.h"
#include "cli/out.h"

#define EXIT_BAD_INPUT 2
#define EXIT_INTERNAL 1

/* Option table: name without leading dashes; takes_arg 0/1. */
typedef struct {
  const char *name;
  int takes_arg;
} cli_opt;

/* Iterate over argv[first..]: returns the index of the option in opts and sets
 * *arg, -1 at the end, or -2 after printing an error (unknown option,
 * missing argument, stray word). "--help" returns the special index -3. */
int cli_next(const char *cmd, int argc, char **argv, int *i, const cli_opt *opts, int nopts,
             const char **arg);

/* Report bad input / internal errors: print "ionkmc CMD: message" and return
 * the exit status. */
int cli_bad(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_bad for an unknown defect name given to --opt, listing the defect
 * table's names. */
int cli_bad_defect(const char *cmd, const char *opt, const char *name);
/* Copy text into out (n bytes, always terminated) with each "@DEFECTS@"
 * replaced by the defect names of the table (events/defects.h), so help
 * texts list the kinds the program knows. */
void cli_expand_defects(const char *text, char *out, size_t n);
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Send what cli_bad / cli_fail print to fp instead of stderr (NULL: back to
 * stderr). The C API (cli/api.h) collects the messages this way. */
void cli_set_message_sink(FILE *fp);

/* Most --defect items and most defects of one kind in a --box. */
#define CLI_MAX_DEFECTS (IONKMC_NDEFECT * 4)
#define CLI_MAX_BOX_COUNT 100000000

/* Parse numbers; on failure print a message naming the option and return 0.
 * Decimal only: hexadecimal, inf, nan and blanks are refused. */
int cli_double(const char *cmd, const char *opt, const char *s, double *out);
int cli_int(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out);
/* Split a copy of s at every sep into exactly n fields: 1 with fields[0..n-1]
 * set (free fields[0] alone), 0 if the count differs, -1 out of memory. */
int cli_split(const char *s, char sep, char **fields, int n);
/* Parse "a:b:step" (inclusive) or "x,y,z" or "x" into a newly allocated array
 * (caller frees). Returns the count or 0 after printing an error. */
int cli_range(const char *cmd, const char *opt, const char *s, double **out);
/* Parse a defect list "V_I+,I_I-" into kinds; returns count or 0 on error. */
int cli_defects(const char *cmd, const char *opt, const char *s, ionkmc_defect_kind *out);
/* Parse a box "V_I+=2,I_I-=1" into counts; returns 1 or 0 on error. */
int cli_box(const char *cmd, const char *opt, const char *s, int count[IONKMC_NDEFECT]);
/* Parse a field "Ex,Ey,Ez" (V/angstrom) ; returns 1 or 0 on error. */
int cli_field(const char *cmd, const char *opt, const char *s, double field[3]);

/* Values of the CLI_CUSTOM options of cli/opt.h, and their parsers. */
typedef struct {
  ionkmc_defect_kind kind[CLI_MAX_DEFECTS];
  int n;
} cli_defect_list; /* --defect LIST */
typedef struct {
  int count[IONKMC_NDEFECT];
  int set; /* 1 once given */
} cli_box_arg;     /* --box NAME=COUNT,... */
typedef struct {
  double *v; /* malloc'd (cli_range_free); NULL until given */
  int n;
} cli_range_arg;   /* a range start:stop:step or a list x,y,z */
/* The default --defect of run and sweep: every mobile defect. */
#define CLI_MOBILE_DEFECTS "I_I-,V_I+,I_MA0,I_MA+"
void cli_show_defect_list(const void *field, char *buf, size_t n);
void cli_defect_list_mobile(cli_defect_list *l);
/* A --defect LIST entry whose --help default is the defaults' list. */
#define CLI_OPT_DEFECTS(nm, fld, hl)                                                                      \
  {.name = nm, .kind = CLI_CUSTOM, .off = offsetof(S, fld), .meta = "LIST", .parse = cli_parse_defect_list, \
   .show = cli_show_defect_list, .help = hl}
int cli_parse_defect_list(const char *cmd, const char *opt, const char *arg, void *field);
int cli_parse_box(const char *cmd, const char *opt, const char *arg, void *field);
/* "V_I+=2,I_I-=1": the label of a box's results. */
void cli_box_label(const int count[IONKMC_NDEFECT], char *buf, size_t n);
int cli_parse_field(const char *cmd, const char *opt, const char *arg, void *field); /* double[3] */
int cli_parse_range(const char *cmd, const char *opt, const char *arg, void *field);
void cli_range_free(cli_range_arg *r);
typedef struct {
  double T[16];
  int n;
} cli_temps_arg; /* T[,T...]: up to 16 temperatures > 0 K */
int cli_parse_temps(const char *cmd, const char *opt, const char *arg, void *field);
void cli_show_temps(const void *field, char *buf, size_t n);

/* The options `run` and `sweep` share (one batch of runs per box). */
typedef struct {
  long long hops, runs, seed, threads, ksamp;
  double time;              /* s per run, 0: --hops */
  const char *catalog;
  cli_out_paths out;        /* --json FILE, --csv FILE, ... (cli/out.h) */
  int crn;                  /* --common-random-numbers */
  int progress;             /* -1 automatic, 0 off, 1 on */
  int hops_given;           /* --hops was given (with --time: the smaller) */
} cli_batch_opts;
/* Defaults from ionkmc_run_config_default(). */
void cli_batch_defaults(cli_batch_opts *b);
#define CLI_XSTR_(x) #x
#define CLI_XSTR(x) CLI_XSTR_(x)
/* --threads N and --catalog-samples K (long long fields of the struct S). */
#define CLI_OPT_THREADS(fld)                                                                              \
  {.name = "threads", .kind = CLI_INT, .off = offsetof(S, fld), .meta = "N", .lo = 1, .hi = 4096,          \
   .def = "all", .help = "OpenMP threads; results do not depend on it"}
#define CLI_OPT_CATALOG_SAMPLES(fld)                                                                      \
  {.name = "catalog-samples", .kind = CLI_INT, .off = offsetof(S, fld), .meta = "K", .lo = 2, .hi = 10000000, \
   .def = CLI_XSTR(IONKMC_CATALOG_SAMPLES_RESCALE) " when rescaling, " CLI_XSTR(                         \
       IONKMC_CATALOG_SAMPLES_RERUN) " when rerunning",                                                  \
   .help = "parameter draws from the catalog's fitted distributions for ci95_catalog and ci95_total "    \
           "(see ionkmc run --help)"}
/* Their table entries; f is the cli_batch_opts member of the struct S. */
#define CLI_BATCH_OPTIONS(f)                                                                            \
  CLI_OPT_INT("hops", f.hops, "N", 1, CLI_MAX_HOPS_RUN, "events per run"),                              \
      CLI_OPT_REAL("time", f.time, "S", 0, 0, CLI_GT | CLI_NOHI | CLI_NODEF, "simulated seconds", NULL, \
                   "simulated seconds per run instead of --hops"),                                      \
      CLI_OPT_INT("runs", f.runs, "M", 1, 10000000, "independent runs per box"),                        \
      CLI_OPT_INT("seed", f.seed, "S", 0, 9e15, "random seed"),                                         \
      CLI_OPT_FLAG("common-random-numbers", f.crn, 1,                                                   \
                   "give every box the same random streams (variance reduction for differences "        \
                   "between them; by default each box draws its own independent streams)"),             \
      CLI_OPT_THREADS(f.threads),                                                                        \
      CLI_OPT_STR("catalog", f.catalog, "FILE", "rate catalog JSON (default: embedded)"),               \
      CLI_OPT_CATALOG_SAMPLES(f.ksamp),                                                                  \
      CLI_OPT_OUTPUTS(f.out, CLI_OUT_DOC | CLI_OUT_ROWS),                                                \
      CLI_OPT_FLAG("progress", f.progress, 1, "force progress on stderr (ETA)"),                       \
      CLI_OPT_FLAG("no-progress", f.progress, 0,                                                        \
                   "turn progress off (default: on a terminal, after 2 s)")

/* Load the catalog (file or embedded default). NULL after printing; *code set. */
ionkmc_catalog *cli_catalog(const char *cmd, const char *path, int *code);

/* The paper's Table 2 Arrhenius law for defect k at T: D0 exp(-Ea/kT) in
 * cm^2/s, or NAN when the paper gives none. */
double cli_paper_D(ionkmc_defect_kind k, double T);

/* The whole command line argv[0..argc-1] as one string, each word quoted
 * for a POSIX shell where it needs it (new reference; the JSON "command"). */
json_t *cli_command_json(int argc, char **argv);
/* JSON of one estimate {mean, sem, ci95: [lo, hi]} (nulls for NaN). */
json_t *cli_estimate_json(ionkmc_estimate e);
/* Open the output file `path` given with --opt (*of = NULL when path is
 * NULL). 0, or exit status 2 after naming the option and the reason. */
int cli_open(const char *cmd, const char *opt, const char *path, ionkmc_outfile **of);
/* Commit *of into place and set *of = NULL. 0, or the exit status after
 * printing the failure. */
int cli_commit(const char *cmd, ionkmc_outfile **of);
/* Commit the outputs *ofs[0..n-1] of one command together, all or none
 * (NULL ones skipped; n <= 8); sets each to NULL. 0, or exit status 1 after
 * printing the failure, with every destination as it was. */
int cli_commit_set(const char *cmd, ionkmc_outfile **const *ofs, int n);
/* Write doc (not consumed) into of without committing; 0 or exit status 1. */
int cli_write_json(const char *cmd, const json_t *doc, ionkmc_outfile *of, int precision);
/* Write doc (not consumed) into *of, reals with `precision` significant
 * digits, and commit it as cli_commit does; a formatting failure aborts
 * nothing itself (the caller's ionkmc_outfile_abort removes the file). */
int cli_commit_json(const char *cmd, const json_t *doc, ionkmc_outfile **of, int precision);
/* JSON / CSV of one run result. */
typedef struct {
  const char *label;          /* defect name or box spec */
  int species;                /* 0 I, 1 MA */
  int primary_kind;           /* defect kind for the paper column, -1 if mixed */
  const ionkmc_run_config *cfg;
  const ionkmc_run_summary *sum;
  double concentration_cm3;   /* defects per cm^3 for the conductivity (0: not asked) */
  const ionkmc_catalog_uq *uq; /* catalog uncertainty, NULL if not computed */
} cli_result;
/* The catalog uncertainty of one batch (K = samples draws; 0: none asked).
 * 0, or the exit status after printing. */
int cli_result_uq(const char *cmd, const ionkmc_run_config *cfg, const ionkmc_lattice *lat, int samples,
                  const ionkmc_run_summary *sum, ionkmc_catalog_uq *uq);
/* What the three intervals include, and how the catalog part was obtained. */
json_t *cli_uq_json(const ionkmc_catalog_uq *uq);
/* The footnotes a table printed with cli_table_row needs (after the rows). */
void cli_table_footnotes(FILE *fp, const cli_result *r, int n);
/* A CSV number: empty for NaN, else printf format fmt (a table's cells:
 * cli_rows_num of cli/out.h). */
void cli_csv_num(FILE *fp, const char *fmt, double v);
/* Parse --concentration: "C" or "C/cm3" (defects per cm^3) or "X/fu" (defects
 * per formula unit, one per cubic cell of side a angstrom); > 0. 1, or 0
 * after printing the error. */
int cli_concentration(const char *cmd, const char *opt, const char *s, double a, double *n_cm3);
json_t *cli_result_json(const cli_result *r, int with_msd);
/* The "units" block of a document of such results (run, sweep; new reference). */
json_t *cli_result_units(void);
/* The table of results (cli/out.h): the header row for the results
 * r[0..n-1] (with the thermal Frenkel pair columns when one of them has
 * pair creation), and the row of one result. */
void cli_result_rows_header(cli_rows *t, const cli_result *r, int n);
void cli_result_rows(cli_rows *t, const cli_result *r);
/* The same as CSV lines on fp: 0, or -1 when out of memory (nothing
 * written) or the write failed. cli_csv_header: the header of no result. */
int cli_csv_header(FILE *fp);
int cli_csv_header_for(FILE *fp, const cli_result *r, int n);
int cli_csv_row(FILE *fp, const cli_result *r);
void cli_table_header(FILE *fp);
void cli_table_row(FILE *fp, const cli_result *r);

/* Warnings: print "ionkmc CMD: warning: ..." on stderr and append the text
 * to the JSON array `warnings` (borrowed; may be NULL). */
#define IONKMC_T_TETRAGONAL 327.0 /* K, MAPbI3 tetragonal-cubic transition */
void cli_warn(const char *cmd, json_t *warnings, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Once, when the lowest temperature Tmin of a command is below the transition. */
void cli_warn_phase(const char *cmd, json_t *warnings, double Tmin);
/* When the result's box lost defects to Frenkel recombination. */
void cli_warn_recombination(const char *cmd, json_t *warnings, const cli_result *r);

/* Thermal Frenkel pairs (cli/frenkel_out.c), for results whose summary has
 * frenkel set: the JSON "frenkel" object, the table columns after the common
 * ones (header cells and row cells, appended to the current row), one table
 * line, and
 * the warnings (no pair created; second-half population more than 4 SE from
 * the exact equilibrium), given once per box (species I). */
json_t *cli_frenkel_json(const cli_result *r);
void cli_frenkel_rows_header(cli_rows *t);
void cli_frenkel_rows(cli_rows *t, const cli_result *r);
void cli_frenkel_table(FILE *fp, const cli_result *r);
void cli_warn_frenkel(const char *cmd, json_t *warnings, const cli_result *r);
/* Valid ranges of the run conditions (README, "Valid ranges"). */
#define CLI_T_MIN 1.0          /* K */
#define CLI_T_MAX 3000.0       /* K */
#define CLI_A_MIN 1.0          /* angstrom */
#define CLI_A_MAX 100.0        /* angstrom */
#define CLI_SHIFT_MAX 10.0     /* eV */
#define CLI_BIAS_MAX 100.0     /* largest field bias exponent q E.dr / 2kT */
#define CLI_MAX_HOPS_RUN 1e12  /* hops of one run */
#define CLI_MAX_HOPS_TOTAL 1e13 /* hops of one command */
/* T, a, shift and field within those ranges: 0, or exit status 2 after
 * naming the option (field may be NULL). */
int cli_check_conditions(const char *cmd, double T, double a, double shift, const double field[3]);
/* Expected hops of one run: --hops, or total rate (1/s) x --time (s), the
 * smaller when both are given. */
double cli_hops_per_run(double total_rate, long long hops, double time);
/* Refuse work that could not finish: 0 or exit status 2. */
int cli_check_work(const char *cmd, double hops_per_run, double total_hops);

/* The box-size limit (cli/box_memory.c): 0 when spec's box on `threads`
 * threads (0: all) for `runs` runs fits max_memory bytes (0: the physical
 * memory), else the exit code after one line naming the memory it needs
 * and what is available. */
int cli_check_box_memory(const char *cmd, const ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                         int threads, long long runs, double max_memory);
/* --max-memory SIZE into the double *field: bytes, or with K, M, G, T
 * (powers of 1024); 1 on success, else 0 after printing (a CLI_OPT_CUSTOM
 * parser). */
int cli_parse_bytes(const char *cmd, const char *opt, const char *arg, void *field);
#define CLI_OPT_MAX_MEMORY(fld)                                                                  \
  CLI_OPT_CUSTOM("max-memory", fld, "SIZE", cli_parse_bytes, "physical memory",                   \
                 "refuse a box that needs more memory than SIZE bytes (K, M, G, T: powers of 1024)")
/* What `run` checks of a catalog, at temperature T: every entry's rate is
 * in range and every provider opens (torch models load). 0 or exit status. */
int cli_check_catalog(const char *cmd, const ionkmc_catalog *cat, double T);

/* Subcommands, and the option tables of those that have one (cli/opt.h). */
typedef struct cli_command cli_command;
extern const cli_command CLI_CMD_RUN, CLI_CMD_SWEEP;
int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_structure(int argc, char **argv);
int cmd_mdinput(int argc, char **argv);

/* Shared by structure and md-input (cli/cmd_structure.c). */
/* Parse "NAME[@SITE],..." into spec->defect (site -1: random). 1, or 0 after
 * printing the error. */
int cli_defect_places(const char *cmd, const char *opt, const char *s, ionkmc_structure_spec *spec);
/* --ma-axis random|x|y|z into *axis (-1, 0, 1, 2). 1, or 0 after printing. */
int cli_structure_axis(const char *cmd, const char *arg, int *axis);
/* JSON summary of a structure: counts, net charge, defects and their sites. */
json_t *cli_structure_json(const ionkmc_structure *s);
int cmd_mlff(int argc, char **argv);
int cmd_neb(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
