/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc neb --environments: the barrier distribution of one hop over
 * independently sampled environments (see cli/neb_env.h and neb --help). */
#define _POSIX_C_SOURCE 200809L
#include "cli/neb_env.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers/torch_model.h"
#include "barriers/vineyard.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/mlff_cli.h"
#include "kmc/rng.h"
#include "lattice/lattice.h"

static double gauss(ionkmc_rng *r) {
  double u1, u2;
  ionkmc_rng_uniform2(r, &u1, &u2);
  return sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
}

/* Remove atom k from s (in place). */
static void remove_atom(ionkmc_atoms *s, int k) {
  memmove(&s->x[3 * k], &s->x[3 * (k + 1)], (size_t)(s->n - k - 1) * 3 * sizeof(double));
  memmove(s->el[k], s->el[k + 1], (size_t)(s->n - k - 1) * sizeof s->el[0]);
  s->n--;
}

static double dist(const ionkmc_atoms *s, const double inv[3][3], const double *p, const double *q) {
  double d[3];
  ionkmc_cell_min_image(s->cell, inv, p, q, d);
  return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* The built-in cells: the hop of hopcell.h and extra X vacancies removed. */
static int hopcell_env(const char *cmd, const char el[3][4], int L, double a, ionkmc_hop_mech mech, int vacancies,
                       ionkmc_rng *rng, ionkmc_atoms **pini, ionkmc_atoms **pfin, neb_struct_info *info) {
  ionkmc_error err;
  ionkmc_atoms *ini = NULL, *fin = NULL;
  memset(info, 0, sizeof *info);
  if (ionkmc_hopcell_build(el[0], el[1], el[2], L, a, mech, &ini, &fin, &info->mover, &err))
    return cli_bad(cmd, "%s", err.text);
  int mover = info->mover;
  double inv[3][3];
  ionkmc_cell_inverse(ini->cell, inv, NULL);
  memcpy(info->s0, &fin->x[3 * mover], sizeof info->s0); /* the defect's initial site (the vacancy) */
  memcpy(info->s1, &ini->x[3 * mover], sizeof info->s1); /* its final site */
  info->a = a;
  /* extra vacancies on random X sites (not the mover) */
  for (int v = 0; v < vacancies; v++) {
    int nx = 0;
    for (int i = 0; i < ini->n; i++) nx += i != mover && !strcmp(ini->el[i], el[2]);
    if (nx == 0) break;
    int pick = (int)ionkmc_rng_below(rng, (uint32_t)nx), k = -1;
    for (int i = 0; i < ini->n && k < 0; i++)
      if (i != mover && !strcmp(ini->el[i], el[2]) && pick-- == 0) k = i;
    const double shell = a / sqrt(2.0);
    if (fabs(dist(ini, inv, info->s0, &ini->x[3 * k]) - shell) < 0.1 * a) info->init_counts[IONKMC_V_I]++;
    if (fabs(dist(ini, inv, info->s1, &ini->x[3 * k]) - shell) < 0.1 * a) info->final_counts[IONKMC_V_I]++;
    remove_atom(ini, k);
    remove_atom(fin, k);
    if (k < mover) mover--;
  }
  info->mover = mover;
  *pini = ini, *pfin = fin;
  return 0;
}

/* The structure builder's cells: a fresh seed per environment (MA axes)
 * unless on a snapshot, and extra V_I defects on random X sites that the hop
 * does not use. */
static int struct_env(const char *cmd, const ionkmc_structure_spec *base, const ionkmc_frame *snap,
                      const neb_env_opts *o, ionkmc_rng *rng, ionkmc_atoms **ini, ionkmc_atoms **fin,
                      neb_struct_info *info) {
  ionkmc_structure_spec sp = *base;
  ionkmc_error err;
  if (!snap) {
    double u1, u2;
    ionkmc_rng_uniform2(rng, &u1, &u2);
    sp.seed = ((uint64_t)(u1 * 4294967296.0) << 32) | (uint64_t)(u2 * 4294967296.0);
  }
  const int nextra = o->vacancies + o->nextra;
  if (nextra > 0) {
    ionkmc_status lst;
    ionkmc_lattice *lat = ionkmc_lattice_alloc(sp.L, &lst);
    if (!lat) return cli_fail(cmd, "out of memory");
    ionkmc_sublattice hsub = ionkmc_defect_sublattice(sp.defect[0].kind);
    int nnb = 0, hop[2] = {sp.defect[0].site, 0};
    hop[1] = ionkmc_lattice_neighbours(lat, hsub == IONKMC_SUB_X ? "XX" : "AA", hop[0], &nnb, NULL)[0];
    int nsite[2] = {ionkmc_lattice_nsites(lat, IONKMC_SUB_X), ionkmc_lattice_nsites(lat, IONKMC_SUB_A)};
    ionkmc_lattice_free(lat);
    if (sp.ndefects + nextra > IONKMC_STRUCT_MAXDEF)
      return cli_bad(cmd, "--env-vacancies / --env-defects: at most %d defects per cell", IONKMC_STRUCT_MAXDEF - 1);
    for (int v = 0; v < nextra; v++) {
      ionkmc_defect_kind k = v < o->vacancies ? IONKMC_V_I : o->extra[v - o->vacancies];
      ionkmc_sublattice sub = ionkmc_defect_sublattice(k);
      int ns = nsite[sub == IONKMC_SUB_X ? 0 : 1], free_sites = ns - (sub == hsub ? 2 : 0);
      for (int e = 1; e < sp.ndefects; e++) free_sites -= ionkmc_defect_sublattice(sp.defect[e].kind) == sub;
      if (free_sites < 1)
        return cli_bad(cmd, "--env-vacancies / --env-defects: no free %s site left in this cell", ionkmc_defect_name(k));
      int site, taken;
      do {
        site = (int)ionkmc_rng_below(rng, (uint32_t)ns);
        taken = sub == hsub && (site == hop[0] || site == hop[1]);
        for (int e = 1; e < sp.ndefects; e++)
          taken |= ionkmc_defect_sublattice(sp.defect[e].kind) == sub && sp.defect[e].site == site;
      } while (taken);
      sp.defect[sp.ndefects].kind = k;
      sp.defect[sp.ndefects++].site = site;
    }
  }
  if (neb_struct_hop(&sp, snap, ini, fin, info, &err)) return cli_bad(cmd, "%s", err.text);
  return 0;
}

/* Open the snapshot file (LAMMPS types from the builder's type map of the
 * defect-free cell), count its frames and reopen it. */
static int open_snapshots(const char *cmd, const char *path, const ionkmc_structure_spec *base, int n,
                          ionkmc_traj **out, int64_t *nframes) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_structure_spec ps = *base;
  ps.ndefects = 0;
  ionkmc_structure *perfect = ionkmc_structure_build(&ps, &err);
  if (!perfect) return cli_bad(cmd, "%s", err.text);
  char map[256];
  ionkmc_structure_typemap(perfect, map, sizeof map);
  ionkmc_structure_free(perfect);
  ionkmc_traj_options to = ionkmc_traj_options_default();
  to.frame_dt_ps = 1; /* extxyz frames without Time= are numbered */
  if (ionkmc_traj_parse_types(&to, map, &err)) return cli_fail(cmd, "%s", err.text);
  *nframes = 0;
  for (int pass = 0; pass < 2; pass++) {
    ionkmc_traj *t = ionkmc_traj_open(path, &to, &err, &st);
    if (!t) return st == IONKMC_ENOMEM ? cli_fail(cmd, "%s", err.text) : cli_bad(cmd, "--env-snapshots %s", err.text);
    if (pass == 1) {
      *out = t;
      break;
    }
    const ionkmc_frame *f;
    while (!(st = ionkmc_traj_next(t, &f, &err)) && f) ++*nframes;
    ionkmc_traj_free(t);
    if (st) return cli_bad(cmd, "--env-snapshots %s", err.text);
    if (*nframes < n)
      return cli_bad(cmd, "--env-snapshots %s: %lld frames, fewer than the %d environments asked for", path,
                     (long long)*nframes, n);
  }
  return 0;
}

