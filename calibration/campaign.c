/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* A calibration MD campaign for one defect, ready to run. See campaign.h. */
#define _XOPEN_SOURCE 700
#include "calibration/campaign.h"

#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "calibration/mdtrack.h"
#include "kmc/rng.h"

#define MAXRUNS 1024
/* Paths are the directory (checked below PATH_MAX - 512 characters at the
 * start) plus short fixed names, so no snprintf below truncates. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

ionkmc_campaign_spec ionkmc_campaign_spec_default(void) {
  ionkmc_campaign_spec c;
  memset(&c, 0, sizeof c);
  c.structure = ionkmc_structure_spec_default();
  c.nT = 5;
  for (int i = 0; i < 5; i++) c.T[i] = 500 + 25 * i;
  c.runs = 3;
  c.acell = ionkmc_acell_default();
  c.strain = 0.01;
  c.strain_lo = c.strain_hi = 1;
  c.strain_minus = c.strain_plus = 1;
  c.strain_runs = 3;
  c.npt_ps = 50;
  c.timestep_fs = 1;
  c.h_mass = 0;
  c.equil_ps = 100;
  c.prod_ps = 2000;
  c.tau_langevin_ps = 0.33;
  c.tau_nh_ps = 0.1;
  c.dump_ps = 0.1;
  c.neb_images = 7;
  c.neb_steps1 = 2000;
  c.neb_steps2 = 1000;
  c.seed = 1;
  return c;
}

typedef struct {
  char name[64];
  double T, a, factor; /* a: the cell's lattice constant (a(T) x factor) */
  int strained;
  uint64_t sseed;
  long vseed, lseed1, lseed2;
} run;

static long lmp_seed(uint64_t seed, uint64_t stream) {
  ionkmc_rng r;
  ionkmc_rng_init(&r, seed, stream);
  return (long)ionkmc_rng_below(&r, 900000000u) + 1;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(p);
}

static FILE *open_in(const char *dir, const char *rel, char *path, size_t n, ionkmc_error *err) {
  snprintf(path, n, "%s/%s", dir, rel);
  FILE *fp = fopen(path, "w");
  if (!fp) ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write (%s)", path, strerror(errno));
  return fp;
}

static ionkmc_status close_file(FILE *fp, const char *path, ionkmc_error *err) {
  int bad = ferror(fp);
  if (fclose(fp) || bad) return ionkmc_error_set(err, IONKMC_EIO, "%s: write failed", path);
  return IONKMC_OK;
}

static ionkmc_status make_dir(const char *dir, const char *rel, ionkmc_error *err) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  if (mkdir(p, 0777) && errno != EEXIST)
    return ionkmc_error_set(err, IONKMC_EIO, "%s: cannot create (%s)", p, strerror(errno));
  return IONKMC_OK;
}

/* The force field lines of every deck. */
static void pair_lines(FILE *fp, const ionkmc_campaign_spec *c, const char *type_names) {
  if (c->pair == IONKMC_PAIR_ALLEGRO)
    fprintf(fp, "pair_style allegro\npair_coeff * * %s %s\n", c->pair_file, type_names);
  else
    fprintf(fp, "include ../../forcefield.lmp\n");
}

static void deck_head(FILE *fp, const ionkmc_campaign_spec *c, const ionkmc_structure *s, const char *data,
                      const char *type_names, int neb) {
  fprintf(fp, "units metal\natom_style %s\nboundary p p p\n", c->pair == IONKMC_PAIR_ALLEGRO ? "atomic" : "full");
  if (neb) fprintf(fp, "atom_modify map array\n");
  fprintf(fp, "read_data %s\n", data);
  if (c->h_mass > 0)
    for (int t = 0; t < s->ntypes; t++)
      if (s->type_element[t] == IONKMC_EL_H) fprintf(fp, "mass %d %.6g  # H mass option\n", t + 1, c->h_mass);
  pair_lines(fp, c, type_names);
  fprintf(fp, "neighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes\ntimestep %.10g\n", c->timestep_fs / 1000);
}

