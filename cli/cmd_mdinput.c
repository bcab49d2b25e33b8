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
#include "cli/opt.h"

static const char HEAD[] =
    "usage: ionkmc md-input --defect NAME (--ff FILE | --pair allegro --model FILE) --out DIR [options]\n"
    "\n"
    "Write a complete calibration MD campaign for one defect into DIR: a structure\n"
    "and a LAMMPS input per run, run_all.sh (all runs, or run INDEX for job arrays),\n"
    "calibrate.sh (the ionkmc calibrate command line that reads every dump) and\n"
    "campaign.json (every run: T, a, cell, seeds, files). The default is the paper's\n"
    "protocol (the defaults below): Langevin equilibration, Nose-Hoover NVT\n"
    "production, several runs per T, the cell fixed at the paper's NpT lattice\n"
    "constants a(T) (Table S3 fit), frames as id type element xu yu zu, gzip. At\n"
    "the lowest and highest T it adds\n"
    "strained runs with the cell fixed at a(T)(1 - s) and a(T)(1 + s): with them\n"
    "`calibrate --fit-a` separates the barrier's dependence on a from that on T.\n"
    "DIR must not exist or be empty; it appears whole or not at all.\n"
    "\n"
;

typedef struct {
  ionkmc_campaign_spec c;
  const char *ff, *model, *catalog, *out;
  int pair, axis, strain_at, strain_sign, strain_runs;
  double a0, T0, dadT;
  long long seed;
} mdinput_opts;

static void mdinput_defaults(void *p) {
  mdinput_opts *o = p;
  o->c = ionkmc_campaign_spec_default();
  o->pair = -1;
  o->axis = o->c.structure.ma_axis + 1;
  o->strain_runs = -1;
  o->a0 = o->T0 = o->dadT = NAN;
  o->seed = (long long)o->c.seed;
}

static int parse_defect(const char *cmd, const char *opt, const char *arg, void *field) {
  ionkmc_structure_spec *st = field;
  if (!cli_defect_places(cmd, opt, arg, st)) return 0;
  if (st->ndefects != 1) return cli_bad(cmd, "--%s: expected one defect, got '%s'", opt, arg), 0;
  return 1;
}

static int parse_temps(const char *cmd, const char *opt, const char *arg, void *field) {
  ionkmc_campaign_spec *c = (ionkmc_campaign_spec *)((char *)field - offsetof(ionkmc_campaign_spec, T));
  double *ts = NULL;
  int nt = cli_range(cmd, opt, arg, &ts);
  if (!nt) return 0;
  if (nt > IONKMC_CAMPAIGN_MAXT) {
    free(ts);
    return cli_bad(cmd, "--%s: at most %d temperatures", opt, IONKMC_CAMPAIGN_MAXT), 0;
  }
  for (int j = 0; j < nt; j++) c->T[j] = ts[j];
  c->nT = nt;
  free(ts);
  for (int j = 0; j < nt; j++)
    if (!(c->T[j] > 0)) return cli_bad(cmd, "--%s: expected temperatures > 0 K, got '%s'", opt, arg), 0;
  return 1;
}

static void show_temps(const void *field, char *buf, size_t n) {
  const ionkmc_campaign_spec *c =
      (const ionkmc_campaign_spec *)((const char *)field - offsetof(ionkmc_campaign_spec, T));
  buf[0] = 0;
  for (int j = 0; j < c->nT; j++) snprintf(buf + strlen(buf), n - strlen(buf), "%s%g", j ? "," : "", c->T[j]);
}

static int parse_neb_steps(const char *cmd, const char *opt, const char *arg, void *field) {
  int *steps = field; /* neb_steps1, neb_steps2 */
  char *e1, *e2 = NULL;
  long s1 = strtol(arg, &e1, 10), s2 = *e1 == ',' ? strtol(e1 + 1, &e2, 10) : -1;
  if (e1 == arg || *e1 != ',' || *e2 || s1 < 1 || s2 < 0)
    return cli_bad(cmd, "--%s: expected N1,N2 (N1 >= 1, N2 >= 0), got '%s'", opt, arg), 0;
  steps[0] = (int)s1;
  steps[1] = (int)s2;
  return 1;
}

