/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command line: one file per subcommand (cmd_*.c), the option table
 * and its parser (options.def, args.c: see args.h for how to add an
 * option), shared option handling (options.c) and the pipeline that
 * every subcommand runs up to the stage it needs (pipeline.c). src/main.c only dispatches here.
 *
 * Contract: every cmd_*() takes the subcommand's own argc/argv (argv[0] is
 * the subcommand name) and returns the process exit code (enum exit_code);
 * none of them calls exit().
 */
#ifndef SCRIPTCAST_CLI_H
#define SCRIPTCAST_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int cmd_plan(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_voices(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_batch(int argc, char **argv);

/* Top-level usage text. */
void cli_usage(FILE *out);

/* Options most subcommands share. */
struct cli_common {
    char **voice_dirs; /* --voices DIR, in order */
    size_t nvoice_dirs;
    const char *cast_file;
    char **sections; /* --section SEL, in order */
    size_t nsections;
    int chapter_level;
    uint64_t max_input; /* --max-input SIZE, else READALL_DEFAULT_MAX (util/readall.h) */
    bool strict;
    int verbosity; /* -q: -1, default 0, -v: 1 */
};

struct cli_args;

/* Fills o from the parsed shared options (--voices, --cast, --section,
 * --chapter-level, --max-input, --strict, -q, -v); release o with cli_common_release(). */
void cli_common_from_args(struct cli_common *o, const struct cli_args *a);
void cli_common_release(struct cli_common *o);

/* The default --jobs: the number of online CPUs. */
int cli_default_jobs(void);
/* Checks that --voices folders and the --cast file exist; EXIT_OK or the
 * usage error already printed. */
int cli_common_validate(const struct cli_common *o, const char *cmd);

struct render_request;
/*
 * The loudness settings of render and batch (--loudness LUFS|off,
 * --true-peak DBTP, defaults -16 LUFS and -1 dBTP) into *rq; EXIT_OK or the
 * usage error already printed.
 */
int cli_master_from_args(struct render_request *rq, const struct cli_args *a, const char *cmd);

/* "1 chapter", "2 chapters": one or many, for every count a user reads. */
const char *cli_plural(size_t n, const char *one, const char *many);

/* Prints "scriptcast CMD: error: ..." and a hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
