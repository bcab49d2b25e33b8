/* ionkmc command-line program: shared helpers of the subcommands.
 * Exit status: 0 success, 2 bad input (one line on stderr naming the file,
 * option or field), 1 internal failure. */
#ifndef IONKMC_CLI_H
#define IONKMC_CLI_H

#include <jansson.h>
#include <stdint.h>

#include "barriers/catalog.h"
#include "kmc/catdraw.h"
#include "kmc/runner.h"
#include "lattice/outfile.h"

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
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse numbers; on failure print a message naming the option and return 0. */
int cli_double(const char *cmd, const char *opt, const char *s, double *out);
int cli_int(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out);
/* Parse "a:b:step" (inclusive) or "x,y,z" or "x" into a newly allocated array
 * (caller frees). Returns the count or 0 after printing an error. */
int cli_range(const char *cmd, const char *opt, const char *s, double **out);
/* Parse a defect list "V_I+,I_I-" into kinds; returns count or 0 on error. */
int cli_defects(const char *cmd, const char *opt, const char *s, ionkmc_defect_kind *out);
/* Parse a box "V_I+=2,I_I-=1" into counts; returns 1 or 0 on error. */
int cli_box(const char *cmd, const char *opt, const char *s, int count[IONKMC_NDEFECT]);
/* Parse a field "Ex,Ey,Ez" (V/angstrom) ; returns 1 or 0 on error. */
int cli_field(const char *cmd, const char *opt, const char *s, double field[3]);

/* Load the catalog (file or embedded default). NULL after printing; *code set. */
ionkmc_catalog *cli_catalog(const char *cmd, const char *path, int *code);

/* The paper's Table 2 Arrhenius law for defect k at T: D0 exp(-Ea/kT) in
 * cm^2/s, or NAN when the paper gives none. */
double cli_paper_D(ionkmc_defect_kind k, double T);

/* JSON of one estimate {mean, sem, ci95: [lo, hi]} (nulls for NaN). */
json_t *cli_estimate_json(ionkmc_estimate e);
/* Open the output file `path` given with --opt (*of = NULL when path is
 * NULL). 0, or exit status 2 after naming the option and the reason. */
int cli_open(const char *cmd, const char *opt, const char *path, ionkmc_outfile **of);
/* Commit *of into place and set *of = NULL. 0, or the exit status after
 * printing the failure. */
int cli_commit(const char *cmd, ionkmc_outfile **of);
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
/* A CSV number: empty for NaN, else printf format fmt. */
void cli_csv_num(FILE *fp, const char *fmt, double v);
json_t *cli_result_json(const cli_result *r, int with_msd);
void cli_csv_header(FILE *fp);
void cli_csv_row(FILE *fp, const cli_result *r);
void cli_table_header(FILE *fp);
void cli_table_row(FILE *fp, const cli_result *r);

/* Subcommands. */
int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_synth(int argc, char **argv);

#endif
