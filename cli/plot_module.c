/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Figure primitives on PLplot (cli/plot.h), built as the module
 * libionkmc-plot.so, the one part of ionkmc that links PLplot
 * (cli/plot_module.h). */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/plot_module.h"

/* Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky
 * blue, black (yellow is too light on white for lines). cmap0 0 is the
 * background, 1 black, 2..8 the palette, 10..16 the palette translucent. */
static const int PAL[7][3] = {{0, 114, 178}, {213, 94, 0},   {0, 158, 115}, {230, 159, 0},
                              {204, 121, 167}, {86, 180, 233}, {0, 0, 0}};
#define PAL_N PLOT_NCOLORS
#define BAND_ALPHA 0.22

static int plplot_exit_handler(PLCHAR_VECTOR msg) {
  fprintf(stderr, "ionkmc: plotting library: %s\n", msg);
  return 1;
}

/* The PLplot half of plot_begin_h: the program has made f->tmp and set
 * f->fmt and f->height_in. */
static void pm_begin(plot_fig *f) {
  plsexit(plplot_exit_handler);
  static const char *dev[] = {"pngcairo", "svg", "pdfcairo"};
  plsdev(dev[f->fmt]);
  plsfnam(f->tmp);
  /* 3.5 in x 2.7 in: PNG at 300 dpi in pixels, SVG and PDF in points. */
  /* PLplot's svg driver writes integer font sizes, so the SVG is drawn on a
   * 4x page and its width and height are set back to inches at the end. */
  double height_in = f->height_in;
  if (f->fmt == PLOT_PNG) plspage(300, 300, 1050, (PLINT)(300 * height_in), 0, 0);
  else if (f->fmt == PLOT_SVG) plspage(288, 288, 1008, (PLINT)(288 * height_in), 0, 0);
  else plspage(72, 72, 252, (PLINT)(72 * height_in), 0, 0);
  plscmap0n(24);
  plscol0(0, 255, 255, 255);
  plscol0(1, 0, 0, 0);
  for (int k = 0; k < PAL_N; k++) {
    plscol0a(2 + k, PAL[k][0], PAL[k][1], PAL[k][2], 1.0);
    plscol0a(10 + k, PAL[k][0], PAL[k][1], PAL[k][2], BAND_ALPHA);
  }
  plscol0a(9, 128, 128, 128, 0.18); /* grey shading (fit windows) */
  plinit();
  pladv(0);
  plschr(0, f->fmt == PLOT_PNG ? 0.85 : 0.75);
}

/* Close the stream (the file is complete). */
static void pm_end(plot_fig *f) { plend(); }

static double tx(const plot_fig *f, double x) { return f->logx ? log10(x) : x; }
/* Remember where data went (fractions of the plot), for the legend corner. */
static void occupy(plot_fig *f, double wx, double wy) {
  if (f->nocc == PLOT_MAX_OCC) return;
  double wx0, wx1, wy0, wy1;
  plgvpw(&wx0, &wx1, &wy0, &wy1);
  f->occ[f->nocc][0] = (wx - wx0) / (wx1 - wx0);
  f->occ[f->nocc][1] = (wy - wy0) / (wy1 - wy0);
  f->nocc++;
}
static double ty(const plot_fig *f, double y) { return f->logy ? log10(y) : y; }
static int okx(const plot_fig *f, double x) { return isfinite(x) && (!f->logx || x > 0); }
static int oky(const plot_fig *f, double y) { return isfinite(y) && (!f->logy || y > 0); }

static void pm_axes(plot_fig *f, double x0, double x1, double y0, double y1, int logx, int logy,
                    const char *xlab, const char *ylab) {
  /* A log axis spanning less than 1.5 decades would carry one label at most:
   * such an axis is drawn linear. */
  if (logx && x0 > 0 && x1 / x0 < 30) logx = 0;
  if (logy && y0 > 0 && y1 / y0 < 30) logy = 0;
  f->logx = logx;
  f->logy = logy;
  f->x0 = x0;
  f->x1 = x1;
  f->y0 = y0;
  f->y1 = y1;
  plvpor(f->vp[0], f->vp[1], f->vp[2], f->vp[3]);
  f->nocc = 0;
  plwind(tx(f, x0), tx(f, x1), ty(f, y0), ty(f, y1));
  plcol0(1);
  plwidth(1.0);
  pllsty(1);
  char xo[16] = "bcnst", yo[16] = "bcnstv";
  if (logx) strcat(xo, "l");
  if (logy) strcat(yo, "l");
  plbox(xo, 0, 0, yo, 0, 0);
  plmtex("b", 3.1, 0.5, 0.5, xlab);
  plmtex("l", 4.6, 0.5, 0.5, ylab);
}

