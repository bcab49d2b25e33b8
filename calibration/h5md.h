/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: H5MD trajectories (HDF5, read through libhdf5).
 *
 * Conventions
 *   Units: positions and box edges in the file's "unit" attribute ("nm",
 *   "angstrom", "A" or "Å"; none means angstrom), converted to angstrom; times
 *   in the time dataset's "unit" ("ps", "fs", "ns"; none means ps), converted
 *   to ps.
 *   Layout (H5MD 1.x): /particles/GROUP with GROUP the only group there or
 *   "all". Read:
 *     position/value [frames][N][3], position/time [frames] (or a scalar
 *       interval with an optional "offset" attribute; without any time
 *       dataset, frame_dt_ps of the options gives the times);
 *     box: attribute dimension = 3, boundary all "periodic", edges either a
 *       dataset [3] (orthorhombic) or [3][3] (row vectors) for the whole run,
 *       or a time-dependent group edges/value [frames][3] or [frames][3][3];
 *       optional offset [3] (the box origin, default 0);
 *     image/value [frames][N][3] (optional): positions are unwrapped with
 *       them; without image flags positions are taken as they are (wrapped
 *       or unwrapped);
 *     species [N] or species/value [frames][N] (first frame): strings are
 *       element names (Pb, I, C, N, H); integers are mapped with the type map
 *       of the options (--types) when one is given, else read as atomic
 *       numbers (82 Pb, 53 I, 6 C, 7 N, 1 H).
 *     id/value is not read: atoms keep file order (ids 1..N), which H5MD
 *     keeps fixed.
 *   One frame is read at a time (hyperslabs), so memory holds one frame.
 * Ownership: _open returns a state for ionkmc_traj_open_source; the traj
 * reader frees it through ionkmc_h5md_close. Normally used through
 * ionkmc_traj_open (format IONKMC_TRAJ_H5MD or auto-detected).
 */
#ifndef IONKMC_H5MD_H
#define IONKMC_H5MD_H

#include "calibration/traj.h"

/* 1 if path starts with the HDF5 signature or ends in .h5md / .h5. */
int ionkmc_h5md_probe(const char *path);
/* Open and check the layout; NULL with err/status set (IONKMC_EIO unreadable,
 * IONKMC_EPARSE not H5MD as described, IONKMC_EINVAL units/elements). */
void *ionkmc_h5md_open(const char *path, const ionkmc_traj_options *opt, ionkmc_error *err,
                       ionkmc_status *status);
/* The ionkmc_frame_fn of an open file. */
ionkmc_status ionkmc_h5md_next(void *h, int rewind, ionkmc_frame_in *in, ionkmc_error *err);
/* Close; NULL is a no-op. */
void ionkmc_h5md_close(void *h);

#endif
