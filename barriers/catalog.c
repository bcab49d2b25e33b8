/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The rate catalog: JSON parsing, validation, rates and output. */
#include "barriers/catalog.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/provider.h"
#include "lattice/outfile.h"

struct ionkmc_catalog {
  json_t *doc; /* owned */
  ionkmc_catalog_entry e[IONKMC_NDEFECT];
  ionkmc_acell_model acell;
  const char *name;
};

extern const char ionkmc_default_catalog_json[];

static const char *const SOURCES[] = {"paper_table2", "neb", "md_calibration", "user"};

/* Read an optional number field. Returns 1 if present and valid, 0 if absent,
 * -1 (err set) if present but not a finite number. */
static int get_number(json_t *obj, const char *key, double *out, const char *name,
                      const char *where, ionkmc_error *err) {
  json_t *v = json_object_get(obj, key);
  if (!v) return 0;
  if (!json_is_number(v) || !isfinite(json_number_value(v))) {
    ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.%s: expected a number", name, where, key);
    return -1;
  }
  *out = json_number_value(v);
  return 1;
}

static const char *get_string(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *const PARAM_NAMES[IONKMC_NPARAM] = {"Eb", "ln_nu", "dEb_da", "dlnnu_da"};

const char *ionkmc_param_name(ionkmc_param p) {
  return p >= 0 && p < IONKMC_NPARAM ? PARAM_NAMES[p] : "?";
}

void ionkmc_catalog_entry_params(const ionkmc_catalog_entry *e, double theta[IONKMC_NPARAM]) {
  theta[IONKMC_PARAM_EB] = e->Eb;
  theta[IONKMC_PARAM_LN_NU] = log(e->nu);
  theta[IONKMC_PARAM_DEB_DA] = e->dEb_da;
  theta[IONKMC_PARAM_DLNNU_DA] = e->dlnnu_da;
}

/* Lower Cholesky factor of a covariance that may be singular (a zero
 * variance, e.g. a parameter held fixed): pivots below 1e-12 of the diagonal
 * scale are set to 0. Returns 1 if the matrix is not positive semi-definite. */
static int chol_psd(int n, const double C[IONKMC_NPARAM][IONKMC_NPARAM],
                    double Lc[IONKMC_NPARAM][IONKMC_NPARAM]) {
  memset(Lc, 0, sizeof(double) * IONKMC_NPARAM * IONKMC_NPARAM);
  for (int i = 0; i < n; i++)
    for (int j = 0; j <= i; j++) {
      double v = C[i][j];
      for (int k = 0; k < j; k++) v -= Lc[i][k] * Lc[j][k];
      if (i == j) {
        double tol = 1e-12 * (C[i][i] > 0 ? C[i][i] : 1);
        if (v < -tol) return 1;
        Lc[i][i] = v > tol ? sqrt(v) : 0;
      } else {
        Lc[i][j] = Lc[j][j] > 0 ? v / Lc[j][j] : 0;
        if (Lc[j][j] == 0 && fabs(v) > 1e-9 * sqrt(fabs(C[i][i] * C[j][j])) + 1e-300) return 1;
      }
    }
  return 0;
}

/* The optional "uncertainty" object of an entry (catalog.h). */
static ionkmc_status parse_uncertainty(json_t *ent, ionkmc_catalog_entry *e, const char *name,
                                       const char *where, ionkmc_error *err) {
  e->unc_n = 0;
  json_t *u = json_object_get(ent, "uncertainty");
  if (!u) return IONKMC_OK;
  json_t *pars = json_object_get(u, "parameters"), *cov = json_object_get(u, "covariance");
  json_t *vals = json_object_get(u, "values");
  size_t n = json_array_size(pars);
  if (!json_is_object(u) || !json_is_array(pars) || n < 1 || n > IONKMC_NPARAM)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: %s.uncertainty.parameters: expected 1 to 4 names among Eb, ln_nu, "
                            "dEb_da, dlnnu_da", name, where);
  const char *dist = get_string(u, "distribution");
  if (json_object_get(u, "distribution") && (!dist || strcmp(dist, "normal")))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.uncertainty.distribution: expected \"normal\"",
                            name, where);
  double theta[IONKMC_NPARAM];
  ionkmc_catalog_entry_params(e, theta);
  int seen = 0;
  for (size_t i = 0; i < n; i++) {
    const char *pn = json_string_value(json_array_get(pars, i));
    int p = -1;
    for (int q = 0; pn && q < IONKMC_NPARAM; q++)
      if (!strcmp(pn, PARAM_NAMES[q])) p = q;
    if (p < 0 || (seen >> p & 1))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.uncertainty.parameters[%zu]: expected one of Eb, ln_nu, dEb_da, "
                              "dlnnu_da, each at most once", name, where, i);
    if (p >= IONKMC_PARAM_DEB_DA && !(e->a_ref > 0))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.uncertainty.parameters[%zu]: %s needs the entry's a_ref", name, where,
                              i, pn);
    seen |= 1 << p;
    e->unc_param[i] = (ionkmc_param)p;
    if (vals) {
      json_t *v = json_array_get(vals, i);
      if (!json_is_array(vals) || json_array_size(vals) != n || !json_is_number(v) ||
          fabs(json_number_value(v) - theta[p]) > 1e-6 * (1 + fabs(theta[p])))
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s: %s.uncertainty.values[%zu]: expected the entry's %s (%.10g)", name,
                                where, i, pn, theta[p]);
    }
  }
  if (!json_is_array(cov) || json_array_size(cov) != n)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: %s.uncertainty.covariance: expected a %zu x %zu array of numbers", name,
                            where, n, n);
  for (size_t i = 0; i < n; i++) {
    json_t *row = json_array_get(cov, i);
    if (!json_is_array(row) || json_array_size(row) != n)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.uncertainty.covariance[%zu]: expected a row of %zu numbers", name,
                              where, i, n);
    for (size_t j = 0; j < n; j++) {
      json_t *v = json_array_get(row, j);
      if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s: %s.uncertainty.covariance[%zu][%zu]: expected a number", name, where,
                                i, j);
      e->unc_cov[i][j] = json_number_value(v);
    }
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++) {
      double a = e->unc_cov[i][j], b = e->unc_cov[j][i];
      if (fabs(a - b) > 1e-9 * (fabs(a) + fabs(b)) + 1e-300)
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s: %s.uncertainty.covariance: expected a symmetric matrix ([%zu][%zu] "
                                "!= [%zu][%zu])", name, where, i, j, j, i);
    }
  if (chol_psd((int)n, (const double (*)[IONKMC_NPARAM])e->unc_cov, e->unc_chol))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: %s.uncertainty.covariance: expected a positive semi-definite matrix",
                            name, where);
  e->unc_n = (int)n;
  return IONKMC_OK;
}

