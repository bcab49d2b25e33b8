/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Residence-time KMC engine. See engine.h for conventions. */
#include "kmc/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/provider.h"
#include "kmc/sumtree.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* One sublattice with its atoms.
 * Invariant: a site holds a defect (def_at >= 0) exactly when occ != 1
 * (vacancy 0, split interstitial 2), so scans for neighbouring defects read
 * the compact occupancy bytes and look at def_at only on a hit. */
typedef struct {
  int nsites;
  int z;                 /* neighbours per site */
  const int32_t *nbr;    /* [nsites][z] */
  const int32_t *nbr2;   /* [nsites][z] collinear second shell (A only) */
  int scan2;             /* 1 if a collinear interstitial can live here */
  int alive;             /* defects alive on this sublattice */
  uint8_t *occ;          /* [nsites] 0, 1 or 2 atoms */
  int32_t *sat0;         /* [nsites] first atom on each site */
  int32_t *sat1;         /* [nsites] second atom (split interstitials) */
  int32_t *def_at;       /* [nsites] defect index or -1 */
  int natoms;
  int32_t *adisp;        /* [3 natoms] displacement from the start, h */
  int32_t *asite;        /* [natoms] site of each atom, rebuilt on request */
  int64_t sum_dr2, sum_dr[3], sum_jump2;
} species_state;

/* Defect classes, each with its own path and execution code. */
enum { CLS_VAC = 0, CLS_INT = 1, CLS_INT_COLL = 2 };

/* Hot per-defect state, 24 bytes. For an alive defect, open and nbr_def
 * always describe the current occupancy of its neighbours: every event
 * recomputes the defects next to the sites it changed. */
typedef struct {
  int32_t site;
  int32_t pos[3];  /* unwrapped position, h */
  uint16_t open;   /* bit p of the paths with a non-zero rate */
  uint8_t nbr_def; /* bit d: neighbour d holds a defect (occupancy != 1) */
  uint8_t xt;      /* X site type site % 3 (0 on A) */
  uint8_t kind;
  uint8_t alive;
} defect_state;

/* Upper bound on the defects marked by one event: the moved and the killed
 * defect plus up to three scanned sites with z + z neighbours each. */
#define MAX_DIRTY 64

struct ionkmc_engine {
  ionkmc_box_spec spec;
  const ionkmc_lattice *lat;
  species_state sp[2];
  int ndef;
  defect_state *def;  /* [ndef] */
  int32_t *dpos0;     /* [3 ndef] at the start of the current block */
  int32_t *dinit;     /* [3 ndef] at the start of the run */
  double *dblk;       /* [8 ndef] per defect over its alive blocks: sum dR (3, h),
                         sum dR t_b (3, h s), sum t_b, sum t_b^2 */
  double sblk[2][8];  /* the same for each species' centre sum_i dr_i, all blocks */
  double sblk_r2[2];  /* sum_b |dS_b|^2, h^2 */
  int64_t s0[2][3];   /* species centre at the start of the current block */
  double *prate;      /* [ndef][IONKMC_MAX_PATHS], filled on request */
  ionkmc_sumtree *tree;
  /* per kind: class, species, paths, neighbours */
  uint8_t kcls[IONKMC_NDEFECT], ksp[IONKMC_NDEFECT], knp[IONKMC_NDEFECT], kz[IONKMC_NDEFECT];
  /* rate and defect displacement per kind, X type k (0 on A), path */
  double rtab[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS];
  int8_t dvec[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS][3];
  /* h-unit step of each moving atom (interstitials; half of dvec for a
   * collinear path, whose defect moves 2a) */
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
  int32_t *shell2[2];  /* [nsites][n2]: distinct sites within two hops, per species */
  int n2[2];
  uint32_t stamp_now;
  /* rates of a defect with no other defect within two hops (annealed or
   * no orientation dependence): one row per kind and X type, filled once */
  uint8_t lone_set[IONKMC_NDEFECT][3];
  double lone_rt[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS];
};

static int kind_sp(int kind) { return ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? 0 : 1; }

ionkmc_status ionkmc_box_spec_rates(ionkmc_box_spec *spec, const ionkmc_catalog *cat,
                                    ionkmc_error *err) {
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (spec->count[k] <= 0) continue;
    ionkmc_status st = ionkmc_catalog_rate(cat, k, spec->T, spec->a, spec->shift, &spec->rate[k], err);
    if (st) return st;
    spec->pattern[k] = ionkmc_catalog_get(cat, k)->pattern;
  }
  return IONKMC_OK;
}

double ionkmc_box_spec_nominal_rate(const ionkmc_box_spec *spec) {
  double r = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0) r += spec->count[k] * ionkmc_defect_npaths(k) * spec->rate[k];
  return r;
}

static void species_free(species_state *s) {
  free(s->occ);
  free(s->sat0);
  free(s->sat1);
  free(s->def_at);
  free(s->adisp);
  free(s->asite);
}

void ionkmc_engine_free(ionkmc_engine *e) {
  if (!e) return;
  species_free(&e->sp[0]);
  species_free(&e->sp[1]);
  free(e->def);
  free(e->dpos0);
  free(e->dinit);
  free(e->dblk);
  free(e->prate);
  ionkmc_sumtree_free(e->tree);
  free(e->orient);
  free(e->stamp);
  free(e->shell2[0]);
  free(e->shell2[1]);
  free(e);
}

