/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Setting up the environment-dependent rates of the KMC engine (engine_env.c
 * runs them): the providers a box reads, the two-hop rows and counts, and
 * the first-shell counts where they suffice. See engine.h for conventions. */
#include <stdlib.h>
#include <string.h>

#include "barriers/provider.h"
#include "kmc/engine_impl.h"

static ionkmc_status build_shell2(ionkmc_engine *e, int spi);

/* 1 when the first-shell counts key the rows of species spi: it hosts one
 * kind of defect (so kinds never change and a site that is not singly
 * occupied holds one of them), which takes its rates from a provider by
 * the per-path environment (not the collinear interstitial), and a site's
 * neighbours are distinct sites other than itself (not so in boxes of
 * L = 1, or 2 on A). The box is periodic, so one site per X type tells. */
static int near1_applies(const ionkmc_engine *e, int spi) {
  int kinds = 0, kind = -1;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (e->spec.count[k] > 0 && e->ksp[k] == spi) {
      kinds++;
      kind = k;
    }
  if (e->near1_off || kinds != 1 || !e->kenv[kind] || e->kcls[kind] == CLS_INT_COLL) return 0;
  const species_state *S = &e->sp[spi];
  for (int pub = 0; pub < (spi == 0 ? 3 : 1) && pub < S->nsites; pub++) {
    int x = x_pub2int(S, pub);
    int32_t buf[IONKMC_NNB_XX];
    const int32_t *nb = site_nbrs(S, x, buf);
    for (int i = 0; i < S->z; i++) {
      if (nb[i] == x) return 0;
      for (int j = 0; j < i; j++)
        if (nb[j] == nb[i]) return 0;
    }
  }
  return 1;
}

/* near1_adj and near1_back of species spi, from one site per X type (the
 * box is periodic, so every site of a type has the same). */
static void near1_adjacency(ionkmc_engine *e, int spi) {
  const species_state *S = &e->sp[spi];
  for (int pub = 0; pub < (spi == 0 ? 3 : 1) && pub < S->nsites; pub++) {
    int x = x_pub2int(S, pub);
    int32_t bx[IONKMC_NNB_XX], by[IONKMC_NNB_XX];
    const int32_t *nx = site_nbrs(S, x, bx);
    for (int d = 0; d < S->z; d++) {
      const int32_t *ny = site_nbrs(S, nx[d], by);
      unsigned adj = 0;
      for (int i = 0; i < S->z; i++)
        for (int j = 0; j < S->z; j++) adj |= (unsigned)(i != d && nx[i] == ny[j]) << i;
      e->near1_adj[spi][pub][d] = (uint8_t)adj;
      for (int j = 0; j < S->z; j++)
        if (ny[j] == x) e->near1_back[spi][pub][d] = (int8_t)j;
    }
  }
}

