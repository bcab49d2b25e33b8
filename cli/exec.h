/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: where and how a command runs.
 *
 * The execution options of run, sweep, compare and catalog derive, taken out
 * of the command line before the command parses it (they do not change any
 * result, so the JSON `command` leaves them out too):
 *   --part i/n --part-out FILE   compute the work items g with g mod n = i-1
 *                                only and write them to FILE (ionkmc merge
 *                                makes the whole run's outputs from all n);
 *   --checkpoint FILE [--checkpoint-every S]
 *                                write the finished runs to FILE every S
 *                                seconds (default 300), atomically;
 *   --restart FILE               take the finished runs of FILE (same
 *                                command, same catalog) and compute the rest.
 * Started by mpirun (OpenMPI), the program opens the MPI module
 * libionkmc-mpi.so and every rank runs the command; the runs of each batch
 * are shared out over all ranks' threads (kmc/workq.h) and only rank 0
 * writes outputs, prints and reports. Other commands run on rank 0 alone.
 */
#ifndef IONKMC_CLI_EXEC_H
#define IONKMC_CLI_EXEC_H

#include <jansson.h>

/* Take the execution options out of argv (argc updated) and set the work
 * queue up; under mpirun, start MPI. -1 to go on with the command, or the
 * exit status (0 for an MPI rank > 0 of a command that runs on rank 0). */
int cli_exec_begin(int *argc, char **argv);
/* After the command: write a part's file, shut MPI down; the exit status. */
int cli_exec_end(int code);
/* 1 when this process writes no outputs (MPI rank > 0, or a --part):
 * cli_open then opens /dev/null. */
int cli_exec_discard(void);
/* 1 when a --part or --restart is active (for options that do not go with them). */
int cli_exec_partial(void);
/* doc with "parallel": {mpi_ranks, threads} after its "command" (new
 * reference); doc itself (a new reference) when it has no "command". */
json_t *cli_exec_envelope(const json_t *doc);

/* ionkmc merge PART...: the whole run's outputs from the parts of a job array. */
int cmd_merge(int argc, char **argv);

#endif