static ionkmc_status parse_entry(ionkmc_catalog *cat, json_t *ent, int i, ionkmc_error *err) {
  char where[32];
  snprintf(where, sizeof where, "entries[%d]", i);
  const char *name = cat->name;
  if (!json_is_object(ent))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s: expected an object", name, where);
  const char *dname = get_string(ent, "defect");
  ionkmc_defect_kind k;
  char names[IONKMC_DEFECT_NAMES_CAP];
  if (!dname || ionkmc_defect_parse(dname, &k) != IONKMC_OK)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.defect: expected one of %s", name, where,
                            ionkmc_defect_names(names, sizeof names));
  if (cat->e[k].present)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.defect: %s appears twice", name, where, dname);
  const char *mech = get_string(ent, "mechanism");
  if (!mech || strcmp(mech, ionkmc_defect_mechanism(k)) != 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.mechanism: expected \"%s\" for %s", name,
                            where, ionkmc_defect_mechanism(k), dname);
  const char *prov = get_string(ent, "provider");
  ionkmc_catalog_entry *e = &cat->e[k];
  e->kind = k;
  memset(e->interactions, 0, sizeof e->interactions);
  e->provider = 0;
  e->model = NULL;
  e->orientation = 0;
  e->disorder_sigma = 0;
  e->n_samples = 0;
  e->samples = NULL;
  if (json_object_get(ent, "provider")) {
    if (prov && !strcmp(prov, "constant")) e->provider = 0;
    else if (prov && !strcmp(prov, "sampled")) {
      /* constant in the engine's eyes: one rate per kind, the exact average
       * over the sampled barriers (annealed) */
      e->provider = 0;
      json_t *sm = json_object_get(ent, "samples_Eb");
      size_t n = json_is_array(sm) ? json_array_size(sm) : 0;
      if (n == 0)
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s: %s.samples_Eb: expected a non-empty array of barriers (eV) for the "
                                "sampled provider", name, where);
      for (size_t j = 0; j < n; j++) {
        json_t *v = json_array_get(sm, j);
        if (!json_is_number(v) || !(json_number_value(v) >= 0) || !isfinite(json_number_value(v)))
          return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.samples_Eb[%zu]: expected a barrier >= 0 eV", name,
                                  where, j);
      }
      e->n_samples = (int)n;
      e->samples = sm;
    }
    else if (prov && !strcmp(prov, "kra")) e->provider = 1;
    else if (prov && !strcmp(prov, "torch")) e->provider = 2;
    else
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.provider: expected \"constant\", \"sampled\", \"kra\" or \"torch\"", name,
                              where);
  }
  if (e->provider == 1) {
    json_t *in = json_object_get(ent, "interactions");
    if (!json_is_object(in))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.interactions: expected an object {\"V_I+\": eV, ...} for the kra "
                              "provider", name, where);
    const char *key;
    json_t *val;
    json_object_foreach(in, key, val) {
      ionkmc_defect_kind o;
      if (ionkmc_defect_parse(key, &o) != IONKMC_OK || !json_is_number(val) ||
          !(fabs(json_number_value(val)) <= IONKMC_CATALOG_EB_MAX))
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s: %s.interactions.%s: expected a defect name with an energy in eV",
                                name, where, key);
      e->interactions[o] = json_number_value(val);
    }
  }
  if (e->provider == 2) {
    e->model = get_string(ent, "model");
    if (!e->model || !*e->model)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.model: expected the path of a TorchScript model for the torch "
                              "provider", name, where);
    const char *om = get_string(ent, "orientation");
    if (json_object_get(ent, "orientation")) {
      if (om && !strcmp(om, "annealed")) e->orientation = 0;
      else if (om && !strcmp(om, "quenched")) e->orientation = 1;
      else
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s: %s.orientation: expected \"annealed\" or \"quenched\"", name,
                                where);
    }
  }
  if (get_number(ent, "disorder_sigma", &e->disorder_sigma, name, where, err) < 0) return IONKMC_EINVAL;
  if (!(e->disorder_sigma >= 0 && e->disorder_sigma <= IONKMC_CATALOG_SIGMA_MAX) ||
      (e->disorder_sigma > 0 && e->provider != 0))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: %s.disorder_sigma: expected a width in [0, %g] eV (constant provider "
                            "only)", name, where, IONKMC_CATALOG_SIGMA_MAX);
  int r = get_number(ent, "Eb", &e->Eb, name, where, err);
  if (r < 0) return IONKMC_EINVAL;
  if (r == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.Eb: missing, expected a barrier in eV",
                            name, where);
  if (!(e->Eb >= 0 && e->Eb <= IONKMC_CATALOG_EB_MAX))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.Eb: expected a barrier >= 0 eV and <= %g eV, got %g",
                            name, where, IONKMC_CATALOG_EB_MAX, e->Eb);
  r = get_number(ent, "nu", &e->nu, name, where, err);
  if (r < 0) return IONKMC_EINVAL;
  if (r == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.nu: missing, expected a prefactor in 1/s",
                            name, where);
  if (!(e->nu > 0))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.nu: expected a prefactor > 0 1/s, got %g",
                            name, where, e->nu);
  if (!(e->nu >= IONKMC_CATALOG_NU_MIN && e->nu <= IONKMC_CATALOG_NU_MAX))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: %s.nu: expected a prefactor > 0 1/s in [%g, %g], got %g", name, where,
                            IONKMC_CATALOG_NU_MIN, IONKMC_CATALOG_NU_MAX, e->nu);
  const char *src = get_string(ent, "source");
  int ok = 0;
  for (size_t s = 0; src && s < sizeof SOURCES / sizeof *SOURCES; s++) ok |= !strcmp(src, SOURCES[s]);
  if (!ok)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: %s.source: expected one of paper_table2, neb, md_calibration, user",
                            name, where);
  e->source = src;
  e->provenance = get_string(ent, "provenance");
  if (!e->provenance)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.provenance: expected a string", name, where);
  e->pattern = IONKMC_PATTERN_SINGLE;
  const char *pat = get_string(ent, "pattern");
  if (json_object_get(ent, "pattern")) {
    if (!ionkmc_defect_takes_pattern(k, IONKMC_PATTERN_COLLINEAR))
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: %s.pattern: only MA interstitials (%s) take a pattern", name, where,
                              ionkmc_defect_pattern_names(names, sizeof names));
    if (ionkmc_pattern_parse(pat, &e->pattern) != IONKMC_OK)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.pattern: expected \"single\" or \"collinear\"",
                              name, where);
  }
  e->dEb_da = 0;
  e->dlnnu_da = 0;
  e->a_ref = 0;
  int ra = get_number(ent, "a_ref", &e->a_ref, name, where, err);
  int rd = get_number(ent, "dEb_da", &e->dEb_da, name, where, err);
  int rn = get_number(ent, "dlnnu_da", &e->dlnnu_da, name, where, err);
  if (ra < 0 || rd < 0 || rn < 0) return IONKMC_EINVAL;
  if (ra != (rd == 1 || rn == 1))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: %s: a_ref must be given together with dEb_da and/or dlnnu_da",
                            name, where);
  if (ra == 1 && !(e->a_ref > 0 && e->a_ref <= 100))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.a_ref: expected a lattice constant in (0, 100] A",
                            name, where);
  if (rd == 1 && !(fabs(e->dEb_da) <= 100))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.dEb_da: expected |dEb_da| <= 100 eV/A",
                            name, where);
  ionkmc_status ust = parse_uncertainty(ent, e, name, where, err);
  if (ust) return ust;
  e->present = 1;
  return IONKMC_OK;
}

