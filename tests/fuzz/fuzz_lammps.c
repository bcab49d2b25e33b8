/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the LAMMPS text dump reader (plain). */
#include "fuzz_traj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fuzz_traj(data, size, IONKMC_TRAJ_LAMMPS, ".dump", 0);
}
