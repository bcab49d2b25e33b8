/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "kmc/workq.h"

#include <time.h>

#include <math.h>
#include <stdio.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "kmc/engine_state.h"

static struct {
  const ionkmc_workq_backend *be;
  int part_i, part_n;
  int replay, record;
  int64_t item_base; /* global number of the next batch's run 0 */
  int batches;       /* started so far */
  int threads;
  ionkmc_workq_key *keys; /* by batch number: started or known */
  int nkeys, capkeys;
  ionkmc_workq_item *items;
  int64_t nitems, capitems;
  ionkmc_workq_hook hook;
  void *hook_user;
  double snap_every; /* < 0: no snapshots */
  ionkmc_workq_partial *partials;
  int npartials, cappartials;
} q = {.snap_every = -1};

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 0x100000001b3ull;
  return h;
}
#define FNV0 0xcbf29ce484222325ull

void ionkmc_workq_key_of(const ionkmc_run_config *cfg, ionkmc_workq_key *key) {
  memset(key, 0, sizeof *key);
  key->batch = -1;
  key->runs = cfg->runs;
  key->seed = cfg->seed;
  key->unit = cfg->stream_unit;
  key->L = cfg->spec.L;
  key->hops = cfg->hops;
  key->time = cfg->time;
  key->T = cfg->spec.cond.T;
  key->a = cfg->spec.cond.a;
  key->shift = cfg->spec.cond.shift;
  key->blocks = cfg->blocks;
  uint64_t h = FNV0;
  h = fnv(h, cfg->spec.cond.field, sizeof cfg->spec.cond.field);
  h = fnv(h, cfg->spec.count, sizeof cfg->spec.count);
  h = fnv(h, cfg->spec.rate, sizeof cfg->spec.rate);
  h = fnv(h, cfg->spec.pattern, sizeof cfg->spec.pattern);
  /* the pattern rates as the digest had them with two per kind, so that
   * digests stay as they were: boxes without any leave them out, a third
   * rate (relay's side) is added only where some box has one */
  _Static_assert(IONKMC_PATTERN_MAXRATES == 3, "the digest below names each pattern rate");
  double two[IONKMC_NDEFECT][2], third[IONKMC_NDEFECT];
  int any2 = 0, any3 = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    two[k][0] = cfg->spec.pattern_rate[k][0];
    two[k][1] = cfg->spec.pattern_rate[k][1];
    third[k] = cfg->spec.pattern_rate[k][2];
    any2 |= two[k][0] != 0 || two[k][1] != 0;
    any3 |= third[k] != 0;
  }
  if (any2 || any3) h = fnv(h, two, sizeof two);
  if (any3) h = fnv(h, third, sizeof third);
  key->box_digest = h;
  if (cfg->cat) {
    char *text = ionkmc_catalog_dumps(cfg->cat);
    key->catalog_digest = text ? fnv(FNV0, text, strlen(text)) : 1;
    free(text);
  }
}

/* The first field in which two keys differ ("" when equal), and both values. */
static const char *key_diff(const ionkmc_workq_key *a, const ionkmc_workq_key *b, char *va, char *vb,
                            size_t n) {
#define KD_I(f, name)                                                                              \
  if (a->f != b->f) {                                                                              \
    snprintf(va, n, "%lld", (long long)a->f);                                                     \
    snprintf(vb, n, "%lld", (long long)b->f);                                                     \
    return name;                                                                                   \
  }
#define KD_D(f, name)                                                                              \
  if (memcmp(&a->f, &b->f, sizeof a->f)) {                                                          \
    snprintf(va, n, "%.17g", a->f);                                                                \
    snprintf(vb, n, "%.17g", b->f);                                                                \
    return name;                                                                                   \
  }
  KD_I(runs, "runs")
  KD_I(seed, "seed")
  KD_I(L, "size")
  KD_D(T, "T")
  KD_D(a, "lattice constant a")
  KD_D(shift, "barrier shift")
  KD_I(hops, "hops per run")
  KD_D(time, "time per run")
  KD_I(blocks, "blocks per run")
  KD_I(unit, "stream unit (the box or --common-random-numbers)")
  KD_I(catalog_digest, "catalog (digest of its JSON)")
  KD_I(box_digest, "box (defect counts, field or rates)")
#undef KD_I
#undef KD_D
  return "";
}

