/* Shared helpers of the ionkmc subcommands: options, numbers, output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_next(const char *cmd, int argc, char **argv, int *i, const cli_opt *opts, int nopts,
             const char **arg) {
  if (*i >= argc) return -1;
  const char *w = argv[(*i)++];
  if (!strcmp(w, "--help") || !strcmp(w, "-h")) return -3;
  if (strncmp(w, "--", 2) != 0) {
    cli_bad(cmd, "unexpected argument '%s' (see ionkmc %s --help)", w, cmd);
    return -2;
  }
  const char *name = w + 2;
  const char *eq = strchr(name, '=');
  size_t len = eq ? (size_t)(eq - name) : strlen(name);
  for (int k = 0; k < nopts; k++) {
    if (strlen(opts[k].name) != len || strncmp(opts[k].name, name, len) != 0) continue;
    *arg = NULL;
    if (opts[k].takes_arg) {
      if (eq) {
        *arg = eq + 1;
      } else if (*i < argc) {
        *arg = argv[(*i)++];
      } else {
        cli_bad(cmd, "--%s: missing value", opts[k].name);
        return -2;
      }
    } else if (eq) {
      cli_bad(cmd, "--%s takes no value", opts[k].name);
      return -2;
    }
    return k;
  }
  cli_bad(cmd, "unknown option '%s' (see ionkmc %s --help)", w, cmd);
  return -2;
}

int cli_bad(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "ionkmc %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return EXIT_BAD_INPUT;
}

int cli_fail(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "ionkmc %s: internal error: ", cmd);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return EXIT_INTERNAL;
}

int cli_double(const char *cmd, const char *opt, const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno || !isfinite(v)) {
    cli_bad(cmd, "--%s: expected a number, got '%s'", opt, s);
    return 0;
  }
  *out = v;
  return 1;
}

int cli_int(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end); /* accepts 1e6 */
  if (end == s || *end || errno || v != floor(v) || v < (double)lo || v > (double)hi) {
    cli_bad(cmd, "--%s: expected an integer in [%lld, %lld], got '%s'", opt, lo, hi, s);
    return 0;
  }
  *out = (long long)v;
  return 1;
}

int cli_range(const char *cmd, const char *opt, const char *s, double **out) {
  *out = NULL;
  if (strchr(s, ':')) {
    double a, b, st;
    char x[64], y[64], z[64];
    if (sscanf(s, "%63[^:]:%63[^:]:%63s", x, y, z) != 3 || !cli_double(cmd, opt, x, &a) ||
        !cli_double(cmd, opt, y, &b) || !cli_double(cmd, opt, z, &st)) {
      if (!strchr(s, ',')) cli_bad(cmd, "--%s: expected start:stop:step, got '%s'", opt, s);
      return 0;
    }
    if (!(st > 0) || b < a) {
      cli_bad(cmd, "--%s: expected start <= stop and step > 0, got '%s'", opt, s);
      return 0;
    }
    int n = (int)floor((b - a) / st + 1e-9) + 1;
    if (n > 100000) {
      cli_bad(cmd, "--%s: range '%s' has too many points", opt, s);
      return 0;
    }
    *out = malloc(sizeof(double) * n);
    for (int i = 0; i < n; i++) (*out)[i] = a + i * st;
    return n;
  }
  int n = 1;
  for (const char *p = s; *p; p++) n += *p == ',';
  *out = malloc(sizeof(double) * n);
  char *dup = strdup(s), *save = NULL;
  int k = 0;
  for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (!cli_double(cmd, opt, tok, &(*out)[k])) {
      free(dup);
      free(*out);
      *out = NULL;
      return 0;
    }
    k++;
  }
  free(dup);
  if (k == 0) {
    cli_bad(cmd, "--%s: expected a value, got '%s'", opt, s);
    free(*out);
    *out = NULL;
  }
  return k;
}

