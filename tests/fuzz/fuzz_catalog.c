/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the catalog JSON parser and validator, and the rate of every
 * entry at a few temperatures (ranges, overflow). */
#include "fuzz_common.h"

#include "barriers/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_string(data, size);
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_string(text, "fuzz.json", &err, &st);
  if (cat) {
    ionkmc_acell_model am = ionkmc_catalog_acell(cat);
    static const double T[] = {1, 300, 3000};
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      for (int t = 0; t < 3; t++) {
        double r;
        ionkmc_catalog_rate(cat, k, T[t], ionkmc_acell_eval(&am, T[t]), 0, &r, &err);
      }
    free(ionkmc_catalog_dumps(cat));
    ionkmc_catalog_free(cat);
  } else if (st == IONKMC_OK) {
    abort(); /* a failure must say why */
  }
  free(text);
  return 0;
}
