/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast cache stats|prune`: shows what the clip cache holds and trims
 * it to a size, least recently used entries first. The cache itself (key,
 * entry format, sharing between processes) lives in src/synth/cache.c; this
 * file only parses the command line and prints.
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/planout.h"
#include "synth/cache.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Default --max-size of prune: a few hours of programme in several voices
 * fits many times over, and it is small next to today's disks. */
#define CACHE_DEFAULT_MAX_SIZE "2G"

static void cache_usage(FILE *out)
{
    fputs("usage: scriptcast cache stats [--cache DIR] [--json]\n"
          "       scriptcast cache prune [--cache DIR] [--max-size SIZE]\n"
          "\n"
          "The clip cache keeps every synthesized run, so a render only synthesizes\n"
          "what changed. It lives in $XDG_CACHE_HOME/scriptcast, else\n"
          "~/.cache/scriptcast, unless --cache DIR says otherwise.\n"
          "\n"
          "  stats            count the entries and their size\n"
          "  prune            remove least recently used entries until the cache\n"
          "                   holds at most SIZE (default " CACHE_DEFAULT_MAX_SIZE ")\n"
          "\n"
          "Run 'scriptcast cache COMMAND --help' for a command's options.\n",
          out);
}

static const struct cli_command cache_stats_cmd = {
    "cache stats",
    CMD_CACHE_STATS,
    "cache stats [--cache DIR] [--json]",
    "Prints the number of entries in the clip cache, their total size and the\n"
    "folder. Corrupt entries (bad header) and temporaries left by interrupted\n"
    "writers are counted too; 'scriptcast cache prune' removes them.\n",
    NULL,
};

static const struct cli_command cache_prune_cmd = {
    "cache prune",
    CMD_CACHE_PRUNE,
    "cache prune [--cache DIR] [--max-size SIZE]",
    "Removes corrupt entries and stale temporaries, then the least recently\n"
    "used entries (a render that uses an entry makes it recent) until the\n"
    "cache holds at most SIZE. Safe while renders use the cache: a removed\n"
    "entry is synthesized again when needed.\n",
    NULL,
};

/* "12.3 MiB"; plain bytes below 1 KiB. */
static void cache_human_size(char *buf, size_t n, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    if (bytes < 1024) {
        snprintf(buf, n, "%llu byte%s", (unsigned long long)bytes, bytes == 1 ? "" : "s");
        return;
    }
    double v = (double)bytes / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
        v /= 1024;
        u++;
    }
    snprintf(buf, n, "%.1f %s", v, units[u]);
}

/* "1 entry", "2 entries": counts users read. */
static const char *cache_plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The folder the subcommand works on: --cache DIR, else the default; NULL
 * after a usage error. The caller frees it. */
static char *cache_folder(const char *cmd, const char *opt_dir)
{
    if (opt_dir) {
        if (!opt_dir[0]) {
            cli_usage_error(cmd, "--cache needs a folder");
            return NULL;
        }
        return xstrdup(opt_dir);
    }
    char *dir = cache_default_dir();
    if (!dir)
        cli_usage_error(cmd, "no cache folder: HOME and XDG_CACHE_HOME are unset; pass --cache "
                             "DIR");
    return dir;
}

static bool cache_folder_exists(const char *dir)
{
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cache_stats_run(const char *dir, bool json, int verbosity)
{
    struct diags d;
    diag_init(&d);
    struct cache_stats st;
    int rc = cache_stats(dir, &st, &d) == 0 ? EXIT_OK : EXIT_SYSTEM;
    if (rc == EXIT_OK) {
        char size[32];
        cache_human_size(size, sizeof(size), st.bytes);
        bool exists = cache_folder_exists(dir);
        if (json) {
            json_t *o = json_object();
            json_object_set_new(o, "folder", json_string(dir));
            json_object_set_new(o, "exists", json_boolean(exists));
            json_object_set_new(o, "entries", json_integer((json_int_t)st.entries));
            json_object_set_new(o, "bytes", json_integer((json_int_t)st.bytes));
            json_object_set_new(o, "size", json_string(size));
            json_object_set_new(o, "corrupt", json_integer((json_int_t)st.corrupt));
            json_object_set_new(o, "stale_temporaries", json_integer((json_int_t)st.stale));
            json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fputc('\n', stdout);
            json_decref(o);
        } else if (verbosity >= 0) {
            printf("folder:   %s%s\n", dir, exists ? "" : " (not created yet)");
            printf("entries:  %llu\n", (unsigned long long)st.entries);
            printf("size:     %s\n", size);
            if (st.corrupt || st.stale)
                printf("to prune: %llu corrupt %s, %llu stale %s\n", (unsigned long long)st.corrupt,
                       cache_plural(st.corrupt, "entry", "entries"), (unsigned long long)st.stale,
                       cache_plural(st.stale, "temporary", "temporaries"));
        }
    }
    planout_diagnostics(&d, verbosity, stderr);
    diag_release(&d);
    return rc;
}

static int cache_prune_run(const char *dir, uint64_t max_bytes, int verbosity)
{
    struct diags d;
    diag_init(&d);
    struct cache_stats removed, left;
    int rc = cache_prune(dir, max_bytes, &removed, &d) == 0 ? EXIT_OK : EXIT_SYSTEM;
    /* What is left is worth showing even after a partial failure; a folder
     * that cannot be read at all was reported by the prune already. */
    struct diags again;
    diag_init(&again);
    bool counted = cache_stats(dir, &left, &again) == 0;
    if (rc == EXIT_OK && again.n)
        diag_move(&d, &again);
    diag_release(&again);
    if (!counted)
        rc = EXIT_SYSTEM;
    if (counted && verbosity >= 0) {
        char gone[32], kept[32];
        cache_human_size(gone, sizeof(gone), removed.bytes);
        cache_human_size(kept, sizeof(kept), left.bytes);
        printf("removed %llu %s (%s) from %s", (unsigned long long)removed.entries,
               cache_plural(removed.entries, "entry", "entries"), gone, dir);
        if (removed.corrupt)
            printf(" (%llu corrupt%s", (unsigned long long)removed.corrupt,
                   removed.stale ? ", " : ")");
        if (removed.stale)
            printf("%s%llu stale %s)", removed.corrupt ? "" : " (",
                   (unsigned long long)removed.stale,
                   cache_plural(removed.stale, "temporary", "temporaries"));
        printf("\n%llu %s (%s) %s\n", (unsigned long long)left.entries,
               cache_plural(left.entries, "entry", "entries"), kept,
               cache_plural(left.entries, "remains", "remain"));
    }
    planout_diagnostics(&d, verbosity, stderr);
    diag_release(&d);
    return rc;
}

/* Parses and runs `cache stats` or `cache prune`; argv[0] is the subcommand. */
static int cache_sub(const char *sub, int argc, char **argv)
{
    bool prune = !strcmp(sub, "prune");
    const struct cli_command *cmd = prune ? &cache_prune_cmd : &cache_stats_cmd;
    struct cli_args a;
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc != CLI_PROCEED) {
        cli_args_release(&a);
        return rc;
    }
    uint64_t max_bytes = a.v[CLI_OPT_MAX_SIZE].size;
    if (!a.v[CLI_OPT_MAX_SIZE].set)
        cli_parse_size(CACHE_DEFAULT_MAX_SIZE, &max_bytes);
    int verbosity = a.v[CLI_OPT_QUIET].set ? -1 : 0;
    char *dir = NULL;
    if (a.noperands)
        rc = cli_usage_error(cmd->name, "unexpected argument '%s'", a.operands[0]);
    else if (!(dir = cache_folder(cmd->name, a.v[CLI_OPT_CACHE].arg)))
        rc = EXIT_USAGE;
    else if (prune)
        rc = cache_prune_run(dir, max_bytes, verbosity);
    else
        rc = cache_stats_run(dir, a.v[CLI_OPT_JSON].set, verbosity);
    free(dir);
    cli_args_release(&a);
    return rc;
}

int cmd_cache(int argc, char **argv)
{
    if (argc < 2) {
        cache_usage(stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
        cache_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(sub, "stats") != 0 && strcmp(sub, "prune") != 0)
        return cli_usage_error("cache", "unknown cache command '%s' (stats or prune)", sub);
    return cache_sub(sub, argc - 1, argv + 1);
}
