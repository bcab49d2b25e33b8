/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the interface between the library and the libtorch
 * module (libionkmc-torch.so).
 *
 * libtorch maps about 1 GB when it is loaded, so the library does not link
 * it: barriers/torch_module.cpp is built as a shared module of its own, and
 * barriers/torch_loader.c opens it with dlopen at the first call of any
 * ionkmc_torch_* function (barriers/torch_model.h). A program that never
 * uses a torch provider never maps libtorch.
 *
 * The module is looked for and loaded by the module loader of base/module.h
 * ($IONKMC_TORCH_MODULE, the program's directory, the library's, the
 * install libdir). A module that cannot be found or loaded (missing file, no
 * memory, wrong interface version) is an error of the calling ionkmc_torch_*
 * function: IONKMC_ENOMEM when the loader ran out of memory, IONKMC_EINTERNAL
 * otherwise, with the places tried in the message.
 *
 * The module exports one symbol, IONKMC_TORCH_MODULE_SYMBOL, a function that
 * returns its table of entry points (static storage, never freed). Every other
 * symbol of the module is hidden.
 */
#ifndef IONKMC_TORCH_MODULE_H
#define IONKMC_TORCH_MODULE_H

#include <stddef.h>

#include "barriers/torch_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IONKMC_TORCH_MODULE_ABI 1
#define IONKMC_TORCH_MODULE_FILE "libionkmc-torch.so"
#define IONKMC_TORCH_MODULE_SYMBOL "ionkmc_torch_module_v1"
/* The deployed-MLFF backend in the same module (barriers/mlff_backend.h). */
#define IONKMC_MLFF_MODULE_SYMBOL "ionkmc_mlff_backend_module_v1"

typedef struct {
  int abi;         /* IONKMC_TORCH_MODULE_ABI */
  size_t size;     /* sizeof (ionkmc_torch_module_table) */
  ionkmc_torch_model *(*model_alloc)(const char *, int, int, ionkmc_error *, ionkmc_status *);
  void (*model_free)(ionkmc_torch_model *);
  ionkmc_status (*model_eval)(ionkmc_torch_model *, const double *, int, double *, double *,
                              ionkmc_error *);
  int (*descriptor_version)(const ionkmc_torch_model *);
  int (*descriptor_length)(const ionkmc_torch_model *);
  const char *(*units)(const ionkmc_torch_model *);
  const char *(*description)(const ionkmc_torch_model *);
  const char *(*path)(const ionkmc_torch_model *);
  ionkmc_status (*set_num_threads)(int, ionkmc_error *);
  int (*get_num_threads)(void);
} ionkmc_torch_module_table;

typedef const ionkmc_torch_module_table *(*ionkmc_torch_module_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
