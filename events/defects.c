/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The defect and mechanism tables. See defects.h. */
#include "events/defects.h"

#include <string.h>

#define P(p) (1u << IONKMC_PATTERN_##p)
#define VAC_PATTERNS (P(SINGLE) | P(RETURNS))
#define II_PATTERNS (P(SINGLE) | P(ORIENTED) | P(RETURNS) | P(RELAY))
#define IMA_PATTERNS (P(SINGLE) | P(COLLINEAR) | P(RETURNS))

/* In ionkmc_defect_kind order. */
static const ionkmc_defect_info DEFECTS[IONKMC_NDEFECT] = {
    /* name    species            q  vac mechanism                   patterns */
    {"V_I+", IONKMC_SPECIES_I, +1, 1, IONKMC_MECH_KICK_OUT, VAC_PATTERNS},
    {"I_I-", IONKMC_SPECIES_I, -1, 0, IONKMC_MECH_DOUBLE_BRIDGE, II_PATTERNS},
    {"I_MA+", IONKMC_SPECIES_MA, +1, 0, IONKMC_MECH_CONCERTED_MA, IMA_PATTERNS},
    {"I_MA0", IONKMC_SPECIES_MA, 0, 0, IONKMC_MECH_CONCERTED_MA, IMA_PATTERNS},
    {"V_MA-", IONKMC_SPECIES_MA, -1, 1, IONKMC_MECH_MA_VACANCY_HOP, VAC_PATTERNS},
    {"V_MA0", IONKMC_SPECIES_MA, 0, 1, IONKMC_MECH_MA_VACANCY_HOP, VAC_PATTERNS},
};

/* In ionkmc_pattern order. */
static const ionkmc_pattern_info PATTERNS[IONKMC_NPATTERN] = {
    {"single", "one atom or molecule moves per hop; successive hops uncorrelated", 0, {NULL}, 0},
    {"collinear", "the moving MA pushes the next molecule on along the same axis (2a per hop)", 0,
     {NULL}, 0},
    {"oriented", "the split pair's orientation fixes its destinations; it re-orients at rate reorient", 1,
     {"reorient"}, 0},
    {"returns", "after a hop an unrelaxed state speeds the reverse hop by rate back until it relaxes at rate relax",
     2, {"back", "relax"}, 0},
    {"relay", "oriented, and until the pair re-orients the resident atom's hop along the last hop's direction is "
     "faster by rate forward and the two side hops of the plane by rate side", 3, {"reorient", "forward", "side"},
     1},
};

/* In ionkmc_mechanism order. A vacancy moves when an atom enters an empty
 * site; a split interstitial when one of a pair leaves for a singly occupied
 * site. */
static const ionkmc_mechanism_info MECHANISMS[IONKMC_NMECHANISM] = {
    /* name              species            vac from>= to */
    {"kick_out", IONKMC_SPECIES_I, 1, 0, 0},
    {"double_bridge", IONKMC_SPECIES_I, 0, 2, 1},
    {"concerted_ma", IONKMC_SPECIES_MA, 0, 2, 1},
    {"ma_vacancy_hop", IONKMC_SPECIES_MA, 1, 0, 0},
};

static const char *const SPECIES[IONKMC_NSPECIES] = {"I", "MA"};
static const ionkmc_sublattice SPECIES_SUB[IONKMC_NSPECIES] = {IONKMC_SUB_X, IONKMC_SUB_A};

const ionkmc_defect_info *ionkmc_defect_info_get(ionkmc_defect_kind k) {
  return (k >= 0 && k < IONKMC_NDEFECT) ? &DEFECTS[k] : NULL;
}

const ionkmc_mechanism_info *ionkmc_mechanism_info_get(ionkmc_mechanism m) {
  return (m >= 0 && m < IONKMC_NMECHANISM) ? &MECHANISMS[m] : NULL;
}

const char *ionkmc_defect_name(ionkmc_defect_kind k) {
  return (k >= 0 && k < IONKMC_NDEFECT) ? DEFECTS[k].name : NULL;
}

ionkmc_status ionkmc_defect_parse(const char *name, ionkmc_defect_kind *k) {
  if (!name) return IONKMC_EINVAL;
  for (int i = 0; i < IONKMC_NDEFECT; i++)
    if (!strcmp(name, DEFECTS[i].name)) {
      *k = (ionkmc_defect_kind)i;
      return IONKMC_OK;
    }
  return IONKMC_EINVAL;
}

/* Append name to the ", "-separated list buf[0..*n) (cap bytes); 0 when it
 * does not fit. */
static int join(char *buf, size_t *n, size_t cap, const char *name) {
  size_t len = strlen(name);
  if (*n + len + 3 > cap) return 0;
  if (*n) buf[(*n)++] = ',', buf[(*n)++] = ' ';
  memcpy(buf + *n, name, len);
  *n += len;
  return 1;
}

