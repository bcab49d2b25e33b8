/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* A tracker's life outside the frames: the hop settings' defaults and
 * mechanism names, allocation, and at the end the MSD from the spill file, a
 * lone defect's D, the summary and the occupancy view. See mdtrack.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibration/mdtrack_impl.h"


ionkmc_hop_params ionkmc_hop_params_default(void) {
  ionkmc_hop_params p = {1.5, 2.0, 0.3, 0.1, 1, 0.1, 0.5, 0.0, 0.1};
  return p;
}

const char *ionkmc_mech_name(ionkmc_mech m) { return ionkmc_mechanism_name(m); }

ionkmc_mech ionkmc_mech_of_defect(ionkmc_defect_kind k) { return ionkmc_mechanism_of_kind(k); }

ionkmc_mdtrack *ionkmc_mdtrack_alloc(const ionkmc_hop_params *p, const char *name, ionkmc_hop_fn fn,
                                     void *user, ionkmc_error *err) {
  ionkmc_hop_params d = p ? *p : ionkmc_hop_params_default();
  if (!(d.r_inner > 0) || !(d.r_inner_ma > 0) || !(d.dwell >= 0) || !(d.window >= 0) || !(d.fit_lo >= 0) ||
      !(d.fit_hi <= 1) || !(d.fit_lo < d.fit_hi) || !(d.def_fit_lo >= 0) || !(d.def_fit_hi <= 1) ||
      !(d.def_fit_lo < d.def_fit_hi)) {
    ionkmc_error_set(err, IONKMC_EINVAL,
                     "hop detection: expected r_inner > 0 A, dwell >= 0 ps, window >= 0 ps and "
                     "0 <= fit_lo < fit_hi <= 1 (and the same for the defect window)");
    return NULL;
  }
  ionkmc_mdtrack *t = calloc(1, sizeof *t);
  if (!t) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", name);
    return NULL;
  }
  t->p = d;
  t->name = name;
  t->fn = fn;
  t->user = user;
  return t;
}

void ionkmc_mdtrack_free(ionkmc_mdtrack *t) {
  if (!t) return;
  free(t->pb);
  free(t->iat);
  free(t->cat);
  free(t->nat);
  free(t->ids);
  free(t->els);
  free(t->hprev);
  free(t->hun);
  free(t->part);
  free(t->commits);
  free(t->occ[0]);
  free(t->occ[1]);
  free(t->pos);
  free(t->moves);
  if (t->spill) fclose(t->spill);
  ionkmc_lattice_free(t->lat);
  free(t);
}

/* Feed every particle's time series to the MSD workspaces, reading the
 * spilled frames back in chunks of particles that fit a fixed budget. */
#define MSD_CHUNK_BYTES ((size_t)64 << 20)
ionkmc_status mdtrack_msd_from_spill(ionkmc_mdtrack *t, ionkmc_msd *w[IONKMC_NSPECIES],
                                     ionkmc_msd_blocks *bw[IONKMC_NSPECIES],
                                     ionkmc_error *err) {
  size_t per = 3 * (size_t)t->npart, nf = (size_t)t->nframes;
  if (!t->spill || per == 0 || nf == 0) return IONKMC_OK;
  size_t chunk = MSD_CHUNK_BYTES / (sizeof(float) * 3 * nf);
  if (chunk < 1) chunk = 1;
  if (chunk > (size_t)t->npart) chunk = (size_t)t->npart;
  float *buf = malloc(sizeof(float) * 3 * nf * chunk);
  if (!buf) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the MSD", t->name);
  ionkmc_status st = IONKMC_OK;
  if (fflush(t->spill) != 0) st = IONKMC_EIO;
  for (size_t j0 = 0; j0 < (size_t)t->npart && !st; j0 += chunk) {
    size_t n = (size_t)t->npart - j0 < chunk ? (size_t)t->npart - j0 : chunk;
    rewind(t->spill);
    for (size_t fi = 0; fi < nf && !st; fi++) {
      if (fread(t->pos, sizeof(float), per, t->spill) != per) {
        st = IONKMC_EIO;
        break;
      }
      for (size_t j = 0; j < n; j++)
        memcpy(buf + 3 * (j * nf + fi), t->pos + 3 * (j0 + j), 3 * sizeof(float));
    }
    for (size_t j = 0; j < n && !st; j++) {
      int sp = (int)(j0 + j) < t->ni ? 0 : 1;
      ionkmc_msd_add(w[sp], buf + 3 * j * nf, 3);
      if (bw[sp]) ionkmc_msd_blocks_add(bw[sp], buf + 3 * j * nf, 3);
    }
  }
  free(buf);
  if (st) return ionkmc_error_set(err, st, "%s: cannot read back the MSD positions", t->name);
  return IONKMC_OK;
}

