/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for util/atomicfile: a commit replaces the destination in one
 * step, an abort or a failure (missing or read-only folder, full disk,
 * SIGINT) leaves the previous file intact and no temporary behind, and a
 * killed forked child does not remove its parent's temporaries.
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

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The whole file as a NUL-terminated string, or NULL if it cannot be read. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
        strbuf_add(&sb, buf, k);
    fclose(fp);
    return strbuf_detach(&sb);
}

static void assert_content(const char *path, const char *want)
{
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_commit_replaces(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.json");
    struct diags d;
    diag_init(&d);

    assert_int_equal(atomicfile_write(path, "old\n", 4, &d), 0);
    assert_content(path, "old\n");

    struct atomicfile af;
    assert_int_equal(atomicfile_open(&af, path, &d), 0);
    assert_non_null(atomicfile_stream(&af));
    assert_true(af.fd >= 0);
    assert_non_null(strstr(af.tmp, "/.out.json."));
    fputs("new content\n", atomicfile_stream(&af));
    fflush(atomicfile_stream(&af));
    /* Until the commit, readers still see the old file. */
    assert_content(path, "old\n");
    assert_int_equal(tmpdir_count(f->dir), 2);

    assert_int_equal(atomicfile_commit(&af, &d), 0);
    assert_content(path, "new content\n");
    assert_int_equal(tmpdir_count(f->dir), 1);
    assert_null(af.tmp);

    /* Mode follows the umask, not mkstemp's 0600. */
    mode_t mask = umask(0);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644 & ~mask);

    /* Abort after commit is a no-op and leaves the new file alone. */
    atomicfile_abort(&af);
    assert_content(path, "new content\n");

    /* A name at the file system's limit still leaves room for the temporary's. */
    char long_name[256];
    memset(long_name, 'n', 250);
    strcpy(long_name + 250, ".json");
    char *long_path = tmpdir_path(f, long_name);
    assert_int_equal(atomicfile_write(long_path, "long", 4, &d), 0);
    assert_content(long_path, "long");
    assert_int_equal(unlink(long_path), 0);
    free(long_path);

    /* An empty buffer makes an empty file. */
    assert_int_equal(atomicfile_write(path, "", 0, &d), 0);
    assert_content(path, "");
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(path);
}

static void test_abort_keeps_old(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "chapters.json");
    struct diags d;
    diag_init(&d);

    assert_int_equal(atomicfile_write(path, "old\n", 4, &d), 0);
    struct atomicfile af;
    assert_int_equal(atomicfile_open(&af, path, &d), 0);
    fputs("half-written", atomicfile_stream(&af));
    atomicfile_abort(&af);
    atomicfile_abort(&af); /* twice is harmless */
    assert_content(path, "old\n");
    assert_int_equal(tmpdir_count(f->dir), 1);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(path);
}

static void test_missing_folder(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "no-such-folder/out.wav");
    struct diags d;
    diag_init(&d);

    struct atomicfile af;
    assert_int_equal(atomicfile_open(&af, path, &d), -1);
    atomicfile_abort(&af); /* safe after a failed open */
    assert_int_equal(d.system, 1);
    assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
    assert_string_equal(d.v[0].file, path);
    assert_non_null(strstr(d.v[0].msg, strerror(ENOENT)));
    assert_int_equal(atomicfile_write(path, "x", 1, &d), -1);
    assert_int_equal(d.system, 2);
    assert_int_equal(tmpdir_count(f->dir), 0);
    diag_release(&d);
    free(path);
}

static void test_file_where_folder_expected(void **state)
{
    struct fixture *f = *state;
    char *file = tmpdir_path(f, "plain");
    char *path = tmpdir_path(f, "plain/out.wav");
    struct diags d;
    diag_init(&d);

    assert_int_equal(atomicfile_write(file, "x", 1, &d), 0);
    assert_int_equal(atomicfile_write(path, "y", 1, &d), -1);
    assert_int_equal(d.system, 1);
    assert_non_null(strstr(d.v[0].msg, strerror(ENOTDIR)));
    assert_content(file, "x");
    assert_int_equal(tmpdir_count(f->dir), 1);
    diag_release(&d);
    free(file);
    free(path);
}

