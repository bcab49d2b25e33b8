/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The paper's Table 2 as a table (barriers/paper_table2.h). */
#include "barriers/paper_table2.h"

#include <math.h>
#include <stddef.h>

#include "barriers/catalog.h"

#define ROW(k, r) {k, IONKMC_T2_EA(r), IONKMC_T2_EA_ERR(r), IONKMC_T2_D0(r), IONKMC_T2_D0_ERR(r)},
static const ionkmc_paper_table2_row ROWS[] = {IONKMC_PAPER_TABLE2(ROW)};

const ionkmc_paper_table2_row *ionkmc_paper_table2(ionkmc_defect_kind k) {
  for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++)
    if (ROWS[i].kind == k) return &ROWS[i];
  return NULL;
}

double ionkmc_paper_D(ionkmc_defect_kind k, double T) {
  const ionkmc_paper_table2_row *r = ionkmc_paper_table2(k);
  return r ? r->D0 * exp(-r->Ea / (IONKMC_KB_EV * T)) : NAN;
}
