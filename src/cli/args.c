/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command-line parser and --help, both generated from the option table
 * (options.def). Errors name the option and quote the argument, so a user
 * sees `--jobs: not a number: "x"` rather than a getopt complaint about
 * whichever word came next.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FLAG CLI_FLAG, 0, 0, NULL
#define STRING CLI_STRING, 0, 0, NULL
#define LIST CLI_LIST, 0, 0, NULL
#define INT(lo, hi) CLI_INT, lo, hi, NULL
#define REAL(lo, hi) CLI_REAL, lo, hi, NULL
#define SIZE CLI_SIZE, 0, 0, NULL
#define CHOICE(s) CLI_CHOICE, 0, 0, s
#define SHARD CLI_SHARD, 0, 0, NULL
const struct cli_option cli_options[] = {
#define OPT(id, s, l, a, c, kind, help) {CLI_OPT_##id, s, l, a, c, kind, help},
#include "cli/options.def"
#undef OPT
};
#undef FLAG
#undef STRING
#undef LIST
#undef INT
#undef REAL
#undef SIZE
#undef CHOICE
#undef SHARD

int cli_parse_size(const char *s, uint64_t *out)
{
    static const struct {
        const char *suffix;
        unsigned shift;
    } units[] = {
        {"", 0},     {"b", 0},  {"k", 10},   {"kib", 10}, {"m", 20},
        {"mib", 20}, {"g", 30}, {"gib", 30}, {"t", 40},   {"tib", 40},
    };
    /* Integers only: a fraction of a byte budget is not worth the rounding
     * questions. */
    if (*s < '0' || *s > '9')
        return -1;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned digit = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcasecmp(s, units[i].suffix) != 0)
            continue;
        if (units[i].shift && v > (UINT64_MAX >> units[i].shift))
            return -1;
        *out = v << units[i].shift;
        return 0;
    }
    return -1;
}

/* "--jobs" or "-j" as the user would type it, for messages. */
static void args_name(char *buf, size_t n, const struct cli_option *o)
{
    if (o->longname)
        snprintf(buf, n, "--%s", o->longname);
    else
        snprintf(buf, n, "-%c", o->shortname);
}

