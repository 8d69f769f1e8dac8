/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for util/atomicset and util/outdir: a set of outputs whose
 * rename fails in the middle is put back as it was (the files renamed
 * before are restored from their backups, a new one is removed), temporary
 * names are recognized with their process id, and the sweep removes only
 * temporaries whose process is gone and that nobody holds locked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "util/atomicfile.h"
#include "util/atomicset.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/outdir.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static void put(const char *path, const char *text)
{
    struct diags d;
    diag_init(&d);
    assert_int_equal(atomicfile_write(path, text, strlen(text), &d), 0);
    diag_release(&d);
}

static void assert_content(const char *path, const char *want)
{
    char buf[256] = {0};
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_true(fdio_read(fd, buf, sizeof(buf) - 1) >= 0);
    close(fd);
    assert_string_equal(buf, want);
}

static void open_finished(struct atomicfile *af, const char *path, const char *text)
{
    struct diags d;
    diag_init(&d);
    assert_int_equal(atomicfile_open(af, path, &d), 0);
    assert_int_equal(fdio_write(af->fd, text, strlen(text)), 0);
    assert_int_equal(atomicfile_finish(af, &d), 0);
    diag_release(&d);
}

/* The second of three renames fails: the first is undone, nothing is left. */
static void test_rename_fails_midway(void **state)
{
    struct fixture *f = *state;
    char *a = tmpdir_path(f, "a.wav"), *b = tmpdir_path(f, "a.vtt"), *c = tmpdir_path(f, "a.srt");
    put(a, "old audio");
    put(b, "old vtt");
    struct atomicfile fa, fb, fc;
    open_finished(&fa, a, "new audio");
    open_finished(&fb, b, "new vtt");
    open_finished(&fc, c, "new srt");
    assert_int_equal(unlink(fb.tmp), 0); /* its rename will fail */
    struct atomicfile *set[] = {&fa, &fb, &fc};
    struct diags d;
    diag_init(&d);
    assert_int_equal(atomicset_commit(set, 3, &d), -1);
    assert_int_equal(d.system, 1);
    assert_content(a, "old audio");
    assert_content(b, "old vtt");
    assert_true(access(c, F_OK) != 0);
    assert_int_equal(tmpdir_count(f->dir), 2); /* no temporary, no backup */
    atomicfile_abort(&fa);                     /* released: harmless */
    diag_release(&d);

    /* And when all goes well, all three are new and nothing else is there. */
    open_finished(&fa, a, "new audio");
    open_finished(&fb, b, "new vtt");
    open_finished(&fc, c, "new srt");
    diag_init(&d);
    assert_int_equal(atomicset_commit(set, 3, &d), 0);
    assert_content(a, "new audio");
    assert_content(b, "new vtt");
    assert_content(c, "new srt");
    assert_int_equal(tmpdir_count(f->dir), 3);
    diag_release(&d);
    free(a);
    free(b);
    free(c);
}

static void test_temp_names(void **state)
{
    (void)state;
    char *t = atomicfile_temp_name("some/dir/talk.wav");
    assert_true(!strncmp(t, "some/dir/.talk.wav.scriptcast-", 30));
    pid_t pid = 0;
    assert_true(atomicfile_is_temp_name(strrchr(t, '/') + 1, &pid));
    assert_int_equal(pid, getpid());
    free(t);
    char longname[300];
    memset(longname, 'a', 250);
    strcpy(longname + 250, ".wav");
    t = atomicfile_temp_name(longname);
    assert_true(strlen(t) <= 255);
    assert_true(atomicfile_is_temp_name(t, &pid));
    free(t);
    assert_true(atomicfile_is_temp_name(".x.scriptcast-12-abc123.tmp", &pid));
    assert_int_equal(pid, 12);
    assert_false(atomicfile_is_temp_name("x.scriptcast-12-abc123.tmp", &pid));
    assert_false(atomicfile_is_temp_name(".x.scriptcast--abc123.tmp", &pid));
    assert_false(atomicfile_is_temp_name(".x.scriptcast-12-ABC123.tmp", &pid));
    assert_false(atomicfile_is_temp_name(".x.wav.Ab12Cd", &pid));
    assert_false(atomicfile_is_temp_name(".scriptcast-12-abc123.tmp", &pid));
}

/* A process id that no process has any more. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return pid;
}

static void test_sweep(void **state)
{
    struct fixture *f = *state;
    pid_t dead = dead_pid();
    char name[128];
    snprintf(name, sizeof(name), ".out.wav.scriptcast-%ld-abc123.tmp", (long)dead);
    char *stale = tmpdir_path(f, name);
    snprintf(name, sizeof(name), ".out.vtt.scriptcast-%ld-def456.tmp", (long)dead);
    char *held = tmpdir_path(f, name);
    snprintf(name, sizeof(name), ".out.srt.scriptcast-%ld-ghi789.tmp", (long)getpid());
    char *mine = tmpdir_path(f, name);
    char *other = tmpdir_path(f, ".out.wav.Ab12Cd");
    char *out = tmpdir_path(f, "out.wav");
    put(stale, "x");
    put(held, "x");
    put(mine, "x");
    put(other, "x");
    /* Held locked, as a live writer in another PID namespace would. */
    int fd = open(held, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);

    struct outdir_lock lock;
    const char *paths[] = {out};
    outdir_lock(&lock, paths, 1);
    assert_int_equal(outdir_sweep(out), 1);
    outdir_unlock(&lock);
    assert_true(access(stale, F_OK) != 0);
    assert_int_equal(access(held, F_OK), 0);
    assert_int_equal(access(mine, F_OK), 0);
    assert_int_equal(access(other, F_OK), 0);
    /* Once per folder and process. */
    close(fd);
    assert_int_equal(outdir_sweep(out), 0);
    assert_int_equal(access(held, F_OK), 0);
    free(stale);
    free(held);
    free(mine);
    free(other);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rename_fails_midway, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_temp_names),
        cmocka_unit_test_setup_teardown(test_sweep, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
