/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Private state and inline helpers of the KMC engine, shared by the files
 * that implement it by job:
 *   engine.c        allocation, reset, event selection and the clock;
 *   hops.c          the hop physics (vacancy exchange, split-interstitial
 *                   moves, the MA patterns, recombination); its fast path
 *                   for the X-sublattice vacancy is inline below;
 *   engine_rates.c  the per-kind rate tables and open-path masks;
 *   engine_env.c    environment-dependent rates from barrier providers;
 *   engine_obs.c    observables (MSD samples, defect blocks) and
 *                   introspection;
 *   engine_frenkel.c thermal Frenkel pairs: creation proposals, defect
 *                   slots, population integrals;
 *   engine_pattern.c the correlated patterns (oriented split interstitial,
 *                   correlated returns): per-defect pattern state, its
 *                   rates and internal events.
 * Units and conventions are those of kmc/engine.h. Nothing here is part of
 * the library's interface. The helpers are static inline so that the step
 * compiles to straight-line code in every file that uses them; the step
 * calls no function through a pointer.
 */
#ifndef IONKMC_ENGINE_IMPL_H
#define IONKMC_ENGINE_IMPL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kmc/engine.h"
#include "kmc/jumpstats.h"
#include "kmc/sumtree.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The optional jump log (kmc/jumpstats.h, kmc/engine_jumplog.c): the entries,
 * the engine's clock and event count it reads, and the atoms the current
 * event has moved so far (event number cur). */
typedef struct ionkmc_jumplog {
  ionkmc_jump_entry *entry; /* [cap] */
  size_t cap, n;
  int64_t dropped;
  const double *t;
  const int64_t *hops;
  int64_t cur;
  int natoms;
  int32_t jump2;
} ionkmc_jumplog;

/* The log's two hooks (out of line: the step only tests the pointer). */
void ionkmc_engine_jumplog_atom(ionkmc_jumplog *l, int jump2);
void ionkmc_engine_jumplog_defect(ionkmc_jumplog *l, int d, int from, const int8_t *dv);
/* Empty the log (reset) and free it (engine free). */
void ionkmc_engine_jumplog_clear(ionkmc_engine *e);
void ionkmc_engine_jumplog_free(ionkmc_engine *e);

/* An atom as its site holds it: its index (atoms are numbered in public
 * site order at the reset; the outputs speak of atoms by index) and its
 * displacement from the start, h. A hop moves the whole record, so the
 * step reads an atom's displacement with the same load as its identity. */
typedef struct {
  int32_t atom;
  int32_t r[3];
} site_atom;

/* One sublattice with its atoms.
 * Invariant: a site holds a defect (def_at >= 0) exactly when occ != 1
 * (vacancy 0, split interstitial 2), so scans for neighbouring defects read
 * the compact occupancy bytes and look at def_at only on a hit.
 *
 * Site numbering. The A sublattice uses the public numbering of
 * lattice/lattice.h and its neighbour tables. The X sublattice has an
 * internal numbering of its own, so that the sites around a defect are near
 * each other in memory: cells are grouped in tiles of 8 x 8 x 8 (tiles in
 * row-major order, the box padded to a whole number of tiles), the cells of
 * a tile follow the Morton (Z-order) curve, and each cell keeps its three X
 * sites together:
 *   site = 3 (512 tile + morton(cx & 7, cy & 7, cz & 7)) + k.
 * The index is a sum of one term per axis, xo[a][h] for the h-unit
 * coordinate h in [-1, 2L] (periodic), so the neighbours of an X site are
 * computed from its h-position without a neighbour table; a box whose X-X
 * table in this numbering is small (X_TABLE_MAX_SITES sites, 16 MiB) keeps
 * one instead (xnb), which costs fewer instructions than the sums when it
 * stays in cache. Every interface
 * of the engine (placement, defect sites, occupancies, atom sites, saved
 * states) speaks the public numbering; x_pub2int and x_int2pub convert. */
