/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers of the ionkmc subcommands: options, numbers, output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/paper_table2.h"
#include "calibration/calibrate.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/exec.h"
#include "cli/out.h"
#include "barriers/provider.h"
#include "kmc/model.h"

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

/* Where cli_bad / cli_fail write: stderr, or the C API's buffer. */
static FILE *msg_sink;

void cli_set_message_sink(FILE *fp) { msg_sink = fp; }

int cli_bad(const char *cmd, const char *fmt, ...) {
  FILE *fp = msg_sink ? msg_sink : stderr;
  va_list ap;
  va_start(ap, fmt);
  fprintf(fp, "ionkmc %s: ", cmd);
  vfprintf(fp, fmt, ap);
  fputc('\n', fp);
  va_end(ap);
  return EXIT_BAD_INPUT;
}

int cli_bad_defect(const char *cmd, const char *opt, const char *name) {
  char names[IONKMC_DEFECT_NAMES_CAP];
  return cli_bad(cmd, "--%s: unknown defect '%s' (expected %s)", opt, name,
                 ionkmc_defect_names(names, sizeof names));
}

void cli_expand_defects(const char *text, char *out, size_t n) {
  char names[IONKMC_DEFECT_NAMES_CAP];
  ionkmc_defect_names(names, sizeof names);
  size_t k = 0;
  if (n == 0) return;
  for (const char *p = text; *p && k + 1 < n;) {
    if (!strncmp(p, "@DEFECTS@", 9)) {
      for (const char *q = names; *q && k + 1 < n; q++) out[k++] = *q;
      p += 9;
    } else {
      out[k++] = *p++;
    }
  }
  out[k] = 0;
}

int cli_fail(const char *cmd, const char *fmt, ...) {
  FILE *fp = msg_sink ? msg_sink : stderr;
  va_list ap;
  va_start(ap, fmt);
  fprintf(fp, "ionkmc %s: internal error: ", cmd);
  vfprintf(fp, fmt, ap);
  fputc('\n', fp);
  va_end(ap);
  return EXIT_INTERNAL;
}

/* strtod also reads hexadecimal ("0x10"), "inf", "nan" and leading blanks;
 * a number on the command line is decimal: digits, sign, point, exponent. */
static int decimal_text(const char *s) {
  if (!*s) return 0;
  for (const char *p = s; *p; p++)
    if (!strchr("0123456789+-.eE", *p)) return 0;
  return 1;
}

int cli_double(const char *cmd, const char *opt, const char *s, double *out) {
  char *end;
  errno = 0;
  double v = decimal_text(s) ? strtod(s, &end) : 0;
  if (!decimal_text(s) || end == s || *end || errno || !isfinite(v)) {
    cli_bad(cmd, "--%s: expected a number, got '%s'", opt, s);
    return 0;
  }
  *out = v;
  return 1;
}

int cli_int(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out) {
  char *end = NULL;
  errno = 0;
  double v = decimal_text(s) ? strtod(s, &end) : NAN; /* accepts 1e6 */
  if (!decimal_text(s) || end == s || *end || errno || v != floor(v) || v < (double)lo ||
      v > (double)hi) {
    cli_bad(cmd, "--%s: expected an integer in [%lld, %lld], got '%s'", opt, lo, hi, s);
    return 0;
  }
  *out = (long long)v;
  return 1;
}

int cli_split(const char *s, char sep, char **fields, int n) {
  char *dup = strdup(s);
  if (!dup) return -1;
  int k = 0;
  char *p = dup;
  for (;;) {
    char *q = strchr(p, sep);
    if (k < n) fields[k] = p;
    k++;
    if (!q) break;
    *q = 0;
    p = q + 1;
  }
  if (k != n) {
    free(dup);
    return 0;
  }
  return 1;
}

