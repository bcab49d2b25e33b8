/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic MD trajectories from a KMC trajectory. See trajwriter.h. */
#include "calibration/trajwriter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lattice/lattice.h"
#include "base/outfile.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

struct ionkmc_trajwriter {
  ionkmc_trajwriter_params p;
  ionkmc_lattice *lat;
  int L;
  double a;
  int n3, ni, nma, natoms;
  int32_t *h0[IONKMC_NSPECIES]; /* initial unwrapped h-position of each particle */
  double *orient;      /* [3 nma] C->N unit vectors */
  double drift[3];
  double *xyz;         /* [3 natoms] */
  int *perm;           /* [natoms] */
  int32_t *first[IONKMC_NSPECIES]; /* per site: first particle found on it in this frame, -1 */
  int8_t *sign[IONKMC_NSPECIES]; /* per particle: +1 / -1 side of a split pair, 0 alone */
  int8_t *axis;        /* per I particle: the axis of its oriented pair, -1 the default */
  double *prev[IONKMC_NSPECIES]; /* per particle: ideal position in the previous frame, h */
  int64_t frames;      /* frames written */
  int64_t *rattled[IONKMC_NSPECIES]; /* per particle: last frame with an excursion, -2 if none */
};

ionkmc_trajwriter_params ionkmc_trajwriter_params_default(void) {
  ionkmc_trajwriter_params p = {IONKMC_TRAJ_LAMMPS, 0, 0, 0.3, 0.002, 0.8, 1.6, 0.02};
  return p;
}

static double gauss(ionkmc_rng *r) {
  double u1, u2;
  ionkmc_rng_uniform2(r, &u1, &u2);
  return sqrt(-2 * log1p(-u1)) * cos(2 * M_PI * u2);
}

void ionkmc_trajwriter_free(ionkmc_trajwriter *w) {
  if (!w) return;
  ionkmc_lattice_free(w->lat);
  free(w->h0[0]);
  free(w->h0[1]);
  free(w->orient);
  free(w->axis);
  free(w->xyz);
  free(w->perm);
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    free(w->first[s]);
    free(w->sign[s]);
    free(w->prev[s]);
    free(w->rattled[s]);
  }
  free(w);
}

int ionkmc_trajwriter_natoms(const ionkmc_trajwriter *w) { return w->natoms; }

ionkmc_trajwriter *ionkmc_trajwriter_alloc(const ionkmc_trajwriter_params *p, const ionkmc_engine *e,
                                           int L, double a, ionkmc_rng *rng, ionkmc_error *err) {
  ionkmc_status st;
  ionkmc_trajwriter *w = calloc(1, sizeof *w);
  if (!w) goto nomem;
  w->p = p ? *p : ionkmc_trajwriter_params_default();
  w->L = L;
  w->a = a;
  w->n3 = L * L * L;
  w->ni = ionkmc_engine_natoms(e, 0);
  w->nma = ionkmc_engine_natoms(e, 1);
  w->natoms = w->n3 + w->ni + 2 * w->nma;
  w->lat = ionkmc_lattice_alloc(L, &st);
  w->h0[0] = malloc(sizeof(int32_t) * 3 * (size_t)(w->ni + 1));
  w->h0[1] = malloc(sizeof(int32_t) * 3 * (size_t)(w->nma + 1));
  w->orient = malloc(sizeof(double) * 3 * (size_t)(w->nma + 1));
  w->axis = malloc((size_t)w->ni + 1);
  w->xyz = malloc(sizeof(double) * 3 * (size_t)w->natoms);
  w->perm = malloc(sizeof(int) * (size_t)w->natoms);
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    int ns = s == 0 ? 3 * w->n3 : w->n3, np = (s == 0 ? w->ni : w->nma) + 1;
    w->first[s] = malloc(sizeof(int32_t) * (size_t)ns);
    w->sign[s] = calloc((size_t)np, 1);
    w->prev[s] = calloc(3 * (size_t)np, sizeof(double));
    w->rattled[s] = malloc(sizeof(int64_t) * (size_t)np);
    if (!w->first[s] || !w->sign[s] || !w->prev[s] || !w->rattled[s]) goto nomem;
    for (int i = 0; i < np; i++) w->rattled[s][i] = -2;
  }
  if (!w->lat || !w->h0[0] || !w->h0[1] || !w->orient || !w->axis || !w->xyz || !w->perm) goto nomem;
  memset(w->axis, -1, (size_t)w->ni + 1);
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    const int32_t *site = ionkmc_engine_atom_site(e, s);
    const int32_t *disp = ionkmc_engine_atom_disp(e, s);
    int n = s == 0 ? w->ni : w->nma;
    for (int i = 0; i < n; i++) {
      ionkmc_lattice_site_pos(w->lat, s == 0 ? IONKMC_SUB_X : IONKMC_SUB_A, site[i], w->h0[s] + 3 * i);
      for (int c = 0; c < 3; c++) w->h0[s][3 * i + c] -= disp[3 * i + c];
    }
  }
  for (int m = 0; m < w->nma; m++) {
    double v[3], n2;
    do {
      n2 = 0;
      for (int c = 0; c < 3; c++) {
        v[c] = gauss(rng);
        n2 += v[c] * v[c];
      }
    } while (n2 < 1e-6);
    for (int c = 0; c < 3; c++) w->orient[3 * m + c] = v[c] / sqrt(n2);
  }
  for (int i = 0; i < w->natoms; i++) w->perm[i] = i;
  return w;
