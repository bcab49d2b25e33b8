/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Conditions and the two rate laws (Arrhenius, field bias). */
#define _POSIX_C_SOURCE 200809L
#include "barriers/conditions.h"

#include <gsl/gsl_integration.h>
#include <math.h>

/* Nodes of the Gauss-Hermite rule of a barrier disorder. */
#define DISORDER_NODES 40

ionkmc_status ionkmc_conditions_check(const ionkmc_conditions *c, ionkmc_error *err) {
  if (!c) return ionkmc_error_set(err, IONKMC_EINVAL, "conditions: NULL");
  if (!(c->T > 0) || !isfinite(c->T))
    return ionkmc_error_set(err, IONKMC_ERANGE, "T: expected a temperature > 0 K, got %g", c->T);
  if (!(c->a > 0) || !isfinite(c->a))
    return ionkmc_error_set(err, IONKMC_ERANGE, "a: expected a lattice constant > 0 A, got %g", c->a);
  if (!isfinite(c->shift))
    return ionkmc_error_set(err, IONKMC_ERANGE, "shift: expected a finite barrier shift in eV, got %g",
                            c->shift);
  for (int i = 0; i < 3; i++)
    if (!isfinite(c->field[i]))
      return ionkmc_error_set(err, IONKMC_ERANGE, "field: expected finite components in V/A, got %g",
                              c->field[i]);
  return IONKMC_OK;
}

double ionkmc_conditions_kT(const ionkmc_conditions *c) { return IONKMC_KB_EV * c->T; }

double ionkmc_rate_arrhenius(const ionkmc_barrier *b, double kT) {
  double r;
  if (b->nu) {
    double sum = 0;
    for (int j = 0; j < b->n; j++) sum += b->nu[j] * exp(-b->Eb[j] / kT);
    r = sum / b->n;
  } else {
    double sum = 0;
    for (int j = 0; j < b->n; j++) sum += exp(-b->Eb[j] / kT);
    r = b->nu0 * sum / b->n;
  }
  if (b->sigma > 0) r *= ionkmc_gauss_disorder_factor(b->sigma, kT, DISORDER_NODES);
  return r;
}

double ionkmc_rate_field_bias(double q, const double field[3], const double dr[3], double kT) {
  return exp(q * (field[0] * dr[0] + field[1] * dr[1] + field[2] * dr[2]) / (2 * kT));
}

double ionkmc_gauss_disorder_factor(double sigma, double kT, int n) {
  if (!(sigma > 0)) return 1.0;
  /* int exp(-x^2) g(x) dx with d = sqrt(2) sigma x: <f> = (1/sqrt(pi)) sum w f */
  gsl_integration_fixed_workspace *w =
      gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, (size_t)n, 0.0, 1.0, 0.0, 0.0);
  if (!w) return NAN;
  const double *x = gsl_integration_fixed_nodes(w), *wt = gsl_integration_fixed_weights(w);
  double s = 0;
  for (int i = 0; i < n; i++) s += wt[i] * exp(-sqrt(2.0) * sigma * x[i] / kT);
  gsl_integration_fixed_free(w);
  return s / sqrt(M_PI);
}
