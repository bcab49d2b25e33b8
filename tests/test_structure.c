/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Atomistic supercells: counts, distances, MA geometry, charge, and every
 * defect found by the calibration's site assignment where it was put. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calibration/structure.h"

#define A0 6.36
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static ionkmc_structure *build(int L, const char *asite, int nd, const ionkmc_defect_kind *kinds, uint64_t seed) {
  ionkmc_structure_spec sp = ionkmc_structure_spec_default();
  sp.L = L;
  sp.a = A0;
  sp.a_site = asite;
  sp.seed = seed;
  sp.ndefects = nd;
  for (int d = 0; d < nd; d++) {
    sp.defect[d].kind = kinds[d];
    sp.defect[d].site = -1;
  }
  ionkmc_error err;
  ionkmc_structure *s = ionkmc_structure_build(&sp, &err);
  if (!s) fprintf(stderr, "%s\n", err.text);
  assert_non_null(s);
  return s;
}

static int count_el(const ionkmc_structure *s, ionkmc_element e) {
  int n = 0;
  for (int i = 0; i < s->natoms; i++) n += s->atoms[i].element == e;
  return n;
}

static double dist(const ionkmc_structure *s, int i, int j) {
  double box = s->L * s->a, d2 = 0;
  for (int c = 0; c < 3; c++) {
    double d = s->atoms[j].x[c] - s->atoms[i].x[c];
    d -= box * floor(d / box + 0.5);
    d2 += d * d;
  }
  return sqrt(d2);
}

static double angle(const ionkmc_structure *s, int i, int j, int k) {
  double box = s->L * s->a, u[3], v[3], uu = 0, vv = 0, uv = 0;
  for (int c = 0; c < 3; c++) {
    u[c] = s->atoms[i].x[c] - s->atoms[j].x[c];
    v[c] = s->atoms[k].x[c] - s->atoms[j].x[c];
    u[c] -= box * floor(u[c] / box + 0.5);
    v[c] -= box * floor(v[c] / box + 0.5);
    uu += u[c] * u[c];
    vv += v[c] * v[c];
    uv += u[c] * v[c];
  }
  return acos(uv / sqrt(uu * vv)) * 180 / M_PI;
}

/* Bonds and angles of every MA molecule against the builder's geometry. */
static void check_ma(const ionkmc_structure *s) {
  static const double want_b[4] = {0, 1.47, 1.09, 1.03};
  for (int b = 0; b < s->nbonds; b++)
    assert_true(fabs(dist(s, s->bonds[b][1], s->bonds[b][2]) - want_b[s->bonds[b][0]]) < 1e-6);
  for (int b = 0; b < s->nangles; b++) {
    double th = angle(s, s->angles[b][1], s->angles[b][2], s->angles[b][3]);
    int t = s->angles[b][0];
    if (t == 2 || t == 3) assert_true(fabs(th - 110) < 1e-6);
    else assert_true(fabs(th - 108.8) < 0.5); /* H-X-H of three H at 110 degrees to the axis */
  }
  /* Staggered: the H-C-N-H dihedrals are 60, 180, 300 degrees, never eclipsed. */
  double box = s->L * s->a;
  for (int b = 0; b < s->ndihedrals; b++) {
    const int *q = s->dihedrals[b] + 1;
    double p[4][3];
    for (int m = 0; m < 4; m++)
      for (int c = 0; c < 3; c++) {
        double d = s->atoms[q[m]].x[c] - s->atoms[q[1]].x[c];
        p[m][c] = d - box * floor(d / box + 0.5);
      }
    double b1[3], b2[3], b3[3], n1[3], n2[3];
    for (int c = 0; c < 3; c++) {
      b1[c] = p[1][c] - p[0][c];
      b2[c] = p[2][c] - p[1][c];
      b3[c] = p[3][c] - p[2][c];
    }
    n1[0] = b1[1] * b2[2] - b1[2] * b2[1], n1[1] = b1[2] * b2[0] - b1[0] * b2[2], n1[2] = b1[0] * b2[1] - b1[1] * b2[0];
    n2[0] = b2[1] * b3[2] - b2[2] * b3[1], n2[1] = b2[2] * b3[0] - b2[0] * b3[2], n2[2] = b2[0] * b3[1] - b2[1] * b3[0];
    double c12 = (n1[0] * n2[0] + n1[1] * n2[1] + n1[2] * n2[2]) /
                 sqrt((n1[0] * n1[0] + n1[1] * n1[1] + n1[2] * n1[2]) * (n2[0] * n2[0] + n2[1] * n2[1] + n2[2] * n2[2]));
    double phi = acos(fmax(-1, fmin(1, c12))) * 180 / M_PI;
    assert_true(fabs(phi - 60) < 1e-4 || fabs(phi - 180) < 1e-4);
  }
}