nomem:
  ionkmc_trajwriter_free(w);
  ionkmc_error_set(err, IONKMC_ENOMEM, "trajectory writer: out of memory");
  return NULL;
}

/* Place particle of species s with unwrapped h-position h (int) into out
 * (angstrom), adding the split offset, rattling and noise. */
/* Ideal position (h-units) of a particle on h with split side sgn, along
 * axis `axis` (an oriented pair's) or, for -1, the default one. */
static void ideal(const ionkmc_trajwriter *w, int s, const int32_t h[3], int sgn, int axis, double x[3]) {
  for (int c = 0; c < 3; c++) x[c] = h[c];
  if (sgn) {
    /* Off-site axis: perpendicular to the Pb-I-Pb bond for X, x for A. */
    int ax = 0;
    if (axis >= 0) {
      ax = axis;
    } else if (s == 0) {
      int odd = (h[0] & 1) ? 0 : (h[1] & 1) ? 1 : 2;
      ax = (odd + 1) % 3;
    }
    double sp = (s == 0 ? w->p.split : w->p.split_ma) / (0.5 * w->a);
    x[ax] += sgn * sp;
  }
}

static void place(ionkmc_trajwriter *w, int s, int i, const int32_t h[3], int sgn, int axis, ionkmc_rng *rng,
                  double out[3]) {
  double hh = 0.5 * w->a;
  double x[3];
  ideal(w, s, h, sgn, axis, x);
  for (int c = 0; c < 3; c++) x[c] *= hh;
  double u1, u2;
  ionkmc_rng_uniform2(rng, &u1, &u2);
  /* Excursions last one frame and never follow one another directly. */
  if (w->frames > 0 && w->rattled[s][i] < w->frames - 1 && u1 < w->p.rattle_prob) {
    w->rattled[s][i] = w->frames;
    double frac = 0.5 + 0.45 * u2;
    int d = (int)ionkmc_rng_below(rng, s == 0 ? 8 : 6);
    const int8_t *v;
    if (s == 0) {
      int odd = (h[0] & 1) ? 0 : (h[1] & 1) ? 1 : 2;
      v = ionkmc_lattice_xx_vec(odd, d);
    } else {
      v = ionkmc_lattice_aa_vec(d);
    }
    for (int c = 0; c < 3; c++) x[c] += frac * v[c] * hh;
  }
  for (int c = 0; c < 3; c++) out[c] = x[c] + w->p.noise * gauss(rng) + w->drift[c];
}

