/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Allocation failure at every allocation, in the manner of jansson's tests:
 * this program replaces malloc, calloc, realloc, posix_memalign and free (glibc lets a
 * program interpose them; libjansson, zlib and libc's own fopen go through
 * them too), makes the n-th allocation fail for n = 1, 2, ... until a call
 * no longer reaches n, and checks each time that the parser or the engine
 * set-up returns IONKMC_ENOMEM (not another status, not a crash) and frees
 * everything it took: every pointer allocated while armed is recorded and
 * must be gone after the caller's _free.
 * Skipped under AddressSanitizer (it owns malloc); scripts/sanitize runs the
 * parsers' error paths there instead. */
#define _GNU_SOURCE
#include <errno.h>
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

#include "barriers/catalog.h"
#include "calibration/neb.h"
#include "calibration/traj.h"
#include "kmc/box_spec.h"
#include "kmc/engine.h"
#include "tests/util.h"

#if defined(__SANITIZE_ADDRESS__)
#define CHAOS_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHAOS_OFF 1
#endif
#endif

#ifndef CHAOS_OFF
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

/* Armed state. Single-threaded: the calls below spawn no threads. */
static int armed;
static long fail_at, count, failed;
#define NLIVE (1 << 16)
static void *live[NLIVE];
static long nlive, overflow;

static size_t slot(void *p) { return ((uintptr_t)p >> 4) * 2654435761u % NLIVE; }

static void track(void *p) {
  if (!p) return;
  if (nlive >= NLIVE / 2) {
    overflow = 1;
    return;
  }
  size_t i = slot(p);
  while (live[i]) i = (i + 1) % NLIVE;
  live[i] = p;
  nlive++;
}

static void untrack(void *p) {
  if (!p || !nlive) return;
  size_t i = slot(p);
  while (live[i]) {
    if (live[i] == p) {
      /* Remove and re-insert the rest of the cluster (linear probing). */
      live[i] = NULL;
      nlive--;
      for (size_t j = (i + 1) % NLIVE; live[j]; j = (j + 1) % NLIVE) {
        void *q = live[j];
        live[j] = NULL;
        nlive--;
        track(q);
      }
      return;
    }
    i = (i + 1) % NLIVE;
  }
}

static int should_fail(void) {
  if (!armed) return 0;
  if (++count == fail_at) {
    failed = 1;
    return 1;
  }
  return 0;
}

void *malloc(size_t n) {
  if (should_fail()) {
    errno = ENOMEM;
    return NULL;
  }
  void *p = __libc_malloc(n);
  if (armed) track(p);
  return p;
}

void *calloc(size_t a, size_t b) {
  if (should_fail()) {
    errno = ENOMEM;
    return NULL;
  }
  void *p = __libc_calloc(a, b);
  if (armed) track(p);
  return p;
}

void *realloc(void *old, size_t n) {
  if (should_fail()) {
    errno = ENOMEM;
    return NULL;
  }
  void *p = __libc_realloc(old, n);
  if (armed && (p || n == 0)) {
    untrack(old);
    track(p);
  }
  return p;
}

/* (the engine's large arrays, kmc/hugealloc.c) */
int posix_memalign(void **out, size_t align, size_t n) {
  if (should_fail()) return ENOMEM;
  void *p = __libc_memalign(align, n);
  if (!p) return ENOMEM;
  if (armed) track(p);
  *out = p;
  return 0;
}

void free(void *p) {
  if (armed) untrack(p);
  __libc_free(p);
}

static void arm(long n) {
  memset(live, 0, sizeof live);
  nlive = overflow = 0;
  count = failed = 0;
  fail_at = n;
  armed = 1;
}

static void disarm(void) { armed = 0; }

/* Run `call` with every allocation failing in turn. call returns the status
 * of the operation and frees what it got. */
typedef ionkmc_status (*chaos_call)(void *ctx);

static char last_text[512]; /* the message of the last call */