static void check_one(int L, ionkmc_defect_kind k, const char *asite) {
  ionkmc_structure *s = build(L, asite, 1, &k, 7 + L);
  int n3 = L * L * L, ma = !strcmp(asite, "MA");
  int dx = k == IONKMC_V_I ? -1 : k == IONKMC_I_I ? 1 : 0;
  int da = (k == IONKMC_V_MA_M || k == IONKMC_V_MA_0) ? -1 : (k == IONKMC_I_MA_P || k == IONKMC_I_MA_0) ? 1 : 0;
  assert_int_equal(count_el(s, IONKMC_EL_PB), n3);
  assert_int_equal(count_el(s, IONKMC_EL_I), 3 * n3 + dx);
  if (ma) {
    assert_int_equal(count_el(s, IONKMC_EL_C), n3 + da);
    assert_int_equal(count_el(s, IONKMC_EL_N), n3 + da);
    assert_int_equal(count_el(s, IONKMC_EL_H), 6 * (n3 + da));
    assert_int_equal(s->nmol, n3 + da);
    assert_int_equal(s->nbonds, 7 * (n3 + da));
    assert_int_equal(s->nangles, 12 * (n3 + da));
    assert_int_equal(s->ndihedrals, 9 * (n3 + da));
    check_ma(s);
  } else {
    assert_int_equal(count_el(s, IONKMC_EL_CS), n3 + da);
    assert_int_equal(s->nbonds, 0);
  }
  /* Net formal charge: +1 per vacancy of an anion or extra cation, -1 otherwise. */
  assert_true(fabs(s->net_charge - (double)(da - dx)) < 1e-9);
  /* Distances: Pb-I a/2 (I_I: longer), I-I at least 3 A (the I_I pair 3.2 A), MA and
   * the I_MA pair clear of the cage and of each other. */
  double pbi = ionkmc_structure_min_distance(s, IONKMC_EL_PB, IONKMC_EL_I, 0);
  assert_true(fabs(pbi - A0 / 2) < 1e-6);
  double ii = ionkmc_structure_min_distance(s, IONKMC_EL_I, IONKMC_EL_I, 0);
  assert_true(fabs(ii - (k == IONKMC_I_I ? 3.2 : A0 / sqrt(2))) < 1e-6);
  if (ma) {
    assert_true(ionkmc_structure_min_distance(s, IONKMC_EL_H, IONKMC_EL_I, 0) > 2.0);
    assert_true(ionkmc_structure_min_distance(s, IONKMC_EL_H, IONKMC_EL_H, 1) > 1.5);
    assert_true(ionkmc_structure_min_distance(s, IONKMC_EL_C, IONKMC_EL_N, 1) > 2.5);
    assert_true(ionkmc_structure_min_distance(s, IONKMC_EL_UNKNOWN, IONKMC_EL_UNKNOWN, 1) > 1.5);
  } else {
    assert_true(ionkmc_structure_min_distance(s, IONKMC_EL_CS, IONKMC_EL_I, 0) > 3.5);
  }
  assert_int_equal(s->ndefects, 1);
  assert_true(s->defect[0].site >= 0);
  ionkmc_error err;
  ionkmc_status st = ionkmc_structure_validate(s, &err);
  if (st) fprintf(stderr, "%s\n", err.text);
  assert_int_equal(st, IONKMC_OK);
  ionkmc_structure_free(s);
}

static void test_every_defect(void **state) {
  (void)state;
  int sizes[3] = {2, 3, 6};
  for (int l = 0; l < 3; l++)
    for (int k = 0; k < IONKMC_NDEFECT; k++) {
      check_one(sizes[l], (ionkmc_defect_kind)k, "MA");
      if (l < 2) check_one(sizes[l], (ionkmc_defect_kind)k, "Cs");
    }
}

