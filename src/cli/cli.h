/*
 * The command line: one file per subcommand (cmd_*.c), shared option
 * handling (options.c) and the pipeline that every subcommand runs up to
 * the stage it needs (pipeline.c). src/main.c only dispatches here.
 *
 * Contract: every cmd_*() takes the subcommand's own argc/argv (argv[0] is
 * the subcommand name) and returns the process exit code (enum exit_code);
 * none of them calls exit().
 */
#ifndef SCRIPTCAST_CLI_H
#define SCRIPTCAST_CLI_H

#include <stdbool.h>
#include <stddef.h>
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
    bool strict;
    int verbosity; /* -q: -1, default 0, -v: 1 */
};

/* getopt_long option codes of the shared options (long-only ones). */
enum cli_optcode {
    OPT_VOICES = 1000,
    OPT_CAST,
    OPT_SECTION,
    OPT_CHAPTER_LEVEL,
    OPT_STRICT,
    OPT_HELP,
    OPT_JSON,
    OPT_FORMAT,
    OPT_MANIFEST,
    OPT_VTT,
    OPT_SRT,
    OPT_TRANSCRIPT_JSON,
    OPT_CHAPTERS_VTT,
    OPT_FFMETADATA,
    OPT_CUE,
    OPT_RATE,
    OPT_JOBS,
    OPT_CACHE,
    OPT_NO_CACHE,
    OPT_SHARD,
};

/*
 * Handles one shared option. Returns 1 when opt was a shared option, 0 when
 * it is not one, -1 after printing a usage error.
 */
int cli_common_option(struct cli_common *o, const char *cmd, int opt, const char *arg);
void cli_common_release(struct cli_common *o);

/* The default --jobs: the number of online CPUs. */
int cli_default_jobs(void);
/* Parses a --jobs value into *jobs; EXIT_OK or the usage error printed. */
int cli_parse_jobs(const char *cmd, const char *arg, int *jobs);

/* Checks that --voices folders and the --cast file exist; EXIT_OK or the
 * usage error already printed. */
int cli_common_validate(const struct cli_common *o, const char *cmd);

/* The usage error for an option getopt_long() did not accept (opt is '?'
 * or ':'); returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int opt, char **argv);

/* Parses a --rate value (8000 to 192000 Hz); EXIT_OK or the usage error. */
int cli_parse_rate(const char *cmd, const char *arg, int *rate);

/* Prints "scriptcast CMD: error: ..." and a hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
