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
      cli_bad(cmd, "--defect: unknown defect '%s' (expected V_I+, I_I-, I_MA+, I_MA0, V_MA-, V_MA0)", arg);
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
    if (!strcmp(arg, "auto")) in->topt.format = IONKMC_TRAJ_AUTO;
    else if (!strcmp(arg, "lammps")) in->topt.format = IONKMC_TRAJ_LAMMPS;
    else if (!strcmp(arg, "extxyz")) in->topt.format = IONKMC_TRAJ_EXTXYZ;
    else if (!strcmp(arg, "h5md")) in->topt.format = IONKMC_TRAJ_H5MD;
    else {
      cli_bad(cmd, "--format: expected auto, lammps, extxyz or h5md, got '%s'", arg);
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
} event_ctx;

static void event_row(const ionkmc_hop_record *h, void *user) {
  event_ctx *c = user;
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

int calib_read_runs(const char *cmd, calib_inputs *in, FILE *events) {
  if (in->nruns == 0) return cli_bad(cmd, "--md: expected at least one T:FILE");
  if (!in->kind_set) return cli_bad(cmd, "--defect: expected the defect in the MD runs");
  ionkmc_mech mech = ionkmc_mech_of_defect(in->kind);
  ionkmc_hop_params hp[1 + CALIB_NALT];
  hp[0] = in->hp;
  for (int k = 0; k < CALIB_NALT; k++) {
    ionkmc_hop_params q = in->hp;
    q.msd = 0;
    if (k < 2) {
      q.r_inner *= k == 0 ? 0.8 : 1.2;
      q.r_inner_ma *= k == 0 ? 0.8 : 1.2;
    } else {
      q.dwell *= k == 2 ? 0.5 : 2.0;
    }
    in->alt_hp[k] = hp[1 + k] = q;
  }
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
    event_ctx ctx = {events, run};
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
    if (st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL) return cli_fail(cmd, "%s", err.text);
    if (st) return cli_bad(cmd, "%s", err.text);
    if (run->sum.defects_first[mech] < 1)
      return cli_bad(cmd,
                     "%s: frame 0: expected a %s (mechanism %s) in the first frame, found none "
                     "(empty X sites %d, doubly occupied X %d, doubly occupied A %d, empty A %d)",
                     run->path, ionkmc_defect_name(in->kind), ionkmc_mech_name(mech),
                     run->sum.defects_first[0], run->sum.defects_first[1],
                     run->sum.defects_first[2], run->sum.defects_first[3]);
  }
  cli_progress_end(&rp.pr);
  /* Group runs by temperature (in order of T). */
  in->ntemps = 0;
  for (int r = 0; r < in->nruns; r++) {
    int g = -1;
    for (int k = 0; k < in->ntemps; k++)
      if (in->temps[k].T == in->runs[r].T) g = k;
    if (g < 0) {
      g = in->ntemps++;
      memset(&in->temps[g], 0, sizeof in->temps[g]);
      in->temps[g].T = in->runs[r].T;
    }
    calib_temp *tp = &in->temps[g];
    tp->run[tp->nruns++] = r;
  }
  for (int i = 1; i < in->ntemps; i++)
    for (int j = i; j > 0 && in->temps[j].T < in->temps[j - 1].T; j--) {
      calib_temp tmp = in->temps[j];
      in->temps[j] = in->temps[j - 1];
      in->temps[j - 1] = tmp;
    }
  int np = ionkmc_defect_npaths(in->kind);
  for (int k = 0; k < in->ntemps; k++) {
    calib_temp *tp = &in->temps[k];
    double asum = 0;
    for (int q = 0; q < tp->nruns; q++) {
      const ionkmc_md_summary *s = &in->runs[tp->run[q]].sum;
      tp->count += (double)s->events[mech];
      tp->exposure += s->exposure[mech];
      tp->unclassified += (double)s->events[IONKMC_MECH_UNCLASSIFIED];
      int spc = ionkmc_defect_sublattice(in->kind) == IONKMC_SUB_X ? 0 : 1;
      tp->hops += (double)s->hops[spc];
      tp->back_hops += (double)s->back_hops[spc];
      for (int v = 0; v < CALIB_NALT; v++)
        tp->alt_count[v] += (double)in->runs[tp->run[q]].alt[v].events[mech];
      tp->duration += (s->t_last - s->t_first) * 1e-12;
      asum += s->a_mean;
      tp->L = s->L;
    }
    tp->a = asum / tp->nruns;
    double lo, hi;
    ionkmc_error err;
    if (ionkmc_poisson_interval((int64_t)tp->count, 0.95, &lo, &hi, &err))
      return cli_fail(cmd, "%s", err.text);
    tp->rate = tp->count / (tp->exposure * np);
    tp->rate_lo = lo / (tp->exposure * np);
    tp->rate_hi = hi / (tp->exposure * np);
    tp->od_chi2 = tp->od_p = NAN;
    tp->od_dof = 0;
    if (tp->nruns >= 2 && tp->count > 0) {
      double c[CALIB_MAX_RUNS], e[CALIB_MAX_RUNS];
      for (int q = 0; q < tp->nruns; q++) {
        c[q] = (double)in->runs[tp->run[q]].sum.events[mech];
        e[q] = in->runs[tp->run[q]].sum.exposure[mech];
      }
      if (ionkmc_overdispersion(c, e, tp->nruns, &tp->od_chi2, &tp->od_dof, &tp->od_p, &err))
        return cli_fail(cmd, "%s", err.text);
    }
    int sp = ionkmc_defect_sublattice(in->kind) == IONKMC_SUB_X ? 0 : 1;
    double d[CALIB_MAX_RUNS];
    for (int q = 0; q < tp->nruns; q++) d[q] = in->runs[tp->run[q]].sum.D[sp];
    tp->D = ionkmc_estimate_log_interval(ionkmc_estimate_mean(d, tp->nruns, 1));
    for (int q = 0; q < tp->nruns; q++) d[q] = in->runs[tp->run[q]].sum.D_defect[mech];
    tp->D_defect = ionkmc_estimate_log_interval(ionkmc_estimate_mean(d, tp->nruns, 1));
    tp->defect_runs = tp->D_defect.n;
    /* One run at this T: the standard errors come from blocks of it. */
    const ionkmc_md_summary *s0 = &in->runs[tp->run[0]].sum;
    tp->nblocks = tp->block_frames = 0;
    if (tp->nruns == 1 && s0->nblocks > 0) {
      tp->nblocks = s0->nblocks;
      tp->block_frames = s0->block_frames;
      if (s0->D_block[sp].n > 0) tp->D = s0->D_block[sp];
      if (isfinite(s0->D_defect[mech]) && s0->D_defect_block[mech].n > 0) tp->D_defect = s0->D_defect_block[mech];
    }
  }
  return 0;
}

