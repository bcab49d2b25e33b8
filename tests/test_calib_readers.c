/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Trajectory readers: numbers, LAMMPS dumps written by the real LAMMPS
 * (orthogonal, unwrapped, triclinic scaled), gzip, extxyz, and every kind of
 * bad input with its message. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "calibration/mdtrack.h"
#include "calibration/traj.h"
#include "tests/util.h"

static char dir[512];

static int setup(void **state) {
  return tu_tmpdir(dir, sizeof dir, "calib-rd");
}

static int teardown(void **state) { return tu_rmtree(dir); }

static ionkmc_traj_options types(void) {
  ionkmc_traj_options o = ionkmc_traj_options_default();
  ionkmc_error err;
  assert_int_equal(ionkmc_traj_parse_types(&o, TU_MAPBI3_TYPES, &err), IONKMC_OK);
  ionkmc_traj_options m = tu_traj_options_mapbi3();
  assert_memory_equal(o.type_element, m.type_element, sizeof o.type_element);
  return o;
}

static void test_parse_double(void **state) {
  const char *s[] = {"0", "-0.5", "12.6111", "1.2920000000000000e+01", "2.0000000000000001e-01",
                     "-3.25E-3", "+7", ".5", "5.", "123456789012345678901234", "1e-30", "6.02214076e23"};
  for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
    double v;
    const char *e = ionkmc_parse_double(s[i], &v);
    assert_non_null(e);
    assert_int_equal(*e, 0);
    double ref = strtod(s[i], NULL);
    assert_true(fabs(v - ref) <= 2e-16 * fabs(ref));
  }
  double v;
  assert_null(ionkmc_parse_double("abc", &v));
  assert_null(ionkmc_parse_double("-", &v));
  assert_null(ionkmc_parse_double("1e", &v));
  ionkmc_traj_options o = ionkmc_traj_options_default();
  ionkmc_error err;
  assert_int_equal(ionkmc_traj_parse_types(&o, "1=Pb,2=Xe", &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "unknown element 'Xe'"));
  assert_int_equal(ionkmc_traj_parse_types(&o, "0=Pb", &err), IONKMC_EINVAL);
}

/* Read every frame of a file; return the number of frames. */
static int count_frames(const char *path, ionkmc_traj_options *o) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(path, o, &err, &st);
  if (!t) fail_msg("%s", err.text);
  const ionkmc_frame *f;
  int n = 0;
  while ((st = ionkmc_traj_next(t, &f, &err)) == IONKMC_OK && f) n++;
  if (st) fail_msg("%s", err.text);
  ionkmc_traj_free(t);
  return n;
}

/* The real LAMMPS dumps: atom count, box, ids, image flags, and the wrapped +
 * image-flag positions equal to the unwrapped dump of the same run. */
