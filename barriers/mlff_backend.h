/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the table of functions through which barriers/mlff.c
 * runs a deployed NequIP/Allegro TorchScript model. barriers/mlff_model.cpp
 * (libtorch) fills it; without libtorch barriers/mlff_model_stub.c returns
 * NULL. Only this table crosses the C/C++ boundary.
 *
 * Conventions
 *   Units: positions and cell in angstrom, energies in eV, forces in
 *   eV/angstrom, stress in eV/angstrom^3 with the sign (1/V) dE/d(strain)
 *   (negative under compression), as the model returns them.
 *   Inputs are float64 on the caller's side; the backend converts them to the
 *   model's dtype (metadata model_dtype, float32 when absent) and device.
 *   Every entry catches every exception and reports a status and one line.
 * Ownership: load returns a handle that the table's free releases; the
 *   metadata struct is the caller's.
 */
#ifndef IONKMC_MLFF_BACKEND_H
#define IONKMC_MLFF_BACKEND_H

#include <stdint.h>

#include "base/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IONKMC_MLFF_MAX_TYPES 32
#define IONKMC_MLFF_TYPELEN 8

/* What the model's archive says about itself (the nequip-deploy keys). */
typedef struct {
  double r_max;                                            /* angstrom */
  int n_species;
  char type_names[IONKMC_MLFF_MAX_TYPES][IONKMC_MLFF_TYPELEN];
  char nequip_version[64];
  char torch_version[32];                                  /* the exporting torch */
  char model_dtype[16];                                    /* "float32" or "float64" */
  int allow_tf32;
} ionkmc_mlff_meta;

/* One evaluation: N atoms, E edges (nlist.h conventions). */
typedef struct {
  int n;
  const double *pos;        /* [n][3] */
  const int64_t *types;     /* [n] indices into type_names */
  const double *cell;       /* [3][3] row vectors */
  int64_t nedges;
  const int64_t *src, *dst; /* [nedges] */
  const double *shift;      /* [nedges][3] */
} ionkmc_mlff_input;

typedef struct {
  double energy;            /* eV */
  double *forces;           /* [n][3], caller-owned */
  double stress[9];         /* eV/angstrom^3, valid when has_stress */
  int has_stress;
} ionkmc_mlff_output;

typedef struct {
  /* Load path on device ("cpu", "cuda", "cuda:1"); fills meta. NULL on
   * failure with *status and err set. */
  void *(*load)(const char *path, const char *device, ionkmc_mlff_meta *meta, ionkmc_error *err,
                ionkmc_status *status);
  ionkmc_status (*eval)(void *handle, const ionkmc_mlff_input *in, ionkmc_mlff_output *out, ionkmc_error *err);
  void (*free)(void *handle);
  /* "1.13" etc.: the linked libtorch's major.minor. */
  const char *(*torch_version)(void);
  int (*cuda_available)(void);
} ionkmc_mlff_backend;

/* The libtorch backend, or NULL when the library was built without it. */
const ionkmc_mlff_backend *ionkmc_mlff_backend_get(void);
/* Why the backend is missing: the libtorch module's load error, or "ionkmc
 * was built without libtorch"; "" when it is there. Static storage. */
const char *ionkmc_torch_module_error(void);

#ifdef __cplusplus
}
#endif

#endif
