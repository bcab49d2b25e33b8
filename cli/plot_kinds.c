/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* `ionkmc plot` kinds arrhenius, msd, parity and sweep. See plot.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/catalog.h"
#include "calibration/rates.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/plot.h"
#include "events/defects.h"

#define SER_MAX 512

/* Points with intervals, gathered before the limits are known. */
typedef struct {
  int n;
  double x[SER_MAX], y[SER_MAX], lo[SER_MAX], hi[SER_MAX], xlo[SER_MAX], xhi[SER_MAX];
} series;

static void ser_add(series *s, double x, double y, double lo, double hi) {
  if (s->n == SER_MAX) return;
  s->x[s->n] = x;
  s->y[s->n] = y;
  s->lo[s->n] = lo;
  s->hi[s->n] = hi;
  s->xlo[s->n] = s->xhi[s->n] = NAN;
  s->n++;
}

/* Running limits of the data (positive values only on log axes). */
typedef struct {
  double lo, hi;
  int logaxis;
} range;

static void rng_init(range *r, int logaxis) {
  r->lo = INFINITY;
  r->hi = -INFINITY;
  r->logaxis = logaxis;
}
static void rng_add(range *r, double v) {
  if (!isfinite(v) || (r->logaxis && !(v > 0))) return;
  if (v < r->lo) r->lo = v;
  if (v > r->hi) r->hi = v;
}
static void rng_series(range *rx, range *ry, const series *s) {
  for (int k = 0; k < s->n; k++) {
    rng_add(rx, s->x[k]);
    rng_add(ry, s->y[k]);
    rng_add(ry, s->hi[k]);
    if (s->lo[k] > 0 || !ry->logaxis) rng_add(ry, s->lo[k]);
  }
}

static void draw_series(plot_fig *f, const series *s, int color, plot_shape shape) {
  plot_yerr(f, s->n, s->x, s->lo, s->hi, color);
  int anyx = 0;
  for (int k = 0; k < s->n; k++) anyx |= isfinite(s->xlo[k]);
  if (anyx) plot_xerr(f, s->n, s->y, s->xlo, s->xhi, color);
  plot_points(f, s->n, s->x, s->y, color, shape);
}

/* The defect named by a document (calibrate, compare, or its first result). */
static int doc_defect(const plot_inputs *in, int k, ionkmc_defect_kind *kind) {
  const json_t *d = in->doc[k];
  const char *name = NULL;
  if (in->kind[k] == PLOT_IN_CALIBRATE) name = json_string_value(json_object_get(json_object_get(d, "calibration"), "defect"));
  else if (in->kind[k] == PLOT_IN_COMPARE) name = json_string_value(json_object_get(d, "defect"));
  else name = json_string_value(json_object_get(json_array_get(json_object_get(d, "results"), 0), "defect"));
  return name && ionkmc_defect_parse(name, kind) == IONKMC_OK;
}

static double est_mean(const json_t *e) { return plot_num(json_object_get(e, "mean")); }
static void est_ci(const json_t *e, double *lo, double *hi) {
  const json_t *ci = json_object_get(e, "ci95");
  *lo = plot_num(json_array_get(ci, 0));
  *hi = plot_num(json_array_get(ci, 1));
}

static int count_kind(const plot_inputs *in, int kind) {
  int n = 0;
  for (int k = 0; k < in->nin; k++) n += in->kind[k] == kind;
  return n;
}

/* ln k(T) and its 95% interval from a stored fit: ln k = ln nu - Ea/(kB T),
 * variance from the (Ea, ln nu) covariance. 0 if the fit is incomplete. */
static int fit_at(const json_t *fit, double T, double *k, double *lo, double *hi) {
  const json_t *cv = json_object_get(fit, "covariance_Ea_ln_nu");
  double Ea = plot_num(json_object_get(fit, "Ea_eV")), lnu = plot_num(json_object_get(fit, "ln_nu"));
  double vE = plot_num(json_object_get(cv, "var_Ea")), vn = plot_num(json_object_get(cv, "var_ln_nu")),
         c = plot_num(json_object_get(cv, "cov"));
  if (!isfinite(Ea) || !isfinite(lnu) || !isfinite(vE) || !isfinite(vn) || !isfinite(c)) return 0;
  double X = 1 / (IONKMC_KB_EV * T), lk = lnu - Ea * X, v = vn + X * X * vE - 2 * X * c;
  double s = sqrt(v > 0 ? v : 0);
  *k = exp(lk);
  *lo = exp(lk - 1.959963984540054 * s);
  *hi = exp(lk + 1.959963984540054 * s);
  return 1;
}

