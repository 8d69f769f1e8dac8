/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for whole reads and writes (src/util/fdio.c): exact transfers
 * through a pipe larger than its buffer (also from several buffers at
 * once), end of file cut short, positioned
 * I/O on a file, and a send to a closed socket that reports EPIPE instead
 * of killing the process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/fdio.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* n bytes of a pattern written by a child through a pipe (with fdio_write(),
 * or as the four buffers of one fdio_writev() when `vectored`), read back
 * whole by this process and compared; then only end of file is left. */
static void pipe_round_trip(size_t n, bool vectored)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    char *out = malloc(n), *in = malloc(n);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(i * 7 + 5);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        struct iovec iov[4] = {
            {out, 1000}, {out + 1000, 0}, {out + 1000, n / 3 - 1000}, {out + n / 3, n - n / 3}};
        int rc = vectored ? fdio_writev(p[1], iov, 4) : fdio_write(p[1], out, n);
        _exit(rc == 0 ? 0 : 1);
    }
    close(p[1]);
    assert_int_equal(fdio_read_exact(p[0], in, n), 0);
    assert_memory_equal(in, out, n);
    assert_int_equal(fdio_read(p[0], in, 10), 0);
    assert_int_equal(fdio_read_exact(p[0], in, 10), -1);
    assert_int_equal(errno, EIO);
    int status;
    waitpid(pid, &status, 0);
    assert_int_equal(WEXITSTATUS(status), 0);
    close(p[0]);
    free(out);
    free(in);
}

/* More than a pipe holds: the writer must loop. */
static void test_pipe_exact(void **state)
{
    (void)state;
    pipe_round_trip(1 << 20, false);
}

/* Several buffers (one empty) through a pipe they overfill: every partial
 * writev() is resumed at the right byte. */
static void test_pipe_writev(void **state)
{
    (void)state;
    pipe_round_trip(3 << 18, true);
}

static void test_positioned(void **state)
{
    (void)state;
    char path[] = "/tmp/scriptcast-fdio-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(fdio_pwrite(fd, "hello world", 11, 100), 0);
    char buf[16] = {0};
    assert_int_equal(fdio_pread_exact(fd, buf, 5, 106), 0);
    assert_string_equal(buf, "world");
    assert_int_equal(fdio_pread(fd, buf, 16, 106), 5); /* short only at end of file */
    assert_int_equal(fdio_pread_exact(fd, buf, 16, 106), -1);
    close(fd);
}

static void test_send_to_closed(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    close(sv[1]);
    assert_int_equal(fdio_send(sv[0], "x", 1), -1);
    assert_int_equal(errno, EPIPE);
    close(sv[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_exact),
        cmocka_unit_test(test_pipe_writev),
        cmocka_unit_test(test_positioned),
        cmocka_unit_test(test_send_to_closed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
