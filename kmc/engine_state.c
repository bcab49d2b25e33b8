/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The state of a run in progress as bytes (kmc/engine_state.h). */
#include "kmc/engine_state.h"

#include <string.h>

#include "kmc/engine_impl.h"

/* What a mid-run state holds besides the arrays: the sizes that must agree. */
typedef struct {
  uint32_t magic, ndef, nsites[2], natoms[2], cap;
} state_head;

#define STATE_MAGIC 0x6b6d6373u

/* A defect as a state holds it: 24 bytes, the site in the public numbering
 * (the layout of the hot defect state before the engine numbered X sites
 * internally), then the correlated pattern's state (engine_impl.h). */
typedef struct {
  int32_t site;
  int32_t pos[3];
  uint16_t open;
  uint8_t nbr_def, xt, kind, alive;
  uint8_t pat;
  uint8_t pad[1];
} saved_defect;

/* The per-site arrays of a state, in the public site numbering; the rest
 * as the engine holds them. */
enum { SITE_PARTS = 4 };

/* The arrays of a state, in order, with their byte counts: per species
 * SITE_PARTS per-site arrays (occupancy, first and second atom index,
 * defect; their element sizes in esz, their strides in the engine in str)
 * and the atoms' displacements (per atom, as the atoms' own array), then the
 * defects (saved_defect each) and the rest. A sublattice that never holds
 * two atoms on a site has no second-atom records (its part is NULL: saved
 * as -1, skipped on loading). */
static int state_parts(const ionkmc_engine *e, void *ptr[16], size_t len[16], size_t esz[16],
                       size_t str[16]) {
  int n = 0;
#define PART(p, bytes, el, st) (ptr[n] = (void *)(p), esz[n] = (el), str[n] = (st), len[n++] = (bytes))
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    const species_state *S = &e->sp[s];
    size_t ns = (size_t)S->nsites;
    PART(S->occ, ns, 1, 1);
    PART(&S->at0->atom, 4 * ns, 4, sizeof(site_atom));
    PART(S->at1 ? &S->at1->atom : NULL, 4 * ns, 4, sizeof(site_atom));
    PART(S->def_at, 4 * ns, 4, 4);
    PART(S, 12 * (size_t)S->natoms, 0, 0); /* the displacements, from the records */
  }
  size_t nd = (size_t)e->ndef;
  PART(e->def, sizeof(saved_defect) * nd, 0, 0);
  PART(e->dpos0, 12 * nd, 0, 0);
  PART(e->dinit, 12 * nd, 0, 0);
  PART(e->dblk, 64 * nd, 0, 0);
  PART(e->tree, sizeof(double) * 2 * (size_t)e->tree->cap, 0, 0); /* in heap order */
#undef PART
  return n;
}

/* The displacement of each atom of S between its site records and buf
 * (per atom, 3 int32 each; save: to buf). Loading needs the occupancies
 * and atom indices, which come before it; -1 if they name no atom of S. */
static int disp_copy(const species_state *S, unsigned char *buf, int save) {
  for (int p = 0; p < S->nsites; p++) {
    size_t i = (size_t)x_pub2int(S, p);
    int n = S->occ[i];
    if (n > 2 || (n == 2 && !S->at1)) return -1;
    for (int j = 0; j < n; j++) {
      site_atom *a = j ? &S->at1[i] : &S->at0[i];
      if (a->atom < 0 || a->atom >= S->natoms) return -1;
      unsigned char *at = buf + 12 * (size_t)a->atom;
      if (save) memcpy(at, a->r, 12);
      else memcpy(a->r, at, 12);
    }
  }
  return 0;
}

/* Copy part k of a state between the engine and buf (save: to buf); -1 on
 * a loaded state whose atoms do not fit the box. */
static int part_copy(const ionkmc_engine *e, int k, void *ptr, size_t len, size_t esz, size_t str,
                      unsigned char *buf, int save) {
  int per = SITE_PARTS + 1, spi = k / per;
  if (k < IONKMC_NSPECIES * per && k % per < SITE_PARTS) {
    const species_state *S = &e->sp[spi];
    unsigned char *arr = ptr;
    if (!arr) { /* no second atoms: none saved */
      if (save) memset(buf, 0xff, len);
      return 0;
    }
    for (int p = 0; p < S->nsites; p++) {
      size_t i = (size_t)x_pub2int(S, p);
      if (save) memcpy(buf + p * esz, arr + i * str, esz);
      else memcpy(arr + i * str, buf + p * esz, esz);
    }
    return 0;
  }
  if (k < IONKMC_NSPECIES * per) return disp_copy(&e->sp[spi], buf, save);
  if (ptr == (void *)e->tree) {
    if (save) ionkmc_sumtree_export(e->tree, buf);
    else ionkmc_sumtree_import(e->tree, buf);
    return 0;
  }
  if (ptr != (void *)e->def) {
    if (save) memcpy(buf, ptr, len);
    else memcpy(ptr, buf, len);
    return 0;
  }
  for (int d = 0; d < e->ndef; d++) {
    defect_state *D = &e->def[d];
    const species_state *S = &e->sp[kind_sp(D->kind)]; /* a slot's kind is fixed at _alloc */
    saved_defect v;
    if (save) {
      memset(&v, 0, sizeof v);
      v.site = x_int2pub(S, D->site);
      memcpy(v.pos, D->pos, sizeof v.pos);
      v.open = D->open;
      v.nbr_def = D->nbr_def;
      v.xt = D->xt;
      v.kind = D->kind;
      v.alive = D->alive;
      v.pat = D->pat;
      memcpy(buf + d * sizeof v, &v, sizeof v);
    } else {
      memcpy(&v, buf + d * sizeof v, sizeof v);
      memset(D, 0, sizeof *D);
      D->site = x_pub2int(S, v.site);
      memcpy(D->pos, v.pos, sizeof v.pos);
      D->open = v.open;
      D->nbr_def = v.nbr_def;
      D->xt = v.xt;
      D->kind = v.kind;
      D->alive = v.alive;
      D->pat = v.pat;
      int32_t h[3];
      ionkmc_lattice_site_pos(e->lat, kind_sp(v.kind) == 0 ? IONKMC_SUB_X : IONKMC_SUB_A, v.site, h);
      for (int c = 0; c < 3; c++) D->hw[c] = (uint16_t)h[c];
    }
  }
  return 0;
}

