/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: barrier provider types and the catalog entry they read.
 *
 * Conventions
 *   Units: Eb in eV, nu in 1/s per path, lattice constants in angstrom,
 *   dEb/da in eV/angstrom, dln(nu)/da in 1/angstrom, hop vectors in
 *   angstrom, interaction energies in eV.
 *   A provider type is a table row, in the manner of gsl_rng_type: its name
 *   (the catalog's "provider" value), how far its barriers look (env_shells,
 *   neighbour shells around both ends of the hop: 0 = not at all, so a kind
 *   has one rate per path), and the functions that parse its own catalog
 *   parameters, open an instance at given conditions, give the barriers of
 *   one hop, and close the instance. The registry
 *   (barriers/provider_registry.h) lists the types; one file per type
 *   (barriers/provider_<name>.c) defines its row.
 *   A catalog entry holds the fields every provider shares (Eb, nu, the
 *   lattice-constant model, uncertainty, source) and, opaque, the
 *   parameters its provider parsed (owned by the entry's catalog, freed
 *   through the type).
 *   The entry's barrier and prefactor at the conditions
 *       Eb(a) = Eb + dEb_da (a - a_ref) + shift,
 *       nu(a) = nu exp(dlnnu_da (a - a_ref))
 *   are computed once by the catalog (ionkmc_provider_args); a provider
 *   builds on them.
 * Ownership: instances (the state returned by open) belong to the caller,
 *   who closes them; an instance borrows its args, which borrow the entry.
 *   An instance is used by one thread at a time.
 */
#ifndef IONKMC_PROVIDER_TYPE_H
#define IONKMC_PROVIDER_TYPE_H

#include "barriers/conditions.h"
#include "events/defects.h"
#include "base/status.h"

/* Valid ranges of catalog values (README, "Valid ranges"). */
#define IONKMC_CATALOG_EB_MAX 20.0     /* eV: barriers, |interactions| */
#define IONKMC_CATALOG_NU_MIN 1e-3     /* 1/s per path */
#define IONKMC_CATALOG_NU_MAX 1e20     /* 1/s per path */
#define IONKMC_CATALOG_SIGMA_MAX 1.0   /* eV */
#define IONKMC_CATALOG_RATE_MIN 1e-100 /* 1/s per path, at the run's conditions */
#define IONKMC_CATALOG_RATE_MAX 1e25   /* 1/s per path */

/* Parameters of an entry that a covariance may cover. */
#define IONKMC_NPARAM 4
typedef enum {
  IONKMC_PARAM_EB = 0,       /* eV */
  IONKMC_PARAM_LN_NU = 1,    /* ln(1/s) */
  IONKMC_PARAM_DEB_DA = 2,   /* eV/angstrom */
  IONKMC_PARAM_DLNNU_DA = 3  /* 1/angstrom */
} ionkmc_param;

typedef struct ionkmc_provider_type ionkmc_provider_type;
/* A jansson value (<jansson.h>); only the provider files look inside. */
typedef struct json_t json_t;

/* A rate of a pattern (events/defects.h), Arrhenius: nu exp(-(Eb + shift)/kT). */
typedef struct {
  double nu;             /* 1/s, >= 0 (0: the rate is off) */
  double Eb;             /* eV, >= 0 */
} ionkmc_pattern_rate;

typedef struct {
  int present;           /* 0 if the catalog has no entry for this defect */
  ionkmc_defect_kind kind;
  double Eb;             /* eV */
  double nu;             /* 1/s, per path */
  double a_ref;          /* angstrom; meaningful when dEb_da != 0 */
  double dEb_da;         /* eV/angstrom */
  double dlnnu_da;       /* 1/angstrom: nu(a) = nu exp(dlnnu_da (a - a_ref)) */
  int unc_n;             /* parameters with a covariance; 0: no uncertainty given */
  ionkmc_param unc_param[IONKMC_NPARAM];
  double unc_cov[IONKMC_NPARAM][IONKMC_NPARAM];  /* in the order of unc_param */
  double unc_chol[IONKMC_NPARAM][IONKMC_NPARAM]; /* lower Cholesky factor of unc_cov */
  ionkmc_pattern pattern;/* displacement pattern (events/defects.h), single by default */
  ionkmc_pattern_rate pattern_rate[IONKMC_PATTERN_MAXRATES]; /* its own rates, in its row's order */
  const char *source;    /* borrowed */
  const char *provenance;/* borrowed */
  const ionkmc_provider_type *provider; /* the entry's provider type (static) */
  void *params;          /* its parsed parameters (owned by the catalog; may be NULL) */
} ionkmc_catalog_entry;

/* The environment of one hop, filled by the engine. */
typedef struct {
  ionkmc_defect_kind kind;
  int init_counts[IONKMC_NDEFECT];  /* defects on the first shell of the initial site */
  int final_counts[IONKMC_NDEFECT]; /* ... of the final site (moving defect excluded) */
  double dr[3];                     /* defect displacement, angstrom */
  int ncages;                       /* MA cages next to the path (<= 4) */
  int cage_class[4];                /* their orientation classes 0 (x), 1 (y), 2 (z) */
} ionkmc_hop_env;

/* What an instance is opened with (see the conventions above). */
typedef struct {
  const ionkmc_catalog_entry *entry; /* borrowed */
  ionkmc_conditions cond;
  double kT;                         /* eV */
  double Eb;                         /* eV, Eb(a) with the shift, >= 0 */
  double nu;                         /* 1/s per path, nu(a) */
} ionkmc_provider_args;

struct ionkmc_provider_type {
  const char *name;   /* the catalog's "provider" value */
  const char *help;   /* one line: what it computes and the fields it reads */
  int env_shells;     /* neighbour shells the barrier reads (0: none) */
  /* Parse the type's own fields of catalog entry ent (borrowed JSON; the
   * document outlives the parameters) into *params (NULL allowed). `where`
   * prefixes messages ("catalog.json: entries[2]"). */
  ionkmc_status (*parse)(json_t *ent, const char *where, void **params, ionkmc_error *err);
  /* Free parsed parameters (NULL: nothing to free). */
  void (*free_params)(void *params);
  /* Open an instance (*state, may stay NULL) at args. */
  ionkmc_status (*open)(const ionkmc_provider_args *args, void **state, ionkmc_error *err);
  /* The barriers of a hop in env (NULL for a type with env_shells 0). */
  ionkmc_status (*barrier)(void *state, const ionkmc_provider_args *args, const ionkmc_hop_env *env,
                           ionkmc_barrier *out, ionkmc_error *err);
  /* Close an instance (NULL is a no-op). */
  void (*close)(void *state);
  /* 1 if the instance reads the MA orientation classes the engine holds
   * (quenched orientations) rather than averaging over them (may be NULL). */
  int (*quenched)(const void *params);
  /* Seconds an instance spent in models so far (may be NULL). */
  double (*model_seconds)(const void *state);
};

/* Shared parsing helpers of the provider files. */
/* The optional "disorder_sigma" (eV) of an entry: 1 and *sigma if given,
 * 0 (and *sigma = 0) if absent. A width outside [0, IONKMC_CATALOG_SIGMA_MAX],
 * or a width > 0 where the type takes none (allowed == 0), is IONKMC_ERANGE. */
ionkmc_status ionkmc_provider_parse_sigma(json_t *ent, const char *where, int allowed,
                                          double *sigma, ionkmc_error *err);

/* The kra type's barrier max(0, dE, E_kra + dE/2), eV (provider_kra.c). */
double ionkmc_kra_barrier(double E_kra, double dE);

#endif
