/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc process set-up for programs that use the library.
 *
 * ionkmc_init() makes the process-wide settings the library relies on:
 *   - GSL's error handler is turned off (gsl_set_error_handler_off). GSL's
 *     default handler prints and calls abort(); the library checks its
 *     arguments and reads the status codes GSL returns, so a numerical
 *     corner case (a singular fit, an integral that does not converge)
 *     becomes an ionkmc_status with a message instead of killing the run.
 * Call it once, at start-up, before any thread calls into the library; it
 * replaces a handler the program may have installed itself (set yours after
 * it). Calling it again is harmless. The ionkmc program (cli/main.c) and
 * the Python package (python/ionkmc/_lib.py, on import) call it; a program
 * that links the library directly should too. (The C API of cli/api.h also
 * turns GSL's handler off before each command.)
 * Returns IONKMC_OK (the status is there so that later settings can fail).
 * Units, ownership: none; no state is allocated.
 */
#ifndef IONKMC_INIT_H
#define IONKMC_INIT_H

#include "base/status.h"

ionkmc_status ionkmc_init(void);

#endif
