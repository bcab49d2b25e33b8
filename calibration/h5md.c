/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: H5MD files (calibration/h5md.h) through the H5MD
 * module (calibration/h5md_module.h), which is loaded at the first file
 * opened; the probe and the format's row of the registry need no HDF5. */
#include "calibration/h5md.h"

#include <stdio.h>
#include <string.h>

#include "base/module.h"
#include "calibration/h5md_module.h"
#include "calibration/traj_impl.h"

static const char HDF5_SIGNATURE[8] = "\x89HDF\r\n\x1a\n";

static ionkmc_module h5md_mod = IONKMC_MODULE_INIT(
    .file = IONKMC_H5MD_MODULE_FILE, .env = "IONKMC_H5MD_MODULE", .entry = IONKMC_H5MD_MODULE_SYMBOL,
    .what = "the H5MD (HDF5) module", .abi = IONKMC_H5MD_MODULE_ABI, .size = sizeof(ionkmc_h5md_module_table));

int ionkmc_h5md_probe(const char *path) {
  size_t n = strlen(path);
  if ((n > 5 && !strcmp(path + n - 5, ".h5md")) || (n > 3 && !strcmp(path + n - 3, ".h5"))) return 1;
  FILE *fp = fopen(path, "rb");
  if (!fp) return 0;
  unsigned char sig[8] = {0};
  size_t got = fread(sig, 1, 8, fp);
  fclose(fp);
  return got == 8 && !memcmp(sig, HDF5_SIGNATURE, 8);
}

void *ionkmc_h5md_open(const char *path, const ionkmc_traj_options *opt, ionkmc_error *err, ionkmc_status *status) {
  ionkmc_error local;
  const ionkmc_h5md_module_table *t = ionkmc_module_get(&h5md_mod, &local, status);
  if (!t) {
    ionkmc_error_set(err, h5md_mod.status, "%s: %s", path, local.text);
    return NULL;
  }
  ionkmc_traj_options def = ionkmc_traj_options_default();
  return t->open(path, opt ? opt : &def, err, status);
}

/* A handle exists only once the module is loaded. */
#define TABLE ((const ionkmc_h5md_module_table *)h5md_mod.table)

ionkmc_status ionkmc_h5md_next(void *h, int rewind, ionkmc_frame_in *in, ionkmc_error *err) {
  return TABLE->next(h, rewind, in, err);
}

void ionkmc_h5md_close(void *h) {
  if (h) TABLE->close(h);
}

/* ---- H5MD as a row of the trajectory format registry ------------------- */

static int h5md_sniff(const unsigned char *head, size_t n) { return n >= 8 && !memcmp(head, HDF5_SIGNATURE, 8); }

/* Frames go through the reader's frame-source path (traj_read_source). */
static ionkmc_status h5md_fmt_open(ionkmc_traj *t, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  void *h = ionkmc_h5md_open(t->path, &t->opt, err, &st);
  if (!h) return st;
  t->src = ionkmc_h5md_next;
  t->src_user = h;
  t->src_close = ionkmc_h5md_close;
  return ionkmc_h5md_next(h, 1, NULL, err);
}

static const char *const H5MD_EXT[] = {".h5md", ".h5", NULL};

const ionkmc_traj_format_type traj_format_h5md = {
    .name = "h5md", .id = IONKMC_TRAJ_H5MD, .extensions = H5MD_EXT, .sniff = h5md_sniff,
    .text = 0, .open = h5md_fmt_open, .next = traj_read_source, .close = NULL};