static void test_lammps_fixture(void **state) {
  char p1[600], p2[600], p3[600];
  snprintf(p1, sizeof p1, "%s", tu_data_path("lammps_ortho.dump"));
  snprintf(p2, sizeof p2, "%s", tu_data_path("lammps_unwrap.dump"));
  snprintf(p3, sizeof p3, "%s", tu_data_path("lammps_tri.dump"));
  ionkmc_traj_options o = types();
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *a = ionkmc_traj_open(p1, &o, &err, &st), *b = ionkmc_traj_open(p2, &o, &err, &st);
  assert_non_null(a);
  assert_non_null(b);
  const ionkmc_frame *fa, *fb;
  int frames = 0, imaged = 0;
  double *keep = malloc(sizeof(double) * 3 * 48);
  while (ionkmc_traj_next(a, &fa, &err) == IONKMC_OK && fa) {
    if (frames == 0) memcpy(keep, fa->x, sizeof(double) * 3 * 48);
    assert_int_equal(ionkmc_traj_next(b, &fb, &err), IONKMC_OK);
    assert_non_null(fb);
    assert_int_equal(fa->natoms, 48);
    assert_int_equal(fa->step, 50 * frames);
    assert_true(fabs(fa->time - 0.05 * frames) < 1e-12);
    assert_true(fabs(fa->cell[0][0] - 12.72) < 1e-9 && fa->cell[1][0] == 0 && fabs(fa->cell[2][2] - 12.72) < 1e-9);
    for (int i = 0; i < 48; i++) {
      assert_int_equal(fa->id[i], i + 1);
      assert_int_equal(fa->element[i], i % 6 == 0 ? IONKMC_EL_PB : i % 6 < 4 ? IONKMC_EL_I : i % 6 == 4 ? IONKMC_EL_C : IONKMC_EL_N);
      for (int c = 0; c < 3; c++) {
        assert_true(fabs(fa->x[3 * i + c] - fb->x[3 * i + c]) < 1e-3);
        if (fa->x[3 * i + c] < 0) imaged++;
      }
    }
    frames++;
  }
  assert_int_equal(frames, 5);
  assert_true(imaged > 0); /* some atoms crossed the box: image flags used */
  /* Unwrapped positions stay near the start (no jumps of a box length). */
  for (int q = 0; q < 3 * 48; q++) assert_true(fabs(keep[q] - fb->x[q]) < 2.0);
  free(keep);
  ionkmc_traj_free(a);
  ionkmc_traj_free(b);
  /* Triclinic, scaled coordinates. */
  ionkmc_traj *t = ionkmc_traj_open(p3, &o, &err, &st);
  const ionkmc_frame *f;
  assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_OK);
  assert_true(fabs(f->cell[0][0] - 12.72) < 1e-9);
  assert_true(fabs(f->cell[1][0] - 0.2) < 1e-9);
  assert_true(fabs(f->cell[1][1] - 12.72) < 1e-9);
  assert_true(fabs(f->origin[0]) < 1e-12);
  /* atom 2 at xs = 0.25: x = 3.18; atom 3 at (0.996069 - 1, 0.25): x = -0.05 + 0.25 * 0.2 */
  assert_true(fabs(f->x[3] - 3.18) < 1e-4);
  assert_true(fabs(f->x[6] - ((0.996069 - 1) * 12.72 + 0.25 * 0.2)) < 1e-4);
  assert_true(fabs(f->x[7] - 3.18) < 1e-4);
  ionkmc_traj_free(t);
  assert_int_equal(count_frames(p3, &o), 5);
  /* The lattice fit of the tracker on the fixture. */
  ionkmc_hop_params hp = ionkmc_hop_params_default();
  ionkmc_md_summary s;
  if (ionkmc_md_analyze_file(p1, &o, &hp, NULL, NULL, &s, &err)) fail_msg("%s", err.text);
  assert_int_equal(s.L, 2);
  assert_true(fabs(s.a_first - 6.36) < 1e-9);
  assert_int_equal(s.n_pb, 8);
  assert_int_equal(s.n_i, 24);
  assert_int_equal(s.n_ma, 8);
  for (int m = 0; m < IONKMC_NMECH; m++) assert_int_equal(s.events[m], 0);
  if (ionkmc_md_analyze_file(p3, &o, &hp, NULL, NULL, &s, &err)) fail_msg("%s", err.text);
  assert_int_equal(s.L, 2);
}

static void write_text(const char *path, const char *text) {
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

/* gzip is read directly, with the same frames as the plain file. */
static void test_gzip(void **state) {
  char src[600], gz[640];
  snprintf(src, sizeof src, "%s", tu_data_path("lammps_ortho.dump"));
  snprintf(gz, sizeof gz, "%s/ortho.dump.gz", dir);
  FILE *in = fopen(src, "rb");
  assert_non_null(in);
  gzFile out = gzopen(gz, "wb");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) gzwrite(out, buf, (unsigned)n);
  fclose(in);
  gzclose(out);
  ionkmc_traj_options o = types();
  assert_int_equal(count_frames(gz, &o), 5);
  /* A gzip file cut in the middle: a read error or a truncated frame. */
  char cut[640];
  snprintf(cut, sizeof cut, "%s/cut.dump.gz", dir);
  FILE *g = fopen(gz, "rb"), *c = fopen(cut, "wb");
  n = fread(buf, 1, sizeof buf, g);
  fwrite(buf, 1, n / 2, c);
  fclose(g);
  fclose(c);
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(cut, &o, &err, &st);
  assert_non_null(t);
  const ionkmc_frame *f;
  while ((st = ionkmc_traj_next(t, &f, &err)) == IONKMC_OK && f) {
  }
  assert_true(st == IONKMC_EIO || st == IONKMC_EPARSE);
  assert_non_null(strstr(err.text, cut));
  ionkmc_traj_free(t);
}

