/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: MD runs to a catalog entry, as a library.
 *
 * The steps of `ionkmc calibrate` and `ionkmc compare` after the MD files are
 * read (ionkmc_md_analyze_file_progress, calibration/mdtrack.h):
 *   1. ionkmc_calib_group: runs grouped by temperature (ascending), per T
 *      the events of the defect's mechanism and the exposure summed over
 *      runs, the per-path rate with its exact Poisson (Garwood) 95% interval,
 *      the Pearson overdispersion test across runs, the hysteresis
 *      sensitivity (back-hops, counts with other settings), MD D_species and
 *      D_defect over runs (or over blocks of a lone run);
 *   2. ionkmc_calib_fit: every fit the data allow (Poisson ML Arrhenius, the
 *      NEB-fixed barrier, ln k linear in 1/T and a, the three strain models
 *      with Eb >= 0) and, with no event at all, the bound on nu at the NEB
 *      barrier;
 *   3. ionkmc_calib_choose: the fit written to the catalog (the rule below),
 *      its parameters and covariance, and the provenance text;
 *   4. ionkmc_calib_record / ionkmc_calib_update: the calibration record
 *      (JSON, provenance of every number) and the catalog entry update that
 *      ionkmc_catalog_apply (barriers/catalog_apply.h) applies.
 *   The choice rule: no event in any run -> the NEB barrier with nu the base
 *   catalog's value if the MD bound allows it, else the bound (use_neb
 *   required); fit_a -> the strain model asked for, else the one of least AIC
 *   (ties to the simpler: barrier, prefactor, both); use_neb -> the NEB-fixed
 *   fit; else the free Arrhenius fit, or its Eb >= 0 boundary fit when the
 *   free Ea is negative.
 *
 * Conventions
 *   Units: T in K, lattice constants in angstrom, exposures in defect-seconds,
 *   rates in 1/s (per path where named so), Eb in eV, D in cm^2/s, MD times
 *   in ps.
 * Ownership: runs and temperatures are caller-owned arrays; paths are
 * borrowed. JSON values returned are new references the caller releases.
 */
#ifndef IONKMC_CALIBRATE_H
#define IONKMC_CALIBRATE_H

#include "barriers/catalog_apply.h"
#include "calibration/hopgeom.h"
#include "calibration/mdtrack.h"
#include "calibration/rates.h"
#include "calibration/strain.h"

#define IONKMC_CALIB_MAX_RUNS 256
/* Hysteresis sensitivity: the counts are also taken with r_inner (I and MA)
 * times 0.8 and 1.2 and with the dwell times 0.5 and 2, in the same pass. */
#define IONKMC_CALIB_NALT 4

typedef struct {
  double T;                 /* K */
  const char *path;         /* borrowed */
  ionkmc_md_summary sum;
  ionkmc_md_summary alt[IONKMC_CALIB_NALT]; /* with the sensitivity settings (if asked) */
  /* Hop geometry of the defect's mechanism (calibration/hopgeom.h): its
   * events, and the defect's track where it is lone (the only defect of its
   * kind in the first and last frames; track.jump borrowed from the caller,
   * n = 0 otherwise). */
  ionkmc_geom_acc geom;
  int lone;
  ionkmc_jump_track track;
} ionkmc_calib_run;

typedef struct {
  double T;
  int nruns;
  int run[IONKMC_CALIB_MAX_RUNS];
  int L;
  double a;                 /* mean lattice constant over the runs, angstrom */
  double count, exposure;   /* events of the defect's mechanism, defect-seconds */
  double unclassified;
  double duration;          /* s, summed over runs */
  double rate, rate_lo, rate_hi; /* per path, 1/s, Garwood 95% */
  double od_chi2, od_p;
  int od_dof;
  ionkmc_estimate D;        /* D_species of the defect's species over runs, cm^2/s */
  ionkmc_estimate D_defect; /* D of the defect over the runs where it could be followed (n of them) */
  /* With one run at this T, D and D_defect come from blocks of that run
   * (calibration/msdblock.h): nblocks blocks of block_frames frames; 0 when
   * the estimates are over runs. Intervals are log-scale either way. */
  int nblocks, block_frames;
  int defect_runs;          /* runs in which the defect could be followed */
  double hops, back_hops;   /* atom hops of the defect's species, and those undoing the previous one */
  double alt_count[IONKMC_CALIB_NALT]; /* events of the mechanism with the sensitivity settings */
  /* Hop geometry over the runs (tracks of the lone-defect runs) and the
   * correlation factor f_MD = 6 D / (Gamma_box <S>), Gamma_box = count /
   * duration (calibration/hopgeom.h). */
  ionkmc_geom_stats geom;
  ionkmc_geom_corr corr;
} ionkmc_calib_temp;