static void predict_temps(const plot_inputs *in, const json_t *cal, double *T, int *n) {
  *n = 0;
  if (in->npredict > 0) {
    for (int q = 0; q < in->npredict; q++) T[(*n)++] = in->predict[q];
    return;
  }
  const json_t *pr = json_object_get(cal, "predictions");
  for (size_t q = 0; q < json_array_size(pr) && *n < 16; q++) {
    double t = plot_num(json_object_get(json_array_get(pr, q), "T"));
    if (t > 0) T[(*n)++] = t;
  }
}

int plot_arrhenius(const char *cmd, const plot_inputs *in, const char *out) {
  int ncal = count_kind(in, PLOT_IN_CALIBRATE);
  int rate = in->quantity ? !strcmp(in->quantity, "rate") : ncal > 0;
  if (in->quantity && strcmp(in->quantity, "rate") && strcmp(in->quantity, "D"))
    return cli_bad(cmd, "--quantity: expected rate or D for arrhenius, got '%s'", in->quantity);
  if (rate && ncal == 0)
    return cli_bad(cmd, "--in: the rate Arrhenius plot needs a calibrate --report (or use --quantity D)");
  const json_t *cal = NULL;
  ionkmc_defect_kind kind = IONKMC_V_I;
  int have_kind = 0;
  for (int k = 0; k < in->nin; k++) {
    if (in->kind[k] == PLOT_IN_CALIBRATE && !cal) cal = json_object_get(in->doc[k], "calibration");
    if (!have_kind && in->doc[k]) have_kind = doc_defect(in, k, &kind);
  }
  static series md, kmc_s, kmc_t, pred_free, pred_fix;
  memset(&md, 0, sizeof md);
  kmc_s.n = kmc_t.n = pred_free.n = pred_fix.n = 0;
  range rx, ry;
  rng_init(&rx, 0);
  rng_init(&ry, 1);
  /* MD points: from the calibrate report, else from compare. */
  const json_t *temps = json_object_get(cal, "temperatures");
  for (size_t q = 0; q < json_array_size(temps); q++) {
    const json_t *t = json_array_get(temps, q);
    double T = plot_num(json_object_get(t, "T"));
    if (rate)
      ser_add(&md, 1000 / T, plot_num(json_object_get(t, "rate_per_path_s")),
              plot_num(json_object_get(t, "rate_ci95_lo")), plot_num(json_object_get(t, "rate_ci95_hi")));
    else {
      double lo, hi;
      const json_t *e = json_object_get(t, "md_D_species");
      est_ci(e, &lo, &hi);
      ser_add(&md, 1000 / T, est_mean(e), lo, hi);
    }
  }
  const char *which = "sampling";
  int npaths = ionkmc_defect_npaths(kind);
  for (int k = 0; k < in->nin; k++) {
    const json_t *res = json_object_get(in->doc[k], "results");
    for (size_t q = 0; q < json_array_size(res) && (in->kind[k] == PLOT_IN_COMPARE || in->kind[k] == PLOT_IN_RUN);
         q++) {
      const json_t *r = json_array_get(res, q);
      double T = plot_num(json_object_get(r, "T")), lo, hi;
      if (in->kind[k] == PLOT_IN_COMPARE && !cal && !rate) {
        const json_t *e = json_object_get(r, "md_D_species");
        est_ci(e, &lo, &hi);
        ser_add(&md, 1000 / T, est_mean(e), lo, hi);
      }
      if (rate) {
        if (in->kind[k] != PLOT_IN_COMPARE) continue;
        /* The KMC's hop rate per path with the exact Poisson interval of its hop count. */
        double kr = plot_num(json_object_get(r, "kmc_rate")) / npaths;
        json_int_t n = json_integer_value(json_object_get(r, "kmc_hops"));
        double plo = NAN, phi = NAN;
        if (n > 0 && ionkmc_poisson_interval((int64_t)n, 0.95, &plo, &phi, NULL) == IONKMC_OK)
          ser_add(&kmc_s, 1000 / T, kr, kr * plo / (double)n, kr * phi / (double)n);
        continue;
      }
      const json_t *e = json_object_get(r, in->kind[k] == PLOT_IN_COMPARE ? "kmc_D_species" : "D_species");
      plot_kmc_interval(e, &lo, &hi, &which);
      ser_add(!strcmp(which, "total") ? &kmc_t : &kmc_s, 1000 / T, est_mean(e), lo, hi);
    }
  }
  double PT[16];
  int npt = 0;
  predict_temps(in, cal, PT, &npt);
  rng_series(&rx, &ry, &md);
  rng_series(&rx, &ry, &kmc_s);
  rng_series(&rx, &ry, &kmc_t);
  for (int q = 0; q < npt; q++) rng_add(&rx, 1000 / PT[q]);
  if (md.n + kmc_s.n + kmc_t.n == 0)
    return cli_bad(cmd, "--in %s%s: no MD or KMC points to plot (expected calibration.temperatures[] of a "
                        "calibrate report, or results[] of compare, run or sweep JSON)",
                   in->path[0], in->nin > 1 ? " ..." : "");
  const json_t *ffree = rate ? json_object_get(cal, "arrhenius_fit") : NULL,
               *ffix = rate ? json_object_get(cal, "neb_fixed_fit") : NULL;
  double x0, x1;
  plot_limits(rx.lo, rx.hi, 0, &x0, &x1);
  enum { NC = 80 };
  double cx[NC], fy[NC], flo[NC], fhi[NC], gy[NC], glo[NC], ghi[NC], py[NC];
  int have_free = 0, have_fix = 0, have_paper = 0;
  ionkmc_error err;
  ionkmc_catalog *def = ionkmc_catalog_alloc_default(&err);
  const ionkmc_catalog_entry *pe = def && have_kind ? ionkmc_catalog_get(def, kind) : NULL;
  for (int q = 0; q < NC; q++) {
    cx[q] = x0 + (x1 - x0) * q / (NC - 1);
    double T = 1000 / cx[q];
    have_free = ffree && fit_at(ffree, T, &fy[q], &flo[q], &fhi[q]);
    have_fix = ffix && fit_at(ffix, T, &gy[q], &glo[q], &ghi[q]);
    /* The paper's Table 2 law: as a per-path rate, the embedded catalog entry
     * (Ea of Table 2, nu fixed so that the KMC gives D0 exp(-Ea/kT)). */
    ionkmc_acell_model am = def ? ionkmc_catalog_acell(def) : ionkmc_acell_default();
    ionkmc_conditions cond = {.T = T, .a = ionkmc_acell_eval(&am, T)};
    double r = NAN;
    if (rate && pe && pe->present && ionkmc_catalog_entry_rate_at(pe, NULL, &cond, &r, NULL)) r = NAN;
    if (rate) py[q] = r;
    else py[q] = have_kind ? cli_paper_D(kind, T) : NAN;
    have_paper |= isfinite(py[q]);
    if (have_free) rng_add(&ry, fy[q]);
    if (have_fix) rng_add(&ry, gy[q]);
  }
  ionkmc_catalog_free(def);
  for (int q = 0; q < npt; q++) {
    double r, lo, hi;
    /* either side of the temperature's line, so that both intervals show */
    double dx = 0.012 * (x1 - x0);
    if (ffree && fit_at(ffree, PT[q], &r, &lo, &hi)) ser_add(&pred_free, 1000 / PT[q] - dx, r, lo, hi);
    if (ffix && fit_at(ffix, PT[q], &r, &lo, &hi)) ser_add(&pred_fix, 1000 / PT[q] + dx, r, lo, hi);
  }
  rng_series(&rx, &ry, &pred_free);
  rng_series(&rx, &ry, &pred_fix);
  double y0, y1;
  plot_limits(ry.lo, ry.hi, 1, &y0, &y1);
  plot_fig f;
  int code = plot_begin(&f, cmd, "out", out);
  if (code) return code;
  plot_axes(&f, x0, x1, y0, y1, 0, 1, "1000/T (1/K)",
            rate ? "rate per path (1/s)" : "D#dspecies#u (cm#u2#d/s)");
  plot_top_T_axis(&f);
  int C_MD = plot_color(6), C_FREE = plot_color(0), C_FIX = plot_color(1), C_KMC = plot_color(2),
      C_PAPER = plot_color(4), C_PRED = plot_color(3);
  if (have_free) {
    plot_band(&f, NC, cx, flo, fhi, C_FREE);
    plot_line(&f, NC, cx, fy, C_FREE, PLOT_SOLID, 2.0);
    plot_legend_add(&f, "Arrhenius fit, 95% band", C_FREE, 0, PLOT_SOLID, 1);
  }
  if (have_fix) {
    plot_band(&f, NC, cx, glo, ghi, C_FIX);
    plot_line(&f, NC, cx, gy, C_FIX, PLOT_DASHED, 2.0);
    plot_legend_add(&f, "NEB-fixed fit, 95% band", C_FIX, 0, PLOT_DASHED, 1);
  }
  if (have_paper) {
    plot_line(&f, NC, cx, py, C_PAPER, PLOT_DOTTED, 1.5);
    plot_legend_add(&f, rate ? "paper Table 2 (default catalog)" : "paper Table 2 law", C_PAPER, 0, PLOT_DOTTED, 1);
  }
  for (int q = 0; q < npt; q++) {
    char lab[32];
    snprintf(lab, sizeof lab, "%g K", PT[q]);
    plot_vline(&f, 1000 / PT[q], plot_color(6), PLOT_DOTTED, lab);
  }
  if (md.n) {
    draw_series(&f, &md, C_MD, PLOT_CIRCLE);
    plot_legend_add(&f, rate ? "MD rate (Garwood 95%)" : "MD D (Student-t 95%)", C_MD, PLOT_CIRCLE, 0, 0);
  }
  if (kmc_t.n) {
    draw_series(&f, &kmc_t, C_KMC, PLOT_SQUARE);
    plot_legend_add(&f, "KMC (95% total)", C_KMC, PLOT_SQUARE, 0, 0);
  }
  if (kmc_s.n) {
    draw_series(&f, &kmc_s, C_KMC, PLOT_TRIANGLE);
    plot_legend_add(&f, rate ? "KMC hop rate (Poisson 95%)" : "KMC (95% sampling only)", C_KMC, PLOT_TRIANGLE, 0, 0);
  }
  if (pred_free.n) {
    draw_series(&f, &pred_free, C_PRED, PLOT_DIAMOND);
    plot_legend_add(&f, "fit prediction (95%)", C_PRED, PLOT_DIAMOND, 0, 0);
  }
  if (pred_fix.n) {
    draw_series(&f, &pred_fix, C_FIX, PLOT_DIAMOND);
    plot_legend_add(&f, "NEB-fixed prediction (95%)", C_FIX, PLOT_DIAMOND, 0, 0);
  }
  plot_legend_draw(&f, NULL);
  return plot_end(&f);
}

