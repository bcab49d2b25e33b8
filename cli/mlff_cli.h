/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: helpers shared by `mlff` and `neb`. */
#ifndef IONKMC_MLFF_CLI_H
#define IONKMC_MLFF_CLI_H

#include <jansson.h>

#include "barriers/atoms.h"
#include "barriers/mlff.h"

/* The exit status for a library status: 2 for bad input (EINVAL, EIO,
 * EPARSE, ERANGE), 1 otherwise. */
int mlff_cli_exit(ionkmc_status st);
/* Load a model; NULL after printing one line (*code set). */
ionkmc_mlff *mlff_cli_model(const char *cmd, const char *path, const char *device, int *code);
/* Read a structure (format name or NULL for auto); NULL after printing. */
ionkmc_atoms *mlff_cli_structure(const char *cmd, const char *opt, const char *path, const char *format,
                                 int *code);
/* The model's metadata as JSON (new reference). */
json_t *mlff_cli_meta_json(const ionkmc_mlff *m, const char *path);

#endif
