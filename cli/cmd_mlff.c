/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc mlff: energies, forces and stress from a deployed NequIP/Allegro
 * model (barriers/mlff.h). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/mlff_cli.h"

static const char HEAD[] =
    "usage: ionkmc mlff eval --model FILE --structure FILE [options]\n"
    "\n"
    "Evaluate a deployed NequIP/Allegro interatomic potential (a TorchScript archive\n"
    "written by nequip-deploy, or examples/mlff_standin/model.pth) on one structure:\n"
    "total energy, forces and stress, computed with the model's own r_max on a\n"
    "periodic neighbour list with cell shifts (cells thinner than 2 r_max need no\n"
    "replicas). Elements map to model types through the model's type_names.\n"
    "\n"
;
static const char TAIL[] =
    "JSON: energy_eV, energy_per_atom_eV, forces_eV_per_A (N x 3, the structure's atom\n"
    "order), stress_GPa (3 x 3, (1/V) dE/dstrain: negative under compression; null when\n"
    "the model gives none), pressure_GPa (-trace/3), natoms, nedges, model (metadata).\n";

int mlff_cli_exit(ionkmc_status st) {
  return (st == IONKMC_EINVAL || st == IONKMC_EIO || st == IONKMC_EPARSE || st == IONKMC_ERANGE) ? EXIT_BAD_INPUT
                                                                                                  : EXIT_INTERNAL;
}

ionkmc_mlff *mlff_cli_model(const char *cmd, const char *path, const char *device, int *code) {
  ionkmc_error err;
  ionkmc_status st;
  ionkmc_mlff *m = ionkmc_mlff_alloc(path, device, &err, &st);
  if (!m) {
    *code = mlff_cli_exit(st);
    fprintf(stderr, "ionkmc %s: %s%s\n", cmd, strncmp(err.text, "--", 2) ? "--model " : "", err.text);
  }
  return m;
}

ionkmc_atoms *mlff_cli_structure(const char *cmd, const char *opt, const char *path, const char *format,
                                 int *code) {
  ionkmc_atoms_format fmt = IONKMC_ATOMS_AUTO;
  if (format && ionkmc_atoms_format_parse(format, &fmt)) {
    *code = cli_bad(cmd, "--format: expected auto, extxyz, lammps or poscar, got '%s'", format);
    return NULL;
  }
  ionkmc_error err;
  ionkmc_atoms *a = ionkmc_atoms_read(path, fmt, &err);
  if (!a) *code = cli_bad(cmd, "--%s %s", opt, err.text);
  return a;
}

json_t *mlff_cli_meta_json(const ionkmc_mlff *m, const char *path) {
  const ionkmc_mlff_meta *md = ionkmc_mlff_meta_of(m);
  json_t *names = json_array();
  for (int k = 0; k < md->n_species; k++) json_array_append_new(names, json_string(md->type_names[k]));
  return json_pack("{s:s,s:f,s:o,s:s,s:s,s:s}", "path", path, "r_max_A", md->r_max, "type_names", names,
                   "nequip_version", md->nequip_version, "torch_version", md->torch_version, "model_dtype",
                   md->model_dtype);
}

static json_t *matrix_json(const double *v, int rows, int cols, double scale) {
  json_t *a = json_array();
  for (int i = 0; i < rows; i++) {
    json_t *r = json_array();
    for (int j = 0; j < cols; j++) json_array_append_new(r, json_real(v[i * cols + j] * scale));
    json_array_append_new(a, r);
  }
  return a;
}

typedef struct {
  const char *model, *structure, *format, *device;
  cli_out_paths outs; /* --json FILE */
} mlff_opts;

static void mlff_defaults(void *p) {
  mlff_opts *o = p;
  o->device = "cpu";
  o->outs.path[cli_output_format_index("json")] = "-";
}

#define S mlff_opts
static const cli_option OPTS[] = {
    {.name = "model", .kind = CLI_STR, .off = offsetof(S, model), .meta = "FILE", .def = "required",
     .help = "deployed model (.pth)"},
    {.name = "structure", .kind = CLI_STR, .off = offsetof(S, structure), .meta = "FILE", .def = "required",
     .help = "extxyz, LAMMPS data or POSCAR (first frame)"},
    {.name = "format", .kind = CLI_STR, .off = offsetof(S, format), .meta = "F", .def = "auto, from the name",
     .help = "auto, extxyz, lammps, poscar"},
    CLI_OPT_STR("device", device, "D", "cpu, cuda, cuda:N (needs a CUDA libtorch)"),
    CLI_OPT_OUTPUTS(outs, CLI_OUT_DOC),
};
#undef S