static ionkmc_status key_put(const ionkmc_workq_key *key, ionkmc_error *err) {
  int b = key->batch;
  if (b < 0) return ionkmc_error_set(err, IONKMC_EINVAL, "work queue: batch number %d < 0", b);
  if (b < q.nkeys && q.keys[b].batch == b) {
    char va[64], vb[64];
    const char *f = key_diff(&q.keys[b], key, va, vb, sizeof va);
    if (*f)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "batch %d of the runs differs from the checkpoint or part: the %s differs "
                              "(there %s, here %s)", b, f, va, vb);
    return IONKMC_OK;
  }
  if (b >= q.capkeys) {
    int cap = q.capkeys ? q.capkeys : 16;
    while (cap <= b) cap *= 2;
    ionkmc_workq_key *k = realloc(q.keys, sizeof *k * (size_t)cap);
    if (!k) return ionkmc_error_set(err, IONKMC_ENOMEM, "work queue: out of memory");
    q.keys = k;
    q.capkeys = cap;
  }
  for (int j = q.nkeys; j < b; j++) q.keys[j].batch = -1; /* not known yet */
  q.keys[b] = *key;
  if (b >= q.nkeys) q.nkeys = b + 1;
  return IONKMC_OK;
}

/* Index of item (batch, run) in q.items or -1 (linear; items of one batch
 * are few next to the work of computing one). */
static int64_t item_find(int batch, int run) {
  for (int64_t j = q.nitems - 1; j >= 0; j--)
    if (q.items[j].batch == batch && q.items[j].run == run) return j;
  return -1;
}

static ionkmc_status item_push(int batch, int run, const ionkmc_run_obs *obs, ionkmc_error *err) {
  if (q.nitems == q.capitems) {
    int64_t cap = q.capitems ? 2 * q.capitems : 64;
    ionkmc_workq_item *it = realloc(q.items, sizeof *it * (size_t)cap);
    if (!it) return ionkmc_error_set(err, IONKMC_ENOMEM, "work queue: out of memory for %lld items",
                                     (long long)cap);
    q.items = it;
    q.capitems = cap;
  }
  ionkmc_workq_item *it = &q.items[q.nitems++];
  it->batch = batch;
  it->run = run;
  it->obs = *obs;
  return IONKMC_OK;
}

ionkmc_status ionkmc_workq_add_item(const ionkmc_workq_key *key, int run, const ionkmc_run_obs *obs,
                                    ionkmc_error *err) {
  ionkmc_status st = key_put(key, err);
  if (st != IONKMC_OK) return st;
  if (run < 0 || run >= key->runs)
    return ionkmc_error_set(err, IONKMC_EINVAL, "work batch %d: run %d outside [0, %d)", key->batch, run,
                            key->runs);
  if (item_find(key->batch, run) >= 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "work batch %d: run %d is given twice", key->batch, run);
  return item_push(key->batch, run, obs, err);
}