int cli_range(const char *cmd, const char *opt, const char *s, double **out) {
  *out = NULL;
  if (strchr(s, ':')) {
    double a, b, st;
    char *f[3];
    int r = cli_split(s, ':', f, 3);
    if (r < 0) {
      cli_fail(cmd, "out of memory");
      return 0;
    }
    if (r == 0) {
      cli_bad(cmd, "--%s: expected start:stop:step, got '%s'", opt, s);
      return 0;
    }
    int ok = cli_double(cmd, opt, f[0], &a) && cli_double(cmd, opt, f[1], &b) &&
             cli_double(cmd, opt, f[2], &st);
    free(f[0]);
    if (!ok) return 0;
    if (!(st > 0) || b < a) {
      cli_bad(cmd, "--%s: expected start <= stop and step > 0, got '%s'", opt, s);
      return 0;
    }
    /* Count in double: a tiny step must not overflow an int. */
    double nd = floor((b - a) / st + 1e-9) + 1;
    if (!(nd <= 100000)) {
      cli_bad(cmd, "--%s: range '%s' has %.3g points, expected at most 100000", opt, s, nd);
      return 0;
    }
    int n = (int)nd;
    if (!(*out = malloc(sizeof(double) * n))) {
      cli_fail(cmd, "out of memory");
      return 0;
    }
    for (int i = 0; i < n; i++) (*out)[i] = a + i * st;
    return n;
  }
  int n = 1;
  for (const char *p = s; *p; p++) n += *p == ',';
  *out = malloc(sizeof(double) * n);
  char *dup = strdup(s), *save = NULL;
  int k = 0;
  if (!*out || !dup) {
    free(*out);
    *out = NULL;
    free(dup);
    cli_fail(cmd, "out of memory");
    return 0;
  }
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
  if (!dup) {
    cli_fail(cmd, "out of memory");
    return 0;
  }
  for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (n >= CLI_MAX_DEFECTS) {
      cli_bad(cmd, "--%s: at most %d defects, got more in '%s'", opt, CLI_MAX_DEFECTS, s);
      free(dup);
      return 0;
    }
    if (ionkmc_defect_parse(tok, &out[n]) != IONKMC_OK) {
      cli_bad_defect(cmd, opt, tok);
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
  if (!dup) {
    cli_fail(cmd, "out of memory");
    return 0;
  }
  for (char *tok = strtok_r(dup, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    long long c = 1;
    if (eq) {
      *eq = 0;
      if (!cli_int(cmd, opt, eq + 1, 0, CLI_MAX_BOX_COUNT, &c)) ok = 0;
    }
    ionkmc_defect_kind k;
    if (ok && ionkmc_defect_parse(tok, &k) != IONKMC_OK) {
      cli_bad(cmd, "--%s: unknown defect '%s' in '%s' (expected NAME=COUNT,...)", opt, tok, s);
      ok = 0;
    }
    if (ok && count[k] + c > CLI_MAX_BOX_COUNT) {
      cli_bad(cmd, "--%s: %s: more than %d defects in '%s'", opt, tok, CLI_MAX_BOX_COUNT, s);
      ok = 0;
    }
    if (ok) {
      count[k] += (int)c; /* both terms <= CLI_MAX_BOX_COUNT, no overflow */
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

int cli_concentration(const char *cmd, const char *opt, const char *s, double a, double *n_cm3) {
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  double scale = 1;
  if (!strcmp(end, "/fu")) scale = 1.0 / pow(a * 1e-8, 3); /* Z = 1 formula unit per cell */
  else if (*end && strcmp(end, "/cm3")) x = NAN;
  if (end == s || errno || !(x > 0) || !isfinite(x)) {
    cli_bad(cmd, "--%s: expected C (defects per cm^3), C/cm3 or X/fu (per formula unit), > 0, got '%s'",
            opt, s);
    return 0;
  }
  *n_cm3 = x * scale;
  return 1;
}

int cli_field(const char *cmd, const char *opt, const char *s, double field[3]) {
  char *f[3];
  int r = cli_split(s, ',', f, 3);
  if (r < 0) {
    cli_fail(cmd, "out of memory");
    return 0;
  }
  if (r == 0) {
    cli_bad(cmd, "--%s: expected Ex,Ey,Ez in V/angstrom, got '%s'", opt, s);
    return 0;
  }
  int ok = cli_double(cmd, opt, f[0], &field[0]) && cli_double(cmd, opt, f[1], &field[1]) &&
           cli_double(cmd, opt, f[2], &field[2]);
  free(f[0]);
  return ok;
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

double cli_paper_D(ionkmc_defect_kind k, double T) { return ionkmc_paper_D(k, T); }

int cli_open(const char *cmd, const char *opt, const char *path, ionkmc_outfile **of) {
  ionkmc_error err;
  *of = NULL;
  if (path && cli_exec_discard()) path = "/dev/null"; /* an MPI rank > 0, a --part */
  if (path && !(*of = ionkmc_outfile_open(path, &err))) return cli_bad(cmd, "--%s %s", opt, err.text);
  return 0;
}

int cli_commit_set(const char *cmd, ionkmc_outfile **const *ofs, int n) {
  ionkmc_error err;
  ionkmc_outfile *set[8];
  if (n > 8) return cli_fail(cmd, "too many outputs");
  for (int i = 0; i < n; i++) {
    set[i] = *ofs[i];
    *ofs[i] = NULL;
  }
  ionkmc_status st = ionkmc_outfile_commit_set(set, n, &err);
  if (st == IONKMC_OK) return 0;
  return cli_fail(cmd, "%s", err.text);
}

int cli_commit(const char *cmd, ionkmc_outfile **of) {
  ionkmc_outfile **const one[1] = {of};
  return cli_commit_set(cmd, one, 1);
}

int cli_write_json(const char *cmd, const json_t *doc, ionkmc_outfile *of, int precision) {
  /* the JSON format of the registry (cli/out_json.c), with "parallel" */
  const cli_output_format *f = cli_output_format_at(cli_output_format_index("json"));
  cli_output out = {.doc = doc, .precision = precision};
  ionkmc_error err;
  if (f->write(&out, ionkmc_outfile_stream(of), &err) != IONKMC_OK) return cli_fail(cmd, "%s", err.text);
  return 0;
}

int cli_commit_json(const char *cmd, const json_t *doc, ionkmc_outfile **of, int precision) {
  int code = cli_write_json(cmd, doc, *of, precision);
  return code ? code : cli_commit(cmd, of);
}

json_t *cli_command_json(int argc, char **argv) {
  size_t cap = 1;
  for (int i = 0; i < argc; i++) cap += 4 * strlen(argv[i]) + 3;
  char *buf = malloc(cap), *p = buf;
  if (!buf) return json_null();
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int plain = a[0] != 0;
    for (const char *c = a; *c; c++)
      if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,:/@%", *c))
        plain = 0;
    if (i) *p++ = ' ';
    if (plain) {
      p += sprintf(p, "%s", a);
      continue;
    }
    *p++ = '\'';
    for (const char *c = a; *c; c++) {
      if (*c == '\'') {
        memcpy(p, "'\\''", 4);
        p += 4;
      } else {
        *p++ = *c;
      }
    }
    *p++ = '\'';
  }
  *p = 0;
  json_t *j = json_string(buf);
  free(buf);
  return j ? j : json_null();
}

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

json_t *cli_estimate_json(ionkmc_estimate e) { return ionkmc_estimate_json(e); }

json_t *cli_result_units(void) {
  return json_pack("{s:s,s:s,s:s,s:s}", "D", "cm^2/s", "T", "K", "a", "angstrom", "time", "s");
}

/* The paper's law beside a result only when the catalog entry is the
 * paper's table (a calibrated or user entry is not the paper's model). */
static double result_paper_D(const cli_result *r) {
  if (r->primary_kind < 0 || !r->cfg->cat) return NAN;
  const ionkmc_catalog_entry *e = ionkmc_catalog_get(r->cfg->cat, r->primary_kind);
  if (!e->present || !e->source || strcmp(e->source, "paper_table2") != 0) return NAN;
  return cli_paper_D(r->primary_kind, r->cfg->spec.cond.T);
}

void cli_warn(const char *cmd, json_t *warnings, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (!cli_exec_discard()) /* a part's warnings come with the merge */
    fprintf(stderr, "ionkmc %s: warning: %s\n", cmd, buf);
  if (warnings) json_array_append_new(warnings, json_string(buf));
}

void cli_warn_phase(const char *cmd, json_t *warnings, double Tmin) {
  if (Tmin < IONKMC_T_TETRAGONAL)
    cli_warn(cmd, warnings,
             "T = %g K is below the %g K tetragonal-cubic transition of MAPbI3: the real phase "
             "there is tetragonal (I4/mcm), while this lattice is cubic (Pm-3m) with a(T) "
             "extrapolated; the rates are cubic-phase rates",
             Tmin, IONKMC_T_TETRAGONAL);
}

void cli_warn_recombination(const char *cmd, json_t *warnings, const cli_result *r) {
  const ionkmc_run_summary *s = r->sum;
  if (s->frenkel) { /* recombination is half of the pair equilibrium there */
    cli_warn_frenkel(cmd, warnings, r);
    return;
  }
  if (s->recombinations <= 0) return;
  int sp = r->species;
  char tail[256] = "";
  if (s->runs_emptied[sp] > 0)
    snprintf(tail, sizeof tail,
             "; in %d of %d runs the %s sublattice lost all its defects (after %.3g s on average), "
             "and its D is per unit time with defects present",
             s->runs_emptied[sp], r->cfg->runs, sp == 0 ? "X (I)" : "A (MA)", s->t_emptied[sp]);
  cli_warn(cmd, warnings,
           "%s (%s): %lld Frenkel pairs annihilated over %d runs, so the box held fewer defects "
           "than asked (defects_alive in the JSON)%s",
           r->label, sp == 0 ? "I" : "MA", (long long)s->recombinations, r->cfg->runs, tail);
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
  json_object_set_new(o, "T", json_real(c->spec.cond.T));
  json_object_set_new(o, "a", json_real(c->spec.cond.a));
  json_object_set_new(o, "size", json_integer(c->spec.L));
  json_object_set_new(o, "barrier_shift", json_real(c->spec.cond.shift));
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
  if (s->frenkel) json_object_set_new(o, "frenkel", cli_frenkel_json(r));
  if (r->primary_kind < 0 || s->recombinations > 0) {
    /* a mixed box: how many defects it held over time (Frenkel recombination) */
    json_t *al = json_object(), *at = json_array(), *av = json_array();
    for (int k = 0; k < s->alive_n; k++) {
      json_array_append_new(at, json_real(s->alive_t[k]));
      json_array_append_new(av, json_real((double)s->alive_at[k] / c->runs));
    }
    int nd = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++) nd += c->spec.count[k];
    json_object_set_new(al, "initial", json_integer(nd));
    json_object_set_new(al, "t_s", at);
    json_object_set_new(al, "mean_over_runs", av);
    json_object_set_new(al, "runs_species_emptied", json_integer(s->runs_emptied[sp]));
    json_object_set_new(al, "t_species_emptied_mean_s", num_or_null(s->t_emptied[sp]));
    json_object_set_new(o, "defects_alive", al);
  }
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
  double E = sqrt(c->spec.cond.field[0] * c->spec.cond.field[0] + c->spec.cond.field[1] * c->spec.cond.field[1] +
                  c->spec.cond.field[2] * c->spec.cond.field[2]);
  if (E > 0) {
    json_t *fv = json_array();
    for (int q = 0; q < 3; q++) json_array_append_new(fv, json_real(c->spec.cond.field[q]));
    json_object_set_new(o, "field_V_per_A", fv);
    json_object_set_new(o, "drift_velocity_cm_s", cli_estimate_json(s->drift));
    json_object_set_new(o, "mobility_cm2_Vs", est_uq_json(s->mobility, uq, IONKMC_UQ_MOBILITY));
    /* Nernst-Einstein from the same runs' D_defect: |q| D / (kB T / e) */
    int qmax = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++)
      if (c->spec.count[k] > 0 && abs(ionkmc_defect_charge(k)) > qmax) qmax = abs(ionkmc_defect_charge(k));
    json_object_set_new(o, "mobility_nernst_einstein_cm2_Vs",
                        cli_estimate_json(ionkmc_estimate_scale(s->D_defect, qmax / (IONKMC_KB_EV * c->spec.cond.T))));
  }
  if (r->concentration_cm3 > 0 && r->primary_kind >= 0) {
    /* sigma = n q^2 D_sigma / kT with D_sigma the charge diffusion coefficient of one
     * defect: the species' centre of charge, N |sum_i dr_i|^2 / (6 t N), per defect */
    int q = ionkmc_defect_charge(r->primary_kind), nd = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++) nd += c->spec.count[k];
    ionkmc_estimate dsd = ionkmc_estimate_scale(s->D_sigma[sp], (double)s->natoms[sp] / nd);
    double kT = IONKMC_KB_EV * c->spec.cond.T; /* eV */
    double per = (double)q * q * IONKMC_E_CHARGE * r->concentration_cm3 / kT; /* S/cm per cm^2/s */
    json_t *cj = json_object();
    json_object_set_new(cj, "concentration_cm3", json_real(r->concentration_cm3));
    json_object_set_new(cj, "charge_e", json_integer(q));
    json_object_set_new(cj, "D_sigma_per_defect", cli_estimate_json(dsd));
    json_t *sg = q != 0 ? cli_estimate_json(ionkmc_estimate_scale(dsd, per))
                        : json_pack("{s:f,s:f,s:[f,f]}", "mean", 0.0, "sem", 0.0, "ci95", 0.0, 0.0);
    json_object_set_new(sg, "ci95_includes", json_string("KMC sampling over the runs only"));
    json_object_set_new(cj, "sigma_S_cm", sg);
    json_object_set_new(o, "conductivity", cj);
  }
  json_object_set_new(o, "paper_arrhenius_D",
                      num_or_null(result_paper_D(r)));
  if (with_msd) {
    json_t *m = json_object(), *t = json_array(), *v = json_array(), *e = json_array();
    for (int k = 0; k < s->msd_n; k++) {
      json_array_append_new(t, json_real(s->msd_t[k]));
      json_array_append_new(v, num_or_null(s->msd[sp][k].mean));
      json_array_append_new(e, num_or_null(s->msd[sp][k].sem));
    }
    json_t *pa = json_array(), *pe = json_array();
    double n = s->natoms[sp];
    for (int k = 0; k < s->msd_n; k++) {
      json_array_append_new(pa, num_or_null(s->msd[sp][k].mean / n));
      json_array_append_new(pe, num_or_null(s->msd[sp][k].sem / n));
    }
    json_object_set_new(m, "t_s", t);
    json_object_set_new(m, "natoms", json_integer(s->natoms[sp]));
    json_object_set_new(m, "sum_dr2_A2", v);
    json_object_set_new(m, "sem_A2", e);
    json_object_set_new(m, "per_atom_dr2_A2", pa);
    json_object_set_new(m, "per_atom_sem_A2", pe);
    json_object_set_new(o, "msd", m);
  }
  return o;
}

void cli_csv_num(FILE *fp, const char *fmt, double v) {
  if (isfinite(v)) fprintf(fp, fmt, v);
}

int cli_csv_header(FILE *fp) { return cli_csv_header_for(fp, NULL, 0); }

void cli_result_rows_header(cli_rows *t, const cli_result *r, int n) {
  cli_rows_new(t);
  cli_rows_names(t, "defect,species,T,a,size,barrier_shift,runs,hops,sim_time_s,"
                    "D_species,D_species_sem,D_species_lo,D_species_hi,"
                    "D_defect,D_defect_sem,f,f_sem,H_R,H_R_sem,recombinations,paper_arrhenius_D,"
                    "D_species_ci95_catalog_lo,D_species_ci95_catalog_hi,D_species_ci95_total_lo,"
                    "D_species_ci95_total_hi,D_defect_lo,D_defect_hi,D_defect_ci95_catalog_lo,"
                    "D_defect_ci95_catalog_hi,D_defect_ci95_total_lo,D_defect_ci95_total_hi,D_sigma,D_sigma_sem,"
                    "D_sigma_lo,D_sigma_hi,D_sigma_ci95_catalog_lo,D_sigma_ci95_catalog_hi,D_sigma_ci95_total_lo,"
                    "D_sigma_ci95_total_hi,hop_rate_per_s,hop_rate_ci95_catalog_lo,hop_rate_ci95_catalog_hi,"
                    "catalog_method,catalog_samples");
  int frk = 0;
  for (int j = 0; j < n; j++) frk |= r[j].sum->frenkel;
  if (frk) cli_frenkel_rows_header(t);
}

/* The lo, hi cells of the catalog and total intervals of e (empty when absent). */
static void rows_uq(cli_rows *t, ionkmc_estimate e, const ionkmc_catalog_uq *uq, ionkmc_uq_quantity q) {
  double c[2] = {NAN, NAN}, tt[2] = {NAN, NAN};
  if (uq) {
    ionkmc_catalog_uq_interval(e.mean, e.lo, e.hi, uq->method == IONKMC_UQ_NONE ? 0 : uq->sd_ln[q], c, tt);
    if (uq->method == IONKMC_UQ_NONE) c[0] = c[1] = NAN;
  }
  for (int i = 0; i < 4; i++) cli_rows_num(t, "%.6e", i < 2 ? c[i] : tt[i - 2]);
}

void cli_result_rows(cli_rows *t, const cli_result *r) {
  const ionkmc_run_config *c = r->cfg;
  const ionkmc_run_summary *s = r->sum;
  const ionkmc_catalog_uq *uq = r->uq;
  int sp = r->species;
  cli_rows_new(t);
  cli_rows_add(t, "%s", r->label);
  cli_rows_add(t, "%s", sp == 0 ? "I" : "MA");
  cli_rows_add(t, "%.6g", c->spec.cond.T);
  cli_rows_add(t, "%.6g", c->spec.cond.a);
  cli_rows_add(t, "%d", c->spec.L);
  cli_rows_add(t, "%.6g", c->spec.cond.shift);
  cli_rows_add(t, "%d", c->runs);
  cli_rows_add(t, "%lld", (long long)s->hops);
  cli_rows_add(t, "%.10g", s->sim_time_total);
  const double v[] = {s->D_species[sp].mean, s->D_species[sp].sem, s->D_species[sp].lo, s->D_species[sp].hi,
                      s->D_defect.mean, s->D_defect.sem, s->f[sp].mean, s->f[sp].sem, s->H_R[sp].mean,
                      s->H_R[sp].sem};
  const char *fmt[] = {"%.10g", "%.6g", "%.10g", "%.10g", "%.10g", "%.6g", "%.6g", "%.6g", "%.6g", "%.6g"};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) cli_rows_num(t, fmt[i], v[i]);
  cli_rows_add(t, "%lld", (long long)s->recombinations);
  cli_rows_num(t, "%.6g", result_paper_D(r));
  rows_uq(t, s->D_species[sp], uq, IONKMC_UQ_D_SPECIES_I + sp);
  cli_rows_num(t, "%.10g", s->D_defect.lo);
  cli_rows_num(t, "%.10g", s->D_defect.hi);
  rows_uq(t, s->D_defect, uq, IONKMC_UQ_D_DEFECT);
  const ionkmc_estimate *ds = &s->D_sigma[sp];
  const double w[] = {ds->mean, ds->sem, ds->lo, ds->hi};
  for (int i = 0; i < 4; i++) cli_rows_num(t, "%.10g", w[i]);
  rows_uq(t, *ds, uq, IONKMC_UQ_D_SIGMA_I + sp);
  ionkmc_estimate hr = {NAN, NAN, NAN, NAN, c->runs};
  ionkmc_summary_hop_rate(s, c->runs, &hr.mean, &hr.lo, &hr.hi);
  cli_rows_num(t, "%.10g", hr.mean);
  double cc[2] = {NAN, NAN}, tt[2];
  if (uq && uq->method != IONKMC_UQ_NONE)
    ionkmc_catalog_uq_interval(hr.mean, NAN, NAN, uq->sd_ln[IONKMC_UQ_HOP_RATE], cc, tt);
  cli_rows_num(t, "%.6e", cc[0]);
  cli_rows_num(t, "%.6e", cc[1]);
  cli_rows_add(t, "%s",
               !uq ? "" : uq->method == IONKMC_UQ_RESCALE ? "rescale" : uq->method == IONKMC_UQ_RERUN ? "rerun" : "none");
  cli_rows_add(t, "%d", uq && uq->method ? uq->samples : 0);
  if (s->frenkel) cli_frenkel_rows(t, r);
}

/* Write the table t as CSV lines to fp and free it: 0, or -1 when the
 * table could not be built (out of memory: nothing written) or the write
 * failed. */
static int csv_lines(FILE *fp, cli_rows *t) {
  ionkmc_error err;
  int bad = cli_rows_write_sep(t, 0, cli_rows_count(t), ',', fp, &err) != IONKMC_OK;
  cli_rows_free(t);
  return bad ? -1 : 0;
}

int cli_csv_header_for(FILE *fp, const cli_result *r, int n) {
  cli_rows *t = cli_rows_alloc();
  cli_result_rows_header(t, r, n);
  return csv_lines(fp, t);
}

int cli_csv_row(FILE *fp, const cli_result *r) {
  cli_rows *t = cli_rows_alloc();
  cli_result_rows(t, r);
  return csv_lines(fp, t);
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
  double pd = result_paper_D(r);
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
          sp == 0 ? "I" : "MA", c->spec.cond.T, c->spec.L, dsp, tot, s->D_defect.mean, fbuf,
          (long long)s->hops, s->sim_time_total, paper);
}

