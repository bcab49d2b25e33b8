/* Residence-time KMC engine. See engine.h for conventions. */
#include "kmc/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kmc/sumtree.h"

/* One sublattice with its atoms. */
typedef struct {
  int nsites;
  int z;                 /* neighbours per site */
  const int32_t *nbr;    /* [nsites][z] */
  const int32_t *nbr2;   /* [nsites][z] collinear second shell (A only) */
  uint8_t *occ;          /* [nsites] 0, 1 or 2 atoms */
  int32_t *sat;          /* [2 nsites] atoms on each site */
  int32_t *def_at;       /* [nsites] defect index or -1 */
  int natoms;
  int32_t *adisp;        /* [3 natoms] displacement from the start, h */
  int32_t *asite;        /* [natoms] current site */
  int64_t sum_dr2, sum_dr[3], sum_jump2;
} species_state;

#define MAX_DIRTY 64

struct ionkmc_engine {
  ionkmc_box_spec spec;
  const ionkmc_lattice *lat;
  species_state sp[2];
  int ndef;
  int8_t *dkind;     /* [ndef] */
  int32_t *dsite;    /* [ndef] */
  uint8_t *alive;    /* [ndef] */
  int32_t *dpos;     /* [3 ndef] unwrapped defect position, h */
  int32_t *dpos0;    /* [3 ndef] at the start of the current block */
  int32_t *dinit;    /* [3 ndef] at the start of the run */
  double *prate;     /* [ndef][IONKMC_MAX_PATHS] */
  ionkmc_sumtree *tree;
  /* rate and defect displacement per kind, X type k (0 on A), path */
  double rtab[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS];
  int8_t dvec[IONKMC_NDEFECT][3][IONKMC_MAX_PATHS][3];
  double msd_time[IONKMC_MSD_POINTS];
  double t_block;
  int64_t hops_in_block;
  int dirty[MAX_DIRTY];
  int ndirty;
  ionkmc_run_obs obs;
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
  free(s->sat);
  free(s->def_at);
  free(s->adisp);
  free(s->asite);
}

void ionkmc_engine_free(ionkmc_engine *e) {
  if (!e) return;
  species_free(&e->sp[0]);
  species_free(&e->sp[1]);
  free(e->dkind);
  free(e->dsite);
  free(e->alive);
  free(e->dpos);
  free(e->dpos0);
  free(e->dinit);
  free(e->prate);
  ionkmc_sumtree_free(e->tree);
  free(e);
}

