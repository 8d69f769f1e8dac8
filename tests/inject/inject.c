/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fault injection for the tests (never built into scriptcast itself): an
 * LD_PRELOAD library that makes the Nth call of one file-system function
 * fail with a chosen errno, so a test can fail every call of a render in
 * turn and check that each failure is handled (exit 3, the previous outputs
 * intact, no temporary left). Only calls on files whose path contains one of
 * the watched substrings count, and only in the process that loaded the
 * library: the environment is cleaned at load, so the engine's helper
 * programs run without it, and a forked child passes every call through.
 *
 * Environment:
 *   SCRIPTCAST_INJECT_PATHS  ':'-separated substrings of the watched paths
 *                            (e.g. "out/:cache/"); nothing is watched without it
 *   SCRIPTCAST_INJECT_CALL   the function to fail: open, write, pwrite,
 *                            writev, fsync, fdatasync, ftruncate, fchmod,
 *                            close, rename, link, copy_file_range
 *                            (openat and mkstemp count as open, renameat
 *                            as rename, linkat as link)
 *   SCRIPTCAST_INJECT_NTH    which call of it fails (1-based)
 *   SCRIPTCAST_INJECT_ERRNO  ENOSPC (default), EIO or EDQUOT
 *   SCRIPTCAST_INJECT_COUNT  a file that gets "NAME COUNT" lines at exit:
 *                            the watched calls the run made
 *   SCRIPTCAST_INJECT_REPORT a file that gets one line when the call failed
 *
 * A failed close still closes the descriptor, as Linux does; every other
 * failed call does nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum inject_call {
    C_OPEN,
    C_WRITE,
    C_PWRITE,
    C_WRITEV,
    C_FSYNC,
    C_FDATASYNC,
    C_FTRUNCATE,
    C_FCHMOD,
    C_CLOSE,
    C_RENAME,
    C_LINK,
    C_COPY,
    C_COUNT,
};

static const char *const inject_names[C_COUNT] = {
    "open",      "write",  "pwrite", "writev", "fsync", "fdatasync",
    "ftruncate", "fchmod", "close",  "rename", "link",  "copy_file_range",
};

#define INJECT_FDS 4096
#define INJECT_PATTERNS 8

static pid_t inject_pid;
static char inject_patterns[INJECT_PATTERNS][256];
static int inject_npatterns;
static int inject_target = -1;
static long inject_nth;
static int inject_errno = ENOSPC;
static char inject_count_file[4096];
static char inject_report_file[4096];
static long inject_counts[C_COUNT];
static bool inject_watched_fd[INJECT_FDS];
static bool inject_fired;