int cli_check_conditions(const char *cmd, double T, double a, double shift, const double field[3]) {
  if (!(T >= CLI_T_MIN && T <= CLI_T_MAX))
    return cli_bad(cmd, "--T: expected a temperature in [%g, %g] K, got %g", CLI_T_MIN, CLI_T_MAX, T);
  if (!(a >= CLI_A_MIN && a <= CLI_A_MAX))
    return cli_bad(cmd, "--a: expected a lattice constant in [%g, %g] angstrom, got %g", CLI_A_MIN,
                   CLI_A_MAX, a);
  if (!(fabs(shift) <= CLI_SHIFT_MAX))
    return cli_bad(cmd, "--barrier-shift: expected a shift in [-%g, %g] eV, got %g", CLI_SHIFT_MAX,
                   CLI_SHIFT_MAX, shift);
  if (field) {
    double E = sqrt(field[0] * field[0] + field[1] * field[1] + field[2] * field[2]);
    /* The largest bias exponent |q| E |dr| / 2kT: charge 1, a hop of at most 2a. */
    double x = E * 2 * a / (2 * IONKMC_KB_EV * T);
    if (!(x <= CLI_BIAS_MAX))
      return cli_bad(cmd, "--field: |E| = %g V/angstrom at %g K biases a hop by exp(%.3g); expected "
                     "at most exp(%g), i.e. |E| <= %.3g V/angstrom here", E, T, x, CLI_BIAS_MAX,
                     CLI_BIAS_MAX * IONKMC_KB_EV * T / a);
  }
  return 0;
}

