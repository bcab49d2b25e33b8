/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc structure: an atomistic ABX3 supercell with defects, for MD and NEB. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/structure.h"
#include "cli/cli.h"
#include "cli/opt.h"

static const char HEAD[] =
    "usage: ionkmc structure --size L (--T K | --a A) --format F --out FILE [options]\n"
    "\n"
    "Build a cubic ABX3 supercell of L x L x L cells (B at the cell corner, X on the\n"
    "bond centres, A at the cage centre), with full CH3NH3 molecules on the A sites\n"
    "(C-N 1.47, C-H 1.09, N-H 1.03 A, staggered) or point cations, and any of the six\n"
    "defects. The cell is mapped back onto the lattice with the site assignment that\n"
    "`ionkmc calibrate` uses on frame 0, and every defect must be found at its site.\n"
    "Writes FILE and FILE.types.json (the LAMMPS type <-> element map); prints a JSON\n"
    "summary (counts, net formal charge, defect sites) on stdout or into --json.\n"
    "\n"
;

typedef struct {
  ionkmc_structure_spec spec; /* defects and the A/B/X site species */
  long long L, seed;
  double T, a;
  int axis, format;
  const char *catalog, *out, *json;
} structure_opts;

static void structure_defaults(void *p) {
  structure_opts *o = p;
  o->spec = ionkmc_structure_spec_default();
  o->L = o->spec.L;
  o->seed = (long long)o->spec.seed;
  o->T = NAN;
  o->a = NAN;
  o->axis = o->spec.ma_axis + 1;
  o->format = -1;
}

static int parse_places(const char *cmd, const char *opt, const char *arg, void *field) {
  return cli_defect_places(cmd, opt, arg, field);
}

#define S structure_opts
static const cli_option OPTS[] = {
    CLI_OPT_CUSTOM("defect", spec, "LIST", parse_places, "none, the perfect cell",
                   "NAME[@SITE],... of @DEFECTS@; SITE is the X (iodide "
                   "defects) or A site index of the lattice; random free sites without @"),
    CLI_OPT_INT("size", L, "L", 2, 64, "cells per edge"),
    {.name = "T", .kind = CLI_REAL, .off = offsetof(S, T), .meta = "K", .lo = CLI_T_MIN, .hi = CLI_T_MAX,
     .what = "a temperature", .unit = "K", .help = "lattice constant a(T) from the catalog's lattice model"},
    {.name = "a", .kind = CLI_REAL, .off = offsetof(S, a), .meta = "A", .lo = 3, .hi = 10,
     .what = "a lattice constant", .unit = "angstrom", .help = "lattice constant in angstrom (instead of --T)"},
    CLI_OPT_STR("catalog", catalog, "FILE", "catalog whose lattice model gives a(T) (default: embedded)"),
    {.name = "a-site", .kind = CLI_STR, .off = offsetof(S, spec.a_site), .meta = "S", .def = "MA",
     .help = "MA, Cs, Rb, K, FA (formamidinium as one point particle; lammps and extxyz only), or a "
             "mixture 'MA=0.5,Cs=0.5'"},
    {.name = "b-site", .kind = CLI_STR, .off = offsetof(S, spec.b_site), .meta = "S", .def = "Pb",
     .help = "Pb or Sn (or a mixture)"},
    {.name = "x-site", .kind = CLI_STR, .off = offsetof(S, spec.x_site), .meta = "S", .def = "I",
     .help = "I, Br, Cl (or a mixture 'I=0.5,Br=0.5')"},
    CLI_OPT_CHOICE("ma-axis", axis, "random|x|y|z", "random (seeded) or x, y, z: every C-N axis along it"),
    CLI_OPT_INT("seed", seed, "S", 0, 9e15, "random seed of axes, mixtures and defect sites"),
    {.name = "format", .kind = CLI_CHOICE, .off = offsetof(S, format), .meta = "F",
     .choices = "lammps|lammps-full|extxyz|poscar", .def = "required",
     .help = "lammps (atom_style atomic), lammps-full (atom_style full with charges, molecule ids, "
             "bonds, angles, dihedrals), extxyz, poscar"},
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "FILE", .def = "required",
     .help = "the structure file"},
    {.name = "json", .kind = CLI_STR, .off = offsetof(S, json), .meta = "FILE", .def = "stdout",
     .help = "the summary"},
};
#undef S

