/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The defect and mechanism table (events/defects.h): every kind agrees with
 * its mechanism, the MD classification rules give the documented table, and
 * the name lists used by messages and help come from the rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "events/defects.h"

/* A kind and its mechanism move the same species, and a vacancy kind has a
 * vacancy mechanism; the mechanism of (species, vacancy) finds it back. */
static void test_kinds_match_mechanisms(void **state) {
  (void)state;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_defect_info *d = ionkmc_defect_info_get(k);
    assert_non_null(d);
    const ionkmc_mechanism_info *m = ionkmc_mechanism_info_get(d->mechanism);
    assert_non_null(m);
    assert_int_equal(m->species, d->species);
    assert_int_equal(m->vacancy, d->vacancy);
    assert_int_equal(ionkmc_mechanism_of(d->species, d->vacancy), d->mechanism);
    assert_string_equal(ionkmc_defect_mechanism(k), m->name);
    assert_int_equal(ionkmc_defect_sublattice(k), ionkmc_species_sublattice(d->species));
    assert_true(ionkmc_defect_takes_pattern(k, IONKMC_PATTERN_SINGLE));
  }
  assert_null(ionkmc_defect_info_get(IONKMC_NDEFECT));
  assert_null(ionkmc_mechanism_info_get(IONKMC_MECH_UNCLASSIFIED));
  assert_string_equal(ionkmc_mechanism_name(IONKMC_MECH_UNCLASSIFIED), "unclassified");
  assert_string_equal(ionkmc_species_name(IONKMC_SPECIES_I), "I");
  assert_string_equal(ionkmc_species_name(IONKMC_SPECIES_MA), "MA");
  assert_null(ionkmc_species_name(IONKMC_NSPECIES));
}

/* The classification table of calibration/mdtrack.h, for occupancies 0..3
 * of both sites (a hop from an empty site does not happen in MD, but the
 * rule must still give an answer). */
static void test_md_rules(void **state) {
  (void)state;
  for (int sp = 0; sp < IONKMC_NSPECIES; sp++)
    for (int from = 0; from <= 3; from++)
      for (int to = 0; to <= 3; to++) {
        ionkmc_mechanism want = IONKMC_MECH_UNCLASSIFIED;
        if (to == 0) want = sp == 0 ? IONKMC_MECH_KICK_OUT : IONKMC_MECH_MA_VACANCY_HOP;
        else if (from >= 2 && to == 1) want = sp == 0 ? IONKMC_MECH_DOUBLE_BRIDGE : IONKMC_MECH_CONCERTED_MA;
        assert_int_equal(ionkmc_mechanism_classify(sp, from, to), want);
      }
}

static void test_name_lists(void **state) {
  (void)state;
  char buf[IONKMC_DEFECT_NAMES_CAP];
  assert_string_equal(ionkmc_defect_names(buf, sizeof buf), "V_I+, I_I-, I_MA+, I_MA0, V_MA-, V_MA0");
  assert_string_equal(ionkmc_defect_pattern_names(buf, sizeof buf), "I_MA+, I_MA0");
  char pl[64];
  assert_string_equal(ionkmc_defect_pattern_list(IONKMC_V_I, pl, sizeof pl), "single, returns");
  assert_string_equal(ionkmc_defect_pattern_list(IONKMC_I_I, pl, sizeof pl), "single, oriented, returns, relay");
  assert_string_equal(ionkmc_defect_pattern_list(IONKMC_I_MA_0, pl, sizeof pl), "single, collinear, returns");
  /* the pattern table: names parse back, rate names are set for nrates */
  for (int p = 0; p < IONKMC_NPATTERN; p++) {
    const ionkmc_pattern_info *pi = ionkmc_pattern_info_get((ionkmc_pattern)p);
    assert_non_null(pi);
    ionkmc_pattern q;
    assert_int_equal(ionkmc_pattern_parse(pi->name, &q), IONKMC_OK);
    assert_int_equal(q, p);
    assert_true(pi->nrates >= 0 && pi->nrates <= IONKMC_PATTERN_MAXRATES);
    for (int r = 0; r < pi->nrates; r++) assert_non_null(pi->rate_name[r]);
  }
  assert_null(ionkmc_pattern_info_get(IONKMC_NPATTERN));
  assert_false(ionkmc_defect_takes_pattern(IONKMC_V_I, IONKMC_NPATTERN));
  /* a short buffer keeps whole names only */
  char small[12];
  assert_string_equal(ionkmc_defect_names(small, sizeof small), "V_I+, I_I-");
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    ionkmc_defect_kind p;
    assert_int_equal(ionkmc_defect_parse(ionkmc_defect_name(k), &p), IONKMC_OK);
    assert_int_equal(p, k);
    assert_int_equal(ionkmc_defect_species_index(k), ionkmc_defect_info_get(k)->species);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kinds_match_mechanisms),
      cmocka_unit_test(test_md_rules),
      cmocka_unit_test(test_name_lists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
