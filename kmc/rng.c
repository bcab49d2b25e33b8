/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/rng.h"

#include <math.h>
#include <string.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

void ionkmc_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c1 = (uint32_t)p1;
    c3 = (uint32_t)p0;
    c0 = n0;
    c2 = n2;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* Portable batch: the lanes in separate arrays, one per counter word. */
static void philox_batch_generic(const uint32_t ctr[4], const uint32_t key[2],
                                 uint32_t out[4 * IONKMC_PHILOX_BATCH]) {
  enum { N = IONKMC_PHILOX_BATCH };
  uint32_t c0[N], c1[N], c2[N], c3[N];
  for (int j = 0; j < N; j++) {
    uint32_t lo = ctr[0] + (uint32_t)j;
    c0[j] = lo;
    c1[j] = ctr[1] + (lo < ctr[0]);
    c2[j] = ctr[2];
    c3[j] = ctr[3];
  }
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    for (int j = 0; j < N; j++) {
      uint64_t p0 = (uint64_t)PHILOX_M0 * c0[j];
      uint64_t p1 = (uint64_t)PHILOX_M1 * c2[j];
      uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[j] ^ k0;
      uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3[j] ^ k1;
      c1[j] = (uint32_t)p1;
      c3[j] = (uint32_t)p0;
      c0[j] = n0;
      c2[j] = n2;
    }
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  for (int j = 0; j < N; j++) {
    out[4 * j + 0] = c0[j];
    out[4 * j + 1] = c1[j];
    out[4 * j + 2] = c2[j];
    out[4 * j + 3] = c3[j];
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define IONKMC_PHILOX_AVX2 1
_Static_assert(IONKMC_PHILOX_BATCH == 16, "the SIMD batches hold 16 blocks");

/* Eight lanes of 32-bit words per register. _mm256_mul_epu32 multiplies the
 * even lanes into 64-bit products; the odd lanes are shifted down first. The
 * high and low halves are then merged back into lane order. */
__attribute__((target("avx2"))) static inline __m256i mulhilo8(__m256i a, __m256i m,
                                                               __m256i *lo) {
  const __m256i lomask = _mm256_set1_epi64x(0xFFFFFFFFll);
  __m256i pe = _mm256_mul_epu32(a, m);
  __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  *lo = _mm256_or_si256(_mm256_and_si256(pe, lomask), _mm256_slli_epi64(po, 32));
  return _mm256_or_si256(_mm256_srli_epi64(pe, 32), _mm256_andnot_si256(lomask, po));
}

/* Eight blocks starting at draw index (lo, hi) of the stream (c2, c3). */
__attribute__((target("avx2"))) static void philox8_avx2(uint32_t lo, uint32_t hi, uint32_t c2w,
                                                         uint32_t c3w, const uint32_t key[2],
                                                         uint32_t out[32]) {
  /* Lane j holds block j: counter word 0 is lo + j, word 1 carries. */
  const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i base = _mm256_set1_epi32((int)lo);
  __m256i c0 = _mm256_add_epi32(base, iota);
  /* carry where c0 < lo (unsigned): compare with the sign bits flipped */
  const __m256i sign = _mm256_set1_epi32((int)0x80000000u);
  __m256i carry = _mm256_cmpgt_epi32(_mm256_xor_si256(base, sign), _mm256_xor_si256(c0, sign));
  __m256i c1 = _mm256_sub_epi32(_mm256_set1_epi32((int)hi), carry);
  __m256i c2 = _mm256_set1_epi32((int)c2w);
  __m256i c3 = _mm256_set1_epi32((int)c3w);
  const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M0), m1 = _mm256_set1_epi32((int)PHILOX_M1);
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    __m256i lo0, lo1;
    __m256i hi0 = mulhilo8(c0, m0, &lo0);
    __m256i hi1 = mulhilo8(c2, m1, &lo1);
    __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32((int)k0));
    __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
    c1 = lo1;
    c3 = lo0;
    c0 = n0;
    c2 = n2;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  /* Transpose the four word vectors into blocks. */
  __m256i t0 = _mm256_unpacklo_epi32(c0, c1); /* blocks 0,1 | 4,5: words 0,1 */
  __m256i t1 = _mm256_unpackhi_epi32(c0, c1); /* blocks 2,3 | 6,7 */
  __m256i t2 = _mm256_unpacklo_epi32(c2, c3);
  __m256i t3 = _mm256_unpackhi_epi32(c2, c3);
  __m256i b0 = _mm256_unpacklo_epi64(t0, t2); /* block 0 | block 4 */
  __m256i b1 = _mm256_unpackhi_epi64(t0, t2); /* block 1 | block 5 */
  __m256i b2 = _mm256_unpacklo_epi64(t1, t3); /* block 2 | block 6 */
  __m256i b3 = _mm256_unpackhi_epi64(t1, t3); /* block 3 | block 7 */
  __m256i *o = (__m256i *)out;
  _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(b0, b1, 0x20));
  _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(b2, b3, 0x20));
  _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(b0, b1, 0x31));
  _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(b2, b3, 0x31));
}

