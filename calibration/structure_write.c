/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Writers of atomistic supercells: LAMMPS data, extended XYZ, POSCAR. See structure.h. */
#include <stdio.h>
#include <string.h>

#include "calibration/structure.h"
#include "base/outfile.h"

ionkmc_status ionkmc_structure_format_parse(const char *name, ionkmc_structure_format *fmt) {
  static const char *const names[] = {"lammps", "lammps-full", "extxyz", "poscar"};
  for (int k = 0; k < 4; k++)
    if (!strcmp(name, names[k])) {
      *fmt = (ionkmc_structure_format)k;
      return IONKMC_OK;
    }
  return IONKMC_EINVAL;
}

static const char *el_name(const ionkmc_structure *s, int type) {
  return ionkmc_element_name((ionkmc_element)s->type_element[type - 1]);
}

static void write_lammps(const ionkmc_structure *s, int full, const char *title, FILE *fp) {
  int topo = full && s->nbonds > 0;
  fprintf(fp, "%s (net charge %+g e)\n\n", title, s->net_charge);
  fprintf(fp, "%d atoms\n%d atom types\n", s->natoms, s->ntypes);
  if (topo)
    fprintf(fp, "%d bonds\n3 bond types\n%d angles\n4 angle types\n%d dihedrals\n1 dihedral types\n", s->nbonds,
            s->nangles, s->ndihedrals);
  fprintf(fp, "\n0 %.10g xlo xhi\n0 %.10g ylo yhi\n0 %.10g zlo zhi\n", s->cell[0][0], s->cell[1][1],
          s->cell[2][2]);
  fprintf(fp, "\nMasses\n\n");
  for (int t = 1; t <= s->ntypes; t++) fprintf(fp, "%d %.6g # %s\n", t, s->type_mass[t - 1], el_name(s, t));
  fprintf(fp, "\nAtoms # %s\n\n", full ? "full" : "atomic");
  for (int i = 0; i < s->natoms; i++) {
    const ionkmc_atom *a = &s->atoms[i];
    if (full)
      fprintf(fp, "%d %d %d %.6g %.8f %.8f %.8f\n", i + 1, a->mol, a->type, a->q, a->x[0], a->x[1], a->x[2]);
    else
      fprintf(fp, "%d %d %.8f %.8f %.8f\n", i + 1, a->type, a->x[0], a->x[1], a->x[2]);
  }
  if (!topo) return;
  fprintf(fp, "\nBonds\n\n");
  for (int b = 0; b < s->nbonds; b++)
    fprintf(fp, "%d %d %d %d\n", b + 1, s->bonds[b][0], s->bonds[b][1] + 1, s->bonds[b][2] + 1);
  fprintf(fp, "\nAngles\n\n");
  for (int b = 0; b < s->nangles; b++)
    fprintf(fp, "%d %d %d %d %d\n", b + 1, s->angles[b][0], s->angles[b][1] + 1, s->angles[b][2] + 1,
            s->angles[b][3] + 1);
  fprintf(fp, "\nDihedrals\n\n");
  for (int b = 0; b < s->ndihedrals; b++)
    fprintf(fp, "%d %d %d %d %d %d\n", b + 1, s->dihedrals[b][0], s->dihedrals[b][1] + 1, s->dihedrals[b][2] + 1,
            s->dihedrals[b][3] + 1, s->dihedrals[b][4] + 1);
}

static void write_extxyz(const ionkmc_structure *s, const char *title, FILE *fp) {
  fprintf(fp, "%d\n", s->natoms);
  fprintf(fp, "Lattice=\"%.10g 0 0 0 %.10g 0 0 0 %.10g\" Properties=species:S:1:pos:R:3 Time=0 pbc=\"T T T\" "
              "net_charge=%g comment=\"%s\"\n",
          s->cell[0][0], s->cell[1][1], s->cell[2][2], s->net_charge, title);
  for (int i = 0; i < s->natoms; i++) {
    const ionkmc_atom *a = &s->atoms[i];
    fprintf(fp, "%-2s %.8f %.8f %.8f\n", ionkmc_element_name((ionkmc_element)a->element), a->x[0], a->x[1],
            a->x[2]);
  }
}