json_t *calib_hop_params_json(const calib_inputs *in) {
  return json_pack("{s:f,s:f,s:f,s:f,s:[f,f],s:[f,f],s:f}", "r_inner_A", in->hp.r_inner, "r_inner_ma_A",
                   in->hp.r_inner_ma, "dwell_ps", in->hp.dwell, "window_ps", in->hp.window,
                   "msd_fit_window", in->hp.fit_lo, in->hp.fit_hi, "defect_msd_fit_window", in->hp.def_fit_lo,
                   in->hp.def_fit_hi, "timestep_ps", in->topt.timestep_ps);
}

json_t *calib_sensitivity_json(const calib_inputs *in, const calib_temp *tp) {
  json_t *alts = json_array();
  for (int k = 0; k < CALIB_NALT && in->sensitivity; k++)
    json_array_append_new(alts, json_pack("{s:s,s:f,s:f,s:f,s:f,s:o}", "setting", CALIB_ALT_NAME[k], "r_inner_A",
                                          in->alt_hp[k].r_inner, "r_inner_ma_A", in->alt_hp[k].r_inner_ma,
                                          "dwell_ps", in->alt_hp[k].dwell, "count", tp->alt_count[k],
                                          "ratio_to_nominal",
                                          tp->count > 0 ? json_real(tp->alt_count[k] / tp->count) : json_null()));
  return json_pack("{s:f,s:f,s:o,s:o}", "hops", tp->hops, "back_hops", tp->back_hops, "back_hop_fraction",
                   tp->hops > 0 ? json_real(tp->back_hops / tp->hops) : json_null(), "counts_with_settings",
                   alts);
}