static void *inject_next(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static void inject_copy_env(const char *name, char *out, size_t cap)
{
    const char *v = getenv(name);
    if (v)
        snprintf(out, cap, "%s", v);
}

__attribute__((constructor)) static void inject_init(void)
{
    inject_pid = getpid();
    const char *paths = getenv("SCRIPTCAST_INJECT_PATHS");
    while (paths && *paths && inject_npatterns < INJECT_PATTERNS) {
        const char *end = strchr(paths, ':');
        size_t n = end ? (size_t)(end - paths) : strlen(paths);
        if (n > 0 && n < sizeof(inject_patterns[0])) {
            memcpy(inject_patterns[inject_npatterns], paths, n);
            inject_patterns[inject_npatterns][n] = '\0';
            inject_npatterns++;
        }
        paths = end ? end + 1 : NULL;
    }
    const char *call = getenv("SCRIPTCAST_INJECT_CALL");
    for (int i = 0; call && i < C_COUNT; i++)
        if (!strcmp(call, inject_names[i]))
            inject_target = i;
    const char *nth = getenv("SCRIPTCAST_INJECT_NTH");
    inject_nth = nth ? atol(nth) : 0;
    const char *e = getenv("SCRIPTCAST_INJECT_ERRNO");
    if (e && !strcmp(e, "EIO"))
        inject_errno = EIO;
    else if (e && !strcmp(e, "EDQUOT"))
        inject_errno = EDQUOT;
    inject_copy_env("SCRIPTCAST_INJECT_COUNT", inject_count_file, sizeof(inject_count_file));
    inject_copy_env("SCRIPTCAST_INJECT_REPORT", inject_report_file, sizeof(inject_report_file));
    /* Programs this process starts run without the library. */
    unsetenv("LD_PRELOAD");
    unsetenv("SCRIPTCAST_INJECT_PATHS");
    unsetenv("SCRIPTCAST_INJECT_CALL");
    unsetenv("SCRIPTCAST_INJECT_NTH");
    unsetenv("SCRIPTCAST_INJECT_COUNT");
    unsetenv("SCRIPTCAST_INJECT_REPORT");
}

/* Appends one line to file with the real open/write/close. */
static void inject_append(const char *file, const char *line)
{
    int (*real_open)(const char *, int, ...) = inject_next("open");
    ssize_t (*real_write)(int, const void *, size_t) = inject_next("write");
    int (*real_close)(int) = inject_next("close");
    int fd = real_open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    ssize_t w = real_write(fd, line, strlen(line));
    (void)w;
    real_close(fd);
}

__attribute__((destructor)) static void inject_fini(void)
{
    if (getpid() != inject_pid || !inject_count_file[0])
        return;
    for (int i = 0; i < C_COUNT; i++) {
        char line[64];
        snprintf(line, sizeof(line), "%s %ld\n", inject_names[i], inject_counts[i]);
        inject_append(inject_count_file, line);
    }
}

static bool inject_path_watched(const char *path)
{
    for (int i = 0; path && i < inject_npatterns; i++)
        if (strstr(path, inject_patterns[i]))
            return true;
    return false;
}

static bool inject_fd_watched(int fd)
{
    return fd >= 0 && fd < INJECT_FDS && inject_watched_fd[fd];
}

/* Counts a watched call; true when this one is to fail (errno is set). */
static bool inject_fail(enum inject_call c, bool watched)
{
    if (!watched || getpid() != inject_pid)
        return false;
    long n = ++inject_counts[c];
    if ((int)c != inject_target || n != inject_nth || inject_fired)
        return false;
    inject_fired = true;
    if (inject_report_file[0]) {
        char line[128];
        snprintf(line, sizeof(line), "failed %s #%ld\n", inject_names[c], n);
        inject_append(inject_report_file, line);
    }
    errno = inject_errno;
    return true;
}

static void inject_track(int fd, bool watched)
{
    if (fd >= 0 && fd < INJECT_FDS && getpid() == inject_pid)
        inject_watched_fd[fd] = watched;
}

static mode_t inject_mode(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = inject_mode(flags, ap);
    va_end(ap);
    bool w = inject_path_watched(path);
    if (inject_fail(C_OPEN, w))
        return -1;
    int (*real)(const char *, int, ...) = inject_next("open");
    int fd = real(path, flags, mode);
    inject_track(fd, w);
    return fd;
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = inject_mode(flags, ap);
    va_end(ap);
    bool w = inject_path_watched(path);
    if (inject_fail(C_OPEN, w))
        return -1;
    int (*real)(const char *, int, ...) = inject_next("open64");
    int fd = real(path, flags, mode);
    inject_track(fd, w);
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = inject_mode(flags, ap);
    va_end(ap);
    bool w = inject_path_watched(path);
    if (inject_fail(C_OPEN, w))
        return -1;
    int (*real)(int, const char *, int, ...) = inject_next("openat");
    int fd = real(dirfd, path, flags, mode);
    inject_track(fd, w);
    return fd;
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = inject_mode(flags, ap);
    va_end(ap);
    bool w = inject_path_watched(path);
    if (inject_fail(C_OPEN, w))
        return -1;
    int (*real)(int, const char *, int, ...) = inject_next("openat64");
    int fd = real(dirfd, path, flags, mode);
    inject_track(fd, w);
    return fd;
}

/* mkstemp() opens inside the C library, out of the reach of open() above. */
int mkstemp(char *tmpl)
{
    bool w = inject_path_watched(tmpl);
    if (inject_fail(C_OPEN, w))
        return -1;
    int (*real)(char *) = inject_next("mkstemp");
    int fd = real(tmpl);
    inject_track(fd, w);
    return fd;
}

int mkostemp(char *tmpl, int flags)
{
    bool w = inject_path_watched(tmpl);
    if (inject_fail(C_OPEN, w))
        return -1;
    int (*real)(char *, int) = inject_next("mkostemp");
    int fd = real(tmpl, flags);
    inject_track(fd, w);
    return fd;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    if (inject_fail(C_WRITE, inject_fd_watched(fd)))
        return -1;
    ssize_t (*real)(int, const void *, size_t) = inject_next("write");
    return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (inject_fail(C_PWRITE, inject_fd_watched(fd)))
        return -1;
    ssize_t (*real)(int, const void *, size_t, off_t) = inject_next("pwrite");
    return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    if (inject_fail(C_PWRITE, inject_fd_watched(fd)))
        return -1;
    ssize_t (*real)(int, const void *, size_t, off_t) = inject_next("pwrite64");
    return real(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
    if (inject_fail(C_WRITEV, inject_fd_watched(fd)))
        return -1;
    ssize_t (*real)(int, const struct iovec *, int) = inject_next("writev");
    return real(fd, iov, n);
}

int fsync(int fd)
{
    if (inject_fail(C_FSYNC, inject_fd_watched(fd)))
        return -1;
    int (*real)(int) = inject_next("fsync");
    return real(fd);
}

int fdatasync(int fd)
{
    if (inject_fail(C_FDATASYNC, inject_fd_watched(fd)))
        return -1;
    int (*real)(int) = inject_next("fdatasync");
    return real(fd);
}

int ftruncate(int fd, off_t len)
{
    if (inject_fail(C_FTRUNCATE, inject_fd_watched(fd)))
        return -1;
    int (*real)(int, off_t) = inject_next("ftruncate");
    return real(fd, len);
}

int fchmod(int fd, mode_t mode)
{
    if (inject_fail(C_FCHMOD, inject_fd_watched(fd)))
        return -1;
    int (*real)(int, mode_t) = inject_next("fchmod");
    return real(fd, mode);
}

int close(int fd)
{
    bool w = inject_fd_watched(fd);
    int (*real)(int) = inject_next("close");
    inject_track(fd, false);
    if (inject_fail(C_CLOSE, w)) {
        int err = errno;
        real(fd); /* the descriptor is gone even when close reports an error */
        errno = err;
        return -1;
    }
    return real(fd);
}

int rename(const char *from, const char *to)
{
    if (inject_fail(C_RENAME, inject_path_watched(from) || inject_path_watched(to)))
        return -1;
    int (*real)(const char *, const char *) = inject_next("rename");
    return real(from, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
    if (inject_fail(C_RENAME, inject_path_watched(from) || inject_path_watched(to)))
        return -1;
    int (*real)(int, const char *, int, const char *) = inject_next("renameat");
    return real(fd1, from, fd2, to);
}

int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags)
{
    if (inject_fail(C_RENAME, inject_path_watched(from) || inject_path_watched(to)))
        return -1;
    int (*real)(int, const char *, int, const char *, unsigned) = inject_next("renameat2");
    return real(fd1, from, fd2, to, flags);
}

int link(const char *from, const char *to)
{
    if (inject_fail(C_LINK, inject_path_watched(from) || inject_path_watched(to)))
        return -1;
    int (*real)(const char *, const char *) = inject_next("link");
    return real(from, to);
}

int linkat(int fd1, const char *from, int fd2, const char *to, int flags)
{
    if (inject_fail(C_LINK, inject_path_watched(from) || inject_path_watched(to)))
        return -1;
    int (*real)(int, const char *, int, const char *, int) = inject_next("linkat");
    return real(fd1, from, fd2, to, flags);
}

ssize_t copy_file_range(int in, loff_t *in_off, int out, loff_t *out_off, size_t n, unsigned flags)
{
    if (inject_fail(C_COPY, inject_fd_watched(out)))
        return -1;
    ssize_t (*real)(int, loff_t *, int, loff_t *, size_t, unsigned) =
        inject_next("copy_file_range");
    return real(in, in_off, out, out_off, n, flags);
}
