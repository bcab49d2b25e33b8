/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the process-wide table of named frame sources
 * ("mem:NAME" paths, calibration/traj.h). */
#include <pthread.h>
#include <string.h>

#include "calibration/traj.h"

enum { NSRC = 64, NAMELEN = 64 };

static struct {
  char name[NAMELEN];
  ionkmc_frame_fn fn;
  void *user;
} table[NSRC];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

ionkmc_status ionkmc_traj_register(const char *name, ionkmc_frame_fn fn, void *user, ionkmc_error *err) {
  if (!name || !*name || strlen(name) >= NAMELEN || !fn)
    return ionkmc_error_set(err, IONKMC_EINVAL, "frame source: expected a name of 1 to %d bytes and a callback",
                            NAMELEN - 1);
  ionkmc_status st = IONKMC_OK;
  pthread_mutex_lock(&table_lock);
  int free_slot = -1;
  for (int i = 0; i < NSRC; i++) {
    if (table[i].fn && !strcmp(table[i].name, name)) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "frame source '%s': the name is registered already", name);
      break;
    }
    if (!table[i].fn && free_slot < 0) free_slot = i;
  }
  if (!st && free_slot < 0)
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "frame source '%s': %d sources are registered already", name, NSRC);
  if (!st) {
    strcpy(table[free_slot].name, name);
    table[free_slot].fn = fn;
    table[free_slot].user = user;
  }
  pthread_mutex_unlock(&table_lock);
  return st;
}

void ionkmc_traj_unregister(const char *name) {
  if (!name) return;
  pthread_mutex_lock(&table_lock);
  for (int i = 0; i < NSRC; i++)
    if (table[i].fn && !strcmp(table[i].name, name)) memset(&table[i], 0, sizeof table[i]);
  pthread_mutex_unlock(&table_lock);
}

int ionkmc_traj_lookup(const char *name, ionkmc_frame_fn *fn, void **user) {
  int found = 0;
  pthread_mutex_lock(&table_lock);
  for (int i = 0; i < NSRC && !found; i++)
    if (table[i].fn && !strcmp(table[i].name, name)) {
      *fn = table[i].fn;
      *user = table[i].user;
      found = 1;
    }
  pthread_mutex_unlock(&table_lock);
  return found;
}
