/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the rate catalog (entries, their provider types, rates).
 *
 * Conventions
 *   Units: barriers Eb in eV, attempt frequencies nu in 1/s (per path),
 *   lattice constants in angstrom, dEb/da in eV/angstrom, T in K.
 *   The elementary rate of one path is
 *       Gamma = nu exp(dlnnu_da (a - a_ref)) exp(-(Eb + dEb_da (a - a_ref) + shift) / (kB T)),
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
 *                    "pattern": "single"|"collinear"|"oriented"|"returns"|"relay", (the
 *                        kind's patterns, events/defects.h; default "single")
 *                    "pattern_rates": {"<rate>": {"nu": 1/s, "Eb": eV}, ...}, (the
 *                        pattern's own rates, exactly those of its row; an
 *                        optional one, relay's "side", may be absent: 0)
 *                    "a_ref": A, "dEb_da": eV/A, "dlnnu_da": 1/A, (a_ref with either)
 *                    "uncertainty": {"parameters": ["Eb", "ln_nu", ...],
 *                                    "values": [...], "covariance": [[...]],
 *                                    "distribution": "normal", "note": str}
 *                    "disorder_sigma": eV,                    (constant, optional)
 *                    "samples_Eb": [eV, ...],                 (provider "sampled": the rate is
 *                        nu < exp(-(Eb_j + dEb_da (a - a_ref) + shift)/kT) >_j over the
 *                        sampled barriers, annealed; Eb is their mean, for display)
 *                    "interactions": {"V_I+": eV, ...},       (provider "kra")
 *                    "model": path, "orientation": "annealed"|"quenched" (provider "torch")
 *                    ... other fields are kept verbatim } ],
 *     "frenkel": {"E_f": eV, ...} }   (optional: thermal iodide Frenkel pairs,
 *                                      barriers/catalog_frenkel.h)
 *   "provider" names a type of the registry (barriers/provider_registry.h;
 *   absent: "constant"); the type parses its own fields (samples_Eb,
 *   interactions, model, orientation, disorder_sigma) into the entry's
 *   opaque params.
 *
 *   Uncertainty: the parameters (a subset of Eb eV, ln_nu ln(1/s), dEb_da
 *   eV/A, dlnnu_da 1/A) of the fit that produced the entry, their values
 *   (equal to the entry's) and covariance; parameter draws are normal with
 *   that covariance, Eb draws below 0 set to 0. An entry without it has no
 *   parameter uncertainty (unc_n = 0).
 *
 * Ownership: the catalog owns its JSON document; strings returned by
 * accessors are borrowed and live as long as the catalog.
 */
#ifndef IONKMC_CATALOG_H
#define IONKMC_CATALOG_H

#include "barriers/catalog_frenkel.h"
#include "barriers/conditions.h"
#include "barriers/provider_type.h"
#include "events/defects.h"
#include "lattice/lattice.h"
#include "base/status.h"

/* "Eb", "ln_nu", "dEb_da", "dlnnu_da". */
const char *ionkmc_param_name(ionkmc_param p);

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
/* The catalog's "frenkel" entry (borrowed; present == 0 if absent). */
const ionkmc_frenkel_entry *ionkmc_catalog_frenkel(const ionkmc_catalog *cat);
/* 1 if src is one of the entry sources (paper_table2, neb, md_calibration, user). */
int ionkmc_catalog_source_ok(const char *src);

/* Replace Eb, nu, source and provenance of an entry, creating it if missing.
 * An ionkmc_catalog_apply (barriers/catalog_apply.h); the catalog is unchanged
 * on failure. IONKMC_ERANGE on a negative barrier or a non-positive prefactor. */
ionkmc_status ionkmc_catalog_set(ionkmc_catalog *cat, ionkmc_defect_kind k, double Eb,
                                 double nu, const char *source, const char *provenance,
                                 ionkmc_error *err);

/* The parameter vector (Eb, ln nu, dEb_da, dlnnu_da) of an entry. */
void ionkmc_catalog_entry_params(const ionkmc_catalog_entry *e, double theta[IONKMC_NPARAM]);
/* Per-path rate (1/s) of an entry with its parameters replaced by theta
 * (theta NULL: the entry's own), at T (K), a (A) and shift (eV); the same
 * formula and errors as ionkmc_catalog_rate. */
ionkmc_status ionkmc_catalog_entry_rate(const ionkmc_catalog_entry *e, const double *theta, double T,
                                        double a, double shift, double *rate, ionkmc_error *err);
/* Replace the parsed parameters of entry k by theta (Eb >= 0), leaving the
 * JSON document as it is: the catalog then drives the KMC with one parameter
 * draw. IONKMC_EINVAL if the entry is missing, IONKMC_ERANGE on Eb < 0. */
ionkmc_status ionkmc_catalog_set_params(ionkmc_catalog *cat, ionkmc_defect_kind k,
                                        const double theta[IONKMC_NPARAM], ionkmc_error *err);
/* A copy of the catalog (its document as text, parsed again). Caller frees. */
ionkmc_catalog *ionkmc_catalog_clone(const ionkmc_catalog *cat, ionkmc_error *err);

/* A fitted entry: parameters, the lattice-constant model and the covariance. */
typedef struct {
  double theta[IONKMC_NPARAM]; /* Eb (>= 0), ln nu, dEb_da, dlnnu_da */
  int with_a;                  /* 1: write a_ref, dEb_da and dlnnu_da */
  double a_ref;                /* angstrom */
  int nparams;                 /* parameters with a covariance (0: none) */
  ionkmc_param param[IONKMC_NPARAM];
  double cov[IONKMC_NPARAM][IONKMC_NPARAM]; /* in the order of param */
  const char *note;            /* what the covariance is (may be NULL) */
} ionkmc_catalog_fit;

/* Replace entry k (created if missing, constant provider) by a fit: Eb, nu,
 * the a-model and the "uncertainty" block, dropping the old entry's a-model,
 * uncertainty and table2. source/provenance as ionkmc_catalog_set (also an
 * ionkmc_catalog_apply). */
ionkmc_status ionkmc_catalog_set_fit(ionkmc_catalog *cat, ionkmc_defect_kind k,
                                     const ionkmc_catalog_fit *fit, const char *source,
                                     const char *provenance, ionkmc_error *err);

/* The args a provider instance of entry e is opened with at cond: the
 * entry's barrier Eb(a) + shift and prefactor nu(a), with its parameters
 * replaced by theta (NULL: the entry's own). IONKMC_ERANGE if cond is not
 * valid (ionkmc_conditions_check) or the shifted barrier is negative. */
ionkmc_status ionkmc_catalog_entry_args(const ionkmc_catalog_entry *e, const double *theta,
                                        const ionkmc_conditions *cond, ionkmc_provider_args *args,
                                        ionkmc_error *err);
/* Per-path rate (1/s) at zero field of entry e at cond: the Arrhenius rate
 * of its provider's barrier for a provider that reads no environment, of
 * the entry's own Eb(a), nu(a) otherwise (the nominal rate that sets clocks
 * and run lengths). Errors as ionkmc_catalog_entry_rate, and IONKMC_ERANGE
 * outside [IONKMC_CATALOG_RATE_MIN, IONKMC_CATALOG_RATE_MAX]. */
ionkmc_status ionkmc_catalog_entry_rate_at(const ionkmc_catalog_entry *e, const double *theta,
                                           const ionkmc_conditions *cond, double *rate,
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
