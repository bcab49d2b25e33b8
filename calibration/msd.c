/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* FFT mean-squared displacement. See msd.h. */
#include "calibration/msd.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ionkmc_msd {
  int n;          /* frames */
  int nfft;       /* padded length >= 2n */
  double *in;     /* [nfft] */
  fftw_complex *out; /* [nfft/2 + 1] */
  double *power;  /* [nfft/2 + 1] summed |F|^2 */
  double *r2;     /* [n] summed |r(k)|^2 */
  fftw_plan fwd, inv;
  int added;
};

/* Smallest 2^a 3^b 5^c >= n. */
static int fast_size(int n) {
  int best = 1;
  while (best < n) best *= 2;
  for (long p5 = 1; p5 < 2L * n; p5 *= 5)
    for (long p3 = p5; p3 < 2L * n; p3 *= 3) {
      long v = p3;
      while (v < n) v *= 2;
      if (v < best) best = (int)v;
    }
  return best;
}

ionkmc_msd *ionkmc_msd_alloc(int nframes, ionkmc_error *err) {
  if (nframes < 2) {
    ionkmc_error_set(err, IONKMC_EINVAL, "msd: need at least 2 frames, got %d", nframes);
    return NULL;
  }
  ionkmc_msd *w = calloc(1, sizeof *w);
  if (!w) goto nomem;
  w->n = nframes;
  w->nfft = fast_size(2 * nframes);
  int nc = w->nfft / 2 + 1;
  w->in = fftw_malloc(sizeof(double) * (size_t)w->nfft);
  w->out = fftw_malloc(sizeof(fftw_complex) * (size_t)nc);
  w->power = calloc((size_t)nc, sizeof(double));
  w->r2 = calloc((size_t)nframes, sizeof(double));
  if (!w->in || !w->out || !w->power || !w->r2) goto nomem;
  w->fwd = fftw_plan_dft_r2c_1d(w->nfft, w->in, w->out, FFTW_ESTIMATE);
  w->inv = fftw_plan_dft_c2r_1d(w->nfft, w->out, w->in, FFTW_ESTIMATE);
  if (!w->fwd || !w->inv) goto nomem;
  return w;
nomem:
  ionkmc_msd_free(w);
  ionkmc_error_set(err, IONKMC_ENOMEM, "msd: out of memory for %d frames", nframes);
  return NULL;
}

void ionkmc_msd_free(ionkmc_msd *w) {
  if (!w) return;
  if (w->fwd) fftw_destroy_plan(w->fwd);
  if (w->inv) fftw_destroy_plan(w->inv);
  fftw_free(w->in);
  fftw_free(w->out);
  free(w->power);
  free(w->r2);
  free(w);
}

int ionkmc_msd_nframes(const ionkmc_msd *w) { return w->n; }

static void add_component(ionkmc_msd *w) {
  int nc = w->nfft / 2 + 1;
  memset(w->in + w->n, 0, sizeof(double) * (size_t)(w->nfft - w->n));
  fftw_execute(w->fwd);
  for (int j = 0; j < nc; j++) w->power[j] += w->out[j][0] * w->out[j][0] + w->out[j][1] * w->out[j][1];
}

/* One particle's series, float or double: subtract the first position (the
 * MSD is shift-invariant, and smaller numbers keep the FFT round-off small),
 * accumulate |r|^2 and the power spectrum per component. */
static void add_series(ionkmc_msd *w, const float *xf, const double *xd, size_t stride) {
  for (int c = 0; c < 3; c++) {
    double x0 = xf ? xf[c] : xd[c];
    for (int k = 0; k < w->n; k++) {
      size_t q = (size_t)k * stride + c;
      double v = (xf ? xf[q] : xd[q]) - x0;
      w->in[k] = v;
      w->r2[k] += v * v;
    }
    add_component(w);
  }
  w->added++;
}

void ionkmc_msd_add(ionkmc_msd *w, const float *x, size_t stride) { add_series(w, x, NULL, stride); }

void ionkmc_msd_add_double(ionkmc_msd *w, const double *x, size_t stride) { add_series(w, NULL, x, stride); }

void ionkmc_msd_result(ionkmc_msd *w, double *msd) {
  int n = w->n, nc = w->nfft / 2 + 1;
  for (int j = 0; j < nc; j++) {
    w->out[j][0] = w->power[j];
    w->out[j][1] = 0;
  }
  fftw_execute(w->inv); /* w->in[m] = nfft * sum_k r(k) r(k+m) */
  /* S1(m) (N-m) = sum_{k<N-m} r2(k) + sum_{k>=m} r2(k), from prefix sums. */
  double total = 0;
  for (int k = 0; k < n; k++) total += w->r2[k];
  double head = total, tail = total; /* head: sum_{k<N-m}, tail: sum_{k>=m} */
  for (int m = 0; m < n; m++) {
    if (m > 0) {
      head -= w->r2[n - m];
      tail -= w->r2[m - 1];
    }
    double ac = w->in[m] / w->nfft;
    double v = (head + tail - 2 * ac) / (n - m);
    msd[m] = v > 0 ? v : 0;
  }
}

int ionkmc_msd_log_lags(int nframes, int npts, int *lag) {
  int n = 0, maxlag = nframes - 1;
  if (maxlag < 1 || npts < 1) return 0;
  for (int k = 0; k < npts; k++) {
    double x = npts == 1 ? 0 : log((double)maxlag) * k / (npts - 1);
    int m = (int)lround(exp(x));
    if (m < 1) m = 1;
    if (m > maxlag) m = maxlag;
    if (n == 0 || m > lag[n - 1]) lag[n++] = m;
  }
  return n;
}

ionkmc_status ionkmc_msd_fit_D(const double *msd, int n, double dt_ps, double lo, double hi,
                               double *D, ionkmc_error *err) {
  if (!(lo >= 0 && hi <= 1 && lo < hi) || !(dt_ps > 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "msd fit: expected 0 <= lo < hi <= 1 and dt > 0");
  int m0 = (int)ceil(lo * (n - 1)), m1 = (int)floor(hi * (n - 1));
  if (m0 < 1) m0 = 1;
  if (m1 - m0 + 1 < 3)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "msd fit: only %d lags in the window [%g, %g] of %d frames", m1 - m0 + 1,
                            lo, hi, n);
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int cnt = 0;
  for (int m = m0; m <= m1; m++) {
    double t = m * dt_ps;
    sx += t;
    sy += msd[m];
    sxx += t * t;
    sxy += t * msd[m];
    cnt++;
  }
  double den = cnt * sxx - sx * sx;
  double slope = (cnt * sxy - sx * sy) / den; /* angstrom^2 / ps */
  *D = slope / 6.0 * 1e-4;                    /* 1 A^2/ps = 1e-4 cm^2/s */
  return IONKMC_OK;
}
