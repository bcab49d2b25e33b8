/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The embedded default catalog (DESIGN section 5).
 *
 * Barriers of the four mobile defects are the MD activation energies Ea of
 * the paper's Table 2. Their attempt frequencies are chosen so that the KMC's
 * own D_species reproduces D0 exp(-Ea/kT) of Table 2:
 *     nu = 6 D0 / (f * npaths * lambda^2 * n_moved)
 * at a = 6.365 A (550 K), with f the tracer correlation factor measured by
 * this KMC in the paper's 6x6x6 cell. `ionkmc catalog derive` recomputes these
 * numbers; tests/test_default_catalog.c checks them against Table 2.
 * The MA vacancies use the NNP NEB barrier and nu = 1e12 1/s.
 */
#include "barriers/paper_table2.h"

#define T2(x) IONKMC_T2_STR(x)

/* Eb, the "table2" blocks and D0 in the provenance are pasted from the one
 * copy of Table 2 (barriers/paper_table2.h); test_default_catalog checks the
 * uncertainty blocks against it. */
const char ionkmc_default_catalog_json[] =
    "{\n"
    "  \"schema\": \"ionkmc-catalog/1\",\n"
    "  \"name\": \"ionkmc default (Tyagi, Brocks, Tao; Table 2 Ea, Table 1 NEB)\",\n"
    "  \"units\": {\"Eb\": \"eV\", \"nu\": \"1/s per path\", \"a\": \"angstrom\", \"dEb_da\": \"eV/angstrom\"},\n"
    "  \"lattice\": {\"a0\": 6.354, \"T0\": 500, \"dadT\": 0.00023,\n"
    "              \"source\": \"paper Table S3, linear fit over 500-600 K\"},\n"
    "  \"entries\": [\n"
    "    {\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"provider\": \"constant\",\n"
    "     \"Eb\": " T2(IONKMC_T2_EA(IONKMC_T2_I_I)) ", \"nu\": 1.09858e11, \"source\": \"paper_table2\",\n"
    "     \"provenance\": \"Eb = Ea of Table 2; nu = 6 D0/(f npaths lambda^2 n_moved) with D0 = " T2(IONKMC_T2_D0(IONKMC_T2_I_I)) " cm2/s, npaths = 16, lambda = a/sqrt2, a = 6.365 A, n_moved = 1, f = 0.9993 +- 0.0007 (KMC, 6x6x6, 2000 runs x 2e4 hops, seed 20240601: ionkmc catalog derive)\",\n"
    "     \"table2\": {\"Ea\": " T2(IONKMC_T2_EA(IONKMC_T2_I_I)) ", \"D0\": " T2(IONKMC_T2_D0(IONKMC_T2_I_I)) ", \"Ea_err\": " T2(IONKMC_T2_EA_ERR(IONKMC_T2_I_I)) ", \"D0_err\": " T2(IONKMC_T2_D0_ERR(IONKMC_T2_I_I)) "},\n"
    "     \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"values\": [0.18, 25.42245446], \"covariance\": [[0.0009, 0], [0, 0.370321]], \"distribution\": \"normal\", \"note\": \"Table 2 standard errors: Ea +- 0.03 eV; D0 +- 0.000397 cm2/s as a log-normal D0 with that mean and SD, var ln D0 = ln(1 + (0.000397/0.000593)^2) = var ln nu; Ea and D0 independent (the paper gives no covariance)\"}, \"neb\": {\"dft\": 0.37, \"nnp\": 0.33}},\n"
    "    {\"defect\": \"V_I+\", \"mechanism\": \"kick_out\", \"provider\": \"constant\",\n"
    "     \"Eb\": " T2(IONKMC_T2_EA(IONKMC_T2_V_I)) ", \"nu\": 5.57606e10, \"source\": \"paper_table2\",\n"
    "     \"provenance\": \"Eb = Ea of Table 2; nu = 6 D0/(f npaths lambda^2 n_moved) with D0 = " T2(IONKMC_T2_D0(IONKMC_T2_V_I)) " cm2/s, npaths = 8, lambda = a/sqrt2, a = 6.365 A, n_moved = 1, f = 0.6906 +- 0.0005 (KMC, 6x6x6, 2000 runs x 2e4 hops, seed 20240601: ionkmc catalog derive)\",\n"
    "     \"table2\": {\"Ea\": " T2(IONKMC_T2_EA(IONKMC_T2_V_I)) ", \"D0\": " T2(IONKMC_T2_D0(IONKMC_T2_V_I)) ", \"Ea_err\": " T2(IONKMC_T2_EA_ERR(IONKMC_T2_V_I)) ", \"D0_err\": " T2(IONKMC_T2_D0_ERR(IONKMC_T2_V_I)) "},\n"
    "     \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"values\": [0.15, 24.74433336], \"covariance\": [[0.0016, 0], [0, 0.578042]], \"distribution\": \"normal\", \"note\": \"Table 2 standard errors: Ea +- 0.04 eV; D0 +- 9.2e-05 cm2/s as a log-normal D0 with that mean and SD, var ln D0 = ln(1 + (9.2e-05/0.000104)^2) = var ln nu; Ea and D0 independent (the paper gives no covariance)\"}, \"neb\": {\"dft\": 0.56, \"nnp\": 0.51}},\n"
    "    {\"defect\": \"I_MA0\", \"mechanism\": \"concerted_ma\", \"provider\": \"constant\",\n"
    "     \"Eb\": " T2(IONKMC_T2_EA(IONKMC_T2_I_MA_0)) ", \"nu\": 3.89442e10, \"source\": \"paper_table2\", \"pattern\": \"single\",\n"
    "     \"provenance\": \"Eb = Ea of Table 2; nu = 6 D0/(f npaths lambda^2 n_moved) with D0 = " T2(IONKMC_T2_D0(IONKMC_T2_I_MA_0)) " cm2/s, npaths = 12, lambda = a, a = 6.365 A, n_moved = 1, f = 1.0014 +- 0.0013 (KMC, 6x6x6, 2000 runs x 2e4 hops, seed 20240601: ionkmc catalog derive)\",\n"
    "     \"table2\": {\"Ea\": " T2(IONKMC_T2_EA(IONKMC_T2_I_MA_0)) ", \"D0\": " T2(IONKMC_T2_D0(IONKMC_T2_I_MA_0)) ", \"Ea_err\": " T2(IONKMC_T2_EA_ERR(IONKMC_T2_I_MA_0)) ", \"D0_err\": " T2(IONKMC_T2_D0_ERR(IONKMC_T2_I_MA_0)) "},\n"
    "     \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"values\": [0.18, 24.38539569], \"covariance\": [[0.0036, 0], [0, 1.03883]], \"distribution\": \"normal\", \"note\": \"Table 2 standard errors: Ea +- 0.06 eV; D0 +- 0.000427 cm2/s as a log-normal D0 with that mean and SD, var ln D0 = ln(1 + (0.000427/0.000316)^2) = var ln nu; Ea and D0 independent (the paper gives no covariance)\"}, \"neb\": {\"dft\": 0.74, \"nnp\": 0.75}},\n"
    "    {\"defect\": \"I_MA+\", \"mechanism\": \"concerted_ma\", \"provider\": \"constant\",\n"
    "     \"Eb\": " T2(IONKMC_T2_EA(IONKMC_T2_I_MA_P)) ", \"nu\": 4.28672e10, \"source\": \"paper_table2\", \"pattern\": \"single\",\n"
    "     \"provenance\": \"Eb = Ea of Table 2; nu = 6 D0/(f npaths lambda^2 n_moved) with D0 = " T2(IONKMC_T2_D0(IONKMC_T2_I_MA_P)) " cm2/s, npaths = 12, lambda = a, a = 6.365 A, n_moved = 1, f = 0.9990 +- 0.0012 (KMC, 6x6x6, 2000 runs x 2e4 hops, seed 20240601: ionkmc catalog derive)\",\n"
    "     \"table2\": {\"Ea\": " T2(IONKMC_T2_EA(IONKMC_T2_I_MA_P)) ", \"D0\": " T2(IONKMC_T2_D0(IONKMC_T2_I_MA_P)) ", \"Ea_err\": " T2(IONKMC_T2_EA_ERR(IONKMC_T2_I_MA_P)) ", \"D0_err\": " T2(IONKMC_T2_D0_ERR(IONKMC_T2_I_MA_P)) "},\n"
    "     \"uncertainty\": {\"parameters\": [\"Eb\", \"ln_nu\"], \"values\": [0.2, 24.48137280], \"covariance\": [[0.0049, 0], [0, 1.15597]], \"distribution\": \"normal\", \"note\": \"Table 2 standard errors: Ea +- 0.07 eV; D0 +- 0.000512 cm2/s as a log-normal D0 with that mean and SD, var ln D0 = ln(1 + (0.000512/0.000347)^2) = var ln nu; Ea and D0 independent (the paper gives no covariance)\"}, \"neb\": {\"dft\": 0.70, \"nnp\": 0.67}},\n"
    "    {\"defect\": \"V_MA-\", \"mechanism\": \"ma_vacancy_hop\", \"provider\": \"constant\",\n"
    "     \"Eb\": 0.78, \"nu\": 1e12, \"source\": \"neb\",\n"
    "     \"provenance\": \"Eb = NNP CI-NEB barrier of Table 1 (DFT 0.67 eV); nu = 1e12 1/s assumed; immobile in 2 ns MD at 600 K\",\n"
    "     \"neb\": {\"dft\": 0.67, \"nnp\": 0.78}},\n"
    "    {\"defect\": \"V_MA0\", \"mechanism\": \"ma_vacancy_hop\", \"provider\": \"constant\",\n"
    "     \"Eb\": 0.72, \"nu\": 1e12, \"source\": \"neb\",\n"
    "     \"provenance\": \"Eb = NNP CI-NEB barrier of Table 1 (DFT 0.70 eV); nu = 1e12 1/s assumed; immobile in 2 ns MD at 600 K\",\n"
    "     \"neb\": {\"dft\": 0.70, \"nnp\": 0.72}}\n"
    "  ]\n"
    "}\n";
