/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's environment rows (kmc/engine_env.c) change nothing: a kra
 * box run with them and one run with them switched off give the same
 * clock, displacements and rate-cache statistics bit for bit, while the
 * rows are really used (a small table is forgotten and refilled). The same
 * for its two-hop defect counts (near2), which are also checked exact
 * through every kind of event (hops on X and A, interstitials pairing and
 * annihilating), in a box so small that a site's two-hop entries repeat
 * sites too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ionkmc.h"
#include "kmc/engine_impl.h"

static ionkmc_catalog *kra_catalog(void) {
  const char *text =
      "{\"schema\": \"ionkmc-catalog/1\", \"entries\": [{\"defect\": \"V_I+\", \"mechanism\": "
      "\"kick_out\", \"provider\": \"kra\", \"Eb\": 0.2, \"nu\": 1e12, \"interactions\": "
      "{\"V_I+\": -0.05, \"I_I-\": 0.03}, \"source\": \"user\", \"provenance\": \"t\"}, "
      "{\"defect\": \"I_I-\", \"mechanism\": \"double_bridge\", \"provider\": \"kra\", \"Eb\": 0.25, "
      "\"nu\": 1e12, \"interactions\": {\"V_I+\": 0.04}, \"source\": \"user\", \"provenance\": \"t\"}, "
      "{\"defect\": \"V_MA-\", \"mechanism\": \"ma_vacancy_hop\", \"provider\": \"kra\", \"Eb\": 0.3, "
      "\"nu\": 1e12, \"interactions\": {\"V_MA-\": -0.04}, \"source\": \"user\", \"provenance\": \"t\"}]}";
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(text, "test", &err, NULL);
  if (!cat) fail_msg("%s", err.text);
  return cat;
}

typedef struct {
  ionkmc_run_obs obs;
  int64_t hits, misses, flushes;
  int near1_on[IONKMC_NSPECIES]; /* the species whose rows the first-shell counts key */
  int near1_all;                 /* and the counts alone find the defects to recompute */
} result;

/* Every real site's count against one recounted from the occupancies. */
static void check_counts(const ionkmc_engine *e) {
  for (int spi = 0; spi < IONKMC_NSPECIES; spi++) {
    const species_state *S = &e->sp[spi];
    int n2 = e->n2[spi];
    for (int pub = 0; pub < S->nsites; pub++) {
      int x = x_pub2int(S, pub), c = S->occ[x] != 1;
      if (e->near2[spi]) {
        for (int i = 0; i < n2; i++) c += S->occ[e->shell2[spi][(size_t)x * n2 + i]] != 1;
        if (e->near2[spi][x] != c)
          fail_msg("species %d site %d: count %d, %d defects within two hops", spi, pub, e->near2[spi][x], c);
      }
      if (!e->near1_on[spi]) continue;
      /* the first shell, as the per-path environments count it */
      int32_t buf[IONKMC_NNB_XX];
      const int32_t *nb = site_nbrs(S, x, buf);
      int c1 = 0;
      for (int i = 0; i < S->z; i++) c1 += S->occ[nb[i]] != 1;
      /* and, where the counts alone find the defects, whether the site
       * holds one (bit 4; 0 elsewhere) */
      if (e->near1_all) c1 |= (S->occ[x] != 1) << 4;
      if (e->near1[spi][x] != c1)
        fail_msg("species %d site %d: first-shell byte 0x%02x, expected 0x%02x (count, defect held)",
                 spi, pub, e->near1[spi][x], c1);
    }
  }
}

/* Every live defect's rates, open paths, neighbour mask, lone flag and
 * sum-tree leaf against those computed afresh: the defects an event
 * leaves alone must be those whose rates it did not change. */
