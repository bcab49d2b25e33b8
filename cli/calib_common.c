/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared parts of `ionkmc calibrate` and `ionkmc compare`: reading MD runs. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "calibration/msdblock.h"
#include "cli/opt.h"
#include "cli/calib.h"
#include "cli/progress.h"

int calib_opt(const char *cmd, calib_inputs *in, const char *name, const char *arg) {
  double v;
  if (cli_progress_opt(name, &in->progress)) return 1;
  if (!strcmp(name, "md")) {
    const char *colon = strchr(arg, ':');
    char tbuf[64];
    if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof tbuf || !colon[1]) {
      cli_bad(cmd, "--md: expected T:FILE (temperature in K, then the file), got '%s'", arg);
      return 0;
    }
    memcpy(tbuf, arg, (size_t)(colon - arg));
    tbuf[colon - arg] = 0;
    if (!cli_double(cmd, "md", tbuf, &v)) return 0;
    if (!(v > 0)) {
      cli_bad(cmd, "--md: expected a temperature > 0 K before ':', got '%s'", tbuf);
      return 0;
    }
    if (in->nruns == CALIB_MAX_RUNS) {
      cli_bad(cmd, "--md: at most %d runs", CALIB_MAX_RUNS);
      return 0;
    }
    in->runs[in->nruns].T = v;
    in->runs[in->nruns].path = colon + 1;
    in->nruns++;
    return 1;
  }
  if (!strcmp(name, "defect")) {
    if (ionkmc_defect_parse(arg, &in->kind) != IONKMC_OK) {
      cli_bad_defect(cmd, "defect", arg);
      return 0;
    }
    in->kind_set = 1;
    return 1;
  }
  if (!strcmp(name, "types")) {
    ionkmc_error err;
    if (ionkmc_traj_parse_types(&in->topt, arg, &err) != IONKMC_OK) {
      cli_bad(cmd, "--%s", err.text);
      return 0;
    }
    return 1;
  }
  if (!strcmp(name, "format")) {
    ionkmc_error err;
    if (ionkmc_traj_options_set_format(&in->topt, arg, &err) != IONKMC_OK) {
      cli_bad(cmd, "--%s", err.text);
      return 0;
    }
    return 1;
  }
  if (!strcmp(name, "fit-window") || !strcmp(name, "defect-fit-window")) {
    double lo = NAN, hi = NAN;
    char *f[2];
    int r = cli_split(arg, ':', f, 2);
    if (r < 0) {
      cli_fail(cmd, "out of memory");
      return 0;
    }
    int ok = r == 1 && cli_double(cmd, name, f[0], &lo) && cli_double(cmd, name, f[1], &hi);
    if (r == 1) free(f[0]);
    if (r == 1 && !ok) return 0; /* cli_double said why */
    if (!ok || !(lo >= 0 && hi <= 1 && lo < hi)) {
      cli_bad(cmd, "--%s: expected LO:HI with 0 <= LO < HI <= 1, got '%s'", name, arg);
      return 0;
    }
    if (name[0] == 'f') {
      in->hp.fit_lo = lo;
      in->hp.fit_hi = hi;
    } else {
      in->hp.def_fit_lo = lo;
      in->hp.def_fit_hi = hi;
    }
    return 1;
  }
  if (!cli_double(cmd, name, arg, &v)) return 0;
  int positive = strcmp(name, "dwell") && strcmp(name, "window");
  if (positive ? !(v > 0) : !(v >= 0)) {
    cli_bad(cmd, "--%s: expected a value %s 0, got '%s'", name, positive ? ">" : ">=", arg);
    return 0;
  }
  if (!strcmp(name, "timestep")) in->topt.timestep_ps = v;
  else if (!strcmp(name, "frame-dt")) in->topt.frame_dt_ps = v;
  else if (!strcmp(name, "r-inner")) in->hp.r_inner = v;
  else if (!strcmp(name, "r-inner-ma")) in->hp.r_inner_ma = v;
  else if (!strcmp(name, "dwell")) in->hp.dwell = v;
  else if (!strcmp(name, "window")) in->hp.window = v;
  else return 0;
  return 1;
}

int calib_opt_parse(const char *cmd, const char *opt, const char *arg, void *field) {
  return calib_opt(cmd, field, opt, arg);
}