static void write_poscar(const ionkmc_structure *s, const char *title, FILE *fp) {
  fprintf(fp, "%s\n1.0\n", title);
  for (int k = 0; k < 3; k++) fprintf(fp, "  %.10f %.10f %.10f\n", s->cell[k][0], s->cell[k][1], s->cell[k][2]);
  int count[IONKMC_STRUCT_MAXTYPES + 1] = {0};
  for (int i = 0; i < s->natoms; i++) count[s->atoms[i].type]++;
  for (int t = 1; t <= s->ntypes; t++)
    if (count[t]) fprintf(fp, " %s", el_name(s, t));
  fprintf(fp, "\n");
  for (int t = 1; t <= s->ntypes; t++)
    if (count[t]) fprintf(fp, " %d", count[t]);
  fprintf(fp, "\nCartesian\n");
  for (int t = 1; t <= s->ntypes; t++)
    for (int i = 0; i < s->natoms; i++)
      if (s->atoms[i].type == t)
        fprintf(fp, "  %.8f %.8f %.8f\n", s->atoms[i].x[0], s->atoms[i].x[1], s->atoms[i].x[2]);
}

ionkmc_status ionkmc_structure_write(const ionkmc_structure *s, ionkmc_structure_format fmt, const char *title,
                                     FILE *fp, ionkmc_error *err) {
  if (!title) title = "ionkmc structure";
  if (fmt == IONKMC_STRUCT_POSCAR)
    for (int i = 0; i < s->natoms; i++)
      if (s->atoms[i].element == IONKMC_EL_FA)
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "poscar: FA is a point particle, not an element VASP knows; write lammps or "
                                "extxyz instead");
  switch (fmt) {
  case IONKMC_STRUCT_LAMMPS: write_lammps(s, 0, title, fp); break;
  case IONKMC_STRUCT_LAMMPS_FULL: write_lammps(s, 1, title, fp); break;
  case IONKMC_STRUCT_EXTXYZ: write_extxyz(s, title, fp); break;
  case IONKMC_STRUCT_POSCAR: write_poscar(s, title, fp); break;
  default: return ionkmc_error_set(err, IONKMC_EINVAL, "structure: unknown format %d", (int)fmt);
  }
  if (ferror(fp)) return ionkmc_error_set(err, IONKMC_EIO, "structure: write failed");
  return IONKMC_OK;
}

ionkmc_status ionkmc_structure_write_file(const ionkmc_structure *s, ionkmc_structure_format fmt,
                                          const char *title, const char *path, ionkmc_error *err) {
  ionkmc_outfile *of = ionkmc_outfile_open(path, err);
  if (!of) return IONKMC_EIO;
  ionkmc_status st = ionkmc_structure_write(s, fmt, title, ionkmc_outfile_stream(of), err);
  if (st) {
    ionkmc_outfile_abort(of);
    return st;
  }
  return ionkmc_outfile_commit(of, err);
}

ionkmc_status ionkmc_structure_write_types(const ionkmc_structure *s, FILE *fp, ionkmc_error *err) {
  char map[256];
  ionkmc_structure_typemap(s, map, sizeof map);
  fprintf(fp, "{\n  \"types\": {");
  for (int t = 1; t <= s->ntypes; t++) fprintf(fp, "%s\"%d\": \"%s\"", t > 1 ? ", " : "", t, el_name(s, t));
  fprintf(fp, "},\n  \"masses\": {");
  for (int t = 1; t <= s->ntypes; t++) fprintf(fp, "%s\"%d\": %.6g", t > 1 ? ", " : "", t, s->type_mass[t - 1]);
  fprintf(fp, "},\n  \"typemap\": \"%s\",\n  \"type_names\": \"", map);
  for (int t = 1; t <= s->ntypes; t++) fprintf(fp, "%s%s", t > 1 ? " " : "", el_name(s, t));
  fprintf(fp, "\"\n}\n");
  if (ferror(fp)) return ionkmc_error_set(err, IONKMC_EIO, "structure: write failed");
  return IONKMC_OK;
}
