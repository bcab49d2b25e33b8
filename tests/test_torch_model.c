/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Tests of barriers/torch_model.h: loading TorchScript barrier models, their
 * metadata, batched evaluation and every error status.
 * Models: examples/torch_barrier/{model,constant_v_i}.pt and the error models
 * of tests/data/torch (written by make_test_models.py there).
 * Built without libtorch, only the IONKMC_ESTATE behaviour is checked and the
 * rest is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barriers/torch_model.h"
#include "tests/util.h"

#define D IONKMC_TORCH_DESCRIPTOR_LENGTH
#define V IONKMC_TORCH_DESCRIPTOR_VERSION

/* The constant model stores log10(5.58e10) rounded to float64. */
#define CONST_EB 0.15
#define CONST_NU 5.58e10
#define CONST_LOG10NU 10.74663419893758

/* Paths under the source tree (tests/util.h: up to 8 live at once). */
#define src_path tu_source_path

static const char *data_path(const char *name) {
  char rel[256];
  snprintf(rel, sizeof rel, "torch/%s", name);
  return tu_data_path(rel);
}

#define MODEL_PATH() src_path("examples/torch_barrier/model.pt")
#define CONST_PATH() src_path("examples/torch_barrier/constant_v_i.pt")

static int skip_without_torch(void) { return !ionkmc_torch_available(); }

/* A plausible descriptor: an iodide hop with a few neighbours around. */
static void example_descriptor(double x[D], double q, int variant) {
  const double a = 6.30 + 0.01 * (variant % 10);
  const int init[6] = {variant % 2, 0, 0, 0, (variant / 2) % 2, 0};
  const int fin[6] = {0, variant % 3 == 0, 0, 0, 0, 0};
  ionkmc_torch_descriptor_fill(x, q, a / sqrt(2.0), a, 0.01 * q * ((variant % 5) - 2), init, fin,
                               0.5 * (variant % 5), 4);
}

static ionkmc_torch_model *load_ok(const char *path) {
  ionkmc_error err = {{0}};
  ionkmc_status st = IONKMC_EINTERNAL;
  ionkmc_torch_model *m = ionkmc_torch_model_alloc(path, V, D, &err, &st);
  if (!m) fprintf(stderr, "load %s: %s\n", path, err.text);
  assert_non_null(m);
  assert_int_equal(st, IONKMC_OK);
  return m;
}

/* Load a model that must fail with `want`; return the message. */
static void load_fails(const char *path, int version, int length, ionkmc_status want,
                       ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  memset(err, 0, sizeof *err);
  ionkmc_torch_model *m = ionkmc_torch_model_alloc(path, version, length, err, &st);
  if (m || st != want) fprintf(stderr, "%s: status %d, want %d: %s\n", path, st, want, err->text);
  assert_null(m);
  assert_int_equal(st, want);
  assert_true(strlen(err->text) > 0);
}

/* ---- built without libtorch ---------------------------------------------- */

static void test_without_torch(void **state) {
  (void)state;
  if (ionkmc_torch_available()) skip();
  ionkmc_error err = {{0}};
  ionkmc_status st = IONKMC_OK;
  assert_null(ionkmc_torch_model_alloc(CONST_PATH(), V, D, &err, &st));
  assert_int_equal(st, IONKMC_ESTATE);
  assert_non_null(strstr(err.text, "without libtorch"));
  double x[D] = {0}, eb = -1, nu = -1;
  assert_int_equal(ionkmc_torch_model_eval(NULL, x, 1, &eb, &nu, &err), IONKMC_ESTATE);
  assert_int_equal(ionkmc_torch_set_num_threads(1, &err), IONKMC_ESTATE);
  ionkmc_torch_model_free(NULL);
}

/* ---- loading and metadata ------------------------------------------------- */

static void test_load_and_metadata(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_torch_model *m = load_ok(MODEL_PATH());
  assert_int_equal(ionkmc_torch_model_descriptor_version(m), 1);
  assert_int_equal(ionkmc_torch_model_descriptor_length(m), 18);
  assert_string_equal(ionkmc_torch_model_units(m), "Eb=eV nu=1/s");
  assert_non_null(strstr(ionkmc_torch_model_description(m), "EXAMPLE"));
  assert_string_equal(ionkmc_torch_model_path(m), MODEL_PATH());
  ionkmc_torch_model_free(m);

  m = load_ok(CONST_PATH());
  assert_non_null(strstr(ionkmc_torch_model_description(m), "constant V_I+"));
  ionkmc_torch_model_free(m);
  ionkmc_torch_model_free(NULL);
  /* Accessors of NULL are harmless. */
  assert_int_equal(ionkmc_torch_model_descriptor_length(NULL), 0);
  assert_string_equal(ionkmc_torch_model_units(NULL), "");
}