const cli_command CLI_CMD_MLFF = {"mlff eval", HEAD, TAIL, OPTS, CLI_NOPTS(OPTS), sizeof(mlff_opts), mlff_defaults,
                                  NULL};

static int mlff_main(const mlff_opts *o, int argc, char **argv);

int cmd_mlff(int argc, char **argv) {
  const char *cmd = "mlff";
  if (argc < 3 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h") || !strcmp(argv[2], "--list-options")) {
    if (argc >= 3 && argv[2][2] == 'l') cli_list_options(&CLI_CMD_MLFF, stdout);
    else cli_help(&CLI_CMD_MLFF, argc < 3 ? stderr : stdout);
    return argc < 3 ? EXIT_BAD_INPUT : 0;
  }
  if (strcmp(argv[2], "eval") != 0) return cli_bad(cmd, "unknown action '%s' (expected eval)", argv[2]);
  mlff_opts o;
  int code = cli_parse(&CLI_CMD_MLFF, argc, argv, 3, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return mlff_main(&o, argc, argv);
}

/* One evaluation, from the parsed options. */
static int mlff_main(const mlff_opts *o, int argc, char **argv) {
  const char *cmd = "mlff";
  const char *model = o->model, *structure = o->structure, *format = o->format, *device = o->device;
  int code = 0;
  if (!model) return cli_bad(cmd, "--model FILE is required");
  if (!structure) return cli_bad(cmd, "--structure FILE is required");
  ionkmc_atoms *a = mlff_cli_structure(cmd, "structure", structure, format, &code);
  if (!a) return code;
  cli_out_files outs;
  if ((code = cli_out_open(cmd, &o->outs, &outs))) {
    ionkmc_atoms_free(a);
    return code;
  }
  ionkmc_mlff *m = mlff_cli_model(cmd, model, device, &code);
  double *F = malloc((size_t)a->n * 3 * sizeof *F), E, S[9];
  int hs = 0;
  ionkmc_error err;
  if (m && F) {
    ionkmc_status st = ionkmc_mlff_eval(m, a, NULL, &E, F, S, &hs, &err);
    if (st) code = mlff_cli_exit(st), fprintf(stderr, "ionkmc %s: --structure %s: %s\n", cmd, structure, err.text);
  } else if (m) {
    code = cli_fail(cmd, "out of memory");
  }
  if (!code) {
    json_t *doc = cli_envelope(argc, argv, NULL);
    json_object_set_new(doc, "structure", json_string(structure));
    json_object_set_new(doc, "natoms", json_integer(a->n));
    json_object_set_new(doc, "nedges", json_integer(ionkmc_mlff_last_edges(m)));
    json_object_set_new(doc, "energy_eV", json_real(E));
    json_object_set_new(doc, "energy_per_atom_eV", json_real(E / a->n));
    json_object_set_new(doc, "forces_eV_per_A", matrix_json(F, a->n, 3, 1.0));
    json_object_set_new(doc, "stress_GPa", hs ? matrix_json(S, 3, 3, IONKMC_EV_A3_TO_GPA) : json_null());
    json_object_set_new(doc, "pressure_GPa",
                        hs ? json_real(-(S[0] + S[4] + S[8]) / 3 * IONKMC_EV_A3_TO_GPA) : json_null());
    json_object_set_new(doc, "model", mlff_cli_meta_json(m, model));
    json_object_set_new(doc, "units",
                        json_pack("{s:s,s:s,s:s}", "energy", "eV", "forces", "eV/angstrom", "stress", "GPa"));
    cli_output result = {.doc = doc, .precision = 12};
    code = cli_out_finish(cmd, &outs, &result);
    json_decref(doc);
  }
  cli_out_abort(&outs);
  free(F);
  ionkmc_mlff_free(m);
  ionkmc_atoms_free(a);
  return code;
}
