/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc events: the point defects of MAPbI3 and their migration mechanisms,
 * as one table (events/defects.c) that the engine, the MD hop classifier,
 * the catalog's validation and the command-line help read.
 *
 * Conventions
 *   Names are the exact ASCII strings "V_I+", "I_I-", "I_MA+", "I_MA0",
 *   "V_MA-", "V_MA0", used everywhere (CLI, JSON, CSV).
 *   Charges are in units of the elementary charge e.
 *   Species: 0 = I (on the X sublattice), 1 = MA (on the A sublattice); every
 *   per-species array has IONKMC_NSPECIES entries in that order.
 *   Vacancies: one neighbouring atom (I) or molecule (MA) moves into the
 *   vacant site; z = 8 paths on X (a/sqrt 2), 6 paths on A (a).
 *   Split interstitials: two atoms share one site; either of the two moves to
 *   one of the z neighbouring sites and pairs with the atom there, so there are
 *   2 z paths. The MA interstitial's displacement pattern is configurable:
 *     SINGLE     one molecule moves by a (default);
 *     COLLINEAR  the moving molecule pushes the molecule of the target cage on
 *                by a along the same axis, so two molecules move by a and the
 *                pair ends up 2a away.
 *   An interstitial atom that moves onto a vacancy of its own species
 *   annihilates the pair (Frenkel recombination).
 *   Each mechanism carries the rule by which an observed MD hop of an atom
 *   to a nearest-neighbour site of its sublattice is classified as it, from
 *   the occupancies of the two sites just before the hop.
 * Ownership: the table entries are static and never freed.
 *
 * Adding a defect kind: a value in ionkmc_defect_kind (before
 * IONKMC_NDEFECT) and its row in DEFECTS of events/defects.c; a new
 * mechanism likewise in ionkmc_mechanism and MECHANISMS.
 */
#ifndef IONKMC_DEFECTS_H
#define IONKMC_DEFECTS_H

#include <stddef.h>

#include "lattice/lattice.h"

typedef enum {
  IONKMC_V_I = 0,   /* "V_I+"  iodide vacancy, +1 */
  IONKMC_I_I = 1,   /* "I_I-"  iodide split interstitial, -1 */
  IONKMC_I_MA_P = 2,/* "I_MA+" MA split interstitial, +1 */
  IONKMC_I_MA_0 = 3,/* "I_MA0" MA split interstitial, 0 */
  IONKMC_V_MA_M = 4,/* "V_MA-" MA vacancy, -1 */
  IONKMC_V_MA_0 = 5,/* "V_MA0" MA vacancy, 0 */
  IONKMC_NDEFECT = 6
} ionkmc_defect_kind;

/* The mobile species. */
typedef enum {
  IONKMC_SPECIES_I = 0,  /* iodide, X sublattice */
  IONKMC_SPECIES_MA = 1, /* methylammonium, A sublattice */
  IONKMC_NSPECIES = 2
} ionkmc_species;

/* Migration mechanisms. IONKMC_MECH_UNCLASSIFIED labels an observed hop that
 * matches no mechanism's rule; arrays over the mechanisms and that label
 * have IONKMC_NMECH entries. */
typedef enum {
  IONKMC_MECH_KICK_OUT = 0,       /* "kick_out"        V_I: an I atom into an empty X site */
  IONKMC_MECH_DOUBLE_BRIDGE = 1,  /* "double_bridge"   I_I: split I pair to a single I */
  IONKMC_MECH_CONCERTED_MA = 2,   /* "concerted_ma"    I_MA: split MA pair to a single MA */
  IONKMC_MECH_MA_VACANCY_HOP = 3, /* "ma_vacancy_hop"  V_MA: an MA into an empty A site */
  IONKMC_NMECHANISM = 4,
  IONKMC_MECH_UNCLASSIFIED = IONKMC_NMECHANISM,
  IONKMC_NMECH = IONKMC_NMECHANISM + 1
} ionkmc_mechanism;

