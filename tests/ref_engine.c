/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "tests/ref_engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/catalog.h"

static int sp_of(int kind) { return ionkmc_defect_sublattice(kind) == IONKMC_SUB_X ? 0 : 1; }
static int coll_of(const ref_engine *r, int kind) {
  return sp_of(kind) == 1 && !ionkmc_defect_is_vacancy(kind) &&
         r->spec.pattern[kind] == IONKMC_PATTERN_COLLINEAR;
}

/* h-unit vector of path p of a defect of `kind` at `site` (the defect's
 * displacement: twice the single step for a collinear path). */
static void path_vec(const ref_engine *r, int kind, int site, int p, int v[3]) {
  int z = ionkmc_defect_z(kind), d = p % z;
  const int8_t *u = sp_of(kind) == 0 ? ionkmc_lattice_xx_vec(site % 3, d) : ionkmc_lattice_aa_vec(d);
  int mult = coll_of(r, kind) ? 2 : 1;
  for (int c = 0; c < 3; c++) v[c] = mult * u[c];
}

static double path_rate(const ref_engine *r, int kind, int site, int p) {
  int v[3];
  path_vec(r, kind, site, p, v);
  double edr = 0;
  for (int c = 0; c < 3; c++) edr += r->spec.cond.field[c] * v[c] * 0.5 * r->spec.cond.a;
  return r->spec.rate[kind] *
         exp(ionkmc_defect_charge(kind) * edr / (2 * IONKMC_KB_EV * r->spec.cond.T));
}

static void ref_paths(ref_engine *r, int d) {
  double *pr = r->pr + 16 * d;
  memset(pr, 0, 16 * sizeof *pr);
  if (!r->alive[d]) {
    ionkmc_sumtree_set(r->tree, d, 0.0);
    return;
  }
  int kind = r->kind[d], s = r->site[d];
  ref_species *S = &r->sp[sp_of(kind)];
  int z = S->z;
  double sum = 0;
  for (int p = 0; p < z; p++) {
    int o = S->occ[S->nbr[s * z + p]], ok;
    if (ionkmc_defect_is_vacancy(kind)) ok = o == 1;
    else if (coll_of(r, kind)) ok = o == 0 || (o == 1 && S->occ[S->nbr2[s * z + p]] < 2);
    else ok = o < 2;
    if (ionkmc_defect_is_vacancy(kind)) {
      pr[p] = ok ? path_rate(r, kind, s, p) : 0.0;
      sum += pr[p];
    } else {
      pr[p] = ok ? path_rate(r, kind, s, p) : 0.0;
      pr[z + p] = ok ? path_rate(r, kind, s, z + p) : 0.0;
      sum += pr[p] + pr[z + p];
    }
  }
  ionkmc_sumtree_set(r->tree, d, sum);
}

static void ref_move_atom(ref_species *S, int a, const int v[3], int sign) {
  int32_t *x = S->disp + 3 * a;
  for (int c = 0; c < 3; c++) {
    int dc = sign * v[c];
    S->dr2 += 2 * (int64_t)x[c] * dc + (int64_t)dc * dc;
    S->jump2 += (int64_t)dc * dc;
    S->dr[c] += dc;
    x[c] += dc;
  }
}

static void ref_kill(ref_engine *r, ref_species *S, int d) {
  r->alive[d] = 0;
  if (S->def_at[r->site[d]] == d) S->def_at[r->site[d]] = -1;
}

static void ref_moved(ref_engine *r, ref_species *S, int d, int to, const int v[3]) {
  S->def_at[r->site[d]] = -1;
  S->def_at[to] = d;
  r->site[d] = to;
  for (int c = 0; c < 3; c++) r->pos[3 * d + c] += v[c];
}

/* Interstitial atom `atom` of defect d lands on site `to`: a singly occupied
 * site becomes the pair's new site (the defect moved by v), a vacancy
 * annihilates with it. */
static void ref_land(ref_engine *r, ref_species *S, int d, int atom, int to, const int v[3]) {
  if (S->occ[to] == 1) {
    S->occ[to] = 2;
    S->sat[2 * to + 1] = atom;
    ref_moved(r, S, d, to, v);
  } else {
    S->occ[to] = 1;
    S->sat[2 * to] = atom;
    ref_kill(r, S, S->def_at[to]);
    ref_kill(r, S, d);
    r->recomb++;
  }
}

static void ref_execute(ref_engine *r, int d, int p) {
  int kind = r->kind[d], s = r->site[d];
  ref_species *S = &r->sp[sp_of(kind)];
  int z = S->z, dir = p % z, t = S->nbr[s * z + dir];
  int v[3];
  path_vec(r, kind, s, p, v);
  r->hops++;
  if (ionkmc_defect_is_vacancy(kind)) {
    int a = S->sat[2 * t];
    ref_move_atom(S, a, v, -1);
    S->occ[t] = 0;
    S->occ[s] = 1;
    S->sat[2 * s] = a;
    ref_moved(r, S, d, t, v);
    return;
  }
  int j = p / z, a = S->sat[2 * s + j], other = S->sat[2 * s + 1 - j];
  S->occ[s] = 1;
  S->sat[2 * s] = other;
  int coll = coll_of(r, kind);
  int step[3] = {coll ? v[0] / 2 : v[0], coll ? v[1] / 2 : v[1], coll ? v[2] / 2 : v[2]};
  if (!coll || S->occ[t] == 0) {
    ref_move_atom(S, a, step, 1);
    ref_land(r, S, d, a, t, step);
    return;
  }
  int u = S->nbr2[s * z + dir], b = S->sat[2 * t];
  ref_move_atom(S, a, step, 1);
  S->sat[2 * t] = a;
  ref_move_atom(S, b, step, 1);
  ref_land(r, S, d, b, u, v);
}

