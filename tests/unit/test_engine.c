/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of the engine's concurrency: an engine synthesizing several
 * runs at once must give, sample for sample and mark for mark, what a
 * depth-1 engine gives one run at a time (engine_synth()), whatever order
 * the runs finish and are collected in; it must take no more than `depth`
 * runs and say so; clips of megabytes must all be in flight at once; two
 * engines at once must not see each other's runs; and through the synth
 * facade, --jobs 2 must give what --jobs 1 gives and fill the cache. The
 * failures (killed processes, unknown voices, interrupts) are in
 * test_engine_faults.c; the fixture both use is engine_fixture.c.
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

/* Three runs at once, as synth.c drives them: every clip is the one a
 * depth-1 engine gives; one helper per voice+variant pair (and the voice
 * checker); closing leaves no descriptor open and no process behind. */
static void test_engine_matches_reference(void **state)
{
    struct test_state *st = *state;
    struct test_pids before, helpers;
    if (test_children(getpid(), &before) < 0)
        skip(); /* no /proc/PID/task/PID/children here */
    int fds = test_open_fds();
    assert_true(fds > 0);
    struct engine *e = test_engine_open(3);
    assert_int_equal(test_new_children(&before, &helpers), 1); /* the voice checker */

    assert_true(test_drive(e, 3, st->jobs, st->ref, TEST_NJOBS) > 0);

    assert_int_equal(test_new_children(&before, &helpers), 1 + TEST_NPAIRS);
    /* Their run processes (spares waiting, runs just ended) go with them. */
    struct test_pids grand = {{0}, 0};
    for (int i = 0; i < helpers.n; i++) {
        struct test_pids kids;
        assert_true(test_children(helpers.v[i], &kids) >= 0);
        for (int k = 0; k < kids.n && grand.n < TEST_MAX_PIDS; k++)
            grand.v[grand.n++] = kids.v[k];
    }
    assert_true(grand.n > 0); /* spares waiting, at least */
    test_close_all_gone(e, &helpers, &grand, fds);
}

/* The engine takes `depth` runs and no more; engine_pending() counts them;
 * collecting with nothing pending fails with a diagnostic and no tag. */
static void test_engine_depth_bound(void **state)
{
    struct test_state *st = *state;
    struct engine *e = test_engine_open(3);
    for (size_t i = 0; i < 3; i++) {
        test_submit(e, i, &st->jobs[i]);
        assert_int_equal(engine_pending(e), i + 1);
    }
    struct diags d;
    diag_init(&d);
    assert_int_equal(engine_submit(e, 3, &st->jobs[3].voice, st->jobs[3].text, &d), 1);
    assert_int_equal(d.n, 0);
    assert_int_equal(engine_pending(e), 3);

    /* engine_synth() is for an engine with nothing pending: it must not
     * take another run's clip. */
    struct clip c;
    assert_int_equal(engine_synth(e, &st->jobs[3].voice, st->jobs[3].text, &c, &d), -1);
    assert_int_equal(c.n, 0);
    assert_null(c.samples);
    assert_int_equal(d.system, 1);
    diag_release(&d);
    assert_int_equal(engine_pending(e), 3);

    bool seen[TEST_NJOBS] = {false};
    for (size_t left = 3; left > 0; left--) {
        assert_true(test_collect_same(e, st->ref, 3, seen) < 3);
        assert_int_equal(engine_pending(e), left - 1);
    }

    diag_init(&d);
    size_t tag = 7;
    c.n = 1;
    assert_int_equal(engine_collect(e, &tag, &c, &d), -1);
    assert_true(tag == SIZE_MAX);
    assert_int_equal(c.n, 0);
    assert_null(c.samples);
    assert_null(c.marks);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.system, 1);
    diag_release(&d);

    /* Room again: the refused run goes now. */
    test_submit(e, 3, &st->jobs[3]);
    assert_int_equal(engine_pending(e), 1);
    memset(seen, 0, sizeof(seen));
    assert_int_equal(test_collect_same(e, st->ref, 4, seen), 3);
    test_engine_close(e);
}

