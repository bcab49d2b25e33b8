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

static const char *HELP =
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
    "options:\n"
    "  --defect LIST     NAME[@SITE],... of @DEFECTS@; SITE is\n"
    "                    the X (iodide defects) or A site index of the lattice; random\n"
    "                    free sites without @ (default: none, the perfect cell)\n"
    "  --size L          cells per edge (default 6)\n"
    "  --T K             lattice constant a(T) from the catalog's lattice model\n"
    "  --a A             lattice constant in angstrom (instead of --T)\n"
    "  --catalog FILE    catalog whose lattice model gives a(T) (default: embedded)\n"
    "  --a-site S        MA (default), Cs, Rb, K, FA (formamidinium as one point particle;\n"
    "                    lammps and extxyz only), or a mixture 'MA=0.5,Cs=0.5'\n"
    "  --b-site S        Pb (default) or Sn (or a mixture)\n"
    "  --x-site S        I (default), Br, Cl (or a mixture 'I=0.5,Br=0.5')\n"
    "  --ma-axis D       random (default; seeded) or x, y, z: every C-N axis along D\n"
    "  --seed S          random seed of axes, mixtures and defect sites (default 1)\n"
    "  --format F        lammps (atom_style atomic), lammps-full (atom_style full with\n"
    "                    charges, molecule ids, bonds, angles, dihedrals), extxyz, poscar\n"
    "  --out FILE        the structure file (required)\n"
    "  --json FILE       the summary (default: stdout)\n";

enum { O_DEFECT, O_SIZE, O_T, O_A, O_CATALOG, O_ASITE, O_BSITE, O_XSITE, O_AXIS, O_SEED, O_FORMAT, O_OUT,
       O_JSON, O_N };
static const cli_opt OPTS[O_N] = {{"defect", 1}, {"size", 1},   {"T", 1},       {"a", 1},      {"catalog", 1},
                                  {"a-site", 1}, {"b-site", 1}, {"x-site", 1},  {"ma-axis", 1}, {"seed", 1},
                                  {"format", 1}, {"out", 1},    {"json", 1}};

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

int cmd_structure(int argc, char **argv) {
  const char *cmd = "structure";
  ionkmc_structure_spec spec = ionkmc_structure_spec_default();
  double T = NAN, a = NAN;
  const char *catalog = NULL, *out = NULL, *json = NULL, *arg;
  int have_fmt = 0;
  ionkmc_structure_format fmt = IONKMC_STRUCT_LAMMPS;
  long long v;
  int i = 2, k;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    switch (k) {
    case -3: return cli_help(HELP);
    case -2: return EXIT_BAD_INPUT;
    case O_DEFECT: if (!cli_defect_places(cmd, "defect", arg, &spec)) return EXIT_BAD_INPUT; break;
    case O_SIZE: if (!cli_int(cmd, "size", arg, 2, 64, &v)) return EXIT_BAD_INPUT; spec.L = (int)v; break;
    case O_T:
      if (!cli_double(cmd, "T", arg, &T)) return EXIT_BAD_INPUT;
      if (!(T > 0)) return cli_bad(cmd, "--T: expected a temperature > 0 K, got '%s'", arg);
      break;
    case O_A:
      if (!cli_double(cmd, "a", arg, &a)) return EXIT_BAD_INPUT;
      if (!(a >= 3 && a <= 10)) return cli_bad(cmd, "--a: expected a lattice constant of 3-10 angstrom, got '%s'", arg);
      break;
    case O_CATALOG: catalog = arg; break;
    case O_ASITE: spec.a_site = arg; break;
    case O_BSITE: spec.b_site = arg; break;
    case O_XSITE: spec.x_site = arg; break;
    case O_AXIS: if (!cli_structure_axis(cmd, arg, &spec.ma_axis)) return EXIT_BAD_INPUT; break;
    case O_SEED: if (!cli_int(cmd, "seed", arg, 0, (long long)9e15, &v)) return EXIT_BAD_INPUT; spec.seed = (uint64_t)v; break;
    case O_FORMAT:
      if (ionkmc_structure_format_parse(arg, &fmt))
        return cli_bad(cmd, "--format: expected lammps, lammps-full, extxyz or poscar, got '%s'", arg);
      have_fmt = 1;
      break;
    case O_OUT: out = arg; break;
    case O_JSON: json = arg; break;
    }
  }
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
  json_t *doc = cli_structure_json(s);
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
