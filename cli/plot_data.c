/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Inputs of `ionkmc plot` and `ionkmc report`: ionkmc's own JSON and CSV
 * outputs, classified by content. See plot.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/plot.h"

double plot_num(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

int plot_kmc_interval(const json_t *est, double *lo, double *hi, const char **which) {
  const json_t *ci = json_object_get(est, "ci95_total");
  *which = "total";
  if (!json_is_array(ci)) {
    ci = json_object_get(est, "ci95");
    *which = "sampling";
  }
  if (!json_is_array(ci) || json_array_size(ci) != 2) {
    *lo = *hi = NAN;
    return 0;
  }
  *lo = plot_num(json_array_get(ci, 0));
  *hi = plot_num(json_array_get(ci, 1));
  return 1;
}

int plot_csv_split(char *line, char **f, int max) {
  int nf = 0;
  line[strcspn(line, "\r\n")] = 0;
  for (char *p = line; nf < max;) {
    f[nf++] = p;
    char *q = strchr(p, ',');
    if (!q) break;
    *q = 0;
    p = q + 1;
  }
  return nf;
}

void plot_csv_columns(char *header, const char *const *want, int nw, int *col) {
  char *f[128];
  int nf = plot_csv_split(header, f, 128);
  for (int k = 0; k < nw; k++) {
    col[k] = -1;
    for (int c = 0; c < nf; c++)
      if (!strcmp(f[c], want[k])) col[k] = c;
  }
}

/* A sweep or run CSV (cli_csv_header's columns) as a run document. */
static json_t *sweep_csv_doc(FILE *fp, const char *path, const char *cmd, int *code) {
  char line[4096];
  static const char *const want[] = {"defect", "species", "T", "a", "size", "barrier_shift", "runs", "D_species",
                        "D_species_sem", "D_species_lo", "D_species_hi", "D_defect", "D_defect_sem"};
  enum { NW = 13 };
  int col[NW];
  if (!fgets(line, sizeof line, fp)) return NULL;
  plot_csv_columns(line, want, NW, col);
  for (int k = 0; k < NW; k++)
    if (col[k] < 0 && k != 12) {
      *code = cli_bad(cmd, "%s: line 1: expected a column '%s' (a sweep or run CSV)", path, want[k]);
      return NULL;
    }
  json_t *res = json_array();
  long ln = 1;
  while (fgets(line, sizeof line, fp)) {
    ln++;
    char *f[64];
    int nf = plot_csv_split(line, f, 64);
    if (nf == 1 && !f[0][0]) continue;
    double v[NW];
    for (int k = 2; k < NW; k++) {
      v[k] = NAN;
      if (col[k] < 0) continue;
      if (col[k] >= nf) {
        json_decref(res);
        *code = cli_bad(cmd, "%s: line %ld: expected %d columns, got %d", path, ln, col[k] + 1, nf);
        return NULL;
      }
      char *end;
      v[k] = strtod(f[col[k]], &end);
      if (end == f[col[k]]) v[k] = NAN;
    }
    json_t *r = json_pack("{s:s,s:s,s:f,s:f,s:i,s:f,s:i}", "defect", f[col[0]], "species", f[col[1]], "T", v[2],
                          "a", v[3], "size", (int)v[4], "barrier_shift", v[5], "runs", (int)v[6]);
    json_object_set_new(r, "D_species",
                        json_pack("{s:f,s:f,s:[f,f]}", "mean", v[7], "sem", v[8], "ci95", v[9], v[10]));
    if (col[11] >= 0) json_object_set_new(r, "D_defect", json_pack("{s:f}", "mean", v[11]));
    json_array_append_new(res, r);
  }
  if (json_array_size(res) == 0) {
    json_decref(res);
    *code = cli_bad(cmd, "%s: expected at least one data row", path);
    return NULL;
  }
  return json_pack("{s:s,s:s,s:o}", "program", "ionkmc", "command", "sweep", "results", res);
}

int plot_load(const char *cmd, plot_inputs *in, const char *path) {
  if (in->nin == 64) return cli_bad(cmd, "--in: at most 64 files");
  FILE *fp = fopen(path, "r");
  if (!fp) return cli_bad(cmd, "--in %s: cannot open the file", path);
  int ch;
  while ((ch = fgetc(fp)) == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
  }
  int k = in->nin, code = 0;
  in->path[k] = path;
  in->doc[k] = NULL;
  in->csv[k] = NULL;
  if (ch == '{') {
    rewind(fp);
    json_error_t je;
    json_t *doc = json_loadf(fp, 0, &je);
    fclose(fp);
    if (!doc) return cli_bad(cmd, "%s: line %d: not valid JSON (%s)", path, je.line, je.text);
    const json_t *res = json_object_get(doc, "results"), *r0 = json_array_get(res, 0);
    if (json_is_object(json_object_get(doc, "calibration"))) in->kind[k] = PLOT_IN_CALIBRATE;
    else if (json_is_object(r0) && json_object_get(r0, "kmc_D_species")) in->kind[k] = PLOT_IN_COMPARE;
    else if (json_is_object(r0) && json_object_get(r0, "D_species")) in->kind[k] = PLOT_IN_RUN;
    else if (json_is_object(r0)) {
      json_decref(doc);
      return cli_bad(cmd, "%s: results[0]: expected the field kmc_D_species (compare) or D_species (run, sweep)",
                     path);
    } else {
      json_decref(doc);
      return cli_bad(cmd,
                     "%s: not an ionkmc output that can be plotted (expected a calibrate --report, or the "
                     "--json of compare, run or sweep)",
                     path);
    }
    in->doc[k] = doc;
    in->nin++;
    return 0;
  }
  char head[512] = "";
  if (ch != EOF) {
    head[0] = (char)ch;
    if (!fgets(head + 1, sizeof head - 1, fp)) head[1] = 0;
  }
  if (strstr(head, "time_ps,species,atom_ids")) {
    fclose(fp);
    in->kind[k] = PLOT_IN_EVENTS;
    in->csv[k] = path;
    in->nin++;
    return 0;
  }
  if (!strncmp(head, "defect,species,T,", 17)) {
    rewind(fp);
    json_t *doc = sweep_csv_doc(fp, path, cmd, &code);
    fclose(fp);
    if (!doc) return code ? code : cli_bad(cmd, "%s: empty file", path);
    in->kind[k] = PLOT_IN_RUN;
    in->doc[k] = doc;
    in->nin++;
    return 0;
  }
  fclose(fp);
  return cli_bad(cmd,
                 "%s: line 1: not an ionkmc output that can be plotted (expected JSON from calibrate, compare, "
                 "run or sweep, a sweep CSV or a calibrate --events CSV)",
                 path);
}

void plot_inputs_free(plot_inputs *in) {
  for (int k = 0; k < in->nin; k++) json_decref(in->doc[k]);
  in->nin = 0;
}
