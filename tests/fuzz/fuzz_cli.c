/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the command-line option parser and every value parser of the
 * subcommands (numbers, ranges, defect lists, boxes, fields, the MD/NEB
 * options of calibrate and compare). The input is argv, one word per line.
 * Property checked beyond memory safety: a refused word prints exactly one
 * line on stderr, an accepted one prints nothing. */
#define _GNU_SOURCE
#include "fuzz_common.h"

#include "cli/calib.h"
#include "cli/cli.h"
#include "cli/opt.h"

enum { K_DOUBLE, K_INT, K_RANGE, K_DEFECTS, K_BOX, K_FIELD, K_CALIB, K_FLAG };
static const cli_opt OPTS[] = {
    {"T", 1},      {"a", 1},      {"barrier-shift", 1}, {"time", 1},   {"size", 1},
    {"runs", 1},   {"hops", 1},   {"seed", 1},          {"sweep-T", 1}, {"defect", 1},
    {"box", 1},    {"field", 1},  {"md", 1},            {"types", 1},  {"format", 1},
    {"fit-window", 1}, {"defect-fit-window", 1}, {"r-inner", 1}, {"dwell", 1}, {"calib-defect", 1},
    {"quiet", 0}};
static const int KIND[] = {K_DOUBLE, K_DOUBLE, K_DOUBLE, K_DOUBLE, K_INT,   K_INT,   K_INT,
                           K_INT,    K_RANGE,  K_DEFECTS, K_BOX,   K_FIELD, K_CALIB, K_CALIB,
                           K_CALIB,  K_CALIB,  K_CALIB,  K_CALIB, K_CALIB, K_CALIB, K_FLAG};
#define NOPT ((int)(sizeof OPTS / sizeof *OPTS))

static calib_inputs in;

static int parse(int k, const char *arg) {
  double d, *r = NULL, field[3];
  long long v;
  ionkmc_defect_kind kinds[CLI_MAX_DEFECTS];
  int box[IONKMC_NDEFECT], n;
  switch (KIND[k]) {
  case K_DOUBLE: return cli_double("fuzz", OPTS[k].name, arg, &d);
  case K_INT: return cli_int("fuzz", OPTS[k].name, arg, 0, 1000000000000LL, &v);
  case K_RANGE:
    n = cli_range("fuzz", "T", arg, &r);
    free(r);
    return n > 0;
  case K_DEFECTS: return cli_defects("fuzz", "defect", arg, kinds) > 0;
  case K_BOX: return cli_box("fuzz", "box", arg, box);
  case K_FIELD: return cli_field("fuzz", "field", arg, field);
  case K_CALIB:
    if (in.nruns == CALIB_MAX_RUNS) in.nruns = 0;
    return calib_opt("fuzz", &in, !strcmp(OPTS[k].name, "calib-defect") ? "defect" : OPTS[k].name, arg);
  default: return 1;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_string(data, size);
  char *argv[66];
  int argc = 0;
  argv[argc++] = "ionkmc";
  argv[argc++] = "fuzz";
  for (char *p = text; p && argc < 64;) {
    char *nl = strchr(p, '\n');
    if (nl) *nl = 0;
    argv[argc++] = p;
    p = nl ? nl + 1 : NULL;
  }
  argv[argc] = NULL;
  calib_inputs_init(&in);
  FILE *saved = stderr;
  char *msg = NULL;
  size_t len = 0;
  int i = 2, k;
  for (;;) {
    /* Messages go to memory: one line per refusal, none otherwise. */
    stderr = open_memstream(&msg, &len);
    if (!stderr) abort();
    const char *arg = NULL;
    k = cli_next("fuzz", argc, argv, &i, OPTS, NOPT, &arg);
    int ok = k >= 0 ? parse(k, arg) : k == -1 || k == -3;
    fclose(stderr);
    stderr = saved;
    int lines = 0;
    for (size_t j = 0; j < len; j++) lines += msg[j] == '\n';
    if (lines != (ok ? 0 : 1)) {
      fprintf(stderr, "fuzz_cli: %s printed %d lines:\n%s", ok ? "accepted" : "refused", lines, msg);
      abort();
    }
    free(msg);
    msg = NULL;
    if (k == -1 || !ok) break;
  }
  free(text);
  return 0;
}