typedef struct {
  int nsites;            /* sites of the sublattice (public count) */
  int nint;              /* length of the per-site arrays (>= nsites: padding) */
  int z;                 /* neighbours per site */
  const int32_t *nbr;    /* [nsites][z], A only (NULL on X or when unused) */
  const int32_t *nbr2;   /* [nsites][z] collinear second shell (A only) */
  int scan2;             /* 1 if a collinear interstitial can live here */
  int alive;             /* defects alive on this sublattice */
  int L, L2;             /* cells per edge, 2 L */
  int nt;                /* X: tiles per edge */
  const int32_t *xo[3];  /* X: per-axis index terms, valid at h in [-1, 2L] */
  int32_t *xo_buf;       /* [3][2L + 2], owns xo */
  int32_t *xnb;          /* X, small boxes: [nint][8] X-X neighbours in the internal
                            numbering (NULL: computed from positions) */
  int8_t xv[3][IONKMC_NNB_XX][3]; /* X: h-unit offset of neighbour d of a site of type k */
  uint8_t xk[3][IONKMC_NNB_XX];   /* X: type of that neighbour */
  uint8_t *occ;          /* [nint] 0, 1 or 2 atoms */
  site_atom *at0;        /* [nint] first atom on each site, with its displacement */
  site_atom *at1;        /* [nint] second atom (split interstitials); NULL when the
                            sublattice never holds two atoms on a site */
  int32_t *def_at;       /* [nint] defect index or -1 */
  int natoms;
  int32_t *adisp;        /* [3 natoms] displacement of each atom, rebuilt on request */
  int32_t *asite;        /* [natoms] site of each atom, rebuilt on request */
  int64_t sum_dr2, sum_dr[3], sum_jump2;
  ionkmc_jumplog *jlog;  /* NULL unless a jump log was asked for */
} species_state;

/* Entries of a species' table of path rates by first-shell counts (0..8; 0..9 at the end). */
#define IONKMC_NEAR1_RT (3 * IONKMC_MAX_PATHS * 9 * 10)

/* Defect classes, each with its own path and execution code. */
enum { CLS_VAC = 0, CLS_INT = 1, CLS_INT_COLL = 2 };

/* Hot per-defect state, 32 bytes. For an alive defect, open and nbr_def
 * always describe the current occupancy of its neighbours: every event
 * recomputes the defects next to the sites it changed. pat is the state of
 * a correlated pattern (engine_pattern.c; 0 for the plain ones):
 *   ORIENTED  bits 0-1 the pair's orientation axis o (never the site's
 *             axis xt), bit 2 set when the site's first atom (sat0) is on
 *             the +o side (the second, sat1, on the -o side);
 *   RETURNS   bit 7 set in the unrelaxed state U, bits 0-3 its reverse
 *             path (the path index at the current site); 0 is relaxed;
 *   RELAY     bits 0-2 as ORIENTED, bit 3 set while the pair is fresh
 *             (it keeps the orientation its last hop gave it), bits 4-6
 *             then the direction of its forward path (taken by sat0). */
typedef struct {
  int32_t site;    /* internal numbering (X) */
  int32_t pos[3];  /* unwrapped position, h */
  uint16_t open;   /* bit p of the paths with a non-zero rate */
  uint8_t nbr_def; /* bit d: neighbour d holds a defect (occupancy != 1) */
  uint8_t xt;      /* X site type site % 3 (0 on A) */
  uint8_t kind;
  uint8_t alive;
  uint8_t pat;     /* correlated pattern state, see above */
  uint16_t hw[3];  /* position wrapped into [0, 2L), h (kept where neighbours are computed) */
  uint8_t lone;    /* environment rates: 1 while they are the kind's lone row (read
                      there: prate's row not kept), which paths_env gives only with no
                      other defect within two hops (for env_step1; 0: not known) */
  uint8_t pad[1];
} defect_state;
_Static_assert(sizeof(defect_state) == 32, "two defects per cache line");

#define PAT_O_MASK 0x03u
#define PAT_O_PLUS 0x04u
#define PAT_U 0x80u
#define PAT_REV_MASK 0x0Fu
#define PAT_FRESH 0x08u
#define PAT_FWD_SHIFT 4

/* Upper bound on the defects marked by one event: the moved and the killed
 * defect plus up to three scanned sites with z + z neighbours each. */
#define MAX_DIRTY 64