ionkmc_status ionkmc_trajwriter_frame(ionkmc_trajwriter *w, FILE *fp, const ionkmc_engine *e,
                                      double t_ps, int64_t step, ionkmc_rng *rng, ionkmc_error *err) {
  for (int c = 0; c < 3; c++) w->drift[c] += w->p.drift * gauss(rng);
  double hh = 0.5 * w->a;
  int k = 0;
  /* Pb */
  for (int c3 = 0; c3 < w->n3; c3++, k++) {
    int32_t h[3];
    ionkmc_lattice_site_pos(w->lat, IONKMC_SUB_B, c3, h);
    for (int c = 0; c < 3; c++) w->xyz[3 * k + c] = h[c] * hh + w->p.noise * gauss(rng) + w->drift[c];
  }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    /* Split pairs: choose the sides that move the two particles least from
     * where they were in the previous frame, as real atoms would. */
    const int32_t *site = ionkmc_engine_atom_site(e, s);
    const int32_t *disp = ionkmc_engine_atom_disp(e, s);
    int n = s == 0 ? w->ni : w->nma;
    int ns = s == 0 ? 3 * w->n3 : w->n3;
    for (int q = 0; q < ns; q++) w->first[s][q] = -1;
    for (int i = 0; i < n; i++) {
      w->sign[s][i] = 0;
      if (s == 0) w->axis[i] = -1;
    }
    for (int i = 0; i < n; i++) {
      int *f0 = &w->first[s][site[i]];
      if (*f0 < 0) {
        *f0 = i;
        continue;
      }
      int j = *f0, ax, side[2];
      /* an oriented pair: each atom where the engine has it */
      if (s == 0 && ionkmc_engine_oriented_pair(e, site[i], &ax, side)) {
        w->sign[0][side[0]] = 1;
        w->sign[0][side[1]] = -1;
        w->axis[side[0]] = w->axis[side[1]] = (int8_t)ax;
        continue;
      }
      double cost[2] = {0, 0};
      for (int opt = 0; opt < 2; opt++) {
        int si = opt ? -1 : 1;
        int32_t hi[3], hj[3];
        double xi[3], xj[3];
        for (int c = 0; c < 3; c++) {
          hi[c] = w->h0[s][3 * i + c] + disp[3 * i + c];
          hj[c] = w->h0[s][3 * j + c] + disp[3 * j + c];
        }
        ideal(w, s, hi, si, -1, xi);
        ideal(w, s, hj, -si, -1, xj);
        for (int c = 0; c < 3; c++)
          cost[opt] += (xi[c] - w->prev[s][3 * i + c]) * (xi[c] - w->prev[s][3 * i + c]) +
                       (xj[c] - w->prev[s][3 * j + c]) * (xj[c] - w->prev[s][3 * j + c]);
      }
      w->sign[s][i] = (int8_t)(cost[0] <= cost[1] ? 1 : -1);
      w->sign[s][j] = (int8_t)-w->sign[s][i];
    }
  }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    const int32_t *disp = ionkmc_engine_atom_disp(e, s);
    int n = s == 0 ? w->ni : w->nma;
    for (int i = 0; i < n; i++) {
      int32_t h[3];
      for (int c = 0; c < 3; c++) h[c] = w->h0[s][3 * i + c] + disp[3 * i + c];
      int ax = s == 0 ? w->axis[i] : -1;
      ideal(w, s, h, w->sign[s][i], ax, w->prev[s] + 3 * i);
      double x[3];
      place(w, s, i, h, w->sign[s][i], ax, rng, x);
      if (s == 0) {
        memcpy(w->xyz + 3 * k, x, sizeof x);
        k++;
      } else {
        const double *o = w->orient + 3 * i;
        double so[3];
        if (w->sign[s][i]) {
          /* A split pair: each C-N axis along the split, N outwards, so the
           * two molecules stay 3 A or more apart. */
          so[0] = w->sign[s][i];
          so[1] = so[2] = 0;
          o = so;
        }
        for (int c = 0; c < 3; c++) {
          w->xyz[3 * k + c] = x[c] - 0.735 * o[c];
          w->xyz[3 * (k + 1) + c] = x[c] + 0.735 * o[c];
        }
        k += 2;
      }
    }
  }
  int n = w->natoms;
  if (w->p.shuffle)
    for (int i = n - 1; i > 0; i--) {
      int j = (int)ionkmc_rng_below(rng, (uint32_t)(i + 1));
      int tmp = w->perm[i];
      w->perm[i] = w->perm[j];
      w->perm[j] = tmp;
    }
  double box = w->L * w->a;
  static const char *const EL[5] = {"?", "Pb", "I", "C", "N"};
  int ioerr = 0;
  if (w->p.format == IONKMC_TRAJ_EXTXYZ) {
    ioerr |= fprintf(fp, "%d\nLattice=\"%.6f 0 0 0 %.6f 0 0 0 %.6f\" Properties=species:S:1:pos:R:3 "
                         "Time=%.6f pbc=\"T T T\"\n",
                     n, box, box, box, t_ps) < 0;
  } else {
    const char *cols = w->p.lammps_columns == 1   ? "id type xu yu zu"
                       : w->p.lammps_columns == 2 ? "id element xs ys zs ix iy iz"
                                                  : "id type x y z ix iy iz";
    ioerr |= fprintf(fp,
                     "ITEM: TIMESTEP\n%lld\nITEM: NUMBER OF ATOMS\n%d\nITEM: BOX BOUNDS pp pp pp\n"
                     "0 %.6f\n0 %.6f\n0 %.6f\nITEM: ATOMS %s\n",
                     (long long)step, n, box, box, box, cols) < 0;
  }
  for (int q = 0; q < n; q++) {
    int i = w->perm[q];
    int type = i < w->n3 ? 1 : i < w->n3 + w->ni ? 2 : ((i - w->n3 - w->ni) % 2 == 0 ? 3 : 4);
    const double *x = w->xyz + 3 * i;
    double wr[3];
    int im[3];
    for (int c = 0; c < 3; c++) {
      im[c] = (int)floor(x[c] / box);
      wr[c] = x[c] - im[c] * box;
    }
    int r;
    if (w->p.format == IONKMC_TRAJ_EXTXYZ)
      r = fprintf(fp, "%s %.4f %.4f %.4f\n", EL[type], wr[0], wr[1], wr[2]);
    else if (w->p.lammps_columns == 1)
      r = fprintf(fp, "%d %d %.4f %.4f %.4f\n", i + 1, type, x[0], x[1], x[2]);
    else if (w->p.lammps_columns == 2)
      r = fprintf(fp, "%d %s %.6f %.6f %.6f %d %d %d\n", i + 1, EL[type], wr[0] / box, wr[1] / box,
                  wr[2] / box, im[0], im[1], im[2]);
    else
      r = fprintf(fp, "%d %d %.4f %.4f %.4f %d %d %d\n", i + 1, type, wr[0], wr[1], wr[2], im[0], im[1],
                  im[2]);
    ioerr |= r < 0;
  }
  if (ioerr) return ionkmc_error_set(err, IONKMC_EIO, "trajectory writer: write error");
  w->frames++;
  return IONKMC_OK;
}