ionkmc_status ionkmc_workq_begin(ionkmc_workq_batch *b, const ionkmc_run_config *cfg,
                                 ionkmc_run_obs *obs, ionkmc_error *err) {
  memset(b, 0, sizeof *b);
  int M = cfg->runs;
  if (M < 1) return ionkmc_error_set(err, IONKMC_EINVAL, "runs: expected an integer >= 1, got %d", M);
  ionkmc_workq_key_of(cfg, &b->key);
  b->key.batch = q.batches;
  ionkmc_status st = key_put(&b->key, err);
  if (st != IONKMC_OK) return st;
  b->runs = M;
  b->obs = obs;
  b->todo = malloc(sizeof *b->todo * (size_t)M);
  b->mine = calloc((size_t)M, 1);
  if (!b->todo || !b->mine) {
    free(b->todo);
    free(b->mine);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "work queue: out of memory for %d runs", M);
  }
  memset(obs, 0, sizeof *obs * (size_t)M);
  unsigned char *known = b->mine; /* reused as "known" until the list is made */
  for (int64_t j = 0; j < q.nitems; j++)
    if (q.items[j].batch == b->key.batch) {
      obs[q.items[j].run] = q.items[j].obs;
      known[q.items[j].run] = 1;
    }
  int missing = -1;
  for (int i = 0; i < M; i++) {
    if (known[i]) continue;
    int64_t g = q.item_base + i;
    if (q.part_n > 0 && g % q.part_n != q.part_i - 1) continue;
    if (q.replay) {
      missing = i;
      break;
    }
    b->todo[b->ntodo++] = i;
  }
  memset(b->mine, 0, (size_t)M);
  if (missing >= 0) {
    free(b->todo);
    free(b->mine);
    return ionkmc_error_set(err, IONKMC_EINVAL, "work batch %d (T = %g K, size %d): run %d is in no part",
                            b->key.batch, cfg->spec.cond.T, cfg->spec.L, missing);
  }
  q.batches++;
  q.item_base += M;
  int nth = cfg->threads > 0 ? cfg->threads : omp_get_max_threads();
  if (nth > M) nth = M;
  if (nth > q.threads) q.threads = nth;
  b->threads = nth < b->ntodo ? nth : (b->ntodo > 0 ? b->ntodo : 1);
  return IONKMC_OK;
}

int ionkmc_workq_next(ionkmc_workq_batch *b) {
  int64_t pos;
  if (q.be) {
    int bad;
#pragma omp critical(ionkmc_workq_claim)
    bad = q.be->claim(&pos);
    if (bad) return -1;
  } else {
#pragma omp atomic capture
    pos = b->next++;
  }
  return pos < b->ntodo ? b->todo[pos] : -1;
}

/* The run in progress (batch, run) or -1; under the lock. */
static int partial_find(int batch, int run) {
  for (int j = 0; j < q.npartials; j++)
    if (q.partials[j].batch == batch && q.partials[j].run == run) return j;
  return -1;
}

static void partial_drop(int j) {
  free(q.partials[j].state);
  q.partials[j] = q.partials[--q.npartials];
}

/* Keep (batch, run)'s state (taking buf); under the lock. */
static ionkmc_status partial_put(int batch, int run, const uint32_t ctr[4], unsigned char *buf, size_t n,
                                 ionkmc_error *err) {
  int j = partial_find(batch, run);
  if (j < 0) {
    if (q.npartials == q.cappartials) {
      int cap = q.cappartials ? 2 * q.cappartials : 8;
      ionkmc_workq_partial *p = realloc(q.partials, sizeof *p * (size_t)cap);
      if (!p) {
        free(buf);
        return ionkmc_error_set(err, IONKMC_ENOMEM, "work queue: out of memory");
      }
      q.partials = p;
      q.cappartials = cap;
    }
    j = q.npartials++;
    q.partials[j].state = NULL;
  }
  ionkmc_workq_partial *p = &q.partials[j];
  free(p->state);
  p->batch = batch;
  p->run = run;
  memcpy(p->ctr, ctr, sizeof p->ctr);
  p->nbytes = n;
  p->state = buf;
  return IONKMC_OK;
}