struct ionkmc_engine {
  ionkmc_box_spec spec;
  const ionkmc_lattice *lat;
  species_state sp[IONKMC_NSPECIES];
  int ndef;
  defect_state *def;  /* [ndef] */
  int32_t *dpos0;     /* [3 ndef] at the start of the current block */
  int32_t *dinit;     /* [3 ndef] at the start of the run */
  double *dblk;       /* [8 ndef] per defect over its alive blocks: sum dR (3, h),
                         sum dR t_b (3, h s), sum t_b, sum t_b^2 */
  double sblk[IONKMC_NSPECIES][8]; /* the same for each species' centre sum_i dr_i, all blocks */
  double sblk_r2[IONKMC_NSPECIES]; /* sum_b |dS_b|^2, h^2 */
  int64_t s0[IONKMC_NSPECIES][3]; /* species centre at the start of the current block */
  double *prate;      /* [ndef][IONKMC_MAX_PATHS], filled on request */
  ionkmc_sumtree *tree;
  /* per kind: class, species, paths, neighbours */
  uint8_t kcls[IONKMC_NDEFECT], ksp[IONKMC_NDEFECT], knp[IONKMC_NDEFECT], kz[IONKMC_NDEFECT];
  /* HOP_FAST_KIND when the defect table makes it a vacancy of the X
   * sublattice (its hops then take hop_x_vacancy), else -1 */
  int fast_kind;
  /* the plain loop's path selection (engine.c): for HOP_FAST_KIND with its
   * eight paths open on an X site of type k, the scan of the path rates
   * marks path q as hit exactly when x < xthr[k][q] */
  double xthr[3][IONKMC_NNB_XX];
  /* per kind: its correlated pattern (IONKMC_PATTERN_ORIENTED, _RETURNS or _RELAY;
   * 0 for the plain ones), which takes the general route of
   * engine_pattern.c, and kgen = a per-defect rate route (kenv or kpat) */
  uint8_t kpat[IONKMC_NDEFECT], kgen[IONKMC_NDEFECT];
  /* ORIENTED: the paths open to a pair on an X site of type k oriented
   * along o with sat0 on the + side (plus = 1) or the - side */
  uint16_t omask[3][3][2];
  /* RETURNS: the reverse of path p of a kind from an X site of type k, as
   * a path index at the site it leads to */
  uint8_t rev[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS];
  /* RELAY: the direction, at the X site that direction d from a site of
   * type k leads to, with the same vector as d */
  uint8_t fwd[3][IONKMC_NNB_XX];
  /* internal events in a row since obs.hops was idle_mark (a box where no
   * hop is possible any more stops instead of re-orienting for ever) */
  int64_t idle_mark, idle_n;
  /* rate and defect displacement per kind, X type k (0 on A), path */
  double rtab[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS];
  int8_t dvec[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS][3];
  /* h-unit step of each moving atom (-dvec for a vacancy, whose atom moves
   * the other way; half of dvec for a collinear path, whose defect moves
   * 2a) */
  int8_t astep[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS][3];
  /* |atom jump|^2 (h^2) of path p of a kind */
  int8_t jump2[IONKMC_NDEFECT][IONKMC_MAX_PATHS];
  /* X type of neighbour d of an X site of type k */
  uint8_t xt_next[3][IONKMC_NNB_XX];
  /* paths whose rate is > 0, per kind and X type */
  uint16_t rpos[IONKMC_NDEFECT][3];
  /* total rate of a defect for each mask of open directions (bit d: the
   * direction d is not blocked), summed in path order as the scan would */
  double rsum[IONKMC_NDEFECT][3][1 << IONKMC_NNB_XX];
  double msd_time[IONKMC_MSD_POINTS];
  double msd_next;      /* msd_time[obs.msd_n], or +inf when all are taken */
  double t_block;
  int64_t block_start;  /* obs.hops when the current block opened */
  int32_t dirty[MAX_DIRTY];
  int ndirty;
  ionkmc_run_obs obs;
  /* environment-dependent rates (kra, torch): borrowed providers, the kinds
   * that use them, MA orientation classes per A site (quenched mode), the
   * two cages shared by an X-X path (h offsets from the initial site), and
   * the first provider failure */
  ionkmc_providers *prov;
  uint8_t kenv[IONKMC_NDEFECT];
  int env;
  int8_t *orient;
  int8_t xcage[3][IONKMC_NNB_XX][2][3];
  ionkmc_status fail;
  ionkmc_error fail_err;
  uint32_t *stamp;     /* [ndef] dedupe of env_step's marks */
  int32_t *shell2[IONKMC_NSPECIES]; /* [nsites][n2]: distinct sites within two hops, per species */
  int n2[IONKMC_NSPECIES];
  uint32_t stamp_now;
  /* rates of a defect with no other defect within two hops (annealed or
   * no orientation dependence): one row per kind and X type, filled once */
  uint8_t lone_set[IONKMC_NDEFECT][3];
  double lone_rt[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS];
  double lone_sum[IONKMC_NDEFECT][3];   /* their sum over the kind's paths, in order */
  uint16_t lone_open[IONKMC_NDEFECT][3]; /* the paths with a rate > 0 */
  int quenched;                          /* the providers' orientations are quenched */
  /* rates of a defect by its exact environment within two hops (engine_env.c):
   * open addressing over erow_mask + 1 rows, forgotten with the providers'
   * rate cache; NULL where near1_all (the path-rate tables give the rates) */
  struct ionkmc_env_row *erow;
  uint64_t erow_mask; /* slots - 1 */
  int64_t erow_used, erow_flushes;
  int64_t hits_due; /* rate-cache hits the engine counted, not yet added to the providers' */
  /* the defects within two hops of every site (engine_env.c), kept with
   * each hop: near2[spi][site] counts the site and the entries of its
   * shell2 row that hold a defect (occupancy != 1). A move of a defect from
   * a site of type k to its neighbour d changes near2_nmove[spi][k][d]
   * counts down and as many up: entries near2_dec of the first site's row
   * and near2_inc of the second's (-1: the site itself). near2_ok is 0
   * while a hop executes and until the reset counted (rows are then read
   * whole). */
  uint8_t *near2[IONKMC_NSPECIES];
  int8_t near2_dec[IONKMC_NSPECIES][3][IONKMC_NNB_XX][40];
  int8_t near2_inc[IONKMC_NSPECIES][3][IONKMC_NNB_XX][40];
  uint8_t near2_nmove[IONKMC_NSPECIES][3][IONKMC_NNB_XX];
  int near2_ok;
  /* the defects on the first shell of every site (engine_env.c), kept
   * where a species hosts one kind of defect and no site lists a site
   * twice among its neighbours (near1_on): near1[spi][site] counts the
   * neighbour entries that hold a defect (bits 0-3; bit 4, NEAR1_HELD, where
   * near1_all: the site holds one). A defect's path rates then depend on its
   * open paths and these counts at its site and at its open paths' ends. */
  uint8_t *near1[IONKMC_NSPECIES];
  int near1_on[IONKMC_NSPECIES];
  /* with them, the rate of one path, 1/s, by (X type, path, count at the
   * site, count at the end less the defect) for the species' one kind,
   * IONKMC_NEAR1_RT doubles, < 0 where not known; forgotten with the rows
   * (an entry stands for a rate-cache lookup that would hit) */
  double *near1_rt[IONKMC_NSPECIES];
  /* every species that holds defects has first-shell counts (and the
   * orientations are annealed): the counts alone find the defects an event
   * touches, so there are no second-shell rows, two-hop counts or
   * environment rows (near1_all; near1_ok 0 while a hop executes). near1_adj[spi][k][d]:
   * bit i set when neighbour i of a type-k site is a neighbour of its
   * neighbour d too; near1_back[spi][k][d]: the index of the site
   * among the neighbours of its neighbour d. near1_off: set before
   * ionkmc_engine_set_providers, no first-shell counts (for tests that
   * compare the two ways). */
  int near1_all, near1_ok, near1_off;
  uint8_t near1_adj[IONKMC_NSPECIES][3][IONKMC_NNB_XX];
  int8_t near1_back[IONKMC_NSPECIES][3][IONKMC_NNB_XX];
  /* thermal Frenkel pairs (spec.frenkel_w > 0, engine_frenkel.c): the slots
   * of kind k are kslot0[k] .. kslot0[k] + kslots[k] - 1, the first
   * spec.count[k] of them placed by the reset; the dead V_I+ (0) and I_I-
   * (1) slots wait in frk_free for a created pair. Leaf ndef of the sum
   * tree holds the creation bound frk_leaf = 8 N_X frk_rmax. */
  int kslot0[IONKMC_NDEFECT], kslots[IONKMC_NDEFECT];
  int frk;
  double frk_rmax;      /* largest creation rate of one (site, direction), 1/s */
  double frk_leaf;      /* 1/s */
  int frk_thin;         /* 1: creation rates differ by direction (field) */
  int frk_delta;        /* n_I - n_V on X, conserved */
  int32_t *frk_free[2]; /* [kslots] free V_I+ / I_I- slots */
  int frk_nfree[2];
  ionkmc_rng frk_rng;   /* the proposals' own stream */
  double *dt0;          /* [ndef] start of each slot's current block, s */
  double frk_t_last;    /* population integrated up to here, s */
  double present_since[2]; /* s, when the species last gained a defect after none */
  double present_acc[2];   /* s it spent with defects before that */
  double drift_dead[3]; /* sum of q dR of the defects that annihilated, h */
  ionkmc_jumplog *jlog; /* the jump log both species write, or NULL */
};

