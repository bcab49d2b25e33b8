/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc command-line program: declarative option tables.
 *
 * A subcommand declares its options once, as a table of cli_option (name,
 * value kind, range, help line, where the value goes in the command's options
 * struct); parsing, range checks, --help and --list-options are generated
 * from it. The defaults are the values the command's `defaults` function puts
 * in the struct, so --help prints what the command really uses.
 *
 * Conventions
 *   Bad input: ONE line on stderr, "ionkmc CMD: --OPT: expected ..., got
 *   'VALUE'", and exit status 2 (EXIT_BAD_INPUT).
 *   A deprecated spelling (CLI_ALIAS) works as its target and prints one
 *   line "ionkmc CMD: warning: --OLD is deprecated, use --NEW" on stderr.
 *   An option that once was a flag and now takes a value (CLI_BARE) still
 *   works alone, printing "ionkmc CMD: warning: --OPT without a value is
 *   deprecated, use --OPT VALUE".
 *   Result files: CLI_OPT_OUTPUTS generates --json FILE, --csv FILE, ... from
 *   the registry of cli/out.h.
 * Ownership: tables are static; string values point into argv (borrowed).
 */
#ifndef IONKMC_CLI_OPT_H
#define IONKMC_CLI_OPT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/status.h"

typedef enum {
  CLI_FLAG,   /* int = .ival when given (takes no value) */
  CLI_INT,    /* long long in [lo, hi] (1e6 is accepted, 4.5 is not) */
  CLI_REAL,   /* double in the range of lo, hi and flags */
  CLI_STR,    /* const char *, borrowed from argv */
  CLI_CHOICE, /* int: the index of the value in .choices ("a|b|c") */
  CLI_CUSTOM, /* .parse(cmd, name, value, field): 1, or 0 after printing */
  CLI_ALIAS,  /* a deprecated spelling of the option .target */
  CLI_OUTPUTS, /* one option --<option> FILE per result format of the registry
                * (cli/out.h) whose content is in .ival (CLI_OUT_DOC, ...) and
                * that no other entry of the table names; into cli_out_paths */
  CLI_BARE    /* the old flag spelling of an option that now takes a value:
               * given with no value (last, or before another --option) it
               * stands for .def, with a one-line deprecation warning */
} cli_opt_kind;

/* cli_option.flags */
#define CLI_GT 1u     /* REAL: lo is excluded (value > lo) */
#define CLI_NOLO 2u   /* REAL: no lower bound */
#define CLI_NOHI 4u   /* REAL: no upper bound */
#define CLI_NODEF 8u  /* --help prints no default */
#define CLI_LT 16u    /* REAL: hi is excluded (value < hi) */
#define CLI_I32 32u   /* INT: the field is an int, not a long long */

typedef int (*cli_opt_parse_fn)(const char *cmd, const char *opt, const char *arg, void *field);

typedef struct {
  const char *name;     /* without the leading dashes */
  cli_opt_kind kind;
  size_t off;           /* offset of the value in the options struct */
  const char *meta;     /* the value in --help ("K", "FILE"; NULL for flags) */
  const char *help;     /* one line (wrapped by --help) */
  double lo, hi;        /* INT, REAL: the range */
  unsigned flags;
  const char *what;     /* REAL: what the value is, for messages ("a temperature") */
  const char *unit;     /* REAL: its unit in messages ("K"; NULL: none) */
  const char *def;      /* --help default text when the struct's value does not say it */
  int ival;             /* FLAG: the value stored */
  const char *choices;  /* CHOICE: "auto|vtst|extxyz" */
  cli_opt_parse_fn parse; /* CUSTOM */
  /* CUSTOM: the default as --help prints it, from the defaults' field (NULL: .def) */
  void (*show)(const void *field, char *buf, size_t n);
  const char *target;   /* ALIAS: the current name */
} cli_option;

/* One subcommand (or one action of one: "catalog"). */
typedef struct cli_command {
  const char *name;         /* as in messages: "run", "mlff eval" */
  const char *head;         /* usage line and description, before the options */
  const char *tail;         /* after the options (NULL: nothing) */
  const cli_option *opts;
  int nopts;
  size_t size;              /* sizeof the options struct */
  void (*defaults)(void *opts); /* fill a struct with the defaults (NULL: zeros) */
  /* Extra help text printed after the head, between sections (NULL: none). */
  void (*help_extra)(FILE *fp);
} cli_command;

