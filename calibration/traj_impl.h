/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the trajectory reader's private parts, shared by
 * traj.c (frame assembly, line reader, dispatch) and the text format readers
 * traj_lammps.c and traj_extxyz.c. Not a public header. Units as traj.h. */
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

struct ionkmc_traj {
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

/* Return the status with err set (inside a reader, which has `err`). */
#define FAIL(st, ...) return ionkmc_error_set(err, st, __VA_ARGS__)

/* Number parsers: the rest of the string after the number, NULL if none. */
const char *traj_parse_long(const char *p, int64_t *out);
/* 1 if only blanks remain. */
int traj_at_end(const char *p);
/* Room for atom i of n in the frame scratch arrays (forces too when with_f). */
int traj_reserve_atom(ionkmc_traj *t, int64_t i, int64_t n, int with_f);
/* The next line, or NULL with *st and err set (expect names what was due). */
char *traj_next_line(ionkmc_traj *t, ionkmc_error *err, ionkmc_status *st, const char *expect);
/* Sort the n atoms read into id order, check them against the first frame
 * and publish t->fr. */
ionkmc_status traj_finish_frame(ionkmc_traj *t, int n, int has_f, ionkmc_error *err);
/* The next blank-separated token of *p (NUL-terminated in place), or NULL. */
char *traj_token(char **p);
/* The first line of the next frame into *line (NULL at the end of the file). */
ionkmc_status traj_frame_start(ionkmc_traj *t, char **line, ionkmc_error *err);

/* The format readers: the next frame, or *frame = NULL at the end. */
ionkmc_status traj_read_lammps(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err);
ionkmc_status traj_read_extxyz(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err);

#endif