static inline int kind_sp(int kind) { return ionkmc_defect_species_index(kind); }

#include "kmc/engine_sites.h"

/* ---- the inner step ----------------------------------------------------
 * An event changes the occupancy of two or three sites. The defects whose
 * paths read those sites are the defects on them and on their neighbours
 * (second shell too on A when a collinear interstitial is present); they are
 * listed in dirty[] and recomputed after the event. A defect may be listed
 * twice: recomputing is idempotent and the order of recomputation does not
 * change the result, so the list is not deduplicated.
 * Shortcuts: when a sublattice held a single defect before the event, no
 * other defect can be affected. For the common hop of one defect from s to
 * t (no second shell), the defects next to s are read from the mover's
 * nbr_def mask before the hop, and those next to t from its mask after its
 * recomputation, so no neighbour list is scanned when the defect is alone
 * in its neighbourhood. */

static inline void mark_dirty(ionkmc_engine *e, int d) { e->dirty[e->ndirty++] = d; }

/* The z neighbours of the site of defect D on S (from its position on X). */
static inline const int32_t *defect_nbrs(const species_state *S, const defect_state *D,
                                         int32_t buf[IONKMC_NNB_XX]) {
  if (!S->xo[0]) return S->nbr + (size_t)D->site * S->z;
  return x_row(S, D->site, D->hw, D->xt, buf);
}