/* What the statistics and the record need to know about one calibration. */
typedef struct {
  ionkmc_defect_kind kind;
  ionkmc_hop_params hp;     /* the nominal hop detection */
  double timestep_ps;       /* ps per LAMMPS step, reported with the settings */
  int sensitivity;          /* 1: runs[].alt hold the counts with alt_hp */
  ionkmc_hop_params alt_hp[IONKMC_CALIB_NALT];
  int nruns;
  const ionkmc_calib_run *runs;
  int ntemps;
  const ionkmc_calib_temp *temps;
} ionkmc_calib_data;

/* ---- 1. statistics ------------------------------------------------------- */

/* "r_inner x0.8", "r_inner x1.2", "dwell x0.5", "dwell x2" (NULL out of range). */
const char *ionkmc_calib_sensitivity_name(int k);
/* The sensitivity settings of hp (MSD off in each). */
void ionkmc_calib_sensitivity_params(const ionkmc_hop_params *hp, ionkmc_hop_params alt[IONKMC_CALIB_NALT]);
/* IONKMC_EINVAL (message naming the file and what was found) unless the run's
 * first frame holds the defect of kind. */
ionkmc_status ionkmc_calib_check_run(const ionkmc_calib_run *run, ionkmc_defect_kind kind, ionkmc_error *err);
/* Group n runs by T into temps[] (ascending T, *ntemps of them, at most n)
 * with the statistics of step 1. IONKMC_EINVAL without runs. */
ionkmc_status ionkmc_calib_group(const ionkmc_calib_run *runs, int n, ionkmc_defect_kind kind,
                                 ionkmc_calib_temp *temps, int *ntemps, ionkmc_error *err);
/* Do MD and KMC agree within the combined 95% interval (the root of the sum
 * of the squared half-widths)? 1 yes, 0 no, -1 when either has no interval. */
int ionkmc_calib_agree95(ionkmc_estimate md, ionkmc_estimate kmc);
/* The hop-detection settings stored in the calibration record of entry kind
 * (calibration.hop_detection): bit j of the result (j = 0 r_inner, 1
 * r_inner_ma, 2 dwell, 3 window) set where stored[j] was found. */
unsigned ionkmc_calib_stored_hop_params(const ionkmc_catalog *cat, ionkmc_defect_kind kind, double stored[4]);

/* ---- 2. and 3. the fits and the choice ----------------------------------- */

typedef struct {
  int use_neb;              /* write the NEB-fixed fit (needs neb_Eb) */
  int fit_a;                /* write a fit in 1/T and a */
  int a_model;              /* with fit_a: IONKMC_A_MODEL_BARRIER.. BOTH, or -1 for the least AIC */
  double neb_Eb;            /* forward NEB barrier, eV; NAN without a band */
  double nu_base;           /* the base catalog's nu of the defect, 1/s per path; NAN if none */
} ionkmc_calib_options;

/* Why ionkmc_calib_choose refused (IONKMC_EINVAL). */
typedef enum {
  IONKMC_CALIB_OK = 0,
  IONKMC_CALIB_BAD_FIT_A,   /* the fit in a cannot be made (err says why) */
  IONKMC_CALIB_BAD_NO_FIT,  /* no Arrhenius fit (one T, or no hops) and no fixed barrier */
  IONKMC_CALIB_BAD_NU_BOUND /* zero events: no bound on nu (err says why) */
} ionkmc_calib_refusal;