static void show_neb_steps(const void *field, char *buf, size_t n) {
  const int *steps = field;
  snprintf(buf, n, "%d,%d", steps[0], steps[1]);
}

#define S mdinput_opts
#define POS(nm, fld, mt, hl) CLI_OPT_REAL(nm, fld, mt, 0, 0, CLI_GT | CLI_NOHI, "a value", NULL, hl)
static const cli_option OPTS[] = {
    {.name = "defect", .kind = CLI_CUSTOM, .off = offsetof(S, c.structure), .meta = "NAME[@SITE]",
     .parse = parse_defect, .def = "required",
     .help = "@DEFECTS@ (site: random per run)"},
    CLI_OPT_STR("ff", ff, "FILE",
                "classical force field: a LAMMPS include file (pair_style, pair_coeff, kspace, bond styles, "
                "charges), copied into DIR; data files are atom_style full"),
    CLI_OPT_CHOICE("pair", pair, "allegro",
                   "with --model FILE: pair_style allegro with the deployed model (atom_style atomic; "
                   "pair_coeff * * FILE with the type names in type order)"),
    CLI_OPT_STR("model", model, "FILE", "the deployed allegro model of --pair allegro"),
    {.name = "T", .kind = CLI_CUSTOM, .off = offsetof(S, c.T), .meta = "RANGE", .parse = parse_temps,
     .show = show_temps, .help = "temperatures, a:b:step or a,b,..."},
    CLI_OPT_INT32("runs", c.runs, "N", 1, 100, "runs per T at a(T), distinct seeds"),
    CLI_OPT_INT32("size", c.structure.L, "L", 2, 64, "cells per edge"),
    {.name = "a-site", .kind = CLI_STR, .off = offsetof(S, c.structure.a_site), .meta = "S", .def = "MA",
     .help = "A-site species (see ionkmc structure)"},
    {.name = "b-site", .kind = CLI_STR, .off = offsetof(S, c.structure.b_site), .meta = "S", .def = "Pb",
     .help = "B-site species (see ionkmc structure)"},
    {.name = "x-site", .kind = CLI_STR, .off = offsetof(S, c.structure.x_site), .meta = "S", .def = "I",
     .help = "X-site species (see ionkmc structure)"},
    CLI_OPT_CHOICE("ma-axis", axis, "random|x|y|z", "MA axes (see ionkmc structure)"),
    {.name = "catalog", .kind = CLI_STR, .off = offsetof(S, catalog), .meta = "FILE", .def = "the paper's fit",
     .help = "take a(T) from this catalog's lattice model"},
    {.name = "a0", .kind = CLI_REAL, .off = offsetof(S, a0), .meta = "A", .flags = CLI_GT | CLI_NOHI,
     .what = "a value", .help = "a(T) = a0 + dadT (T - T0) instead (with --T0, --dadT)"},
    CLI_OPT_REAL("T0", T0, "K", 0, 0, CLI_NOLO | CLI_NOHI, NULL, NULL, "reference temperature of --a0"),
    CLI_OPT_REAL("dadT", dadT, "A/K", 0, 0, CLI_NOLO | CLI_NOHI, NULL, NULL, "slope of a(T) of --a0"),
    CLI_OPT_CHOICE("sizing", c.sizing_npt, "lattice|npt",
                   "lattice: the cell at a(T); npt: an NpT run of --npt-ps sizes each cell before the NVT parts"),
    POS("npt-ps", c.npt_ps, "PS", "length of the NpT sizing run in ps"),
    CLI_OPT_REAL("strain", c.strain, "s", 0, 0.2, CLI_LT, "a strain", NULL,
                 "relative strain of the strained runs (0: none)"),
    CLI_OPT_CHOICE("strain-at", strain_at, "both|low|high", "at which end of the T range"),
    CLI_OPT_CHOICE("strain-sign", strain_sign, "both|minus|plus", "which signs of the strain"),
    {.name = "strain-runs", .kind = CLI_INT, .off = offsetof(S, strain_runs), .meta = "N", .lo = 0, .hi = 100,
     .flags = CLI_I32, .def = "--runs", .help = "runs per strained cell"},
    POS("timestep", c.timestep_fs, "FS", "MD timestep in fs"),
    {.name = "h-mass", .kind = CLI_REAL, .off = offsetof(S, c.h_mass), .meta = "M", .flags = CLI_GT | CLI_NOHI,
     .what = "a value", .def = "the element's", .help = "mass of H in g/mol (e.g. 2.014 for a longer timestep)"},
    CLI_OPT_REAL("equil", c.equil_ps, "PS", 0, 0, CLI_NOHI, "a length", "ps", "Langevin equilibration in ps"),
    POS("prod", c.prod_ps, "PS", "Nose-Hoover production in ps"),
    POS("tau-langevin", c.tau_langevin_ps, "PS", "Langevin damping in ps"),
    POS("tau-nh", c.tau_nh_ps, "PS", "Nose-Hoover damping in ps"),
    POS("dump-every", c.dump_ps, "PS", "frame interval in ps, at most a third of the hop detector's dwell"),
    CLI_OPT_FLAG("neb", c.neb, 1,
                 "also write, at every lattice constant of the campaign, the end points of one hop of the "
                 "defect, their relaxation and the LAMMPS neb input (run_neb.sh), whose neb.log `calibrate "
                 "--neb` reads"),
    CLI_OPT_INT32("neb-images", c.neb_images, "N", 3, 64, "NEB replicas"),
    {.name = "neb-steps", .kind = CLI_CUSTOM, .off = offsetof(S, c.neb_steps1), .meta = "N1,N2",
     .parse = parse_neb_steps, .show = show_neb_steps,
     .help = "NEB iterations before / with the climbing image"},
    CLI_OPT_INT("seed", seed, "S", 0, 9e15, "campaign seed"),
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "DIR", .def = "required",
     .help = "the campaign directory"},
};
#undef POS
#undef S

