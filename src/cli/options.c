/*
 * Options shared by the subcommands, and usage errors (exit 2).
 */
#include "cli/cli.h"
#include "cast/voice.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "scriptcast %s: error: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'scriptcast %s --help'.\n", cmd);
    return EXIT_USAGE;
}

static void cli_push(char ***v, size_t *n, const char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(char *));
    (*v)[(*n)++] = xstrdup(s);
}

int cli_common_option(struct cli_common *o, const char *cmd, int opt, const char *arg)
{
    switch (opt) {
    case OPT_VOICES:
        cli_push(&o->voice_dirs, &o->nvoice_dirs, arg);
        return 1;
    case OPT_CAST:
        o->cast_file = arg;
        return 1;
    case OPT_SECTION:
        cli_push(&o->sections, &o->nsections, arg);
        return 1;
    case OPT_CHAPTER_LEVEL:
        if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '6') {
            cli_usage_error(cmd, "--chapter-level takes a heading level from 1 to 6, not '%s'",
                            arg);
            return -1;
        }
        o->chapter_level = arg[0] - '0';
        return 1;
    case OPT_STRICT:
        o->strict = true;
        return 1;
    case 'q':
        o->verbosity = -1;
        return 1;
    case 'v':
        o->verbosity = 1;
        return 1;
    default:
        return 0;
    }
}

void cli_common_release(struct cli_common *o)
{
    for (size_t i = 0; i < o->nvoice_dirs; i++)
        free(o->voice_dirs[i]);
    free(o->voice_dirs);
    for (size_t i = 0; i < o->nsections; i++)
        free(o->sections[i]);
    free(o->sections);
    memset(o, 0, sizeof(*o));
}

int cli_common_validate(const struct cli_common *o, const char *cmd)
{
    for (size_t i = 0; i < o->nvoice_dirs; i++)
        if (!voice_dir_exists(o->voice_dirs[i]))
            return cli_usage_error(cmd, "--voices %s: no such folder", o->voice_dirs[i]);
    if (o->cast_file && access(o->cast_file, R_OK) != 0)
        return cli_usage_error(cmd, "--cast %s: %s", o->cast_file, strerror(errno));
    return EXIT_OK;
}

int cli_bad_option(const char *cmd, int opt, char **argv)
{
    return cli_usage_error(cmd, "%s '%s'", opt == ':' ? "missing value for" : "unknown option",
                           argv[optind - 1]);
}

int cli_parse_rate(const char *cmd, const char *arg, int *rate)
{
    char *end;
    long hz = strtol(arg, &end, 10);
    if (*end || hz < 8000 || hz > 192000)
        return cli_usage_error(cmd, "--rate takes a rate from 8000 to 192000 Hz, not '%s'", arg);
    *rate = (int)hz;
    return EXIT_OK;
}
