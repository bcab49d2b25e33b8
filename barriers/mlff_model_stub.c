/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: without libtorch there is no MLFF backend; barriers/mlff.c
 * reports IONKMC_ESTATE ("built without libtorch"). */
#include <stddef.h>

#include "barriers/mlff_backend.h"

const ionkmc_mlff_backend *ionkmc_mlff_backend_get(void) { return NULL; }
const char *ionkmc_torch_module_error(void) { return "ionkmc was built without libtorch"; }
