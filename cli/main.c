/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc: kinetic Monte Carlo of ion migration in halide perovskites. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/init.h"
#include "cli/cli.h"
#include "cli/exec.h"

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
          "  merge     the outputs of a whole run from its job-array parts (--part i/n)\n"
          "  version   print the version\n"
          "\n"
          "Every command takes --help. Exit status: 0 success, 2 bad input, 1 internal failure.\n"
          "\n"
          "run, sweep, compare and catalog derive also take --part i/n --part-out FILE (a job-array\n"
          "part), --checkpoint FILE [--checkpoint-every S] and --restart FILE, and share their runs\n"
          "over the ranks when started by mpirun (results identical to one process).\n");
}

/* SIGINT, SIGTERM, SIGHUP: remove the temporaries of unfinished outputs,
 * then die of the same signal (the shell sees the usual status). */
static void on_signal(int sig) {
  ionkmc_outfile_remove_temporaries();
  raise(sig); /* SA_RESETHAND: the default action, once this returns */
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  int code = cli_exec_begin(&argc, argv);
  if (code < 0) code = dispatch(argc, argv);
  code = cli_exec_end(code);
  /* Everything printed on stdout must have reached it: a full disk or a
   * closed pipe is a failure, not a success with a cut table. */
  errno = 0;
  int bad = fflush(stdout) != 0;
  int e = errno;
  if ((bad || ferror(stdout)) && code == 0) { /* else the command has said why it failed */
    fprintf(stderr, "ionkmc: standard output: write failed (%s)\n", e ? strerror(e) : "write error");
    code = EXIT_INTERNAL;
  }
  return code;
}

static int dispatch(int argc, char **argv) {
  /* GSL's default handler aborts the process; ionkmc_init turns it off
   * (base/init.h), so a numerical corner case cannot kill a long run. */
  ionkmc_init();
  if (argc < 2) {
    fprintf(stderr, "ionkmc: expected a command: run, sweep, catalog, bench, calibrate, compare, synth "
                    "or version (see ionkmc --help)\n");
    return EXIT_BAD_INPUT;
  }
  const char *c = argv[1];
  if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(c, "--version") || !strcmp(c, "version")) {
    if (argc > 2) {
      fprintf(stderr, "ionkmc %s: unexpected argument '%s' (it takes none)\n", c, argv[2]);
      return EXIT_BAD_INPUT;
    }
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
  if (!strcmp(c, "merge")) return cmd_merge(argc, argv);
  fprintf(stderr, "ionkmc: unknown command '%s' (expected run, sweep, catalog, bench, calibrate, compare, synth, structure, md-input, mlff, neb, plot, report, merge, version)\n", c);
  return EXIT_BAD_INPUT;
}
