/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc neb: CI-NEB barriers of single hops with a deployed MLFF, at one or
 * several lattice constants, and the catalog entry they make. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/hopcell.h"
#include "barriers/mlff_neb.h"
#include "barriers/vineyard.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/mlff_cli.h"
#include "cli/neb_env.h"
#include "cli/neb_struct.h"
#include "events/defects.h"

static const char HEAD[] =
    "usage: ionkmc neb --model FILE (--defect NAME | --initial FILE --final FILE) [options]\n"
    "\n"
    "Barrier of one hop on the potential-energy surface of a deployed NequIP/Allegro\n"
    "model: both end points relaxed with FIRE (atoms only, fixed cell), then CI-NEB\n"
    "(improved tangent, climbing image, FIRE) on a straight initial band. Prints and\n"
    "writes the forward and reverse barriers and dE = E(final) - E(initial).\n"
    "End points: --defect builds the hop in an ABX3 cell with a point A cation, or\n"
    "--initial/--final give it. --environments samples the hop in N environments\n"
    "(with --defect and one lattice constant).\n"
    "\n";

typedef struct {
  const char *model, *defect, *ini, *fin, *format, *device, *band, *json, *catalog_out, *table;
  char elems[3][IONKMC_ATOMS_SYMLEN];
  cli_range_arg a;
  long long L, env_seed;
  double nu, radius;
  int prefactor;
  ionkmc_mlff_neb_params np;
  neb_env_opts eo;
  neb_build_opts bo;
  long long build_seed;
  int sigma_given;
} neb_opts;

static void neb_defaults(void *p) {
  neb_opts *o = p;
  const char *el[3] = {"Cs", "Pb", "I"};
  for (int k = 0; k < 3; k++) snprintf(o->elems[k], sizeof o->elems[k], "%s", el[k]);
  o->device = "cpu";
  o->L = 2;
  o->nu = NAN;
  o->radius = 4.5;
  o->np = ionkmc_mlff_neb_params_default();
  o->eo = (neb_env_opts){.n = 0, .seed = 1, .sigma = 0.05, .radius = 4.5, .pref_radius = 4.5};
  o->env_seed = (long long)o->eo.seed;
  o->bo = (neb_build_opts){NULL, -1, 1, NULL};
  o->build_seed = 1;
}

static int parse_ma_axis(const char *cmd, const char *opt, const char *arg, void *field) {
  int *ax = field;
  if (!strcmp(arg, "random")) *ax = -1;
  else if (!strcmp(arg, "x") || !strcmp(arg, "y") || !strcmp(arg, "z")) *ax = arg[0] - 'x';
  else return cli_bad(cmd, "--%s: expected random, x, y or z, got '%s'", opt, arg), 0;
  return 1;
}

/* --env-defects NAME[:COUNT],...: further defects per environment. */
static int parse_env_defects(const char *cmd, const char *opt, const char *arg, void *field) {
  neb_env_opts *eo = field;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", arg);
  eo->nextra = 0;
  for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    char *colon = strchr(t, ':');
    long long cnt = 1;
    if (colon) *colon = 0;
    ionkmc_defect_kind dk;
    if (ionkmc_defect_parse(t, &dk)) return cli_bad_defect(cmd, opt, t), 0;
    if (colon && !cli_int(cmd, "env-defects count", colon + 1, 1, 32, &cnt)) return 0;
    for (long long c = 0; c < cnt; c++) {
      if (eo->nextra == 32) return cli_bad(cmd, "--%s: at most 32 defects", opt), 0;
      eo->extra[eo->nextra++] = dk;
    }
  }
  return 1;
}

static int parse_elements(const char *cmd, const char *opt, const char *arg, void *field) {
  char (*el)[IONKMC_ATOMS_SYMLEN] = field;
  if (sscanf(arg, "%3[A-Za-z],%3[A-Za-z],%3[A-Za-z]", el[0], el[1], el[2]) != 3)
    return cli_bad(cmd, "--%s: expected A,B,X element symbols, got '%s'", opt, arg), 0;
  return 1;
}

static void show_elements(const void *field, char *buf, size_t n) {
  const char (*el)[IONKMC_ATOMS_SYMLEN] = field;
  snprintf(buf, n, "%s,%s,%s", el[0], el[1], el[2]);
}

