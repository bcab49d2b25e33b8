/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Memory estimate of a box; see engine_memory.h. Keep in step with
 * ionkmc_lattice_alloc (lattice/lattice.c), ionkmc_engine_alloc (engine.c)
 * and ionkmc_engine_set_providers (engine_env.c). */
#include "kmc/engine_memory.h"

#include <string.h>

#include "kmc/engine_impl.h"
#include "kmc/sumtree.h"

/* rate-cache slots of one provider set (barriers/provider.c) and their size */
#define ENVCACHE_SLOTS (1 << 16)
#define ENVCACHE_SLOT 16

double ionkmc_lattice_memory_estimate(int L) {
  double nc = (double)L * L * L;
  return sizeof(int32_t) * nc *
         (3.0 * IONKMC_NNB_XX + IONKMC_NNB_AA + IONKMC_NNB_AA + IONKMC_NNB_AX + IONKMC_NNB_BX);
}

/* Distinct sites within two hops of a site (itself excluded), as
 * build_shell2 counts them: on X from each type's vectors, the neighbour's
 * type being the axis along which its coordinate is odd. */
int ionkmc_engine_shell2_size(int spi) {
  int8_t off[96][3];
  int n = 0, z = spi == 0 ? IONKMC_NNB_XX : IONKMC_NNB_AA;
  for (int i = 0; i < z; i++) {
    const int8_t *v1 = spi == 0 ? ionkmc_lattice_xx_vec(0, i) : ionkmc_lattice_aa_vec(i);
    int k1 = 0;
    for (int c = 0; c < 3; c++)
      if (((c == 0) + v1[c]) & 1) k1 = c;
    for (int j = -1; j < z; j++) {
      const int8_t *v2 = j < 0 ? NULL : spi == 0 ? ionkmc_lattice_xx_vec(k1, j) : ionkmc_lattice_aa_vec(j);
      int8_t o[3];
      for (int c = 0; c < 3; c++) o[c] = (int8_t)(v1[c] + (v2 ? v2[c] : 0));
      if (!o[0] && !o[1] && !o[2]) continue;
      int dup = 0;
      for (int q = 0; q < n && !dup; q++) dup = !memcmp(off[q], o, 3);
      if (!dup && n < 96) memcpy(off[n++], o, 3);
    }
  }
  return n;
}

