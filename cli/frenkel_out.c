/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Outputs of a box with thermal Frenkel pairs (run --box with a catalog
 * `frenkel` entry): JSON object, CSV columns, table line and warnings. */
#include <math.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "kmc/frenkel.h"

static const char *WINDOW =
    "time averages over the second half of each run's simulated time, then the mean, SE and "
    "Student-t 95% interval over the runs (KMC sampling only)";

/* A finite number or null. */
static json_t *real_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

json_t *cli_frenkel_json(const cli_result *r) {
  const ionkmc_run_config *c = r->cfg;
  const ionkmc_run_summary *s = r->sum;
  const ionkmc_frenkel_entry *f = c->cat ? ionkmc_catalog_frenkel(c->cat) : NULL;
  json_t *o = json_object();
  json_object_set_new(o, "pair", json_string("V_I+/I_I-"));
  json_object_set_new(o, "E_f_eV", real_or_null(f ? f->E_f : NAN));
  json_object_set_new(o, "S_f_kB", real_or_null(f ? f->S_f : NAN));
  json_object_set_new(o, "weight", json_real(c->spec.frenkel_w));
  json_object_set_new(o, "creation_rate_per_path_s", json_real(c->spec.frenkel_w * c->spec.rate[IONKMC_I_I]));
  json_object_set_new(o, "max_pairs", json_integer(c->spec.frenkel_max));
  json_object_set_new(o, "created", json_integer(s->frenkel_created));
  json_object_set_new(o, "recombinations", json_integer(s->recombinations));
  json_object_set_new(o, "null_proposals", json_integer(s->frenkel_null));
  json_object_set_new(o, "created_second_half", json_integer(s->created_half2));
  json_object_set_new(o, "recombined_second_half", json_integer(s->recombined_half2));
  json_object_set_new(o, "window", json_string(WINDOW));
  json_object_set_new(o, "n_V", cli_estimate_json(s->pop_nv));
  json_object_set_new(o, "n_I", cli_estimate_json(s->pop_ni));
  json_object_set_new(o, "n_V_n_I", cli_estimate_json(s->pop_nvni));
  json_object_set_new(o, "mass_action_ratio", cli_estimate_json(s->mass_action));
  json_object_set_new(o, "pair_balance", cli_estimate_json(s->pair_balance));
  json_t *eq = json_object();
  json_object_set_new(eq, "n_V", json_real(s->eq_nv));
  json_object_set_new(eq, "n_I", json_real(s->eq_ni));
  json_object_set_new(eq, "n_V_sd", json_real(s->eq_nv_sd));
  json_object_set_new(eq, "n_V_n_I", json_real(s->eq_nvni));
  json_object_set_new(eq, "how", json_string("exact: P(n_V) proportional to w^n_V times the number of "
                                             "configurations, summed over n_V"));
  json_object_set_new(o, "equilibrium", eq);
  json_object_set_new(o, "note", json_string(
      "mass_action_ratio = <n_V n_I> / ((w/2) <n_0 (n_0 - 1)>), n_0 the singly occupied X sites: 1 at "
      "equilibrium; pair_balance = (created - recombined) / (created + recombined) per run over the "
      "second half: 0 in steady state"));
  return o;
}

void cli_frenkel_rows_header(cli_rows *t) {
  cli_rows_names(t, "frenkel_created,frenkel_null_proposals,frenkel_created_second_half,"
                    "frenkel_recombined_second_half,n_V,n_V_sem,n_I,n_I_sem,n_V_n_I,n_V_n_I_sem,"
                    "n_V_equilibrium,n_I_equilibrium,n_V_n_I_equilibrium,mass_action_ratio,mass_action_ratio_sem");
}

void cli_frenkel_rows(cli_rows *t, const cli_result *r) {
  const ionkmc_run_summary *s = r->sum;
  const long long c[] = {(long long)s->frenkel_created, (long long)s->frenkel_null, (long long)s->created_half2,
                         (long long)s->recombined_half2};
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) cli_rows_add(t, "%lld", c[i]);
  const double v[] = {s->pop_nv.mean, s->pop_nv.sem, s->pop_ni.mean, s->pop_ni.sem,
                      s->pop_nvni.mean, s->pop_nvni.sem, s->eq_nv, s->eq_ni, s->eq_nvni,
                      s->mass_action.mean, s->mass_action.sem};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) cli_rows_num(t, "%.8g", v[i]);
}

void cli_frenkel_table(FILE *fp, const cli_result *r) {
  const ionkmc_run_summary *s = r->sum;
  if (!s->frenkel || r->species != 0) return;
  fprintf(fp,
          "# Frenkel pairs (V_I+/I_I-): %lld created, %lld recombined in all runs; second halves: "
          "n_V = %.4g +- %.2g, n_I = %.4g +- %.2g, <n_V n_I> = %.4g +- %.2g (SE: KMC sampling); exact "
          "equilibrium n_V = %.4g, n_I = %.4g, <n_V n_I> = %.4g; mass-action ratio %.4f +- %.4f\n",
          (long long)s->frenkel_created, (long long)s->recombinations, s->pop_nv.mean, s->pop_nv.sem,
          s->pop_ni.mean, s->pop_ni.sem, s->pop_nvni.mean, s->pop_nvni.sem, s->eq_nv, s->eq_ni,
          s->eq_nvni, s->mass_action.mean, s->mass_action.sem);
}

void cli_warn_frenkel(const char *cmd, json_t *warnings, const cli_result *r) {
  const ionkmc_run_summary *s = r->sum;
  if (r->species != 0) return;
  if (s->frenkel_created == 0) {
    cli_warn(cmd, warnings,
             "%s: no Frenkel pair was created in %d runs (%.3g per path per second): the population "
             "is the box's own; run longer or check frenkel.E_f",
             r->label, r->cfg->runs, r->cfg->spec.frenkel_w * r->cfg->spec.rate[IONKMC_I_I]);
    return;
  }
  double dz = s->pop_nv.mean - s->eq_nv;
  if (isfinite(s->pop_nv.sem) && fabs(dz) > 4 * s->pop_nv.sem)
    cli_warn(cmd, warnings,
             "%s: the second-half Frenkel population n_V = %.4g +- %.2g is more than 4 SE from the "
             "exact equilibrium %.4g: the box had not equilibrated in the first half of its runs; run "
             "longer",
             r->label, s->pop_nv.mean, s->pop_nv.sem, s->eq_nv);
}
