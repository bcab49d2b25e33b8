/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/init.h"

#include <gsl/gsl_errno.h>

ionkmc_status ionkmc_init(void) {
  gsl_set_error_handler_off();
  return IONKMC_OK;
}
