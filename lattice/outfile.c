/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
#include "lattice/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ionkmc_outfile {
  FILE *fp;
  int is_stdout;
  char *path;
  char *tmp;
};

ionkmc_outfile *ionkmc_outfile_open(const char *path, ionkmc_error *err) {
  if (!path || !*path) {
    ionkmc_error_set(err, IONKMC_EINVAL, "empty output path");
    return NULL;
  }
  ionkmc_outfile *of = calloc(1, sizeof *of);
  if (!of) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    return NULL;
  }
  if (!strcmp(path, "-")) {
    of->fp = stdout;
    of->is_stdout = 1;
    return of;
  }
  struct stat sb;
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    ionkmc_error_set(err, IONKMC_EIO, "%s: is a directory, expected a file path", path);
    free(of);
    return NULL;
  }
  size_t n = strlen(path);
  of->path = strdup(path);
  of->tmp = malloc(n + 16);
  if (!of->path || !of->tmp) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    ionkmc_outfile_abort(of);
    return NULL;
  }
  snprintf(of->tmp, n + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(of->tmp);
  if (fd < 0) {
    ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    free(of->tmp);
    of->tmp = NULL;
    ionkmc_outfile_abort(of);
    return NULL;
  }
  of->fp = fdopen(fd, "w");
  if (!of->fp) {
    close(fd);
    ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    ionkmc_outfile_abort(of);
    return NULL;
  }
  return of;
}

FILE *ionkmc_outfile_stream(ionkmc_outfile *of) { return of->fp; }

ionkmc_status ionkmc_outfile_commit(ionkmc_outfile *of, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  if (of->is_stdout) {
    if (fflush(stdout) != 0) st = ionkmc_error_set(err, IONKMC_EIO, "standard output: write failed");
    free(of);
    return st;
  }
  int bad = ferror(of->fp);
  if (fclose(of->fp) != 0) bad = 1;
  of->fp = NULL;
  if (!bad) {
    /* Honour the umask like an ordinary fopen would (mkstemp uses 0600). */
    mode_t um = umask(0);
    umask(um);
    chmod(of->tmp, 0666 & ~um);
    if (rename(of->tmp, of->path) != 0) bad = 1;
  }
  if (bad) st = ionkmc_error_set(err, IONKMC_EIO, "%s: write failed (%s)", of->path, strerror(errno));
  ionkmc_outfile_abort(of);
  return st;
}

void ionkmc_outfile_abort(ionkmc_outfile *of) {
  if (!of) return;
  if (of->fp && !of->is_stdout) fclose(of->fp);
  if (of->tmp) unlink(of->tmp); /* after a successful rename this fails harmlessly */
  free(of->tmp);
  free(of->path);
  free(of);
}
