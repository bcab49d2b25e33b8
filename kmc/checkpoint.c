/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/checkpoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kmc/engine_impl.h"
#include "lattice/outfile.h"

static const char MAGIC[] = "ionkmc-checkpoint\n";

typedef struct {
  unsigned char *p;
  size_t n, cap;
  int nomem;
} wbuf;

static void put(wbuf *b, const void *src, size_t n) {
  if (b->nomem || n == 0) return;
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n) cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
      b->nomem = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void put_u32(wbuf *b, uint32_t v) { put(b, &v, sizeof v); }

ionkmc_status ionkmc_checkpoint_write(const char *path, int argc, char *const *argv, int part_i,
                                      int part_n, ionkmc_error *err) {
  wbuf b = {0};
  put(&b, MAGIC, sizeof MAGIC - 1);
  put_u32(&b, IONKMC_CHECKPOINT_VERSION);
  put_u32(&b, (uint32_t)sizeof(ionkmc_run_obs));
  put_u32(&b, (uint32_t)sizeof(ionkmc_workq_key));
  put_u32(&b, (uint32_t)part_i);
  put_u32(&b, (uint32_t)part_n);
  put_u32(&b, (uint32_t)argc);
  for (int i = 0; i < argc; i++) {
    uint32_t len = (uint32_t)strlen(argv[i]);
    put_u32(&b, len);
    put(&b, argv[i], len);
  }
  int nk;
  const ionkmc_workq_key *keys = ionkmc_workq_keys(&nk);
  uint32_t nknown = 0;
  for (int k = 0; k < nk; k++) nknown += keys[k].batch == k;
  put_u32(&b, nknown);
  for (int k = 0; k < nk; k++)
    if (keys[k].batch == k) put(&b, &keys[k], sizeof keys[k]);
  int64_t ni;
  const ionkmc_workq_item *items = ionkmc_workq_items(&ni);
  put(&b, &ni, sizeof ni);
  for (int64_t j = 0; j < ni; j++) put(&b, &items[j], sizeof items[j]);
  int np;
  const ionkmc_workq_partial *parts = ionkmc_workq_partials(&np);
  put_u32(&b, (uint32_t)np);
  for (int j = 0; j < np; j++) {
    put(&b, &parts[j].batch, sizeof parts[j].batch);
    put(&b, &parts[j].run, sizeof parts[j].run);
    put(&b, parts[j].ctr, sizeof parts[j].ctr);
    put(&b, &parts[j].nbytes, sizeof parts[j].nbytes);
    put(&b, parts[j].state, (size_t)parts[j].nbytes);
  }
  if (b.nomem) {
    free(b.p);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the checkpoint", path);
  }
  uint32_t crc = (uint32_t)crc32(0L, b.p, (uInt)b.n);
  put_u32(&b, crc);
  ionkmc_outfile *of = b.nomem ? NULL : ionkmc_outfile_open(path, err);
  if (!of) {
    free(b.p);
    return b.nomem ? ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path) : IONKMC_EIO;
  }
  if (fwrite(b.p, 1, b.n, ionkmc_outfile_stream(of)) != b.n) {
    int e = errno;
    ionkmc_outfile_abort(of);
    free(b.p);
    return ionkmc_error_set(err, IONKMC_EIO, "%s: write failed (%s)", path, strerror(e));
  }
  free(b.p);
  return ionkmc_outfile_commit(of, err);
}

typedef struct {
  const unsigned char *p;
  size_t n, at;
} rd;

static int get(rd *r, void *dst, size_t n) {
  if (r->n - r->at < n) return 0;
  if (n == 0) return 1;
  memcpy(dst, r->p + r->at, n);
  r->at += n;
  return 1;
}

static int get_u32(rd *r, uint32_t *v) { return get(r, v, sizeof *v); }

void ionkmc_checkpoint_info_free(ionkmc_checkpoint_info *info) {
  if (info->argv)
    for (int i = 0; i < info->argc; i++) free(info->argv[i]);
  free(info->argv);
  free(info->keys);
  free(info->items);
  for (int j = 0; j < info->npartials; j++) free(info->partials[j].state);
  free(info->partials);
  memset(info, 0, sizeof *info);
}