ref_engine *ref_engine_alloc(const ionkmc_box_spec *spec, const ionkmc_lattice *lat) {
  ref_engine *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->spec = *spec;
  r->lat = lat;
  int nvac[2] = {0, 0}, nint[2] = {0, 0};
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    r->ndef += spec->count[k];
    if (ionkmc_defect_is_vacancy(k)) nvac[sp_of(k)] += spec->count[k];
    else nint[sp_of(k)] += spec->count[k];
  }
  for (int s = 0; s < 2; s++) {
    ref_species *S = &r->sp[s];
    S->nsites = ionkmc_lattice_nsites(lat, s == 0 ? IONKMC_SUB_X : IONKMC_SUB_A);
    S->z = s == 0 ? IONKMC_NNB_XX : IONKMC_NNB_AA;
    S->nbr = s == 0 ? ionkmc_lattice_xx(lat) : ionkmc_lattice_aa(lat);
    S->nbr2 = s == 0 ? NULL : ionkmc_lattice_aa2(lat);
    S->natoms = S->nsites - nvac[s] + nint[s];
    S->occ = malloc((size_t)S->nsites);
    S->sat = malloc(sizeof(int32_t) * 2 * (size_t)S->nsites);
    S->def_at = malloc(sizeof(int32_t) * (size_t)S->nsites);
    S->disp = calloc(3 * (size_t)S->natoms, sizeof(int32_t));
  }
  r->kind = malloc(sizeof(int) * r->ndef);
  r->site = malloc(sizeof(int) * r->ndef);
  r->alive = malloc(sizeof(int) * r->ndef);
  r->pos = malloc(sizeof(int32_t) * 3 * r->ndef);
  r->pr = calloc(16 * (size_t)r->ndef, sizeof(double));
  r->tree = ionkmc_sumtree_alloc(r->ndef);
  int bad = !r->kind || !r->site || !r->alive || !r->pos || !r->pr || !r->tree;
  for (int s = 0; s < 2; s++)
    bad |= !r->sp[s].occ || !r->sp[s].sat || !r->sp[s].def_at || !r->sp[s].disp;
  if (bad) {
    ref_engine_free(r);
    return NULL;
  }
  int i = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    for (int c = 0; c < spec->count[k]; c++) r->kind[i++] = k;
  return r;
}

void ref_engine_free(ref_engine *r) {
  if (!r) return;
  for (int s = 0; s < 2; s++) {
    free(r->sp[s].occ);
    free(r->sp[s].sat);
    free(r->sp[s].def_at);
    free(r->sp[s].disp);
  }
  free(r->kind);
  free(r->site);
  free(r->alive);
  free(r->pos);
  free(r->pr);
  ionkmc_sumtree_free(r->tree);
  free(r);
}

int ref_engine_reset(ref_engine *r, ionkmc_rng *rng) {
  for (int s = 0; s < 2; s++) {
    ref_species *S = &r->sp[s];
    memset(S->occ, 1, (size_t)S->nsites);
    for (int i = 0; i < S->nsites; i++) S->def_at[i] = -1;
  }
  for (int d = 0; d < r->ndef; d++) {
    ref_species *S = &r->sp[sp_of(r->kind[d])];
    int site;
    do site = (int)ionkmc_rng_below(rng, (uint32_t)S->nsites);
    while (S->def_at[site] >= 0);
    S->def_at[site] = d;
    S->occ[site] = ionkmc_defect_is_vacancy(r->kind[d]) ? 0 : 2;
    r->site[d] = site;
    r->alive[d] = 1;
    ionkmc_lattice_site_pos(r->lat, ionkmc_defect_sublattice(r->kind[d]), site, r->pos + 3 * d);
  }
  for (int s = 0; s < 2; s++) {
    ref_species *S = &r->sp[s];
    int a = 0;
    for (int i = 0; i < S->nsites; i++)
      for (int j = 0; j < S->occ[i]; j++) S->sat[2 * i + j] = a++;
    if (a != S->natoms) return -1;
  }
  for (int d = 0; d < r->ndef; d++) ref_paths(r, d);
  return 0;
}

int ref_engine_step(ref_engine *r, ionkmc_rng *rng) {
  double R = ionkmc_sumtree_total(r->tree);
  if (!(R > 0)) return 0;
  double u1, u2;
  ionkmc_rng_uniform2(rng, &u1, &u2);
  r->t += -log(1.0 - u1) / R;
  double rem;
  int d = ionkmc_sumtree_find(r->tree, u2 * R, &rem);
  const double *pr = r->pr + 16 * d;
  int np = ionkmc_defect_npaths(r->kind[d]), p = 0, last = -1;
  for (; p < np; p++)
    if (pr[p] > 0) {
      last = p;
      if (rem < pr[p]) break;
      rem -= pr[p];
    }
  if (p == np) p = last;
  ref_execute(r, d, p);
  for (int i = 0; i < r->ndef; i++) ref_paths(r, i);
  return 1;
}
