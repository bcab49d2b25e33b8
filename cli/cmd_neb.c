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
#include "cli/mlff_cli.h"
#include "cli/neb_env.h"
#include "events/defects.h"

static const char *HELP =
    "usage: ionkmc neb --model FILE (--defect NAME | --initial FILE --final FILE) [options]\n"
    "\n"
    "Barrier of one hop on the potential-energy surface of a deployed NequIP/Allegro\n"
    "model: both end points relaxed with FIRE (atoms only, fixed cell), then CI-NEB\n"
    "(improved tangent, climbing image, FIRE) on a straight initial band. Prints and\n"
    "writes the forward and reverse barriers and dE = E(final) - E(initial).\n"
    "\n"
    "end points:\n"
    "  --defect NAME     V_I+ (an X vacancy: the X at (0,1/2,0) hops into (1/2,0,0),\n"
    "                    a/sqrt2) or V_MA- / V_MA0 / V_A (an A vacancy: the A of the\n"
    "                    next cell along x hops in, a) or I_I- (a Pb-X2-Pb double bridge\n"
    "                    along y at (1/2,0,0): one X hops to (0,1/2,0) and forms one along\n"
    "                    z there), built in an ABX3 cell with a point A cation\n"
    "  --a-site SPEC     build the cell with `ionkmc structure`'s builder instead: A site\n"
    "                    MA (whole CH3NH3 molecules), Cs, FA or a mixture 'MA=0.5,Cs=0.5';\n"
    "                    every kind: V_I+, I_I-, I_MA+, I_MA0, V_MA-, V_MA0 (the defect on\n"
    "                    site 0 of its sublattice hops to its first neighbour site)\n"
    "  --ma-axis AX      with --a-site: random (default), x, y or z C-N axes\n"
    "  --seed S          with --a-site: the builder's seed (MA axes, mixtures; default 1)\n"
    "  --elements A,B,X  the cell's elements (default Cs,Pb,I; with --a-site B and X)\n"
    "  --size L          cells per edge (default 2)\n"
    "  --a LIST          lattice constant(s) in angstrom, 'x' or 'x,y,z' or 'lo:hi:step'\n"
    "                    (default 6.37); with several, also dEb/da from a straight-line fit\n"
    "  --T LIST          temperatures instead: a = a(T) of the embedded catalog's lattice\n"
    "                    model (the paper's MAPbI3 fit, 6.354 A + 2.3e-4 A/K (T - 500 K))\n"
    "  --initial FILE    the user's initial structure (extxyz, LAMMPS data, POSCAR) ...\n"
    "  --final FILE      ... and final one: the same atoms in the same order\n"
    "  --format F        their format: auto (default), extxyz, lammps, poscar\n"
    "\n"
    "NEB:\n"
    "  --images N        images including the end points (default 7)\n"
    "  --k K             spring constant, eV/A^2 (default 1.0)\n"
    "  --ftol F          NEB force tolerance, eV/A (default 0.01)\n"
    "  --relax-ftol F    end-point relaxation tolerance, eV/A (default 0.005)\n"
    "  --max-iter N      NEB iterations (default 3000)\n"
    "  --no-climb        plain NEB (no climbing image)\n"
    "  --no-relax        take the end points as they are\n"
    "  --prefactor       harmonic (Vineyard) prefactor from finite-difference Hessians\n"
    "                    of the atoms within --radius of the mover at the initial state\n"
    "                    and at the climbing image\n"
    "  --radius R        Hessian radius, angstrom (default 4.5)\n"
    "  --device D        cpu (default), cuda, cuda:N\n"
    "\n"
    "environments (with --defect and one lattice constant):\n"
    "  --environments N  the hop in N independently sampled environments instead: the\n"
    "                    atoms beyond --env-radius of the hop midpoint displaced by\n"
    "                    N(0, sigma^2) per component and held fixed, and --env-vacancies\n"
    "                    extra X vacancies on random X sites; Philox stream (seed, index)\n"
    "                    With --a-site each environment is a cell of its own builder seed\n"
    "                    (drawn from that stream): seeded MA orientations.\n"
    "  --env-snapshots F with --a-site: the hop built on N evenly spaced frames of F, an\n"
    "                    MD trajectory (LAMMPS dump sorted by id, extxyz) of the defect-free\n"
    "                    cell that `ionkmc structure` writes for the same --a-site, --size,\n"
    "                    --seed; a from each frame; the far atoms at the frame's positions\n"
    "  --env-sigma S     static displacement, angstrom (default 0.05; 0 with snapshots)\n"
    "  --env-radius R    angstrom (default 4.5)\n"
    "  --env-vacancies K extra X vacancies per environment (default 0)\n"
    "  --env-defects L   with --a-site: further defects NAME[:COUNT],... (e.g. V_MA0:2,I_I-)\n"
    "                    on random free sites that the hop does not use, per environment\n"
    "  --env-seed S      seed (default 1)\n"
    "  --env-gaussian    catalog entry: mean barrier with disorder_sigma = SD, instead of\n"
    "                    the sampled provider (rate = nu <exp(-Eb_j/kT)>_j, annealed)\n"
    "  --table FILE      CSV of (descriptor, Eb, nu) rows in the torch barrier model's\n"
    "                    descriptor (what examples/torch_barrier/train.py reads)\n"
    "\n"
    "output:\n"
    "  --band FILE       the converged band as extxyz (energy=, forces), one frame per\n"
    "                    image: what `ionkmc calibrate --neb` reads (one lattice constant only)\n"
    "  --json OUT        results as JSON ('-' = stdout, instead of the summary lines)\n"
    "  --catalog OUT     a catalog (ionkmc-catalog/1) whose entry for the defect holds\n"
    "                    Eb at a_ref (the middle lattice constant), dEb_da (several a) and\n"
    "                    nu (the Vineyard prefactor with --prefactor, else --nu)\n"
    "  --nu NU           prefactor for --catalog without --prefactor, 1/s\n";