static ionkmc_status parse(const char *path, rd *r, ionkmc_checkpoint_info *info, ionkmc_error *err) {
  uint32_t ver, osz, ksz, pi, pn, argc;
  char magic[sizeof MAGIC - 1];
  if (!get(r, magic, sizeof magic) || memcmp(magic, MAGIC, sizeof magic))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: not an ionkmc checkpoint or part file", path);
  uint32_t stored = 0;
  if (r->n < sizeof MAGIC - 1 + 4)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short (no CRC-32)", path);
  memcpy(&stored, r->p + r->n - 4, 4);
  if (crc32(0L, r->p, (uInt)(r->n - 4)) != stored)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short or damaged (CRC-32 does not match)", path);
  r->n -= 4;
  if (!get_u32(r, &ver) || !get_u32(r, &osz) || !get_u32(r, &ksz))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short", path);
  if (ver != IONKMC_CHECKPOINT_VERSION)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: format version %u, this program reads version %d", path,
                            ver, IONKMC_CHECKPOINT_VERSION);
  if (osz != sizeof(ionkmc_run_obs) || ksz != sizeof(ionkmc_workq_key))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: written by another build (observables of %u bytes, this one %zu): "
                            "continue with the program that wrote it",
                            path, osz, sizeof(ionkmc_run_obs));
  if (!get_u32(r, &pi) || !get_u32(r, &pn) || !get_u32(r, &argc) || argc > 100000)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short", path);
  info->part_i = (int)pi;
  info->part_n = (int)pn;
  info->argv = calloc((size_t)argc + 1, sizeof *info->argv);
  if (!info->argv) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  for (uint32_t i = 0; i < argc; i++) {
    uint32_t len;
    if (!get_u32(r, &len) || len > r->n - r->at) return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short", path);
    if (!(info->argv[i] = malloc((size_t)len + 1))) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    info->argc = (int)i + 1;
    get(r, info->argv[i], len);
    info->argv[i][len] = 0;
  }
  uint32_t nk;
  if (!get_u32(r, &nk) || nk > (r->n - r->at) / sizeof(ionkmc_workq_key))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short", path);
  if (nk && !(info->keys = malloc(sizeof *info->keys * nk))) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  info->nkeys = (int)nk;
  get(r, info->keys, sizeof *info->keys * nk);
  int64_t ni;
  if (!get(r, &ni, sizeof ni) || ni < 0 || (uint64_t)ni > (r->n - r->at) / sizeof(ionkmc_workq_item))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short or damaged", path);
  if (ni && !(info->items = malloc(sizeof *info->items * (size_t)ni)))
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  info->nitems = ni;
  get(r, info->items, sizeof *info->items * (size_t)ni);
  uint32_t np;
  if (!get_u32(r, &np) || np > r->n - r->at) return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short", path);
  if (np && !(info->partials = calloc(np, sizeof *info->partials)))
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
  for (uint32_t j = 0; j < np; j++) {
    ionkmc_workq_partial *p = &info->partials[j];
    if (!get(r, &p->batch, sizeof p->batch) || !get(r, &p->run, sizeof p->run) || !get(r, p->ctr, sizeof p->ctr) ||
        !get(r, &p->nbytes, sizeof p->nbytes) || p->nbytes > r->n - r->at)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: cut short", path);
    if (!(p->state = malloc(p->nbytes ? (size_t)p->nbytes : 1)))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    info->npartials = (int)j + 1;
    get(r, p->state, (size_t)p->nbytes);
  }
  if (r->at != r->n) return ionkmc_error_set(err, IONKMC_EINVAL, "%s: damaged (bytes after the end)", path);
  return IONKMC_OK;
}