/* D of a lone defect from its moves: its position at every (equally spaced)
 * frame, the MSD over all time origins and the same fit window as the
 * species; msd[nframes] is scratch. */
static ionkmc_status defect_D(ionkmc_mdtrack *t, ionkmc_mech m, double *msd, double *D,
                              ionkmc_estimate *Db, ionkmc_error *err) {
  const ionkmc_mechanism_info *M = ionkmc_mechanism_info_get(m);
  int sp = (int)M->species;
  double sign = M->vacancy ? -1 : 1;
  size_t nf = (size_t)t->nframes;
  double *x = malloc(sizeof(double) * 3 * nf);
  ionkmc_msd *wd = ionkmc_msd_alloc(t->nframes, err);
  if (!x || !wd) {
    free(x);
    ionkmc_msd_free(wd);
    return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the defect MSD", t->name);
  }
  double r[3] = {0, 0, 0};
  size_t k = 0;
  for (size_t fi = 0; fi < nf; fi++) {
    double tf = t->t_first + (double)fi * t->dt0;
    for (; k < t->nmoves && t->moves[k].t <= tf + 1e-6 * t->dt0; k++)
      if (t->moves[k].sp == sp)
        for (int c = 0; c < 3; c++) r[c] += sign * t->moves[k].d[c];
    memcpy(x + 3 * fi, r, sizeof r);
  }
  ionkmc_msd_add_double(wd, x, 3);
  ionkmc_msd_result(wd, msd);
  if (ionkmc_msd_fit_D(msd, t->nframes, t->dt0, t->p.def_fit_lo, t->p.def_fit_hi, D, NULL)) *D = NAN;
  ionkmc_msd_free(wd);
  ionkmc_msd_blocks *bd = t->sum.nblocks ? ionkmc_msd_blocks_alloc(t->nframes, t->sum.nblocks, NULL) : NULL;
  if (bd) {
    ionkmc_msd_blocks_add_double(bd, x, 3);
    if (ionkmc_msd_blocks_D(bd, t->dt0, t->p.def_fit_lo, t->p.def_fit_hi, Db, NULL)) Db->n = 0;
  }
  ionkmc_msd_blocks_free(bd);
  free(x);
  return IONKMC_OK;
}

