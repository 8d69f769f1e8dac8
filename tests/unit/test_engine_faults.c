/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of the engine's failures: a run process or a helper killed,
 * an engine closed with runs going, an unknown voice and an interrupt must
 * end in a diagnostic naming the run (or in nothing at all), never in a
 * hang, a leaked descriptor or a zombie, and the engine must go on. The
 * fixture is engine_fixture.c (shared with test_engine.c).
 *
 * Processes are found through /proc/PID/task/PID/children (this program has
 * one thread, so its thread id is its pid); tests that need it skip when
 * /proc does not tell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine_fixture.h"
#include "synth/cache.h"
#include "tmpdir.h"
#include "util/diag.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A run process killed mid-run (and the spare with it): that run fails,
 * naming the signal and the run; the same helper goes on, with a new
 * spare, and its later runs come out right. */
static void test_engine_run_process_killed(void **state)
{
    struct test_state *st = *state;
    struct test_pids self;
    if (test_children(getpid(), &self) < 0)
        skip();
    test_long_text(&test_text);
    test_run_failure(&test_want, "cmn-latn-pinyin+m3", test_text.buf,
                     "espeak-ng crashed (signal 9)");
    size_t j = test_job_with(st, &zh_voices[0]);

    struct engine *e = test_engine_open(3);
    pid_t helper = test_start_helper(e, st, j);
    struct test_pids helpers, kids;
    assert_int_equal(test_new_children(&self, &helpers), 2);

    struct engine_voice v = zh_voices[0];
    struct diags d;
    diag_init(&d);
    assert_int_equal(engine_submit(e, 0, &v, test_text.buf, &d), 0);
    diag_release(&d);
    pid_t run = test_wait_running(helper);
    test_wait_spare(helper, run, &kids);
    assert_int_equal(kill(run, SIGKILL), 0);
    test_signal_all(&kids, SIGKILL);
    /* Dead, not dying: a spare still dying when its run comes takes that
     * run down too (the helper can only tell that a spare is dead). */
    test_wait_dead(run);
    for (int i = 0; i < kids.n; i++)
        test_wait_dead(kids.v[i]);

    double t0 = test_now();
    assert_int_equal(test_collect_failed(e, test_want.buf), 0);
    assert_true(test_now() - t0 < 3.0);
    assert_true(test_alive(helper));

    /* Its spare is dead too: the next runs need a new one, from the same
     * helper. */
    assert_int_equal(test_job_with(st, &st->jobs[j + 1].voice), j);
    test_submit(e, j, &st->jobs[j]);
    test_submit(e, j + 1, &st->jobs[j + 1]);
    bool seen[TEST_NJOBS] = {false};
    for (int i = 0; i < 2; i++)
        test_collect_same(e, st->ref, TEST_NJOBS, seen);
    assert_true(seen[j] && seen[j + 1]);
    struct test_pids after;
    test_new_children(&self, &after);
    assert_int_equal(after.n, helpers.n);
    for (int i = 0; i < after.n; i++)
        assert_true(test_has(&helpers, after.v[i]));
    assert_true(test_alive(helper));

    test_engine_close(e);
    for (int i = 0; i < helpers.n; i++)
        assert_true(test_reaped(helpers.v[i]));
}

/* A helper killed while it has a run (its run process stopped, so the run
 * cannot end first; it dies with the helper): that run fails naming the
 * signal, runs on other voices do not notice, the voice gets a new helper
 * for later runs, and closing is quick and leaves no zombie. */