ionkmc_status ionkmc_checkpoint_read(const char *path, ionkmc_checkpoint_info *info, ionkmc_error *err) {
  memset(info, 0, sizeof *info);
  FILE *fp = fopen(path, "rb");
  if (!fp) return ionkmc_error_set(err, IONKMC_EIO, "%s: cannot read (%s)", path, strerror(errno));
  wbuf b = {0};
  unsigned char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) put(&b, chunk, k);
  int bad = ferror(fp);
  fclose(fp);
  if (bad || b.nomem) {
    free(b.p);
    return ionkmc_error_set(err, bad ? IONKMC_EIO : IONKMC_ENOMEM, "%s: %s", path,
                            bad ? "read failed" : "out of memory");
  }
  rd r = {b.p, b.n, 0};
  ionkmc_status st = parse(path, &r, info, err);
  free(b.p);
  if (st != IONKMC_OK) ionkmc_checkpoint_info_free(info);
  return st;
}

static const ionkmc_workq_key *key_of(const ionkmc_checkpoint_info *info, int batch) {
  for (int k = 0; k < info->nkeys; k++)
    if (info->keys[k].batch == batch) return &info->keys[k];
  return NULL;
}

ionkmc_status ionkmc_checkpoint_apply(const ionkmc_checkpoint_info *info, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  for (int64_t j = 0; j < info->nitems && st == IONKMC_OK; j++) {
    const ionkmc_workq_item *it = &info->items[j];
    const ionkmc_workq_key *key = key_of(info, it->batch);
    st = key ? ionkmc_workq_add_item(key, it->run, &it->obs, err)
             : ionkmc_error_set(err, IONKMC_EINVAL, "work batch %d: a run without its key", it->batch);
  }
  for (int j = 0; j < info->npartials && st == IONKMC_OK; j++) {
    const ionkmc_workq_partial *p = &info->partials[j];
    const ionkmc_workq_key *key = key_of(info, p->batch);
    st = key ? ionkmc_workq_add_partial(key, p->run, p->ctr, p->state, (size_t)p->nbytes, err)
             : ionkmc_error_set(err, IONKMC_EINVAL, "work batch %d: a run without its key", p->batch);
  }
  return st;
}

int ionkmc_checkpoint_argv_diff(int argc1, char *const *argv1, int argc2, char *const *argv2) {
  int n = argc1 < argc2 ? argc1 : argc2;
  for (int i = 1; i < n; i++)
    if (strcmp(argv1[i], argv2[i])) return i;
  return argc1 == argc2 ? -1 : n;
}

/* ---- the state of a run in progress ----------------------------------- */

/* What a mid-run state holds besides the arrays: the sizes that must agree. */
typedef struct {
  uint32_t magic, ndef, nsites[2], natoms[2], cap;
} state_head;

#define STATE_MAGIC 0x6b6d6373u

/* The arrays of a state, in order, with their byte counts. */
static int state_parts(const ionkmc_engine *e, void *ptr[16], size_t len[16]) {
  int n = 0;
#define PART(p, bytes) (ptr[n] = (void *)(p), len[n++] = (bytes))
  for (int s = 0; s < 2; s++) {
    const species_state *S = &e->sp[s];
    size_t ns = (size_t)S->nsites;
    PART(S->occ, ns);
    PART(S->sat0, 4 * ns);
    PART(S->sat1, 4 * ns);
    PART(S->def_at, 4 * ns);
    PART(S->adisp, 12 * (size_t)S->natoms);
  }
  size_t nd = (size_t)e->ndef;
  PART(e->def, sizeof *e->def * nd);
  PART(e->dpos0, 12 * nd);
  PART(e->dinit, 12 * nd);
  PART(e->dblk, 64 * nd);
  PART(e->tree->node, sizeof(double) * 2 * (size_t)e->tree->cap);
#undef PART
  return n;
}

/* The scalars of a state. */
typedef struct {
  int alive[2];
  int64_t sum_dr2[2], sum_dr[2][3], sum_jump2[2];
  double sblk[2][8], sblk_r2[2];
  int64_t s0[2][3];
  double msd_next, t_block;
  int64_t block_start;
  ionkmc_run_obs obs;
} state_scalars;

size_t ionkmc_checkpoint_engine_bytes(const ionkmc_engine *e) {
  if (e->env) return 0; /* provider caches and their counts are not saved */
  void *ptr[16];
  size_t len[16], total = sizeof(state_head) + sizeof(state_scalars);
  int n = state_parts(e, ptr, len);
  for (int k = 0; k < n; k++) total += len[k];
  return total;
}