json_t *calib_run_json(const calib_run *run) {
  const ionkmc_md_summary *s = &run->sum;
  json_t *ev = json_object(), *ex = json_object(), *df = json_object(), *dd = json_object();
  for (int m = 0; m < IONKMC_NMECH; m++) {
    json_object_set_new(ev, ionkmc_mech_name(m), json_integer(s->events[m]));
    if (m < IONKMC_MECH_UNCLASSIFIED) {
      json_object_set_new(ex, ionkmc_mech_name(m), json_real(s->exposure[m]));
      json_object_set_new(df, ionkmc_mech_name(m), json_integer(s->defects_first[m]));
      json_object_set_new(dd, ionkmc_mech_name(m),
                          isfinite(s->D_defect[m]) ? json_real(s->D_defect[m]) : json_null());
    }
  }
  json_t *o = json_object();
  json_object_set_new(o, "file", json_string(run->path));
  json_object_set_new(o, "T", json_real(run->T));
  json_object_set_new(o, "L", json_integer(s->L));
  json_object_set_new(o, "atoms", json_integer(s->natoms));
  json_object_set_new(o, "frames", json_integer(s->nframes));
  json_object_set_new(o, "time_ps", json_real(s->t_last - s->t_first));
  json_object_set_new(o, "frame_dt_ps", json_real(s->frame_dt));
  json_object_set_new(o, "a_mean_A", json_real(s->a_mean));
  json_object_set_new(o, "defects_first_frame", df);
  json_object_set_new(o, "events", ev);
  json_object_set_new(o, "exposure_s", ex);
  json_object_set_new(o, "atom_hops", json_pack("{s:I,s:I}", "I", (json_int_t)s->hops[0], "MA", (json_int_t)s->hops[1]));
  json_object_set_new(o, "back_hops", json_pack("{s:I,s:I}", "I", (json_int_t)s->back_hops[0], "MA", (json_int_t)s->back_hops[1]));
  json_object_set_new(o, "rejected_excursions",
                      json_pack("{s:I,s:I}", "I", (json_int_t)s->rejected[0], "MA", (json_int_t)s->rejected[1]));
  json_object_set_new(o, "D_species_cm2_s",
                      json_pack("{s:o,s:o}", "I", isfinite(s->D[0]) ? json_real(s->D[0]) : json_null(),
                                "MA", isfinite(s->D[1]) ? json_real(s->D[1]) : json_null()));
  /* null where the defect could not be followed (not alone in its species) */
  json_object_set_new(o, "D_defect_cm2_s", dd);
  return o;
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
  double lag[IONKMC_MD_MSD_POINTS], mean[2][IONKMC_MD_MSD_POINTS], sem[2][IONKMC_MD_MSD_POINTS];
  for (int k = 0; k < n; k++) {
    lag[k] = s0->msd_lag[k] * s0->frame_dt;
    for (int sp = 0; sp < 2; sp++) {
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

json_t *calib_se_method_json(const calib_temp *tp) {
  if (tp->nblocks > 0)
    return json_pack("{s:s,s:i,s:i,s:s}", "method", "blocks", "blocks", tp->nblocks, "block_frames",
                     tp->block_frames, "note",
                     "one run at this T: mean over equal blocks of the run, SE = sd/sqrt(blocks), log-scale "
                     "Student-t interval");
  return json_pack("{s:s,s:i,s:s}", "method", "runs", "runs", tp->nruns, "note",
                   "mean over runs, SE = sd/sqrt(runs), log-scale Student-t interval");
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