static void test_engine_helper_killed(void **state)
{
    struct test_state *st = *state;
    struct test_pids self;
    if (test_children(getpid(), &self) < 0)
        skip();
    test_long_text(&test_text);
    test_run_failure(&test_want, "cmn-latn-pinyin+m3", test_text.buf,
                     "its espeak-ng helper was killed by signal 9");
    size_t ja = test_job_with(st, &zh_voices[0]), jb = test_job_with(st, &en_voices[1]),
           jc = test_job_with(st, &zh_voices[2]);

    int fds = test_open_fds();
    struct engine *e = test_engine_open(3);
    pid_t helper = test_start_helper(e, st, ja);
    test_start_helper(e, st, jb);

    struct engine_voice v = zh_voices[0];
    struct diags d;
    diag_init(&d);
    assert_int_equal(engine_submit(e, TEST_NJOBS, &v, test_text.buf, &d), 0);
    diag_release(&d);
    /* Only the run process: a spare stopped before it has shut its copy of
     * the helper's socket would hide the helper's end. */
    test_stop(test_wait_running(helper));
    test_submit(e, jb, &st->jobs[jb]);
    assert_int_equal(kill(helper, SIGKILL), 0);

    bool seen[TEST_NJOBS] = {false}, failed = false;
    double t0 = test_now();
    for (int i = 0; i < 2; i++) {
        struct diags got;
        diag_init(&got);
        size_t tag;
        struct clip c;
        int rc = engine_collect(e, &tag, &c, &got);
        if (tag == TEST_NJOBS) {
            assert_false(failed);
            failed = true;
            assert_int_equal(rc, -1);
            assert_int_equal(c.n, 0);
            assert_null(c.samples);
            assert_int_equal(got.n, 1);
            assert_int_equal(got.system, 1);
            assert_string_equal(got.v[0].msg, test_want.buf);
            assert_true(test_now() - t0 < 3.0);
        } else {
            if (rc != 0)
                diag_print(&got, stderr);
            assert_int_equal(rc, 0);
            assert_int_equal(got.n, 0);
            assert_int_equal(tag, jb);
            assert_false(seen[jb]);
            seen[jb] = true;
            test_same_clip(&c, &st->ref[jb]);
            clip_release(&c);
        }
        diag_release(&got);
    }
    assert_true(failed && seen[jb]);
    assert_int_equal(engine_pending(e), 0);
    assert_true(test_reaped(helper));

    /* The killed voice gets a new helper; the others go on. */
    struct test_pids before, added;
    assert_true(test_children(getpid(), &before) >= 0);
    memset(seen, 0, sizeof(seen));
    test_submit(e, ja, &st->jobs[ja]);
    test_submit(e, jb, &st->jobs[jb]);
    test_collect_same(e, st->ref, TEST_NJOBS, seen);
    test_collect_same(e, st->ref, TEST_NJOBS, seen);
    assert_true(seen[ja] && seen[jb]);
    assert_int_equal(test_new_children(&before, &added), 1);
    assert_int_not_equal(added.v[0], helper);
    test_submit(e, jc, &st->jobs[jc]);
    test_collect_same(e, st->ref, TEST_NJOBS, seen);
    assert_true(seen[jc]);

    struct test_pids helpers;
    test_new_children(&self, &helpers);
    assert_int_equal(helpers.n, 1 + 3); /* checker, new zh m3, en f2, zh */
    assert_true(test_engine_close(e) < 0.5);
    for (int i = 0; i < helpers.n; i++)
        assert_true(test_reaped(helpers.v[i]));
    assert_int_equal(test_open_fds(), fds);
}

/* Closing with runs going abandons them: it is quick, and no helper and
 * no run process is left behind, nor any descriptor. */
static void test_engine_close_abandons_runs(void **state)
{
    (void)state;
    struct test_pids self;
    if (test_children(getpid(), &self) < 0)
        skip();
    test_long_text(&test_text);
    int fds = test_open_fds();
    struct engine *e = test_engine_open(3);
    struct test_pids checker, voices, helpers;
    assert_int_equal(test_new_children(&self, &checker), 1);
    assert_true(test_children(getpid(), &self) >= 0);
    for (size_t i = 0; i < 3; i++) {
        struct diags d;
        diag_init(&d);
        assert_int_equal(engine_submit(e, i, &zh_voices[i], test_text.buf, &d), 0);
        assert_int_equal(d.n, 0);
        diag_release(&d);
    }
    /* Every voice helper has its run going, and a spare. */
    assert_int_equal(test_new_children(&self, &voices), 3);
    struct test_pids grand = {{0}, 0};
    for (int i = 0; i < voices.n; i++) {
        struct test_pids kids;
        pid_t run = test_wait_running(voices.v[i]);
        test_wait_spare(voices.v[i], run, &kids);
        grand.v[grand.n++] = run;
        for (int k = 0; k < kids.n && grand.n < TEST_MAX_PIDS; k++)
            grand.v[grand.n++] = kids.v[k];
    }
    helpers = voices;
    helpers.v[helpers.n++] = checker.v[0];
    assert_int_equal(engine_pending(e), 3);

    test_close_all_gone(e, &helpers, &grand, fds);
}

/* An unknown voice fails its run with the diagnostic a depth-1 engine
 * gives, word for word; the runs around it are not disturbed. */
