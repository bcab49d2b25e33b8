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
#include "cli/opt.h"
#include "cli/exec.h"

const cli_command CLI_CMD_VERSION = {"version", "usage: ionkmc version\n\nPrint the program's version.\n\n", NULL, NULL, 0, 0,
                                     NULL, NULL};

static int cmd_version(int argc, char **argv) {
  char none;
  int code = cli_parse(&CLI_CMD_VERSION, argc, argv, 2, &none, NULL);
  if (code) return code < 0 ? 0 : code;
  printf("ionkmc %s\n", IONKMC_VERSION);
  return 0;
}

/* Every command: the dispatch, the top-level --help and the messages read this. */
static const struct {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *summary;
} COMMANDS[] = {
    {"run", cmd_run, "diffusion coefficients of defects at a temperature"},
    {"sweep", cmd_sweep, "run the cartesian product of T, size, defect and barrier-shift ranges"},
    {"catalog", cmd_catalog, "show, export, check or derive the rate catalog"},
    {"bench", cmd_bench, "hops per second on named scenarios"},
    {"calibrate", cmd_calibrate, "a rate catalog from MD runs (LAMMPS dump, extxyz, H5MD) and NEB bands"},
    {"compare", cmd_compare, "KMC against the MD it was calibrated from, at the MD temperatures"},
    {"synth", cmd_synth, "a synthetic MD trajectory from a KMC run (to test the calibration)"},
    {"structure", cmd_structure, "an atomistic supercell with defects (LAMMPS data, extxyz, POSCAR)"},
    {"md-input", cmd_mdinput, "a calibration MD campaign for one defect: structures, LAMMPS inputs, scripts"},
    {"mlff", cmd_mlff, "energies, forces and stress from a deployed NequIP/Allegro model"},
    {"neb", cmd_neb, "CI-NEB barriers and prefactors from a deployed NequIP/Allegro model"},
    {"plot", cmd_plot, "figures (PNG, SVG, PDF) from calibrate, compare, run and sweep outputs"},
    {"report", cmd_report, "one self-contained HTML report (figures, tables, provenance, warnings)"},
    {"merge", cmd_merge, "the outputs of a whole run from its job-array parts (--part i/n)"},
    {"version", cmd_version, "print the version"},
};
#define NCOMMANDS ((int)(sizeof COMMANDS / sizeof COMMANDS[0]))

/* "run, sweep, ... or version" */
static void command_list(FILE *fp) {
  for (int k = 0; k < NCOMMANDS; k++)
    fprintf(fp, "%s%s", k == 0 ? "" : k == NCOMMANDS - 1 ? " or " : ", ", COMMANDS[k].name);
}

static void usage(FILE *fp) {
  fprintf(fp, "usage: ionkmc <command> [options]\n\nKinetic Monte Carlo of ion migration in MAPbI3 (Pm-3m).\n\n"
              "commands:\n");
  for (int k = 0; k < NCOMMANDS; k++) fprintf(fp, "  %-10s%s\n", COMMANDS[k].name, COMMANDS[k].summary);
  fprintf(fp, "\nEvery command takes --help. Exit status: 0 success, 2 bad input, 1 internal failure.\n"
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
    fprintf(stderr, "ionkmc: expected a command: ");
    command_list(stderr);
    fprintf(stderr, " (see ionkmc --help)\n");
    return EXIT_BAD_INPUT;
  }
  const char *c = argv[1];
  if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(c, "--version")) return cmd_version(argc, argv);
  for (int k = 0; k < NCOMMANDS; k++)
    if (!strcmp(c, COMMANDS[k].name)) return COMMANDS[k].fn(argc, argv);
  fprintf(stderr, "ionkmc: unknown command '%s' (expected ", c);
  command_list(stderr);
  fprintf(stderr, ")\n");
  return EXIT_BAD_INPUT;
}