static void check_rates(ionkmc_engine *e, int64_t hop) {
  for (int d = 0; d < e->ndef; d++) {
    defect_state *D = &e->def[d];
    if (!D->alive || !e->kenv[D->kind]) continue;
    double pr[IONKMC_MAX_PATHS], leaf = ionkmc_sumtree_get(e->tree, d);
    memcpy(pr, ionkmc_engine_path_rates(e, d), sizeof pr); /* (a lone defect's: its lone row) */
    defect_state was = *D;
    compute_paths(e, d);
    if (memcmp(pr, ionkmc_engine_path_rates(e, d), sizeof pr) || was.open != D->open ||
        was.nbr_def != D->nbr_def || was.lone != D->lone || leaf != ionkmc_sumtree_get(e->tree, d))
      fail_msg("after hop %lld: defect %d (kind %d, site %d) kept rates it no longer has", (long long)hop, d,
               D->kind, D->site);
  }
}

/* run_n1 checks every defect's rates after every chunk (check_rates) */
static int rates_checked = 0;

/* A box {L, V_I+, I_I-, V_MA-} run for `hops` hops in `chunks` calls.
 * rows: 0 off, 1 the engine's table, 2 a table of the minimum size shrunk
 * to 16 slots, so that it fills and is forgotten during the run; counts:
 * 1 the two-hop defect counts kept (and checked after every chunk), 0
 * switched off */
/* log2 of the rate cache's slots for run_n1, 0: the providers' own; and
 * no_rt1: run_n1 drops the first-shell path-rate tables */
static int cache_log2 = 0, no_rt1 = 0;
/* field along x for run_n1, V/angstrom: path rates that differ by direction, so
 * that every X type has its own lone row */
static double field_x = 0;

static result run_n1(const ionkmc_catalog *cat, const int box[4], int rows, int counts, int near1,
                     int64_t hops, int chunks) {
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = box[0];
  spec.cond.T = 400;
  spec.cond.a = 6.33;
  spec.count[IONKMC_V_I] = box[1];
  spec.count[IONKMC_I_I] = box[2];
  spec.count[IONKMC_V_MA_M] = box[3];
  spec.cond.field[0] = field_x;
  assert_int_equal(ionkmc_box_spec_rates(&spec, cat, NULL), IONKMC_OK);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(spec.L, NULL);
  assert_non_null(lat);
  ionkmc_engine *e = ionkmc_engine_alloc(&spec, lat, NULL, NULL);
  assert_non_null(e);
  ionkmc_providers *prov = ionkmc_providers_alloc(cat, spec.cond.T, spec.cond.a, 0, spec.cond.field, NULL, NULL);
  assert_non_null(prov);
  if (cache_log2) assert_int_equal(ionkmc_providers_set_cache_size(prov, cache_log2), IONKMC_OK);
  e->near1_off = !near1;
  assert_int_equal(ionkmc_engine_set_providers(e, prov, NULL), IONKMC_OK);
  /* (no environment rows where the path-rate tables give the rates) */
  if (!e->near1_all) assert_non_null(e->erow);
  if (!e->erow) {
  } else if (rows == 0) {
    free(e->erow);
    e->erow = NULL;
  } else if (rows == 2) {
    e->erow_mask = 15;
  }
  for (int spi = 0; spi < IONKMC_NSPECIES && no_rt1; spi++) {
    free(e->near1_rt[spi]);
    e->near1_rt[spi] = NULL;
  }
  if (!counts && !e->near1_all) {
    free(e->near2[0]);
    e->near2[0] = NULL;
  }
  ionkmc_rng rng;
  ionkmc_rng_init(&rng, 4, 0);
  assert_int_equal(ionkmc_engine_reset(e, &rng, NULL), IONKMC_OK);
  if (e->near1_all) assert_int_equal(e->near1_ok, 1);
  else assert_int_equal(e->near2_ok, counts);
  for (int c = 1; c <= chunks; c++) {
    assert_int_equal(ionkmc_engine_run(e, &rng, hops * c / chunks, 0, 0), IONKMC_OK);
    if (counts) check_counts(e);
    if (rates_checked) check_rates(e, hops * c / chunks);
  }
  result r;
  r.obs = *ionkmc_engine_obs(e);
  for (int spi = 0; spi < IONKMC_NSPECIES; spi++) r.near1_on[spi] = e->near1_on[spi];
  r.near1_all = e->near1_all;
  ionkmc_providers_stats(prov, &r.hits, &r.misses, NULL);
  r.flushes = ionkmc_providers_flushes(prov);
  if (rows && !cache_log2 && !e->near1_all) assert_true(e->erow_used > 0); /* (a flush may just have dropped them) */
  ionkmc_engine_free(e);
  ionkmc_providers_free(prov);
  ionkmc_lattice_free(lat);
  return r;
}

