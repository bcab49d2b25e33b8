/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole MD files through hop trackers (one pass, several settings). See
 * mdtrack.h. */
#include <stdlib.h>

#include "calibration/mdtrack.h"

ionkmc_status ionkmc_md_analyze_file_progress(const char *path, const ionkmc_traj_options *topt,
                                              const ionkmc_hop_params *p, int np, ionkmc_hop_fn fn,
                                              void *user, ionkmc_md_progress_fn pfn, void *puser,
                                              ionkmc_md_summary *out, ionkmc_error *err) {
  enum { MAXT = 16 };
  if (np < 1 || np > MAXT)
    return ionkmc_error_set(err, IONKMC_EINVAL, "hop detection: expected 1 to %d settings, got %d", MAXT, np);
  ionkmc_status st;
  ionkmc_traj *tr = ionkmc_traj_open(path, topt, err, &st);
  if (!tr) return st;
  ionkmc_mdtrack *t[MAXT] = {NULL};
  st = IONKMC_OK;
  for (int k = 0; k < np && !st; k++) {
    if (!(t[k] = ionkmc_mdtrack_alloc(&p[k], path, k == 0 ? fn : NULL, user, err))) st = IONKMC_EINVAL;
    else if (k > 0) ionkmc_mdtrack_follow(t[k], t[0]);
  }
  const ionkmc_frame *f;
  /* Tracker 0 unwraps the frame; the others read its coordinates and take
   * the frame in parallel (disjoint state, the frame and tracker 0 only
   * read); the first failure in tracker order is reported. */
  ionkmc_status sk[MAXT];
  ionkmc_error ek[MAXT];
  while (!st && (st = ionkmc_traj_next(tr, &f, err)) == IONKMC_OK && f) {
    if (ionkmc_cancel_requested()) {
      st = ionkmc_error_set(err, IONKMC_ECANCEL, "%s: cancelled at frame %lld", path, (long long)f->index);
      break;
    }
    if ((st = ionkmc_mdtrack_frame(t[0], f, err))) break;
#pragma omp parallel for schedule(static, 1) if (np > 2)
    for (int k = 1; k < np; k++) sk[k] = ionkmc_mdtrack_frame(t[k], f, &ek[k]);
    for (int k = 1; k < np && !st; k++)
      if ((st = sk[k]) && err) *err = ek[k];
    if (pfn && !st) pfn(f->index + 1, ionkmc_traj_file_offset(tr), f->time, puser);
  }
  for (int k = 0; k < np && !st; k++) st = ionkmc_mdtrack_finish(t[k], &out[k], err);
  for (int k = 0; k < np; k++) ionkmc_mdtrack_free(t[k]);
  ionkmc_traj_free(tr);
  return st;
}

ionkmc_status ionkmc_md_analyze_file_n(const char *path, const ionkmc_traj_options *topt,
                                       const ionkmc_hop_params *p, int np, ionkmc_hop_fn fn,
                                       void *user, ionkmc_md_summary *out, ionkmc_error *err) {
  return ionkmc_md_analyze_file_progress(path, topt, p, np, fn, user, NULL, NULL, out, err);
}

ionkmc_status ionkmc_md_analyze_file(const char *path, const ionkmc_traj_options *topt,
                                     const ionkmc_hop_params *p, ionkmc_hop_fn fn, void *user,
                                     ionkmc_md_summary *out, ionkmc_error *err) {
  ionkmc_hop_params d = p ? *p : ionkmc_hop_params_default();
  return ionkmc_md_analyze_file_n(path, topt, &d, 1, fn, user, out, err);
}