ionkmc_memory_need ionkmc_engine_memory_estimate(const ionkmc_box_spec *spec, int threads, int env,
                                                 int quenched) {
  ionkmc_memory_need m;
  memset(&m, 0, sizeof m);
  double nc = (double)spec->L * spec->L * spec->L;
  double nsites[IONKMC_NSPECIES], natoms[IONKMC_NSPECIES];
  for (int s = 0; s < IONKMC_NSPECIES; s++)
    nsites[s] = natoms[s] = ionkmc_species_sublattice(s) == IONKMC_SUB_X ? 3 * nc : nc;
  double ndef = 0;
  int frk = spec->frenkel_w > 0;
  for (int k = 0; k < IONKMC_NDEFECT; k++) {
    double n = spec->count[k];
    natoms[kind_sp(k)] += ionkmc_defect_is_vacancy(k) ? -n : n;
    if (frk && (k == IONKMC_V_I || k == IONKMC_I_I))
      n = spec->frenkel_max < nsites[kind_sp(k)] - n ? n + spec->frenkel_max : nsites[kind_sp(k)];
    ndef += n;
  }
  if (ndef < 1) ndef = 1;
  double e = sizeof(ionkmc_engine) + ionkmc_sumtree_bytes((int)ndef + frk);
  /* X sites are numbered internally over whole tiles of 8^3 cells (engine.c
   * x_layout), with an X-X table in that numbering for small boxes; the A
   * sublattice reads the lattice's A-A tables, built only when it holds
   * defects (the collinear second shell with a collinear kind) */
  int nt = (spec->L + 7) / 8, on_a = 0, coll_a = 0;
  double nint[IONKMC_NSPECIES];
  for (int s = 0; s < IONKMC_NSPECIES; s++)
    nint[s] = ionkmc_species_sublattice(s) == IONKMC_SUB_X ? 3.0 * 512 * nt * nt * nt : nsites[s];
  /* second-atom records where a site can hold two atoms (engine.c) */
  int two[IONKMC_NSPECIES] = {0};
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0 && !ionkmc_defect_is_vacancy(k)) two[kind_sp(k)] = 1;
  if (frk) two[0] = 1;
  for (int k = 0; k < IONKMC_NDEFECT; k++)
    if (spec->count[k] > 0 && ionkmc_species_sublattice(kind_sp(k)) == IONKMC_SUB_A) {
      on_a = 1;
      coll_a |= spec->pattern[k] == IONKMC_PATTERN_COLLINEAR;
    }
  for (int s = 0; s < IONKMC_NSPECIES; s++) {
    /* occupancy, atom records, defect index; per atom the sites (written
     * by the reset). The per-atom copy of the displacements (12 B an atom)
     * is allocated but touched only when an output asks for it (the
     * trajectory writer), so a run's resident size does not hold it. */
    e += nint[s] * (1 + (1 + two[s]) * sizeof(site_atom) + sizeof(int32_t)) + natoms[s] * sizeof(int32_t);
    if (ionkmc_species_sublattice(s) == IONKMC_SUB_X && nint[s] <= X_TABLE_MAX_SITES)
      e += nint[s] * IONKMC_NNB_XX * sizeof(int32_t);
  }
  e += ndef * (sizeof(defect_state) + 6 * sizeof(int32_t) + 8 * sizeof(double) +
               IONKMC_MAX_PATHS * sizeof(double));
  if (frk) e += ndef * (sizeof(double) + sizeof(int32_t));
  m.engine = e;
  if (env) {
    m.env = ndef * sizeof(uint32_t) + (double)ENVCACHE_SLOTS * ENVCACHE_SLOT;
    /* first-shell counts and a table of path rates on a species that holds
     * one kind of defect, from an environment-dependent provider (not the
     * collinear pattern; annealed orientations); when every species with
     * defects has them, there are no environment rows, second-shell rows or
     * two-hop counts (engine_env.c near1_applies) */
    int all1 = !quenched, one[IONKMC_NSPECIES];
    for (int s = 0; s < IONKMC_NSPECIES; s++) {
      int kinds = 0, k1 = -1;
      for (int k = 0; k < IONKMC_NDEFECT; k++)
        if (spec->count[k] > 0 && kind_sp(k) == s) {
          kinds++;
          k1 = k;
        }
      one[s] = !quenched && kinds == 1 && ((env >> k1) & 1) && spec->pattern[k1] != IONKMC_PATTERN_COLLINEAR;
      if (kinds && !one[s]) all1 = 0;
      if (one[s]) m.env += nint[s] + sizeof(double) * IONKMC_NEAR1_RT;
    }
    /* second-shell rows are written for the real sites only: the padding's
     * rows are allocated but never touched; the two-hop defect counts of
     * every site, padding included (zeroed by the reset) */
    for (int s = 0; s < IONKMC_NSPECIES && !all1; s++)
      m.env += nsites[s] * ionkmc_engine_shell2_size(s) * sizeof(int32_t) + nint[s];
    if (!all1) m.env += (double)ionkmc_engine_env_rows((int64_t)ndef) * ionkmc_engine_env_row_size();
    if (quenched) m.env += nsites[1];
  }
  m.lattice = (on_a ? 1 : 0) * (coll_a ? 2 : 1) * nc * IONKMC_NNB_AA * sizeof(int32_t);
  m.threads = threads > 0 ? threads : 1;
  m.total = m.lattice + m.threads * (m.engine + m.env);
  return m;
}