enum { O_MODEL, O_DEFECT, O_ELEM, O_SIZE, O_A, O_INI, O_FIN, O_FORMAT, O_IMAGES, O_K, O_FTOL, O_RFTOL,
       O_MAXIT, O_TLIST, O_NOCLIMB, O_NORELAX, O_PREF, O_RADIUS, O_DEVICE, O_BAND, O_JSON, O_CAT, O_NU, O_ENV,
       O_ESIG, O_ERAD, O_EVAC, O_ESEED, O_EGAUSS, O_TABLE, O_ASITE, O_MAAXIS, O_SEED, O_ESNAP, O_EDEF, O_N };
static const cli_opt OPTS[O_N] = {
    {"model", 1},     {"defect", 1},     {"elements", 1}, {"size", 1},     {"a", 1},        {"initial", 1},
    {"final", 1},     {"format", 1},     {"images", 1},   {"k", 1},        {"ftol", 1},     {"relax-ftol", 1},
    {"max-iter", 1},  {"T", 1},        {"no-climb", 0},   {"no-relax", 0}, {"prefactor", 0}, {"radius", 1},  {"device", 1},
    {"band", 1},      {"json", 1},       {"catalog", 1},  {"nu", 1},       {"environments", 1},
    {"env-sigma", 1}, {"env-radius", 1}, {"env-vacancies", 1}, {"env-seed", 1}, {"env-gaussian", 0},
    {"table", 1},     {"a-site", 1},     {"ma-axis", 1},  {"seed", 1},     {"env-snapshots", 1},
    {"env-defects", 1}};

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
  if (!c || ionkmc_catalog_save(c, path, &err)) code = cli_fail(cmd, "--catalog %s: %s", path, text ? err.text : "out of memory");
  ionkmc_catalog_free(c);
  free(text);
  return code;
}

