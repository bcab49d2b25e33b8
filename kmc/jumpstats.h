/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc engine: the optional jump log, one entry per defect hop, from
 * which the geometry and correlation statistics of calibration/hopgeom.h
 * are taken.
 *
 * Conventions
 *   Off by default: an engine logs nothing until ionkmc_engine_jumplog_alloc
 *   preallocates the buffer (capacity entries); the step then writes one
 *   entry per hop that moves a defect and allocates nothing. When the buffer
 *   is full further hops are counted as dropped, not logged. The reset
 *   empties the log. A hop that ends in recombination (no defect left to
 *   move) is not logged.
 *   Units: time in s (the event's time, after its waiting time), lengths in
 *   h = a/2 units.
 * Ownership: the log belongs to the engine (freed with it); the entries
 * returned are borrowed until the next step or reset.
 */
#ifndef IONKMC_JUMPSTATS_H
#define IONKMC_JUMPSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

typedef struct ionkmc_engine ionkmc_engine;

typedef struct {
  double t;          /* s */
  int32_t defect;    /* defect slot (ionkmc_engine_defect numbering) */
  int32_t from_site; /* origin site of the defect */
  int8_t dh[3];      /* defect displacement, h */
  uint8_t natoms;    /* atoms the hop moved */
  int32_t jump2;     /* sum over those atoms of |jump|^2, h^2 */
} ionkmc_jump_entry;

/* Preallocate a log of capacity >= 1 entries (a second call replaces it).
 * IONKMC_EINVAL for capacity 0, IONKMC_ENOMEM. */
ionkmc_status ionkmc_engine_jumplog_alloc(ionkmc_engine *e, size_t capacity, ionkmc_error *err);
/* The entries since the reset (*n of them; NULL and 0 without a log) and,
 * through dropped (may be NULL), the hops not logged for want of room. */
const ionkmc_jump_entry *ionkmc_engine_jumplog(const ionkmc_engine *e, size_t *n, int64_t *dropped);

#endif
