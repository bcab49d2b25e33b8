/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The correlated displacement patterns of the KMC engine (events/defects.h):
 *   ORIENTED  the iodide split pair on an X site of axis alpha lies along
 *             an axis o perpendicular to alpha, one atom on each side; its 4
 *             paths are v = +-h_alpha +-h_o, each taken by the atom on the
 *             side sign(v_o), at the kind's per-path rate. After a hop by v
 *             the new pair (on a site of axis o) lies along alpha, the
 *             arriving atom on the -sign(v_alpha) side. An internal event at
 *             the rate "reorient" turns o into the other perpendicular axis
 *             and puts either atom on either side with probability 1/2.
 *   RETURNS   after each hop the defect is unrelaxed (U) and remembers its
 *             reverse hop (the same direction back, by the atom that
 *             arrived for a split pair; the collinear reverse for the
 *             collinear MA pattern), whose rate has "back" added while it
 *             is open; an internal event at the rate "relax" makes it
 *             relaxed (R), with the plain rates. The reset starts every
 *             defect relaxed.
 *   RELAY     ORIENTED, and after a hop by v the pair is fresh: its path
 *             along the same v (in the plane of its new orientation, taken
 *             by the resident atom, at0, on the +sign(v_alpha) side) has
 *             the rate "forward" added while it is open, and each of the
 *             two side paths of that plane (w . v = 0: one by each atom)
 *             the rate "side"; the return (-v, by the arriving atom) keeps
 *             the plain rate. A re-orientation ends it (turning back does
 *             not restore it). The reset starts every pair as ORIENTED
 *             does, not fresh. With forward = side = 0 the rates, their
 *             order and so the trajectories from one stream are
 *             ORIENTED's; with side = 0 those of relay before "side".
 * Field bias applies to the kind's path rates as usual; the pattern rates
 * (re-orientation, relaxation, the extra "back", "forward" and "side")
 * have none. A defect of a correlated pattern takes this general route: its
 * rates are a function of its kind, site type, open directions and pattern
 * state, recomputed here (16 paths at most) instead of read from the
 * per-mask totals, and its
 * sum-tree leaf is its internal event's rate plus its path rates, summed
 * in that order, which is the order of selection. Internal events draw
 * nothing more: the side a re-orientation gives is the half of the event's
 * interval that its uniform fell in. Internal events count in
 * obs.pattern_events, not in obs.hops.
 * The reset's rule for ORIENTED and RELAY: the orientation is (xt + 1) % 3 with the
 * site's first atom on the + side (fixed by the site, no draw; over the
 * random sites of the reset every plane is equally likely).
 * See engine.h for conventions. */
#include "kmc/engine_impl.h"

void ionkmc_engine_pattern_tables(ionkmc_engine *e) {
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ionkmc_pattern p = e->spec.pattern[k];
    e->kpat[k] = (uint8_t)(e->spec.count[k] > 0 && ionkmc_pattern_correlated(p) ? p : 0);
    e->kgen[k] = (uint8_t)(e->kenv[k] || e->kpat[k]);
  }
  /* ORIENTED (X sublattice, 8 directions, 16 paths: atom j of direction d
   * is path j * 8 + d) */
  memset(e->omask, 0, sizeof e->omask);
  for (int k = 0; k < 3; k++)
    for (int o = 0; o < 3; o++)
      for (int plus = 0; plus < 2; plus++) {
        if (o == k) continue;
        unsigned m = 0;
        for (int d = 0; d < IONKMC_NNB_XX; d++) {
          const int8_t *v = ionkmc_lattice_xx_vec(k, d);
          if (!v[o]) continue;
          /* the atom on the side sign(v_o): at0 (j = 0) if that is its side */
          int j = (v[o] > 0) == plus ? 0 : 1;
          m |= 1u << (j * IONKMC_NNB_XX + d);
        }
        e->omask[k][o][plus] = (uint16_t)m;
      }
  /* RELAY: the same vector at the target site */
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      const int8_t *v = ionkmc_lattice_xx_vec(k, d);
      int kt = e->xt_next[k][d];
      for (int q = 0; q < IONKMC_NNB_XX; q++) {
        const int8_t *w = ionkmc_lattice_xx_vec(kt, q);
        if (w[0] == v[0] && w[1] == v[1] && w[2] == v[2]) e->fwd[k][d] = (uint8_t)q;
      }
    }
  /* RETURNS: the reverse path at the target site */
  for (int kind = 0; kind < IONKMC_NDEFECT; kind++) {
    int onx = kind_sp(kind) == 0, z = e->kz[kind], np = e->knp[kind];
    int vac = e->kcls[kind] == CLS_VAC;
    for (int k = 0; k < (onx ? 3 : 1); k++)
      for (int p = 0; p < np; p++) {
        int d = p % z;
        const int8_t *v = onx ? ionkmc_lattice_xx_vec(k, d) : ionkmc_lattice_aa_vec(d);
        int kt = onx ? e->xt_next[k][d] : 0, back = 0;
        for (int q = 0; q < z; q++) {
          const int8_t *w = onx ? ionkmc_lattice_xx_vec(kt, q) : ionkmc_lattice_aa_vec(q);
          if (w[0] == -v[0] && w[1] == -v[1] && w[2] == -v[2]) back = q;
        }
        /* a split pair's arriving atom is the target's second atom */
        e->rev[kind][k][p] = (uint8_t)(vac ? back : z + back);
      }
  }
  /* the X vacancy's fast path knows only the plain pattern */
  if (e->fast_kind >= 0 && e->kpat[e->fast_kind]) e->fast_kind = -1;
}

/* 1 if kind's pattern has the oriented pair's state (ORIENTED, RELAY). */
static int oriented(const ionkmc_engine *e, int kind) {
  return e->kpat[kind] == IONKMC_PATTERN_ORIENTED || e->kpat[kind] == IONKMC_PATTERN_RELAY;
}

void ionkmc_engine_pattern_reset(ionkmc_engine *e) {
  e->idle_mark = 0;
  e->idle_n = 0;
  for (int d = 0; d < e->ndef; d++) {
    defect_state *D = &e->def[d];
    D->pat = 0;
    if (oriented(e, D->kind)) D->pat = (uint8_t)((D->xt + 1) % 3 | PAT_O_PLUS);
  }
}

/* The geometrically open paths of defect D (not blocked by the occupancy
 * of their targets), and its neighbours holding a defect through *nd. */
static unsigned geo_paths(const ionkmc_engine *e, const defect_state *D, unsigned *nd) {
  int kind = D->kind, cls = e->kcls[kind];
  unsigned m = open_dirs(&e->sp[e->ksp[kind]], cls, D->site, nd);
  return cls == CLS_VAC ? m : m | (m << e->kz[kind]);
}

/* Rates of defect D with geometrically open paths geo; the open mask of
 * its non-zero paths through *open. */
static double rates_of(const ionkmc_engine *e, const defect_state *D, unsigned geo, double *rt,
                       double *ri, unsigned *open) {
  int kind = D->kind, np = e->knp[kind];
  const double *base = e->rtab[kind][D->xt];
  const double *pr = e->spec.pattern_rate[kind];
  unsigned m = geo & e->rpos[kind][D->xt];
  double r_int = 0;
  if (oriented(e, kind)) {
    m &= e->omask[D->xt][D->pat & PAT_O_MASK][(D->pat & PAT_O_PLUS) != 0];
    r_int = pr[0];
  }
  for (int p = 0; p < IONKMC_MAX_PATHS; p++) rt[p] = p < np && ((m >> p) & 1) ? base[p] : 0.0;
  if (e->kpat[kind] == IONKMC_PATTERN_RELAY && (D->pat & PAT_FRESH)) {
    int q = D->pat >> PAT_FWD_SHIFT; /* at0's path: index = direction */
    if (((geo >> q) & 1) && pr[1] > 0) {
      rt[q] += pr[1];
      m |= 1u << q;
    }
    if (pr[2] > 0) { /* the side paths: in the plane, perpendicular to v */
      const int8_t *v = e->dvec[kind][D->xt][q];
      unsigned pl = geo & e->omask[D->xt][D->pat & PAT_O_MASK][(D->pat & PAT_O_PLUS) != 0];
      for (int p = 0; p < np; p++) {
        const int8_t *w = e->dvec[kind][D->xt][p];
        if (((pl >> p) & 1) && w[0] * v[0] + w[1] * v[1] + w[2] * v[2] == 0) {
          rt[p] += pr[2];
          m |= 1u << p;
        }
      }
    }
  }
  if (e->kpat[kind] == IONKMC_PATTERN_RETURNS && (D->pat & PAT_U)) {
    int q = D->pat & PAT_REV_MASK;
    if (((geo >> q) & 1) && pr[0] > 0) {
      rt[q] += pr[0];
      m |= 1u << q;
    }
    r_int = pr[1];
  }
  double sum = r_int;
  for (int p = 0; p < np; p++) sum += rt[p];
  *ri = r_int;
  *open = m;
  return sum;
}

double ionkmc_engine_pattern_rates(const ionkmc_engine *e, int d, double *rt, double *ri) {
  const defect_state *D = &e->def[d];
  unsigned nd, open;
  if (!D->alive) {
    memset(rt, 0, sizeof(double) * IONKMC_MAX_PATHS);
    *ri = 0;
    return 0;
  }
  return rates_of(e, D, geo_paths(e, D, &nd), rt, ri, &open);
}

void ionkmc_engine_paths_pattern(ionkmc_engine *e, int d) {
  defect_state *D = &e->def[d];
  unsigned nd, open;
  double rt[IONKMC_MAX_PATHS], ri;
  double sum = rates_of(e, D, geo_paths(e, D, &nd), rt, &ri, &open);
  D->open = (uint16_t)open;
  D->nbr_def = (uint8_t)nd;
  ionkmc_sumtree_update(e->tree, d, sum);
}

/* Internal events in a row after which the box is checked for a possible hop. */
#define IDLE_CHECK (1 << 20)

/* 1 if some defect of the box has a hop open in some pattern state. */
static int any_hop(const ionkmc_engine *e) {
  for (int d = 0; d < e->ndef; d++) {
    const defect_state *D = &e->def[d];
    if (!D->alive) continue;
    unsigned nd;
    if (e->kpat[D->kind] ? (geo_paths(e, D, &nd) & e->rpos[D->kind][D->xt]) != 0 : D->open != 0) return 1;
  }
  return 0;
}

/* After an internal event: when no hop has been possible for IDLE_CHECK
 * internal events and none is possible in any pattern state, nothing in
 * the box can change again but orientations, which then never matter: the
 * pattern defects' leaves go to 0, so that the box is out of events as
 * with the plain patterns. */
static void idle_check(ionkmc_engine *e) {
  if (e->obs.hops != e->idle_mark) {
    e->idle_mark = e->obs.hops;
    e->idle_n = 0;
  }
  if (++e->idle_n < IDLE_CHECK) return;
  e->idle_n = 0;
  if (any_hop(e)) return;
  for (int d = 0; d < e->ndef; d++)
    if (e->kpat[e->def[d].kind]) ionkmc_sumtree_update(e->tree, d, 0.0);
}

/* The pattern state after defect D takes path p from its current site. */
static uint8_t pat_after_hop(const ionkmc_engine *e, const defect_state *D, int p) {
  int kind = D->kind, k = D->xt;
  if (oriented(e, kind)) {
    /* along the old site's axis k; the resident (at0) on the +sign(v_k) side */
    const int8_t *v = e->dvec[kind][k][p];
    uint8_t o = (uint8_t)(k | (v[k] > 0 ? PAT_O_PLUS : 0));
    if (e->kpat[kind] == IONKMC_PATTERN_ORIENTED) return o;
    /* RELAY: fresh, the resident's forward path along the same v */
    return (uint8_t)(o | PAT_FRESH | e->fwd[k][p % IONKMC_NNB_XX] << PAT_FWD_SHIFT);
  }
  return (uint8_t)(PAT_U | e->rev[kind][k][p]);
}

void ionkmc_engine_pattern_step(ionkmc_engine *e, int d, double rem) {
  defect_state *D = &e->def[d];
  double rt[IONKMC_MAX_PATHS], ri;
  unsigned nd, open;
  rates_of(e, D, geo_paths(e, D, &nd), rt, &ri, &open);
  if (rem < ri || !open) {
    /* the internal event */
    e->obs.pattern_events[D->kind]++;
    if (oriented(e, D->kind)) { /* a re-orientation; RELAY's pair is no longer fresh */
      int o = D->pat & PAT_O_MASK;
      int plus = rem >= 0.5 * ri; /* the upper half of the interval */
      D->pat = (uint8_t)((3 - D->xt - o) | (plus ? PAT_O_PLUS : 0));
    } else {
      D->pat = 0;
    }
    ionkmc_engine_paths_pattern(e, d);
    idle_check(e);
    return;
  }
  rem -= ri;
  int np = e->knp[D->kind], p = -1, last = 31 - __builtin_clz(open);
  for (int q = 0; q < np && p < 0; q++) {
    if (!((open >> q) & 1)) continue;
    if (rem < rt[q]) p = q;
    else rem -= rt[q];
  }
  if (p < 0) p = last; /* round-off at the top of the interval */
  D->pat = pat_after_hop(e, D, p);
  ionkmc_engine_execute(e, d, p);
  for (int i = 0; i < e->ndirty; i++) compute_paths(e, e->dirty[i]);
}

int ionkmc_engine_oriented_pair(const ionkmc_engine *e, int site, int *axis, int atoms[2]) {
  const species_state *S = &e->sp[0];
  if (site < 0 || site >= S->nsites) return 0;
  site = x_pub2int(S, site); /* the caller's site is in the public numbering */
  if (S->occ[site] != 2) return 0;
  int d = S->def_at[site];
  if (d < 0 || !oriented(e, e->def[d].kind)) return 0;
  int pat = e->def[d].pat, plus = (pat & PAT_O_PLUS) != 0;
  *axis = pat & PAT_O_MASK;
  atoms[0] = plus ? S->at0[site].atom : S->at1[site].atom;
  atoms[1] = plus ? S->at1[site].atom : S->at0[site].atom;
  return 1;
}
