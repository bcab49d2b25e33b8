/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the interface between the library and the H5MD module
 * (libionkmc-h5md.so).
 *
 * libhdf5 and what it links (libcurl, the TLS and Kerberos libraries, libsz)
 * map about 7 MB, so neither the library nor the program links it:
 * calibration/h5md_module.c, the reader proper, is built as a shared module
 * of its own, and calibration/h5md.c opens it through the module loader of
 * base/module.h ($IONKMC_H5MD_MODULE, then next to the program or the
 * library, then the install libdir) at the first H5MD file. A command that
 * reads no H5MD file never maps libhdf5.
 *
 * The module exports one symbol, IONKMC_H5MD_MODULE_SYMBOL, a function that
 * returns its table (static storage). The functions are those of
 * calibration/h5md.h (open's options are never NULL here). Every other symbol
 * of the module is hidden; it carries its own copies of base/status.c and
 * calibration/traj_element.c.
 */
#ifndef IONKMC_H5MD_MODULE_H
#define IONKMC_H5MD_MODULE_H

#include <stddef.h>

#include "calibration/traj.h"

#define IONKMC_H5MD_MODULE_ABI 1
#define IONKMC_H5MD_MODULE_FILE "libionkmc-h5md.so"
#define IONKMC_H5MD_MODULE_SYMBOL "ionkmc_h5md_module_v1"

typedef struct {
  int abi;     /* IONKMC_H5MD_MODULE_ABI */
  size_t size; /* sizeof (ionkmc_h5md_module_table) */
  void *(*open)(const char *path, const ionkmc_traj_options *opt, ionkmc_error *err, ionkmc_status *status);
  ionkmc_status (*next)(void *h, int rewind, ionkmc_frame_in *in, ionkmc_error *err);
  void (*close)(void *h);
} ionkmc_h5md_module_table;

#endif
