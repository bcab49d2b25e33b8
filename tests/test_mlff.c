/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Tests of barriers/nlist.h (cell list against brute force on skewed and
 * small cells) and barriers/mlff.h (the stand-in potential of
 * examples/mlff_standin: forces = -grad E and stress = (1/V) dE/d(strain) by
 * finite differences, invariances, every error status). Built without
 * libtorch, only the neighbour lists and IONKMC_ESTATE are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barriers/hopcell.h"
#include "barriers/mlff.h"
#include "barriers/mlff_neb.h"
#include "calibration/neb.h"
#include "barriers/nlist.h"
#include "mlff_cells.h"


/* ---- neighbour lists ---------------------------------------------------- */

typedef struct {
  int64_t i, j;
  int s[3];
} edge;

static int edge_cmp(const void *pa, const void *pb) {
  const edge *a = pa, *b = pb;
  if (a->i != b->i) return a->i < b->i ? -1 : 1;
  if (a->j != b->j) return a->j < b->j ? -1 : 1;
  for (int k = 0; k < 3; k++)
    if (a->s[k] != b->s[k]) return a->s[k] < b->s[k] ? -1 : 1;
  return 0;
}

static edge *sorted_edges(const ionkmc_nlist *nl) {
  edge *e = malloc((size_t)(nl->nedges ? nl->nedges : 1) * sizeof *e);
  for (int64_t k = 0; k < nl->nedges; k++) {
    e[k].i = nl->src[k];
    e[k].j = nl->dst[k];
    for (int d = 0; d < 3; d++) e[k].s[d] = (int)lround(nl->shift[3 * k + d]);
  }
  qsort(e, (size_t)nl->nedges, sizeof *e, edge_cmp);
  return e;
}

/* Random atoms (some far outside the cell) in cell; cell list == brute force,
 * and every edge's vector is shorter than rc. */
static void compare_lists(const double cell[3][3], int n, double rc, uint64_t seed, int64_t *nedges) {
  double *x = malloc((size_t)n * 3 * sizeof *x);
  uint64_t s = seed;
  for (int i = 0; i < n; i++) {
    double f[3];
    for (int d = 0; d < 3; d++) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      f[d] = (double)(s >> 11) / 9007199254740992.0 * 3.0 - 1.0; /* -1 .. 2: outside too */
    }
    for (int d = 0; d < 3; d++) x[3 * i + d] = f[0] * cell[0][d] + f[1] * cell[1][d] + f[2] * cell[2][d];
  }
  ionkmc_nlist *a = ionkmc_nlist_alloc(), *b = ionkmc_nlist_alloc();
  ionkmc_error err;
  assert_int_equal(ionkmc_nlist_build(a, n, x, cell, rc, &err), IONKMC_OK);
  assert_int_equal(ionkmc_nlist_build_brute(b, n, x, cell, rc, &err), IONKMC_OK);
  assert_int_equal(a->nedges, b->nedges);
  edge *ea = sorted_edges(a), *eb = sorted_edges(b);
  for (int64_t k = 0; k < a->nedges; k++) assert_int_equal(edge_cmp(&ea[k], &eb[k]), 0);
  for (int64_t k = 0; k < a->nedges; k++) {
    double r2 = 0;
    for (int d = 0; d < 3; d++) {
      double v = x[3 * a->dst[k] + d] - x[3 * a->src[k] + d];
      for (int c = 0; c < 3; c++) v += a->shift[3 * k + c] * cell[c][d];
      r2 += v * v;
    }
    assert_true(r2 < rc * rc);
  }
  *nedges = a->nedges;
  free(ea);
  free(eb);
  free(x);
  ionkmc_nlist_free(a);
  ionkmc_nlist_free(b);
}

static void test_nlist_against_brute(void **state) {
  (void)state;
  int64_t ne;
  /* large orthogonal cell: several bins per direction */
  double c1[3][3] = {{20, 0, 0}, {0, 18, 0}, {0, 0, 22}};
  compare_lists(c1, 300, 5.0, 1, &ne);
  assert_true(ne > 1000);
  /* strongly skewed triclinic cell */
  double c2[3][3] = {{15, 0, 0}, {7, 13, 0}, {-5, 6, 14}};
  compare_lists(c2, 200, 4.5, 2, &ne);
  assert_true(ne > 500);
  /* small cell: thinner than the cutoff, many images of each atom */
  double c3[3][3] = {{4, 0, 0}, {1.5, 3.5, 0}, {0.5, -1, 5}};
  compare_lists(c3, 6, 9.0, 3, &ne);
  assert_true(ne > 6 * 50);
  /* between rc and 2 rc, skewed */
  double c4[3][3] = {{12, 0, 0}, {4, 11, 0}, {2, 3, 13}};
  compare_lists(c4, 40, 7.0, 4, &ne);
  /* one atom alone meets only its images */
  double c5[3][3] = {{3, 0, 0}, {0, 3, 0}, {0, 0, 3}};
  compare_lists(c5, 1, 3.1, 5, &ne);
  assert_int_equal(ne, 6);
}

