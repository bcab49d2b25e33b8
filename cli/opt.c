/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Declarative option tables: parsing, range checks, --help (cli/opt.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli/opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"

/* The entry named name[0..len-1] (not the generated outputs, not a bare spelling). */
static const cli_option *find(const cli_command *c, const char *name, size_t len) {
  for (int k = 0; k < c->nopts; k++)
    if (c->opts[k].kind != CLI_BARE && strlen(c->opts[k].name) == len && !strncmp(c->opts[k].name, name, len))
      return &c->opts[k];
  return NULL;
}

/* 1 if the outputs entry o offers format i: the command has its content and
 * no entry of its own takes the option's name. */
static int offers(const cli_command *c, const cli_option *o, int i) {
  const cli_output_format *f = cli_output_format_at(i);
  return f && (f->needs & (unsigned)o->ival) == f->needs && !find(c, f->option, strlen(f->option));
}

/* The outputs entry that offers --name[0..len-1], *fi its format; NULL if none. */
static const cli_option *find_output(const cli_command *c, const char *name, size_t len, int *fi) {
  for (int k = 0; k < c->nopts; k++) {
    if (c->opts[k].kind != CLI_OUTPUTS) continue;
    for (int i = 0; i < cli_output_format_count(); i++) {
      const char *opt = cli_output_format_at(i)->option;
      if (strlen(opt) == len && !strncmp(opt, name, len) && offers(c, &c->opts[k], i)) {
        *fi = i;
        return &c->opts[k];
      }
    }
  }
  return NULL;
}

static const cli_option *find_bare(const cli_command *c, const char *name) {
  for (int k = 0; k < c->nopts; k++)
    if (c->opts[k].kind == CLI_BARE && !strcmp(c->opts[k].name, name)) return &c->opts[k];
  return NULL;
}

static int takes_value(const cli_option *o) { return o->kind != CLI_FLAG; }

/* "1e+06" -> "1000000": integers in messages and help as people write them. */
static void fmt_num(char *buf, size_t n, double v) {
  if (v == floor(v) && fabs(v) < 1e16) snprintf(buf, n, "%.0f", v);
  else snprintf(buf, n, "%g", v);
}

/* The range of a REAL option in words: "> 0", ">= 0", "in [1, 10]", "<= 5". */
static void real_range(const cli_option *o, char *buf, size_t n) {
  char lo[32], hi[32];
  fmt_num(lo, sizeof lo, o->lo);
  fmt_num(hi, sizeof hi, o->hi);
  int has_lo = !(o->flags & CLI_NOLO), has_hi = !(o->flags & CLI_NOHI);
  const char *gt = o->flags & CLI_GT ? ">" : ">=", *lt = o->flags & CLI_LT ? "<" : "<=";
  if (has_lo && has_hi && !(o->flags & (CLI_GT | CLI_LT))) snprintf(buf, n, "in [%s, %s]", lo, hi);
  else if (has_lo && has_hi) snprintf(buf, n, "%s %s and %s %s", gt, lo, lt, hi);
  else if (has_lo) snprintf(buf, n, "%s %s", gt, lo);
  else if (has_hi) snprintf(buf, n, "%s %s", lt, hi);
  else buf[0] = 0;
}

static int parse_value(const cli_command *c, const cli_option *o, const char *arg, void *opts) {
  char *field = (char *)opts + o->off;
  const char *cmd = c->name;
  switch (o->kind) {
  case CLI_FLAG: *(int *)field = o->ival; return 1;
  case CLI_INT: {
    long long v;
    if (!cli_int(cmd, o->name, arg, (long long)o->lo, (long long)o->hi, &v)) return 0;
    if (o->flags & CLI_I32) *(int *)field = (int)v;
    else *(long long *)field = v;
    return 1;
  }
  case CLI_REAL: {
    double v;
    if (!cli_double(cmd, o->name, arg, &v)) return 0;
    int ok = 1;
    if (!(o->flags & CLI_NOLO)) ok = o->flags & CLI_GT ? v > o->lo : v >= o->lo;
    if (!(o->flags & CLI_NOHI)) ok = ok && (o->flags & CLI_LT ? v < o->hi : v <= o->hi);
    if (!ok) {
      char r[96];
      real_range(o, r, sizeof r);
      cli_bad(cmd, "--%s: expected %s %s%s%s, got '%s'", o->name, o->what ? o->what : "a number", r,
              o->unit ? " " : "", o->unit ? o->unit : "", arg);
      return 0;
    }
    *(double *)field = v;
    return 1;
  }
  case CLI_STR: *(const char **)field = arg; return 1;
  case CLI_CHOICE: {
    const char *p = o->choices;
    size_t n = strlen(arg);
    for (int idx = 0;; idx++) {
      size_t len = strcspn(p, "|");
      if (len == n && !strncmp(p, arg, n)) {
        *(int *)field = idx;
        return 1;
      }
      if (!p[len]) break;
      p += len + 1;
    }
    /* "a|b|c" -> "a, b or c" */
    char list[256] = "";
    p = o->choices;
    for (;;) {
      size_t len = strcspn(p, "|");
      const char *sep = !list[0] ? "" : p[len] ? ", " : " or ";
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.*s", sep, (int)len, p);
      if (!p[len]) break;
      p += len + 1;
    }
    cli_bad(cmd, "--%s: expected %s, got '%s'", o->name, list, arg);
    return 0;
  }
  case CLI_CUSTOM: return o->parse(cmd, o->name, arg, field);
  case CLI_ALIAS:
  case CLI_OUTPUTS: /* set by the parser, which knows the format */
  case CLI_BARE: break;
  }
  cli_fail(cmd, "--%s: option table entry of an unknown kind", o->name);
  return 0;
}

int cli_parse_args(const cli_command *c, int argc, char **argv, int first, void *opts, cli_given *given,
                   const char **positional, int *npositional) {
  const char *cmd = c->name;
  int maxpos = npositional ? *npositional : 0, npos = 0;
  if (npositional) *npositional = 0;
  memset(opts, 0, c->size);
  if (c->defaults) c->defaults(opts);
  if (given) *given = 0;
  for (int i = first; i < argc;) {
    const char *w = argv[i++];
    if (!strcmp(w, "--help") || !strcmp(w, "-h")) {
      cli_help(c, stdout);
      return -1;
    }
    if (!strcmp(w, "--list-options")) {
      cli_list_options(c, stdout);
      return -1;
    }
    if (strncmp(w, "--", 2) != 0) {
      if (positional && npos < maxpos) {
        positional[npos++] = w;
        *npositional = npos;
        continue;
      }
      return cli_bad(cmd, "unexpected argument '%s' (see ionkmc %s --help)", w, cmd);
    }
    const char *name = w + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const cli_option *o = find(c, name, len);
    int fi = -1; /* the result format of a generated output option */
    if (!o) o = find_output(c, name, len, &fi);
    if (!o) return cli_bad(cmd, "unknown option '%s' (see ionkmc %s --help)", w, cmd);
    if (o->kind == CLI_ALIAS) {
      const cli_option *t = find(c, o->target, strlen(o->target));
      if (!t) return cli_fail(cmd, "--%s: alias of an unknown option --%s", o->name, o->target);
      fprintf(stderr, "ionkmc %s: warning: --%s is deprecated, use --%s\n", cmd, o->name, o->target);
      o = t;
    }
    const char *arg = NULL, *shown = fi >= 0 ? cli_output_format_at(fi)->option : o->name;
    if (takes_value(o)) {
      const cli_option *bare = eq ? NULL : find_bare(c, shown);
      if (eq) {
        arg = eq + 1;
      } else if (bare && (i >= argc || !strncmp(argv[i], "--", 2))) {
        arg = bare->def; /* the old flag: no value follows */
        fprintf(stderr, "ionkmc %s: warning: --%s without a value is deprecated, use --%s %s\n", cmd, shown, shown,
                arg);
      } else if (i < argc) {
        arg = argv[i++];
      } else {
        return cli_bad(cmd, "--%s: missing value", shown);
      }
    } else if (eq) {
      return cli_bad(cmd, "--%s takes no value", o->name);
    }
    if (fi >= 0) ((cli_out_paths *)((char *)opts + o->off))->path[fi] = arg;
    else if (!parse_value(c, o, arg, opts)) return EXIT_BAD_INPUT;
    if (given && o - c->opts < 64) *given |= (cli_given)1 << (o - c->opts);
  }
  return 0;
}

int cli_parse(const cli_command *c, int argc, char **argv, int first, void *opts, cli_given *given) {
  return cli_parse_args(c, argc, argv, first, opts, given, NULL, NULL);
}

int cli_was_given(const cli_command *c, cli_given given, const char *name) {
  const cli_option *o = find(c, name, strlen(name));
  return o && (given >> (o - c->opts) & 1);
}

/* The default of o as --help prints it, from the defaults struct d ("" for none). */
static void default_text(const cli_option *o, const void *d, char *buf, size_t n) {
  const char *field = (const char *)d + o->off;
  buf[0] = 0;
  if (o->flags & CLI_NODEF) return;
  if (o->kind == CLI_CUSTOM && o->show) {
    o->show(field, buf, n);
    return;
  }
  if (o->def) {
    snprintf(buf, n, "%s", o->def);
    return;
  }
  switch (o->kind) {
  case CLI_INT:
    snprintf(buf, n, "%lld", o->flags & CLI_I32 ? (long long)*(const int *)field : *(const long long *)field);
    break;
  case CLI_REAL:
    if (!isnan(*(const double *)field)) snprintf(buf, n, "%g", *(const double *)field);
    break;
  case CLI_STR:
    if (*(const char *const *)field) snprintf(buf, n, "%s", *(const char *const *)field);
    break;
  case CLI_CHOICE: {
    if (*(const int *)field < 0) break; /* not given: no default */
    const char *p = o->choices;
    for (int idx = 0; idx < *(const int *)field && p; idx++) {
      p = strchr(p, '|');
      if (p) p++;
    }
    if (p) snprintf(buf, n, "%.*s", (int)strcspn(p, "|"), p);
    break;
  }
  default: break;
  }
}

/* The default path of format i of the outputs entry o, from the defaults
 * struct d, as --help prints it ("" for none). */
static void output_default(const cli_option *o, const void *d, int i, char *buf, size_t n) {
  const char *p = ((const cli_out_paths *)((const char *)d + o->off))->path[i];
  snprintf(buf, n, "%s", !p ? "" : !strcmp(p, "-") ? "standard output" : p);
}

/* Write text wrapped at 79 columns, continuation lines indented by `indent`,
 * starting at column `col`; '\n' in text forces a break. */
static void wrap(FILE *fp, const char *text, int col, int indent) {
  const char *p = text;
  while (*p) {
    if (*p == '\n') {
      fprintf(fp, "\n%*s", indent, "");
      col = indent;
      p++;
      continue;
    }
    size_t len = strcspn(p, " \n");
    if (col > indent && col + 1 + (int)len > 79) {
      fprintf(fp, "\n%*s", indent, "");
      col = indent;
    } else if (col > indent) {
      fputc(' ', fp);
      col++;
    }
    fprintf(fp, "%.*s", (int)len, p);
    col += (int)len;
    p += len;
    while (*p == ' ') p++;
  }
  fputc('\n', fp);
}

/* One option of --help: lhs, then text wrapped in the help column. */
static void help_line(FILE *fp, const char *lhs, const char *text) {
  const int W = 24; /* the help column */
  fputs(lhs, fp);
  int col = (int)strlen(lhs);
  if (col + 1 >= W) {
    fprintf(fp, "\n%*s", W, "");
  } else {
    fprintf(fp, "%*s", W - col, "");
  }
  wrap(fp, text, W, W);
}

void cli_help(const cli_command *c, FILE *fp) {
  void *d = calloc(1, c->size ? c->size : 1);
  if (d && c->defaults) c->defaults(d);
  fputs(c->head, fp);
  if (c->help_extra) c->help_extra(fp);
  fputs("options:\n", fp);
  for (int k = 0; k < c->nopts; k++) {
    const cli_option *o = &c->opts[k];
    char lhs[128], text[1024], def[256] = "";
    if (o->kind == CLI_OUTPUTS) { /* one line per result format offered */
      for (int i = 0; i < cli_output_format_count(); i++)
        if (offers(c, o, i)) {
          snprintf(lhs, sizeof lhs, "  --%s FILE", cli_output_format_at(i)->option);
          if (d) output_default(o, d, i, def, sizeof def);
          snprintf(text, sizeof text, "%s%s%s%s%s", o->help ? o->help : "", cli_output_format_at(i)->help,
                   def[0] ? " (default " : "", def, def[0] ? ")" : "");
          help_line(fp, lhs, text);
        }
      continue;
    }
    const cli_option *t = o->kind == CLI_ALIAS ? find(c, o->target, strlen(o->target)) : o;
    const char *meta = t && t->kind != CLI_FLAG && t->kind != CLI_BARE ? t->meta : NULL;
    snprintf(lhs, sizeof lhs, "  --%s%s%s", o->name, meta ? " " : "", meta ? meta : "");
    if (o->kind == CLI_BARE) {
      snprintf(text, sizeof text, "alone (deprecated): the same as --%s %s", o->name, o->def);
    } else if (o->kind == CLI_ALIAS) {
      snprintf(text, sizeof text, "deprecated spelling of --%s", o->target);
    } else {
      if (d) default_text(o, d, def, sizeof def);
      int req = !strcmp(def, "required");
      char help[768];
      cli_expand_defects(o->help ? o->help : "", help, sizeof help);
      snprintf(text, sizeof text, "%s%s%s%s", help, req ? " (required" : def[0] ? " (default " : "",
               req ? "" : def, def[0] ? ")" : "");
    }
    help_line(fp, lhs, text);
  }
  help_line(fp, "  --help", "this text");
  if (c->tail) {
    fputc('\n', fp);
    fputs(c->tail, fp);
  }
  free(d);
}

void cli_list_options(const cli_command *c, FILE *fp) {
  static const char *const KIND[] = {"flag", "int", "real", "string", "choice", "custom", "alias"};
  void *d = calloc(1, c->size ? c->size : 1);
  if (d && c->defaults) c->defaults(d);
  for (int k = 0; k < c->nopts; k++) {
    const cli_option *o = &c->opts[k];
    if (o->kind == CLI_BARE) continue; /* --help names it under its option */
    if (o->kind == CLI_OUTPUTS) {
      for (int i = 0; i < cli_output_format_count(); i++)
        if (offers(c, o, i)) {
          char def[256] = "";
          if (d) output_default(o, d, i, def, sizeof def);
          fprintf(fp, "%s\tstring\t\t\t%s\t\n", cli_output_format_at(i)->option, def);
        }
      continue;
    }
    char lo[32] = "", hi[32] = "", def[256] = "";
    if (o->kind == CLI_INT || (o->kind == CLI_REAL && !(o->flags & CLI_NOLO))) fmt_num(lo, sizeof lo, o->lo);
    if (o->kind == CLI_INT || (o->kind == CLI_REAL && !(o->flags & CLI_NOHI))) fmt_num(hi, sizeof hi, o->hi);
    if (o->kind == CLI_REAL && (o->flags & CLI_GT)) memmove(lo + 1, lo, strlen(lo) + 1), lo[0] = '>';
    if (o->kind == CLI_REAL && (o->flags & CLI_LT)) memmove(hi + 1, hi, strlen(hi) + 1), hi[0] = '<';
    if (d && o->kind != CLI_ALIAS) default_text(o, d, def, sizeof def);
    fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%s\n", o->name, KIND[o->kind], lo, hi, def,
            o->kind == CLI_ALIAS ? o->target : "");
  }
  free(d);
}

