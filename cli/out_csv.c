/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Output format CSV: the result's table, cells separated by commas, one
 * line per row, the header first; a cell holding a comma, a quote or a line
 * break is quoted as RFC 4180 has it (cli_rows_write_sep). */
#include "cli/out.h"

static ionkmc_status write_csv(const cli_output *out, FILE *fp, ionkmc_error *err) {
  if (!out->rows) return ionkmc_error_set(err, IONKMC_EINTERNAL, "no table to write as CSV");
  return cli_rows_write_sep(out->rows, 0, cli_rows_count(out->rows), ',', fp, err);
}

const cli_output_format cli_out_csv = {
    .name = "CSV",
    .option = "csv",
    .ext = ".csv",
    .help = "write results as CSV ('-' for stdout)",
    .needs = CLI_OUT_ROWS,
    .write = write_csv,
};
