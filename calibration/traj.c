/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming LAMMPS-dump and extended-XYZ readers. See traj.h. */
#define _POSIX_C_SOURCE 200809L
#include "calibration/traj.h"
#include "calibration/h5md.h"

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

static const char *parse_long(const char *p, int64_t *out) {
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

static int at_end(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r') p++;
  return *p == 0;
}

/* ---- elements and options ------------------------------------------------ */

static const char *const ELNAME[IONKMC_NELEMENT] = {"?", "Pb", "I", "C", "N", "H",
                                                    "Cs", "Br", "Cl", "Sn", "Rb", "K", "FA"};

ionkmc_element ionkmc_element_parse(const char *s, int len) {
  for (int e = 1; e < IONKMC_NELEMENT; e++)
    if ((int)strlen(ELNAME[e]) == len && !strncmp(s, ELNAME[e], (size_t)len)) return (ionkmc_element)e;
  return IONKMC_EL_UNKNOWN;
}

const char *ionkmc_element_name(ionkmc_element e) {
  return (e >= 1 && e < IONKMC_NELEMENT) ? ELNAME[e] : ELNAME[0];
}

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
    const char *q = parse_long(p, &t);
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

/* ---- buffered line reader over zlib -------------------------------------- */

typedef struct {
  gzFile gz;
  char *buf;
  size_t cap, beg, end;
  int eof;
  long line;
  int64_t bytes;
} linereader;

/* Next line (NUL-terminated, newline and CR stripped) or NULL at end of file.
 * *ioerr is set to 1 on a read error. */
static char *lr_next(linereader *r, int *ioerr) {
  for (;;) {
    char *s = r->buf + r->beg;
    char *nl = memchr(s, '\n', r->end - r->beg);
    if (nl) {
      *nl = 0;
      r->bytes += nl - s + 1;
      r->beg = (size_t)(nl - r->buf) + 1;
      r->line++;
      if (nl > s && nl[-1] == '\r') nl[-1] = 0;
      return s;
    }
    if (r->eof) {
      if (r->end > r->beg) { /* last line without newline */
        r->buf[r->end] = 0;
        r->bytes += r->end - r->beg;
        r->beg = r->end;
        r->line++;
        return s;
      }
      return NULL;
    }
    /* Shift the partial line to the front and refill. */
    size_t rem = r->end - r->beg;
    memmove(r->buf, r->buf + r->beg, rem);
    r->beg = 0;
    r->end = rem;
    if (r->cap - r->end < 65536) {
      size_t ncap = r->cap * 2;
      char *nb = realloc(r->buf, ncap + 1);
      if (!nb) {
        *ioerr = 2;
        return NULL;
      }
      r->buf = nb;
      r->cap = ncap;
    }
    int got = gzread(r->gz, r->buf + r->end, (unsigned)(r->cap - r->end));
    if (got < 0) {
      *ioerr = 1;
      return NULL;
    }
    if (got == 0) {
      int zerr;
      gzerror(r->gz, &zerr);
      if (zerr != Z_OK && zerr != Z_STREAM_END) {
        *ioerr = 1;
        return NULL;
      }
      r->eof = 1;
    }
    r->end += (size_t)got;
    r->buf[r->end] = 0;
  }
}

/* ---- the reader ---------------------------------------------------------- */

enum { C_SKIP = 0, C_ID, C_TYPE, C_ELEMENT, C_X, C_Y, C_Z, C_IX, C_IY, C_IZ };
enum { CK_NONE = 0, CK_WRAPPED, CK_UNWRAPPED, CK_SCALED, CK_SCALED_UNWRAPPED };

struct ionkmc_traj {
  char *path;
  ionkmc_traj_options opt;
  linereader lr;
  ionkmc_traj_format fmt;
  int natoms;        /* from the first frame, 0 before */
  int64_t nframes;
  double last_time;
  ionkmc_frame fr;
  int64_t *id;       /* sorted ids (first frame) */
  uint8_t *el;
  double *x;
  double *f;
  int8_t *seen;
  /* scratch for the current frame, in file order */
  int64_t *rid;
  uint8_t *rel;
  double *rx;
  double *rf;
  int32_t *rimg;
  int cap;
  int direct;        /* ids are exactly 1..N */
  char *pending;     /* extxyz: a line read ahead */
  ionkmc_frame_fn src;          /* IONKMC_TRAJ_SOURCE / H5MD: the frame callback */
  void *src_user;
  void (*src_close)(void *user);
};

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
static int reserve_atom(ionkmc_traj *t, int64_t i, int64_t n, int with_f) {
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
  if (t->opt.format == IONKMC_TRAJ_H5MD ||
      (t->opt.format == IONKMC_TRAJ_AUTO && ionkmc_h5md_probe(path))) {
    ionkmc_traj_free(t);
    void *h = ionkmc_h5md_open(path, opt, err, &st);
    if (!h) {
      if (status) *status = st;
      return NULL;
    }
    ionkmc_traj *r = ionkmc_traj_open_source(path, ionkmc_h5md_next, ionkmc_h5md_close, h, err, status);
    if (r) r->fmt = IONKMC_TRAJ_H5MD;
    return r;
  }
  t->lr.gz = gzopen(path, "rb");
  if (!t->lr.gz) {
    /* gzopen leaves errno 0 when its own allocation fails */
    st = ionkmc_error_set(err, errno == 0 || errno == ENOMEM ? IONKMC_ENOMEM : IONKMC_EIO,
                          "%s: cannot open (%s)", path, errno ? strerror(errno) : "out of memory");
    goto fail;
  }
  gzbuffer(t->lr.gz, 1 << 18);
  t->lr.cap = 1 << 20;
  t->lr.buf = malloc(t->lr.cap + 1);
  if (!t->lr.buf) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    goto fail;
  }
  t->lr.buf[0] = 0;
  t->fmt = t->opt.format;
  if (t->fmt == IONKMC_TRAJ_AUTO) {
    size_t n = strlen(path);
    const char *p = path + n;
    if (n > 3 && !strcmp(p - 3, ".gz")) n -= 3;
    if ((n > 4 && !strncmp(path + n - 4, ".xyz", 4)) || (n > 7 && !strncmp(path + n - 7, ".extxyz", 7)))
      t->fmt = IONKMC_TRAJ_EXTXYZ;
    else
      t->fmt = IONKMC_TRAJ_LAMMPS;
  }
  t->last_time = -INFINITY;
  t->fr.energy = NAN;
  if (status) *status = IONKMC_OK;
  return t;
fail:
  ionkmc_traj_free(t);
  if (status) *status = st;
  return NULL;
}

