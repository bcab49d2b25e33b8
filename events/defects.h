/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc events: the point defects of MAPbI3 and their migration mechanisms.
 *
 * Conventions
 *   Names are the exact ASCII strings "V_I+", "I_I-", "I_MA+", "I_MA0",
 *   "V_MA-", "V_MA0", used everywhere (CLI, JSON, CSV).
 *   Charges are in units of the elementary charge e.
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
 */
#ifndef IONKMC_DEFECTS_H
#define IONKMC_DEFECTS_H

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

typedef enum {
  IONKMC_PATTERN_SINGLE = 0,
  IONKMC_PATTERN_COLLINEAR = 1
} ionkmc_pattern;

/* Largest number of paths of any defect (2 x 8 for I_I-). */
#define IONKMC_MAX_PATHS 16

/* The ASCII name of a kind ("V_I+", ...); NULL for an invalid kind. */
const char *ionkmc_defect_name(ionkmc_defect_kind k);
/* Parse an exact name into *k. Returns IONKMC_EINVAL for an unknown name. */
ionkmc_status ionkmc_defect_parse(const char *name, ionkmc_defect_kind *k);
/* The sublattice a defect lives on (X for iodide defects, A for MA). */
ionkmc_sublattice ionkmc_defect_sublattice(ionkmc_defect_kind k);
/* 1 for vacancies, 0 for split interstitials. */
int ionkmc_defect_is_vacancy(ionkmc_defect_kind k);
/* Charge in units of e. */
int ionkmc_defect_charge(ionkmc_defect_kind k);
/* The mechanism name of a kind: "kick_out", "double_bridge", "concerted_ma",
 * "ma_vacancy_hop". */
const char *ionkmc_defect_mechanism(ionkmc_defect_kind k);
/* Number of neighbour directions z (8 on X, 6 on A). */
int ionkmc_defect_z(ionkmc_defect_kind k);
/* Number of paths: z for vacancies, 2 z for split interstitials. */
int ionkmc_defect_npaths(ionkmc_defect_kind k);
/* The species a defect moves: "I" or "MA". */
const char *ionkmc_defect_species(ionkmc_defect_kind k);
/* Pattern names "single" / "collinear"; parse returns IONKMC_EINVAL if unknown. */
const char *ionkmc_pattern_name(ionkmc_pattern p);
ionkmc_status ionkmc_pattern_parse(const char *name, ionkmc_pattern *p);

#endif