ionkmc_status ionkmc_workq_add_partial(const ionkmc_workq_key *key, int run, const uint32_t ctr[4],
                                       const void *state, size_t nbytes, ionkmc_error *err) {
  ionkmc_status st = key_put(key, err);
  if (st != IONKMC_OK) return st;
  if (run < 0 || run >= key->runs || item_find(key->batch, run) >= 0 || partial_find(key->batch, run) >= 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "work batch %d: run %d in progress is out of place", key->batch, run);
  unsigned char *buf = malloc(nbytes ? nbytes : 1);
  if (!buf) return ionkmc_error_set(err, IONKMC_ENOMEM, "work queue: out of memory");
  memcpy(buf, state, nbytes);
  return partial_put(key->batch, run, ctr, buf, nbytes, err);
}

const ionkmc_workq_partial *ionkmc_workq_partials(int *n) {
  *n = q.npartials;
  return q.partials;
}

void ionkmc_workq_set_snapshots(double every_s) { q.snap_every = every_s; }

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static ionkmc_status engine_fail(ionkmc_engine *eng, ionkmc_status st, ionkmc_error *err) {
  return ionkmc_error_set(err, st, "%s", ionkmc_engine_error(eng));
}

ionkmc_status ionkmc_workq_run(ionkmc_workq_batch *b, const ionkmc_run_config *cfg, ionkmc_engine *eng, int i,
                               int64_t block_hops, ionkmc_error *err) {
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, cfg->seed, ((uint64_t)cfg->stream_unit << 32) | (uint64_t)i);
  if (ionkmc_cancel_requested()) return ionkmc_error_set(err, IONKMC_ECANCEL, "runner: cancelled at run %d", i);
  ionkmc_status st = IONKMC_OK;
  int resumed = 0;
  if (q.npartials > 0) {
#pragma omp critical(ionkmc_workq)
    {
      int j = partial_find(b->key.batch, i);
      if (j >= 0) {
        resumed = 1;
        st = ionkmc_engine_state_load(eng, q.partials[j].state, q.partials[j].nbytes, err);
        memcpy(rng.ctr, q.partials[j].ctr, sizeof rng.ctr);
      }
    }
  }
  if (!resumed) st = ionkmc_engine_reset(eng, &rng, err);
  if (st != IONKMC_OK) return st;
  size_t nbytes = q.snap_every >= 0 && (!q.be || q.be->rank == 0) ? ionkmc_engine_state_bytes(eng) : 0;
  int frk = cfg->spec.frenkel_w > 0;
  if (nbytes == 0 || frk) {
    /* a box with pair creation: the first half, marked, after which the
     * population is measured (its runs are saved when finished only) */
    if (frk && (cfg->hops / 2 > 0 || cfg->time > 0)) {
      st = ionkmc_engine_run(eng, &rng, cfg->hops / 2, cfg->time / 2, block_hops);
      if (st != IONKMC_OK) return engine_fail(eng, st, err);
    }
    if (frk) ionkmc_engine_frenkel_mark(eng);
    st = ionkmc_engine_run(eng, &rng, cfg->hops, cfg->time, block_hops);
    return st == IONKMC_OK ? st : engine_fail(eng, st, err);
  }
  /* in pieces: engine_run's hop limit is a total, and the stream's counter
   * is left after the last block used, so the events are those of one piece */
  int64_t target = cfg->hops > 0 ? cfg->hops : INT64_MAX, hops;
  double t, last = mono_s();
  int none;
  for (;;) {
    ionkmc_engine_state_progress(eng, &hops, &t, &none);
    int64_t h = target - hops > IONKMC_WORKQ_CHUNK ? hops + IONKMC_WORKQ_CHUNK : target;
    if ((st = ionkmc_engine_run(eng, &rng, h, cfg->time, block_hops)) != IONKMC_OK) return engine_fail(eng, st, err);
    ionkmc_engine_state_progress(eng, &hops, &t, &none);
    if (hops >= target || none || (cfg->time > 0 && t >= cfg->time)) return IONKMC_OK;
    if (ionkmc_cancel_requested()) return ionkmc_error_set(err, IONKMC_ECANCEL, "runner: cancelled at run %d", i);
    double now = mono_s();
    if (now - last < q.snap_every) continue;
    last = now;
    unsigned char *buf = malloc(nbytes);
    if (!buf) continue; /* no snapshot this time */
    ionkmc_engine_state_save(eng, buf);
#pragma omp critical(ionkmc_workq)
    {
      if (partial_put(b->key.batch, i, rng.ctr, buf, nbytes, NULL) == IONKMC_OK && q.hook) q.hook(q.hook_user);
    }
  }
}

