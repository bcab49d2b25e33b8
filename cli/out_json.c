/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Output format JSON: the result's document, indented by 2, keys in order,
 * reals with the result's precision, the "parallel" block after "command". */
#include <errno.h>
#include <string.h>

#include "cli/exec.h"
#include "cli/out.h"

static ionkmc_status write_json(const cli_output *out, FILE *fp, ionkmc_error *err) {
  if (!out->doc) return ionkmc_error_set(err, IONKMC_EINTERNAL, "no JSON document to write");
  json_t *full = cli_exec_envelope(out->doc);
  errno = 0;
  int bad = !full || json_dumpf(full, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(out->precision));
  json_decref(full);
  if (bad || fputc('\n', fp) == EOF) {
    if (ferror(fp)) return ionkmc_error_set(err, IONKMC_EIO, "write failed (%s)", errno ? strerror(errno) : "write error");
    return ionkmc_error_set(err, IONKMC_EIO, "could not format JSON");
  }
  return IONKMC_OK;
}

const cli_output_format cli_out_json = {
    .name = "JSON",
    .option = "json",
    .ext = ".json",
    .help = "write results as JSON ('-' for stdout)",
    .needs = CLI_OUT_DOC,
    .write = write_json,
};
