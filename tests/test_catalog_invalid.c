/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Bad catalogs as data: every folder tests/data/catalog_invalid/<case>/
 * holds input.json and expected_error (README.md there: the status name on
 * the first line, then text the one-line message must contain). Each case
 * is checked twice:
 *   - the library: ionkmc_catalog_alloc_file returns NULL with that status
 *     and a message that names the file and contains the text;
 *   - the program: `ionkmc catalog check` and `ionkmc run --catalog` exit 2
 *     with exactly one line on stderr that contains the text, and run
 *     leaves no output file.
 * A new case is a new folder; nothing here changes. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "barriers/catalog.h"
#include "tests/util.h"

extern char **environ;

#define MAX_CASES 256
#define MIN_CASES 29 /* the folders committed with this test: a lost one fails */

static char *cases[MAX_CASES];
static int ncases;
static char dir[512];

typedef struct {
  ionkmc_status status;
  char *text; /* the lines after the first, each required */
} expected;

static const struct {
  const char *name;
  ionkmc_status st;
} STATUS[] = {{"EINVAL", IONKMC_EINVAL}, {"ENOMEM", IONKMC_ENOMEM}, {"EIO", IONKMC_EIO},
              {"EPARSE", IONKMC_EPARSE}, {"ERANGE", IONKMC_ERANGE}, {"ESTATE", IONKMC_ESTATE}};

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *case_file(const char *c, const char *file) {
  char rel[600];
  snprintf(rel, sizeof rel, "catalog_invalid/%s/%s", c, file);
  return tu_data_path(rel);
}

static expected read_expected(const char *c) {
  const char *path = case_file(c, "expected_error");
  char *s = tu_read_file(path);
  if (!s) fail_msg("%s: cannot read", path);
  expected e = {IONKMC_OK, NULL};
  char *nl = strchr(s, '\n');
  if (!nl) fail_msg("%s: expected a status line and at least one line of text", path);
  *nl = '\0';
  for (size_t i = 0; i < sizeof STATUS / sizeof *STATUS; i++)
    if (!strcmp(s, STATUS[i].name)) e.status = STATUS[i].st;
  if (e.status == IONKMC_OK) fail_msg("%s: line 1: unknown status '%s'", path, s);
  e.text = strdup(nl + 1);
  free(s);
  if (!e.text || !*e.text) fail_msg("%s: no expected text after the status line", path);
  return e;
}

/* Every non-empty line of want occurs in msg. */
static void expect_lines(const char *c, const char *msg, const char *want) {
  char *w = strdup(want);
  assert_non_null(w);
  for (char *line = strtok(w, "\n"); line; line = strtok(NULL, "\n"))
    if (!strstr(msg, line)) fail_msg("case %s: message '%s' lacks '%s'", c, msg, line);
  free(w);
}

static int setup(void **state) {
  (void)state;
  const char *root = tu_data_path("catalog_invalid");
  DIR *d = opendir(root);
  if (!d) return -1;
  for (struct dirent *de; (de = readdir(d)) && ncases < MAX_CASES;) {
    char sub[4096];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/%s", root, de->d_name);
    if (de->d_name[0] == '.' || stat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) continue; /* README.md */
    cases[ncases++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(cases, (size_t)ncases, sizeof *cases, by_name);
  return tu_tmpdir(dir, sizeof dir, "catalog-invalid");
}

static int teardown(void **state) {
  (void)state;
  for (int i = 0; i < ncases; i++) free(cases[i]);
  return tu_rmtree(dir);
}

static void test_every_case_is_complete(void **state) {
  (void)state;
  assert_true(ncases >= MIN_CASES);
  for (int i = 0; i < ncases; i++) {
    if (access(case_file(cases[i], "input.json"), R_OK) != 0)
      fail_msg("case %s: no input.json", cases[i]);
    expected e = read_expected(cases[i]);
    free(e.text);
  }
}

static void test_library_refuses(void **state) {
  (void)state;
  for (int i = 0; i < ncases; i++) {
    expected e = read_expected(cases[i]);
    char path[4096];
    snprintf(path, sizeof path, "%s", case_file(cases[i], "input.json"));
    ionkmc_error err = {{0}};
    ionkmc_status st = IONKMC_OK;
    ionkmc_catalog *cat = ionkmc_catalog_alloc_file(path, &err, &st);
    if (cat) fail_msg("case %s: the catalog was accepted", cases[i]);
    if (st != e.status)
      fail_msg("case %s: status %s, expected %s (%s)", cases[i], ionkmc_status_str(st),
               ionkmc_status_str(e.status), err.text);
    if (!strstr(err.text, path)) fail_msg("case %s: message '%s' does not name the file", cases[i], err.text);
    expect_lines(cases[i], err.text, e.text);
    free(e.text);
  }
}

/* Run the program with args; its stderr into <dir>/stderr. The exit code. */
static int run_program(char *const *args) {
  char errpath[600];
  snprintf(errpath, sizeof errpath, "%s/stderr", dir);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &fa, NULL, args, environ);
  posix_spawn_file_actions_destroy(&fa);
  assert_int_equal(rc, 0);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void expect_one_line(const char *c, const char *cmd, int rc, const char *want) {
  char errpath[600];
  snprintf(errpath, sizeof errpath, "%s/stderr", dir);
  char *msg = tu_read_file(errpath);
  assert_non_null(msg);
  size_t len = strlen(msg);
  int lines = 0;
  for (size_t k = 0; k < len; k++) lines += msg[k] == '\n';
  if (rc != 2 || lines != 1)
    fail_msg("case %s, %s: exit %d and %d lines on stderr, expected 2 and 1: %s", c, cmd, rc, lines, msg);
  expect_lines(c, msg, want);
  free(msg);
}

static void test_program_refuses(void **state) {
  (void)state;
  const char *bin = getenv("IONKMC_BIN");
  if (!bin) skip();
  char out[600];
  snprintf(out, sizeof out, "%s/out.json", dir);
  for (int i = 0; i < ncases; i++) {
    expected e = read_expected(cases[i]);
    char path[4096];
    snprintf(path, sizeof path, "%s", case_file(cases[i], "input.json"));
    char *check[] = {(char *)bin, "catalog", "check", path, NULL};
    expect_one_line(cases[i], "catalog check", run_program(check), e.text);
    char *run[] = {(char *)bin, "run", "--defect", "V_I+", "--runs", "2", "--hops", "10",
                   "--catalog", path, "--json", out, NULL};
    expect_one_line(cases[i], "run --catalog", run_program(run), e.text);
    if (access(out, F_OK) == 0) fail_msg("case %s: run left %s behind", cases[i], out);
    free(e.text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_case_is_complete),
      cmocka_unit_test(test_library_refuses),
      cmocka_unit_test(test_program_refuses),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
