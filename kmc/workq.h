/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc work queue: where the runs of every batch (ionkmc_run_batch) are
 * computed. One home for the distribution of the work items over threads,
 * MPI ranks, job-array parts and restarts.
 *
 * Conventions
 *   A work item is one run (trajectory) of one batch. Batches are numbered in
 *   the order a command starts them (0, 1, ...), which is the same on every
 *   MPI rank and in every job-array part, since the command is the same; the
 *   items get global numbers g = (runs of the earlier batches) + run index.
 *   Run i of a batch draws from its own stream (kmc/runner.h), so an item's
 *   observables do not depend on where it ran: the batch's summary, made in
 *   run order from every item's observables, is the same bytes whichever
 *   rank, thread, part or restart computed each item.
 *   Modes (process-wide, set once by the program before the first batch):
 *   - local (default): the OpenMP threads of this process take the items one
 *     at a time (dynamic scheduling);
 *   - MPI (ionkmc_workq_set_backend): every rank runs the same batches; the
 *     threads of all ranks take the items one at a time from a counter on
 *     rank 0 (dynamic load balancing over ranks and threads); at the end of a
 *     batch the observables are combined so that every rank has them all;
 *   - part i of n (ionkmc_workq_set_part): only the items with g mod n = i - 1
 *     are computed; the others are left zero (the summary is then not a
 *     result, only the recorded items are);
 *   - known items (ionkmc_workq_add_item, from a checkpoint or the parts of a
 *     job array): not computed again; with ionkmc_workq_set_replay, an item
 *     that is not known is an error (merging parts computes nothing).
 *   Each batch is identified by a key (ionkmc_workq_key: seed, stream unit,
 *   runs, run length and a digest of the box and of the catalog); known items
 *   are used only by a batch with the same number and an equal key.
 * Threads: ionkmc_workq_next and _done are called from the runner's OpenMP
 *   threads; everything else from one thread, outside parallel regions.
 * Ownership: the queue's state is process-wide; ionkmc_workq_reset frees it.
 */
#ifndef IONKMC_WORKQ_H
#define IONKMC_WORKQ_H

#include <stddef.h>
#include <stdint.h>

#include "kmc/engine.h"
#include "kmc/run_config.h"
#include "base/status.h"

/* Collective operations of a distributed backend (the MPI module). Every
 * function returns 0 on success and a nonzero value on failure. */
typedef struct {
  int abi;                 /* IONKMC_WORKQ_BACKEND_ABI */
  const char *name;        /* "mpi" */
  int rank, size;          /* this process, all processes */
  /* Claim the next position of the current batch (fetch-and-add on a
   * counter that all ranks share); thread-safe when called under one lock. */
  int (*claim)(int64_t *pos);
  /* Collective: the shared counter back to 0 (after every rank's last claim). */
  int (*reset)(void);
  /* Collective: buf[0..n) = bitwise OR of every rank's buf. */
  int (*combine)(void *buf, size_t n);
  /* Collective: v[0..n) = the maximum over ranks. */
  int (*max_int)(int *v, int n);
  /* Collective: wait for every rank. */
  int (*barrier)(void);
  /* A rank ends with this exit status: returns when every rank comes to
   * its end (here or in finalize; the caller then finalizes), else ends the
   * whole job. */
  void (*abort)(int code);
  /* Collective: shut down (once, at exit). */
  void (*finalize)(void);
} ionkmc_workq_backend;

#define IONKMC_WORKQ_BACKEND_ABI 1

/* The identity of a batch: what its items' observables depend on. */
typedef struct {
  int32_t batch;            /* number in the command's order */
  int32_t runs;
  uint64_t seed;
  uint32_t unit;            /* stream unit */
  int32_t L;
  int64_t hops;
  double time, T, a, shift;
  int32_t blocks;
  int32_t pad_;             /* zero */
  uint64_t box_digest;      /* counts, field, rates, patterns */
  uint64_t catalog_digest;  /* the catalog's JSON text (0: none) */
} ionkmc_workq_key;

/* The key of the next batch for cfg (batch number filled in by _begin). */
void ionkmc_workq_key_of(const ionkmc_run_config *cfg, ionkmc_workq_key *key);

/* One batch in progress (on the runner's stack). */
typedef struct {
  int runs;
  int ntodo;          /* items this process may compute */
  int *todo;          /* their run indices, ascending */
  int64_t next;       /* local claim counter */
  unsigned char *mine;/* [runs]: 1 if computed here */
  ionkmc_run_obs *obs;/* borrowed: the runner's array */
  int threads;        /* OpenMP threads to use (>= 1) */
  ionkmc_workq_key key;
} ionkmc_workq_batch;

