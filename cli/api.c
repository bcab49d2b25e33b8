/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc C API (cli/api.h): a subcommand in process, its JSON in memory. */
#define _POSIX_C_SOURCE 200809L
#include "cli/api.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "kmc/workq.h"
#include "base/status.h"

typedef int (*cmd_fn)(int argc, char **argv);

/* The commands with a JSON result, the option that writes it, and what keeps
 * stdout quiet (a flag, or an option whose file is discarded). */
static const struct {
  const char *name;
  cmd_fn fn;
  const char *json_opt;
  const char *quiet_flag;
  const char *discard_opt;
} CMDS[] = {
    {"run", cmd_run, "--json", "--quiet", NULL},
    {"sweep", cmd_sweep, "--json", NULL, "--csv"},
    {"calibrate", cmd_calibrate, "--report", "--quiet", NULL},
    {"compare", cmd_compare, "--json", "--quiet", NULL},
    {"synth", cmd_synth, NULL, NULL, NULL}, /* no JSON: it writes --out */
    {"structure", cmd_structure, "--json", NULL, NULL}, /* writes --out; the summary as JSON */
};
enum { NCMDS = sizeof CMDS / sizeof CMDS[0] };

static pthread_mutex_t api_lock = PTHREAD_MUTEX_INITIALIZER;

const char *ionkmc_api_version(void) { return IONKMC_VERSION; }
void ionkmc_api_cancel(void) { ionkmc_cancel_request(); }
void ionkmc_api_free(void *p) { free(p); }

static char *dup_message(const char *s) {
  char *m = malloc(strlen(s) + 1);
  if (m) strcpy(m, s);
  return m;
}

/* The whole file at path, NUL-terminated, or NULL. */
static char *slurp(const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (cap - n < 4096) {
      char *b = realloc(buf, cap ? 2 * cap : 65536);
      if (!b) {
        free(buf);
        fclose(fp);
        return NULL;
      }
      buf = b;
      cap = cap ? 2 * cap : 65536;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, fp);
    n += got;
    if (got == 0) break;
  }
  fclose(fp);
  buf[n] = '\0';
  return buf;
}

static int run_locked(int argc, const char *const *argv, char **json, char **message) {
  if (argc < 1 || !argv || !argv[0]) {
    if (message) *message = dup_message("ionkmc: no command given (expected run, sweep, calibrate or compare)");
    return IONKMC_API_BAD_INPUT;
  }
  int c = 0;
  while (c < NCMDS && strcmp(CMDS[c].name, argv[0])) c++;
  if (c == NCMDS) {
    char buf[256];
    snprintf(buf, sizeof buf, "ionkmc: '%.100s' is not available through the API (expected run, sweep, calibrate, compare, synth or structure)",
             argv[0]);
    if (message) *message = dup_message(buf);
    return IONKMC_API_BAD_INPUT;
  }
  for (int i = 1; i < argc; i++) {
    if (!argv[i]) {
      if (message) *message = dup_message("ionkmc: NULL in the argument vector");
      return IONKMC_API_BAD_INPUT;
    }
    if (CMDS[c].json_opt && !strcmp(argv[i], CMDS[c].json_opt)) {
      char buf[256];
      snprintf(buf, sizeof buf, "ionkmc %s: %s is set by the API (the result is returned in memory)", argv[0],
               CMDS[c].json_opt);
      if (message) *message = dup_message(buf);
      return IONKMC_API_BAD_INPUT;
    }
  }
  int has_discard = 0;
  for (int i = 1; i < argc && CMDS[c].discard_opt; i++) has_discard |= !strcmp(argv[i], CMDS[c].discard_opt);

  const char *tmpdir = getenv("TMPDIR");
  if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
  char dir[4096], jpath[4200], dpath[4200];
  snprintf(dir, sizeof dir, "%s/ionkmc-api.XXXXXX", tmpdir);
  if (!mkdtemp(dir)) {
    char buf[4300];
    snprintf(buf, sizeof buf, "ionkmc %s: cannot create a temporary directory in %s", argv[0], tmpdir);
    if (message) *message = dup_message(buf);
    return IONKMC_API_INTERNAL;
  }
  snprintf(jpath, sizeof jpath, "%s/result.json", dir);
  snprintf(dpath, sizeof dpath, "%s/discard", dir);

  /* "ionkmc", the command, the caller's options, then the result option. */
  int n = 0;
  char **v = calloc((size_t)argc + 6, sizeof *v);
  if (!v) {
    rmdir(dir);
    return IONKMC_API_INTERNAL;
  }
  v[n++] = (char *)"ionkmc";
  for (int i = 0; i < argc; i++) v[n++] = (char *)argv[i];
  if (CMDS[c].json_opt) {
    v[n++] = (char *)CMDS[c].json_opt;
    v[n++] = jpath;
  }
  if (CMDS[c].quiet_flag) v[n++] = (char *)CMDS[c].quiet_flag;
  if (CMDS[c].discard_opt && !has_discard) {
    v[n++] = (char *)CMDS[c].discard_opt;
    v[n++] = dpath;
  }
  v[n] = NULL;

  char *mbuf = NULL;
  size_t mlen = 0;
  FILE *mfp = open_memstream(&mbuf, &mlen);
  cli_set_message_sink(mfp);
  ionkmc_cancel_clear();
  gsl_set_error_handler_off();
  ionkmc_workq_reset(); /* each command starts with its own batch numbers and thread count */
  int rc = CMDS[c].fn(n, v);
  cli_set_message_sink(NULL);
  if (mfp) fclose(mfp);
  if (rc != 0 && ionkmc_cancel_requested()) rc = IONKMC_API_CANCELLED;
  ionkmc_cancel_clear();
  free(v);

  if (rc == 0 && json && CMDS[c].json_opt) {
    *json = slurp(jpath);
    if (!*json) {
      free(mbuf);
      mbuf = dup_message("ionkmc: the command succeeded but its JSON result could not be read back");
      rc = IONKMC_API_INTERNAL;
    }
  }
  unlink(jpath);
  unlink(dpath);
  rmdir(dir);
  if (mbuf && mlen > 0 && mbuf[mlen - 1] == '\n') mbuf[mlen - 1] = '\0';
  if (mbuf && !*mbuf) {
    free(mbuf);
    mbuf = NULL;
  }
  if (message) *message = mbuf;
  else free(mbuf);
  return rc;
}

int ionkmc_api_command(int argc, const char *const *argv, char **json, char **message) {
  if (json) *json = NULL;
  if (message) *message = NULL;
  pthread_mutex_lock(&api_lock);
  int rc = run_locked(argc, argv, json, message);
  pthread_mutex_unlock(&api_lock);
  return rc;
}
