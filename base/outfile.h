/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc output files that appear whole or not at all.
 *
 * An ionkmc_outfile writes into a temporary file next to the destination and
 * renames it into place on commit, so a failure or an interrupt never leaves a
 * partial output file. Opening checks that the destination directory is
 * writable, so an unwritable path is reported before any work is done.
 *
 * Destinations:
 *   - a regular file, or a path that does not exist yet: the temporary
 *     "<path>.tmp.ionkmc-<pid>-XXXXXX" is written, synced and renamed over it;
 *   - a symlink to a regular file: the file it points to is replaced as
 *     above and the link stays (a dangling link is replaced by the file);
 *   - an existing device, FIFO or socket (/dev/null, /dev/stdout, a pipe):
 *     written directly, never replaced (nothing to roll back there);
 *   - "-": standard output, written directly.
 * Temporaries: each one is recorded while it exists, so a signal handler can
 *   remove them (ionkmc_outfile_remove_temporaries); the name carries the
 *   writer's pid, and opening the same destination later removes those of
 *   processes that no longer exist (after SIGKILL or a crash).
 * Every write, flush, sync, close and rename is checked; a failure is
 *   IONKMC_EIO with the reason (strerror), and the destination is untouched.
 * Sets: ionkmc_outfile_commit_set commits the outputs of one command
 *   together: all are written out first, then renamed; if anything fails,
 *   every destination is left (or put back) as it was.
 * Threads: open/commit/abort from one thread. At most 64 open at once.
 * Ownership: _open returns an object that _commit, _commit_set or _abort frees.
 */
#ifndef IONKMC_OUTFILE_H
#define IONKMC_OUTFILE_H

#include <stdio.h>

#include "base/status.h"

typedef struct ionkmc_outfile ionkmc_outfile;

/* Open a temporary file for destination `path`; NULL with err set if the
 * directory cannot be written. "-" means standard output (written directly). */
ionkmc_outfile *ionkmc_outfile_open(const char *path, ionkmc_error *err);
/* The stream to write into (borrowed). */
FILE *ionkmc_outfile_stream(ionkmc_outfile *of);
/* Flush, close and rename into place; frees of. IONKMC_EIO on failure (the
 * temporary is removed and the destination left untouched). */
ionkmc_status ionkmc_outfile_commit(ionkmc_outfile *of, ionkmc_error *err);
/* Commit the n objects of set (NULL entries skipped) all or none; frees
 * them and sets set[i] = NULL. IONKMC_EIO (or ENOMEM) when any fails, with
 * every destination as it was before. */
ionkmc_status ionkmc_outfile_commit_set(ionkmc_outfile **set, int n, ionkmc_error *err);
/* Discard the temporary file; frees of. NULL is a no-op. */
void ionkmc_outfile_abort(ionkmc_outfile *of);
/* Unlink every temporary that exists now (open outputs, and backups during
 * a set commit). Async-signal-safe; for SIGINT/SIGTERM handlers. */
void ionkmc_outfile_remove_temporaries(void);

#endif