/* Clips of megabytes, five in flight at once (two on one helper), each in
 * its own clip file: all come back whole and right. */
static void test_engine_large_clips(void **state)
{
    struct test_state *st = *state;
    enum { N = 5 };
    struct strbuf text[N];
    struct synth_job jobs[N];
    struct clip ref[N];
    for (int i = 0; i < N; i++) {
        strbuf_init(&text[i]);
        for (int k = 0; k < 12; k++) {
            strbuf_adds(&text[i], zh_texts[(i + k) % 10]);
            strbuf_adds(&text[i], zh_texts[(i + 2 * k + 1) % 10]);
        }
        jobs[i].voice = zh_voices[i % 3];
        jobs[i].text = text[i].buf;
        jobs[i].line = 100 + i;
        test_synth_ref(st->engine, &jobs[i], &ref[i]);
        assert_true(ref[i].n * sizeof(int16_t) > 2u << 20);
    }
    struct engine *e = test_engine_open(N);
    for (int i = 0; i < N; i++)
        test_submit(e, (size_t)i, &jobs[i]);
    assert_int_equal(engine_pending(e), N);
    bool seen[TEST_NJOBS] = {false};
    for (int i = 0; i < N; i++)
        test_collect_same(e, ref, N, seen);
    assert_int_equal(engine_pending(e), 0);
    test_engine_close(e);
    for (int i = 0; i < N; i++) {
        clip_release(&ref[i]);
        strbuf_release(&text[i]);
    }
}

/* Through the synth facade: --jobs 2 gives what --jobs 1 gives, clips and
 * diagnostics alike, including for a run that cannot be synthesized. */
static void test_synth_jobs_agree(void **state)
{
    struct test_state *st = *state;
    struct synth_job jobs[TEST_NJOBS];
    memcpy(jobs, st->jobs, sizeof(jobs));
    jobs[TEST_NJOBS - 3].voice.variant = "no-such-variant";

    struct diags want;
    diag_init(&want);
    for (int jn = 1; jn <= 2; jn++) {
        struct synth_options o = {.jobs = jn, .file = "talk.md"};
        struct diags d;
        diag_init(&d);
        struct synth *s = test_synth_open(&o, &d);
        assert_int_equal(synth_start(s, jobs, TEST_NJOBS, &d), 0);
        for (int i = 0; i < TEST_NJOBS - 3; i++) {
            struct clip c;
            assert_int_equal(synth_next(s, &c, &d), 0);
            test_same_clip(&c, &st->ref[i]); /* the synth's: not released */
        }
        struct clip c;
        assert_int_equal(synth_next(s, &c, &d), -1);
        /* Nothing after a failure: no run is waited for again, no new
         * diagnostic. */
        size_t n = d.n;
        assert_int_equal(synth_next(s, &c, &d), -1);
        assert_int_equal(d.n, n);
        assert_int_equal(c.n, 0);
        struct synth_stats stats;
        synth_get_stats(s, &stats);
        assert_int_equal(stats.synthesized, TEST_NJOBS - 3);
        assert_int_equal(stats.cached, 0);
        test_synth_close();
        assert_int_equal(d.n, 2);
        assert_int_equal(d.system, 2);
        assert_non_null(strstr(d.v[0].msg, "no-such-variant"));
        assert_int_equal(d.v[1].line, TEST_FIRST_LINE + TEST_NJOBS - 3);
        if (jn == 1) {
            diag_move(&want, &d);
            diag_release(&d);
            continue;
        }
        assert_int_equal(d.n, want.n);
        for (size_t k = 0; k < d.n; k++) {
            assert_string_equal(d.v[k].msg, want.v[k].msg);
            assert_int_equal(d.v[k].line, want.v[k].line);
        }
        diag_release(&d);
    }
    diag_release(&want);
}

/* Two engines open at once: closing the first does not wait for the
 * second, whose helpers must hold none of the first's descriptors (a copy
 * would keep the first's helpers from ever seeing end of file). */
