/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Options shared by the subcommands (taken from the parsed option table),
 * and usage errors (exit 2).
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "audio/master.h"
#include "cast/voice.h"
#include "cli/render.h"
#include "util/diag.h"
#include "util/readall.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static char **cli_copy_list(const struct cli_value *v, size_t *n)
{
    *n = v->nlist;
    if (!v->nlist)
        return NULL;
    char **out = xmalloc(v->nlist * sizeof(*out));
    for (size_t i = 0; i < v->nlist; i++)
        out[i] = xstrdup(v->list[i]);
    return out;
}

void cli_common_from_args(struct cli_common *o, const struct cli_args *a)
{
    memset(o, 0, sizeof(*o));
    o->voice_dirs = cli_copy_list(&a->v[CLI_OPT_VOICES], &o->nvoice_dirs);
    o->sections = cli_copy_list(&a->v[CLI_OPT_SECTION], &o->nsections);
    o->cast_file = a->v[CLI_OPT_CAST].arg;
    o->chapter_level = a->v[CLI_OPT_CHAPTER_LEVEL].set ? (int)a->v[CLI_OPT_CHAPTER_LEVEL].num : 0;
    o->max_input = a->v[CLI_OPT_MAX_INPUT].set ? a->v[CLI_OPT_MAX_INPUT].size : READALL_DEFAULT_MAX;
    o->strict = a->v[CLI_OPT_STRICT].set;
    /* -q and -v: the later one wins, as users expect of `alias x='x -q'`. */
    const struct cli_value *q = &a->v[CLI_OPT_QUIET], *v = &a->v[CLI_OPT_VERBOSE];
    if (q->set && (!v->set || q->pos > v->pos))
        o->verbosity = -1;
    else if (v->set)
        o->verbosity = 1;
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
            return cli_usage_error(cmd, "--voices: no such folder: \"%s\"", o->voice_dirs[i]);
    if (o->cast_file && access(o->cast_file, R_OK) != 0)
        return cli_usage_error(cmd, "--cast: %s: \"%s\"", strerror(errno), o->cast_file);
    if (o->max_input == 0)
        return cli_usage_error(cmd, "--max-input: not a size above 0: \"0\"");
    /* A folder is as much a command-line mistake as a missing file. */
    struct stat st;
    if (o->cast_file && stat(o->cast_file, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_usage_error(cmd, "--cast: %s: \"%s\"", strerror(EISDIR), o->cast_file);
    return EXIT_OK;
}

int cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

const char *cli_plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int cli_master_from_args(struct render_request *rq, const struct cli_args *a, const char *cmd)
{
    rq->loudness_off = false;
    rq->loudness = MASTER_DEFAULT_LUFS;
    rq->true_peak =
        a->v[CLI_OPT_TRUE_PEAK].set ? a->v[CLI_OPT_TRUE_PEAK].real : MASTER_DEFAULT_TRUE_PEAK;
    const char *l = a->v[CLI_OPT_LOUDNESS].arg;
    if (!a->v[CLI_OPT_LOUDNESS].set || !l)
        return EXIT_OK;
    if (!strcmp(l, "off")) {
        rq->loudness_off = true;
        return EXIT_OK;
    }
    char *end;
    errno = 0;
    double v = strtod(l, &end);
    if (end == l || *end || errno || !(v >= -70.0 && v <= -5.0))
        return cli_usage_error(cmd, "--loudness: takes LUFS from -70 to -5, or off: \"%s\"", l);
    rq->loudness = v;
    return EXIT_OK;
}
