/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of turns (engine_open()'s `turns`, espeak_run.h): runs taken
 * beyond the turns wait without using the CPU and start when a run ends;
 * a turn held by a run process or a helper that is killed comes back, so
 * the runs waiting for it still end, instead of waiting forever; and runs
 * moved from core to core by their turns come out exactly as alone. The
 * fixture is engine_fixture.c. A test that hangs is ended by an alarm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine_fixture.h"
#include "util/diag.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest a test may take: a lost turn would otherwise hang it for good.
 * Generous, because a machine running many builds at once makes each run
 * many times slower than it is alone. */
#define TEST_ALARM_S 300

/* Collects one run of e: its tag, with the clip in *out (0) or its failure
 * (-1, *out empty). */
static int test_collect_one(struct engine *e, size_t *tag, struct clip *out)
{
    struct diags d;
    diag_init(&d);
    int rc = engine_collect(e, tag, out, &d);
    assert_int_equal(d.n, rc == 0 ? 0 : 1);
    diag_release(&d);
    return rc;
}

/* The CPU time (s) the process pid has used, -1 when it is gone. */
static double test_cpu(pid_t pid)
{
    double cpu;
    char c = test_proc_state(pid, &cpu);
    return c && c != 'Z' && c != 'X' ? cpu : -1;
}

/*
 * One turn, three long runs on one helper: while the first synthesizes,
 * the other two (and the spare) use no CPU. The first killed while it
 * holds the turn fails; its helper gives the turn back, and the two others
 * then come out right, one after the other.
 */
static void test_turns_one_at_a_time(void **state)
{
    struct test_state *st = *state;
    alarm(TEST_ALARM_S);
    /* Three long runs' text (about 1.5 s of synthesis): the first is still
     * going when it is watched. */
    test_long_text(&test_want);
    strbuf_reset(&test_text);
    for (int k = 0; k < 3; k++)
        strbuf_adds(&test_text, test_want.buf);
    size_t j = test_job_with(st, &zh_voices[0]);
    struct clip ref;
    test_synth_ref(st->engine, &(struct synth_job){zh_voices[0], test_text.buf, 1}, &ref);

    struct engine *e = test_engine_open_turns(3, 1);
    pid_t helper = test_start_helper(e, st, j);
    struct diags d;
    diag_init(&d);
    for (size_t tag = 0; tag < 3; tag++)
        assert_int_equal(engine_submit(e, tag, &zh_voices[0], test_text.buf, &d), 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    pid_t run = test_wait_running(helper);

    /* Until the running one has had a tenth of a second of CPU (on a busy
     * machine that takes longer than a tenth of a second): without turns,
     * the waiting runs would use about as much, wherever there are cores to
     * spare. */
    struct test_pids kids;
    assert_true(test_children(helper, &kids) >= 0);
    assert_true(kids.n >= 3); /* the running one, two waiting, a spare */
    double before = test_cpu(run), ran = 0;
    for (int waited = 0; waited < 20000 && ran < 0.1; waited += 50) {
        test_sleep_ms(50);
        ran = test_cpu(run) - before;
    }
    assert_true(ran > 0.05);
    for (int i = 0; i < kids.n; i++)
        if (kids.v[i] != run)
            assert_true(test_cpu(kids.v[i]) < 0.05);

    assert_int_equal(kill(run, SIGKILL), 0);
    int failed = 0, same = 0;
    for (int i = 0; i < 3; i++) {
        size_t tag;
        struct clip c;
        if (test_collect_one(e, &tag, &c) < 0) {
            failed++;
            continue;
        }
        test_same_clip(&c, &ref);
        clip_release(&c);
        same++;
    }
    assert_int_equal(failed, 1);
    assert_int_equal(same, 2);
    test_engine_close(e);
    clip_release(&ref);
    alarm(0);
}

/*
 * One turn, two helpers: a long run going on the first, a run waiting for
 * the turn on the second. The first helper killed takes its run process
 * (and the turn it holds) with it; the engine gives the turn back, and the
 * second helper's run ends, right.
 */
static void test_turns_helper_killed(void **state)
{
    struct test_state *st = *state;
    alarm(TEST_ALARM_S);
    test_long_text(&test_text);
    size_t ja = test_job_with(st, &zh_voices[0]), jb = test_job_with(st, &zh_voices[1]);

    struct engine *e = test_engine_open_turns(3, 1);
    pid_t a = test_start_helper(e, st, ja);
    test_start_helper(e, st, jb);
    struct diags d;
    diag_init(&d);
    assert_int_equal(engine_submit(e, 0, &zh_voices[0], test_text.buf, &d), 0);
    test_wait_running(a);
    assert_int_equal(engine_submit(e, 1, &st->jobs[jb].voice, st->jobs[jb].text, &d), 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    test_sleep_ms(50); /* the second run at its turn, most likely */
    assert_int_equal(kill(a, SIGKILL), 0);

    bool got[2] = {false, false};
    for (int i = 0; i < 2; i++) {
        size_t tag;
        struct clip c;
        int rc = test_collect_one(e, &tag, &c);
        assert_true(tag < 2 && !got[tag]);
        got[tag] = true;
        assert_int_equal(rc, tag == 0 ? -1 : 0);
        if (rc == 0) {
            test_same_clip(&c, &st->ref[jb]);
            clip_release(&c);
        }
    }
    test_engine_close(e);
    alarm(0);
}

/* Every run of the fixture through two turns and four runs taken at once,
 * as a two-core render goes: each clip the same as made alone. */
static void test_turns_same_samples(void **state)
{
    struct test_state *st = *state;
    alarm(TEST_ALARM_S);
    struct engine *e = test_engine_open_turns(4, 2);
    test_drive(e, 4, st->jobs, st->ref, TEST_NJOBS);
    test_engine_close(e);
    alarm(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_turns_one_at_a_time, test_cleanup),
        cmocka_unit_test_teardown(test_turns_helper_killed, test_cleanup),
        cmocka_unit_test_teardown(test_turns_same_samples, test_cleanup),
    };
    return cmocka_run_group_tests_name("engine turns", tests, test_group_setup,
                                       test_group_teardown);
}