/* --T LIST: the lattice constants a(T) of the embedded catalog's lattice model. */
static int parse_temps(const char *cmd, const char *opt, const char *arg, void *field) {
  cli_range_arg *r = field;
  if (!cli_parse_range(cmd, opt, arg, r)) return 0;
  ionkmc_acell_model am = ionkmc_acell_default();
  for (int j = 0; j < r->n; j++) {
    if (!(r->v[j] > 0)) return cli_bad(cmd, "--%s: %g K is not a positive temperature", opt, r->v[j]), 0;
    r->v[j] = ionkmc_acell_eval(&am, r->v[j]);
  }
  return 1;
}

#define S neb_opts
#define POS(nm, fld, mt, wh, un, hl) CLI_OPT_REAL(nm, fld, mt, 0, 0, CLI_GT | CLI_NOHI, wh, un, hl)
static const cli_option OPTS[] = {
    {.name = "model", .kind = CLI_STR, .off = offsetof(S, model), .meta = "FILE", .def = "required",
     .help = "deployed NequIP/Allegro model (.pth)"},
    CLI_OPT_STR("defect", defect, "NAME",
                "V_I+ (an X vacancy: the X at (0,1/2,0) hops into (1/2,0,0), a/sqrt2) or V_MA- / V_MA0 / V_A (an "
                "A vacancy: the A of the next cell along x hops in, a) or I_I- (a Pb-X2-Pb double bridge along y "
                "at (1/2,0,0): one X hops to (0,1/2,0) and forms one along z there)"),
    {.name = "elements", .kind = CLI_CUSTOM, .off = offsetof(S, elems), .meta = "A,B,X", .parse = parse_elements,
     .show = show_elements, .help = "the cell's elements"},
    CLI_OPT_STR("a-site", bo.a_site, "SPEC",
                "build the cell with `ionkmc structure`'s builder instead: A site MA (whole CH3NH3 "
                "molecules), Cs, FA or a mixture 'MA=0.5,Cs=0.5'; every kind: @DEFECTS@ (the defect on "
                "site 0 of its sublattice hops to its first neighbour site)"),
    {.name = "ma-axis", .kind = CLI_CUSTOM, .off = offsetof(S, bo.ma_axis), .meta = "AX", .parse = parse_ma_axis,
     .def = "random", .help = "with --a-site: random, x, y or z C-N axes"},
    CLI_OPT_INT("seed", build_seed, "S", 0, 4294967295LL, "with --a-site: the builder's seed (MA axes, mixtures)"),
    CLI_OPT_INT("size", L, "L", 2, 20, "cells per edge"),
    CLI_OPT_CUSTOM("a", a, "LIST", cli_parse_range, "6.37",
                   "lattice constant(s) in angstrom, 'x' or 'x,y,z' or 'lo:hi:step'; with several, also dEb/da "
                   "from a straight-line fit"),
    CLI_OPT_CUSTOM("T", a, "LIST", parse_temps, NULL,
                   "temperatures instead: a = a(T) of the embedded catalog's lattice model (the paper's MAPbI3 "
                   "fit)"),
    CLI_OPT_STR("initial", ini, "FILE", "the user's initial structure (extxyz, LAMMPS data, POSCAR) ..."),
    CLI_OPT_STR("final", fin, "FILE", "... and final one: the same atoms in the same order"),
    {.name = "format", .kind = CLI_STR, .off = offsetof(S, format), .meta = "F", .def = "auto",
     .help = "their format: auto, extxyz, lammps, poscar"},
    CLI_OPT_INT32("images", np.nimages, "N", 3, 64, "NEB images including the end points"),
    POS("k", np.neb.k_spring, "K", "a spring constant", "eV/A^2", "spring constant, eV/A^2"),
    POS("ftol", np.neb.ftol, "F", "a force", "eV/A", "NEB force tolerance, eV/A"),
    POS("relax-ftol", np.fire.ftol, "F", "a force", "eV/A", "end-point relaxation tolerance, eV/A"),
    CLI_OPT_INT32("max-iter", np.neb.max_iter, "N", 1, 1000000, "NEB iterations"),
    CLI_OPT_FLAG("no-climb", np.neb.climb, 0, "plain NEB (no climbing image)"),
    CLI_OPT_FLAG("no-relax", np.relax, 0, "take the end points as they are"),
    CLI_OPT_FLAG("prefactor", prefactor, 1,
                 "harmonic (Vineyard) prefactor from finite-difference Hessians of the atoms within --radius of "
                 "the mover at the initial state and at the climbing image"),
    POS("radius", radius, "R", "a length", "angstrom", "Hessian radius, angstrom"),
    CLI_OPT_STR("device", device, "D", "cpu, cuda, cuda:N"),
    {.name = "environments", .kind = CLI_INT, .off = offsetof(S, eo.n), .meta = "N", .lo = 1, .hi = 100000,
     .flags = CLI_I32 | CLI_NODEF,
     .help = "the hop in N independently sampled environments instead: the atoms beyond --env-radius of the "
             "hop midpoint displaced by N(0, sigma^2) per component and held fixed, and --env-vacancies extra X "
             "vacancies on random X sites; Philox stream (seed, index)"},
    CLI_OPT_REAL("env-sigma", eo.sigma, "S", 0, 1, CLI_LT, "a displacement", "angstrom",
                 "static displacement, angstrom"),
    CLI_OPT_STR("env-snapshots", bo.snapshots, "F",
                "with --a-site: the hop built on N evenly spaced frames of F, an MD trajectory (LAMMPS "
                "dump sorted by id, extxyz) of the defect-free cell that `ionkmc structure` writes for the "
                "same --a-site, --size, --seed; a from each frame; the far atoms at the frame's positions"),
    {.name = "env-defects", .kind = CLI_CUSTOM, .off = offsetof(S, eo), .meta = "L", .parse = parse_env_defects,
     .flags = CLI_NODEF,
     .help = "with --a-site: further defects NAME[:COUNT],... (e.g. V_MA0:2,I_I-) on random free sites that "
             "the hop does not use, per environment"},
    POS("env-radius", eo.radius, "R", "a length", "angstrom", "radius of the free atoms, angstrom"),
    CLI_OPT_INT32("env-vacancies", eo.vacancies, "K", 0, 64, "extra X vacancies per environment"),
    CLI_OPT_INT("env-seed", env_seed, "S", 0, 4294967295LL, "seed of the environments"),
    CLI_OPT_FLAG("env-gaussian", eo.gaussian, 1,
                 "catalog entry: mean barrier with disorder_sigma = SD, instead of the sampled provider (rate = nu "
                 "<exp(-Eb_j/kT)>_j, annealed)"),
    CLI_OPT_STR("table", eo.table, "FILE",
                "CSV of (descriptor, Eb, nu) rows in the torch barrier model's descriptor (what "
                "examples/torch_barrier/train.py reads)"),
    CLI_OPT_STR("band", band, "FILE",
                "the converged band as extxyz (energy=, forces), one frame per image: what `ionkmc calibrate "
                "--neb` reads (one lattice constant only)"),
    CLI_OPT_STR("json", json, "FILE", "results as JSON ('-' for stdout, instead of the summary lines)"),
    CLI_OPT_STR("catalog-out", catalog_out, "FILE",
                "a catalog (ionkmc-catalog/1) whose entry for the defect holds Eb at a_ref (the middle lattice "
                "constant), dEb_da (several a) and nu (the Vineyard prefactor with --prefactor, else --nu)"),
    CLI_OPT_ALIAS("catalog", "catalog-out"),
    {.name = "nu", .kind = CLI_REAL, .off = offsetof(S, nu), .meta = "NU", .flags = CLI_GT | CLI_NOHI,
     .what = "a frequency", .unit = "1/s", .help = "prefactor for --catalog-out without --prefactor, 1/s"},
};
#undef POS
#undef S

