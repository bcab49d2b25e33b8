/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry of result formats, and the outputs of one command (cli/out.h). */
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"

/* One line per format: X(name) registers cli_out_<name>, the type defined
 * in cli/out_<name>.c. The order is that of --help. */
#define OUTPUT_FORMATS(X) \
  X(json)                 \
  X(csv)

#define DECLARE(name) extern const cli_output_format cli_out_##name;
OUTPUT_FORMATS(DECLARE)
#define ROW(name) &cli_out_##name,
static const cli_output_format *const FORMATS[] = {OUTPUT_FORMATS(ROW)};
enum { NFORMAT = sizeof FORMATS / sizeof *FORMATS };
_Static_assert(NFORMAT <= CLI_OUT_MAX, "more output formats than CLI_OUT_MAX");

int cli_output_format_count(void) { return NFORMAT; }

const cli_output_format *cli_output_format_at(int i) { return i >= 0 && i < NFORMAT ? FORMATS[i] : NULL; }

int cli_output_format_index(const char *option) {
  for (int i = 0; option && i < NFORMAT; i++)
    if (!strcmp(FORMATS[i]->option, option)) return i;
  return -1;
}

int cli_out_open(const char *cmd, const cli_out_paths *p, cli_out_files *f) {
  memset(f, 0, sizeof *f);
  for (int i = 0; i < NFORMAT; i++) {
    int code = cli_open(cmd, FORMATS[i]->option, p->path[i], &f->of[i]);
    if (code) {
      cli_out_abort(f);
      return code;
    }
  }
  return 0;
}

int cli_out_wants(const cli_out_files *f, unsigned needs) {
  for (int i = 0; i < NFORMAT; i++)
    if (f->of[i] && (FORMATS[i]->needs & needs)) return 1;
  return 0;
}

int cli_out_write(const char *cmd, cli_out_files *f, const cli_output *out) {
  for (int i = 0; i < NFORMAT; i++) {
    if (!f->of[i]) continue;
    ionkmc_error err;
    if (FORMATS[i]->write(out, ionkmc_outfile_stream(f->of[i]), &err) != IONKMC_OK)
      return cli_fail(cmd, "--%s: %s", FORMATS[i]->option, err.text);
  }
  return 0;
}

int cli_out_commit(const char *cmd, cli_out_files *f) {
  ionkmc_outfile **set[CLI_OUT_MAX];
  for (int i = 0; i < NFORMAT; i++) set[i] = &f->of[i];
  return cli_commit_set(cmd, (ionkmc_outfile **const *)set, NFORMAT);
}

void cli_out_abort(cli_out_files *f) {
  for (int i = 0; i < CLI_OUT_MAX; i++) {
    ionkmc_outfile_abort(f->of[i]);
    f->of[i] = NULL;
  }
}

int cli_out_finish(const char *cmd, cli_out_files *f, const cli_output *out) {
  int code = cli_out_write(cmd, f, out);
  if (!code) code = cli_out_commit(cmd, f);
  cli_out_abort(f);
  return code;
}
