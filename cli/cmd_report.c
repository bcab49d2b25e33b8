/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc report: one self-contained HTML file (figures inline as SVG, tables,
 * settings and provenance, warnings) from calibrate, compare and run outputs. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/plot.h"

static const char HEAD[] =
    "usage: ionkmc report --in FILE [--in FILE ...] --out REPORT.html [options]\n"
    "\n"
    "One HTML file that opens from disk with nothing else: the settings and\n"
    "provenance of every input, the calibration tables (rates with Garwood\n"
    "intervals, fits, predictions, hysteresis), KMC against MD, the KMC runs,\n"
    "the figures of `ionkmc plot` inline as SVG, and warnings (overdispersion,\n"
    "unclassified events, disagreement with MD, sampling-only intervals, ...).\n"
    "Inputs as for `ionkmc plot`: a calibrate --report, the --json of compare, run\n"
    "or sweep, a sweep CSV, a calibrate --events CSV.\n"
    "\n"
;

typedef struct {
  plot_paths_arg in;
  cli_temps_arg predict;
  const char *out, *title;
} report_opts;

static void report_defaults(void *p) { ((report_opts *)p)->title = "ionkmc report"; }

#define S report_opts
static const cli_option OPTS[] = {
    CLI_OPT_CUSTOM("in", in, "FILE", plot_opt_in, "required", "an input (repeat)"),
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "FILE", .def = "required",
     .help = "the HTML file to write"},
    CLI_OPT_CUSTOM("predict", predict, "T[,T...]", cli_parse_temps, "the report's",
                   "temperatures (K) of the predictions in the Arrhenius figure"),
    CLI_OPT_STR("title", title, "TEXT", "the report's title"),
};
#undef S

const cli_command CLI_CMD_REPORT = {"report", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(report_opts), report_defaults,
                                    NULL};

static void esc(FILE *fp, const char *s) {
  for (; s && *s; s++) {
    if (*s == '<') fputs("&lt;", fp);
    else if (*s == '>') fputs("&gt;", fp);
    else if (*s == '&') fputs("&amp;", fp);
    else if (*s == '"') fputs("&quot;", fp);
    else fputc(*s, fp);
  }
}

/* A JSON value as table text: numbers with 4 significant digits. */
static void cell(FILE *fp, const json_t *v) {
  fputs("<td>", fp);
  if (json_is_integer(v)) fprintf(fp, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v)) fprintf(fp, "%.4g", json_real_value(v));
  else if (json_is_string(v)) esc(fp, json_string_value(v));
  else if (json_is_true(v)) fputs("yes", fp);
  else if (json_is_false(v)) fputs("no", fp);
  else if (json_is_array(v) || json_is_object(v)) {
    char *t = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(4));
    esc(fp, t);
    free(t);
  } else fputs("&ndash;", fp);
  fputs("</td>", fp);
}

/* Cells of the fields keys[] (NULL-terminated) of obj. */
static void cells(FILE *fp, const json_t *obj, const char *const *keys) {
  for (; *keys; keys++) cell(fp, json_object_get(obj, *keys));
}

static void est_cell(FILE *fp, const json_t *e, int kmc) {
  double m = plot_num(json_object_get(e, "mean")), lo, hi;
  const char *which = "sampling";
  if (kmc) plot_kmc_interval(e, &lo, &hi, &which);
  else {
    lo = plot_num(json_array_get(json_object_get(e, "ci95"), 0));
    hi = plot_num(json_array_get(json_object_get(e, "ci95"), 1));
  }
  if (!isfinite(m)) fputs("<td>&ndash;</td>", fp);
  else fprintf(fp, "<td>%.4g [%.3e, %.3e]%s</td>", m, lo, hi, kmc && !strcmp(which, "total") ? " (total)" : "");
}

/* Warnings, gathered while the tables are written. */
typedef struct {
  int n;
  char text[64][320];
} warnings;

static void warn(warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(warnings *w, const char *fmt, ...) {
  if (w->n == 64) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->text[w->n++], sizeof w->text[0], fmt, ap);
  va_end(ap);
}

static void head_row(FILE *fp, const char *const *h) {
  fputs("<tr>", fp);
  for (; *h; h++) fprintf(fp, "<th>%s</th>", *h);
  fputs("</tr>\n", fp);
}

