/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The LAMMPS text dump reader (plain or gzip; x/xu/xs/xsu, image flags, triclinic). See traj.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calibration/traj_impl.h"

static ionkmc_status traj_read_lammps(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err) {
  char *s;
  ionkmc_status st = traj_frame_start(t, &s, err);
  if (st) return st;
  if (!s) {
    *frame = NULL;
    return IONKMC_OK;
  }
  long line0 = t->fr.line;
  long long fi = (long long)t->nframes;
  if (strncmp(s, "ITEM: TIMESTEP", 14) != 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected 'ITEM: TIMESTEP', got '%.40s'", t->path,
         line0, fi, s);
  if (!(s = traj_next_line(t, err, &st, "the timestep"))) return st;
  int64_t step;
  const char *q = traj_parse_long(s, &step);
  if (!q || !traj_at_end(q))
    FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected an integer timestep, got '%.40s'",
         t->path, t->lr.line, fi, s);
  t->fr.step = step;
  double time = NAN;
  int64_t n = -1;
  int have_box = 0;
  double lo[3] = {0}, hi[3] = {0}, tilt[3] = {0, 0, 0};
  for (;;) {
    if (!(s = traj_next_line(t, err, &st, "an ITEM: line"))) return st;
    if (!strncmp(s, "ITEM: TIME", 10) && traj_at_end(s + 10)) {
      if (!(s = traj_next_line(t, err, &st, "the time"))) return st;
      q = ionkmc_parse_double(s, &time);
      if (!q || !traj_at_end(q))
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected a time, got '%.40s'", t->path,
             t->lr.line, fi, s);
    } else if (!strncmp(s, "ITEM: UNITS", 11)) {
      if (!(s = traj_next_line(t, err, &st, "the units"))) return st;
    } else if (!strncmp(s, "ITEM: NUMBER OF ATOMS", 21)) {
      if (!(s = traj_next_line(t, err, &st, "the number of atoms"))) return st;
      q = traj_parse_long(s, &n);
      if (!q || !traj_at_end(q) || n <= 0 || n > 100000000)
        FAIL(IONKMC_EPARSE, "%s: line %ld, frame %lld: expected a positive number of atoms, got '%.40s'",
             t->path, t->lr.line, fi, s);
    } else if (!strncmp(s, "ITEM: BOX BOUNDS", 16)) {
      int tri = strstr(s, "xy") && strstr(s, "xz") && strstr(s, "yz");
      double bl[3], bh[3];
      for (int k = 0; k < 3; k++) {
        if (!(s = traj_next_line(t, err, &st, "a box bounds line"))) return st;
        const char *r = ionkmc_parse_double(s, &bl[k]);
        if (r) r = ionkmc_parse_double(r, &bh[k]);
        if (r && tri) r = ionkmc_parse_double(r, &tilt[k]);
        if (!r || !traj_at_end(r))
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
    while ((tok = traj_token(&p))) {
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
    if (!(s = traj_next_line(t, err, &st, "an atom line"))) return st;
    if (!traj_reserve_atom(t, i, n, 0))
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
      case C_ID: e = traj_parse_long(p, &id); break;
      case C_TYPE: e = traj_parse_long(p, &type); break;
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
        e = traj_parse_long(p, &w);
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
    if (!traj_at_end(p))
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
  st = traj_finish_frame(t, (int)n, 0, err);
  if (st) return st;
  *frame = &t->fr;
  return IONKMC_OK;
}

static int lammps_sniff(const unsigned char *head, size_t n) {
  return n >= 14 && !memcmp(head, "ITEM: TIMESTEP", 14);
}

/* No extension of its own: LAMMPS is also the format of last resort. */
const ionkmc_traj_format_type traj_format_lammps = {
    .name = "lammps", .id = IONKMC_TRAJ_LAMMPS, .extensions = NULL, .sniff = lammps_sniff,
    .text = 1, .open = NULL, .next = traj_read_lammps, .close = NULL};
