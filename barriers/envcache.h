/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc environment cache: rates keyed by a 64-bit environment key.
 *
 * Conventions
 *   A key is a hash of everything a rate depends on (the environment
 *   descriptor, the temperature, the provider); the value is the per-path
 *   rate in 1/s (or any double the provider wants to remember).
 *   Open addressing with linear probing over a power-of-two table allocated
 *   once; lookups and inserts never allocate. When the table is 3/4 full the
 *   next insert clears it (and counts a flush), so memory stays bounded.
 *   Hits, misses and flushes are counted for the run report.
 * Ownership: _alloc/_free; the cache owns its table.
 */
#ifndef IONKMC_ENVCACHE_H
#define IONKMC_ENVCACHE_H

#include <stdint.h>

#include "base/status.h"

typedef struct ionkmc_envcache ionkmc_envcache;

/* A table of 2^log2cap slots (4 <= log2cap <= 30). NULL on bad size or ENOMEM. */
ionkmc_envcache *ionkmc_envcache_alloc(int log2cap);
/* Free; NULL is a no-op. */
void ionkmc_envcache_free(ionkmc_envcache *c);
/* 1 and *value if key is cached, else 0. Counts a hit or a miss. */
int ionkmc_envcache_lookup(ionkmc_envcache *c, uint64_t key, double *value);
/* Remember key -> value (replaces an existing value). */
void ionkmc_envcache_insert(ionkmc_envcache *c, uint64_t key, double value);
/* Statistics since the last _clear. */
void ionkmc_envcache_stats(const ionkmc_envcache *c, int64_t *hits, int64_t *misses,
                           int64_t *entries, int64_t *flushes);
/* Count n hits made on the caller's behalf: lookups it skipped because it
 * kept their results itself while no flush intervened (see
 * ionkmc_providers_note_hits). */
void ionkmc_envcache_note_hits(ionkmc_envcache *c, int64_t n);

/* Forget every entry and zero the statistics. */
void ionkmc_envcache_clear(ionkmc_envcache *c);

/* 64-bit hash of n doubles (bit patterns, -0.0 folded into 0.0) mixed with
 * a seed; equal inputs give equal keys. */
uint64_t ionkmc_envcache_key(const double *x, int n, uint64_t seed);

/* 64-bit key of two packed words (a bijective mix of each, then combined). */
uint64_t ionkmc_envcache_key2(uint64_t w0, uint64_t w1);

#endif
