/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc random streams: Philox4x32-10, a counter-based generator
 * (Salmon, Moraes, Dror, Shaw, SC'11).
 *
 * Conventions
 *   A stream is identified by (seed, stream id). In the KMC the stream id is
 *   the run (trajectory) index, never a thread id, so every run draws the same
 *   numbers whatever the number of threads. The 128-bit counter is
 *   (draw index lo, draw index hi, stream lo, stream hi) and the key is the
 *   64-bit seed, so streams never overlap.
 *   The struct lives on the caller's stack or inside another object; it owns
 *   no memory.
 */
#ifndef IONKMC_RNG_H
#define IONKMC_RNG_H

#include <stdint.h>

typedef struct {
  uint32_t key[2];
  uint32_t ctr[4];
} ionkmc_rng;

/* One Philox4x32-10 block: out = philox(ctr, key). */
void ionkmc_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* Blocks produced by one call of ionkmc_philox4x32_10_batch. */
#define IONKMC_PHILOX_BATCH 16

/* IONKMC_PHILOX_BATCH consecutive Philox4x32-10 blocks: block j (0-based) is
 * philox(ctr + j, key), where + j increments the 64-bit draw index
 * (ctr[0], ctr[1]) exactly as ionkmc_rng_uniform2 does. out[4 j + i] is word i
 * of block j. The blocks equal those of IONKMC_PHILOX_BATCH scalar calls; the
 * batch exists so that the compiler can run the lanes in SIMD registers. */
void ionkmc_philox4x32_10_batch(const uint32_t ctr[4], const uint32_t key[2],
                                uint32_t out[4 * IONKMC_PHILOX_BATCH]);

/* Initialise the stream (seed, stream). */
void ionkmc_rng_init(ionkmc_rng *r, uint64_t seed, uint64_t stream);

/* Step the stream past one block (the 64-bit draw index in ctr[0], ctr[1]). */
static inline void ionkmc_rng_advance(ionkmc_rng *r) {
  if (++r->ctr[0] == 0) ++r->ctr[1];
}

/* The two uniform doubles in [0,1), 53 random bits each, of one block o. */
static inline void ionkmc_rng_block_uniform2(const uint32_t o[4], double *u1, double *u2) {
  uint64_t a = ((uint64_t)o[0] << 32) | o[1];
  uint64_t b = ((uint64_t)o[2] << 32) | o[3];
  *u1 = (double)(a >> 11) * 0x1.0p-53;
  *u2 = (double)(b >> 11) * 0x1.0p-53;
}

/* Two uniform doubles in [0,1) with 53 random bits each (one Philox block). */
static inline void ionkmc_rng_uniform2(ionkmc_rng *r, double *u1, double *u2) {
  uint32_t o[4];
  ionkmc_philox4x32_10(r->ctr, r->key, o);
  ionkmc_rng_advance(r);
  ionkmc_rng_block_uniform2(o, u1, u2);
}

/* A stream read IONKMC_PHILOX_BATCH blocks at a time, for loops that draw one
 * block per iteration. _begin borrows the stream r (which must outlive the
 * batch); _uniform2 gives the two uniforms of the stream's next block, as
 * ionkmc_rng_uniform2 would, computing the blocks a batch at a time (the
 * first when it is first asked for); _end leaves r's counter just after the
 * last block given out, where one-at-a-time draws would have left it. The
 * stream must not be read directly between _begin and _end. The struct lives
 * on the caller's stack and owns no memory. */
typedef struct {
  uint32_t buf[4 * IONKMC_PHILOX_BATCH];
  double neglog[IONKMC_PHILOX_BATCH]; /* -log(1 - u1) of each block (_begin_neglog) */
  ionkmc_rng *rng;
  uint64_t first;     /* draw index of buf's first block */
  int used;           /* blocks of buf given out */
  int filled;         /* 1 once buf holds blocks */
  int want_neglog;    /* 1: fill neglog with each batch */
  int64_t libm_calls; /* lanes of neglog left to libm's log (see below) */
} ionkmc_rng_batch;

void ionkmc_rng_batch_begin(ionkmc_rng_batch *b, ionkmc_rng *r);
/* Compute the next IONKMC_PHILOX_BATCH blocks into b->buf (rng.c). */
void ionkmc_rng_batch_refill(ionkmc_rng_batch *b);

static inline void ionkmc_rng_batch_uniform2(ionkmc_rng_batch *b, double *u1, double *u2) {
  if (b->used == IONKMC_PHILOX_BATCH) ionkmc_rng_batch_refill(b);
  ionkmc_rng_block_uniform2(b->buf + 4 * b->used++, u1, u2);
}

void ionkmc_rng_batch_end(ionkmc_rng_batch *b);

/* Exponential variates for residence-time steps.
 *
 * _begin_neglog is _begin for a batch that also computes, for each block,
 * w = -log(1 - u1) with u1 the block's first uniform; _neglog_uniform2 then
 * gives w and the second uniform u2 of the next block (the same blocks, in
 * the same order, as _uniform2; w is an exact Exp(1) draw given u1, and
 * 1 - u1 in (0, 1] is exact).
 *
 * Guarantee: w is bit for bit -log(1 - u1) with the C library's log. The
 * logarithms are computed for the whole batch in SIMD registers (portable,
 * AVX2 or AVX-512 variant chosen at run time; all give the same bits) as
 * double-doubles with relative error below 2^-60; a lane whose rounding to a
 * double is not certain, to within 0.02 ulp of the halfway point between two
 * doubles, is computed by libm's log itself. The result therefore equals
 * libm's wherever libm's own error is below 0.52 ulp (glibc >= 2.28 states
 * 0.519 ulp for log), so an engine using w has the same event sequence and
 * the same clock as one calling log() per event. tests/test_rng_log.c checks
 * the equality on 2^22 draws and the error bound; libm_calls counts the
 * lanes left to libm (about 5 %). */
void ionkmc_rng_batch_begin_neglog(ionkmc_rng_batch *b, ionkmc_rng *r);

static inline void ionkmc_rng_batch_neglog_uniform2(ionkmc_rng_batch *b, double *w, double *u2) {
  if (b->used == IONKMC_PHILOX_BATCH) ionkmc_rng_batch_refill(b);
  const uint32_t *o = b->buf + 4 * b->used;
  *w = b->neglog[b->used++];
  *u2 = (double)((((uint64_t)o[2] << 32) | o[3]) >> 11) * 0x1.0p-53;
}

/* y[j] = -log(v[j]) for IONKMC_PHILOX_BATCH positive normal doubles, as
 * above (bit for bit libm's -log); variant 0 portable, 1 AVX2, 2 AVX-512,
 * -1 or one the CPU lacks: the best it has. Returns the number of lanes
 * left to libm. For tests and benchmarks. */
int ionkmc_rng_neglog_batch(const double v[IONKMC_PHILOX_BATCH], double y[IONKMC_PHILOX_BATCH],
                            int variant);
/* log(v[j]) = hi[j] + lo[j] + (relative error < 2^-60), the double-double
 * behind ionkmc_rng_neglog_batch (portable variant). For tests. */
void ionkmc_rng_log_dd_batch(const double v[IONKMC_PHILOX_BATCH], double hi[IONKMC_PHILOX_BATCH],
                             double lo[IONKMC_PHILOX_BATCH]);
/* Variants this CPU runs: 1 (portable), 2 (and AVX2) or 3 (and AVX-512). */
int ionkmc_rng_neglog_variants(void);

/* Uniform integer in [0, n), n >= 1 (rejection, no modulo bias). */
uint32_t ionkmc_rng_below(ionkmc_rng *r, uint32_t n);

#endif
