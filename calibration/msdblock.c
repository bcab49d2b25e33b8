/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Blocked standard error of an MSD diffusion coefficient. See msdblock.h. */
#include "calibration/msdblock.h"

#include <math.h>
#include <stdlib.h>

#include "calibration/msd.h"

struct ionkmc_msd_blocks {
  int nblocks, frames;
  ionkmc_msd **w; /* one workspace per block */
  double *msd;    /* [frames] scratch */
};

ionkmc_msd_blocks *ionkmc_msd_blocks_alloc(int nframes, int nblocks, ionkmc_error *err) {
  if (nblocks < 2 || nframes / nblocks < 8) {
    ionkmc_error_set(err, IONKMC_EINVAL, "msd blocks: %d frames do not make %d blocks of 8 frames or more",
                     nframes, nblocks);
    return NULL;
  }
  ionkmc_msd_blocks *b = calloc(1, sizeof *b);
  if (!b) goto nomem;
  b->nblocks = nblocks;
  b->frames = nframes / nblocks;
  b->w = calloc((size_t)nblocks, sizeof *b->w);
  b->msd = malloc(sizeof(double) * (size_t)b->frames);
  if (!b->w || !b->msd) goto nomem;
  for (int i = 0; i < nblocks; i++)
    if (!(b->w[i] = ionkmc_msd_alloc(b->frames, err))) goto nomem;
  return b;
nomem:
  ionkmc_msd_blocks_free(b);
  ionkmc_error_set(err, IONKMC_ENOMEM, "msd blocks: out of memory");
  return NULL;
}

void ionkmc_msd_blocks_free(ionkmc_msd_blocks *b) {
  if (!b) return;
  for (int i = 0; b->w && i < b->nblocks; i++) ionkmc_msd_free(b->w[i]);
  free(b->w);
  free(b->msd);
  free(b);
}

int ionkmc_msd_blocks_frames(const ionkmc_msd_blocks *b) { return b->frames; }

void ionkmc_msd_blocks_add(ionkmc_msd_blocks *b, const float *x, size_t stride) {
  for (int i = 0; i < b->nblocks; i++) ionkmc_msd_add(b->w[i], x + (size_t)i * b->frames * stride, stride);
}

void ionkmc_msd_blocks_add_double(ionkmc_msd_blocks *b, const double *x, size_t stride) {
  for (int i = 0; i < b->nblocks; i++)
    ionkmc_msd_add_double(b->w[i], x + (size_t)i * b->frames * stride, stride);
}

ionkmc_status ionkmc_msd_blocks_D(ionkmc_msd_blocks *b, double dt_ps, double lo, double hi,
                                  ionkmc_estimate *D, ionkmc_error *err) {
  double d[64], *dv = b->nblocks <= 64 ? d : malloc(sizeof(double) * (size_t)b->nblocks);
  if (!dv) return ionkmc_error_set(err, IONKMC_ENOMEM, "msd blocks: out of memory");
  ionkmc_status st = IONKMC_OK;
  for (int i = 0; i < b->nblocks && !st; i++) {
    ionkmc_msd_result(b->w[i], b->msd);
    st = ionkmc_msd_fit_D(b->msd, b->frames, dt_ps, lo, hi, &dv[i], err);
  }
  if (!st) *D = ionkmc_estimate_log_interval(ionkmc_estimate_mean(dv, b->nblocks, 1));
  if (dv != d) free(dv);
  return st;
}
