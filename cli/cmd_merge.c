/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc merge: the outputs of a whole run from the parts of a job array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/exec.h"
#include "kmc/checkpoint.h"
#include "kmc/workq.h"

static const char *HELP =
    "usage: ionkmc merge PART...\n"
    "\n"
    "Make the outputs of a whole run, sweep, compare or catalog derive from the n\n"
    "files its job-array parts wrote (ionkmc COMMAND ... --part i/n --part-out PART,\n"
    "i = 1..n, in any order and on any machines of the same build). The command of\n"
    "the parts runs again with every run's observables taken from the parts, so it\n"
    "computes no trajectory and writes exactly the files (JSON, CSV, table) that the\n"
    "whole command writes, byte for byte, at the paths its options name (relative\n"
    "paths from the current directory). The JSON's \"parallel\" field says how many\n"
    "threads the merge used.\n"
    "\n"
    "A part is item g mod n = i - 1 of the command's runs, numbered in the order the\n"
    "command starts them (point by point, run by run). Every part must be there,\n"
    "once, from the same command line.\n";

/* The commands that --part writes parts of. */
static int run_command(int argc, char **argv) {
  const char *c = argv[1];
  if (!strcmp(c, "run")) return cmd_run(argc, argv);
  if (!strcmp(c, "sweep")) return cmd_sweep(argc, argv);
  if (!strcmp(c, "compare")) return cmd_compare(argc, argv);
  return cmd_catalog(argc, argv);
}

int cmd_merge(int argc, char **argv) {
  const char *cmd = "merge";
  if (argc < 3) return cli_bad(cmd, "expected the part files (see ionkmc merge --help)");
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(HELP, stdout);
      return 0;
    }
  int nparts = argc - 2, code = 0;
  ionkmc_checkpoint_info *info = calloc((size_t)nparts, sizeof *info);
  char *seen = NULL;
  if (!info) return cli_fail(cmd, "out of memory");
  ionkmc_error err;
  for (int p = 0; p < nparts && !code; p++) {
    const char *path = argv[2 + p];
    if (ionkmc_checkpoint_read(path, &info[p], &err) != IONKMC_OK) {
      code = cli_bad(cmd, "%s", err.text);
      break;
    }
    const ionkmc_checkpoint_info *a = &info[0], *b = &info[p];
    int w = ionkmc_checkpoint_argv_diff(a->argc, a->argv, b->argc, b->argv);
    if (b->part_n < 1)
      code = cli_bad(cmd, "%s: a checkpoint, not a part (continue it with --restart)", path);
    else if (b->argc < 2)
      code = cli_bad(cmd, "%s: no command line", path);
    else if (w >= 0)
      code = cli_bad(cmd, "%s: another command than %s (word %d: '%s' there, '%s' in %s)", path, argv[2], w,
                     w < b->argc ? b->argv[w] : "(end)", w < a->argc ? a->argv[w] : "(end)", argv[2]);
    else if (b->part_n != a->part_n)
      code = cli_bad(cmd, "%s: part %d of %d, but %s is of %d parts", path, b->part_i, b->part_n, argv[2],
                     a->part_n);
  }
  if (!code && !(seen = calloc((size_t)info[0].part_n + 1, 1))) code = cli_fail(cmd, "out of memory");
  for (int p = 0; p < nparts && !code; p++) {
    if (seen[info[p].part_i]++)
      code = cli_bad(cmd, "%s: part %d of %d is given twice", argv[2 + p], info[p].part_i, info[p].part_n);
    else if (ionkmc_checkpoint_apply(&info[p], &err) != IONKMC_OK)
      code = cli_bad(cmd, "%s: %s", argv[2 + p], err.text);
  }
  for (int i = 1; !code && i <= info[0].part_n; i++)
    if (!seen[i]) code = cli_bad(cmd, "part %d of %d is missing", i, info[0].part_n);
  if (!code) {
    ionkmc_workq_set_replay(1);
    char **av = info[0].argv;
    code = run_command(info[0].argc, av);
    ionkmc_workq_reset();
  }
  for (int p = 0; p < nparts; p++) ionkmc_checkpoint_info_free(&info[p]);
  free(info);
  free(seen);
  return code;
}
