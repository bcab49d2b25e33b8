/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the cmocka tests (tests/test_*.c), so that each test
 * file states what it checks and not how to find its data or clean up.
 *
 * Paths: the source tree is $IONKMC_SOURCE_DIR (ctest sets it), "." when
 *   unset. tu_source_path and tu_data_path return strings in one of 8
 *   rotating static buffers: up to 8 live at once, copy one to keep it.
 * Temporary directories: tu_tmpdir makes $TMPDIR/ionkmc-<tag>-XXXXXX
 *   (/tmp when TMPDIR is unset or empty); tu_rmtree removes a tree without
 *   running a shell (nftw, depth first, symlinks not followed).
 * Type maps: the LAMMPS type -> element map of the MAPbI3 fixtures
 *   (1 = Pb, 2 = I, 3 = C, 4 = N), as options and as the --types text.
 * Return values: 0 on success, -1 with errno set on failure.
 * Not thread-safe (the rotating buffers); tests call these from one thread.
 */
#ifndef IONKMC_TESTS_UTIL_H
#define IONKMC_TESTS_UTIL_H

#include <stddef.h>

#include "calibration/traj.h"
#include "kmc/runner.h"

#define TU_MAPBI3_TYPES "1=Pb,2=I,3=C,4=N"

const char *tu_source_dir(void);
/* <source>/<rel> and <source>/tests/data/<rel>. */
const char *tu_source_path(const char *rel);
const char *tu_data_path(const char *rel);

/* mkdtemp into buf (n bytes): buf holds the new directory's path. */
int tu_tmpdir(char *buf, size_t n, const char *tag);
/* Remove path and everything below it; a path that does not exist is fine. */
int tu_rmtree(const char *path);
/* Write text into <dir>/<name>; the path in a rotating buffer, NULL on failure. */
const char *tu_write_file(const char *dir, const char *name, const char *text);
/* The whole file as a NUL-terminated string the caller frees; NULL on failure. */
char *tu_read_file(const char *path);

/* runs trajectories of hops events of box s (its own lattice; seed; every
 * other setting of the run configuration zero) into *out: the status of
 * ionkmc_run_batch. */
ionkmc_status tu_run_batch(const ionkmc_box_spec *s, int runs, int64_t hops, uint64_t seed,
                           ionkmc_run_summary *out);

/* A box of one defect of kind k at per-path rate (1/s), L^3 cells, 400 K,
 * a = 6.3 A, everything else zero. */
void tu_spec_one(ionkmc_box_spec *s, int L, ionkmc_defect_kind k, double rate);
/* The same with displacement pattern p and its own rates r0, r1 (1/s, the
 * order of its row in events/defects.c). */
void tu_spec_pattern(ionkmc_box_spec *s, int L, ionkmc_defect_kind k, double rate, ionkmc_pattern p, double r0,
                     double r1);
/* An engine for box s on a new lattice (*lat, the caller frees both),
 * reset from the stream (seed, 0), which is left in *rng; NULL on failure. */
ionkmc_engine *tu_engine_for(const ionkmc_box_spec *s, ionkmc_lattice **lat, uint64_t seed, ionkmc_rng *rng);

/* Default reader options with the MAPbI3 type map. */
ionkmc_traj_options tu_traj_options_mapbi3(void);

#endif
