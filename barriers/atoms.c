/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: structure objects, cell algebra, element masses and the
 * extxyz writer. See barriers/atoms.h; the readers are in atoms_read.c. */
#include "barriers/atoms.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ionkmc_atoms *ionkmc_atoms_alloc(int n) {
  if (n < 0) return NULL;
  ionkmc_atoms *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->n = n;
  a->x = calloc((size_t)(n > 0 ? n : 1) * 3, sizeof *a->x);
  a->el = calloc((size_t)(n > 0 ? n : 1), sizeof *a->el);
  if (!a->x || !a->el) {
    ionkmc_atoms_free(a);
    return NULL;
  }
  return a;
}

ionkmc_atoms *ionkmc_atoms_copy(const ionkmc_atoms *a) {
  ionkmc_atoms *b = ionkmc_atoms_alloc(a->n);
  if (!b) return NULL;
  memcpy(b->cell, a->cell, sizeof b->cell);
  memcpy(b->open, a->open, sizeof b->open);
  memcpy(b->x, a->x, (size_t)a->n * 3 * sizeof *a->x);
  memcpy(b->el, a->el, (size_t)a->n * sizeof *a->el);
  return b;
}

void ionkmc_atoms_free(ionkmc_atoms *a) {
  if (!a) return;
  free(a->x);
  free(a->el);
  free(a);
}

ionkmc_status ionkmc_atoms_format_parse(const char *name, ionkmc_atoms_format *fmt) {
  static const char *const names[] = {"auto", "extxyz", "lammps", "poscar"};
  for (int k = 0; k < 4; k++)
    if (!strcmp(name, names[k])) {
      *fmt = (ionkmc_atoms_format)k;
      return IONKMC_OK;
    }
  return IONKMC_EINVAL;
}

static const struct {
  const char *sym;
  double mass;
} MASSES[] = {{"H", 1.008},    {"C", 12.011},  {"N", 14.007},  {"O", 15.999},   {"F", 18.998},
              {"Na", 22.990},  {"Cl", 35.45},  {"K", 39.098},  {"Ge", 72.630},  {"Br", 79.904},
              {"Rb", 85.468},  {"Sn", 118.71}, {"I", 126.904}, {"Cs", 132.905}, {"Pb", 207.2}};

double ionkmc_element_mass_of(const char *symbol) {
  for (size_t k = 0; k < sizeof MASSES / sizeof MASSES[0]; k++)
    if (!strcmp(MASSES[k].sym, symbol)) return MASSES[k].mass;
  return 0;
}

/* The element whose mass is within 0.5 g/mol of m, or NULL. (atoms_read.c) */
const char *ionkmc_element_by_mass(double m);
const char *ionkmc_element_by_mass(double m) {
  for (size_t k = 0; k < sizeof MASSES / sizeof MASSES[0]; k++)
    if (fabs(MASSES[k].mass - m) < 0.5) return MASSES[k].sym;
  return NULL;
}

double ionkmc_cell_inverse(const double c[3][3], double inv[3][3], double width[3]) {
  double cof[3][3];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
      cof[i][j] = c[i1][j1] * c[i2][j2] - c[i1][j2] * c[i2][j1];
    }
  double det = c[0][0] * cof[0][0] + c[0][1] * cof[0][1] + c[0][2] * cof[0][2];
  if (!(fabs(det) > 1e-12)) return 0;
  /* inv = adj / det, adj = cof^T. Row i of cof is a_{i+1} x a_{i+2}. */
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) inv[i][j] = cof[j][i] / det;
  if (width)
    for (int k = 0; k < 3; k++) {
      double nrm = sqrt(cof[k][0] * cof[k][0] + cof[k][1] * cof[k][1] + cof[k][2] * cof[k][2]);
      width[k] = fabs(det) / nrm;
    }
  return det;
}

void ionkmc_cell_min_image(const double cell[3][3], const double inv[3][3], const double x1[3],
                           const double x2[3], double d[3]) {
  double dx[3] = {x2[0] - x1[0], x2[1] - x1[1], x2[2] - x1[2]}, s[3];
  for (int k = 0; k < 3; k++) {
    s[k] = dx[0] * inv[0][k] + dx[1] * inv[1][k] + dx[2] * inv[2][k];
    s[k] -= floor(s[k] + 0.5);
  }
  for (int k = 0; k < 3; k++) d[k] = s[0] * cell[0][k] + s[1] * cell[1][k] + s[2] * cell[2][k];
}

ionkmc_status ionkmc_atoms_write_extxyz(FILE *fp, const ionkmc_atoms *a, double energy,
                                        const double *forces, const char *extra, ionkmc_error *err) {
  fprintf(fp, "%d\nLattice=\"", a->n);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) fprintf(fp, "%s%.12g", i + j ? " " : "", a->cell[i][j]);
  fprintf(fp, "\" Properties=species:S:1:pos:R:3%s", forces ? ":forces:R:3" : "");
  if (isfinite(energy)) fprintf(fp, " energy=%.12g", energy);
  fprintf(fp, " pbc=\"%c %c %c\"%s%s\n", a->open[0] ? 'F' : 'T', a->open[1] ? 'F' : 'T', a->open[2] ? 'F' : 'T',
          extra ? " " : "", extra ? extra : "");
  for (int i = 0; i < a->n; i++) {
    fprintf(fp, "%-2s %.10f %.10f %.10f", a->el[i], a->x[3 * i], a->x[3 * i + 1], a->x[3 * i + 2]);
    if (forces) fprintf(fp, " %.10g %.10g %.10g", forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]);
    fputc('\n', fp);
  }
  if (ferror(fp)) return ionkmc_error_set(err, IONKMC_EIO, "extxyz: write failed");
  return IONKMC_OK;
}