static void calibrate_section(FILE *fp, const char *path, const json_t *doc, warnings *w) {
  const json_t *cal = json_object_get(doc, "calibration"), *hp = json_object_get(cal, "hop_detection");
  fputs("<h3>Calibration: ", fp);
  esc(fp, path);
  fputs("</h3>\n<table>", fp);
  const char *keys[] = {"defect", "mechanism", "paths", "fit_used"};
  for (int k = 0; k < 4; k++) {
    fprintf(fp, "<tr><th>%s</th>", keys[k]);
    cell(fp, json_object_get(cal, keys[k]));
    fputs("</tr>", fp);
  }
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)hp, key, v) {
    fputs("<tr><th>", fp);
    esc(fp, key);
    fputs("</th>", fp);
    cell(fp, v);
    fputs("</tr>", fp);
  }
  fputs("</table>\n<h4>MD runs</h4>\n<table>", fp);
  static const char *const rh[] = {"file", "T (K)", "L", "atoms", "frames", "time (ps)", "frame dt (ps)", "a (&Aring;)",
                                   "events", "atom hops", "back-hops", "rejected excursions", NULL};
  head_row(fp, rh);
  const json_t *runs = json_object_get(cal, "runs");
  for (size_t r = 0; r < json_array_size(runs); r++) {
    const json_t *o = json_array_get(runs, r);
    fputs("<tr>", fp);
    static const char *const f[] = {"file", "T", "L", "atoms", "frames", "time_ps", "frame_dt_ps", "a_mean_A",
                                    "events", "atom_hops", "back_hops", "rejected_excursions", NULL};
    cells(fp, o, f);
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n<h4>Rates per temperature (per path; Garwood 95%)</h4>\n<table>", fp);
  static const char *const th[] = {"T (K)", "runs", "a (&Aring;)", "events", "exposure (defect s)", "rate (1/s)",
                                   "95% interval", "overdispersion p", "MD D<sub>species</sub> [t 95%] (cm&sup2;/s)",
                                   "back-hop fraction", "unclassified", NULL};
  head_row(fp, th);
  const json_t *temps = json_object_get(cal, "temperatures");
  for (size_t q = 0; q < json_array_size(temps); q++) {
    const json_t *t = json_array_get(temps, q);
    double T = plot_num(json_object_get(t, "T"));
    fputs("<tr>", fp);
    static const char *const tk[] = {"T", "runs", "a_mean_A", "count", "exposure_defect_s", "rate_per_path_s", NULL};
    cells(fp, t, tk);
    fprintf(fp, "<td>[%.3g, %.3g]</td>", plot_num(json_object_get(t, "rate_ci95_lo")),
            plot_num(json_object_get(t, "rate_ci95_hi")));
    cell(fp, json_object_get(t, "overdispersion_p"));
    est_cell(fp, json_object_get(t, "md_D_species"), 0);
    cell(fp, json_object_get(json_object_get(t, "hysteresis"), "back_hop_fraction"));
    cell(fp, json_object_get(t, "unclassified_events"));
    fputs("</tr>\n", fp);
    double p = plot_num(json_object_get(t, "overdispersion_p"));
    if (p < 0.05) warn(w, "%g K: the runs' counts are overdispersed (Pearson p = %.3g): the Poisson interval is too narrow", T, p);
    double u = plot_num(json_object_get(t, "unclassified_events"));
    if (u > 0) warn(w, "%g K: %.0f unclassified events (not counted in the rate)", T, u);
    double dlo = plot_num(json_array_get(json_object_get(json_object_get(t, "md_D_species"), "ci95"), 0));
    if (dlo < 0) warn(w, "%g K: the Student-t interval of the MD D crosses zero (%.3g); figures clip it at the axis", T, dlo);
    const json_t *alts = json_object_get(json_object_get(t, "hysteresis"), "counts_with_settings");
    for (size_t a = 0; a < json_array_size(alts); a++) {
      double r = plot_num(json_object_get(json_array_get(alts, a), "ratio_to_nominal"));
      if (isfinite(r) && (r < 0.8 || r > 1.25))
        warn(w, "%g K: the event count changes by a factor %.3g with %s: hop detection is sensitive to its settings", T, r,
             json_string_value(json_object_get(json_array_get(alts, a), "setting")));
    }
  }
  fputs("</table>\n<h4>Fits</h4>\n<table>", fp);
  static const char *const fh[] = {"fit", "Ea (eV)", "&plusmn; SE", "&nu; (1/s per path)", "ln &nu; &plusmn; SE",
                                   "deviance", "p", NULL};
  head_row(fp, fh);
  const char *fits[] = {"arrhenius_fit", "neb_fixed_fit"};
  for (int k = 0; k < 2; k++) {
    const json_t *f = json_object_get(cal, fits[k]);
    if (!f) continue;
    fprintf(fp, "<tr><td>%s</td>", k ? "NEB-fixed barrier" : "Poisson ML Arrhenius");
    static const char *const fk[] = {"Ea_eV", "Ea_se_eV", "nu_per_path_s", NULL};
    cells(fp, f, fk);
    fprintf(fp, "<td>%.4g &plusmn; %.3g</td>", plot_num(json_object_get(f, "ln_nu")),
            plot_num(json_object_get(f, "ln_nu_se")));
    cell(fp, json_object_get(f, "deviance"));
    cell(fp, json_object_get(f, "p_value"));
    fputs("</tr>\n", fp);
    double p = plot_num(json_object_get(f, "p_value"));
    if (p < 0.05) warn(w, "the %s does not describe the rates (deviance p = %.3g)", k ? "NEB-fixed fit" : "Arrhenius fit", p);
  }
  fputs("</table>\n", fp);
  const json_t *af = json_object_get(cal, "arrhenius_a_fit");
  if (json_is_object(af)) {
    if (json_is_true(json_object_get(af, "separable")))
      fprintf(fp, "<p>ln k linear in 1/T and a: Eb = %.4g &plusmn; %.3g eV at a<sub>ref</sub> = %.4g &Aring;, dEb/da = %.4g &plusmn; %.3g eV/&Aring;.</p>\n",
              plot_num(json_object_get(af, "Eb_eV")), plot_num(json_object_get(af, "Eb_se_eV")),
              plot_num(json_object_get(af, "a_ref_A")), plot_num(json_object_get(af, "dEb_da_eV_per_A")),
              plot_num(json_object_get(af, "dEb_da_se_eV_per_A")));
    else
      warn(w, "temperature and lattice constant cannot be separated: %s",
           json_string_value(json_object_get(af, "reason")) ? json_string_value(json_object_get(af, "reason")) : "");
  }
  const json_t *pr = json_object_get(cal, "predictions");
  if (json_array_size(pr)) {
    fputs("<h4>Predicted rate per path (95% interval from the fit covariance)</h4>\n<table>", fp);
    static const char *const ph[] = {"T (K)", "Arrhenius fit (1/s)", "NEB-fixed fit (1/s)", NULL};
    head_row(fp, ph);
    for (size_t q = 0; q < json_array_size(pr); q++) {
      const json_t *o = json_array_get(pr, q);
      fputs("<tr>", fp);
      cell(fp, json_object_get(o, "T"));
      for (int k = 0; k < 2; k++) {
        const json_t *e = json_object_get(o, fits[k]);
        if (!e) fputs("<td>&ndash;</td>", fp);
        else
          fprintf(fp, "<td>%.4g [%.3g, %.3g]</td>", plot_num(json_object_get(e, "rate_per_path_s")),
                  plot_num(json_array_get(json_object_get(e, "ci95"), 0)),
                  plot_num(json_array_get(json_object_get(e, "ci95"), 1)));
      }
      fputs("</tr>\n", fp);
    }
    fputs("</table>\n", fp);
  }
  const json_t *neb = json_object_get(cal, "neb");
  if (neb) {
    fputs("<h4>NEB band</h4>\n<table>", fp);
    json_object_foreach((json_t *)neb, key, v) {
      fputs("<tr><th>", fp);
      esc(fp, key);
      fputs("</th>", fp);
      cell(fp, v);
      fputs("</tr>", fp);
    }
    fputs("</table>\n", fp);
    if (plot_num(json_object_get(neb, "intermediate_minima")) > 0)
      warn(w, "the NEB band has intermediate minima: the barrier may belong to two hops");
  }
  if (json_object_get(cal, "zero_events"))
    warn(w, "no events in any MD run: the catalog's nu is %s",
         json_string_value(json_object_get(json_object_get(cal, "zero_events"), "nu_used")));
}

