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

static const char *HELP =
    "usage: ionkmc synth --defect NAME --T K --out FILE [options]\n"
    "\n"
    "Run one KMC trajectory of a single defect and write it as an MD-like trajectory:\n"
    "Pb, I, C and N atoms at their ideal sites plus Gaussian noise, split pairs off\n"
    "their site, one-frame rattling excursions that are not hops, and a drifting\n"
    "crystal. Types: 1 Pb, 2 I, 3 C, 4 N; LAMMPS steps of 1 fs. Used to test\n"
    "`ionkmc calibrate` and `ionkmc compare` against known rates.\n"
    "\n"
    "options:\n"
    "  --defect NAME     @DEFECTS@\n"
    "  --T K             temperature (required)\n"
    "  --size L          cells per edge (default 3)\n"
    "  --a A             lattice constant (default: catalog a(T))\n"
    "  --rate R          per-path rate in 1/s (default: from the catalog at T)\n"
    "  --catalog FILE    rate catalog (default: embedded)\n"
    "  --dt PS           frame interval in ps, a multiple of 0.001 (default 0.01)\n"
    "  --frames N        number of frames (default 1000)\n"
    "  --seed S          random seed (default 1)\n"
    "  --stream I        stream (run) index (default 0)\n"
    "  --format F        lammps (default) or extxyz\n"
    "  --columns C       LAMMPS columns: 0 'id type x y z ix iy iz', 1 'id type xu yu zu',\n"
    "                    2 'id element xs ys zs ix iy iz' (default 0)\n"
    "  --shuffle         atoms in a random order in every frame\n"
    "  --noise A         Gaussian noise per component (default 0.3)\n"
    "  --rattle P        rattling probability per particle and frame (default 0.002)\n"
    "  --out FILE        output trajectory (required)\n";

enum { O_DEFECT, O_T, O_SIZE, O_A, O_RATE, O_CATALOG, O_DT, O_FRAMES, O_SEED, O_STREAM, O_FORMAT,
       O_COLUMNS, O_SHUFFLE, O_NOISE, O_RATTLE, O_OUT, O_N };
static const cli_opt OPTS[O_N] = {{"defect", 1}, {"T", 1},      {"size", 1},   {"a", 1},
                                  {"rate", 1},   {"catalog", 1}, {"dt", 1},    {"frames", 1},
                                  {"seed", 1},   {"stream", 1}, {"format", 1}, {"columns", 1},
                                  {"shuffle", 0}, {"noise", 1}, {"rattle", 1}, {"out", 1}};

#define SYNTH_MAX_HOPS 1e9