static void test_nlist_errors(void **state) {
  (void)state;
  ionkmc_nlist *nl = ionkmc_nlist_alloc();
  double x[3] = {0, 0, 0}, bad[3] = {NAN, 0, 0};
  double sing[3][3] = {{1, 0, 0}, {2, 0, 0}, {0, 0, 1}}, ok[3][3] = {{5, 0, 0}, {0, 5, 0}, {0, 0, 5}};
  ionkmc_error err;
  assert_int_equal(ionkmc_nlist_build(nl, 1, x, sing, 2.0, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_nlist_build(nl, 1, x, ok, 0.0, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_nlist_build(nl, 1, bad, ok, 2.0, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "non-finite"));
  ionkmc_nlist_free(nl);
  ionkmc_nlist_free(NULL);
}

/* ---- the stand-in model ------------------------------------------------- */

static ionkmc_mlff *load_standin(void) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_mlff *m = ionkmc_mlff_alloc(src_path("examples/mlff_standin/model.pth"), "cpu", &err, &st);
  if (!m) fprintf(stderr, "%s\n", err.text);
  assert_non_null(m);
  return m;
}

static void test_metadata(void **state) {
  (void)state;
  if (!ionkmc_mlff_available()) skip();
  ionkmc_mlff *m = load_standin();
  const ionkmc_mlff_meta *md = ionkmc_mlff_meta_of(m);
  assert_int_equal(md->n_species, 3);
  assert_string_equal(md->type_names[0], "Cs");
  assert_string_equal(md->type_names[1], "Pb");
  assert_string_equal(md->type_names[2], "I");
  assert_true(fabs(md->r_max - 10.0) < 1e-12);
  assert_string_equal(md->model_dtype, "float64");
  ionkmc_mlff_free(m);
}

/* forces = -dE/dx by central differences on a distorted cell with a
 * vacancy, and stress = (1/V) dE/d(strain). */
static void test_forces_and_stress_fd(void **state) {
  (void)state;
  if (!ionkmc_mlff_available()) skip();
  ionkmc_mlff *m = load_standin();
  ionkmc_atoms *a = cspbi3_cell(2, 6.4, 3, 0.25, 7);
  int n = a->n;
  double E, *F = malloc((size_t)n * 3 * sizeof *F), *G = malloc((size_t)n * 3 * sizeof *G), S[9];
  int hs;
  ionkmc_error err;
  assert_int_equal(ionkmc_mlff_eval(m, a, NULL, &E, F, S, &hs, &err), IONKMC_OK);
  assert_true(hs);
  assert_true(ionkmc_mlff_last_edges(m) > 0);
  const double h = 1e-4;
  double maxdiff = 0, maxf = 0;
  for (int c = 0; c < 3 * n; c += 7) { /* every 7th coordinate */
    double x0 = a->x[c], Ep, Em;
    a->x[c] = x0 + h;
    assert_int_equal(ionkmc_mlff_eval(m, a, NULL, &Ep, G, NULL, NULL, &err), IONKMC_OK);
    a->x[c] = x0 - h;
    assert_int_equal(ionkmc_mlff_eval(m, a, NULL, &Em, G, NULL, NULL, &err), IONKMC_OK);
    a->x[c] = x0;
    maxdiff = fmax(maxdiff, fabs(-(Ep - Em) / (2 * h) - F[c]));
    maxf = fmax(maxf, fabs(F[c]));
  }
  assert_true(maxf > 0.1);
  assert_true(maxdiff < 1e-6);
  /* strain: x -> x (1 + eps), cell -> cell (1 + eps) */
  double inv[3][3], V = ionkmc_cell_inverse(a->cell, inv, NULL);
  for (int p = 0; p < 3; p++)
    for (int q = 0; q < 3; q++) {
      double Es[2];
      for (int sgn = 0; sgn < 2; sgn++) {
        ionkmc_atoms *b = ionkmc_atoms_copy(a);
        double eps[3][3] = {{0}};
        eps[p][q] += (sgn ? -h : h) / 2;
        eps[q][p] += (sgn ? -h : h) / 2;
        for (int i = 0; i < n; i++)
          for (int d = 0; d < 3; d++)
            for (int k = 0; k < 3; k++) b->x[3 * i + d] += a->x[3 * i + k] * eps[k][d];
        for (int r = 0; r < 3; r++)
          for (int d = 0; d < 3; d++)
            for (int k = 0; k < 3; k++) b->cell[r][d] += a->cell[r][k] * eps[k][d];
        assert_int_equal(ionkmc_mlff_eval(m, b, NULL, &Es[sgn], G, NULL, NULL, &err), IONKMC_OK);
        ionkmc_atoms_free(b);
      }
      double fd = (Es[0] - Es[1]) / (2 * h) / V;
      if (fabs(fd - S[3 * p + q]) >= 1e-7) fprintf(stderr, "stress %d%d fd %.10g model %.10g\n", p, q, fd, S[3 * p + q]);
      assert_true(fabs(fd - S[3 * p + q]) < 1e-7);
    }
  /* translation and wrapping leave E and F unchanged */
  ionkmc_atoms *b = ionkmc_atoms_copy(a);
  for (int i = 0; i < n; i++) {
    b->x[3 * i] += 0.37 + (i % 3 == 0 ? a->cell[0][0] : 0);
    b->x[3 * i + 2] -= (i % 2) ? a->cell[2][2] : 0;
  }
  double E2;
  assert_int_equal(ionkmc_mlff_eval(m, b, NULL, &E2, G, NULL, NULL, &err), IONKMC_OK);
  assert_true(fabs(E2 - E) < 1e-9);
  for (int c = 0; c < 3 * n; c++) assert_true(fabs(G[c] - F[c]) < 1e-9);
  ionkmc_atoms_free(b);
  ionkmc_atoms_free(a);
  free(F);
  free(G);
  ionkmc_mlff_free(m);
}

static void expect_load(const char *rel, ionkmc_status want, const char *text) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_mlff *m = ionkmc_mlff_alloc(src_path(rel), "cpu", &err, &st);
  assert_null(m);
  assert_int_equal(st, want);
  if (!strstr(err.text, text)) fprintf(stderr, "message: %s\n", err.text);
  assert_non_null(strstr(err.text, text));
}

