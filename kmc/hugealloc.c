/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "kmc/hugealloc.h"

#include <stdlib.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

void *ionkmc_huge_alloc(size_t bytes, size_t min_huge) {
  if (bytes == 0) bytes = 1;
  size_t align = bytes >= min_huge ? HUGE_PAGE : 64;
  size_t len = (bytes + align - 1) / align * align;
  void *p = NULL;
  if (posix_memalign(&p, align, len)) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (align == HUGE_PAGE) (void)madvise(p, len, MADV_HUGEPAGE); /* advice only */
#endif
  return p;
}