int cli_defects(const char *cmd, const char *opt, const char *s, ionkmc_defect_kind *out) {
  char *dup = strdup(s), *save = NULL;
  int n = 0;
  for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (n >= IONKMC_NDEFECT * 4 || ionkmc_defect_parse(tok, &out[n]) != IONKMC_OK) {
      cli_bad(cmd, "--%s: unknown defect '%s' (expected V_I+, I_I-, I_MA+, I_MA0, V_MA-, V_MA0)",
              opt, tok);
      free(dup);
      return 0;
    }
    n++;
  }
  free(dup);
  if (n == 0) cli_bad(cmd, "--%s: expected a defect name", opt);
  return n;
}

int cli_box(const char *cmd, const char *opt, const char *s, int count[IONKMC_NDEFECT]) {
  memset(count, 0, sizeof(int) * IONKMC_NDEFECT);
  char *dup = strdup(s), *save = NULL;
  int ok = 1, any = 0;
  for (char *tok = strtok_r(dup, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    long long c = 1;
    if (eq) {
      *eq = 0;
      if (!cli_int(cmd, opt, eq + 1, 1, 100000000, &c)) ok = 0;
    }
    ionkmc_defect_kind k;
    if (ok && ionkmc_defect_parse(tok, &k) != IONKMC_OK) {
      cli_bad(cmd, "--%s: unknown defect '%s' in '%s' (expected NAME=COUNT,...)", opt, tok, s);
      ok = 0;
    }
    if (ok) {
      count[k] += (int)c;
      any = 1;
    }
  }
  free(dup);
  if (ok && !any) {
    cli_bad(cmd, "--%s: expected NAME=COUNT,..., got '%s'", opt, s);
    ok = 0;
  }
  return ok;
}

int cli_field(const char *cmd, const char *opt, const char *s, double field[3]) {
  char x[64], y[64], z[64];
  if (sscanf(s, "%63[^,],%63[^,],%63s", x, y, z) != 3) {
    cli_bad(cmd, "--%s: expected Ex,Ey,Ez in V/angstrom, got '%s'", opt, s);
    return 0;
  }
  return cli_double(cmd, opt, x, &field[0]) && cli_double(cmd, opt, y, &field[1]) &&
         cli_double(cmd, opt, z, &field[2]);
}

ionkmc_catalog *cli_catalog(const char *cmd, const char *path, int *code) {
  ionkmc_error err;
  ionkmc_status st = IONKMC_OK;
  ionkmc_catalog *cat = path ? ionkmc_catalog_alloc_file(path, &err, &st)
                             : ionkmc_catalog_alloc_default(&err);
  if (!cat) {
    if (!path || st == IONKMC_ENOMEM) *code = cli_fail(cmd, "%s", err.text);
    else *code = cli_bad(cmd, "%s", err.text);
  }
  return cat;
}

double cli_paper_D(ionkmc_defect_kind k, double T) {
  /* Tyagi, Brocks, Tao, Table 2: Ea (eV), D0 (cm^2/s). */
  static const double Ea[IONKMC_NDEFECT] = {0.15, 0.18, 0.20, 0.18, NAN, NAN};
  static const double D0[IONKMC_NDEFECT] = {1.04e-4, 5.93e-4, 3.47e-4, 3.16e-4, NAN, NAN};
  if (k < 0 || k >= IONKMC_NDEFECT || isnan(Ea[k])) return NAN;
  return D0[k] * exp(-Ea[k] / (IONKMC_KB_EV * T));
}

int cli_open(const char *cmd, const char *opt, const char *path, ionkmc_outfile **of) {
  ionkmc_error err;
  *of = NULL;
  if (path && !(*of = ionkmc_outfile_open(path, &err))) return cli_bad(cmd, "--%s %s", opt, err.text);
  return 0;
}

int cli_commit(const char *cmd, ionkmc_outfile **of) {
  ionkmc_error err;
  ionkmc_outfile *o = *of;
  *of = NULL;
  if (ionkmc_outfile_commit(o, &err) != IONKMC_OK) return cli_fail(cmd, "%s", err.text);
  return 0;
}

int cli_commit_json(const char *cmd, const json_t *doc, ionkmc_outfile **of, int precision) {
  FILE *fp = ionkmc_outfile_stream(*of);
  if (json_dumpf(doc, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(precision)) != 0)
    return cli_fail(cmd, "could not format JSON");
  fputc('\n', fp);
  return cli_commit(cmd, of);
}

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

json_t *cli_estimate_json(ionkmc_estimate e) {
  json_t *o = json_object();
  json_object_set_new(o, "mean", num_or_null(e.mean));
  json_object_set_new(o, "sem", num_or_null(e.sem));
  json_t *ci = json_array();
  json_array_append_new(ci, num_or_null(e.lo));
  json_array_append_new(ci, num_or_null(e.hi));
  json_object_set_new(o, "ci95", ci);
  return o;
}

/* Set ci95_catalog and ci95_total on an estimate's JSON object. */
static void uq_fields(json_t *o, ionkmc_estimate e, const ionkmc_catalog_uq *uq, ionkmc_uq_quantity q) {
  if (!uq) return;
  double c[2], t[2];
  ionkmc_catalog_uq_interval(e.mean, e.lo, e.hi, uq->method == IONKMC_UQ_NONE ? 0 : uq->sd_ln[q], c, t);
  if (uq->method == IONKMC_UQ_NONE) c[0] = c[1] = NAN;
  json_object_set_new(o, "ci95_catalog", json_pack("[o,o]", num_or_null(c[0]), num_or_null(c[1])));
  json_object_set_new(o, "ci95_total", json_pack("[o,o]", num_or_null(t[0]), num_or_null(t[1])));
}

static json_t *est_uq_json(ionkmc_estimate e, const ionkmc_catalog_uq *uq, ionkmc_uq_quantity q) {
  json_t *o = cli_estimate_json(e);
  uq_fields(o, e, uq, q);
  return o;
}

static void kinds_list(char *buf, size_t n, unsigned mask) {
  buf[0] = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (mask >> k & 1)
      snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? ", " : "", ionkmc_defect_name(k));
}

