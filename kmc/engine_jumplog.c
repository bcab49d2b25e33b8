/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's optional jump log (kmc/jumpstats.h): its buffer and the two
 * hooks the hop code calls when a log is present. */
#include <stdlib.h>

#include "kmc/engine_impl.h"

ionkmc_status ionkmc_engine_jumplog_alloc(ionkmc_engine *e, size_t capacity, ionkmc_error *err) {
  if (capacity == 0) return ionkmc_error_set(err, IONKMC_EINVAL, "jump log: expected a capacity >= 1");
  ionkmc_jumplog *l = calloc(1, sizeof *l);
  ionkmc_jump_entry *en = l ? malloc(capacity * sizeof *en) : NULL;
  if (!en) {
    free(l);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "jump log: out of memory for %zu entries", capacity);
  }
  ionkmc_engine_jumplog_free(e);
  l->entry = en;
  l->cap = capacity;
  l->t = &e->obs.t;
  l->hops = &e->obs.hops;
  l->cur = -1;
  e->jlog = l;
  for (int s = 0; s < IONKMC_NSPECIES; s++) e->sp[s].jlog = l;
  return IONKMC_OK;
}

const ionkmc_jump_entry *ionkmc_engine_jumplog(const ionkmc_engine *e, size_t *n, int64_t *dropped) {
  const ionkmc_jumplog *l = e->jlog;
  *n = l ? l->n : 0;
  if (dropped) *dropped = l ? l->dropped : 0;
  return l ? l->entry : NULL;
}

void ionkmc_engine_jumplog_clear(ionkmc_engine *e) {
  ionkmc_jumplog *l = e->jlog;
  if (!l) return;
  l->n = 0;
  l->dropped = 0;
  l->cur = -1;
  l->natoms = 0;
  l->jump2 = 0;
}

void ionkmc_engine_jumplog_free(ionkmc_engine *e) {
  if (!e->jlog) return;
  free(e->jlog->entry);
  free(e->jlog);
  e->jlog = NULL;
  for (int s = 0; s < IONKMC_NSPECIES; s++) e->sp[s].jlog = NULL;
}

/* The atoms of the current event (the event counter has already counted it). */
void ionkmc_engine_jumplog_atom(ionkmc_jumplog *l, int jump2) {
  if (*l->hops != l->cur) {
    l->cur = *l->hops;
    l->natoms = 0;
    l->jump2 = 0;
  }
  l->natoms++;
  l->jump2 += jump2;
}

void ionkmc_engine_jumplog_defect(ionkmc_jumplog *l, int d, int from, const int8_t *dv) {
  if (*l->hops != l->cur) { /* a defect move with no atom move: none in the hop code */
    l->cur = *l->hops;
    l->natoms = 0;
    l->jump2 = 0;
  }
  if (l->n == l->cap) {
    l->dropped++;
    return;
  }
  ionkmc_jump_entry *en = &l->entry[l->n++];
  en->t = *l->t;
  en->defect = d;
  en->from_site = from;
  en->dh[0] = dv[0];
  en->dh[1] = dv[1];
  en->dh[2] = dv[2];
  en->natoms = (uint8_t)l->natoms;
  en->jump2 = l->jump2;
}