/* Neighbour dir of the site of defect D on S. */
static inline int defect_nbr(const species_state *S, const defect_state *D, int dir) {
  if (!S->xo[0]) return S->nbr[(size_t)D->site * S->z + dir];
  return x_nbr(S, D->site, D->hw, D->xt, dir);
}

/* List the defects other than `self` on the neighbours of `site`. */
static inline void scan_nbrs(ionkmc_engine *e, const species_state *S, int site, int self) {
  const uint8_t *occ = S->occ;
  int32_t buf[IONKMC_NNB_XX];
  const int32_t *nb = site_nbrs(S, site, buf);
  for (int i = 0; i < S->z; i++)
    if (occ[nb[i]] != 1) {
      int d = S->def_at[nb[i]];
      if (d != self) mark_dirty(e, d);
    }
  if (S->scan2) {
    nb = S->nbr2 + (size_t)site * S->z;
    for (int i = 0; i < S->z; i++)
      if (occ[nb[i]] != 1) {
        int d = S->def_at[nb[i]];
        if (d != self) mark_dirty(e, d);
      }
  }
}

/* List the defects on the neighbours nb named by the bits of mask. */
static inline void mark_masked_nb(ionkmc_engine *e, const species_state *S, const int32_t *nb,
                                  unsigned mask, int self) {
  while (mask) {
    int i = __builtin_ctz(mask);
    mask &= mask - 1;
    int d = S->def_at[nb[i]];
    if (d != self) mark_dirty(e, d);
  }
}

/* List the defects on the neighbours of `site` named by the bits of mask. */
static inline void mark_masked(ionkmc_engine *e, const species_state *S, int site,
                               unsigned mask, int self) {
  if (!mask) return;
  int32_t buf[IONKMC_NNB_XX];
  const int32_t *nb = site_nbrs(S, site, buf);
  while (mask) {
    int i = __builtin_ctz(mask);
    mask &= mask - 1;
    int d = S->def_at[nb[i]];
    if (d != self) mark_dirty(e, d);
  }
}

/* Open-direction mask of a defect of class cls at site s (bit p: direction
 * p is not blocked) and, through *ndef, the neighbours holding a defect. */
/* Bits of the z neighbours nb whose occupancy is 1 (*eq1) and 2 (*eq2). */
static inline void occ_masks(const uint8_t *occ, const int32_t *nb, int z, unsigned *eq1,
                             unsigned *eq2) {
  unsigned all = (1u << z) - 1;
#if defined(__SSE2__) && defined(__x86_64__)
  uint64_t w = 0;
  for (int q = 0; q < z; q++) w |= (uint64_t)occ[nb[q]] << (8 * q);
  __m128i v = _mm_cvtsi64_si128((long long)w);
  *eq1 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(1))) & all;
  *eq2 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(2))) & all;
#else
  unsigned m1 = 0, m2 = 0;
  for (int q = 0; q < z; q++) {
    m1 |= (unsigned)(occ[nb[q]] == 1) << q;
    m2 |= (unsigned)(occ[nb[q]] == 2) << q;
  }
  *eq1 = m1 & all;
  *eq2 = m2 & all;
#endif
}

/* Open-direction mask of a defect of class cls at site s with neighbours nb
 * (bit p: direction p is not blocked) and, through *ndef, the neighbours
 * holding a defect. */