typedef struct {
  /* per temperature, as fitted: T, counts, per-path exposures */
  int nt;
  double T[IONKMC_CALIB_MAX_RUNS], count[IONKMC_CALIB_MAX_RUNS], exposure[IONKMC_CALIB_MAX_RUNS];
  double total;             /* events over all runs */
  int zero_events;
  double nu_hi95;           /* zero events with a band: nu bound at its barrier (NAN otherwise) */
  char nu_why[512];         /* why there is no bound */
  int have_free, have_fixed, have_afit;
  ionkmc_arrhenius free_fit, fixed_fit;
  ionkmc_arrhenius_a a_fit;
  char afit_why[512];
  ionkmc_strain_fit sf[4];  /* by ionkmc_a_model, BARRIER..BOTH */
  int have_sf[4];
  char sf_why[4][512];
  int preferred;            /* strain model of least AIC, -1 if none */
  /* the choice (ionkmc_calib_choose) */
  int chosen_a;             /* the strain model written (fit_a), else the preferred one */
  int free_boundary;        /* 1: the free Ea < 0, bfit written */
  ionkmc_strain_fit bfit;
  int capped;               /* zero events: nu is the bound (the base value exceeds it) */
  double nu_base;
  double Eb, nu;            /* the entry's, eV and 1/s per path */
  ionkmc_catalog_fit cf;    /* parameters and covariance for the entry */
  char provenance[1024];
  const char *fit_used;     /* "arrhenius_fit", "neb_fixed_fit", "arrhenius_a_fit",
                             * "arrhenius_boundary_fit" or "neb_barrier_zero_events" */
  char warning[512];        /* a one-line warning (no "ionkmc calibrate: warning: "), or "" */
  ionkmc_calib_refusal refusal;
} ionkmc_calib_result;

/* Every fit of step 2 into *res (res->zero_events set when no run has an
 * event; then only the bound at opt->neb_Eb). IONKMC_EINTERNAL when a fit
 * fails to converge. */
ionkmc_status ionkmc_calib_fit(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                               ionkmc_calib_result *res, ionkmc_error *err);
/* Step 3 on the fits of res. IONKMC_EINVAL with res->refusal and err set
 * when the options ask for what the data cannot give; IONKMC_EINTERNAL. */
ionkmc_status ionkmc_calib_choose(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                                  ionkmc_calib_result *res, ionkmc_error *err);

/* ---- 4. provenance and the entry update (calibrate_record.c) ------------- */

/* An estimate as {"mean", "sem", "ci95": [lo, hi]} (null for non-finite). */
json_t *ionkmc_estimate_json(ionkmc_estimate e);
/* The hop geometry of one temperature and its correlation factor
 * (calibration/hopgeom.h) as JSON; f alone. */
json_t *ionkmc_calib_geom_json(const ionkmc_geom_stats *g, const ionkmc_geom_corr *c);
json_t *ionkmc_calib_corr_json(const ionkmc_geom_corr *c);
json_t *ionkmc_calib_hop_params_json(const ionkmc_hop_params *hp, double timestep_ps);
/* Per temperature: back-hop fraction and the counts with each sensitivity
 * setting (an empty array without the sensitivity). */
json_t *ionkmc_calib_sensitivity_json(const ionkmc_calib_data *d, const ionkmc_calib_temp *tp);
json_t *ionkmc_calib_run_json(const ionkmc_calib_run *run);
/* How the MD standard errors of tp were obtained. */
json_t *ionkmc_calib_se_method_json(const ionkmc_calib_temp *tp);
/* The record's common part: defect, mechanism, paths, hop settings, per
 * temperature and per run what the MD showed. */
json_t *ionkmc_calib_record(const ionkmc_calib_data *d);
/* The full record of a chosen result: the common part, every fit, the
 * predicted per-path rates at pred_T[0..npred) with their 95% intervals, the
 * strain fits, the NEB band (neb: its description, borrowed, or NULL), the
 * zero-event bound, the fit used. NULL on ENOMEM. */