static void test_errors(void **state) {
  (void)state;
  if (!ionkmc_mlff_available()) {
    expect_load("examples/mlff_standin/model.pth", IONKMC_ESTATE, "without libtorch");
    return;
  }
  expect_load("tests/data/mlff/absent.pth", IONKMC_EIO, "cannot open");
  expect_load("tests/data/lammps_ortho.dump", IONKMC_EPARSE, "not loadable");
  expect_load("tests/data/mlff/no_nequip.pth", IONKMC_EPARSE, "nequip_version");
  expect_load("tests/data/mlff/no_rmax.pth", IONKMC_EPARSE, "r_max");
  expect_load("tests/data/mlff/too_new.pth", IONKMC_EINVAL, "deployed with torch 9.1.0");
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_mlff *m = ionkmc_mlff_alloc(src_path("examples/mlff_standin/model.pth"), "tpu", &err, &st);
  assert_null(m);
  assert_int_equal(st, IONKMC_EINVAL);
  m = load_standin();
  ionkmc_atoms *a = cspbi3_cell(2, 6.4, -1, 0, 1);
  strcpy(a->el[7], "Xe");
  double E, *F = malloc((size_t)a->n * 3 * sizeof *F);
  assert_int_equal(ionkmc_mlff_eval(m, a, NULL, &E, F, NULL, NULL, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "atom 8: element 'Xe'"));
  free(F);
  ionkmc_atoms_free(a);
  ionkmc_mlff_free(m);
}

/* ionkmc neb's band file is what calibrate --neb reads: the calibration
 * reader and its Hermite fit give back the CI-NEB barrier. (The calibration
 * trajectory reader of this tree knows the MAPbI3 elements only, so the A
 * cation is written as N here; positions, energies and forces are what
 * matter to the band.) */