static ionkmc_status write_run(const ionkmc_campaign_spec *c, const run *r, const ionkmc_structure *s,
                               const char *dir, const char *type_names, ionkmc_error *err) {
  char rel[128], path[PATH_MAX];
  snprintf(rel, sizeof rel, "runs/%s", r->name);
  ionkmc_status st = make_dir(dir, rel, err);
  if (st) return st;
  snprintf(path, sizeof path, "%s/%s/structure.data", dir, rel);
  char title[256];
  snprintf(title, sizeof title, "ionkmc md-input run %s: T %g K, a %.5f A", r->name, r->T, s->a);
  st = ionkmc_structure_write_file(s, c->pair == IONKMC_PAIR_ALLEGRO ? IONKMC_STRUCT_LAMMPS : IONKMC_STRUCT_LAMMPS_FULL,
                                   title, path, err);
  if (st) return st;
  snprintf(rel, sizeof rel, "runs/%s/in.lammps", r->name);
  FILE *fp = open_in(dir, rel, path, sizeof path, err);
  if (!fp) return IONKMC_EIO;
  double dt = c->timestep_fs / 1000;
  long neq = lround(c->equil_ps / dt), nprod = lround(c->prod_ps / dt), ndump = lround(c->dump_ps / dt);
  long nsz = lround(c->npt_ps / dt);
  fprintf(fp, "# ionkmc md-input: %s, run %s: T = %g K, %s, timestep %g fs\n",
          ionkmc_defect_name(c->structure.defect[0].kind), r->name, r->T,
          c->sizing_npt ? "cell sized by NpT first, then fixed" : "cell fixed at a (NVT)", c->timestep_fs);
  fprintf(fp, "# a = %.6f A = a(T) x %.6g; seeds: structure %llu, velocity %ld, Langevin %ld / %ld\n", r->a,
          r->factor, (unsigned long long)r->sseed, r->vseed, r->lseed1, r->lseed2);
  deck_head(fp, c, s, "structure.data", type_names, 0);
  fprintf(fp, "thermo_style custom step time temp pe etotal press lx\nthermo %ld\n", nprod / 100 > 0 ? nprod / 100 : 1);
  fprintf(fp, "velocity all create %g %ld mom yes rot yes dist gaussian\n", r->T, r->vseed);
  if (c->sizing_npt) {
    fprintf(fp, "# NpT sizing: Langevin + isotropic barostat at 0 bar, mean box edge over %g ps\n", c->npt_ps);
    fprintf(fp, "fix size_nph all nph iso 0.0 0.0 1.0\nfix size_lang all langevin %g %g %g %ld zero yes\n", r->T, r->T,
            c->tau_langevin_ps, r->lseed1);
    fprintf(fp, "variable lxv equal lx\nfix size_avg all ave/time 1 %ld %ld v_lxv\nrun %ld\n", nsz, nsz, nsz);
    fprintf(fp, "variable edge equal f_size_avg*%.10g\n", r->factor);
    fprintf(fp, "print \"ionkmc: NpT a = $(f_size_avg/%d) A, production a = $(v_edge/%d) A\"\n", s->L, s->L);
    fprintf(fp, "change_box all x final $(xlo) $(xlo+v_edge) y final $(ylo) $(ylo+v_edge) z final $(zlo) "
                "$(zlo+v_edge) remap units box\n");
    fprintf(fp, "unfix size_avg\nunfix size_lang\nunfix size_nph\n");
  }
  fprintf(fp, "# equilibration: Langevin, %g ps, damping %g ps\n", c->equil_ps, c->tau_langevin_ps);
  fprintf(fp, "fix eq_nve all nve\nfix eq_lang all langevin %g %g %g %ld zero yes\nrun %ld\n", r->T, r->T,
          c->tau_langevin_ps, r->lseed2, neq);
  fprintf(fp, "unfix eq_lang\nunfix eq_nve\n");
  fprintf(fp, "# production: Nose-Hoover NVT, %g ps, tau %g ps; frames every %g ps (unwrapped, elements)\n",
          c->prod_ps, c->tau_nh_ps, c->dump_ps);
  fprintf(fp, "reset_timestep 0\nfix prod all nvt temp %g %g %g\n", r->T, r->T, c->tau_nh_ps);
  fprintf(fp, "dump traj all custom/gz %ld traj.dump.gz id type element xu yu zu\n", ndump);
  fprintf(fp, "dump_modify traj element %s sort id\nrun %ld\nwrite_data final.data nocoeff\n", type_names, nprod);
  return close_file(fp, path, err);
}

