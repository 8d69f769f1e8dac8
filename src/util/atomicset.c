/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Committing a set of outputs all or nothing (contract in atomicset.h).
 * Three steps: back up what is there (hard links, no data copied), rename
 * every temporary into place, drop the backups. A failure in the first step
 * changes nothing; one in the second puts back what the set had replaced.
 */
#include "util/atomicset.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct atomicset_item {
    struct atomicfile *af;
    bool had_old;  /* something was at the destination */
    char *bak;     /* a second name for it while the set is renamed; NULL: none */
    bool renamed;  /* the temporary is in place */
    bool keep_bak; /* restoring failed: the backup is all that is left of the old file */
};

/* A hard link to path under a fresh temporary name, in *bak. 0; 1 when the
 * file system has no hard links (nothing made); -1 with errno otherwise. */
static int atomicset_backup(const char *path, char **bak)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        char *name = atomicfile_temp_name(path);
        if (link(path, name) == 0) {
            *bak = name;
            return 0;
        }
        int err = errno;
        free(name);
        if (err == EEXIST)
            continue;
        if (err == EPERM || err == EOPNOTSUPP || err == EMLINK || err == ENOSYS || err == EXDEV)
            return 1;
        errno = err;
        return -1;
    }
    errno = EEXIST;
    return -1;
}

/* Puts back what the renamed items replaced; newest first. */
static void atomicset_undo(struct atomicset_item *it, const size_t *order, size_t k,
                           struct diags *d)
{
    while (k-- > 0) {
        struct atomicset_item *x = &it[order[k]];
        if (!x->renamed)
            continue;
        const char *path = x->af->path;
        if (!x->had_old) {
            if (unlink(path) != 0 && errno != ENOENT)
                diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                         "cannot remove the new file after the failure: %s", strerror(errno));
        } else if (!x->bak) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                     "this file is the new one: the file system keeps no backup (no hard "
                     "links), so the previous file could not be put back");
        } else if (rename(x->bak, path) != 0) {
            x->keep_bak = true;
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                     "cannot put the previous file back (%s): it is kept as %s", strerror(errno),
                     x->bak);
        } else {
            free(x->bak);
            x->bak = NULL;
        }
    }
}

int atomicset_commit(struct atomicfile *const *v, size_t n, struct diags *d)
{
    struct atomicset_item *it = xcalloc(n ? n : 1, sizeof(*it));
    size_t *order = xcalloc(n ? n : 1, sizeof(*order));
    int rc = 0;
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        it[i].af = v[i];
        if (!v[i]->finished) {
            diag_add(d, DIAG_SYSTEM, v[i]->path, 0, 0, NULL,
                     "internal error: committing a file that is not finished");
            rc = -1;
        }
    }

    /* 1. Backups. A failure here has changed nothing. */
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        const char *path = it[i].af->path;
        if (lstat(path, &st) != 0) {
            if (errno == ENOENT)
                continue;
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot replace file: %s", strerror(errno));
            rc = -1;
            break;
        }
        it[i].had_old = true;
        if (S_ISDIR(st.st_mode)) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot replace file: %s", strerror(EISDIR));
            rc = -1;
            break;
        }
        if (atomicset_backup(path, &it[i].bak) < 0) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                     "cannot replace file: no backup of the previous file could be made: %s",
                     strerror(errno));
            rc = -1;
        }
    }

    /* 2. The renames: those that could not be backed up last. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!(it[i].had_old && !it[i].bak))
            order[k++] = i;
    for (size_t i = 0; i < n; i++)
        if (it[i].had_old && !it[i].bak)
            order[k++] = i;
    for (; done < n && rc == 0; done++) {
        struct atomicset_item *x = &it[order[done]];
        if (rename(x->af->tmp, x->af->path) != 0) {
            diag_add(d, DIAG_SYSTEM, x->af->path, 0, 0, NULL, "cannot replace file: %s",
                     strerror(errno));
            rc = -1;
            break;
        }
        x->renamed = true;
    }
    if (rc != 0)
        atomicset_undo(it, order, done, d);

    /* 3. Backups go; the temporaries are either in place or removed. */
    for (size_t i = 0; i < n; i++) {
        if (it[i].bak && !it[i].keep_bak)
            unlink(it[i].bak);
        free(it[i].bak);
        if (rc == 0)
            atomicfile_renamed(it[i].af);
        else
            atomicfile_abort(it[i].af);
    }
    free(order);
    free(it);
    return rc;
}
