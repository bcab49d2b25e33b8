/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc sweep: its CSV file, refused when it exists, continued with --resume. */
#define _GNU_SOURCE
#include "cli/sweep_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/exec.h"
#include "kmc/workq.h"

void cli_sweep_point_key(char *buf, size_t n, const char *label, int species, const ionkmc_run_config *c) {
  /* the first seven columns of cli_csv_row, in its formats */
  snprintf(buf, n, "%s,%s,%.6g,%.6g,%d,%.6g,%d,", label, species == 0 ? "I" : "MA", c->spec.cond.T, c->spec.cond.a,
           c->spec.L, c->spec.cond.shift, c->runs);
}

int cli_sweep_point_done(const cli_sweep_resume *rs, const char *label, int species, const ionkmc_run_config *c) {
  char key[256];
  cli_sweep_point_key(key, sizeof key, label, species, c);
  for (int i = 0; i < rs->n; i++)
    if (!strncmp(rs->rows[i], key, strlen(key))) return 1;
  return 0;
}

void cli_sweep_resume_free(cli_sweep_resume *rs) {
  for (int i = 0; i < rs->n; i++) free(rs->rows[i]);
  free(rs->rows);
  memset(rs, 0, sizeof *rs);
}

static int count_fields(const char *s, size_t len) {
  int k = 1;
  for (size_t i = 0; i < len; i++) k += s[i] == ',';
  return k;
}

/* Read the complete rows of an existing CSV into rs; *end = the byte after
 * the last complete line (a cut last row is dropped). */
static int read_rows(const char *cmd, const char *path, cli_sweep_resume *rs, long *end) {
  FILE *fp = fopen(path, "r");
  if (!fp) return cli_bad(cmd, "--csv %s: cannot read (%s)", path, strerror(errno));
  char *hdr = NULL, *line = NULL;
  size_t hlen = 0, cap = 0;
  FILE *hf = open_memstream(&hdr, &hlen);
  if (!hf) {
    fclose(fp);
    return cli_fail(cmd, "out of memory");
  }
  cli_csv_header(hf);
  fclose(hf);
  int nf = count_fields(hdr, hlen), code = 0, lineno = 0;
  ssize_t got;
  *end = 0;
  while ((got = getline(&line, &cap, fp)) > 0 && !code) {
    lineno++;
    if (line[got - 1] != '\n') break; /* cut short: dropped, written again */
    if (lineno == 1) {
      if ((size_t)got != hlen || memcmp(line, hdr, hlen))
        code = cli_bad(cmd, "--csv %s: line 1 is not the header of an ionkmc sweep CSV (--resume continues one)", path);
    } else if (count_fields(line, (size_t)got - 1) != nf) {
      code = cli_bad(cmd, "--csv %s: line %d: %d fields, expected %d", path, lineno, count_fields(line, (size_t)got - 1), nf);
    } else {
      char **r = realloc(rs->rows, sizeof *r * (size_t)(rs->n + 1));
      if (!r || !(r[rs->n] = strdup(line))) {
        if (r) rs->rows = r;
        code = cli_fail(cmd, "out of memory");
        break;
      }
      rs->rows = r;
      rs->n++;
    }
    if (!code) *end += got;
  }
  free(line);
  free(hdr);
  fclose(fp);
  return code;
}

int cli_sweep_csv_open(const char *cmd, const char *path, int resume, int force, int json, FILE **csv,
                       long *good_end, cli_sweep_resume *rs) {
  *csv = NULL;
  *good_end = 0;
  memset(rs, 0, sizeof *rs);
  int code = 0, header = 1;
  if (resume && !strcmp(path, "-")) return cli_bad(cmd, "--resume: give the --csv FILE to continue");
  if (resume && json)
    return cli_bad(cmd, "--resume: not with --json (the JSON of the points already in the CSV cannot be "
                        "made from it; --checkpoint and --restart continue a sweep with its JSON)");
  if (resume && cli_exec_partial()) return cli_bad(cmd, "--resume: not with --part or --restart");
  struct stat sb;
  int exists = strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
  if (exists && !resume && !force && !cli_exec_partial())
    return cli_bad(cmd, "--csv %s: the file exists (--resume continues the sweep in it, --force replaces it)", path);
  if (exists && resume) {
    code = read_rows(cmd, path, rs, good_end);
    if (*good_end > 0) header = 0;
  }
  /* every MPI rank has read the rows before rank 0 writes */
  ionkmc_workq_barrier();
  if (code) {
    cli_sweep_resume_free(rs);
    return code;
  }
  if (cli_exec_discard()) {
    *csv = fopen("/dev/null", "w");
  } else if (!strcmp(path, "-")) {
    *csv = stdout;
  } else if (header) {
    *csv = fopen(path, "w");
  } else if ((*csv = fopen(path, "r+")) && (ftruncate(fileno(*csv), *good_end) || fseek(*csv, 0, SEEK_END))) {
    fclose(*csv);
    *csv = NULL;
  }
  if (!*csv) {
    code = cli_bad(cmd, "--csv %s: cannot write (%s)", path, strerror(errno));
    cli_sweep_resume_free(rs);
    return code;
  }
  if (header) cli_csv_header(*csv);
  return 0;
}
