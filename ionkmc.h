/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc: every public header of libionkmc in one.
 *
 * Conventions (all modules): lengths in angstrom, energies in eV, temperatures
 * in K, times in s (MD times in ps), D in cm^2/s. Functions that can fail
 * return an ionkmc_status (base/status.h) with a message in an
 * ionkmc_error; objects come in _alloc / _free pairs, _free(NULL) a no-op.
 * Each module header states its own units and ownership.
 * Headers come floor by floor (base < lattice < events < barriers < kmc <
 * calibration < cli; scripts/layers checks that no header includes one of a
 * higher floor). Left out: the private headers (*_impl.h), the module
 * loader and the interfaces of the modules (base/module.h,
 * barriers/torch_module.h, barriers/mlff_backend.h,
 * calibration/h5md_module.h) and the forwarding headers lattice/status.h and
 * lattice/outfile.h.
 * A program that links the library calls ionkmc_init() (base/init.h) once
 * at start-up.
 * Compile with `pkg-config --cflags --libs ionkmc` or, in CMake,
 * find_package(ionkmc) and target_link_libraries(prog ionkmc::ionkmc).
 */
#ifndef IONKMC_H
#define IONKMC_H

/* base */
#include "base/init.h"
#include "base/outfile.h"
#include "base/status.h"
#include "base/units.h"
/* lattice */
#include "lattice/lattice.h"
/* events */
#include "events/defects.h"
#include "events/oriented_f.h"
/* barriers */
#include "barriers/atoms.h"
#include "barriers/catalog.h"
#include "barriers/catalog_apply.h"
#include "barriers/catalog_frenkel.h"
#include "barriers/cineb.h"
#include "barriers/conditions.h"
#include "barriers/envcache.h"
#include "barriers/fire.h"
#include "barriers/hopcell.h"
#include "barriers/mlff.h"
#include "barriers/mlff_neb.h"
#include "barriers/nlist.h"
#include "barriers/paper_table2.h"
#include "barriers/provider.h"
#include "barriers/provider_registry.h"
#include "barriers/provider_type.h"
#include "barriers/torch_model.h"
#include "barriers/vineyard.h"
/* kmc */
#include "kmc/box_spec.h"
#include "kmc/catdraw.h"
#include "kmc/checkpoint.h"
#include "kmc/engine.h"
#include "kmc/engine_memory.h"
#include "kmc/engine_state.h"
#include "kmc/frenkel.h"
#include "kmc/jumpstats.h"
#include "kmc/model.h"
#include "kmc/rng.h"
#include "kmc/run_config.h"
#include "kmc/runner.h"
#include "kmc/stats.h"
#include "kmc/sumtree.h"
#include "kmc/workq.h"
/* calibration */
#include "calibration/calibrate.h"
#include "calibration/campaign.h"
#include "calibration/h5md.h"
#include "calibration/hopgeom.h"
#include "calibration/mdtrack.h"
#include "calibration/msd.h"
#include "calibration/patternfit.h"
#include "calibration/msdblock.h"
#include "calibration/neb.h"
#include "calibration/rates.h"
#include "calibration/strain.h"
#include "calibration/structure.h"
#include "calibration/traj.h"
#include "calibration/trajwriter.h"
/* cli: the C API (libionkmc.so) */
#include "cli/api.h"

#endif