static void build_tables(ionkmc_engine *e) {
  const ionkmc_box_spec *s = &e->spec;
  double kT = IONKMC_KB_EV * s->T;
  /* An X site of type k has its odd coordinate along k; a neighbour differs
   * by +-1 along k and along one other axis, which becomes its odd one. */
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(k, d);
      for (int c = 0; c < 3; c++)
        if (c != k && v[c] != 0) e->xt_next[k][d] = (uint8_t)c;
    }
  /* The cages (A sites) next to both ends of an X-X path: of the four A
   * neighbours of the initial site, the two at a/sqrt2 from the final one. */
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(k, d);
      int n = 0;
      for (int s1 = -1; s1 <= 1; s1 += 2)
        for (int s2 = -1; s2 <= 1; s2 += 2) {
          int8_t o[3] = {0, 0, 0};
          o[(k + 1) % 3] = (int8_t)s1;
          o[(k + 2) % 3] = (int8_t)s2;
          int r2 = 0;
          for (int c = 0; c < 3; c++) r2 += (o[c] - v[c]) * (o[c] - v[c]);
          if (r2 == 2 && n < 2) memcpy(e->xcage[k][d][n++], o, sizeof o);
        }
    }
  for (int kind = 0; kind < IONKMC_NDEFECT; kind++) {
    int onx = kind_sp(kind) == 0;
    int z = ionkmc_defect_z(kind), np = ionkmc_defect_npaths(kind);
    int ntype = onx ? 3 : 1;
    int vac = ionkmc_defect_is_vacancy(kind);
    int coll = !onx && !vac && s->pattern[kind] == IONKMC_PATTERN_COLLINEAR;
    double q = ionkmc_defect_charge(kind);
    e->kcls[kind] = (uint8_t)(vac ? CLS_VAC : coll ? CLS_INT_COLL : CLS_INT);
    e->ksp[kind] = (uint8_t)kind_sp(kind);
    e->knp[kind] = (uint8_t)np;
    e->kz[kind] = (uint8_t)z;
    for (int k = 0; k < ntype; k++) {
      e->rpos[kind][k] = 0;
      for (int p = 0; p < np; p++) {
        int d = p % z;
        const int8_t *v = onx ? ionkmc_lattice_xx_vec(k, d) : ionkmc_lattice_aa_vec(d);
        int mult = coll ? 2 : 1;
        double dr[3];
        int j2 = 0;
        for (int c = 0; c < 3; c++) {
          e->dvec[kind][k][p][c] = (int8_t)(mult * v[c]);
          e->astep[kind][k][p][c] = v[c];
          dr[c] = 0.5 * s->a * (mult * v[c]);
          j2 += v[c] * v[c];
        }
        e->jump2[kind][p] = (int8_t)j2;
        e->rtab[kind][k][p] = s->rate[kind] * ionkmc_rate_field_bias(q, s->field, dr, kT);
        if (e->rtab[kind][k][p] > 0) e->rpos[kind][k] |= (uint16_t)(1u << p);
      }
      /* The sums in the order of the path scan: vacancies add path by path,
       * interstitials add the two atoms' paths of a direction as a pair. */
      const double *rt = e->rtab[kind][k];
      for (int m = 0; m < (1 << z); m++) {
        double sum = 0;
        for (int p = 0; p < z; p++) {
          int ok = (m >> p) & 1;
          if (vac) sum += ok ? rt[p] : 0.0;
          else sum += (ok ? rt[p] : 0.0) + (ok ? rt[z + p] : 0.0);
        }
        e->rsum[kind][k][m] = sum;
      }
    }
  }
}

ionkmc_engine *ionkmc_engine_alloc(const ionkmc_box_spec *spec, const ionkmc_lattice *lat,
                                   ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_engine *e = NULL;
  int ndef = 0, nvac[2] = {0, 0}, nint[2] = {0, 0};
  if (!spec || !lat) {
    st = ionkmc_error_set(err, IONKMC_EINVAL, "engine: NULL spec or lattice");
    goto out;
  }
  if (spec->L != ionkmc_lattice_size(lat)) {
    st = ionkmc_error_set(err, IONKMC_EINVAL, "size: lattice has L = %d, spec asks for %d",
                          ionkmc_lattice_size(lat), spec->L);
    goto out;
  }
  if (!(spec->T > 0) || !isfinite(spec->T)) {
    st = ionkmc_error_set(err, IONKMC_ERANGE, "T: expected a temperature > 0 K, got %g", spec->T);
    goto out;
  }
  if (!(spec->a > 0) || !isfinite(spec->a)) {
    st = ionkmc_error_set(err, IONKMC_ERANGE, "a: expected a lattice constant > 0 A, got %g", spec->a);
    goto out;
  }
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (spec->count[k] < 0) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "%s: negative defect count", ionkmc_defect_name(k));
      goto out;
    }
    if (spec->count[k] == 0) continue;
    if (!(spec->rate[k] >= 0) || !isfinite(spec->rate[k])) {
      st = ionkmc_error_set(err, IONKMC_ERANGE, "%s: rate must be finite and >= 0, got %g",
                            ionkmc_defect_name(k), spec->rate[k]);
      goto out;
    }
    if (spec->pattern[k] == IONKMC_PATTERN_COLLINEAR && spec->L < 3) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "size: the collinear pattern of %s needs L >= 3",
                            ionkmc_defect_name(k));
      goto out;
    }
    ndef += spec->count[k];
    if (ionkmc_defect_is_vacancy(k)) nvac[kind_sp(k)] += spec->count[k];
    else nint[kind_sp(k)] += spec->count[k];
  }
  if (ndef == 0) {
    st = ionkmc_error_set(err, IONKMC_EINVAL, "defect: the box holds no defect");
    goto out;
  }
  int nx = ionkmc_lattice_nsites(lat, IONKMC_SUB_X), na = ionkmc_lattice_nsites(lat, IONKMC_SUB_A);
  if (nvac[0] + nint[0] > nx || nvac[1] + nint[1] > na) {
    st = ionkmc_error_set(err, IONKMC_EINVAL, "defect: more defects than sites in a %d^3 box", spec->L);
    goto out;
  }
  e = calloc(1, sizeof *e);
  if (!e) goto nomem;
  e->spec = *spec;
  /* Only MA split interstitials have a choice of pattern. */
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (k != IONKMC_I_MA_P && k != IONKMC_I_MA_0) e->spec.pattern[k] = IONKMC_PATTERN_SINGLE;
  e->lat = lat;
  e->ndef = ndef;
  for (int s = 0; s < 2; s++) {
    species_state *S = &e->sp[s];
    S->nsites = s == 0 ? nx : na;
    S->z = s == 0 ? IONKMC_NNB_XX : IONKMC_NNB_AA;
    S->nbr = s == 0 ? ionkmc_lattice_xx(lat) : ionkmc_lattice_aa(lat);
    S->nbr2 = s == 0 ? NULL : ionkmc_lattice_aa2(lat);
    S->natoms = S->nsites - nvac[s] + nint[s];
    S->occ = malloc((size_t)S->nsites);
    S->sat0 = malloc(sizeof(int32_t) * (size_t)S->nsites);
    S->sat1 = malloc(sizeof(int32_t) * (size_t)S->nsites);
    S->def_at = malloc(sizeof(int32_t) * (size_t)S->nsites);
    S->adisp = malloc(sizeof(int32_t) * 3 * (size_t)S->natoms);
    S->asite = malloc(sizeof(int32_t) * (size_t)S->natoms);
    if (!S->occ || !S->sat0 || !S->sat1 || !S->def_at || !S->adisp || !S->asite) goto nomem;
  }
  for (int k = IONKMC_I_MA_P; k <= IONKMC_I_MA_0; k++)
    if (spec->count[k] > 0 && spec->pattern[k] == IONKMC_PATTERN_COLLINEAR) e->sp[1].scan2 = 1;
  e->def = calloc((size_t)ndef, sizeof *e->def);
  e->dpos0 = malloc(sizeof(int32_t) * 3 * ndef);
  e->dinit = malloc(sizeof(int32_t) * 3 * ndef);
  e->dblk = calloc((size_t)ndef * 8, sizeof(double));
  e->prate = calloc((size_t)ndef * IONKMC_MAX_PATHS, sizeof(double));
  e->tree = ionkmc_sumtree_alloc(ndef);
  if (!e->def || !e->dpos0 || !e->dinit || !e->dblk || !e->prate || !e->tree) goto nomem;
  {
    int i = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      for (int c = 0; c < spec->count[k]; c++) e->def[i++].kind = (uint8_t)k;
  }
  build_tables(e);
  double r0 = ionkmc_box_spec_nominal_rate(spec);
  double t0 = r0 > 0 ? 1.0 / r0 : 1.0;
  for (int k = 0; k < IONKMC_MSD_POINTS; k++)
    e->msd_time[k] = t0 * pow(10.0, (double)k / IONKMC_MSD_PER_DECADE);
  goto out;
