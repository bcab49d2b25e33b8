/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Lattice geometry: site indexing, neighbour tables, a(T). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lattice/lattice.h"

static ionkmc_sublattice sub_of(const char *kind, int to) {
  if (!strcmp(kind, "XX")) return IONKMC_SUB_X;
  if (!strcmp(kind, "AA") || !strcmp(kind, "AA2")) return IONKMC_SUB_A;
  if (!strcmp(kind, "AX")) return to ? IONKMC_SUB_X : IONKMC_SUB_A;
  return to ? IONKMC_SUB_X : IONKMC_SUB_B;
}

/* Minimum-image squared distance in h-units between two wrapped positions. */
static int dist2(const int32_t *p, const int32_t *q, int L) {
  int d2 = 0;
  for (int c = 0; c < 3; c++) {
    int d = abs(p[c] - q[c]) % (2 * L);
    if (d > L) d = 2 * L - d;
    d2 += d * d;
  }
  return d2;
}

static void test_counts_and_distances(void **state) {
  (void)state;
  const char *kinds[] = {"XX", "AA", "AA2", "AX", "BX"};
  const int nnb[] = {8, 6, 6, 12, 6};
  const int d2[] = {2, 4, 16, 2, 1}; /* h^2: a^2/2, a^2, 4a^2, a^2/2, a^2/4 */
  for (int L = 3; L <= 5; L++) {
    ionkmc_status st;
    ionkmc_lattice *lat = ionkmc_lattice_alloc(L, &st);
    assert_non_null(lat);
    assert_int_equal(st, IONKMC_OK);
    assert_int_equal(ionkmc_lattice_nsites(lat, IONKMC_SUB_X), 3 * L * L * L);
    assert_int_equal(ionkmc_lattice_nsites(lat, IONKMC_SUB_A), L * L * L);
    for (int t = 0; t < 5; t++) {
      ionkmc_sublattice from = sub_of(kinds[t], 0), to = sub_of(kinds[t], 1);
      for (int s = 0; s < ionkmc_lattice_nsites(lat, from); s++) {
        int n;
        const int8_t *vec;
        const int32_t *nb = ionkmc_lattice_neighbours(lat, kinds[t], s, &n, &vec);
        assert_non_null(nb);
        assert_int_equal(n, nnb[t]);
        int32_t p[3], q[3];
        ionkmc_lattice_site_pos(lat, from, s, p);
        for (int i = 0; i < n; i++) {
          assert_true(nb[i] >= 0 && nb[i] < ionkmc_lattice_nsites(lat, to));
          ionkmc_lattice_site_pos(lat, to, nb[i], q);
          if (L >= 5 || t != 2) assert_int_equal(dist2(p, q, L), d2[t]);
          /* the displacement vector points at the neighbour */
          int32_t r[3] = {p[0] + vec[3 * i], p[1] + vec[3 * i + 1], p[2] + vec[3 * i + 2]};
          assert_int_equal(ionkmc_lattice_site_at(lat, to, r), nb[i]);
          assert_int_equal(vec[3 * i] * vec[3 * i] + vec[3 * i + 1] * vec[3 * i + 1] +
                               vec[3 * i + 2] * vec[3 * i + 2],
                           d2[t]);
          /* all neighbours distinct (2a images coincide below L = 5) */
          if (L >= 5 || t != 2)
            for (int j = 0; j < i; j++) assert_int_not_equal(nb[i], nb[j]);
        }
      }
    }
    ionkmc_lattice_free(lat);
  }
}

static void test_symmetry_and_opposites(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(4, NULL);
  assert_non_null(lat);
  for (int s = 0; s < ionkmc_lattice_nsites(lat, IONKMC_SUB_X); s++) {
    int n;
    const int32_t *nb = ionkmc_lattice_neighbours(lat, "XX", s, &n, NULL);
    for (int i = 0; i < n; i++) {
      int m, found = 0;
      const int32_t *back = ionkmc_lattice_neighbours(lat, "XX", nb[i], &m, NULL);
      for (int j = 0; j < m; j++) found += back[j] == s;
      assert_int_equal(found, 1);
      /* engine convention: path d and d^4 are opposite */
      const int8_t *v = ionkmc_lattice_xx_vec(s % 3, i), *w = ionkmc_lattice_xx_vec(s % 3, i ^ 4);
      for (int c = 0; c < 3; c++) assert_int_equal(v[c], -w[c]);
    }
  }
  for (int d = 0; d < 6; d++) {
    const int8_t *v = ionkmc_lattice_aa_vec(d), *w = ionkmc_lattice_aa_vec(d ^ 1);
    for (int c = 0; c < 3; c++) assert_int_equal(v[c], -w[c]);
  }
  ionkmc_lattice_free(lat);
}