static void compare_section(FILE *fp, const char *path, const json_t *doc, warnings *w) {
  fputs("<h3>KMC against MD: ", fp);
  esc(fp, path);
  fputs("</h3>\n<p>catalog: ", fp);
  esc(fp, json_string_value(json_object_get(doc, "catalog")));
  fprintf(fp, "; seed %lld</p>\n<table>", (long long)json_integer_value(json_object_get(doc, "seed")));
  static const char *const h[] = {"T (K)", "MD runs", "MD D (cm&sup2;/s) [t 95%]", "KMC runs", "KMC D [95%]",
                                  "MD/KMC", "agree (95%)", "MD D<sub>defect</sub>", "KMC D<sub>defect</sub>",
                                  "agree (95%)", NULL};
  head_row(fp, h);
  const json_t *res = json_object_get(doc, "results");
  for (size_t q = 0; q < json_array_size(res); q++) {
    const json_t *r = json_array_get(res, q);
    fputs("<tr>", fp);
    static const char *const ck[] = {"T", "md_runs", NULL};
    cells(fp, r, ck);
    est_cell(fp, json_object_get(r, "md_D_species"), 0);
    cell(fp, json_object_get(r, "kmc_runs"));
    est_cell(fp, json_object_get(r, "kmc_D_species"), 1);
    cell(fp, json_object_get(r, "ratio_md_over_kmc"));
    cell(fp, json_object_get(r, "agree_95"));
    est_cell(fp, json_object_get(r, "md_D_defect"), 0);
    est_cell(fp, json_object_get(r, "kmc_D_defect"), 1);
    cell(fp, json_object_get(r, "agree_D_defect_95"));
    fputs("</tr>\n", fp);
    double T = plot_num(json_object_get(r, "T"));
    if (json_is_false(json_object_get(r, "agree_95")))
      warn(w, "%g K: KMC and MD D_species disagree beyond their combined 95%% interval", T);
    if (json_is_false(json_object_get(r, "agree_D_defect_95")))
      warn(w, "%g K: KMC and MD D_defect disagree beyond their combined 95%% interval", T);
  }
  fputs("</table>\n", fp);
}

