/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc: every public header of libionkmc in one.
 *
 * Conventions (all modules): lengths in angstrom, energies in eV, temperatures
 * in K, times in s (MD times in ps), D in cm^2/s. Functions that can fail
 * return an ionkmc_status (lattice/status.h) with a message in an
 * ionkmc_error; objects come in _alloc / _free pairs, _free(NULL) a no-op.
 * Each module header states its own units and ownership.
 * Compile with `pkg-config --cflags --libs ionkmc` or, in CMake,
 * find_package(ionkmc) and target_link_libraries(prog ionkmc::ionkmc).
 */
#ifndef IONKMC_H
#define IONKMC_H

#include "lattice/status.h"
#include "lattice/lattice.h"
#include "lattice/outfile.h"
#include "events/defects.h"
#include "barriers/catalog.h"
#include "barriers/provider.h"
#include "kmc/rng.h"
#include "kmc/sumtree.h"
#include "kmc/box_spec.h"
#include "kmc/engine.h"
#include "kmc/runner.h"
#include "kmc/stats.h"
#include "calibration/traj.h"
#include "calibration/mdtrack.h"
#include "calibration/msd.h"
#include "calibration/neb.h"
#include "calibration/rates.h"
#include "cli/api.h"

#endif
