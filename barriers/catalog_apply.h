/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc barriers: the one writer of catalog entries.
 *
 * Every change to an entry (catalog derive's nu, a calibration from MD, the
 * library's own ionkmc_catalog_set / _set_fit) is an ionkmc_catalog_update
 * that ionkmc_catalog_apply applies: the entry is created if missing
 * (constant provider), its Eb, nu, source and provenance replaced, with a fit
 * its lattice-constant model and "uncertainty" block replaced too, extra
 * fields set verbatim, and the result parsed and validated as a catalog file
 * is. On any failure the catalog is left exactly as it was.
 *
 * Conventions
 *   Units as barriers/catalog.h: Eb in eV, nu in 1/s per path, a_ref in
 *   angstrom, dEb_da in eV/angstrom, dlnnu_da in 1/angstrom.
 * Ownership: the update and everything it points to are borrowed; extra
 * fields are copied into the catalog's document.
 */
#ifndef IONKMC_CATALOG_APPLY_H
#define IONKMC_CATALOG_APPLY_H

#include "barriers/catalog.h"

/* jansson's JSON value, opaque here (the header needs no jansson.h). */
typedef struct json_t json_t;

#define IONKMC_CATALOG_UPDATE_MAXFIELDS 8

typedef struct {
  ionkmc_defect_kind kind;
  double Eb, nu;                  /* eV (>= 0), 1/s per path (> 0); ignored with a fit */
  /* A fit (NULL: none): Eb = theta[Eb], nu = exp(theta[ln nu]), and the
   * entry's a_ref, dEb_da, dlnnu_da, uncertainty and table2 are replaced by
   * the fit's. Without one, an existing uncertainty block keeps its
   * covariance and its Eb and ln nu values follow the entry. */
  const ionkmc_catalog_fit *fit;
  const char *source;             /* paper_table2, neb, md_calibration or user */
  const char *provenance;         /* how the numbers were obtained */
  int nfields;                    /* extra entry fields, set in this order */
  const char *field_name[IONKMC_CATALOG_UPDATE_MAXFIELDS];
  const json_t *field[IONKMC_CATALOG_UPDATE_MAXFIELDS];
  const char *catalog_name;       /* the catalog's new "name", or NULL to keep it */
} ionkmc_catalog_update;

/* An update for entry k with Eb, nu, source and provenance (no fit, no extra fields). */
ionkmc_catalog_update ionkmc_catalog_update_init(ionkmc_defect_kind k, double Eb, double nu, const char *source,
                                                 const char *provenance);
/* Add an extra field to u (copied when applied). IONKMC_EINVAL when full. */
ionkmc_status ionkmc_catalog_update_field(ionkmc_catalog_update *u, const char *name, const json_t *value,
                                          ionkmc_error *err);
/* Apply u to cat. IONKMC_ERANGE on Eb < 0 or nu <= 0, IONKMC_EINVAL without
 * a source and provenance or when the result does not validate (the message
 * is the catalog parser's), IONKMC_ENOMEM; cat unchanged on failure. */
ionkmc_status ionkmc_catalog_apply(ionkmc_catalog *cat, const ionkmc_catalog_update *u, ionkmc_error *err);

/* For catalog_apply.c only (defined in catalog.c): the catalog's document,
 * borrowed, and a new document in its place, taken over and parsed; on
 * failure it is freed and the catalog keeps the old one. */
const json_t *ionkmc_catalog_doc(const ionkmc_catalog *cat);
ionkmc_status ionkmc_catalog_replace_doc(ionkmc_catalog *cat, json_t *doc, ionkmc_error *err);

#endif
