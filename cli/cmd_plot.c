/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc plot: figures from ionkmc's own outputs. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/plot.h"

static const char *HELP =
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
    "options:\n"
    "  --in FILE           an input (repeat)\n"
    "  --out FILE          the figure (.png, .svg or .pdf; required)\n"
    "  --predict T[,T...]  arrhenius: temperatures (K) of the predictions\n"
    "  --quantity Q        arrhenius: rate or D; parity: D or rate; sweep: D, D_defect,\n"
    "                      mobility or rate\n"
    "  --x PARAM           sweep: T, size, barrier_shift or a\n";

enum { O_IN, O_OUT, O_PREDICT, O_QUANTITY, O_X, O_N };
static const cli_opt OPTS[O_N] = {{"in", 1}, {"out", 1}, {"predict", 1}, {"quantity", 1}, {"x", 1}};

static const struct {
  const char *name;
  plot_kind_fn fn;
} KINDS[] = {{"arrhenius", plot_arrhenius}, {"msd", plot_msd}, {"parity", plot_parity},
             {"sweep", plot_sweep},         {"hops", plot_hops}};
#define NKINDS ((int)(sizeof KINDS / sizeof KINDS[0]))

int plot_parse_predict(const char *cmd, const char *arg, double *T, int *n) {
  char buf[512], *save = NULL;
  snprintf(buf, sizeof buf, "%s", arg);
  *n = 0;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    double v;
    if (*n == 16 || !cli_double(cmd, "predict", tok, &v) || !(v > 0))
      return cli_bad(cmd, "--predict: expected up to 16 temperatures > 0 K separated by commas, got '%s'", arg);
    T[(*n)++] = v;
  }
  if (*n == 0) return cli_bad(cmd, "--predict: expected at least one temperature, got '%s'", arg);
  return 0;
}

int cmd_plot(int argc, char **argv) {
  const char *cmd = "plot", *out = NULL, *arg;
  if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
    fputs(HELP, stdout);
    return 0;
  }
  if (argc < 3 || argv[2][0] == '-')
    return cli_bad(cmd, "expected a kind first (arrhenius, msd, parity, sweep or hops)");
  int kind = -1;
  for (int k = 0; k < NKINDS; k++)
    if (!strcmp(argv[2], KINDS[k].name)) kind = k;
  if (kind < 0)
    return cli_bad(cmd, "unknown kind '%s' (expected arrhenius, msd, parity, sweep or hops)", argv[2]);
  plot_inputs *in = calloc(1, sizeof *in);
  if (!in) return cli_fail(cmd, "out of memory");
  const char *paths[64];
  int npaths = 0, code = 0, i = 3, k;
  while ((k = cli_next(cmd, argc, argv, &i, OPTS, O_N, &arg)) != -1) {
    switch (k) {
    case -3: fputs(HELP, stdout); free(in); return 0;
    case -2: free(in); return EXIT_BAD_INPUT;
    case O_IN:
      if (npaths == 64) {
        free(in);
        return cli_bad(cmd, "--in: at most 64 files");
      }
      paths[npaths++] = arg;
      break;
    case O_OUT: out = arg; break;
    case O_PREDICT:
      if ((code = plot_parse_predict(cmd, arg, in->predict, &in->npredict))) {
        free(in);
        return code;
      }
      break;
    case O_QUANTITY: in->quantity = arg; break;
    case O_X: in->x = arg; break;
    }
  }
  if (!out) code = cli_bad(cmd, "--out: expected the figure file (.png, .svg or .pdf)");
  else if (plot_format_of(cmd, "out", out) < 0) code = EXIT_BAD_INPUT;
  else if (npaths == 0) code = cli_bad(cmd, "--in: expected at least one input file");
  for (int q = 0; q < npaths && !code; q++) code = plot_load(cmd, in, paths[q]);
  if (!code) code = KINDS[kind].fn(cmd, in, out);
  plot_inputs_free(in);
  free(in);
  return code;
}
