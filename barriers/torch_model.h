/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: TorchScript barrier models evaluated with libtorch.
 *
 * Conventions
 *   Units: barriers Eb in eV, attempt frequencies nu in 1/s (per path),
 *   lengths in angstrom, charges in e, field energies in eV.
 *   A model maps a fixed-length environment descriptor x (float64) to the
 *   barrier and the attempt frequency of one hop. Models run on the CPU.
 *
 * Model file (a TorchScript archive written by torch.jit.save, torch 1.13):
 *   forward(x: Tensor[B, D] float64) -> Tensor[B, 2]
 *     column 0: Eb in eV,
 *     column 1: log10(nu / (1/s)), so the network output is well scaled;
 *     the library returns nu = 10^column1.
 *   The archive carries an extra file "ionkmc.json" (Python:
 *   torch.jit.save(m, path, _extra_files={"ionkmc.json": text})):
 *     { "descriptor_version": 1, "descriptor_length": 18,
 *       "units": {"Eb": "eV", "nu": "1/s"},
 *       "description": "free text: what the model was trained on" }
 *   A model is refused (IONKMC_EINVAL) when its descriptor version or length
 *   differ from the caller's, or when its units are not eV and 1/s.
 *
 * Environment descriptor, version 1, length 18 (IONKMC_TORCH_X_* below):
 *    0  q        charge of the moving defect (e)
 *    1  dr       hop length (angstrom)
 *    2  a        lattice constant (angstrom)
 *    3  qEdr     q E . dr, the field energy along the hop (eV)
 *    4..9        number of defects of each kind, in the order
 *                V_I+, I_I-, I_MA+, I_MA0, V_MA-, V_MA0, on the first
 *                neighbour shell of the initial site (same sublattice,
 *                the moving defect excluded)
 *   10..15       the same on the first neighbour shell of the final site
 *   16  cos2     sum, over the MA cages adjacent to the hop path, of
 *                cos^2 of the angle between the cage's MA C-N axis class
 *                (x, y or z) and the hop direction
 *   17  ncages   number of adjacent cages in that sum
 *
 * Errors: every function that can fail returns an ionkmc_status and fills
 *   the caller's ionkmc_error (may be NULL). A model file that cannot be
 *   opened gives IONKMC_EIO, one that is not a loadable TorchScript archive
 *   or lacks valid metadata IONKMC_EPARSE. An evaluation whose output holds a
 *   NaN or inf, a negative barrier or a non-positive (or overflowing) nu gives
 *   IONKMC_ERANGE, names the batch row and writes nothing to the outputs.
 *   Built without libtorch, ionkmc_torch_model_alloc reports IONKMC_ESTATE.
 *
 * Threads: libtorch's intra-op thread pool is process-wide;
 *   ionkmc_torch_set_num_threads sets it (1 for KMC runs that parallelise
 *   over trajectories). Evaluation does not modify the model object, and
 *   libtorch runs forward passes of one module from several inference
 *   threads, so threads may share a model (each with its own output arrays
 *   and error struct); the tests check that concurrent results equal serial
 *   ones. Loading and freeing are not to overlap with evaluation.
 *
 * Ownership: ionkmc_torch_model_alloc returns an object the caller frees with
 *   ionkmc_torch_model_free; strings returned by accessors are borrowed and
 *   live as long as the model.
 */
#ifndef IONKMC_TORCH_MODEL_H
#define IONKMC_TORCH_MODEL_H

#include "events/defects.h"
#include "base/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IONKMC_TORCH_DESCRIPTOR_VERSION 1
/* 4 scalars, the neighbour counts of every defect kind at both ends, 2
 * scalars. Version 1 has the six kinds of events/defects.h (length 18); a
 * new kind changes the length and needs a new descriptor version. */
#define IONKMC_TORCH_DESCRIPTOR_LENGTH (6 + 2 * IONKMC_NDEFECT)
#define IONKMC_TORCH_METADATA_NAME "ionkmc.json"

