/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: result formats as types, with a registry.
 *
 * A command hands over one result (cli_output): its JSON document (the
 * envelope of cli_envelope plus the command's fields) and its table (a
 * header row and one row per result, as text cells). Each output format is
 * a type (cli_output_format, one file cli/out_<name>.c) that writes what it
 * needs of the result to a stream; the registry (cli/out_formats.c, one
 * line X(<name>) per format) names them. Option tables take an entry
 * CLI_OPT_OUTPUTS (cli/opt.h) that stands for one option --<option> FILE per
 * registered format the command has the content for, with the format's
 * help line; the paths land in a cli_out_paths.
 *
 * Outputs appear whole or not at all: cli_out_open opens every asked output
 * before the work (an unwritable path is bad input at once, exit 2),
 * cli_out_write writes each into its temporary file and cli_out_commit puts
 * all of them in place together (base/outfile.h); on a failure, or when
 * cli_out_abort is called instead, no destination is touched.
 *
 * Ownership: a cli_output borrows its document and table; cli_rows_alloc
 * returns a table that cli_rows_free frees; format types are static.
 */
#ifndef IONKMC_CLI_OUT_H
#define IONKMC_CLI_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "base/outfile.h"
#include "base/status.h"

/* A table of text cells: row 0 is the header. An allocation failure is
 * remembered (cli_rows_ok) and reported by the writer, so building a table
 * needs no status checks. */
typedef struct cli_rows cli_rows;
cli_rows *cli_rows_alloc(void);
void cli_rows_free(cli_rows *t);
/* Start the next row (the first call starts the header). */
void cli_rows_new(cli_rows *t);
/* Append a cell to the current row, printf-formatted. */
void cli_rows_add(cli_rows *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A number in printf format fmt; an empty cell for NaN and infinities. */
void cli_rows_num(cli_rows *t, const char *fmt, double v);
/* One cell per name of the comma-separated list (header rows). */
void cli_rows_names(cli_rows *t, const char *names);
int cli_rows_count(const cli_rows *t);        /* rows, the header included */
int cli_rows_width(const cli_rows *t, int row); /* cells of one row */
const char *cli_rows_cell(const cli_rows *t, int row, int col);
int cli_rows_ok(const cli_rows *t);           /* 0 after an allocation failed */

/* The content of a result a format writes (cli_output_format.needs, and
 * what a command offers in CLI_OPT_OUTPUTS). */
#define CLI_OUT_DOC 1u  /* the JSON document */
#define CLI_OUT_ROWS 2u /* the table */

/* One result of a command (all borrowed; NULL: the command has none). */
typedef struct {
  const json_t *doc; /* the JSON document */
  int precision;     /* significant digits of its reals */
  const cli_rows *rows;
} cli_output;

typedef struct cli_output_format {
  const char *name;   /* in messages: "JSON", "CSV" */
  const char *option; /* the option --<option> FILE that asks for it */
  const char *ext;    /* the usual file name extension: ".json" */
  const char *help;   /* its --help line */
  unsigned needs;     /* CLI_OUT_DOC or CLI_OUT_ROWS */
  /* Write the result to fp: IONKMC_OK, or a status with err set
   * (IONKMC_ENOMEM, IONKMC_EIO). */
  ionkmc_status (*write)(const cli_output *out, FILE *fp, ionkmc_error *err);
} cli_output_format;

/* The registry (cli/out_formats.c). */
#define CLI_OUT_MAX 8 /* formats the registry may hold */
int cli_output_format_count(void);
const cli_output_format *cli_output_format_at(int i); /* NULL out of range */
/* The index of the format asked for by --<option>, or -1. */
int cli_output_format_index(const char *option);

/* The paths given for the formats, by registry index (NULL: not asked). */
typedef struct {
  const char *path[CLI_OUT_MAX];
} cli_out_paths;
/* The open outputs of one command, by registry index. */
typedef struct {
  ionkmc_outfile *of[CLI_OUT_MAX];
} cli_out_files;

/* Open every output asked for in p (f zeroed first). 0, or exit status 2
 * after naming the option and the reason, with nothing left open. */
int cli_out_open(const char *cmd, const cli_out_paths *p, cli_out_files *f);
/* 1 when an open output needs the content `needs` (CLI_OUT_DOC, ...). */
int cli_out_wants(const cli_out_files *f, unsigned needs);
/* Write the result into each open output without committing. 0, or exit
 * status 1 after printing the failure (a missing content is internal). */
int cli_out_write(const char *cmd, cli_out_files *f, const cli_output *out);
/* Commit the open outputs together, all or none; 0 or exit status 1. */
int cli_out_commit(const char *cmd, cli_out_files *f);
/* Discard whatever is still open (after a commit: nothing). */
void cli_out_abort(cli_out_files *f);
/* cli_out_write then cli_out_commit; on a failure everything is aborted. */
int cli_out_finish(const char *cmd, cli_out_files *f, const cli_output *out);

/* The stream writers of the table formats, for outputs that grow row by
 * row (sweep's CSV): rows [from, to) of t, each cell separated by sep. */
ionkmc_status cli_rows_write_sep(const cli_rows *t, int from, int to, char sep, FILE *fp, ionkmc_error *err);

#endif
