/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Observables of the KMC engine (defect and centre-of-charge blocks, the
 * drift-free moments) and its introspection for tests and writers. See
 * engine.h for conventions. */
#include "barriers/provider.h"
#include "kmc/engine_impl.h"

void ionkmc_engine_block_add(ionkmc_engine *e, int d, double dt) {
  const int32_t *p = e->def[d].pos;
  const int32_t *p0 = e->dpos0 + 3 * (size_t)d;
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

void ionkmc_engine_close_block(ionkmc_engine *e) {
  double dt = e->obs.t - e->t_block;
  for (int d = 0; d < e->ndef; d++) {
    const int32_t *p = e->def[d].pos;
    int32_t *p0 = e->dpos0 + 3 * (size_t)d;
    /* a defect created in this block counts from its creation */
    if (e->def[d].alive) ionkmc_engine_block_add(e, d, e->frk ? e->obs.t - e->dt0[d] : dt);
    if (e->frk) e->dt0[d] = e->obs.t;
    memcpy(p0, p, 3 * sizeof *p);
  }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
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

const char *ionkmc_engine_error(const ionkmc_engine *e) { return e->fail_err.text; }

const ionkmc_run_obs *ionkmc_engine_obs(ionkmc_engine *e) {
  if (e->obs.hops > e->block_start || e->obs.t > e->t_block) ionkmc_engine_close_block(e);
  ionkmc_run_obs *o = &e->obs;
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    o->natoms[s] = e->sp[s].natoms;
    o->sum_dr2[s] = e->sp[s].sum_dr2;
    o->sum_jump2[s] = e->sp[s].sum_jump2;
    for (int c = 0; c < 3; c++) o->sum_dr[s][c] = e->sp[s].sum_dr[c];
  }
  ionkmc_engine_env_hits_flush(e);
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
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    const double *m = e->sblk[s];
    o->sigma_r2_nodrift[s] = o->sigma_r2[s] = e->sblk_r2[s];
    if (!(m[6] > 0)) continue;
    for (int c = 0; c < 3; c++) {
      double v = m[c] / m[6];
      o->sigma_r2_nodrift[s] += -2 * v * m[3 + c] + v * v * m[7];
    }
    o->sigma_t_nodrift = m[6] - m[7] / m[6];
  }
  for (int c = 0; c < 3; c++) o->defect_drift[c] = e->frk ? e->drift_dead[c] : 0;
  if (e->frk) {
    ionkmc_engine_frenkel_integrate(e);
    o->frenkel.t = o->t;
    o->frenkel.recombinations = o->recombinations;
    for (int s = 0; s < IONKMC_NSPECIES; s++)
      o->t_present[s] = e->present_acc[s] + (e->sp[s].alive > 0 ? o->t - e->present_since[s] : 0);
  }
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
  if (site) *site = x_int2pub(&e->sp[kind_sp(D->kind)], D->site);
  if (alive) *alive = D->alive;
  if (pos) memcpy(pos, D->pos, 3 * sizeof *pos);
}

int ionkmc_engine_occupancy(const ionkmc_engine *e, ionkmc_sublattice sub, int site) {
  const species_state *S = &e->sp[sub == IONKMC_SUB_X ? 0 : 1];
  return S->occ[x_pub2int(S, site)];
}

int ionkmc_engine_natoms(const ionkmc_engine *e, int species) { return e->sp[species].natoms; }
/* The step keeps each atom's displacement and identity with its site
 * (engine_impl.h site_atom) and does not track atom sites (one store fewer
 * per event); the per-atom arrays are rebuilt here from the site contents. */
const int32_t *ionkmc_engine_atom_disp(const ionkmc_engine *e, int species) {
  const species_state *S = &e->sp[species];
  for (int p = 0; p < S->nsites; p++) {
    int i = x_pub2int(S, p);
    if (S->occ[i] >= 1) memcpy(S->adisp + 3 * (size_t)S->at0[i].atom, S->at0[i].r, sizeof S->at0[i].r);
    if (S->occ[i] == 2) memcpy(S->adisp + 3 * (size_t)S->at1[i].atom, S->at1[i].r, sizeof S->at1[i].r);
  }
  return S->adisp;
}
const int32_t *ionkmc_engine_atom_site(const ionkmc_engine *e, int species) {
  const species_state *S = &e->sp[species];
  for (int p = 0; p < S->nsites; p++) {
    int i = x_pub2int(S, p);
    if (S->occ[i] >= 1) S->asite[S->at0[i].atom] = p;
    if (S->occ[i] == 2) S->asite[S->at1[i].atom] = p;
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
    else if (D->lone) memcpy(pr, e->lone_rt[D->kind][D->xt], sizeof(double) * IONKMC_MAX_PATHS);
    return pr;
  }
  if (e->kpat[D->kind]) { /* a correlated pattern: from its pattern state */
    double ri;
    ionkmc_engine_pattern_rates(e, i, pr, &ri);
    return pr;
  }
  const double *rt = e->rtab[D->kind][D->xt];
  for (int p = 0; p < IONKMC_MAX_PATHS; p++)
    pr[p] = (D->alive && ((D->open >> p) & 1)) ? rt[p] : 0.0;
  return pr;
}
