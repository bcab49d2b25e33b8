/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the TorchScript model API (barriers/torch_model.h) in a
 * library that does not link libtorch. The first call opens the libtorch
 * module with dlopen (barriers/torch_module.h says where it is looked for)
 * and every call goes through its table. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barriers/mlff_backend.h"
#include "barriers/torch_module.h"

#ifndef IONKMC_TORCH_MODULE_DIR
#define IONKMC_TORCH_MODULE_DIR ""
#endif
#ifndef IONKMC_TORCH_MODULE_RELDIR
#define IONKMC_TORCH_MODULE_RELDIR ""
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const ionkmc_torch_module_table *table;
static const ionkmc_mlff_backend *mlff_table;
static ionkmc_status load_status = IONKMC_ESTATE;
static char load_text[400];

/* Try one candidate path; 1 on success. Appends "path: why" to tried. */
static int try_open(const char *path, char *tried, size_t cap, int *nomem) {
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  const char *why = NULL;
  if (h) {
    ionkmc_torch_module_fn fn;
    *(void **)&fn = dlsym(h, IONKMC_TORCH_MODULE_SYMBOL);
    const ionkmc_torch_module_table *t = fn ? fn() : NULL;
    if (t && t->abi == IONKMC_TORCH_MODULE_ABI && t->size == sizeof *t) {
      table = t; /* the handle stays open for the life of the process */
      const ionkmc_mlff_backend *(*mfn)(void);
      *(void **)&mfn = dlsym(h, IONKMC_MLFF_MODULE_SYMBOL);
      mlff_table = mfn ? mfn() : NULL;
      return 1;
    }
    why = "not an ionkmc torch module of this version";
    dlclose(h);
  } else {
    why = dlerror();
    if (!why) why = "cannot open";
    if (strstr(why, "memory") || strstr(why, "map segment")) *nomem = 1;
  }
  size_t n = strlen(tried);
  snprintf(tried + n, cap - n, "%s%s (%s)", n ? "; " : "", path, why);
  return 0;
}

static void load(void) {
  char tried[1024] = "", path[PATH_MAX];
  int nomem = 0;
  const char *env = getenv("IONKMC_TORCH_MODULE");
  if (env && *env) {
    if (try_open(env, tried, sizeof tried, &nomem)) return;
  } else {
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
      path[n] = 0;
      char *slash = strrchr(path, '/');
      if (slash && (size_t)(slash - path) + sizeof "/" IONKMC_TORCH_MODULE_FILE < sizeof path) {
        strcpy(slash + 1, IONKMC_TORCH_MODULE_FILE);
        if (try_open(path, tried, sizeof tried, &nomem)) return;
        /* an installed tree moved as a whole: <prefix>/bin/ionkmc and
         * <prefix>/<libdir>/libionkmc-torch.so */
        *slash = 0;
        char rel[PATH_MAX];
        if (*IONKMC_TORCH_MODULE_RELDIR &&
            snprintf(rel, sizeof rel, "%s/../%s/%s", path, IONKMC_TORCH_MODULE_RELDIR, IONKMC_TORCH_MODULE_FILE) <
                (int)sizeof rel &&
            try_open(rel, tried, sizeof tried, &nomem))
          return;
      }
    }
    if (*IONKMC_TORCH_MODULE_DIR &&
        snprintf(path, sizeof path, "%s/%s", IONKMC_TORCH_MODULE_DIR, IONKMC_TORCH_MODULE_FILE) <
            (int)sizeof path &&
        try_open(path, tried, sizeof tried, &nomem))
      return;
  }
  load_status = nomem ? IONKMC_ENOMEM : IONKMC_ESTATE;
  snprintf(load_text, sizeof load_text,
           "the libtorch module %s could not be loaded%s: %s (set IONKMC_TORCH_MODULE to its path)",
           IONKMC_TORCH_MODULE_FILE, nomem ? " (out of memory)" : "", tried);
}

static const ionkmc_torch_module_table *module(ionkmc_error *err, ionkmc_status *st) {
  pthread_once(&once, load);
  if (table) return table;
  ionkmc_status s = ionkmc_error_set(err, load_status, "%s", load_text);
  if (st) *st = s;
  return NULL;
}

int ionkmc_torch_available(void) { return module(NULL, NULL) != NULL; }

ionkmc_torch_model *ionkmc_torch_model_alloc(const char *path, int descriptor_version,
                                             int descriptor_length, ionkmc_error *err,
                                             ionkmc_status *status) {
  ionkmc_status st;
  const ionkmc_torch_module_table *t = module(NULL, &st);
  if (!t) {
    ionkmc_error local;
    ionkmc_error_set(&local, st, "torch model '%s': %s", path ? path : "(null)", load_text);
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
  if (!t) return load_status;
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
  if (!t) return load_status;
  return t->set_num_threads(n, err);
}

int ionkmc_torch_get_num_threads(void) {
  const ionkmc_torch_module_table *t = module(NULL, NULL);
  return t ? t->get_num_threads() : 0;
}

/* The deployed-MLFF backend of the same module, or NULL when the module
 * cannot be loaded (ionkmc_torch_module_error says why). */
const ionkmc_mlff_backend *ionkmc_mlff_backend_get(void) {
  pthread_once(&once, load);
  return mlff_table;
}

const char *ionkmc_torch_module_error(void) {
  pthread_once(&once, load);
  return table ? (mlff_table ? "" : "the libtorch module has no MLFF backend") : load_text;
}