json_t *cli_envelope(int argc, char **argv, const cli_envelope_info *e) {
  json_t *doc = json_object();
  json_object_set_new(doc, "program", json_string("ionkmc"));
  json_object_set_new(doc, "version", json_string(IONKMC_VERSION));
  json_object_set_new(doc, "command", cli_command_json(argc, argv));
  if (e && e->catalog) json_object_set_new(doc, "catalog", json_string(e->catalog));
  if (e && e->defect) json_object_set_new(doc, "defect", json_string(e->defect));
  if (e && e->has_seed) json_object_set_new(doc, "seed", json_integer(e->seed));
  if (e && e->catalog_samples) json_object_set_new(doc, "catalog_samples", e->catalog_samples);
  if (e && e->units) json_object_set_new(doc, "units", e->units);
  return doc;
}

int cli_status_exit(const char *cmd, ionkmc_status st, const char *text) {
  if (st == IONKMC_OK) return 0;
  if (st == IONKMC_ENOMEM || st == IONKMC_EINTERNAL) return cli_fail(cmd, "%s", text);
  return cli_bad(cmd, "%s", text);
}

int cli_parse_defect_list(const char *cmd, const char *opt, const char *arg, void *field) {
  cli_defect_list *l = field;
  int n = cli_defects(cmd, opt, arg, l->kind);
  if (n) l->n = n;
  return n > 0;
}