void calib_show_fit_window(const void *field, char *buf, size_t n) {
  const calib_inputs *in = field;
  snprintf(buf, n, "%g:%g", in->hp.fit_lo, in->hp.fit_hi);
}

void calib_show_defect_fit_window(const void *field, char *buf, size_t n) {
  const calib_inputs *in = field;
  snprintf(buf, n, "%g:%g", in->hp.def_fit_lo, in->hp.def_fit_hi);
}

const char *const CALIB_ALT_NAME[CALIB_NALT] = {"r_inner x0.8", "r_inner x1.2", "dwell x0.5",
                                                "dwell x2"};

void calib_inputs_release(calib_inputs *in) {
  for (int r = 0; r < CALIB_MAX_RUNS; r++) {
    free(in->jumps[r]);
    in->jumps[r] = NULL;
  }
}

void calib_inputs_init(calib_inputs *in) {
  memset(in, 0, sizeof *in);
  in->topt = ionkmc_traj_options_default();
  in->hp = ionkmc_hop_params_default();
  in->progress = -1;
}

/* Progress of the MD reading: this file and all files. */
typedef struct {
  cli_progress pr;
  const char *cmd, *path;
  int run, nruns;
  double size, done_before, total, t0;
} read_progress;

static void read_progress_fn(int64_t frames, int64_t bytes, double time_ps, void *user) {
  read_progress *r = user;
  if (frames == 1) r->pr.last = -1e30; /* a new file always shows (once past the delay) */
  double el = cli_now() - r->t0, all = r->done_before + (double)bytes;
  double rate = el > 0 ? all / el : 0;
  char eta[32], eta_all[32];
  cli_duration(eta, sizeof eta, rate > 0 ? (r->size - (double)bytes) / rate : NAN);
  cli_duration(eta_all, sizeof eta_all, rate > 0 ? (r->total - all) / rate : NAN);
  const char *base = strrchr(r->path, '/');
  cli_progress_show(&r->pr, "[ionkmc %s] file %d/%d %s: %.1f/%.1f MB, %lld frames (%.4g ps), %.1f MB/s, ETA %s (all files %s)",
                    r->cmd, r->run + 1, r->nruns, base ? base + 1 : r->path, (double)bytes / 1e6, r->size / 1e6,
                    (long long)frames, time_ps, rate / 1e6, eta, eta_all);
}

typedef struct {
  FILE *fp;
  const calib_run *run;
  ionkmc_hop_record *hop; /* every hop of the run, for its geometry */
  size_t n, cap;
  int nomem;
} event_ctx;

static void event_row(const ionkmc_hop_record *h, void *user) {
  event_ctx *c = user;
  if (c->n == c->cap && !c->nomem) {
    size_t cap = c->cap ? 2 * c->cap : 1024;
    ionkmc_hop_record *p = realloc(c->hop, cap * sizeof *p);
    if (p) {
      c->hop = p;
      c->cap = cap;
    } else {
      c->nomem = 1;
    }
  }
  if (c->n < c->cap) c->hop[c->n++] = *h;
  if (!c->fp) return;
  char ids[64];
  if (h->species == 0) snprintf(ids, sizeof ids, "%lld", (long long)h->id[0]);
  else snprintf(ids, sizeof ids, "%lld/%lld", (long long)h->id[0], (long long)h->id[1]);
  fprintf(c->fp, "%s,%g,%.6f,%s,%s,%d,%d,%.4f,%.4f,%.4f,%s,%lld,%s,%d,%.4f\n", c->run->path, c->run->T,
          h->time, h->species == 0 ? "I" : "MA", ids, h->from_site, h->to_site, h->vec[0], h->vec[1],
          h->vec[2], ionkmc_mech_name(h->mech), (long long)h->event, ionkmc_mech_name(h->event_mech),
          h->event_size, h->dwell);
}

void calib_events_header(FILE *fp) {
  fprintf(fp, "file,T,time_ps,species,atom_ids,from_site,to_site,dx_A,dy_A,dz_A,mechanism,event,"
              "event_mechanism,event_atoms,dwell_ps\n");
}