/* Atoms in any order and any column order, element column, ITEM: TIME. */
static void test_lammps_columns(void **state) {
  char p[640];
  snprintf(p, sizeof p, "%s/cols.dump", dir);
  write_text(p, "ITEM: TIMESTEP\n0\nITEM: TIME\n0.0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n"
                "0 10\n0 10\n0 10\nITEM: ATOMS z element q y id x\n"
                "3.0 I 0.5 2.0 3 1.0\n0.5 Pb -1 0.25 1 0.125\n6 N 0 5 2 4\n"
                "ITEM: TIMESTEP\n10\nITEM: TIME\n0.5\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n"
                "0 10\n0 10\n0 10\nITEM: ATOMS z element q y id x\n"
                "6 N 0 5 2 4\n3.0 I 0.5 2.0 3 1.0\n0.5 Pb -1 0.25 1 0.125\n");
  ionkmc_traj_options o = ionkmc_traj_options_default();
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(p, &o, &err, &st);
  const ionkmc_frame *f;
  for (int k = 0; k < 2; k++) {
    assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_OK);
    assert_true(fabs(f->time - 0.5 * k) < 1e-12);
    assert_int_equal(f->id[0], 1);
    assert_int_equal(f->element[0], IONKMC_EL_PB);
    assert_int_equal(f->element[1], IONKMC_EL_N);
    assert_int_equal(f->element[2], IONKMC_EL_I);
    assert_true(f->x[0] == 0.125 && f->x[1] == 0.25 && f->x[2] == 0.5);
    assert_true(f->x[6] == 1.0 && f->x[7] == 2.0 && f->x[8] == 3.0);
  }
  assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_OK);
  assert_null(f);
  ionkmc_traj_free(t);
}

static void test_extxyz(void **state) {
  char p[640];
  snprintf(p, sizeof p, "%s/a.xyz", dir);
  write_text(p, "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5 "
                "Time=0.1 pbc=\"T T T\"\nPb 0 0 0 0.1 0.2 0.3\nI 5 0 0 -0.1 0 0\n"
                "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.25 "
                "Time=0.2\nPb 0 0 0.5 0 0 0\nI 5 0.5 0 0 0 0\n");
  ionkmc_traj_options o = ionkmc_traj_options_default();
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(p, &o, &err, &st);
  assert_int_equal(ionkmc_traj_format_of(t), IONKMC_TRAJ_EXTXYZ);
  const ionkmc_frame *f;
  assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_OK);
  assert_int_equal(f->natoms, 2);
  assert_true(f->energy == -1.5 && fabs(f->time - 0.1) < 1e-12);
  assert_non_null(f->f);
  assert_true(f->f[2] == 0.3 && f->x[3] == 5 && f->element[1] == IONKMC_EL_I);
  assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_OK);
  assert_true(f->energy == -1.25 && f->x[4] == 0.5);
  ionkmc_traj_free(t);
}

/* A bad file: expect status st and a message with the file name and want. */
static void expect_bad(const char *name, const char *text, ionkmc_status want_st, const char *want,
                       int through_tracker) {
  char p[640];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  write_text(p, text);
  ionkmc_traj_options o = types();
  ionkmc_error err = {{0}};
  ionkmc_status st;
  if (through_tracker) {
    ionkmc_hop_params hp = ionkmc_hop_params_default();
    ionkmc_md_summary s;
    st = ionkmc_md_analyze_file(p, &o, &hp, NULL, NULL, &s, &err);
  } else {
    ionkmc_traj *t = ionkmc_traj_open(p, &o, &err, &st);
    assert_non_null(t);
    const ionkmc_frame *f;
    while ((st = ionkmc_traj_next(t, &f, &err)) == IONKMC_OK && f) {
    }
    ionkmc_traj_free(t);
  }
  if (st != want_st) fail_msg("%s: status %d, expected %d (%s)", name, st, want_st, err.text);
  if (!strstr(err.text, want) || !strstr(err.text, p)) fail_msg("%s: message '%s' lacks '%s'", name, err.text, want);
}

#define HEAD(n) "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n" #n "\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"

