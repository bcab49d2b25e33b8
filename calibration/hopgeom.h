/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: hop geometry and correlation statistics of one
 * mechanism at one temperature, by the same code for the MD (hop records of
 * calibration/mdtrack.h) and the KMC (the engine's jump log, kmc/jumpstats.h).
 *
 * Conventions
 *   Units: lengths in angstrom (displacements squared in A^2), track times in
 *   ps (as calibration/patternfit.h), cell event rates in 1/s, D in cm^2/s.
 *   An event is what moved together: its atoms and each atom's net
 *   displacement dr_i over the event; the defect's displacement dR is the
 *   net site displacement of its hops (minus it for a vacancy, whose moving
 *   atoms go the other way).
 *   Statistics over the events of a mechanism: atoms moved per event, S =
 *   sum_i |dr_i|^2 per event (the species' tracer displacement), |dR|^2 per
 *   event, and over the jumps of lone followed defects (tracks): cos of the
 *   angle between successive jumps (mean and histogram in bins of width 0.5
 *   centred on -1, -0.5, 0, 0.5, 1: the values nearest-neighbour moves take
 *   on the X and A sublattices), the immediate-return fraction (dR_{k+1} =
 *   -dR_k exactly) beside the random-walk value 1/z.
 *   Intervals: means +- t(0.975, n-1) SE (events or jumps as independent
 *   samples); fractions exact binomial (Clopper-Pearson) 95%.
 *   Correlation factor f = 6 D_species / (Gamma_box <S>), with D_species the
 *   species' D summed over its atoms (sum_i |dr_i|^2 / 6t, as calibrate and
 *   compare compute it), Gamma_box the mechanism's events per unit time in
 *   the whole cell and <S> the mean per event; f is the mechanism's tracer
 *   correlation factor (0.69 for the X-sublattice vacancy, 1 for the plain
 *   split pair). Its interval is log-normal, propagated from the log-scale
 *   SE of D (its 95% interval's log half-width / 1.96 where it has one, so
 *   that the Student-t width of few runs is kept), the Poisson
 *   1/sqrt(events) of Gamma and the SE of <S>, taken as independent.
 *   Decomposition: D(MD)/D(KMC) = rate ratio x displacement ratio x
 *   correlation ratio (Gamma, <S>, f, each MD over KMC), an identity of the
 *   definitions. Each ratio has the log-normal interval of its two sides'
 *   log-scale errors combined in quadrature and agrees when it holds 1.
 * Ownership: plain values; records, tracks and jumps are borrowed; the jump
 * arrays a track is built into are the caller's.
 */
#ifndef IONKMC_HOPGEOM_H
#define IONKMC_HOPGEOM_H

#include <stddef.h>

#include "base/status.h"
#include "calibration/mdtrack.h"
#include "calibration/patternfit.h"
#include "kmc/jumpstats.h"
#include "kmc/run_config.h"
#include "kmc/stats.h"

#define IONKMC_GEOM_NCOS 5

/* Sums over events and jumps (add runs by adding accumulators). */
typedef struct {
  double events, natoms, natoms2, S, S2; /* S in A^2 */
  double jumps, dR2, dR2_2;              /* A^2 */
  double pairs, returns, cos, cos2;
  double cos_hist[IONKMC_GEOM_NCOS];
  double tracks;
} ionkmc_geom_acc;

typedef struct {
  double k, n;          /* successes and trials */
  double frac, lo, hi;  /* k/n and its Clopper-Pearson 95% interval (NAN without trials) */
} ionkmc_geom_frac;

typedef struct {
  int z;                      /* neighbour directions of the kind's sublattice */
  double events, jumps, pairs, tracks;
  ionkmc_estimate natoms;     /* atoms moved per event */
  ionkmc_estimate S;          /* sum_i |dr_i|^2 per event, A^2 */
  ionkmc_estimate dR2;        /* |dR|^2 per event, A^2 */
  ionkmc_estimate cos;        /* cos(angle) of successive jumps */
  double cos_value[IONKMC_GEOM_NCOS];
  ionkmc_geom_frac cos_bin[IONKMC_GEOM_NCOS];
  ionkmc_geom_frac ret;       /* immediate returns among successive pairs */
  double ret_random_walk;     /* 1/z */
  int ret_agree;              /* 1: ret's interval holds 1/z, 0 not, -1 no pairs */
} ionkmc_geom_stats;

/* The correlation factor and what went into it. */
typedef struct {
  double D, D_sd_ln;          /* cm^2/s and log-scale SE (NAN when unknown) */
  double gamma, gamma_sd_ln;  /* events per s in the cell, 1/sqrt(events) */
  double S, S_sd_ln;          /* A^2 per event and SE/mean */
  double f, f_sd_ln, f_lo, f_hi;
} ionkmc_geom_corr;

typedef struct {
  double ratio, sd_ln, lo, hi;
  int agree;                  /* 1: [lo, hi] holds 1; 0 not; -1 no interval */
} ionkmc_geom_ratio;

typedef struct {
  ionkmc_geom_ratio D, rate, disp, corr;
  double identity;            /* rate x disp x corr / D - 1 (rounding only) */
  char off[64];               /* "none", the factors off ("rate+correlation"), or, when only D
                                 disagrees, the factor farthest from 1 in its own SDs
                                 ("correlation (largest)") */
} ionkmc_geom_decomp;

/* Add one event (natoms atoms, sum of their |dr_i|^2 = S A^2, the defect's
 * net displacement squared dR2 A^2). */
void ionkmc_geom_add_event(ionkmc_geom_acc *acc, int natoms, double S, double dR2);
/* Add the jumps of one track (successive-jump cosines and returns). */
void ionkmc_geom_add_track(ionkmc_geom_acc *acc, const ionkmc_jump_track *tr);
/* acc += b. */
void ionkmc_geom_acc_merge(ionkmc_geom_acc *acc, const ionkmc_geom_acc *b);
/* The statistics of acc for a kind with z neighbour directions. */
void ionkmc_geom_finish(const ionkmc_geom_acc *acc, int z, ionkmc_geom_stats *out);

/* f = 6 D / (gamma S): D an estimate of D_species (cm^2/s; sem may be NAN),
 * events in time_s seconds of the cell, S the mean per event (A^2; sem 0 or
 * NAN allowed). f is NAN when an input is missing. */
void ionkmc_geom_correlation(ionkmc_estimate D, double events, double time_s, ionkmc_estimate S,
                             ionkmc_geom_corr *out);
/* MD over KMC, factor by factor. */
void ionkmc_geom_decompose(const ionkmc_geom_corr *md, const ionkmc_geom_corr *kmc, ionkmc_geom_decomp *out);

/* ---- MD: hop records to events and a track ------------------------------ */

/* The events of kind's mechanism among n hop records of one run (each
 * event's hops together, as the tracker's hop callback gives them) into acc;
 * when jump is not NULL (room for cap jumps), also the defect's track over
 * [t_first, t_last] ps into *track (a lone defect: the only one of its kind
 * in the run): an event whose net defect displacement is a move of the
 * kind's patterns (patternfit.h) is one jump at its first hop's time, any
 * other (a chain of hops the tracker grouped) is split into its hops in
 * time order; events whose net displacement is zero add their time to the
 * next jump. IONKMC_ERANGE when cap is too small. */
ionkmc_status ionkmc_geom_md_run(const ionkmc_hop_record *h, size_t n, ionkmc_defect_kind kind, double t_first,
                                 double t_last, double a_A, ionkmc_geom_acc *acc, ionkmc_defect_jump *jump,
                                 size_t cap, ionkmc_jump_track *track, ionkmc_error *err);

/* ---- KMC: the engine's jump log to events and tracks ----------------------- */

/* The logged jumps of defect slot d (n entries of a run of duration t_end
 * s, lattice constant a_A) into acc and, with jump not NULL (room for cap),
 * its track (dwell in ps). IONKMC_ERANGE when cap is too small. */
ionkmc_status ionkmc_geom_kmc_run(const ionkmc_jump_entry *log, size_t n, int d, double t_end, double a_A,
                                  ionkmc_geom_acc *acc, ionkmc_defect_jump *jump, size_t cap,
                                  ionkmc_jump_track *track, ionkmc_error *err);

/* Sample the KMC's own geometry: nruns trajectories of cfg's box (rates
 * set; cfg->time or cfg->hops the run length; cfg->cat for providers) with
 * the jump log, run i from stream (cfg->seed, IONKMC_GEOM_STREAM + i), each
 * stopped at max_jumps hops if it gets there first; the events of every
 * defect of kind into acc, and its track when it is the only defect of the
 * box. IONKMC_EINVAL / ENOMEM / the engine's statuses. */
#define IONKMC_GEOM_STREAM (UINT64_C(0x67656f6d) << 32)
ionkmc_status ionkmc_geom_kmc_sample(const ionkmc_run_config *cfg, const ionkmc_lattice *lat, ionkmc_defect_kind kind,
                                     int nruns, size_t max_jumps, ionkmc_geom_acc *acc, ionkmc_error *err);

#endif
