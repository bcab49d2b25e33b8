/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog's `frenkel` entry: parsing and validation. See
 * barriers/catalog_frenkel.h for the physics and the schema. */
#include "barriers/catalog_frenkel.h"
#include "base/units.h"

#include <jansson.h>
#include <math.h>
#include <string.h>


static const char *const KEYS[] = {"pair", "E_f", "S_f", "max_pairs", "source", "provenance"};

/* A finite number at key, or -1 with err naming the field. */
static int number_at(json_t *o, const char *key, double *v, const char *name, ionkmc_error *err) {
  json_t *x = json_object_get(o, key);
  if (!x) return 0;
  if (!json_is_number(x) || !isfinite(json_number_value(x))) {
    ionkmc_error_set(err, IONKMC_EINVAL, "%s: frenkel.%s: expected a number", name, key);
    return -1;
  }
  *v = json_number_value(x);
  return 1;
}

ionkmc_status ionkmc_catalog_frenkel_parse(json_t *doc, const char *name, int has_vi, int has_ii,
                                           int (*source_ok)(const char *), ionkmc_frenkel_entry *out,
                                           ionkmc_error *err) {
  memset(out, 0, sizeof *out);
  json_t *f = json_object_get(doc, "frenkel");
  if (!f) return IONKMC_OK;
  if (!json_is_object(f))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frenkel: expected an object {\"E_f\": eV, \"source\": ..., "
                            "\"provenance\": ...}", name);
  const char *key;
  json_t *val;
  json_object_foreach(f, key, val) {
    int known = 0;
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++) known |= !strcmp(key, KEYS[i]);
    if (!known)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: frenkel.%s: unknown field (expected pair, E_f, S_f, max_pairs, "
                              "source, provenance)", name, key);
  }
  json_t *pair = json_object_get(f, "pair");
  if (pair && (!json_is_string(pair) || strcmp(json_string_value(pair), "V_I+/I_I-")))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frenkel.pair: expected \"V_I+/I_I-\" (the iodide Frenkel pair, the "
                            "only one supported)", name);
  int r = number_at(f, "E_f", &out->E_f, name, err);
  if (r < 0) return IONKMC_EINVAL;
  if (r == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frenkel.E_f: missing, expected the pair's formation energy in eV", name);
  if (!(out->E_f >= 0 && out->E_f <= IONKMC_FRENKEL_EF_MAX))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: frenkel.E_f: expected a formation energy in [0, %g] eV, got %g", name,
                            IONKMC_FRENKEL_EF_MAX, out->E_f);
  if ((r = number_at(f, "S_f", &out->S_f, name, err)) < 0) return IONKMC_EINVAL;
  if (!(fabs(out->S_f) <= IONKMC_FRENKEL_SF_MAX))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: frenkel.S_f: expected a formation entropy in [-%g, %g] kB, got %g",
                            name, IONKMC_FRENKEL_SF_MAX, IONKMC_FRENKEL_SF_MAX, out->S_f);
  json_t *mp = json_object_get(f, "max_pairs");
  if (mp) {
    if (!json_is_integer(mp) || json_integer_value(mp) < 1 ||
        json_integer_value(mp) > IONKMC_FRENKEL_MAX_PAIRS)
      return ionkmc_error_set(err, IONKMC_ERANGE,
                              "%s: frenkel.max_pairs: expected an integer in [1, %d] (created pairs "
                              "alive at once)", name, IONKMC_FRENKEL_MAX_PAIRS);
    out->max_pairs = (int)json_integer_value(mp);
  }
  json_t *src = json_object_get(f, "source");
  if (!json_is_string(src) || !source_ok(json_string_value(src)))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frenkel.source: expected one of paper_table2, neb, md_calibration, "
                            "user", name);
  out->source = json_string_value(src);
  json_t *prov = json_object_get(f, "provenance");
  if (!json_is_string(prov))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: frenkel.provenance: expected a string", name);
  out->provenance = json_string_value(prov);
  if (!has_vi || !has_ii)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: frenkel: needs entries for V_I+ and I_I- (their hops move the pair, "
                            "and the I_I- hop onto the vacancy undoes it)", name);
  out->present = 1;
  return IONKMC_OK;
}

double ionkmc_frenkel_weight(const ionkmc_frenkel_entry *f, double T) {
  if (!f || !f->present) return 0;
  return exp(f->S_f - f->E_f / (IONKMC_KB_EV * T));
}
