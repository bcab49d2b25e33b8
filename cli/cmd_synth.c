/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc synth: a synthetic MD trajectory from a KMC trajectory. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/trajwriter.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "kmc/box_spec.h"

static const char HEAD[] =
    "usage: ionkmc synth --defect NAME --T K --out FILE [options]\n"
    "\n"
    "Run one KMC trajectory of a single defect and write it as an MD-like trajectory:\n"
    "Pb, I, C and N atoms at their ideal sites plus Gaussian noise, split pairs off\n"
    "their site, one-frame rattling excursions that are not hops, and a drifting\n"
    "crystal. Types: 1 Pb, 2 I, 3 C, 4 N; LAMMPS steps of 1 fs. Used to test\n"
    "`ionkmc calibrate` and `ionkmc compare` against known rates.\n"
    "\n";

typedef struct {
  cli_defect_list defect;
  double T, a, rate, dt_ps, noise, rattle;
  long long L, frames, seed, stream, columns;
  int format, shuffle;
  const char *catalog, *out;
} synth_opts;

static void synth_defaults(void *p) {
  synth_opts *o = p;
  ionkmc_trajwriter_params wp = ionkmc_trajwriter_params_default();
  o->T = NAN;
  o->a = NAN;
  o->rate = NAN;
  o->dt_ps = 0.01;
  o->L = 3;
  o->frames = 1000;
  o->seed = 1;
  o->noise = wp.noise;
  o->rattle = wp.rattle_prob;
  o->columns = wp.lammps_columns;
}

#define S synth_opts
static const cli_option OPTS[] = {
    CLI_OPT_CUSTOM("defect", defect, "NAME", cli_parse_defect_list, NULL, "@DEFECTS@"),
    {.name = "T", .kind = CLI_REAL, .off = offsetof(S, T), .meta = "K", .lo = CLI_T_MIN, .hi = CLI_T_MAX,
     .what = "a temperature", .unit = "K", .def = "required", .help = "temperature"},
    CLI_OPT_INT("size", L, "L", 2, 64, "cells per edge"),
    {.name = "a", .kind = CLI_REAL, .off = offsetof(S, a), .meta = "A", .lo = CLI_A_MIN, .hi = CLI_A_MAX,
     .what = "a lattice constant", .unit = "angstrom", .def = "catalog a(T)", .help = "lattice constant"},
    {.name = "rate", .kind = CLI_REAL, .off = offsetof(S, rate), .meta = "R", .lo = 0, .flags = CLI_NOHI,
     .what = "a rate", .unit = "1/s", .def = "from the catalog at T", .help = "per-path rate in 1/s"},
    CLI_OPT_STR("catalog", catalog, "FILE", "rate catalog (default: embedded)"),
    CLI_OPT_REAL("frame-dt", dt_ps, "PS", 0.001, 0, CLI_NOHI, "a frame interval", "ps",
                 "frame interval in ps, a multiple of 0.001"),
    CLI_OPT_ALIAS("dt", "frame-dt"),
    CLI_OPT_INT("frames", frames, "N", 2, 100000000, "number of frames"),
    CLI_OPT_INT("seed", seed, "S", 0, 9e15, "random seed"),
    CLI_OPT_INT("stream", stream, "I", 0, 1000000000, "stream (run) index"),
    CLI_OPT_CHOICE("format", format, "lammps|extxyz", "trajectory format"),
    CLI_OPT_INT("columns", columns, "C", 0, 2,
                "LAMMPS columns: 0 'id type x y z ix iy iz', 1 'id type xu yu zu', 2 'id element xs ys zs ix iy iz'"),
    CLI_OPT_FLAG("shuffle", shuffle, 1, "atoms in a random order in every frame"),
    CLI_OPT_REAL("noise", noise, "A", 0, 0, CLI_NOHI, "a noise amplitude", "angstrom",
                 "Gaussian noise per component in angstrom"),
    CLI_OPT_REAL("rattle", rattle, "P", 0, 1, 0, "a probability", NULL, "rattling probability per particle and frame"),
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "FILE", .def = "required",
     .help = "output trajectory"},
};
#undef S

const cli_command CLI_CMD_SYNTH = {"synth", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(synth_opts), synth_defaults, NULL};

#define SYNTH_MAX_HOPS 1e9

static int synth_main(const synth_opts *o);

