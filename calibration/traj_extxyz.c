/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The extended XYZ reader (Lattice=, Properties=, Time=). See traj.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calibration/traj_impl.h"

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

static ionkmc_status traj_read_extxyz(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  char *s;
  ionkmc_status st = traj_frame_start(t, &s, err);
  if (st) return st;
  if (!s) {
    *frame = NULL;
    return IONKMC_OK;
  }
  long line0 = t->fr.line;
  long long fi = (long long)t->nframes;
  int64_t n;
  const char *q = traj_parse_long(s, &n);
  if (!q || !traj_at_end(q) || n <= 0 || n > 100000000)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected the number of atoms, got '%.40s'", t->path,
         line0, fi, s);
  if (!(s = traj_next_line(t, err, &st, "the comment line"))) return st;
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
      if (!type || !cnt || !traj_parse_long(cnt, &c) || c < 1 || c > 64)
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
    if (!(s = traj_next_line(t, err, &st, "an atom line"))) return st;
    if (!traj_reserve_atom(t, i, n, has_f)) FAIL(IONKMC_ENOMEM, "%s: out of memory", t->path);
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
        e = traj_parse_long(p, &id);
      } else {
        e = p;
        while (*e && *e != ' ' && *e != '\t') e++;
      }
      if (!e || (*e && *e != ' ' && *e != '\t'))
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: column %d: expected a number, got '%.20s'",
             t->path, t->lr.line, fi, j + 1, p);
      p = (char *)e;
    }
    if (!traj_at_end(p))
      FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected %d columns, got more", t->path,
           t->lr.line, fi, ncol);
    t->rid[i] = id;
  }
  st = traj_finish_frame(t, (int)n, has_f, err);
  if (st) return st;
  *frame = &t->fr;
  return IONKMC_OK;
}

/* A count line, then a comment line that names the lattice or the columns. */
static int extxyz_sniff(const unsigned char *head, size_t n) {
  size_t i = 0;
  while (i < n && (head[i] == ' ' || head[i] == '\t')) i++;
  size_t d = i;
  while (i < n && head[i] >= '0' && head[i] <= '9') i++;
  if (i == d) return 0;
  while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r')) i++;
  if (i >= n || head[i] != '\n') return 0;
  size_t e = ++i;
  while (e < n && head[e] != '\n') e++;
  char line[512];
  size_t len = e - i < sizeof line - 1 ? e - i : sizeof line - 1;
  memcpy(line, head + i, len);
  line[len] = 0;
  return strstr(line, "Lattice=") || strstr(line, "Properties=");
}

static const char *const EXTXYZ_EXT[] = {".xyz", ".extxyz", NULL};

const ionkmc_traj_format_type traj_format_extxyz = {
    .name = "extxyz", .id = IONKMC_TRAJ_EXTXYZ, .extensions = EXTXYZ_EXT, .sniff = extxyz_sniff,
    .text = 1, .open = NULL, .next = traj_read_extxyz, .close = NULL};
