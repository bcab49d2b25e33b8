/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The rate catalog: JSON parsing, validation, rates and output. */
#include "barriers/catalog.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/provider_registry.h"
#include "base/outfile.h"

struct ionkmc_catalog {
  json_t *doc; /* owned */
  ionkmc_catalog_entry e[IONKMC_NDEFECT];
  ionkmc_acell_model acell;
  const char *name;
  ionkmc_frenkel_entry frenkel;
};

extern const char ionkmc_default_catalog_json[];

static const char *const SOURCES[] = {"paper_table2", "neb", "md_calibration", "user"};

int ionkmc_catalog_source_ok(const char *src) {
  for (size_t s = 0; src && s < sizeof SOURCES / sizeof *SOURCES; s++)
    if (!strcmp(src, SOURCES[s])) return 1;
  return 0;
}

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
/* The entry's "pattern" (default single) and, for a pattern with rates of
 * its own, its "pattern_rates": {"<rate name>": {"nu": 1/s, "Eb": eV}, ...},
 * every rate of the pattern's row (its optional ones may be absent: 0) and
 * no other. */
static ionkmc_status parse_pattern(json_t *ent, ionkmc_catalog_entry *e, const char *name, const char *where,
                                   ionkmc_error *err) {
  char names[64];
  ionkmc_defect_kind k = e->kind;
  e->pattern = IONKMC_PATTERN_SINGLE;
  memset(e->pattern_rate, 0, sizeof e->pattern_rate);
  json_t *pv = json_object_get(ent, "pattern");
  json_t *rv = json_object_get(ent, "pattern_rates");
  if (pv) {
    const char *pat = json_string_value(pv);
    if (ionkmc_pattern_parse(pat, &e->pattern) != IONKMC_OK || !ionkmc_defect_takes_pattern(k, e->pattern))
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.pattern: %s takes %s; got %s%s%s", name, where,
                              ionkmc_defect_name(k), ionkmc_defect_pattern_list(k, names, sizeof names),
                              pat ? "\"" : "", pat ? pat : "a non-string", pat ? "\"" : "");
  }
  const ionkmc_pattern_info *pi = ionkmc_pattern_info_get(e->pattern);
  if (pi->nrates == 0) {
    if (rv)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.pattern_rates: pattern \"%s\" has no rates of its own",
                              name, where, pi->name);
    return IONKMC_OK;
  }
  if (!json_is_object(rv)) {
    /* "a", "a and b", "a, b and c (optional)" */
    char list[160] = "";
    int nreq = pi->nrates - pi->noptional;
    for (int r = 0; r < pi->nrates; r++) {
      size_t len = strlen(list);
      snprintf(list + len, sizeof list - len, "%s%s%s", r == 0 ? "" : r == pi->nrates - 1 ? " and " : ", ",
               pi->rate_name[r], r >= nreq ? " (optional, 0 if absent)" : "");
    }
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: %s.pattern_rates: pattern \"%s\" needs an object with %s, each {\"nu\": 1/s, \"Eb\": eV}",
                            name, where, pi->name, list);
  }
  const char *key;
  json_t *val;
  json_object_foreach(rv, key, val) {
    int j = -1;
    for (int r = 0; r < pi->nrates; r++)
      if (!strcmp(key, pi->rate_name[r])) j = r;
    if (j < 0)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.pattern_rates.%s: not a rate of pattern \"%s\"", name,
                              where, key, pi->name);
  }
  for (int r = 0; r < pi->nrates; r++) {
    char w[300];
    snprintf(w, sizeof w, "%s.pattern_rates.%s", where, pi->rate_name[r]);
    json_t *o = json_object_get(rv, pi->rate_name[r]);
    if (!o && r >= pi->nrates - pi->noptional) continue; /* an optional rate: 0 */
    if (!json_is_object(o))
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s: missing, expected {\"nu\": 1/s, \"Eb\": eV}", name, w);
    ionkmc_pattern_rate *pr = &e->pattern_rate[r];
    int rn = get_number(o, "nu", &pr->nu, name, w, err);
    int rb = get_number(o, "Eb", &pr->Eb, name, w, err);
    if (rn < 0 || rb < 0) return IONKMC_EINVAL;
    if (rn == 0 || !(pr->nu >= 0 && pr->nu <= IONKMC_CATALOG_NU_MAX))
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.nu: expected a prefactor in [0, %g] 1/s", name, w,
                              IONKMC_CATALOG_NU_MAX);
    if (rb == 0 || !(pr->Eb >= 0 && pr->Eb <= IONKMC_CATALOG_EB_MAX))
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: %s.Eb: expected a barrier in [0, %g] eV", name, w,
                              IONKMC_CATALOG_EB_MAX);
  }
  return IONKMC_OK;
}

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
  ionkmc_catalog_entry *e = &cat->e[k];
  e->kind = k;
  e->provider = &ionkmc_provider_constant;
  e->params = NULL;
  json_t *pv = json_object_get(ent, "provider");
  if (pv) {
    ionkmc_error lerr;
    e->provider = ionkmc_provider_lookup(json_string_value(pv), &lerr);
    if (!e->provider)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s: %s.provider: %s", name, where, lerr.text);
  }
  {
    char pre[600];
    snprintf(pre, sizeof pre, "%s: %s", name, where);
    ionkmc_status pst = e->provider->parse ? e->provider->parse(ent, pre, &e->params, err) : IONKMC_OK;
    if (pst) return pst;
  }
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
  ionkmc_status pst = parse_pattern(ent, e, name, where, err);
  if (pst) return pst;
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