int cmd_synth(int argc, char **argv) {
  const char *cmd = "synth";
  ionkmc_synth_spec s;
  memset(&s, 0, sizeof s);
  s.wp = ionkmc_trajwriter_params_default();
  int kind_set = 0; /* s.kind is an enum the compiler may make unsigned: no -1 sentinel */
  s.L = 3;
  s.a = NAN;
  s.rate = NAN;
  s.dt_ps = 0.01;
  s.nframes = 1000;
  s.seed = 1;
  const char *catalog = NULL, *out = NULL, *arg;
  long long v;
  int i = 2, k;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    switch (k) {
    case -3: return cli_help(HELP);
    case -2: return EXIT_BAD_INPUT;
    case O_DEFECT:
      if (ionkmc_defect_parse(arg, &s.kind))
        return cli_bad_defect(cmd, "defect", arg);
      kind_set = 1;
      break;
    case O_T:
      if (!cli_double(cmd, "T", arg, &s.T)) return EXIT_BAD_INPUT;
      if (!(s.T > 0)) return cli_bad(cmd, "--T: expected a temperature > 0 K, got '%s'", arg);
      break;
    case O_SIZE: if (!cli_int(cmd, "size", arg, 2, 64, &v)) return EXIT_BAD_INPUT; s.L = (int)v; break;
    case O_A:
      if (!cli_double(cmd, "a", arg, &s.a)) return EXIT_BAD_INPUT;
      if (!(s.a > 0)) return cli_bad(cmd, "--a: expected a lattice constant > 0 angstrom, got '%s'", arg);
      break;
    case O_RATE:
      if (!cli_double(cmd, "rate", arg, &s.rate)) return EXIT_BAD_INPUT;
      if (!(s.rate >= 0)) return cli_bad(cmd, "--rate: expected a rate >= 0 1/s, got '%s'", arg);
      break;
    case O_CATALOG: catalog = arg; break;
    case O_DT:
      if (!cli_double(cmd, "dt", arg, &s.dt_ps)) return EXIT_BAD_INPUT;
      if (!(s.dt_ps >= 0.001) || fabs(s.dt_ps * 1000 - llround(s.dt_ps * 1000)) > 1e-6)
        return cli_bad(cmd, "--dt: expected a multiple of 0.001 ps, got '%s'", arg);
      break;
    case O_FRAMES: if (!cli_int(cmd, "frames", arg, 2, 100000000, &v)) return EXIT_BAD_INPUT; s.nframes = (int)v; break;
    case O_SEED: if (!cli_int(cmd, "seed", arg, 0, (long long)9e15, &v)) return EXIT_BAD_INPUT; s.seed = (uint64_t)v; break;
    case O_STREAM: if (!cli_int(cmd, "stream", arg, 0, 1000000000, &v)) return EXIT_BAD_INPUT; s.stream = (uint64_t)v; break;
    case O_FORMAT:
      if (!strcmp(arg, "lammps")) s.wp.format = IONKMC_TRAJ_LAMMPS;
      else if (!strcmp(arg, "extxyz")) s.wp.format = IONKMC_TRAJ_EXTXYZ;
      else return cli_bad(cmd, "--format: expected lammps or extxyz, got '%s'", arg);
      break;
    case O_COLUMNS: if (!cli_int(cmd, "columns", arg, 0, 2, &v)) return EXIT_BAD_INPUT; s.wp.lammps_columns = (int)v; break;
    case O_SHUFFLE: s.wp.shuffle = 1; break;
    case O_NOISE:
      if (!cli_double(cmd, "noise", arg, &s.wp.noise)) return EXIT_BAD_INPUT;
      if (!(s.wp.noise >= 0)) return cli_bad(cmd, "--noise: expected >= 0 angstrom, got '%s'", arg);
      break;
    case O_RATTLE:
      if (!cli_double(cmd, "rattle", arg, &s.wp.rattle_prob)) return EXIT_BAD_INPUT;
      if (!(s.wp.rattle_prob >= 0 && s.wp.rattle_prob <= 1))
        return cli_bad(cmd, "--rattle: expected a probability in [0, 1], got '%s'", arg);
      break;
    case O_OUT: out = arg; break;
    }
  }
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
  if (isnan(s.a) || isnan(s.rate)) {
    ionkmc_catalog *cat = cli_catalog(cmd, catalog, &code);
    if (!cat) return code;
    ionkmc_acell_model am = ionkmc_catalog_acell(cat);
    if (isnan(s.a)) s.a = ionkmc_acell_eval(&am, s.T);
    if (isnan(s.rate) && ionkmc_catalog_rate(cat, s.kind, s.T, s.a, 0, &s.rate, &err)) {
      ionkmc_catalog_free(cat);
      return cli_bad(cmd, "%s", err.text);
    }
    ionkmc_catalog_free(cat);
  }
  if ((code = cli_check_conditions(cmd, s.T, s.a, 0, NULL))) return code;
  /* Every KMC hop of the trajectory is simulated: bound them. */
  double expect = ionkmc_defect_npaths(s.kind) * s.rate * s.nframes * s.dt_ps * 1e-12;
  if (!(expect <= SYNTH_MAX_HOPS))
    return cli_bad(cmd, "--rate: %g 1/s per path over %g ps means about %.3g KMC hops, expected at "
                   "most %g; lower --rate, --frames or --dt", s.rate, s.nframes * s.dt_ps, expect,
                   SYNTH_MAX_HOPS);
  int64_t hops = 0;
  ionkmc_status st = ionkmc_synth_write(&s, out, &hops, &err);
  if (st == IONKMC_EINVAL) return cli_bad(cmd, "--out %s", err.text);
  if (st) return cli_fail(cmd, "%s", err.text);
  printf("%s: %d frames of %s at %g K (a = %.4f A, %d^3 cells, rate %.4g 1/s per path), %lld KMC hops\n",
         out, s.nframes, ionkmc_defect_name(s.kind), s.T, s.a, s.L, s.rate, (long long)hops);
  return 0;
}
