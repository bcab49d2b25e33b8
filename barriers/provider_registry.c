/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider registry: one line per type. */
#include "barriers/provider_registry.h"

#include <stdio.h>
#include <string.h>

/* One line per type: X(name) registers ionkmc_provider_<name>, the row
 * defined in barriers/provider_<name>.c. The first is the default. */
#define PROVIDER_TYPES(X) \
  X(constant)             \
  X(sampled)              \
  X(kra)                  \
  X(torch)

#define DECLARE(name) extern const ionkmc_provider_type ionkmc_provider_##name;
PROVIDER_TYPES(DECLARE)
#define ROW(name) &ionkmc_provider_##name,
static const ionkmc_provider_type *const TYPES[] = {PROVIDER_TYPES(ROW)};

#define NTYPES ((int)(sizeof TYPES / sizeof *TYPES))

int ionkmc_provider_type_count(void) { return NTYPES; }

const ionkmc_provider_type *ionkmc_provider_type_at(int i) {
  return i >= 0 && i < NTYPES ? TYPES[i] : NULL;
}

const char *ionkmc_provider_names(char *buf, size_t n) {
  size_t used = 0;
  if (n) buf[0] = 0;
  for (int i = 0; i < NTYPES && used < n; i++) {
    int w = snprintf(buf + used, n - used, "%s\"%s\"", i ? ", " : "", TYPES[i]->name);
    if (w < 0) break;
    used += (size_t)w;
  }
  return buf;
}

const ionkmc_provider_type *ionkmc_provider_lookup(const char *name, ionkmc_error *err) {
  for (int i = 0; name && i < NTYPES; i++)
    if (!strcmp(name, TYPES[i]->name)) return TYPES[i];
  char names[256];
  ionkmc_provider_names(names, sizeof names);
  if (name)
    ionkmc_error_set(err, IONKMC_EINVAL, "unknown provider \"%s\"; expected one of %s", name, names);
  else
    ionkmc_error_set(err, IONKMC_EINVAL, "expected a provider name, one of %s", names);
  return NULL;
}
