/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: readers of single structures (extxyz, LAMMPS data,
 * POSCAR). See barriers/atoms.h. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/atoms.h"

const char *ionkmc_element_by_mass(double m);

typedef struct {
  FILE *fp;
  const char *path;
  char *line;
  size_t cap;
  long lineno;
} reader;

/* Next line (without the newline) or NULL at the end of the file. */
static char *next_line(reader *r) {
  ssize_t len = getline(&r->line, &r->cap, r->fp);
  if (len < 0) return NULL;
  r->lineno++;
  while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r')) r->line[--len] = 0;
  return r->line;
}

static int blank(const char *s) {
  while (*s && isspace((unsigned char)*s)) s++;
  return *s == 0 || *s == '#';
}

#define FAIL(st, ...)                                  \
  do {                                                 \
    ionkmc_error_set(err, st, __VA_ARGS__);            \
    goto fail;                                         \
  } while (0)

static int parse_doubles(const char *s, double *v, int n, char **end) {
  char *e;
  for (int k = 0; k < n; k++) {
    v[k] = strtod(s, &e);
    if (e == s || !isfinite(v[k])) return 0;
    s = e;
  }
  if (end) *end = (char *)s;
  return 1;
}

static void set_symbol(char dst[IONKMC_ATOMS_SYMLEN], const char *src, size_t len) {
  if (len >= IONKMC_ATOMS_SYMLEN) len = IONKMC_ATOMS_SYMLEN - 1;
  memcpy(dst, src, len);
  dst[len] = 0;
}

/* extxyz comment line: the value of key (quotes removed) into out. */
static int xyz_value(const char *s, const char *key, char *out, size_t cap) {
  size_t kl = strlen(key);
  for (const char *p = s; (p = strstr(p, key)) != NULL; p += kl) {
    if (p != s && !isspace((unsigned char)p[-1])) continue;
    if (p[kl] != '=') continue;
    const char *v = p + kl + 1, *e;
    if (*v == '"') {
      v++;
      e = strchr(v, '"');
      if (!e) return 0;
    } else {
      e = v;
      while (*e && !isspace((unsigned char)*e)) e++;
    }
    size_t n = (size_t)(e - v);
    if (n >= cap) return 0;
    memcpy(out, v, n);
    out[n] = 0;
    return 1;
  }
  return 0;
}

