/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc neb --environments: one hop in independently sampled environments. */
#ifndef IONKMC_NEB_ENV_H
#define IONKMC_NEB_ENV_H

#include <jansson.h>
#include <stdint.h>

#include "barriers/hopcell.h"
#include "barriers/mlff_neb.h"
#include "cli/neb_struct.h"
#include "events/defects.h"

typedef struct {
  int n;               /* environments */
  uint64_t seed;
  double sigma;        /* angstrom: static Gaussian displacement of the far atoms */
  double radius;       /* angstrom: atoms farther than this from the hop midpoint are displaced and frozen */
  int vacancies;       /* extra X vacancies at random X sites */
  int gaussian;        /* catalog entry: constant + disorder_sigma instead of sampled */
  const char *table;   /* CSV of (descriptor, Eb, nu) rows, or NULL */
  int prefactor;       /* Vineyard nu per environment */
  double pref_radius;
  int nextra;          /* with the builder: further defects of these kinds on random free sites */
  ionkmc_defect_kind extra[32];
} neb_env_opts;

/* Run the environments for a hop of kind `kind` (mechanism mech) in an
 * L^3 cell of elements el at lattice constant a: the built-in cells
 * (bo->a_site NULL) or the structure builder's, with a fresh builder seed
 * per environment or, with bo->snapshots, on N evenly spaced frames of that
 * MD trajectory of the defect-free cell (cli/neb_struct.h). Fills doc["environments"]
 * and, when cat_entry is not NULL, *cat_entry (a new catalog entry object
 * without provenance). Returns 0 or the exit status after printing. */
int neb_environments(const char *cmd, ionkmc_mlff *m, const char el[3][4], int L, double a, ionkmc_hop_mech mech,
                     ionkmc_defect_kind kind, const neb_build_opts *bo, const ionkmc_mlff_neb_params *np,
                     const neb_env_opts *o,
                     double nu_user, int quiet, json_t *doc, json_t **cat_entry);

#endif
