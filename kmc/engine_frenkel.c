/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Thermal Frenkel pairs in the KMC engine (kmc/frenkel.h for the physics).
 *
 * Creation by thinning (uniformization): leaf ndef of the sum tree holds
 * the constant bound 8 N_X w max_p Gamma_p. When the tree picks it, a site t
 * and one of its 8 X neighbours s are drawn uniformly from the proposal
 * stream; the pair is created with probability Gamma(t, dir) / max_p Gamma_p
 * (1 at zero field, where no uniform is drawn) if t and s both hold one
 * atom, and otherwise the proposal is a null event: the clock has advanced,
 * nothing else changes. Each valid (t, dir) is thereby created at exactly
 * w Gamma(t, dir), the rate of the I_I- path that undoes it times w, and
 * the waiting times stay exact exponentials of the (constant-bounded) total
 * rate. A created pair takes a dead V_I+ and a dead I_I- slot; nothing is
 * allocated. A defect's block closes when it dies, so every defect-second
 * enters D_defect. */
#include <string.h>

#include "kmc/engine_impl.h"

static inline int nv_now(const ionkmc_engine *e) { return (e->sp[0].alive - e->frk_delta) / 2; }

void ionkmc_engine_frenkel_setup(ionkmc_engine *e) {
  double hi = 0, lo = INFINITY;
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < IONKMC_NNB_XX; d++) {
      double r = e->rtab[IONKMC_I_I][k][d];
      hi = r > hi ? r : hi;
      lo = r < lo ? r : lo;
    }
  e->frk_rmax = hi;
  e->frk_thin = hi != lo;
  e->frk_leaf = (double)e->sp[0].nsites * IONKMC_NNB_XX * e->spec.frenkel_w * hi;
  e->frk_delta = e->spec.count[IONKMC_I_I] - e->spec.count[IONKMC_V_I];
}

void ionkmc_engine_frenkel_reset(ionkmc_engine *e, const ionkmc_rng *rng) {
  for (int j = 0; j < 2; j++) {
    int k = j ? IONKMC_I_I : IONKMC_V_I;
    e->frk_nfree[j] = 0;
    /* highest slot first on the stack, so the lowest free slot is taken first */
    for (int c = e->kslots[k] - 1; c >= e->spec.count[k]; c--)
      e->frk_free[j][e->frk_nfree[j]++] = e->kslot0[k] + c;
  }
  e->frk_rng = *rng;
  e->frk_rng.ctr[0] = 0;
  e->frk_rng.ctr[1] = 0x80000000u;
  memset(e->dt0, 0, sizeof(double) * (size_t)e->ndef);
  e->frk_t_last = 0;
  memset(e->drift_dead, 0, sizeof e->drift_dead);
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    e->present_since[s] = 0;
    e->present_acc[s] = 0;
  }
  ionkmc_sumtree_set(e->tree, e->ndef, e->frk_leaf);
}

void ionkmc_engine_frenkel_integrate(ionkmc_engine *e) {
  double dt = e->obs.t - e->frk_t_last;
  if (!(dt > 0)) return;
  double nv = nv_now(e);
  ionkmc_frenkel_tally *f = &e->obs.frenkel;
  f->nv_dt += nv * dt;
  f->nv2_dt += nv * nv * dt;
  f->ndef_dt += e->obs.defects_alive * dt;
  e->frk_t_last = e->obs.t;
}

void ionkmc_engine_frenkel_kill(ionkmc_engine *e, int d) {
  ionkmc_engine_frenkel_integrate(e);
  const defect_state *D = &e->def[d];
  int k = D->kind, s = kind_sp(k);
  /* its last, partial block counts: D_defect is per unit time with the
   * defect alive, however short its life */
  ionkmc_engine_block_add(e, d, e->obs.t - e->dt0[d]);
  double q = ionkmc_defect_charge(k);
  for (int c = 0; c < 3; c++) e->drift_dead[c] += q * (D->pos[c] - e->dinit[3 * (size_t)d + c]);
  if (e->sp[s].alive == 1) e->present_acc[s] += e->obs.t - e->present_since[s];
  if (k == IONKMC_V_I || k == IONKMC_I_I) {
    int j = k == IONKMC_I_I;
    e->frk_free[j][e->frk_nfree[j]++] = d;
  }
}

void ionkmc_engine_frenkel_event(ionkmc_engine *e) {
  species_state *S = &e->sp[0];
  uint32_t idx = ionkmc_rng_below(&e->frk_rng, (uint32_t)S->nsites * IONKMC_NNB_XX);
  int t = x_pub2int(S, (int)(idx / IONKMC_NNB_XX)), dir = (int)(idx % IONKMC_NNB_XX);
  int32_t buf[IONKMC_NNB_XX];
  int s = site_nbrs(S, t, buf)[dir];
  int ok = S->occ[t] == 1 && S->occ[s] == 1;
  if (ok && e->frk_thin) {
    double u1, u2;
    ionkmc_rng_uniform2(&e->frk_rng, &u1, &u2);
    ok = u1 * e->frk_rmax < e->rtab[IONKMC_I_I][t % 3][dir];
  }
  if (!ok) {
    e->obs.frenkel.null_events++;
    return;
  }
  if (!e->frk_nfree[0] || !e->frk_nfree[1]) {
    int nv = nv_now(e);
    e->fail = ionkmc_error_set(&e->fail_err, IONKMC_ERANGE,
                               "frenkel.max_pairs: a created pair found no free defect slot (%d V_I+ "
                               "and %d I_I- alive; the box's %d + %d and max_pairs = %d); raise "
                               "frenkel.max_pairs in the catalog",
                               nv, nv + e->frk_delta, e->spec.count[IONKMC_V_I],
                               e->spec.count[IONKMC_I_I], e->spec.frenkel_max);
    return;
  }
  ionkmc_engine_frenkel_integrate(e);
  if (S->alive == 0) e->present_since[0] = e->obs.t;
  int v = e->frk_free[0][--e->frk_nfree[0]], i = e->frk_free[1][--e->frk_nfree[1]];
  ionkmc_engine_pair_create(e, t, dir, v, i);
  const int slot[2] = {v, i};
  for (int j = 0; j < 2; j++) {
    size_t d = (size_t)slot[j];
    memcpy(e->dpos0 + 3 * d, e->def[d].pos, 3 * sizeof(int32_t));
    memcpy(e->dinit + 3 * d, e->def[d].pos, 3 * sizeof(int32_t));
    e->dt0[d] = e->obs.t;
  }
  e->obs.frenkel.created++;
}

void ionkmc_engine_frenkel_tally(ionkmc_engine *e, ionkmc_frenkel_tally *out) {
  memset(out, 0, sizeof *out);
  if (!e->frk) return;
  ionkmc_engine_frenkel_integrate(e);
  *out = e->obs.frenkel;
  out->t = e->obs.t;
  out->recombinations = e->obs.recombinations;
}

void ionkmc_engine_frenkel_mark(ionkmc_engine *e) {
  ionkmc_frenkel_tally h;
  ionkmc_engine_frenkel_tally(e, &h);
  e->obs.frenkel_half = h;
}