/* The run's hop geometry and, for a lone defect, its track. */
static ionkmc_status run_geometry(calib_inputs *in, int r, const event_ctx *ctx, ionkmc_error *err) {
  calib_run *run = &in->runs[r];
  const ionkmc_md_summary *s = &run->sum;
  ionkmc_mech mech = ionkmc_mech_of_defect(in->kind);
  memset(&run->geom, 0, sizeof run->geom);
  memset(&run->track, 0, sizeof run->track);
  run->lone = s->defects_first[mech] == 1 && s->defects_last[mech] == 1;
  free(in->jumps[r]);
  in->jumps[r] = NULL;
  if (run->lone && !(in->jumps[r] = malloc((ctx->n ? ctx->n : 1) * sizeof *in->jumps[r])))
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the defect's track", run->path);
  return ionkmc_geom_md_run(ctx->hop, ctx->n, in->kind, s->t_first, s->t_last, s->a_mean, &run->geom, in->jumps[r],
                            ctx->n, &run->track, err);
}

int calib_read_runs(const char *cmd, calib_inputs *in, FILE *events) {
  if (in->nruns == 0) return cli_bad(cmd, "--md: expected at least one T:FILE");
  if (!in->kind_set) return cli_bad(cmd, "--defect: expected the defect in the MD runs");
  ionkmc_hop_params hp[1 + CALIB_NALT];
  hp[0] = in->hp;
  ionkmc_calib_sensitivity_params(&in->hp, in->alt_hp);
  memcpy(hp + 1, in->alt_hp, sizeof in->alt_hp);
  read_progress rp = {.cmd = cmd, .nruns = in->nruns, .t0 = cli_now()};
  cli_progress_init(&rp.pr, in->progress);
  double sizes[CALIB_MAX_RUNS];
  for (int r = 0; r < in->nruns; r++) {
    struct stat sb;
    sizes[r] = stat(in->runs[r].path, &sb) == 0 ? (double)sb.st_size : 0;
    rp.total += sizes[r];
  }
  for (int r = 0; r < in->nruns; r++) {
    calib_run *run = &in->runs[r];
    ionkmc_error err;
    event_ctx ctx = {events, run, NULL, 0, 0, 0};
    ionkmc_md_summary sums[1 + CALIB_NALT];
    rp.run = r;
    rp.path = run->path;
    rp.size = sizes[r];
    ionkmc_status st = ionkmc_md_analyze_file_progress(run->path, &in->topt, hp, in->sensitivity ? 1 + CALIB_NALT : 1,
                                                       event_row, &ctx, rp.pr.mode ? read_progress_fn : NULL, &rp,
                                                       sums, &err);
    rp.done_before += sizes[r];
    if (st) cli_progress_end(&rp.pr);
    if (!st) {
      run->sum = sums[0];
      if (in->sensitivity) memcpy(run->alt, sums + 1, sizeof run->alt);
    }
    if (!st && ctx.nomem) st = ionkmc_error_set(&err, IONKMC_ENOMEM, "%s: out of memory for the hop records", run->path);
    if (!st) st = run_geometry(in, r, &ctx, &err);
    free(ctx.hop);
    if (st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL) return cli_fail(cmd, "%s", err.text);
    if (st) return cli_bad(cmd, "%s", err.text);
    if (ionkmc_calib_check_run(run, in->kind, &err)) return cli_bad(cmd, "%s", err.text);
  }
  cli_progress_end(&rp.pr);
  ionkmc_error err;
  ionkmc_status st = ionkmc_calib_group(in->runs, in->nruns, in->kind, in->temps, &in->ntemps, &err);
  if (st) return cli_fail(cmd, "%s", err.text);
  return 0;
}

ionkmc_calib_data calib_data(const calib_inputs *in) {
  ionkmc_calib_data d;
  memset(&d, 0, sizeof d);
  d.kind = in->kind;
  d.hp = in->hp;
  d.timestep_ps = in->topt.timestep_ps;
  d.sensitivity = in->sensitivity;
  memcpy(d.alt_hp, in->alt_hp, sizeof d.alt_hp);
  d.nruns = in->nruns;
  d.runs = in->runs;
  d.ntemps = in->ntemps;
  d.temps = in->temps;
  return d;
}

/* The lags [m0, m1] (in frames) that ionkmc_msd_fit_D uses for a window. */
static json_t *fit_window_ps(int nframes, double dt, double lo, double hi) {
  int m0 = (int)ceil(lo * (nframes - 1)), m1 = (int)floor(hi * (nframes - 1));
  if (m0 < 1) m0 = 1;
  return json_pack("[f,f]", m0 * dt, m1 * dt);
}