/* ---- evaluation ----------------------------------------------------------- */

/* Tolerance of nu for the constant model. The model stores
 * L = log10(5.58e10) rounded to float64, so |L - log10 nu| <= ulp(L)/2 =
 * 2^-50 (L is in [8, 16)); nu = 10^L then differs from 5.58e10 by a relative
 * ln(10) * 2^-50 = 2.05e-15 at most, plus pow's own error (< 1 ulp,
 * 2.2e-16): 2.3e-15 in all. The actual difference is 1.8e-15 (about 13 ulp of
 * nu). No float64 L gives exactly 5.58e10: one step of L moves nu by about 30
 * ulp. The exact value returned is pow(10, L), checked bit for bit too. */
#define CONST_NU_RELTOL 2.3e-15

static void test_constant_model(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_torch_model *m = load_ok(CONST_PATH());
  enum { B = 7 };
  double x[B * D], eb[B], nu[B];
  for (int i = 0; i < B; i++) example_descriptor(x + i * D, i % 2 ? 1.0 : -1.0, i);
  ionkmc_error err = {{0}};
  assert_int_equal(ionkmc_torch_model_eval(m, x, B, eb, nu, &err), IONKMC_OK);
  volatile double lg = CONST_LOG10NU; /* no compile-time folding of pow */
  const double nu_exact = pow(10.0, lg);
  for (int i = 0; i < B; i++) {
    assert_true(eb[i] == CONST_EB);
    assert_true(nu[i] == nu_exact);
    assert_true(fabs(nu[i] - CONST_NU) <= CONST_NU_RELTOL * CONST_NU);
  }
  /* Batch 1 too. */
  assert_int_equal(ionkmc_torch_model_eval(m, x, 1, eb, nu, &err), IONKMC_OK);
  assert_true(eb[0] == CONST_EB && nu[0] == nu_exact);
  ionkmc_torch_model_free(m);
}

/* One batch of 256 against 256 calls of batch 1. The MLP's matrix products
 * may run different kernels for 1 and 256 rows and sum in another order, so
 * equality is required to 64 ulp (relative 1.4e-14) rather than bit for bit;
 * the number of exactly equal rows is reported. */
static void test_batch_equals_rows(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_torch_model *m = load_ok(MODEL_PATH());
  enum { B = 256 };
  static double x[B * D], x_copy[B * D];
  double eb[B], nu[B];
  for (int i = 0; i < B; i++) example_descriptor(x + i * D, (i % 3) - 1.0, i);
  memcpy(x_copy, x, sizeof x);
  ionkmc_error err = {{0}};
  assert_int_equal(ionkmc_torch_model_eval(m, x, B, eb, nu, &err), IONKMC_OK);
  assert_memory_equal(x, x_copy, sizeof x); /* input left alone */
  int exact = 0;
  for (int i = 0; i < B; i++) {
    double eb1, nu1;
    assert_int_equal(ionkmc_torch_model_eval(m, x + i * D, 1, &eb1, &nu1, &err), IONKMC_OK);
    assert_true(fabs(eb1 - eb[i]) <= 64 * DBL_EPSILON * fabs(eb[i]));
    assert_true(fabs(nu1 - nu[i]) <= 64 * DBL_EPSILON * nu[i]);
    exact += (eb1 == eb[i] && nu1 == nu[i]);
  }
  printf("batch 256 vs 256 x batch 1: %d of %d rows bit-identical\n", exact, B);
  ionkmc_torch_model_free(m);
}

/* The example network reproduces its synthetic training formula
 * (make_samples.py) to within its training error (RMSE 0.002 eV,
 * 0.005 decades); 0.02 eV and 0.05 decades are ten times that. */
