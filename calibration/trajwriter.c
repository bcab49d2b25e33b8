/* Synthetic MD trajectories from a KMC trajectory. See trajwriter.h. */
#include "calibration/trajwriter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lattice/lattice.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

struct ionkmc_trajwriter {
  ionkmc_trajwriter_params p;
  ionkmc_lattice *lat;
  int L;
  double a;
  int n3, ni, nma, natoms;
  int32_t *h0[2];      /* initial unwrapped h-position of each particle */
  double *orient;      /* [3 nma] C->N unit vectors */
  double drift[3];
  double *xyz;         /* [3 natoms] */
  int *perm;           /* [natoms] */
  uint8_t *cnt[2];     /* per site: particles placed so far in this frame */
};

ionkmc_trajwriter_params ionkmc_trajwriter_params_default(void) {
  ionkmc_trajwriter_params p = {IONKMC_TRAJ_LAMMPS, 0, 0, 0.3, 0.002, 0.8, 0.02};
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
  free(w->xyz);
  free(w->perm);
  free(w->cnt[0]);
  free(w->cnt[1]);
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
  w->xyz = malloc(sizeof(double) * 3 * (size_t)w->natoms);
  w->perm = malloc(sizeof(int) * (size_t)w->natoms);
  w->cnt[0] = malloc((size_t)3 * w->n3);
  w->cnt[1] = malloc((size_t)w->n3);
  if (!w->lat || !w->h0[0] || !w->h0[1] || !w->orient || !w->xyz || !w->perm || !w->cnt[0] || !w->cnt[1])
    goto nomem;
  for (int s = 0; s < 2; s++) {
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
static void place(ionkmc_trajwriter *w, int s, const int32_t h[3], int nth_on_site, int occ,
                  ionkmc_rng *rng, double out[3]) {
  double hh = 0.5 * w->a;
  double x[3] = {h[0] * hh, h[1] * hh, h[2] * hh};
  if (occ >= 2) {
    /* Off-site axis: perpendicular to the Pb-I-Pb bond for X, x for A. */
    int ax = 0;
    if (s == 0) {
      int odd = (h[0] & 1) ? 0 : (h[1] & 1) ? 1 : 2;
      ax = (odd + 1) % 3;
    }
    x[ax] += nth_on_site == 0 ? w->p.split : -w->p.split;
  }
  double u1, u2;
  ionkmc_rng_uniform2(rng, &u1, &u2);
  if (u1 < w->p.rattle_prob) {
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
  memset(w->cnt[0], 0, (size_t)3 * w->n3);
  memset(w->cnt[1], 0, (size_t)w->n3);
  for (int s = 0; s < 2; s++) {
    const int32_t *site = ionkmc_engine_atom_site(e, s);
    const int32_t *disp = ionkmc_engine_atom_disp(e, s);
    int n = s == 0 ? w->ni : w->nma;
    ionkmc_sublattice sub = s == 0 ? IONKMC_SUB_X : IONKMC_SUB_A;
    for (int i = 0; i < n; i++) {
      int32_t h[3];
      for (int c = 0; c < 3; c++) h[c] = w->h0[s][3 * i + c] + disp[3 * i + c];
      int occ = ionkmc_engine_occupancy(e, sub, site[i]);
      int nth = w->cnt[s][site[i]]++;
      double x[3];
      place(w, s, h, nth, occ, rng, x);
      if (s == 0) {
        memcpy(w->xyz + 3 * k, x, sizeof x);
        k++;
      } else {
        const double *o = w->orient + 3 * i;
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
  return IONKMC_OK;
}
