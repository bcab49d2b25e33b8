/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* md-input end to end with the real `lmp` (Debian lammps; skipped, saying so,
 * where it is not on PATH): a CsPbI3 V_I campaign at two temperatures plus one
 * strained cell runs in LAMMPS with the stand-in force field, calibrate reads
 * every dump through calibrate.sh and follows the vacancy in every frame, the
 * NEB decks run a few iterations and calibrate --neb reads the band; MAPbI3
 * data files (atomic and full) and the allegro deck are read and run by lmp. */
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/util.h"

static const char *bin, *src;
static char dir[256];

static int have_lmp(void) { return system("command -v lmp >/dev/null 2>&1") == 0; }

static int sh(const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  if (rc) fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
  return rc;
}

static json_t *load(const char *rel) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  json_error_t e;
  json_t *d = json_load_file(p, 0, &e);
  if (!d) fprintf(stderr, "%s: %s\n", p, e.text);
  assert_non_null(d);
  return d;
}

static int setup(void **state) {
  (void)state;
  bin = getenv("IONKMC_BIN");
  src = tu_source_dir();
  return tu_tmpdir(dir, sizeof dir, "campaign");
}

static int teardown(void **state) {
  (void)state;
  return tu_rmtree(dir);
}

static const char *mpirun(void) {
  return getuid() == 0 ? "mpirun --allow-run-as-root --oversubscribe" : "mpirun --oversubscribe";
}

static void test_cspbi3_vacancy(void **state) {
  (void)state;
  if (!bin || !src) skip();
  if (!have_lmp()) {
    printf("lmp is not on PATH: the LAMMPS end-to-end checks are skipped (scripts/install-deps installs lammps)\n");
    skip();
  }
  const double a0 = 6.29, dadT = 3e-4, prod = 3, dump = 0.1;
  assert_int_equal(sh("%s md-input --defect V_I+ --ff %s/examples/forcefields/cspbi3_standin.lmp --a-site Cs --size 3 "
                      "--T 500,600 --runs 1 --strain-at high --strain-sign plus --strain-runs 1 --equil 0.5 --prod %g "
                      "--dump-every %g --a0 %g --T0 500 --dadT %g --neb --neb-images 5 --neb-steps 20,10 --seed 4 "
                      "--out %s/c >/dev/null",
                      bin, src, prod, dump, a0, dadT, dir),
                   0);
  json_t *camp = load("c/campaign.json");
  json_t *runs = json_object_get(camp, "runs");
  assert_int_equal(json_array_size(runs), 3);
  int nstrained = 0;
  double want_a[3];
  for (size_t i = 0; i < 3; i++) {
    json_t *r = json_array_get(runs, i);
    double T = json_number_value(json_object_get(r, "T")), a = json_number_value(json_object_get(r, "a"));
    int st = json_is_true(json_object_get(r, "strained"));
    nstrained += st;
    assert_true(fabs(a - (a0 + dadT * (T - 500)) * (st ? 1.01 : 1)) < 1e-9);
    want_a[i] = a;
  }
  assert_int_equal(nstrained, 1);
  assert_int_equal(json_array_size(json_object_get(camp, "neb")), 3); /* one per lattice constant */
  assert_int_equal(sh("cd %s/c && LMP=lmp sh run_all.sh >/dev/null", dir), 0);
  assert_int_equal(sh("cd %s/c && MPIRUN='%s' sh run_neb.sh >/dev/null", dir, mpirun()), 0);
  /* The campaign's own calibrate command line; no event is expected in 3 ps,
   * so the fit is the NEB barrier with nu bounded by the runs. */
  assert_int_equal(sh("cd %s/c && FIT=--use-neb IONKMC=%s sh calibrate.sh --no-sensitivity --quiet", dir, bin), 0);
  json_t *rep = load("c/calibration_report.json");
  json_t *cal = json_object_get(rep, "calibration");
  json_t *rr = json_object_get(cal, "runs");
  assert_int_equal(json_array_size(rr), 3);
  for (size_t i = 0; i < 3; i++) {
    json_t *r = json_array_get(rr, i);
    double t = json_number_value(json_object_get(r, "time_ps"));
    assert_int_equal(json_integer_value(json_object_get(r, "frames")), (int)lround(prod / dump) + 1);
    assert_true(fabs(t - prod) < 1e-9);
    assert_true(fabs(json_number_value(json_object_get(r, "a_mean_A")) - want_a[i]) < 1e-5); /* NVT: fixed cell */
    /* The vacancy in every frame: one in the first, exposure = one vacancy for
     * the whole run, and its own walk followed. */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "defects_first_frame"), "kick_out")), 1);
    double ex = json_number_value(json_object_get(json_object_get(r, "exposure_s"), "kick_out"));
    assert_true(fabs(ex / (t * 1e-12) - 1) < 1e-9);
    assert_true(json_is_number(json_object_get(json_object_get(r, "D_defect_cm2_s"), "kick_out")));
  }
  json_t *neb = json_object_get(cal, "neb");
  assert_non_null(neb);
  char *txt = json_dumps(neb, JSON_COMPACT);
  fprintf(stderr, "neb: %.300s\n", txt);
  free(txt);
  json_decref(rep);
  json_decref(camp);
}

