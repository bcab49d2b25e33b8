/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming trajectory reader: numbers, elements, frame assembly and the
 * dispatch to the format readers of the registry (traj_formats.c) or to
 * in-memory sources. See traj.h. */
#define _POSIX_C_SOURCE 200809L
#include "calibration/traj.h"
#include "calibration/traj_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* ---- numbers ------------------------------------------------------------ */

static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

const char *ionkmc_parse_double(const char *p, double *out) {
  while (*p == ' ' || *p == '\t') p++;
  int neg = 0;
  if (*p == '-') {
    neg = 1;
    p++;
  } else if (*p == '+') {
    p++;
  }
  uint64_t m = 0;
  int nd = 0, ex = 0, any = 0;
  while ((unsigned)(*p - '0') < 10) {
    any = 1;
    if (nd < 19) {
      m = m * 10 + (uint64_t)(*p - '0');
      if (m) nd++;
    } else {
      ex++;
    }
    p++;
  }
  if (*p == '.') {
    p++;
    while ((unsigned)(*p - '0') < 10) {
      any = 1;
      if (nd < 19) {
        m = m * 10 + (uint64_t)(*p - '0');
        if (m) nd++;
        ex--;
      }
      p++;
    }
  }
  if (!any) return NULL;
  if (*p == 'e' || *p == 'E') {
    const char *q = p + 1;
    int eneg = 0, e = 0, ed = 0;
    if (*q == '-') {
      eneg = 1;
      q++;
    } else if (*q == '+') {
      q++;
    }
    while ((unsigned)(*q - '0') < 10) {
      if (e < 10000) e = e * 10 + (*q - '0');
      q++;
      ed = 1;
    }
    if (!ed) return NULL;
    ex += eneg ? -e : e;
    p = q;
  }
  double v = (double)m;
  if (m == 0) v = 0;
  else if (ex >= 0 && ex <= 22) v *= POW10[ex];
  else if (ex < 0 && ex >= -22) v /= POW10[-ex];
  else v *= pow(10.0, ex);
  *out = neg ? -v : v;
  return p;
}

const char *traj_parse_long(const char *p, int64_t *out) {
  while (*p == ' ' || *p == '\t') p++;
  int neg = 0;
  if (*p == '-') {
    neg = 1;
    p++;
  } else if (*p == '+') {
    p++;
  }
  if ((unsigned)(*p - '0') >= 10) return NULL;
  int64_t v = 0;
  while ((unsigned)(*p - '0') < 10) {
    if (v > (INT64_MAX - 9) / 10) return NULL;
    v = v * 10 + (*p - '0');
    p++;
  }
  *out = neg ? -v : v;
  return p;
}

int traj_at_end(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r') p++;
  return *p == 0;
}

/* ---- options (the element names: traj_element.c) ------------------------ */

ionkmc_traj_options ionkmc_traj_options_default(void) {
  ionkmc_traj_options o;
  memset(&o, 0, sizeof o);
  o.format = IONKMC_TRAJ_AUTO;
  o.timestep_ps = 0.001;
  o.frame_dt_ps = 0;
  return o;
}

ionkmc_status ionkmc_traj_parse_types(ionkmc_traj_options *opt, const char *spec,
                                      ionkmc_error *err) {
  const char *p = spec;
  int any = 0;
  while (*p) {
    int64_t t;
    const char *q = traj_parse_long(p, &t);
    if (!q || *q != '=' || t < 1 || t > IONKMC_TRAJ_MAXTYPES)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "types '%s': expected TYPE=ELEMENT,... with TYPE in 1..%d", spec,
                              IONKMC_TRAJ_MAXTYPES);
    q++;
    const char *e = q;
    while (*e && *e != ',') e++;
    ionkmc_element el = ionkmc_element_parse(q, (int)(e - q));
    if (el == IONKMC_EL_UNKNOWN)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "types '%s': unknown element '%.*s' (expected Pb, I, C, N, H, Cs, Br, Cl, Sn, Rb, K or FA)", spec,
                              (int)(e - q), q);
    opt->type_element[t] = (uint8_t)el;
    any = 1;
    p = *e ? e + 1 : e;
  }
  if (!any) return ionkmc_error_set(err, IONKMC_EINVAL, "types: expected TYPE=ELEMENT,..., got ''");
  return IONKMC_OK;
}