/* The complaint about arg, or NULL when it is a good value (stored in *v). */
static const char *args_value(const struct cli_option *o, const char *arg, struct cli_value *v,
                              struct strbuf *why)
{
    char *end;
    switch (o->kind) {
    case CLI_FLAG:
    case CLI_STRING:
        return NULL;
    case CLI_LIST:
        v->list = xrealloc(v->list, (v->nlist + 1) * sizeof(*v->list));
        v->list[v->nlist++] = (char *)arg;
        return NULL;
    case CLI_INT: {
        errno = 0;
        long n = strtol(arg, &end, 10);
        if (!*arg || *end || errno)
            return "not a number";
        if (n < (long)o->min || n > (long)o->max) {
            strbuf_addf(why, "out of range (%ld to %ld)", (long)o->min, (long)o->max);
            return why->buf;
        }
        v->num = n;
        return NULL;
    }
    case CLI_REAL: {
        errno = 0;
        double x = strtod(arg, &end);
        if (!*arg || *end || errno || !isfinite(x))
            return "not a number";
        if (x < o->min || x > o->max) {
            strbuf_addf(why, "out of range (%g to %g)", o->min, o->max);
            return why->buf;
        }
        v->real = x;
        return NULL;
    }
    case CLI_SIZE:
        return cli_parse_size(arg, &v->size) == 0 ? NULL : "not a size";
    case CLI_CHOICE: {
        size_t len = strlen(arg);
        long index = 0;
        for (const char *p = o->choices; *p; index++) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            if (n == len && !strncmp(p, arg, n)) {
                v->num = index;
                return NULL;
            }
            p += n + (bar != NULL);
        }
        strbuf_adds(why, "not one of ");
        for (const char *p = o->choices; *p; p++)
            strbuf_adds(why, *p == '|' ? ", " : (char[]){*p, 0});
        return why->buf;
    }
    case CLI_SHARD: {
        int k, n;
        char tail;
        if (sscanf(arg, "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n)
            return "not K/N with 1 <= K <= N";
        v->num = k;
        v->num2 = n;
        return NULL;
    }
    }
    return NULL;
}

/* Records one occurrence; EXIT_USAGE after printing why arg is bad. */
static int args_take(const struct cli_command *cmd, const struct cli_option *o, const char *arg,
                     int pos, struct cli_args *a)
{
    struct cli_value *v = &a->v[o->id];
    struct strbuf why = STRBUF_INIT;
    const char *bad = o->argname ? args_value(o, arg, v, &why) : NULL;
    if (bad) {
        char name[64];
        args_name(name, sizeof(name), o);
        cli_usage_error(cmd->name, "%s: %s: \"%s\"", name, bad, arg);
        strbuf_release(&why);
        return EXIT_USAGE;
    }
    strbuf_release(&why);
    v->set = true;
    v->pos = pos;
    v->arg = arg;
    return EXIT_OK;
}

/* The subcommands that take an option named like this one, for the error
 * about giving it to one that does not. */
static const struct {
    unsigned bit;
    const char *name;
} args_cmd_names[] = {
    {CMD_RENDER, "render"},          {CMD_PLAN, "plan"},   {CMD_CHECK, "check"},
    {CMD_VOICES, "voices"},          {CMD_BATCH, "batch"}, {CMD_CACHE_STATS, "cache stats"},
    {CMD_CACHE_PRUNE, "cache prune"}};
#define ARGS_NCMDS (sizeof(args_cmd_names) / sizeof(args_cmd_names[0]))

/* The subcommands that take an option named like this one, for the error
 * about giving it to one that does not. */
static void args_takers(struct strbuf *sb, const char *longname, char shortname)
{
    unsigned mask = 0;
    for (size_t i = 0; i < CLI_OPT_COUNT; i++) {
        const struct cli_option *o = &cli_options[i];
        if ((longname && o->longname && !strcmp(o->longname, longname)) ||
            (shortname && o->shortname == shortname))
            mask |= o->cmds;
    }
    for (size_t i = 0; i < ARGS_NCMDS; i++)
        if (mask & args_cmd_names[i].bit)
            strbuf_addf(sb, "%s%s", sb->len ? ", " : "", args_cmd_names[i].name);
}

static int args_not_here(const struct cli_command *cmd, const char *shown, const char *longname,
                         char shortname)
{
    struct strbuf who = STRBUF_INIT;
    args_takers(&who, longname, shortname);
    if (who.len)
        cli_usage_error(cmd->name, "%s: not an option of %s (only of %s)", shown, cmd->name,
                        who.buf);
    else
        cli_usage_error(cmd->name, "unknown option '%s'", shown);
    strbuf_release(&who);
    return EXIT_USAGE;
}

/* The entry of a long option (exact name, else a unique prefix), or NULL
 * after printing why there is none. */
static const struct cli_option *args_find_long(const struct cli_command *cmd, const char *name,
                                               size_t len)
{
    const struct cli_option *found = NULL;
    size_t matches = 0;
    struct strbuf all = STRBUF_INIT;
    for (size_t i = 0; i < CLI_OPT_COUNT; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!(o->cmds & cmd->bit) || !o->longname || strncmp(o->longname, name, len) != 0)
            continue;
        if (strlen(o->longname) == len) {
            strbuf_release(&all);
            return o;
        }
        found = o;
        matches++;
        strbuf_addf(&all, "%s--%s", all.len ? ", " : "", o->longname);
    }
    if (matches == 1) {
        strbuf_release(&all);
        return found;
    }
    char *shown = xstrndup(name, len);
    struct strbuf dashed = STRBUF_INIT;
    strbuf_addf(&dashed, "--%s", shown);
    if (matches > 1)
        cli_usage_error(cmd->name, "ambiguous option '%s' (%s)", dashed.buf, all.buf);
    else
        args_not_here(cmd, dashed.buf, shown, 0);
    strbuf_release(&dashed);
    strbuf_release(&all);
    free(shown);
    return NULL;
}

static const struct cli_option *args_find_short(const struct cli_command *cmd, char c)
{
    for (size_t i = 0; i < CLI_OPT_COUNT; i++)
        if ((cli_options[i].cmds & cmd->bit) && cli_options[i].shortname == c)
            return &cli_options[i];
    char shown[3] = {'-', c, 0};
    args_not_here(cmd, shown, NULL, c);
    return NULL;
}

static int args_missing(const struct cli_command *cmd, const struct cli_option *o)
{
    char name[64];
    args_name(name, sizeof(name), o);
    return cli_usage_error(cmd->name, "%s: needs a value (%s)", name, o->argname);
}

/* One "--name[=value]" at argv[*i]; advances *i past a separate value. */
static int args_long(const struct cli_command *cmd, int argc, char **argv, int *i,
                     struct cli_args *a)
{
    const char *name = argv[*i] + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct cli_option *o = args_find_long(cmd, name, len);
    if (!o)
        return EXIT_USAGE;
    int pos = *i;
    if (!o->argname) {
        if (eq)
            return cli_usage_error(cmd->name, "--%s: takes no value, not \"%s\"", o->longname,
                                   eq + 1);
        return args_take(cmd, o, NULL, pos, a);
    }
    if (eq)
        return args_take(cmd, o, eq + 1, pos, a);
    if (*i + 1 >= argc)
        return args_missing(cmd, o);
    return args_take(cmd, o, argv[++*i], pos, a);
}