/* Atoms of the moving species in a box of one named defect (I: 3 L^3 sites,
 * MA: L^3), or 0 when the label is not a single defect. */
static int species_atoms(const char *label, int L) {
  ionkmc_defect_kind k;
  if (!label || ionkmc_defect_parse(label, &k) != IONKMC_OK) return 0;
  int sites = ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? 3 * L * L * L : L * L * L;
  return ionkmc_defect_is_vacancy(k) ? sites - 1 : sites + 1;
}

int plot_msd(const char *cmd, const plot_inputs *in, const char *out) {
  range rx, ry;
  rng_init(&rx, 1);
  rng_init(&ry, 1);
  int ncurves = 0;
  /* Pass 1: limits. Pass 2: draw. */
  plot_fig f;
  int code = 0;
  for (int pass = 0; pass < 2; pass++) {
    int ci = 0;
    double wlo = INFINITY, whi = -INFINITY;
    for (int k = 0; k < in->nin; k++) {
      if (in->kind[k] != PLOT_IN_CALIBRATE) continue;
      const json_t *cal = json_object_get(in->doc[k], "calibration");
      ionkmc_defect_kind kind;
      if (!doc_defect(in, k, &kind)) continue;
      const char *sp = ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? "I" : "MA";
      const json_t *temps = json_object_get(cal, "temperatures"), *runs = json_object_get(cal, "runs");
      for (size_t q = 0; q < json_array_size(temps); q++, ci++) {
        const json_t *t = json_array_get(temps, q), *m = json_object_get(t, "md_msd");
        double T = plot_num(json_object_get(t, "T"));
        int color = plot_color(ci);
        /* single runs at this T, thin */
        for (size_t r = 0; r < json_array_size(runs); r++) {
          const json_t *run = json_array_get(runs, r), *rm = json_object_get(run, "msd");
          if (plot_num(json_object_get(run, "T")) != T || !json_is_object(rm)) continue;
          const json_t *lag = json_object_get(rm, "lag_ps"), *v = json_object_get(json_object_get(rm, "per_atom_A2"), sp);
          size_t n = json_array_size(lag);
          double x[256], y[256];
          for (size_t j = 0; j < n && j < 256; j++) {
            x[j] = plot_num(json_array_get(lag, j));
            y[j] = plot_num(json_array_get(v, j));
            if (pass == 0) {
              rng_add(&rx, x[j]);
              rng_add(&ry, y[j]);
            }
          }
          if (pass == 1) plot_line(&f, (int)(n < 256 ? n : 256), x, y, color, PLOT_SOLID, 0.6);
        }
        if (!json_is_object(m) || !json_object_get(m, "lag_ps")) continue;
        const json_t *lag = json_object_get(m, "lag_ps"), *v = json_object_get(json_object_get(m, "per_atom_A2"), sp),
                     *w = json_object_get(m, "fit_window_ps");
        size_t n = json_array_size(lag);
        double x[256], y[256];
        for (size_t j = 0; j < n && j < 256; j++) {
          x[j] = plot_num(json_array_get(lag, j));
          y[j] = plot_num(json_array_get(v, j));
          if (pass == 0) rng_add(&ry, y[j]);
        }
        double a = plot_num(json_array_get(w, 0)), b = plot_num(json_array_get(w, 1));
        if (a < wlo) wlo = a;
        if (b > whi) whi = b;
        if (pass == 1) {
          plot_line(&f, (int)(n < 256 ? n : 256), x, y, color, PLOT_SOLID, 2.2);
          char lab[96];
          snprintf(lab, sizeof lab, "MD %s, %g K (%d runs)", sp, T, (int)json_integer_value(json_object_get(m, "runs")));
          plot_legend_add(&f, lab, color, 0, PLOT_SOLID, 1);
        }
        ncurves++;
      }
    }
    if (pass == 1 && isfinite(wlo)) {
      plot_vspan(&f, wlo, whi, 9);
      plot_legend_add(&f, "MD D fit window", 9, 0, 0, 2);
    }
    for (int k = 0; k < in->nin; k++) {
      if (in->kind[k] != PLOT_IN_RUN) continue;
      const json_t *res = json_object_get(in->doc[k], "results");
      for (size_t q = 0; q < json_array_size(res); q++) {
        const json_t *r = json_array_get(res, q), *m = json_object_get(r, "msd");
        if (!json_is_object(m)) continue;
        const json_t *t = json_object_get(m, "t_s"), *v = json_object_get(m, "per_atom_A2");
        double scale = 1;
        int per_atom = json_is_array(v);
        if (!per_atom) {
          v = json_object_get(m, "sum_dr2_A2");
          double na = plot_num(json_object_get(m, "atoms"));
          if (!(na > 0)) na = plot_num(json_object_get(r, "atoms"));
          if (!(na > 0)) na = species_atoms(json_string_value(json_object_get(r, "defect")),
                                            (int)json_integer_value(json_object_get(r, "size")));
          if (na > 0) {
            scale = 1 / na;
            per_atom = 1;
          }
        }
        if (!per_atom) continue; /* a mixed box without an atom count */
        size_t n = json_array_size(t);
        double x[256], y[256];
        for (size_t j = 0; j < n && j < 256; j++) {
          x[j] = plot_num(json_array_get(t, j)) * 1e12; /* s -> ps */
          y[j] = plot_num(json_array_get(v, j)) * scale;
          if (pass == 0) {
            rng_add(&rx, x[j]);
            rng_add(&ry, y[j]);
          }
        }
        if (pass == 1) {
          plot_line(&f, (int)(n < 256 ? n : 256), x, y, plot_color(ci), PLOT_DASHED, 2.0);
          char lab[96];
          snprintf(lab, sizeof lab, "KMC %s, %g K", json_string_value(json_object_get(r, "defect")),
                   plot_num(json_object_get(r, "T")));
          plot_legend_add(&f, lab, plot_color(ci), 0, PLOT_DASHED, 1);
        }
        ci++;
        ncurves++;
      }
    }
    if (pass == 0) {
      if (ncurves == 0)
        return cli_bad(cmd, "--in: no MSD curves (expected a calibrate --report with MSD, or run --json with --msd)");
      double x0, x1, y0, y1;
      plot_limits(rx.lo, rx.hi, 1, &x0, &x1);
      plot_limits(ry.lo, ry.hi, 1, &y0, &y1);
      if ((code = plot_begin(&f, cmd, "out", out))) return code;
      plot_axes(&f, x0, x1, y0, y1, 1, 1, "lag time (ps)", "MSD per atom (Å#u2#d)");
    }
  }
  plot_note(&f, 0.02, 0.04, 0.0, "MD: thin single runs, thick pooled");
  plot_legend_draw(&f, NULL);
  return plot_end(&f);
}

