/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc catalog uncertainty: parameter draws from each entry's fitted
 * distribution and the catalog part of a prediction's interval.
 *
 * Conventions
 *   Units: as the catalog (Eb eV, ln nu ln(1/s), dEb_da eV/A, dlnnu_da 1/A),
 *   D in cm^2/s, rates in 1/s, mobility in cm^2/(V s).
 *   Streams: draw j of defect kind k uses the Philox stream whose 64-bit key
 *   is mix(mix(seed ^ TAG) + j), TAG a constant of this module, and whose
 *   stream id is k. Run streams use the seed itself (or keys derived from it
 *   with other tags) as key, so the two cannot share a counter block unless
 *   a 64-bit mix collides. Draws never depend on the thread count.
 *   A draw: theta = theta_entry + L z, z standard normal (Box-Muller), L the
 *   entry's Cholesky factor; Eb draws below max(0, -shift) are set there (the
 *   catalog's Eb >= 0; at an Eb = 0 boundary fit this is the 50:50 mixture
 *   of the constrained estimate), and a draw whose barrier at the run's a
 *   (Eb + dEb_da (a - a_ref) + shift) would be negative has Eb raised until
 *   it is 0. Entries without a covariance keep theta.
 *   Catalog interval of a positive quantity Q with point value m:
 *     s = SD over draws of ln Q_j (re-runs: minus the mean squared relative
 *     KMC standard error of the draws, at least 0),
 *     ci95_catalog = m exp(+-1.96 s),
 *     ci95_total   = m exp(+-sqrt((1.96 s)^2 + h^2)), h = the KMC interval's
 *     half width over m (the delta-method log-scale width); with s = 0 (no
 *     covariance) ci95_total is the KMC interval itself.
 *   Methods: "rescale" when the box holds one defect kind with the constant
 *   provider: every path then has the one rate Gamma (times a field bias
 *   that does not depend on it), so a trajectory's hop sequence does not
 *   depend on Gamma and its clock scales as 1/Gamma, and Q_j = Q Gamma_j /
 *   Gamma (D, drift, mobility, hop rate; f and H_R do not change). With
 *   --hops this holds trajectory by trajectory; with a time limit it holds
 *   in expectation for D_defect, drift and the hop rate (a random walk's
 *   mean |R(t)|^2 / 6t does not depend on t), and for D_species up to the
 *   finite-run change of f. Otherwise "rerun": each draw reruns the batch
 *   with its own runs (runs_per_draw, seeds derived from the seed and the
 *   draw).
 * Ownership: plain values; nothing to free.
 */
#ifndef IONKMC_CATDRAW_H
#define IONKMC_CATDRAW_H

#include <stdint.h>

#include "barriers/catalog.h"
#include "kmc/rng.h"
#include "kmc/runner.h"

/* Default numbers of parameter draws (samples = 0 asks for them). The SD s
 * of ln Q from K draws has a relative standard error of about
 * 1/sqrt(2 (K - 1)): 2.2% at K = 1000, so that the endpoints m exp(+-1.96 s)
 * move by about 7% at s = 1.7 (V_I+ of the default catalog at 300 K), where
 * draws cost nothing (rescale); 8.9% of s at K = 64 where each draw reruns
 * the batch. */
#define IONKMC_CATALOG_SAMPLES_RESCALE 1000
#define IONKMC_CATALOG_SAMPLES_RERUN 64
#define IONKMC_CATALOG_SAMPLES_DEFAULT 0

/* The stream of draw `draw` of defect kind k (see the conventions). */
void ionkmc_catalog_draw_rng(ionkmc_rng *r, uint64_t seed, int64_t draw, ionkmc_defect_kind k);

/* Parameter set `draw` for every kind of the catalog: theta[k] (entry params
 * for kinds without a covariance or without an entry). Eb >= max(0, -shift). */
void ionkmc_catalog_draw(const ionkmc_catalog *cat, uint64_t seed, int64_t draw, double shift,
                         double theta[IONKMC_NDEFECT][IONKMC_NPARAM]);

/* Quantities that get a catalog interval. */
typedef enum {
  IONKMC_UQ_D_SPECIES_I, IONKMC_UQ_D_SPECIES_MA,
  IONKMC_UQ_D_TRACER_I, IONKMC_UQ_D_TRACER_MA,
  IONKMC_UQ_D_SIGMA_I, IONKMC_UQ_D_SIGMA_MA,
  IONKMC_UQ_D_DEFECT, IONKMC_UQ_MOBILITY, IONKMC_UQ_HOP_RATE,
  IONKMC_UQ_N
} ionkmc_uq_quantity;

typedef enum { IONKMC_UQ_NONE = 0, IONKMC_UQ_RESCALE = 1, IONKMC_UQ_RERUN = 2 } ionkmc_uq_method;

typedef struct {
  ionkmc_uq_method method;   /* NONE: no kind of the box has a covariance */
  int samples;               /* draws made */
  int runs_per_draw;         /* rerun only */
  unsigned with_cov;         /* bit k: kind k is in the box and has a covariance */
  unsigned without_cov;      /* bit k: kind k is in the box without one */
  double sd_ln[IONKMC_UQ_N]; /* catalog SD of ln Q; NaN where Q has no value */
  double sd_ln_rate[IONKMC_NDEFECT]; /* of each kind's per-path rate (0 without covariance) */
} ionkmc_catalog_uq;

/* Hop rate of a summary: events per simulated second of one box, with the
 * KMC 95% interval from the per-run simulated times (hop-limited runs). */
void ionkmc_summary_hop_rate(const ionkmc_run_summary *s, int runs, double *rate, double *lo,
                             double *hi);

/* The catalog part of the uncertainty of the batch cfg (cfg->cat required;
 * base: the batch's own summary) from `samples` >= 2 draws (0: the defaults
 * above for the method used). Rerun draws run
 * on lat. Errors as ionkmc_run_batch, IONKMC_EINVAL without a catalog. */
ionkmc_status ionkmc_catalog_uq_run(const ionkmc_run_config *cfg, const ionkmc_lattice *lat,
                                    int samples, const ionkmc_run_summary *base,
                                    ionkmc_catalog_uq *out, ionkmc_error *err);

/* The log-scale intervals of a positive quantity: point value m, KMC
 * interval [kmc_lo, kmc_hi] (NaN: none), catalog SD of ln Q. cat and tot get
 * [lo, hi] or NaNs where they cannot exist (m not > 0, sd NaN). */
void ionkmc_catalog_uq_interval(double m, double kmc_lo, double kmc_hi, double sd_ln, double cat[2],
                                double tot[2]);

/* The catalog SD of ln Q of one quantity of a box with the exact rescaling
 * or with plain normal theory: sum over kinds of z^T C z, z the gradient of
 * ln Gamma in the entry's parameters at (T, a). Used to check the draws. */
double ionkmc_catalog_sd_ln_rate(const ionkmc_catalog_entry *e, double T, double a);

#endif
