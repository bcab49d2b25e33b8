/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: CI-NEB barriers of one hop with a deployed MLFF
 * (barriers/mlff.h, barriers/cineb.h, barriers/fire.h).
 *
 * Conventions
 *   Units: angstrom, eV, eV/angstrom.
 *   The end points hold the same atoms in the same order. The final
 *   structure's positions are taken by minimum image relative to the
 *   initial one, so the band is continuous. Both end points are relaxed
 *   with FIRE (atoms only, fixed cell) unless relax is 0; then the straight
 *   band of nimages images (ends included) is optimised by CI-NEB.
 *   Frozen atoms (params.frozen) keep their positions in the relaxations and
 *   along the band: the callback reports zero force on them (and the band
 *   file shows those zeros).
 *   Band file: one extxyz frame per image (energy=, forces:R:3 with the true
 *   forces), the format `ionkmc calibrate --neb` reads.
 * Ownership: _neb returns a band the caller frees with ionkmc_mlff_band_free.
 */
#ifndef IONKMC_MLFF_NEB_H
#define IONKMC_MLFF_NEB_H

#include <stdio.h>

#include "barriers/atoms.h"
#include "barriers/cineb.h"
#include "barriers/mlff.h"

typedef struct {
  int nimages;               /* ends included, >= 3 (default 7) */
  int relax;                 /* 1: relax the end points first (default) */
  ionkmc_fire_params fire;   /* end-point relaxation (default ftol 0.005 eV/angstrom) */
  ionkmc_cineb_params neb;
  const unsigned char *frozen; /* [natoms] 1: held fixed everywhere (borrowed; NULL: none) */
} ionkmc_mlff_neb_params;

typedef struct {
  int nimages, ndof;
  double *band;              /* [nimages][ndof] */
  double *E;                 /* [nimages] eV */
  double *F;                 /* [nimages][ndof] true forces */
  ionkmc_cineb_result res;
  ionkmc_fire_result relax[2];
  double hop_length;         /* largest single-atom displacement between the ends, angstrom */
  int mover;                 /* that atom */
} ionkmc_mlff_band;

/* The energy/force callback for ionkmc_pes_fn: ctx is an ionkmc_mlff_pes. */
typedef struct {
  ionkmc_mlff *m;
  const ionkmc_atoms *a;     /* elements and cell; positions come from x */
  const unsigned char *frozen; /* atoms whose forces read as zero (NULL: none) */
} ionkmc_mlff_pes;
ionkmc_status ionkmc_mlff_pes_eval(void *ctx, const double *x, double *E, double *F, ionkmc_error *err);

ionkmc_mlff_neb_params ionkmc_mlff_neb_params_default(void);
/* Relax and run CI-NEB between ini and fin. IONKMC_EINVAL when the two differ
 * in atom count, elements or cell; the model's and the optimisers' statuses. */
ionkmc_status ionkmc_mlff_neb(ionkmc_mlff *m, const ionkmc_atoms *ini, const ionkmc_atoms *fin,
                              const ionkmc_mlff_neb_params *p, ionkmc_mlff_band **out, ionkmc_error *err);
void ionkmc_mlff_band_free(ionkmc_mlff_band *b);
/* Write the band as extxyz frames (tmpl gives elements and cell). */
ionkmc_status ionkmc_mlff_band_write(FILE *fp, const ionkmc_mlff_band *b, const ionkmc_atoms *tmpl,
                                     ionkmc_error *err);

#endif
