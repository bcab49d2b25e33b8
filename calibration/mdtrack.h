/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: site assignment, hop detection and classification in MD.
 *
 * Conventions
 *   Units: lengths in angstrom, MD times in ps, exposures in s, D in cm^2/s.
 *   Lattice fit (first frame): L = cube root of the number of Pb atoms, the
 *   lattice constant a = |cell vector| / L (the three must agree within 5% and
 *   be orthogonal within 5 degrees), the origin from the Pb positions. Every
 *   later frame uses its own cell (NpT), through fractional coordinates.
 *   Sites are those of lattice/lattice.h in h-units (a/2). Each I atom is
 *   assigned to its nearest X site; each MA molecule, represented by the
 *   midpoint of its C and N (paired by nearest distance in the first frame), to
 *   its nearest A site. Inorganic analogues map the same way: Sn like Pb, Br
 *   and Cl like I, a point cation (Cs, Rb, K) like an MA centre. Positions
 *   are unwrapped frame to frame and the mean drift of the Pb sublattice is
 *   removed.
 *   A hop is committed only when the particle comes within r_inner (I) or
 *   r_inner_ma (MA, whose split pairs sit further off the cage centre) of a new
 *   site and then stays in that site's basin (nearest site) for dwell ps; its
 *   time is the entry time. Shorter or shallower excursions are rattling and
 *   are counted as rejected excursions, never as hops.
 *   Classification: a hop to a nearest-neighbour site of the sublattice
 *   (a/sqrt2 for I, a for MA) takes the mechanism whose rule in the defect
 *   table (events/defects.h) matches the occupancies of its two sites:
 *     I,  into an empty X site                  -> kick_out (V_I)
 *     I,  from a doubly occupied into a singly   -> double_bridge (I_I)
 *     MA, into an empty A site                  -> ma_vacancy_hop (V_MA)
 *     MA, from a doubly occupied into a singly   -> concerted_ma (I_MA)
 *     anything else                             -> unclassified
 *   Hops of one species that share a site and start within `window` ps of one
 *   another form one event (atoms that moved together); the event takes the
 *   mechanism of its first classified hop.
 *   Exposure of a mechanism = time integral of the number of defects of the
 *   matching kind (empty / doubly occupied X or A sites), in s.
 *   Memory grows with the atoms, not the frames: with the MSD on, each
 *   frame's I/MA positions (12 bytes per particle) go to a temporary file in
 *   $TMPDIR (or /tmp), unlinked when opened, read back at _finish.
 * Ownership: _alloc returns a tracker the caller frees with _free; the record
 * passed to the hop callback is borrowed for the duration of the call.
 */
#ifndef IONKMC_MDTRACK_H
#define IONKMC_MDTRACK_H

#include <stdint.h>

#include "calibration/traj.h"
#include "kmc/stats.h"
#include "events/defects.h"
#include "base/status.h"

/* The mechanisms and their classification rules are those of the defect
 * table (events/defects.h); IONKMC_MECH_UNCLASSIFIED and IONKMC_NMECH come
 * from there too. */
typedef ionkmc_mechanism ionkmc_mech;

typedef struct {
  double r_inner;  /* I atoms, angstrom (default 1.5) */
  double r_inner_ma; /* MA centres, angstrom (default 2.0) */
  double dwell;    /* ps (default 0.3) */
  double window;   /* ps (default 0.1) */
  int msd;         /* 1: keep positions and compute D (default 1) */
  double fit_lo;   /* MSD fit window, fractions of the run (default 0.1) */
  double fit_hi;   /* (default 0.5) */
  double def_fit_lo; /* MSD fit window of a lone defect's own walk (default 0) */
  double def_fit_hi; /* (default 0.1): its series holds committed hops only, no
                        vibration, so its MSD is linear from the first lags,
                        and short lags use many more independent increments
                        than the species window (a single walk fitted over
                        0.1-0.5 scatters about 2.5x more;
                        scripts/msd-window-scatter.py) */
} ionkmc_hop_params;

/* One committed atom-level hop (event log row). */
typedef struct {
  double time;        /* ps, entry into the new site */
  double dwell;       /* ps spent in the new basin when committed */
  int species;        /* 0 = I, 1 = MA */
  int64_t id[2];      /* I: atom id, -1; MA: C id, N id */
  int from_site, to_site;  /* site indices (lattice.h numbering) */
  double vec[3];      /* hop vector, angstrom */
  int dh[3];          /* the same between the two sites, h = a/2 units */
  ionkmc_mech mech;   /* of this hop */
  int64_t event;      /* event number, from 0 */
  ionkmc_mech event_mech; /* mechanism of its event */
  int event_size;     /* hops in its event */
} ionkmc_hop_record;

/* Lags kept of the MSD curve of each run (log-spaced). */
#define IONKMC_MD_MSD_POINTS 40

typedef void (*ionkmc_hop_fn)(const ionkmc_hop_record *h, void *user);

