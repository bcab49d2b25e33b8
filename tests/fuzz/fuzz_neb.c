/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the three NEB band readers (VTST neb.dat, ASE extxyz band,
 * LAMMPS neb log), chosen by the first byte, and the Hermite fit of what
 * they read. */
#include "fuzz_common.h"

#include "calibration/neb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const ionkmc_neb_format fmt[3] = {IONKMC_NEB_VTST, IONKMC_NEB_EXTXYZ, IONKMC_NEB_LAMMPS};
  static const char *const suffix[3] = {".dat", ".xyz", ".log"};
  int f = data[0] % 3;
  const char *path = fuzz_file(data + 1, size - 1, suffix[f], 0);
  ionkmc_neb_band *band = malloc(sizeof *band);
  if (!band) abort();
  ionkmc_error err;
  if (ionkmc_neb_read(path, fmt[f], band, &err) == IONKMC_OK) {
    ionkmc_neb_result r;
    if (ionkmc_neb_fit(band, &r, &err) == IONKMC_OK) {
      volatile double e = ionkmc_neb_eval(band, 0.5 * (band->s[0] + band->s[band->n - 1]));
      (void)e;
    }
  }
  free(band);
  unlink(path);
  return 0;
}
