/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Bounded whole-file reads (contract in readall.h).
 */
#include "util/readall.h"
#include "util/fdio.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes asked of each read(2): enough that a large file takes few calls. */
#define READALL_CHUNK (1u << 20)

int readall_fd(int fd, uint64_t max, struct strbuf *out)
{
    struct stat st;
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return READALL_ERROR;
        }
        /* A regular file says its size: refuse it unread, or read it in
         * one allocation. Streams (pipes, devices) say nothing useful. */
        if (S_ISREG(st.st_mode)) {
            if ((uint64_t)st.st_size > max)
                return READALL_TOO_BIG;
            strbuf_grow(out, (size_t)st.st_size + 1);
        }
    }
    uint64_t got = 0;
    for (;;) {
        /* Never more than max + 1 bytes: one past the bound proves it. */
        uint64_t room = max - got + 1;
        size_t want = room < READALL_CHUNK ? (size_t)room : READALL_CHUNK;
        strbuf_grow(out, want);
        ssize_t k = fdio_read(fd, out->buf + out->len, want);
        if (k < 0)
            return READALL_ERROR;
        if (k == 0)
            return READALL_OK;
        strbuf_setlen(out, out->len + (size_t)k);
        got += (uint64_t)k;
        if (got > max)
            return READALL_TOO_BIG;
    }
}

int readall_path(const char *path, uint64_t max, struct strbuf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return READALL_ERROR;
    int rc = readall_fd(fd, max, out);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

void readall_format_size(uint64_t bytes, char *buf, unsigned long n)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
        snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
        return;
    }
    double v = (double)bytes / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
        v /= 1024;
        u++;
    }
    if (v == (double)(uint64_t)v)
        snprintf(buf, n, "%llu %s", (unsigned long long)v, units[u]);
    else
        snprintf(buf, n, "%.1f %s", v, units[u]);
}
