/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Progress lines on stderr. See progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli/progress.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_init(cli_progress *p, int force) {
  memset(p, 0, sizeof *p);
  int tty = isatty(2);
  p->mode = force == 0 ? 0 : tty ? 2 : force == 1 ? 1 : 0;
  p->start = cli_now();
  p->last = -1e30;
  p->delay = 0;
  if (force < 0) {
    const char *d = getenv("IONKMC_PROGRESS_DELAY");
    char *end;
    double v = d ? strtod(d, &end) : 2.0;
    p->delay = d && end != d && v >= 0 ? v : 2.0;
  }
}

void cli_progress_show(cli_progress *p, const char *fmt, ...) {
  if (!p->mode) return;
  double t = cli_now();
  if (t - p->start < p->delay || t - p->last < (p->mode == 2 ? 0.2 : 5.0)) return;
  p->last = t;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  size_t n = strlen(line);
  if (p->mode == 2) {
    /* pad over the previous, longer line */
    fprintf(stderr, "\r%s%*s", line, p->width > n ? (int)(p->width - n) : 0, "");
    p->width = n;
    p->shown = 1;
  } else {
    fprintf(stderr, "%s\n", line);
  }
  fflush(stderr);
}

void cli_progress_end(cli_progress *p) {
  if (p->mode == 2 && p->shown) fputc('\n', stderr);
  p->shown = 0;
  p->width = 0;
}

void cli_duration(char *buf, size_t n, double s) {
  if (!isfinite(s) || s < 0) snprintf(buf, n, "?");
  else if (s < 60) snprintf(buf, n, "%.0f s", s);
  else if (s < 3600) snprintf(buf, n, "%d min %02d s", (int)(s / 60), (int)fmod(s, 60));
  else snprintf(buf, n, "%d h %02d min", (int)(s / 3600), (int)fmod(s / 60, 60));
}

int cli_progress_opt(const char *name, int *force) {
  if (!strcmp(name, "progress")) *force = 1;
  else if (!strcmp(name, "no-progress")) *force = 0;
  else return 0;
  return 1;
}

void cli_batch_init(cli_batch_progress *b, const char *cmd, const char *unit, int nitems, int force) {
  memset(b, 0, sizeof *b);
  cli_progress_init(&b->pr, force);
  b->cmd = cmd;
  b->unit = unit;
  b->nitems = nitems;
}

static void batch_show(cli_batch_progress *b, int done, int total) {
  double frac = b->item + (total > 0 ? (double)done / total : 0);
  double el = cli_now() - b->pr.start;
  char eta[32];
  cli_duration(eta, sizeof eta, frac > 0 ? el / frac * (b->nitems - frac) : NAN);
  if (total > 0)
    cli_progress_show(&b->pr, "[ionkmc %s] %s %d/%d %s: runs %d/%d, ETA %s", b->cmd, b->unit, b->item + 1,
                      b->nitems, b->label, done, total, eta);
  else
    cli_progress_show(&b->pr, "[ionkmc %s] %s %d/%d %s, ETA %s", b->cmd, b->unit, b->item + 1, b->nitems,
                      b->label, frac > 0 ? eta : "?");
}

void cli_batch_item(cli_batch_progress *b, int item, const char *fmt, ...) {
  b->item = item;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->label, sizeof b->label, fmt, ap);
  va_end(ap);
  b->pr.last = -1e30; /* a new item always shows (once past the delay) */
  batch_show(b, 0, 0);
}

void cli_batch_runs(int done, int total, void *user) { batch_show(user, done, total); }
