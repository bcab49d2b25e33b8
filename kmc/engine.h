/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc engine: residence-time (BKL) kinetic Monte Carlo on the perovskite
 * lattice, one trajectory at a time.
 *
 * Conventions
 *   Units: time in s, rates in 1/s, T in K, lattice constant a in angstrom,
 *   energies in eV, field in V/angstrom, D in cm^2/s. Positions are integer
 *   h-units (a/2) internally; observables are converted with the run's a.
 *   Every I atom and MA molecule keeps its identity and its unwrapped
 *   position, so tracer displacements are exact.
 *   Waiting times are exact exponentials: dt = -ln(v)/R, R the total rate,
 *   v = 1 - u in (0, 1] with u the first uniform of the event's Philox block
 *   (53 bits; 1 - u is exact). The second uniform selects the event.
 *   Event selection is O(log n_defects) through a sum tree over defects,
 *   followed by a scan of that defect's <= 16 paths. After each event only the
 *   defects whose neighbourhood changed are recomputed; each defect keeps a
 *   mask of its open paths and its total rate comes from a table indexed by
 *   that mask (summed in path order, so the totals are the same doubles a
 *   path-by-path sum gives). The step allocates nothing, and the draws, the
 *   event sequence and the observables do not depend on how the step is
 *   organised internally.
 *   Field bias (when a field is set): each path's rate is multiplied by
 *   exp(q E . dr / (2 kB T)), q the defect charge (e) and dr the defect's
 *   displacement (angstrom).
 *   Thermal Frenkel pairs (spec.frenkel_w > 0, kmc/frenkel.h): an I atom
 *   moving from a singly occupied X site onto a singly occupied neighbour
 *   creates a V_I+/I_I- pair at w times the rate of the I_I- path that moves
 *   it back (detailed balance per configuration: pi(C') / pi(C) = w). One
 *   extra sum-tree leaf holds the bound 8 N_X w max Gamma_I; a proposal
 *   (site and direction from the run's proposal stream, its draw index at
 *   2^63) that is not a valid pair is a null event that only advances the
 *   clock (exact thinning). The pairs use defect slots preallocated at
 *   _alloc (frenkel_max more V_I+ and I_I- slots) and reused.
 *   Correlated patterns (spec.pattern ORIENTED, RETURNS or RELAY, own rates in
 *   spec.pattern_rate; kmc/engine_pattern.c has the rules): a defect's
 *   pattern state lives in the engine; its internal events (re-orientation
 *   at k_r, relaxation at k_relax) are selected like its paths, carry no
 *   field bias, count in obs.pattern_events and not in obs.hops. Closed
 *   forms (README "Correlated patterns"): RETURNS, a lone defect with z
 *   directions and m paths each at Gamma, R_R = m z Gamma, R_U = R_R + k_b +
 *   k_relax: return fraction (m Gamma + k_b)/R_U + (k_relax/R_U)/z, mean
 *   dwell (R_R + k_relax)/(R_R R_U). ORIENTED: the pair's next hop has
 *   components +-h along its site axis and its orientation with equal
 *   rates whatever came before, so its own f is 1 (D_defect = Gamma a^2/3);
 *   an iodide's next jump within the same pair (probability 2 Gamma /
 *   (4 Gamma + k_r)) reverses its previous jump's component along the old
 *   site axis and nothing else correlates within the pair, so without
 *   returns of the pair to an atom left behind f = (2 Gamma + k_r) /
 *   (4 Gamma + k_r); the returns lower it (tests/test_patterns.c solves the
 *   whole chain exactly in a periodic box).
 *   RELAY (ORIENTED plus the forward rate k_f on the resident's path along
 *   the last hop's v until the pair re-orients), a lone pair, R_A = 4 Gamma
 *   + k_f + k_r: <cos> of successive hops c = k_f / R_A, the defect's f =
 *   (1 + c) / (1 - c), mean dwell (4 Gamma + k_r) / (4 Gamma R_A)
 *   (tests/test_pattern_relay.c has the rest).
 *
 * Ownership: _alloc returns an engine that borrows the lattice (which must
 * outlive it) and copies the spec; the caller frees it with _free.
 */
#ifndef IONKMC_ENGINE_H
#define IONKMC_ENGINE_H

#include <stdint.h>

#include "barriers/conditions.h"
#include "barriers/provider.h"
#include "events/defects.h"
#include "kmc/rng.h"
#include "lattice/lattice.h"

/* How far a provider's barrier may look (ionkmc_provider_type.env_shells):
 * after each event the engine recomputes the rates of the defects on the
 * changed sites and their first neighbour shell. */
#define IONKMC_ENGINE_ENV_SHELLS 1

/* Log-spaced MSD sample times: t_k = t0 * 10^(k / IONKMC_MSD_PER_DECADE). */
#define IONKMC_MSD_POINTS 96
#define IONKMC_MSD_PER_DECADE 8

/* What goes into one box. */
typedef struct {
  int L;                           /* cells per edge, >= 2 */
  ionkmc_conditions cond;          /* T (K), a (angstrom), barrier shift (eV), field (V/angstrom) */
  int count[IONKMC_NDEFECT];       /* number of defects of each kind */
  double rate[IONKMC_NDEFECT];     /* per-path rate at zero field, 1/s */
  ionkmc_pattern pattern[IONKMC_NDEFECT]; /* displacement pattern (events/defects.h) */
  double pattern_rate[IONKMC_NDEFECT][IONKMC_PATTERN_MAXRATES]; /* the pattern's own rates, 1/s */
  /* Thermal iodide Frenkel pairs (kmc/frenkel.h; all zero: none). A pair
   * (an I atom moving from a singly occupied X site onto a singly occupied
   * neighbour) is created at w times the rate of the I_I- path that undoes
   * it, rate[IONKMC_I_I] at zero field, field bias included. */
  double frenkel_w;                /* exp(S_f/kB - E_f/kB T), >= 0; 0: no creation */
  int frenkel_max;                 /* created pairs alive at once beyond count[], >= 1 */
} ionkmc_box_spec;

/* Counts and time integrals of a box with thermal Frenkel pairs, from the
 * reset up to t. n_V = vacancies V_I+, n_def = defects of every kind alive. */
typedef struct {
  double t;               /* s */
  int64_t created;        /* pairs created */
  int64_t recombinations; /* pairs annihilated (X and A sublattices) */
  int64_t null_events;    /* creation proposals rejected (sites not both singly occupied) */
  double nv_dt;           /* integral of n_V dt, s */
  double nv2_dt;          /* integral of n_V^2 dt, s */
  double ndef_dt;         /* integral of n_def dt, s */
} ionkmc_frenkel_tally;

/* Observables of one trajectory. Species index 0 = I (X sublattice),
 * 1 = MA (A sublattice). Lengths in h-units (a/2) unless stated. */
typedef struct {
  double t;                              /* simulated time, s */
  int64_t hops;                          /* all events */
  int64_t hops_by_kind[IONKMC_NDEFECT];  /* events by the mechanism of each defect kind */
  int64_t recombinations;                /* Frenkel pairs annihilated */
  int natoms[IONKMC_NSPECIES];           /* atoms (molecules) of each species */
  int64_t sum_dr2[IONKMC_NSPECIES];      /* sum_i |dr_i|^2 over the species, h^2 */
  int64_t sum_dr[IONKMC_NSPECIES][3];    /* sum_i dr_i (centre of charge), h */
  int64_t sum_jump2[IONKMC_NSPECIES];    /* sum over atom jumps of |jump|^2, h^2 */
  double defect_r2;                      /* sum over defect blocks of |dR|^2, h^2 */
  double defect_t;                       /* sum over defect blocks of duration, s */
  double defect_drift[3];                /* sum over defects of q * dR (h-units) */
  /* Drift-free moments (used under a field): each defect's block
   * displacements dR_b less its own mean velocity v = sum dR_b / sum t_b,
   * and the species' centre-of-charge blocks dS_b less theirs. Their
   * expectation is 6 D (sum t_b - sum t_b^2 / sum t_b) per defect (per
   * species), which the _t fields hold, so D = r2 / (6 t) has no bias from
   * the estimated drift. */
  double defect_r2_nodrift;              /* h^2 */
  double defect_t_nodrift;               /* s */
  double sigma_r2_nodrift[IONKMC_NSPECIES]; /* h^2 */
  double sigma_r2[IONKMC_NSPECIES];      /* sum_b |dS_b|^2 of the centre, drift kept, h^2 */
  double sigma_t_nodrift;                /* s */
  int defects_alive;                     /* at the end */
  double t_emptied[IONKMC_NSPECIES];     /* s: when the species' last defect annihilated
                                            (-1: it never lost them all) */
  int no_events;                         /* 1 if the box ran out of events */
  double msd_t0;                         /* first MSD sample time, s */
  int msd_n;                             /* samples reached */
  double msd[IONKMC_NSPECIES][IONKMC_MSD_POINTS]; /* sum_dr2 (h^2) at t_k */
  int alive_at[IONKMC_MSD_POINTS];       /* defects alive at t_k */
  int64_t cache_hits, cache_misses;      /* environment cache (kra, torch) */
  /* boxes with thermal Frenkel pairs only (spec.frenkel_w > 0) */
  ionkmc_frenkel_tally frenkel;          /* over the whole run */
  ionkmc_frenkel_tally frenkel_half;     /* up to the mark (ionkmc_engine_frenkel_mark) */
  double t_present[IONKMC_NSPECIES];     /* s the species spent with defects */
  /* internal events of the correlated patterns, by kind: re-orientations
   * (ORIENTED) and relaxations (RETURNS); not hops, so not in hops */
  int64_t pattern_events[IONKMC_NDEFECT];
} ionkmc_run_obs;

typedef struct ionkmc_engine ionkmc_engine;

/* The conditions of a box (T, a, shift, field), as the model and the
 * providers take them. */
ionkmc_conditions ionkmc_box_spec_conditions(const ionkmc_box_spec *spec);

/* Check spec against lattice lat as ionkmc_engine_alloc does, without
 * building an engine: size, conditions, counts, rates, patterns, room.
 * IONKMC_EINVAL / IONKMC_ERANGE with a message naming the field. */
ionkmc_status ionkmc_box_spec_check(const ionkmc_box_spec *spec, const ionkmc_lattice *lat,
                                    ionkmc_error *err);

/* Allocate an engine for spec on lattice lat (whose size must be spec->L).
 * NULL with err/status set on bad input (IONKMC_EINVAL/ERANGE) or ENOMEM. */
ionkmc_engine *ionkmc_engine_alloc(const ionkmc_box_spec *spec, const ionkmc_lattice *lat,
                                   ionkmc_error *err, ionkmc_status *status);
/* Free; NULL is a no-op. */
void ionkmc_engine_free(ionkmc_engine *e);

/* Take the rates of the kinds whose provider reads the environment (kra,
 * torch) from prov (borrowed; one provider set per engine, as it caches;
 * usually ionkmc_model_providers). Call before _reset. In quenched
 * orientation mode the reset also draws an MA orientation class per cage.
 * IONKMC_EINVAL on a NULL argument, a set opened at other conditions
 * (T, a, shift, field) than the box's, or a provider of a kind in the box
 * that reads more than IONKMC_ENGINE_ENV_SHELLS shells. */
ionkmc_status ionkmc_engine_set_providers(ionkmc_engine *e, ionkmc_providers *prov,
                                          ionkmc_error *err);

/* Reset to a fresh random placement of the defects drawn from rng, zero time
 * and observables. */
ionkmc_status ionkmc_engine_reset(ionkmc_engine *e, ionkmc_rng *rng, ionkmc_error *err);

/* Run until max_hops events (if > 0) or max_time seconds (if > 0), whichever
 * comes first, or until no event is possible. block_hops > 0 sets the hop
 * count of the blocks used for D_defect. IONKMC_EINVAL if neither limit is
 * set. */
ionkmc_status ionkmc_engine_run(ionkmc_engine *e, ionkmc_rng *rng, int64_t max_hops,
                                double max_time, int64_t block_hops);

/* One event (exposed for tests). IONKMC_ESTATE if no event is possible; a
 * provider failure (a model's NaN or negative barrier) is returned by _step,
 * _run and _reset with its message in ionkmc_engine_error. */
ionkmc_status ionkmc_engine_step(ionkmc_engine *e, ionkmc_rng *rng);

/* Observables so far (the engine's copy, borrowed). Closes the open defect
 * block first. */
const ionkmc_run_obs *ionkmc_engine_obs(ionkmc_engine *e);

/* Counts and time integrals of thermal Frenkel pairs up to now (all zero
 * without pair creation). Does not close the defect block. */
void ionkmc_engine_frenkel_tally(ionkmc_engine *e, ionkmc_frenkel_tally *out);
/* Keep the tally up to now in the observables (frenkel_half): the runner
 * marks the end of a run's first half, after which the population is
 * measured, so that the mark travels with the run's observables. */
void ionkmc_engine_frenkel_mark(ionkmc_engine *e);

/* The message of the last provider failure (borrowed). */
const char *ionkmc_engine_error(const ionkmc_engine *e);

/* Total rate of the current configuration, 1/s. */
double ionkmc_engine_total_rate(const ionkmc_engine *e);
/* The rate each defect would have with no neighbour blocked:
 * sum over kinds of count * npaths * rate (1/s), at zero field. */
double ionkmc_box_spec_nominal_rate(const ionkmc_box_spec *spec);

/* Introspection for tests and writers: number of defect slots (alive or
 * not; with thermal Frenkel pairs, also the slots kept for created pairs),
 * the kind, site and alive flag of defect i, and unwrapped h-unit position. */
int ionkmc_engine_ndefects(const ionkmc_engine *e);
void ionkmc_engine_defect(const ionkmc_engine *e, int i, ionkmc_defect_kind *kind, int *site,
                          int *alive, int32_t pos[3]);
/* Occupancy (0, 1 or 2) of a site. */
int ionkmc_engine_occupancy(const ionkmc_engine *e, ionkmc_sublattice sub, int site);
/* Atoms of a species (0 = I, 1 = MA), their h-unit displacements since the
 * reset (borrowed, [3 n]) and current sites (borrowed, [n]); the step keeps
 * both with the sites, so each call rebuilds its array in O(sites): call it
 * again after stepping. */
int ionkmc_engine_natoms(const ionkmc_engine *e, int species);
const int32_t *ionkmc_engine_atom_disp(const ionkmc_engine *e, int species);
const int32_t *ionkmc_engine_atom_site(const ionkmc_engine *e, int species);
/* An I_I- pair of the oriented pattern on X site `site`: 1 with its
 * orientation axis (0..2) and the atoms (indices as ionkmc_engine_atom_disp)
 * on its + side (atoms[0]) and - side (atoms[1]); 0 when the site holds no
 * oriented pair. */
int ionkmc_engine_oriented_pair(const ionkmc_engine *e, int site, int *axis, int atoms[2]);
/* Per-path rates of defect i, 1/s (borrowed, IONKMC_MAX_PATHS entries;
 * filled by each call from the defect's open paths, so call it again after
 * stepping). */
const double *ionkmc_engine_path_rates(const ionkmc_engine *e, int i);

#endif
