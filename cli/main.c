/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc: kinetic Monte Carlo of ion migration in halide perovskites. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *fp) {
  fprintf(fp,
          "usage: ionkmc <command> [options]\n"
          "\n"
          "Kinetic Monte Carlo of ion migration in MAPbI3 (Pm-3m).\n"
          "\n"
          "commands:\n"
          "  run       diffusion coefficients of defects at a temperature (default: 300 K)\n"
          "  sweep     run the cartesian product of T, size, defect and barrier-shift ranges\n"
          "  catalog   show, export or derive the rate catalog\n"
          "  bench     hops per second on named scenarios\n"
          "  calibrate a rate catalog from MD runs (LAMMPS dump, extxyz) and NEB bands\n"
          "  compare   KMC against the MD it was calibrated from, at the MD temperatures\n"
          "  synth     a synthetic MD trajectory from a KMC run (to test the calibration)\n"
          "  structure an atomistic supercell with defects (LAMMPS data, extxyz, POSCAR)\n"
          "  md-input  a calibration MD campaign for one defect: structures, LAMMPS inputs, scripts\n"
          "  mlff      energies, forces and stress from a deployed NequIP/Allegro model\n"
          "  neb       CI-NEB barriers and prefactors from a deployed NequIP/Allegro model\n"
          "  plot      figures (PNG, SVG, PDF) from calibrate, compare, run and sweep outputs\n"
          "  report    one self-contained HTML report (figures, tables, provenance, warnings)\n"
          "  version   print the version\n"
          "\n"
          "Every command takes --help. Exit status: 0 success, 2 bad input, 1 internal failure.\n");
}

int main(int argc, char **argv) {
  /* GSL's default handler aborts the process; the library checks arguments
   * and reads GSL status codes, so the program turns the handler off once,
   * here, rather than letting a numerical corner case kill a long run. */
  gsl_set_error_handler_off();
  if (argc < 2) {
    usage(stderr);
    return EXIT_BAD_INPUT;
  }
  const char *c = argv[1];
  if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(c, "--version") || !strcmp(c, "version")) {
    printf("ionkmc %s\n", IONKMC_VERSION);
    return 0;
  }
  if (!strcmp(c, "run")) return cmd_run(argc, argv);
  if (!strcmp(c, "sweep")) return cmd_sweep(argc, argv);
  if (!strcmp(c, "catalog")) return cmd_catalog(argc, argv);
  if (!strcmp(c, "bench")) return cmd_bench(argc, argv);
  if (!strcmp(c, "calibrate")) return cmd_calibrate(argc, argv);
  if (!strcmp(c, "compare")) return cmd_compare(argc, argv);
  if (!strcmp(c, "synth")) return cmd_synth(argc, argv);
  if (!strcmp(c, "structure")) return cmd_structure(argc, argv);
  if (!strcmp(c, "md-input")) return cmd_mdinput(argc, argv);
  if (!strcmp(c, "mlff")) return cmd_mlff(argc, argv);
  if (!strcmp(c, "neb")) return cmd_neb(argc, argv);
  if (!strcmp(c, "plot")) return cmd_plot(argc, argv);
  if (!strcmp(c, "report")) return cmd_report(argc, argv);
  fprintf(stderr, "ionkmc: unknown command '%s' (expected run, sweep, catalog, bench, calibrate, compare, synth, structure, md-input, mlff, neb, plot, report, version)\n", c);
  return EXIT_BAD_INPUT;
}