static void every_allocation(const char *what, chaos_call call, void *ctx) {
  long n;
  for (n = 1; n < 100000; n++) {
    arm(n);
    ionkmc_status st = call(ctx);
    long leaked = nlive, reached = failed;
    disarm();
    if (!reached) {
      assert_int_equal(st, IONKMC_OK);
      break;
    }
    /* ENOMEM, or success when the failure was absorbed (stdio falls back
     * to an unbuffered stream, say); never another status, never a leak. */
    if ((st != IONKMC_ENOMEM && st != IONKMC_OK) || leaked || overflow) {
      fprintf(stderr, "%s: allocation %ld failed: status %d (%s), %ld blocks left: %s\n", what, n,
              (int)st, ionkmc_status_str(st), leaked, last_text);
      fail();
    }
  }
  print_message("%s: %ld allocations, each failed once: ENOMEM (or absorbed) and nothing left\n",
                what, n - 1);
  assert_true(n > 1);
}

static char dir[256];

static void write_file(const char *path, const char *text, int gz) {
  if (gz) {
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    gzputs(g, text);
    gzclose(g);
  } else {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
  }
}

static ionkmc_status call_catalog_default(void *ctx) {
  ionkmc_error err;
  ionkmc_catalog *c = ionkmc_catalog_alloc_default(&err);
  ionkmc_status st = IONKMC_OK;
  if (!c) snprintf(last_text, sizeof last_text, "%s", err.text);
  if (!c) st = strstr(err.text, "out of memory") ? IONKMC_ENOMEM : IONKMC_EPARSE;
  ionkmc_catalog_free(c);
  return st;
}

static ionkmc_status call_catalog_file(void *ctx) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *c = ionkmc_catalog_alloc_file(ctx, &err, &st);
  if (!c) snprintf(last_text, sizeof last_text, "%s", err.text);
  ionkmc_catalog_free(c);
  return st;
}

static ionkmc_status call_traj(void *ctx) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_traj *t = ionkmc_traj_open(ctx, NULL, &err, &st);
  if (!t) {
    snprintf(last_text, sizeof last_text, "%s", err.text);
    return st;
  }
  const ionkmc_frame *fr;
  do {
    st = ionkmc_traj_next(t, &fr, &err);
  } while (!st && fr);
  if (st) snprintf(last_text, sizeof last_text, "%s", err.text);
  ionkmc_traj_free(t);
  return st;
}

static ionkmc_status call_neb(void *ctx) {
  ionkmc_error err;
  ionkmc_neb_band b;
  ionkmc_status st = ionkmc_neb_read(ctx, IONKMC_NEB_AUTO, &b, &err);
  if (st) snprintf(last_text, sizeof last_text, "%s", err.text);
  if (st) return st;
  ionkmc_neb_result r;
  return ionkmc_neb_fit(&b, &r, &err);
}

typedef struct {
  const ionkmc_catalog *cat;
  const char *box;
} engine_ctx;

static ionkmc_status call_engine(void *ctx) {
  engine_ctx *c = ctx;
  ionkmc_status st;
  ionkmc_error err;
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = 4;
  spec.cond.T = 400;
  spec.cond.a = 6.3;
  spec.count[IONKMC_V_I] = 2;
  spec.count[IONKMC_I_I] = 1;
  spec.count[IONKMC_I_MA_P] = 1;
  if ((st = ionkmc_box_spec_rates(&spec, c->cat, &err))) return st;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(spec.L, &st);
  if (!lat) return st;
  ionkmc_engine *e = ionkmc_engine_alloc(&spec, lat, &err, &st);
  if (e) {
    ionkmc_rng r;
    ionkmc_rng_init(&r, 1, 0);
    st = ionkmc_engine_reset(e, &r, &err);
  }
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  return st;
}

static const char DUMP[] =
    "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 6.3\n0 6.3\n0 6.3\n"
    "ITEM: ATOMS id element x y z ix iy iz\n1 Pb 0 0 0 0 0 0\n2 I 3.15 0 0 0 0 0\n3 I 0 3.15 0 0 0 0\n"
    "ITEM: TIMESTEP\n10\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 6.3\n0 6.3\n0 6.3\n"
    "ITEM: ATOMS id element x y z ix iy iz\n2 I 3.2 0 0 0 0 0\n1 Pb 0 0 0 0 0 0\n3 I 0 3.1 0 0 0 0\n";
