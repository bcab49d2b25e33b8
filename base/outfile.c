/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* fopencookie */
#include "base/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { OUT_STDOUT, OUT_DIRECT, OUT_RENAME };

struct ionkmc_outfile {
  FILE *fp;
  int fd;
  int kind;
  int werr;     /* errno of the first failed write(), 0 if none */
  char *path;   /* as given (messages) */
  char *target; /* the regular file replaced on commit (symlinks resolved) */
  char *tmp;    /* OUT_RENAME: the temporary beside target */
  char *bak;    /* during a set commit: a hard link to the previous target */
  int slot;     /* index in the registry of temporaries, -1 if none */
};

/* Temporaries that exist right now, for ionkmc_outfile_remove_temporaries
 * (a signal handler). Changed only with the catchable signals blocked. */
#define NSLOT 64
static char *volatile registry[2 * NSLOT];

static void block(sigset_t *old) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGHUP);
  sigaddset(&s, SIGQUIT);
  sigprocmask(SIG_BLOCK, &s, old);
}

static void unblock(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

void ionkmc_outfile_remove_temporaries(void) {
  for (int i = 0; i < 2 * NSLOT; i++) {
    char *p = registry[i];
    if (p) unlink(p);
  }
}

static ssize_t cookie_write(void *c, const char *buf, size_t size) {
  ionkmc_outfile *of = c;
  size_t done = 0;
  while (done < size) {
    ssize_t w = write(of->fd, buf + done, size - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (!of->werr) of->werr = w < 0 ? errno : EIO;
      return 0; /* stdio marks the stream as failed */
    }
    done += (size_t)w;
  }
  return (ssize_t)size;
}

static int cookie_close(void *c) {
  (void)c; /* the descriptor is closed (and checked) by finish() */
  return 0;
}

/* Remove temporaries of this destination left by ionkmc processes that no
 * longer exist (killed by SIGKILL or a crash): "<base>.tmp.ionkmc-<pid>-*". */
static void clean_stale(const char *target) {
  const char *slash = strrchr(target, '/');
  size_t dlen = slash ? (size_t)(slash - target) : 0;
  const char *base = slash ? slash + 1 : target;
  char dir[PATH_MAX], prefix[NAME_MAX + 32];
  if (dlen >= sizeof dir) return;
  if (slash) {
    memcpy(dir, target, dlen);
    dir[dlen] = 0;
    if (dlen == 0) strcpy(dir, "/");
  } else {
    strcpy(dir, ".");
  }
  if (snprintf(prefix, sizeof prefix, "%s.tmp.ionkmc-", base) >= (int)sizeof prefix) return;
  size_t plen = strlen(prefix);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, prefix, plen) != 0) continue;
    char *end;
    long pid = strtol(e->d_name + plen, &end, 10);
    if (end == e->d_name + plen || *end != '-' || pid <= 0 || pid == (long)getpid()) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to judge */
    char full[PATH_MAX];
    if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full) unlink(full);
  }
  closedir(d);
}

static int open_stream(ionkmc_outfile *of) {
  cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
  of->fp = fopencookie(of, "w", io);
  return of->fp != NULL;
}

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
  of->fd = -1;
  of->slot = -1;
  if (!strcmp(path, "-")) {
    of->fp = stdout;
    of->kind = OUT_STDOUT;
    return of;
  }
  if (!(of->path = strdup(path))) goto nomem;
  struct stat sb;
  int exists = stat(path, &sb) == 0; /* follows symlinks */
  if (exists && S_ISDIR(sb.st_mode)) {
    ionkmc_error_set(err, IONKMC_EIO, "%s: is a directory, expected a file path", path);
    ionkmc_outfile_abort(of);
    return NULL;
  }
  if (exists && !S_ISREG(sb.st_mode)) {
    /* A device, FIFO or socket: write into it; never replace the node. */
    of->kind = OUT_DIRECT;
    of->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (of->fd < 0) {
      ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write (%s)", path, strerror(errno));
      ionkmc_outfile_abort(of);
      return NULL;
    }
    if (!open_stream(of)) goto nomem;
    return of;
  }
  of->kind = OUT_RENAME;
  /* A symlink to a regular file: replace the file it points to, keep the link. */
  struct stat lb;
  if (exists && lstat(path, &lb) == 0 && S_ISLNK(lb.st_mode)) of->target = realpath(path, NULL);
  else of->target = strdup(path);
  if (!of->target) goto nomem;
  clean_stale(of->target);
  size_t n = strlen(of->target) + 48;
  if (!(of->tmp = malloc(n))) goto nomem;
  snprintf(of->tmp, n, "%s.tmp.ionkmc-%ld-XXXXXX", of->target, (long)getpid());
  sigset_t old;
  block(&old);
  for (int i = 0; i < NSLOT; i++)
    if (!registry[i]) {
      of->slot = i;
      break;
    }
  int fd = of->slot >= 0 ? mkstemp(of->tmp) : (errno = EMFILE, -1);
  if (fd >= 0) registry[of->slot] = of->tmp;
  unblock(&old);
  if (fd < 0) {
    ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    free(of->tmp);
    of->tmp = NULL;
    ionkmc_outfile_abort(of);
    return NULL;
  }
  of->fd = fd;
  if (!open_stream(of)) goto nomem;
  return of;
