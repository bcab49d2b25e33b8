/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc: execution options, MPI start-up and job-array parts (cli/exec.h). */
#define _GNU_SOURCE
#include "cli/exec.h"

#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/module.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "kmc/checkpoint.h"
#include "kmc/workq.h"

static struct {
  const char *cmd;          /* for messages */
  int argc;                 /* the command line without the execution options */
  char **argv;
  int part_i, part_n;
  const char *part_out, *ck_path, *restart;
  double ck_every;
  double ck_last;           /* monotonic seconds of the last checkpoint */
  int ck_warned;
  const ionkmc_workq_backend *be;
  int discard;
} X;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cli_exec_discard(void) { return X.discard; }
int cli_exec_partial(void) { return X.part_n > 0 || X.restart != NULL; }

/* The commands whose batches are shared out (and take the options above). */
static int distributed(int argc, char **argv) {
  if (argc < 2) return 0;
  const char *c = argv[1];
  if (!strcmp(c, "run") || !strcmp(c, "sweep") || !strcmp(c, "compare")) return 1;
  return !strcmp(c, "catalog") && argc > 2 && !strcmp(argv[2], "derive");
}

/* The MPI module (base/module.h says where it is looked for). RTLD_GLOBAL:
 * OpenMPI's own plugins resolve libmpi's symbols. */
static ionkmc_module mpi_mod = IONKMC_MODULE_INIT(
    .file = "libionkmc-mpi.so", .env = "IONKMC_MPI_MODULE", .entry = "ionkmc_mpi_module",
    .error_entry = "ionkmc_mpi_module_error", .what = "the MPI module", .abi = IONKMC_WORKQ_BACKEND_ABI,
    .global = 1);

static void checkpoint_hook(void *user) {
  double t = now_s();
  if (t - X.ck_last < X.ck_every) return;
  X.ck_last = t;
  ionkmc_error err;
  if (ionkmc_checkpoint_write(X.ck_path, X.argc, X.argv, 0, 0, &err) != IONKMC_OK && !X.ck_warned) {
    X.ck_warned = 1;
    fprintf(stderr, "ionkmc %s: warning: --checkpoint %s\n", X.cmd, err.text);
  }
}

/* Take the execution options out of argv; 0 or the exit status. */
static int strip(int *argc, char **argv) {
  int out = 2;
  for (int i = 2; i < *argc; i++) {
    const char *w = argv[i], *names[] = {"--part", "--part-out", "--checkpoint", "--checkpoint-every", "--restart"};
    int k = -1;
    const char *val = NULL;
    for (int j = 0; j < 5 && k < 0; j++) {
      size_t l = strlen(names[j]);
      if (!strncmp(w, names[j], l) && (w[l] == 0 || w[l] == '=')) {
        k = j;
        val = w[l] == '=' ? w + l + 1 : NULL;
      }
    }
    if (k < 0) {
      argv[out++] = argv[i];
      continue;
    }
    if (!val) {
      if (i + 1 >= *argc) return cli_bad(X.cmd, "%s: missing value", names[k]);
      val = argv[++i];
    }
    if (k == 0) {
      char tail;
      if (sscanf(val, "%d/%d%c", &X.part_i, &X.part_n, &tail) != 2 || X.part_n < 1 || X.part_i < 1 ||
          X.part_i > X.part_n)
        return cli_bad(X.cmd, "--part: expected i/n with 1 <= i <= n, got '%s'", val);
    } else if (k == 1) {
      X.part_out = val;
    } else if (k == 2) {
      X.ck_path = val;
    } else if (k == 3) {
      if (!cli_double(X.cmd, "checkpoint-every", val, &X.ck_every)) return EXIT_BAD_INPUT;
      if (!(X.ck_every >= 0)) return cli_bad(X.cmd, "--checkpoint-every: expected seconds >= 0, got '%s'", val);
    } else {
      X.restart = val;
    }
  }
  *argc = out;
  argv[out] = NULL;
  if (X.part_n && !X.part_out) return cli_bad(X.cmd, "--part: give --part-out FILE for the part's result");
  if (X.part_out && !X.part_n) return cli_bad(X.cmd, "--part-out: only with --part i/n");
  if (X.ck_every > 0 && !X.ck_path) return cli_bad(X.cmd, "--checkpoint-every: only with --checkpoint FILE");
  if (X.part_n && !strcmp(argv[1], "catalog"))
    return cli_bad(X.cmd, "--part: not for catalog derive (each entry's runs use the catalog the entries before "
                          "made; run it whole, under mpirun, or with --checkpoint)");
  if (X.part_n && (X.ck_path || X.restart))
    return cli_bad(X.cmd, "--part: not with --checkpoint or --restart (restart a part by running it again)");
  return 0;
}

static int has_exec_option(int argc, char **argv) {
  for (int i = 2; i < argc; i++)
    if (!strncmp(argv[i], "--part", 6) || !strncmp(argv[i], "--checkpoint", 12) || !strncmp(argv[i], "--restart", 9))
      return 1;
  return 0;
}

