/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Figures (cli/plot.h): the files, the layout and the legend's entries here,
 * the drawing in the plotting module (cli/plot_module.h), loaded at the first
 * figure. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/module.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/plot.h"
#include "cli/plot_module.h"

static ionkmc_module plot_mod = IONKMC_MODULE_INIT(
    .file = PLOT_MODULE_FILE, .env = "IONKMC_PLOT_MODULE", .entry = PLOT_MODULE_SYMBOL,
    .what = "the plotting module", .abi = PLOT_MODULE_ABI, .size = sizeof(plot_module_table));
static const plot_module_table *P; /* set by the first plot_begin (figures are drawn by one thread) */

int plot_color(int k) { return 2 + ((k % PLOT_NCOLORS) + PLOT_NCOLORS) % PLOT_NCOLORS; }

int plot_format_of(const char *cmd, const char *opt, const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && !strcmp(dot, ".png")) return PLOT_PNG;
  if (dot && !strcmp(dot, ".svg")) return PLOT_SVG;
  if (dot && !strcmp(dot, ".pdf")) return PLOT_PDF;
  cli_bad(cmd, "--%s %s: expected a file name ending in .png, .svg or .pdf", opt, path);
  return -1;
}

int plot_begin(plot_fig *f, const char *cmd, const char *opt, const char *path) {
  return plot_begin_h(f, cmd, opt, path, 2.7);
}

