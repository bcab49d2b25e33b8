/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc plot: figures from ionkmc's own outputs. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/plot.h"

static const char HEAD[] =
    "usage: ionkmc plot KIND --in FILE [--in FILE ...] --out FIG.png|FIG.svg|FIG.pdf [options]\n"
    "\n"
    "Figures from ionkmc's outputs, sized for one journal column (3.5 in), with\n"
    "axis labels and units, log axes where the quantity spans decades, a legend\n"
    "and a colour-blind-safe palette (Okabe-Ito; series also differ in marker and\n"
    "line style). PNG at 300 dpi, SVG (text kept as text) or PDF, by extension.\n"
    "Inputs are recognised by content: a calibrate --report, the --json of compare,\n"
    "run or sweep, a sweep/run --csv, or a calibrate --events CSV.\n"
    "\n"
    "kinds:\n"
    "  arrhenius  MD rates per path (Garwood 95%) against 1000/T with the Poisson ML\n"
    "             fit and its 95% band (from the stored covariance), the NEB-fixed fit,\n"
    "             the paper's Table 2 law, the KMC hop rates of compare, and the\n"
    "             predictions at --predict T (default: the report's); a second axis in T.\n"
    "             --quantity D: MD D_species (Student-t 95%) and KMC D_species from\n"
    "             compare/run/sweep (95% total interval where the file has ci95_total,\n"
    "             else the sampling interval; the legend says which) and the paper's law\n"
    "  msd        MD MSD(t) per atom of the defect's species, per run (thin) and pooled\n"
    "             per T (thick), the D fit window shaded; KMC MSD(t) of run --msd (dashed)\n"
    "  parity     KMC against MD from compare: D_species and D_defect (or --quantity\n"
    "             rate), both intervals, and y = x\n"
    "  sweep      D_species (--quantity D_defect, mobility, rate: the catalog's rate per\n"
    "             path) against the swept parameter\n"
    "             (--x T|size|barrier_shift|a, default the one with most values), one\n"
    "             line per defect\n"
    "  hops       from the event log: dwell time of an atom between two hops per T, hop\n"
    "             lengths, and the back-hop fraction per T (exact binomial 95%)\n"
    "\n"
;

static const struct {
  const char *name;
  plot_kind_fn fn;
} KINDS[] = {{"arrhenius", plot_arrhenius}, {"msd", plot_msd}, {"parity", plot_parity},
             {"sweep", plot_sweep},         {"hops", plot_hops}};
#define NKINDS ((int)(sizeof KINDS / sizeof KINDS[0]))

int plot_opt_in(const char *cmd, const char *opt, const char *arg, void *field) {
  plot_paths_arg *p = field;
  if (p->n == 64) return cli_bad(cmd, "--%s: at most 64 files", opt), 0;
  p->path[p->n++] = arg;
  return 1;
}

typedef struct {
  plot_paths_arg in;
  cli_temps_arg predict;
  const char *out, *quantity, *x;
} plot_opts;

#define S plot_opts
static const cli_option OPTS[] = {
    CLI_OPT_CUSTOM("in", in, "FILE", plot_opt_in, "required", "an input (repeat)"),
    {.name = "out", .kind = CLI_STR, .off = offsetof(S, out), .meta = "FILE", .def = "required",
     .help = "the figure (.png, .svg or .pdf)"},
    CLI_OPT_CUSTOM("predict", predict, "T[,T...]", cli_parse_temps, "the report's",
                   "arrhenius: temperatures (K) of the predictions"),
    CLI_OPT_STR("quantity", quantity, "Q",
                "arrhenius: rate or D; parity: D or rate; sweep: D, D_defect, mobility or rate"),
    CLI_OPT_STR("x", x, "PARAM", "sweep: T, size, barrier_shift or a (default: the one with most values)"),
};
#undef S

const cli_command CLI_CMD_PLOT = {"plot", HEAD, NULL, OPTS, CLI_NOPTS(OPTS), sizeof(plot_opts), NULL, NULL};

static int plot_main(int kind, const plot_opts *o);

int cmd_plot(int argc, char **argv) {
  const char *cmd = "plot";
  if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
    cli_help(&CLI_CMD_PLOT, stdout);
    return 0;
  }
  if (argc >= 3 && !strcmp(argv[2], "--list-options")) {
    cli_list_options(&CLI_CMD_PLOT, stdout);
    return 0;
  }
  if (argc < 3 || argv[2][0] == '-')
    return cli_bad(cmd, "expected a kind first (arrhenius, msd, parity, sweep or hops)");
  int kind = -1;
  for (int k = 0; k < NKINDS; k++)
    if (!strcmp(argv[2], KINDS[k].name)) kind = k;
  if (kind < 0)
    return cli_bad(cmd, "unknown kind '%s' (expected arrhenius, msd, parity, sweep or hops)", argv[2]);
  plot_opts o;
  int code = cli_parse(&CLI_CMD_PLOT, argc, argv, 3, &o, NULL);
  if (code) return code < 0 ? 0 : code;
  return plot_main(kind, &o);
}

/* One figure, from the parsed options. */
static int plot_main(int kind, const plot_opts *o) {
  const char *cmd = "plot", *out = o->out;
  plot_inputs *in = calloc(1, sizeof *in);
  if (!in) return cli_fail(cmd, "out of memory");
  const char *const *paths = o->in.path;
  int npaths = o->in.n, code = 0;
  memcpy(in->predict, o->predict.T, sizeof o->predict.T);
  in->npredict = o->predict.n;
  in->quantity = o->quantity;
  in->x = o->x;
  if (!out) code = cli_bad(cmd, "--out: expected the figure file (.png, .svg or .pdf)");
  else if (plot_format_of(cmd, "out", out) < 0) code = EXIT_BAD_INPUT;
  else if (npaths == 0) code = cli_bad(cmd, "--in: expected at least one input file");
  for (int q = 0; q < npaths && !code; q++) code = plot_load(cmd, in, paths[q]);
  if (!code) code = KINDS[kind].fn(cmd, in, out);
  plot_inputs_free(in);
  free(in);
  return code;
}