/* Start a batch of cfg->runs items writing into obs[0..runs): zeroes obs,
 * fills the known items, lists the others to compute. Errors: IONKMC_EINVAL
 * when known items of this batch number have another key (message names
 * the field that differs), IONKMC_ENOMEM. */
ionkmc_status ionkmc_workq_begin(ionkmc_workq_batch *b, const ionkmc_run_config *cfg,
                                 ionkmc_run_obs *obs, ionkmc_error *err);
/* The next run index to compute, or -1 when none is left. Thread-safe. */
int ionkmc_workq_next(ionkmc_workq_batch *b);
/* Compute run i of cfg on eng (thread-safe): from its stream, or from the
 * state it had in a checkpoint; with snapshots on, the run goes in pieces of
 * IONKMC_WORKQ_CHUNK hops (the same events as in one piece) and its state is
 * kept every so often for the checkpoint. Errors as ionkmc_engine_reset and
 * _run (message in err), IONKMC_ECANCEL when cancelled. */
#define IONKMC_WORKQ_CHUNK 65536
ionkmc_status ionkmc_workq_run(ionkmc_workq_batch *b, const ionkmc_run_config *cfg, ionkmc_engine *eng, int i,
                               int64_t block_hops, ionkmc_error *err);
/* Run i's observables are in obs[i]. Thread-safe. May write a checkpoint. */
void ionkmc_workq_done(ionkmc_workq_batch *b, int i);
/* End the batch: every rank gets every item's observables. *failed (0 or 1,
 * this process) becomes 1 on every rank when any rank failed; IONKMC_OK or
 * IONKMC_EINTERNAL when a collective operation failed. Frees b's lists. */
ionkmc_status ionkmc_workq_end(ionkmc_workq_batch *b, int *failed, ionkmc_error *err);

/* Configuration (program start-up, before any batch). */
void ionkmc_workq_set_backend(const ionkmc_workq_backend *be);
const ionkmc_workq_backend *ionkmc_workq_backend_get(void);
void ionkmc_workq_set_part(int i, int n);          /* 1 <= i <= n */
void ionkmc_workq_set_replay(int on);
/* Keep every computed item (for ionkmc_workq_items: a part's output or a
 * checkpoint). */
void ionkmc_workq_set_record(int on);
/* Add a known item (copied). IONKMC_EINVAL when the batch number already
 * has another key or the item is already known; IONKMC_ENOMEM. */
ionkmc_status ionkmc_workq_add_item(const ionkmc_workq_key *key, int run, const ionkmc_run_obs *obs,
                                    ionkmc_error *err);
/* Keep the state of runs in progress every every_s seconds (< 0: never),
 * on rank 0, for engines that can save it (constant rates). */
void ionkmc_workq_set_snapshots(double every_s);
/* The state of a run in progress: stream counter and engine state. */
typedef struct {
  int32_t batch, run;
  uint32_t ctr[4];
  uint64_t nbytes;
  unsigned char *state; /* owned by the queue */
} ionkmc_workq_partial;
/* Add a run in progress (state copied). IONKMC_EINVAL as _add_item. */
ionkmc_status ionkmc_workq_add_partial(const ionkmc_workq_key *key, int run, const uint32_t ctr[4],
                                       const void *state, size_t nbytes, ionkmc_error *err);
const ionkmc_workq_partial *ionkmc_workq_partials(int *n);
/* Called (rank 0 only, under the queue's lock) after an item is recorded;
 * the checkpoint writer. NULL: none. */
typedef void (*ionkmc_workq_hook)(void *user);
void ionkmc_workq_set_hook(ionkmc_workq_hook fn, void *user);

/* Inspection. The keys of the batches started or known, by batch number
 * (borrowed, *n of them), and the recorded or known items. */
const ionkmc_workq_key *ionkmc_workq_keys(int *n);
typedef struct {
  int32_t batch, run;
  ionkmc_run_obs obs;
} ionkmc_workq_item;
const ionkmc_workq_item *ionkmc_workq_items(int64_t *n);
int ionkmc_workq_batches_started(void);
/* MPI ranks (1 without a backend) and the most OpenMP threads a batch used
 * here (min(--threads or the OpenMP default, runs); 0 before any batch). */
int ionkmc_workq_ranks(void);
int ionkmc_workq_threads(void);
/* Collective barrier (no-op without a backend). */
void ionkmc_workq_barrier(void);
/* Back to the default local mode; frees the known items. */
void ionkmc_workq_reset(void);

#endif