double cli_hops_per_run(double total_rate, long long hops, double time) {
  double h = hops > 0 ? (double)hops : INFINITY;
  if (time > 0) h = fmin(h, total_rate * time);
  return h;
}

int cli_check_work(const char *cmd, double hops_per_run, double total_hops) {
  if (!(hops_per_run <= CLI_MAX_HOPS_RUN))
    return cli_bad(cmd, "--hops/--time: about %.3g hops per run (total rate x --time), expected at most "
                   "%g; shorten --time or give --hops", hops_per_run, CLI_MAX_HOPS_RUN);
  if (!(total_hops <= CLI_MAX_HOPS_TOTAL))
    return cli_bad(cmd, "--runs x --hops: about %.3g hops in all, expected at most %g (days of work); "
                   "use fewer runs, hops or points", total_hops, CLI_MAX_HOPS_TOTAL);
  return 0;
}

int cli_check_catalog(const char *cmd, const ionkmc_catalog *cat, double T) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_acell_model am = ionkmc_catalog_acell(cat);
  ionkmc_conditions cond = {.T = T, .a = ionkmc_acell_eval(&am, T)};
  /* every entry's rate, then its provider opened (models loaded) */
  ionkmc_model *m = ionkmc_model_alloc(cat, &cond, NULL, IONKMC_MODEL_PROVIDERS, &err, &st);
  if (!m) return st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL ? cli_fail(cmd, "%s", err.text)
                                                               : cli_bad(cmd, "%s", err.text);
  ionkmc_model_free(m);
  return 0;
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
  if (any && K == 0)
    fprintf(fp, "# +- SE: KMC sampling only (runs). \"95%% incl. calibration\": the same interval, as no catalog "
                "entry here carries a covariance.\n");
  else if (any)
    fprintf(fp, "# +- SE: KMC sampling only (runs). \"95%% incl. calibration\": KMC sampling and the catalog's "
                "parameter uncertainty together (%d draws from each entry's fitted distribution%s%s), "
                "log-scale; see ci95, ci95_catalog and ci95_total in the JSON/CSV.\n",
            K, resc ? "; one defect kind: the result rescaled by each drawn rate" : "",
            rer ? (resc ? "; batches rerun per draw otherwise" : "; each draw reruns the batch") : "");
  if (none) fprintf(fp, "# (a) no catalog entry of this box carries a covariance: the interval is KMC sampling only.\n");
  if (nosem) fprintf(fp, "# (b) one run gives no standard error; use --runs 2 or more.\n");
  if (nof) fprintf(fp, "# (c) no jumps of this species, so f does not exist.\n");
}
