/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc sweep: its CSV output. An existing file is refused unless --resume
 * (continue it: the points whose row is complete are skipped, the others
 * appended; a row cut short by a kill is dropped and written again) or
 * --force (replace it). A row matches a point when its first seven columns
 * (defect, species, T, a, size, barrier shift, runs) are the point's, in the
 * CSV's own formats; the seed, run length, field and catalog are not in the
 * CSV, so --resume takes them to be the same as before.
 */
#ifndef IONKMC_CLI_SWEEP_CSV_H
#define IONKMC_CLI_SWEEP_CSV_H

#include <stdio.h>

#include "cli/cli.h"

typedef struct {
  char **rows; /* the complete rows found (owned) */
  int n;
} cli_sweep_resume;

/* Open the CSV (path "-": standard output) with its header written unless a
 * resumed file has it. 0, or the exit status after one message. *good_end:
 * the end of the last complete row. json: a --json is given too. */
int cli_sweep_csv_open(const char *cmd, const char *path, int resume, int force, int json, FILE **csv,
                       long *good_end, cli_sweep_resume *rs);
/* 1 if the point (label, species, cfg) has a complete row in rs. */
int cli_sweep_point_done(const cli_sweep_resume *rs, const char *label, int species, const ionkmc_run_config *cfg);
/* The row prefix of a point ("defect,species,T,a,size,shift,runs,"). */
void cli_sweep_point_key(char *buf, size_t n, const char *label, int species, const ionkmc_run_config *c);
void cli_sweep_resume_free(cli_sweep_resume *rs);

#endif
