/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc status codes, shared by every module.
 * Functions that can fail return one of these; IONKMC_OK is zero. A message
 * with details is kept on the object that failed (see each module). */
#ifndef IONKMC_STATUS_H
#define IONKMC_STATUS_H

typedef enum {
  IONKMC_OK = 0,
  IONKMC_EINVAL = 1,   /* bad argument or bad input data */
  IONKMC_ENOMEM = 2,   /* allocation failed */
  IONKMC_EIO = 3,      /* file could not be read or written */
  IONKMC_EPARSE = 4,   /* file could be read but is malformed */
  IONKMC_ERANGE = 5,   /* a value is outside its allowed range */
  IONKMC_ESTATE = 6,   /* the object is in a state that forbids the call */
  IONKMC_EINTERNAL = 7, /* a numerical or internal failure */
  IONKMC_ECANCEL = 8    /* stopped on request (ionkmc_cancel_request) */
} ionkmc_status;

/* An error report: one line of text, filled by the call that failed. The
 * caller owns the struct (usually on its stack); functions that take an
 * ionkmc_error * accept NULL when the caller does not want the text. */
typedef struct {
  char text[512];
} ionkmc_error;

/* printf-style: set err->text (no-op when err is NULL). Returns st. */
ionkmc_status ionkmc_error_set(ionkmc_error *err, ionkmc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A short constant English name for a status ("ok", "invalid argument", ...). */
const char *ionkmc_status_str(ionkmc_status s);

/* Cancellation of long calls (KMC batches, MD passes), process-wide: a
 * request makes the loops that poll it stop at their next unit of work (one
 * trajectory, one frame) and return IONKMC_ECANCEL. Safe from any thread and
 * from a signal handler; a request stays set until cleared. */
void ionkmc_cancel_request(void);
void ionkmc_cancel_clear(void);
int ionkmc_cancel_requested(void);

#endif
