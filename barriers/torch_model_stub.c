/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the TorchScript model API when the library is built
 * without libtorch (IONKMC_WITH_TORCH=OFF). Loading reports IONKMC_ESTATE;
 * no model object can exist, so the other calls only see NULL. */
#include "barriers/torch_model.h"

#include <stddef.h>

struct ionkmc_torch_model {
  int unused;
};

int ionkmc_torch_available(void) { return 0; }

ionkmc_torch_model *ionkmc_torch_model_alloc(const char *path, int descriptor_version,
                                             int descriptor_length, ionkmc_error *err,
                                             ionkmc_status *status) {
  ionkmc_status st = ionkmc_error_set(err, IONKMC_ESTATE,
                                      "torch model '%s': ionkmc was built without libtorch",
                                      path ? path : "(null)");
  if (status) *status = st;
  return NULL;
}

void ionkmc_torch_model_free(ionkmc_torch_model *m) { (void)m; }

ionkmc_status ionkmc_torch_model_eval(ionkmc_torch_model *m, const double *x, int batch,
                                      double *Eb, double *nu, ionkmc_error *err) {
  return ionkmc_error_set(err, IONKMC_ESTATE, "torch model: ionkmc was built without libtorch");
}

int ionkmc_torch_model_descriptor_version(const ionkmc_torch_model *m) { return 0; }
int ionkmc_torch_model_descriptor_length(const ionkmc_torch_model *m) { return 0; }
const char *ionkmc_torch_model_units(const ionkmc_torch_model *m) { return ""; }
const char *ionkmc_torch_model_description(const ionkmc_torch_model *m) { return ""; }
const char *ionkmc_torch_model_path(const ionkmc_torch_model *m) { return ""; }

ionkmc_status ionkmc_torch_set_num_threads(int n, ionkmc_error *err) {
  return ionkmc_error_set(err, IONKMC_ESTATE, "torch threads: ionkmc was built without libtorch");
}

int ionkmc_torch_get_num_threads(void) { return 0; }