const cli_command CLI_CMD_NEB = {"neb", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(neb_opts), neb_defaults, NULL};

static json_t *vineyard_json(const ionkmc_vineyard_result *r) {
  return json_pack("{s:f,s:f,s:i,s:f,s:f,s:f,s:f,s:s}", "nu_per_s", r->nu, "log_nu", r->log_nu, "active_atoms",
                   r->n_active, "radius_A", r->radius, "fd_step_A", r->h, "lowest_frequency_min_per_s",
                   r->f_min_lowest, "imaginary_frequency_per_s", r->f_imag, "what",
                   "Vineyard: prod f_min / prod' f_saddle over the atoms within radius of the mover, others fixed");
}

typedef struct {
  double a, Ef, Er, dE, nu;
  int has_nu;
} neb_point;

static json_t *band_json(const ionkmc_mlff_band *b, double a, const ionkmc_vineyard_result *vy) {
  json_t *E = json_array();
  for (int m = 0; m < b->nimages; m++) json_array_append_new(E, json_real(b->E[m] - b->E[0]));
  json_t *o = json_object();
  if (isfinite(a)) json_object_set_new(o, "a_A", json_real(a));
  json_object_set_new(o, "Ef_eV", json_real(b->res.Ef));
  json_object_set_new(o, "Er_eV", json_real(b->res.Er));
  json_object_set_new(o, "dE_eV", json_real(b->res.dE));
  json_object_set_new(o, "E_initial_eV", json_real(b->E[0]));
  json_object_set_new(o, "images_E_minus_E0_eV", E);
  json_object_set_new(o, "saddle_image", json_integer(b->res.saddle));
  json_object_set_new(o, "climbing_image", b->res.climber >= 0 ? json_integer(b->res.climber) : json_null());
  json_object_set_new(o, "converged", json_boolean(b->res.converged));
  json_object_set_new(o, "iterations", json_integer(b->res.iterations));
  json_object_set_new(o, "fmax_eV_per_A", json_real(b->res.fmax));
  json_object_set_new(o, "hop_length_A", json_real(b->hop_length));
  json_object_set_new(o, "mover_atom", json_integer(b->mover + 1));
  json_t *rl = json_array();
  for (int e = 0; e < 2; e++)
    json_array_append_new(rl, json_pack("{s:b,s:i,s:f}", "converged", b->relax[e].converged, "iterations",
                                        b->relax[e].iterations, "fmax_eV_per_A", b->relax[e].fmax));
  json_object_set_new(o, "relaxation", rl);
  if (vy) json_object_set_new(o, "prefactor", vineyard_json(vy));
  return o;
}

