/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the hop tracker's private state, shared by mdtrack.c
 * (site assignment and hop detection per frame) and mdtrack_life.c (allocation,
 * the MSD from the spill file and the run's summary). Not a public header.
 * Units as mdtrack.h. */
#ifndef IONKMC_MDTRACK_IMPL_H
#define IONKMC_MDTRACK_IMPL_H

#include <stdio.h>

#include "calibration/mdtrack.h"
#include "calibration/msd.h"
#include "calibration/msdblock.h"

#define GROUP_MAX 8
#define OPEN_MAX 32

typedef struct {
  int32_t com[3];  /* committed site, unwrapped h */
  int32_t cand[3]; /* candidate site */
  int cand_on;
  double t_enter;
  int32_t last_from[3];
  int has_last;
} particle;

typedef struct {
  int species;
  ionkmc_mech mech;
  double t_last;
  int n;
  ionkmc_hop_record rec[GROUP_MAX];
  int sites[2 * GROUP_MAX];
} group;

typedef struct {
  int part;
  int32_t from[3], to[3];
  double t_enter, dwell;
  int src_occ;
} commit;

/* The net site displacement of one species' hops in one frame (angstrom),
 * dated by the latest entry time among them; for a lone defect it is the
 * defect's own move (see defect_check). */
typedef struct {
  double t;
  double d[3];
  int sp;
} dmove;

struct ionkmc_mdtrack {
  ionkmc_hop_params p;
  const char *name;
  ionkmc_hop_fn fn;
  void *user;
  int started;
  int L, natoms;
  double off[3];        /* origin offset, h-units */
  double pb_mean0[3];   /* mean unwrapped Pb position in the first frame, h */
  int npb, ni, nma, npart;
  int *pb, *iat, *cat, *nat; /* frame indices */
  int64_t *ids;         /* [natoms] ids of the first frame */
  uint8_t *els;
  double *hprev, *hun;  /* [3 natoms] wrapped / unwrapped h */
  const struct ionkmc_mdtrack *leader; /* after the first frame, read its hun instead
                                          of unwrapping again (ionkmc_mdtrack_follow) */
  particle *part;       /* [ni + nma] */
  commit *commits;
  ionkmc_lattice *lat;
  uint8_t *occ[IONKMC_NSPECIES];      /* by site index: X, A */
  int ndef[IONKMC_NMECH];
  /* MSD storage, float angstrom, [frame][particle][3] */
  float *pos;          /* one frame of MSD positions [npart][3] */
  FILE *spill;         /* every frame's MSD positions, frame after frame; the
                          MSD reads them back per particle chunk, so memory
                          does not grow with the number of frames */
  /* lone-defect tracking: moves, and per mechanism whether exactly one defect
     of its kind (and none of the other kind of its species) existed at
     every frame end */
  dmove *moves;
  size_t nmoves, cap_moves;
  int clean[IONKMC_NMECH];   /* the current frame has the defect alone */
  int unclean[IONKMC_NMECH]; /* frames where it did not */
  int clean_first[IONKMC_NMECH];
  /* run bookkeeping */
  int nframes;
  double t_first, t_prev, dt0, a_sum;
  int nonuniform_frame;
  group open[OPEN_MAX];
  int nopen;
  ionkmc_md_summary sum;
};

/* The vacancy mechanism of species sp (0: I, 1: MA), from the defect table. */
static inline ionkmc_mech mdtrack_mech_vac(int sp) { return ionkmc_mechanism_of(sp, 1); }
/* Close open event group g: count it and report its hops. */
void mdtrack_close_group(ionkmc_mdtrack *t, int g);
/* Feed the spilled positions to the MSD workspaces (and blocks). */
ionkmc_status mdtrack_msd_from_spill(ionkmc_mdtrack *t, ionkmc_msd *w[IONKMC_NSPECIES],
                                     ionkmc_msd_blocks *bw[IONKMC_NSPECIES],
                                     ionkmc_error *err);

#endif
