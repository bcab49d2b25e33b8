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
#include "cli/mlff_cli.h"
#include "kmc/rng.h"

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

int neb_environments(const char *cmd, ionkmc_mlff *m, const char el[3][4], int L, double a, ionkmc_hop_mech mech,
                     ionkmc_defect_kind kind, const ionkmc_mlff_neb_params *np, const neb_env_opts *o,
                     double nu_user, int quiet, json_t *doc, json_t **cat_entry) {
  const int D = IONKMC_TORCH_DESCRIPTOR_LENGTH;
  double *Eb = calloc((size_t)o->n, sizeof *Eb), *nu = calloc((size_t)o->n, sizeof *nu);
  double *desc = calloc((size_t)o->n * D, sizeof *desc);
  json_t *rows = json_array();
  int code = 0;
  ionkmc_error err;
  for (int e = 0; e < o->n && !code; e++) {
    ionkmc_atoms *ini = NULL, *fin = NULL;
    int mover;
    if (ionkmc_hopcell_build(el[0], el[1], el[2], L, a, mech, &ini, &fin, &mover, &err)) {
      code = cli_bad(cmd, "%s", err.text);
      break;
    }
    ionkmc_rng rng;
    ionkmc_rng_init(&rng, o->seed, (uint64_t)e);
    double inv[3][3], s0[3], s1[3];
    ionkmc_cell_inverse(ini->cell, inv, NULL);
    memcpy(s0, &fin->x[3 * mover], sizeof s0); /* the defect's initial site (the vacancy) */
    memcpy(s1, &ini->x[3 * mover], sizeof s1); /* its final site */
    /* extra vacancies on random X sites (not the mover) */
    int init_counts[6] = {0}, final_counts[6] = {0};
    for (int v = 0; v < o->vacancies; v++) {
      int nx = 0;
      for (int i = 0; i < ini->n; i++) nx += i != mover && !strcmp(ini->el[i], el[2]);
      if (nx == 0) break;
      int pick = (int)ionkmc_rng_below(&rng, (uint32_t)nx), k = -1;
      for (int i = 0; i < ini->n && k < 0; i++)
        if (i != mover && !strcmp(ini->el[i], el[2]) && pick-- == 0) k = i;
      const double shell = a / sqrt(2.0);
      if (fabs(dist(ini, inv, s0, &ini->x[3 * k]) - shell) < 0.1 * a) init_counts[IONKMC_V_I]++;
      if (fabs(dist(ini, inv, s1, &ini->x[3 * k]) - shell) < 0.1 * a) final_counts[IONKMC_V_I]++;
      remove_atom(ini, k);
      remove_atom(fin, k);
      if (k < mover) mover--;
    }
    /* static disorder of the far atoms, which are then held fixed */
    unsigned char *frozen = calloc((size_t)ini->n, 1);
    double mid[3];
    for (int d = 0; d < 3; d++) mid[d] = 0.5 * (s0[d] + s1[d]);
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
      ionkmc_torch_descriptor_fill(&desc[(size_t)e * D], ionkmc_defect_charge(kind), b->hop_length, a, 0.0,
                                   init_counts, final_counts, 0.0, 0);
      json_t *row = json_pack("{s:i,s:f,s:f,s:f,s:b,s:i,s:i,s:i}", "environment", e, "Ef_eV", b->res.Ef, "Er_eV",
                              b->res.Er, "dE_eV", b->res.dE, "converged", b->res.converged, "frozen_atoms", nfrozen,
                              "init_V_I_neighbours", init_counts[IONKMC_V_I], "final_V_I_neighbours",
                              final_counts[IONKMC_V_I]);
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
                                  "forward barriers of one hop; each environment: the atoms beyond radius of the "
                                  "hop midpoint displaced by N(0, sigma^2) per component (Philox stream (seed, "
                                  "index)) and held fixed, extra X vacancies on random X sites; SD with n-1"));
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
  json_decref(rows);
  free(Eb);
  free(nu);
  free(desc);
  return code;
}