static void build_tables(ionkmc_engine *e) {
  const ionkmc_box_spec *s = &e->spec;
  double kT = IONKMC_KB_EV * s->T;
  for (int kind = 0; kind < IONKMC_NDEFECT; kind++) {
    int onx = kind_sp(kind) == 0;
    int z = ionkmc_defect_z(kind), np = ionkmc_defect_npaths(kind);
    int ntype = onx ? 3 : 1;
    int coll = !onx && !ionkmc_defect_is_vacancy(kind) && s->pattern[kind] == IONKMC_PATTERN_COLLINEAR;
    double q = ionkmc_defect_charge(kind);
    for (int k = 0; k < ntype; k++)
      for (int p = 0; p < np; p++) {
        int d = p % z;
        const int8_t *v = onx ? ionkmc_lattice_xx_vec(k, d) : ionkmc_lattice_aa_vec(d);
        int mult = coll ? 2 : 1;
        double edr = 0;
        for (int c = 0; c < 3; c++) {
          e->dvec[kind][k][p][c] = (int8_t)(mult * v[c]);
          edr += s->field[c] * mult * v[c] * 0.5 * s->a;
        }
        e->rtab[kind][k][p] = s->rate[kind] * exp(q * edr / (2 * kT));
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
    S->sat = malloc(sizeof(int32_t) * 2 * (size_t)S->nsites);
    S->def_at = malloc(sizeof(int32_t) * (size_t)S->nsites);
    S->adisp = malloc(sizeof(int32_t) * 3 * (size_t)S->natoms);
    S->asite = malloc(sizeof(int32_t) * (size_t)S->natoms);
    if (!S->occ || !S->sat || !S->def_at || !S->adisp || !S->asite) goto nomem;
  }
  e->dkind = malloc((size_t)ndef);
  e->dsite = malloc(sizeof(int32_t) * ndef);
  e->alive = malloc((size_t)ndef);
  e->dpos = malloc(sizeof(int32_t) * 3 * ndef);
  e->dpos0 = malloc(sizeof(int32_t) * 3 * ndef);
  e->dinit = malloc(sizeof(int32_t) * 3 * ndef);
  e->prate = calloc((size_t)ndef * IONKMC_MAX_PATHS, sizeof(double));
  e->tree = ionkmc_sumtree_alloc(ndef);
  if (!e->dkind || !e->dsite || !e->alive || !e->dpos || !e->dpos0 || !e->dinit || !e->prate ||
      !e->tree)
    goto nomem;
  {
    int i = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      for (int c = 0; c < spec->count[k]; c++) e->dkind[i++] = (int8_t)k;
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

/* ---- the inner step ---------------------------------------------------- */

static inline void mark_dirty(ionkmc_engine *e, int d) {
  if (d < 0) return;
  for (int i = 0; i < e->ndirty; i++)
    if (e->dirty[i] == d) return;
  e->dirty[e->ndirty++] = d;
}

/* Defects whose paths depend on the occupancy of `site`. */
static inline void touch(ionkmc_engine *e, const species_state *S, int site) {
  mark_dirty(e, S->def_at[site]);
  const int32_t *nb = S->nbr + (size_t)site * S->z;
  for (int i = 0; i < S->z; i++) mark_dirty(e, S->def_at[nb[i]]);
  if (S->nbr2) {
    nb = S->nbr2 + (size_t)site * S->z;
    for (int i = 0; i < S->z; i++) mark_dirty(e, S->def_at[nb[i]]);
  }
}

static inline void compute_paths(ionkmc_engine *e, int d) {
  double *pr = e->prate + (size_t)d * IONKMC_MAX_PATHS;
  if (!e->alive[d]) {
    ionkmc_sumtree_set(e->tree, d, 0.0);
    return;
  }
  int kind = e->dkind[d];
  int spi = kind_sp(kind);
  const species_state *S = &e->sp[spi];
  int s = e->dsite[d];
  int z = S->z;
  const double *rt = e->rtab[kind][spi == 0 ? s % 3 : 0];
  const int32_t *nb = S->nbr + (size_t)s * z;
  const uint8_t *occ = S->occ;
  double sum = 0;
  if (ionkmc_defect_is_vacancy(kind)) {
    for (int p = 0; p < z; p++) {
      double r = occ[nb[p]] == 1 ? rt[p] : 0.0;
      pr[p] = r;
      sum += r;
    }
  } else if (e->spec.pattern[kind] == IONKMC_PATTERN_COLLINEAR) {
    const int32_t *nb2 = S->nbr2 + (size_t)s * z;
    for (int p = 0; p < z; p++) {
      int ot = occ[nb[p]];
      int ok = ot == 0 || (ot == 1 && occ[nb2[p]] < 2);
      pr[p] = ok ? rt[p] : 0.0;
      pr[z + p] = ok ? rt[z + p] : 0.0;
      sum += pr[p] + pr[z + p];
    }
  } else {
    for (int p = 0; p < z; p++) {
      int ok = occ[nb[p]] < 2;
      pr[p] = ok ? rt[p] : 0.0;
      pr[z + p] = ok ? rt[z + p] : 0.0;
      sum += pr[p] + pr[z + p];
    }
  }
  ionkmc_sumtree_set(e->tree, d, sum);
}

static inline void move_atom(species_state *S, int atom, const int8_t *dv, int sign, int to) {
  int32_t *r = S->adisp + 3 * (size_t)atom;
  int64_t dot = 0, d2 = 0;
  for (int c = 0; c < 3; c++) {
    int32_t dc = sign * dv[c];
    dot += (int64_t)r[c] * dc;
    d2 += (int64_t)dc * dc;
    r[c] += dc;
    S->sum_dr[c] += dc;
  }
  S->sum_dr2 += 2 * dot + d2;
  S->sum_jump2 += d2;
  S->asite[atom] = to;
}

static inline void kill(ionkmc_engine *e, species_state *S, int d) {
  e->alive[d] = 0;
  if (S->def_at[e->dsite[d]] == d) S->def_at[e->dsite[d]] = -1;
  e->obs.defects_alive--;
  mark_dirty(e, d);
}

static inline void move_defect(ionkmc_engine *e, species_state *S, int d, int from, int to,
                               const int8_t *dv) {
  S->def_at[from] = -1;
  S->def_at[to] = d;
  e->dsite[d] = to;
  int32_t *p = e->dpos + 3 * (size_t)d;
  p[0] += dv[0];
  p[1] += dv[1];
  p[2] += dv[2];
}

static void execute(ionkmc_engine *e, int d, int p) {
  int kind = e->dkind[d];
  int spi = kind_sp(kind);
  species_state *S = &e->sp[spi];
  int z = S->z;
  int s = e->dsite[d];
  const int8_t *dv = e->dvec[kind][spi == 0 ? s % 3 : 0][p];
  int dir = p % z;
  int t = S->nbr[(size_t)s * z + dir];
  e->ndirty = 0;
  e->obs.hops++;
  e->obs.hops_by_kind[kind]++;
  if (ionkmc_defect_is_vacancy(kind)) {
    /* The atom on the neighbouring site t moves into the vacancy at s. */
    int atom = S->sat[2 * t];
    move_atom(S, atom, dv, -1, s);
    S->occ[t] = 0;
    S->occ[s] = 1;
    S->sat[2 * s] = atom;
    move_defect(e, S, d, s, t, dv);
    touch(e, S, s);
    touch(e, S, t);
    return;
  }
  /* Split interstitial: atom j of the pair at s moves towards t. */
  int j = p / z;
  int atom = S->sat[2 * s + j], other = S->sat[2 * s + 1 - j];
  S->occ[s] = 1;
  S->sat[2 * s] = other;
  touch(e, S, s);
  int coll = e->spec.pattern[kind] == IONKMC_PATTERN_COLLINEAR && spi == 1;
  /* A collinear path's dv spans two cages; each molecule moves by half. */
  int8_t step[3] = {(int8_t)(coll ? dv[0] / 2 : dv[0]), (int8_t)(coll ? dv[1] / 2 : dv[1]),
                    (int8_t)(coll ? dv[2] / 2 : dv[2])};
  if (!coll || S->occ[t] == 0) {
    move_atom(S, atom, step, 1, t);
    if (S->occ[t] == 1) {
      S->occ[t] = 2;
      S->sat[2 * t + 1] = atom;
      move_defect(e, S, d, s, t, step);
    } else {
      S->occ[t] = 1;
      S->sat[2 * t] = atom;
      kill(e, S, S->def_at[t]);
      kill(e, S, d);
      e->obs.recombinations++;
    }
    touch(e, S, t);
    return;
  }
  /* Collinear: atom moves s -> t and pushes the molecule of t on to u. */
  int u = S->nbr2[(size_t)s * z + dir];
  int b = S->sat[2 * t];
  move_atom(S, atom, step, 1, t);
  S->sat[2 * t] = atom;
  move_atom(S, b, step, 1, u);
  if (S->occ[u] == 1) {
    S->occ[u] = 2;
    S->sat[2 * u + 1] = b;
    move_defect(e, S, d, s, u, dv);
  } else {
    S->occ[u] = 1;
    S->sat[2 * u] = b;
    kill(e, S, S->def_at[u]);
    kill(e, S, d);
    e->obs.recombinations++;
  }
  touch(e, S, t);
  touch(e, S, u);
}

static inline void sample_msd(ionkmc_engine *e, double t_upto) {
  ionkmc_run_obs *o = &e->obs;
  while (o->msd_n < IONKMC_MSD_POINTS && e->msd_time[o->msd_n] <= t_upto) {
    o->msd[0][o->msd_n] = (double)e->sp[0].sum_dr2;
    o->msd[1][o->msd_n] = (double)e->sp[1].sum_dr2;
    o->msd_n++;
  }
}

static void close_block(ionkmc_engine *e) {
  double dt = e->obs.t - e->t_block;
  for (int d = 0; d < e->ndef; d++) {
    int32_t *p = e->dpos + 3 * (size_t)d, *p0 = e->dpos0 + 3 * (size_t)d;
    if (e->alive[d]) {
      double r2 = 0;
      for (int c = 0; c < 3; c++) r2 += (double)(p[c] - p0[c]) * (p[c] - p0[c]);
      e->obs.defect_r2 += r2;
      e->obs.defect_t += dt;
    }
    memcpy(p0, p, 3 * sizeof *p);
  }
  e->t_block = e->obs.t;
  e->hops_in_block = 0;
}

/* Advance the clock to tnew and execute the event that x in [0, R) selects. */
static void do_step(ionkmc_engine *e, double tnew, double x) {
  sample_msd(e, tnew);
  e->obs.t = tnew;
  double rem;
  int d = ionkmc_sumtree_find(e->tree, x, &rem);
  const double *pr = e->prate + (size_t)d * IONKMC_MAX_PATHS;
  int np = ionkmc_defect_npaths(e->dkind[d]);
  int p = 0, last = -1;
  for (; p < np; p++) {
    if (pr[p] > 0) {
      last = p;
      if (rem < pr[p]) break;
      rem -= pr[p];
    }
  }
  if (p == np) p = last; /* round-off at the top end of the interval */
  execute(e, d, p);
  for (int i = 0; i < e->ndirty; i++) compute_paths(e, e->dirty[i]);
  e->hops_in_block++;
}

ionkmc_status ionkmc_engine_step(ionkmc_engine *e, ionkmc_rng *rng) {
  double R = ionkmc_sumtree_total(e->tree);
  if (!(R > 0)) return IONKMC_ESTATE;
  double u1, u2;
  ionkmc_rng_uniform2(rng, &u1, &u2);
  do_step(e, e->obs.t - log1p(-u1) / R, u2 * R);
  return IONKMC_OK;
}

ionkmc_status ionkmc_engine_run(ionkmc_engine *e, ionkmc_rng *rng, int64_t max_hops,
                                double max_time, int64_t block_hops) {
  if (max_hops <= 0 && !(max_time > 0)) return IONKMC_EINVAL;
  for (;;) {
    if (max_hops > 0 && e->obs.hops >= max_hops) break;
    double R = ionkmc_sumtree_total(e->tree);
    if (!(R > 0)) {
      e->obs.no_events = 1;
      break;
    }
    double u1, u2;
    ionkmc_rng_uniform2(rng, &u1, &u2);
    double tnew = e->obs.t - log1p(-u1) / R;
    if (max_time > 0 && tnew > max_time) {
      sample_msd(e, max_time);
      e->obs.t = max_time;
      break;
    }
    do_step(e, tnew, u2 * R);
    if (block_hops > 0 && e->hops_in_block >= block_hops) close_block(e);
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
  }
  /* Random distinct sites for the defects. */
  for (int d = 0; d < e->ndef; d++) {
    int kind = e->dkind[d];
    species_state *S = &e->sp[kind_sp(kind)];
    int site;
    do {
      site = (int)ionkmc_rng_below(rng, (uint32_t)S->nsites);
    } while (S->def_at[site] >= 0);
    S->def_at[site] = d;
    S->occ[site] = ionkmc_defect_is_vacancy(kind) ? 0 : 2;
    e->dsite[d] = site;
    e->alive[d] = 1;
    ionkmc_lattice_site_pos(lat, ionkmc_defect_sublattice(kind), site, e->dpos + 3 * (size_t)d);
  }
  for (int s = 0; s < 2; s++) {
    species_state *S = &e->sp[s];
    int a = 0;
    for (int i = 0; i < S->nsites; i++)
      for (int j = 0; j < S->occ[i]; j++) {
        if (a >= S->natoms)
          return ionkmc_error_set(err, IONKMC_EINTERNAL, "engine: atom count mismatch");
        S->sat[2 * i + j] = a;
        S->asite[a] = i;
        a++;
      }
    if (a != S->natoms) return ionkmc_error_set(err, IONKMC_EINTERNAL, "engine: atom count mismatch");
    memset(S->adisp, 0, sizeof(int32_t) * 3 * (size_t)S->natoms);
  }
  memcpy(e->dpos0, e->dpos, sizeof(int32_t) * 3 * (size_t)e->ndef);
  memcpy(e->dinit, e->dpos, sizeof(int32_t) * 3 * (size_t)e->ndef);
  memset(&e->obs, 0, sizeof e->obs);
  e->obs.defects_alive = e->ndef;
  e->obs.msd_t0 = e->msd_time[0];
  e->t_block = 0;
  e->hops_in_block = 0;
  for (int d = 0; d < e->ndef; d++) compute_paths(e, d);
  return IONKMC_OK;
}

const ionkmc_run_obs *ionkmc_engine_obs(ionkmc_engine *e) {
  if (e->hops_in_block > 0 || e->obs.t > e->t_block) close_block(e);
  ionkmc_run_obs *o = &e->obs;
  for (int s = 0; s < 2; s++) {
    o->natoms[s] = e->sp[s].natoms;
    o->sum_dr2[s] = e->sp[s].sum_dr2;
    o->sum_jump2[s] = e->sp[s].sum_jump2;
    for (int c = 0; c < 3; c++) o->sum_dr[s][c] = e->sp[s].sum_dr[c];
  }
  for (int c = 0; c < 3; c++) o->defect_drift[c] = 0;
  for (int d = 0; d < e->ndef; d++) {
    if (!e->alive[d]) continue;
    double q = ionkmc_defect_charge(e->dkind[d]);
    for (int c = 0; c < 3; c++) o->defect_drift[c] += q * (e->dpos[3 * d + c] - e->dinit[3 * d + c]);
  }
  return o;
}

double ionkmc_engine_total_rate(const ionkmc_engine *e) { return ionkmc_sumtree_total(e->tree); }
int ionkmc_engine_ndefects(const ionkmc_engine *e) { return e->ndef; }

void ionkmc_engine_defect(const ionkmc_engine *e, int i, ionkmc_defect_kind *kind, int *site,
                          int *alive, int32_t pos[3]) {
  if (kind) *kind = (ionkmc_defect_kind)e->dkind[i];
  if (site) *site = e->dsite[i];
  if (alive) *alive = e->alive[i];
  if (pos) memcpy(pos, e->dpos + 3 * (size_t)i, 3 * sizeof *pos);
}

int ionkmc_engine_occupancy(const ionkmc_engine *e, ionkmc_sublattice sub, int site) {
  return e->sp[sub == IONKMC_SUB_X ? 0 : 1].occ[site];
}

int ionkmc_engine_natoms(const ionkmc_engine *e, int species) { return e->sp[species].natoms; }
const int32_t *ionkmc_engine_atom_disp(const ionkmc_engine *e, int species) {
  return e->sp[species].adisp;
}
const int32_t *ionkmc_engine_atom_site(const ionkmc_engine *e, int species) {
  return e->sp[species].asite;
}
const double *ionkmc_engine_path_rates(const ionkmc_engine *e, int i) {
  return e->prate + (size_t)i * IONKMC_MAX_PATHS;
}