static void run_section(FILE *fp, const char *path, const json_t *doc, warnings *w) {
  fputs("<h3>KMC runs: ", fp);
  esc(fp, path);
  fputs("</h3>\n<p>", fp);
  const json_t *c = json_object_get(doc, "command");
  fputs("command: ", fp);
  if (json_is_string(c)) esc(fp, json_string_value(c));
  else if (c) {
    char *t = json_dumps(c, JSON_COMPACT);
    esc(fp, t);
    free(t);
  }
  fputs("; catalog: ", fp);
  esc(fp, json_string_value(json_object_get(doc, "catalog")));
  fputs("</p>\n<table>", fp);
  static const char *const h[] = {"defect", "T (K)", "L", "shift (eV)", "runs", "hops",
                                  "D<sub>species</sub> (cm&sup2;/s) [95%]", "D<sub>defect</sub> [95%]", "f [95%]", NULL};
  head_row(fp, h);
  const json_t *res = json_object_get(doc, "results");
  int sampling_only = 0;
  for (size_t q = 0; q < json_array_size(res); q++) {
    const json_t *r = json_array_get(res, q);
    fputs("<tr>", fp);
    static const char *const f[] = {"defect", "T", "size", "barrier_shift", "runs", "hops", NULL};
    cells(fp, r, f);
    est_cell(fp, json_object_get(r, "D_species"), 1);
    est_cell(fp, json_object_get(r, "D_defect"), 1);
    est_cell(fp, json_object_get(r, "f"), 1);
    fputs("</tr>\n", fp);
    sampling_only |= !json_object_get(json_object_get(r, "D_species"), "ci95_total");
    if (plot_num(json_object_get(r, "runs_out_of_events")) > 0)
      warn(w, "%s: %s at %g K: some runs ran out of events", path, json_string_value(json_object_get(r, "defect")),
           plot_num(json_object_get(r, "T")));
  }
  fputs("</table>\n", fp);
  if (sampling_only)
    warn(w, "%s: the KMC intervals are sampling only (no ci95_total): they leave out the catalog's uncertainty", path);
}

