/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Base utilities: defect names, patterns, status strings, atomic outputs. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "events/defects.h"
#include "base/outfile.h"
#include "base/status.h"
#include "tests/util.h"

static void test_defect_names(void **state) {
  (void)state;
  const char *names[6] = {"V_I+", "I_I-", "I_MA+", "I_MA0", "V_MA-", "V_MA0"};
  const int charge[6] = {1, -1, 1, 0, -1, 0};
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ionkmc_defect_kind p;
    assert_int_equal(ionkmc_defect_parse(names[k], &p), IONKMC_OK);
    assert_int_equal(p, k);
    assert_string_equal(ionkmc_defect_name(p), names[k]);
    assert_int_equal(ionkmc_defect_charge(p), charge[k]);
    int x = ionkmc_defect_sublattice(p) == IONKMC_SUB_X;
    assert_int_equal(ionkmc_defect_z(p), x ? 8 : 6);
    assert_int_equal(ionkmc_defect_npaths(p), (ionkmc_defect_is_vacancy(p) ? 1 : 2) * (x ? 8 : 6));
    assert_string_equal(ionkmc_defect_species(p), x ? "I" : "MA");
  }
  ionkmc_defect_kind p;
  assert_int_equal(ionkmc_defect_parse("V_I", &p), IONKMC_EINVAL);
  assert_int_equal(ionkmc_defect_parse("v_i+", &p), IONKMC_EINVAL);
  assert_int_equal(ionkmc_defect_parse(NULL, &p), IONKMC_EINVAL);
  assert_null(ionkmc_defect_name((ionkmc_defect_kind)6));
  ionkmc_pattern pt;
  assert_int_equal(ionkmc_pattern_parse("collinear", &pt), IONKMC_OK);
  assert_int_equal(pt, IONKMC_PATTERN_COLLINEAR);
  assert_int_equal(ionkmc_pattern_parse("zigzag", &pt), IONKMC_EINVAL);
  assert_int_equal(ionkmc_pattern_parse(NULL, &pt), IONKMC_EINVAL);
  for (int s = 0; s <= IONKMC_EINTERNAL; s++) assert_non_null(ionkmc_status_str((ionkmc_status)s));
}

static void test_outfile(void **state) {
  (void)state;
  char dir[512];
  assert_int_equal(tu_tmpdir(dir, sizeof dir, "outfile"), 0);
  char path[600];
  snprintf(path, sizeof path, "%s/out.txt", dir);
  ionkmc_error err;
  /* committed: the file appears whole */
  ionkmc_outfile *of = ionkmc_outfile_open(path, &err);
  assert_non_null(of);
  fputs("hello\n", ionkmc_outfile_stream(of));
  assert_int_equal(access(path, F_OK), -1); /* not there before commit */
  assert_int_equal(ionkmc_outfile_commit(of, &err), IONKMC_OK);
  FILE *fp = fopen(path, "r");
  char buf[16] = {0};
  assert_non_null(fp);
  assert_non_null(fgets(buf, sizeof buf, fp));
  fclose(fp);
  assert_string_equal(buf, "hello\n");
  /* aborted: the old file is untouched and no temporary is left */
  of = ionkmc_outfile_open(path, &err);
  fputs("partial", ionkmc_outfile_stream(of));
  ionkmc_outfile_abort(of);
  ionkmc_outfile_abort(NULL);
  fp = fopen(path, "r");
  assert_non_null(fgets(buf, sizeof buf, fp));
  fclose(fp);
  assert_string_equal(buf, "hello\n");
  /* errors: missing directory, a directory as the path, an empty path */
  assert_null(ionkmc_outfile_open("/nonexistent/dir/x", &err));
  assert_non_null(strstr(err.text, "/nonexistent/dir/x"));
  assert_null(ionkmc_outfile_open(dir, &err));
  assert_non_null(strstr(err.text, "is a directory"));
  assert_null(ionkmc_outfile_open("", &err));
  /* commit fails when the directory disappears meanwhile */
  char sub[600];
  snprintf(sub, sizeof sub, "%s/gone", dir);
  assert_int_equal(mkdir(sub, 0700), 0);
  char subpath[640];
  snprintf(subpath, sizeof subpath, "%s/x.txt", sub);
  of = ionkmc_outfile_open(subpath, &err);
  assert_non_null(of);
  assert_int_equal(tu_rmtree(sub), 0);
  assert_int_equal(ionkmc_outfile_commit(of, &err), IONKMC_EIO);
  assert_int_equal(tu_rmtree(dir), 0);
  assert_int_equal(access(dir, F_OK), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_defect_names),
                                     cmocka_unit_test(test_outfile)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
