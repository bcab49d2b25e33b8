/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kmc/checkpoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/outfile.h"

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