static ionkmc_status parse_doc(ionkmc_catalog *cat, ionkmc_error *err) {
  json_t *doc = cat->doc;
  const char *name = cat->name;
  if (!json_is_object(doc))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: expected a JSON object at top level", name);
  const char *schema = get_string(doc, "schema");
  if (!schema || strcmp(schema, "ionkmc-catalog/1") != 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: schema: expected \"ionkmc-catalog/1\"", name);
  cat->acell = ionkmc_acell_default();
  json_t *lat = json_object_get(doc, "lattice");
  if (lat) {
    if (!json_is_object(lat))
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: lattice: expected an object", name);
    if (get_number(lat, "a0", &cat->acell.a0, name, "lattice", err) < 0 ||
        get_number(lat, "T0", &cat->acell.T0, name, "lattice", err) < 0 ||
        get_number(lat, "dadT", &cat->acell.dadT, name, "lattice", err) < 0)
      return IONKMC_EINVAL;
    if (!(cat->acell.a0 > 0 && cat->acell.a0 <= 100))
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: lattice.a0: expected a lattice constant > 0 A "
                              "and <= 100 A", name);
    if (!(fabs(cat->acell.dadT) <= 0.1) || !(fabs(cat->acell.T0) <= 1e4))
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: lattice: expected |dadT| <= 0.1 A/K and "
                              "|T0| <= 1e4 K", name);
  }
  json_t *ents = json_object_get(doc, "entries");
  if (!json_is_array(ents) || json_array_size(ents) == 0)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: entries: expected a non-empty array", name);
  for (size_t i = 0; i < json_array_size(ents); i++) {
    ionkmc_status st = parse_entry(cat, json_array_get(ents, i), (int)i, err);
    if (st) return st;
  }
  const char *cname = get_string(doc, "name");
  cat->name = cname ? cname : name;
  return IONKMC_OK;
}