static void test_engine_two_engines(void **state)
{
    struct test_state *st = *state;
    struct engine *a = test_engine_open(2);
    struct engine *b = test_engine_open(2);
    struct diags d;
    diag_init(&d);
    struct clip c;
    for (int i = 0; i < 2; i++) {
        struct engine *e = i == 0 ? a : b;
        assert_int_equal(engine_synth(e, &st->jobs[i].voice, st->jobs[i].text, &c, &d), 0);
        test_same_clip(&c, &st->ref[i]);
        clip_release(&c);
    }
    /* Out of the order test_engine_close() expects: by hand. A hang ends
     * the program with SIGALRM instead of holding up the suite. */
    assert_true(test_nengines == 2 && test_engines[0] == a);
    test_engines[0] = b;
    test_nengines = 1;
    alarm(10);
    double t0 = test_now();
    engine_close(a);
    alarm(0);
    assert_true(test_now() - t0 < 0.5);
    assert_int_equal(engine_synth(b, &st->jobs[2].voice, st->jobs[2].text, &c, &d), 0);
    test_same_clip(&c, &st->ref[2]);
    clip_release(&c);
    assert_true(test_engine_close(b) < 0.5);
    assert_int_equal(d.n, 0);
    diag_release(&d);
}

/* With a cache, --jobs 2 stores every clip it synthesizes where cache_get()
 * finds it, equal to the reference; a second render takes them all from
 * there. */
static void test_synth_fills_cache(void **state)
{
    struct test_state *st = *state;
    enum { N = 12 };
    snprintf(test_cache_dir, sizeof(test_cache_dir), "/tmp/scriptcast-test-engine-XXXXXX");
    if (!mkdtemp(test_cache_dir)) {
        test_cache_dir[0] = '\0';
        fail_msg("mkdtemp: %s", strerror(errno));
    }
    for (int pass = 0; pass < 2; pass++) {
        struct synth_options o = {.jobs = 2, .cache_dir = test_cache_dir, .file = "talk.md"};
        struct diags d;
        diag_init(&d);
        struct synth *s = test_synth_open(&o, &d);
        assert_int_equal(synth_start(s, st->jobs, N, &d), 0);
        for (int i = 0; i < N; i++) {
            struct clip c;
            assert_int_equal(synth_next(s, &c, &d), 0);
            test_same_clip(&c, &st->ref[i]); /* the synth's: not released */
        }
        struct synth_stats stats;
        synth_get_stats(s, &stats);
        assert_int_equal(stats.synthesized, pass == 0 ? N : 0);
        assert_int_equal(stats.cached, pass == 0 ? 0 : N);
        test_synth_close();
        if (d.n)
            diag_print(&d, stderr);
        assert_int_equal(d.n, 0);
        diag_release(&d);
        if (pass > 0)
            break;

        diag_init(&d);
        struct clip_cache *cache = cache_open(test_cache_dir, &d);
        assert_non_null(cache);
        for (size_t i = 0; i < N; i++) {
            struct cache_key k;
            cache_key(&k, engine_name(st->engine), engine_version(st->engine), &st->jobs[i].voice,
                      st->jobs[i].text);
            struct clip c;
            assert_int_equal(cache_get(cache, &k, &c), 1);
            test_same_clip(&c, &st->ref[i]);
            clip_release(&c);
        }
        cache_close(cache);
        assert_int_equal(d.n, 0);
        diag_release(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_engine_matches_reference, test_cleanup),
        cmocka_unit_test_teardown(test_engine_depth_bound, test_cleanup),
        cmocka_unit_test_teardown(test_engine_large_clips, test_cleanup),
        cmocka_unit_test_teardown(test_engine_two_engines, test_cleanup),
        cmocka_unit_test_teardown(test_synth_jobs_agree, test_cleanup),
        cmocka_unit_test_teardown(test_synth_fills_cache, test_cleanup),
    };
    return cmocka_run_group_tests_name("engine", tests, test_group_setup, test_group_teardown);
}