static int load_restart(void) {
  ionkmc_checkpoint_info info;
  ionkmc_error err;
  if (ionkmc_checkpoint_read(X.restart, &info, &err) != IONKMC_OK) return cli_bad(X.cmd, "--restart %s", err.text);
  int code = 0;
  int w = ionkmc_checkpoint_argv_diff(info.argc, info.argv, X.argc, X.argv);
  if (info.part_n)
    code = cli_bad(X.cmd, "--restart %s: part %d of %d of a job array, not a checkpoint (see ionkmc merge)", X.restart,
                   info.part_i, info.part_n);
  else if (w >= 0)
    code = cli_bad(X.cmd, "--restart %s: the command differs from the checkpointed one at word %d ('%s' there, '%s' here)",
                   X.restart, w, w < info.argc ? info.argv[w] : "(end)", w < X.argc ? X.argv[w] : "(end)");
  else if (ionkmc_checkpoint_apply(&info, &err) != IONKMC_OK)
    code = cli_bad(X.cmd, "--restart %s: %s", X.restart, err.text);
  else if (!X.discard)
    fprintf(stderr, "ionkmc %s: --restart %s: %lld finished runs taken, %d continued from their saved state, "
            "the others computed\n", X.cmd, X.restart, (long long)info.nitems, info.npartials);
  ionkmc_checkpoint_info_free(&info);
  return code;
}

/* An output path that must be writable before any work is done. */
static int check_writable(const char *opt, const char *path) {
  ionkmc_error err;
  ionkmc_outfile *of = ionkmc_outfile_open(path, &err);
  if (!of) return cli_bad(X.cmd, "%s %s", opt, err.text);
  ionkmc_outfile_abort(of);
  return 0;
}

int cli_exec_begin(int *argc, char **argv) {
  X.cmd = *argc > 1 ? argv[1] : "ionkmc";
  X.ck_every = -1;
  int dist = distributed(*argc, argv);
  int mpi = getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK");
  if (!dist && has_exec_option(*argc, argv))
    return cli_bad(X.cmd, "--part, --checkpoint and --restart go with run, sweep, compare and catalog derive only");
  if (mpi) {
    ionkmc_error err;
    if (!(X.be = ionkmc_module_get(&mpi_mod, &err, NULL))) {
      fprintf(stderr, "ionkmc: started by mpirun, but %s\n", err.text);
      return EXIT_INTERNAL;
    }
    if (X.be->rank != 0) {
      X.discard = 1;
      if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) return EXIT_INTERNAL;
    }
    if (!dist) return X.be->rank == 0 ? -1 : 0; /* on rank 0 alone; ends in cli_exec_end */
    ionkmc_workq_set_backend(X.be);
  }
  if (!dist) return -1;
  int code = strip(argc, argv);
  if (code) return code;
  X.argc = *argc;
  X.argv = argv;
  if (X.ck_every < 0) X.ck_every = 300;
  if (X.part_n) {
    ionkmc_workq_set_part(X.part_i, X.part_n);
    ionkmc_workq_set_record(1);
    if (!X.discard && (code = check_writable("--part-out", X.part_out))) return code;
    X.discard = 1;
    if (!freopen("/dev/null", "w", stdout)) return EXIT_INTERNAL;
  }
  if (X.restart && (code = load_restart())) return code;
  if (X.ck_path) {
    if (!X.discard && (code = check_writable("--checkpoint", X.ck_path))) return code;
    ionkmc_workq_set_record(1);
    ionkmc_workq_set_snapshots(X.ck_every);
    X.ck_last = now_s();
    if (!X.be || X.be->rank == 0) ionkmc_workq_set_hook(checkpoint_hook, NULL);
  }
  /* every rank has read its inputs (a --restart file, a CSV to resume)
   * before rank 0 writes anything */
  ionkmc_workq_barrier();
  return -1;
}

int cli_exec_end(int code) {
  if (code == 0 && X.part_n && (!X.be || X.be->rank == 0)) {
    ionkmc_error err;
    int64_t n;
    ionkmc_workq_items(&n);
    if (ionkmc_checkpoint_write(X.part_out, X.argc, X.argv, X.part_i, X.part_n, &err) != IONKMC_OK)
      code = cli_fail(X.cmd, "--part-out %s", err.text);
    else
      fprintf(stderr, "ionkmc %s: part %d of %d: %lld work items in %s (ionkmc merge makes the outputs of all parts)\n",
              X.cmd, X.part_i, X.part_n, (long long)n, X.part_out);
  }
  if (X.be) {
    /* the other ranks may wait in a batch (abort returns where all failed) */
    if (code != 0 && X.be->size > 1) X.be->abort(code);
    X.be->finalize();
  }
  return code;
}

json_t *cli_exec_envelope(const json_t *doc) {
  json_t *d = (json_t *)doc;
  if (!json_is_object(d) || !json_object_get(d, "command")) return json_incref(d);
  json_t *out = json_object();
  const char *k;
  json_t *v;
  json_object_foreach(d, k, v) {
    json_object_set(out, k, v);
    if (!strcmp(k, "command")) {
      json_t *p = json_object();
      int th = ionkmc_workq_threads();
      json_object_set_new(p, "mpi_ranks", json_integer(ionkmc_workq_ranks()));
      json_object_set_new(p, "threads", json_integer(th > 0 ? th : omp_get_max_threads()));
      json_object_set_new(out, "parallel", p);
    }
  }
  return out;
}
