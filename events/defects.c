/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "events/defects.h"

#include <string.h>

static const char *const NAMES[IONKMC_NDEFECT] = {"V_I+", "I_I-", "I_MA+", "I_MA0", "V_MA-", "V_MA0"};
static const char *const MECH[IONKMC_NDEFECT] = {"kick_out",     "double_bridge", "concerted_ma",
                                                 "concerted_ma", "ma_vacancy_hop", "ma_vacancy_hop"};
static const int CHARGE[IONKMC_NDEFECT] = {+1, -1, +1, 0, -1, 0};
static const int VACANCY[IONKMC_NDEFECT] = {1, 0, 0, 0, 1, 1};

const char *ionkmc_defect_name(ionkmc_defect_kind k) {
  return (k >= 0 && k < IONKMC_NDEFECT) ? NAMES[k] : NULL;
}

ionkmc_status ionkmc_defect_parse(const char *name, ionkmc_defect_kind *k) {
  if (!name) return IONKMC_EINVAL;
  for (int i = 0; i < IONKMC_NDEFECT; i++)
    if (!strcmp(name, NAMES[i])) {
      *k = (ionkmc_defect_kind)i;
      return IONKMC_OK;
    }
  return IONKMC_EINVAL;
}

ionkmc_sublattice ionkmc_defect_sublattice(ionkmc_defect_kind k) {
  return (k == IONKMC_V_I || k == IONKMC_I_I) ? IONKMC_SUB_X : IONKMC_SUB_A;
}

int ionkmc_defect_is_vacancy(ionkmc_defect_kind k) { return VACANCY[k]; }
int ionkmc_defect_charge(ionkmc_defect_kind k) { return CHARGE[k]; }
const char *ionkmc_defect_mechanism(ionkmc_defect_kind k) { return MECH[k]; }

int ionkmc_defect_z(ionkmc_defect_kind k) {
  return ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? IONKMC_NNB_XX : IONKMC_NNB_AA;
}

int ionkmc_defect_npaths(ionkmc_defect_kind k) {
  return VACANCY[k] ? ionkmc_defect_z(k) : 2 * ionkmc_defect_z(k);
}

const char *ionkmc_defect_species(ionkmc_defect_kind k) {
  return ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? "I" : "MA";
}

const char *ionkmc_pattern_name(ionkmc_pattern p) {
  return p == IONKMC_PATTERN_COLLINEAR ? "collinear" : "single";
}

ionkmc_status ionkmc_pattern_parse(const char *name, ionkmc_pattern *p) {
  if (name && !strcmp(name, "single")) {
    *p = IONKMC_PATTERN_SINGLE;
    return IONKMC_OK;
  }
  if (name && !strcmp(name, "collinear")) {
    *p = IONKMC_PATTERN_COLLINEAR;
    return IONKMC_OK;
  }
  return IONKMC_EINVAL;
}
