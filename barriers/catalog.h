/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the rate catalog (constant provider).
 *
 * Conventions
 *   Units: barriers Eb in eV, attempt frequencies nu in 1/s (per path),
 *   lattice constants in angstrom, dEb/da in eV/angstrom, T in K.
 *   The elementary rate of one path is
 *       Gamma = nu * exp(-(Eb + dEb_da * (a - a_ref) + shift) / (kB T)),
 *   with kB = 8.617333262e-5 eV/K, a the lattice constant at T and shift a
 *   user barrier shift (sweeps).
 *   Every entry records its source: "paper_table2", "neb", "md_calibration"
 *   or "user", and a free-text provenance string.
 *
 * JSON schema "ionkmc-catalog/1" (see README):
 *   { "schema": "ionkmc-catalog/1", "name": str,
 *     "units": {"Eb": "eV", "nu": "1/s", "a": "angstrom"},
 *     "lattice": {"a0": A, "T0": K, "dadT": A/K},            (optional)
 *     "entries": [ { "defect": "V_I+", "mechanism": "kick_out",
 *                    "provider": "constant", "Eb": eV, "nu": 1/s,
 *                    "source": str, "provenance": str,
 *                    "pattern": "single"|"collinear",        (MA interstitials)
 *                    "a_ref": A, "dEb_da": eV/A,              (optional pair)
 *                    "disorder_sigma": eV,                    (constant, optional)
 *                    "samples_Eb": [eV, ...],                 (provider "sampled": the rate is
 *                        nu < exp(-(Eb_j + dEb_da (a - a_ref) + shift)/kT) >_j over the
 *                        sampled barriers, annealed; Eb is their mean, for display)
 *                    "interactions": {"V_I+": eV, ...},       (provider "kra")
 *                    "model": path, "orientation": "annealed"|"quenched" (provider "torch")
 *                    ... other fields are kept verbatim } ] }
 *
 * Ownership: the catalog owns its JSON document; strings returned by
 * accessors are borrowed and live as long as the catalog.
 */
#ifndef IONKMC_CATALOG_H
#define IONKMC_CATALOG_H

#include "events/defects.h"
#include "lattice/lattice.h"
#include "lattice/status.h"

#define IONKMC_KB_EV 8.617333262e-5 /* Boltzmann constant, eV/K */
#define IONKMC_E_CHARGE 1.602176634e-19 /* elementary charge, C */

/* Valid ranges of catalog values (README, "Valid ranges"). */
#define IONKMC_CATALOG_EB_MAX 20.0     /* eV: barriers, |interactions| */
#define IONKMC_CATALOG_NU_MIN 1e-3     /* 1/s per path */
#define IONKMC_CATALOG_NU_MAX 1e20     /* 1/s per path */
#define IONKMC_CATALOG_SIGMA_MAX 1.0   /* eV */
#define IONKMC_CATALOG_RATE_MIN 1e-100 /* 1/s per path, at the run's conditions */
#define IONKMC_CATALOG_RATE_MAX 1e25   /* 1/s per path */

typedef struct {
  int present;           /* 0 if the catalog has no entry for this defect */
  double Eb;             /* eV */
  double nu;             /* 1/s, per path */
  double a_ref;          /* angstrom; meaningful when dEb_da != 0 */
  double dEb_da;         /* eV/angstrom */
  ionkmc_pattern pattern;/* MA interstitials only */
  const char *source;    /* borrowed */
  const char *provenance;/* borrowed */
  int provider;          /* 0 constant, 1 kra, 2 torch (barriers/provider.h) */
  double interactions[IONKMC_NDEFECT]; /* kra: first-shell pair energy with each kind, eV */
  const char *model;     /* torch: TorchScript file (borrowed) */
  int orientation;       /* torch: 0 annealed, 1 quenched */
  double disorder_sigma; /* constant: Gaussian barrier disorder, eV (annealed) */
  int n_samples;         /* sampled: number of barriers in samples_Eb (0 otherwise) */
  const void *samples;   /* sampled: the samples_Eb JSON array (borrowed) */
} ionkmc_catalog_entry;

typedef struct ionkmc_catalog ionkmc_catalog;

/* The embedded default catalog (DESIGN section 5). Caller frees. */
ionkmc_catalog *ionkmc_catalog_alloc_default(ionkmc_error *err);
/* Parse a catalog from JSON text; `name` labels messages (a file name).
 * NULL with err set (IONKMC_EPARSE / IONKMC_EINVAL / IONKMC_ERANGE). */
ionkmc_catalog *ionkmc_catalog_alloc_string(const char *text, const char *name,
                                            ionkmc_error *err, ionkmc_status *status);
/* Read a catalog file. NULL with err/status set on failure (IONKMC_EIO too). */
ionkmc_catalog *ionkmc_catalog_alloc_file(const char *path, ionkmc_error *err,
                                          ionkmc_status *status);
/* Free; NULL is a no-op. */
void ionkmc_catalog_free(ionkmc_catalog *cat);

/* The entry of a defect kind (borrowed; present == 0 if missing). */
const ionkmc_catalog_entry *ionkmc_catalog_get(const ionkmc_catalog *cat, ionkmc_defect_kind k);
/* Lattice-constant model of the catalog (the paper's fit unless overridden). */
ionkmc_acell_model ionkmc_catalog_acell(const ionkmc_catalog *cat);
/* The catalog's name (borrowed). */
const char *ionkmc_catalog_name(const ionkmc_catalog *cat);

/* Replace Eb, nu, source and provenance of an entry, creating it if missing.
 * Used by derivation and calibration. IONKMC_ERANGE on a negative barrier or
 * a non-positive prefactor. */
ionkmc_status ionkmc_catalog_set(ionkmc_catalog *cat, ionkmc_defect_kind k, double Eb,
                                 double nu, const char *source, const char *provenance,
                                 ionkmc_error *err);

/* Per-path rate (1/s) of defect k at temperature T (K), lattice constant a (A)
 * and barrier shift (eV). IONKMC_EINVAL if the entry is missing, IONKMC_ERANGE
 * if T <= 0 or the shifted barrier is negative. */
ionkmc_status ionkmc_catalog_rate(const ionkmc_catalog *cat, ionkmc_defect_kind k, double T,
                                  double a, double shift, double *rate, ionkmc_error *err);

/* The catalog as indented JSON text; caller frees with free(). NULL on ENOMEM. */
char *ionkmc_catalog_dumps(const ionkmc_catalog *cat);
/* Write the catalog to path atomically. */
ionkmc_status ionkmc_catalog_save(const ionkmc_catalog *cat, const char *path, ionkmc_error *err);

#endif
