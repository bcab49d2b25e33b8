/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the registry of barrier provider types.
 *
 * Conventions
 *   Every provider type the catalog may name ("provider": "<name>") is one
 *   row here, defined in barriers/provider_<name>.c (provider_type.h). A
 *   new provider is one such file plus one line in provider_registry.c.
 *   An entry that names no provider uses "constant".
 * Ownership: the types are static and live as long as the program.
 */
#ifndef IONKMC_PROVIDER_REGISTRY_H
#define IONKMC_PROVIDER_REGISTRY_H

#include <stddef.h>

#include "barriers/provider_type.h"

/* The default type ("constant"), for entries that name none. */
extern const ionkmc_provider_type ionkmc_provider_constant;

/* Number of registered types, and type i (0 <= i < count; NULL outside). */
int ionkmc_provider_type_count(void);
const ionkmc_provider_type *ionkmc_provider_type_at(int i);

/* The type called name, or NULL with IONKMC_EINVAL in err:
 * "unknown provider \"x\"; expected one of \"constant\", \"sampled\", ...". */
const ionkmc_provider_type *ionkmc_provider_lookup(const char *name, ionkmc_error *err);

/* The registered names as "\"constant\", \"sampled\", ..." into buf (size n,
 * truncated if short). Returns buf. */
const char *ionkmc_provider_names(char *buf, size_t n);

#endif
