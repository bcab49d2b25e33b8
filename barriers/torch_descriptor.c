/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the version-1 environment descriptor of torch barrier
 * models (layout in barriers/torch_model.h). Built with or without libtorch. */
#include "barriers/torch_model.h"

_Static_assert(IONKMC_TORCH_DESCRIPTOR_VERSION != 1 || IONKMC_TORCH_DESCRIPTOR_LENGTH == 18,
               "version 1 of the descriptor has 18 entries (six defect kinds)");

void ionkmc_torch_descriptor_fill(double x[IONKMC_TORCH_DESCRIPTOR_LENGTH], double q,
                                  double hop, double a, double field_energy,
                                  const int init_counts[IONKMC_NDEFECT],
                                  const int final_counts[IONKMC_NDEFECT],
                                  double cos2_sum, int ncages) {
  x[IONKMC_TORCH_X_CHARGE] = q;
  x[IONKMC_TORCH_X_HOP] = hop;
  x[IONKMC_TORCH_X_ACELL] = a;
  x[IONKMC_TORCH_X_FIELD] = field_energy;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    x[IONKMC_TORCH_X_NB_INIT + k] = init_counts ? (double)init_counts[k] : 0.0;
    x[IONKMC_TORCH_X_NB_FINAL + k] = final_counts ? (double)final_counts[k] : 0.0;
  }
  x[IONKMC_TORCH_X_COS2] = cos2_sum;
  x[IONKMC_TORCH_X_NCAGES] = (double)ncages;
}
