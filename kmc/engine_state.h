/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc engine state: the state of a run in progress as bytes, for
 * checkpoints (kmc/checkpoint.h) and the work queue (kmc/workq.h).
 *
 * Units: events (hops), simulated time in s.
 * Ownership: the caller owns buf; nothing here allocates.
 *
 * The state is this build's layout (the checkpoint file records the sizes
 * that must agree). Its size is 0 when the engine cannot be saved:
 * environment-dependent rates, whose provider caches are not saved, and
 * boxes with thermal Frenkel pairs (their runs are saved when finished).
 */
#ifndef IONKMC_ENGINE_STATE_H
#define IONKMC_ENGINE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "kmc/engine.h"
#include "base/status.h"

/* Size in bytes of the state (0: cannot be saved). */
size_t ionkmc_engine_state_bytes(const ionkmc_engine *e);
/* Save into buf of ionkmc_engine_state_bytes(e) bytes. */
void ionkmc_engine_state_save(const ionkmc_engine *e, void *buf);
/* Load; IONKMC_EINVAL when the state is of another box. */
ionkmc_status ionkmc_engine_state_load(ionkmc_engine *e, const void *buf, size_t nbytes, ionkmc_error *err);
/* Progress so far: events, time, no-event flag. */
void ionkmc_engine_state_progress(const ionkmc_engine *e, int64_t *hops, double *t, int *no_events);

#endif
