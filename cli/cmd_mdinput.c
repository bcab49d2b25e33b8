/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc md-input: a calibration MD campaign for one defect, ready to run. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibration/campaign.h"
#include "calibration/mdtrack.h"
#include "cli/cli.h"

static const char *HELP =
    "usage: ionkmc md-input --defect NAME (--ff FILE | --pair allegro --model FILE) --out DIR [options]\n"
    "\n"
    "Write a complete calibration MD campaign for one defect into DIR: a structure\n"
    "and a LAMMPS input per run, run_all.sh (all runs, or run INDEX for job arrays),\n"
    "calibrate.sh (the ionkmc calibrate command line that reads every dump) and\n"
    "campaign.json (every run: T, a, cell, seeds, files). The default is the paper's\n"
    "protocol: 6x6x6 cell, 1 fs, Langevin equilibration 100 ps (damping 0.33 ps),\n"
    "Nose-Hoover NVT production 2 ns (tau 0.1 ps), 3 runs per T at T = 500:600:25 K,\n"
    "the cell fixed at the paper's NpT lattice constants a(T) (Table S3 fit), frames\n"
    "every 0.1 ps (id type element xu yu zu, gzip). At the lowest and highest T it adds\n"
    "strained runs with the cell fixed at a(T)(1 - s) and a(T)(1 + s): with them\n"
    "`calibrate --fit-a` separates the barrier's dependence on a from that on T.\n"
    "DIR must not exist or be empty; it appears whole or not at all.\n"
    "\n"
    "options:\n"
    "  --defect NAME[@SITE]  @DEFECTS@ (site: random per run)\n"
    "  --ff FILE         classical force field: a LAMMPS include file (pair_style,\n"
    "                    pair_coeff, kspace, bond styles, charges), copied into DIR;\n"
    "                    data files are atom_style full\n"
    "  --pair allegro --model FILE   pair_style allegro with the deployed model (atom_style\n"
    "                    atomic; pair_coeff * * FILE with the type names in type order)\n"
    "  --T RANGE         temperatures, a:b:step or a,b,... (default 500:600:25)\n"
    "  --runs N          runs per T at a(T), distinct seeds (default 3)\n"
    "  --size L          cells per edge (default 6)\n"
    "  --a-site S, --b-site S, --x-site S, --ma-axis D   species and MA axes (see ionkmc structure)\n"
    "  --catalog FILE    take a(T) from this catalog's lattice model (default: the paper's fit)\n"
    "  --a0 A --T0 K --dadT A/K   a(T) = a0 + dadT (T - T0) instead\n"
    "  --sizing S        lattice (default: the cell at a(T)) or npt (an NpT run of --npt-ps,\n"
    "                    default 50 ps, sizes each cell before the NVT parts)\n"
    "  --strain s        relative strain of the strained runs (default 0.01; 0: none)\n"
    "  --strain-at W     both (default), low, high: at which end of the T range\n"
    "  --strain-sign W   both (default), minus, plus\n"
    "  --strain-runs N   runs per strained cell (default: --runs)\n"
    "  --timestep FS     (default 1)\n"
    "  --h-mass M        mass of H in g/mol (e.g. 2.014 for a longer timestep; default 1.008)\n"
    "  --equil PS        Langevin equilibration (default 100)\n"
    "  --prod PS         Nose-Hoover production (default 2000)\n"
    "  --tau-langevin PS (default 0.33)   --tau-nh PS (default 0.1)\n"
    "  --dump-every PS   frame interval, at most 0.1 ps (a third of the 0.3 ps dwell; default 0.1)\n"
    "  --neb             also write, at every lattice constant of the campaign, the end points\n"
    "                    of one hop of the defect, their relaxation and the LAMMPS neb input\n"
    "                    (run_neb.sh), whose neb.log `calibrate --neb` reads\n"
    "  --neb-images N    replicas (default 7)   --neb-steps N1,N2 (default 2000,1000)\n"
    "  --seed S          campaign seed (default 1)\n"
    "  --out DIR         the campaign directory (required)\n";