json_t *cli_uq_json(const ionkmc_catalog_uq *uq) {
  json_t *o = json_object();
  const char *m = uq->method == IONKMC_UQ_RESCALE ? "rescale" : uq->method == IONKMC_UQ_RERUN ? "rerun" : "none";
  json_object_set_new(o, "method", json_string(m));
  json_object_set_new(o, "samples", json_integer(uq->method ? uq->samples : 0));
  if (uq->method == IONKMC_UQ_RERUN) json_object_set_new(o, "runs_per_draw", json_integer(uq->runs_per_draw));
  char with[128], without[128];
  kinds_list(with, sizeof with, uq->with_cov);
  kinds_list(without, sizeof without, uq->without_cov);
  json_object_set_new(o, "entries_with_covariance", json_string(with));
  json_object_set_new(o, "entries_without_covariance", json_string(without));
  json_object_set_new(
      o, "ci95", json_string("KMC sampling only: Student-t 95% interval of the mean over the runs"));
  json_object_set_new(
      o, "ci95_catalog",
      json_string(uq->method == IONKMC_UQ_NONE
                      ? "none: no catalog entry of this box carries a covariance (null)"
                  : uq->method == IONKMC_UQ_RESCALE
                      ? "catalog parameter uncertainty alone: draws from each entry's fitted normal; one "
                        "defect kind with the constant provider, so each draw's value is this value times "
                        "Gamma_draw/Gamma (exact per trajectory with --hops, in expectation with a time "
                        "limit); m exp(+-1.96 s), s = SD of ln over the draws"
                      : "catalog parameter uncertainty alone: draws from each entry's fitted normal, each "
                        "draw rerunning the batch (runs_per_draw runs, own seeds); m exp(+-1.96 s), s^2 = "
                        "variance of ln over the draws minus their mean squared relative KMC error"));
  json_object_set_new(o, "ci95_total",
                      json_string("KMC sampling and catalog together: m exp(+-sqrt((1.96 s)^2 + h^2)), h the "
                                  "KMC interval's half width over m"));
  if (uq->without_cov)
    json_object_set_new(o, "note", json_string(uq->with_cov
                                                   ? "entries without a covariance contribute no catalog "
                                                     "uncertainty"
                                                   : "no entry carries a covariance: ci95_catalog is null and "
                                                     "ci95_total is the KMC interval alone"));
  return o;
}