void ionkmc_traj_free(ionkmc_traj *t) {
  if (!t) return;
  if (t->src_close) t->src_close(t->src_user);
  if (t->lr.gz) gzclose(t->lr.gz);
  free(t->lr.buf);
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
int64_t ionkmc_traj_file_offset(const ionkmc_traj *t) { return (int64_t)gzoffset(t->lr.gz); }

#define FAIL(st, ...) return ionkmc_error_set(err, st, __VA_ARGS__)

static char *next_line(ionkmc_traj *t, ionkmc_error *err, ionkmc_status *st, const char *expect) {
  int ioerr = 0;
  char *s = lr_next(&t->lr, &ioerr);
  if (s) return s;
  if (ioerr == 2) {
    *st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory (line %ld)", t->path, t->lr.line + 1);
  } else if (ioerr) {
    int zerr;
    const char *msg = gzerror(t->lr.gz, &zerr);
    *st = ionkmc_error_set(err, zerr == Z_MEM_ERROR ? IONKMC_ENOMEM : IONKMC_EIO,
                           "%s: line %ld, frame %lld: read error (%s)", t->path,
                           t->lr.line + 1, (long long)t->nframes, msg ? msg : "unknown");
  } else {
    *st = ionkmc_error_set(err, IONKMC_EPARSE,
                           "%s: line %ld, frame %lld: truncated frame, file ends where %s was expected",
                           t->path, t->lr.line + 1, (long long)t->nframes, expect);
  }
  return NULL;
}

static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Put the frame's atoms (file order in r*) into id order and check ids. */
static ionkmc_status finish_frame(ionkmc_traj *t, int n, int has_f, ionkmc_error *err) {
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
static char *token(char **p) {
  char *s = *p;
  while (*s == ' ' || *s == '\t') s++;
  if (!*s) return NULL;
  char *e = s;
  while (*e && *e != ' ' && *e != '\t') e++;
  if (*e) *e++ = 0;
  *p = e;
  return s;
}

/* The first line of the next frame, skipping blank lines between frames.
 * *line is NULL at the end of the file, the normal end (IONKMC_OK). */
static ionkmc_status frame_start(ionkmc_traj *t, char **line, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  int ioerr = 0;
  char *s;
  do {
    s = lr_next(&t->lr, &ioerr);
  } while (s && at_end(s));
  *line = s;
  if (!s && ioerr) {
    next_line(t, err, &st, "");
    return st ? st : IONKMC_EIO;
  }
  return IONKMC_OK;
}

static ionkmc_status read_lammps(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  char *s;
  ionkmc_status st = frame_start(t, &s, err);
  if (st) return st;
  if (!s) {
    *frame = NULL;
    return IONKMC_OK;
  }
  long line0 = t->lr.line;
  long long fi = (long long)t->nframes;
  t->fr.line = line0;
  if (strncmp(s, "ITEM: TIMESTEP", 14) != 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected 'ITEM: TIMESTEP', got '%.40s'", t->path,
         line0, fi, s);
  if (!(s = next_line(t, err, &st, "the timestep"))) return st;
  int64_t step;
  const char *q = parse_long(s, &step);
  if (!q || !at_end(q))
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected an integer timestep, got '%.40s'",
         t->path, t->lr.line, fi, s);
  t->fr.step = step;
  double time = NAN;
  int64_t n = -1;
  int have_box = 0;
  double lo[3] = {0}, hi[3] = {0}, tilt[3] = {0, 0, 0};
  for (;;) {
    if (!(s = next_line(t, err, &st, "an ITEM: line"))) return st;
    if (!strncmp(s, "ITEM: TIME", 10) && at_end(s + 10)) {
      if (!(s = next_line(t, err, &st, "the time"))) return st;
      q = ionkmc_parse_double(s, &time);
      if (!q || !at_end(q))
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected a time, got '%.40s'", t->path,
             t->lr.line, fi, s);
    } else if (!strncmp(s, "ITEM: UNITS", 11)) {
      if (!(s = next_line(t, err, &st, "the units"))) return st;
    } else if (!strncmp(s, "ITEM: NUMBER OF ATOMS", 21)) {
      if (!(s = next_line(t, err, &st, "the number of atoms"))) return st;
      q = parse_long(s, &n);
      if (!q || !at_end(q) || n <= 0 || n > 100000000)
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected a positive number of atoms, got '%.40s'",
             t->path, t->lr.line, fi, s);
    } else if (!strncmp(s, "ITEM: BOX BOUNDS", 16)) {
      int tri = strstr(s, "xy") && strstr(s, "xz") && strstr(s, "yz");
      double bl[3], bh[3];
      for (int k = 0; k < 3; k++) {
        if (!(s = next_line(t, err, &st, "a box bounds line"))) return st;
        const char *r = ionkmc_parse_double(s, &bl[k]);
        if (r) r = ionkmc_parse_double(r, &bh[k]);
        if (r && tri) r = ionkmc_parse_double(r, &tilt[k]);
        if (!r || !at_end(r))
          FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected '%s' in the box bounds, got '%.60s'",
               t->path, t->lr.line, fi, tri ? "lo hi tilt" : "lo hi", s);
      }
      /* Triclinic bounds are those of the bounding box; recover lo/hi. */
      double xy = tilt[0], xz = tilt[1], yz = tilt[2];
      double mn = fmin(fmin(0, xy), fmin(xz, xy + xz)), mx = fmax(fmax(0, xy), fmax(xz, xy + xz));
      lo[0] = bl[0] - mn;
      hi[0] = bh[0] - mx;
      lo[1] = bl[1] - fmin(0, yz);
      hi[1] = bh[1] - fmax(0, yz);
      lo[2] = bl[2];
      hi[2] = bh[2];
      for (int k = 0; k < 3; k++)
        if (!(hi[k] > lo[k]))
          FAIL(IONKMC_EINVAL, "%s: line %ld, frame %lld: box edge %c has hi <= lo", t->path,
               t->lr.line, fi, "xyz"[k]);
      have_box = 1;
    } else if (!strncmp(s, "ITEM: ATOMS", 11)) {
      break;
    } else {
      FAIL(IONKMC_EPARSE,
           "%s: line %ld, frame %lld: expected ITEM: TIME, NUMBER OF ATOMS, BOX BOUNDS or ATOMS, got '%.40s'",
           t->path, t->lr.line, fi, s);
    }
  }
  long hline = t->lr.line;
  if (n < 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: ITEM: ATOMS before ITEM: NUMBER OF ATOMS", t->path,
         hline, fi);
  if (!have_box)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: ITEM: ATOMS before ITEM: BOX BOUNDS", t->path,
         hline, fi);
  /* Column layout. */
  enum { MAXCOL = 64 };
  int8_t col[MAXCOL];
  int ncol = 0, ck = CK_NONE, have[16] = {0};
  {
    char *p = s + 11, *tok;
    while ((tok = token(&p))) {
      if (ncol >= MAXCOL)
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: more than %d columns", t->path, hline, fi, MAXCOL);
      int c = C_SKIP, kind = CK_NONE;
      if (!strcmp(tok, "id")) c = C_ID;
      else if (!strcmp(tok, "type")) c = C_TYPE;
      else if (!strcmp(tok, "element")) c = C_ELEMENT;
      else if (!strcmp(tok, "ix")) c = C_IX;
      else if (!strcmp(tok, "iy")) c = C_IY;
      else if (!strcmp(tok, "iz")) c = C_IZ;
      else {
        static const char *const names[4][3] = {
            {"x", "y", "z"}, {"xu", "yu", "zu"}, {"xs", "ys", "zs"}, {"xsu", "ysu", "zsu"}};
        for (int kk = 0; kk < 4; kk++)
          for (int a = 0; a < 3; a++)
            if (!strcmp(tok, names[kk][a])) {
              c = C_X + a;
              kind = CK_WRAPPED + kk;
            }
      }
      if (kind != CK_NONE) {
        /* Prefer unwrapped over wrapped, Cartesian over scaled. */
        static const int pref[5] = {0, 2, 4, 1, 3};
        if (ck != CK_NONE && ck != kind && pref[kind] < pref[ck]) c = C_SKIP;
        else if (ck != CK_NONE && ck != kind) {
          for (int j = 0; j < ncol; j++)
            if (col[j] >= C_X && col[j] <= C_Z) col[j] = C_SKIP;
          memset(have + C_X, 0, 3 * sizeof(int));
          ck = kind;
        } else {
          ck = kind;
        }
      }
      if (c != C_SKIP) {
        if (have[c])
          FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: column '%s' appears twice", t->path, hline, fi,
               tok);
        have[c] = 1;
      }
      col[ncol++] = (int8_t)c;
    }
  }
  if (!have[C_ID])
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: missing column 'id' in ITEM: ATOMS", t->path, hline, fi);
  if (!have[C_X] || !have[C_Y] || !have[C_Z])
    FAIL(IONKMC_EPARSE,
         "%s: line %ld, frame %lld: missing position columns in ITEM: ATOMS (expected x y z, xu yu zu, "
         "xs ys zs or xsu ysu zsu)",
         t->path, hline, fi);
  if (!have[C_TYPE] && !have[C_ELEMENT])
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: missing column 'type' or 'element' in ITEM: ATOMS",
         t->path, hline, fi);
  int img = have[C_IX] && have[C_IY] && have[C_IZ];
  if ((have[C_IX] || have[C_IY] || have[C_IZ]) && !img)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: image flags need all of ix iy iz", t->path, hline, fi);
  t->fr.origin[0] = lo[0];
  t->fr.origin[1] = lo[1];
  t->fr.origin[2] = lo[2];
  double cell[3][3] = {{hi[0] - lo[0], 0, 0}, {tilt[0], hi[1] - lo[1], 0}, {tilt[1], tilt[2], hi[2] - lo[2]}};
  memcpy(t->fr.cell, cell, sizeof cell);
  if (!isnan(time)) t->fr.time = time;
  else t->fr.time = (double)step * t->opt.timestep_ps;
  int use_el = have[C_ELEMENT];
  for (int64_t i = 0; i < n; i++) {
    if (!(s = next_line(t, err, &st, "an atom line"))) return st;
    if (!reserve_atom(t, i, n, 0))
      FAIL(IONKMC_ENOMEM, "%s: out of memory for %lld atoms", t->path, (long long)n);
    char *p = s;
    double v[3] = {0, 0, 0};
    int32_t im[3] = {0, 0, 0};
    int64_t id = 0, type = 0;
    int el = 0, nfound = 0;
    for (int j = 0; j < ncol; j++) {
      while (*p == ' ' || *p == '\t') p++;
      if (!*p || *p == '\r') {
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected %d columns, got %d", t->path,
             t->lr.line, fi, ncol, j);
      }
      const char *e = NULL;
      int c = col[j];
      switch (c) {
      case C_SKIP:
        e = p;
        while (*e && *e != ' ' && *e != '\t') e++;
        break;
      case C_ID: e = parse_long(p, &id); break;
      case C_TYPE: e = parse_long(p, &type); break;
      case C_ELEMENT: {
        const char *b = p;
        e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\r') e++;
        el = ionkmc_element_parse(b, (int)(e - b));
        if (!el)
          FAIL(IONKMC_EINVAL, "%s: line %ld, frame %lld: unknown element '%.*s' (expected Pb, I, C, N, H, Cs, Br, Cl, Sn, Rb, K or FA)",
               t->path, t->lr.line, fi, (int)(e - b), b);
        break;
      }
      case C_X: case C_Y: case C_Z: e = ionkmc_parse_double(p, &v[c - C_X]); break;
      case C_IX: case C_IY: case C_IZ: {
        int64_t w;
        e = parse_long(p, &w);
        im[c - C_IX] = (int32_t)w;
        break;
      }
      }
      if (!e || (*e && *e != ' ' && *e != '\t' && *e != '\r'))
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: column %d: expected a number, got '%.20s'",
             t->path, t->lr.line, fi, j + 1, p);
      p = (char *)e;
      nfound++;
    }
    if (!at_end(p))
      FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected %d columns, got more", t->path,
           t->lr.line, fi, ncol);
    if (!use_el) {
      if (type < 1 || type > IONKMC_TRAJ_MAXTYPES || !t->opt.type_element[type])
        FAIL(IONKMC_EINVAL,
             "%s: line %ld, frame %lld: atom type %lld has no element (map it with --types, e.g. 1=Pb,2=I,3=C,4=N,5=H)",
             t->path, t->lr.line, fi, (long long)type);
      el = t->opt.type_element[type];
    }
    double *x = t->rx + 3 * i;
    if (ck == CK_SCALED || ck == CK_SCALED_UNWRAPPED) {
      double sx = v[0] + im[0], sy = v[1] + im[1], sz = v[2] + im[2];
      for (int a = 0; a < 3; a++)
        x[a] = lo[a] + sx * cell[0][a] + sy * cell[1][a] + sz * cell[2][a];
    } else {
      for (int a = 0; a < 3; a++)
        x[a] = v[a] + im[0] * cell[0][a] + im[1] * cell[1][a] + im[2] * cell[2][a];
    }
    t->rid[i] = id;
    t->rel[i] = (uint8_t)el;
  }
  st = finish_frame(t, (int)n, 0, err);
  if (st) return st;
  *frame = &t->fr;
  return IONKMC_OK;
}

