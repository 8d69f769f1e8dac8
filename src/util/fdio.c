/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Whole reads and writes (contract in fdio.h).
 */
#include "util/fdio.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

/* One transfer step: read/pread when off < 0 means "no offset". */
static ssize_t fdio_step_read(int fd, char *p, size_t n, off_t off)
{
    return off < 0 ? read(fd, p, n) : pread(fd, p, n, off);
}

static ssize_t fdio_read_at(int fd, void *buf, size_t n, off_t off)
{
    char *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t k = fdio_step_read(fd, p + done, n - done, off < 0 ? off : off + (off_t)done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        done += (size_t)k;
    }
    return (ssize_t)done;
}

ssize_t fdio_read(int fd, void *buf, size_t n)
{
    return fdio_read_at(fd, buf, n, -1);
}

ssize_t fdio_pread(int fd, void *buf, size_t n, off_t off)
{
    return fdio_read_at(fd, buf, n, off);
}

int fdio_read_exact(int fd, void *buf, size_t n)
{
    ssize_t k = fdio_read(fd, buf, n);
    if (k >= 0 && (size_t)k != n)
        errno = EIO;
    return k >= 0 && (size_t)k == n ? 0 : -1;
}

int fdio_pread_exact(int fd, void *buf, size_t n, off_t off)
{
    ssize_t k = fdio_pread(fd, buf, n, off);
    if (k >= 0 && (size_t)k != n)
        errno = EIO;
    return k >= 0 && (size_t)k == n ? 0 : -1;
}

/* What a write call's result k means for the loops below: 1 some bytes
 * went, 0 try again (EINTR), -1 give up with errno set (no progress at all
 * is a full disk: ENOSPC). */
static int fdio_moved(ssize_t k)
{
    if (k < 0)
        return errno == EINTR ? 0 : -1;
    if (k == 0) {
        errno = ENOSPC;
        return -1;
    }
    return 1;
}

/* how: 0 write, 1 pwrite at off, 2 send */
static int fdio_write_how(int fd, const void *buf, size_t n, off_t off, int how)
{
    const char *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t k = how == 0   ? write(fd, p + done, n - done)
                    : how == 1 ? pwrite(fd, p + done, n - done, off + (off_t)done)
                               : send(fd, p + done, n - done, MSG_NOSIGNAL);
        int moved = fdio_moved(k);
        if (moved < 0)
            return -1;
        if (moved > 0)
            done += (size_t)k;
    }
    return 0;
}

int fdio_write(int fd, const void *buf, size_t n)
{
    return fdio_write_how(fd, buf, n, 0, 0);
}

int fdio_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return fdio_write_how(fd, buf, n, off, 1);
}

int fdio_writev(int fd, struct iovec *iov, int n)
{
    for (;;) {
        while (n > 0 && iov->iov_len == 0) {
            iov++;
            n--;
        }
        if (n == 0)
            return 0;
        ssize_t k = writev(fd, iov, n);
        int moved = fdio_moved(k);
        if (moved < 0)
            return -1;
        if (moved == 0)
            continue;
        size_t done = (size_t)k;
        while (n > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
}

int fdio_send(int fd, const void *buf, size_t n)
{
    return fdio_write_how(fd, buf, n, 0, 2);
}