/* jansson says "string expected" when a string's allocation fails: its
 * allocations go through here, so a failed one is known to be one. */
static _Thread_local int json_nomem;
static void *json_alloc(size_t n) {
  void *p = malloc(n);
  if (!p) json_nomem = 1;
  return p;
}

ionkmc_catalog *ionkmc_catalog_alloc_string(const char *text, const char *name,
                                            ionkmc_error *err, ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  ionkmc_catalog *cat = calloc(1, sizeof *cat);
  if (!cat) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", name);
    goto out;
  }
  json_error_t jerr;
  /* A key given twice is an error, not "the last one wins". */
  json_set_alloc_funcs(json_alloc, free); /* the same pair every time: no race that matters */
  json_nomem = 0;
  cat->doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
  /* jansson reports no text when an allocation fails before parsing starts */
  /* A failed allocation may also leave a document with a member missing. */
  if (json_nomem || (!cat->doc && (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0]))) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", name);
    goto out;
  }
  if (!cat->doc) {
    st = ionkmc_error_set(err, IONKMC_EPARSE, "%s: line %d, column %d: %s", name, jerr.line,
                          jerr.column, jerr.text);
    goto out;
  }
  cat->name = name;
  st = parse_doc(cat, err);
out:
  if (st != IONKMC_OK) {
    ionkmc_catalog_free(cat);
    cat = NULL;
  }
  if (status) *status = st;
  return cat;
}

