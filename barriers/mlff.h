/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: energies and forces from a deployed NequIP/Allegro
 * interatomic potential (a TorchScript archive written by nequip-deploy, or
 * any module with that interface, such as examples/mlff_standin/).
 *
 * Conventions
 *   Units: angstrom, eV, eV/angstrom; stress in eV/angstrom^3 with the sign
 *   (1/V) dE/d(strain), so negative under compression (multiply by
 *   IONKMC_EV_A3_TO_GPA for GPa).
 *   The model: forward(Dict[str, Tensor]) -> Dict[str, Tensor] with inputs
 *   pos [N,3], edge_index [2,E] (int64), edge_cell_shift [E,3], cell [3,3],
 *   atom_types [N] (int64), outputs total_energy, forces and (optionally)
 *   stress. Metadata (archive extra files, as pair_allegro reads them):
 *   nequip_version (must be present), r_max, n_species, type_names, and
 *   torch_version, model_dtype, allow_tf32 when present.
 *   Edges: the full periodic list within r_max with cell shifts
 *   (barriers/nlist.h), built in O(N) at every evaluation; a cell thinner
 *   than 2 r_max is handled through several images of one atom, as the
 *   model's edge_cell_shift allows (no replicas needed): that is exact for
 *   a periodic cell, so a thin periodic cell is no error. A direction the
 *   structure marks non-periodic (atoms.h open[]) is evaluated as periodic
 *   only when the atoms' extent there plus r_max fits in the cell's width
 *   (no atom reaches an image across the vacuum); otherwise IONKMC_EINVAL.
 *   Elements map to model types by name (type_names); an element that the
 *   model does not know is an error naming the atom.
 *   Torch version: a model exported by a torch newer (major.minor) than the
 *   linked libtorch is refused with both versions named.
 * Ownership: _alloc returns an object the caller frees with _free; it owns
 *   its neighbour-list workspace. One object per thread.
 */
#ifndef IONKMC_MLFF_H
#define IONKMC_MLFF_H

#include "barriers/atoms.h"
#include "barriers/mlff_backend.h"
#include "base/status.h"

#define IONKMC_EV_A3_TO_GPA 160.21766208

typedef struct ionkmc_mlff ionkmc_mlff;

/* 1 if the library has the libtorch backend. */
int ionkmc_mlff_available(void);
/* Load the model at path on device ("cpu", "cuda", "cuda:N"; NULL = cpu).
 * NULL with *status and err set: IONKMC_EIO (cannot open), IONKMC_EPARSE
 * (not TorchScript, metadata missing or malformed), IONKMC_EINVAL (torch
 * version too new, bad device), IONKMC_ESTATE (built without libtorch). */
ionkmc_mlff *ionkmc_mlff_alloc(const char *path, const char *device, ionkmc_error *err, ionkmc_status *status);
/* Free; NULL is a no-op. */
void ionkmc_mlff_free(ionkmc_mlff *m);
/* The model's metadata (borrowed). */
const ionkmc_mlff_meta *ionkmc_mlff_meta_of(const ionkmc_mlff *m);
/* Map the atoms' elements to model types into types[n] (caller's).
 * IONKMC_EINVAL naming the first atom whose element is not in type_names. */
ionkmc_status ionkmc_mlff_types(const ionkmc_mlff *m, const ionkmc_atoms *a, int64_t *types, ionkmc_error *err);
/* Energy (eV), forces[n][3] (eV/angstrom, caller-owned) and, if stress is
 * not NULL, stress[9] (eV/angstrom^3; *has_stress 0 when the model gives
 * none) of a, positions x[n][3] (NULL: a->x). Errors: those of
 * ionkmc_mlff_types and ionkmc_nlist_build, IONKMC_EINTERNAL when the model
 * throws or returns the wrong shapes, IONKMC_EINVAL for a non-periodic
 * direction without enough vacuum (see Conventions). */
ionkmc_status ionkmc_mlff_eval(ionkmc_mlff *m, const ionkmc_atoms *a, const double *x, double *energy,
                               double *forces, double stress[9], int *has_stress, ionkmc_error *err);
/* Number of edges of the last evaluation. */
long long ionkmc_mlff_last_edges(const ionkmc_mlff *m);

#endif