int cli_result_uq(const char *cmd, const ionkmc_run_config *cfg, const ionkmc_lattice *lat, int samples,
                  const ionkmc_run_summary *sum, ionkmc_catalog_uq *uq) {
  ionkmc_error err;
  ionkmc_status st = ionkmc_catalog_uq_run(cfg, lat, samples, sum, uq, &err);
  if (st == IONKMC_OK) return 0;
  return (st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL) ? cli_fail(cmd, "%s", err.text)
                                                           : cli_bad(cmd, "%s", err.text);
}

json_t *cli_result_json(const cli_result *r, int with_msd) {
  const ionkmc_run_config *c = r->cfg;
  const ionkmc_run_summary *s = r->sum;
  int sp = r->species;
  json_t *o = json_object();
  json_object_set_new(o, "defect", json_string(r->label));
  json_object_set_new(o, "species", json_string(sp == 0 ? "I" : "MA"));
  json_object_set_new(o, "T", json_real(c->spec.T));
  json_object_set_new(o, "a", json_real(c->spec.a));
  json_object_set_new(o, "size", json_integer(c->spec.L));
  json_object_set_new(o, "barrier_shift", json_real(c->spec.shift));
  json_object_set_new(o, "runs", json_integer(c->runs));
  json_object_set_new(o, "hops", json_integer(s->hops));
  json_object_set_new(o, "sim_time_s", json_real(s->sim_time_total));
  json_object_set_new(o, "sim_time_per_run_s", cli_estimate_json(s->sim_time));
  const ionkmc_catalog_uq *uq = r->uq;
  json_object_set_new(o, "D_species", est_uq_json(s->D_species[sp], uq, IONKMC_UQ_D_SPECIES_I + sp));
  json_object_set_new(o, "D_defect", est_uq_json(s->D_defect, uq, IONKMC_UQ_D_DEFECT));
  json_object_set_new(o, "f", cli_estimate_json(s->f[sp]));
  json_object_set_new(o, "D_tracer", est_uq_json(s->D_tracer[sp], uq, IONKMC_UQ_D_TRACER_I + sp));
  json_object_set_new(o, "D_sigma", est_uq_json(s->D_sigma[sp], uq, IONKMC_UQ_D_SIGMA_I + sp));
  {
    ionkmc_estimate hr = {NAN, NAN, NAN, NAN, c->runs};
    ionkmc_summary_hop_rate(s, c->runs, &hr.mean, &hr.lo, &hr.hi);
    json_t *ho = json_object();
    json_object_set_new(ho, "mean", num_or_null(hr.mean));
    json_object_set_new(ho, "ci95", json_pack("[o,o]", num_or_null(hr.lo), num_or_null(hr.hi)));
    uq_fields(ho, hr, uq, IONKMC_UQ_HOP_RATE);
    json_object_set_new(o, "hop_rate_per_s", ho);
  }
  if (uq) json_object_set_new(o, "catalog_uncertainty", cli_uq_json(uq));
  json_object_set_new(o, "H_R", cli_estimate_json(s->H_R[sp]));
  json_t *hb = json_object();
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    if (c->spec.count[k] <= 0) continue;
    const char *m = ionkmc_defect_mechanism(k);
    json_int_t prev = json_integer_value(json_object_get(hb, m));
    json_object_set_new(hb, m, json_integer(prev + s->hops_by_kind[k]));
  }
  json_object_set_new(o, "hops_by_mechanism", hb);
  json_object_set_new(o, "recombinations", json_integer(s->recombinations));
  json_object_set_new(o, "runs_out_of_events", json_integer(s->runs_out_of_events));
  if (s->cache_hits + s->cache_misses > 0)
    json_object_set_new(o, "environment_cache",
                        json_pack("{s:I,s:I}", "hits", (json_int_t)s->cache_hits, "misses",
                                  (json_int_t)s->cache_misses));
  json_t *rates = json_object();
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (c->spec.count[k] > 0)
      json_object_set_new(rates, ionkmc_defect_name(k), json_real(c->spec.rate[k]));
  json_object_set_new(o, "rate_per_path_s", rates);
  if (uq && uq->method != IONKMC_UQ_NONE) {
    json_t *rc = json_object();
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      if (c->spec.count[k] > 0 && (uq->with_cov >> k & 1)) {
        double cc[2], tt[2];
        ionkmc_catalog_uq_interval(c->spec.rate[k], NAN, NAN, uq->sd_ln_rate[k], cc, tt);
        json_object_set_new(rc, ionkmc_defect_name(k), json_pack("[f,f]", cc[0], cc[1]));
      }
    json_object_set_new(o, "rate_per_path_ci95_catalog", rc);
  }
  double E = sqrt(c->spec.field[0] * c->spec.field[0] + c->spec.field[1] * c->spec.field[1] +
                  c->spec.field[2] * c->spec.field[2]);
  if (E > 0) {
    json_t *fv = json_array();
    for (int q = 0; q < 3; q++) json_array_append_new(fv, json_real(c->spec.field[q]));
    json_object_set_new(o, "field_V_per_A", fv);
    json_object_set_new(o, "drift_velocity_cm_s", cli_estimate_json(s->drift));
    json_object_set_new(o, "mobility_cm2_Vs", est_uq_json(s->mobility, uq, IONKMC_UQ_MOBILITY));
    /* Nernst-Einstein from the same runs' D_defect: |q| D / (kB T / e) */
    int qmax = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      if (c->spec.count[k] > 0 && abs(ionkmc_defect_charge(k)) > qmax) qmax = abs(ionkmc_defect_charge(k));
    json_object_set_new(o, "mobility_nernst_einstein_cm2_Vs",
                        cli_estimate_json(ionkmc_estimate_scale(s->D_defect, qmax / (IONKMC_KB_EV * c->spec.T))));
  }
  json_object_set_new(o, "paper_arrhenius_D",
                      num_or_null(r->primary_kind >= 0 ? cli_paper_D(r->primary_kind, c->spec.T) : NAN));
  if (with_msd) {
    json_t *m = json_object(), *t = json_array(), *v = json_array(), *e = json_array();
    for (int k = 0; k < s->msd_n; k++) {
      json_array_append_new(t, json_real(s->msd_t[k]));
      json_array_append_new(v, num_or_null(s->msd[sp][k].mean));
      json_array_append_new(e, num_or_null(s->msd[sp][k].sem));
    }
    json_object_set_new(m, "t_s", t);
    json_object_set_new(m, "sum_dr2_A2", v);
    json_object_set_new(m, "sem_A2", e);
    json_object_set_new(o, "msd", m);
  }
  return o;
}