void ionkmc_workq_done(ionkmc_workq_batch *b, int i) {
  b->mine[i] = 1;
  if (!q.record) return;
#pragma omp critical(ionkmc_workq)
  {
    int j = partial_find(b->key.batch, i);
    if (j >= 0) partial_drop(j);
    if ((!q.be || q.be->rank == 0) && item_push(b->key.batch, i, &b->obs[i], NULL) == IONKMC_OK && q.hook)
      q.hook(q.hook_user);
  }
}

ionkmc_status ionkmc_workq_end(ionkmc_workq_batch *b, int *failed, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  if (q.be && q.be->size > 1) {
    int v[1] = {*failed};
    size_t n = sizeof *b->obs * (size_t)b->runs;
    if (q.be->max_int(v, 1) || q.be->combine(b->obs, n) || q.be->combine(b->mine, (size_t)b->runs) ||
        q.be->reset()) {
      st = ionkmc_error_set(err, IONKMC_EINTERNAL, "work queue: an MPI collective operation failed");
    } else if (v[0] && !*failed) {
      *failed = 1;
      ionkmc_error_set(err, IONKMC_EINTERNAL, "a run failed on another MPI rank (its message is on that rank)");
    }
    /* items computed by the other ranks, for rank 0's record */
    if (st == IONKMC_OK && q.record && q.be->rank == 0)
      for (int i = 0; i < b->runs; i++)
        if (b->mine[i] && item_find(b->key.batch, i) < 0) item_push(b->key.batch, i, &b->obs[i], NULL);
    if (st == IONKMC_OK && q.record && q.be->rank == 0 && q.hook) q.hook(q.hook_user);
  } else if (q.be && q.be->reset()) {
    st = ionkmc_error_set(err, IONKMC_EINTERNAL, "work queue: an MPI operation failed");
  }
  free(b->todo);
  free(b->mine);
  b->todo = NULL;
  b->mine = NULL;
  return st;
}

void ionkmc_workq_set_backend(const ionkmc_workq_backend *be) { q.be = be; }
const ionkmc_workq_backend *ionkmc_workq_backend_get(void) { return q.be; }
void ionkmc_workq_set_part(int i, int n) {
  q.part_i = i;
  q.part_n = n;
}
void ionkmc_workq_set_replay(int on) { q.replay = on; }
void ionkmc_workq_set_record(int on) { q.record = on; }
void ionkmc_workq_set_hook(ionkmc_workq_hook fn, void *user) {
  q.hook = fn;
  q.hook_user = user;
}

const ionkmc_workq_key *ionkmc_workq_keys(int *n) {
  *n = q.nkeys;
  return q.keys;
}
const ionkmc_workq_item *ionkmc_workq_items(int64_t *n) {
  *n = q.nitems;
  return q.items;
}
int ionkmc_workq_batches_started(void) { return q.batches; }
int ionkmc_workq_ranks(void) { return q.be ? q.be->size : 1; }
int ionkmc_workq_threads(void) { return q.threads; }
void ionkmc_workq_barrier(void) {
  if (q.be) q.be->barrier();
}

void ionkmc_workq_reset(void) {
  for (int j = 0; j < q.npartials; j++) free(q.partials[j].state);
  free(q.partials);
  free(q.keys);
  free(q.items);
  memset(&q, 0, sizeof q);
  q.snap_every = -1;
}
