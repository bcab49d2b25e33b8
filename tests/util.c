/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */
#include "tests/util.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path_buf[8][4096];
static unsigned path_next;

static const char *rotate(const char *a, const char *b, const char *c) {
  char *p = path_buf[path_next++ % 8];
  int n = snprintf(p, sizeof path_buf[0], "%s%s%s", a, b, c);
  if (n < 0 || (size_t)n >= sizeof path_buf[0]) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  return p;
}

const char *tu_source_dir(void) {
  const char *s = getenv("IONKMC_SOURCE_DIR");
  return s && *s ? s : ".";
}

const char *tu_source_path(const char *rel) { return rotate(tu_source_dir(), "/", rel); }

const char *tu_data_path(const char *rel) { return rotate(tu_source_dir(), "/tests/data/", rel); }

int tu_tmpdir(char *buf, size_t n, const char *tag) {
  const char *t = getenv("TMPDIR");
  int k = snprintf(buf, n, "%s/ionkmc-%s-XXXXXX", t && *t ? t : "/tmp", tag);
  if (k < 0 || (size_t)k >= n) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return mkdtemp(buf) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int tu_rmtree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
  return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *tu_write_file(const char *dir, const char *name, const char *text) {
  const char *p = rotate(dir, "/", name);
  if (!p) return NULL;
  FILE *fp = fopen(p, "w");
  if (!fp) return NULL;
  int bad = fputs(text, fp) < 0;
  bad |= fclose(fp) != 0;
  return bad ? NULL : p;
}

char *tu_read_file(const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  size_t cap = 4096, len = 0;
  char *s = malloc(cap);
  while (s) {
    size_t got = fread(s + len, 1, cap - len - 1, fp);
    len += got;
    if (len + 1 < cap) break;
    char *t = realloc(s, cap *= 2);
    if (!t) free(s);
    s = t;
  }
  int bad = ferror(fp);
  fclose(fp);
  if (!s || bad) {
    free(s);
    return NULL;
  }
  s[len] = '\0';
  return s;
}

ionkmc_traj_options tu_traj_options_mapbi3(void) {
  ionkmc_traj_options o = ionkmc_traj_options_default();
  o.type_element[1] = IONKMC_EL_PB;
  o.type_element[2] = IONKMC_EL_I;
  o.type_element[3] = IONKMC_EL_C;
  o.type_element[4] = IONKMC_EL_N;
  return o;
}

void tu_spec_one(ionkmc_box_spec *s, int L, ionkmc_defect_kind k, double rate) {
  memset(s, 0, sizeof *s);
  s->L = L;
  s->cond.T = 400;
  s->cond.a = 6.3;
  s->count[k] = 1;
  s->rate[k] = rate;
}

void tu_spec_pattern(ionkmc_box_spec *s, int L, ionkmc_defect_kind k, double rate, ionkmc_pattern p, double r0,
                     double r1) {
  tu_spec_one(s, L, k, rate);
  s->pattern[k] = p;
  s->pattern_rate[k][0] = r0;
  s->pattern_rate[k][1] = r1;
}

ionkmc_engine *tu_engine_for(const ionkmc_box_spec *s, ionkmc_lattice **lat, uint64_t seed, ionkmc_rng *rng) {
  ionkmc_error err;
  ionkmc_status st;
  *lat = ionkmc_lattice_alloc(s->L, NULL);
  if (!*lat) return NULL;
  ionkmc_engine *e = ionkmc_engine_alloc(s, *lat, &err, &st);
  if (!e) return NULL;
  ionkmc_rng_init(rng, seed, 0);
  if (ionkmc_engine_reset(e, rng, &err) != IONKMC_OK) {
    ionkmc_engine_free(e);
    return NULL;
  }
  return e;
}

ionkmc_status tu_run_batch(const ionkmc_box_spec *s, int runs, int64_t hops, uint64_t seed,
                           ionkmc_run_summary *out) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_lattice *lat = ionkmc_lattice_alloc(s->L, &st);
  if (!lat) return st;
  ionkmc_run_config c;
  memset(&c, 0, sizeof c);
  c.spec = *s;
  c.runs = runs;
  c.hops = hops;
  c.seed = seed;
  ionkmc_error err;
  st = ionkmc_run_batch(&c, lat, out, &err);
  ionkmc_lattice_free(lat);
  return st;
}