typedef struct {
  int L;
  int natoms, n_pb, n_i, n_ma;
  int nframes;
  double t_first, t_last;        /* ps */
  double frame_dt;               /* ps (first interval) */
  double a_first, a_mean;        /* angstrom */
  int defects_first[IONKMC_NMECH];   /* defects matching each mechanism, first frame */
  int defects_last[IONKMC_NMECH];
  double exposure[IONKMC_NMECH];     /* defect-seconds */
  int64_t events[IONKMC_NMECH];      /* events by mechanism */
  int64_t hops[IONKMC_NSPECIES];                   /* atom hops by species */
  int64_t back_hops[IONKMC_NSPECIES];              /* hops that undo the same particle's previous hop */
  int64_t rejected[IONKMC_NSPECIES];               /* excursions rejected by r_inner / dwell */
  double D[IONKMC_NSPECIES];                       /* D_species (cm^2/s) of I and MA; NAN if not computed
                                        or the run is too short for the MSD fit window */
  double D_defect[IONKMC_NMECH];      /* D (cm^2/s) of the defect each mechanism moves, where it can
                                        be followed: the only defect of its species in the first and
                                        last frames and in all but 1% of the others (brief double
                                        counts while a hop awaits its dwell); its moves are then the
                                        net hop vectors of the species. NAN otherwise or with the
                                        MSD off */
  double pb_rms;                     /* rms Pb deviation from its sites, first frame, angstrom */
  int msd_n;                         /* MSD curve points (0 with the MSD off) */
  int msd_lag[IONKMC_MD_MSD_POINTS]; /* lags in frames, log-spaced, ascending */
  double msd_per_atom[IONKMC_NSPECIES][IONKMC_MD_MSD_POINTS]; /* MSD over all origins per atom (I, MA),
                                        angstrom^2, at lag msd_lag[k] * frame_dt ps; NAN
                                        for a species with no atoms */
  /* The same D from nblocks equal blocks of this run (calibration/msdblock.h):
   * mean over blocks, its standard error and log-scale 95% interval; n = 0
   * where not computed (MSD off, fewer than 8 frames per block). */
  int nblocks, block_frames;
  ionkmc_estimate D_block[IONKMC_NSPECIES];
  ionkmc_estimate D_defect_block[IONKMC_NMECH];
} ionkmc_md_summary;

typedef struct ionkmc_mdtrack ionkmc_mdtrack;

/* Defaults: r_inner 1.5 A, r_inner_ma 2.0 A, dwell 0.3 ps, window 0.1 ps, MSD on,
 * fit window 0.1-0.5 of the run. */
ionkmc_hop_params ionkmc_hop_params_default(void);
/* The name of a mechanism ("kick_out", ..., "unclassified"), as
 * ionkmc_mechanism_name. */
const char *ionkmc_mech_name(ionkmc_mech m);
/* The mechanism a defect kind moves by. */
ionkmc_mech ionkmc_mech_of_defect(ionkmc_defect_kind k);

/* A tracker for one run; name labels messages (the file name, borrowed). fn
 * (may be NULL) receives every hop when its event closes. */
ionkmc_mdtrack *ionkmc_mdtrack_alloc(const ionkmc_hop_params *p, const char *name, ionkmc_hop_fn fn,
                                     void *user, ionkmc_error *err);
/* Free; NULL is a no-op. */
void ionkmc_mdtrack_free(ionkmc_mdtrack *t);
/* Feed the next frame. The first fits the lattice (IONKMC_EINVAL if the box
 * or the atoms do not fit a perovskite); later ones must have the same atoms. */
ionkmc_status ionkmc_mdtrack_frame(ionkmc_mdtrack *t, const ionkmc_frame *f, ionkmc_error *err);
/* Close open events, compute D (if asked) and fill *out. */
ionkmc_status ionkmc_mdtrack_finish(ionkmc_mdtrack *t, ionkmc_md_summary *out, ionkmc_error *err);

/* The current occupancy of the X (species 0) or A (species 1) sites, by site
 * index of lattice/lattice.h: a borrowed array of *nsites counts valid until
 * the next frame. off (may be NULL) receives the fitted origin offset of the
 * lattice in h-units (a/2), wrapped into (-1, 1]. IONKMC_ESTATE before the
 * first frame. */
ionkmc_status ionkmc_mdtrack_occupancy(const ionkmc_mdtrack *t, int species, const uint8_t **occ,
                                       int *nsites, double off[3], ionkmc_error *err);
/* Let t read the leader's unwrapped coordinates after its first frame instead
 * of unwrapping every atom itself (the costly part of a frame). Both must see
 * the same frames of the same file, each frame first by the leader; the
 * leader must outlive t. Used for the sensitivity trackers. */
void ionkmc_mdtrack_follow(ionkmc_mdtrack *t, const ionkmc_mdtrack *leader);
/* Progress of a file being read: frames so far, bytes of the file consumed
 * (compressed bytes for gzip, comparable with the file's size) and the MD
 * time of the last frame (ps). */
typedef void (*ionkmc_md_progress_fn)(int64_t frames, int64_t file_bytes, double time_ps, void *user);

/* Read a whole file once through np trackers with different settings p[0..np-1]
 * (e.g. the hysteresis sensitivity of the counts): every frame goes to each;
 * fn receives the hops of tracker 0 only. out has np summaries. */
ionkmc_status ionkmc_md_analyze_file_n(const char *path, const ionkmc_traj_options *topt,
                                       const ionkmc_hop_params *p, int np, ionkmc_hop_fn fn,
                                       void *user, ionkmc_md_summary *out, ionkmc_error *err);
/* The same, calling pfn (may be NULL) after every frame. */
ionkmc_status ionkmc_md_analyze_file_progress(const char *path, const ionkmc_traj_options *topt,
                                              const ionkmc_hop_params *p, int np, ionkmc_hop_fn fn,
                                              void *user, ionkmc_md_progress_fn pfn, void *puser,
                                              ionkmc_md_summary *out, ionkmc_error *err);
/* Read a whole file through a tracker: open, feed every frame, finish. */
ionkmc_status ionkmc_md_analyze_file(const char *path, const ionkmc_traj_options *topt,
                                     const ionkmc_hop_params *p, ionkmc_hop_fn fn, void *user,
                                     ionkmc_md_summary *out, ionkmc_error *err);

#endif