__attribute__((target("avx2"))) static void philox_batch_avx2(const uint32_t ctr[4],
                                                              const uint32_t key[2],
                                                              uint32_t out[4 * IONKMC_PHILOX_BATCH]) {
  uint32_t lo = ctr[0] + 8u;
  philox8_avx2(ctr[0], ctr[1], ctr[2], ctr[3], key, out);
  philox8_avx2(lo, ctr[1] + (lo < ctr[0]), ctr[2], ctr[3], key, out + 32);
}

/* Sixteen lanes per register; as mulhilo8. */
__attribute__((target("avx512f"))) static inline __m512i mulhilo16(__m512i a, __m512i m,
                                                                   __m512i *lo) {
  const __m512i lomask = _mm512_set1_epi64(0xFFFFFFFFll);
  __m512i pe = _mm512_mul_epu32(a, m);
  __m512i po = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
  *lo = _mm512_or_si512(_mm512_and_si512(pe, lomask), _mm512_slli_epi64(po, 32));
  return _mm512_or_si512(_mm512_srli_epi64(pe, 32), _mm512_andnot_si512(lomask, po));
}

__attribute__((target("avx512f"))) static void philox_batch_avx512(const uint32_t ctr[4],
                                                                   const uint32_t key[2],
                                                                   uint32_t out[4 * IONKMC_PHILOX_BATCH]) {
  const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __m512i base = _mm512_set1_epi32((int)ctr[0]);
  __m512i c0 = _mm512_add_epi32(base, iota);
  __mmask16 carry = _mm512_cmplt_epu32_mask(c0, base);
  __m512i c1 = _mm512_mask_add_epi32(_mm512_set1_epi32((int)ctr[1]), carry,
                                     _mm512_set1_epi32((int)ctr[1]), _mm512_set1_epi32(1));
  __m512i c2 = _mm512_set1_epi32((int)ctr[2]);
  __m512i c3 = _mm512_set1_epi32((int)ctr[3]);
  const __m512i m0 = _mm512_set1_epi32((int)PHILOX_M0), m1 = _mm512_set1_epi32((int)PHILOX_M1);
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    __m512i lo0, lo1;
    __m512i hi0 = mulhilo16(c0, m0, &lo0);
    __m512i hi1 = mulhilo16(c2, m1, &lo1);
    __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32((int)k0));
    __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32((int)k1));
    c1 = lo1;
    c3 = lo0;
    c0 = n0;
    c2 = n2;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  /* Interleave the four word vectors into blocks with two-source permutes:
   * first pairs (w0,w1) and (w2,w3) per block, then the two pairs. */
  const __m512i lo01 = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i hi01 = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30,
                                         15, 31);
  __m512i a0 = _mm512_permutex2var_epi32(c0, lo01, c1); /* blocks 0-7: w0 w1 */
  __m512i a1 = _mm512_permutex2var_epi32(c0, hi01, c1); /* blocks 8-15 */
  __m512i b0 = _mm512_permutex2var_epi32(c2, lo01, c3); /* blocks 0-7: w2 w3 */
  __m512i b1 = _mm512_permutex2var_epi32(c2, hi01, c3);
  /* 64-bit pairs: block j = (a pair j, b pair j) */
  const __m512i lo64 = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
  const __m512i hi64 = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
  _mm512_storeu_si512(out + 0, _mm512_permutex2var_epi64(a0, lo64, b0));
  _mm512_storeu_si512(out + 16, _mm512_permutex2var_epi64(a0, hi64, b0));
  _mm512_storeu_si512(out + 32, _mm512_permutex2var_epi64(a1, lo64, b1));
  _mm512_storeu_si512(out + 48, _mm512_permutex2var_epi64(a1, hi64, b1));
}
#endif