int cmd_synth(int argc, char **argv) {
  synth_opts o;
  int code = cli_parse(&CLI_CMD_SYNTH, argc, argv, 2, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return synth_main(&o);
}

/* The trajectory, from the parsed options. */
static int synth_main(const synth_opts *o) {
  const char *cmd = "synth";
  ionkmc_synth_spec s;
  memset(&s, 0, sizeof s);
  s.wp = ionkmc_trajwriter_params_default();
  int kind_set = o->defect.n > 0;
  if (o->defect.n > 1) return cli_bad(cmd, "--defect: expected one defect, got %d", o->defect.n);
  s.kind = o->defect.kind[0];
  s.T = isnan(o->T) ? 0 : o->T;
  s.L = (int)o->L;
  s.a = o->a;
  s.rate = o->rate;
  s.dt_ps = o->dt_ps;
  s.nframes = (int)o->frames;
  s.seed = (uint64_t)o->seed;
  s.stream = (uint64_t)o->stream;
  s.wp.format = o->format == 1 ? IONKMC_TRAJ_EXTXYZ : IONKMC_TRAJ_LAMMPS;
  s.wp.lammps_columns = (int)o->columns;
  s.wp.shuffle = o->shuffle;
  s.wp.noise = o->noise;
  s.wp.rattle_prob = o->rattle;
  const char *catalog = o->catalog, *out = o->out;
  if (fabs(s.dt_ps * 1000 - llround(s.dt_ps * 1000)) > 1e-6)
    return cli_bad(cmd, "--frame-dt: expected a multiple of 0.001 ps, got %g", s.dt_ps);
  if (!kind_set) return cli_bad(cmd, "--defect: expected a defect name");
  if (!(s.T > 0)) return cli_bad(cmd, "--T: expected a temperature in K");
  if (!out) return cli_bad(cmd, "--out: expected the trajectory file to write");
  size_t ol = strlen(out);
  if (ol >= 3 && !strcmp(out + ol - 3, ".gz"))
    return cli_bad(cmd, "--out %s: synth writes plain text; drop '.gz' (and gzip the file after, "
                        "the readers take .gz)", out);
  int code = 0;
  ionkmc_error err;
  /* The output path is checked before any work (the probe leaves nothing). */
  ionkmc_outfile *probe = NULL;
  if ((code = cli_open(cmd, "out", out, &probe))) return code;
  ionkmc_outfile_abort(probe);
  if (isnan(s.a) || isnan(s.rate) || catalog) {
    ionkmc_catalog *cat = cli_catalog(cmd, catalog, &code);
    if (!cat) return code;
    ionkmc_acell_model am = ionkmc_catalog_acell(cat);
    if (isnan(s.a)) s.a = ionkmc_acell_eval(&am, s.T);
    if (isnan(s.rate) && ionkmc_catalog_rate(cat, s.kind, s.T, s.a, 0, &s.rate, &err)) {
      ionkmc_catalog_free(cat);
      return cli_bad(cmd, "%s", err.text);
    }
    /* the entry's displacement pattern and its own rates at T */
    ionkmc_box_spec bs;
    memset(&bs, 0, sizeof bs);
    bs.cond.T = s.T;
    bs.cond.a = s.a;
    bs.count[s.kind] = 1;
    if (ionkmc_box_spec_rates(&bs, cat, &err) == IONKMC_OK) {
      s.pattern = bs.pattern[s.kind];
      memcpy(s.pattern_rate, bs.pattern_rate[s.kind], sizeof s.pattern_rate);
    }
    ionkmc_catalog_free(cat);
  }
  if ((code = cli_check_conditions(cmd, s.T, s.a, 0, NULL))) return code;
  /* Every KMC hop of the trajectory is simulated: bound them. */
  double own = 0; /* the pattern's own rates (relay's side on two paths) */
  for (int r = 0; r < IONKMC_PATTERN_MAXRATES; r++)
    own += s.pattern_rate[r] * (s.pattern == IONKMC_PATTERN_RELAY && r == 2 ? 2 : 1);
  double expect = (ionkmc_defect_npaths(s.kind) * s.rate + own) * s.nframes * s.dt_ps * 1e-12;
  if (!(expect <= SYNTH_MAX_HOPS))
    return cli_bad(cmd, "--rate: %g 1/s per path over %g ps means about %.3g KMC hops, expected at "
                   "most %g; lower --rate, --frames or --frame-dt", s.rate, s.nframes * s.dt_ps, expect,
                   SYNTH_MAX_HOPS);
  int64_t hops = 0;
  ionkmc_status st = ionkmc_synth_write(&s, out, &hops, &err);
  if (st == IONKMC_EINVAL) return cli_bad(cmd, "--out %s", err.text);
  if (st) return cli_fail(cmd, "%s", err.text);
  printf("%s: %d frames of %s at %g K (a = %.4f A, %d^3 cells, rate %.4g 1/s per path%s%s), %lld KMC hops\n",
         out, s.nframes, ionkmc_defect_name(s.kind), s.T, s.a, s.L, s.rate,
         s.pattern ? ", pattern " : "", s.pattern ? ionkmc_pattern_name(s.pattern) : "", (long long)hops);
  return 0;
}
