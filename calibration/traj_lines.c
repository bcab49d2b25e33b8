/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared line reader of the text trajectory formats: buffered lines over
 * zlib (plain or gzip files alike), with the messages for truncated frames
 * and read errors. See traj_impl.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "calibration/traj_impl.h"

ionkmc_status traj_lines_open(linereader *r, const char *path, ionkmc_error *err) {
  memset(r, 0, sizeof *r);
  r->gz = gzopen(path, "rb");
  if (!r->gz)
    /* gzopen leaves errno 0 when its own allocation fails */
    return ionkmc_error_set(err, errno == 0 || errno == ENOMEM ? IONKMC_ENOMEM : IONKMC_EIO,
                            "%s: cannot open (%s)", path, errno ? strerror(errno) : "out of memory");
  gzbuffer(r->gz, 1 << 18);
  r->cap = 1 << 20;
  r->buf = malloc(r->cap + 1);
  if (!r->buf) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  r->buf[0] = 0;
  return IONKMC_OK;
}

void traj_lines_close(linereader *r) {
  if (r->gz) gzclose(r->gz);
  free(r->buf);
  memset(r, 0, sizeof *r);
}

/* Next line (NUL-terminated, newline and CR stripped) or NULL at end of file.
 * *ioerr is set to 1 on a read error. */
char *traj_lines_next(linereader *r, int *ioerr) {
  for (;;) {
    char *s = r->buf + r->beg;
    char *nl = memchr(s, '\n', r->end - r->beg);
    if (nl) {
      *nl = 0;
      r->bytes += nl - s + 1;
      r->beg = (size_t)(nl - r->buf) + 1;
      r->line++;
      if (nl > s && nl[-1] == '\r') nl[-1] = 0;
      return s;
    }
    if (r->eof) {
      if (r->end > r->beg) { /* last line without newline */
        r->buf[r->end] = 0;
        r->bytes += r->end - r->beg;
        r->beg = r->end;
        r->line++;
        return s;
      }
      return NULL;
    }
    /* Shift the partial line to the front and refill. */
    size_t rem = r->end - r->beg;
    memmove(r->buf, r->buf + r->beg, rem);
    r->beg = 0;
    r->end = rem;
    if (r->cap - r->end < 65536) {
      size_t ncap = r->cap * 2;
      char *nb = realloc(r->buf, ncap + 1);
      if (!nb) {
        *ioerr = 2;
        return NULL;
      }
      r->buf = nb;
      r->cap = ncap;
    }
    int got = gzread(r->gz, r->buf + r->end, (unsigned)(r->cap - r->end));
    if (got < 0) {
      *ioerr = 1;
      return NULL;
    }
    if (got == 0) {
      int zerr;
      gzerror(r->gz, &zerr);
      if (zerr != Z_OK && zerr != Z_STREAM_END) {
        *ioerr = 1;
        return NULL;
      }
      r->eof = 1;
    }
    r->end += (size_t)got;
    r->buf[r->end] = 0;
  }
}

char *traj_next_line(ionkmc_traj *t, ionkmc_error *err, ionkmc_status *st, const char *expect) {
  int ioerr = 0;
  char *s = traj_lines_next(&t->lr, &ioerr);
  if (s) return s;
  if (ioerr == 2) {
    *st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory (line %ld)", t->path, t->lr.line + 1);
  } else if (ioerr) {
    int zerr;
    const char *msg = gzerror(t->lr.gz, &zerr);
    *st = ionkmc_error_set(err, zerr == Z_MEM_ERROR ? IONKMC_ENOMEM : IONKMC_EIO,
                           "%s: line %ld, frame %lld: read error (%s)", t->path,
                           t->lr.line + 1, (long long)t->nframes, msg ? msg : "unknown");
  } else {
    *st = ionkmc_error_set(err, IONKMC_EPARSE,
                           "%s: line %ld, frame %lld: truncated frame, file ends where %s was expected",
                           t->path, t->lr.line + 1, (long long)t->nframes, expect);
  }
  return NULL;
}


/* The first line of the next frame, skipping blank lines between frames.
 * *line is NULL at the end of the file, the normal end (IONKMC_OK). */
ionkmc_status traj_frame_start(ionkmc_traj *t, char **line, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  int ioerr = 0;
  char *s;
  do {
    s = traj_lines_next(&t->lr, &ioerr);
  } while (s && traj_at_end(s));
  *line = s;
  if (s) t->fr.line = t->lr.line; /* the frame's first line, for its messages */
  if (!s && ioerr) {
    traj_next_line(t, err, &st, "");
    return st ? st : IONKMC_EIO;
  }
  return IONKMC_OK;
}
