/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc large arrays: allocation of the engine's big per-site arrays and
 * sum tree on transparent huge pages where the system offers them.
 *
 * A large box's step touches a few random places in arrays of tens to
 * hundreds of MB (site records, occupancies, defect indices, the sum tree);
 * on 4 KiB pages nearly every such access also misses the TLB. Arrays of at
 * least min_huge bytes are aligned to 2 MiB and advised as huge pages
 * (Linux madvise MADV_HUGEPAGE; a refusal or another system leaves ordinary
 * pages, with the same contents and results). Sizes in bytes.
 * Ownership: the caller frees the result with free(); NULL on no memory.
 */
#ifndef IONKMC_HUGEALLOC_H
#define IONKMC_HUGEALLOC_H

#include <stddef.h>

/* Allocate bytes (uninitialised), 64-byte aligned, on huge pages when
 * bytes >= min_huge. */
void *ionkmc_huge_alloc(size_t bytes, size_t min_huge);

/* The engine's threshold for its per-site arrays. */
#define IONKMC_HUGE_MIN ((size_t)16 << 20)

#endif