static inline unsigned open_dirs_nb(const species_state *S, int cls, const int32_t *nb, int s,
                                    unsigned *ndef) {
  const uint8_t *occ = S->occ;
  int z = S->z;
  unsigned all = (1u << z) - 1, eq1, eq2, m;
  if (cls != CLS_INT_COLL) {
    /* constant trip counts, so that the gathers are unrolled */
    if (z == IONKMC_NNB_XX) occ_masks(occ, nb, IONKMC_NNB_XX, &eq1, &eq2);
    else occ_masks(occ, nb, IONKMC_NNB_AA, &eq1, &eq2);
    /* a vacancy takes an atom from a singly occupied site; a split
     * interstitial sends one onto any site that is not already a pair */
    m = cls == CLS_VAC ? eq1 : ~eq2 & all;
  } else {
    const int32_t *nb2 = S->nbr2 + (size_t)s * z;
    m = 0;
    eq1 = 0;
    for (int p = 0; p < z; p++) {
      int ot = occ[nb[p]];
      int ok = ot == 0 || (ot == 1 && occ[nb2[p]] < 2);
      m |= (unsigned)ok << p;
      eq1 |= (unsigned)(ot == 1) << p;
    }
  }
  *ndef = ~eq1 & all;
  return m;
}

/* The same for a defect of class cls at site s. */
static inline unsigned open_dirs(const species_state *S, int cls, int s, unsigned *ndef) {
  int32_t buf[IONKMC_NNB_XX];
  return open_dirs_nb(S, cls, site_nbrs(S, s, buf), s, ndef);
}

/* Path rates of defect d from its kind's provider (engine_env.c). */
void ionkmc_engine_paths_env(ionkmc_engine *e, int d);
/* Open paths and sum-tree leaf of defect d of a correlated pattern, from
 * its pattern state (engine_pattern.c). */
void ionkmc_engine_paths_pattern(ionkmc_engine *e, int d);
/* Path rates of defect d of a correlated pattern into rt (1/s,
 * IONKMC_MAX_PATHS entries, 0 for closed paths) and its internal event's
 * rate into *ri; returns their sum in selection order (engine_pattern.c). */
double ionkmc_engine_pattern_rates(const ionkmc_engine *e, int d, double *rt, double *ri);
/* The event of defect d of a correlated pattern that rem in [0, leaf)
 * selects: its internal event first, then its paths in order; recomputes
 * every defect the event affected (engine_pattern.c). */
void ionkmc_engine_pattern_step(ionkmc_engine *e, int d, double rem);
/* The pattern tables of engine_pattern.c (after the rate tables), and
 * the reset's initial pattern states. */
void ionkmc_engine_pattern_tables(ionkmc_engine *e);
void ionkmc_engine_pattern_reset(ionkmc_engine *e);
/* Slots of the environment rows: 64 per defect slot as a power of two,
 * within these bounds; forget them all (a new run, or the providers' cache
 * flushed). */
#define IONKMC_ENV_ROWS_MIN (1 << 10)
#define IONKMC_ENV_ROWS_MAX (1 << 15)
void ionkmc_engine_env_forget(ionkmc_engine *e);
void ionkmc_engine_env_hits_flush(ionkmc_engine *e); /* hits_due into the providers' statistics */
/* Fill near2 from the occupancies (the reset, after placing the defects). */
void ionkmc_engine_env_near_fill(ionkmc_engine *e);
/* The slots for ndef defect slots, and the bytes of one. */
int64_t ionkmc_engine_env_rows(int64_t ndef);
size_t ionkmc_engine_env_row_size(void);

static inline __attribute__((always_inline)) void compute_paths(ionkmc_engine *e, int d) {
  defect_state *D = &e->def[d];
  if (!D->alive) {
    D->open = 0;
    D->nbr_def = 0;
    ionkmc_sumtree_update(e->tree, d, 0.0);
    return;
  }
  int kind = D->kind;
  if (e->kgen[kind]) {
    if (e->kenv[kind]) ionkmc_engine_paths_env(e, d);
    else ionkmc_engine_paths_pattern(e, d);
    return;
  }
  int cls = e->kcls[kind];
  int k = D->xt;
  unsigned nd;
  const species_state *S = &e->sp[e->ksp[kind]];
  int32_t buf[IONKMC_NNB_XX];
  unsigned m = open_dirs_nb(S, cls, defect_nbrs(S, D, buf), D->site, &nd);
  unsigned paths = cls == CLS_VAC ? m : m | (m << e->kz[kind]);
  D->open = (uint16_t)(paths & e->rpos[kind][k]);
  D->nbr_def = (uint8_t)nd;
  ionkmc_sumtree_update(e->tree, d, e->rsum[kind][k][m]);
}

/* Thermal Frenkel pairs (engine_frenkel.c): before a defect dies, and to
 * bring the population integrals up to e->obs.t. */
void ionkmc_engine_frenkel_kill(ionkmc_engine *e, int d);
void ionkmc_engine_frenkel_integrate(ionkmc_engine *e);
/* Slots, creation bound and rate stream of a box with pair creation, after
 * the rate tables (engine_frenkel.c). */
