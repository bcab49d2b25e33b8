/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* The stand-in potential (examples/mlff_standin) through ionkmc against
 * LAMMPS's pair_style born/coul/dsf (sigma = D = 0, pair_modify shift yes)
 * on the same structures (the .data files of tests/data/mlff, one cubic, one triclinic):
 * energy per atom within 1e-6 eV, forces within 1e-5 eV/A, stress within
 * 1e-5 GPa; and the CI-NEB barrier of one V_I hop equals LAMMPS neb's
 * within 0.01 eV. The pair coefficients come from examples/mlff_standin/params.json,
 * the file the model was generated from. Skipped without libtorch or without
 * the lmp program (scripts/install-deps installs Debian's lammps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barriers/hopcell.h"
#include "barriers/mlff.h"
#include "barriers/mlff_neb.h"
#include "mlff_cells.h"


/* Write the LAMMPS input for the stand-in's parameters (types 1 Cs, 2 Pb, 3 I
 * as in the data files). */
static void write_potential(FILE *fp, const char *data, const char *atom_modify) {
  json_error_t jerr;
  json_t *p = json_load_file(src_path("examples/mlff_standin/params.json"), 0, &jerr);
  assert_non_null(p);
  const char *types[3] = {"Cs", "Pb", "I"};
  double rc = json_real_value(json_object_get(p, "r_max_A"));
  fprintf(fp,
          "units metal\natom_style charge\nboundary p p p\natom_modify %s\nread_data %s\n"
          "pair_style born/coul/dsf %.17g %.17g\npair_coeff * * 0.0 1.0 0.0 0.0 0.0\n",
          atom_modify, data, json_real_value(json_object_get(p, "alpha_per_A")), rc);
  size_t k;
  json_t *b;
  json_array_foreach(json_object_get(p, "buckingham"), k, b) {
    const char *e1 = json_string_value(json_array_get(json_object_get(b, "pair"), 0));
    const char *e2 = json_string_value(json_array_get(json_object_get(b, "pair"), 1));
    int t1 = 0, t2 = 0;
    for (int t = 0; t < 3; t++) {
      if (!strcmp(types[t], e1)) t1 = t + 1;
      if (!strcmp(types[t], e2)) t2 = t + 1;
    }
    assert_true(t1 && t2);
    fprintf(fp, "pair_coeff %d %d %.17g %.17g 0.0 %.17g 0.0\n", t1 < t2 ? t1 : t2, t1 < t2 ? t2 : t1,
            json_real_value(json_object_get(b, "A_eV")), json_real_value(json_object_get(b, "rho_A")),
            json_real_value(json_object_get(b, "C_eVA6")));
  }
  fprintf(fp, "pair_modify shift yes\n");
  json_decref(p);
}

static void write_input(const char *dir) {
  char path[1100];
  snprintf(path, sizeof path, "%s/in.cmp", dir);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  write_potential(fp, "${data}", "map array");
  fprintf(fp,
          "thermo_style custom step pe pxx pyy pzz pxy pxz pyz\n"
          "thermo_modify format float %%.15g\nrun 0\n"
          "print \"RESULT $(pe:%%.15g) $(pxx:%%.15g) $(pyy:%%.15g) $(pzz:%%.15g) $(pxy:%%.15g) "
          "$(pxz:%%.15g) $(pyz:%%.15g)\" file %s/result.txt\n"
          "write_dump all custom %s/forces.dump id fx fy fz modify sort id format float %%.15g\n",
          dir, dir);
  fclose(fp);
}

static void compare(const char *rel, const char *dir) {
  char cmd[4096], path[1100];
  snprintf(cmd, sizeof cmd, "cd %s && lmp -in in.cmp -var data %s -log none -screen none", dir, src_path(rel));
  assert_int_equal(system(cmd), 0);
  snprintf(path, sizeof path, "%s/result.txt", dir);
  FILE *fp = fopen(path, "r");
  assert_non_null(fp);
  double pe, p[6];
  assert_int_equal(fscanf(fp, "RESULT %lf %lf %lf %lf %lf %lf %lf", &pe, &p[0], &p[1], &p[2], &p[3], &p[4], &p[5]),
                   7);
  fclose(fp);
  ionkmc_error err;
  ionkmc_atoms *a = ionkmc_atoms_read(src_path(rel), IONKMC_ATOMS_LAMMPS, &err);
  assert_non_null(a);
  ionkmc_status st;
  ionkmc_mlff *m = ionkmc_mlff_alloc(src_path("examples/mlff_standin/model.pth"), "cpu", &err, &st);
  assert_non_null(m);
  double E, S[9], *F = malloc((size_t)a->n * 3 * sizeof *F);
  int hs;
  assert_int_equal(ionkmc_mlff_eval(m, a, NULL, &E, F, S, &hs, &err), IONKMC_OK);
  printf("%s: %d atoms, E = %.10f eV (LAMMPS %.10f), |dE|/N = %.2e eV\n", rel, a->n, E, pe, fabs(E - pe) / a->n);
  assert_true(fabs(E - pe) / a->n < 1e-6);
  snprintf(path, sizeof path, "%s/forces.dump", dir);
  fp = fopen(path, "r");
  assert_non_null(fp);
  char line[512];
  for (int l = 0; l < 9; l++) assert_non_null(fgets(line, sizeof line, fp));
  double maxdf = 0;
  for (int i = 0; i < a->n; i++) {
    int id;
    double f[3];
    assert_int_equal(fscanf(fp, "%d %lf %lf %lf", &id, &f[0], &f[1], &f[2]), 4);
    assert_int_equal(id, i + 1);
    for (int d = 0; d < 3; d++) maxdf = fmax(maxdf, fabs(f[d] - F[3 * i + d]));
  }
  fclose(fp);
  printf("%s: max |F - F_LAMMPS| = %.2e eV/A\n", rel, maxdf);
  assert_true(maxdf < 1e-5);
  /* LAMMPS pressure (bar) = -stress; order xx yy zz xy xz yz */
  assert_true(hs);
  const int idx[6] = {0, 4, 8, 1, 2, 5};
  double maxds = 0;
  for (int k = 0; k < 6; k++) maxds = fmax(maxds, fabs(S[idx[k]] * IONKMC_EV_A3_TO_GPA + p[k] * 1e-4));
  printf("%s: max |stress - (-P_LAMMPS)| = %.2e GPa\n", rel, maxds);
  assert_true(maxds < 1e-5);
  free(F);
  ionkmc_mlff_free(m);
  ionkmc_atoms_free(a);
}

static void test_against_lammps(void **state) {
  (void)state;
  if (!ionkmc_mlff_available() || system("command -v lmp >/dev/null 2>&1") != 0) skip();
  char dir[] = "/tmp/ionkmc_mlff_lmp_XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_input(dir);
  compare("tests/data/mlff/cubic2_vac.data", dir);
  compare("tests/data/mlff/skew3_vac.data", dir);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

/* The CI-NEB barrier of one V_I hop (2x2x2 cells, a = 6.37 A, 7 images)
 * through ionkmc and through LAMMPS neb (7 partitions under mpirun) from the
 * same relaxed end points: equal within 0.01 eV. */
static void test_neb_against_lammps(void **state) {
  (void)state;
  if (!ionkmc_mlff_available() || system("command -v lmp >/dev/null 2>&1") != 0 ||
      system("command -v mpirun >/dev/null 2>&1") != 0)
    skip();
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_mlff *m = ionkmc_mlff_alloc(src_path("examples/mlff_standin/model.pth"), "cpu", &err, &st);
  assert_non_null(m);
  ionkmc_atoms *ini, *fin;
  int mover;
  assert_int_equal(ionkmc_hopcell_build("Cs", "Pb", "I", 2, 6.37, IONKMC_HOP_V_X, &ini, &fin, &mover, &err),
                   IONKMC_OK);
  ionkmc_mlff_neb_params p = ionkmc_mlff_neb_params_default();
  p.fire.ftol = 1e-4;
  p.neb.ftol = 0.002;
  ionkmc_mlff_band *b;
  assert_int_equal(ionkmc_mlff_neb(m, ini, fin, &p, &b, &err), IONKMC_OK);
  assert_true(b->res.converged);
  char dir[] = "/tmp/ionkmc_mlff_neb_XXXXXX", path[1100];
  assert_non_null(mkdtemp(dir));
  const int M = b->nimages, n = ini->n;
  const double *x0 = b->band, *x1 = b->band + (size_t)(M - 1) * b->ndof;
  snprintf(path, sizeof path, "%s/initial.data", dir);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fprintf(fp, "V_I hop, initial\n\n%d atoms\n3 atom types\n\n0 %.12g xlo xhi\n0 %.12g ylo yhi\n0 %.12g zlo zhi\n",
          n, ini->cell[0][0], ini->cell[1][1], ini->cell[2][2]);
  fprintf(fp, "\nMasses\n\n1 132.905\n2 207.2\n3 126.904\n\nAtoms # charge\n\n");
  json_error_t jerr;
  json_t *par = json_load_file(src_path("examples/mlff_standin/params.json"), 0, &jerr);
  assert_non_null(par);
  for (int i = 0; i < n; i++) {
    int t = !strcmp(ini->el[i], "Cs") ? 1 : !strcmp(ini->el[i], "Pb") ? 2 : 3;
    fprintf(fp, "%d %d %.17g %.12f %.12f %.12f\n", i + 1, t,
            json_real_value(json_object_get(json_object_get(par, "charges_e"), ini->el[i])), x0[3 * i], x0[3 * i + 1],
            x0[3 * i + 2]);
  }
  json_decref(par);
  fclose(fp);
  snprintf(path, sizeof path, "%s/final.txt", dir);
  fp = fopen(path, "w");
  assert_non_null(fp);
  fprintf(fp, "%d\n", n);
  for (int i = 0; i < n; i++) fprintf(fp, "%d %.12f %.12f %.12f\n", i + 1, x1[3 * i], x1[3 * i + 1], x1[3 * i + 2]);
  fclose(fp);
  snprintf(path, sizeof path, "%s/in.neb", dir);
  fp = fopen(path, "w");
  assert_non_null(fp);
  write_potential(fp, "initial.data", "map array sort 0 0.0");
  fprintf(fp, "fix 1 all neb 1.0 parallel ideal\ntimestep 0.002\nmin_style fire\nthermo 100\n"
              "neb 0.0 0.002 4000 4000 100 final final.txt\n");
  fclose(fp);
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "cd %s && mpirun %s --oversubscribe -np %d lmp -partition %dx1 -in in.neb -log log.lammps -screen none "
           ">mpirun.out 2>&1",
           dir, getuid() == 0 ? "--allow-run-as-root" : "", M, M);
  assert_int_equal(system(cmd), 0);
  snprintf(path, sizeof path, "%s/log.lammps", dir);
  fp = fopen(path, "r");
  assert_non_null(fp);
  char line[4096];
  double ebf = NAN, ebr = NAN;
  int in_table = 0;
  while (fgets(line, sizeof line, fp)) {
    if (!strncmp(line, "Step MaxReplicaForce", 20)) {
      in_table = 1;
      continue;
    }
    double v[8];
    if (in_table && sscanf(line, "%lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                           &v[7]) == 8)
      ebf = v[6], ebr = v[7];
  }
  fclose(fp);
  printf("V_I hop: ionkmc CI-NEB Ef = %.6f Er = %.6f eV, LAMMPS neb EBF = %.6f EBR = %.6f eV (|diff| %.1e eV)\n",
         b->res.Ef, b->res.Er, ebf, ebr, fabs(b->res.Ef - ebf));
  assert_true(fabs(b->res.Ef - ebf) < 0.01);
  assert_true(fabs(b->res.Er - ebr) < 0.01);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
  ionkmc_mlff_band_free(b);
  ionkmc_atoms_free(ini);
  ionkmc_atoms_free(fin);
  ionkmc_mlff_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_lammps), cmocka_unit_test(test_neb_against_lammps)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