static void test_perfect_and_several(void **state) {
  (void)state;
  ionkmc_structure *s = build(3, "MA", 0, NULL, 1);
  assert_int_equal(s->natoms, 27 * 12);
  assert_true(fabs(s->net_charge) < 1e-9);
  assert_int_equal(ionkmc_structure_validate(s, NULL), IONKMC_OK);
  ionkmc_structure_free(s);
  ionkmc_defect_kind ks[4] = {IONKMC_V_I, IONKMC_I_I, IONKMC_I_MA_P, IONKMC_V_MA_M};
  s = build(4, "MA", 4, ks, 3);
  assert_true(fabs(s->net_charge) < 1e-9);
  assert_int_equal(ionkmc_structure_validate(s, NULL), IONKMC_OK);
  ionkmc_structure_free(s);
}

/* The check must fail when a site does not hold what the spec says: put an
 * I atom into the vacancy, or move the vacancy's record to another site. */
static void test_validation_catches(void **state) {
  (void)state;
  ionkmc_defect_kind k = IONKMC_V_I;
  ionkmc_structure *s = build(3, "MA", 1, &k, 5);
  ionkmc_error err;
  int site = s->defect[0].site;
  s->defect[0].site = (site + 1) % 81;
  assert_int_equal(ionkmc_structure_validate(s, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "X site"));
  s->defect[0].site = site;
  int moved = -1;
  for (int i = 0; i < s->natoms && moved < 0; i++)
    if (s->atoms[i].element == IONKMC_EL_I) moved = i;
  memcpy(s->atoms[moved].x, s->defect_pos[0], sizeof s->defect_pos[0]);
  assert_int_equal(ionkmc_structure_validate(s, &err), IONKMC_EINVAL);
  ionkmc_structure_free(s);
}

static void test_placement_and_mixtures(void **state) {
  (void)state;
  ionkmc_structure_spec sp = ionkmc_structure_spec_default();
  sp.L = 3;
  sp.a = A0;
  sp.ndefects = 1;
  sp.defect[0].kind = IONKMC_I_I;
  sp.defect[0].site = 40;
  ionkmc_error err;
  ionkmc_structure *s = ionkmc_structure_build(&sp, &err);
  assert_non_null(s);
  assert_int_equal(s->defect[0].site, 40);
  assert_int_equal(ionkmc_structure_validate(s, NULL), IONKMC_OK);
  ionkmc_structure_free(s);
  /* Ordered axes: every C->N along z. */
  sp.ma_axis = 2;
  sp.ndefects = 0;
  s = ionkmc_structure_build(&sp, &err);
  for (int b = 0; b < s->nbonds; b++)
    if (s->bonds[b][0] == 1) {
      const double *c = s->atoms[s->bonds[b][1]].x, *n = s->atoms[s->bonds[b][2]].x;
      assert_true(fabs(n[2] - c[2] - 1.47) < 1e-6 && fabs(n[0] - c[0]) < 1e-9);
    }
  ionkmc_structure_free(s);
  /* Mixtures: exact counts; CsPbBr3 and a mixed cell map onto the lattice. */
  sp.ma_axis = -1;
  sp.a_site = "MA=0.5,Cs=0.5";
  sp.x_site = "I=0.5,Br=0.5";
  sp.L = 4;
  s = ionkmc_structure_build(&sp, &err);
  assert_non_null(s);
  assert_int_equal(count_el(s, IONKMC_EL_CS), 32);
  assert_int_equal(count_el(s, IONKMC_EL_C), 32);
  assert_int_equal(count_el(s, IONKMC_EL_BR), 96);
  assert_int_equal(count_el(s, IONKMC_EL_I), 96);
  assert_true(fabs(s->net_charge) < 1e-9);
  assert_int_equal(ionkmc_structure_validate(s, NULL), IONKMC_OK);
  ionkmc_structure_free(s);
  sp.a_site = "Cs";
  sp.x_site = "Br";
  sp.b_site = "Sn";
  s = ionkmc_structure_build(&sp, &err);
  assert_int_equal(count_el(s, IONKMC_EL_SN), 64);
  assert_int_equal(s->ntypes, 3);
  assert_int_equal(ionkmc_structure_validate(s, NULL), IONKMC_OK);
  ionkmc_structure_free(s);
}

/* Hop end points: same atoms, the defect found at the neighbouring site, and
 * for vacancies exactly one atom (or one rigid molecule) moved by the hop length. */
