/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc MPI module (libionkmc-mpi.so): the collective operations of the
 * work queue (kmc/workq.h) on OpenMPI. The program opens it with dlopen only
 * when it was started by mpirun, so that libmpi is not loaded otherwise.
 *
 * Conventions
 *   MPI_THREAD_SERIALIZED: the work queue calls claim() from the runner's
 *   OpenMP threads under one lock, every collective from the main thread.
 *   The shared counter is one int64 in a window on rank 0, taken with
 *   MPI_Fetch_and_op (passive target, one lock_all epoch for the whole job).
 *   combine() is MPI_Allreduce with MPI_BOR on MPI_BYTE, in pieces of at most
 *   2^30 bytes: each byte is nonzero on at most the rank that computed it.
 *   Every rank's end, abort() and finalize() alike, first meets the others
 *   in a barrier of its own communicator (a duplicate, so that it cannot
 *   match the work's collectives), waiting at most ABORT_GRACE_S: where all
 *   come (all failed alike, or only some failed after the work), the job
 *   ends through MPI_Finalize, and mpirun forwards all they wrote;
 *   otherwise the ranks still at work are stopped with MPI_Abort, which can
 *   drop output written just before it: the grace gives mpirun that time.
 * Entry point: ionkmc_mpi_module() returns the table, or NULL with the reason
 *   in ionkmc_mpi_module_error().
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kmc/workq.h"

static ionkmc_workq_backend table;
static MPI_Win win = MPI_WIN_NULL;
static MPI_Comm exit_comm = MPI_COMM_NULL;
static int met; /* this rank's end has met the others' (exit_meet) */
#define ABORT_GRACE_S 2.0
static int64_t *counter;
static char why[256];

static int claim(int64_t *pos) {
  const int64_t one = 1;
  if (MPI_Fetch_and_op(&one, pos, MPI_INT64_T, 0, 0, MPI_SUM, win) != MPI_SUCCESS) return 1;
  return MPI_Win_flush(0, win) != MPI_SUCCESS;
}

static int reset(void) {
  /* every rank has made its last claim of the batch before this barrier */
  if (MPI_Barrier(MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
  if (table.rank == 0) {
    const int64_t zero = 0;
    int64_t old;
    if (MPI_Fetch_and_op(&zero, &old, MPI_INT64_T, 0, 0, MPI_REPLACE, win) != MPI_SUCCESS ||
        MPI_Win_flush(0, win) != MPI_SUCCESS)
      return 1;
  }
  return MPI_Barrier(MPI_COMM_WORLD) != MPI_SUCCESS;
}

static int combine(void *buf, size_t n) {
  unsigned char *p = buf;
  while (n > 0) {
    int k = n > ((size_t)1 << 30) ? 1 << 30 : (int)n;
    if (MPI_Allreduce(MPI_IN_PLACE, p, k, MPI_BYTE, MPI_BOR, MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int max_int(int *v, int n) {
  return MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS;
}

static int barrier(void) { return MPI_Barrier(MPI_COMM_WORLD) != MPI_SUCCESS; }

/* The ranks' last meeting, on exit_comm: 1 when every rank came (within
 * ABORT_GRACE_S), 0 when one or more did not (still at work). */
static int exit_meet(void) {
  if (met) return 1;
  MPI_Request rq;
  int done = 0;
  if (exit_comm == MPI_COMM_NULL || MPI_Ibarrier(exit_comm, &rq) != MPI_SUCCESS) return 0;
  double t0 = MPI_Wtime();
  const struct timespec ms = {0, 1000000};
  while (MPI_Test(&rq, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done && MPI_Wtime() - t0 < ABORT_GRACE_S)
    nanosleep(&ms, NULL);
  return met = done;
}

/* Returns when every rank has come to its end (the caller then finalizes),
 * else aborts the job. */
static void abort_job(int code) {
  fflush(stdout);
  fflush(stderr);
  if (!exit_meet()) MPI_Abort(MPI_COMM_WORLD, code);
}

static void finalize(void) {
  /* (a failing rank met the others in abort_job, a rank that succeeded
   * meets them here) */
  if (exit_meet()) MPI_Comm_free(&exit_comm);
  if (win != MPI_WIN_NULL) {
    MPI_Win_unlock_all(win);
    MPI_Win_free(&win);
  }
  MPI_Finalize();
}

__attribute__((visibility("default"))) const char *ionkmc_mpi_module_error(void) { return why; }

__attribute__((visibility("default"))) const ionkmc_workq_backend *ionkmc_mpi_module(void) {
  int provided = 0, rank = 0, size = 1;
  if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
    snprintf(why, sizeof why, "MPI_Init_thread failed");
    return NULL;
  }
  if (provided < MPI_THREAD_SERIALIZED) {
    snprintf(why, sizeof why, "this MPI offers thread level %d, below MPI_THREAD_SERIALIZED", provided);
    MPI_Finalize();
    return NULL;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Aint bytes = rank == 0 ? (MPI_Aint)sizeof(int64_t) : 0;
  if (MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &counter, &win) !=
      MPI_SUCCESS) {
    snprintf(why, sizeof why, "MPI_Win_allocate failed");
    MPI_Finalize();
    return NULL;
  }
  if (MPI_Comm_dup(MPI_COMM_WORLD, &exit_comm) != MPI_SUCCESS) {
    snprintf(why, sizeof why, "MPI_Comm_dup failed");
    MPI_Win_free(&win);
    MPI_Finalize();
    return NULL;
  }
  if (rank == 0) *counter = 0;
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Win_lock_all(0, win);
  table.abi = IONKMC_WORKQ_BACKEND_ABI;
  table.name = "mpi";
  table.rank = rank;
  table.size = size;
  table.claim = claim;
  table.reset = reset;
  table.combine = combine;
  table.max_int = max_int;
  table.barrier = barrier;
  table.abort = abort_job;
  table.finalize = finalize;
  return &table;
}