/* ---- the reader ---------------------------------------------------------- */
static int grow(ionkmc_traj *t, int n, int with_f) {
  if (n <= t->cap && (!with_f || t->rf)) return 1;
  int cap = n > t->cap ? n : t->cap;
  int64_t *a = realloc(t->rid, sizeof(int64_t) * (size_t)cap);
  if (a) t->rid = a;
  uint8_t *b = realloc(t->rel, (size_t)cap);
  if (b) t->rel = b;
  double *c = realloc(t->rx, sizeof(double) * 3 * (size_t)cap);
  if (c) t->rx = c;
  int32_t *d = realloc(t->rimg, sizeof(int32_t) * 3 * (size_t)cap);
  if (d) t->rimg = d;
  if (!a || !b || !c || !d) return 0;
  if (with_f || t->rf) { /* forces keep the capacity of the other arrays */
    double *e = realloc(t->rf, sizeof(double) * 3 * (size_t)cap);
    if (!e) return 0;
    t->rf = e;
  }
  t->cap = cap;
  return 1;
}

/* Room for atom index i of a frame that announces n atoms. The header's
 * count is not trusted for the allocation: memory grows with the atom lines
 * actually read (doubling from 4096), never past n. */
int traj_reserve_atom(ionkmc_traj *t, int64_t i, int64_t n, int with_f) {
  if (i < t->cap && (!with_f || t->rf)) return 1;
  int64_t want = t->cap < 2048 ? 4096 : 2 * (int64_t)t->cap;
  if (want > n) want = n;
  if (want <= i) want = i + 1;
  return grow(t, (int)want, with_f);
}

ionkmc_traj *ionkmc_traj_open(const char *path, const ionkmc_traj_options *opt, ionkmc_error *err,
                              ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_traj *t = calloc(1, sizeof *t);
  if (!t || !(t->path = strdup(path))) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    goto fail;
  }
  t->opt = opt ? *opt : ionkmc_traj_options_default();
  if (!strncmp(path, "mem:", 4)) {
    ionkmc_frame_fn fn;
    void *user;
    if (!ionkmc_traj_lookup(path + 4, &fn, &user)) {
      st = ionkmc_error_set(err, IONKMC_EIO, "%s: no frame source registered under '%s'", path, path + 4);
      goto fail;
    }
    ionkmc_traj_free(t);
    return ionkmc_traj_open_source(path, fn, NULL, user, err, status);
  }
  const ionkmc_traj_format_type *ft = NULL;
  if (t->opt.format_name[0]) {
    if (!(ft = traj_format_by_name(t->opt.format_name))) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "%s: unknown trajectory format '%s'", path, t->opt.format_name);
      goto fail;
    }
  } else if (t->opt.format != IONKMC_TRAJ_AUTO) {
    if (!(ft = traj_format_by_id(t->opt.format))) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "%s: trajectory format %d is not a file format", path,
                            (int)t->opt.format);
      goto fail;
    }
  } else {
    ft = traj_format_detect(path);
  }
  t->type = ft;
  t->fmt = ft->id;
  t->last_time = -INFINITY;
  t->fr.energy = NAN;
  if (ft->text && (st = traj_lines_open(&t->lr, path, err))) goto fail;
  if (ft->open && (st = ft->open(t, err))) goto fail;
  if (status) *status = IONKMC_OK;
  return t;
fail:
  ionkmc_traj_free(t);
  if (status) *status = st;
  return NULL;
}

void ionkmc_traj_free(ionkmc_traj *t) {
  if (!t) return;
  if (t->type && t->type->close) t->type->close(t);
  if (t->src_close) t->src_close(t->src_user);
  traj_lines_close(&t->lr);
  free(t->path);
  free(t->id);
  free(t->el);
  free(t->x);
  free(t->f);
  free(t->seen);
  free(t->rid);
  free(t->rel);
  free(t->rx);
  free(t->rf);
  free(t->rimg);
  free(t);
}