/* Displacement patterns: how a defect's hop moves atoms and whether its
 * successive hops are correlated. A catalog entry chooses one (default
 * SINGLE); a kind takes the patterns of its row's mask. A pattern may carry
 * up to IONKMC_PATTERN_MAXRATES rates of its own (named in its row, each an
 * Arrhenius pair {nu 1/s, Eb eV} in the catalog's "pattern_rates"):
 *   SINGLE     one atom or molecule moves per hop (any kind);
 *   COLLINEAR  the MA interstitial pushes the next molecule on (see above);
 *   ORIENTED   the split pair has an orientation that fixes its hop
 *              destinations, and re-orients at its rate "reorient";
 *   RETURNS    after each hop the defect sits in an unrelaxed state from
 *              which the reverse hop has the extra rate "back", and which
 *              decays at the rate "relax" (any kind);
 *   RELAY      ORIENTED with forward persistence: after a hop by v, while
 *              the pair keeps the orientation the hop gave it (fresh), the
 *              resident atom's path along the same v has the extra rate
 *              "forward" and each of the two side paths of that plane
 *              (perpendicular to v: neither forward nor the return -v) the
 *              extra rate "side"; the return keeps the plain rate (I_I-
 *              only; rates "reorient", "forward", "side"; "side" may be
 *              absent from a catalog, meaning 0). */
typedef enum {
  IONKMC_PATTERN_SINGLE = 0,
  IONKMC_PATTERN_COLLINEAR = 1,
  IONKMC_PATTERN_ORIENTED = 2,
  IONKMC_PATTERN_RETURNS = 3,
  IONKMC_PATTERN_RELAY = 4,
  IONKMC_NPATTERN = 5
} ionkmc_pattern;

#define IONKMC_PATTERN_MAXRATES 3

/* One row of the pattern table. */
typedef struct {
  const char *name;                              /* "single", "collinear", ... */
  const char *help;                              /* one line */
  int nrates;                                    /* rates of its own, <= IONKMC_PATTERN_MAXRATES */
  const char *rate_name[IONKMC_PATTERN_MAXRATES];/* keys in "pattern_rates" */
  int noptional;                                 /* the last noptional rates may be absent (then 0) */
} ionkmc_pattern_info;

/* Largest number of paths of any defect (2 x 8 for I_I-). */
#define IONKMC_MAX_PATHS 16

/* One row of the defect table. */
typedef struct {
  const char *name;         /* "V_I+" */
  ionkmc_species species;   /* the species whose atoms move */
  int charge;               /* e */
  int vacancy;              /* 1 vacancy, 0 split interstitial */
  ionkmc_mechanism mechanism;
  unsigned patterns;        /* bit p: takes ionkmc_pattern p (SINGLE always) */
} ionkmc_defect_info;

/* One row of the mechanism table. An observed hop of an atom of `species` to
 * a nearest-neighbour site is this mechanism when the origin held at least
 * md_from_min atoms and the target exactly md_to, just before the hop. */
typedef struct {
  const char *name;         /* "kick_out" */
  ionkmc_species species;
  int vacancy;              /* 1: the defect it moves is a vacancy */
  int md_from_min;
  int md_to;
} ionkmc_mechanism_info;

/* The row of kind k, NULL for an invalid kind. */
const ionkmc_defect_info *ionkmc_defect_info_get(ionkmc_defect_kind k);
/* The row of mechanism m, NULL for IONKMC_MECH_UNCLASSIFIED or invalid. */
const ionkmc_mechanism_info *ionkmc_mechanism_info_get(ionkmc_mechanism m);