static ionkmc_status write_neb(const ionkmc_campaign_spec *c, const char *name, const ionkmc_structure *s0,
                               const ionkmc_structure *s1, const char *dir, const char *type_names,
                               ionkmc_error *err) {
  char rel[160], path[PATH_MAX];
  snprintf(rel, sizeof rel, "neb/%s", name);
  ionkmc_status st = make_dir(dir, rel, err);
  if (st) return st;
  ionkmc_structure_format fmt = c->pair == IONKMC_PAIR_ALLEGRO ? IONKMC_STRUCT_LAMMPS : IONKMC_STRUCT_LAMMPS_FULL;
  const char *files[2] = {"initial", "final"};
  const ionkmc_structure *ss[2] = {s0, s1};
  for (int k = 0; k < 2; k++) {
    snprintf(path, sizeof path, "%s/%s/%s.data", dir, rel, files[k]);
    char title[200];
    snprintf(title, sizeof title, "ionkmc md-input NEB %s: %s image, a %.5f A", name, files[k], s0->a);
    if ((st = ionkmc_structure_write_file(ss[k], fmt, title, path, err))) return st;
    char r2[200];
    snprintf(r2, sizeof r2, "%s/relax_%s.in", rel, files[k]);
    FILE *fp = open_in(dir, r2, path, sizeof path, err);
    if (!fp) return IONKMC_EIO;
    fprintf(fp, "# ionkmc md-input NEB %s: relax the %s end point at fixed cell\n", name, files[k]);
    char data[32];
    snprintf(data, sizeof data, "%s.data", files[k]);
    deck_head(fp, c, ss[k], data, type_names, 0);
    fprintf(fp, "thermo 100\nminimize 0.0 1.0e-3 2000 20000\n");
    if (k == 0) {
      fprintf(fp, "write_data initial_relaxed.data nocoeff\n");
    } else {
      fprintf(fp, "variable n equal atoms\nprint \"# ionkmc: relaxed final image (id x y z)\" file final_relaxed.txt "
                  "screen no\nprint \"${n}\" append final_relaxed.txt screen no\n");
      fprintf(fp, "write_dump all custom final_relaxed.txt id x y z modify sort id header no append yes format "
                  "float %%.10g\n");
    }
    if ((st = close_file(fp, path, err))) return st;
  }
  snprintf(rel, sizeof rel, "neb/%s/neb.in", name);
  FILE *fp = open_in(dir, rel, path, sizeof path, err);
  if (!fp) return IONKMC_EIO;
  fprintf(fp, "# ionkmc md-input NEB %s: %d replicas (run with -partition %dx1); the band table goes to\n"
              "# the log (neb.log), which `ionkmc calibrate --neb` reads\n",
          name, c->neb_images, c->neb_images);
  deck_head(fp, c, s0, "initial_relaxed.data", type_names, 1);
  fprintf(fp, "min_style quickmin\nfix band all neb 1.0 parallel ideal\nthermo 10\n");
  fprintf(fp, "neb 0.0 0.01 %d %d 10 final final_relaxed.txt\n", c->neb_steps1, c->neb_steps2);
  return close_file(fp, path, err);
}