enum { O_DEFECT, O_FF, O_PAIR, O_MODEL, O_T, O_RUNS, O_SIZE, O_ASITE, O_BSITE, O_XSITE, O_AXIS, O_CATALOG, O_A0,
       O_T0, O_DADT, O_SIZING, O_NPTPS, O_STRAIN, O_STRAINAT, O_STRAINSIGN, O_STRAINRUNS, O_DT, O_HMASS, O_EQUIL,
       O_PROD, O_TAUL, O_TAUNH, O_DUMP, O_NEB, O_NEBIMG, O_NEBSTEPS, O_SEED, O_OUT, O_N };
static const cli_opt OPTS[O_N] = {
    {"defect", 1},      {"ff", 1},          {"pair", 1},        {"model", 1},      {"T", 1},
    {"runs", 1},        {"size", 1},        {"a-site", 1},      {"b-site", 1},     {"x-site", 1},
    {"ma-axis", 1},     {"catalog", 1},     {"a0", 1},          {"T0", 1},         {"dadT", 1},
    {"sizing", 1},      {"npt-ps", 1},      {"strain", 1},      {"strain-at", 1},  {"strain-sign", 1},
    {"strain-runs", 1}, {"timestep", 1},    {"h-mass", 1},      {"equil", 1},      {"prod", 1},
    {"tau-langevin", 1}, {"tau-nh", 1},     {"dump-every", 1},  {"neb", 0},        {"neb-images", 1},
    {"neb-steps", 1},   {"seed", 1},        {"out", 1}};

static int positive(const char *cmd, const char *opt, const char *arg, double *out) {
  if (!cli_double(cmd, opt, arg, out)) return 0;
  if (!(*out > 0)) return cli_bad(cmd, "--%s: expected a value > 0, got '%s'", opt, arg), 0;
  return 1;
}