ionkmc_catalog *ionkmc_catalog_alloc_file(const char *path, ionkmc_error *err,
                                          ionkmc_status *status) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    ionkmc_status st = errno == ENOMEM ? IONKMC_ENOMEM : IONKMC_EIO;
    ionkmc_error_set(err, st, "%s: cannot open catalog file (%s)", path, strerror(errno));
    if (status) *status = st;
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, fp);
    if (n < cap - 1) break;
    char *nb = realloc(buf, cap *= 2);
    if (!nb) free(buf);
    buf = nb;
  }
  int rerr = ferror(fp);
  fclose(fp);
  if (!buf || rerr) {
    free(buf);
    ionkmc_error_set(err, rerr ? IONKMC_EIO : IONKMC_ENOMEM, "%s: cannot read catalog file", path);
    if (status) *status = rerr ? IONKMC_EIO : IONKMC_ENOMEM;
    return NULL;
  }
  buf[n] = 0;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(buf, path, err, status);
  free(buf);
  return cat;
}

ionkmc_catalog *ionkmc_catalog_alloc_default(ionkmc_error *err) {
  return ionkmc_catalog_alloc_string(ionkmc_default_catalog_json, "embedded default catalog", err,
                                     NULL);
}

void ionkmc_catalog_free(ionkmc_catalog *cat) {
  if (!cat) return;
  json_decref(cat->doc);
  free(cat);
}

const ionkmc_catalog_entry *ionkmc_catalog_get(const ionkmc_catalog *cat, ionkmc_defect_kind k) {
  return &cat->e[k];
}

ionkmc_acell_model ionkmc_catalog_acell(const ionkmc_catalog *cat) { return cat->acell; }
const char *ionkmc_catalog_name(const ionkmc_catalog *cat) { return cat->name; }

ionkmc_status ionkmc_catalog_set(ionkmc_catalog *cat, ionkmc_defect_kind k, double Eb, double nu,
                                 const char *source, const char *provenance, ionkmc_error *err) {
  if (!(Eb >= 0) || !(nu > 0) || !isfinite(Eb) || !isfinite(nu))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: expected Eb >= 0 eV and nu > 0 1/s",
                            ionkmc_defect_name(k));
  int known = 0;
  for (size_t s = 0; source && s < sizeof SOURCES / sizeof *SOURCES; s++) known |= !strcmp(source, SOURCES[s]);
  if (!known || !provenance)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: source must be one of paper_table2, neb, md_calibration, user, "
                            "with a provenance string", ionkmc_defect_name(k));
  json_t *ents = json_object_get(cat->doc, "entries");
  json_t *ent = NULL;
  for (size_t i = 0; i < json_array_size(ents); i++) {
    const char *d = get_string(json_array_get(ents, i), "defect");
    if (d && !strcmp(d, ionkmc_defect_name(k))) ent = json_array_get(ents, i);
  }
  if (!ent) {
    ent = json_object();
    if (!ent || json_array_append_new(ents, ent))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
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
  json_object_set_new(ent, "source", json_string(source));
  json_object_set_new(ent, "provenance", json_string(provenance));
  /* Re-derive the parsed view (pointers into the document changed). */
  memset(cat->e, 0, sizeof cat->e);
  return parse_doc(cat, err);
}