int cmd_neb(int argc, char **argv) {
  const char *cmd = "neb";
  const char *model = NULL, *defect = NULL, *ini_path = NULL, *fin_path = NULL, *format = NULL, *device = "cpu";
  const char *band_path = NULL, *json_path = NULL, *cat_path = NULL, *arg;
  char elems[3][IONKMC_ATOMS_SYMLEN] = {"Cs", "Pb", "I"};
  double *alist = NULL, nu_user = NAN, radius = 4.5;
  int na = 0, prefactor = 0, code = 0, i = 2, k;
  long long L = 2, v;
  ionkmc_mlff_neb_params np = ionkmc_mlff_neb_params_default();
  neb_env_opts eo = {0, 1, 0.05, 4.5, 0, 0, NULL, 0, 4.5, 0, {0}};
  neb_build_opts bo = {NULL, -1, 1, NULL};
  int sigma_given = 0;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    if (k == -2) return free(alist), EXIT_BAD_INPUT;
    if (k == -3) return fputs(HELP, stdout), free(alist), 0;
    switch (k) {
    case O_MODEL: model = arg; break;
    case O_DEFECT: defect = arg; break;
    case O_ELEM:
      if (sscanf(arg, "%3[A-Za-z],%3[A-Za-z],%3[A-Za-z]", elems[0], elems[1], elems[2]) != 3)
        return free(alist), cli_bad(cmd, "--elements: expected A,B,X element symbols, got '%s'", arg);
      break;
    case O_SIZE:
      if (!cli_int(cmd, "size", arg, 2, 20, &L)) return free(alist), EXIT_BAD_INPUT;
      break;
    case O_A:
      free(alist);
      if (!(na = cli_range(cmd, "a", arg, &alist))) return EXIT_BAD_INPUT;
      break;
    case O_TLIST: {
      free(alist);
      if (!(na = cli_range(cmd, "T", arg, &alist))) return EXIT_BAD_INPUT;
      ionkmc_acell_model am = ionkmc_acell_default();
      for (int j = 0; j < na; j++) {
        if (!(alist[j] > 0)) return free(alist), cli_bad(cmd, "--T: %g K is not a positive temperature", alist[j]);
        alist[j] = ionkmc_acell_eval(&am, alist[j]);
      }
      break;
    }
    case O_INI: ini_path = arg; break;
    case O_FIN: fin_path = arg; break;
    case O_FORMAT: format = arg; break;
    case O_IMAGES:
      if (!cli_int(cmd, "images", arg, 3, 64, &v)) return free(alist), EXIT_BAD_INPUT;
      np.nimages = (int)v;
      break;
    case O_K:
      if (!cli_double(cmd, "k", arg, &np.neb.k_spring) || !(np.neb.k_spring > 0))
        return free(alist), cli_bad(cmd, "--k: expected a positive spring constant, got '%s'", arg);
      break;
    case O_FTOL:
      if (!cli_double(cmd, "ftol", arg, &np.neb.ftol) || !(np.neb.ftol > 0))
        return free(alist), cli_bad(cmd, "--ftol: expected a positive force, got '%s'", arg);
      break;
    case O_RFTOL:
      if (!cli_double(cmd, "relax-ftol", arg, &np.fire.ftol) || !(np.fire.ftol > 0))
        return free(alist), cli_bad(cmd, "--relax-ftol: expected a positive force, got '%s'", arg);
      break;
    case O_MAXIT:
      if (!cli_int(cmd, "max-iter", arg, 1, 1000000, &v)) return free(alist), EXIT_BAD_INPUT;
      np.neb.max_iter = (int)v;
      break;
    case O_NOCLIMB: np.neb.climb = 0; break;
    case O_NORELAX: np.relax = 0; break;
    case O_PREF: prefactor = 1; break;
    case O_RADIUS:
      if (!cli_double(cmd, "radius", arg, &radius) || !(radius > 0))
        return free(alist), cli_bad(cmd, "--radius: expected a positive length, got '%s'", arg);
      break;
    case O_DEVICE: device = arg; break;
    case O_BAND: band_path = arg; break;
    case O_JSON: json_path = arg; break;
    case O_CAT: cat_path = arg; break;
    case O_ENV:
      if (!cli_int(cmd, "environments", arg, 1, 100000, &v)) return free(alist), EXIT_BAD_INPUT;
      eo.n = (int)v;
      break;
    case O_ESIG:
      if (!cli_double(cmd, "env-sigma", arg, &eo.sigma) || !(eo.sigma >= 0 && eo.sigma < 1))
        return free(alist), cli_bad(cmd, "--env-sigma: expected 0 <= sigma < 1 angstrom, got '%s'", arg);
      sigma_given = 1;
      break;
    case O_ASITE: bo.a_site = arg; break;
    case O_MAAXIS:
      if (!strcmp(arg, "random")) bo.ma_axis = -1;
      else if (!strcmp(arg, "x") || !strcmp(arg, "y") || !strcmp(arg, "z")) bo.ma_axis = arg[0] - 'x';
      else return free(alist), cli_bad(cmd, "--ma-axis: expected random, x, y or z, got '%s'", arg);
      break;
    case O_SEED:
      if (!cli_int(cmd, "seed", arg, 0, 4294967295LL, &v)) return free(alist), EXIT_BAD_INPUT;
      bo.seed = (uint64_t)v;
      break;
    case O_ESNAP: bo.snapshots = arg; break;
    case O_EDEF: {
      char buf[256];
      snprintf(buf, sizeof buf, "%s", arg);
      eo.nextra = 0;
      for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':');
        long long cnt = 1;
        if (colon) *colon = 0;
        ionkmc_defect_kind dk;
        if (ionkmc_defect_parse(t, &dk))
          return free(alist), cli_bad(cmd, "--env-defects: unknown defect '%s' (expected NAME[:COUNT],... of V_I+, "
                                           "I_I-, I_MA+, I_MA0, V_MA-, V_MA0)", t);
        if (colon && !cli_int(cmd, "env-defects count", colon + 1, 1, 32, &cnt)) return free(alist), EXIT_BAD_INPUT;
        for (long long c = 0; c < cnt; c++) {
          if (eo.nextra == 32) return free(alist), cli_bad(cmd, "--env-defects: at most 32 defects");
          eo.extra[eo.nextra++] = dk;
        }
      }
      break;
    }
    case O_ERAD:
      if (!cli_double(cmd, "env-radius", arg, &eo.radius) || !(eo.radius > 0))
        return free(alist), cli_bad(cmd, "--env-radius: expected a positive length, got '%s'", arg);
      break;
    case O_EVAC:
      if (!cli_int(cmd, "env-vacancies", arg, 0, 64, &v)) return free(alist), EXIT_BAD_INPUT;
      eo.vacancies = (int)v;
      break;
    case O_ESEED:
      if (!cli_int(cmd, "env-seed", arg, 0, 4294967295LL, &v)) return free(alist), EXIT_BAD_INPUT;
      eo.seed = (uint64_t)v;
      break;
    case O_EGAUSS: eo.gaussian = 1; break;
    case O_TABLE: eo.table = arg; break;
    case O_NU:
      if (!cli_double(cmd, "nu", arg, &nu_user) || !(nu_user > 0))
        return free(alist), cli_bad(cmd, "--nu: expected a positive frequency, got '%s'", arg);
      break;
    }
  }
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
    code = cli_bad(cmd, "--catalog needs a prefactor: --prefactor or --nu NU");
  else if (cat_path && !defect) code = cli_bad(cmd, "--catalog needs --defect (the entry's defect)");
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
