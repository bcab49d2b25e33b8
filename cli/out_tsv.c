/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Output format TSV: the result's table, cells separated by tabs. */
#include "cli/out.h"

static ionkmc_status write_tsv(const cli_output *out, FILE *fp, ionkmc_error *err) {
  if (!out->rows) return ionkmc_error_set(err, IONKMC_EINTERNAL, "no table to write as TSV");
  return cli_rows_write_sep(out->rows, 0, cli_rows_count(out->rows), '\t', fp, err);
}

const cli_output_format cli_out_tsv = {
    .name = "TSV",
    .option = "tsv",
    .ext = ".tsv",
    .help = "write results as TSV ('-' for stdout)",
    .needs = CLI_OUT_ROWS,
    .write = write_tsv,
};
