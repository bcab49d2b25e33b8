/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: synthetic MD trajectories from a KMC trajectory.
 *
 * Conventions
 *   Units: lengths in angstrom, times in ps.
 *   Each frame places every atom of the engine's box at its ideal site
 *   (Pb on B, I on X, MA molecules as a C-N pair about the A site, C-N bond
 *   1.47 A in a fixed random orientation per molecule), plus Gaussian noise of
 *   `noise` angstrom per component. The two atoms (molecules) of a split
 *   interstitial sit +-`split` (I) or +-`split_ma` (MA) angstrom off the site,
 *   perpendicular to the Pb-I-Pb bond for I, along x for MA (each C-N axis
 *   then along x, N outwards). With probability `rattle_prob` per particle and frame a
 *   particle makes a one-frame excursion a random 50-95% of the way towards a
 *   neighbouring site (never in the first frame, which fixes the reference,
 *   nor in two successive frames): rattling that is not a hop. The whole crystal drifts as
 *   a random walk of `drift` angstrom rms per component and frame.
 *   Atom ids: Pb 1..L^3, then I, then C, N alternating per molecule; LAMMPS
 *   types 1 Pb, 2 I, 3 C, 4 N.
 *   LAMMPS columns: 0 "id type x y z ix iy iz" (wrapped + image flags),
 *   1 "id type xu yu zu", 2 "id element xs ys zs ix iy iz" (scaled).
 * Ownership: _alloc returns a writer the caller frees with _free; the engine
 * and the output stream are borrowed.
 */
#ifndef IONKMC_TRAJWRITER_H
#define IONKMC_TRAJWRITER_H

#include <stdint.h>
#include <stdio.h>

#include "calibration/traj.h"
#include "kmc/engine.h"
#include "kmc/rng.h"

typedef struct {
  ionkmc_traj_format format; /* IONKMC_TRAJ_LAMMPS or IONKMC_TRAJ_EXTXYZ */
  int lammps_columns;        /* 0, 1 or 2 (see above) */
  int shuffle;               /* 1: atoms in a random order in each frame */
  double noise;              /* angstrom (default 0.3) */
  double rattle_prob;        /* per particle and frame (default 0.002) */
  double split;              /* I pairs, angstrom (default 0.8) */
  double split_ma;           /* MA pairs, angstrom (default 1.6) */
  double drift;              /* angstrom per frame (default 0.02) */
} ionkmc_trajwriter_params;

typedef struct ionkmc_trajwriter ionkmc_trajwriter;

/* Defaults as above, LAMMPS format, columns 0, no shuffle. */
ionkmc_trajwriter_params ionkmc_trajwriter_params_default(void);
/* A writer for the engine's box (lattice constant a, angstrom), which must
 * have just been reset: its current atom positions are the reference. The
 * molecule orientations come from rng. Caller frees. */
ionkmc_trajwriter *ionkmc_trajwriter_alloc(const ionkmc_trajwriter_params *p, const ionkmc_engine *e,
                                           int L, double a, ionkmc_rng *rng, ionkmc_error *err);
/* Free; NULL is a no-op. */
void ionkmc_trajwriter_free(ionkmc_trajwriter *w);
/* Number of atoms written per frame. */
int ionkmc_trajwriter_natoms(const ionkmc_trajwriter *w);
/* Write one frame of the engine's current state at time t_ps (LAMMPS step
 * `step`) to fp, drawing noise from rng. IONKMC_EIO on a write error. */
ionkmc_status ionkmc_trajwriter_frame(ionkmc_trajwriter *w, FILE *fp, const ionkmc_engine *e,
                                      double t_ps, int64_t step, ionkmc_rng *rng, ionkmc_error *err);

/* A whole synthetic trajectory: one defect of `kind` in an L^3 box at T (K)
 * with lattice constant a (angstrom) and per-path rate `rate` (1/s), frames
 * every dt_ps from t = 0, written atomically to path. The KMC draws from the
 * stream (seed, 2 stream), the noise from (seed, 2 stream + 1). LAMMPS steps
 * are t / 1 fs (the reader's default timestep). */
typedef struct {
  ionkmc_defect_kind kind;
  int L;
  double T, a, rate;
  double dt_ps;
  int nframes;
  uint64_t seed, stream;
  ionkmc_trajwriter_params wp;
  ionkmc_pattern pattern;      /* the defect's displacement pattern (0: single) */
  double pattern_rate[IONKMC_PATTERN_MAXRATES]; /* its own rates, 1/s (events/defects.h) */
} ionkmc_synth_spec;

/* Write the trajectory of spec to path; *kmc_hops (if not NULL) receives the
 * number of KMC events in it. IONKMC_EINVAL on a bad spec, IONKMC_EIO. */
ionkmc_status ionkmc_synth_write(const ionkmc_synth_spec *spec, const char *path, int64_t *kmc_hops,
                                 ionkmc_error *err);

#endif