static const char XYZ[] =
    "2\nLattice=\"6.3 0 0 0 6.3 0 0 0 6.3\" Properties=species:S:1:pos:R:3:forces:R:3 Time=0.0\n"
    "Pb 0 0 0 0 0 0\nI 3.15 0 0 0.1 0 0\n"
    "2\nLattice=\"6.3 0 0 0 6.3 0 0 0 6.3\" Properties=species:S:1:pos:R:3:forces:R:3 Time=0.01\n"
    "Pb 0 0 0 0 0 0\nI 3.2 0 0 0.1 0 0\n";
static const char NEB[] = "0 0.0 -100.0 0.0 0\n1 1.0 -99.7 -0.3 1\n2 2.0 -99.5 0.0 2\n"
                          "3 3.0 -99.7 0.3 3\n4 4.0 -100.0 0.0 4\n";

static void test_catalog_default(void **state) {
  every_allocation("embedded catalog", call_catalog_default, NULL);
}

static void test_catalog_file(void **state) {
  char p[300];
  ionkmc_catalog *c = ionkmc_catalog_alloc_default(NULL);
  assert_non_null(c);
  snprintf(p, sizeof p, "%s/cat.json", dir);
  assert_int_equal(ionkmc_catalog_save(c, p, NULL), IONKMC_OK);
  ionkmc_catalog_free(c);
  every_allocation("catalog file", call_catalog_file, p);
}

/* Write text (gzip when gz) to dir/name and fail every allocation of call on it. */
static void on_file(const char *name, const char *text, int gz, const char *what, chaos_call call) {
  char p[300];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  write_file(p, text, gz);
  every_allocation(what, call, p);
}

static void test_lammps(void **state) {
  on_file("t.dump", DUMP, 0, "LAMMPS dump", call_traj);
  on_file("t.dump.gz", DUMP, 1, "LAMMPS dump, gzip", call_traj);
}

static void test_extxyz(void **state) { on_file("t.extxyz", XYZ, 0, "extxyz", call_traj); }

static const char NEB_XYZ[] =
    "2\nLattice=\"20 0 0 0 20 0 0 0 20\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-50.0 pbc=\"T T T\"\n"
    "I 2.0 1 1 0 0 0\nPb 10 10 10 0 0 0\n"
    "2\nLattice=\"20 0 0 0 20 0 0 0 20\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-49.6 pbc=\"T T T\"\n"
    "I 3.6 1 1 0 0 0\nPb 10 10 10 0 0 0\n"
    "2\nLattice=\"20 0 0 0 20 0 0 0 20\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-50.0 pbc=\"T T T\"\n"
    "I 5.2 1 1 0 0 0\nPb 10 10 10 0 0 0\n";
static const char NEB_LOG[] =
    "LAMMPS (some version)\nSetting up regular NEB ...\nStep MaxReplicaForce MaxAtomForce GradV0 GradV1 "
    "GradVc EBF EBR RDT RD1 PE1 RD2 PE2 RD3 PE3\n"
    "100 0.01 0.01 0 0 0 0.5 0.5 3 0 -10 0.5 -9.5 1 -10\nLoop time of 1 on 1 procs\n";

static void test_neb(void **state) {
  on_file("neb.dat", NEB, 0, "VTST neb.dat", call_neb);
  on_file("band.xyz", NEB_XYZ, 0, "ASE extxyz band", call_neb);
  on_file("log.lammps", NEB_LOG, 0, "LAMMPS neb log", call_neb);
}

static void test_engine_setup(void **state) {
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(NULL);
  assert_non_null(cat);
  engine_ctx c = {cat, NULL};
  every_allocation("engine set-up (lattice, engine, reset)", call_engine, &c);
  ionkmc_catalog_free(cat);
}

static int setup(void **state) {
  return tu_tmpdir(dir, sizeof dir, "chaos");
}

static int teardown(void **state) { return tu_rmtree(dir); }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_catalog_default), cmocka_unit_test(test_catalog_file),
      cmocka_unit_test(test_lammps),          cmocka_unit_test(test_extxyz),
      cmocka_unit_test(test_neb),             cmocka_unit_test(test_engine_setup),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
#else
static void skipped(void **state) { skip(); }
int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(skipped)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