void ionkmc_philox4x32_10_batch(const uint32_t ctr[4], const uint32_t key[2],
                                uint32_t out[4 * IONKMC_PHILOX_BATCH]) {
#ifdef IONKMC_PHILOX_AVX2
  if (__builtin_cpu_supports("avx512f")) {
    philox_batch_avx512(ctr, key, out);
    return;
  }
  if (__builtin_cpu_supports("avx2")) {
    philox_batch_avx2(ctr, key, out);
    return;
  }
#endif
  philox_batch_generic(ctr, key, out);
}

void ionkmc_rng_init(ionkmc_rng *r, uint64_t seed, uint64_t stream) {
  r->key[0] = (uint32_t)seed;
  r->key[1] = (uint32_t)(seed >> 32);
  r->ctr[0] = 0;
  r->ctr[1] = 0;
  r->ctr[2] = (uint32_t)stream;
  r->ctr[3] = (uint32_t)(stream >> 32);
}

uint32_t ionkmc_rng_below(ionkmc_rng *r, uint32_t n) {
  for (;;) {
    double u, v;
    ionkmc_rng_uniform2(r, &u, &v);
    uint32_t x = (uint32_t)(u * n);
    if (x < n) return x;
  }
}

void ionkmc_rng_batch_begin(ionkmc_rng_batch *b, ionkmc_rng *r) {
  b->rng = r;
  b->first = ((uint64_t)r->ctr[1] << 32) | r->ctr[0];
  b->used = IONKMC_PHILOX_BATCH;
  b->filled = 0;
  b->want_neglog = 0;
  b->libm_calls = 0;
}

void ionkmc_rng_batch_begin_neglog(ionkmc_rng_batch *b, ionkmc_rng *r) {
  ionkmc_rng_batch_begin(b, r);
  b->want_neglog = 1;
}

static void batch_neglog(ionkmc_rng_batch *b);

void ionkmc_rng_batch_refill(ionkmc_rng_batch *b) {
  if (b->filled) b->first += IONKMC_PHILOX_BATCH;
  uint32_t c[4] = {(uint32_t)b->first, (uint32_t)(b->first >> 32), b->rng->ctr[2], b->rng->ctr[3]};
  ionkmc_philox4x32_10_batch(c, b->rng->key, b->buf);
  if (b->want_neglog) batch_neglog(b);
  b->used = 0;
  b->filled = 1;
}

void ionkmc_rng_batch_end(ionkmc_rng_batch *b) {
  if (!b->filled) return;
  uint64_t after = b->first + (uint64_t)b->used;
  b->rng->ctr[0] = (uint32_t)after;
  b->rng->ctr[1] = (uint32_t)(after >> 32);
}

/* ---- The waiting times' logarithms, a batch at a time ----
 *
 * For v = 1 - u in (0, 1], log v = (E + a) ln 2 - log c + log1p(r), where
 * v = 2^E m with m in [1, 2), the table entry of m's top seven fraction bits
 * gives c (nine significant bits) and a (kmc/rng_log_table.h), and
 * r = m c 2^-a - 1, |r| <= 2^-7, is computed exactly as a double-double.
 * Every sum is an exact two-sum and r^2 an exact product (Dekker's, or
 * fma), so the double-double y = yh + yl differs from log v by terms of
 * relative size below 2^-64 (rounding of the terms of order r^3 and of the low parts;
 * the series is cut after r^9, the rest below |r|^10 / 10 < 2^-73 |r|).
 * The file is compiled with -ffp-contract=off (CMakeLists.txt), so the
 * exact steps stay exact; the AVX2 and AVX-512 variants use fma() for r^2
 * and the series, which changes the double-double's last bits but not its
 * bound, and every variant returns libm's value.
 *
 * yh is libm's log(v) whenever the exact value lies farther than
 * LOG_LIBM_SLACK ulp of yh (plus y's own error bound) from the midpoint
 * between yh and a neighbour: a libm whose error stays below
 * 0.5 + LOG_LIBM_SLACK ulp (glibc's log since 2.28 states 0.519 ulp) then
 * returns yh. Every other lane, and a yh that is 0 or a power of two (where
 * the spacing of doubles changes), is left to libm's log itself. */