nomem:
  ionkmc_engine_free(e);
  e = NULL;
  st = ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory for a %d^3 box", spec->L);
out:
  if (status) *status = st;
  return e;
}

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

/* List the defects other than `self` on the neighbours of `site`. */
static inline void scan_nbrs(ionkmc_engine *e, const species_state *S, int site, int self) {
  const uint8_t *occ = S->occ;
  const int32_t *nb = S->nbr + (size_t)site * S->z;
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

/* List the defects on the neighbours of `site` named by the bits of mask. */
static inline void mark_masked(ionkmc_engine *e, const species_state *S, int site,
                               unsigned mask, int self) {
  const int32_t *nb = S->nbr + (size_t)site * S->z;
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

/* Open-direction mask of a defect of class cls at site s (bit p: direction
 * p is not blocked) and, through *ndef, the neighbours holding a defect. */
static inline unsigned open_dirs(const species_state *S, int cls, int s, unsigned *ndef) {
  const uint8_t *occ = S->occ;
  int z = S->z;
  const int32_t *nb = S->nbr + (size_t)s * z;
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

static void compute_paths_env(ionkmc_engine *e, int d);

static inline void compute_paths(ionkmc_engine *e, int d) {
  defect_state *D = &e->def[d];
  if (!D->alive) {
    D->open = 0;
    D->nbr_def = 0;
    ionkmc_sumtree_update(e->tree, d, 0.0);
    return;
  }
  int kind = D->kind;
  if (e->kenv[kind]) {
    compute_paths_env(e, d);
    return;
  }
  int cls = e->kcls[kind];
  int k = D->xt;
  unsigned nd;
  unsigned m = open_dirs(&e->sp[e->ksp[kind]], cls, D->site, &nd);
  unsigned paths = cls == CLS_VAC ? m : m | (m << e->kz[kind]);
  D->open = (uint16_t)(paths & e->rpos[kind][k]);
  D->nbr_def = (uint8_t)nd;
  ionkmc_sumtree_update(e->tree, d, e->rsum[kind][k][m]);
}

/* Count the defects other than `self` on the first shell of `site`. */
static void shell_counts(const ionkmc_engine *e, const species_state *S, int site, int self,
                         int counts[IONKMC_NDEFECT]) {
  const int32_t *nb = S->nbr + (size_t)site * S->z;
  for (int i = 0; i < S->z; i++)
    if (S->occ[nb[i]] != 1) {
      int o = S->def_at[nb[i]];
      if (o >= 0 && o != self && e->def[o].alive) counts[e->def[o].kind]++;
    }
}

/* Path rates of a defect whose kind takes its rates from a provider: the
 * open paths as in compute_paths, each rate from the hop's environment. */
static void compute_paths_env(ionkmc_engine *e, int d) {
  defect_state *D = &e->def[d];
  int kind = D->kind, cls = e->kcls[kind], k = D->xt, spi = e->ksp[kind];
  const species_state *S = &e->sp[spi];
  int z = S->z, np = e->knp[kind], s = D->site;
  unsigned nd;
  unsigned m = open_dirs(S, cls, s, &nd);
  unsigned paths = cls == CLS_VAC ? m : m | (m << z);
  double *pr = e->prate + (size_t)d * IONKMC_MAX_PATHS;
  int quenched = ionkmc_providers_orientation(e->prov) == IONKMC_ORIENT_QUENCHED;
  ionkmc_hop_env env;
  double sum = 0;
  unsigned open = 0;
  /* Alone within two hops: every path is open and its environment is the
   * empty one, so the rates are the kind's lone row. */
  int lone = !quenched && cls != CLS_INT_COLL && nd == 0;
  if (lone) {
    const int32_t *sh = e->shell2[spi] + (size_t)s * e->n2[spi];
    for (int i = 0; i < e->n2[spi]; i++)
      if (S->occ[sh[i]] != 1 && sh[i] != s) {
        lone = 0;
        break;
      }
  }
  if (lone && e->lone_set[kind][k]) {
    const double *lr = e->lone_rt[kind][k];
    for (int p = 0; p < np; p++) {
      pr[p] = lr[p];
      sum += lr[p];
      if (lr[p] > 0) open |= 1u << p;
    }
    for (int p = np; p < IONKMC_MAX_PATHS; p++) pr[p] = 0.0;
    D->open = (uint16_t)open;
    D->nbr_def = 0;
    ionkmc_sumtree_update(e->tree, d, sum);
    return;
  }
  /* the initial shell is the same for every path */
  memset(&env, 0, sizeof env);
  env.kind = kind;
  shell_counts(e, S, s, d, env.init_counts);
  env.ncages = 2;
  for (int p = 0; p < np; p++) {
    pr[p] = 0.0;
    if (!((paths >> p) & 1)) continue;
    int dir = p % z;
    int t = S->nbr[(size_t)s * z + dir];
    const int8_t *dv = e->dvec[kind][k][p];
    int f = t;
    if (cls == CLS_INT_COLL && S->occ[t] != 0) f = S->nbr2[(size_t)s * z + dir];
    memset(env.final_counts, 0, sizeof env.final_counts);
    shell_counts(e, S, f, d, env.final_counts);
    for (int c = 0; c < 3; c++) env.dr[c] = 0.5 * e->spec.a * dv[c];
    if (quenched) {
      int32_t pos[3], q[3];
      if (spi == 0) {
        ionkmc_lattice_site_pos(e->lat, IONKMC_SUB_X, s, pos);
        for (int g = 0; g < 2; g++) {
          for (int c = 0; c < 3; c++) q[c] = pos[c] + e->xcage[k][dir][g][c];
          env.cage_class[g] = e->orient[ionkmc_lattice_site_at(e->lat, IONKMC_SUB_A, q)];
        }
      } else {
        env.cage_class[0] = e->orient[s];
        env.cage_class[1] = e->orient[t];
      }
    }
    double r = 0;
    ionkmc_status st = ionkmc_providers_rate(e->prov, &env, &r, &e->fail_err);
    if (st != IONKMC_OK) {
      if (!e->fail) e->fail = st;
      r = 0;
    }
    pr[p] = r;
    sum += r;
    if (r > 0) open |= 1u << p;
  }
  if (lone && !e->fail) {
    memcpy(e->lone_rt[kind][k], pr, sizeof(double) * IONKMC_MAX_PATHS);
    e->lone_set[kind][k] = 1;
  }
  D->open = (uint16_t)open;
  D->nbr_def = (uint8_t)nd;
  ionkmc_sumtree_update(e->tree, d, sum);
}

static inline void move_atom(species_state *S, int atom, const int8_t *dv, int sign, int jump2) {
  int32_t *r = S->adisp + 3 * (size_t)atom;
  int64_t dot = 0;
  for (int c = 0; c < 3; c++) {
    int32_t dc = sign * dv[c];
    dot += (int64_t)r[c] * dc;
    r[c] += dc;
    S->sum_dr[c] += dc;
  }
  S->sum_dr2 += 2 * dot + jump2;
  S->sum_jump2 += jump2;
}

static inline void kill(ionkmc_engine *e, species_state *S, int d) {
  defect_state *D = &e->def[d];
  D->alive = 0;
  if (S->def_at[D->site] == d) S->def_at[D->site] = -1;
  S->alive--;
  e->obs.defects_alive--;
  if (S->alive == 0) e->obs.t_emptied[S - e->sp] = e->obs.t;
  mark_dirty(e, d);
}

static inline void move_defect(species_state *S, defect_state *D, int d, int from, int to,
                               const int8_t *dv, int xt) {
  S->def_at[from] = -1;
  S->def_at[to] = d;
  D->site = to;
  D->xt = (uint8_t)xt;
  D->pos[0] += dv[0];
  D->pos[1] += dv[1];
  D->pos[2] += dv[2];
}

/* After defect d hopped from s to its new site: recompute it, then list the
 * defects next to s (from its mask before the hop, old_nd, without the
 * direction it took) and next to its new site (from its new mask). */
static inline void after_hop(ionkmc_engine *e, const species_state *S, int d, int s,
                             unsigned old_nd, int crowded) {
  compute_paths(e, d);
  if (!crowded) return;
  mark_masked(e, S, s, old_nd, d);
  mark_masked(e, S, e->def[d].site, e->def[d].nbr_def, d);
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

/* Fast path of the iodide vacancy (the most frequent event): path p is the
 * direction p of the X-X table; the defect is recomputed here and its
 * neighbours, if any, are left in dirty[]. Same effect as execute(). */
static inline void hop_x_vacancy(ionkmc_engine *e, int d, int p) {
  defect_state *D = &e->def[d];
  species_state *S = &e->sp[0];
  int s = D->site;
  int k = D->xt;
  const int8_t *dv = e->dvec[IONKMC_V_I][k][p];
  int t = S->nbr[(size_t)s * IONKMC_NNB_XX + p];
  int crowded = S->alive > 1;
  unsigned old_nd = D->nbr_def;
  e->ndirty = 0;
  e->obs.hops++;
  e->obs.hops_by_kind[IONKMC_V_I]++;
  int atom = S->sat0[t];
  move_atom(S, atom, dv, -1, e->jump2[IONKMC_V_I][p]);
  S->occ[t] = 0;
  S->occ[s] = 1;
  S->sat0[s] = atom;
  int xt = e->xt_next[k][p];
  move_defect(S, D, d, s, t, dv, xt);
  /* recompute the vacancy at t */
  const uint8_t *occ = S->occ;
  const int32_t *nb = S->nbr + (size_t)t * IONKMC_NNB_XX;
  unsigned m = x_occupied_mask(occ, nb);
  D->open = (uint16_t)(m & e->rpos[IONKMC_V_I][xt]);
  D->nbr_def = (uint8_t)(~m & 0xFFu);
  ionkmc_sumtree_update(e->tree, d, e->rsum[IONKMC_V_I][xt][m]);
  if (crowded) {
    mark_masked(e, S, s, old_nd, d);
    mark_masked(e, S, t, D->nbr_def, d);
  }
}

/* Execute path p of defect d. Leaves in dirty[] the defects still to be
 * recomputed. */
static void execute(ionkmc_engine *e, int d, int p) {
  defect_state *D = &e->def[d];
  int kind = D->kind;
  int spi = e->ksp[kind];
  species_state *S = &e->sp[spi];
  int z = S->z;
  int s = D->site;
  int k = D->xt;
  const int8_t *dv = e->dvec[kind][k][p];
  int j2 = e->jump2[kind][p];
  int dir = p % z;
  int t = S->nbr[(size_t)s * z + dir];
  int xt = spi == 0 ? e->xt_next[k][dir] : 0;
  int crowded = S->alive > 1; /* before the event */
  unsigned old_nd = D->nbr_def;
  e->ndirty = 0;
  e->obs.hops++;
  e->obs.hops_by_kind[kind]++;
  if (e->kcls[kind] == CLS_VAC) {
    /* The atom on the neighbouring site t moves into the vacancy at s. */
    int atom = S->sat0[t];
    move_atom(S, atom, dv, -1, j2);
    S->occ[t] = 0;
    S->occ[s] = 1;
    S->sat0[s] = atom;
    move_defect(S, D, d, s, t, dv, xt);
    if (!S->scan2) {
      after_hop(e, S, d, s, old_nd, crowded);
    } else {
      mark_dirty(e, d);
      if (crowded) {
        scan_nbrs(e, S, s, d);
        scan_nbrs(e, S, t, d);
      }
    }
    return;
  }
  /* Split interstitial: atom j of the pair at s moves towards t. */
  int j = p / z;
  int atom = j ? S->sat1[s] : S->sat0[s], other = j ? S->sat0[s] : S->sat1[s];
  S->occ[s] = 1;
  S->sat0[s] = other;
  const int8_t *av = e->astep[kind][k][p];
  if (e->kcls[kind] == CLS_INT || S->occ[t] == 0) {
    move_atom(S, atom, av, 1, j2);
    if (S->occ[t] == 1) {
      S->occ[t] = 2;
      S->sat1[t] = atom;
      move_defect(S, D, d, s, t, dv, xt);
      if (!S->scan2) {
        after_hop(e, S, d, s, old_nd, crowded);
        return;
      }
      mark_dirty(e, d);
    } else {
      S->occ[t] = 1;
      S->sat0[t] = atom;
      kill(e, S, S->def_at[t]);
      kill(e, S, d);
      e->obs.recombinations++;
    }
    if (crowded) {
      scan_nbrs(e, S, s, d);
      scan_nbrs(e, S, t, d);
    }
    return;
  }
  /* Collinear: atom moves s -> t and pushes the molecule of t on to u. */
  int u = S->nbr2[(size_t)s * z + dir];
  int b = S->sat0[t];
  move_atom(S, atom, av, 1, j2);
  S->sat0[t] = atom;
  move_atom(S, b, av, 1, j2);
  if (S->occ[u] == 1) {
    S->occ[u] = 2;
    S->sat1[u] = b;
    move_defect(S, D, d, s, u, dv, 0);
    mark_dirty(e, d);
  } else {
    S->occ[u] = 1;
    S->sat0[u] = b;
    kill(e, S, S->def_at[u]);
    kill(e, S, d);
    e->obs.recombinations++;
  }
  if (crowded) {
    scan_nbrs(e, S, s, d);
    scan_nbrs(e, S, t, d);
    scan_nbrs(e, S, u, d);
  }
}

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

static void close_block(ionkmc_engine *e) {
  double dt = e->obs.t - e->t_block;
  for (int d = 0; d < e->ndef; d++) {
    const int32_t *p = e->def[d].pos;
    int32_t *p0 = e->dpos0 + 3 * (size_t)d;
    if (e->def[d].alive) {
      double r2 = 0, *m = e->dblk + 8 * (size_t)d;
      for (int c = 0; c < 3; c++) {
        double dr = (double)(p[c] - p0[c]);
        r2 += dr * dr;
        m[c] += dr;
        m[3 + c] += dr * dt;
      }
      m[6] += dt;
      m[7] += dt * dt;
      e->obs.defect_r2 += r2;
      e->obs.defect_t += dt;
    }
    memcpy(p0, p, 3 * sizeof *p);
  }
  for (int s = 0; s < 2; s++) {
    double *m = e->sblk[s];
    for (int c = 0; c < 3; c++) {
      double ds = (double)(e->sp[s].sum_dr[c] - e->s0[s][c]);
      e->sblk_r2[s] += ds * ds;
      m[c] += ds;
      m[3 + c] += ds * dt;
      e->s0[s][c] = e->sp[s].sum_dr[c];
    }
    m[6] += dt;
    m[7] += dt * dt;
  }
  e->t_block = e->obs.t;
  e->block_start = e->obs.hops;
}

/* v if bit is 1, +0.0 if it is 0, without a branch. */
static inline double keep_if(double v, unsigned bit) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  u &= (uint64_t)0 - (uint64_t)bit;
  memcpy(&v, &u, sizeof v);
  return v;
}

/* Path selection within a defect: the first open path q with rem < rate[q],
 * rem being reduced by the rates of the open paths before it, exactly as a
 * scan that stops there; the last open path takes the round-off at the top
 * of the interval. The loops do not branch on the random outcome: they
 * return the bit set of hits, whose lowest bit is the chosen path. */
static inline unsigned first_hit_all(const double *rt, int np, double *rem) {
#ifdef __SSE2__
  /* the running remainders in sequence, compared two at a time */
  unsigned hit = 0;
  double r = *rem;
  for (int q = 0; q < np; q += 2) {
    double r1 = r - rt[q];
    __m128d rr = _mm_set_pd(r1, r);
    hit |= (unsigned)_mm_movemask_pd(_mm_cmplt_pd(rr, _mm_loadu_pd(rt + q))) << q;
    r = r1 - rt[q + 1];
  }
  return hit;
#else
  unsigned hit = 0;
  double r = *rem;
  for (int q = 0; q < np; q++) {
    hit |= (unsigned)(r < rt[q]) << q;
    r -= rt[q];
  }
  return hit;
#endif
}

/* Closed paths count with rate +0.0, which changes neither the test (rem >= 0
 * up to the hit) nor rem. */
static inline unsigned first_hit_masked(const double *rt, int np, unsigned open, double *rem) {
  unsigned hit = 0;
  double r = *rem;
  for (int q = 0; q < np; q++) {
    double rq = keep_if(rt[q], (open >> q) & 1);
    hit |= (unsigned)(r < rq) << q;
    r -= rq;
  }
  return hit;
}

static inline void mark_env(ionkmc_engine *e, int d);

/* An event in a box with environment-dependent rates: the defects within two
 * hops of the changed sites are recomputed (in batches of MAX_DIRTY). */
static void env_step(ionkmc_engine *e, int d, int p) {
  int kind = e->def[d].kind, spi = e->ksp[kind];
  const species_state *S = &e->sp[spi];
  int z = S->z, s = e->def[d].site, dir = p % z;
  int t = S->nbr[(size_t)s * z + dir];
  int u = e->kcls[kind] == CLS_INT_COLL ? S->nbr2[(size_t)s * z + dir] : -1;
  if (kind == IONKMC_V_I) hop_x_vacancy(e, d, p);
  else execute(e, d, p);
  if (++e->stamp_now == 0) {
    memset(e->stamp, 0, sizeof(uint32_t) * (size_t)e->ndef);
    e->stamp_now = 1;
  }
  for (int j = 0; j < e->ndirty; j++) {
    int o = e->dirty[j];
    if (e->stamp[o] != e->stamp_now) {
      e->stamp[o] = e->stamp_now;
      compute_paths(e, o);
    }
  }
  int sites[3] = {s, t, u};
  int n2 = e->n2[spi];
  for (int q = 0; q < 3; q++) {
    if (sites[q] < 0) continue;
    const int32_t *sh = e->shell2[spi] + (size_t)sites[q] * n2;
    e->ndirty = 0;
    if (S->occ[sites[q]] != 1) mark_env(e, S->def_at[sites[q]]);
    for (int i = 0; i < n2; i++) {
      if (e->ndirty == MAX_DIRTY) {
        for (int j = 0; j < e->ndirty; j++) compute_paths(e, e->dirty[j]);
        e->ndirty = 0;
      }
      if (S->occ[sh[i]] != 1) mark_env(e, S->def_at[sh[i]]);
    }
    for (int j = 0; j < e->ndirty; j++) compute_paths(e, e->dirty[j]);
  }
  e->ndirty = 0;
}

/* Mark a defect for env_step unless it was recomputed in this event. */
static inline void mark_env(ionkmc_engine *e, int d) {
  if (d >= 0 && e->stamp[d] != e->stamp_now) {
    e->stamp[d] = e->stamp_now;
    e->dirty[e->ndirty++] = d;
  }
}

/* Advance the clock to tnew and execute the event that x in [0, R) selects. */
static inline __attribute__((always_inline)) void do_step(ionkmc_engine *e, double tnew, double x) {
  if (tnew >= e->msd_next) sample_msd(e, tnew);
  e->obs.t = tnew;
  double rem;
  int d = e->ndef == 1 ? (rem = x, 0) : ionkmc_sumtree_find(e->tree, x, &rem);
  const double *rt = e->kenv[e->def[d].kind] ? e->prate + (size_t)d * IONKMC_MAX_PATHS
                                             : e->rtab[e->def[d].kind][e->def[d].xt];
  const defect_state *D = &e->def[d];
  unsigned open = D->open;
  int np = e->knp[D->kind];
  unsigned hit;
  if (open == (1u << np) - 1) {
    /* every path open (the common case): fixed-length loops the compiler
     * unrolls */
    switch (np) {
    case 8: hit = first_hit_all(rt, 8, &rem); break;
    case 6: hit = first_hit_all(rt, 6, &rem); break;
    case 16: hit = first_hit_all(rt, 16, &rem); break;
    default: hit = first_hit_all(rt, 12, &rem); break;
    }
  } else {
    hit = first_hit_masked(rt, np, open, &rem);
  }
  int p = hit ? __builtin_ctz(hit) : 31 - __builtin_clz(open);
  if (e->env) {
    env_step(e, d, p);
    return;
  }
  if (D->kind == IONKMC_V_I) hop_x_vacancy(e, d, p);
  else execute(e, d, p);
  for (int i = 0; i < e->ndirty; i++) compute_paths(e, e->dirty[i]);
}

/* The residence time of one event: an exact exponential -ln(v)/R with
 * v = 1 - u in (0, 1] (exact in binary floating point for u = k 2^-53). */
static inline double waiting_time(double u, double R) { return -log(1.0 - u) / R; }

ionkmc_status ionkmc_engine_step(ionkmc_engine *e, ionkmc_rng *rng) {
  double R = ionkmc_sumtree_total(e->tree);
  if (!(R > 0)) return IONKMC_ESTATE;
  double u1, u2;
  ionkmc_rng_uniform2(rng, &u1, &u2);
  do_step(e, e->obs.t + waiting_time(u1, R), u2 * R);
  return e->fail;
}

ionkmc_status ionkmc_engine_run(ionkmc_engine *e, ionkmc_rng *rng, int64_t max_hops,
                                double max_time, int64_t block_hops) {
  if (max_hops <= 0 && !(max_time > 0)) return IONKMC_EINVAL;
  double tmax = max_time > 0 ? max_time : INFINITY;
  int64_t hmax = max_hops > 0 ? max_hops : INT64_MAX;
  /* Philox blocks are made IONKMC_PHILOX_BATCH at a time from the stream's
   * counter. Each event uses one block; the stream's counter is set once, on
   * the way out, to just after the last block used, which is where
   * one-at-a-time draws would leave it. */
  uint32_t buf[4 * IONKMC_PHILOX_BATCH];
  uint64_t next = ((uint64_t)rng->ctr[1] << 32) | rng->ctr[0]; /* first block of buf */
  int used = IONKMC_PHILOX_BATCH, filled = 0;
  for (;;) {
    int64_t stop = hmax;
    if (block_hops > 0 && e->block_start + block_hops < stop) stop = e->block_start + block_hops;
    while (e->obs.hops < stop) {
      double R = ionkmc_sumtree_total(e->tree);
      if (!(R > 0)) {
        e->obs.no_events = 1;
        goto out;
      }
      if (used == IONKMC_PHILOX_BATCH) {
        if (filled) next += IONKMC_PHILOX_BATCH;
        uint32_t c[4] = {(uint32_t)next, (uint32_t)(next >> 32), rng->ctr[2], rng->ctr[3]};
        ionkmc_philox4x32_10_batch(c, rng->key, buf);
        used = 0;
        filled = 1;
      }
      double u1, u2;
      ionkmc_rng_block_uniform2(buf + 4 * used++, &u1, &u2);
      double tnew = e->obs.t + waiting_time(u1, R);
      if (tnew > tmax) {
        sample_msd(e, max_time);
        e->obs.t = max_time;
        goto out;
      }
      do_step(e, tnew, u2 * R);
      if (e->fail) goto out;
    }
    if (e->obs.hops >= hmax) break;
    close_block(e);
  }
out:
  if (filled) {
    uint64_t after = next + (uint64_t)used;
    rng->ctr[0] = (uint32_t)after;
    rng->ctr[1] = (uint32_t)(after >> 32);
  }
  return e->fail;
}

static ionkmc_status build_shell2(ionkmc_engine *e, int spi);

ionkmc_status ionkmc_engine_set_providers(ionkmc_engine *e, ionkmc_providers *prov,
                                          ionkmc_error *err) {
  if (!e || !prov) return ionkmc_error_set(err, IONKMC_EINVAL, "engine: NULL providers");
  e->prov = prov;
  e->env = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    e->kenv[k] = (uint8_t)(e->spec.count[k] > 0 && ionkmc_providers_env(prov, k));
    e->env |= e->kenv[k];
  }
  if (e->env && !e->stamp && !(e->stamp = calloc((size_t)e->ndef, sizeof(uint32_t))))
    return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  for (int spi = 0; spi < 2 && e->env; spi++)
    if (!e->shell2[spi] && build_shell2(e, spi) != IONKMC_OK)
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  if (e->env && ionkmc_providers_orientation(prov) == IONKMC_ORIENT_QUENCHED && !e->orient) {
    e->orient = calloc((size_t)e->sp[1].nsites, 1);
    if (!e->orient) return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  }
  return IONKMC_OK;
}

const char *ionkmc_engine_error(const ionkmc_engine *e) { return e->fail_err.text; }

/* The sites within two hops of every site of a species, from the distinct
 * h-offsets of each X type (one type on A), excluding the site itself. */
static ionkmc_status build_shell2(ionkmc_engine *e, int spi) {
  ionkmc_sublattice sub = spi == 0 ? IONKMC_SUB_X : IONKMC_SUB_A;
  const species_state *S = &e->sp[spi];
  int ntype = spi == 0 ? 3 : 1, z = S->z;
  int8_t off[3][96][3];
  int noff[3] = {0, 0, 0};
  for (int k = 0; k < ntype; k++) {
    for (int i = 0; i < z; i++) {
      const int8_t *v1 = spi == 0 ? ionkmc_lattice_xx_vec(k, i) : ionkmc_lattice_aa_vec(i);
      int k1 = spi == 0 ? e->xt_next[k][i] : 0;
      for (int j = -1; j < z; j++) {
        int8_t o[3];
        for (int c = 0; c < 3; c++) {
          const int8_t *v2 = j < 0 ? NULL : spi == 0 ? ionkmc_lattice_xx_vec(k1, j) : ionkmc_lattice_aa_vec(j);
          o[c] = (int8_t)(v1[c] + (v2 ? v2[c] : 0));
        }
        if (!o[0] && !o[1] && !o[2]) continue;
        int dup = 0;
        for (int q = 0; q < noff[k] && !dup; q++) dup = !memcmp(off[k][q], o, 3);
        if (!dup) memcpy(off[k][noff[k]++], o, 3);
      }
    }
  }
  int n2 = noff[0];
  e->n2[spi] = n2;
  e->shell2[spi] = malloc(sizeof(int32_t) * (size_t)S->nsites * n2);
  if (!e->shell2[spi]) return IONKMC_ENOMEM;
  for (int site = 0; site < S->nsites; site++) {
    int32_t pos[3], q[3];
    ionkmc_lattice_site_pos(e->lat, sub, site, pos);
    int k = spi == 0 ? site % 3 : 0;
    for (int i = 0; i < n2; i++) {
      for (int c = 0; c < 3; c++) q[c] = pos[c] + off[k][i][c];
      e->shell2[spi][(size_t)site * n2 + i] = ionkmc_lattice_site_at(e->lat, sub, q);
    }
  }
  return IONKMC_OK;
}

ionkmc_status ionkmc_engine_reset(ionkmc_engine *e, ionkmc_rng *rng, ionkmc_error *err) {
  const ionkmc_lattice *lat = e->lat;
  for (int s = 0; s < 2; s++) {
    species_state *S = &e->sp[s];
    memset(S->occ, 1, (size_t)S->nsites);
    for (int i = 0; i < S->nsites; i++) S->def_at[i] = -1;
    S->sum_dr2 = S->sum_jump2 = 0;
    S->sum_dr[0] = S->sum_dr[1] = S->sum_dr[2] = 0;
    S->alive = 0;
  }
  /* Random distinct sites for the defects. */
  for (int d = 0; d < e->ndef; d++) {
    defect_state *D = &e->def[d];
    int kind = D->kind;
    species_state *S = &e->sp[kind_sp(kind)];
    int site;
    do {
      site = (int)ionkmc_rng_below(rng, (uint32_t)S->nsites);
    } while (S->def_at[site] >= 0);
    S->def_at[site] = d;
    S->occ[site] = ionkmc_defect_is_vacancy(kind) ? 0 : 2;
    S->alive++;
    D->site = site;
    D->xt = (uint8_t)(kind_sp(kind) == 0 ? site % 3 : 0);
    D->alive = 1;
    ionkmc_lattice_site_pos(lat, ionkmc_defect_sublattice(kind), site, D->pos);
  }
  for (int s = 0; s < 2; s++) {
    species_state *S = &e->sp[s];
    int a = 0;
    for (int i = 0; i < S->nsites; i++)
      for (int j = 0; j < S->occ[i]; j++) {
        if (a >= S->natoms)
          return ionkmc_error_set(err, IONKMC_EINTERNAL, "engine: atom count mismatch");
        (j ? S->sat1 : S->sat0)[i] = a;
        S->asite[a] = i;
        a++;
      }
    if (a != S->natoms) return ionkmc_error_set(err, IONKMC_EINTERNAL, "engine: atom count mismatch");
    memset(S->adisp, 0, sizeof(int32_t) * 3 * (size_t)S->natoms);
  }
  for (int d = 0; d < e->ndef; d++) {
    memcpy(e->dpos0 + 3 * (size_t)d, e->def[d].pos, 3 * sizeof(int32_t));
    memcpy(e->dinit + 3 * (size_t)d, e->def[d].pos, 3 * sizeof(int32_t));
  }
  memset(&e->obs, 0, sizeof e->obs);
  memset(e->dblk, 0, sizeof(double) * 8 * (size_t)e->ndef);
  memset(e->sblk, 0, sizeof e->sblk);
  memset(e->sblk_r2, 0, sizeof e->sblk_r2);
  memset(e->s0, 0, sizeof e->s0);
  e->obs.defects_alive = e->ndef;
  e->obs.t_emptied[0] = e->obs.t_emptied[1] = -1;
  e->obs.msd_t0 = e->msd_time[0];
  e->msd_next = e->msd_time[0];
  e->t_block = 0;
  e->block_start = 0;
  e->fail = IONKMC_OK;
  if (e->env) {
    ionkmc_providers_clear_cache(e->prov);
    memset(e->lone_set, 0, sizeof e->lone_set);
    if (e->orient)
      for (int i = 0; i < e->sp[1].nsites; i++) e->orient[i] = (int8_t)ionkmc_rng_below(rng, 3);
  }
  for (int d = 0; d < e->ndef; d++) compute_paths(e, d);
  if (e->fail) {
    if (err) *err = e->fail_err;
    return e->fail;
  }
  return IONKMC_OK;
}

const ionkmc_run_obs *ionkmc_engine_obs(ionkmc_engine *e) {
  if (e->obs.hops > e->block_start || e->obs.t > e->t_block) close_block(e);
  ionkmc_run_obs *o = &e->obs;
  for (int s = 0; s < 2; s++) {
    o->natoms[s] = e->sp[s].natoms;
    o->sum_dr2[s] = e->sp[s].sum_dr2;
    o->sum_jump2[s] = e->sp[s].sum_jump2;
    for (int c = 0; c < 3; c++) o->sum_dr[s][c] = e->sp[s].sum_dr[c];
  }
  if (e->env) ionkmc_providers_stats(e->prov, &o->cache_hits, &o->cache_misses, NULL);
  /* drift-free moments: sum_b |x_b - v t_b|^2 = sum |x_b|^2 - 2 v.sum x_b t_b + |v|^2 sum t_b^2 */
  o->defect_r2_nodrift = o->defect_r2;
  o->defect_t_nodrift = 0;
  for (int d = 0; d < e->ndef; d++) {
    const double *m = e->dblk + 8 * (size_t)d;
    if (!(m[6] > 0)) continue;
    for (int c = 0; c < 3; c++) {
      double v = m[c] / m[6];
      o->defect_r2_nodrift += -2 * v * m[3 + c] + v * v * m[7];
    }
    o->defect_t_nodrift += m[6] - m[7] / m[6];
  }
  o->sigma_t_nodrift = 0;
  for (int s = 0; s < 2; s++) {
    const double *m = e->sblk[s];
    o->sigma_r2_nodrift[s] = o->sigma_r2[s] = e->sblk_r2[s];
    if (!(m[6] > 0)) continue;
    for (int c = 0; c < 3; c++) {
      double v = m[c] / m[6];
      o->sigma_r2_nodrift[s] += -2 * v * m[3 + c] + v * v * m[7];
    }
    o->sigma_t_nodrift = m[6] - m[7] / m[6];
  }
  for (int c = 0; c < 3; c++) o->defect_drift[c] = 0;
  for (int d = 0; d < e->ndef; d++) {
    if (!e->def[d].alive) continue;
    double q = ionkmc_defect_charge(e->def[d].kind);
    for (int c = 0; c < 3; c++) o->defect_drift[c] += q * (e->def[d].pos[c] - e->dinit[3 * d + c]);
  }
  return o;
}

double ionkmc_engine_total_rate(const ionkmc_engine *e) { return ionkmc_sumtree_total(e->tree); }
int ionkmc_engine_ndefects(const ionkmc_engine *e) { return e->ndef; }

void ionkmc_engine_defect(const ionkmc_engine *e, int i, ionkmc_defect_kind *kind, int *site,
                          int *alive, int32_t pos[3]) {
  const defect_state *D = &e->def[i];
  if (kind) *kind = (ionkmc_defect_kind)D->kind;
  if (site) *site = D->site;
  if (alive) *alive = D->alive;
  if (pos) memcpy(pos, D->pos, 3 * sizeof *pos);
}

int ionkmc_engine_occupancy(const ionkmc_engine *e, ionkmc_sublattice sub, int site) {
  return e->sp[sub == IONKMC_SUB_X ? 0 : 1].occ[site];
}

int ionkmc_engine_natoms(const ionkmc_engine *e, int species) { return e->sp[species].natoms; }
const int32_t *ionkmc_engine_atom_disp(const ionkmc_engine *e, int species) {
  return e->sp[species].adisp;
}
/* The step does not track atom sites (one store fewer per event); they are
 * rebuilt here from the site contents. */
const int32_t *ionkmc_engine_atom_site(const ionkmc_engine *e, int species) {
  const species_state *S = &e->sp[species];
  for (int i = 0; i < S->nsites; i++) {
    if (S->occ[i] >= 1) S->asite[S->sat0[i]] = i;
    if (S->occ[i] == 2) S->asite[S->sat1[i]] = i;
  }
  return S->asite;
}

/* The step keeps only each defect's mask of open paths; the per-path rates
 * are written into the defect's row of e->prate here. */
const double *ionkmc_engine_path_rates(const ionkmc_engine *e, int i) {
  const defect_state *D = &e->def[i];
  double *pr = e->prate + (size_t)i * IONKMC_MAX_PATHS;
  if (e->kenv[D->kind]) {
    if (!D->alive) memset(pr, 0, sizeof(double) * IONKMC_MAX_PATHS);
    return pr;
  }
  const double *rt = e->rtab[D->kind][D->xt];
  for (int p = 0; p < IONKMC_MAX_PATHS; p++)
    pr[p] = (D->alive && ((D->open >> p) & 1)) ? rt[p] : 0.0;
  return pr;
}