void ionkmc_engine_frenkel_setup(ionkmc_engine *e);
/* The reset's part: free slots, the proposal stream (the run's stream at
 * draw index 2^63), the creation leaf and the integrals. */
void ionkmc_engine_frenkel_reset(ionkmc_engine *e, const ionkmc_rng *rng);
/* A creation proposal (the sum tree chose leaf ndef): create a pair or
 * count a null event; a full slot pool fails the run (e->fail). */
void ionkmc_engine_frenkel_event(ionkmc_engine *e);

static inline void sample_msd(ionkmc_engine *e, double t_upto) {
  ionkmc_run_obs *o = &e->obs;
  while (o->msd_n < IONKMC_MSD_POINTS && e->msd_time[o->msd_n] <= t_upto) {
    o->msd[0][o->msd_n] = (double)e->sp[0].sum_dr2;
    o->msd[1][o->msd_n] = (double)e->sp[1].sum_dr2;
    o->alive_at[o->msd_n] = o->defects_alive;
    o->msd_n++;
  }
  e->msd_next = o->msd_n < IONKMC_MSD_POINTS ? e->msd_time[o->msd_n] : INFINITY;
}

/* Fill the per-kind rate, displacement and mask tables from e->spec
 * (engine_rates.c). */
void ionkmc_engine_build_tables(ionkmc_engine *e);

/* Move the atom of X site t in direction dir onto the neighbouring singly
 * occupied site, leaving a vacancy (slot v) at t and a split interstitial
 * (slot i) there, and recompute every defect it affected (hops.c). */
void ionkmc_engine_pair_create(ionkmc_engine *e, int t, int dir, int v, int i);

/* ---- the hop code's inline part (the rest is hops.c) ------------------ */

/* The kind the fast path is compiled for. */
#define HOP_FAST_KIND IONKMC_V_I

/* The jump-log hooks below run when S->jlog is set, unless the caller passes
 * may_log = 0 as a compile-time constant: the plain step (engine.c) runs
 * only while no log is kept, and so drops the tests. */
static inline __attribute__((always_inline)) void move_atom_f(species_state *S, site_atom *a,
                                                              const int8_t *dv, int sign,
                                                              int jump2, const int may_log) {
  int32_t *r = a->r;
  int64_t dot = 0;
  for (int c = 0; c < 3; c++) {
    int32_t dc = sign * dv[c];
    dot += (int64_t)r[c] * dc;
    r[c] += dc;
    S->sum_dr[c] += dc;
  }
  S->sum_dr2 += 2 * dot + jump2;
  S->sum_jump2 += jump2;
  if (may_log && S->jlog) ionkmc_engine_jumplog_atom(S->jlog, jump2);
}

static inline void move_atom(species_state *S, site_atom *a, const int8_t *dv, int sign, int jump2) {
  move_atom_f(S, a, dv, sign, jump2, 1);
}

static inline __attribute__((always_inline)) void move_defect_f(species_state *S, defect_state *D,
                                                                int d, int from, int to,
                                                                const int8_t *dv, int xt,
                                                                const int may_log) {
  S->def_at[from] = -1;
  S->def_at[to] = d;
  D->site = to;
  D->xt = (uint8_t)xt;
  D->pos[0] += dv[0];
  D->pos[1] += dv[1];
  D->pos[2] += dv[2];
  if (may_log && S->jlog)
    ionkmc_engine_jumplog_defect(S->jlog, d, x_int2pub(S, from), dv); /* public numbering */
  if (S->xnb) return; /* hw is read only where neighbours are computed */
  for (int c = 0; c < 3; c++) {
    int h = D->hw[c] + dv[c]; /* |dv| <= 4 <= 2L */
    h += h < 0 ? S->L2 : 0;
    h -= h >= S->L2 ? S->L2 : 0;
    D->hw[c] = (uint16_t)h;
  }
}

static inline void move_defect(species_state *S, defect_state *D, int d, int from, int to,
                               const int8_t *dv, int xt) {
  move_defect_f(S, D, d, from, to, dv, xt, 1);
}

/* Bit q set when the q-th of 8 neighbours nb holds exactly one atom. */
static inline unsigned x_occupied_mask(const uint8_t *occ, const int32_t *nb) {
#if defined(__SSE2__) && defined(__x86_64__)
  uint64_t w = 0;
  for (int q = 0; q < IONKMC_NNB_XX; q++) w |= (uint64_t)occ[nb[q]] << (8 * q);
  __m128i v = _mm_cvtsi64_si128((long long)w);
  return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(1))) & 0xFFu;
#else
  unsigned eq1, eq2;
  occ_masks(occ, nb, IONKMC_NNB_XX, &eq1, &eq2);
  return eq1;
#endif
}