void ionkmc_checkpoint_engine_save(const ionkmc_engine *e, void *buf) {
  unsigned char *p = buf;
  state_head h = {STATE_MAGIC, (uint32_t)e->ndef, {(uint32_t)e->sp[0].nsites, (uint32_t)e->sp[1].nsites},
                  {(uint32_t)e->sp[0].natoms, (uint32_t)e->sp[1].natoms}, (uint32_t)e->tree->cap};
  state_scalars sc;
  memset(&sc, 0, sizeof sc);
  for (int s = 0; s < 2; s++) {
    const species_state *S = &e->sp[s];
    sc.alive[s] = S->alive;
    sc.sum_dr2[s] = S->sum_dr2;
    sc.sum_jump2[s] = S->sum_jump2;
    memcpy(sc.sum_dr[s], S->sum_dr, sizeof S->sum_dr);
  }
  memcpy(sc.sblk, e->sblk, sizeof sc.sblk);
  memcpy(sc.sblk_r2, e->sblk_r2, sizeof sc.sblk_r2);
  memcpy(sc.s0, e->s0, sizeof sc.s0);
  sc.msd_next = e->msd_next;
  sc.t_block = e->t_block;
  sc.block_start = e->block_start;
  sc.obs = e->obs;
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  memcpy(p, &sc, sizeof sc);
  p += sizeof sc;
  void *ptr[16];
  size_t len[16];
  int n = state_parts(e, ptr, len);
  for (int k = 0; k < n; k++) {
    memcpy(p, ptr[k], len[k]);
    p += len[k];
  }
}

ionkmc_status ionkmc_checkpoint_engine_load(ionkmc_engine *e, const void *buf, size_t nbytes, ionkmc_error *err) {
  const unsigned char *p = buf;
  state_head h;
  if (nbytes != ionkmc_checkpoint_engine_bytes(e) || nbytes < sizeof h)
    return ionkmc_error_set(err, IONKMC_EINVAL, "checkpoint: a run's state of %zu bytes does not fit this box", nbytes);
  memcpy(&h, p, sizeof h);
  if (h.magic != STATE_MAGIC || h.ndef != (uint32_t)e->ndef || h.cap != (uint32_t)e->tree->cap ||
      h.nsites[0] != (uint32_t)e->sp[0].nsites || h.nsites[1] != (uint32_t)e->sp[1].nsites ||
      h.natoms[0] != (uint32_t)e->sp[0].natoms || h.natoms[1] != (uint32_t)e->sp[1].natoms)
    return ionkmc_error_set(err, IONKMC_EINVAL, "checkpoint: a run's state is of another box");
  p += sizeof h;
  state_scalars sc;
  memcpy(&sc, p, sizeof sc);
  p += sizeof sc;
  void *ptr[16];
  size_t len[16];
  int n = state_parts(e, ptr, len);
  for (int k = 0; k < n; k++) {
    memcpy(ptr[k], p, len[k]);
    p += len[k];
  }
  for (int s = 0; s < 2; s++) {
    species_state *S = &e->sp[s];
    S->alive = sc.alive[s];
    S->sum_dr2 = sc.sum_dr2[s];
    S->sum_jump2 = sc.sum_jump2[s];
    memcpy(S->sum_dr, sc.sum_dr[s], sizeof S->sum_dr);
  }
  memcpy(e->sblk, sc.sblk, sizeof sc.sblk);
  memcpy(e->sblk_r2, sc.sblk_r2, sizeof sc.sblk_r2);
  memcpy(e->s0, sc.s0, sizeof sc.s0);
  e->msd_next = sc.msd_next;
  e->t_block = sc.t_block;
  e->block_start = sc.block_start;
  e->obs = sc.obs;
  e->ndirty = 0;
  e->fail = IONKMC_OK;
  return IONKMC_OK;
}

void ionkmc_checkpoint_engine_progress(const ionkmc_engine *e, int64_t *hops, double *t, int *no_events) {
  *hops = e->obs.hops;
  *t = e->obs.t;
  *no_events = e->obs.no_events;
}