void cli_csv_num(FILE *fp, const char *fmt, double v) {
  if (isfinite(v)) fprintf(fp, fmt, v);
}

void cli_csv_header(FILE *fp) {
  fprintf(fp, "defect,species,T,a,size,barrier_shift,runs,hops,sim_time_s,"
              "D_species,D_species_sem,D_species_lo,D_species_hi,"
              "D_defect,D_defect_sem,f,f_sem,H_R,H_R_sem,recombinations,paper_arrhenius_D,"
              "D_species_ci95_catalog_lo,D_species_ci95_catalog_hi,D_species_ci95_total_lo,"
              "D_species_ci95_total_hi,D_defect_lo,D_defect_hi,D_defect_ci95_catalog_lo,"
              "D_defect_ci95_catalog_hi,D_defect_ci95_total_lo,D_defect_ci95_total_hi,D_sigma,D_sigma_sem,"
              "D_sigma_lo,D_sigma_hi,D_sigma_ci95_catalog_lo,D_sigma_ci95_catalog_hi,D_sigma_ci95_total_lo,"
              "D_sigma_ci95_total_hi,hop_rate_per_s,hop_rate_ci95_catalog_lo,hop_rate_ci95_catalog_hi,"
              "catalog_method,catalog_samples\n");
}

/* ",lo,hi" of the catalog and total intervals of e (empty cells when absent). */
static void csv_uq(FILE *fp, ionkmc_estimate e, const ionkmc_catalog_uq *uq, ionkmc_uq_quantity q) {
  double c[2] = {NAN, NAN}, t[2] = {NAN, NAN};
  if (uq) {
    ionkmc_catalog_uq_interval(e.mean, e.lo, e.hi, uq->method == IONKMC_UQ_NONE ? 0 : uq->sd_ln[q], c, t);
    if (uq->method == IONKMC_UQ_NONE) c[0] = c[1] = NAN;
  }
  for (int i = 0; i < 4; i++) {
    fputc(',', fp);
    cli_csv_num(fp, "%.6e", i < 2 ? c[i] : t[i - 2]);
  }
}