const cli_command CLI_CMD_MDINPUT = {"md-input", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(mdinput_opts),
                                     mdinput_defaults, NULL};

static int mdinput_main(const mdinput_opts *o);

int cmd_mdinput(int argc, char **argv) {
  mdinput_opts o;
  int code = cli_parse(&CLI_CMD_MDINPUT, argc, argv, 2, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return mdinput_main(&o);
}

/* The campaign, from the parsed options. */
static int mdinput_main(const mdinput_opts *o) {
  const char *cmd = "md-input";
  ionkmc_campaign_spec c = o->c;
  const char *ff = o->ff, *pair = o->pair >= 0 ? "allegro" : NULL, *model = o->model, *catalog = o->catalog;
  const char *out = o->out;
  double a0 = o->a0, T0 = o->T0, dadT = o->dadT;
  int strain_runs = o->strain_runs;
  c.structure.ma_axis = o->axis - 1;
  c.seed = (uint64_t)o->seed;
  c.strain_lo = o->strain_at != 2;
  c.strain_hi = o->strain_at != 1;
  c.strain_minus = o->strain_sign != 2;
  c.strain_plus = o->strain_sign != 1;
  double dwell = ionkmc_hop_params_default().dwell;
  if (c.dump_ps > dwell / 3 + 1e-12)
    return cli_bad(cmd, "--dump-every: expected at most %g ps (a third of the hop detector's %g ps dwell), got %g",
                   dwell / 3, dwell, c.dump_ps);
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