static void test_hops(void **state) {
  (void)state;
  for (int a = 0; a < 2; a++)
    for (int k = 0; k < IONKMC_NDEFECT; k++) {
      ionkmc_structure_spec sp = ionkmc_structure_spec_default();
      sp.L = 3;
      sp.a = A0;
      sp.a_site = a ? "Cs" : "MA";
      sp.ndefects = 1;
      sp.defect[0].kind = (ionkmc_defect_kind)k;
      sp.defect[0].site = -1;
      ionkmc_error err;
      ionkmc_structure *s = ionkmc_structure_build(&sp, &err);
      assert_non_null(s);
      ionkmc_structure *f = ionkmc_structure_hop(s, &sp, 0, -1, &err);
      if (!f) fprintf(stderr, "%s\n", err.text);
      assert_non_null(f);
      assert_int_equal(f->natoms, s->natoms);
      assert_int_not_equal(f->defect[0].site, s->defect[0].site);
      int moved = 0;
      double dmax = 0;
      for (int i = 0; i < s->natoms; i++) {
        assert_int_equal(f->atoms[i].element, s->atoms[i].element);
        double d2 = 0, box = 3 * A0;
        for (int c = 0; c < 3; c++) {
          double d = f->atoms[i].x[c] - s->atoms[i].x[c];
          d -= box * floor(d / box + 0.5);
          d2 += d * d;
        }
        if (d2 > 1e-6) moved++;
        if (sqrt(d2) > dmax) dmax = sqrt(d2);
      }
      if (k == IONKMC_V_I) {
        assert_int_equal(moved, 1);
        assert_true(fabs(dmax - A0 / sqrt(2)) < 1e-6);
      } else if (k == IONKMC_V_MA_M || k == IONKMC_V_MA_0) {
        assert_int_equal(moved, a ? 1 : 8);
        assert_true(fabs(dmax - A0) < 1e-6);
      } else {
        assert_true(moved >= 2);
      }
      /* Not a neighbour: refused. */
      int far = s->defect[0].site == 0 ? 5 : 0;
      ionkmc_structure *g = ionkmc_structure_hop(s, &sp, 0, far, &err);
      if (g) { /* site 5 / 0 may happen to be a neighbour; then it is a valid hop */
        ionkmc_structure_free(g);
      } else {
        assert_non_null(strstr(err.text, "is not a neighbour"));
      }
      ionkmc_structure_free(f);
      ionkmc_structure_free(s);
    }
}

static void expect_bad(ionkmc_structure_spec sp, const char *want) {
  ionkmc_error err;
  memset(&err, 0, sizeof err);
  ionkmc_structure *s = ionkmc_structure_build(&sp, &err);
  assert_null(s);
  if (!strstr(err.text, want)) fprintf(stderr, "got '%s', want '%s'\n", err.text, want);
  assert_non_null(strstr(err.text, want));
}

static void test_errors(void **state) {
  (void)state;
  ionkmc_structure_spec sp = ionkmc_structure_spec_default();
  sp.L = 1;
  expect_bad(sp, "size L = 1");
  sp.L = 3;
  sp.a = 2;
  expect_bad(sp, "lattice constant a = 2");
  sp.a = A0;
  sp.a_site = "Xe";
  expect_bad(sp, "unknown species 'Xe'");
  sp.a_site = "MA=0.5,Cs=0.4";
  expect_bad(sp, "sum to 0.9");
  sp.a_site = NULL;
  sp.ndefects = 1;
  sp.defect[0].kind = IONKMC_V_MA_0;
  sp.defect[0].site = 27;
  expect_bad(sp, "site 27 out of range");
  sp.ndefects = 2;
  sp.defect[0].site = 3;
  sp.defect[1].kind = IONKMC_I_MA_P;
  sp.defect[1].site = 3;
  expect_bad(sp, "A site 3 already holds defect V_MA0");
  sp.L = 2;
  sp.ndefects = 9;
  for (int d = 0; d < 9; d++) sp.defect[d].kind = IONKMC_V_MA_M, sp.defect[d].site = -1;
  expect_bad(sp, "no free A site left");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_defect),      cmocka_unit_test(test_perfect_and_several),
      cmocka_unit_test(test_validation_catches), cmocka_unit_test(test_placement_and_mixtures),
      cmocka_unit_test(test_hops),              cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