static void test_example_model_values(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_torch_model *m = load_ok(MODEL_PATH());
  const double a = 6.365;
  const int none[6] = {0}, one_vi[6] = {1, 0, 0, 0, 0, 0};
  double x[2 * D], eb[2], nu[2];
  ionkmc_torch_descriptor_fill(x, 1.0, a / sqrt(2.0), a, 0.0, none, none, 1.0, 4);
  ionkmc_torch_descriptor_fill(x + D, 1.0, a / sqrt(2.0), a, 0.0, one_vi, none, 1.0, 4);
  assert_true(x[IONKMC_TORCH_X_NB_INIT] == 0.0 && x[D + IONKMC_TORCH_X_NB_INIT] == 1.0);
  assert_true(x[IONKMC_TORCH_X_NCAGES] == 4.0 && x[IONKMC_TORCH_X_ACELL] == a);
  ionkmc_error err = {{0}};
  assert_int_equal(ionkmc_torch_model_eval(m, x, 2, eb, nu, &err), IONKMC_OK);
  /* 0.15 + 0.04 (cos2 - 1) = 0.15 eV; one init neighbour adds 0.02 eV. */
  assert_true(fabs(eb[0] - 0.15) < 0.02);
  assert_true(fabs(eb[1] - 0.17) < 0.02);
  assert_true(fabs(log10(nu[0]) - 10.75) < 0.05);
  assert_true(fabs(log10(nu[1]) - 10.80) < 0.05);
  ionkmc_torch_model_free(m);
}

/* ---- load errors ---------------------------------------------------------- */

static void test_missing_file(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_error err;
  const char *p = data_path("no_such_model.pt");
  load_fails(p, V, D, IONKMC_EIO, &err);
  assert_non_null(strstr(err.text, "no_such_model.pt"));
  /* A directory opens but cannot be read. */
  load_fails(src_path("tests/data/torch"), V, D, IONKMC_EIO, &err);
}

static void test_corrupt_file(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_error err;
  load_fails(data_path("not_a_model.pt"), V, D, IONKMC_EPARSE, &err);
  assert_non_null(strstr(err.text, "not_a_model.pt"));
  assert_null(strchr(err.text, '\n')); /* one line, no backtrace */

  /* An empty file and a model cut in half. */
  char tmpl[] = "/tmp/ionkmc_torch_XXXXXX";
  int fd = mkstemp(tmpl);
  assert_true(fd >= 0);
  close(fd);
  load_fails(tmpl, V, D, IONKMC_EPARSE, &err);

  FILE *in = fopen(MODEL_PATH(), "rb");
  assert_non_null(in);
  static unsigned char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf, in);
  fclose(in);
  assert_true(n > 1000);
  FILE *out = fopen(tmpl, "wb");
  assert_non_null(out);
  assert_int_equal(fwrite(buf, 1, n / 2, out), n / 2);
  fclose(out);
  load_fails(tmpl, V, D, IONKMC_EPARSE, &err);
  unlink(tmpl);
}

static void test_metadata_errors(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_error err;
  load_fails(data_path("wrong_version.pt"), V, D, IONKMC_EINVAL, &err);
  assert_non_null(strstr(err.text, "wrong_version.pt"));
  assert_non_null(strstr(err.text, "descriptor version 2, expected 1"));

  load_fails(data_path("wrong_length.pt"), V, D, IONKMC_EINVAL, &err);
  assert_non_null(strstr(err.text, "descriptor length 17, expected 18"));

  load_fails(data_path("wrong_units.pt"), V, D, IONKMC_EINVAL, &err);
  assert_non_null(strstr(err.text, "kJ/mol"));

  /* The caller asks for another descriptor than the model's. */
  load_fails(CONST_PATH(), 2, D, IONKMC_EINVAL, &err);
  assert_non_null(strstr(err.text, "descriptor version 1, expected 2"));
  load_fails(CONST_PATH(), V, 20, IONKMC_EINVAL, &err);

  load_fails(data_path("no_metadata.pt"), V, D, IONKMC_EPARSE, &err);
  assert_non_null(strstr(err.text, "ionkmc.json"));

  load_fails(NULL, V, D, IONKMC_EINVAL, &err);
  load_fails(CONST_PATH(), 0, D, IONKMC_EINVAL, &err);
}

/* ---- evaluation errors ---------------------------------------------------- */

#define SENTINEL (-7.25)

/* Evaluate 4 rows of which row 2 has q = -1 (the bad row of the error
 * models); expect `want`, "row 2" in the message and untouched outputs. */
static void eval_bad_row(const char *name, ionkmc_status want) {
  ionkmc_torch_model *m = load_ok(data_path(name));
  double x[4 * D], eb[4], nu[4];
  for (int i = 0; i < 4; i++) example_descriptor(x + i * D, i == 2 ? -1.0 : 1.0, i);
  for (int i = 0; i < 4; i++) eb[i] = nu[i] = SENTINEL;
  ionkmc_error err = {{0}};
  ionkmc_status st = ionkmc_torch_model_eval(m, x, 4, eb, nu, &err);
  if (st != want) fprintf(stderr, "%s: status %d: %s\n", name, st, err.text);
  assert_int_equal(st, want);
  assert_non_null(strstr(err.text, "row 2"));
  assert_non_null(strstr(err.text, name));
  for (int i = 0; i < 4; i++) {
    assert_true(eb[i] == SENTINEL);
    assert_true(nu[i] == SENTINEL);
  }
  /* Rows with q >= 0 are fine: Eb = 0.15 + 0.01 q, nu = 1e10. */
  assert_int_equal(ionkmc_torch_model_eval(m, x, 2, eb, nu, &err), IONKMC_OK);
  assert_true(fabs(eb[0] - 0.16) < 1e-15 && nu[0] == 1e10);
  ionkmc_torch_model_free(m);
}

