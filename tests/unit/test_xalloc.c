/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for util/xalloc: running out of memory ends the process with
 * a message and exit status 3 — never abort() — after the failure handler
 * has run (the program's removes its temporaries), and sizes that cannot
 * be represented end it the same way instead of wrapping into a small
 * allocation. Each case runs in a child process.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Under AddressSanitizer an impossible malloc() must return NULL, as libc's
 * does, rather than be reported: that NULL is what is tested here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

enum oom_case { OOM_MALLOC, OOM_CALLOC, OOM_REALLOC, OOM_GROW, OOM_STRBUF, OOM_TEMP };

static void remove_temps(void)
{
    atomicfile_remove_all();
}

static volatile size_t huge = SIZE_MAX / 2;

/* In the child: fails an allocation the way c says; never returns. */
static void child(enum oom_case c, const char *dir)
{
    void *p = NULL;
    switch (c) {
    case OOM_MALLOC:
        p = xmalloc(huge);
        break;
    case OOM_CALLOC:
        p = xcalloc(huge, 4); /* the product does not even fit in size_t */
        break;
    case OOM_REALLOC:
        p = xrealloc(xmalloc(16), huge);
        break;
    case OOM_GROW: {
        /* need * elem wraps to a small number: must not allocate that. */
        int64_t *v = NULL;
        size_t cap = 0;
        XGROW(v, cap, SIZE_MAX / 8 + 2);
        p = v;
        break;
    }
    case OOM_STRBUF: {
        struct strbuf sb = STRBUF_INIT;
        strbuf_addc(&sb, 'x');
        strbuf_grow(&sb, SIZE_MAX - 1);
        p = sb.buf;
        break;
    }
    case OOM_TEMP: {
        struct atomicfile af;
        struct diags d;
        diag_init(&d);
        char path[8192];
        snprintf(path, sizeof(path), "%s/out.json", dir);
        if (atomicfile_open(&af, path, &d) != 0)
            _exit(90);
        xalloc_set_failure_handler(remove_temps);
        p = xmalloc(huge);
        break;
    }
    }
    (void)p;
    _exit(91); /* the allocation succeeded: wrong */
}

/* Runs case c in a child; returns its wait status, its stderr in err. */
static int run_case(enum oom_case c, const char *dir, char *err, size_t n)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        child(c, dir);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t k;
    while (len + 1 < n && (k = read(fds[0], err + len, n - 1 - len)) > 0)
        len += (size_t)k;
    err[len] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void expect_exit3(enum oom_case c, const char *dir)
{
    char err[1024];
    int status = run_case(c, dir, err, sizeof(err));
    if (!WIFEXITED(status))
        fail_msg("case %d: killed by signal %d (%s)", (int)c, WTERMSIG(status), err);
    if (WEXITSTATUS(status) != EXIT_SYSTEM)
        fail_msg("case %d: exit %d, expected 3 (%s)", (int)c, WEXITSTATUS(status), err);
    if (!strstr(err, "scriptcast: error: out of memory"))
        fail_msg("case %d: message \"%s\"", (int)c, err);
}

static void test_out_of_memory_exits_3(void **state)
{
    struct fixture *f = *state;
    expect_exit3(OOM_MALLOC, f->dir);
    expect_exit3(OOM_CALLOC, f->dir);
    expect_exit3(OOM_REALLOC, f->dir);
    expect_exit3(OOM_GROW, f->dir);
    expect_exit3(OOM_STRBUF, f->dir);
}

/* The handler runs before the end: the temporary of an open output is gone. */
static void test_handler_removes_temporaries(void **state)
{
    struct fixture *f = *state;
    expect_exit3(OOM_TEMP, f->dir);
    assert_int_equal(tmpdir_count(f->dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_out_of_memory_exits_3, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_handler_removes_temporaries, tmpdir_setup,
                                        tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
