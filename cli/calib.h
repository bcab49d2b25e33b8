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
#include "lattice/outfile.h"

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
} calib_inputs;

extern const char *const CALIB_MD_HELP;

/* Defaults. */
void calib_inputs_init(calib_inputs *in);
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