ionkmc_status ionkmc_engine_set_providers(ionkmc_engine *e, ionkmc_providers *prov,
                                          ionkmc_error *err) {
  if (!e || !prov) return ionkmc_error_set(err, IONKMC_EINVAL, "engine: NULL providers");
  /* one set of conditions: the providers' must be the box's */
  const ionkmc_conditions *pc = ionkmc_providers_conditions(prov);
  const ionkmc_box_spec *bs = &e->spec;
  if (pc->T != bs->cond.T || pc->a != bs->cond.a || pc->shift != bs->cond.shift || pc->field[0] != bs->cond.field[0] ||
      pc->field[1] != bs->cond.field[1] || pc->field[2] != bs->cond.field[2])
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "engine: providers opened at T = %g K, a = %g A, shift = %g eV, field "
                            "(%g, %g, %g) V/A, not at the box's T = %g K, a = %g A, shift = %g eV, "
                            "field (%g, %g, %g) V/A", pc->T, pc->a, pc->shift, pc->field[0],
                            pc->field[1], pc->field[2], bs->cond.T, bs->cond.a, bs->cond.shift, bs->cond.field[0],
                            bs->cond.field[1], bs->cond.field[2]);
  /* the engine recomputes the rates of the defects within one shell of
   * each end of a hop (IONKMC_ENGINE_ENV_SHELLS); a type that reads further
   * would be left with stale rates */
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    const ionkmc_provider_type *t = ionkmc_providers_type(prov, k);
    if (e->spec.count[k] > 0 && t && t->env_shells > IONKMC_ENGINE_ENV_SHELLS)
      return ionkmc_error_set(err, IONKMC_EINVAL,
                              "%s: provider \"%s\" reads %d neighbour shells; the engine keeps rates "
                              "current within %d", ionkmc_defect_name(k), t->name, t->env_shells,
                              IONKMC_ENGINE_ENV_SHELLS);
  }
  int env = 0, pat = -1;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    env |= e->spec.count[k] > 0 && ionkmc_providers_env(prov, k);
    if (e->kpat[k] && pat < 0) pat = k;
  }
  if (env && pat >= 0)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s: pattern \"%s\" needs the constant provider for every defect of the box "
                            "(correlated patterns with environment-dependent rates are not implemented)",
                            ionkmc_defect_name(pat), ionkmc_pattern_name(e->spec.pattern[pat]));
  e->prov = prov;
  e->quenched = ionkmc_providers_orientation(prov) == IONKMC_ORIENT_QUENCHED;
  e->env = 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    e->kenv[k] = (uint8_t)(e->spec.count[k] > 0 && ionkmc_providers_env(prov, k));
    e->kgen[k] = (uint8_t)(e->kenv[k] || e->kpat[k]);
    e->env |= e->kenv[k];
  }
  if (e->env && e->frk)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "frenkel: thermal pair creation needs the constant provider for every "
                            "defect of the box (its detailed balance with environment-dependent "
                            "rates is not implemented)");
  if (e->env && !e->stamp && !(e->stamp = calloc((size_t)e->ndef, sizeof(uint32_t))))
    return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  /* first-shell counts where a species holds one kind; when every species
   * with defects has them (annealed), no second-shell rows or counts, and
   * no environment rows: the path-rate tables give the rates */
  e->near1_all = e->env && !e->quenched;
  for (int spi = 0; spi < IONKMC_NSPECIES; spi++) {
    int held = 0;
    for (int k = 0; k < IONKMC_NDEFECT; k++) held |= e->spec.count[k] > 0 && e->ksp[k] == spi;
    e->near1_on[spi] = e->env && !e->quenched && near1_applies(e, spi);
    if (held && !e->near1_on[spi]) e->near1_all = 0;
    if (e->near1_on[spi]) near1_adjacency(e, spi);
  }
  if (e->env && !e->near1_all && !e->erow) {
    int64_t n = ionkmc_engine_env_rows(e->ndef);
    if (!(e->erow = calloc((size_t)n, ionkmc_engine_env_row_size())))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
    e->erow_mask = (uint64_t)n - 1;
  }
  for (int spi = 0; spi < IONKMC_NSPECIES && e->env; spi++) {
    if (!e->near1_all) {
      ionkmc_status st = e->shell2[spi] ? IONKMC_OK : build_shell2(e, spi);
      if (st == IONKMC_EINTERNAL)
        return ionkmc_error_set(err, st, "engine: the two-hop neighbourhood of a site is not symmetric");
      if (st != IONKMC_OK || (!e->near2[spi] && !(e->near2[spi] = calloc((size_t)e->sp[spi].nint, 1))))
        return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
    }
    if (e->near1_on[spi] && !e->near1[spi] && !(e->near1[spi] = calloc((size_t)e->sp[spi].nint, 1)))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
    if (e->near1_on[spi] && !e->near1_rt[spi] &&
        !(e->near1_rt[spi] = malloc(sizeof(double) * IONKMC_NEAR1_RT)))
      return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  }
  ionkmc_engine_env_forget(e); /* (the path rate tables too) */
  e->near2_ok = 0; /* until the reset fills the rows */
  if (e->env && ionkmc_providers_orientation(prov) == IONKMC_ORIENT_QUENCHED && !e->orient) {
    e->orient = calloc((size_t)e->sp[1].nsites, 1);
    if (!e->orient) return ionkmc_error_set(err, IONKMC_ENOMEM, "engine: out of memory");
  }
  return IONKMC_OK;
}

/* The sites within two hops of every site of a species, from the distinct
 * h-offsets of each X type (one type on A), excluding the site itself. */
