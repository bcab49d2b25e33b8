/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The torch provider: Eb and nu from a TorchScript model ("model", a path
 * relative to the working directory; barriers/torch_model.h) on the
 * version-1 descriptor, plus the barrier shift. MA orientations
 * ("orientation"): annealed (default), the rate is the average of the
 * model's rate over the orientation classes (x, y, z, equally likely) of the
 * cages next to the path; quenched, the classes the engine holds are used as
 * they are. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "barriers/provider_type.h"
#include "barriers/torch_model.h"

/* configurations of up to four cages with three classes each */
#define MAXCONF 81

typedef struct {
  const char *model; /* borrowed from the catalog document */
  int quenched;
} torch_params;

typedef struct {
  ionkmc_torch_model *model;
  double seconds;
  double x[MAXCONF * IONKMC_TORCH_DESCRIPTOR_LENGTH];
  double Eb[MAXCONF], nu[MAXCONF];
} torch_state;

static ionkmc_status torch_parse(json_t *ent, const char *where, void **params, ionkmc_error *err) {
  json_t *mv = json_object_get(ent, "model");
  const char *model = json_is_string(mv) ? json_string_value(mv) : NULL;
  if (!model || !*model)
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "%s.model: expected the path of a TorchScript model for the torch "
                            "provider", where);
  int quenched = 0;
  json_t *ov = json_object_get(ent, "orientation");
  if (ov) {
    const char *om = json_is_string(ov) ? json_string_value(ov) : NULL;
    if (om && !strcmp(om, "annealed")) quenched = 0;
    else if (om && !strcmp(om, "quenched")) quenched = 1;
    else
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s.orientation: expected \"annealed\" or \"quenched\"",
                              where);
  }
  double sigma;
  ionkmc_status st = ionkmc_provider_parse_sigma(ent, where, 0, &sigma, err);
  if (st) return st;
  torch_params *p = malloc(sizeof *p);
  if (!p) return ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", where);
  p->model = model;
  p->quenched = quenched;
  *params = p;
  return IONKMC_OK;
}

static void torch_close(void *state) {
  torch_state *s = state;
  if (!s) return;
  ionkmc_torch_model_free(s->model);
  free(s);
}

static ionkmc_status torch_open(const ionkmc_provider_args *args, void **state, ionkmc_error *err) {
  const torch_params *p = args->entry->params;
  torch_state *s = calloc(1, sizeof *s);
  if (!s) return ionkmc_error_set(err, IONKMC_ENOMEM, "providers: out of memory");
  ionkmc_status st;
  s->model = ionkmc_torch_model_alloc(p->model, IONKMC_TORCH_DESCRIPTOR_VERSION,
                                      IONKMC_TORCH_DESCRIPTOR_LENGTH, err, &st);
  if (!s->model) {
    free(s);
    return st;
  }
  *state = s;
  return IONKMC_OK;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static ionkmc_status torch_barrier(void *state, const ionkmc_provider_args *args,
                                   const ionkmc_hop_env *env, ionkmc_barrier *out,
                                   ionkmc_error *err) {
  torch_state *s = state;
  const torch_params *p = args->entry->params;
  const int D = IONKMC_TORCH_DESCRIPTOR_LENGTH;
  const double *E = args->cond.field;
  int k = env->kind;
  double q = ionkmc_defect_charge(k);
  double len = sqrt(env->dr[0] * env->dr[0] + env->dr[1] * env->dr[1] + env->dr[2] * env->dr[2]);
  double qEdr = q * (E[0] * env->dr[0] + E[1] * env->dr[1] + E[2] * env->dr[2]);
  int nc = env->ncages < 4 ? env->ncages : 4;
  int annealed = !p->quenched;
  int nconf = 1;
  if (annealed)
    for (int c = 0; c < nc; c++) nconf *= 3;
  for (int conf = 0; conf < nconf; conf++) {
    double cos2 = 0;
    int code = conf;
    for (int c = 0; c < nc; c++) {
      int cls = annealed ? code % 3 : env->cage_class[c];
      code /= 3;
      cos2 += len > 0 ? env->dr[cls] * env->dr[cls] / (len * len) : 0;
    }
    ionkmc_torch_descriptor_fill(s->x + (size_t)conf * D, q, len, args->cond.a, qEdr, env->init_counts,
                                 env->final_counts, cos2, nc);
  }
  double t0 = now_s();
  ionkmc_status st = ionkmc_torch_model_eval(s->model, s->x, nconf, s->Eb, s->nu, err);
  s->seconds += now_s() - t0;
  if (st) return st;
  double shift = args->cond.shift;
  for (int conf = 0; conf < nconf; conf++) {
    double e = s->Eb[conf] + shift;
    if (e < 0)
      return ionkmc_error_set(err, IONKMC_ERANGE, "%s: model barrier %g eV + shift %g is negative",
                              ionkmc_torch_model_path(s->model), s->Eb[conf], shift);
    s->Eb[conf] = e;
  }
  *out = (ionkmc_barrier){.n = nconf, .Eb = s->Eb, .nu = s->nu};
  return IONKMC_OK;
}

static int torch_quenched(const void *params) { return ((const torch_params *)params)->quenched; }
static double torch_seconds(const void *state) { return ((const torch_state *)state)->seconds; }

const ionkmc_provider_type ionkmc_provider_torch = {
    .name = "torch",
    .help = "Eb and nu from a TorchScript model (model: path; orientation: annealed|quenched)",
    .env_shells = 1,
    .parse = torch_parse,
    .free_params = free,
    .open = torch_open,
    .barrier = torch_barrier,
    .close = torch_close,
    .quenched = torch_quenched,
    .model_seconds = torch_seconds,
};
