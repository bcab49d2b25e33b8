/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: figures (PLplot) for `ionkmc plot` and
 * `ionkmc report`.
 *
 * Conventions
 *   A figure is one panel sized for a single journal column (3.5 in wide):
 *   PNG 300 dpi (pngcairo), PDF (pdfcairo) and SVG (PLplot's own svg driver,
 *   whose text stays text: searchable, editable, and selectable when the SVG
 *   is inlined in the HTML report). Colours are the Okabe-Ito palette (safe
 *   for the common colour-vision deficiencies), and series also differ in
 *   marker shape and line style.
 *   Data coordinates are the plotted quantities themselves; an axis given as
 *   logarithmic takes log10 internally, and values <= 0 or non-finite on such
 *   an axis are skipped (an interval's lower end is clipped to the axis).
 *   In SVG, every data marker is one filled polygon of opacity 1 and every
 *   error bar one polyline of width PLOT_ERRBAR_WIDTH, so a figure can be
 *   checked by counting them (tests/cli_plot.sh).
 * Ownership: plot_fig is the caller's; plot_begin renders into a temporary
 * file that plot_end renames into place (or plot_abort removes).
 */
#ifndef IONKMC_CLI_PLOT_H
#define IONKMC_CLI_PLOT_H

#include <jansson.h>

#define PLOT_MAX_LEGEND 24
#define PLOT_MAX_OCC 4096
#define PLOT_ERRBAR_WIDTH 1.25

typedef enum { PLOT_PNG, PLOT_SVG, PLOT_PDF } plot_format;
typedef enum { PLOT_CIRCLE, PLOT_SQUARE, PLOT_TRIANGLE, PLOT_DIAMOND, PLOT_NSHAPES } plot_shape;
typedef enum { PLOT_SOLID = 1, PLOT_DASHED = 3, PLOT_DOTTED = 2, PLOT_DASHDOT = 8 } plot_style;

typedef struct {
  char label[128];
  int color, shape, style, kind; /* kind: 0 marker, 1 line, 2 band, 3 marker + line */
} plot_legend_item;

typedef struct {
  const char *cmd;
  char path[4096]; /* destination */
  char tmp[4096];  /* temporary being written */
  plot_format fmt;
  double height_in;
  int logx, logy;
  double x0, x1, y0, y1; /* data limits (not log) */
  double vp[4]; /* viewport of the current panel (normalized) */
  int nleg;
  plot_legend_item leg[PLOT_MAX_LEGEND];
  int nocc;
  double occ[PLOT_MAX_OCC][2]; /* where data was drawn (fractions of the plot) */
} plot_fig;

/* The format of a figure path by its extension (.png, .svg, .pdf); -1 with
 * a message naming the option otherwise. */
int plot_format_of(const char *cmd, const char *opt, const char *path);
/* Start a figure written to path (format from the extension). 0, or the exit
 * status after one line on stderr (unknown extension, unwritable directory). */
int plot_begin(plot_fig *f, const char *cmd, const char *opt, const char *path);
/* The same with a height in inches (width 3.5 in). */
int plot_begin_h(plot_fig *f, const char *cmd, const char *opt, const char *path, double height_in);
/* Use panel k of n stacked vertically (from the top) for the next axes. */
void plot_panel(plot_fig *f, int k, int n);
/* Axes with data limits, log flags and labels (PLplot text escapes: #u #d
 * super/subscript, #g Greek). */
void plot_axes(plot_fig *f, double x0, double x1, double y0, double y1, int logx, int logy,
               const char *xlab, const char *ylab);
/* A second x axis on top labelled in T (K) for an x axis of 1000/T (1/K). */
void plot_top_T_axis(plot_fig *f);
/* Palette colour index (0..6 cycle) of series k. */
int plot_color(int k);
void plot_points(plot_fig *f, int n, const double *x, const double *y, int color, plot_shape shape);
void plot_yerr(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color);
void plot_xerr(plot_fig *f, int n, const double *y, const double *lo, const double *hi, int color);
void plot_line(plot_fig *f, int n, const double *x, const double *y, int color, plot_style style,
               double width);
/* Shaded band between lo(x) and hi(x) (translucent). */
void plot_band(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color);
/* Shaded vertical span x in [a, b] over the whole plot. */
void plot_vspan(plot_fig *f, double a, double b, int color);
/* Vertical line at x with a label at its top. */
void plot_vline(plot_fig *f, double x, int color, plot_style style, const char *label);
/* A text note at fractional position (fx, fy) of the plot area. */
void plot_note(plot_fig *f, double fx, double fy, double just, const char *text);
void plot_legend_add(plot_fig *f, const char *label, int color, int shape, int style, int kind);
/* Draw the legend in a corner: "ur", "ul", "lr" or "ll", or NULL for the
 * corner that hides the least data. */
void plot_legend_draw(plot_fig *f, const char *corner);
/* Finish and rename into place. 0 or the exit status. */
int plot_end(plot_fig *f);
/* Abandon a started figure (the temporary is removed). */
void plot_abort(plot_fig *f);

/* Nice limits for data in [lo, hi] (log: decades; linear: 5% margins). */
void plot_limits(double lo, double hi, int logaxis, double *a, double *b);

/* The figure kinds; each takes the loaded inputs and writes one figure.
 * 0, or the exit status after one line on stderr. */
typedef struct {
  int nin;
  const char *path[64];
  json_t *doc[64];     /* JSON inputs (NULL for CSV) */
  int kind[64];        /* PLOT_IN_* */
  const char *csv[64]; /* CSV inputs: the path again (read by the kind) */
  double predict[16];
  int npredict;
  const char *x;       /* sweep: the swept parameter (NULL: auto) */
  const char *quantity; /* arrhenius: "rate" or "D" (NULL: auto); sweep: D, D_defect, mobility */
  const char *title;
} plot_inputs;

enum { PLOT_IN_CALIBRATE = 1, PLOT_IN_COMPARE, PLOT_IN_RUN, PLOT_IN_EVENTS, PLOT_IN_SWEEP_CSV };

/* Load --in files: JSON (calibrate report, compare, run/sweep) or CSV (event
 * log, sweep CSV), classified by content. 0 or the exit status. */
int plot_load(const char *cmd, plot_inputs *in, const char *path);
void plot_inputs_free(plot_inputs *in);
/* Split a CSV line in place at commas (the line end removed) into f[max];
 * returns the number of fields. */
int plot_csv_split(char *line, char **f, int max);
/* Column index of each wanted name in a header line (-1 if absent). */
void plot_csv_columns(char *header, const char *const *want, int nw, int *col);

typedef int (*plot_kind_fn)(const char *cmd, const plot_inputs *in, const char *out);
int plot_arrhenius(const char *cmd, const plot_inputs *in, const char *out);
int plot_msd(const char *cmd, const plot_inputs *in, const char *out);
int plot_parity(const char *cmd, const plot_inputs *in, const char *out);
int plot_sweep(const char *cmd, const plot_inputs *in, const char *out);
int plot_hops(const char *cmd, const plot_inputs *in, const char *out);

/* Parse --predict "T[,T...]" (K, up to 16). 0 or the exit status. */
/* Options plot and report share (cli/opt.h): --in FILE (repeat). */
typedef struct {
  const char *path[64];
  int n;
} plot_paths_arg;
int plot_opt_in(const char *cmd, const char *opt, const char *arg, void *field); /* plot_paths_arg */

/* A KMC interval: ci95_total when the estimate has it, else ci95; *which
 * names it ("total" or "sampling"). 0 if neither is there. */
int plot_kmc_interval(const json_t *est, double *lo, double *hi, const char **which);
/* Number of a JSON value (NAN for null or missing). */
double plot_num(const json_t *v);

#endif
