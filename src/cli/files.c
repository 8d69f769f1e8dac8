/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Selecting transcripts from files and folders, for batch and check
 * (contract in files.h).
 */
#include "cli/files.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void files_push(struct cli_files *f, const char *path, const char *rel)
{
    XGROW(f->v, f->cap, f->n + 1);
    size_t n = strlen(rel);
    bool md = n > 3 && !strcmp(rel + n - 3, ".md");
    f->v[f->n].path = xstrdup(path);
    f->v[f->n].rel = xstrndup(rel, md ? n - 3 : n);
    f->n++;
}

void cli_files_add(struct cli_files *f, const char *path)
{
    const char *base = strrchr(path, '/');
    files_push(f, path, base ? base + 1 : path);
}

bool cli_files_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool files_is_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && !strcmp(name + n - 3, ".md");
}

static int files_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every *.md below dir (rel: its path under the folder given). */
static int files_walk(struct cli_files *f, const char *dir, const char *rel, struct diags *d)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, NULL, "cannot read folder: %s", strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.')
            continue; /* ., .., .git and other hidden folders */
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(de->d_name);
    }
    closedir(dh);
    if (n)
        qsort(names, n, sizeof(*names), files_cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct strbuf path = STRBUF_INIT, r = STRBUF_INIT;
        strbuf_addf(&path, "%s/%s", dir, names[i]);
        strbuf_addf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        if (cli_files_is_dir(path.buf))
            rc |= files_walk(f, path.buf, r.buf, d);
        else if (files_is_md(names[i]))
            files_push(f, path.buf, r.buf);
        strbuf_release(&path);
        strbuf_release(&r);
        free(names[i]);
    }
    free(names);
    return rc;
}

long cli_files_add_dir(struct cli_files *f, const char *dir, struct diags *d)
{
    size_t before = f->n;
    int rc = files_walk(f, dir, "", d);
    return rc < 0 ? -1 : (long)(f->n - before);
}

int cli_files_collect(struct cli_files *f, char *const *args, size_t n, struct diags *d)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(args[i], &st) < 0) {
            diag_add(d, DIAG_ERROR, args[i], 0, 0, NULL, "cannot read: %s", strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            if (files_walk(f, args[i], "", d) < 0)
                rc = -1;
        } else {
            cli_files_add(f, args[i]);
        }
    }
    return rc;
}

void cli_files_release(struct cli_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        free(f->v[i].rel);
    }
    free(f->v);
    memset(f, 0, sizeof(*f));
}
