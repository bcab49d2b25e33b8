/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: element names (calibration/traj.h), in a file of their
 * own so that the H5MD module (calibration/h5md_module.h) carries them. */
#include <string.h>

#include "calibration/traj.h"

static const char *const ELNAME[IONKMC_NELEMENT] = {"?", "Pb", "I", "C", "N", "H",
                                                    "Cs", "Br", "Cl", "Sn", "Rb", "K", "FA"};

ionkmc_element ionkmc_element_parse(const char *s, int len) {
  for (int e = 1; e < IONKMC_NELEMENT; e++)
    if ((int)strlen(ELNAME[e]) == len && !strncmp(s, ELNAME[e], (size_t)len)) return (ionkmc_element)e;
  return IONKMC_EL_UNKNOWN;
}

const char *ionkmc_element_name(ionkmc_element e) {
  return (e >= 1 && e < IONKMC_NELEMENT) ? ELNAME[e] : ELNAME[0];
}