static void pm_top_T_axis(plot_fig *f) {
  static const double Ts[] = {250, 275, 300, 325, 350, 375, 400, 450, 500, 550, 600, 650, 700, 800, 900, 1000};
  double wx0, wx1, wy0, wy1;
  plgvpw(&wx0, &wx1, &wy0, &wy1);
  plcol0(1);
  plwidth(1.0);
  pllsty(1);
  double xmin = fmin(f->x0, f->x1), xmax = fmax(f->x0, f->x1), last = -1e9;
  int nt = (int)(sizeof Ts / sizeof Ts[0]);
  for (int k = 0; k < nt; k++) {
    double x = 1000 / Ts[k];
    if (x < xmin || x > xmax) continue;
    double frac = (x - f->x0) / (f->x1 - f->x0);
    if (fabs(frac - last) < 0.07) continue; /* keep labels apart */
    last = frac;
    double tick = 0.02 * (wy1 - wy0);
    pljoin(tx(f, x), wy1, tx(f, x), wy1 - tick);
    char lab[16];
    snprintf(lab, sizeof lab, "%.0f", Ts[k]);
    plmtex("t", 0.6, frac, 0.5, lab);
  }
  plmtex("t", 2.0, 0.5, 0.5, "T (K)");
}

/* mm per world unit in x and y of the current viewport. */
static void mm_per_world(double *sx, double *sy) {
  double vx0, vx1, vy0, vy1, px0, px1, py0, py1, wx0, wx1, wy0, wy1;
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  plgspa(&px0, &px1, &py0, &py1);
  plgvpw(&wx0, &wx1, &wy0, &wy1);
  *sx = (vx1 - vx0) * (px1 - px0) / (wx1 - wx0);
  *sy = (vy1 - vy0) * (py1 - py0) / (wy1 - wy0);
}

static void marker_at(double wx, double wy, plot_shape shape, double r_rel) {
  double sx, sy, def, ht;
  plgchr(&def, &ht);
  double r_mm = r_rel * ht;
  mm_per_world(&sx, &sy);
  double px[20], py[20];
  int n = 0;
  if (shape == PLOT_CIRCLE) {
    n = 16;
    for (int k = 0; k < n; k++) {
      px[k] = wx + r_mm * cos(2 * 3.14159265358979323846 * k / n) / sx;
      py[k] = wy + r_mm * sin(2 * 3.14159265358979323846 * k / n) / sy;
    }
  } else {
    static const double sq[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}},
                        tr[3][2] = {{-1.1, -0.8}, {1.1, -0.8}, {0, 1.2}},
                        di[4][2] = {{0, -1.3}, {1.3, 0}, {0, 1.3}, {-1.3, 0}};
    const double(*v)[2] = shape == PLOT_SQUARE ? sq : shape == PLOT_TRIANGLE ? tr : di;
    n = shape == PLOT_TRIANGLE ? 3 : 4;
    double s = shape == PLOT_SQUARE ? 0.85 : 1.0;
    for (int k = 0; k < n; k++) {
      px[k] = wx + s * r_mm * v[k][0] / sx;
      py[k] = wy + s * r_mm * v[k][1] / sy;
    }
  }
  plfill(n, px, py);
}

static void pm_points(plot_fig *f, int n, const double *x, const double *y, int color, plot_shape shape) {
  plcol0(color);
  for (int k = 0; k < n; k++)
    if (okx(f, x[k]) && oky(f, y[k])) {
      marker_at(tx(f, x[k]), ty(f, y[k]), shape, 0.32);
      for (int r = 0; r < 4; r++) occupy(f, tx(f, x[k]), ty(f, y[k]));
    }
}

static void pm_yerr(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color) {
  plcol0(color);
  plwidth(PLOT_ERRBAR_WIDTH);
  pllsty(1);
  for (int k = 0; k < n; k++) {
    if (!okx(f, x[k]) || !isfinite(lo[k]) || !oky(f, hi[k])) continue;
    double l = oky(f, lo[k]) ? ty(f, lo[k]) : ty(f, f->y0); /* clipped at the axis */
    pljoin(tx(f, x[k]), l, tx(f, x[k]), ty(f, hi[k]));
  }
  plwidth(1.0);
}

