/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: the interface between the program and the
 * plotting module (libionkmc-plot.so).
 *
 * PLplot and its cairo, freetype and qhull libraries are not linked by the
 * program: cli/plot_module.c, the drawing primitives of cli/plot.h that call
 * PLplot, is built as a shared module of its own, and cli/plot_draw.c opens
 * it through the module loader of base/module.h ($IONKMC_PLOT_MODULE, then
 * next to the program, then the install libdir) at the first figure. A
 * command that draws no figure never maps PLplot.
 *
 * The module exports one symbol, PLOT_MODULE_SYMBOL, a function that returns
 * its table (static storage). begin opens the PLplot stream on f->tmp
 * (f->fmt, f->height_in set; the file exists), end closes it; the others are
 * the cli/plot.h functions of the same names. The module calls nothing of the
 * program; every other symbol of it is hidden.
 */
#ifndef IONKMC_CLI_PLOT_MODULE_H
#define IONKMC_CLI_PLOT_MODULE_H

#include <stddef.h>

#include "cli/plot.h"

#define PLOT_MODULE_ABI 1
#define PLOT_MODULE_FILE "libionkmc-plot.so"
#define PLOT_MODULE_SYMBOL "ionkmc_plot_module_v1"
/* The palette's size (plot_color cycles through it). */
#define PLOT_NCOLORS 7

typedef struct {
  int abi;     /* PLOT_MODULE_ABI */
  size_t size; /* sizeof (plot_module_table) */
  void (*begin)(plot_fig *f);
  void (*end)(plot_fig *f);
  void (*axes)(plot_fig *f, double x0, double x1, double y0, double y1, int logx, int logy, const char *xlab,
               const char *ylab);
  void (*top_T_axis)(plot_fig *f);
  void (*points)(plot_fig *f, int n, const double *x, const double *y, int color, plot_shape shape);
  void (*yerr)(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color);
  void (*xerr)(plot_fig *f, int n, const double *y, const double *lo, const double *hi, int color);
  void (*line)(plot_fig *f, int n, const double *x, const double *y, int color, plot_style style, double width);
  void (*band)(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color);
  void (*vspan)(plot_fig *f, double a, double b, int color);
  void (*vline)(plot_fig *f, double x, int color, plot_style style, const char *label);
  void (*note)(plot_fig *f, double fx, double fy, double just, const char *text);
  void (*legend_draw)(plot_fig *f, const char *corner);
} plot_module_table;

#endif
