/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: mean-squared displacement over all time origins (FFT).
 *
 * Conventions
 *   Units: positions in angstrom, lag times in ps, D in cm^2/s.
 *   For one particle with positions r(0..N-1), the MSD at lag m averages over
 *   every origin k: MSD(m) = 1/(N-m) sum_k |r(k+m) - r(k)|^2. It is computed as
 *   S1(m) - 2 S2(m), S2 the autocorrelation from a zero-padded FFT (FFTW) and
 *   S1 from prefix sums of |r|^2, in O(N log N) per particle.
 *   The workspace accumulates the SUM over particles of MSD(m), so a species'
 *   D follows the paper's Eq. S1-S2: D = sum_i MSD_i(t) / (6 t), not divided
 *   by the number of particles.
 * Ownership: _alloc returns a workspace the caller frees with _free.
 */
#ifndef IONKMC_MSD_H
#define IONKMC_MSD_H

#include <stddef.h>

#include "base/status.h"

typedef struct ionkmc_msd ionkmc_msd;

/* Workspace for series of nframes >= 2 frames. NULL with err set on ENOMEM. */
ionkmc_msd *ionkmc_msd_alloc(int nframes, ionkmc_error *err);
/* Free; NULL is a no-op. */
void ionkmc_msd_free(ionkmc_msd *w);
/* Add one particle: x[k * stride + c] is coordinate c (angstrom) at frame k. */
void ionkmc_msd_add(ionkmc_msd *w, const float *x, size_t stride);
/* Same with double input. */
void ionkmc_msd_add_double(ionkmc_msd *w, const double *x, size_t stride);
/* Sum over the added particles of MSD(m), m = 0..nframes-1, in angstrom^2,
 * written to msd[nframes] (caller's array). */
void ionkmc_msd_result(ionkmc_msd *w, double *msd);
/* Number of frames of the workspace. */
int ionkmc_msd_nframes(const ionkmc_msd *w);

/* Up to npts distinct lags 1..nframes-1, log-spaced and ascending, into
 * lag[npts] (caller's array); returns how many (0 if nframes < 2). */
int ionkmc_msd_log_lags(int nframes, int npts, int *lag);

/* D in cm^2/s from a summed MSD (angstrom^2) at lags m * dt_ps: least-squares
 * line over lags in [lo, hi] * (N-1) (fractions, 0 <= lo < hi <= 1), slope / 6.
 * IONKMC_EINVAL if fewer than 3 lags fall in the window. */
ionkmc_status ionkmc_msd_fit_D(const double *msd, int n, double dt_ps, double lo, double hi,
                               double *D, ionkmc_error *err);

#endif