static ionkmc_status check_spec(const ionkmc_campaign_spec *c, ionkmc_error *err) {
  if (c->structure.ndefects < 1)
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: expected a defect");
  if (c->nT < 1 || c->nT > IONKMC_CAMPAIGN_MAXT)
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: %d temperatures, expected 1..%d", c->nT, IONKMC_CAMPAIGN_MAXT);
  for (int i = 0; i < c->nT; i++)
    if (!(c->T[i] > 0)) return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: temperature %g K, expected > 0", c->T[i]);
  if (c->runs < 1 || c->runs > 100) return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: runs %d, expected 1..100", c->runs);
  if (!(c->strain >= 0 && c->strain < 0.2))
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: strain %g, expected 0 <= s < 0.2", c->strain);
  if (c->strain > 0 && (c->strain_runs < 0 || c->strain_runs > 100))
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: strained runs %d, expected 0..100", c->strain_runs);
  if (!(c->timestep_fs > 0 && c->timestep_fs <= 10))
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: timestep %g fs, expected 0-10 fs", c->timestep_fs);
  double dt = c->timestep_fs / 1000, dwell = ionkmc_hop_params_default().dwell;
  if (!(c->dump_ps >= dt) || c->dump_ps > dwell / 3 + 1e-12)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "campaign: frame interval %g ps, expected one timestep to %g ps (a third of the hop "
                            "detector's %g ps dwell)",
                            c->dump_ps, dwell / 3, dwell);
  if (!(c->prod_ps >= 10 * c->dump_ps))
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: production %g ps, expected at least 10 frames", c->prod_ps);
  if (!(c->equil_ps >= 0) || !(c->tau_langevin_ps > 0) || !(c->tau_nh_ps > 0) || (c->sizing_npt && !(c->npt_ps > 0)))
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: durations and time constants must be positive");
  if (c->neb && (c->neb_images < 3 || c->neb_images > 64 || c->neb_steps1 < 1 || c->neb_steps2 < 0))
    return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: NEB with %d images, %d + %d steps, expected 3-64 images",
                            c->neb_images, c->neb_steps1, c->neb_steps2);
  if (!c->pair_file) return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: expected a force field");
  return IONKMC_OK;
}

static int list_runs(const ionkmc_campaign_spec *c, run *rs) {
  double tlo = c->T[0], thi = c->T[0];
  for (int i = 1; i < c->nT; i++) tlo = fmin(tlo, c->T[i]), thi = fmax(thi, c->T[i]);
  int n = 0;
  for (int i = 0; i < c->nT; i++) {
    double T = c->T[i], at = ionkmc_acell_eval(&c->acell, T);
    int strained = c->strain > 0 && ((c->strain_lo && T == tlo) || (c->strain_hi && T == thi));
    static const int order[3] = {0, -1, 1}; /* the cell at a(T) first, then the strained ones */
    for (int o = 0; o < 3; o++) {
      int v = order[o];
      if (v != 0 && (!strained || (v < 0 && !c->strain_minus) || (v > 0 && !c->strain_plus))) continue;
      int nr = v == 0 ? c->runs : c->strain_runs;
      for (int k = 0; k < nr && n < MAXRUNS; k++, n++) {
        run *r = &rs[n];
        r->T = T;
        r->factor = 1 + v * c->strain;
        r->a = at * r->factor;
        r->strained = v != 0;
        if (v == 0) snprintf(r->name, sizeof r->name, "T%g_r%d", T, k);
        else snprintf(r->name, sizeof r->name, "T%g_a%c%gpct_r%d", T, v < 0 ? '-' : '+', 100 * c->strain, k);
        r->sseed = c->seed + (uint64_t)n;
        r->vseed = lmp_seed(c->seed, 3 * (uint64_t)n);
        r->lseed1 = lmp_seed(c->seed, 3 * (uint64_t)n + 1);
        r->lseed2 = lmp_seed(c->seed, 3 * (uint64_t)n + 2);
      }
    }
  }
  return n;
}

