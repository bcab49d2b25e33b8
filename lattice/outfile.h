/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc output files that appear whole or not at all.
 *
 * An ionkmc_outfile writes into a temporary file next to the destination and
 * renames it into place on commit, so a failure or an interrupt never leaves a
 * partial output file. Opening checks that the destination directory is
 * writable, so an unwritable path is reported before any work is done.
 * Ownership: _open returns an object that _commit or _abort frees.
 */
#ifndef IONKMC_OUTFILE_H
#define IONKMC_OUTFILE_H

#include <stdio.h>

#include "lattice/status.h"

typedef struct ionkmc_outfile ionkmc_outfile;

/* Open a temporary file for destination `path`; NULL with err set if the
 * directory cannot be written. "-" means standard output (written directly). */
ionkmc_outfile *ionkmc_outfile_open(const char *path, ionkmc_error *err);
/* The stream to write into (borrowed). */
FILE *ionkmc_outfile_stream(ionkmc_outfile *of);
/* Flush, close and rename into place; frees of. IONKMC_EIO on failure (the
 * temporary is removed and the destination left untouched). */
ionkmc_status ionkmc_outfile_commit(ionkmc_outfile *of, ionkmc_error *err);
/* Discard the temporary file; frees of. NULL is a no-op. */
void ionkmc_outfile_abort(ionkmc_outfile *of);

#endif