static result run(const ionkmc_catalog *cat, const int box[4], int rows, int counts, int64_t hops,
                  int chunks) {
  return run_n1(cat, box, rows, counts, 1, hops, chunks);
}

static void test_rows_change_nothing(void **state) {
  (void)state;
  ionkmc_catalog *cat = kra_catalog();
  /* two kinds on X (rows keyed by the defects within two hops), one kind
   * (keyed by the first-shell counts) */
  const int boxes[2][4] = {{6, 40, 2, 0}, {6, 40, 0, 0}};
  for (int b = 0; b < 2; b++) {
    const int *box = boxes[b];
  result off = run(cat, box, 0, 1, 30000, 1);
  assert_int_equal(off.near1_on[0], b);
  for (int rows = 1; rows <= 2; rows++) {
    result on = run(cat, box, rows, 1, 30000, 1);
    assert_int_equal(on.obs.hops, off.obs.hops);
    assert_memory_equal(&on.obs.t, &off.obs.t, sizeof(double));
    assert_int_equal(on.obs.sum_dr2[0], off.obs.sum_dr2[0]);
    assert_int_equal(on.obs.recombinations, off.obs.recombinations);
    assert_int_equal(on.hits, off.hits);
    assert_int_equal(on.misses, off.misses);
    printf("# box %d, rows %s: %lld hops, cache hits %lld, misses %lld\n", b, rows == 1 ? "on" : "small",
           (long long)on.obs.hops, (long long)on.hits, (long long)on.misses);
  }
  }
  ionkmc_catalog_free(cat);
}

/* The same run: clock, displacements, recombinations (and the cache
 * statistics, see same) */
static void same_run(const result *a, const result *b) {
  assert_int_equal(a->obs.hops, b->obs.hops);
  assert_memory_equal(&a->obs.t, &b->obs.t, sizeof(double));
  assert_int_equal(a->obs.sum_dr2[0], b->obs.sum_dr2[0]);
  assert_int_equal(a->obs.sum_dr2[1], b->obs.sum_dr2[1]);
  assert_int_equal(a->obs.recombinations, b->obs.recombinations);
}

static void same(const result *a, const result *b) {
  same_run(a, b);
  assert_int_equal(a->hits, b->hits);
  assert_int_equal(a->misses, b->misses);
}

static void test_counts_exact_and_change_nothing(void **state) {
  (void)state;
  ionkmc_catalog *cat = kra_catalog();
  /* L = 6: X and A defects, interstitials pairing and annihilating; L = 2:
   * a site's two-hop offsets wrap onto the same sites, and onto itself */
  /* L = 6 with V_I+ alone on X: the first-shell counts kept on both
   * species (checked exact after every chunk) */
  const int box[3][4] = {{6, 40, 6, 8}, {2, 3, 1, 2}, {6, 40, 0, 8}};
  for (int b = 0; b < 3; b++) {
    result on = run(cat, box[b], 1, 1, 20000, 10);
    result off = run(cat, box[b], 1, 0, 20000, 10);
    same(&on, &off);
    printf("# L = %d: %lld hops, %lld recombinations, cache hits %lld, misses %lld\n", box[b][0],
           (long long)on.obs.hops, (long long)on.obs.recombinations, (long long)on.hits, (long long)on.misses);
    if (b == 0) assert_true(on.obs.recombinations > 0 && on.obs.hops_by_kind[IONKMC_V_MA_M] > 0);
    if (b == 2) assert_true(on.near1_on[0] && on.near1_on[1] && on.obs.hops_by_kind[IONKMC_V_MA_M] > 0);
  }
  ionkmc_catalog_free(cat);
}

