/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: progress of long work on stderr.
 *
 * Conventions
 *   Progress never goes to stdout, JSON or CSV. By default it shows only when
 *   stderr is a terminal, and only once the work has taken longer than
 *   IONKMC_PROGRESS_DELAY seconds (default 2); the line is then redrawn in
 *   place (carriage return) at most 5 times a second. --progress forces it
 *   from the start, and where stderr is not a terminal it prints whole lines
 *   instead, at most one every 5 s; --no-progress turns it off.
 * Ownership: cli_progress is a plain value of the caller.
 */
#ifndef IONKMC_CLI_PROGRESS_H
#define IONKMC_CLI_PROGRESS_H

#include <stddef.h>

typedef struct {
  int mode;      /* 0 off, 1 whole lines, 2 redrawn in place */
  double start;  /* s, monotonic */
  double last;   /* s, last line shown */
  double delay;  /* s before the first line */
  int shown;     /* a line is on screen (in place) */
  size_t width;  /* its length */
} cli_progress;

/* force: -1 automatic, 0 off (--no-progress), 1 on (--progress). */
void cli_progress_init(cli_progress *p, int force);
/* Show a status line (printf format, no newline), rate-limited. */
void cli_progress_show(cli_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finish: the in-place line ends with a newline. */
void cli_progress_end(cli_progress *p);
/* Seconds since an arbitrary origin (monotonic). */
double cli_now(void);
/* "12 s", "3 min 20 s", "2 h 05 min" into buf. */
void cli_duration(char *buf, size_t n, double seconds);
/* Progress over a list of items (points, temperatures, defects), each a
 * batch of KMC runs: "[ionkmc CMD] ITEM i/n LABEL: runs d/t, ETA". */
typedef struct {
  cli_progress pr;
  const char *cmd;
  const char *unit;   /* "point", "T", "defect" */
  char label[200];
  int item, nitems;   /* current item (from 0) and their number */
} cli_batch_progress;

void cli_batch_init(cli_batch_progress *b, const char *cmd, const char *unit, int nitems, int force);
/* Start item `item` with a label (printf format). */
void cli_batch_item(cli_batch_progress *b, int item, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An ionkmc_progress_fn (kmc/runner.h): runs done of the current item. */
void cli_batch_runs(int done, int total, void *user);

/* The --progress / --no-progress options: 1 if name is one of them (and
 * sets *force), 0 otherwise. */
int cli_progress_opt(const char *name, int *force);

#endif