ionkmc_status ionkmc_catalog_set_fit(ionkmc_catalog *cat, ionkmc_defect_kind k,
                                     const ionkmc_catalog_fit *fit, const char *source,
                                     const char *provenance, ionkmc_error *err) {
  const double *th = fit->theta;
  ionkmc_status st = ionkmc_catalog_set(cat, k, th[IONKMC_PARAM_EB], exp(th[IONKMC_PARAM_LN_NU]), source,
                                        provenance, err);
  if (st) return st;
  json_t *ents = json_object_get(cat->doc, "entries"), *ent = NULL;
  for (size_t i = 0; i < json_array_size(ents); i++) {
    const char *d = get_string(json_array_get(ents, i), "defect");
    if (d && !strcmp(d, ionkmc_defect_name(k))) ent = json_array_get(ents, i);
  }
  if (!ent) return ionkmc_error_set(err, IONKMC_EINTERNAL, "catalog entry of %s vanished", ionkmc_defect_name(k));
  const char *drop[] = {"a_ref", "dEb_da", "dlnnu_da", "uncertainty", "table2"};
  for (size_t i = 0; i < sizeof drop / sizeof *drop; i++) json_object_del(ent, drop[i]);
  if (fit->with_a) {
    json_object_set_new(ent, "a_ref", json_real(fit->a_ref));
    json_object_set_new(ent, "dEb_da", json_real(th[IONKMC_PARAM_DEB_DA]));
    json_object_set_new(ent, "dlnnu_da", json_real(th[IONKMC_PARAM_DLNNU_DA]));
  }
  if (fit->nparams > 0) {
    json_t *u = json_object(), *names = json_array(), *vals = json_array(), *cov = json_array();
    for (int i = 0; i < fit->nparams; i++) {
      json_array_append_new(names, json_string(PARAM_NAMES[fit->param[i]]));
      json_array_append_new(vals, json_real(th[fit->param[i]]));
      json_t *row = json_array();
      for (int j = 0; j < fit->nparams; j++) json_array_append_new(row, json_real(fit->cov[i][j]));
      json_array_append_new(cov, row);
    }
    json_object_set_new(u, "parameters", names);
    json_object_set_new(u, "values", vals);
    json_object_set_new(u, "covariance", cov);
    json_object_set_new(u, "distribution", json_string("normal"));
    if (fit->note) json_object_set_new(u, "note", json_string(fit->note));
    json_object_set_new(ent, "uncertainty", u);
  }
  memset(cat->e, 0, sizeof cat->e);
  return parse_doc(cat, err);
}

ionkmc_status ionkmc_catalog_entry_rate(const ionkmc_catalog_entry *e, const double *theta, double T,
                                        double a, double shift, double *rate, ionkmc_error *err) {
  if (!(T > 0) || !isfinite(T))
    return ionkmc_error_set(err, IONKMC_ERANGE, "T: expected a temperature > 0 K, got %g", T);
  double own[IONKMC_NPARAM];
  if (!theta) {
    ionkmc_catalog_entry_params(e, own);
    theta = own;
  }
  double Eb = theta[IONKMC_PARAM_EB] + shift, lnnu = theta[IONKMC_PARAM_LN_NU];
  /* without an a-model a_ref is 0 and the terms vanish exactly */
  if (theta[IONKMC_PARAM_DEB_DA] != 0) Eb += theta[IONKMC_PARAM_DEB_DA] * (a - e->a_ref);
  if (theta[IONKMC_PARAM_DLNNU_DA] != 0) lnnu += theta[IONKMC_PARAM_DLNNU_DA] * (a - e->a_ref);
  if (Eb < 0)
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: shifted barrier %g eV is negative",
                            ionkmc_defect_name(e->kind), Eb);
  /* exp(ln nu) would round nu; use nu itself when it is the entry's own */
  double nu = theta == own && theta[IONKMC_PARAM_DLNNU_DA] == 0 ? e->nu : exp(lnnu);
  double r;
  if (e->n_samples > 0) {
    /* sampled: nu < exp(-(Eb_j + the same strain and shift terms) / kT) >_j */
    double sum = 0;
    for (int j = 0; j < e->n_samples; j++) {
      double Ej = json_number_value(json_array_get((const json_t *)e->samples, (size_t)j)) + (Eb - e->Eb);
      sum += exp(-fmax(Ej, 0) / (IONKMC_KB_EV * T));
    }
    r = nu * sum / e->n_samples;
  } else {
    r = nu * exp(-Eb / (IONKMC_KB_EV * T));
  }
  if (e->disorder_sigma > 0) r *= ionkmc_gauss_disorder_factor(e->disorder_sigma, IONKMC_KB_EV * T, 40);
  /* Outside this range the clock or the statistics over- or underflow. */
  if (!(r >= IONKMC_CATALOG_RATE_MIN && r <= IONKMC_CATALOG_RATE_MAX))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: rate per path %.3g 1/s at T = %g K (barrier %g eV, nu %g 1/s) is "
                            "outside [%g, %g] 1/s; choose a T or barrier shift within it",
                            ionkmc_defect_name(e->kind), r, T, Eb, nu, IONKMC_CATALOG_RATE_MIN,
                            IONKMC_CATALOG_RATE_MAX);
  *rate = r;
  return IONKMC_OK;
}