/* MAPbI3: a full-style data file with bonds, angles and dihedrals (trivial
 * force field), read and run by lmp; calibrate pairs its C and N and finds the
 * MA interstitial in the first frame. The allegro deck: read with the pair
 * style replaced by a trivial one. */
static void test_mapbi3_decks(void **state) {
  (void)state;
  if (!bin || !src) skip();
  if (!have_lmp()) {
    printf("lmp is not on PATH: the LAMMPS deck checks are skipped\n");
    skip();
  }
  assert_int_equal(sh("printf 'pair_style zero 6.0\\npair_coeff * *\\nbond_style harmonic\\nbond_coeff * 20.0 1.1\\n"
                      "angle_style harmonic\\nangle_coeff * 2.0 110.0\\ndihedral_style harmonic\\n"
                      "dihedral_coeff * 0.01 1 3\\n' > %s/trivial.lmp",
                      dir),
                   0);
  assert_int_equal(sh("%s md-input --defect I_MA+ --ff %s/trivial.lmp --size 2 --T 500 --runs 1 --strain 0 --equil 0.01 "
                      "--prod 0.1 --dump-every 0.01 --h-mass 2.014 --out %s/ma >/dev/null",
                      bin, dir, dir),
                   0);
  assert_int_equal(sh("grep -q '^mass 5 2.014' %s/ma/runs/T500_r0/in.lammps", dir), 0);
  assert_int_equal(sh("grep -q '^Dihedrals' %s/ma/runs/T500_r0/structure.data", dir), 0);
  assert_int_equal(sh("cd %s/ma && sh run_all.sh >/dev/null", dir), 0);
  /* No hop in 0.1 ps: calibrate reads the dump, fits the lattice, pairs C and
   * N, finds the interstitial, and stops only for want of events. */
  assert_int_equal(sh("cd %s/ma && FIT= IONKMC=%s sh calibrate.sh --quiet 2>err.txt; grep -q 'no concerted_ma events in "
                      "any run' err.txt",
                      dir, bin),
                   0);
  assert_int_equal(sh("printf 'not a model' > %s/model.pth", dir), 0);
  assert_int_equal(sh("%s md-input --defect V_I+ --pair allegro --model %s/model.pth --size 2 --T 500 --runs 1 --strain 0 "
                      "--equil 0.01 --prod 0.05 --dump-every 0.005 --out %s/al >/dev/null",
                      bin, dir, dir),
                   0);
  assert_int_equal(sh("grep -q '^atom_style atomic' %s/al/runs/T500_r0/in.lammps && grep -q '^pair_coeff \\* \\* "
                      "%s/model.pth Pb I C N H$' %s/al/runs/T500_r0/in.lammps",
                      dir, dir, dir),
                   0);
  assert_int_equal(sh("cd %s/al/runs/T500_r0 && sed -i 's/^pair_style allegro$/pair_style zero 6.0/; "
                      "s/^pair_coeff \\* \\* .*/pair_coeff * */' in.lammps && lmp -in in.lammps -log none -screen none "
                      "&& test -s traj.dump.gz",
                      dir),
                   0);
}

