/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the libFuzzer harnesses in tests/fuzz (scripts/fuzz runs them).
 * The readers take a path, so each input goes to a file of this process
 * under $TMPDIR first. */
#ifndef IONKMC_FUZZ_COMMON_H
#define IONKMC_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Write data (gzip-compressed when gz) to a per-process file ending in
 * suffix; returns its path (static storage). */
static const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix, int gz) {
  static char path[512];
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/ionkmc-fuzz-%ld%s", dir && *dir ? dir : "/tmp", (long)getpid(),
           suffix);
  if (gz) {
    gzFile g = gzopen(path, "wb1");
    if (!g) abort();
    if (size && gzwrite(g, data, (unsigned)size) != (int)size) abort();
    gzclose(g);
  } else {
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    if (size && fwrite(data, 1, size, fp) != size) abort();
    fclose(fp);
  }
  return path;
}

/* data as a NUL-terminated string (caller frees). */
static char *fuzz_string(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) abort();
  memcpy(s, data, size);
  s[size] = 0;
  return s;
}

#endif
