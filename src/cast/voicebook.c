/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The voicebook (contract in voice.h): the search path for profile
 * folders, and loading every profile of those folders into one book sorted
 * by name, the first folder that defines a name winning. Reading one
 * profile is voice.c's job.
 */
#include "cast/voice.h"
#include "cast/voice_file.h"
#include "util/datadir.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- search path ---- */

char **voice_search_path(char *const *cli_dirs, size_t ncli)
{
    char **path = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < ncli; i++) {
        XGROW(path, cap, n + 1);
        path[n++] = xstrdup(cli_dirs[i]);
    }
    const char *env = getenv("SCRIPTCAST_VOICES");
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        /* "a::b" or a trailing ':' would otherwise mean the current dir. */
        if (len) {
            XGROW(path, cap, n + 1);
            path[n++] = xstrndup(env, len);
        }
        env = colon ? colon + 1 : NULL;
    }
    XGROW(path, cap, n + 3);
    path[n++] = xstrdup("./voices");
    path[n++] = datadir_path("voices");
    path[n] = NULL;
    return path;
}

void voice_path_free(char **path)
{
    if (!path)
        return;
    for (char **p = path; *p; p++)
        free(*p);
    free(path);
}

bool voice_dir_exists(const char *dir)
{
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- the voicebook ---- */

static int voice_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int voice_cmp(const void *a, const void *b)
{
    const struct voice *x = a, *y = b;
    return strcmp(x->name, y->name);
}

/*
 * Lists the *.yaml entries of dir in strcmp order, so the outcome does not
 * depend on the file system's directory order. Returns -1 when dir cannot
 * be opened; only a dir that exists but cannot be read is reported.
 */
static int voice_list_dir(const char *dir, char ***out, size_t *nout, struct diags *d)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        if (errno != ENOENT && errno != ENOTDIR)
            diag_add(d, DIAG_SYSTEM, dir, 0, 0, NULL, "cannot read voice directory: %s",
                     strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t len = strlen(de->d_name);
        /* Hidden files are editor and VCS leftovers, not profiles. */
        if (de->d_name[0] == '.' || len <= VOICE_SUFFIX_LEN ||
            strcmp(de->d_name + len - VOICE_SUFFIX_LEN, VOICE_SUFFIX) != 0)
            continue;
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(de->d_name);
    }
    closedir(dh);
    if (n)
        qsort(names, n, sizeof(*names), voice_cmp_str);
    *out = names;
    *nout = n;
    return 0;
}

static bool voice_defined(const struct voicebook *vb, const char *name, size_t len)
{
    /* Linear: the book is unsorted while loading and holds a few dozen. */
    for (size_t i = 0; i < vb->n; i++)
        if (strlen(vb->v[i].name) == len && !memcmp(vb->v[i].name, name, len))
            return true;
    return false;
}

static char *voice_join(const char *dir, const char *name)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, dir);
    if (sb.len && sb.buf[sb.len - 1] != '/')
        strbuf_addc(&sb, '/');
    strbuf_adds(&sb, name);
    return strbuf_detach(&sb);
}

int voice_load_all(struct voicebook *vb, char *const *path, struct diags *d)
{
    size_t cap = 0;
    size_t errors_before = d->errors;
    vb->v = NULL;
    vb->n = 0;

    for (char *const *dir = path; *dir; dir++) {
        char **names;
        size_t nnames;
        if (voice_list_dir(*dir, &names, &nnames, d) < 0)
            continue;
        for (size_t i = 0; i < nnames; i++) {
            /* A profile's name is its base name, so an earlier dir's wins unread. */
            if (voice_defined(vb, names[i], strlen(names[i]) - VOICE_SUFFIX_LEN))
                continue;
            char *file = voice_join(*dir, names[i]);
            struct stat st;
            struct voice v;
            if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && voice_load_file(&v, file, d) == 0) {
                XGROW(vb->v, cap, vb->n + 1);
                vb->v[vb->n++] = v;
            }
            free(file);
        }
        for (size_t i = 0; i < nnames; i++)
            free(names[i]);
        free(names);
    }
    if (vb->n) {
        qsort(vb->v, vb->n, sizeof(*vb->v), voice_cmp);
        return 0;
    }

    struct strbuf dirs = STRBUF_INIT;
    for (char *const *dir = path; *dir; dir++)
        strbuf_addf(&dirs, "%s%s", dir == path ? "" : ", ", *dir);
    /* Bad profiles are the user's to fix; no profiles at all is a broken install. */
    diag_add(d, d->errors > errors_before ? DIAG_ERROR : DIAG_SYSTEM, NULL, 0, 0, NULL,
             "no usable voice profiles found (searched: %s)", dirs.len ? dirs.buf : "nothing");
    strbuf_release(&dirs);
    return -1;
}

const struct voice *voice_find(const struct voicebook *vb, const char *name)
{
    if (!vb->n)
        return NULL;
    struct voice key = {.name = (char *)name};
    return bsearch(&key, vb->v, vb->n, sizeof(*vb->v), voice_cmp);
}

void voice_release_all(struct voicebook *vb)
{
    for (size_t i = 0; i < vb->n; i++)
        voice_release(&vb->v[i]);
    free(vb->v);
    vb->v = NULL;
    vb->n = 0;
}
