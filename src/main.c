/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scriptcast: turns Markdown transcripts into finished audio programmes.
 * This file only dispatches to the subcommands in src/cli/.
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "synth/engine.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cli_usage(FILE *out)
{
    fputs("usage: scriptcast COMMAND [ARGS]\n"
          "\n"
          "Turns Markdown transcripts into audio programmes with chapters.\n"
          "\n"
          "commands:\n"
          "  render FILE [-o OUT]    synthesize the programme and write its manifests\n"
          "  plan FILE [--json]      show who says what, in which voice\n"
          "  check FILE|DIR...       report every problem of transcripts (for CI)\n"
          "  voices [--json]         list the voice profiles found\n"
          "  cache stats|prune       show or trim the clip cache\n"
          "  batch DIR... -d OUTDIR  render every transcript of a site (for CI)\n"
          "\n"
          "Run 'scriptcast COMMAND --help' for a command's options.\n"
          "\n"
          "options:\n",
          out);
    cli_help_options(CMD_MAIN, out);
    fputs("\nExit status: 0 ok, 1 the input is wrong, 2 usage error, 3 system failure.\n", out);
}

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"render", cmd_render}, {"plan", cmd_plan},   {"check", cmd_check},
    {"voices", cmd_voices}, {"cache", cmd_cache}, {"batch", cmd_batch},
};

/* Out of memory (util/xalloc.h): the message is out; leave no temporary
 * behind and end with exit status 3. Helpers notice their socket close. */
static void main_out_of_memory(void)
{
    atomicfile_remove_all();
    _exit(EXIT_SYSTEM);
}

int main(int argc, char **argv)
{
    /* Before anything else: a copy of scriptcast started as an espeak-ng
     * helper (src/synth/espeak_helper_cmd.c) never gets past this. */
    engine_helper_entry(argc, argv, "scriptcast");
    setlocale(LC_CTYPE, "C.UTF-8");
    xalloc_set_failure_handler(main_out_of_memory);
    /* jansson's allocations too: no NULL for the manifests to trip on. */
    json_set_alloc_funcs(xmalloc, free);

    if (argc < 2) {
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        cli_usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
        printf("scriptcast %s\n", SCRIPTCAST_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--list-options")) {
        /* For the shell completions: `--list-options cache prune`. */
        char name[64] = "";
        for (int i = 2; i < argc; i++)
            snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s", i > 2 ? " " : "",
                     argv[i]);
        if (cli_list_options(name, stdout) == 0)
            return EXIT_OK;
        fprintf(stderr, "scriptcast: error: --list-options: no command '%s'\n", name);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "scriptcast: error: unknown command '%s'\nTry 'scriptcast --help'.\n", cmd);
    return EXIT_USAGE;
}
