/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Temporary folders for unit tests (contract in tmpdir.h).
 */
#include "tmpdir.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tmpdir_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof(f->dir), "%s/scriptcast-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

void tmpdir_remove_tree(const char *dir)
{
    chmod(dir, 0700);
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        while ((e = readdir(dp))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[8192];
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                tmpdir_remove_tree(p);
            else
                unlink(p);
        }
        closedir(dp);
    }
    rmdir(dir);
}

char *tmpdir_path(const struct fixture *f, const char *name)
{
    size_t n = strlen(f->dir) + 1 + strlen(name) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", f->dir, name);
    return p;
}

int tmpdir_count(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

int tmpdir_teardown(void **state)
{
    struct fixture *f = *state;
    tmpdir_remove_tree(f->dir);
    free(f);
    return 0;
}
