/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the extended XYZ reader (Lattice=, Properties=, Time=). */
#include "fuzz_traj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fuzz_traj(data, size, IONKMC_TRAJ_EXTXYZ, ".extxyz", 0);
}