int plot_parity(const char *cmd, const plot_inputs *in, const char *out) {
  int rate = in->quantity && !strcmp(in->quantity, "rate");
  if (in->quantity && !rate && strcmp(in->quantity, "D"))
    return cli_bad(cmd, "--quantity: expected D or rate for parity, got '%s'", in->quantity);
  static series s[2];
  s[0].n = s[1].n = 0;
  const char *which[2] = {"sampling", "sampling"};
  range r;
  rng_init(&r, 1);
  for (int k = 0; k < in->nin; k++) {
    if (in->kind[k] != PLOT_IN_COMPARE) continue;
    const json_t *res = json_object_get(in->doc[k], "results");
    for (size_t q = 0; q < json_array_size(res); q++) {
      const json_t *row = json_array_get(res, q);
      for (int v = 0; v < (rate ? 1 : 2); v++) {
        double mx, mlo, mhi, ky, klo, khi;
        if (rate) {
          const json_t *mr = json_object_get(row, "md_rate");
          mx = est_mean(mr);
          est_ci(mr, &mlo, &mhi);
          ky = plot_num(json_object_get(row, "kmc_rate"));
          json_int_t n = json_integer_value(json_object_get(row, "kmc_hops"));
          double plo, phi;
          if (!(n > 0) || ionkmc_poisson_interval((int64_t)n, 0.95, &plo, &phi, NULL)) continue;
          klo = ky * plo / (double)n;
          khi = ky * phi / (double)n;
        } else {
          const json_t *me = json_object_get(row, v == 0 ? "md_D_species" : "md_D_defect"),
                       *ke = json_object_get(row, v == 0 ? "kmc_D_species" : "kmc_D_defect");
          mx = est_mean(me);
          est_ci(me, &mlo, &mhi);
          ky = est_mean(ke);
          plot_kmc_interval(ke, &klo, &khi, &which[v]);
        }
        if (!(mx > 0) || !(ky > 0)) continue;
        series *t = &s[v];
        ser_add(t, mx, ky, klo, khi);
        t->xlo[t->n - 1] = mlo;
        t->xhi[t->n - 1] = mhi;
        r.lo = fmin(r.lo, fmin(mx, ky));
        r.hi = fmax(r.hi, fmax(mx, ky));
        rng_add(&r, mhi);
        rng_add(&r, khi);
        rng_add(&r, mlo);
        rng_add(&r, klo);
      }
    }
  }
  if (s[0].n + s[1].n == 0)
    return cli_bad(cmd, "--in: no KMC/MD pairs to plot (expected the --json of ionkmc compare)");
  double a, b;
  plot_limits(r.lo, r.hi, 1, &a, &b);
  plot_fig f;
  int code = plot_begin(&f, cmd, "out", out);
  if (code) return code;
  plot_axes(&f, a, b, a, b, 1, 1, rate ? "MD rate per defect (1/s)" : "MD D (cm#u2#d/s)",
            rate ? "KMC rate per defect (1/s)" : "KMC D (cm#u2#d/s)");
  double lx[2] = {a, b};
  plot_line(&f, 2, lx, lx, plot_color(6), PLOT_DASHED, 1.0);
  plot_legend_add(&f, "y = x", plot_color(6), 0, PLOT_DASHED, 1);
  static const char *names[2] = {"D#dspecies#u", "D#ddefect#u"};
  for (int v = 0; v < 2; v++) {
    if (!s[v].n) continue;
    draw_series(&f, &s[v], plot_color(v), v ? PLOT_SQUARE : PLOT_CIRCLE);
    char lab[128];
    if (rate) snprintf(lab, sizeof lab, "hop rate (MD Garwood, KMC Poisson 95%%)");
    else snprintf(lab, sizeof lab, "%s (MD t 95%%, KMC %s 95%%)", names[v], which[v]);
    plot_legend_add(&f, lab, plot_color(v), v ? PLOT_SQUARE : PLOT_CIRCLE, 0, 0);
  }
  plot_legend_draw(&f, NULL);
  return plot_end(&f);
}

