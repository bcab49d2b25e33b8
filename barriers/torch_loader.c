/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the TorchScript model API (barriers/torch_model.h) in a
 * library that does not link libtorch. The first call opens the libtorch
 * module with dlopen (barriers/torch_module.h says where it is looked for)
 * and every call goes through its table. */
#include <stdio.h>

#include "barriers/mlff_backend.h"
#include "barriers/torch_module.h"
#include "base/module.h"

static ionkmc_module torch_mod = IONKMC_MODULE_INIT(
    .file = IONKMC_TORCH_MODULE_FILE, .env = "IONKMC_TORCH_MODULE", .entry = IONKMC_TORCH_MODULE_SYMBOL,
    .what = "the libtorch module", .abi = IONKMC_TORCH_MODULE_ABI, .size = sizeof(ionkmc_torch_module_table));

static const ionkmc_torch_module_table *module(ionkmc_error *err, ionkmc_status *st) {
  return ionkmc_module_get(&torch_mod, err, st);
}
/* The table of a module already loaded (a model exists only then). */
#define table ((const ionkmc_torch_module_table *)torch_mod.table)

int ionkmc_torch_available(void) { return module(NULL, NULL) != NULL; }

ionkmc_torch_model *ionkmc_torch_model_alloc(const char *path, int descriptor_version,
                                             int descriptor_length, ionkmc_error *err,
                                             ionkmc_status *status) {
  ionkmc_status st;
  const ionkmc_torch_module_table *t = module(NULL, &st);
  if (!t) {
    ionkmc_error local;
    ionkmc_error_set(&local, st, "torch model '%s': %s", path ? path : "(null)", ionkmc_module_error(&torch_mod));
    if (err) *err = local;
    if (status) *status = st;
    return NULL;
  }
  return t->model_alloc(path, descriptor_version, descriptor_length, err, status);
}

/* A model exists only if the module was loaded. */
void ionkmc_torch_model_free(ionkmc_torch_model *m) {
  if (m && table) table->model_free(m);
}

ionkmc_status ionkmc_torch_model_eval(ionkmc_torch_model *m, const double *x, int batch,
                                      double *Eb, double *nu, ionkmc_error *err) {
  const ionkmc_torch_module_table *t = module(err, NULL);
  if (!t) return torch_mod.status;
  return t->model_eval(m, x, batch, Eb, nu, err);
}

int ionkmc_torch_model_descriptor_version(const ionkmc_torch_model *m) {
  return m && table ? table->descriptor_version(m) : 0;
}
int ionkmc_torch_model_descriptor_length(const ionkmc_torch_model *m) {
  return m && table ? table->descriptor_length(m) : 0;
}
const char *ionkmc_torch_model_units(const ionkmc_torch_model *m) {
  return m && table ? table->units(m) : "";
}
const char *ionkmc_torch_model_description(const ionkmc_torch_model *m) {
  return m && table ? table->description(m) : "";
}
const char *ionkmc_torch_model_path(const ionkmc_torch_model *m) {
  return m && table ? table->path(m) : "";
}

ionkmc_status ionkmc_torch_set_num_threads(int n, ionkmc_error *err) {
  const ionkmc_torch_module_table *t = module(err, NULL);
  if (!t) return torch_mod.status;
  return t->set_num_threads(n, err);
}

int ionkmc_torch_get_num_threads(void) {
  const ionkmc_torch_module_table *t = module(NULL, NULL);
  return t ? t->get_num_threads() : 0;
}

/* The deployed-MLFF backend of the same module, or NULL when the module
 * cannot be loaded (ionkmc_torch_module_error says why). */
const ionkmc_mlff_backend *ionkmc_mlff_backend_get(void) {
  const ionkmc_mlff_backend *(*fn)(void);
  *(void **)&fn = ionkmc_module_symbol(&torch_mod, IONKMC_MLFF_MODULE_SYMBOL);
  return fn ? fn() : NULL;
}

const char *ionkmc_torch_module_error(void) {
  if (!module(NULL, NULL)) return ionkmc_module_error(&torch_mod);
  return ionkmc_mlff_backend_get() ? "" : "the libtorch module has no MLFF backend";
}
