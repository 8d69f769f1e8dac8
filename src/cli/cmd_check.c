/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast check FILE|DIR... [--strict] [--format text|json|junit]`:
 * runs every transcript (folders expanded as batch does) through the plan
 * stage and reports all problems of all
 * files, in a form people, scripts or CI test reports read.
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/files.h"
#include "cli/pipeline.h"
#include "cli/planout.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum check_format { CHECK_TEXT, CHECK_JSON, CHECK_JUNIT };

struct check_result {
    const char *file;
    bool folder; /* a folder that gave no transcript or could not be read */
    struct diags d;
    size_t chapters, speakers, segments;
};

static const struct cli_command check_cmd = {
    "check",
    CMD_CHECK,
    "check FILE|DIR... [--strict] [--format text|json|junit] [options]",
    "Reads each transcript (every *.md below a DIR, as batch selects them) up to\n"
    "the plan and reports every problem found:\n"
    "bad front matter, invalid UTF-8, unknown voice profiles, speakers\n"
    "without a voice, missing espeak-ng voices. Nothing is synthesized.\n",
    "Exit status: 0 all files ok, 1 a file has errors, 2 usage error,\n"
    "3 system failure.\n",
};

static void check_xml_escape(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            strbuf_adds(sb, "&lt;");
            break;
        case '>':
            strbuf_adds(sb, "&gt;");
            break;
        case '&':
            strbuf_adds(sb, "&amp;");
            break;
        case '"':
            strbuf_adds(sb, "&quot;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                strbuf_addc(sb, ' ');
            else
                strbuf_addc(sb, *s);
        }
    }
}

static void check_diag_line(struct strbuf *sb, const struct diag *g)
{
    if (g->file) {
        strbuf_adds(sb, g->file);
        if (g->line > 0)
            strbuf_addf(sb, ":%d", g->line);
        if (g->line > 0 && g->col > 0)
            strbuf_addf(sb, ":%d", g->col);
        strbuf_adds(sb, ": ");
    }
    strbuf_addf(sb, "%s: %s", diag_level_name(g->level), g->msg);
}

static bool check_failed(const struct check_result *r)
{
    return r->d.errors || r->d.system;
}

static void check_junit(const struct check_result *res, size_t n, FILE *out)
{
    size_t failures = 0;
    for (size_t i = 0; i < n; i++)
        failures += check_failed(&res[i]);
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    strbuf_addf(&sb, "<testsuites name=\"scriptcast check\" tests=\"%zu\" failures=\"%zu\">\n", n,
                failures);
    strbuf_addf(&sb,
                "  <testsuite name=\"scriptcast check\" tests=\"%zu\" failures=\"%zu\" "
                "errors=\"0\" skipped=\"0\">\n",
                n, failures);
    for (size_t i = 0; i < n; i++) {
        const struct check_result *r = &res[i];
        strbuf_adds(&sb, "    <testcase classname=\"scriptcast.check\" name=\"");
        check_xml_escape(&sb, r->file);
        strbuf_adds(&sb, "\">\n");
        struct strbuf body = STRBUF_INIT;
        const struct diag *first = NULL;
        for (size_t k = 0; k < r->d.n; k++) {
            const struct diag *g = &r->d.v[k];
            if (g->level == DIAG_NOTE)
                continue;
            if (!first && g->level >= DIAG_ERROR)
                first = g;
            check_diag_line(&body, g);
            strbuf_addc(&body, '\n');
        }
        if (first) {
            struct strbuf msg = STRBUF_INIT;
            check_diag_line(&msg, first);
            strbuf_addf(&sb, "      <failure type=\"%s\" message=\"",
                        r->d.system ? "system" : "error");
            check_xml_escape(&sb, msg.buf);
            strbuf_adds(&sb, "\">");
            check_xml_escape(&sb, body.buf);
            strbuf_adds(&sb, "</failure>\n");
            strbuf_release(&msg);
        } else if (body.len) {
            strbuf_adds(&sb, "      <system-out>");
            check_xml_escape(&sb, body.buf);
            strbuf_adds(&sb, "</system-out>\n");
        }
        strbuf_release(&body);
        strbuf_adds(&sb, "    </testcase>\n");
    }
    strbuf_adds(&sb, "  </testsuite>\n</testsuites>\n");
    fputs(sb.buf, out);
    strbuf_release(&sb);
}

static void check_json(const struct check_result *res, size_t n, FILE *out)
{
    json_t *files = json_array();
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct check_result *r = &res[i];
        json_t *diags = json_array();
        for (size_t k = 0; k < r->d.n; k++) {
            const struct diag *g = &r->d.v[k];
            json_array_append_new(diags,
                                  json_pack("{s:s, s:s?, s:i, s:i, s:s}", "level",
                                            diag_level_name(g->level), "file", g->file, "line",
                                            g->line, "column", g->col, "message", g->msg));
        }
        failed += check_failed(r);
        json_array_append_new(files, json_pack("{s:s, s:b, s:i, s:i, s:i, s:i, s:i, s:o}", "file",
                                               r->file, "ok", !check_failed(r), "errors",
                                               (int)(r->d.errors + r->d.system), "warnings",
                                               (int)r->d.warnings, "chapters", (int)r->chapters,
                                               "speakers", (int)r->speakers, "segments",
                                               (int)r->segments, "diagnostics", diags));
    }
    json_t *root = json_pack("{s:i, s:i, s:o}", "files_checked", (int)n, "files_failed",
                             (int)failed, "files", files);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}

static void check_text(const struct check_result *res, size_t n, int verbosity, FILE *out)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct check_result *r = &res[i];
        planout_diagnostics(&r->d, verbosity, stderr);
        failed += check_failed(r);
        if (verbosity < 0)
            continue;
        if (r->folder && !check_failed(r))
            fprintf(out, "%s: no transcript\n", r->file);
        else if (check_failed(r))
            fprintf(out, "%s: FAILED: %zu %s, %zu %s\n", r->file, r->d.errors + r->d.system,
                    cli_plural(r->d.errors + r->d.system, "error", "errors"), r->d.warnings,
                    cli_plural(r->d.warnings, "warning", "warnings"));
        else
            fprintf(out, "%s: ok: %zu %s, %zu %s, %zu %s%s\n", r->file, r->chapters,
                    cli_plural(r->chapters, "chapter", "chapters"), r->speakers,
                    cli_plural(r->speakers, "speaker", "speakers"), r->segments,
                    cli_plural(r->segments, "segment", "segments"),
                    r->d.warnings ? " (with warnings)" : "");
    }
    if (verbosity >= 0 && n > 1)
        fprintf(out, "%zu %s checked, %zu failed\n", n, cli_plural(n, "file", "files"), failed);
}

static struct check_result *check_push(struct check_result *res, size_t *n, size_t *cap,
                                       const char *file)
{
    XGROW(res, *cap, *n + 1);
    memset(&res[*n], 0, sizeof(res[*n]));
    res[*n].file = file;
    diag_init(&res[*n].d);
    (*n)++;
    return res;
}

/* The transcripts to check, in command-line order: files as given,
 * folders as batch selects them (files.h). A folder that gives none, or
 * cannot be read, is a result of its own so that every report shows it.
 * File names are owned by files. */
static struct check_result *check_select(const struct cli_args *a, struct cli_files *files,
                                         size_t *n, size_t *cap)
{
    struct check_result *res = NULL;
    for (size_t i = 0; i < a->noperands; i++) {
        const char *arg = a->operands[i];
        if (!cli_files_is_dir(arg)) {
            res = check_push(res, n, cap, arg);
            continue;
        }
        struct diags fd;
        diag_init(&fd);
        size_t first = files->n;
        long got = cli_files_add_dir(files, arg, &fd);
        if (got == 0)
            diag_add(&fd, DIAG_WARNING, arg, 0, 0, NULL, "no transcript (*.md) in this folder");
        if (fd.n) {
            res = check_push(res, n, cap, arg);
            res[*n - 1].folder = true;
            diag_move(&res[*n - 1].d, &fd);
        }
        diag_release(&fd);
        /* files->v may move while it grows: take the names once it is done
         * with this folder. */
        for (size_t k = first; k < files->n; k++)
            res = check_push(res, n, cap, NULL);
        for (size_t k = first; k < files->n; k++)
            res[*n - (files->n - k)].file = files->v[k].path;
    }
    return res;
}

int cmd_check(int argc, char **argv)
{
    struct cli_args a;
    struct cli_common o = {0};
    int rc = cli_parse(&check_cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        goto out;
    rc = EXIT_OK;
    cli_common_from_args(&o, &a);
    /* The index in the table's CHOICE("text|json|junit"). */
    enum check_format fmt = (enum check_format)a.v[CLI_OPT_CHECK_FORMAT].num;
    if (a.noperands == 0) {
        rc = cli_usage_error("check", "no transcript given");
        goto out;
    }
    if ((rc = cli_common_validate(&o, "check")) != EXIT_OK)
        goto out;

    struct cli_files files = {0};
    size_t n = 0, cap = 0;
    struct check_result *res = check_select(&a, &files, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        struct check_result *r = &res[i];
        if (r->folder) {
            int code = diag_exit_code(&r->d);
            if (code > rc)
                rc = code;
            continue;
        }
        struct pipeline pl = {0};
        if (pipeline_load(&pl, r->file, &o, &r->d) == 0) {
            r->chapters = pl.plan.nchapters;
            r->speakers = pl.plan.nspeakers;
            r->segments = pl.plan.nsegments;
        }
        pipeline_release(&pl);
        int code = diag_exit_code(&r->d);
        if (code > rc)
            rc = code;
    }
    if (fmt == CHECK_JUNIT)
        check_junit(res, n, stdout);
    else if (fmt == CHECK_JSON)
        check_json(res, n, stdout);
    else
        check_text(res, n, o.verbosity, stdout);
    for (size_t i = 0; i < n; i++)
        diag_release(&res[i].d);
    free(res);
    cli_files_release(&files);
out:
    cli_common_release(&o);
    cli_args_release(&a);
    return rc;
}