nomem:
  ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  ionkmc_outfile_abort(of);
  return NULL;
}

FILE *ionkmc_outfile_stream(ionkmc_outfile *of) { return of->fp; }

/* Flush, sync and close; 0 or the errno of the failure. */
static int finish(ionkmc_outfile *of) {
  int e = 0;
  if (of->kind == OUT_STDOUT) {
    if (fflush(stdout) != 0) e = errno ? errno : EIO;
    else if (ferror(stdout)) e = EIO;
    return e;
  }
  if (fflush(of->fp) != 0 || ferror(of->fp)) e = of->werr ? of->werr : (errno ? errno : EIO);
  if (fclose(of->fp) != 0 && !e) e = of->werr ? of->werr : EIO;
  of->fp = NULL;
  if (!e && of->kind == OUT_RENAME) {
    /* Honour the umask like an ordinary fopen would (mkstemp uses 0600). */
    mode_t um = umask(0);
    umask(um);
    if (fchmod(of->fd, 0666 & ~um) != 0) e = errno;
    if (!e && fsync(of->fd) != 0) e = errno;
  }
  if (close(of->fd) != 0 && !e) e = errno;
  of->fd = -1;
  return e;
}

static void unregister(ionkmc_outfile *of) {
  if (of->slot < 0) return;
  sigset_t old;
  block(&old);
  registry[of->slot] = NULL;
  registry[NSLOT + of->slot] = NULL;
  unblock(&old);
}

ionkmc_status ionkmc_outfile_commit_set(ionkmc_outfile **set, int n, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  /* Phase 1: every file written in full and on disk, or nothing moves. */
  for (int i = 0; i < n && !st; i++) {
    if (!set[i]) continue;
    int e = finish(set[i]);
    if (e)
      st = ionkmc_error_set(err, IONKMC_EIO, "%s: write failed (%s)",
                            set[i]->kind == OUT_STDOUT ? "standard output" : set[i]->path,
                            strerror(e));
  }
  /* Phase 2: rename all into place with the catchable signals held; on a
   * failure put every destination back as it was. */
  sigset_t old;
  block(&old);
  int done = 0;
  for (int i = 0; i < n && !st; i++, done++) {
    ionkmc_outfile *of = set[i];
    if (!of || of->kind != OUT_RENAME) continue;
    struct stat sb;
    if (lstat(of->target, &sb) == 0) {
      size_t m = strlen(of->tmp) + 5;
      of->bak = malloc(m);
      if (of->bak) {
        snprintf(of->bak, m, "%s.bak", of->tmp);
        if (link(of->target, of->bak) != 0) {
          int e = errno;
          free(of->bak);
          of->bak = NULL;
          st = ionkmc_error_set(err, IONKMC_EIO, "%s: write failed (cannot keep the old file: %s)",
                                of->path, strerror(e));
          break;
        }
        registry[NSLOT + of->slot] = of->bak;
      } else {
        st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", of->path);
        break;
      }
    }
    if (rename(of->tmp, of->target) != 0) {
      st = ionkmc_error_set(err, IONKMC_EIO, "%s: write failed (%s)", of->path, strerror(errno));
      break;
    }
    registry[of->slot] = NULL; /* the temporary is now the destination */
  }
  if (st) {
    for (int j = 0; j < done; j++) {
      ionkmc_outfile *of = set[j];
      if (!of || of->kind != OUT_RENAME) continue;
      if (of->bak) rename(of->bak, of->target); /* the old file back */
      else unlink(of->target);                  /* there was none */
    }
  }
  for (int i = 0; i < n; i++) {
    if (!set[i]) continue;
    if (set[i]->bak) unlink(set[i]->bak); /* no-op once renamed back */
  }
  unblock(&old);
  for (int i = 0; i < n; i++) {
    ionkmc_outfile *of = set[i];
    set[i] = NULL;
    if (!of) continue;
    if (!st && of->tmp) {
      free(of->tmp); /* renamed: nothing to unlink */
      of->tmp = NULL;
    }
    ionkmc_outfile_abort(of);
  }
  return st;
}

ionkmc_status ionkmc_outfile_commit(ionkmc_outfile *of, ionkmc_error *err) {
  return ionkmc_outfile_commit_set(&of, 1, err);
}

void ionkmc_outfile_abort(ionkmc_outfile *of) {
  if (!of) return;
  if (of->fp && of->kind != OUT_STDOUT) fclose(of->fp);
  if (of->fd >= 0) close(of->fd);
  if (of->tmp) unlink(of->tmp);
  unregister(of);
  free(of->tmp);
  free(of->bak);
  free(of->target);
  free(of->path);
  free(of);
}