/* extxyz comment line: find key=value (value possibly quoted). Returns a
 * pointer to the value and its length, or NULL. Keys are case-insensitive. */
static const char *xyz_value(const char *s, const char *key, int *len) {
  size_t kl = strlen(key);
  const char *p = s;
  while (*p) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) break;
    const char *k = p;
    while (*p && *p != '=' && *p != ' ' && *p != '\t') p++;
    size_t klen = (size_t)(p - k);
    const char *v = NULL;
    int vl = 0;
    if (*p == '=') {
      p++;
      if (*p == '"') {
        v = ++p;
        while (*p && *p != '"') p++;
        vl = (int)(p - v);
        if (*p) p++;
      } else {
        v = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        vl = (int)(p - v);
      }
    }
    if (v && klen == kl && !strncasecmp(k, key, kl)) {
      *len = vl;
      return v;
    }
  }
  return NULL;
}

static ionkmc_status read_extxyz(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  char *s;
  ionkmc_status st = frame_start(t, &s, err);
  if (st) return st;
  if (!s) {
    *frame = NULL;
    return IONKMC_OK;
  }
  long line0 = t->lr.line;
  long long fi = (long long)t->nframes;
  t->fr.line = line0;
  int64_t n;
  const char *q = parse_long(s, &n);
  if (!q || !at_end(q) || n <= 0 || n > 100000000)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected the number of atoms, got '%.40s'", t->path,
         line0, fi, s);
  if (!(s = next_line(t, err, &st, "the comment line"))) return st;
  long cline = t->lr.line;
  int len;
  const char *v = xyz_value(s, "Lattice", &len);
  if (!v)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected Lattice=\"ax ay az bx by bz cx cy cz\"",
         t->path, cline, fi);
  {
    const char *p = v;
    for (int k = 0; k < 9; k++) {
      double w;
      p = ionkmc_parse_double(p, &w);
      if (!p || p > v + len)
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: Lattice= needs 9 numbers", t->path, cline, fi);
      t->fr.cell[k / 3][k % 3] = w;
    }
  }
  memset(t->fr.origin, 0, sizeof t->fr.origin);
  v = xyz_value(s, "Time", &len);
  double time = NAN;
  if (v) {
    const char *e = ionkmc_parse_double(v, &time);
    if (!e || e != v + len)
      FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: Time= expects a number in ps", t->path, cline, fi);
  } else if (t->opt.frame_dt_ps > 0) {
    time = (double)t->nframes * t->opt.frame_dt_ps;
  } else {
    FAIL(IONKMC_EINVAL, "%s: line %ld, frame %lld: no Time= on the comment line; give the frame interval (--frame-dt)",
         t->path, cline, fi);
  }
  t->fr.time = time;
  t->fr.step = t->nframes;
  t->fr.energy = NAN;
  v = xyz_value(s, "energy", &len);
  if (v) {
    double e;
    const char *r = ionkmc_parse_double(v, &e);
    if (!r || r != v + len)
      FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: energy= expects a number in eV", t->path, cline, fi);
    t->fr.energy = e;
  }
  /* Properties: name:type:count triples. */
  v = xyz_value(s, "Properties", &len);
  if (!v)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected Properties=species:S:1:pos:R:3...", t->path,
         cline, fi);
  int sp_col = -1, pos_col = -1, f_col = -1, id_col = -1, ncol = 0;
  {
    char props[1024];
    if (len >= (int)sizeof props)
      FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: Properties= too long", t->path, cline, fi);
    memcpy(props, v, (size_t)len);
    props[len] = 0;
    char *save = NULL;
    char *name = strtok_r(props, ":", &save);
    while (name) {
      char *type = strtok_r(NULL, ":", &save);
      char *cnt = strtok_r(NULL, ":", &save);
      int64_t c;
      if (!type || !cnt || !parse_long(cnt, &c) || c < 1 || c > 64)
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: Properties= expects name:type:count triples",
             t->path, cline, fi);
      if (!strcmp(name, "species") && c == 1) sp_col = ncol;
      else if (!strcmp(name, "pos") && c == 3) pos_col = ncol;
      else if (!strcmp(name, "forces") && c == 3) f_col = ncol;
      else if (!strcmp(name, "id") && c == 1) id_col = ncol;
      ncol += (int)c;
      name = strtok_r(NULL, ":", &save);
    }
  }
  if (sp_col < 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: missing column species:S:1 in Properties=", t->path,
         cline, fi);
  if (pos_col < 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: missing column pos:R:3 in Properties=", t->path, cline, fi);
  int has_f = f_col >= 0;
  for (int64_t i = 0; i < n; i++) {
    if (!(s = next_line(t, err, &st, "an atom line"))) return st;
    if (!reserve_atom(t, i, n, has_f)) FAIL(IONKMC_ENOMEM, "%s: out of memory", t->path);
    char *p = s;
    int64_t id = i + 1;
    for (int j = 0; j < ncol; j++) {
      while (*p == ' ' || *p == '\t') p++;
      if (!*p)
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected %d columns, got %d", t->path,
             t->lr.line, fi, ncol, j);
      const char *e;
      if (j == sp_col) {
        e = p;
        while (*e && *e != ' ' && *e != '\t') e++;
        int el = ionkmc_element_parse(p, (int)(e - p));
        if (!el)
          FAIL(IONKMC_EINVAL, "%s: line %ld, frame %lld: unknown element '%.*s' (expected Pb, I, C, N, H, Cs, Br, Cl, Sn, Rb, K or FA)",
               t->path, t->lr.line, fi, (int)(e - p), p);
        t->rel[i] = (uint8_t)el;
      } else if (j >= pos_col && j < pos_col + 3) {
        e = ionkmc_parse_double(p, &t->rx[3 * i + j - pos_col]);
      } else if (has_f && j >= f_col && j < f_col + 3) {
        e = ionkmc_parse_double(p, &t->rf[3 * i + j - f_col]);
      } else if (j == id_col) {
        e = parse_long(p, &id);
      } else {
        e = p;
        while (*e && *e != ' ' && *e != '\t') e++;
      }
      if (!e || (*e && *e != ' ' && *e != '\t'))
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: column %d: expected a number, got '%.20s'",
             t->path, t->lr.line, fi, j + 1, p);
      p = (char *)e;
    }
    if (!at_end(p))
      FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected %d columns, got more", t->path,
           t->lr.line, fi, ncol);
    t->rid[i] = id;
  }
  st = finish_frame(t, (int)n, has_f, err);
  if (st) return st;
  *frame = &t->fr;
  return IONKMC_OK;
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
static ionkmc_status read_source(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
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
  if ((st = finish_frame(t, in.natoms, in.f != NULL, err))) return st;
  *frame = &t->fr;
  return IONKMC_OK;
}

ionkmc_status ionkmc_traj_next(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  *frame = NULL;
  if (t->src) return read_source(t, frame, err);
  return t->fmt == IONKMC_TRAJ_EXTXYZ ? read_extxyz(t, frame, err) : read_lammps(t, frame, err);
}