/* The swept parameters a sweep result can vary in. */
static const char *const SWEEP_X[] = {"T", "size", "barrier_shift", "a"};
static const char *const SWEEP_XLAB[] = {"T (K)", "box edge L (cells)", "barrier shift (eV)", "a (Å)"};

int plot_sweep(const char *cmd, const plot_inputs *in, const char *out) {
  const char *q = in->quantity ? in->quantity : "D";
  const char *field = !strcmp(q, "D") ? "D_species" : !strcmp(q, "D_defect") ? "D_defect"
                      : !strcmp(q, "mobility")                              ? "mobility_cm2_Vs"
                      : !strcmp(q, "rate")                                  ? "rate_per_path_s"
                                                                            : NULL;
  if (!field) return cli_bad(cmd, "--quantity: expected D, D_defect, mobility or rate for sweep, got '%s'", q);
  int is_rate = !strcmp(q, "rate");
  /* Gather every result of the run/sweep inputs. */
  const json_t *rows[SER_MAX];
  int n = 0;
  for (int k = 0; k < in->nin; k++) {
    if (in->kind[k] != PLOT_IN_RUN) continue;
    const json_t *res = json_object_get(in->doc[k], "results");
    for (size_t j = 0; j < json_array_size(res) && n < SER_MAX; j++) rows[n++] = json_array_get(res, j);
  }
  if (n == 0) return cli_bad(cmd, "--in: no sweep results (expected the --json or --csv of ionkmc sweep or run)");
  int xi = -1;
  if (in->x) {
    for (int k = 0; k < 4; k++)
      if (!strcmp(in->x, SWEEP_X[k])) xi = k;
    if (xi < 0) return cli_bad(cmd, "--x: expected T, size, barrier_shift or a, got '%s'", in->x);
  } else {
    int best = 0;
    for (int k = 0; k < 4; k++) {
      double seen[SER_MAX];
      int ns = 0;
      for (int j = 0; j < n; j++) {
        double v = plot_num(json_object_get(rows[j], SWEEP_X[k]));
        int dup = 0;
        for (int s = 0; s < ns; s++) dup |= seen[s] == v;
        if (!dup) seen[ns++] = v;
      }
      if (ns > best) {
        best = ns;
        xi = k;
      }
    }
  }
  /* One line per defect and combination of the other parameters. */
  typedef struct {
    char key[160];
    series s;
  } group;
  static group g[12];
  int ng = 0;
  const char *which = "sampling";
  range rx, ry;
  rng_init(&rx, 0);
  rng_init(&ry, !strcmp(q, "mobility") ? 0 : 1);
  for (int j = 0; j < n; j++) {
    const json_t *e = json_object_get(rows[j], field);
    if (!json_is_object(e)) continue;
    /* rate: the catalog's per-path rate of the defect at the point (an input, no interval) */
    double rv = is_rate ? plot_num(json_object_get(e, json_string_value(json_object_get(rows[j], "defect")))) : NAN;
    if (is_rate && !isfinite(rv)) continue;
    char key[160];
    int len = snprintf(key, sizeof key, "%s", json_string_value(json_object_get(rows[j], "defect")));
    /* other varied parameters join the key */
    for (int k = 0; k < 3; k++) {
      if (k == xi) continue;
      double v = plot_num(json_object_get(rows[j], SWEEP_X[k])), v0 = plot_num(json_object_get(rows[0], SWEEP_X[k]));
      int varies = 0;
      for (int m = 0; m < n; m++) varies |= plot_num(json_object_get(rows[m], SWEEP_X[k])) != v0;
      if (varies && len < (int)sizeof key)
        len += snprintf(key + len, sizeof key - (size_t)len, ", %s %g", k == 1 ? "L" : k == 0 ? "T" : "shift", v);
    }
    int gi = -1;
    for (int k = 0; k < ng; k++)
      if (!strcmp(g[k].key, key)) gi = k;
    if (gi < 0) {
      if (ng == 12) continue;
      gi = ng++;
      snprintf(g[gi].key, sizeof g[gi].key, "%s", key);
      g[gi].s.n = 0;
    }
    double lo = NAN, hi = NAN;
    if (!is_rate) plot_kmc_interval(e, &lo, &hi, &which);
    ser_add(&g[gi].s, plot_num(json_object_get(rows[j], SWEEP_X[xi])), is_rate ? rv : est_mean(e), lo, hi);
  }
  for (int k = 0; k < ng; k++) rng_series(&rx, &ry, &g[k].s);
  if (ng == 0) return cli_bad(cmd, "--in: the results have no '%s' to plot", field);
  double x0, x1, y0, y1;
  plot_limits(rx.lo, rx.hi, 0, &x0, &x1);
  plot_limits(ry.lo, ry.hi, ry.logaxis, &y0, &y1);
  plot_fig f;
  int code = plot_begin(&f, cmd, "out", out);
  if (code) return code;
  plot_axes(&f, x0, x1, y0, y1, 0, ry.logaxis, SWEEP_XLAB[xi],
            !strcmp(q, "D") ? "D#dspecies#u (cm#u2#d/s)" : !strcmp(q, "D_defect") ? "D#ddefect#u (cm#u2#d/s)"
            : is_rate         ? "rate per path (1/s)"
                              : "mobility (cm#u2#d/V s)");
  for (int k = 0; k < ng; k++) {
    series *s = &g[k].s;
    /* sort by x for the line */
    for (int a = 1; a < s->n; a++)
      for (int b = a; b > 0 && s->x[b] < s->x[b - 1]; b--) {
        double t;
#define SWAP(arr) (t = arr[b], arr[b] = arr[b - 1], arr[b - 1] = t)
        SWAP(s->x), SWAP(s->y), SWAP(s->lo), SWAP(s->hi), SWAP(s->xlo), SWAP(s->xhi);
#undef SWAP
      }
    plot_line(&f, s->n, s->x, s->y, plot_color(k), (plot_style)(k % 2 ? PLOT_DASHED : PLOT_SOLID), 1.5);
    draw_series(&f, s, plot_color(k), (plot_shape)(k % PLOT_NSHAPES));
    plot_legend_add(&f, g[k].key, plot_color(k), k % PLOT_NSHAPES, k % 2 ? PLOT_DASHED : PLOT_SOLID, 3);
  }
  char note[64];
  if (is_rate) snprintf(note, sizeof note, "catalog rates (inputs)");
  else snprintf(note, sizeof note, "bars: 95%% %s", which);
  plot_note(&f, 0.98, 0.04, 1.0, note);
  plot_legend_draw(&f, NULL);
  return plot_end(&f);
}