static void pm_xerr(plot_fig *f, int n, const double *y, const double *lo, const double *hi, int color) {
  plcol0(color);
  plwidth(PLOT_ERRBAR_WIDTH);
  pllsty(1);
  for (int k = 0; k < n; k++) {
    if (!oky(f, y[k]) || !isfinite(lo[k]) || !okx(f, hi[k])) continue;
    double l = okx(f, lo[k]) ? tx(f, lo[k]) : tx(f, f->x0);
    pljoin(l, ty(f, y[k]), tx(f, hi[k]), ty(f, y[k]));
  }
  plwidth(1.0);
}

static void pm_line(plot_fig *f, int n, const double *x, const double *y, int color, plot_style style,
                    double width) {
  double *px = malloc(sizeof(double) * (size_t)(n + 1)), *py = malloc(sizeof(double) * (size_t)(n + 1));
  if (!px || !py) {
    free(px);
    free(py);
    return;
  }
  plcol0(color);
  plwidth(width);
  pllsty(style);
  int m = 0;
  for (int k = 0; k <= n; k++) {
    if (k < n && okx(f, x[k]) && oky(f, y[k])) {
      px[m] = tx(f, x[k]);
      py[m++] = ty(f, y[k]);
      if (m >= 2) /* points along the segment */
        for (int r = 1; r <= 4; r++)
          occupy(f, px[m - 2] + (px[m - 1] - px[m - 2]) * r / 4, py[m - 2] + (py[m - 1] - py[m - 2]) * r / 4);
      continue;
    }
    if (m >= 2) plline(m, px, py); /* a gap ends a piece */
    m = 0;
  }
  pllsty(1);
  plwidth(1.0);
  free(px);
  free(py);
}

static void pm_band(plot_fig *f, int n, const double *x, const double *lo, const double *hi, int color) {
  double *px = malloc(sizeof(double) * 2 * (size_t)n), *py = malloc(sizeof(double) * 2 * (size_t)n);
  if (!px || !py) {
    free(px);
    free(py);
    return;
  }
  int m = 0;
  for (int k = 0; k < n; k++)
    if (okx(f, x[k]) && oky(f, hi[k])) {
      px[m] = tx(f, x[k]);
      py[m++] = ty(f, hi[k]);
    }
  for (int k = n - 1; k >= 0; k--)
    if (okx(f, x[k]) && oky(f, hi[k])) {
      px[m] = tx(f, x[k]);
      py[m++] = oky(f, lo[k]) ? ty(f, lo[k]) : ty(f, f->y0);
    }
  if (m >= 3) {
    plcol0(color >= 2 && color < 2 + PAL_N ? color + 8 : 9);
    plfill(m, px, py);
    for (int k = 0; k < m / 2; k++) /* the band's middle */
      occupy(f, px[k], 0.5 * (py[k] + py[m - 1 - k]));
  }
  free(px);
  free(py);
}

static void pm_vspan(plot_fig *f, double a, double b, int color) {
  if (!okx(f, a) || !okx(f, b)) return;
  double px[4] = {tx(f, a), tx(f, b), tx(f, b), tx(f, a)};
  double py[4] = {ty(f, f->y0), ty(f, f->y0), ty(f, f->y1), ty(f, f->y1)};
  plcol0(color >= 2 && color < 2 + PAL_N ? color + 8 : 9);
  plfill(4, px, py);
}

static void pm_vline(plot_fig *f, double x, int color, plot_style style, const char *label) {
  if (!okx(f, x)) return;
  plcol0(color);
  pllsty(style);
  plwidth(1.0);
  pljoin(tx(f, x), ty(f, f->y0), tx(f, x), ty(f, f->y1));
  pllsty(1);
  if (label) {
    double wx0, wx1, wy0, wy1;
    plgvpw(&wx0, &wx1, &wy0, &wy1);
    double xw = tx(f, x), right = (xw - wx0) / (wx1 - wx0) > 0.8;
    plcol0(1);
    plptex(xw + (right ? -0.01 : 0.01) * (wx1 - wx0), wy0 + 0.05 * (wy1 - wy0), 1, 0, right ? 1.0 : 0.0, label);
  }
}