static ionkmc_status copy_file(const char *from, const char *to, ionkmc_error *err) {
  FILE *in = fopen(from, "r");
  if (!in) return ionkmc_error_set(err, IONKMC_EIO, "%s: cannot read the force field (%s)", from, strerror(errno));
  FILE *out = fopen(to, "w");
  if (!out) {
    fclose(in);
    return ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write (%s)", to, strerror(errno));
  }
  char buf[8192];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, k, out);
  int bad = ferror(in);
  fclose(in);
  if (bad) {
    fclose(out);
    return ionkmc_error_set(err, IONKMC_EIO, "%s: read failed", from);
  }
  return close_file(out, to, err);
}

static ionkmc_status write_script(const char *dir, const char *rel, const char *text, ionkmc_error *err) {
  char path[PATH_MAX];
  FILE *fp = open_in(dir, rel, path, sizeof path, err);
  if (!fp) return IONKMC_EIO;
  fputs(text, fp);
  ionkmc_status st = close_file(fp, path, err);
  if (!st) chmod(path, 0755);
  return st;
}

/* A growing text buffer for the scripts. */
typedef struct {
  char *p;
  size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (b->p && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = (b->cap + (size_t)k + 1) * 2;
    char *q = realloc(b->p, cap);
    if (!q) return;
    b->p = q;
    b->cap = cap;
  }
}

