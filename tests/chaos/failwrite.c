/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* LD_PRELOAD shim for tests/cli_chaos.sh: makes the n-th call of write()
 * (to a file, not fd 0-2), fsync(), fchmod(), close() (fd > 2), link() or
 * rename() fail, n = $IONKMC_FAILWRITE_AT. With n = 0 nothing fails and the
 * number of such calls is written to $IONKMC_FAILWRITE_COUNT at exit.
 * ionkmc's output files write through a stdio cookie that calls write(), so
 * every step of an output commit passes through here. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static long calls, fail_at = -1;
static int ready;

static int hit(void) {
  if (!ready) {
    const char *s = getenv("IONKMC_FAILWRITE_AT");
    fail_at = s ? atol(s) : -1;
    ready = 1;
  }
  if (fail_at < 0) return 0;
  return ++calls == fail_at;
}

__attribute__((destructor)) static void report(void) {
  const char *p = getenv("IONKMC_FAILWRITE_COUNT");
  if (!p) return;
  FILE *f = fopen(p, "w");
  if (!f) return;
  fprintf(f, "%ld\n", calls);
  fclose(f);
}

#define REAL(ret, name, args) \
  static ret(*real) args;     \
  if (!real) *(void **)&real = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n) {
  REAL(ssize_t, write, (int, const void *, size_t));
  if (fd > 2 && hit()) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, n);
}

int fsync(int fd) {
  REAL(int, fsync, (int));
  if (hit()) {
    errno = EIO;
    return -1;
  }
  return real(fd);
}

int fchmod(int fd, mode_t mode) {
  REAL(int, fchmod, (int, mode_t));
  if (hit()) {
    errno = EPERM;
    return -1;
  }
  return real(fd, mode);
}

int close(int fd) {
  REAL(int, close, (int));
  if (fd > 2 && hit()) {
    real(fd); /* Linux: the descriptor is gone even when close reports an error */
    errno = EIO;
    return -1;
  }
  return real(fd);
}

int link(const char *a, const char *b) {
  REAL(int, link, (const char *, const char *));
  if (hit()) {
    errno = EMLINK;
    return -1;
  }
  return real(a, b);
}

int rename(const char *a, const char *b) {
  REAL(int, rename, (const char *, const char *));
  if (hit()) {
    errno = EIO;
    return -1;
  }
  return real(a, b);
}