/* Free the providers' parameters and forget the parsed entries. */
static void clear_entries(ionkmc_catalog *cat) {
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ionkmc_catalog_entry *e = &cat->e[k];
    if (e->params && e->provider && e->provider->free_params) e->provider->free_params(e->params);
  }
  memset(cat->e, 0, sizeof cat->e);
}

/* (Re)derive the parsed view from the document; the previous view and its
 * providers' parameters are freed first. */
static ionkmc_status parse_doc(ionkmc_catalog *cat, ionkmc_error *err) {
  clear_entries(cat);
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
  ionkmc_status fst = ionkmc_catalog_frenkel_parse(doc, name, cat->e[IONKMC_V_I].present,
                                                   cat->e[IONKMC_I_I].present, ionkmc_catalog_source_ok,
                                                   &cat->frenkel, err);
  if (fst) return fst;
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
  clear_entries(cat);
  json_decref(cat->doc);
  free(cat);
}

const ionkmc_catalog_entry *ionkmc_catalog_get(const ionkmc_catalog *cat, ionkmc_defect_kind k) {
  return &cat->e[k];
}

ionkmc_acell_model ionkmc_catalog_acell(const ionkmc_catalog *cat) { return cat->acell; }
const char *ionkmc_catalog_name(const ionkmc_catalog *cat) { return cat->name; }
const ionkmc_frenkel_entry *ionkmc_catalog_frenkel(const ionkmc_catalog *cat) { return &cat->frenkel; }