/* Frames picked evenly from the snapshot file: frame floor((j + 1/2) nf / n). */
static int64_t pick_frame(int j, int n, int64_t nf) { return (int64_t)((j + 0.5) * (double)nf / n); }

int neb_environments(const char *cmd, ionkmc_mlff *m, const char el[3][4], int L, double a, ionkmc_hop_mech mech,
                     ionkmc_defect_kind kind, const neb_build_opts *bo, const ionkmc_mlff_neb_params *np,
                     const neb_env_opts *o, double nu_user, int quiet, json_t *doc, json_t **cat_entry) {
  const int D = IONKMC_TORCH_DESCRIPTOR_LENGTH;
  double *Eb = calloc((size_t)o->n, sizeof *Eb), *nu = calloc((size_t)o->n, sizeof *nu);
  double *desc = calloc((size_t)o->n * D, sizeof *desc);
  json_t *rows = json_array();
  int code = 0;
  ionkmc_error err;
  ionkmc_structure_spec base = neb_struct_spec(bo, el, L, a, kind);
  ionkmc_traj *tr = NULL;
  const ionkmc_frame *fr = NULL;
  int64_t nframes = 0;
  if (bo->snapshots && (code = open_snapshots(cmd, bo->snapshots, &base, o->n, &tr, &nframes))) goto out;
  for (int e = 0; e < o->n && !code; e++) {
    ionkmc_atoms *ini = NULL, *fin = NULL;
    neb_struct_info info;
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, o->seed, (uint64_t)e);
    if (tr) {
      int64_t want = pick_frame(e, o->n, nframes);
      ionkmc_status st;
      do st = ionkmc_traj_next(tr, &fr, &err);
      while (!st && fr && fr->index < want);
      if (st || !fr) {
        code = cli_bad(cmd, "--env-snapshots %s: %s", bo->snapshots, st ? err.text : "the file ended early");
        break;
      }
    }
    if (bo->a_site ? (code = struct_env(cmd, &base, tr ? fr : NULL, o, &rng, &ini, &fin, &info))
                   : (code = hopcell_env(cmd, el, L, a, mech, o->vacancies, &rng, &ini, &fin, &info)))
      break;
    double inv[3][3];
    ionkmc_cell_inverse(ini->cell, inv, NULL);
    const double *s0 = info.s0, *s1 = info.s1;
    /* static disorder of the far atoms, which are then held fixed */
    unsigned char *frozen = calloc((size_t)ini->n, 1);
    double mid[3], hd[3];
    ionkmc_cell_min_image(ini->cell, inv, s0, s1, hd);
    for (int d = 0; d < 3; d++) mid[d] = s0[d] + 0.5 * hd[d];
    int nfrozen = 0;
    for (int i = 0; i < ini->n; i++) {
      if (dist(ini, inv, mid, &ini->x[3 * i]) <= o->radius) continue;
      frozen[i] = 1;
      nfrozen++;
      for (int d = 0; d < 3; d++) {
        double u = o->sigma * gauss(&rng);
        ini->x[3 * i + d] += u;
        fin->x[3 * i + d] += u;
      }
    }
    ionkmc_mlff_neb_params p = *np;
    p.frozen = frozen;
    ionkmc_mlff_band *b = NULL;
    ionkmc_status st = ionkmc_mlff_neb(m, ini, fin, &p, &b, &err);
    ionkmc_vineyard_result vy;
    if (!st && o->prefactor) st = ionkmc_vineyard_band(m, ini, b, o->pref_radius, &vy, &err);
    if (st) {
      code = mlff_cli_exit(st);
      fprintf(stderr, "ionkmc %s: environment %d: %s\n", cmd, e, err.text);
    } else {
      Eb[e] = b->res.Ef;
      nu[e] = o->prefactor ? vy.nu : nu_user;
      ionkmc_torch_descriptor_fill(&desc[(size_t)e * D], ionkmc_defect_charge(kind), b->hop_length, info.a, 0.0,
                                   info.init_counts, info.final_counts, info.cos2, info.ncages);
      json_t *row = json_pack("{s:i,s:f,s:f,s:f,s:b,s:i,s:i,s:i}", "environment", e, "Ef_eV", b->res.Ef, "Er_eV",
                              b->res.Er, "dE_eV", b->res.dE, "converged", b->res.converged, "frozen_atoms", nfrozen,
                              "init_V_I_neighbours", info.init_counts[IONKMC_V_I], "final_V_I_neighbours",
                              info.final_counts[IONKMC_V_I]);
      if (bo->a_site) json_object_set_new(row, "builder_seed", json_integer((json_int_t)info.seed));
      if (info.ncages) {
        json_object_set_new(row, "cos2_sum", json_real(info.cos2));
        json_object_set_new(row, "ma_cages", json_integer(info.ncages));
      }
      if (tr) {
        json_object_set_new(row, "snapshot_frame", json_integer(fr->index));
        json_object_set_new(row, "snapshot_time_ps", json_real(fr->time));
        json_object_set_new(row, "a_A", json_real(info.a));
      }
      json_object_set_new(row, "nu_per_s", isfinite(nu[e]) ? json_real(nu[e]) : json_null());
      /* an end point as the highest image: the relaxed end points have no barrier between them */
      json_object_set_new(row, "saddle_interior",
                          json_boolean(b->res.saddle > 0 && b->res.saddle < b->nimages - 1));
      json_array_append_new(rows, row);
      if (!quiet)
        printf("environment %d: Ef = %.4f eV, Er = %.4f eV%s\n", e, b->res.Ef, b->res.Er,
               b->res.converged ? "" : " (NOT converged)");
    }
    ionkmc_mlff_band_free(b);
    free(frozen);
    ionkmc_atoms_free(ini);
    ionkmc_atoms_free(fin);
  }
  if (!code) {
    double mean = 0, sd = 0, lnu = 0;
    for (int e = 0; e < o->n; e++) mean += Eb[e] / o->n;
    for (int e = 0; e < o->n; e++) sd += (Eb[e] - mean) * (Eb[e] - mean);
    sd = o->n > 1 ? sqrt(sd / (o->n - 1)) : 0;
    for (int e = 0; e < o->n; e++) lnu += log(nu[e]) / o->n;
    json_t *vals = json_array();
    for (int e = 0; e < o->n; e++) json_array_append_new(vals, json_real(Eb[e]));
    json_object_set_new(doc, "environments",
                        json_pack("{s:i,s:f,s:f,s:f,s:f,s:I,s:i,s:o,s:o,s:s}", "n", o->n, "Eb_mean_eV", mean,
                                  "Eb_sd_eV", sd, "sigma_A", o->sigma, "radius_A", o->radius, "seed",
                                  (json_int_t)o->seed, "extra_vacancies", o->vacancies, "Eb_values_eV", vals, "rows",
                                  rows, "what",
                                  "forward barriers of one hop; each environment: the cell (see sampling), the "
                                  "atoms beyond radius of the hop midpoint displaced by N(0, sigma^2) per "
                                  "component (Philox stream (seed, index)) and held fixed, extra X vacancies on "
                                  "random X sites; SD with n-1"));
    json_object_set_new(json_object_get(doc, "environments"), "sampling",
                        json_string(tr ? "MD snapshots: the hop built on evenly spaced frames of the trajectory "
                                         "(snapshot_frame per row), the far atoms at the frame's positions"
                                    : bo->a_site ? "the structure builder's cell with its own seed per environment "
                                                   "(fresh MA axes: seeded orientations)"
                                                 : "static disorder of the built-in point-cation cell"));
    if (tr) json_object_set_new(json_object_get(doc, "environments"), "snapshots", json_string(bo->snapshots));
    if (o->nextra) {
      json_t *xd = json_array();
      for (int k = 0; k < o->nextra; k++) json_array_append_new(xd, json_string(ionkmc_defect_name(o->extra[k])));
      json_object_set_new(json_object_get(doc, "environments"), "extra_defects", xd);
    }
    rows = NULL;
    double lo = Eb[0], hi = Eb[0];
    for (int e = 1; e < o->n; e++) lo = fmin(lo, Eb[e]), hi = fmax(hi, Eb[e]);
    if (!quiet)
      printf("%d environments: Eb mean %.4f eV, SD %.4f eV (min %.4f, max %.4f)\n", o->n, mean, sd, lo, hi);
    if (cat_entry && isfinite(lnu)) {
      json_t *ent = json_pack("{s:s,s:s,s:s,s:f,s:f,s:s}", "defect", ionkmc_defect_name(kind), "mechanism",
                              ionkmc_defect_mechanism(kind), "provider", o->gaussian ? "constant" : "sampled", "Eb",
                              mean, "nu", exp(lnu), "source", "neb");
      if (o->gaussian) {
        json_object_set_new(ent, "disorder_sigma", json_real(sd));
      } else {
        json_t *sm = json_array();
        for (int e = 0; e < o->n; e++) json_array_append_new(sm, json_real(Eb[e]));
        json_object_set_new(ent, "samples_Eb", sm);
      }
      *cat_entry = ent;
    }
    if (o->table) {
      ionkmc_outfile *of = NULL;
      if (!(code = cli_open(cmd, "table", o->table, &of))) {
        FILE *fp = ionkmc_outfile_stream(of);
        fprintf(fp, "# ionkmc neb --environments: CI-NEB forward barriers (eV) and prefactors (1/s) in the\n"
                    "# torch barrier model's descriptor (version %d, length %d; examples/torch_barrier)\n",
                IONKMC_TORCH_DESCRIPTOR_VERSION, D);
        fputs("q,dr,a,qEdr,", fp);
        for (int end = 0; end < 2; end++)
          for (int k = 0; k < IONKMC_NDEFECT; k++) fprintf(fp, "%s_%s,", end ? "final" : "init", ionkmc_defect_name(k));
        fputs("cos2_sum,ncages,Eb,nu\n", fp);
        for (int e = 0; e < o->n; e++) {
          for (int k = 0; k < D; k++) fprintf(fp, "%.10g,", desc[(size_t)e * D + k]);
          fprintf(fp, "%.8g,%.6e\n", Eb[e], nu[e]);
        }
        code = cli_commit(cmd, &of);
      }
    }
  }
out:
  ionkmc_traj_free(tr);
  json_decref(rows);
  free(Eb);
  free(nu);
  free(desc);
  return code;
}
