/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* `ionkmc plot hops`: hop statistics from calibrate's event log (--events).
 * Three panels: the dwell time of an atom between two of its hops per T
 * (log-spaced bins), the hop lengths (I and MA), and the fraction of hops
 * that undo the same atom's previous hop per T with its exact binomial
 * (Clopper-Pearson) 95% interval. See plot.h. */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/plot.h"

#define HOPS_MAX_T 8
#define HOPS_NBIN 24

typedef struct {
  int file;       /* index into the file names */
  int ti;         /* temperature group */
  char atoms[40]; /* atom id(s) */
  double time, len, dwell;
  int from, to, species;
} hop_row;

typedef struct {
  hop_row *r;
  size_t n, cap;
  char *files[256];
  int nfiles;
  double T[HOPS_MAX_T];
  int nT;
} hop_log;

static int cmp_hop(const void *a, const void *b) {
  const hop_row *x = a, *y = b;
  if (x->file != y->file) return x->file - y->file;
  int c = strcmp(x->atoms, y->atoms);
  if (c) return c;
  return (x->time > y->time) - (x->time < y->time);
}

static int read_log(const char *cmd, const char *path, hop_log *L) {
  FILE *fp = fopen(path, "r");
  if (!fp) return cli_bad(cmd, "--in %s: cannot open the file", path);
  char line[8192];
  static const char *const want[] = {"file", "T", "time_ps", "species", "atom_ids", "from_site", "to_site",
                        "dx_A", "dy_A", "dz_A", "dwell_ps"};
  enum { NW = 11 };
  int col[NW], code = 0;
  if (!fgets(line, sizeof line, fp)) {
    fclose(fp);
    return cli_bad(cmd, "%s: empty file", path);
  }
  plot_csv_columns(line, want, NW, col);
  for (int k = 0; k < NW; k++)
    if (col[k] < 0) {
      fclose(fp);
      return cli_bad(cmd, "%s: line 1: expected a column '%s' (a calibrate --events CSV)", path, want[k]);
    }
  long ln = 1;
  while (fgets(line, sizeof line, fp)) {
    ln++;
    char *f[32];
    int nf = plot_csv_split(line, f, 32);
    if (nf == 1 && !f[0][0]) continue;
    for (int k = 0; k < NW; k++)
      if (col[k] >= nf) {
        code = cli_bad(cmd, "%s: line %ld: expected at least %d columns, got %d", path, ln, col[k] + 1, nf);
        goto out;
      }
    double v[NW];
    for (int k = 1; k < NW; k++) {
      if (k == 3 || k == 4) continue;
      char *end;
      v[k] = strtod(f[col[k]], &end);
      if (end == f[col[k]] || *end) {
        code = cli_bad(cmd, "%s: line %ld: field '%s': expected a number, got '%s'", path, ln, want[k], f[col[k]]);
        goto out;
      }
    }
    if (L->n == L->cap) {
      size_t cap = L->cap ? 2 * L->cap : 1024;
      hop_row *nr = realloc(L->r, cap * sizeof *nr);
      if (!nr) {
        code = cli_fail(cmd, "out of memory");
        goto out;
      }
      L->r = nr;
      L->cap = cap;
    }
    hop_row *h = &L->r[L->n];
    int fi = -1;
    for (int k = 0; k < L->nfiles; k++)
      if (!strcmp(L->files[k], f[col[0]])) fi = k;
    if (fi < 0) {
      if (L->nfiles == 256) {
        code = cli_bad(cmd, "%s: line %ld: more than 256 MD files", path, ln);
        goto out;
      }
      fi = L->nfiles;
      if (!(L->files[L->nfiles++] = strdup(f[col[0]]))) {
        code = cli_fail(cmd, "out of memory");
        goto out;
      }
    }
    int ti = -1;
    for (int k = 0; k < L->nT; k++)
      if (L->T[k] == v[1]) ti = k;
    if (ti < 0) {
      if (L->nT == HOPS_MAX_T) {
        code = cli_bad(cmd, "%s: line %ld: more than %d temperatures", path, ln, HOPS_MAX_T);
        goto out;
      }
      ti = L->nT++;
      L->T[ti] = v[1];
    }
    h->file = fi;
    h->ti = ti;
    snprintf(h->atoms, sizeof h->atoms, "%s", f[col[4]]);
    h->time = v[2];
    h->species = strcmp(f[col[3]], "I") ? 1 : 0;
    h->from = (int)v[5];
    h->to = (int)v[6];
    h->len = sqrt(v[7] * v[7] + v[8] * v[8] + v[9] * v[9]);
    h->dwell = v[10];
    L->n++;
  }
  if (L->n == 0) code = cli_bad(cmd, "%s: no hops in the event log (nothing to plot)", path);
out:
  fclose(fp);
  return code;
}

