/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry of trajectory formats: one line per format in FORMATS below,
 * whose type (ionkmc_traj_format_type, traj_impl.h) lives in its own file.
 * Auto-detection tries every format's extensions first, then every sniff,
 * in this order; LAMMPS is the fallback. The order is also that of the
 * names in messages. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "calibration/traj_impl.h"

#define FORMATS(X)       \
  X(traj_format_lammps)  \
  X(traj_format_extxyz)  \
  X(traj_format_h5md)

#define DECLARE(f) extern const ionkmc_traj_format_type f;
FORMATS(DECLARE)
#define ROW(f) &f,
static const ionkmc_traj_format_type *const TABLE[] = {FORMATS(ROW)};
enum { NFORMAT = sizeof TABLE / sizeof *TABLE };

int ionkmc_traj_format_count(void) { return NFORMAT; }

const char *ionkmc_traj_format_list(int i) { return i >= 0 && i < NFORMAT ? TABLE[i]->name : NULL; }

const ionkmc_traj_format_type *traj_format_by_name(const char *name) {
  for (int i = 0; i < NFORMAT; i++)
    if (!strcmp(TABLE[i]->name, name)) return TABLE[i];
  return NULL;
}

const ionkmc_traj_format_type *traj_format_by_id(ionkmc_traj_format id) {
  for (int i = 0; i < NFORMAT && id != IONKMC_TRAJ_AUTO; i++)
    if (TABLE[i]->id == id) return TABLE[i];
  return NULL;
}

static int has_extension(const char *path, const char *const *ext) {
  size_t n = strlen(path);
  if (n > 3 && !strcmp(path + n - 3, ".gz")) n -= 3;
  for (; ext && *ext; ext++) {
    size_t k = strlen(*ext);
    if (n > k && !strncmp(path + n - k, *ext, k)) return 1;
  }
  return 0;
}

const ionkmc_traj_format_type *traj_format_detect(const char *path) {
  for (int i = 0; i < NFORMAT; i++)
    if (has_extension(path, TABLE[i]->extensions)) return TABLE[i];
  /* No extension matched: the first bytes (gzip is read through). A file
   * that cannot be read goes to the fallback, whose open says why. */
  unsigned char head[512];
  int n = 0;
  gzFile g = gzopen(path, "rb");
  if (g) {
    n = gzread(g, head, sizeof head);
    gzclose(g);
  }
  for (int i = 0; i < NFORMAT && n > 0; i++)
    if (TABLE[i]->sniff && TABLE[i]->sniff(head, (size_t)n)) return TABLE[i];
  return &traj_format_lammps;
}

ionkmc_status ionkmc_traj_options_set_format(ionkmc_traj_options *opt, const char *name, ionkmc_error *err) {
  if (!strcmp(name, "auto")) {
    opt->format = IONKMC_TRAJ_AUTO;
    opt->format_name[0] = 0;
    return IONKMC_OK;
  }
  const ionkmc_traj_format_type *f = traj_format_by_name(name);
  if (!f || strlen(name) >= sizeof opt->format_name) {
    char list[256] = "auto";
    for (int i = 0; i < NFORMAT; i++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i == NFORMAT - 1 ? " or " : ", ",
               TABLE[i]->name);
    return ionkmc_error_set(err, IONKMC_EINVAL, "format: expected %s, got '%s'", list, name);
  }
  opt->format = f->id;
  snprintf(opt->format_name, sizeof opt->format_name, "%s", f->name);
  return IONKMC_OK;
}
