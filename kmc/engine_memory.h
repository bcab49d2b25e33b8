/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc box memory: what a box of a given spec allocates, before it is
 * built, so that a command can refuse a box that does not fit.
 *
 * Conventions
 *   Sizes in bytes. The estimate follows ionkmc_lattice_alloc,
 *   ionkmc_engine_alloc and ionkmc_engine_set_providers allocation by
 *   allocation (sizeof of the real types, the defect slots of thermal
 *   Frenkel pairs, the sum tree's power-of-two leaves); a torch model's own
 *   memory is not included. tests/test_engine_memory.c checks it against the
 *   resident memory of built and run boxes (measured 0.91-1.04 of it; a run
 *   leaves a few percent of the allocations untouched).
 *   The lattice is shared by the threads of a batch; every thread holds its
 *   own engine and, with environment-dependent rates, its own provider set
 *   (rate cache).
 * Ownership: plain values, nothing allocated.
 */
#ifndef IONKMC_ENGINE_MEMORY_H
#define IONKMC_ENGINE_MEMORY_H

#include <stddef.h>

#include "kmc/engine.h"

/* Largest box edge whose site and atom indices fit the engine's 32-bit
 * integers (3 coordinates of 3 L^3 X atoms below 2^31). */
#define IONKMC_ENGINE_MAX_L 620

typedef struct {
  double lattice; /* neighbour tables, shared */
  double engine;  /* one engine (per thread) */
  double env;     /* per thread with environment-dependent rates: second-shell
                     tables, stamps, the provider set's rate cache; else 0 */
  int threads;
  double total;   /* lattice + threads (engine + env) */
} ionkmc_memory_need;

/* Bytes of all the neighbour tables of an L^3 lattice (each is built on
 * first use; the engine's estimate counts only those it reads). */
double ionkmc_lattice_memory_estimate(int L);

/* Sites within two hops of a site of species spi (0 = I, 1 = MA), itself
 * excluded: the rows of the engine's second-shell tables. */
int ionkmc_engine_shell2_size(int spi);

/* The memory of a batch of spec's box on `threads` threads (>= 1), with
 * env the kinds of the box that take their rates from an
 * environment-dependent provider (kra, torch), bit k for kind k (0: none;
 * 1 is V_I+ alone), and quenched = 1 when those hold MA orientations. */
ionkmc_memory_need ionkmc_engine_memory_estimate(const ionkmc_box_spec *spec, int threads, int env,
                                                 int quenched);

#endif