int plot_hops(const char *cmd, const plot_inputs *in, const char *out) {
  hop_log L;
  memset(&L, 0, sizeof L);
  int code = 0, nlog = 0;
  for (int k = 0; k < in->nin && !code; k++)
    if (in->kind[k] == PLOT_IN_EVENTS) {
      code = read_log(cmd, in->csv[k], &L);
      nlog++;
    }
  if (!code && nlog == 0) code = cli_bad(cmd, "--in: expected the event log CSV of calibrate --events");
  if (code) goto done;
  /* Sort temperature groups ascending (relabel rows). */
  int order[HOPS_MAX_T], rank[HOPS_MAX_T];
  for (int k = 0; k < L.nT; k++) order[k] = k;
  for (int a = 1; a < L.nT; a++)
    for (int b = a; b > 0 && L.T[order[b]] < L.T[order[b - 1]]; b--) {
      int t = order[b];
      order[b] = order[b - 1];
      order[b - 1] = t;
    }
  for (int k = 0; k < L.nT; k++) rank[order[k]] = k;
  double Ts[HOPS_MAX_T];
  for (int k = 0; k < L.nT; k++) Ts[k] = L.T[order[k]];
  for (size_t j = 0; j < L.n; j++) L.r[j].ti = rank[L.r[j].ti];
  qsort(L.r, L.n, sizeof *L.r, cmp_hop);
  /* Dwell times between consecutive hops of one atom, back-hops. */
  double dmin = INFINITY, dmax = 0, thr = INFINITY, lmax = 0;
  double nback[HOPS_MAX_T] = {0}, nhop[HOPS_MAX_T] = {0};
  for (size_t j = 0; j < L.n; j++) {
    const hop_row *h = &L.r[j], *p = j ? &L.r[j - 1] : NULL;
    if (h->dwell < thr) thr = h->dwell;
    if (h->len > lmax) lmax = h->len;
    nhop[h->ti]++;
    if (p && p->file == h->file && !strcmp(p->atoms, h->atoms)) {
      double dt = h->time - p->time;
      if (dt > 0 && dt < dmin) dmin = dt;
      if (dt > dmax) dmax = dt;
      if (h->from == p->to && h->to == p->from) nback[h->ti]++;
    }
  }
  int have_dwell = dmax > 0 && isfinite(dmin);
  if (have_dwell && thr > 0 && thr < dmin) dmin = thr;
  double lb0 = have_dwell ? log10(dmin) - 0.05 : -2, lb1 = have_dwell ? log10(dmax) + 0.05 : 1;
  if (lb1 - lb0 < 1) lb1 = lb0 + 1;
  double hist[HOPS_MAX_T][HOPS_NBIN] = {{0}};
  for (size_t j = 1; j < L.n; j++) {
    const hop_row *h = &L.r[j], *p = &L.r[j - 1];
    if (p->file != h->file || strcmp(p->atoms, h->atoms) || !(h->time > p->time)) continue;
    int b = (int)((log10(h->time - p->time) - lb0) / (lb1 - lb0) * HOPS_NBIN);
    if (b >= 0 && b < HOPS_NBIN) hist[h->ti][b]++;
  }
  /* Hop lengths, 0.05 angstrom bins. */
  enum { NLB = 200 };
  double lw = 0.05, lhist[IONKMC_NSPECIES][NLB] = {{0}};
  for (size_t j = 0; j < L.n; j++) {
    int b = (int)(L.r[j].len / lw);
    if (b >= 0 && b < NLB) lhist[L.r[j].species][b]++;
  }
  plot_fig f;
  if ((code = plot_begin_h(&f, cmd, "out", out, 6.6))) goto done;
  /* Panel 1: dwell times as step lines per T (counts per bin). */
  plot_panel(&f, 0, 3);
  double ymax = 1;
  for (int t = 0; t < L.nT; t++)
    for (int b = 0; b < HOPS_NBIN; b++) ymax = fmax(ymax, hist[t][b]);
  int logy = ymax * 2 / 0.5 >= 30; /* few counts: a linear axis from 0 */
  plot_axes(&f, pow(10, lb0), pow(10, lb1), logy ? 0.5 : 0, logy ? ymax * 2 : ymax * 1.15, 1, logy,
            "dwell time of an atom between hops (ps)", "hops per bin");
  for (int t = 0; t < L.nT; t++) {
    double x[2 * HOPS_NBIN + 2], y[2 * HOPS_NBIN + 2];
    int m = 0;
    for (int b = 0; b < HOPS_NBIN; b++) {
      double v = hist[t][b] > 0 ? hist[t][b] : NAN;
      x[m] = pow(10, lb0 + (lb1 - lb0) * b / HOPS_NBIN);
      y[m++] = v;
      x[m] = pow(10, lb0 + (lb1 - lb0) * (b + 1) / HOPS_NBIN);
      y[m++] = v;
    }
    plot_line(&f, m, x, y, plot_color(t), (plot_style)(t % 2 ? PLOT_DASHED : PLOT_SOLID), 1.6);
    char lab[48];
    snprintf(lab, sizeof lab, "%g K", Ts[t]);
    plot_legend_add(&f, lab, plot_color(t), 0, t % 2 ? PLOT_DASHED : PLOT_SOLID, 1);
  }
  if (isfinite(thr) && thr > 0) plot_vline(&f, thr, plot_color(6), PLOT_DOTTED, "dwell setting");
  plot_legend_draw(&f, NULL);
  /* Panel 2: hop lengths. */
  plot_panel(&f, 1, 3);
  double cmax = 1;
  for (int s = 0; s < IONKMC_NSPECIES; s++)
    for (int b = 0; b < NLB; b++) cmax = fmax(cmax, lhist[s][b]);
  double lx1 = fmin(NLB * lw, ceil(lmax + 0.5));
  plot_axes(&f, 0, lx1, 0, cmax * 1.15, 0, 0, "hop length (Å)", "hops");
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    int any = 0;
    for (int b = 0; b < NLB; b++)
      if (lhist[s][b] > 0) {
        double px[4] = {b * lw, (b + 1) * lw, (b + 1) * lw, b * lw}, py[4] = {0, 0, lhist[s][b], lhist[s][b]};
        plot_band(&f, 2, px, py, py + 2, plot_color(s));
        double ox[4] = {b * lw, b * lw, (b + 1) * lw, (b + 1) * lw}, oy[4] = {0, lhist[s][b], lhist[s][b], 0};
        plot_line(&f, 4, ox, oy, plot_color(s), PLOT_SOLID, 1.0);
        any = 1;
      }
    if (any) plot_legend_add(&f, s ? "MA" : "I", plot_color(s), 0, 0, 2);
  }
  plot_legend_draw(&f, NULL);
  /* Panel 3: back-hop fraction per T with Clopper-Pearson 95%. */
  plot_panel(&f, 2, 3);
  double x[HOPS_MAX_T], y[HOPS_MAX_T], lo[HOPS_MAX_T], hi[HOPS_MAX_T];
  for (int t = 0; t < L.nT; t++) {
    double n = nhop[t], k = nback[t];
    x[t] = Ts[t];
    y[t] = n > 0 ? k / n : NAN;
    lo[t] = k > 0 ? gsl_cdf_beta_Pinv(0.025, k, n - k + 1) : 0;
    hi[t] = k < n ? gsl_cdf_beta_Pinv(0.975, k + 1, n - k) : 1;
  }
  double x0, x1;
  plot_limits(Ts[0], Ts[L.nT - 1], 0, &x0, &x1);
  if (L.nT == 1) {
    x0 = Ts[0] - 25;
    x1 = Ts[0] + 25;
  }
  plot_axes(&f, x0, x1, 0, 1, 0, 0, "T (K)", "back-hop fraction");
  plot_yerr(&f, L.nT, x, lo, hi, plot_color(0));
  plot_points(&f, L.nT, x, y, plot_color(0), PLOT_CIRCLE);
  plot_legend_add(&f, "hops undoing the atom's last (95% exact)", plot_color(0), PLOT_CIRCLE, 0, 0);
  plot_legend_draw(&f, NULL);
  code = plot_end(&f);
done:
  free(L.r);
  for (int k = 0; k < L.nfiles; k++) free(L.files[k]);
  return code;
}