static ionkmc_atoms *read_extxyz(reader *r, ionkmc_error *err) {
  ionkmc_atoms *a = NULL;
  char *s = next_line(r), *e;
  if (!s) FAIL(IONKMC_EPARSE, "%s: empty file (expected an extxyz atom count)", r->path);
  long n = strtol(s, &e, 10);
  if (e == s || n < 1 || n > 100000000 || !blank(e))
    FAIL(IONKMC_EPARSE, "%s: line %ld: expected the atom count, got '%.40s'", r->path, r->lineno, s);
  if (!(s = next_line(r))) FAIL(IONKMC_EPARSE, "%s: line %ld: missing comment line", r->path, r->lineno + 1);
  char val[1024];
  a = ionkmc_atoms_alloc((int)n);
  if (!a) FAIL(IONKMC_ENOMEM, "%s: out of memory", r->path);
  if (!xyz_value(s, "Lattice", val, sizeof val) || !parse_doubles(val, &a->cell[0][0], 9, &e) || !blank(e))
    FAIL(IONKMC_EPARSE, "%s: line %ld: expected Lattice=\"ax ay az bx by bz cx cy cz\"", r->path, r->lineno);
  /* pbc="T T F": a direction marked F is not periodic (ionkmc_atoms.open). */
  if (xyz_value(s, "pbc", val, sizeof val)) {
    char *save = NULL, *tok = strtok_r(val, " \t", &save);
    int k = 0;
    for (; tok && k < 3; k++, tok = strtok_r(NULL, " \t", &save)) {
      if (!strcmp(tok, "T") || !strcmp(tok, "True") || !strcmp(tok, "true")) a->open[k] = 0;
      else if (!strcmp(tok, "F") || !strcmp(tok, "False") || !strcmp(tok, "false")) a->open[k] = 1;
      else break;
    }
    if (k != 3 || tok)
      FAIL(IONKMC_EPARSE, "%s: line %ld: expected pbc=\"T T T\" (three of T or F)", r->path, r->lineno);
  }
  /* Properties: find the columns of species and pos. */
  int col_sp = 0, col_pos = 1, ncol = 4;
  if (xyz_value(s, "Properties", val, sizeof val)) {
    col_sp = col_pos = -1;
    ncol = 0;
    char *save = NULL, *tok = strtok_r(val, ":", &save);
    while (tok) {
      char *type = strtok_r(NULL, ":", &save), *cnt = strtok_r(NULL, ":", &save);
      if (!type || !cnt || atoi(cnt) < 1)
        FAIL(IONKMC_EPARSE, "%s: line %ld: Properties= must be name:type:count triples", r->path, r->lineno);
      if (!strcmp(tok, "species")) col_sp = ncol;
      if (!strcmp(tok, "pos")) col_pos = ncol;
      ncol += atoi(cnt);
      tok = strtok_r(NULL, ":", &save);
    }
    if (col_sp < 0 || col_pos < 0)
      FAIL(IONKMC_EPARSE, "%s: line %ld: Properties= needs species:S:1 and pos:R:3", r->path, r->lineno);
  }
  for (int i = 0; i < a->n; i++) {
    if (!(s = next_line(r)))
      FAIL(IONKMC_EPARSE, "%s: line %ld: expected %d atom lines, the file ends after %d", r->path, r->lineno + 1,
           a->n, i);
    char *p = s;
    for (int c = 0; c < ncol; c++) {
      while (*p && isspace((unsigned char)*p)) p++;
      char *q = p;
      while (*q && !isspace((unsigned char)*q)) q++;
      if (q == p) FAIL(IONKMC_EPARSE, "%s: line %ld: expected %d columns", r->path, r->lineno, ncol);
      if (c == col_sp) set_symbol(a->el[i], p, (size_t)(q - p));
      if (c >= col_pos && c < col_pos + 3) {
        char *ee;
        double v = strtod(p, &ee);
        if (ee != q || !isfinite(v))
          FAIL(IONKMC_EPARSE, "%s: line %ld: column %d: expected a number", r->path, r->lineno, c + 1);
        a->x[3 * i + c - col_pos] = v;
      }
      p = q;
    }
  }
  return a;
fail:
  ionkmc_atoms_free(a);
  return NULL;
}

static int lammps_header(const char *s, const char *tail, double *v, int n) {
  char *e;
  if (!parse_doubles(s, v, n, &e)) return 0;
  while (*e && isspace((unsigned char)*e)) e++;
  return !strncmp(e, tail, strlen(tail));
}