static json_t *defects_json(const ionkmc_structure *s) {
  json_t *a = json_array();
  for (int d = 0; d < s->ndefects; d++)
    json_array_append_new(a, json_pack("{s:s,s:i,s:[f,f,f]}", "defect", ionkmc_defect_name(s->defect[d].kind), "site",
                                       s->defect[d].site, "position", s->defect_pos[d][0], s->defect_pos[d][1],
                                       s->defect_pos[d][2]));
  return a;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static ionkmc_status write_all(const ionkmc_campaign_spec *c, const run *rs, int n, const char *dir,
                               ionkmc_error *err) {
  ionkmc_status st;
  if ((st = make_dir(dir, "runs", err))) return st;
  char path[PATH_MAX], type_names[160] = "", typemap[256] = "";
  if (c->pair == IONKMC_PAIR_INCLUDE) {
    snprintf(path, sizeof path, "%s/forcefield.lmp", dir);
    if ((st = copy_file(c->pair_file, path, err))) return st;
  }
  const char *defect = ionkmc_defect_name(c->structure.defect[0].kind);
  json_t *doc = json_object(), *jr = json_array(), *jn = json_array();
  sbuf runsh = {0}, cal = {0}, nebsh = {0};
  double dt_ps = c->timestep_fs / 1000;
  sb_printf(&cal,
            "#!/bin/sh\n# ionkmc md-input: calibrate %s from every run of this campaign (after run_all.sh%s).\n"
            "# --fit-a fits ln k linear in 1/T and in each run's mean lattice constant; the strained\n"
            "# runs (the cell fixed at a(T)(1 +- s)) are what separates the two. With no event in any\n"
            "# run (short runs, MA vacancies) use FIT=--use-neb: the NEB barrier, nu bounded by the\n"
            "# runs. IONKMC names the program (default ionkmc); further options are passed on.\n"
            "cd \"$(dirname \"$0\")\" || exit 1\nFIT=${FIT---fit-a}\n",
            defect, c->neb ? " and run_neb.sh" : "");
  for (int i = 0; i < n && !st; i++) {
    ionkmc_structure_spec sp = c->structure;
    sp.a = rs[i].a;
    sp.seed = rs[i].sseed;
    ionkmc_structure *s = ionkmc_structure_build(&sp, err);
    if (!s) {
      st = IONKMC_EINVAL;
      break;
    }
    if (i == 0) {
      ionkmc_structure_typemap(s, typemap, sizeof typemap);
      int k = 0;
      for (int t = 0; t < s->ntypes; t++)
        k += snprintf(type_names + k, sizeof type_names - (size_t)k, "%s%s", t ? " " : "",
                      ionkmc_element_name((ionkmc_element)s->type_element[t]));
      snprintf(path, sizeof path, "%s/types.json", dir);
      FILE *fp = fopen(path, "w");
      if (!fp) st = ionkmc_error_set(err, IONKMC_EIO, "%s: cannot write", path);
      else if (!(st = ionkmc_structure_write_types(s, fp, err))) st = close_file(fp, path, err);
      else fclose(fp);
      sb_printf(&cal, "exec \"${IONKMC:-ionkmc}\" calibrate --defect %s --types %s --timestep %.10g \\\n", defect,
                typemap, dt_ps);
    }
    if (!st) st = ionkmc_structure_validate(s, err);
    if (!st) st = write_run(c, &rs[i], s, dir, type_names, err);
    if (!st) {
      json_t *o = json_object();
      json_object_set_new(o, "name", json_string(rs[i].name));
      json_object_set_new(o, "T", json_real(rs[i].T));
      json_object_set_new(o, "a", json_real(rs[i].a));
      json_object_set_new(o, "a_over_aT", json_real(rs[i].factor));
      json_object_set_new(o, "strained", json_boolean(rs[i].strained));
      json_object_set_new(o, "cell", json_string(c->sizing_npt ? "sized by NpT, then fixed (NVT)" : "fixed (NVT)"));
      json_object_set_new(o, "structure_seed", json_integer((json_int_t)rs[i].sseed));
      json_object_set_new(o, "velocity_seed", json_integer(rs[i].vseed));
      json_object_set_new(o, "langevin_seeds", json_pack("[I,I]", (json_int_t)rs[i].lseed1, (json_int_t)rs[i].lseed2));
      char f[3][128];
      snprintf(f[0], sizeof f[0], "runs/%s/structure.data", rs[i].name);
      snprintf(f[1], sizeof f[1], "runs/%s/in.lammps", rs[i].name);
      snprintf(f[2], sizeof f[2], "runs/%s/traj.dump.gz", rs[i].name);
      json_object_set_new(o, "data", json_string(f[0]));
      json_object_set_new(o, "input", json_string(f[1]));
      json_object_set_new(o, "dump", json_string(f[2]));
      json_object_set_new(o, "defects", defects_json(s));
      json_array_append_new(jr, o);
      sb_printf(&runsh, "%s%s", i ? " " : "", rs[i].name);
      sb_printf(&cal, "  --md %g:%s \\\n", rs[i].T, f[2]);
    }
    ionkmc_structure_free(s);
  }
  /* NEB: one hop of the defect at every lattice constant of the campaign. */
  char neb_pick[160] = "";
  if (!st && c->neb) {
    double *as = malloc(sizeof *as * (size_t)n), amean = 0;
    int na = 0, nun = 0;
    for (int i = 0; i < n; i++) {
      if (!rs[i].strained) amean += rs[i].a, nun++;
      int seen = 0;
      for (int j = 0; j < na; j++) seen |= fabs(as[j] - rs[i].a) < 1e-6;
      if (!seen) as[na++] = rs[i].a;
    }
    amean /= nun > 0 ? nun : 1;
    qsort(as, (size_t)na, sizeof *as, cmp_double);
    if ((st = make_dir(dir, "neb", err))) na = 0;
    double best = INFINITY;
    const char *mech = ionkmc_defect_mechanism(c->structure.defect[0].kind);
    for (int j = 0; j < na && !st; j++) {
      ionkmc_structure_spec sp = c->structure;
      sp.a = as[j];
      sp.seed = c->seed;
      ionkmc_structure *s0 = ionkmc_structure_build(&sp, err), *s1 = NULL;
      if (!s0) st = IONKMC_EINVAL;
      if (!st && !(s1 = ionkmc_structure_hop(s0, &sp, 0, -1, err))) st = IONKMC_EINVAL;
      char name[96];
      snprintf(name, sizeof name, "a%.5f_%s", as[j], mech);
      if (!st) st = write_neb(c, name, s0, s1, dir, type_names, err);
      if (!st) {
        char lg[160];
        snprintf(lg, sizeof lg, "neb/%s/neb.log", name);
        json_array_append_new(jn, json_pack("{s:s,s:f,s:s,s:i,s:i,s:s,s:s,s:s,s:s}", "name", name, "a", as[j],
                                            "mechanism", mech, "from_site", s0->defect[0].site, "to_site",
                                            s1->defect[0].site, "initial", "initial.data", "final", "final.data",
                                            "input", "neb.in", "log", lg));
        sb_printf(&nebsh, "%s%s", j ? " " : "", name);
        if (fabs(as[j] - amean) < best) best = fabs(as[j] - amean), snprintf(neb_pick, sizeof neb_pick, "%s", lg);
      }
      ionkmc_structure_free(s0);
      ionkmc_structure_free(s1);
    }
    free(as);
  }
  if (!st) {
    if (neb_pick[0]) sb_printf(&cal, "  --neb %s \\\n", neb_pick);
    sb_printf(&cal, "  $FIT --out catalog.json --report calibration_report.json --events events.csv \"$@\"\n");
    sbuf all = {0};
    sb_printf(&all,
              "#!/bin/sh\n# ionkmc md-input: every MD run of this campaign, one after the other, or only run\n"
              "# INDEX (0-based, the order of campaign.json), e.g. for a job array:\n"
              "#   sbatch --array=0-%d run_all.sh   (the index from $SLURM_ARRAY_TASK_ID)\n"
              "# LMP is the LAMMPS command (default lmp; e.g. LMP=\"mpirun -np 8 lmp\").\n"
              "set -e\ncd \"$(dirname \"$0\")\"\nLMP=${LMP:-lmp}\nwant=${1:-${SLURM_ARRAY_TASK_ID:-}}\ni=0\n"
              "for r in %s; do\n  if [ -z \"$want\" ] || [ \"$want\" = \"$i\" ]; then\n"
              "    (cd \"runs/$r\" && $LMP -in in.lammps -log log.lammps -screen none)\n    echo \"run $r done\"\n"
              "  fi\n  i=$((i + 1))\ndone\n",
              n - 1, runsh.p ? runsh.p : "");
    st = write_script(dir, "run_all.sh", all.p ? all.p : "", err);
    free(all.p);
    if (!st) st = write_script(dir, "calibrate.sh", cal.p ? cal.p : "", err);
    if (!st && c->neb) {
      sbuf nb = {0};
      sb_printf(&nb,
                "#!/bin/sh\n# ionkmc md-input: relax both end points of each hop at fixed cell, then the NEB band\n"
                "# (%d replicas as LAMMPS partitions). LMP as in run_all.sh; MPIRUN the MPI launcher\n"
                "# (default mpirun; as root: MPIRUN=\"mpirun --allow-run-as-root --oversubscribe\").\n"
                "set -e\ncd \"$(dirname \"$0\")\"\nLMP=${LMP:-lmp}\nMPIRUN=${MPIRUN:-mpirun}\n"
                "for d in %s; do\n  (cd \"neb/$d\" && $LMP -in relax_initial.in -log relax_initial.log -screen none &&\n"
                "    $LMP -in relax_final.in -log relax_final.log -screen none &&\n"
                "    $MPIRUN -np %d $LMP -partition %dx1 -in neb.in -log neb.log -screen none)\n"
                "  echo \"neb $d done\"\ndone\n",
                c->neb_images, nebsh.p ? nebsh.p : "", c->neb_images, c->neb_images);
      st = write_script(dir, "run_neb.sh", nb.p ? nb.p : "", err);
      free(nb.p);
    }
  }
  if (!st) {
    const ionkmc_structure_spec *ss = &c->structure;
    json_object_set_new(doc, "schema", json_string("ionkmc-campaign/1"));
    json_object_set_new(doc, "defect", json_string(defect));
    json_object_set_new(doc, "structure",
                        json_pack("{s:i,s:s,s:s,s:s,s:s,s:s}", "L", ss->L, "a_site", ss->a_site ? ss->a_site : "MA",
                                  "b_site", ss->b_site ? ss->b_site : "Pb", "x_site", ss->x_site ? ss->x_site : "I",
                                  "ma_axis", ss->ma_axis < 0 ? "random" : ss->ma_axis == 0 ? "x" : ss->ma_axis == 1 ? "y" : "z",
                                  "typemap", typemap));
    json_object_set_new(
        doc, "protocol",
        json_pack("{s:f,s:o,s:f,s:f,s:f,s:f,s:f,s:s,s:o,s:f,s:{s:f,s:f,s:f},s:s}", "timestep_fs", c->timestep_fs,
                  "h_mass", c->h_mass > 0 ? json_real(c->h_mass) : json_null(), "equilibration_ps", c->equil_ps,
                  "langevin_damping_ps", c->tau_langevin_ps, "production_ps", c->prod_ps, "nose_hoover_tau_ps",
                  c->tau_nh_ps, "frame_interval_ps", c->dump_ps, "sizing",
                  c->sizing_npt ? "npt" : "lattice model a(T)", "npt_sizing_ps",
                  c->sizing_npt ? json_real(c->npt_ps) : json_null(), "strain", c->strain, "lattice_model", "a0",
                  c->acell.a0, "T0", c->acell.T0, "dadT", c->acell.dadT, "dump",
                  "id type element xu yu zu, gzip, sorted by id"));
    json_object_set_new(doc, "pair",
                        json_pack("{s:s,s:s}", "kind", c->pair == IONKMC_PAIR_ALLEGRO ? "allegro" : "include",
                                  "file", c->pair == IONKMC_PAIR_ALLEGRO ? c->pair_file : "forcefield.lmp"));
    json_object_set_new(doc, "runs", jr);
    jr = NULL;
    json_object_set_new(doc, "neb", jn);
    jn = NULL;
    json_object_set_new(doc, "scripts", json_pack("{s:s,s:s,s:o}", "md", "run_all.sh", "calibrate", "calibrate.sh",
                                                  "neb", c->neb ? json_string("run_neb.sh") : json_null()));
    snprintf(path, sizeof path, "%s/campaign.json", dir);
    if (json_dump_file(doc, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)))
      st = ionkmc_error_set(err, IONKMC_EIO, "%s: write failed", path);
  }
  json_decref(doc);
  json_decref(jr);
  json_decref(jn);
  free(runsh.p);
  free(cal.p);
  free(nebsh.p);
  return st;
}