ionkmc_status ionkmc_synth_write(const ionkmc_synth_spec *s, const char *path, int64_t *kmc_hops,
                                 ionkmc_error *err) {
  if (s->kind < 0 || s->kind >= IONKMC_NDEFECT || s->L < 2 || !(s->T > 0) || !(s->a > 0) ||
      !(s->rate >= 0) || !(s->dt_ps > 0) || s->nframes < 2)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "synth: expected a defect, L >= 2, T > 0, a > 0, rate >= 0, dt > 0 and "
                            ">= 2 frames");
  ionkmc_status st = IONKMC_OK;
  ionkmc_box_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.L = s->L;
  spec.cond.T = s->T;
  spec.cond.a = s->a;
  spec.count[s->kind] = 1;
  spec.rate[s->kind] = s->rate;
  spec.pattern[s->kind] = s->pattern;
  memcpy(spec.pattern_rate[s->kind], s->pattern_rate, sizeof s->pattern_rate);
  ionkmc_lattice *lat = ionkmc_lattice_alloc(s->L, &st);
  if (!lat) return ionkmc_error_set(err, IONKMC_ENOMEM, "synth: out of memory");
  ionkmc_engine *e = ionkmc_engine_alloc(&spec, lat, err, &st);
  ionkmc_trajwriter *w = NULL;
  ionkmc_outfile *of = NULL;
  if (!e) goto done;
  ionkmc_rng rk, rn;
  ionkmc_rng_init(&rk, s->seed, 2 * s->stream);
  ionkmc_rng_init(&rn, s->seed, 2 * s->stream + 1);
  if ((st = ionkmc_engine_reset(e, &rk, err))) goto done;
  if (!(w = ionkmc_trajwriter_alloc(&s->wp, e, s->L, s->a, &rn, err))) {
    st = IONKMC_ENOMEM;
    goto done;
  }
  if (!(of = ionkmc_outfile_open(path, err))) {
    st = IONKMC_EIO;
    goto done;
  }
  for (int k = 0; k < s->nframes && !st; k++) {
    double t_ps = k * s->dt_ps;
    if (k > 0) ionkmc_engine_run(e, &rk, 0, t_ps * 1e-12, 0);
    st = ionkmc_trajwriter_frame(w, ionkmc_outfile_stream(of), e, t_ps, llround(t_ps * 1000.0), &rn, err);
  }
  if (!st) {
    if (kmc_hops) *kmc_hops = ionkmc_engine_obs(e)->hops;
    ionkmc_outfile *o = of;
    of = NULL;
    st = ionkmc_outfile_commit(o, err);
  }
done:
  ionkmc_outfile_abort(of);
  ionkmc_trajwriter_free(w);
  ionkmc_engine_free(e);
  ionkmc_lattice_free(lat);
  return st;
}