void cli_show_defect_list(const void *field, char *buf, size_t n) {
  const cli_defect_list *l = field;
  buf[0] = 0;
  for (int k = 0; k < l->n; k++)
    snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", k ? "," : "", ionkmc_defect_name(l->kind[k]));
}

int cli_parse_box(const char *cmd, const char *opt, const char *arg, void *field) {
  cli_box_arg *b = field;
  if (!cli_box(cmd, opt, arg, b->count)) return 0;
  b->set = 1;
  return 1;
}

void cli_box_label(const int count[IONKMC_NDEFECT], char *buf, size_t n) {
  buf[0] = 0;
  for (int q = 0; q < IONKMC_NDEFECT; q++)
    if (count[q] > 0)
      snprintf(buf + strlen(buf), n - strlen(buf), "%s%s=%d", buf[0] ? "," : "", ionkmc_defect_name(q), count[q]);
}

int cli_parse_field(const char *cmd, const char *opt, const char *arg, void *field) {
  return cli_field(cmd, opt, arg, field);
}

int cli_parse_range(const char *cmd, const char *opt, const char *arg, void *field) {
  cli_range_arg *r = field;
  double *v;
  int n = cli_range(cmd, opt, arg, &v);
  if (!n) return 0;
  free(r->v);
  r->v = v;
  r->n = n;
  return 1;
}