int plot_begin_h(plot_fig *f, const char *cmd, const char *opt, const char *path, double height_in) {
  memset(f, 0, sizeof *f);
  f->cmd = cmd;
  int fmt = plot_format_of(cmd, opt, path);
  if (fmt < 0) return EXIT_BAD_INPUT;
  f->fmt = (plot_format)fmt;
  if (strlen(path) + 16 >= sizeof f->path)
    return cli_bad(cmd, "--%s: path too long", opt);
  ionkmc_error err;
  if (!(P = ionkmc_module_get(&plot_mod, &err, NULL))) return cli_fail(cmd, "%s", err.text);
  snprintf(f->path, sizeof f->path, "%s", path);
  snprintf(f->tmp, sizeof f->tmp, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(f->tmp);
  if (fd < 0) {
    f->tmp[0] = 0;
    return cli_bad(cmd, "--%s %s: cannot write there (%s)", opt, path, strerror(errno));
  }
  mode_t um = umask(0);
  umask(um);
  if (fchmod(fd, 0666 & ~um) != 0) { /* as an ordinary new file */
  }
  close(fd);
  f->height_in = height_in;
  f->vp[0] = 0.2;
  f->vp[1] = 0.96;
  f->vp[2] = 0.16;
  f->vp[3] = 0.86;
  P->begin(f);
  return 0;
}

void plot_panel(plot_fig *f, int k, int n) {
  double h = 1.0 / n, top = 1.0 - k * h;
  f->vp[0] = 0.2;
  f->vp[1] = 0.96;
  f->vp[2] = top - h + 0.16 * h;
  f->vp[3] = top - (k == 0 ? 0.12 : 0.06) * h;
  f->nleg = 0;
}

void plot_limits(double lo, double hi, int logaxis, double *a, double *b) {
  if (!isfinite(lo) || !isfinite(hi)) lo = hi = logaxis ? 1 : 0;
  if (logaxis) {
    if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
    if (!(hi > 0)) hi = lo * 10;
    double l0 = log10(lo), l1 = log10(hi);
    double pad = 0.06 * (l1 - l0 > 0.3 ? l1 - l0 : 0.3);
    *a = pow(10, l0 - pad);
    *b = pow(10, l1 + pad);
    if (l1 - l0 < 0.5) {
      double m = 0.5 * (l0 + l1);
      *a = pow(10, m - 0.35);
      *b = pow(10, m + 0.35);
    }
  } else {
    double d = hi - lo;
    if (!(d > 0)) d = fabs(hi) > 0 ? fabs(hi) * 0.2 : 1;
    *a = lo - 0.06 * d;
    *b = hi + 0.06 * d;
  }
}

void plot_legend_add(plot_fig *f, const char *label, int color, int shape, int style, int kind) {
  if (f->nleg == PLOT_MAX_LEGEND) return;
  plot_legend_item *it = &f->leg[f->nleg++];
  snprintf(it->label, sizeof it->label, "%s", label);
  it->color = color;
  it->shape = shape;
  it->style = style;
  it->kind = kind;
}

/* The drawing itself is the module's. */
void plot_axes(plot_fig *f, double x0, double x1, double y0, double y1, int logx, int logy,
               const char *xlab, const char *ylab) {
  P->axes(f, x0, x1, y0, y1, logx, logy, xlab, ylab);
}
void plot_top_T_axis(plot_fig *f) { P->top_T_axis(f); }
void plot_points(plot_fig *f, int n, const double *x, const double *y, int color, plot_shape shape) {
  P->points(f, n, x, y, color, shape);
}
void plot_yerr(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color) {
  P->yerr(f, n, x, lo, hi, color);
}
void plot_xerr(plot_fig *f, int n, const double *y, const double *lo, const double *hi, int color) {
  P->xerr(f, n, y, lo, hi, color);
}
void plot_line(plot_fig *f, int n, const double *x, const double *y, int color, plot_style style,
               double width) {
  P->line(f, n, x, y, color, style, width);
}
void plot_band(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color) {
  P->band(f, n, x, lo, hi, color);
}
void plot_vspan(plot_fig *f, double a, double b, int color) { P->vspan(f, a, b, color); }
void plot_vline(plot_fig *f, double x, int color, plot_style style, const char *label) {
  P->vline(f, x, color, style, label);
}
void plot_note(plot_fig *f, double fx, double fy, double just, const char *text) { P->note(f, fx, fy, just, text); }
void plot_legend_draw(plot_fig *f, const char *corner) { P->legend_draw(f, corner); }

/* Set the SVG's width and height attributes to the figure size in inches
 * (the viewBox keeps the drawing's own units). */
static int svg_size_inches(const plot_fig *f) {
  FILE *fp = fopen(f->tmp, "rb");
  if (!fp) return -1;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  rewind(fp);
  char *buf = n > 0 ? malloc((size_t)n + 1) : NULL;
  if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
    free(buf);
    fclose(fp);
    return -1;
  }
  fclose(fp);
  buf[n] = 0;
  char *w = strstr(buf, "width=\""), *h = strstr(buf, "height=\"");
  char *we = w ? strchr(w + 7, '"') : NULL, *he = h ? strchr(h + 8, '"') : NULL;
  int st = -1;
  if (we && he && w < h && (fp = fopen(f->tmp, "wb"))) {
    fwrite(buf, 1, (size_t)(w - buf), fp);
    fprintf(fp, "width=\"3.5in\"");
    fwrite(we + 1, 1, (size_t)(h - we - 1), fp);
    fprintf(fp, "height=\"%.3gin\"", f->height_in);
    fputs(he + 1, fp);
    st = fclose(fp) == 0 ? 0 : -1;
  }
  free(buf);
  return st;
}

int plot_end(plot_fig *f) {
  P->end(f);
  if (f->fmt == PLOT_SVG && svg_size_inches(f) != 0) {
    remove(f->tmp);
    return cli_fail(f->cmd, "%s: cannot finish the SVG", f->path);
  }
  if (rename(f->tmp, f->path) != 0) {
    int e = errno;
    remove(f->tmp);
    return cli_bad(f->cmd, "%s: cannot write the figure (%s)", f->path, strerror(e));
  }
  f->tmp[0] = 0;
  return 0;
}

void plot_abort(plot_fig *f) {
  if (P) P->end(f);
  if (f->tmp[0]) remove(f->tmp);
  f->tmp[0] = 0;
}
