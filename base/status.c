/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/status.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

ionkmc_status ionkmc_error_set(ionkmc_error *err, ionkmc_status st, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
  }
  return st;
}

const char *ionkmc_status_str(ionkmc_status s) {
  switch (s) {
  case IONKMC_OK: return "ok";
  case IONKMC_EINVAL: return "invalid argument";
  case IONKMC_ENOMEM: return "out of memory";
  case IONKMC_EIO: return "i/o error";
  case IONKMC_EPARSE: return "malformed input";
  case IONKMC_ERANGE: return "value out of range";
  case IONKMC_ESTATE: return "bad state";
  case IONKMC_EINTERNAL: return "internal error";
  case IONKMC_ECANCEL: return "cancelled";
  }
  return "unknown status";
}

static atomic_int cancel_flag;

void ionkmc_cancel_request(void) { atomic_store(&cancel_flag, 1); }
void ionkmc_cancel_clear(void) { atomic_store(&cancel_flag, 0); }
int ionkmc_cancel_requested(void) { return atomic_load(&cancel_flag); }