static void test_band_roundtrip(void **state) {
  (void)state;
  if (!ionkmc_mlff_available()) skip();
  ionkmc_mlff *m = load_standin();
  ionkmc_atoms *ini, *fin;
  int mover;
  ionkmc_error err;
  assert_int_equal(ionkmc_hopcell_build("Cs", "Pb", "I", 2, 6.37, IONKMC_HOP_V_X, &ini, &fin, &mover, &err),
                   IONKMC_OK);
  ionkmc_mlff_neb_params p = ionkmc_mlff_neb_params_default();
  ionkmc_mlff_band *b;
  assert_int_equal(ionkmc_mlff_neb(m, ini, fin, &p, &b, &err), IONKMC_OK);
  assert_true(b->res.converged);
  assert_true(b->res.climber > 0);
  /* the relaxed end points sit closer than the ideal a/sqrt2 = 4.50 A */
  assert_true(b->hop_length > 3.5 && b->hop_length < 6.37 / sqrt(2));
  assert_int_equal(b->mover, mover);
  char path[] = "/tmp/ionkmc_band_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  /* Cs as it is: the trajectory reader knows the A-site point cations */
  assert_int_equal(ionkmc_mlff_band_write(fp, b, ini, &err), IONKMC_OK);
  fclose(fp);
  ionkmc_neb_band band;
  ionkmc_neb_result r;
  assert_int_equal(ionkmc_neb_read(path, IONKMC_NEB_EXTXYZ, &band, &err), IONKMC_OK);
  assert_int_equal(ionkmc_neb_fit(&band, &r, &err), IONKMC_OK);
  printf("band file: calibration reader Ef = %.6f eV, CI-NEB Ef = %.6f eV\n", r.Ef, b->res.Ef);
  assert_int_equal(band.n, b->nimages);
  assert_true(fabs(r.Ef - b->res.Ef) < 2e-3);
  assert_true(r.Ef >= b->res.Ef - 1e-9);
  remove(path);
  ionkmc_atoms_free(ini);
  ionkmc_atoms_free(fin);
  ionkmc_mlff_band_free(b);
  ionkmc_mlff_free(m);
}

/* ---- structure readers -------------------------------------------------- */