static void test_readonly_folder(void **state)
{
    struct fixture *f = *state;
    if (geteuid() == 0)
        skip(); /* root writes into read-only folders anyway */
    char *sub = tmpdir_path(f, "ro");
    char *path = tmpdir_path(f, "ro/out.wav");
    struct diags d;
    diag_init(&d);

    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(atomicfile_write(path, "old", 3, &d), 0);
    assert_int_equal(chmod(sub, 0500), 0);
    assert_int_equal(atomicfile_write(path, "new", 3, &d), -1);
    assert_int_equal(d.system, 1);
    assert_non_null(strstr(d.v[0].msg, strerror(EACCES)));
    chmod(sub, 0700);
    assert_content(path, "old");
    assert_int_equal(tmpdir_count(sub), 1);
    diag_release(&d);
    free(sub);
    free(path);
}

/*
 * A full disk, simulated with a file size limit (writes past it fail with
 * EFBIG, the same path as ENOSPC). The caller ignores fwrite()'s result, as
 * atomicfile_write() does; commit must still notice. Runs in a child so the
 * limit does not stick, and reports through its exit status.
 */
static void test_disk_full(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "big.json");
    struct diags d;
    diag_init(&d);
    assert_int_equal(atomicfile_write(path, "old", 3, &d), 0);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {1000, 1000};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(10);
        static char big[100000];
        memset(big, 'x', sizeof(big));
        struct diags cd;
        diag_init(&cd);
        if (atomicfile_write(path, big, sizeof(big), &cd) != -1)
            _exit(11);
        if (cd.system != 1)
            _exit(12);
        /* Also through the stream, with a buffer smaller than the limit. */
        struct atomicfile af;
        if (atomicfile_open(&af, path, &cd) != 0)
            _exit(13);
        for (int i = 0; i < 100; i++)
            fputs("0123456789012345678901234567890123456789", atomicfile_stream(&af));
        if (atomicfile_commit(&af, &cd) != -1)
            _exit(14);
        if (cd.system != 2)
            _exit(15);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_content(path, "old");
    assert_int_equal(tmpdir_count(f->dir), 1);
    diag_release(&d);
    free(path);
}

/* A child interrupted with SIGINT while writing removes its temporary and dies of the signal. */
static void test_sigint_cleans_up(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "talk.wav");
    struct diags d;
    diag_init(&d);
    assert_int_equal(atomicfile_write(path, "old", 3, &d), 0);

    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        struct diags cd;
        diag_init(&cd);
        struct atomicfile af;
        if (atomicfile_open(&af, path, &cd) != 0)
            _exit(20);
        fputs("partial", atomicfile_stream(&af));
        fflush(atomicfile_stream(&af));
        if (write(ready[1], "r", 1) != 1)
            _exit(21);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    assert_int_equal(tmpdir_count(f->dir), 2); /* the child's temporary exists */
    assert_int_equal(kill(pid, SIGINT), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGINT);
    assert_int_equal(tmpdir_count(f->dir), 1);
    assert_content(path, "old");
    diag_release(&d);
    free(path);
}

/* A forked worker that is killed must not remove the temporaries its parent has open. */
static void test_child_leaves_parent_temp(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "parent.wav");
    struct diags d;
    diag_init(&d);

    struct atomicfile af;
    assert_int_equal(atomicfile_open(&af, path, &d), 0);
    fputs("parent data", atomicfile_stream(&af));
    fflush(atomicfile_stream(&af));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        raise(SIGTERM);
        _exit(30);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_int_equal(atomicfile_commit(&af, &d), 0);
    assert_content(path, "parent data");
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_replaces, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_abort_keeps_old, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_file_where_folder_expected, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_readonly_folder, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_sigint_cleans_up, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_child_leaves_parent_temp, tmpdir_setup,
                                        tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