ionkmc_traj_format ionkmc_traj_format_of(const ionkmc_traj *t) { return t->fmt; }
int64_t ionkmc_traj_bytes(const ionkmc_traj *t) { return t->lr.bytes; }
int64_t ionkmc_traj_file_offset(const ionkmc_traj *t) { return t->lr.gz ? (int64_t)gzoffset(t->lr.gz) : -1; }
const char *ionkmc_traj_format_name(const ionkmc_traj *t) { return t->type ? t->type->name : "source"; }


static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Put the frame's atoms (file order in r*) into id order and check ids. */
ionkmc_status traj_finish_frame(ionkmc_traj *t, int n, int has_f, ionkmc_error *err) {
  long line0 = t->fr.line;
  if (t->natoms == 0) {
    /* First frame: establish the id order. */
    t->natoms = n;
    t->id = malloc(sizeof(int64_t) * (size_t)n);
    t->el = malloc((size_t)n);
    t->x = malloc(sizeof(double) * 3 * (size_t)n);
    t->seen = malloc((size_t)n);
    if (has_f) t->f = malloc(sizeof(double) * 3 * (size_t)n);
    if (!t->id || !t->el || !t->x || !t->seen || (has_f && !t->f))
      FAIL(IONKMC_ENOMEM, "%s: out of memory for %d atoms", t->path, n);
    memcpy(t->id, t->rid, sizeof(int64_t) * (size_t)n);
    int sorted = 1;
    for (int i = 1; i < n && sorted; i++) sorted = t->id[i] > t->id[i - 1];
    if (!sorted) {
      qsort(t->id, (size_t)n, sizeof(int64_t), cmp_id);
      for (int i = 1; i < n; i++)
        if (t->id[i] == t->id[i - 1])
          FAIL(IONKMC_EPARSE, "%s: frame 0 (line %ld): atom id %lld appears twice", t->path, line0,
               (long long)t->id[i]);
    }
    t->direct = 1;
    for (int i = 0; i < n && t->direct; i++) t->direct = t->id[i] == i + 1;
  } else if (n != t->natoms) {
    FAIL(IONKMC_EINVAL, "%s: frame %lld (line %ld): %d atoms, expected %d as in the first frame",
         t->path, (long long)t->nframes, line0, n, t->natoms);
  }
  memset(t->seen, 0, (size_t)n);
  for (int i = 0; i < n; i++) {
    int64_t id = t->rid[i];
    long k;
    if (t->direct) {
      k = (id >= 1 && id <= n) ? (long)(id - 1) : -1;
    } else {
      long lo = 0, hi = n - 1;
      k = -1;
      while (lo <= hi) {
        long mid = (lo + hi) / 2;
        if (t->id[mid] == id) {
          k = mid;
          break;
        }
        if (t->id[mid] < id) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    if (k < 0)
      FAIL(IONKMC_EINVAL, "%s: frame %lld (line %ld): atom id %lld is not in the first frame",
           t->path, (long long)t->nframes, line0 + 1 + i, (long long)id);
    if (t->seen[k])
      FAIL(IONKMC_EPARSE, "%s: frame %lld: atom id %lld appears twice", t->path,
           (long long)t->nframes, (long long)id);
    t->seen[k] = 1;
    if (t->nframes > 0 && t->el[k] != t->rel[i])
      FAIL(IONKMC_EINVAL, "%s: frame %lld: atom id %lld changed element from %s to %s", t->path,
           (long long)t->nframes, (long long)id, ionkmc_element_name(t->el[k]),
           ionkmc_element_name(t->rel[i]));
    t->el[k] = t->rel[i];
    memcpy(t->x + 3 * k, t->rx + 3 * (size_t)i, 3 * sizeof(double));
    if (has_f && t->f) memcpy(t->f + 3 * k, t->rf + 3 * (size_t)i, 3 * sizeof(double));
  }
  if (t->fr.time <= t->last_time)
    FAIL(IONKMC_EINVAL,
         "%s: frame %lld (line %ld): time %.6g ps is not after the previous frame's %.6g ps "
         "(non-monotonic time)",
         t->path, (long long)t->nframes, line0, t->fr.time, t->last_time);
  t->last_time = t->fr.time;
  t->fr.natoms = n;
  t->fr.id = t->id;
  t->fr.element = t->el;
  t->fr.x = t->x;
  t->fr.f = has_f ? t->f : NULL;
  t->fr.index = t->nframes++;
  return IONKMC_OK;
}

/* Tokenise in place: next blank-separated token, NUL-terminated. */
char *traj_token(char **p) {
  char *s = *p;
  while (*s == ' ' || *s == '\t') s++;
  if (!*s) return NULL;
  char *e = s;
  while (*e && *e != ' ' && *e != '\t') e++;
  if (*e) *e++ = 0;
  *p = e;
  return s;
}

ionkmc_traj *ionkmc_traj_open_source(const char *name, ionkmc_frame_fn fn, void (*close)(void *user),
                                     void *user, ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_traj *t = calloc(1, sizeof *t);
  if (!t || !(t->path = strdup(name))) {
    free(t);
    if (close) close(user);
    if (status) *status = IONKMC_ENOMEM;
    ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", name);
    return NULL;
  }
  t->opt = ionkmc_traj_options_default();
  t->fmt = IONKMC_TRAJ_SOURCE;
  t->src = fn;
  t->src_user = user;
  t->src_close = close;
  t->last_time = -INFINITY;
  t->fr.energy = NAN;
  if ((st = fn(user, 1, NULL, err))) {
    ionkmc_traj_free(t);
    t = NULL;
  }
  if (status) *status = st;
  return t;
}

/* The next frame of a source, through the same id sorting and checks. */
ionkmc_status traj_read_source(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  ionkmc_frame_in in;
  memset(&in, 0, sizeof in);
  long long fi = (long long)t->nframes;
  ionkmc_status st = t->src(t->src_user, 0, &in, err);
  if (st) return st;
  if (in.natoms <= 0) return IONKMC_OK;
  if (!in.element || !in.x)
    FAIL(IONKMC_EINVAL, "%s: frame %lld: the source gave no elements or positions", t->path, fi);
  if (!grow(t, in.natoms, in.f != NULL)) FAIL(IONKMC_ENOMEM, "%s: out of memory for %d atoms", t->path, in.natoms);
  for (int i = 0; i < in.natoms; i++) {
    if (in.element[i] < IONKMC_EL_PB || in.element[i] > IONKMC_EL_H)
      FAIL(IONKMC_EINVAL, "%s: frame %lld: atom %d has no element of Pb, I, C, N or H (code %d)", t->path, fi,
           i + 1, in.element[i]);
    t->rid[i] = in.id ? in.id[i] : i + 1;
    t->rel[i] = in.element[i];
    const int32_t *im = in.image ? in.image + 3 * (size_t)i : NULL;
    for (int a = 0; a < 3; a++) {
      double v = in.x[3 * (size_t)i + a];
      if (im) v += im[0] * in.cell[0][a] + im[1] * in.cell[1][a] + im[2] * in.cell[2][a];
      t->rx[3 * (size_t)i + a] = v;
    }
    if (in.f) memcpy(t->rf + 3 * (size_t)i, in.f + 3 * (size_t)i, 3 * sizeof(double));
  }
  t->fr.line = 0;
  t->fr.step = t->nframes;
  t->fr.time = in.time;
  memcpy(t->fr.origin, in.origin, sizeof t->fr.origin);
  memcpy(t->fr.cell, in.cell, sizeof t->fr.cell);
  if ((st = traj_finish_frame(t, in.natoms, in.f != NULL, err))) return st;
  *frame = &t->fr;
  return IONKMC_OK;
}

ionkmc_status ionkmc_traj_next(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  *frame = NULL;
  return t->type ? t->type->next(t, frame, err) : traj_read_source(t, frame, err);
}