static void test_bad_inputs(void **state) {
  expect_bad("trunc.dump", HEAD(2) "ITEM: ATOMS id type x y z\n1 1 0 0 0\n", IONKMC_EPARSE,
             "line 11, frame 0: truncated frame", 0);
  expect_bad("trunc2.dump", HEAD(1) "ITEM: ATOMS id type x y z\n1 1 0 0 0\nITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n",
             IONKMC_EPARSE, "frame 1: truncated frame", 0);
  expect_bad("nocol.dump", HEAD(1) "ITEM: ATOMS id type x y\n1 1 0 0\n", IONKMC_EPARSE,
             "line 9, frame 0: missing position columns", 0);
  expect_bad("noid.dump", HEAD(1) "ITEM: ATOMS type x y z\n1 0 0 0\n", IONKMC_EPARSE, "missing column 'id'", 0);
  expect_bad("short.dump", HEAD(1) "ITEM: ATOMS id type x y z\n1 1 0 0\n", IONKMC_EPARSE,
             "line 10, frame 0: expected 5 columns, got 4", 0);
  expect_bad("num.dump", HEAD(1) "ITEM: ATOMS id type x y z\n1 1 0 abc 0\n", IONKMC_EPARSE,
             "line 10, frame 0: column 4: expected a number", 0);
  expect_bad("count.dump", HEAD(1) "ITEM: ATOMS id type x y z\n1 1 0 0 0\n" HEAD(2) "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0 0 0\n",
             IONKMC_EINVAL, "frame 1 (line 11): 2 atoms, expected 1", 0);
  expect_bad("elem.dump", HEAD(1) "ITEM: ATOMS id element x y z\n1 Xe 0 0 0\n", IONKMC_EINVAL,
             "line 10, frame 0: unknown element 'Xe'", 0);
  expect_bad("type.dump", HEAD(1) "ITEM: ATOMS id type x y z\n1 7 0 0 0\n", IONKMC_EINVAL,
             "atom type 7 has no element", 0);
  expect_bad("time.dump",
             "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
             "ITEM: ATOMS id type x y z\n1 1 0 0 0\nITEM: TIMESTEP\n50\nITEM: NUMBER OF ATOMS\n1\n"
             "ITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 0 0 0\n",
             IONKMC_EINVAL, "frame 1 (line 11): time 0.05 ps is not after", 0);
  expect_bad("dup.dump", HEAD(2) "ITEM: ATOMS id type x y z\n1 1 0 0 0\n1 1 0 0 0\n", IONKMC_EPARSE,
             "atom id 1 appears twice", 0);
  expect_bad("item.dump", "ITEM: TIMESTEP\n0\nITEM: BOGUS\n", IONKMC_EPARSE, "line 3, frame 0: expected ITEM:", 0);
  expect_bad("start.dump", "hello\n", IONKMC_EPARSE, "line 1, frame 0: expected 'ITEM: TIMESTEP'", 0);
  expect_bad("xyz_nolat.xyz", "1\nProperties=species:S:1:pos:R:3 Time=0\nPb 0 0 0\n", IONKMC_EPARSE,
             "line 2, frame 0: expected Lattice=", 0);
  expect_bad("xyz_nopos.xyz", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1 Time=0\nPb\n", IONKMC_EPARSE,
             "missing column pos:R:3", 0);
  expect_bad("xyz_notime.xyz", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3\nPb 0 0 0\n",
             IONKMC_EINVAL, "no Time=", 0);
  expect_bad("xyz_trunc.xyz", "3\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3 Time=0\nPb 0 0 0\n",
             IONKMC_EPARSE, "truncated frame", 0);
  expect_bad("xyz_el.xyz", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3 Time=0\nXe 0 0 0\n",
             IONKMC_EINVAL, "unknown element 'Xe'", 0);
  /* Lattice fit (tracker): counts, box shape. */
  expect_bad("notcube.dump", HEAD(3) "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 5 0 0\n3 2 2 0 0\n",
             IONKMC_EINVAL, "2 Pb atoms is not L^3", 1);
}