json_t *ionkmc_calib_result_record(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                                   const ionkmc_calib_result *res, const double *pred_T, int npred,
                                   const json_t *neb);
/* The entry update of a chosen result: source md_calibration, the fit, the
 * record `cal` as "calibration" (and "neb_barrier" with a band), the catalog
 * renamed "BASE, DEFECT calibrated from MD" (name_buf holds it; 512 bytes).
 * u borrows res, cal and name_buf. */
void ionkmc_calib_update(const ionkmc_calib_data *d, const ionkmc_calib_options *opt,
                         const ionkmc_calib_result *res, const json_t *cal, const char *base_name,
                         char name_buf[512], ionkmc_catalog_update *u);

/* ---- pattern selection (calibrate_pattern.c) ------------------------------- */

/* The patterns fitted to the lone defects' tracks (calibration/patternfit.h)
 * at each temperature, and the one written: mode IONKMC_CALIB_PATTERN_AUTO
 * takes the least AIC summed over the temperatures with tracks among the
 * patterns fitted at all of them; a pattern (>= 0) forces it;
 * IONKMC_CALIB_PATTERN_RATE_ONLY fits nothing and keeps the entry's pattern.
 * The chosen pattern's own rates become Arrhenius pairs: with >= 2
 * temperatures a least-squares fit of ln k against 1/kT weighted by
 * 1/var(ln k) (var from the fit's 95% interval), with one Eb = the entry's
 * Eb and nu = k exp(Eb/kT); where a rate's fit is 0 at some temperatures
 * (k = 0 has no ln k) the law is kept within their 95% intervals [0, hi]
 * by the nearest Eb that does so (rate_bounded). */
#define IONKMC_CALIB_PATTERN_AUTO (-1)
#define IONKMC_CALIB_PATTERN_RATE_ONLY (-2)

typedef struct {
  int mode;
  int nt;                           /* temperatures with tracks */
  double T[IONKMC_CALIB_MAX_RUNS];
  int tracks[IONKMC_CALIB_MAX_RUNS];
  ionkmc_pattern best[IONKMC_CALIB_MAX_RUNS];  /* least AIC at each */
  ionkmc_pattern_fit (*fit)[IONKMC_NPATTERN];  /* [nt][pattern], npar 0 where not fitted; owned */
  int fitted_all[IONKMC_NPATTERN];
  double aic_total[IONKMC_NPATTERN];
  int chosen_set;                   /* 1: a pattern was chosen */
  ionkmc_pattern chosen;
  double nu[IONKMC_PATTERN_MAXRATES], Eb[IONKMC_PATTERN_MAXRATES]; /* 1/s, eV */
  const char *rates_method;         /* "arrhenius_weighted_ln_k", "entry_Eb_one_temperature" or "boundary_zero" */
  int rate_bounded[IONKMC_PATTERN_MAXRATES]; /* 1: Eb moved so that the law stays within the 95%
                                       interval [0, hi] of each temperature where that rate's fit is 0 */
  int write;                        /* 1: the entry takes "pattern" and "pattern_rates" */
  double nu_scale;                  /* the chosen pattern's per-path rate over the plain one's
                                       (geometric mean over the temperatures; 1 for plain patterns):
                                       the factor the entry's nu takes when the pattern is written and
                                       its own Gamma is not used (gamma_used 0) */
  /* set by ionkmc_calib_pattern_apply: the entry's Eb, nu from the chosen
   * correlated pattern's per-path Gamma at the temperatures */
  int gamma_used;
  double gamma_nu, gamma_Eb;        /* 1/s per path, eV: the entry's */
  const char *gamma_method;         /* as rates_method, or "arrhenius_weighted_ln_k_fixed_Eb" */
  double plain_nu, plain_Eb;        /* the entry's before (the plain rate fit's) */
  char why[512];
} ionkmc_calib_pattern;

