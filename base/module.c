/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc base: the loader of the optional modules (base/module.h). */
#define _GNU_SOURCE
#include "base/module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IONKMC_MODULE_DIR
#define IONKMC_MODULE_DIR ""
#endif
#ifndef IONKMC_MODULE_RELDIR
#define IONKMC_MODULE_RELDIR "lib"
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
  char tried[400];
  int nomem;
} attempt;

static void note(attempt *a, const char *path, const char *why) {
  size_t n = strlen(a->tried);
  if (n + 1 < sizeof a->tried) snprintf(a->tried + n, sizeof a->tried - n, "%s%s (%s)", n ? "; " : "", path, why);
}

/* Try one candidate path; 1 when m is loaded from it. */
static int try_open(ionkmc_module *m, const char *path, attempt *a) {
  const ionkmc_module_spec *s = &m->spec;
  void *h = dlopen(path, RTLD_NOW | (s->global ? RTLD_GLOBAL : RTLD_LOCAL));
  if (!h) {
    const char *why = dlerror();
    if (!why) why = "cannot open";
    if (strstr(why, "memory") || strstr(why, "map segment")) a->nomem = 1;
    /* dlerror names the path itself: keep only what follows it */
    const char *tail = strstr(why, path);
    if (tail && !strncmp(tail + strlen(path), ": ", 2)) why = tail + strlen(path) + 2;
    note(a, path, why);
    return 0;
  }
  const void *(*entry)(void);
  *(void **)&entry = dlsym(h, s->entry);
  const void *t = entry ? entry() : NULL;
  if (t) {
    const ionkmc_module_head *head = t;
    if (head->abi == s->abi && (!s->size || head->size == s->size)) {
      m->table = t;
      m->handle = h; /* stays open for the life of the process */
      return 1;
    }
    note(a, path, "not an ionkmc module of this version");
  } else {
    const char *(*why)(void);
    *(void **)&why = s->error_entry ? dlsym(h, s->error_entry) : NULL;
    const char *w = why ? why() : NULL;
    note(a, path, w && *w ? w : entry ? "the module could not start" : "not an ionkmc module");
  }
  dlclose(h);
  return 0;
}

/* The directory of path (the file name removed) into dir; 0 if none. */
static int dir_of(const char *path, char *dir, size_t cap) {
  const char *slash = strrchr(path, '/');
  if (!slash || (size_t)(slash - path) >= cap) return 0;
  memcpy(dir, path, (size_t)(slash - path));
  dir[slash - path] = 0;
  return 1;
}

static int try_in(ionkmc_module *m, const char *dir, const char *rel, attempt *a) {
  char path[PATH_MAX];
  int n = rel ? snprintf(path, sizeof path, "%s/../%s/%s", dir, rel, m->spec.file)
              : snprintf(path, sizeof path, "%s/%s", dir, m->spec.file);
  return n > 0 && n < (int)sizeof path && try_open(m, path, a);
}

static void load(ionkmc_module *m) {
  const ionkmc_module_spec *s = &m->spec;
  attempt a = {"", 0};
  const char *env = s->env ? getenv(s->env) : NULL;
  if (env && *env) {
    if (try_open(m, env, &a)) return;
  } else {
    char exe[PATH_MAX], exedir[PATH_MAX] = "", self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
      exe[n] = 0;
      if (dir_of(exe, exedir, sizeof exedir) && try_in(m, exedir, NULL, &a)) return;
    }
    Dl_info info;
    if (dladdr((void *)&ionkmc_module_get, &info) && info.dli_fname && realpath(info.dli_fname, self) &&
        (n <= 0 || strcmp(self, exe)) && dir_of(self, self, sizeof self) && strcmp(self, exedir) &&
        try_in(m, self, NULL, &a))
      return;
    if (*exedir && *IONKMC_MODULE_RELDIR && try_in(m, exedir, IONKMC_MODULE_RELDIR, &a)) return;
    if (*IONKMC_MODULE_DIR && try_in(m, IONKMC_MODULE_DIR, NULL, &a)) return;
  }
  m->status = a.nomem ? IONKMC_ENOMEM : IONKMC_EINTERNAL;
  snprintf(m->text, sizeof m->text, "%s %s could not be loaded%s: %s (set %s to its path)", s->what, s->file,
           a.nomem ? " (out of memory)" : "", a.tried[0] ? a.tried : "not found", s->env);
}

static void ensure(ionkmc_module *m) {
  if (__atomic_load_n(&m->done, __ATOMIC_ACQUIRE)) return;
  pthread_mutex_lock(&lock);
  if (!m->done) {
    load(m);
    __atomic_store_n(&m->done, 1, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&lock);
}

const void *ionkmc_module_get(ionkmc_module *m, ionkmc_error *err, ionkmc_status *status) {
  ensure(m);
  if (m->table) return m->table;
  ionkmc_status st = ionkmc_error_set(err, m->status, "%s", m->text);
  if (status) *status = st;
  return NULL;
}

void *ionkmc_module_symbol(ionkmc_module *m, const char *name) {
  ensure(m);
  return m->handle ? dlsym(m->handle, name) : NULL;
}

const char *ionkmc_module_error(ionkmc_module *m) {
  ensure(m);
  return m->table ? "" : m->text;
}