/* The scalars of a state. */
typedef struct {
  int alive[2];
  int64_t sum_dr2[2], sum_dr[2][3], sum_jump2[2];
  double sblk[2][8], sblk_r2[2];
  int64_t s0[2][3];
  double msd_next, t_block;
  int64_t block_start;
  ionkmc_run_obs obs;
} state_scalars;

size_t ionkmc_engine_state_bytes(const ionkmc_engine *e) {
  if (e->env || e->frk) return 0; /* provider caches are not saved; Frenkel runs are saved when finished */
  void *ptr[16];
  size_t len[16], esz[16], str[16], total = sizeof(state_head) + sizeof(state_scalars);
  int n = state_parts(e, ptr, len, esz, str);
  for (int k = 0; k < n; k++) total += len[k];
  return total;
}

void ionkmc_engine_state_save(const ionkmc_engine *e, void *buf) {
  unsigned char *p = buf;
  state_head h = {STATE_MAGIC, (uint32_t)e->ndef, {(uint32_t)e->sp[0].nsites, (uint32_t)e->sp[1].nsites},
                  {(uint32_t)e->sp[0].natoms, (uint32_t)e->sp[1].natoms}, (uint32_t)e->tree->cap};
  state_scalars sc;
  memset(&sc, 0, sizeof sc);
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    const species_state *S = &e->sp[s];
    sc.alive[s] = S->alive;
    sc.sum_dr2[s] = S->sum_dr2;
    sc.sum_jump2[s] = S->sum_jump2;
    memcpy(sc.sum_dr[s], S->sum_dr, sizeof S->sum_dr);
  }
  memcpy(sc.sblk, e->sblk, sizeof sc.sblk);
  memcpy(sc.sblk_r2, e->sblk_r2, sizeof sc.sblk_r2);
  memcpy(sc.s0, e->s0, sizeof sc.s0);
  sc.msd_next = e->msd_next;
  sc.t_block = e->t_block;
  sc.block_start = e->block_start;
  sc.obs = e->obs;
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  memcpy(p, &sc, sizeof sc);
  p += sizeof sc;
  void *ptr[16];
  size_t len[16], esz[16], str[16];
  int n = state_parts(e, ptr, len, esz, str);
  for (int k = 0; k < n; k++) {
    part_copy(e, k, ptr[k], len[k], esz[k], str[k], p, 1);
    p += len[k];
  }
}

ionkmc_status ionkmc_engine_state_load(ionkmc_engine *e, const void *buf, size_t nbytes, ionkmc_error *err) {
  const unsigned char *p = buf;
  state_head h;
  if (nbytes != ionkmc_engine_state_bytes(e) || nbytes < sizeof h)
    return ionkmc_error_set(err, IONKMC_EINVAL, "checkpoint: a run's state of %zu bytes does not fit this box", nbytes);
  memcpy(&h, p, sizeof h);
  if (h.magic != STATE_MAGIC || h.ndef != (uint32_t)e->ndef || h.cap != (uint32_t)e->tree->cap ||
      h.nsites[0] != (uint32_t)e->sp[0].nsites || h.nsites[1] != (uint32_t)e->sp[1].nsites ||
      h.natoms[0] != (uint32_t)e->sp[0].natoms || h.natoms[1] != (uint32_t)e->sp[1].natoms)
    return ionkmc_error_set(err, IONKMC_EINVAL, "checkpoint: a run's state is of another box");
  p += sizeof h;
  state_scalars sc;
  memcpy(&sc, p, sizeof sc);
  p += sizeof sc;
  void *ptr[16];
  size_t len[16], esz[16], str[16];
  int n = state_parts(e, ptr, len, esz, str);
  for (int k = 0; k < n; k++) {
    if (part_copy(e, k, ptr[k], len[k], esz[k], str[k], (unsigned char *)p, 0))
      return ionkmc_error_set(err, IONKMC_EINVAL, "checkpoint: a run's state names atoms this box does not have");
    p += len[k];
  }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    species_state *S = &e->sp[s];
    S->alive = sc.alive[s];
    S->sum_dr2 = sc.sum_dr2[s];
    S->sum_jump2 = sc.sum_jump2[s];
    memcpy(S->sum_dr, sc.sum_dr[s], sizeof S->sum_dr);
  }
  memcpy(e->sblk, sc.sblk, sizeof sc.sblk);
  memcpy(e->sblk_r2, sc.sblk_r2, sizeof sc.sblk_r2);
  memcpy(e->s0, sc.s0, sizeof sc.s0);
  e->msd_next = sc.msd_next;
  e->t_block = sc.t_block;
  e->block_start = sc.block_start;
  e->obs = sc.obs;
  e->ndirty = 0;
  e->fail = IONKMC_OK;
  return IONKMC_OK;
}

void ionkmc_engine_state_progress(const ionkmc_engine *e, int64_t *hops, double *t, int *no_events) {
  *hops = e->obs.hops;
  *t = e->obs.t;
  *no_events = e->obs.no_events;
}
