/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the standard error of D from one run, by blocking.
 *
 * Conventions
 *   Units: positions in angstrom, frame interval in ps, D in cm^2/s.
 *   The run's frames are cut into B equal consecutive blocks of
 *   floor(nframes / B) frames (the last frames beyond B blocks are dropped).
 *   In each block the summed MSD over all time origins (msd.h) is fitted
 *   over the same fraction window as the whole run, giving D_b. The
 *   estimate is the mean of the D_b, its standard error sd(D_b)/sqrt(B),
 *   and its 95% interval the log-scale Student-t interval
 *   m exp(+-t(0.975, B-1) sem/m), which stays positive. For a diffusive walk
 *   the blocks are independent and each D_b estimates D (the window scales
 *   with the block), so the mean and its SE are honest; vibration is
 *   absorbed by the fit's intercept. Block size and count are reported.
 * Ownership: _alloc returns a workspace the caller frees with _free.
 */
#ifndef IONKMC_MSDBLOCK_H
#define IONKMC_MSDBLOCK_H

#include <stddef.h>

#include "kmc/stats.h"
#include "base/status.h"

#define IONKMC_MSD_BLOCKS_DEFAULT 8

typedef struct ionkmc_msd_blocks ionkmc_msd_blocks;

/* B >= 2 blocks of a run of nframes frames; IONKMC_EINVAL if a block would
 * have fewer than 8 frames, IONKMC_ENOMEM. */
ionkmc_msd_blocks *ionkmc_msd_blocks_alloc(int nframes, int nblocks, ionkmc_error *err);
/* Free; NULL is a no-op. */
void ionkmc_msd_blocks_free(ionkmc_msd_blocks *b);
/* Add one particle's whole series (x[k * stride + c], angstrom). */
void ionkmc_msd_blocks_add(ionkmc_msd_blocks *b, const float *x, size_t stride);
void ionkmc_msd_blocks_add_double(ionkmc_msd_blocks *b, const double *x, size_t stride);
/* Frames per block. */
int ionkmc_msd_blocks_frames(const ionkmc_msd_blocks *b);
/* The blocked estimate of D (see above) with the fit window [lo, hi] of
 * each block; IONKMC_EINVAL if the window holds fewer than 3 lags. */
ionkmc_status ionkmc_msd_blocks_D(ionkmc_msd_blocks *b, double dt_ps, double lo, double hi,
                                  ionkmc_estimate *D, ionkmc_error *err);

#endif