#include "kmc/rng_log_table.h"

/* how far past half an ulp libm's log may be wrong (in ulp) */
#define LOG_LIBM_SLACK 0.02
/* bound on the relative error of yh + yl (see above; 2^4 above the analysis) */
#define LOG_DD_RELERR 0x1p-60

static inline uint64_t d2u(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}
static inline double u2d(uint64_t u) {
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/* fast two-sum: s + e = a + b exactly when |a| >= |b| or a = 0 */
#define FAST2SUM(s, e, a, b) \
  do {                       \
    s = (a) + (b);           \
    e = (b) - (s - (a));     \
  } while (0)

/* y[j] = -log(v[j]) for the lanes where ok[j] is 1 (see above); v[j] must
 * be a positive normal double. Written lane by lane for the vectoriser;
 * fused says whether fma() is an instruction (the AVX2 and AVX-512
 * variants), which shortens r^2 and the series but not their accuracy. */
static inline __attribute__((always_inline)) void neglog_lanes(const double *restrict v,
                                                               double *restrict y,
                                                               double *restrict ylo,
                                                               int64_t *restrict ok, int fused) {
  for (int j = 0; j < IONKMC_PHILOX_BATCH; j++) {
    uint64_t b = d2u(v[j]);
    uint64_t i = (b >> 45) & (IONKMC_LOGTAB_N - 1);
    /* E + a as a double: the exponent field below 2^52 + 2048 */
    double e = u2d(0x4330000000000000ull | ((b >> 52) + 1025u + (i >= IONKMC_LOGTAB_SPLIT))) -
               0x1p52 - 2048.0;
    double m = u2d((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
    double c = logtab_c[i];
    /* r = m c - 1 exactly: m in two pieces of 26 and 27 bits */
    double mh = u2d(d2u(m) & ~(uint64_t)0x7FFFFFF), ml = m - mh;
    double p1 = mh * c - 1.0, p2 = ml * c;
    double rh = p1 + p2, t = rh - p1, rl = (p1 - (rh - t)) + (p2 - t);
    /* rh^2 = sh + sl exactly */
    double sh = rh * rh, sl;
    if (fused) {
      sl = fma(rh, rh, -sh);
    } else {
      double sp = 134217729.0 * rh, h = sp - (sp - rh), l = rh - h;
      sl = ((h * h - sh) + 2.0 * h * l) + l * l;
    }
    /* S = e ln2_hi + t_hi + rh - sh/2; each partial sum is at least as
     * large as the next term (|e ln2| >= 0.69 > |t_hi|; |t_hi| >= 0.0116 >
     * 2^-7 >= |rh| unless t_hi = 0), so fast two-sums are exact */
    double s1, e1, s2, e2, s3, e3;
    FAST2SUM(s1, e1, e * LOG_LN2_HI, logtab_hi[i]);
    FAST2SUM(s2, e2, s1, rh);
    FAST2SUM(s3, e3, s2, -0.5 * sh);
    /* log1p(r) - r + r^2/2 = r^3 (1/3 - r/4 + ... + r^6/9), cut where the
     * rest is below |r|^10 / 10 < 2^-73 |r| */
    double P;
    if (fused)
      P = fma(rh, fma(rh, fma(rh, fma(rh, fma(rh, fma(rh, 1.0 / 9, -0.125), 1.0 / 7), -1.0 / 6), 0.2),
                      -0.25), 1.0 / 3);
    else
      P = 1.0 / 3 + rh * (-0.25 + rh * (0.2 + rh * (-1.0 / 6 + rh * (1.0 / 7 + rh * (-0.125 +
          rh * (1.0 / 9))))));
    double lo = e1 + e2 + e3 + rl + logtab_lo[i] + e * LOG_LN2_LO - 0.5 * sl - rh * rl + (rh * sh) * P;
    double yh, yl;
    FAST2SUM(yh, yl, s3, lo);
    uint64_t yb = d2u(yh);
    double ulp = u2d(yb & 0x7FF0000000000000ull) * 0x1p-52;
    double ay = u2d(yb & 0x7FFFFFFFFFFFFFFFull), al = u2d(d2u(yl) & 0x7FFFFFFFFFFFFFFFull);
    int64_t good = (0.5 - LOG_LIBM_SLACK) * ulp - al > LOG_DD_RELERR * ay;
    ok[j] = good & ((yb & 0x000FFFFFFFFFFFFFull) != 0);
    y[j] = -yh;
    ylo[j] = -yl;
  }
}

static inline __attribute__((always_inline)) int neglog_finish(const double *v, double *y,
                                                                const int64_t *ok) {
  unsigned bad = 0;
  for (int j = 0; j < IONKMC_PHILOX_BATCH; j++) bad |= (unsigned)(ok[j] == 0) << j;
  int n = __builtin_popcount(bad);
  for (; bad; bad &= bad - 1) {
    int j = __builtin_ctz(bad);
    y[j] = -log(v[j]);
  }
  return n;
}

/* v = 1 - u of the first uniform of each block, as ionkmc_rng_block_uniform2
 * and 1.0 - u make it (both exact); the 53-bit integer is converted in two
 * exact pieces, which vectorises without a 64-bit conversion instruction. */
static inline __attribute__((always_inline)) void blocks_v(const uint32_t *restrict o,
                                                           double *restrict v) {
  for (int j = 0; j < IONKMC_PHILOX_BATCH; j++) {
    uint64_t k = (((uint64_t)o[4 * j] << 32) | o[4 * j + 1]) >> 11;
    double hi = u2d(0x4330000000000000ull | (k >> 32)) - 0x1p52;
    double lo = u2d(0x4330000000000000ull | (k & 0xFFFFFFFFull)) - 0x1p52;
    v[j] = 1.0 - (hi * 0x1p32 + lo) * 0x1p-53;
  }
}

/* One variant per instruction set, the same source. */
#define NEGLOG_VARIANT(name, attr, fused)                                                \
  attr static int name##_v(const double *v, double *y) {                                 \
    int64_t ok[IONKMC_PHILOX_BATCH];                                                     \
    double lo[IONKMC_PHILOX_BATCH];                                                      \
    neglog_lanes(v, y, lo, ok, fused);                                                   \
    return neglog_finish(v, y, ok);                                                      \
  }                                                                                      \
  attr static int name##_blocks(const uint32_t *o, double *y) {                          \
    double v[IONKMC_PHILOX_BATCH];                                                       \
    blocks_v(o, v);                                                                      \
    return name##_v(v, y);                                                               \
  }

NEGLOG_VARIANT(neglog_generic, , 0)
#ifdef IONKMC_PHILOX_AVX2
NEGLOG_VARIANT(neglog_avx2, __attribute__((target("avx2,fma"))), 1)
NEGLOG_VARIANT(neglog_avx512, __attribute__((target("avx512f,avx512dq"))), 1)
#endif

void ionkmc_rng_log_dd_batch(const double v[IONKMC_PHILOX_BATCH], double hi[IONKMC_PHILOX_BATCH],
                             double lo[IONKMC_PHILOX_BATCH]) {
  int64_t ok[IONKMC_PHILOX_BATCH];
  neglog_lanes(v, hi, lo, ok, 0);
  for (int j = 0; j < IONKMC_PHILOX_BATCH; j++) {
    hi[j] = -hi[j];
    lo[j] = -lo[j];
  }
}

int ionkmc_rng_neglog_variants(void) {
#ifdef IONKMC_PHILOX_AVX2
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return 3;
  if (__builtin_cpu_supports("avx2")) return 2;
#endif
  return 1;
}

int ionkmc_rng_neglog_batch(const double v[IONKMC_PHILOX_BATCH], double y[IONKMC_PHILOX_BATCH],
                            int variant) {
  int n = ionkmc_rng_neglog_variants();
  if (variant < 0 || variant >= n) variant = n - 1;
#ifdef IONKMC_PHILOX_AVX2
  if (variant == 2) return neglog_avx512_v(v, y);
  if (variant == 1) return neglog_avx2_v(v, y);
#endif
  return neglog_generic_v(v, y);
}

/* The batch's waiting-time logarithms, with the best variant of the CPU. */
static void batch_neglog(ionkmc_rng_batch *b) {
#ifdef IONKMC_PHILOX_AVX2
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
    b->libm_calls += neglog_avx512_blocks(b->buf, b->neglog);
    return;
  }
  if (__builtin_cpu_supports("avx2")) {
    b->libm_calls += neglog_avx2_blocks(b->buf, b->neglog);
    return;
  }
#endif
  b->libm_calls += neglog_generic_blocks(b->buf, b->neglog);
}
