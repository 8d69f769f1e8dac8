/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Output paths of a render (contract in render_paths.h). Two names are the
 * same output when they name the same folder entry (the folder resolved
 * with realpath(), the last component as given) or resolve to the same
 * file (a symbolic link to it): writing one would replace or lose the
 * other. An output that does not exist yet is resolved through its folder.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "cli/render_paths.h"
#include "cli/render.h"
#include "util/diag.h"
#include "util/outdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How each output is given on the command line, for the messages. */
static const char *const render_side_opt[SIDE_COUNT] = {
    [SIDE_MANIFEST] = "--manifest",
    [SIDE_VTT] = "--vtt",
    [SIDE_SRT] = "--srt",
    [SIDE_TRANSCRIPT] = "--transcript-json",
    [SIDE_CHAPTERS_VTT] = "--chapters-vtt",
    [SIDE_FFMETADATA] = "--ffmetadata",
    [SIDE_CUE] = "--cue",
    [SIDE_HTML] = "--html",
    [SIDE_CHAPTERS_JSON] = "-o's chapters file",
};

struct render_name {
    const char *opt;  /* "-o", "--vtt", ... or "the transcript" */
    const char *path; /* as given */
    char *entry;      /* realpath(folder) + "/" + last component */
    char *target;     /* realpath(path) when it exists, else entry */
};

static void render_resolve(struct render_name *n)
{
    const char *slash = strrchr(n->path, '/');
    const char *base = slash ? slash + 1 : n->path;
    char *dir =
        slash ? (slash == n->path ? xstrdup("/") : xstrndup(n->path, (size_t)(slash - n->path)))
              : xstrdup(".");
    char *real = realpath(dir, NULL);
    struct strbuf sb = STRBUF_INIT;
    if (real) {
        strbuf_adds(&sb, real);
        if (sb.len == 0 || sb.buf[sb.len - 1] != '/')
            strbuf_addc(&sb, '/');
        strbuf_adds(&sb, base);
    } else {
        strbuf_adds(&sb, n->path); /* a missing folder fails later, when written */
    }
    free(real);
    free(dir);
    n->entry = strbuf_detach(&sb);
    char *t = realpath(n->path, NULL);
    n->target = t ? t : xstrdup(n->entry);
}

static bool render_same(const struct render_name *a, const struct render_name *b)
{
    return !strcmp(a->entry, b->entry) || !strcmp(a->target, b->target) ||
           !strcmp(a->entry, b->target) || !strcmp(a->target, b->entry);
}

/* The longest file name the folder of path takes (NAME_MAX when unknown). */
static long render_name_max(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
                      : xstrdup(".");
    errno = 0;
    long max = pathconf(dir, _PC_NAME_MAX);
    free(dir);
    return max > 0 ? max : NAME_MAX;
}

int render_check_paths(const struct render_request *rq, const char *chapters, struct diags *d)
{
    struct render_name v[SIDE_COUNT + 2];
    size_t n = 0;
    v[n++] = (struct render_name){.opt = "the transcript", .path = rq->in};
    v[n++] = (struct render_name){.opt = "-o", .path = rq->out};
    for (int k = 0; k < SIDE_COUNT; k++) {
        const char *p = k == SIDE_CHAPTERS_JSON ? chapters : rq->sidecar[k];
        if (p)
            v[n++] = (struct render_name){
                .opt = render_side_opt[k] ? render_side_opt[k] : "an output", .path = p};
    }
    int rc = 0;
    for (size_t i = 1; i < n; i++) {
        const char *slash = strrchr(v[i].path, '/');
        size_t len = strlen(slash ? slash + 1 : v[i].path);
        long max = render_name_max(v[i].path);
        if ((long)len > max) {
            if (i == n - 1 && v[i].path == chapters)
                diag_add(d, DIAG_ERROR, rq->out, 0, 0, NULL,
                         "-o: the chapters file written beside it, %s, has a name of %zu bytes; "
                         "this file system allows %ld: use a shorter output name",
                         chapters, len, max);
            else
                diag_add(d, DIAG_ERROR, v[i].path, 0, 0, NULL,
                         "%s: the file name is %zu bytes long; this file system allows %ld",
                         v[i].opt, len, max);
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        render_resolve(&v[i]);
    for (size_t i = 1; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (!render_same(&v[i], &v[j]))
                continue;
            if (j == 0)
                diag_add(d, DIAG_ERROR, v[i].path, 0, 0, NULL,
                         "%s %s is the transcript %s itself: it would be overwritten", v[i].opt,
                         v[i].path, rq->in);
            else
                diag_add(d, DIAG_ERROR, v[i].path, 0, 0, NULL,
                         "%s %s and %s %s are the same file: one output would replace the other",
                         v[j].opt, v[j].path, v[i].opt, v[i].path);
            rc = -1;
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].entry);
        free(v[i].target);
    }
    return rc;
}

void render_sweep(const struct render_request *rq, const char *chapters)
{
    const char *paths[SIDE_COUNT + 1];
    size_t n = 0;
    paths[n++] = rq->out;
    for (int k = 0; k < SIDE_COUNT; k++) {
        const char *p = k == SIDE_CHAPTERS_JSON ? chapters : rq->sidecar[k];
        if (p)
            paths[n++] = p;
    }
    struct outdir_lock lock;
    outdir_lock(&lock, paths, n);
    for (size_t i = 0; i < n; i++)
        outdir_sweep(paths[i]);
    outdir_unlock(&lock);
}