static const char *write_tmp(const char *name, const char *text) {
  static char path[4][256], dir[64];
  static int k;
  if (!dir[0]) {
    strcpy(dir, "/tmp/ionkmc_atoms_XXXXXX");
    assert_non_null(mkdtemp(dir));
  }
  char *p = path[k++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  FILE *fp = fopen(p, "w");
  fputs(text, fp);
  fclose(fp);
  return p;
}

static void test_readers(void **state) {
  (void)state;
  ionkmc_error err;
  /* LAMMPS data: ids out of order, image flags, a triclinic box, elements
   * from a comment and from a mass */
  char lmp[256], pos[256];
  snprintf(lmp, sizeof lmp, "%s", write_tmp("a.data",
                              "title\n\n3 atoms\n2 atom types\n\n0 10 xlo xhi\n0 8 ylo yhi\n-1 5 zlo zhi\n"
                              "1 0.5 -0.5 xy xz yz\n\nMasses\n\n1 207.2\n2 126.9 # I\n\nAtoms # atomic\n\n"
                              "3 2 1.0 2.0 3.0 0 1 0\n1 1 0.5 0.5 0.5\n2 2 9.0 7.0 4.0 1 0 -1\n"));
  ionkmc_atoms *a = ionkmc_atoms_read(lmp, IONKMC_ATOMS_AUTO, &err);
  if (!a) fprintf(stderr, "%s\n", err.text);
  assert_non_null(a);
  assert_int_equal(a->n, 3);
  assert_string_equal(a->el[0], "Pb");
  assert_string_equal(a->el[2], "I");
  assert_true(fabs(a->cell[1][0] - 1.0) < 1e-12 && fabs(a->cell[2][0] - 0.5) < 1e-12 && fabs(a->cell[2][2] - 6) < 1e-12);
  /* atom 3: y image +1 adds b = (1, 8, 0); z shifted by -zlo */
  assert_true(fabs(a->x[6] - 2.0) < 1e-12 && fabs(a->x[7] - 10.0) < 1e-12 && fabs(a->x[8] - 4.0) < 1e-12);
  /* atom 2: x image +1 adds a = (10,0,0), z image -1 subtracts c = (0.5, -0.5, 6) */
  assert_true(fabs(a->x[3] - 18.5) < 1e-12 && fabs(a->x[4] - 7.5) < 1e-12 && fabs(a->x[5] - (4.0 + 1 - 6)) < 1e-12);
  ionkmc_atoms_free(a);
  /* POSCAR: selective dynamics, direct coordinates, scale 2 */
  snprintf(pos, sizeof pos, "%s",
           write_tmp("POSCAR", "t\n2.0\n2 0 0\n0 2 0\n0 1 3\nCs I\n1 1\nSelective dynamics\nDirect\n"
                               "0 0 0 T T T\n0.5 0.5 0.5 F F F\n"));
  assert_non_null(a = ionkmc_atoms_read(pos, IONKMC_ATOMS_AUTO, &err));
  assert_string_equal(a->el[1], "I");
  assert_true(fabs(a->x[3] - 2) < 1e-12 && fabs(a->x[4] - 3) < 1e-12 && fabs(a->x[5] - 3) < 1e-12);
  ionkmc_atoms_free(a);
  /* errors name the file and line */
  struct {
    const char *name, *text, *want;
  } bad[] = {
      {"b.data", "t\n\n2 atoms\n1 atom types\n\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nAtoms\n\n1 1 0 0 0\n",
       "Atoms before Masses"},
      {"c.data", "t\n\n1 atoms\n1 atom types\n\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nMasses\n\n1 50.0\n",
       "line 12: type 1: mass 50 matches no known element"},
      {"d.data", "t\n\n2 atoms\n1 atom types\n\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nMasses\n\n1 1.008\n\n"
                 "Atoms # atomic\n\n1 1 0 0 0\n1 1 0.5 0 0\n",
       "atom ids must be 1..2"},
      {"e.xyz", "3\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3\nH 0 0 0\n", "expected 3 atom lines"},
      {"f.xyz", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3\nH 0 x 0\n",
       "line 3: column 3: expected a number"},
      {"g.vasp", "t\n1\n1 0 0\n0 1 0\n0 0 1\nCs I\n1\nDirect\n0 0 0\n", "1 counts for 2 element names"},
      {"h.xyz", "1\nLattice=\"1 0 0 0 1 0 1 0 0\" Properties=species:S:1:pos:R:3\nH 0 0 0\n", "no positive volume"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    const char *p = write_tmp(bad[k].name, bad[k].text);
    a = ionkmc_atoms_read(p, IONKMC_ATOMS_AUTO, &err);
    assert_null(a);
    if (!strstr(err.text, bad[k].want)) fprintf(stderr, "%s: %s\n", bad[k].name, err.text);
    assert_non_null(strstr(err.text, bad[k].want));
    assert_non_null(strstr(err.text, p));
    remove(p);
  }
  assert_null(ionkmc_atoms_read("/nonexistent/x.xyz", IONKMC_ATOMS_AUTO, &err));
  assert_non_null(strstr(err.text, "cannot open"));
  assert_null(ionkmc_atoms_read("/tmp/structure.cif", IONKMC_ATOMS_AUTO, &err));
  assert_non_null(strstr(err.text, "cannot tell the format"));
  remove(lmp);
  remove(pos);
  char *slash = strrchr(lmp, '/');
  *slash = 0;
  rmdir(lmp);
}

/* A float32 model without model_dtype (what older nequip-deploy wrote): the
 * inputs go in as float32, and the results agree with the float64 model to
 * float32 precision. */
static void test_float32_model(void **state) {
  (void)state;
  if (!ionkmc_mlff_available()) skip();
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_mlff *m64 = load_standin(), *m32 = ionkmc_mlff_alloc(src_path("tests/data/mlff/float32.pth"), "cpu", &err, &st);
  assert_non_null(m32);
  assert_string_equal(ionkmc_mlff_meta_of(m32)->model_dtype, "float32");
  ionkmc_atoms *a = cspbi3_cell(2, 6.4, 3, 0.25, 7);
  double E64, E32, *F64 = malloc((size_t)a->n * 3 * sizeof(double)), *F32 = malloc((size_t)a->n * 3 * sizeof(double));
  assert_int_equal(ionkmc_mlff_eval(m64, a, NULL, &E64, F64, NULL, NULL, &err), IONKMC_OK);
  assert_int_equal(ionkmc_mlff_eval(m32, a, NULL, &E32, F32, NULL, NULL, &err), IONKMC_OK);
  double df = 0;
  for (int c = 0; c < 3 * a->n; c++) df = fmax(df, fabs(F64[c] - F32[c]));
  printf("float32 model: |dE| = %.2e eV of %.3f, max |dF| = %.2e eV/A\n", fabs(E64 - E32), E64, df);
  assert_true(fabs(E64 - E32) < 1e-6 * fabs(E64) * 10 && E64 != E32);
  assert_true(df < 1e-4);
  free(F64);
  free(F32);
  ionkmc_atoms_free(a);
  ionkmc_mlff_free(m64);
  ionkmc_mlff_free(m32);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nlist_against_brute), cmocka_unit_test(test_nlist_errors),
      cmocka_unit_test(test_metadata),            cmocka_unit_test(test_forces_and_stress_fd),
      cmocka_unit_test(test_errors),              cmocka_unit_test(test_band_roundtrip),
      cmocka_unit_test(test_readers),             cmocka_unit_test(test_float32_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