/* Render one kind to a temporary SVG and inline it (ids made unique). */
static int figure(FILE *fp, const char *cmd, int idx, plot_kind_fn fn, const plot_inputs *in, const char *caption) {
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/ionkmc_fig_XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) return cli_fail(cmd, "cannot create a temporary file in %s for a figure (set TMPDIR)", dir ? dir : "/tmp");
  close(fd);
  char svg[4200];
  snprintf(svg, sizeof svg, "%s.svg", path);
  int code = fn(cmd, in, svg);
  remove(path);
  if (code) return code;
  FILE *s = fopen(svg, "rb");
  if (!s) return cli_fail(cmd, "cannot read back the figure %s", svg);
  fseek(s, 0, SEEK_END);
  long n = ftell(s);
  rewind(s);
  char *buf = n > 0 ? malloc((size_t)n + 1) : NULL;
  size_t got = buf ? fread(buf, 1, (size_t)n, s) : 0;
  fclose(s);
  remove(svg);
  if (!buf || got != (size_t)n) {
    free(buf);
    return cli_fail(cmd, "cannot read back a figure");
  }
  buf[n] = 0;
  fputs("<figure>\n", fp);
  /* From <svg on, without the namespace attributes (inline SVG needs none),
   * every id prefixed with the figure's number. */
  char *p = strstr(buf, "<svg");
  while (p && *p) {
    char *q = strstr(p, "xmlns"), *id = strstr(p, "text-clipping");
    char *next = q && (!id || q < id) ? q : id;
    if (!next) {
      fputs(p, fp);
      break;
    }
    fwrite(p, 1, (size_t)(next - p), fp);
    if (next == q) { /* skip xmlns...="..." */
      char *e = strchr(q, '"');
      e = e ? strchr(e + 1, '"') : NULL;
      p = e ? e + 1 : q + 5;
    } else {
      fprintf(fp, "f%d-", idx);
      fputs("text-clipping", fp);
      p = id + 13;
    }
  }
  fputs("<figcaption>", fp);
  esc(fp, caption);
  fputs("</figcaption>\n</figure>\n", fp);
  free(buf);
  return 0;
}

static int report_main(const report_opts *o);