static json_t *series_json(const double *v, int n) {
  json_t *a = json_array();
  for (int k = 0; k < n; k++) json_array_append_new(a, isfinite(v[k]) ? json_real(v[k]) : json_null());
  return a;
}

json_t *calib_run_msd_json(const calib_inputs *in, const calib_run *run) {
  const ionkmc_md_summary *s = &run->sum;
  if (s->msd_n == 0) return json_null();
  double lag[IONKMC_MD_MSD_POINTS];
  for (int k = 0; k < s->msd_n; k++) lag[k] = s->msd_lag[k] * s->frame_dt;
  return json_pack("{s:o,s:{s:o,s:o},s:{s:i,s:i},s:o,s:o}", "lag_ps", series_json(lag, s->msd_n),
                   "per_atom_A2", "I", series_json(s->msd_per_atom[0], s->msd_n), "MA",
                   series_json(s->msd_per_atom[1], s->msd_n), "atoms", "I", s->n_i, "MA", s->n_ma,
                   "fit_window_ps", fit_window_ps(s->nframes, s->frame_dt, in->hp.fit_lo, in->hp.fit_hi),
                   "defect_fit_window_ps",
                   fit_window_ps(s->nframes, s->frame_dt, in->hp.def_fit_lo, in->hp.def_fit_hi));
}

json_t *calib_temp_msd_json(const calib_inputs *in, const calib_temp *tp) {
  const ionkmc_md_summary *s0 = &in->runs[tp->run[0]].sum;
  if (s0->msd_n == 0) return json_null();
  /* Pooled only over runs on one lag grid (same frames and frame interval). */
  for (int q = 1; q < tp->nruns; q++) {
    const ionkmc_md_summary *s = &in->runs[tp->run[q]].sum;
    if (s->nframes != s0->nframes || fabs(s->frame_dt - s0->frame_dt) > 1e-9 * s0->frame_dt)
      return json_pack("{s:s}", "not_pooled", "the runs differ in frames or frame interval");
  }
  int n = s0->msd_n;
  double lag[IONKMC_MD_MSD_POINTS], mean[IONKMC_NSPECIES][IONKMC_MD_MSD_POINTS], sem[IONKMC_NSPECIES][IONKMC_MD_MSD_POINTS];
  for (int k = 0; k < n; k++) {
    lag[k] = s0->msd_lag[k] * s0->frame_dt;
    for (int sp = 0; sp < IONKMC_NSPECIES; sp++) {
      double v[CALIB_MAX_RUNS];
      for (int q = 0; q < tp->nruns; q++) v[q] = in->runs[tp->run[q]].sum.msd_per_atom[sp][k];
      ionkmc_estimate e = ionkmc_estimate_mean(v, tp->nruns, 1);
      mean[sp][k] = e.mean;
      sem[sp][k] = tp->nruns > 1 ? e.sem : NAN;
    }
  }
  return json_pack("{s:i,s:o,s:{s:o,s:o},s:{s:o,s:o},s:o}", "runs", tp->nruns, "lag_ps", series_json(lag, n),
                   "per_atom_A2", "I", series_json(mean[0], n), "MA", series_json(mean[1], n), "sem_A2", "I",
                   series_json(sem[0], n), "MA", series_json(sem[1], n), "fit_window_ps",
                   fit_window_ps(s0->nframes, s0->frame_dt, in->hp.fit_lo, in->hp.fit_hi));
}

void calib_pm(char *buf, size_t n, ionkmc_estimate e, int nblocks) {
  if (!isfinite(e.mean)) snprintf(buf, n, "-(c)");
  else if (!isfinite(e.sem)) snprintf(buf, n, "%.3e +- -(c)", e.mean);
  else snprintf(buf, n, "%.3e +- %.1e%s", e.mean, e.sem, nblocks > 0 ? "(b)" : "");
}

void calib_footnotes(FILE *fp, int blocks, int no_se, int no_defect) {
  if (blocks)
    fprintf(fp, "# (b) one run at this T: mean and SE over %d equal blocks of the run (calibration/msdblock.h)\n",
            IONKMC_MSD_BLOCKS_DEFAULT);
  if (no_se) fprintf(fp, "# (c) no standard error: one run, too short for blocks of 8 frames (or no MSD fit)\n");
  if (no_defect) fprintf(fp, "# (d) the defect was not alone in its species, so its own D cannot be followed\n");
}