static ionkmc_status build_shell2(ionkmc_engine *e, int spi) {
  ionkmc_sublattice sub = spi == 0 ? IONKMC_SUB_X : IONKMC_SUB_A;
  const species_state *S = &e->sp[spi];
  int ntype = spi == 0 ? 3 : 1, z = S->z;
  int8_t off[3][96][3];
  int noff[3] = {0, 0, 0};
  for (int k = 0; k < ntype; k++) {
    for (int i = 0; i < z; i++) {
      const int8_t *v1 = spi == 0 ? ionkmc_lattice_xx_vec(k, i) : ionkmc_lattice_aa_vec(i);
      int k1 = spi == 0 ? e->xt_next[k][i] : 0;
      for (int j = -1; j < z; j++) {
        int8_t o[3];
        for (int c = 0; c < 3; c++) {
          const int8_t *v2 = j < 0 ? NULL : spi == 0 ? ionkmc_lattice_xx_vec(k1, j) : ionkmc_lattice_aa_vec(j);
          o[c] = (int8_t)(v1[c] + (v2 ? v2[c] : 0));
        }
        if (!o[0] && !o[1] && !o[2]) continue;
        int dup = 0;
        for (int q = 0; q < noff[k] && !dup; q++) dup = !memcmp(off[k][q], o, 3);
        if (!dup) memcpy(off[k][noff[k]++], o, 3);
      }
    }
  }
  int n2 = noff[0];
  if (n2 > 39) return IONKMC_EINTERNAL; /* near2_dec, near2_inc: n2 + 1 entries */
  e->n2[spi] = n2;
  /* the counts a move from a site of type k to its neighbour d changes: the
   * entries of the first site's row (-1: itself) whose sites are not within
   * two hops of the second, and those of the second's row not within two
   * hops of the first, paired in order */
  for (int k = 0; k < ntype; k++) {
    if (noff[k] != n2) return IONKMC_EINTERNAL;
    for (int d = 0; d < z; d++) {
      const int8_t *v = spi == 0 ? ionkmc_lattice_xx_vec(k, d) : ionkmc_lattice_aa_vec(d);
      int k1 = spi == 0 ? e->xt_next[k][d] : 0, nd = 0, ni = 0;
      for (int side = 0; side < 2; side++)
        for (int i = -1; i < n2; i++) {
          /* entry i of one end, as an offset from the other */
          int8_t o[3];
          for (int c = 0; c < 3; c++) {
            int oc = i < 0 ? 0 : side ? off[k1][i][c] : off[k][i][c];
            o[c] = (int8_t)(side ? oc + v[c] : oc - v[c]);
          }
          int in = !o[0] && !o[1] && !o[2];
          const int8_t(*other)[3] = side ? off[k] : off[k1];
          for (int j = 0; j < n2 && !in; j++) in = !memcmp(other[j], o, 3);
          if (in) continue;
          if (side) e->near2_inc[spi][k][d][ni++] = (int8_t)i;
          else e->near2_dec[spi][k][d][nd++] = (int8_t)i;
        }
      if (nd != ni || (nd && (e->near2_dec[spi][k][d][0] < 0 || e->near2_inc[spi][k][d][0] < 0)))
        return IONKMC_EINTERNAL;
      e->near2_nmove[spi][k][d] = (uint8_t)nd;
    }
  }
  e->shell2[spi] = malloc(sizeof(int32_t) * (size_t)S->nint * n2);
  if (!e->shell2[spi]) return IONKMC_ENOMEM;
  for (int pub = 0; pub < S->nsites; pub++) { /* rows and entries in the engine's numbering */
    int32_t pos[3], q[3];
    ionkmc_lattice_site_pos(e->lat, sub, pub, pos);
    int k = spi == 0 ? pub % 3 : 0;
    size_t row = (size_t)x_pub2int(S, pub) * n2;
    for (int i = 0; i < n2; i++) {
      for (int c = 0; c < 3; c++) q[c] = pos[c] + off[k][i][c];
      e->shell2[spi][row + i] = x_pub2int(S, ionkmc_lattice_site_at(e->lat, sub, q));
    }
  }
  return IONKMC_OK;
}
