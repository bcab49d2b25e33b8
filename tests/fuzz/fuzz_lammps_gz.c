/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the LAMMPS dump reader through gzip. Inputs that start with the
 * gzip magic are written as they are (the gzip layer itself is fuzzed);
 * others are compressed first (the dump grammar behind gzip). */
#include "fuzz_traj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int raw = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  return fuzz_traj(data, size, IONKMC_TRAJ_LAMMPS, ".dump.gz", !raw);
}