/* Straight-line fit y = c0 + c1 (a - a_ref): slope and its standard error
 * from the residuals (n > 2; NaN error for n = 2). */
static void line_fit(int n, const double *x, const double *y, double xref, double *c0, double *c1, double *se) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < n; i++) {
    double u = x[i] - xref;
    sx += u, sy += y[i], sxx += u * u, sxy += u * y[i];
  }
  double det = n * sxx - sx * sx;
  *c1 = (n * sxy - sx * sy) / det;
  *c0 = (sy - *c1 * sx) / n;
  *se = NAN;
  if (n > 2) {
    double rss = 0;
    for (int i = 0; i < n; i++) {
      double r = y[i] - *c0 - *c1 * (x[i] - xref);
      rss += r * r;
    }
    *se = sqrt(rss / (n - 2) * n / det);
  }
}

/* Write a catalog holding the one entry ent (consumed) to path, through the
 * catalog parser, so the file is one that run accepts. 0 or the exit status. */
static int write_catalog(const char *cmd, const char *path, json_t *ent) {
  json_t *cat = json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s},s:[o]}", "schema", "ionkmc-catalog/1", "name", "ionkmc neb",
                          "units", "Eb", "eV", "nu", "1/s per path", "a", "angstrom", "dEb_da", "eV/angstrom",
                          "entries", ent);
  char *text = cat ? json_dumps(cat, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) : NULL;
  json_decref(cat);
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *c = text ? ionkmc_catalog_alloc_string(text, path, &err, &st) : NULL;
  int code = 0;
  if (!c || ionkmc_catalog_save(c, path, &err)) code = cli_fail(cmd, "--catalog-out %s: %s", path, text ? err.text : "out of memory");
  ionkmc_catalog_free(c);
  free(text);
  return code;
}

static int neb_main(neb_opts *o, int argc, char **argv);

int cmd_neb(int argc, char **argv) {
  neb_opts o;
  cli_given g;
  int code = cli_parse(&CLI_CMD_NEB, argc, argv, 2, &o, &g);
  if (!code) o.sigma_given = cli_was_given(&CLI_CMD_NEB, g, "env-sigma");
  if (code) {
    cli_range_free(&o.a);
    return code < 0 ? 0 : code;
  }
  return neb_main(&o, argc, argv);
}