const cli_command CLI_CMD_STRUCTURE = {"structure", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(structure_opts),
                                       structure_defaults, NULL};

int cli_defect_places(const char *cmd, const char *opt, const char *s, ionkmc_structure_spec *spec) {
  char buf[64];
  const char *p = s;
  spec->ndefects = 0;
  while (*p) {
    const char *e = p;
    while (*e && *e != ',') e++;
    size_t len = (size_t)(e - p);
    if (len == 0 || len >= sizeof buf) {
      cli_bad(cmd, "--%s '%s': expected NAME[@SITE],...", opt, s);
      return 0;
    }
    memcpy(buf, p, len);
    buf[len] = 0;
    char *at = strchr(buf, '@');
    long site = -1;
    if (at) {
      *at = 0;
      char *end;
      site = strtol(at + 1, &end, 10);
      if (end == at + 1 || *end || site < 0) {
        cli_bad(cmd, "--%s '%s': expected a site index >= 0 after '@' in '%.*s'", opt, s, (int)len, p);
        return 0;
      }
    }
    ionkmc_defect_kind k;
    if (ionkmc_defect_parse(buf, &k)) {
      cli_bad_defect(cmd, opt, buf);
      return 0;
    }
    if (spec->ndefects == IONKMC_STRUCT_MAXDEF) {
      cli_bad(cmd, "--%s: at most %d defects", opt, IONKMC_STRUCT_MAXDEF);
      return 0;
    }
    spec->defect[spec->ndefects].kind = k;
    spec->defect[spec->ndefects].site = (int)site;
    spec->ndefects++;
    p = *e ? e + 1 : e;
  }
  return 1;
}

json_t *cli_structure_json(const ionkmc_structure *s) {
  json_t *o = json_object();
  json_object_set_new(o, "L", json_integer(s->L));
  json_object_set_new(o, "a", json_real(s->a));
  json_object_set_new(o, "natoms", json_integer(s->natoms));
  json_t *cnt = json_object();
  int count[IONKMC_NELEMENT] = {0};
  for (int i = 0; i < s->natoms; i++) count[s->atoms[i].element]++;
  for (int t = 0; t < s->ntypes; t++)
    json_object_set_new(cnt, ionkmc_element_name((ionkmc_element)s->type_element[t]),
                        json_integer(count[s->type_element[t]]));
  json_object_set_new(o, "atoms", cnt);
  json_object_set_new(o, "molecules", json_integer(s->nmol));
  char map[256];
  ionkmc_structure_typemap(s, map, sizeof map);
  json_object_set_new(o, "typemap", json_string(map));
  json_object_set_new(o, "net_charge", json_real(s->net_charge));
  int nominal = 0;
  json_t *def = json_array();
  for (int d = 0; d < s->ndefects; d++) {
    json_t *r = json_object();
    ionkmc_defect_kind k = s->defect[d].kind;
    nominal += ionkmc_defect_charge(k);
    json_object_set_new(r, "defect", json_string(ionkmc_defect_name(k)));
    json_object_set_new(r, "sublattice", json_string(ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? "X" : "A"));
    json_object_set_new(r, "site", json_integer(s->defect[d].site));
    json_object_set_new(r, "position", json_pack("[f,f,f]", s->defect_pos[d][0], s->defect_pos[d][1],
                                                 s->defect_pos[d][2]));
    json_array_append_new(def, r);
  }
  json_object_set_new(o, "defects", def);
  json_object_set_new(o, "nominal_defect_charge", json_integer(nominal));
  json_object_set_new(o, "units", json_pack("{s:s,s:s}", "length", "angstrom", "charge", "e"));
  return o;
}

int cli_structure_axis(const char *cmd, const char *arg, int *axis) {
  if (!strcmp(arg, "random")) *axis = -1;
  else if (!strcmp(arg, "x")) *axis = 0;
  else if (!strcmp(arg, "y")) *axis = 1;
  else if (!strcmp(arg, "z")) *axis = 2;
  else return cli_bad(cmd, "--ma-axis: expected random, x, y or z, got '%s'", arg), 0;
  return 1;
}