/* The campaign's design separates dEb/da from Eb: its runs (two T, cells at
 * a(T) and a(T)(1 +- s) at both ends) replaced by synthetic MD whose rates
 * follow k = nu exp(-(Eb + g (a - a_ref)) / kT), calibrate.sh (with its
 * --fit-a) must recover g and Eb within 3 standard errors. No lmp needed.
 * The synthetic frames come every 0.01 ps, so the detector's dwell is cut to
 * 0.05 ps (passed on by calibrate.sh): hops closer together than the dwell
 * are lost, and at the default 0.3 ps with up to 1 hop/ps that loss grows
 * with the rate and flattens the a dependence (dEb/da -0.33 +- 0.03 for a
 * true -0.5 with 6 hops/ps at the fastest cell). ν is set so the fastest
 * cell hops 1/ps in all; the loss there is then about 5%. */
static void test_strained_design_separates(void **state) {
  (void)state;
  if (!bin || !src) skip();
  const double Eb = 0.15, g = -0.4, aref = 6.365, kB = 8.617333262e-5;
  assert_int_equal(sh("%s md-input --defect V_I+ --ff %s/examples/forcefields/cspbi3_standin.lmp --size 3 --T 500,600 "
                      "--runs 2 --strain-runs 2 --out %s/syn >/dev/null",
                      bin, src, dir),
                   0);
  json_t *camp = load("syn/campaign.json");
  json_t *runs = json_object_get(camp, "runs");
  size_t n = json_array_size(runs);
  assert_int_equal(n, 2 * 2 + 2 * 2 * 2);
  double fastest = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *r = json_array_get(runs, i);
    double T = json_number_value(json_object_get(r, "T")), a = json_number_value(json_object_get(r, "a"));
    fastest = fmax(fastest, exp(-(Eb + g * (a - aref)) / (kB * T)));
  }
  const double nu = 1e12 / (8 * fastest);
  for (size_t i = 0; i < n; i++) {
    json_t *r = json_array_get(runs, i);
    double T = json_number_value(json_object_get(r, "T")), a = json_number_value(json_object_get(r, "a"));
    const char *dump = json_string_value(json_object_get(r, "dump"));
    double k = nu * exp(-(Eb + g * (a - aref)) / (kB * T));
    assert_int_equal(sh("cd %s/syn && %s synth --defect V_I+ --T %g --a %.10g --rate %.10g --size 3 --frame-dt 0.01 "
                        "--frames 2000 --seed %d --out traj.tmp >/dev/null && gzip -c traj.tmp > %s && rm traj.tmp",
                        dir, bin, T, a, k, (int)i + 1, dump),
                     0);
  }
  assert_int_equal(sh("cd %s/syn && IONKMC=%s sh calibrate.sh --dwell 0.05 --window 0.02 --no-sensitivity --quiet", dir, bin),
                   0);
  json_t *rep = load("syn/calibration_report.json");
  json_t *af = json_object_get(json_object_get(rep, "calibration"), "arrhenius_a_fit");
  assert_non_null(af);
  double gf = json_number_value(json_object_get(af, "dEb_da_eV_per_A"));
  double gse = json_number_value(json_object_get(af, "dEb_da_se_eV_per_A"));
  double ebf = json_number_value(json_object_get(af, "Eb_eV")), ebse = json_number_value(json_object_get(af, "Eb_se_eV"));
  double a0 = json_number_value(json_object_get(af, "a_ref_A"));
  fprintf(stderr, "dEb/da = %.4f +- %.4f (true %g), Eb(a_ref %.4f) = %.4f +- %.4f (true %.4f)\n", gf, gse, g, a0, ebf,
          ebse, Eb + g * (a0 - aref));
  assert_true(gse > 0 && fabs(gf - g) < 3 * gse);
  assert_true(ebse > 0 && fabs(ebf - (Eb + g * (a0 - aref))) < 3 * ebse);
  json_decref(rep);
  json_decref(camp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cspbi3_vacancy),
      cmocka_unit_test(test_mapbi3_decks),
      cmocka_unit_test(test_strained_design_separates),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