ionkmc_status ionkmc_mdtrack_finish(ionkmc_mdtrack *t, ionkmc_md_summary *out, ionkmc_error *err) {
  if (!t->started || t->nframes < 2)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: expected at least 2 frames, got %d", t->name,
                            t->nframes);
  while (t->nopen > 0) {
    /* Close in time order so event numbers follow time. */
    int old = 0;
    for (int g = 1; g < t->nopen; g++)
      if (t->open[g].t_last < t->open[old].t_last) old = g;
    mdtrack_close_group(t, old);
  }
  ionkmc_md_summary *s = &t->sum;
  s->nframes = t->nframes;
  s->t_first = t->t_first;
  s->t_last = t->t_prev;
  s->frame_dt = t->dt0;
  s->a_mean = t->a_sum / t->nframes;
  memcpy(s->defects_last, t->ndef, sizeof t->ndef);
  s->D[0] = s->D[1] = NAN;
  for (int m = 0; m < IONKMC_NMECH; m++) s->D_defect[m] = NAN;
  s->nblocks = s->block_frames = 0;
  memset(s->D_block, 0, sizeof s->D_block);
  memset(s->D_defect_block, 0, sizeof s->D_defect_block);
  if (t->p.msd) {
    if (t->nonuniform_frame)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: frame %d: the frame interval differs from the first (%.6g ps); "
                              "the MSD needs equally spaced frames (or turn the MSD off)",
                              t->name, t->nonuniform_frame, t->dt0);
    ionkmc_msd *w[IONKMC_NSPECIES] = {ionkmc_msd_alloc(t->nframes, err), ionkmc_msd_alloc(t->nframes, err)};
    double *msd = malloc(sizeof(double) * (size_t)t->nframes);
    if (!w[0] || !w[1] || !msd) {
      ionkmc_msd_free(w[0]);
      ionkmc_msd_free(w[1]);
      free(msd);
      return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the MSD", t->name);
    }
    /* Blocks for the single-run standard error (none for a run too short). */
    ionkmc_msd_blocks *bw[IONKMC_NSPECIES] = {NULL};
    s->nblocks = t->nframes / IONKMC_MSD_BLOCKS_DEFAULT >= 8 ? IONKMC_MSD_BLOCKS_DEFAULT : 0;
    for (int sp = 0; sp < IONKMC_NSPECIES && s->nblocks; sp++)
      if ((sp == 0 ? t->ni : t->nma) > 0 && !(bw[sp] = ionkmc_msd_blocks_alloc(t->nframes, s->nblocks, NULL))) {
        ionkmc_msd_free(w[0]);
        ionkmc_msd_free(w[1]);
        ionkmc_msd_blocks_free(bw[0]);
        free(msd);
        return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory for the MSD blocks", t->name);
      }
    s->block_frames = s->nblocks ? t->nframes / s->nblocks : 0;
    ionkmc_status st = mdtrack_msd_from_spill(t, w, bw, err);
    s->msd_n = ionkmc_msd_log_lags(t->nframes, IONKMC_MD_MSD_POINTS, s->msd_lag);
    for (int sp = 0; sp < IONKMC_NSPECIES && !st; sp++) {
      int natoms = sp == 0 ? t->ni : t->nma;
      for (int k = 0; k < s->msd_n; k++) s->msd_per_atom[sp][k] = NAN;
      if (natoms == 0) continue;
      ionkmc_msd_result(w[sp], msd);
      for (int k = 0; k < s->msd_n; k++) s->msd_per_atom[sp][k] = msd[s->msd_lag[k]] / natoms;
      /* Too short a run for the fit window leaves D = NAN (reported as null). */
      if (ionkmc_msd_fit_D(msd, t->nframes, t->dt0, t->p.fit_lo, t->p.fit_hi, &s->D[sp], NULL))
        s->D[sp] = NAN;
      if (bw[sp] && ionkmc_msd_blocks_D(bw[sp], t->dt0, t->p.fit_lo, t->p.fit_hi, &s->D_block[sp], NULL))
        s->D_block[sp].n = 0;
    }
    for (int m = 0; m < IONKMC_NMECH && !st; m++)
      if (m != IONKMC_MECH_UNCLASSIFIED && t->clean_first[m] && t->clean[m] &&
          t->unclean[m] <= t->nframes / 100)
        st = defect_D(t, (ionkmc_mech)m, msd, &s->D_defect[m], &s->D_defect_block[m], err);
    ionkmc_msd_free(w[0]);
    ionkmc_msd_free(w[1]);
    ionkmc_msd_blocks_free(bw[0]);
    ionkmc_msd_blocks_free(bw[1]);
    free(msd);
    if (st) return st;
  }
  *out = *s;
  return IONKMC_OK;
}

void ionkmc_mdtrack_follow(ionkmc_mdtrack *t, const ionkmc_mdtrack *leader) { t->leader = leader; }

ionkmc_status ionkmc_mdtrack_occupancy(const ionkmc_mdtrack *t, int species, const uint8_t **occ,
                                       int *nsites, double off[3], ionkmc_error *err) {
  if (!t->started)
    return ionkmc_error_set(err, IONKMC_ESTATE, "%s: no frame read yet, no occupancy", t->name);
  if (species != 0 && species != 1)
    return ionkmc_error_set(err, IONKMC_EINVAL, "occupancy: species %d, expected 0 (I) or 1 (MA)", species);
  int n3 = t->L * t->L * t->L;
  *occ = t->occ[species];
  *nsites = species == 0 ? 3 * n3 : n3;
  if (off)
    for (int c = 0; c < 3; c++) off[c] = t->off[c];
  return IONKMC_OK;
}