static ionkmc_atoms *read_lammps(reader *r, ionkmc_error *err) {
  ionkmc_atoms *a = NULL;
  char (*tsym)[IONKMC_ATOMS_SYMLEN] = NULL;
  long *ids = NULL;
  double lo[3] = {0}, hi[3] = {0}, tilt[3] = {0}, v[3];
  long natoms = -1, ntypes = -1;
  int have_box = 0, have_masses = 0, have_atoms = 0;
  char *s = next_line(r); /* title */
  if (!s) FAIL(IONKMC_EPARSE, "%s: empty file (expected a LAMMPS data file)", r->path);
  while ((s = next_line(r))) {
    if (blank(s)) continue;
    if (lammps_header(s, "atoms", v, 1)) natoms = (long)v[0];
    else if (lammps_header(s, "atom types", v, 1)) ntypes = (long)v[0];
    else if (lammps_header(s, "xlo xhi", v, 2)) lo[0] = v[0], hi[0] = v[1], have_box |= 1;
    else if (lammps_header(s, "ylo yhi", v, 2)) lo[1] = v[0], hi[1] = v[1], have_box |= 2;
    else if (lammps_header(s, "zlo zhi", v, 2)) lo[2] = v[0], hi[2] = v[1], have_box |= 4;
    else if (lammps_header(s, "xy xz yz", v, 3)) memcpy(tilt, v, sizeof tilt);
    else if (isdigit((unsigned char)s[strspn(s, " \t")]) || s[strspn(s, " \t")] == '-' ||
             s[strspn(s, " \t")] == '.')
      continue; /* other header counts (bonds, ...) */
    else if (!strncmp(s + strspn(s, " \t"), "Masses", 6)) {
      if (ntypes < 1 || ntypes > 1000)
        FAIL(IONKMC_EPARSE, "%s: line %ld: Masses before a valid 'N atom types' line", r->path, r->lineno);
      tsym = calloc((size_t)ntypes, sizeof *tsym);
      if (!tsym) FAIL(IONKMC_ENOMEM, "%s: out of memory", r->path);
      for (long k = 0; k < ntypes;) {
        if (!(s = next_line(r))) FAIL(IONKMC_EPARSE, "%s: line %ld: Masses section ends early", r->path, r->lineno);
        if (blank(s)) continue;
        char *e;
        long t = strtol(s, &e, 10);
        double m = strtod(e, &e);
        if (t < 1 || t > ntypes || !(m > 0))
          FAIL(IONKMC_EPARSE, "%s: line %ld: expected 'type mass [# element]'", r->path, r->lineno);
        char *hash = strchr(e, '#');
        if (hash) {
          hash++;
          while (*hash && isspace((unsigned char)*hash)) hash++;
          size_t len = 0;
          while (isalpha((unsigned char)hash[len])) len++;
          set_symbol(tsym[t - 1], hash, len);
        }
        if (!tsym[t - 1][0]) {
          const char *el = ionkmc_element_by_mass(m);
          if (!el)
            FAIL(IONKMC_EPARSE, "%s: line %ld: type %ld: mass %g matches no known element (add '# Symbol')",
                 r->path, r->lineno, t, m);
          set_symbol(tsym[t - 1], el, strlen(el));
        }
        k++;
      }
      have_masses = 1;
    } else if (!strncmp(s + strspn(s, " \t"), "Atoms", 5)) {
      if (natoms < 1 || have_box != 7)
        FAIL(IONKMC_EPARSE, "%s: line %ld: Atoms before the 'atoms' count and the box", r->path, r->lineno);
      if (!have_masses) FAIL(IONKMC_EPARSE, "%s: line %ld: Atoms before Masses (the elements)", r->path, r->lineno);
      int style = 0; /* 0 unknown, 1 atomic, 2 charge, 3 full */
      if (strstr(s, "atomic")) style = 1;
      else if (strstr(s, "charge")) style = 2;
      else if (strstr(s, "full")) style = 3;
      a = ionkmc_atoms_alloc((int)natoms);
      ids = calloc((size_t)natoms, sizeof *ids);
      if (!a || !ids) FAIL(IONKMC_ENOMEM, "%s: out of memory", r->path);
      for (long k = 0; k < natoms;) {
        if (!(s = next_line(r)))
          FAIL(IONKMC_EPARSE, "%s: line %ld: Atoms section ends after %ld of %ld atoms", r->path, r->lineno, k,
               natoms);
        if (blank(s)) continue;
        double c[10];
        int nc = 0;
        char *p = s, *e;
        while (nc < 10) {
          c[nc] = strtod(p, &e);
          if (e == p) break;
          nc++;
          p = e;
        }
        int st = style ? style : (nc == 5 || nc == 8) ? 1 : (nc == 7 || nc == 10) ? 3 : 0;
        int need = st == 1 ? 5 : st == 2 ? 6 : 7, tcol = st == 3 ? 2 : 1, xcol = need - 3;
        if (!st || nc < need)
          FAIL(IONKMC_EPARSE, "%s: line %ld: expected an atom line of style atomic, charge or full", r->path,
               r->lineno);
        long t = (long)c[tcol];
        if (t < 1 || t > ntypes) FAIL(IONKMC_EPARSE, "%s: line %ld: type %ld out of range", r->path, r->lineno, t);
        ids[k] = (long)c[0];
        memcpy(&a->x[3 * k], &c[xcol], 3 * sizeof(double));
        if (nc >= need + 3) /* image flags */
          for (int d = 0; d < 3; d++) {
            double L[3] = {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
            double im = c[need + d];
            a->x[3 * k] += im * (d == 0 ? L[0] : d == 1 ? tilt[0] : tilt[1]);
            if (d >= 1) a->x[3 * k + 1] += im * (d == 1 ? L[1] : tilt[2]);
            if (d == 2) a->x[3 * k + 2] += im * L[2];
          }
        set_symbol(a->el[k], tsym[t - 1], strlen(tsym[t - 1]));
        k++;
      }
      have_atoms = 1;
      break;
    } else {
      FAIL(IONKMC_EPARSE, "%s: line %ld: unexpected line '%.40s' in a LAMMPS data file", r->path, r->lineno, s);
    }
  }
  if (!have_atoms) FAIL(IONKMC_EPARSE, "%s: no Atoms section", r->path);
  double cell[3][3] = {{hi[0] - lo[0], 0, 0}, {tilt[0], hi[1] - lo[1], 0}, {tilt[1], tilt[2], hi[2] - lo[2]}};
  memcpy(a->cell, cell, sizeof cell);
  for (long k = 0; k < natoms; k++)
    for (int d = 0; d < 3; d++) a->x[3 * k + d] -= lo[d];
  /* Sort by id (insertion sort on an index is enough for typical sizes, but
   * use qsort through a permutation to stay O(N log N)). */
  {
    long *perm = malloc((size_t)natoms * sizeof *perm);
    ionkmc_atoms *b = ionkmc_atoms_copy(a);
    if (!perm || !b) {
      free(perm);
      ionkmc_atoms_free(b);
      FAIL(IONKMC_ENOMEM, "%s: out of memory", r->path);
    }
    /* counting placement when ids are 1..N, the usual case */
    int dense = 1;
    for (long k = 0; k < natoms; k++) perm[k] = -1;
    for (long k = 0; k < natoms && dense; k++) {
      if (ids[k] < 1 || ids[k] > natoms || perm[ids[k] - 1] >= 0) dense = 0;
      else perm[ids[k] - 1] = k;
    }
    if (dense)
      for (long k = 0; k < natoms; k++) {
        memcpy(&b->x[3 * k], &a->x[3 * perm[k]], 3 * sizeof(double));
        memcpy(b->el[k], a->el[perm[k]], IONKMC_ATOMS_SYMLEN);
      }
    free(perm);
    if (!dense) {
      ionkmc_atoms_free(b);
      FAIL(IONKMC_EPARSE, "%s: atom ids must be 1..%ld, each once", r->path, natoms);
    }
    ionkmc_atoms_free(a);
    a = b;
  }
  free(tsym);
  free(ids);
  return a;
fail:
  free(tsym);
  free(ids);
  ionkmc_atoms_free(a);
  return NULL;
}

static ionkmc_atoms *read_poscar(reader *r, ionkmc_error *err) {
  ionkmc_atoms *a = NULL;
  double scale, cell[3][3];
  char names[64][IONKMC_ATOMS_SYMLEN];
  int counts[64], nsp = 0, ncnt = 0;
  char *s, *e;
  if (!next_line(r)) FAIL(IONKMC_EPARSE, "%s: empty file (expected a POSCAR)", r->path);
  if (!(s = next_line(r)) || !parse_doubles(s, &scale, 1, &e) || !blank(e) || scale == 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld: expected the scale factor", r->path, r->lineno);
  for (int k = 0; k < 3; k++)
    if (!(s = next_line(r)) || !parse_doubles(s, cell[k], 3, &e))
      FAIL(IONKMC_EPARSE, "%s: line %ld: expected a lattice vector (3 numbers)", r->path, r->lineno);
  if (!(s = next_line(r))) FAIL(IONKMC_EPARSE, "%s: line %ld: expected element names", r->path, r->lineno + 1);
  for (char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    char *q = p;
    while (*q && !isspace((unsigned char)*q)) q++;
    if (q == p) break;
    if (!isalpha((unsigned char)*p) || nsp == 64)
      FAIL(IONKMC_EPARSE, "%s: line %ld: expected element names (VASP 5 POSCAR)", r->path, r->lineno);
    set_symbol(names[nsp++], p, (size_t)(q - p));
    p = q;
  }
  if (!(s = next_line(r))) FAIL(IONKMC_EPARSE, "%s: line %ld: expected atom counts", r->path, r->lineno + 1);
  for (char *p = s;;) {
    long c = strtol(p, &e, 10);
    if (e == p) break;
    if (c < 0 || ncnt == 64) FAIL(IONKMC_EPARSE, "%s: line %ld: bad atom count", r->path, r->lineno);
    counts[ncnt++] = (int)c;
    p = e;
  }
  if (ncnt != nsp || nsp == 0)
    FAIL(IONKMC_EPARSE, "%s: line %ld: %d counts for %d element names", r->path, r->lineno, ncnt, nsp);
  if (!(s = next_line(r))) FAIL(IONKMC_EPARSE, "%s: line %ld: expected Direct or Cartesian", r->path, r->lineno + 1);
  s += strspn(s, " \t");
  if (*s == 'S' || *s == 's') {
    if (!(s = next_line(r))) FAIL(IONKMC_EPARSE, "%s: line %ld: expected Direct or Cartesian", r->path, r->lineno);
    s += strspn(s, " \t");
  }
  int cart = (*s == 'C' || *s == 'c' || *s == 'K' || *s == 'k');
  if (!cart && *s != 'D' && *s != 'd')
    FAIL(IONKMC_EPARSE, "%s: line %ld: expected Direct or Cartesian", r->path, r->lineno);
  long n = 0;
  for (int k = 0; k < ncnt; k++) n += counts[k];
  if (n < 1) FAIL(IONKMC_EPARSE, "%s: no atoms", r->path);
  a = ionkmc_atoms_alloc((int)n);
  if (!a) FAIL(IONKMC_ENOMEM, "%s: out of memory", r->path);
  double sc = scale;
  if (scale < 0) { /* negative scale: the cell volume */
    double inv[3][3], vol = fabs(ionkmc_cell_inverse(cell, inv, NULL));
    if (vol == 0) FAIL(IONKMC_EPARSE, "%s: singular lattice", r->path);
    sc = cbrt(-scale / vol);
  }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) a->cell[i][j] = cell[i][j] * sc;
  long i = 0;
  for (int k = 0; k < ncnt; k++)
    for (int c = 0; c < counts[k]; c++, i++) {
      double v[3];
      if (!(s = next_line(r)) || !parse_doubles(s, v, 3, NULL))
        FAIL(IONKMC_EPARSE, "%s: line %ld: expected 3 coordinates (atom %ld of %ld)", r->path, r->lineno, i + 1, n);
      for (int d = 0; d < 3; d++)
        a->x[3 * i + d] = cart ? v[d] * sc : v[0] * a->cell[0][d] + v[1] * a->cell[1][d] + v[2] * a->cell[2][d];
      memcpy(a->el[i], names[k], IONKMC_ATOMS_SYMLEN);
    }
  return a;
fail:
  ionkmc_atoms_free(a);
  return NULL;
}

static int ends_with(const char *s, const char *t) {
  size_t n = strlen(s), m = strlen(t);
  return n >= m && !strcmp(s + n - m, t);
}

ionkmc_atoms *ionkmc_atoms_read(const char *path, ionkmc_atoms_format fmt, ionkmc_error *err) {
  if (fmt == IONKMC_ATOMS_AUTO) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (ends_with(base, ".xyz") || ends_with(base, ".extxyz")) fmt = IONKMC_ATOMS_EXTXYZ;
    else if (ends_with(base, ".data") || ends_with(base, ".lmp") || !strncmp(base, "data.", 5))
      fmt = IONKMC_ATOMS_LAMMPS;
    else if (!strncmp(base, "POSCAR", 6) || !strncmp(base, "CONTCAR", 7) || ends_with(base, ".vasp") ||
             ends_with(base, ".poscar"))
      fmt = IONKMC_ATOMS_POSCAR;
    else {
      ionkmc_error_set(err, IONKMC_EPARSE,
                       "%s: cannot tell the format from the name (*.xyz / *.extxyz, *.data / *.lmp, POSCAR / "
                       "*.vasp); give it explicitly",
                       path);
      return NULL;
    }
  }
  reader r = {fopen(path, "r"), path, NULL, 0, 0};
  if (!r.fp) {
    ionkmc_error_set(err, IONKMC_EIO, "%s: cannot open for reading", path);
    return NULL;
  }
  ionkmc_atoms *a = fmt == IONKMC_ATOMS_EXTXYZ   ? read_extxyz(&r, err)
                    : fmt == IONKMC_ATOMS_LAMMPS ? read_lammps(&r, err)
                                                 : read_poscar(&r, err);
  free(r.line);
  fclose(r.fp);
  if (a) {
    double inv[3][3];
    if (ionkmc_cell_inverse(a->cell, inv, NULL) <= 0) {
      ionkmc_error_set(err, IONKMC_EPARSE, "%s: the cell has no positive volume (right-handed lattice vectors)",
                       path);
      ionkmc_atoms_free(a);
      return NULL;
    }
  }
  return a;
}
