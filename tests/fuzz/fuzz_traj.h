/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* One trajectory harness, instantiated per format by the fuzz_traj_*.c files. */
#include "fuzz_common.h"

#include "calibration/traj.h"

static int fuzz_traj(const uint8_t *data, size_t size, ionkmc_traj_format fmt, const char *suffix,
                     int gz) {
  const char *path = fuzz_file(data, size, suffix, gz);
  ionkmc_traj_options opt = ionkmc_traj_options_default();
  opt.format = fmt;
  ionkmc_traj_parse_types(&opt, "1=Pb,2=I,3=C,4=N,5=H", NULL);
  opt.frame_dt_ps = 0.01;
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(path, &opt, &err, &st);
  if (t) {
    const ionkmc_frame *fr;
    for (int k = 0; k < 64; k++) {
      if (ionkmc_traj_next(t, &fr, &err) != IONKMC_OK || !fr) break;
      volatile double sum = 0;
      for (int i = 0; i < 3 * fr->natoms; i++) sum += fr->x[i];
      (void)sum;
    }
    ionkmc_traj_free(t);
  }
  unlink(path);
  return 0;
}