/* Fit and choose (entry_Eb: the Eb written for the entry, eV; base: the
 * pattern the base entry has). IONKMC_EINVAL when a forced pattern cannot be
 * fitted (err says why); IONKMC_ENOMEM. Free with ionkmc_calib_pattern_free. */
ionkmc_status ionkmc_calib_pattern_select(const ionkmc_calib_data *d, int mode, double entry_Eb, ionkmc_pattern base,
                                          ionkmc_calib_pattern *out, ionkmc_error *err);
void ionkmc_calib_pattern_free(ionkmc_calib_pattern *p);
/* The written pattern's part of the entry (p->write). For a correlated
 * pattern and an entry from a plain Arrhenius fit (res->fit_used
 * "arrhenius_fit", "arrhenius_boundary_fit" or "neb_fixed_fit") the entry's
 * Eb and nu become the Arrhenius pair of the pattern's own per-path rate
 * Gamma at the temperatures, by the weighting of the pattern's rates (with
 * the NEB barrier fixed: Eb held, ln nu the weighted mean of ln Gamma +
 * Eb/kT), and res->cf that fit's covariance; the pattern's rates are set
 * again with that Eb (their one-temperature rule). So the KMC's hop rate
 * follows the MD's where the pattern's Gamma does not follow the plain
 * fit. Otherwise (strain fits) with nu_scale != 1 the entry's nu (and the
 * fit's ln nu) is scaled by it. res's provenance names the pattern, why,
 * how its rates and the entry's rate were set. */
void ionkmc_calib_pattern_apply(ionkmc_calib_pattern *p, ionkmc_calib_result *res);
/* The Arrhenius pairs nu, Eb of p->chosen's rates from p->fit[0..nt) (done
 * by _select; exposed for tests). */
void ionkmc_calib_pattern_rates(ionkmc_calib_pattern *p, double entry_Eb);
/* "pattern_evidence" (per T the fits, the statistics of ionkmc_calib_geom_json
 * and the choice) and, with out->write, "pattern_rates". */
json_t *ionkmc_calib_pattern_evidence_json(const ionkmc_calib_data *d, const ionkmc_calib_pattern *p);
json_t *ionkmc_calib_pattern_rates_json(const ionkmc_calib_pattern *p);
/* The iodide tracer f that an oriented fit predicts for the lone pair in the
 * periodic L^3 box of its temperature (events/oriented_f.h at kappa = the
 * fit's k_r / Gamma): f[0] at the fit, f[1], f[2] at the ends of k_r's 95%
 * interval (Gamma at its estimate; f rises with kappa); NAN where a value
 * cannot be had. IONKMC_EINVAL when the fit is not an oriented one. */
ionkmc_status ionkmc_calib_pattern_oriented_f(const ionkmc_pattern_fit *fit, int L, double f[3], ionkmc_error *err);

/* ---- catalog derive (calibrate_derive.c) ---------------------------------- */

typedef struct {
  int L;                    /* box edge in cells */
  double a;                 /* lattice constant, angstrom */
  int runs;
  long long hops;           /* per run */
  long long seed;
} ionkmc_derive_options;

typedef struct {
  ionkmc_defect_kind kind;
  double f, f_sem;          /* tracer correlation factor measured */
  double nu;                /* 1/s per path */
} ionkmc_derive_row;

/* nu = 6 D0 / (f npaths n_moved lambda^2) for every entry of cat that carries
 * the paper's law ("table2": {"Ea", "D0"}), with f measured by the KMC in an
 * L^3 box at a (each defect its own streams), applied with Eb = Ea, source
 * paper_table2 and the provenance of the derivation. rows[IONKMC_NDEFECT]
 * gets one row per entry derived (*nrows). IONKMC_EINVAL naming catpath
 * (NULL: "catalog") for a bad table2 block; the runner's statuses. */
ionkmc_status ionkmc_catalog_derive(ionkmc_catalog *cat, const char *catpath, const ionkmc_derive_options *o,
                                    ionkmc_derive_row *rows, int *nrows, ionkmc_error *err);

#endif
