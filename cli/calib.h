/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: shared parts of `calibrate` and `compare`.
 * Units: T in K, times in ps on input, rates in 1/s, D in cm^2/s. */
#ifndef IONKMC_CLI_CALIB_H
#define IONKMC_CLI_CALIB_H

#include <jansson.h>
#include <stdio.h>

#include "calibration/calibrate.h"
#include "calibration/mdtrack.h"
#include "calibration/rates.h"
#include "calibration/traj.h"
#include "cli/cli.h"
#include "base/outfile.h"

#define CALIB_MAX_RUNS IONKMC_CALIB_MAX_RUNS
#define CALIB_NALT IONKMC_CALIB_NALT

/* The runs and temperatures of calibration/calibrate.h. */
typedef ionkmc_calib_run calib_run;
typedef ionkmc_calib_temp calib_temp;

typedef struct {
  ionkmc_traj_options topt;
  ionkmc_hop_params hp;
  ionkmc_defect_kind kind;
  int kind_set;
  int sensitivity;          /* 1: also count with the CALIB_NALT settings */
  int progress;             /* -1 automatic, 0 off, 1 on (cli/progress.h) */
  ionkmc_hop_params alt_hp[CALIB_NALT];
  int nruns;
  calib_run runs[CALIB_MAX_RUNS];
  int ntemps;
  calib_temp temps[CALIB_MAX_RUNS];
  ionkmc_defect_jump *jumps[CALIB_MAX_RUNS]; /* the lone defects' tracks (runs[r].track), owned */
} calib_inputs;

/* The options calibrate and compare share (cli/opt.h), declared once: their
 * table entries for the calib_inputs member f of the options struct S.
 * --md, --defect, --types, --format and the fit windows go through
 * calib_opt; the numbers straight into f's trajectory and hop settings. */
int calib_opt_parse(const char *cmd, const char *opt, const char *arg, void *field); /* calib_inputs */
void calib_show_fit_window(const void *field, char *buf, size_t n);
void calib_show_defect_fit_window(const void *field, char *buf, size_t n);
#define CALIB_MD_OPTIONS(f)                                                                                      \
  {.name = "md", .kind = CLI_CUSTOM, .off = offsetof(S, f), .meta = "T:FILE", .parse = calib_opt_parse,           \
   .def = "required",                                                                                            \
   .help = "one MD run at temperature T (K); repeat for every run (3-5 per T). FILE: LAMMPS text dump (.gz "     \
           "read directly), extended XYZ or H5MD"},                                                              \
      {.name = "defect", .kind = CLI_CUSTOM, .off = offsetof(S, f), .meta = "NAME", .parse = calib_opt_parse,     \
       .def = "required", .help = "the defect in the runs (@DEFECTS@)"},            \
      {.name = "types", .kind = CLI_CUSTOM, .off = offsetof(S, f), .meta = "MAP", .parse = calib_opt_parse,       \
       .help = "LAMMPS type -> element, e.g. 1=Pb,2=I,3=C,4=N,5=H (needed without an element column)"},          \
      {.name = "format", .kind = CLI_CUSTOM, .off = offsetof(S, f), .meta = "F", .parse = calib_opt_parse,        \
       .def = "auto",                                                                                            \
       .help = "auto, lammps, extxyz or h5md (HDF5; auto: .h5md/.h5 or the HDF5 signature)"},                    \
      CLI_OPT_REAL("timestep", f.topt.timestep_ps, "PS", 0, 0, CLI_GT | CLI_NOHI, "a value", "ps",                 \
                   "ps per LAMMPS step when the dump has no ITEM: TIME"),                                        \
      {.name = "frame-dt", .kind = CLI_REAL, .off = offsetof(S, f.topt.frame_dt_ps), .meta = "PS",               \
       .flags = CLI_GT | CLI_NOHI, .what = "a value", .unit = "ps", .def = "Time= required",                      \
       .help = "ps per frame for extxyz without Time="},                                                         \
      CLI_OPT_REAL("r-inner", f.hp.r_inner, "A", 0, 0, CLI_GT | CLI_NOHI, "a value", "angstrom",                  \
                   "hop detection: commit a hop of I within this distance of the new site"),                     \
      CLI_OPT_REAL("r-inner-ma", f.hp.r_inner_ma, "A", 0, 0, CLI_GT | CLI_NOHI, "a value", "angstrom",            \
                   "the same for MA centres"),                                                                   \
      CLI_OPT_REAL("dwell", f.hp.dwell, "PS", 0, 0, CLI_NOHI, "a value", "ps",                                    \
                   "and only after this long in the new site's basin"),                                          \
      CLI_OPT_REAL("window", f.hp.window, "PS", 0, 0, CLI_NOHI, "a value", "ps",                                  \
                   "hops sharing a site within this time are one event"),                                        \
      {.name = "fit-window", .kind = CLI_CUSTOM, .off = offsetof(S, f), .meta = "LO:HI", .parse = calib_opt_parse, \
       .show = calib_show_fit_window, .help = "MSD fit range as fractions of a run"},                            \
      {.name = "defect-fit-window", .kind = CLI_CUSTOM, .off = offsetof(S, f), .meta = "LO:HI",                   \
       .parse = calib_opt_parse, .show = calib_show_defect_fit_window,                                          \
       .help = "MSD fit range of a lone defect's own walk, built from its committed hops"},                     \
      CLI_OPT_FLAG("progress", f.progress, 1, "force progress on stderr (per file: bytes, frames, rate, ETA)"),  \
      CLI_OPT_FLAG("no-progress", f.progress, 0, "turn progress off (default: on a terminal, after 2 s)")

/* Defaults. */
void calib_inputs_init(calib_inputs *in);
/* Free what calib_read_runs allocated (the tracks). */
void calib_inputs_release(calib_inputs *in);
/* Handle one of the shared options (md, defect, types, format, timestep,
 * frame-dt, r-inner, r-inner-ma, dwell, window, fit-window, progress,
 * no-progress). Returns 1 if
 * handled, 0 after printing an error. */
int calib_opt(const char *cmd, calib_inputs *in, const char *name, const char *arg);
/* Read every run (event rows to `events` if not NULL), group by T and
 * compute rates. Returns 0 or the exit status after printing. */
int calib_read_runs(const char *cmd, calib_inputs *in, FILE *events);
void calib_events_header(FILE *fp);
/* The library's view of the inputs (borrowed from in). */
ionkmc_calib_data calib_data(const calib_inputs *in);
/* MSD(t) per atom of one run on its log-spaced lags, with the fit windows in
 * ps (null with the MSD off). */
json_t *calib_run_msd_json(const calib_inputs *in, const calib_run *run);
/* The same pooled over the runs at one T: mean and SE per lag. */
json_t *calib_temp_msd_json(const calib_inputs *in, const calib_temp *tp);
/* "mean +- SE" of an MD estimate into buf: "(b)" marks a blocked SE
 * (nblocks > 0), "-(c)" an SE that cannot exist (one run, too short to block). */
void calib_pm(char *buf, size_t n, ionkmc_estimate e, int nblocks);
/* The footnotes of those marks (and "-(d)": the defect could not be followed). */
void calib_footnotes(FILE *fp, int blocks, int no_se, int no_defect);

#endif