void cli_range_free(cli_range_arg *r) {
  free(r->v);
  r->v = NULL;
  r->n = 0;
}

void cli_batch_defaults(cli_batch_opts *b) {
  ionkmc_run_config d = ionkmc_run_config_default();
  memset(b, 0, sizeof *b);
  b->hops = d.hops;
  b->runs = d.runs;
  b->seed = (long long)d.seed;
  b->threads = d.threads;
  b->ksamp = IONKMC_CATALOG_SAMPLES_DEFAULT;
  b->progress = -1;
}

void cli_defect_list_mobile(cli_defect_list *l) {
  l->n = cli_defects("(defaults)", "defect", CLI_MOBILE_DEFECTS, l->kind);
}

int cli_parse_temps(const char *cmd, const char *opt, const char *arg, void *field) {
  cli_temps_arg *t = field;
  char buf[512], *save = NULL;
  snprintf(buf, sizeof buf, "%s", arg);
  int n = 0;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    double v;
    if (n == 16 || !cli_double(cmd, opt, tok, &v) || !(v > 0))
      return cli_bad(cmd, "--%s: expected up to 16 temperatures > 0 K separated by commas, got '%s'", opt, arg), 0;
    t->T[n++] = v;
  }
  if (n == 0) return cli_bad(cmd, "--%s: expected at least one temperature, got '%s'", opt, arg), 0;
  t->n = n;
  return 1;
}

void cli_show_temps(const void *field, char *buf, size_t n) {
  const cli_temps_arg *t = field;
  buf[0] = 0;
  for (int k = 0; k < t->n; k++) snprintf(buf + strlen(buf), n - strlen(buf), "%s%g", k ? "," : "", t->T[k]);
}
