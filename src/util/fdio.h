/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Whole reads and writes on file descriptors: the loops over short
 * transfers and EINTR that pipes, sockets and files all need, written once.
 *
 * Contract: no allocation. Functions returning int give 0, or -1 with errno
 * set (a write that makes no progress sets ENOSPC; a read that meets end of
 * file early sets EIO). Functions returning ssize_t give the bytes moved,
 * fewer than asked only at end of file, or -1 with errno set.
 */
#ifndef SCRIPTCAST_FDIO_H
#define SCRIPTCAST_FDIO_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

ssize_t fdio_read(int fd, void *buf, size_t n);
ssize_t fdio_pread(int fd, void *buf, size_t n, off_t off);
int fdio_read_exact(int fd, void *buf, size_t n);
int fdio_pread_exact(int fd, void *buf, size_t n, off_t off);
int fdio_write(int fd, const void *buf, size_t n);
int fdio_pwrite(int fd, const void *buf, size_t n, off_t off);
/* fdio_write() of the n buffers of iov in one go; iov is consumed (its
 * entries are moved past what was written). */
int fdio_writev(int fd, struct iovec *iov, int n);
/* On a socket, with MSG_NOSIGNAL: a peer that is gone is EPIPE, not a
 * SIGPIPE that kills the process. */
int fdio_send(int fd, const void *buf, size_t n);

#endif