static void test_engine_unknown_voice(void **state)
{
    struct test_state *st = *state;
    struct synth_job bad = {{"xx-no-such-voice", NULL, 170, 50, 50, 100}, "你好。", 7};

    struct diags want;
    diag_init(&want);
    struct clip c;
    assert_int_equal(engine_synth(st->engine, &bad.voice, bad.text, &c, &want), -1);
    assert_int_equal(c.n, 0);
    assert_int_equal(want.n, 1);
    assert_int_equal(want.system, 1);
    const char *head = "espeak-ng cannot say \"你好。\" with voice xx-no-such-voice: ";
    assert_int_equal(strncmp(want.v[0].msg, head, strlen(head)), 0);

    struct engine *e = test_engine_open(3);
    bool seen[TEST_NJOBS] = {false};
    struct diags d;
    diag_init(&d);
    test_submit(e, 1, &st->jobs[1]);
    int rc = engine_submit(e, 2, &bad.voice, bad.text, &d);
    assert_true(rc == 0 || rc == -1);
    if (rc == -1) { /* refused at once */
        assert_int_equal(d.n, 1);
        assert_int_equal(d.v[0].level, DIAG_SYSTEM);
        assert_string_equal(d.v[0].msg, want.v[0].msg);
    } else {
        assert_int_equal(d.n, 0);
    }
    diag_release(&d);
    test_submit(e, 5, &st->jobs[5]);
    while (engine_pending(e) > 0) {
        diag_init(&d);
        size_t tag;
        int got = engine_collect(e, &tag, &c, &d);
        if (tag == 2) {
            assert_int_equal(rc, 0); /* taken, so failing now */
            assert_int_equal(got, -1);
            assert_int_equal(c.n, 0);
            assert_int_equal(d.n, 1);
            assert_int_equal(d.v[0].level, DIAG_SYSTEM);
            assert_string_equal(d.v[0].msg, want.v[0].msg);
            rc = -1;
        } else {
            assert_int_equal(got, 0);
            assert_int_equal(d.n, 0);
            assert_true(tag == 1 || tag == 5);
            assert_false(seen[tag]);
            seen[tag] = true;
            test_same_clip(&c, &st->ref[tag]);
            clip_release(&c);
        }
        diag_release(&d);
    }
    assert_true(seen[1] && seen[5]);
    assert_int_equal(rc, -1); /* the bad run failed, at submit or collect */

    /* And the engine goes on. */
    memset(seen, 0, sizeof(seen));
    test_submit(e, 1, &st->jobs[1]);
    test_collect_same(e, st->ref, TEST_NJOBS, seen);
    test_engine_close(e);
    diag_release(&want);
}

/* Sends SIGINT to every helper and to their run processes, as Ctrl-C in
 * a terminal does. */
static void test_interrupt(const struct test_pids *helpers)
{
    test_signal_all(helpers, SIGINT);
    for (int i = 0; i < helpers->n; i++) {
        struct test_pids kids;
        assert_true(test_children(helpers->v[i], &kids) >= 0);
        for (int k = 0; k < kids.n; k++)
            kill(kids.v[k], SIGINT); /* one may have just ended */
    }
}

/* Ctrl-C is the caller's business: helpers and their run processes that
 * get SIGINT, idle or with runs going, carry on. */
static void test_engine_ignores_sigint(void **state)
{
    struct test_state *st = *state;
    struct test_pids self;
    if (test_children(getpid(), &self) < 0)
        skip();
    struct engine *e = test_engine_open(3);
    /* The first fifteen runs use every voice+variant pair. */
    test_drive(e, 3, st->jobs, st->ref, 15);
    struct test_pids helpers;
    assert_int_equal(test_new_children(&self, &helpers), 1 + TEST_NPAIRS);
    test_interrupt(&helpers);

    /* And with runs going. */
    bool seen[TEST_NJOBS] = {false};
    for (size_t i = 15; i < 18; i++)
        test_submit(e, i, &st->jobs[i]);
    test_interrupt(&helpers);
    for (int i = 0; i < 3; i++)
        test_collect_same(e, st->ref, TEST_NJOBS, seen);
    assert_true(seen[15] && seen[16] && seen[17]);
    test_drive(e, 3, st->jobs, st->ref, TEST_NJOBS);

    assert_true(engine_voice_exists(e, "en-us", "f2"));
    for (int i = 0; i < helpers.n; i++)
        assert_true(test_alive(helpers.v[i]));
    struct test_pids after;
    assert_int_equal(test_new_children(&self, &after), helpers.n);
    test_engine_close(e);
    for (int i = 0; i < helpers.n; i++)
        assert_true(test_reaped(helpers.v[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_engine_run_process_killed, test_cleanup),
        cmocka_unit_test_teardown(test_engine_helper_killed, test_cleanup),
        cmocka_unit_test_teardown(test_engine_close_abandons_runs, test_cleanup),
        cmocka_unit_test_teardown(test_engine_unknown_voice, test_cleanup),
        cmocka_unit_test_teardown(test_engine_ignores_sigint, test_cleanup),
    };
    return cmocka_run_group_tests_name("engine", tests, test_group_setup, test_group_teardown);
}
