/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The one writer of catalog entries (barriers/catalog_apply.h), and the
 * catalog's setters on top of it. */
#include "barriers/catalog_apply.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

ionkmc_catalog_update ionkmc_catalog_update_init(ionkmc_defect_kind k, double Eb, double nu, const char *source,
                                                 const char *provenance) {
  ionkmc_catalog_update u;
  memset(&u, 0, sizeof u);
  u.kind = k;
  u.Eb = Eb;
  u.nu = nu;
  u.source = source;
  u.provenance = provenance;
  return u;
}

ionkmc_status ionkmc_catalog_update_field(ionkmc_catalog_update *u, const char *name, const json_t *value,
                                          ionkmc_error *err) {
  if (u->nfields == IONKMC_CATALOG_UPDATE_MAXFIELDS)
    return ionkmc_error_set(err, IONKMC_EINVAL, "catalog update: at most %d extra fields",
                            IONKMC_CATALOG_UPDATE_MAXFIELDS);
  u->field_name[u->nfields] = name;
  u->field[u->nfields++] = value;
  return IONKMC_OK;
}

static json_t *entry_of(json_t *doc, ionkmc_defect_kind k) {
  json_t *ents = json_object_get(doc, "entries"), *ent = NULL;
  for (size_t i = 0; i < json_array_size(ents); i++) {
    json_t *d = json_object_get(json_array_get(ents, i), "defect");
    if (json_is_string(d) && !strcmp(json_string_value(d), ionkmc_defect_name(k))) ent = json_array_get(ents, i);
  }
  return ent;
}

/* The uncertainty block of a fit. NULL on ENOMEM. */
static json_t *fit_uncertainty(const ionkmc_catalog_fit *fit) {
  json_t *u = json_object(), *names = json_array(), *vals = json_array(), *cov = json_array();
  if (!u || !names || !vals || !cov) {
    json_decref(u);
    json_decref(names);
    json_decref(vals);
    json_decref(cov);
    return NULL;
  }
  for (int i = 0; i < fit->nparams; i++) {
    json_array_append_new(names, json_string(ionkmc_param_name(fit->param[i])));
    json_array_append_new(vals, json_real(fit->theta[fit->param[i]]));
    json_t *row = json_array();
    for (int j = 0; j < fit->nparams; j++) json_array_append_new(row, json_real(fit->cov[i][j]));
    json_array_append_new(cov, row);
  }
  json_object_set_new(u, "parameters", names);
  json_object_set_new(u, "values", vals);
  json_object_set_new(u, "covariance", cov);
  json_object_set_new(u, "distribution", json_string("normal"));
  if (fit->note) json_object_set_new(u, "note", json_string(fit->note));
  return u;
}

/* The update on a copy of the document (doc is the copy's). */
static ionkmc_status edit(json_t *doc, const ionkmc_catalog_update *u, double Eb, double nu, ionkmc_error *err) {
  ionkmc_defect_kind k = u->kind;
  json_t *ents = json_object_get(doc, "entries");
  json_t *ent = entry_of(doc, k);
  if (!ent) {
    ent = json_object();
    if (!ent || json_array_append_new(ents, ent)) return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
    json_object_set_new(ent, "defect", json_string(ionkmc_defect_name(k)));
    json_object_set_new(ent, "mechanism", json_string(ionkmc_defect_mechanism(k)));
    json_object_set_new(ent, "provider", json_string("constant"));
  }
  json_object_set_new(ent, "Eb", json_real(Eb));
  json_object_set_new(ent, "nu", json_real(nu));
  /* An uncertainty block keeps its covariance; its values follow the entry. */
  json_t *unc = json_object_get(ent, "uncertainty");
  json_t *upar = json_object_get(unc, "parameters"), *uval = json_object_get(unc, "values");
  for (size_t i = 0; json_is_array(uval) && i < json_array_size(upar) && i < json_array_size(uval); i++) {
    const char *pn = json_string_value(json_array_get(upar, i));
    if (pn && !strcmp(pn, "Eb")) json_array_set_new(uval, i, json_real(Eb));
    if (pn && !strcmp(pn, "ln_nu")) json_array_set_new(uval, i, json_real(log(nu)));
  }
  json_object_set_new(ent, "source", json_string(u->source));
  json_object_set_new(ent, "provenance", json_string(u->provenance));
  const ionkmc_catalog_fit *fit = u->fit;
  if (fit) {
    const char *drop[] = {"a_ref", "dEb_da", "dlnnu_da", "uncertainty", "table2"};
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++) json_object_del(ent, drop[i]);
    if (fit->with_a) {
      json_object_set_new(ent, "a_ref", json_real(fit->a_ref));
      json_object_set_new(ent, "dEb_da", json_real(fit->theta[IONKMC_PARAM_DEB_DA]));
      json_object_set_new(ent, "dlnnu_da", json_real(fit->theta[IONKMC_PARAM_DLNNU_DA]));
    }
    if (fit->nparams > 0) {
      json_t *ub = fit_uncertainty(fit);
      if (!ub) return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
      json_object_set_new(ent, "uncertainty", ub);
    }
  }
  for (int i = 0; i < u->nfields; i++) {
    json_t *v = json_deep_copy(u->field[i]);
    if (!v || json_object_set_new(ent, u->field_name[i], v))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
  }
  if (u->catalog_name) json_object_set_new(doc, "name", json_string(u->catalog_name));
  return IONKMC_OK;
}

ionkmc_status ionkmc_catalog_apply(ionkmc_catalog *cat, const ionkmc_catalog_update *u, ionkmc_error *err) {
  double Eb = u->fit ? u->fit->theta[IONKMC_PARAM_EB] : u->Eb;
  double nu = u->fit ? exp(u->fit->theta[IONKMC_PARAM_LN_NU]) : u->nu;
  ionkmc_defect_kind k = u->kind;
  if ((unsigned)k >= IONKMC_NDEFECT)
    return ionkmc_error_set(err, IONKMC_EINVAL, "defect kind %d: expected 0..%d", (int)k, IONKMC_NDEFECT - 1);
  if (!(Eb >= 0) || !(nu > 0) || !isfinite(Eb) || !isfinite(nu))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: expected Eb >= 0 eV and nu > 0 1/s", ionkmc_defect_name(k));
  if (!u->source || !u->provenance)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: source must be one of paper_table2, neb, md_calibration, user, "
                            "with a provenance string", ionkmc_defect_name(k));
  json_t *doc = json_deep_copy(ionkmc_catalog_doc(cat));
  if (!doc) return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
  ionkmc_status st = edit(doc, u, Eb, nu, err);
  if (st) {
    json_decref(doc);
    return st;
  }
  return ionkmc_catalog_replace_doc(cat, doc, err);
}

ionkmc_status ionkmc_catalog_set(ionkmc_catalog *cat, ionkmc_defect_kind k, double Eb, double nu,
                                 const char *source, const char *provenance, ionkmc_error *err) {
  ionkmc_catalog_update u = ionkmc_catalog_update_init(k, Eb, nu, source, provenance);
  return ionkmc_catalog_apply(cat, &u, err);
}

ionkmc_status ionkmc_catalog_set_fit(ionkmc_catalog *cat, ionkmc_defect_kind k,
                                     const ionkmc_catalog_fit *fit, const char *source,
                                     const char *provenance, ionkmc_error *err) {
  ionkmc_catalog_update u = ionkmc_catalog_update_init(k, 0, 0, source, provenance);
  u.fit = fit;
  return ionkmc_catalog_apply(cat, &u, err);
}
