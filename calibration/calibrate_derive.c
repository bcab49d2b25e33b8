/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The nu derivation of `ionkmc catalog derive` (calibration/calibrate.h):
 * the attempt frequency that makes the KMC's own D_species reproduce the
 * paper's law D0 exp(-Ea/kT), nu = 6 D0 / (f npaths n_moved lambda^2). */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/calibrate.h"
#include "kmc/runner.h"

ionkmc_status ionkmc_catalog_derive(ionkmc_catalog *cat, const char *catpath, const ionkmc_derive_options *o,
                                    ionkmc_derive_row *rows, int *nrows, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  *nrows = 0;
  /* Table 2 data ride along in the catalog entries. */
  char *text = ionkmc_catalog_dumps(cat);
  json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
  free(text);
  if (!doc) return ionkmc_error_set(err, IONKMC_ENOMEM, "out of memory");
  ionkmc_lattice *lat = ionkmc_lattice_alloc(o->L, &st);
  if (!lat) {
    json_decref(doc);
    return ionkmc_error_set(err, st ? st : IONKMC_ENOMEM, "out of memory");
  }
  json_t *ents = json_object_get(doc, "entries");
  for (size_t i = 0; i < json_array_size(ents) && !st; i++) {
    json_t *ent = json_array_get(ents, i);
    json_t *t2 = json_object_get(ent, "table2");
    if (!t2) continue;
    ionkmc_defect_kind k;
    ionkmc_defect_parse(json_string_value(json_object_get(ent, "defect")), &k);
    double Ea = json_number_value(json_object_get(t2, "Ea"));
    double D0 = json_number_value(json_object_get(t2, "D0"));
    if (!(Ea >= 0) || !(D0 > 0)) {
      st = ionkmc_error_set(err, IONKMC_EINVAL, "%s: entries[%zu].table2: expected Ea >= 0 eV and D0 > 0 cm^2/s",
                            catpath ? catpath : "catalog", i);
      break;
    }
    ionkmc_run_config c;
    memset(&c, 0, sizeof c);
    c.spec.L = o->L;
    c.spec.cond.T = 550; /* f does not depend on T for one defect; rates only set the clock */
    c.spec.cond.a = o->a;
    c.spec.count[k] = 1;
    c.runs = o->runs;
    c.hops = o->hops;
    c.seed = (uint64_t)o->seed;
    c.stream_unit = ionkmc_run_stream_unit(&c.spec); /* each defect its own streams */
    ionkmc_run_summary s;
    if ((st = ionkmc_box_spec_rates(&c.spec, cat, err)) || (st = ionkmc_run_batch(&c, lat, &s, err))) break;
    int sp = ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? 0 : 1;
    double f = s.f[sp].mean;
    int npaths = ionkmc_defect_npaths(k);
    int nmoved = c.spec.pattern[k] == IONKMC_PATTERN_COLLINEAR ? 2 : 1;
    double lam2 = (sp == 0 ? 0.5 : 1.0) * o->a * o->a * 1e-16; /* cm^2 */
    double nu = 6 * D0 / (f * npaths * nmoved * lam2);
    char prov[512];
    snprintf(prov, sizeof prov,
             "Eb = Ea of Table 2; nu = 6 D0/(f npaths n_moved lambda^2) with D0 = %g cm2/s, "
             "npaths = %d, n_moved = %d, lambda = %s, a = %g A, f = %.4f +- %.4f (KMC, %dx%dx%d, "
             "%d runs x %lld hops, seed %lld)",
             D0, npaths, nmoved, sp == 0 ? "a/sqrt2" : "a", o->a, f, s.f[sp].sem, o->L, o->L, o->L, o->runs, o->hops,
             o->seed);
    ionkmc_catalog_update u = ionkmc_catalog_update_init(k, Ea, nu, "paper_table2", prov);
    if ((st = ionkmc_catalog_apply(cat, &u, err))) break;
    rows[*nrows] = (ionkmc_derive_row){k, f, s.f[sp].sem, nu};
    ++*nrows;
  }
  json_decref(doc);
  ionkmc_lattice_free(lat);
  return st;
}
