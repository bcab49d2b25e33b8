/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: Table 2 of the paper (Tyagi, Brocks, Tao, "A unified
 * microscopic picture of cation and anion migration in MAPbI3"): the MD
 * Arrhenius law D = D0 exp(-Ea/kT) of each mobile defect, D as the paper's
 * Eq. S1-S2 (summed over the species' atoms, one defect in the 6x6x6 cell).
 *
 * Conventions
 *   Units: Ea and its standard error in eV, D0 and its standard error in
 *   cm^2/s, T in K, D in cm^2/s. The MA vacancies have no row (no hop in the
 *   paper's MD).
 *   The numbers are written once, in IONKMC_PAPER_TABLE2 below: the table of
 *   paper_table2.c and the embedded default catalog (default_catalog.c, which
 *   pastes them into its JSON text with IONKMC_T2_STR) both expand it.
 * Ownership: rows are static; nothing to free.
 */
#ifndef IONKMC_PAPER_TABLE2_H
#define IONKMC_PAPER_TABLE2_H

#include "events/defects.h"

/* Each row: (Ea, Ea_err, D0, D0_err). */
#define IONKMC_T2_I_I    (0.18, 0.03, 5.93e-4, 0.000397)
#define IONKMC_T2_V_I    (0.15, 0.04, 1.04e-4, 9.2e-05)
#define IONKMC_T2_I_MA_0 (0.18, 0.06, 3.16e-4, 0.000427)
#define IONKMC_T2_I_MA_P (0.20, 0.07, 3.47e-4, 0.000512)
/* X(kind, row) for every row. */
#define IONKMC_PAPER_TABLE2(X) \
  X(IONKMC_I_I, IONKMC_T2_I_I) X(IONKMC_V_I, IONKMC_T2_V_I) X(IONKMC_I_MA_0, IONKMC_T2_I_MA_0) X(IONKMC_I_MA_P, IONKMC_T2_I_MA_P)

/* The columns of a row, and any of them as a string literal for JSON text:
 * IONKMC_T2_STR(IONKMC_T2_D0(IONKMC_T2_V_I)) is "1.04e-4". */
#define IONKMC_T2_EA_(a, b, c, d) a
#define IONKMC_T2_EA_ERR_(a, b, c, d) b
#define IONKMC_T2_D0_(a, b, c, d) c
#define IONKMC_T2_D0_ERR_(a, b, c, d) d
#define IONKMC_T2_EA(row) IONKMC_T2_EA_ row
#define IONKMC_T2_EA_ERR(row) IONKMC_T2_EA_ERR_ row
#define IONKMC_T2_D0(row) IONKMC_T2_D0_ row
#define IONKMC_T2_D0_ERR(row) IONKMC_T2_D0_ERR_ row
#define IONKMC_T2_STR_(x) #x
#define IONKMC_T2_STR(x) IONKMC_T2_STR_(x)

typedef struct {
  ionkmc_defect_kind kind;
  double Ea, Ea_err; /* eV */
  double D0, D0_err; /* cm^2/s */
} ionkmc_paper_table2_row;

/* The row of defect k, or NULL (MA vacancies, out of range). */
const ionkmc_paper_table2_row *ionkmc_paper_table2(ionkmc_defect_kind k);
/* The paper's law D0 exp(-Ea/kT) for defect k at T (K), cm^2/s; NAN without a row. */
double ionkmc_paper_D(ionkmc_defect_kind k, double T);

#endif