/* Table entries; S must be #defined as the options struct type. */
#define CLI_OPT_FLAG(nm, fld, v, hl) {.name = nm, .kind = CLI_FLAG, .off = offsetof(S, fld), .ival = v, .help = hl}
#define CLI_OPT_INT(nm, fld, mt, l, h, hl) \
  {.name = nm, .kind = CLI_INT, .off = offsetof(S, fld), .meta = mt, .lo = l, .hi = h, .help = hl}
#define CLI_OPT_REAL(nm, fld, mt, l, h, fl, wh, un, hl)                                            \
  {.name = nm, .kind = CLI_REAL, .off = offsetof(S, fld), .meta = mt, .lo = l, .hi = h, .flags = fl, \
   .what = wh, .unit = un, .help = hl}
#define CLI_OPT_INT32(nm, fld, mt, l, h, hl)                                                     \
  {.name = nm, .kind = CLI_INT, .off = offsetof(S, fld), .meta = mt, .lo = l, .hi = h, .flags = CLI_I32, \
   .help = hl}
#define CLI_OPT_STR(nm, fld, mt, hl) {.name = nm, .kind = CLI_STR, .off = offsetof(S, fld), .meta = mt, .help = hl}
#define CLI_OPT_CHOICE(nm, fld, ch, hl) \
  {.name = nm, .kind = CLI_CHOICE, .off = offsetof(S, fld), .meta = ch, .choices = ch, .help = hl}
#define CLI_OPT_CUSTOM(nm, fld, mt, fn, df, hl) \
  {.name = nm, .kind = CLI_CUSTOM, .off = offsetof(S, fld), .meta = mt, .parse = fn, .def = df, .help = hl}
#define CLI_OPT_ALIAS(nm, tg) {.name = nm, .kind = CLI_ALIAS, .target = tg}
/* The result outputs of a command: fld is its cli_out_paths, content what it
 * hands over (CLI_OUT_DOC | CLI_OUT_ROWS). A .help set on the entry is put
 * before each format's help line ("show: "). */
#define CLI_OPT_OUTPUTS(fld, content) \
  {.name = "", .kind = CLI_OUTPUTS, .off = offsetof(S, fld), .ival = (int)(content)}
/* --nm alone (deprecated) means --nm value. */
#define CLI_OPT_BARE(nm, value) {.name = nm, .kind = CLI_BARE, .def = value}
#define CLI_NOPTS(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* Bits of the options given on the command line, by table index (the
 * first 64 entries of a table). */
typedef uint64_t cli_given;

/* Fill opts with the command's defaults, then parse argv[first..argc-1].
 * Returns 0 (parsed; *given set when not NULL), -1 after printing --help
 * or --list-options on stdout (exit status 0), or EXIT_BAD_INPUT after
 * printing the one line. Words that are not options are refused unless
 * `positional` is not NULL: then they are stored there, in order, up to
 * *npositional on entry (its count on return). */
int cli_parse(const cli_command *c, int argc, char **argv, int first, void *opts, cli_given *given);
int cli_parse_args(const cli_command *c, int argc, char **argv, int first, void *opts, cli_given *given,
                   const char **positional, int *npositional);
/* 1 if the option `name` of c was given. */
int cli_was_given(const cli_command *c, cli_given given, const char *name);
/* --help of c on fp: head, the options with their defaults, tail. */
void cli_help(const cli_command *c, FILE *fp);
/* The table as tab-separated lines: name, kind, lo, hi, default, target. */
void cli_list_options(const cli_command *c, FILE *fp);

/* The envelope of every JSON document the program writes, in this order:
 * program, version, command (the whole argv), then each of catalog, defect,
 * seed, catalog_samples and units that is set. New reference. */
typedef struct {
  const char *catalog;      /* the catalog's name (NULL: left out) */
  const char *defect;       /* NULL: left out */
  int has_seed;
  long long seed;
  json_t *catalog_samples;  /* stolen (NULL: left out) */
  json_t *units;            /* stolen (NULL: left out) */
} cli_envelope_info;
json_t *cli_envelope(int argc, char **argv, const cli_envelope_info *info);

/* A library status as the program's exit status: 0 for IONKMC_OK; 1 for an
 * internal failure (IONKMC_ENOMEM, IONKMC_EINTERNAL), after printing
 * "internal error: text"; else 2 (bad input), after printing text. */
int cli_status_exit(const char *cmd, ionkmc_status st, const char *text);

#endif