static void pm_note(plot_fig *f, double fx, double fy, double just, const char *text) {
  double wx0, wx1, wy0, wy1;
  plgvpw(&wx0, &wx1, &wy0, &wy1);
  plcol0(1);
  plptex(wx0 + fx * (wx1 - wx0), wy0 + fy * (wy1 - wy0), 1, 0, just, text);
}

/* Data positions inside the box [x0, x1] x [y0, y1] (fractions). */
static int occupied(const plot_fig *f, double x0, double x1, double y0, double y1) {
  int n = 0;
  for (int k = 0; k < f->nocc; k++)
    n += f->occ[k][0] >= x0 && f->occ[k][0] <= x1 && f->occ[k][1] >= y0 && f->occ[k][1] <= y1;
  return n;
}

static void pm_legend_draw(plot_fig *f, const char *corner) {
  if (f->nleg == 0) return;
  double wx0, wx1, wy0, wy1, def, ht;
  plgvpw(&wx0, &wx1, &wy0, &wy1);
  plschr(0, f->fmt == PLOT_PNG ? 0.68 : 0.6);
  plgchr(&def, &ht);
  double sx, sy;
  mm_per_world(&sx, &sy);
  double row = 1.75 * ht / sy, sample = 5.0 / sx, pad = 1.2 / sx;
  /* Width from the longest label (about 0.62 em per character). */
  size_t maxlen = 0;
  for (int k = 0; k < f->nleg; k++) {
    size_t n = 0;
    for (const char *p = f->leg[k].label; *p; p++)
      if (*p != '#' && (p == f->leg[k].label || p[-1] != '#')) n++;
    if (n > maxlen) maxlen = n;
  }
  double w = sample + 3 * pad + 0.78 * ht * (double)maxlen / sx, h = row * (f->nleg + 0.4);
  if (!corner) { /* the corner with the least data under the box */
    static const char *const C[4] = {"ur", "ul", "lr", "ll"};
    double fw = (w + pad) / (wx1 - wx0), fh = (h + pad * sx / sy) / (wy1 - wy0);
    int best = -1, bn = 0;
    for (int c = 0; c < 4; c++) {
      int r = C[c][1] == 'r', t = C[c][0] == 'u';
      int n = occupied(f, r ? 1 - fw : 0, r ? 1 : fw, t ? 1 - fh : 0, t ? 1 : fh);
      if (best < 0 || n < bn) {
        best = c;
        bn = n;
      }
    }
    corner = C[best];
  }
  int right = corner[1] == 'r', top = corner[0] == 'u';
  double xl = right ? wx1 - w - pad : wx0 + pad, yt = top ? wy1 - pad * sx / sy : wy0 + h + pad * sx / sy;
  double bx[4] = {xl, xl + w, xl + w, xl}, by[4] = {yt, yt, yt - h, yt - h};
  plcol0(0);
  plfill(4, bx, by);
  for (int k = 0; k < f->nleg; k++) {
    const plot_legend_item *it = &f->leg[k];
    double y = yt - row * (k + 0.7), xs = xl + pad;
    if (it->kind == 2) {
      double px[4] = {xs, xs + sample, xs + sample, xs}, py[4] = {y - 0.3 * row, y - 0.3 * row, y + 0.3 * row,
                                                                  y + 0.3 * row};
      plcol0(it->color >= 2 && it->color < 2 + PAL_N ? it->color + 8 : 9);
      plfill(4, px, py);
    }
    if (it->kind == 1 || it->kind == 3) {
      plcol0(it->color);
      pllsty(it->style);
      plwidth(2.0);
      pljoin(xs, y, xs + sample, y);
      pllsty(1);
      plwidth(1.0);
    }
    if (it->kind == 0 || it->kind == 3) {
      plcol0(it->color);
      marker_at(xs + 0.5 * sample, y, (plot_shape)it->shape, 0.32);
    }
    plcol0(1);
    plptex(xs + sample + pad, y, 1, 0, 0, it->label);
  }
  plschr(0, f->fmt == PLOT_PNG ? 0.85 : 0.75);
}

__attribute__((visibility("default"))) const plot_module_table *ionkmc_plot_module_v1(void) {
  static const plot_module_table t = {PLOT_MODULE_ABI, sizeof t, pm_begin, pm_end, pm_axes, pm_top_T_axis,
                                      pm_points, pm_yerr, pm_xerr, pm_line, pm_band, pm_vspan, pm_vline,
                                      pm_note, pm_legend_draw};
  return &t;
}