/* The ASCII name of a kind ("V_I+", ...); NULL for an invalid kind. */
const char *ionkmc_defect_name(ionkmc_defect_kind k);
/* Parse an exact name into *k. Returns IONKMC_EINVAL for an unknown name. */
ionkmc_status ionkmc_defect_parse(const char *name, ionkmc_defect_kind *k);
/* Every kind's name in table order, comma-separated ("V_I+, I_I-, ..."),
 * into buf (cap bytes; IONKMC_DEFECT_NAMES_CAP holds the whole list);
 * returns buf. */
#define IONKMC_DEFECT_NAMES_CAP (10 * IONKMC_NDEFECT)
const char *ionkmc_defect_names(char *buf, size_t cap);
/* The same for the kinds that take the collinear pattern ("I_MA+, I_MA0"). */
const char *ionkmc_defect_pattern_names(char *buf, size_t cap);
/* The sublattice a defect lives on (X for iodide defects, A for MA). */
ionkmc_sublattice ionkmc_defect_sublattice(ionkmc_defect_kind k);
/* The species index (0 = I, 1 = MA). */
int ionkmc_defect_species_index(ionkmc_defect_kind k);
/* 1 for vacancies, 0 for split interstitials. */
int ionkmc_defect_is_vacancy(ionkmc_defect_kind k);
/* Charge in units of e. */
int ionkmc_defect_charge(ionkmc_defect_kind k);
/* The mechanism name of a kind: "kick_out", "double_bridge", "concerted_ma",
 * "ma_vacancy_hop". */
const char *ionkmc_defect_mechanism(ionkmc_defect_kind k);
/* 1 if kind k takes pattern p. */
int ionkmc_defect_takes_pattern(ionkmc_defect_kind k, ionkmc_pattern p);
/* Number of neighbour directions z (8 on X, 6 on A). */
int ionkmc_defect_z(ionkmc_defect_kind k);
/* Number of paths: z for vacancies, 2 z for split interstitials. */
int ionkmc_defect_npaths(ionkmc_defect_kind k);
/* The species a defect moves: "I" or "MA". */
const char *ionkmc_defect_species(ionkmc_defect_kind k);

/* Species names "I" / "MA" and sublattices; NULL / X for an invalid one. */
const char *ionkmc_species_name(int species);
ionkmc_sublattice ionkmc_species_sublattice(int species);

/* Mechanism names ("kick_out", ..., "unclassified" for any other value). */
const char *ionkmc_mechanism_name(ionkmc_mechanism m);
/* The mechanism of a kind. */
ionkmc_mechanism ionkmc_mechanism_of_kind(ionkmc_defect_kind k);
/* The mechanism that moves the vacancies (vacancy = 1) or the split
 * interstitials (vacancy = 0) of a species; IONKMC_MECH_UNCLASSIFIED if none. */
ionkmc_mechanism ionkmc_mechanism_of(int species, int vacancy);
/* Classify an observed hop of an atom of a species to a nearest-neighbour
 * site whose origin held from_occ atoms and target to_occ, just before the
 * hop: the first mechanism whose rule matches, else IONKMC_MECH_UNCLASSIFIED. */
ionkmc_mechanism ionkmc_mechanism_classify(int species, int from_occ, int to_occ);

/* The row of pattern p, NULL for an invalid one. */
const ionkmc_pattern_info *ionkmc_pattern_info_get(ionkmc_pattern p);
/* Pattern names ("single", ...; "single" for an invalid value); parse returns
 * IONKMC_EINVAL if unknown. */
const char *ionkmc_pattern_name(ionkmc_pattern p);
ionkmc_status ionkmc_pattern_parse(const char *name, ionkmc_pattern *p);
/* 1 if pattern p correlates successive hops through a per-defect state
 * (ORIENTED, RETURNS, RELAY: the engine's general route), 0 otherwise. */
int ionkmc_pattern_correlated(ionkmc_pattern p);
/* The names of the patterns kind k takes, ", "-separated, into buf (cap
 * bytes); returns buf. */
const char *ionkmc_defect_pattern_list(ionkmc_defect_kind k, char *buf, size_t cap);

#endif