/* The names of the kinds with a pattern bit in mask, ", "-separated. */
static const char *name_list(char *buf, size_t cap, unsigned mask) {
  size_t n = 0;
  if (!buf || !cap) return buf;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (!(DEFECTS[k].patterns & mask)) continue;
    if (!join(buf, &n, cap, DEFECTS[k].name)) break;
  }
  buf[n] = 0;
  return buf;
}

const char *ionkmc_defect_names(char *buf, size_t cap) { return name_list(buf, cap, ~0u); }

const char *ionkmc_defect_pattern_names(char *buf, size_t cap) {
  return name_list(buf, cap, P(COLLINEAR));
}

const char *ionkmc_defect_pattern_list(ionkmc_defect_kind k, char *buf, size_t cap) {
  size_t n = 0;
  if (!buf || !cap) return buf;
  buf[0] = 0;
  if (k < 0 || k >= IONKMC_NDEFECT) return buf;
  for (int p = 0; p < IONKMC_NPATTERN; p++) {
    if (!(DEFECTS[k].patterns & (1u << p))) continue;
    if (!join(buf, &n, cap, PATTERNS[p].name)) break;
  }
  buf[n] = 0;
  return buf;
}

int ionkmc_defect_species_index(ionkmc_defect_kind k) { return (int)DEFECTS[k].species; }

ionkmc_sublattice ionkmc_defect_sublattice(ionkmc_defect_kind k) {
  return SPECIES_SUB[DEFECTS[k].species];
}

int ionkmc_defect_is_vacancy(ionkmc_defect_kind k) { return DEFECTS[k].vacancy; }
int ionkmc_defect_charge(ionkmc_defect_kind k) { return DEFECTS[k].charge; }
const char *ionkmc_defect_mechanism(ionkmc_defect_kind k) {
  return MECHANISMS[DEFECTS[k].mechanism].name;
}

int ionkmc_defect_takes_pattern(ionkmc_defect_kind k, ionkmc_pattern p) {
  if (k < 0 || k >= IONKMC_NDEFECT || p < 0 || p >= IONKMC_NPATTERN) return 0;
  return (int)((DEFECTS[k].patterns >> p) & 1u);
}

int ionkmc_defect_z(ionkmc_defect_kind k) {
  return ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? IONKMC_NNB_XX : IONKMC_NNB_AA;
}

int ionkmc_defect_npaths(ionkmc_defect_kind k) {
  return DEFECTS[k].vacancy ? ionkmc_defect_z(k) : 2 * ionkmc_defect_z(k);
}

const char *ionkmc_defect_species(ionkmc_defect_kind k) { return SPECIES[DEFECTS[k].species]; }

const char *ionkmc_species_name(int species) {
  return (species >= 0 && species < IONKMC_NSPECIES) ? SPECIES[species] : NULL;
}

ionkmc_sublattice ionkmc_species_sublattice(int species) {
  return (species >= 0 && species < IONKMC_NSPECIES) ? SPECIES_SUB[species] : IONKMC_SUB_X;
}

const char *ionkmc_mechanism_name(ionkmc_mechanism m) {
  return (m >= 0 && m < IONKMC_NMECHANISM) ? MECHANISMS[m].name : "unclassified";
}

ionkmc_mechanism ionkmc_mechanism_of_kind(ionkmc_defect_kind k) { return DEFECTS[k].mechanism; }

ionkmc_mechanism ionkmc_mechanism_of(int species, int vacancy) {
  for (int m = 0; m < IONKMC_NMECHANISM; m++)
    if ((int)MECHANISMS[m].species == species && MECHANISMS[m].vacancy == vacancy)
      return (ionkmc_mechanism)m;
  return IONKMC_MECH_UNCLASSIFIED;
}

ionkmc_mechanism ionkmc_mechanism_classify(int species, int from_occ, int to_occ) {
  for (int m = 0; m < IONKMC_NMECHANISM; m++) {
    const ionkmc_mechanism_info *M = &MECHANISMS[m];
    if ((int)M->species == species && from_occ >= M->md_from_min && to_occ == M->md_to)
      return (ionkmc_mechanism)m;
  }
  return IONKMC_MECH_UNCLASSIFIED;
}

const ionkmc_pattern_info *ionkmc_pattern_info_get(ionkmc_pattern p) {
  return (p >= 0 && p < IONKMC_NPATTERN) ? &PATTERNS[p] : NULL;
}

const char *ionkmc_pattern_name(ionkmc_pattern p) {
  return (p >= 0 && p < IONKMC_NPATTERN) ? PATTERNS[p].name : PATTERNS[0].name;
}

ionkmc_status ionkmc_pattern_parse(const char *name, ionkmc_pattern *p) {
  for (int i = 0; name && i < IONKMC_NPATTERN; i++)
    if (!strcmp(name, PATTERNS[i].name)) {
      *p = (ionkmc_pattern)i;
      return IONKMC_OK;
    }
  return IONKMC_EINVAL;
}

int ionkmc_pattern_correlated(ionkmc_pattern p) {
  return p == IONKMC_PATTERN_ORIENTED || p == IONKMC_PATTERN_RETURNS || p == IONKMC_PATTERN_RELAY;
}