/* One "-abc" group at argv[*i]: flags, the last one maybe with a value. */
static int args_short(const struct cli_command *cmd, int argc, char **argv, int *i,
                      struct cli_args *a)
{
    int pos = *i;
    for (const char *p = argv[*i] + 1; *p; p++) {
        const struct cli_option *o = args_find_short(cmd, *p);
        if (!o)
            return EXIT_USAGE;
        if (!o->argname) {
            if (args_take(cmd, o, NULL, pos, a) != EXIT_OK)
                return EXIT_USAGE;
            continue;
        }
        if (p[1])
            return args_take(cmd, o, p + 1, pos, a);
        if (*i + 1 >= argc)
            return args_missing(cmd, o);
        return args_take(cmd, o, argv[++*i], pos, a);
    }
    return EXIT_OK;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a)
{
    memset(a, 0, sizeof(*a));
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (options_done || s[0] != '-' || !s[1]) {
            a->operands = xrealloc(a->operands, (a->noperands + 1) * sizeof(char *));
            a->operands[a->noperands++] = argv[i];
            continue;
        }
        if (!strcmp(s, "--")) {
            options_done = true;
            continue;
        }
        int rc =
            s[1] == '-' ? args_long(cmd, argc, argv, &i, a) : args_short(cmd, argc, argv, &i, a);
        if (rc != EXIT_OK)
            return rc;
        if (a->v[CLI_OPT_HELP].set) {
            cli_help(cmd, stdout);
            return EXIT_OK;
        }
    }
    return CLI_PROCEED;
}

void cli_args_release(struct cli_args *a)
{
    for (size_t i = 0; i < CLI_OPT_COUNT; i++)
        free(a->v[i].list);
    free(a->operands);
    memset(a, 0, sizeof(*a));
}

/* Appends text wrapped to width, continuation lines indented by indent. */
static void args_wrap(FILE *out, const char *text, size_t col, size_t indent)
{
    const size_t width = 79;
    const char *p = text;
    while (*p) {
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - word);
        if (col > indent && col + 1 + n > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(word, 1, n, out);
        col += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

void cli_help_options(unsigned mask, FILE *out)
{
    const size_t indent = 28;
    for (size_t i = 0; i < CLI_OPT_COUNT; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!(o->cmds & mask))
            continue;
        struct strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "  ");
        strbuf_adds(&sb, o->shortname ? (char[]){'-', o->shortname, ',', ' ', 0} : "    ");
        strbuf_addf(&sb, "--%s", o->longname);
        if (o->argname)
            strbuf_addf(&sb, " %s", o->argname);
        fputs(sb.buf, out);
        if (sb.len + 2 > indent) {
            fprintf(out, "\n%*s", (int)indent, "");
        } else {
            fprintf(out, "%*s", (int)(indent - sb.len), "");
        }
        args_wrap(out, o->help, indent, indent);
        strbuf_release(&sb);
    }
}

void cli_help(const struct cli_command *cmd, FILE *out)
{
    const char *p = cmd->usage;
    bool first = true;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(out, "%s%.*s\n", first ? "usage: scriptcast " : "       scriptcast ", (int)n, p);
        first = false;
        p += n + (nl != NULL);
    }
    if (cmd->about)
        fprintf(out, "\n%s", cmd->about);
    fputs("\noptions:\n", out);
    cli_help_options(cmd->bit, out);
    if (cmd->after)
        fprintf(out, "\n%s", cmd->after);
}

int cli_list_options(const char *name, FILE *out)
{
    unsigned bit = 0;
    for (size_t i = 0; i < ARGS_NCMDS; i++)
        if (!strcmp(args_cmd_names[i].name, name))
            bit = args_cmd_names[i].bit;
    if (!strcmp(name, ""))
        bit = CMD_MAIN;
    if (!bit)
        return -1;
    for (size_t i = 0; i < CLI_OPT_COUNT; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!(o->cmds & bit))
            continue;
        fprintf(out, "%s%c\t--%s\t%s\t", o->shortname ? "-" : "", o->shortname ? o->shortname : '-',
                o->longname, o->argname ? o->argname : "");
        for (const char *p = o->choices ? o->choices : ""; *p; p++)
            fputc(*p == '|' ? ' ' : *p, out);
        fputc('\n', out);
    }
    return 0;
}
