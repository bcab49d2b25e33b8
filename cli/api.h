/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc C API: run a subcommand in process and get its JSON result.
 *
 * Conventions
 *   A command is given as the program's argument vector without the program
 *   name: {"run", "--defect", "V_I+", "--T", "350", ...}. It runs through the
 *   same code as `ionkmc run ...`, so for the same options and seed the JSON
 *   is the one `ionkmc run ... --json FILE` writes, byte for byte. Units and
 *   fields are those of the command's JSON (README).
 *   Commands with a JSON result: run, sweep, compare (their --json) and
 *   calibrate (its --report; --out CATALOG is still required). synth runs
 *   too and writes its --out file (*json stays NULL; its one summary line
 *   goes to stdout as the program's does). The API adds
 *   that option itself (and --quiet, or sweep's --csv, so nothing goes to
 *   stdout); giving it too is bad input. Other options that write files
 *   (--csv, --out, --events, --msd) write them as the program does.
 *   Return value: 0 success, 2 bad input, 1 internal failure (the program's
 *   exit statuses), 3 cancelled by ionkmc_api_cancel.
 *   Messages: what the command would print on stderr through its error
 *   helpers (one line for bad input) is returned in *message instead.
 *   Threads: calls are serialised by a lock (one command at a time per
 *   process); ionkmc_api_cancel may be called from any thread or a signal
 *   handler while a command runs.
 * Ownership: *json and *message are allocated by the library (NULL when
 * there is none) and freed by the caller with ionkmc_api_free.
 */
#ifndef IONKMC_API_H
#define IONKMC_API_H

#define IONKMC_API_OK 0
#define IONKMC_API_INTERNAL 1
#define IONKMC_API_BAD_INPUT 2
#define IONKMC_API_CANCELLED 3

/* Run one command (argv[0] the command name). json and message may be NULL
 * when the caller does not want them. Returns one of IONKMC_API_*. */
int ionkmc_api_command(int argc, const char *const *argv, char **json, char **message);
/* Ask the running command to stop at its next trajectory or frame. */
void ionkmc_api_cancel(void);
/* Free a string returned by the API; NULL is a no-op. */
void ionkmc_api_free(void *p);
/* The library version ("0.1.0"), a static string. */
const char *ionkmc_api_version(void);

#endif
