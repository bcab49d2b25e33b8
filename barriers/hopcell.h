/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: end points of single hops in ABX3 supercells with point A
 * cations (CsPbI3 and its kin), for NEB with an interatomic potential.
 *
 * Conventions
 *   Units: angstrom. Cell: L x L x L cubic cells of edge a (row vectors
 *   L a e_x, ...). Sites as in lattice/lattice.h: B at (0,0,0), X at
 *   (1/2,0,0), (0,1/2,0), (0,0,1/2), A at (1/2,1/2,1/2), in units of a.
 *   Atom order: per cell (x, y, z nested, z fastest) A, B, X_x, X_y, X_z,
 *   minus the removed atom.
 *   Mechanisms:
 *     "V_X" (V_I): the X atom at (1/2,0,0) removed; the X atom at (0,1/2,0)
 *       (sharing the B at the origin) hops into it, a/sqrt(2);
 *     "V_A" (V_MA with a point cation): the A atom of cell (0,0,0) removed;
 *       the A atom of cell (1,0,0) hops into it through the X4 window, a;
 *     "I_X" (I_I): an extra X atom: the bond at (1/2,0,0) holds two X atoms
 *       1.6 A either side of the site along y (the Pb-X2-Pb double bridge);
 *       the one at +y hops to the bond at (0,1/2,0), whose X atom and the
 *       mover then sit 1.6 A either side of that site along z, while the
 *       partner left behind returns to (1/2,0,0). Three atoms differ between
 *       the ends; the mover is the extra atom, last in the order.
 *   The initial and final structures hold the same atoms in the same order
 *   (continuous, not wrapped); for the vacancies only the mover differs.
 * Ownership: the two structures are the caller's (ionkmc_atoms_free).
 */
#ifndef IONKMC_HOPCELL_H
#define IONKMC_HOPCELL_H

#include "barriers/atoms.h"

typedef enum { IONKMC_HOP_V_X = 0, IONKMC_HOP_V_A = 1, IONKMC_HOP_I_X = 2 } ionkmc_hop_mech;

/* Parse a mechanism or defect name: V_X, V_I, V_I+ -> V_X; V_A, V_MA,
 * V_MA-, V_MA0, V_Cs -> V_A; I_X, I_I, I_I- -> I_X. IONKMC_EINVAL otherwise. */
ionkmc_status ionkmc_hop_mech_parse(const char *name, ionkmc_hop_mech *mech);
/* Build the end points for elements a_el, b_el, x_el, L >= 2 cells of edge
 * a; *mover is the moving atom's index. IONKMC_EINVAL naming the bad
 * argument, IONKMC_ENOMEM. */
ionkmc_status ionkmc_hopcell_build(const char *a_el, const char *b_el, const char *x_el, int L, double a,
                                   ionkmc_hop_mech mech, ionkmc_atoms **initial, ionkmc_atoms **final, int *mover,
                                   ionkmc_error *err);
/* Scale a structure's cell and positions by f (a to f a). */
void ionkmc_atoms_scale(ionkmc_atoms *s, double f);

#endif
