/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The table of a result: text cells, row by row (cli/out.h). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"

struct cli_rows {
  char **cell;    /* every cell, row after row */
  int ncell, ccap;
  int *start;     /* index of the first cell of each row */
  int nrow, rcap;
  int failed;
};

cli_rows *cli_rows_alloc(void) { return calloc(1, sizeof(cli_rows)); }

void cli_rows_free(cli_rows *t) {
  if (!t) return;
  for (int i = 0; i < t->ncell; i++) free(t->cell[i]);
  free(t->cell);
  free(t->start);
  free(t);
}

void cli_rows_new(cli_rows *t) {
  if (!t || t->failed) return;
  if (t->nrow == t->rcap) {
    int cap = t->rcap ? 2 * t->rcap : 16;
    int *s = realloc(t->start, sizeof *s * (size_t)cap);
    if (!s) {
      t->failed = 1;
      return;
    }
    t->start = s;
    t->rcap = cap;
  }
  t->start[t->nrow++] = t->ncell;
}

/* Append the cell text (owned by the table from now on). */
static void push(cli_rows *t, char *text) {
  if (!t || t->failed || !text || t->nrow == 0) {
    free(text);
    if (t) t->failed = 1;
    return;
  }
  if (t->ncell == t->ccap) {
    int cap = t->ccap ? 2 * t->ccap : 64;
    char **c = realloc(t->cell, sizeof *c * (size_t)cap);
    if (!c) {
      free(text);
      t->failed = 1;
      return;
    }
    t->cell = c;
    t->ccap = cap;
  }
  t->cell[t->ncell++] = text;
}

static char *vformat(const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

void cli_rows_add(cli_rows *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = vformat(fmt, ap);
  va_end(ap);
  push(t, s);
}

void cli_rows_num(cli_rows *t, const char *fmt, double v) {
  if (isfinite(v)) cli_rows_add(t, fmt, v);
  else cli_rows_add(t, "%s", "");
}

void cli_rows_names(cli_rows *t, const char *names) {
  for (const char *p = names;;) {
    size_t len = strcspn(p, ",");
    cli_rows_add(t, "%.*s", (int)len, p);
    if (!p[len]) break;
    p += len + 1;
  }
}

int cli_rows_count(const cli_rows *t) { return t ? t->nrow : 0; }

int cli_rows_width(const cli_rows *t, int row) {
  if (!t || row < 0 || row >= t->nrow) return 0;
  return (row + 1 < t->nrow ? t->start[row + 1] : t->ncell) - t->start[row];
}

const char *cli_rows_cell(const cli_rows *t, int row, int col) {
  if (col < 0 || col >= cli_rows_width(t, row)) return NULL;
  return t->cell[t->start[row] + col];
}

int cli_rows_ok(const cli_rows *t) { return t && !t->failed; }

ionkmc_status cli_rows_write_sep(const cli_rows *t, int from, int to, char sep, FILE *fp, ionkmc_error *err) {
  if (!cli_rows_ok(t)) return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory (result table)");
  for (int r = from; r < to && r < t->nrow; r++) {
    int w = cli_rows_width(t, r);
    for (int c = 0; c < w; c++) {
      if (c) fputc(sep, fp);
      const char *cell = cli_rows_cell(t, r, c);
      if (sep == ',' && strpbrk(cell, ",\"\n\r")) {
        /* RFC 4180: a cell holding the separator, a quote or a line break
         * is quoted, its quotes doubled (a --box label "V_I+=2,I_I-=1") */
        fputc('"', fp);
        for (const char *q = cell; *q; q++) {
          if (*q == '"') fputc('"', fp);
          fputc(*q, fp);
        }
        fputc('"', fp);
      } else {
        fputs(cell, fp);
      }
    }
    fputc('\n', fp);
  }
  if (ferror(fp)) return ionkmc_error_set(err, IONKMC_EIO, "write failed");
  return IONKMC_OK;
}
