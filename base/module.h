/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc base: optional parts built as shared modules and opened with dlopen
 * at their first use.
 *
 * The heavy libraries (libtorch, libhdf5, PLplot, libmpi) are not linked by
 * the program or the library: each lives in a module of its own
 * (libionkmc-torch.so, libionkmc-h5md.so, libionkmc-plot.so,
 * libionkmc-mpi.so), so that a command that does not need one never maps it
 * and start-up stays small. The module exports one entry function (no
 * arguments) that returns its table of entry points; every table begins with
 * an int, its interface version (abi), and most with its size in bytes.
 *
 * Where a module is looked for, in order:
 *   1. $ENV (the spec's env, e.g. IONKMC_H5MD_MODULE), the path of the module
 *      file, when set and not empty: then nowhere else;
 *   2. the directory of the running program (/proc/self/exe);
 *   3. the directory of the object that holds this code, when it is not the
 *      program (libionkmc.so used from Python or another program);
 *   4. <dir>/../<libdir>, <dir> being the program's directory (an installed
 *      tree moved as a whole: <prefix>/bin/ionkmc, <prefix>/<libdir>/...);
 *   5. the install libdir configured by CMake (IONKMC_MODULE_DIR).
 * A module that cannot be found or loaded (missing file, no memory, not a
 * module of this interface version) is an error of the first call that needs
 * it: IONKMC_ENOMEM when the loader ran out of memory, IONKMC_EINTERNAL
 * otherwise (the installation is incomplete; the input is not at fault, and
 * the program exits 1), with one line naming the module, the places tried
 * and the environment variable that sets its path. The outcome, table or error, is
 * kept for the life of the process (a module is never closed).
 *
 * Ownership: an ionkmc_module is static storage of its user (one per module,
 * IONKMC_MODULE_INIT); tables belong to the modules. Thread-safe.
 */
#ifndef IONKMC_MODULE_H
#define IONKMC_MODULE_H

#include <stddef.h>

#include "base/status.h"

typedef struct {
  const char *file;        /* the module's file name, "libionkmc-h5md.so" */
  const char *env;         /* the environment variable with its path */
  const char *entry;       /* the entry function: const void *entry(void) */
  const char *error_entry; /* optional: const char *f(void), why entry gave NULL */
  const char *what;        /* for messages: "the HDF5 (H5MD) module" */
  int abi;                 /* the table's first int must equal this */
  size_t size;             /* and, when nonzero, the size_t after it this */
  int global;              /* 1: RTLD_GLOBAL (the module's own plugins need its symbols) */
} ionkmc_module_spec;

/* How every table begins (the size only where the spec asks for it). */
typedef struct {
  int abi;
  size_t size;
} ionkmc_module_head;

typedef struct {
  ionkmc_module_spec spec;
  /* filled at the first ionkmc_module_get */
  int done;               /* 1 once loaded or failed (read atomically) */
  const void *table;
  void *handle;
  ionkmc_status status;
  char text[sizeof(ionkmc_error)];
} ionkmc_module;

#define IONKMC_MODULE_INIT(...) {.spec = {__VA_ARGS__}}

/* The module's table, loading it at the first call; NULL with err set (and
 * *status when status is not NULL) when it cannot be loaded. */
const void *ionkmc_module_get(ionkmc_module *m, ionkmc_error *err, ionkmc_status *status);
/* Another symbol of a loaded module (NULL if it has none or is not loaded). */
void *ionkmc_module_symbol(ionkmc_module *m, const char *name);
/* Why the module could not be loaded ("" when it is loaded); loads it first. */
const char *ionkmc_module_error(ionkmc_module *m);

#endif
