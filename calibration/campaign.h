/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: a calibration MD campaign for one defect, ready to run.
 *
 * Conventions
 *   Units: angstrom, K, fs for the timestep, ps for durations and time
 *   constants, g/mol for masses.
 *   The campaign holds, per temperature T, `runs` NVT runs with the cell
 *   fixed at a(T) (the lattice model's a(T), by default the paper's Table S3
 *   NpT fit, or sized by an NpT run of its own first: sizing_npt), and at
 *   the lowest and highest T (strain_lo / strain_hi) `strain_runs` more with
 *   the cell fixed at a(T)(1 - strain) and a(T)(1 + strain). Those runs give
 *   ln k at two lattice constants per temperature, so the fit of ln k linear
 *   in 1/T and a (calibrate --fit-a) separates dEb/da from Eb.
 *   Every run: Langevin equilibration (equil_ps, damping tau_langevin_ps),
 *   then Nose-Hoover NVT production (prod_ps, tau_nh_ps) dumping id, type,
 *   element and unwrapped xu yu zu every dump_ps (at most a third of the
 *   hop detector's 0.3 ps dwell) into a gzip file, atoms sorted by id.
 *   Layout of the directory:
 *     campaign.json   every run: name, T, a, strain, cell, seeds, files
 *     run_all.sh      runs every MD run (or only run INDEX: job arrays)
 *     calibrate.sh    the ionkmc calibrate command line reading every dump
 *     run_neb.sh      (neb) relaxes the end points and runs each NEB band
 *     forcefield.lmp  (classical force field) a copy of the include file
 *     types.json      the LAMMPS type <-> element map
 *     runs/NAME/      structure.data, in.lammps (outputs: traj.dump.gz, log.lammps)
 *     neb/NAME/       initial.data, final.data, relax_initial.in,
 *                     relax_final.in, neb.in (output: neb.log)
 *   The directory appears whole or not at all: it is written under a
 *   temporary name beside it and renamed at the end; an existing non-empty
 *   directory is never touched.
 * Ownership: plain values; strings are borrowed.
 */
#ifndef IONKMC_CAMPAIGN_H
#define IONKMC_CAMPAIGN_H

#include <stdint.h>

#include "calibration/structure.h"
#include "lattice/lattice.h"
#include "base/status.h"

#define IONKMC_CAMPAIGN_MAXT 32

typedef enum { IONKMC_PAIR_INCLUDE = 0, IONKMC_PAIR_ALLEGRO = 1 } ionkmc_pair_kind;

typedef struct {
  ionkmc_structure_spec structure; /* L, species, MA axes, the defect(s); a and seed are set per run */
  int nT;
  double T[IONKMC_CAMPAIGN_MAXT];  /* K */
  int runs;                        /* per T at a(T) (distinct seeds) */
  ionkmc_acell_model acell;        /* a(T) */
  double strain;                   /* s (0: no strained runs) */
  int strain_lo, strain_hi;        /* strained runs at the lowest / highest T */
  int strain_minus, strain_plus;   /* with a(T)(1 - s) / a(T)(1 + s) */
  int strain_runs;                 /* per strained cell */
  int sizing_npt;                  /* 1: size the cell by an NpT run (npt_ps) first */
  double npt_ps;
  double timestep_fs, h_mass;      /* h_mass <= 0: the element's mass */
  double equil_ps, prod_ps, tau_langevin_ps, tau_nh_ps, dump_ps;
  ionkmc_pair_kind pair;
  const char *pair_file;           /* include file (copied) or the allegro model (referenced) */
  int neb;                         /* write the NEB end points and decks */
  int neb_images;                  /* replicas (LAMMPS partitions), >= 3 */
  int neb_steps1, neb_steps2;      /* NEB iterations before / with the climbing image */
  uint64_t seed;
} ionkmc_campaign_spec;

/* The paper's protocol: 6x6x6 MAPbI3, T 500:600:25, 3 runs per T, 1 fs,
 * Langevin 100 ps (tau 0.33 ps), Nose-Hoover 2 ns (tau 0.1 ps), frames every
 * 0.1 ps, strained runs s = 0.01 at both ends (3 per cell), a(T) of the
 * paper's fit, no NEB (7 images, 2000 + 1000 steps when asked), seed 1. The
 * caller sets the defect and the pair. */
ionkmc_campaign_spec ionkmc_campaign_spec_default(void);
/* Write the campaign into dir (created; must not exist or be empty).
 * IONKMC_EINVAL naming the bad field, IONKMC_EIO naming the path. *nruns
 * (may be NULL) receives the number of MD runs written. */
ionkmc_status ionkmc_campaign_write(const ionkmc_campaign_spec *c, const char *dir, int *nruns, ionkmc_error *err);

#endif
