/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The hop physics of the KMC engine: a vacancy takes the atom of a
 * neighbouring site, an atom of a split interstitial moves onto a
 * neighbouring site (pairing there, or pushing the molecule there on in the
 * collinear MA pattern), and an interstitial atom that lands on a vacancy of
 * its own species annihilates the pair. See engine.h for conventions. */
#include "kmc/engine_impl.h"

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

/* Fast path of a vacancy on the X sublattice (the iodide vacancy, the most
 * frequent event; e->kfast marks its kinds): path p is the direction p of
 * the X-X table; the defect is recomputed here and its neighbours, if any,
 * are left in dirty[]. Same effect as execute(). */
static inline void hop_x_vacancy(ionkmc_engine *e, int d, int p) {
  defect_state *D = &e->def[d];
  int kind = D->kind;
  species_state *S = &e->sp[0];
  int s = D->site;
  int k = D->xt;
  const int8_t *dv = e->dvec[kind][k][p];
  int t = S->nbr[(size_t)s * IONKMC_NNB_XX + p];
  int crowded = S->alive > 1;
  unsigned old_nd = D->nbr_def;
  e->ndirty = 0;
  e->obs.hops++;
  e->obs.hops_by_kind[kind]++;
  int atom = S->sat0[t];
  move_atom(S, atom, dv, -1, e->jump2[kind][p]);
  S->occ[t] = 0;
  S->occ[s] = 1;
  S->sat0[s] = atom;
  int xt = e->xt_next[k][p];
  move_defect(S, D, d, s, t, dv, xt);
  /* recompute the vacancy at t */
  const uint8_t *occ = S->occ;
  const int32_t *nb = S->nbr + (size_t)t * IONKMC_NNB_XX;
  unsigned m = x_occupied_mask(occ, nb);
  D->open = (uint16_t)(m & e->rpos[kind][xt]);
  D->nbr_def = (uint8_t)(~m & 0xFFu);
  ionkmc_sumtree_update(e->tree, d, e->rsum[kind][xt][m]);
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

static inline void hop_dispatch(ionkmc_engine *e, int d, int p) {
  if (e->kfast[e->def[d].kind]) hop_x_vacancy(e, d, p);
  else execute(e, d, p);
}

void ionkmc_engine_hop_execute(ionkmc_engine *e, int d, int p) { hop_dispatch(e, d, p); }

void ionkmc_engine_hop(ionkmc_engine *e, int d, int p) {
  hop_dispatch(e, d, p);
  for (int i = 0; i < e->ndirty; i++) compute_paths(e, e->dirty[i]);
}

void ionkmc_engine_pair_create(ionkmc_engine *e, int t, int dir, int v, int i) {
  species_state *S = &e->sp[0];
  int kt = t % 3;
  int s = S->nbr[(size_t)t * IONKMC_NNB_XX + dir];
  int atom = S->sat0[t];
  /* the atom's step is that of an I_I- atom leaving a site of t's type in
   * direction dir */
  move_atom(S, atom, e->astep[IONKMC_I_I][kt][dir], 1, e->jump2[IONKMC_I_I][dir]);
  S->occ[t] = 0;
  S->occ[s] = 2;
  S->sat1[s] = atom;
  const int site[2] = {t, s}, slot[2] = {v, i};
  for (int j = 0; j < 2; j++) {
    defect_state *D = &e->def[slot[j]];
    D->site = site[j];
    D->xt = (uint8_t)(site[j] % 3);
    D->alive = 1;
    ionkmc_lattice_site_pos(e->lat, IONKMC_SUB_X, site[j], D->pos);
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
