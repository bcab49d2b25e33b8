/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the trajectory reader's private parts, shared by
 * traj.c (frame assembly, dispatch), traj_lines.c (the line reader of the
 * text formats), traj_formats.c (the registry) and the format readers
 * traj_lammps.c, traj_extxyz.c and h5md.c. Not a public header. Units as
 * traj.h.
 *
 * A trajectory format is one ionkmc_traj_format_type (below) defined in its
 * own file and listed once in traj_formats.c. A text format sets text = 1
 * and reads lines with traj_next_line / traj_frame_start; a binary format
 * opens the file itself in open() and either fills the scratch arrays and
 * calls traj_finish_frame, or hands frames over as ionkmc_frame_in through
 * t->src (as h5md.c does) and uses traj_read_source as its next(). */
#ifndef IONKMC_TRAJ_IMPL_H
#define IONKMC_TRAJ_IMPL_H

#include <stdint.h>
#include <zlib.h>

#include "calibration/traj.h"

typedef struct {
  gzFile gz;
  char *buf;
  size_t cap, beg, end;
  int eof;
  long line;
  int64_t bytes;
} linereader;

enum { C_SKIP = 0, C_ID, C_TYPE, C_ELEMENT, C_X, C_Y, C_Z, C_IX, C_IY, C_IZ };
enum { CK_NONE = 0, CK_WRAPPED, CK_UNWRAPPED, CK_SCALED, CK_SCALED_UNWRAPPED };

typedef struct ionkmc_traj_format_type ionkmc_traj_format_type;

struct ionkmc_traj {
  const ionkmc_traj_format_type *type; /* the file's format (NULL: a frame source) */
  void *state;       /* the format's own state (freed by its close) */
  char *path;
  ionkmc_traj_options opt;
  linereader lr;
  ionkmc_traj_format fmt;
  int natoms;        /* from the first frame, 0 before */
  int64_t nframes;
  double last_time;
  ionkmc_frame fr;
  int64_t *id;       /* sorted ids (first frame) */
  uint8_t *el;
  double *x;
  double *f;
  int8_t *seen;
  /* scratch for the current frame, in file order */
  int64_t *rid;
  uint8_t *rel;
  double *rx;
  double *rf;
  int32_t *rimg;
  int cap;
  int direct;        /* ids are exactly 1..N */
  char *pending;     /* extxyz: a line read ahead */
  ionkmc_frame_fn src;          /* IONKMC_TRAJ_SOURCE / H5MD: the frame callback */
  void *src_user;
  void (*src_close)(void *user);
};

/* One trajectory format: a row of the registry (traj_formats.c). */
struct ionkmc_traj_format_type {
  const char *name;               /* the --format name, e.g. "lammps" */
  ionkmc_traj_format id;          /* its value in ionkmc_traj_format (IONKMC_TRAJ_AUTO if none) */
  const char *const *extensions;  /* file name endings chosen by auto-detection (a trailing .gz
                                   * removed), NULL-terminated; NULL for none */
  /* 1 if the first n bytes of the file (decompressed when gzip) are this
   * format's; NULL: never chosen from the contents. */
  int (*sniff)(const unsigned char *head, size_t n);
  int text;                       /* 1: the reader opens the shared line reader before open */
  /* Set up a reader whose path and options are filled in (NULL: nothing to
   * do); a failure returns its status with err set, and close is still called. */
  ionkmc_status (*open)(ionkmc_traj *t, ionkmc_error *err);
  /* The next frame into *frame (borrowed; NULL at the end of the file). */
  ionkmc_status (*next)(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err);
  void (*close)(ionkmc_traj *t);  /* free t->state (NULL: nothing to free) */
};

/* The registry. The format of a name ("lammps", ...), of an enum value, or
 * NULL. */
const ionkmc_traj_format_type *traj_format_by_name(const char *name);
const ionkmc_traj_format_type *traj_format_by_id(ionkmc_traj_format id);
/* The format of a file in auto mode: the first format of the registry whose
 * extension matches the path, else the first whose sniff accepts its first
 * bytes, else LAMMPS. */
const ionkmc_traj_format_type *traj_format_detect(const char *path);

/* Return the status with err set (inside a reader, which has `err`). */
#define FAIL(st, ...) return ionkmc_error_set(err, st, __VA_ARGS__)

/* Number parsers: the rest of the string after the number, NULL if none. */
const char *traj_parse_long(const char *p, int64_t *out);
/* 1 if only blanks remain. */
int traj_at_end(const char *p);
/* Room for atom i of n in the frame scratch arrays (forces too when with_f). */
int traj_reserve_atom(ionkmc_traj *t, int64_t i, int64_t n, int with_f);
/* The shared line reader (traj_lines.c): open a plain or gzip file, the next
 * line (NUL-terminated, newline and CR stripped; NULL at the end, *ioerr 1 on
 * a read error, 2 out of memory), close (also after a failed open). */
ionkmc_status traj_lines_open(linereader *r, const char *path, ionkmc_error *err);
char *traj_lines_next(linereader *r, int *ioerr);
void traj_lines_close(linereader *r);
/* The next line, or NULL with *st and err set (expect names what was due). */
char *traj_next_line(ionkmc_traj *t, ionkmc_error *err, ionkmc_status *st, const char *expect);
/* Sort the n atoms read into id order, check them against the first frame
 * and publish t->fr. */
ionkmc_status traj_finish_frame(ionkmc_traj *t, int n, int has_f, ionkmc_error *err);
/* The next blank-separated token of *p (NUL-terminated in place), or NULL. */
char *traj_token(char **p);
/* The first line of the next frame into *line (NULL at the end of the file);
 * sets t->fr.line to its line number. */
ionkmc_status traj_frame_start(ionkmc_traj *t, char **line, ionkmc_error *err);

/* The next frame of t->src (a frame source or a binary format handing
 * frames over as ionkmc_frame_in), through the same id sorting and checks. */
ionkmc_status traj_read_source(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err);

#endif