static void test_site_roundtrip(void **state) {
  (void)state;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(3, NULL);
  ionkmc_sublattice subs[3] = {IONKMC_SUB_X, IONKMC_SUB_A, IONKMC_SUB_B};
  for (int u = 0; u < 3; u++)
    for (int s = 0; s < ionkmc_lattice_nsites(lat, subs[u]); s++) {
      int32_t p[3];
      ionkmc_lattice_site_pos(lat, subs[u], s, p);
      assert_int_equal(ionkmc_lattice_site_at(lat, subs[u], p), s);
      int32_t q[3] = {p[0] - 6, p[1] + 12, p[2] - 18}; /* periodic images */
      assert_int_equal(ionkmc_lattice_site_at(lat, subs[u], q), s);
    }
  /* X sites: B at origin, X at (1/2,0,0) is type 0 */
  int32_t x0[3] = {1, 0, 0}, y0[3] = {0, 1, 0}, a0[3] = {1, 1, 1}, none[3] = {1, 1, 0};
  assert_int_equal(ionkmc_lattice_site_at(lat, IONKMC_SUB_X, x0), 0);
  assert_int_equal(ionkmc_lattice_site_at(lat, IONKMC_SUB_X, y0), 1);
  assert_int_equal(ionkmc_lattice_site_at(lat, IONKMC_SUB_A, a0), 0);
  assert_int_equal(ionkmc_lattice_site_at(lat, IONKMC_SUB_X, none), -1);
  assert_int_equal(ionkmc_lattice_site_at(lat, IONKMC_SUB_A, x0), -1);
  assert_int_equal(ionkmc_lattice_site_at(lat, IONKMC_SUB_B, x0), -1);
  ionkmc_lattice_free(lat);
}

static void test_errors(void **state) {
  (void)state;
  ionkmc_status st = IONKMC_OK;
  assert_null(ionkmc_lattice_alloc(1, &st));
  /* the largest box whose X sites an int indexes, and one more */
  ionkmc_lattice *big = ionkmc_lattice_alloc(IONKMC_LATTICE_MAX_L, &st);
  assert_non_null(big);
  const int M = IONKMC_LATTICE_MAX_L;
  assert_int_equal(ionkmc_lattice_nsites(big, IONKMC_SUB_X), 3 * M * M * M);
  ionkmc_lattice_free(big);
  assert_null(ionkmc_lattice_alloc(IONKMC_LATTICE_MAX_L + 1, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  assert_int_equal(st, IONKMC_EINVAL);
  assert_null(ionkmc_lattice_alloc(-3, &st));
  assert_int_equal(st, IONKMC_EINVAL);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(2, &st);
  assert_non_null(lat);
  int n;
  assert_null(ionkmc_lattice_neighbours(lat, "XY", 0, &n, NULL));
  assert_null(ionkmc_lattice_neighbours(lat, NULL, 0, &n, NULL));
  assert_null(ionkmc_lattice_neighbours(lat, "XX", 24, &n, NULL));
  assert_null(ionkmc_lattice_neighbours(lat, "AA", -1, &n, NULL));
  ionkmc_lattice_free(lat);
  ionkmc_lattice_free(NULL);
}

static void test_acell_table_s3(void **state) {
  (void)state;
  /* Table S3 of the paper: the linear fit reproduces every point to 1e-3 A. */
  const double T[5] = {500, 525, 550, 575, 600};
  const double a[5] = {6.354, 6.359, 6.365, 6.371, 6.377};
  ionkmc_acell_model m = ionkmc_acell_default();
  for (int i = 0; i < 5; i++) assert_true(fabs(ionkmc_acell_eval(&m, T[i]) - a[i]) < 1.0e-3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counts_and_distances), cmocka_unit_test(test_symmetry_and_opposites),
      cmocka_unit_test(test_site_roundtrip), cmocka_unit_test(test_errors),
      cmocka_unit_test(test_acell_table_s3)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