/* A perovskite-like box with wrong shapes or counts, built from the fixture. */
static void test_bad_box(void **state) {
  char src[600];
  snprintf(src, sizeof src, "%s", tu_data_path("lammps_ortho.dump"));
  FILE *fp = fopen(src, "r");
  assert_non_null(fp);
  char line[256], *text = calloc(1, 1 << 16);
  int ln = 0;
  while (fgets(line, sizeof line, fp) && ln < 57) { /* first frame only */
    strcat(text, line);
    ln++;
  }
  fclose(fp);
  /* Stretch z by 20%. */
  char *z = strstr(text, "0.0000000000000000e+00 1.2720000000000001e+01\nITEM: ATOMS");
  assert_non_null(z);
  char *stretched = strdup(text);
  memcpy(stretched + (z - text), "0.0000000000000000e+00 1.5264000000000001e+01", 45);
  expect_bad("stretched.dump", stretched, IONKMC_EINVAL, "the box does not fit a cubic perovskite", 1);
  /* Drop the last C and N lines: 7 C and 7 N in a 2^3 cell is fine, but drop
   * only the N to break the pairing/counts. */
  char *cut = strdup(text);
  char *last = strrchr(cut, '\n');
  *last = 0;
  last = strrchr(cut, '\n');
  last[1] = 0;
  char *nat = strstr(cut, "\n48\n");
  memcpy(nat, "\n47\n", 4);
  expect_bad("counts.dump", cut, IONKMC_EINVAL, "inconsistent atom counts", 1);
  free(stretched);
  free(cut);
  free(text);
}

/* The format registry: names in order, selection by name, detection by
 * extension first and by the first bytes (gzip read through) otherwise. */
static void test_format_registry(void **state) {
  assert_int_equal(ionkmc_traj_format_count(), 3);
  assert_string_equal(ionkmc_traj_format_list(0), "lammps");
  assert_string_equal(ionkmc_traj_format_list(1), "extxyz");
  assert_string_equal(ionkmc_traj_format_list(2), "h5md");
  assert_null(ionkmc_traj_format_list(3));
  ionkmc_traj_options o = ionkmc_traj_options_default();
  ionkmc_error err;
  assert_int_equal(ionkmc_traj_options_set_format(&o, "xtc", &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "expected auto, lammps, extxyz or h5md, got 'xtc'"));
  const char *xyz = "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3 Time=0\nI 1 2 3\n";
  const char *dump = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
                     "ITEM: ATOMS id element x y z\n1 I 1 2 3\n";
  struct {
    const char *name, *text;
    int gz;
    const char *format;
  } c[] = {{"r1.xyz", xyz, 0, "extxyz"},   {"r2.extxyz.gz", xyz, 1, "extxyz"}, {"r3.dat", xyz, 0, "extxyz"},
           {"r4.traj.gz", xyz, 1, "extxyz"}, {"r5.dat", dump, 0, "lammps"},    {"r6", dump, 1, "lammps"}};
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    char p[160];
    snprintf(p, sizeof p, "%s/%s", dir, c[i].name);
    gzFile g = gzopen(p, c[i].gz ? "wb" : "wbT");
    assert_non_null(g);
    gzputs(g, c[i].text);
    gzclose(g);
    ionkmc_status st;
    ionkmc_traj *t = ionkmc_traj_open(p, &o, &err, &st);
    assert_non_null(t);
    assert_string_equal(ionkmc_traj_format_name(t), c[i].format);
    const ionkmc_frame *f;
    assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_OK);
    assert_non_null(f);
    assert_true(f->natoms == 1 && f->x[0] == 1 && f->x[2] == 3 && f->element[0] == IONKMC_EL_I);
    ionkmc_traj_free(t);
  }
  /* a name overrides the contents: LAMMPS text read as extxyz fails there */
  char p[160];
  snprintf(p, sizeof p, "%s/r5.dat", dir);
  assert_int_equal(ionkmc_traj_options_set_format(&o, "extxyz", &err), IONKMC_OK);
  assert_int_equal(o.format, IONKMC_TRAJ_EXTXYZ);
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(p, &o, &err, &st);
  assert_non_null(t);
  assert_string_equal(ionkmc_traj_format_name(t), "extxyz");
  const ionkmc_frame *f;
  assert_int_equal(ionkmc_traj_next(t, &f, &err), IONKMC_EPARSE);
  ionkmc_traj_free(t);
  assert_int_equal(ionkmc_traj_options_set_format(&o, "auto", &err), IONKMC_OK);
  assert_true(o.format == IONKMC_TRAJ_AUTO && o.format_name[0] == 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_double), cmocka_unit_test(test_lammps_fixture),
      cmocka_unit_test(test_format_registry),
      cmocka_unit_test(test_gzip),         cmocka_unit_test(test_lammps_columns),
      cmocka_unit_test(test_extxyz),       cmocka_unit_test(test_bad_inputs),
      cmocka_unit_test(test_bad_box),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