void cli_csv_row(FILE *fp, const cli_result *r) {
  const ionkmc_run_config *c = r->cfg;
  const ionkmc_run_summary *s = r->sum;
  const ionkmc_catalog_uq *uq = r->uq;
  int sp = r->species;
  fprintf(fp, "%s,%s,%.6g,%.6g,%d,%.6g,%d,%lld,%.10g", r->label, sp == 0 ? "I" : "MA", c->spec.T, c->spec.a,
          c->spec.L, c->spec.shift, c->runs, (long long)s->hops, s->sim_time_total);
  const double v[] = {s->D_species[sp].mean, s->D_species[sp].sem, s->D_species[sp].lo, s->D_species[sp].hi,
                      s->D_defect.mean, s->D_defect.sem, s->f[sp].mean, s->f[sp].sem, s->H_R[sp].mean,
                      s->H_R[sp].sem};
  const char *fmt[] = {"%.10g", "%.6g", "%.10g", "%.10g", "%.10g", "%.6g", "%.6g", "%.6g", "%.6g", "%.6g"};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    fputc(',', fp);
    cli_csv_num(fp, fmt[i], v[i]);
  }
  fprintf(fp, ",%lld,", (long long)s->recombinations);
  cli_csv_num(fp, "%.6g", r->primary_kind >= 0 ? cli_paper_D(r->primary_kind, c->spec.T) : NAN);
  csv_uq(fp, s->D_species[sp], uq, IONKMC_UQ_D_SPECIES_I + sp);
  fputc(',', fp);
  cli_csv_num(fp, "%.10g", s->D_defect.lo);
  fputc(',', fp);
  cli_csv_num(fp, "%.10g", s->D_defect.hi);
  csv_uq(fp, s->D_defect, uq, IONKMC_UQ_D_DEFECT);
  const ionkmc_estimate *ds = &s->D_sigma[sp];
  const double w[] = {ds->mean, ds->sem, ds->lo, ds->hi};
  for (int i = 0; i < 4; i++) {
    fputc(',', fp);
    cli_csv_num(fp, "%.10g", w[i]);
  }
  csv_uq(fp, *ds, uq, IONKMC_UQ_D_SIGMA_I + sp);
  ionkmc_estimate hr = {NAN, NAN, NAN, NAN, c->runs};
  ionkmc_summary_hop_rate(s, c->runs, &hr.mean, &hr.lo, &hr.hi);
  fputc(',', fp);
  cli_csv_num(fp, "%.10g", hr.mean);
  double cc[2] = {NAN, NAN}, tt[2];
  if (uq && uq->method != IONKMC_UQ_NONE)
    ionkmc_catalog_uq_interval(hr.mean, NAN, NAN, uq->sd_ln[IONKMC_UQ_HOP_RATE], cc, tt);
  fputc(',', fp);
  cli_csv_num(fp, "%.6e", cc[0]);
  fputc(',', fp);
  cli_csv_num(fp, "%.6e", cc[1]);
  fprintf(fp, ",%s,%d\n",
          !uq ? "" : uq->method == IONKMC_UQ_RESCALE ? "rescale" : uq->method == IONKMC_UQ_RERUN ? "rerun" : "none",
          uq && uq->method ? uq->samples : 0);
}

