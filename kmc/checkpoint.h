/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc checkpoints and job-array parts: the work queue's finished items
 * (kmc/workq.h) in a file, to continue a command or to merge its parts.
 *
 * Conventions
 *   One format for both (binary, this platform's byte order and struct
 *   layout, read back by the same build): the magic line
 *   "ionkmc-checkpoint\n", format version, the sizes of the observables and
 *   key structs, part i and n (0 and 0 for a checkpoint), the command's
 *   words (argv, without the options that only say where and how it runs),
 *   the keys of its batches (seed, stream unit, runs, run length, digests of
 *   the box and of the catalog), the finished items (batch, run,
 *   observables), the runs in progress (batch, run, stream counter and the
 *   engine's state: occupancies, atoms on sites, atom displacements, defects,
 *   defect blocks, the sum tree, MSD samples and observables so far) and a
 *   CRC-32 (zlib) of everything before it.
 *   A run in progress is saved only by engines with constant rates, on MPI
 *   rank 0; the others' runs in progress are computed again after a restart
 *   (from their own streams, so with the same result).
 *   Writing goes through base/outfile.h (a temporary renamed into place),
 *   so a kill at any moment leaves the previous file whole.
 * Ownership: ionkmc_checkpoint_read fills an info that
 *   ionkmc_checkpoint_info_free releases.
 */
#ifndef IONKMC_CHECKPOINT_H
#define IONKMC_CHECKPOINT_H

#include "kmc/workq.h"
#include "base/status.h"

#define IONKMC_CHECKPOINT_VERSION 2

typedef struct {
  int argc;
  char **argv;            /* owned; argv[argc] = NULL */
  int part_i, part_n;     /* 0, 0: a checkpoint */
  int nkeys;
  ionkmc_workq_key *keys; /* owned */
  int64_t nitems;
  ionkmc_workq_item *items; /* owned */
  int npartials;
  ionkmc_workq_partial *partials; /* owned, with their states */
} ionkmc_checkpoint_info;

/* Write the work queue's keys and items with argv and the part numbers to
 * path, atomically. IONKMC_EIO / ENOMEM with the reason. */
ionkmc_status ionkmc_checkpoint_write(const char *path, int argc, char *const *argv, int part_i,
                                      int part_n, ionkmc_error *err);
/* Read path. IONKMC_EINVAL naming the file and what is wrong (not such a
 * file, another version or build, cut short or damaged), IONKMC_EIO when it
 * cannot be read, ENOMEM. */
ionkmc_status ionkmc_checkpoint_read(const char *path, ionkmc_checkpoint_info *info, ionkmc_error *err);
/* Hand the keys and items of info to the work queue (ionkmc_workq_add_item).
 * IONKMC_EINVAL when they contradict what it holds (message names the batch
 * and the field). */
ionkmc_status ionkmc_checkpoint_apply(const ionkmc_checkpoint_info *info, ionkmc_error *err);
/* The first word from index 1 in which two command lines differ, or -1 when
 * they are the same (argv[0], the program's path, is not compared). */
int ionkmc_checkpoint_argv_diff(int argc1, char *const *argv1, int argc2, char *const *argv2);
void ionkmc_checkpoint_info_free(ionkmc_checkpoint_info *info);

#endif