/* Fast path of a vacancy on the X sublattice, compiled for one kind,
 * HOP_FAST_KIND (the iodide vacancy, the most frequent event), so that its
 * table rows are constant offsets: path p is the direction p of the X-X
 * table; the defect is recomputed here and its neighbours, if any, are left
 * in dirty[]. Same effect as ionkmc_engine_execute().
 *
 * alone, a compile-time constant: 1 when the caller knows that the vacancy
 * is the only defect of the X sublattice and that no jump log is kept (the
 * plain step of engine.c). Every neighbour of its new site then holds one
 * atom (an X site's neighbours are of the other two types, never the site
 * itself), so its open-direction mask is all eight without reading them,
 * and no other defect is marked; the result is the one the general code
 * computes.
 *
 * leaf, a compile-time constant: 0 leaves the vacancy's sum-tree leaf as it
 * was, for a caller that recomputes its rates (env_step: the kind's rates
 * come from a provider); its open paths and neighbour mask are set all the
 * same, and its neighbours marked, unless marks (a compile-time constant)
 * is 0: then neither, for a caller that recomputes the vacancy and every
 * defect near either end itself (env_step1). */
static inline __attribute__((always_inline)) void hop_x_vacancy_f(ionkmc_engine *e, int d, int p,
                                                                  const int alone, const int leaf,
                                                                  const int marks) {
  defect_state *D = &e->def[d];
  enum { kind = HOP_FAST_KIND };
  species_state *S = &e->sp[0];
  int s = D->site;
  int k = D->xt;
  const int8_t *dv = e->dvec[kind][k][p];
  int t = x_nbr(S, s, D->hw, k, p);
  int crowded = marks && !alone && S->alive > 1;
  uint16_t hs[3];
  if (crowded) memcpy(hs, D->hw, sizeof hs);
  unsigned old_nd = D->nbr_def;
  e->ndirty = 0;
  e->obs.hops++;
  e->obs.hops_by_kind[kind]++;
  site_atom atom = S->at0[t];
  move_atom_f(S, &atom, e->astep[kind][k][p], 1, e->jump2[kind][p], !alone);
  S->occ[t] = 0;
  S->occ[s] = 1;
  S->at0[s] = atom;
  int xt = e->xt_next[k][p];
  move_defect_f(S, D, d, s, t, dv, xt, !alone);
  if (!marks) return;
  /* recompute the vacancy at t */
  int32_t buf[IONKMC_NNB_XX];
  const int32_t *nb = alone ? NULL : x_row(S, t, D->hw, xt, buf);
  unsigned m = alone ? 0xFFu : x_occupied_mask(S->occ, nb);
  D->open = (uint16_t)(m & e->rpos[kind][xt]);
  D->nbr_def = (uint8_t)(~m & 0xFFu);
  if (leaf) ionkmc_sumtree_update(e->tree, d, e->rsum[kind][xt][m]);
  if (crowded) {
    if (old_nd) {
      int32_t sbuf[IONKMC_NNB_XX];
      mark_masked_nb(e, S, x_row(S, s, hs, k, sbuf), old_nd, d);
    }
    mark_masked_nb(e, S, nb, D->nbr_def, d);
  }
}

static inline void hop_x_vacancy(ionkmc_engine *e, int d, int p) { hop_x_vacancy_f(e, d, p, 0, 1, 1); }

/* Execute path p of defect d by the general code of its class (hops.c).
 * Leaves in dirty[] the defects still to be recomputed. */
void ionkmc_engine_execute(ionkmc_engine *e, int d, int p);

/* Execute path p of defect d: the fast path for e->fast_kind, the general
 * code otherwise. Leaves in dirty[] the defects still to be recomputed. */
static inline void hop_execute(ionkmc_engine *e, int d, int p) {
  if (e->def[d].kind == e->fast_kind) hop_x_vacancy(e, d, p);
  else ionkmc_engine_execute(e, d, p);
}

/* Execute path p of defect d in a box with environment-dependent rates and
 * recompute the defects within two hops of the changed sites (engine_env.c,
 * not where near1_all; there _step1, engine_env_step1.c). */
void ionkmc_engine_env_step(ionkmc_engine *e, int d, int p);
void ionkmc_engine_env_step1(ionkmc_engine *e, int d, int p);

/* Add the block of defect d from dpos0 to its position, of duration dt
 * (s), to its moments and to D_defect's sums (engine_obs.c). */
void ionkmc_engine_block_add(ionkmc_engine *e, int d, double dt);

/* Close the open defect and centre-of-charge block at e->obs.t
 * (engine_obs.c). */
void ionkmc_engine_close_block(ionkmc_engine *e);

#endif
