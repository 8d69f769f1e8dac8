/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Command-line parsing from one option table (src/cli/options.def): every
 * option is defined once, with its names, argument, help text and the
 * subcommands that take it; parsing, --help and the error messages are
 * generated from that table, so they cannot disagree.
 *
 * How to add an option:
 *   1. Add one OPT(...) line to src/cli/options.def (its header explains
 *      the fields). Pick the subcommands (CMD_* bits) and a KIND: the
 *      parser then checks the argument and reports a bad one as
 *      `scriptcast render: error: --jobs: not a number: "x"` (exit 2).
 *   2. Handle it in the subcommand: `a.v[CLI_OPT_NAME].set` says it was
 *      given; `.arg` is its (last) argument, `.num`/`.real`/`.size` the
 *      parsed value, `.list`/`.nlist` every argument of a LIST option.
 *   3. Document it in docs/cli.md and docs/scriptcast.1; tests/cli/docs.sh
 *      fails until both list it for every subcommand that takes it.
 *
 * Syntax accepted: --long VALUE, --long=VALUE, a unique prefix of a long
 * name (--verb), -x VALUE, -xVALUE, bundled flags (-qv), options anywhere
 * among the operands, `--` ending the options, and `-` as an operand
 * (standard input).
 */
#ifndef SCRIPTCAST_CLI_ARGS_H
#define SCRIPTCAST_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The subcommands, as bits of an option's COMMANDS. */
enum cli_cmd_bit {
    CMD_MAIN = 1u << 0, /* `scriptcast --version`: no subcommand */
    CMD_RENDER = 1u << 1,
    CMD_PLAN = 1u << 2,
    CMD_CHECK = 1u << 3,
    CMD_VOICES = 1u << 4,
    CMD_BATCH = 1u << 5,
    CMD_CACHE_STATS = 1u << 6,
    CMD_CACHE_PRUNE = 1u << 7,
    CMD_ALL = (1u << 8) - 1,
};

/* CLI_OPT_OUTPUT, CLI_OPT_JOBS, ...: one per line of options.def. */
enum cli_opt {
#define OPT(id, ...) CLI_OPT_##id,
#include "cli/options.def"
#undef OPT
    CLI_OPT_COUNT
};

enum cli_kind {
    CLI_FLAG,
    CLI_STRING,
    CLI_LIST,
    CLI_INT,
    CLI_REAL,
    CLI_SIZE,
    CLI_CHOICE,
    CLI_SHARD
};

struct cli_option {
    enum cli_opt id;
    char shortname;       /* 0: none */
    const char *longname; /* without "--" */
    const char *argname;  /* NULL: takes no argument */
    unsigned cmds;        /* enum cli_cmd_bit */
    enum cli_kind kind;
    double min, max;     /* CLI_INT, CLI_REAL: the accepted range */
    const char *choices; /* CLI_CHOICE: "a|b|c" */
    const char *help;
};

/* The table, in --help order, and its length (CLI_OPT_COUNT). */
extern const struct cli_option cli_options[];

/* A subcommand as the parser and --help see it. */
struct cli_command {
    const char *name;  /* "render", "cache prune" */
    unsigned bit;      /* its enum cli_cmd_bit */
    const char *usage; /* synopsis lines after "usage: scriptcast ", '\n'-separated */
    const char *about; /* paragraphs between synopsis and options */
    const char *after; /* text after the options (exit status), or NULL */
};

/* What one option got on the command line. */
struct cli_value {
    bool set;        /* given at least once */
    int pos;         /* argv index of its last occurrence (for -q vs -v) */
    const char *arg; /* last argument (borrowed from argv) */
    long num;        /* CLI_INT value, CLI_CHOICE index, CLI_SHARD K */
    long num2;       /* CLI_SHARD N */
    double real;     /* CLI_REAL value */
    uint64_t size;   /* CLI_SIZE bytes */
    char **list;     /* CLI_LIST: every argument in order (array owned, strings borrowed) */
    size_t nlist;
};

struct cli_args {
    struct cli_value v[CLI_OPT_COUNT];
    char **operands; /* the non-option arguments, in order (array owned) */
    size_t noperands;
};

/* cli_parse() result meaning "go on and run the subcommand". */
#define CLI_PROCEED (-1)

/*
 * Parses argv[1..argc-1] (argv[0] is the subcommand) against the options
 * cmd takes. Returns CLI_PROCEED with *a filled; EXIT_OK after printing
 * --help to stdout; EXIT_USAGE after printing a usage error that names the
 * option. *a must be released with cli_args_release() in every case.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a);
void cli_args_release(struct cli_args *a);

/* Prints cmd's --help: synopsis, about, the table's options, after. */
void cli_help(const struct cli_command *cmd, FILE *out);

/* Prints the options of the commands in mask, one "  -j, --jobs N  help"
 * entry each, wrapped at 79 columns (the top-level --help uses it too). */
void cli_help_options(unsigned mask, FILE *out);

/*
 * For the shell completions: prints the options of subcommand name
 * ("render", "cache prune"; "" for the top level) one a line, as
 * SHORT<TAB>LONG<TAB>ARG<TAB>CHOICES ("-j\t--jobs\tN\t", "-\t--format\tFMT\ttext
 * json junit"; "-" when there is no short form). Returns 0, or -1 when
 * there is no such subcommand.
 */
int cli_list_options(const char *name, FILE *out);

/* Parses a size such as 500M or 2GiB into bytes; 0, or -1 when s is not one. */
int cli_parse_size(const char *s, uint64_t *out);

#endif
