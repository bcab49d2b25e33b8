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

/* Initialise the stream (seed, stream). */
void ionkmc_rng_init(ionkmc_rng *r, uint64_t seed, uint64_t stream);

/* Two uniform doubles in [0,1) with 53 random bits each (one Philox block). */
static inline void ionkmc_rng_uniform2(ionkmc_rng *r, double *u1, double *u2) {
  uint32_t o[4];
  ionkmc_philox4x32_10(r->ctr, r->key, o);
  if (++r->ctr[0] == 0) ++r->ctr[1];
  uint64_t a = ((uint64_t)o[0] << 32) | o[1];
  uint64_t b = ((uint64_t)o[2] << 32) | o[3];
  *u1 = (double)(a >> 11) * 0x1.0p-53;
  *u2 = (double)(b >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n >= 1 (rejection, no modulo bias). */
uint32_t ionkmc_rng_below(ionkmc_rng *r, uint32_t n);

#endif