int cmd_mdinput(int argc, char **argv) {
  const char *cmd = "md-input";
  ionkmc_campaign_spec c = ionkmc_campaign_spec_default();
  const char *ff = NULL, *pair = NULL, *model = NULL, *catalog = NULL, *out = NULL, *arg;
  double a0 = NAN, T0 = NAN, dadT = NAN;
  int strain_runs = -1;
  long long n;
  int i = 2, k;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    switch (k) {
    case -3: return cli_help(HELP);
    case -2: return EXIT_BAD_INPUT;
    case O_DEFECT:
      if (!cli_defect_places(cmd, "defect", arg, &c.structure)) return EXIT_BAD_INPUT;
      if (c.structure.ndefects != 1) return cli_bad(cmd, "--defect: expected one defect, got '%s'", arg);
      break;
    case O_FF: ff = arg; break;
    case O_PAIR:
      if (strcmp(arg, "allegro")) return cli_bad(cmd, "--pair: expected allegro, got '%s' (or --ff FILE)", arg);
      pair = arg;
      break;
    case O_MODEL: model = arg; break;
    case O_T: {
      double *ts = NULL;
      int nt = cli_range(cmd, "T", arg, &ts);
      if (!nt) return EXIT_BAD_INPUT;
      if (nt > IONKMC_CAMPAIGN_MAXT) {
        free(ts);
        return cli_bad(cmd, "--T: at most %d temperatures", IONKMC_CAMPAIGN_MAXT);
      }
      for (int j = 0; j < nt; j++) c.T[j] = ts[j];
      c.nT = nt;
      free(ts);
      for (int j = 0; j < nt; j++)
        if (!(c.T[j] > 0)) return cli_bad(cmd, "--T: expected temperatures > 0 K, got '%s'", arg);
      break;
    }
    case O_RUNS: if (!cli_int(cmd, "runs", arg, 1, 100, &n)) return EXIT_BAD_INPUT; c.runs = (int)n; break;
    case O_SIZE: if (!cli_int(cmd, "size", arg, 2, 64, &n)) return EXIT_BAD_INPUT; c.structure.L = (int)n; break;
    case O_ASITE: c.structure.a_site = arg; break;
    case O_BSITE: c.structure.b_site = arg; break;
    case O_XSITE: c.structure.x_site = arg; break;
    case O_AXIS: if (!cli_structure_axis(cmd, arg, &c.structure.ma_axis)) return EXIT_BAD_INPUT; break;
    case O_CATALOG: catalog = arg; break;
    case O_A0:
      if (!positive(cmd, "a0", arg, &a0)) return EXIT_BAD_INPUT;
      break;
    case O_T0: if (!cli_double(cmd, "T0", arg, &T0)) return EXIT_BAD_INPUT; break;
    case O_DADT: if (!cli_double(cmd, "dadT", arg, &dadT)) return EXIT_BAD_INPUT; break;
    case O_SIZING:
      if (!strcmp(arg, "npt")) c.sizing_npt = 1;
      else if (!strcmp(arg, "lattice")) c.sizing_npt = 0;
      else return cli_bad(cmd, "--sizing: expected lattice or npt, got '%s'", arg);
      break;
    case O_NPTPS: if (!positive(cmd, "npt-ps", arg, &c.npt_ps)) return EXIT_BAD_INPUT; break;
    case O_STRAIN:
      if (!cli_double(cmd, "strain", arg, &c.strain)) return EXIT_BAD_INPUT;
      if (!(c.strain >= 0 && c.strain < 0.2)) return cli_bad(cmd, "--strain: expected 0 <= s < 0.2, got '%s'", arg);
      break;
    case O_STRAINAT:
      if (!strcmp(arg, "both")) c.strain_lo = c.strain_hi = 1;
      else if (!strcmp(arg, "low")) c.strain_lo = 1, c.strain_hi = 0;
      else if (!strcmp(arg, "high")) c.strain_lo = 0, c.strain_hi = 1;
      else return cli_bad(cmd, "--strain-at: expected both, low or high, got '%s'", arg);
      break;
    case O_STRAINSIGN:
      if (!strcmp(arg, "both")) c.strain_minus = c.strain_plus = 1;
      else if (!strcmp(arg, "minus")) c.strain_minus = 1, c.strain_plus = 0;
      else if (!strcmp(arg, "plus")) c.strain_minus = 0, c.strain_plus = 1;
      else return cli_bad(cmd, "--strain-sign: expected both, minus or plus, got '%s'", arg);
      break;
    case O_STRAINRUNS: if (!cli_int(cmd, "strain-runs", arg, 0, 100, &n)) return EXIT_BAD_INPUT; strain_runs = (int)n; break;
    case O_DT: if (!positive(cmd, "timestep", arg, &c.timestep_fs)) return EXIT_BAD_INPUT; break;
    case O_HMASS: if (!positive(cmd, "h-mass", arg, &c.h_mass)) return EXIT_BAD_INPUT; break;
    case O_EQUIL:
      if (!cli_double(cmd, "equil", arg, &c.equil_ps)) return EXIT_BAD_INPUT;
      if (!(c.equil_ps >= 0)) return cli_bad(cmd, "--equil: expected >= 0 ps, got '%s'", arg);
      break;
    case O_PROD: if (!positive(cmd, "prod", arg, &c.prod_ps)) return EXIT_BAD_INPUT; break;
    case O_TAUL: if (!positive(cmd, "tau-langevin", arg, &c.tau_langevin_ps)) return EXIT_BAD_INPUT; break;
    case O_TAUNH: if (!positive(cmd, "tau-nh", arg, &c.tau_nh_ps)) return EXIT_BAD_INPUT; break;
    case O_DUMP:
      if (!positive(cmd, "dump-every", arg, &c.dump_ps)) return EXIT_BAD_INPUT;
      if (c.dump_ps > ionkmc_hop_params_default().dwell / 3 + 1e-12)
        return cli_bad(cmd, "--dump-every: expected at most %g ps (a third of the hop detector's %g ps dwell), got '%s'",
                       ionkmc_hop_params_default().dwell / 3, ionkmc_hop_params_default().dwell, arg);
      break;
    case O_NEB: c.neb = 1; break;
    case O_NEBIMG: if (!cli_int(cmd, "neb-images", arg, 3, 64, &n)) return EXIT_BAD_INPUT; c.neb_images = (int)n; break;
    case O_NEBSTEPS: {
      char *e1, *e2;
      long s1 = strtol(arg, &e1, 10), s2 = *e1 == ',' ? strtol(e1 + 1, &e2, 10) : -1;
      if (e1 == arg || *e1 != ',' || *e2 || s1 < 1 || s2 < 0)
        return cli_bad(cmd, "--neb-steps: expected N1,N2 (N1 >= 1, N2 >= 0), got '%s'", arg);
      c.neb_steps1 = (int)s1;
      c.neb_steps2 = (int)s2;
      break;
    }
    case O_SEED: if (!cli_int(cmd, "seed", arg, 0, (long long)9e15, &n)) return EXIT_BAD_INPUT; c.seed = (uint64_t)n; break;
    case O_OUT: out = arg; break;
    }
  }
  if (c.structure.ndefects != 1) return cli_bad(cmd, "--defect: expected the defect of the campaign");
  if (!out) return cli_bad(cmd, "--out: expected the campaign directory");
  if (!ff == !pair) return cli_bad(cmd, "--ff / --pair: expected exactly one (--ff FILE or --pair allegro --model FILE)");
  if (pair && !model) return cli_bad(cmd, "--model: expected the deployed allegro model for --pair allegro");
  if (!pair && model) return cli_bad(cmd, "--model: only with --pair allegro");
  static char model_abs[4096];
  if (pair) {
    if (access(model, R_OK)) return cli_bad(cmd, "--model %s: cannot read the file", model);
    if (!realpath(model, model_abs)) return cli_bad(cmd, "--model %s: cannot resolve the path", model);
    c.pair = IONKMC_PAIR_ALLEGRO;
    c.pair_file = model_abs;
  } else {
    if (access(ff, R_OK)) return cli_bad(cmd, "--ff %s: cannot read the file", ff);
    c.pair = IONKMC_PAIR_INCLUDE;
    c.pair_file = ff;
  }
  c.strain_runs = strain_runs >= 0 ? strain_runs : c.runs;
  if (catalog) {
    int code = 0;
    ionkmc_catalog *cat = cli_catalog(cmd, catalog, &code);
    if (!cat) return code;
    c.acell = ionkmc_catalog_acell(cat);
    ionkmc_catalog_free(cat);
  }
  if (!isnan(a0)) c.acell.a0 = a0;
  if (!isnan(T0)) c.acell.T0 = T0;
  if (!isnan(dadT)) c.acell.dadT = dadT;
  for (int j = 0; j < c.nT; j++) {
    double a = ionkmc_acell_eval(&c.acell, c.T[j]);
    if (!(a >= 3 && a <= 10)) return cli_bad(cmd, "--a0/--dadT: a(%g K) = %g A, expected 3-10 A", c.T[j], a);
  }
  ionkmc_error err;
  int nruns = 0;
  ionkmc_status st = ionkmc_campaign_write(&c, out, &nruns, &err);
  if (st == IONKMC_EINVAL) return cli_bad(cmd, "%s", err.text);
  if (st == IONKMC_EIO) return cli_bad(cmd, "--out %s", err.text);
  if (st) return cli_fail(cmd, "%s", err.text);
  printf("%s: %d MD runs of %s (%dx%dx%d cells, %d temperatures%s)%s\n", out, nruns,
         ionkmc_defect_name(c.structure.defect[0].kind), c.structure.L, c.structure.L, c.structure.L, c.nT,
         c.strain > 0 ? ", strained cells at the ends" : "", c.neb ? ", NEB decks" : "");
  if (c.neb) printf("next: sh %s/run_all.sh; sh %s/run_neb.sh; sh %s/calibrate.sh\n", out, out, out);
  else printf("next: sh %s/run_all.sh; sh %s/calibrate.sh\n", out, out);
  return 0;
}