ionkmc_status ionkmc_catalog_entry_args(const ionkmc_catalog_entry *e, const double *theta,
                                        const ionkmc_conditions *cond, ionkmc_provider_args *args,
                                        ionkmc_error *err) {
  ionkmc_status st = ionkmc_conditions_check(cond, err);
  if (st) return st;
  double own[IONKMC_NPARAM];
  if (!theta) {
    ionkmc_catalog_entry_params(e, own);
    theta = own;
  }
  double a = cond->a;
  double Eb = theta[IONKMC_PARAM_EB] + cond->shift, lnnu = theta[IONKMC_PARAM_LN_NU];
  /* without an a-model a_ref is 0 and the terms vanish exactly */
  if (theta[IONKMC_PARAM_DEB_DA] != 0) Eb += theta[IONKMC_PARAM_DEB_DA] * (a - e->a_ref);
  if (theta[IONKMC_PARAM_DLNNU_DA] != 0) lnnu += theta[IONKMC_PARAM_DLNNU_DA] * (a - e->a_ref);
  if (Eb < 0)
    return ionkmc_error_set(err, IONKMC_ERANGE, "%s: shifted barrier %g eV is negative",
                            ionkmc_defect_name(e->kind), Eb);
  args->entry = e;
  args->cond = *cond;
  args->kT = ionkmc_conditions_kT(cond);
  args->Eb = Eb;
  /* exp(ln nu) would round nu; use nu itself when it is the entry's own */
  args->nu = theta == own && theta[IONKMC_PARAM_DLNNU_DA] == 0 ? e->nu : exp(lnnu);
  return IONKMC_OK;
}

ionkmc_status ionkmc_catalog_entry_rate_at(const ionkmc_catalog_entry *e, const double *theta,
                                           const ionkmc_conditions *cond, double *rate,
                                           ionkmc_error *err) {
  ionkmc_provider_args args;
  ionkmc_status st = ionkmc_catalog_entry_args(e, theta, cond, &args, err);
  if (st) return st;
  const ionkmc_provider_type *t = e->provider ? e->provider : &ionkmc_provider_constant;
  ionkmc_barrier b = {.n = 1, .Eb = &args.Eb, .nu0 = args.nu};
  void *state = NULL;
  if (t->env_shells == 0) {
    if (t->open && (st = t->open(&args, &state, err))) return st;
    st = t->barrier(state, &args, NULL, &b, err);
  }
  double r = st ? 0 : ionkmc_rate_arrhenius(&b, args.kT);
  if (t->env_shells == 0 && t->close) t->close(state);
  if (st) return st;
  /* Outside this range the clock or the statistics over- or underflow. */
  if (!(r >= IONKMC_CATALOG_RATE_MIN && r <= IONKMC_CATALOG_RATE_MAX))
    return ionkmc_error_set(err, IONKMC_ERANGE,
                            "%s: rate per path %.3g 1/s at T = %g K (barrier %g eV, nu %g 1/s) is "
                            "outside [%g, %g] 1/s; choose a T or barrier shift within it",
                            ionkmc_defect_name(e->kind), r, cond->T, args.Eb, args.nu,
                            IONKMC_CATALOG_RATE_MIN, IONKMC_CATALOG_RATE_MAX);
  *rate = r;
  return IONKMC_OK;
}

ionkmc_status ionkmc_catalog_entry_rate(const ionkmc_catalog_entry *e, const double *theta, double T,
                                        double a, double shift, double *rate, ionkmc_error *err) {
  ionkmc_conditions c = {.T = T, .a = a, .shift = shift};
  return ionkmc_catalog_entry_rate_at(e, theta, &c, rate, err);
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

/* For barriers/catalog_apply.c, the only writer of entries
 * (catalog_apply.h): the document, and a new one in its place. */
const json_t *ionkmc_catalog_doc(const ionkmc_catalog *cat) { return cat->doc; }

ionkmc_status ionkmc_catalog_replace_doc(ionkmc_catalog *cat, json_t *doc, ionkmc_error *err) {
  /* Parsed as a catalog of its own first; on success the two swap, so that
   * freeing the spare one releases whichever document and entries lost. */
  ionkmc_catalog *tmp = calloc(1, sizeof *tmp);
  if (!tmp) {
    json_decref(doc);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
  }
  tmp->doc = doc;
  tmp->name = cat->name;
  ionkmc_status st = parse_doc(tmp, err);
  if (st == IONKMC_OK) {
    ionkmc_catalog spare = *cat;
    *cat = *tmp;
    *tmp = spare;
  }
  ionkmc_catalog_free(tmp);
  return st;
}