/* Boxes whose species hold one kind each: the first-shell counts alone
 * (no second-shell rows) give the run of the two-hop machinery bit for
 * bit, with the same rate-cache misses. They recompute fewer defects (not
 * those that a move leaves as they were, around the neighbours of both
 * ends): at most as many hits, and every defect's rates are checked
 * against fresh ones after every hop. */
static void test_first_shell_alone_changes_nothing(void **state) {
  (void)state;
  ionkmc_catalog *cat = kra_catalog();
  /* (the last: two V_I+ in 8^3, mostly alone, in a field that gives every
   * X type its own lone row, some first met by a lone defect's hop) */
  const int box[4][4] = {{6, 40, 0, 8}, {8, 90, 0, 0}, {5, 0, 12, 0}, {8, 2, 0, 0}};
  for (int b = 0; b < 4; b++) {
    field_x = b == 3 ? 0.01 : 0;
    result on = run_n1(cat, box[b], 1, 1, 1, 20000, 10);
    result off = run_n1(cat, box[b], 1, 1, 0, 20000, 10);
    rates_checked = 1; /* (its fresh lookups add hits) */
    result checked = run_n1(cat, box[b], 1, 1, 1, 20000, 20000);
    rates_checked = 0;
    same_run(&checked, &on);
    assert_true(on.near1_all);
    assert_false(off.near1_all || off.near1_on[0] || off.near1_on[1]);
    same_run(&on, &off);
    assert_int_equal(on.misses, off.misses);
    assert_true(on.hits <= off.hits);
    printf("# L = %d first-shell counts alone: %lld hops, cache hits %lld (two-hop %lld), misses %lld\n",
           box[b][0], (long long)on.obs.hops, (long long)on.hits, (long long)off.hits, (long long)on.misses);
  }
  field_x = 0;
  ionkmc_catalog_free(cat);
}

/* The first-shell path-rate tables change nothing, with a rate cache of 32
 * slots too, flushed again and again during the run: their entries, like
 * the rows, stand only for lookups that would still hit, so that the cache
 * statistics stay those of the path-by-path lookups. (The two-hop way is
 * no reference here: it recomputes in another order, and with flushes the
 * order decides which lookups hit.) */
static void test_first_shell_rate_tables(void **state) {
  (void)state;
  ionkmc_catalog *cat = kra_catalog();
  const int box[2][4] = {{6, 40, 0, 8}, {5, 0, 12, 0}};
  for (int c = 0; c < 2; c++) {
    cache_log2 = c ? 5 : 0;
    for (int b = 0; b < 2; b++) {
      result on = run_n1(cat, box[b], 1, 1, 1, 20000, 10);
      no_rt1 = 1;
      result off = run_n1(cat, box[b], 1, 1, 1, 20000, 10);
      no_rt1 = 0;
      assert_true(on.near1_all);
      if (c) assert_true(on.flushes > 10);
      same(&on, &off);
      assert_int_equal(on.flushes, off.flushes);
      printf("# L = %d, cache of %s: %lld hops, cache hits %lld, misses %lld, flushes %lld\n",
             box[b][0], c ? "32 slots" : "the providers' size", (long long)on.obs.hops,
             (long long)on.hits, (long long)on.misses, (long long)on.flushes);
    }
  }
  cache_log2 = 0;
  ionkmc_catalog_free(cat);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_rows_change_nothing),
                                     cmocka_unit_test(test_counts_exact_and_change_nothing),
                                     cmocka_unit_test(test_first_shell_alone_changes_nothing),
                                     cmocka_unit_test(test_first_shell_rate_tables)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