/* Indices into the version-1 descriptor. */
enum {
  IONKMC_TORCH_X_CHARGE = 0,  /* e */
  IONKMC_TORCH_X_HOP = 1,     /* angstrom */
  IONKMC_TORCH_X_ACELL = 2,   /* angstrom */
  IONKMC_TORCH_X_FIELD = 3,   /* eV */
  IONKMC_TORCH_X_NB_INIT = 4, /* IONKMC_NDEFECT counts, defect-kind order */
  IONKMC_TORCH_X_NB_FINAL = IONKMC_TORCH_X_NB_INIT + IONKMC_NDEFECT, /* the same */
  IONKMC_TORCH_X_COS2 = IONKMC_TORCH_X_NB_FINAL + IONKMC_NDEFECT,    /* dimensionless */
  IONKMC_TORCH_X_NCAGES = IONKMC_TORCH_X_COS2 + 1                    /* count */
};

typedef struct ionkmc_torch_model ionkmc_torch_model;

/* 1 if the library was built with libtorch, 0 otherwise. */
int ionkmc_torch_available(void);

/* Fill a version-1 descriptor x[IONKMC_TORCH_DESCRIPTOR_LENGTH]: charge q
 * (e), hop length (angstrom), lattice constant a (angstrom), field energy
 * qE.dr (eV), neighbour counts init[IONKMC_NDEFECT] and final[IONKMC_NDEFECT]
 * (defect-kind order), cos^2 sum and number of cages. */
void ionkmc_torch_descriptor_fill(double x[IONKMC_TORCH_DESCRIPTOR_LENGTH], double q,
                                  double hop, double a, double field_energy,
                                  const int init_counts[IONKMC_NDEFECT],
                                  const int final_counts[IONKMC_NDEFECT],
                                  double cos2_sum, int ncages);

/* Load the TorchScript model at path on the CPU and check its metadata
 * against descriptor_version / descriptor_length. Caller owns the result.
 * NULL on failure with *status (if not NULL) and err set: IONKMC_EIO (cannot
 * open), IONKMC_EPARSE (not TorchScript, bad metadata), IONKMC_EINVAL
 * (mismatch, bad argument), IONKMC_ENOMEM, IONKMC_ESTATE (no libtorch). */
ionkmc_torch_model *ionkmc_torch_model_alloc(const char *path, int descriptor_version,
                                             int descriptor_length, ionkmc_error *err,
                                             ionkmc_status *status);
/* Free a model; NULL is a no-op. */
void ionkmc_torch_model_free(ionkmc_torch_model *m);

/* Evaluate batch >= 1 rows: x is [batch][descriptor_length] row-major
 * (borrowed, not modified); writes Eb[batch] (eV) and nu[batch] (1/s), both
 * caller-owned, only when every row is valid. IONKMC_EINVAL on bad arguments
 * or a non-finite input, IONKMC_ERANGE on an invalid output row (the message
 * names the row), IONKMC_EINTERNAL if the model throws or returns a tensor of
 * the wrong shape. */
ionkmc_status ionkmc_torch_model_eval(ionkmc_torch_model *m, const double *x, int batch,
                                      double *Eb, double *nu, ionkmc_error *err);

/* Descriptor version recorded in the model's metadata. */
int ionkmc_torch_model_descriptor_version(const ionkmc_torch_model *m);
/* Descriptor length D recorded in the model's metadata. */
int ionkmc_torch_model_descriptor_length(const ionkmc_torch_model *m);
/* Output units as text, "Eb=eV nu=1/s" (borrowed). */
const char *ionkmc_torch_model_units(const ionkmc_torch_model *m);
/* The metadata's free-text description (borrowed; "" if absent). */
const char *ionkmc_torch_model_description(const ionkmc_torch_model *m);
/* The path the model was loaded from (borrowed). */
const char *ionkmc_torch_model_path(const ionkmc_torch_model *m);

/* Set libtorch's process-wide intra-op thread count (n >= 1).
 * IONKMC_EINVAL for n < 1, IONKMC_ESTATE without libtorch. */
ionkmc_status ionkmc_torch_set_num_threads(int n, ionkmc_error *err);
/* libtorch's current intra-op thread count (0 without libtorch). */
int ionkmc_torch_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif
