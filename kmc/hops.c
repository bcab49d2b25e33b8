/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The hop physics of the KMC engine: a vacancy takes the atom of a
 * neighbouring site, an atom of a split interstitial moves onto a
 * neighbouring site (pairing there, or pushing the molecule there on in the
 * collinear MA pattern), and an interstitial atom that lands on a vacancy of
 * its own species annihilates the pair. The fast path of the X-sublattice
 * vacancy, the most frequent event, is static inline in engine_impl.h
 * (hop_x_vacancy), so that the step compiles it into the selection loop.
 * See engine.h for conventions. */
#include "kmc/engine_impl.h"

static inline void kill(ionkmc_engine *e, species_state *S, int d) {
  if (e->frk) ionkmc_engine_frenkel_kill(e, d);
  defect_state *D = &e->def[d];
  D->alive = 0;
  if (S->def_at[D->site] == d) S->def_at[D->site] = -1;
  S->alive--;
  e->obs.defects_alive--;
  if (S->alive == 0) e->obs.t_emptied[S - e->sp] = e->obs.t;
  mark_dirty(e, d);
}

/* The annihilating hop of an interstitial, added to its position when the
 * box creates pairs (its last block then ends where it annihilated). */
static inline void frk_last_hop(defect_state *D, const int8_t *dv) {
  for (int c = 0; c < 3; c++) D->pos[c] += dv[c];
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


/* Execute path p of defect d. Leaves in dirty[] the defects still to be
 * recomputed. */
void ionkmc_engine_execute(ionkmc_engine *e, int d, int p) {
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
  int t = defect_nbr(S, D, dir);
  int xt = spi == 0 ? e->xt_next[k][dir] : 0;
  int crowded = S->alive > 1; /* before the event */
  unsigned old_nd = D->nbr_def;
  e->ndirty = 0;
  e->obs.hops++;
  e->obs.hops_by_kind[kind]++;
  if (e->kcls[kind] == CLS_VAC) {
    /* The atom on the neighbouring site t moves into the vacancy at s. */
    site_atom atom = S->at0[t];
    move_atom(S, &atom, e->astep[kind][k][p], 1, j2);
    S->occ[t] = 0;
    S->occ[s] = 1;
    S->at0[s] = atom;
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
  site_atom atom = j ? S->at1[s] : S->at0[s], other = j ? S->at0[s] : S->at1[s];
  S->occ[s] = 1;
  S->at0[s] = other;
  const int8_t *av = e->astep[kind][k][p];
  if (e->kcls[kind] == CLS_INT || S->occ[t] == 0) {
    move_atom(S, &atom, av, 1, j2);
    if (S->occ[t] == 1) {
      S->occ[t] = 2;
      S->at1[t] = atom;
      move_defect(S, D, d, s, t, dv, xt);
      if (!S->scan2) {
        after_hop(e, S, d, s, old_nd, crowded);
        return;
      }
      mark_dirty(e, d);
    } else {
      S->occ[t] = 1;
      S->at0[t] = atom;
      if (e->frk) frk_last_hop(D, dv); /* so that its last block holds its last hop */
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
  site_atom b = S->at0[t];
  move_atom(S, &atom, av, 1, j2);
  S->at0[t] = atom;
  move_atom(S, &b, av, 1, j2);
  if (S->occ[u] == 1) {
    S->occ[u] = 2;
    S->at1[u] = b;
    move_defect(S, D, d, s, u, dv, 0);
    mark_dirty(e, d);
  } else {
    S->occ[u] = 1;
    S->at0[u] = b;
    if (e->frk) frk_last_hop(D, dv);
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

void ionkmc_engine_pair_create(ionkmc_engine *e, int t, int dir, int v, int i) {
  species_state *S = &e->sp[0];
  int kt = t % 3;
  int32_t buf[IONKMC_NNB_XX];
  int s = site_nbrs(S, t, buf)[dir];
  site_atom atom = S->at0[t];
  /* the atom's step is that of an I_I- atom leaving a site of t's type in
   * direction dir */
  move_atom(S, &atom, e->astep[IONKMC_I_I][kt][dir], 1, e->jump2[IONKMC_I_I][dir]);
  S->occ[t] = 0;
  S->occ[s] = 2;
  S->at1[s] = atom;
  const int site[2] = {t, s}, slot[2] = {v, i};
  for (int j = 0; j < 2; j++) {
    defect_state *D = &e->def[slot[j]];
    D->site = site[j];
    D->xt = (uint8_t)(site[j] % 3);
    D->alive = 1;
    ionkmc_lattice_site_pos(e->lat, IONKMC_SUB_X, x_int2pub(S, site[j]), D->pos);
    for (int c = 0; c < 3; c++) D->hw[c] = (uint16_t)D->pos[c];
    S->def_at[site[j]] = slot[j];
  }
  S->alive += 2;
  e->obs.defects_alive += 2;
  e->ndirty = 0;
  mark_dirty(e, v);
  mark_dirty(e, i);
  scan_nbrs(e, S, t, -1);
  scan_nbrs(e, S, s, -1);
  for (int j = 0; j < e->ndirty; j++) compute_paths(e, e->dirty[j]);
}