static void test_nan_output(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  eval_bad_row("nan.pt", IONKMC_ERANGE);
}

static void test_negative_barrier(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  eval_bad_row("negative.pt", IONKMC_ERANGE);
}

static void test_zero_prefactor(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  eval_bad_row("zero_nu.pt", IONKMC_ERANGE);
}

static void test_eval_argument_errors(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_torch_model *m = load_ok(CONST_PATH());
  double x[2 * D], eb[2] = {SENTINEL, SENTINEL}, nu[2] = {SENTINEL, SENTINEL};
  example_descriptor(x, 1.0, 0);
  example_descriptor(x + D, 1.0, 1);
  ionkmc_error err = {{0}};
  assert_int_equal(ionkmc_torch_model_eval(m, x, 0, eb, nu, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_torch_model_eval(m, NULL, 1, eb, nu, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_torch_model_eval(m, x, 1, NULL, nu, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_torch_model_eval(NULL, x, 1, eb, nu, &err), IONKMC_EINVAL);
  x[D + IONKMC_TORCH_X_ACELL] = NAN;
  assert_int_equal(ionkmc_torch_model_eval(m, x, 2, eb, nu, &err), IONKMC_EINVAL);
  assert_non_null(strstr(err.text, "row 1, element 2"));
  assert_true(eb[0] == SENTINEL && nu[1] == SENTINEL);
  ionkmc_torch_model_free(m);

  /* A model whose output has the wrong shape. */
  m = load_ok(data_path("bad_shape.pt"));
  assert_int_equal(ionkmc_torch_model_eval(m, x, 1, eb, nu, &err), IONKMC_EINTERNAL);
  assert_non_null(strstr(err.text, "[1, 3]"));
  assert_true(eb[0] == SENTINEL);
  ionkmc_torch_model_free(m);
}

/* Two OpenMP threads share one model, each row evaluated on its own; the
 * results must equal the serial ones bit for bit (same code, same inputs). */
static void test_concurrent_eval(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_torch_model *m = load_ok(MODEL_PATH());
  enum { B = 64 };
  static double x[B * D];
  double eb[B], nu[B], eb_par[B], nu_par[B];
  ionkmc_status st[B];
  for (int i = 0; i < B; i++) example_descriptor(x + i * D, (i % 3) - 1.0, i);
  for (int i = 0; i < B; i++) {
    ionkmc_error err = {{0}};
    assert_int_equal(ionkmc_torch_model_eval(m, x + i * D, 1, eb + i, nu + i, &err), IONKMC_OK);
  }
#pragma omp parallel for num_threads(2) schedule(static, 1)
  for (int i = 0; i < B; i++) {
    ionkmc_error err;
    st[i] = ionkmc_torch_model_eval(m, x + i * D, 1, eb_par + i, nu_par + i, &err);
  }
  for (int i = 0; i < B; i++) {
    assert_int_equal(st[i], IONKMC_OK);
    assert_true(eb_par[i] == eb[i] && nu_par[i] == nu[i]);
  }
  ionkmc_torch_model_free(m);
}

static void test_threads(void **state) {
  (void)state;
  if (skip_without_torch()) skip();
  ionkmc_error err = {{0}};
  assert_int_equal(ionkmc_torch_set_num_threads(0, &err), IONKMC_EINVAL);
  assert_int_equal(ionkmc_torch_set_num_threads(1, &err), IONKMC_OK);
  assert_int_equal(ionkmc_torch_get_num_threads(), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_without_torch),
      cmocka_unit_test(test_load_and_metadata),
      cmocka_unit_test(test_constant_model),
      cmocka_unit_test(test_batch_equals_rows),
      cmocka_unit_test(test_example_model_values),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_corrupt_file),
      cmocka_unit_test(test_metadata_errors),
      cmocka_unit_test(test_nan_output),
      cmocka_unit_test(test_negative_barrier),
      cmocka_unit_test(test_zero_prefactor),
      cmocka_unit_test(test_eval_argument_errors),
      cmocka_unit_test(test_concurrent_eval),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