/* The bands, from the parsed options (the lattice constants become the body's). */
static int neb_main(neb_opts *o, int argc, char **argv) {
  const char *cmd = "neb";
  const char *model = o->model, *defect = o->defect, *ini_path = o->ini, *fin_path = o->fin, *format = o->format;
  const char *device = o->device, *band_path = o->band, *json_path = o->json, *cat_path = o->catalog_out;
  char elems[3][IONKMC_ATOMS_SYMLEN];
  memcpy(elems, o->elems, sizeof elems);
  double *alist = o->a.v, nu_user = o->nu, radius = o->radius;
  int na = o->a.n, prefactor = o->prefactor, code = 0;
  long long L = o->L;
  ionkmc_mlff_neb_params np = o->np;
  neb_env_opts eo = o->eo;
  eo.seed = (uint64_t)o->env_seed;
  neb_build_opts bo = o->bo;
  bo.seed = (uint64_t)o->build_seed;
  int sigma_given = o->sigma_given;
  ionkmc_hop_mech mech = IONKMC_HOP_V_X;
  ionkmc_defect_kind kind = IONKMC_V_I;
  if (!model) code = cli_bad(cmd, "--model FILE is required");
  else if (!defect && !(ini_path && fin_path))
    code = cli_bad(cmd, "give --defect NAME, or --initial FILE and --final FILE");
  else if (defect && (ini_path || fin_path)) code = cli_bad(cmd, "--defect and --initial/--final exclude each other");
  else if (defect && ionkmc_hop_mech_parse(defect, &mech) && ionkmc_defect_parse(defect, &kind))
    code = cli_bad(cmd, "--defect: expected V_I+, I_I-, %sV_MA-, V_MA0 (or V_X, I_X, V_A), got '%s'",
                   bo.a_site ? "I_MA+, I_MA0, " : "", defect);
  else if (defect && !bo.a_site && ionkmc_hop_mech_parse(defect, &mech))
    code = cli_bad(cmd, "--defect %s: the built-in point-cation cells have no A-site interstitial; give --a-site "
                        "(MA, Cs, ...) to build the hop with the ionkmc structure builder", defect);
  else if (bo.a_site && ini_path) code = cli_bad(cmd, "--a-site builds the cells; it excludes --initial/--final");
  else if (!bo.a_site && (bo.ma_axis != -1 || bo.seed != 1 || bo.snapshots || eo.nextra))
    code = cli_bad(cmd, "--ma-axis, --seed, --env-snapshots and --env-defects need --a-site (the structure builder's cells)");
  else if (eo.nextra && !eo.n) code = cli_bad(cmd, "--env-defects needs --environments N");
  else if (bo.snapshots && (!eo.n || na > 0))
    code = cli_bad(cmd, "--env-snapshots needs --environments N and takes a from each frame (no --a / --T)");
  else if (ini_path && na > 0) code = cli_bad(cmd, "--a applies to --defect cells, not to --initial/--final");
  else if (band_path && na > 1) code = cli_bad(cmd, "--band takes one lattice constant (got %d)", na);
  else if (cat_path && !prefactor && !(nu_user > 0))
    code = cli_bad(cmd, "--catalog-out needs a prefactor: --prefactor or --nu NU");
  else if (cat_path && !defect) code = cli_bad(cmd, "--catalog-out needs --defect (the entry's defect)");
  else if (eo.n && (!defect || na > 1 || band_path))
    code = cli_bad(cmd, "--environments needs --defect and one lattice constant, and writes no --band");
  else if (!eo.n && (eo.table || eo.gaussian)) code = cli_bad(cmd, "--table and --env-gaussian need --environments");
  if (!code && defect) {
    if (bo.snapshots && !sigma_given) eo.sigma = 0; /* the frames are the disorder */
    if (ionkmc_defect_parse(defect, &kind))
      kind = mech == IONKMC_HOP_V_X ? IONKMC_V_I : mech == IONKMC_HOP_I_X ? IONKMC_I_I : IONKMC_V_MA_0;
    for (int j = 0; j < na; j++)
      if (!(alist[j] >= 3 && alist[j] <= 10)) code = cli_bad(cmd, "--a: %g angstrom is outside 3..10", alist[j]);
  }
  if (code) return free(alist), code;
  if (!na && defect) {
    alist = malloc(sizeof *alist);
    alist[0] = 6.37;
    na = 1;
  }
  ionkmc_outfile *of_json = NULL, *of_band = NULL;
  ionkmc_atoms *ini = NULL, *fin = NULL;
  ionkmc_mlff *m = NULL;
  json_t *doc = json_object(), *points = json_array();
  neb_point *pt = calloc((size_t)(na ? na : 1), sizeof *pt);
  ionkmc_error err;
  if ((code = cli_open(cmd, "json", json_path, &of_json)) || (code = cli_open(cmd, "band", band_path, &of_band)))
    goto done;
  if (ini_path) {
    if (!(ini = mlff_cli_structure(cmd, "initial", ini_path, format, &code)) ||
        !(fin = mlff_cli_structure(cmd, "final", fin_path, format, &code)))
      goto done;
  }
  if (!(m = mlff_cli_model(cmd, model, device, &code))) goto done;
  if (eo.n) {
    eo.prefactor = prefactor;
    eo.pref_radius = radius;
    json_t *ent = NULL;
    const int q = json_path && !strcmp(json_path, "-");
    if ((code = neb_environments(cmd, m, (const char(*)[4])elems, (int)L, alist[0], mech, kind, &bo, &np, &eo,
                                 nu_user, q, doc, cat_path ? &ent : NULL)))
      goto done;
    json_object_set_new(doc, "defect", json_string(ionkmc_defect_name(kind)));
    json_object_set_new(doc, "a_A", bo.snapshots ? json_null() : json_real(alist[0])); /* snapshots: per row */
    json_object_set_new(doc, "model", mlff_cli_meta_json(m, model));
    if (ent) {
      char prov[768], cellw[256];
      if (bo.snapshots)
        snprintf(cellw, sizeof cellw, "on evenly spaced frames of the MD trajectory %s of the %lldx%lldx%lld "
                 "A=%s %s%s3 cell of the structure builder (seed %llu), a from each frame", bo.snapshots, L, L, L,
                 bo.a_site, elems[1], elems[2], (unsigned long long)bo.seed);
      else if (bo.a_site)
        snprintf(cellw, sizeof cellw, "in %lldx%lldx%lld A=%s %s%s3 cells of the structure builder, a builder seed "
                 "per environment (seeded MA orientations), a = %g A", L, L, L, bo.a_site, elems[1], elems[2], alist[0]);
      else
        snprintf(cellw, sizeof cellw, "in %lldx%lldx%lld %s%s%s3 cells, a = %g A", L, L, L, elems[0], elems[1],
                 elems[2], alist[0]);
      snprintf(prov, sizeof prov,
               "CI-NEB with the MLFF %s in %d sampled environments (%s, sigma %g A beyond %g A, %d extra vacancies, "
               "seed %llu); nu %s",
               model, eo.n, cellw, eo.sigma, eo.radius, eo.vacancies, (unsigned long long)eo.seed,
               prefactor ? "geometric mean of the Vineyard prefactors" : "given by --nu");
      json_object_set_new(ent, "provenance", json_string(prov));
      if ((code = write_catalog(cmd, cat_path, ent))) goto done;
    }
    if (of_json) code = cli_commit_json(cmd, doc, &of_json, 10);
    goto done;
  }
  int npts = ini_path ? 1 : na;
  const int quiet_stdout = json_path && !strcmp(json_path, "-"); /* stdout holds the JSON */
  for (int p = 0; p < npts; p++) {
    int mover;
    if (!ini_path) {
      ionkmc_atoms_free(ini);
      ionkmc_atoms_free(fin);
      if (bo.a_site) {
        ionkmc_structure_spec sp = neb_struct_spec(&bo, (const char(*)[4])elems, (int)L, alist[p], kind);
        neb_struct_info info;
        if (neb_struct_hop(&sp, NULL, &ini, &fin, &info, &err)) {
          code = cli_bad(cmd, "%s", err.text);
          goto done;
        }
      } else if (ionkmc_hopcell_build(elems[0], elems[1], elems[2], (int)L, alist[p], mech, &ini, &fin, &mover,
                                      &err)) {
        code = cli_bad(cmd, "%s", err.text);
        goto done;
      }
    }
    ionkmc_mlff_band *b = NULL;
    ionkmc_status st = ionkmc_mlff_neb(m, ini, fin, &np, &b, &err);
    if (st) {
      code = mlff_cli_exit(st);
      fprintf(stderr, "ionkmc %s: %s\n", cmd, err.text);
      goto done;
    }
    ionkmc_vineyard_result vy;
    int have_vy = 0;
    if (prefactor) {
      if ((st = ionkmc_vineyard_band(m, ini, b, radius, &vy, &err))) {
        ionkmc_mlff_band_free(b);
        code = mlff_cli_exit(st);
        fprintf(stderr, "ionkmc %s: prefactor: %s\n", cmd, err.text);
        goto done;
      }
      have_vy = 1;
    }
    pt[p] = (neb_point){ini_path ? NAN : alist[p], b->res.Ef, b->res.Er, b->res.dE, have_vy ? vy.nu : NAN, have_vy};
    json_array_append_new(points, band_json(b, pt[p].a, have_vy ? &vy : NULL));
    if (!quiet_stdout) printf("%s a = %.4f A: Ef = %.4f eV, Er = %.4f eV, dE = %+.4f eV (%d images, %s after %d iterations, "
           "fmax %.3g eV/A)%s",
           defect ? defect : "hop", pt[p].a, b->res.Ef, b->res.Er, b->res.dE, b->nimages,
           b->res.converged ? "converged" : "NOT converged", b->res.iterations, b->res.fmax, have_vy ? "" : "\n");
    if (have_vy && !quiet_stdout) printf(", nu = %.4g 1/s\n", vy.nu);
    if (of_band && (st = ionkmc_mlff_band_write(ionkmc_outfile_stream(of_band), b, ini, &err))) {
      ionkmc_mlff_band_free(b);
      code = cli_fail(cmd, "%s", err.text);
      goto done;
    }
    ionkmc_mlff_band_free(b);
  }
  json_object_set_new(doc, "defect", defect ? json_string(ionkmc_defect_name(kind)) : json_null());
  json_object_set_new(doc, "model", mlff_cli_meta_json(m, model));
  json_object_set_new(doc, "points", points);
  points = NULL;
  double a_ref = npts > 0 && !ini_path ? alist[npts / 2] : NAN, Eb_ref = pt[npts / 2].Ef, slope = 0, se = NAN;
  if (npts >= 2) {
    double *y = malloc((size_t)npts * sizeof *y), c0;
    for (int p = 0; p < npts; p++) y[p] = pt[p].Ef;
    line_fit(npts, alist, y, a_ref, &c0, &slope, &se);
    free(y);
    json_object_set_new(doc, "dEb_da",
                        json_pack("{s:f,s:o,s:f,s:f,s:s}", "value_eV_per_A", slope, "se_eV_per_A",
                                  isfinite(se) ? json_real(se) : json_null(), "a_ref_A", a_ref, "Eb_fit_at_a_ref_eV",
                                  c0, "what", "straight-line fit of the forward barrier over the --a values; se "
                                              "from the fit residuals (null with two points)"));
    if (!quiet_stdout) printf("dEb/da = %.4f eV/A (se %.2g, straight-line fit over %d lattice constants)\n", slope, se, npts);
  }
  json_object_set_new(doc, "units", json_pack("{s:s,s:s,s:s}", "energy", "eV", "length", "angstrom", "nu", "1/s"));
  if (cat_path) {
    double nu = prefactor ? pt[npts / 2].nu : nu_user;
    char prov[512];
    snprintf(prov, sizeof prov,
             "CI-NEB with the MLFF %s in a %lldx%lldx%lld %s%s%s3 cell, a = %g A%s; nu %s", model, L, L, L, elems[0],
             elems[1], elems[2], a_ref, npts >= 2 ? ", dEb/da fitted over the --a values" : "",
             prefactor ? "harmonic (Vineyard)" : "given by --nu");
    json_t *ent = json_pack("{s:s,s:s,s:s,s:f,s:f,s:s,s:s}", "defect", ionkmc_defect_name(kind), "mechanism",
                            ionkmc_defect_mechanism(kind), "provider", "constant", "Eb", Eb_ref, "nu", nu, "source",
                            "neb", "provenance", prov);
    if (npts >= 2) {
      json_object_set_new(ent, "a_ref", json_real(a_ref));
      json_object_set_new(ent, "dEb_da", json_real(slope));
      if (isfinite(se)) json_object_set_new(ent, "dEb_da_se", json_real(se));
    }
    if ((code = write_catalog(cmd, cat_path, ent))) goto done;
  }
  if (of_band && (code = cli_commit(cmd, &of_band))) goto done;
  if (of_json) code = cli_commit_json(cmd, doc, &of_json, 10);
done:
  ionkmc_outfile_abort(of_json);
  ionkmc_outfile_abort(of_band);
  json_decref(doc);
  json_decref(points);
  free(pt);
  free(alist);
  ionkmc_atoms_free(ini);
  ionkmc_atoms_free(fin);
  ionkmc_mlff_free(m);
  return code;
}