ionkmc_status ionkmc_campaign_write(const ionkmc_campaign_spec *c, const char *dir, int *nruns, ionkmc_error *err) {
  ionkmc_status st = check_spec(c, err);
  if (st) return st;
  if (strlen(dir) > PATH_MAX - 512) return ionkmc_error_set(err, IONKMC_EINVAL, "campaign: directory name too long");
  DIR *dd = opendir(dir);
  if (dd) {
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(dd)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
    closedir(dd);
    if (!empty) return ionkmc_error_set(err, IONKMC_EINVAL, "%s: exists and is not empty (nothing written)", dir);
  }
  run *rs = malloc(sizeof *rs * MAXRUNS);
  if (!rs) return ionkmc_error_set(err, IONKMC_ENOMEM, "campaign: out of memory");
  int n = list_runs(c, rs);
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", dir);
  if (!mkdtemp(tmp)) {
    free(rs);
    return ionkmc_error_set(err, IONKMC_EIO, "%s: cannot create a directory beside it (%s)", dir, strerror(errno));
  }
  chmod(tmp, 0777 & ~(mode_t)0022);
  st = write_all(c, rs, n, tmp, err);
  if (!st) {
    if (dd) rmdir(dir);
    if (rename(tmp, dir)) st = ionkmc_error_set(err, IONKMC_EIO, "%s: cannot create (%s)", dir, strerror(errno));
  }
  if (st) nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(rs);
  if (!st && nruns) *nruns = n;
  return st;
}