static int structure_main(const structure_opts *o, int argc, char **argv);

int cmd_structure(int argc, char **argv) {
  structure_opts o;
  int code = cli_parse(&CLI_CMD_STRUCTURE, argc, argv, 2, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return structure_main(&o, argc, argv);
}

/* The supercell, from the parsed options. */
static int structure_main(const structure_opts *o, int argc, char **argv) {
  const char *cmd = "structure";
  ionkmc_structure_spec spec = o->spec;
  spec.L = (int)o->L;
  spec.seed = (uint64_t)o->seed;
  spec.ma_axis = o->axis - 1;
  double T = o->T, a = o->a;
  const char *catalog = o->catalog, *out = o->out, *json = o->json;
  int have_fmt = o->format >= 0;
  ionkmc_structure_format fmt = have_fmt ? (ionkmc_structure_format)o->format : IONKMC_STRUCT_LAMMPS;
  if (isnan(T) == isnan(a)) return cli_bad(cmd, "--T / --a: expected exactly one of the two");
  if (!have_fmt) return cli_bad(cmd, "--format: expected lammps, lammps-full, extxyz or poscar");
  if (!out) return cli_bad(cmd, "--out: expected the structure file to write");
  int code = 0;
  if (isnan(a)) {
    ionkmc_catalog *cat = cli_catalog(cmd, catalog, &code);
    if (!cat) return code;
    ionkmc_acell_model am = ionkmc_catalog_acell(cat);
    a = ionkmc_acell_eval(&am, T);
    ionkmc_catalog_free(cat);
  }
  spec.a = a;
  ionkmc_error err;
  ionkmc_structure *s = ionkmc_structure_build(&spec, &err);
  if (!s) return cli_bad(cmd, "%s", err.text);
  ionkmc_status st = ionkmc_structure_validate(s, &err);
  if (st) {
    ionkmc_structure_free(s);
    return cli_fail(cmd, "%s", err.text);
  }
  char tpath[4096];
  snprintf(tpath, sizeof tpath, "%s.types.json", out);
  ionkmc_outfile *of = NULL, *otypes = NULL, *oj = NULL;
  if ((code = cli_open(cmd, "out", out, &of)) || (code = cli_open(cmd, "out", tpath, &otypes)) ||
      (code = cli_open(cmd, "json", json, &oj))) {
    ionkmc_outfile_abort(of);
    ionkmc_outfile_abort(otypes);
    ionkmc_structure_free(s);
    return code;
  }
  char title[256];
  snprintf(title, sizeof title, "ionkmc structure: %dx%dx%d cells, a = %.5f A, seed %llu", s->L, s->L, s->L, s->a,
           (unsigned long long)spec.seed);
  st = ionkmc_structure_write(s, fmt, title, ionkmc_outfile_stream(of), &err);
  if (!st) st = ionkmc_structure_write_types(s, ionkmc_outfile_stream(otypes), &err);
  if (st) {
    ionkmc_outfile_abort(of);
    ionkmc_outfile_abort(otypes);
    ionkmc_outfile_abort(oj);
    ionkmc_structure_free(s);
    return st == IONKMC_EINVAL ? cli_bad(cmd, "%s", err.text) : cli_fail(cmd, "%s", err.text);
  }
  json_t *doc = cli_envelope(argc, argv, NULL), *summary = cli_structure_json(s);
  json_object_update(doc, summary); /* the envelope first, then the summary in its order */
  json_decref(summary);
  json_object_set_new(doc, "file", json_string(out));
  json_object_set_new(doc, "types_file", json_string(tpath));
  json_object_set_new(doc, "site_check", json_string("every site holds what was put there (calibrate's site "
                                                    "assignment, frame 0)"));
  ionkmc_structure_free(s);
  if ((code = cli_commit(cmd, &of)) || (code = cli_commit(cmd, &otypes))) {
    ionkmc_outfile_abort(oj);
    json_decref(doc);
    return code;
  }
  if (oj) code = cli_commit_json(cmd, doc, &oj, 10);
  else {
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
  }
  json_decref(doc);
  return code;
}