ionkmc_status ionkmc_catalog_rate(const ionkmc_catalog *cat, ionkmc_defect_kind k, double T,
                                  double a, double shift, double *rate, ionkmc_error *err) {
  if ((unsigned)k >= IONKMC_NDEFECT)
    return ionkmc_error_set(err, IONKMC_EINVAL, "defect kind %d: expected 0..%d", (int)k,
                            IONKMC_NDEFECT - 1);
  const ionkmc_catalog_entry *e = &cat->e[k];
  if (!e->present)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: catalog has no entry for %s", cat->name,
                            ionkmc_defect_name(k));
  return ionkmc_catalog_entry_rate(e, NULL, T, a, shift, rate, err);
}

ionkmc_status ionkmc_catalog_set_params(ionkmc_catalog *cat, ionkmc_defect_kind k,
                                        const double theta[IONKMC_NPARAM], ionkmc_error *err) {
  ionkmc_catalog_entry *e = &cat->e[k];
  if (!e->present)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: catalog has no entry for %s", cat->name,
                            ionkmc_defect_name(k));
  if (!(theta[IONKMC_PARAM_EB] >= 0) || !isfinite(theta[IONKMC_PARAM_LN_NU]))
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: expected Eb >= 0 eV and a finite ln nu",
                            ionkmc_defect_name(k));
  e->Eb = theta[IONKMC_PARAM_EB];
  e->nu = exp(theta[IONKMC_PARAM_LN_NU]);
  e->dEb_da = theta[IONKMC_PARAM_DEB_DA];
  e->dlnnu_da = theta[IONKMC_PARAM_DLNNU_DA];
  return IONKMC_OK;
}

ionkmc_catalog *ionkmc_catalog_clone(const ionkmc_catalog *cat, ionkmc_error *err) {
  char *text = ionkmc_catalog_dumps(cat);
  if (!text) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
    return NULL;
  }
  ionkmc_catalog *c = ionkmc_catalog_alloc_string(text, cat->name, err, NULL);
  free(text);
  if (c) {
    /* keep the parsed view as it is (set_params may have changed it) */
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      if (cat->e[k].present) {
        c->e[k].Eb = cat->e[k].Eb;
        c->e[k].nu = cat->e[k].nu;
        c->e[k].dEb_da = cat->e[k].dEb_da;
        c->e[k].dlnnu_da = cat->e[k].dlnnu_da;
      }
  }
  return c;
}

char *ionkmc_catalog_dumps(const ionkmc_catalog *cat) {
  return json_dumps(cat->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
}

ionkmc_status ionkmc_catalog_save(const ionkmc_catalog *cat, const char *path, ionkmc_error *err) {
  char *text = ionkmc_catalog_dumps(cat);
  if (!text) return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
  ionkmc_outfile *of = ionkmc_outfile_open(path, err);
  if (!of) {
    free(text);
    return IONKMC_EIO;
  }
  fputs(text, ionkmc_outfile_stream(of));
  fputc('\n', ionkmc_outfile_stream(of));
  free(text);
  return ionkmc_outfile_commit(of, err);
}
