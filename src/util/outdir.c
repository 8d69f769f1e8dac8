/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Output folders: their lock and the sweep of stale temporaries (contract
 * in outdir.h). A temporary is stale when its name says which process made
 * it, that process no longer exists, and its flock is free: the kernel
 * drops the lock when a process dies however it dies, so a live writer in
 * another PID namespace (where kill() cannot see it) is still safe.
 */
#include "util/outdir.h"
#include "util/atomicfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* "a/b/c.wav" -> "a/b", "c.wav" -> ".", "/c.wav" -> "/" (malloc'd). */
static char *outdir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

struct outdir_open {
    int fd;
    dev_t dev;
    ino_t ino;
};

static int outdir_cmp(const void *a, const void *b)
{
    const struct outdir_open *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return 0;
}

void outdir_lock(struct outdir_lock *l, const char *const *paths, size_t n)
{
    l->fds = NULL;
    l->n = 0;
    struct outdir_open *v = xcalloc(n ? n : 1, sizeof(*v));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char *dir = outdir_of(paths[i]);
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        free(dir);
        struct stat st;
        if (fd < 0)
            continue;
        if (fstat(fd, &st) != 0) {
            close(fd);
            continue;
        }
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = v[j].dev == st.st_dev && v[j].ino == st.st_ino;
        if (seen) {
            close(fd);
            continue;
        }
        v[k].fd = fd;
        v[k].dev = st.st_dev;
        v[k].ino = st.st_ino;
        k++;
    }
    qsort(v, k, sizeof(*v), outdir_cmp);
    l->fds = xcalloc(k ? k : 1, sizeof(*l->fds));
    for (size_t i = 0; i < k; i++) {
        int r;
        /* A signal only interrupts the wait; the render sees it afterwards. */
        while ((r = flock(v[i].fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        l->fds[l->n++] = v[i].fd;
    }
    free(v);
}

void outdir_unlock(struct outdir_lock *l)
{
    for (size_t i = 0; i < l->n; i++)
        close(l->fds[i]); /* closing drops the flock */
    free(l->fds);
    l->fds = NULL;
    l->n = 0;
}

/* Folders swept by this process (dev, ino), so a batch sweeps each once. */
static struct outdir_open *outdir_swept;
static size_t outdir_nswept, outdir_swept_cap;

/* A temporary whose maker is gone and that nobody holds: removes it. */
static bool outdir_remove_stale(int dirfd, const char *name, pid_t pid)
{
    if (pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
        return false;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool gone = false;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0)
        gone = unlinkat(dirfd, name, 0) == 0;
    close(fd);
    return gone;
}

size_t outdir_sweep(const char *path)
{
    char *dir = outdir_of(path);
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    struct stat st;
    if (dirfd < 0)
        return 0;
    if (fstat(dirfd, &st) != 0) {
        close(dirfd);
        return 0;
    }
    for (size_t i = 0; i < outdir_nswept; i++) {
        if (outdir_swept[i].dev == st.st_dev && outdir_swept[i].ino == st.st_ino) {
            close(dirfd);
            return 0;
        }
    }
    XGROW(outdir_swept, outdir_swept_cap, outdir_nswept + 1);
    outdir_swept[outdir_nswept].dev = st.st_dev;
    outdir_swept[outdir_nswept].ino = st.st_ino;
    outdir_swept[outdir_nswept].fd = -1;
    outdir_nswept++;

    int scan = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    DIR *dh = scan >= 0 ? fdopendir(scan) : NULL;
    if (!dh) {
        if (scan >= 0)
            close(scan);
        close(dirfd);
        return 0;
    }
    size_t removed = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        pid_t pid;
        if (atomicfile_is_temp_name(de->d_name, &pid) &&
            outdir_remove_stale(dirfd, de->d_name, pid))
            removed++;
    }
    closedir(dh);
    close(dirfd);
    return removed;
}