void cli_table_header(FILE *fp) {
  fprintf(fp, "%-8s %-3s %7s %4s %24s %25s %11s %14s %10s %11s %12s\n", "defect", "sp", "T/K", "L",
          "D_species/cm2s-1 +- SE", "95% incl. calibration", "D_defect", "f", "hops", "t_sim/s",
          "paper D(T)");
}

void cli_table_row(FILE *fp, const cli_result *r) {
  const ionkmc_run_config *c = r->cfg;
  const ionkmc_run_summary *s = r->sum;
  int sp = r->species;
  char dsp[64], fbuf[32], paper[32], tot[64];
  const ionkmc_estimate *d = &s->D_species[sp];
  if (isfinite(d->sem)) snprintf(dsp, sizeof dsp, "%.4e +- %.1e", d->mean, d->sem);
  else snprintf(dsp, sizeof dsp, "%.4e +- -(b)", d->mean);
  if (isfinite(s->f[sp].sem)) snprintf(fbuf, sizeof fbuf, "%.4f+-%.4f", s->f[sp].mean, s->f[sp].sem);
  else if (isfinite(s->f[sp].mean)) snprintf(fbuf, sizeof fbuf, "%.4f+-(b)", s->f[sp].mean);
  else snprintf(fbuf, sizeof fbuf, "-(c)");
  double pd = r->primary_kind >= 0 ? cli_paper_D(r->primary_kind, c->spec.T) : NAN;
  if (isfinite(pd)) snprintf(paper, sizeof paper, "%.4e", pd);
  else snprintf(paper, sizeof paper, "-");
  double cc[2], tt[2] = {NAN, NAN};
  if (r->uq) {
    ionkmc_catalog_uq_interval(d->mean, d->lo, d->hi,
                               r->uq->method == IONKMC_UQ_NONE ? 0 : r->uq->sd_ln[IONKMC_UQ_D_SPECIES_I + sp], cc,
                               tt);
  }
  if (!r->uq) snprintf(tot, sizeof tot, "-");
  else if (isfinite(tt[0])) snprintf(tot, sizeof tot, "[%.2e, %.2e]%s", tt[0], tt[1],
                                     r->uq->method == IONKMC_UQ_NONE ? "(a)" : "");
  else snprintf(tot, sizeof tot, "-(b)");
  fprintf(fp, "%-8s %-3s %7.1f %4d %24s %25s %11.4e %14s %10lld %11.3e %12s\n", r->label,
          sp == 0 ? "I" : "MA", c->spec.T, c->spec.L, dsp, tot, s->D_defect.mean, fbuf,
          (long long)s->hops, s->sim_time_total, paper);
}

void cli_table_footnotes(FILE *fp, const cli_result *r, int n) {
  int none = 0, nosem = 0, nof = 0, any = 0, resc = 0, rer = 0, K = 0;
  for (int j = 0; j < n; j++) {
    int sp = r[j].species;
    if (r[j].uq) {
      any = 1;
      none |= r[j].uq->method == IONKMC_UQ_NONE;
      resc |= r[j].uq->method == IONKMC_UQ_RESCALE;
      rer |= r[j].uq->method == IONKMC_UQ_RERUN;
      if (r[j].uq->method) K = r[j].uq->samples;
    }
    nosem |= !isfinite(r[j].sum->D_species[sp].sem);
    nof |= !isfinite(r[j].sum->f[sp].mean);
  }
  if (any)
    fprintf(fp, "# +- SE: KMC sampling only (runs). \"95%% incl. calibration\": KMC sampling and the catalog's "
                "parameter uncertainty together (%d draws from each entry's fitted distribution%s%s), "
                "log-scale; see ci95, ci95_catalog and ci95_total in the JSON/CSV.\n",
            K, resc ? "; one defect kind: the result rescaled by each drawn rate" : "",
            rer ? (resc ? "; batches rerun per draw otherwise" : "; each draw reruns the batch") : "");
  if (none) fprintf(fp, "# (a) no catalog entry of this box carries a covariance: the interval is KMC sampling only.\n");
  if (nosem) fprintf(fp, "# (b) one run gives no standard error; use --runs 2 or more.\n");
  if (nof) fprintf(fp, "# (c) no jumps of this species, so f does not exist.\n");
}