int cmd_report(int argc, char **argv) {
  report_opts o;
  int code = cli_parse(&CLI_CMD_REPORT, argc, argv, 2, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return report_main(&o);
}

/* The report, from the parsed options. */
static int report_main(const report_opts *o) {
  const char *cmd = "report", *out = o->out, *title = o->title;
  plot_inputs *in = calloc(1, sizeof *in);
  warnings *w = calloc(1, sizeof *w);
  if (!in || !w) {
    free(in);
    free(w);
    return cli_fail(cmd, "out of memory");
  }
  const char *const *paths = o->in.path;
  int npaths = o->in.n, code = 0;
  memcpy(in->predict, o->predict.T, sizeof o->predict.T);
  in->npredict = o->predict.n;
  ionkmc_outfile *of = NULL;
  if (!out) {
    code = cli_bad(cmd, "--out: expected the HTML file to write");
    goto done;
  }
  if (npaths == 0) {
    code = cli_bad(cmd, "--in: expected at least one input file");
    goto done;
  }
  if ((code = cli_open(cmd, "out", out, &of))) goto done;
  for (int q = 0; q < npaths && !code; q++) code = plot_load(cmd, in, paths[q]);
  if (code) goto done;
  FILE *fp = ionkmc_outfile_stream(of);
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
  esc(fp, title);
  fputs("</title>\n<style>\nbody{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}\n"
        "table{border-collapse:collapse;margin:0.5em 0 1em}td,th{border:1px solid #bbb;padding:2px 6px;"
        "font-size:90%;text-align:right}th{background:#eee}\nfigure{display:inline-block;width:30em;margin:0.5em}"
        "figure svg{width:100%;height:auto}figcaption{font-size:90%}\n.warn li{color:#a33}\n</style>\n</head>\n<body>\n<h1>",
        fp);
  esc(fp, title);
  fprintf(fp, "</h1>\n<p>Written by ionkmc %s from %d input file(s). Intervals are 95%%: MD rates Garwood (exact "
              "Poisson), MD D Student-t over runs, KMC as labelled (total = sampling and catalog; sampling = runs "
              "only).</p>\n",
          IONKMC_VERSION, in->nin);
  fputs("<h2 id=\"provenance\">Settings and provenance</h2>\n<table>\n<tr><th>file</th><th>kind</th><th>program</th>"
        "<th>version</th><th>command</th></tr>\n",
        fp);
  static const char *const KIND[] = {"", "calibrate report", "compare", "run / sweep", "event log", "sweep CSV"};
  for (int q = 0; q < in->nin; q++) {
    fputs("<tr><td>", fp);
    esc(fp, in->path[q]);
    fprintf(fp, "</td><td>%s</td>", KIND[in->kind[q]]);
    const json_t *d = in->doc[q];
    cell(fp, json_object_get(d, "program"));
    cell(fp, json_object_get(d, "version"));
    cell(fp, json_object_get(d, "command"));
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n", fp);
  int has[8] = {0};
  for (int q = 0; q < in->nin; q++) has[in->kind[q]]++;
  fputs("<h2 id=\"calibration\">Calibration</h2>\n", fp);
  if (!has[PLOT_IN_CALIBRATE]) fputs("<p>No calibrate report among the inputs.</p>\n", fp);
  for (int q = 0; q < in->nin; q++)
    if (in->kind[q] == PLOT_IN_CALIBRATE) calibrate_section(fp, in->path[q], in->doc[q], w);
  fputs("<h2 id=\"compare\">KMC against MD</h2>\n", fp);
  if (!has[PLOT_IN_COMPARE]) fputs("<p>No compare output among the inputs.</p>\n", fp);
  for (int q = 0; q < in->nin; q++)
    if (in->kind[q] == PLOT_IN_COMPARE) compare_section(fp, in->path[q], in->doc[q], w);
  fputs("<h2 id=\"runs\">KMC runs</h2>\n", fp);
  if (!has[PLOT_IN_RUN]) fputs("<p>No run or sweep output among the inputs.</p>\n", fp);
  for (int q = 0; q < in->nin; q++)
    if (in->kind[q] == PLOT_IN_RUN) run_section(fp, in->path[q], in->doc[q], w);
  fputs("<h2 id=\"figures\">Figures</h2>\n", fp);
  int nfig = 0;
  if (has[PLOT_IN_CALIBRATE] && !code)
    code = figure(fp, cmd, nfig++, plot_arrhenius, in,
                  "Arrhenius: MD rates per path, fits with 95% bands, KMC hop rates, predictions");
  if (has[PLOT_IN_CALIBRATE] && !code)
    code = figure(fp, cmd, nfig++, plot_msd, in, "MSD(t) per atom: MD per run and pooled, fit window shaded");
  if ((has[PLOT_IN_COMPARE] || has[PLOT_IN_RUN] || has[PLOT_IN_CALIBRATE]) && !code) {
    plot_inputs d = *in;
    d.quantity = "D";
    code = figure(fp, cmd, nfig++, plot_arrhenius, &d, "Arrhenius in D: MD and KMC D_species, the paper's law");
  }
  if (has[PLOT_IN_COMPARE] && !code)
    code = figure(fp, cmd, nfig++, plot_parity, in, "KMC against MD: D_species and D_defect with both intervals");
  if (has[PLOT_IN_RUN] && !code)
    code = figure(fp, cmd, nfig++, plot_sweep, in, "KMC D_species against the varied parameter");
  if (has[PLOT_IN_EVENTS] && !code)
    code = figure(fp, cmd, nfig++, plot_hops, in, "Hop statistics from the event log");
  if (code) goto done;
  if (nfig == 0) fputs("<p>No figure applies to these inputs.</p>\n", fp);
  fputs("<h2 id=\"warnings\">Warnings</h2>\n", fp);
  if (w->n == 0) fputs("<p>None.</p>\n", fp);
  else {
    fputs("<ul class=\"warn\">\n", fp);
    for (int q = 0; q < w->n; q++) {
      fputs("<li>", fp);
      esc(fp, w->text[q]);
      fputs("</li>\n", fp);
    }
    fputs("</ul>\n", fp);
  }
  fputs("</body>\n</html>\n", fp);
  code = cli_commit(cmd, &of);
done:
  ionkmc_outfile_abort(of);
  plot_inputs_free(in);
  free(in);
  free(w);
  return code;
}
