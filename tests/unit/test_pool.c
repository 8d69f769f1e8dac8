/*
 * Unit tests of the synthesis worker pool: clips from two worker processes
 * must equal, sample for sample and mark for mark, what the engine gives in
 * this process, whatever order they are submitted and waited in; large
 * clips must not deadlock the pipes; a failing voice, a killed worker and
 * an interrupt must end in a diagnostic naming the run (or in nothing at
 * all), never in a hang or a zombie; and workers fill the cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "synth/cache.h"
#include "synth/engine.h"
#include "synth/pool.h"
#include "synth/synth.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_NJOBS 40
#define TEST_WINDOW 8 /* what synth.c dispatches ahead for two workers */
#define TEST_FIRST_LINE 10

static const char *const zh_texts[] = {
    "大家好，欢迎收听本期节目。今天我们来聊一聊人工智能。",
    "这个问题其实很有意思，我想先从历史说起。",
    "二零二三年的时候，很多公司都开始做大模型。",
    "你觉得普通人应该怎么看待这件事情？",
    "我个人的看法是，不要太焦虑，也不要完全不关心。",
    "技术的进步总是比我们想象的要快一些。",
    "好的，那我们休息一下，马上回来。",
    "他说这个产品一共卖出了三百五十万份。",
    "其实很多时候，问题不在于工具，而在于怎么用。",
    "最后，感谢大家的收听，我们下期再见。",
};

static const char *const en_texts[] = {
    "GPT-4o",
    "Hello and welcome back to the show.",
    "Node.js",
    "machine learning",
    "That is a really good question, and I am glad you asked.",
    "All-in",
};

/* Speakers of a Chinese programme and the English voice of each. */
static const struct engine_voice zh_voices[] = {
    {"cmn-latn-pinyin", "m3", 170, 45, 50, 65},
    {"cmn-latn-pinyin", "f2", 175, 68, 55, 65},
    {"cmn-latn-pinyin", NULL, 160, 50, 40, 70},
};
static const struct engine_voice en_voices[] = {
    {"en-us", "m3", 170, 45, 50, 65},
    {"en-us", "f2", 175, 68, 55, 65},
    {"en-us", NULL, 160, 50, 40, 70},
};

struct test_state {
    struct engine *engine;
    struct synth_job jobs[TEST_NJOBS];
    struct clip ref[TEST_NJOBS]; /* what the engine gives in this process */
};

static void test_synth_ref(struct engine *e, const struct synth_job *j, struct clip *out)
{
    struct diags d;
    diag_init(&d);
    int rc = engine_synth(e, &j->voice, j->text, out, &d);
    if (rc != 0)
        diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    diag_release(&d);
}

/* Speakers change every few runs; every third run is a Latin word or
 * sentence in the speaker's English voice, as the plan stage makes them. */
static int test_group_setup(void **state)
{
    struct test_state *st = calloc(1, sizeof(*st));
    struct diags d;
    diag_init(&d);
    /* Before any pool, as synth.c does: forks are cheaper while small. */
    st->engine = engine_open(&d);
    diag_release(&d);
    if (!st->engine)
        return -1;
    for (int i = 0; i < TEST_NJOBS; i++) {
        struct synth_job *j = &st->jobs[i];
        int speaker = (i / 5) % 3;
        if (i % 3 == 2) {
            j->voice = en_voices[speaker];
            j->text = en_texts[i % 6];
        } else {
            j->voice = zh_voices[speaker];
            j->text = zh_texts[i % 10];
        }
        j->line = TEST_FIRST_LINE + i;
        test_synth_ref(st->engine, j, &st->ref[i]);
    }
    *state = st;
    return 0;
}

static int test_group_teardown(void **state)
{
    struct test_state *st = *state;
    for (int i = 0; i < TEST_NJOBS; i++)
        clip_release(&st->ref[i]);
    engine_close(st->engine);
    free(st);
    return 0;
}

static struct pool *test_pool_open(const char *cache_dir)
{
    struct diags d;
    diag_init(&d);
    struct pool *p = pool_open(2, cache_dir, &d);
    if (!p)
        diag_print(&d, stderr);
    assert_non_null(p);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    return p;
}

static void test_same_clip(const struct clip *a, const struct clip *b)
{
    assert_int_equal(a->rate, b->rate);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nmarks, b->nmarks);
    assert_memory_equal(a->samples, b->samples, a->n * sizeof(*a->samples));
    assert_memory_equal(a->marks, b->marks, a->nmarks * sizeof(*a->marks));
}

static void test_submit(struct pool *p, size_t id, const struct synth_job *j)
{
    struct diags d;
    diag_init(&d);
    assert_int_equal(pool_submit(p, id, j, &d), 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
}

/* Waits for id and checks it against the in-process clip. */
static void test_wait_same(struct pool *p, size_t id, const struct clip *ref)
{
    struct diags d;
    diag_init(&d);
    struct clip c;
    int rc = pool_wait(p, id, &c, &d);
    if (rc != 0)
        diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    test_same_clip(&c, ref);
    clip_release(&c);
}

/* True when pid is no child of ours any more: reaped, not a zombie. */
static bool test_reaped(pid_t pid)
{
    return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

/* Open file descriptors of this process, to catch leaked sockets. */
static int test_open_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (readdir(dir))
        n++;
    closedir(dir);
    return n;
}

static double test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The way synth.c drives the pool: a window of runs ahead, taken in order. */
static void test_pool_matches_engine(void **state)
{
    struct test_state *st = *state;
    int fds = test_open_fds();
    struct pool *p = test_pool_open(NULL);
    assert_int_equal(pool_worker_pid(p, 0), -1); /* none until there is work */

    size_t submitted = 0;
    for (size_t next = 0; next < TEST_NJOBS; next++) {
        while (submitted < TEST_NJOBS && submitted < next + TEST_WINDOW) {
            test_submit(p, submitted, &st->jobs[submitted]);
            submitted++;
        }
        test_wait_same(p, next, &st->ref[next]);
    }
    pid_t pids[2] = {pool_worker_pid(p, 0), pool_worker_pid(p, 1)};
    assert_true(pids[0] > 0 && pids[1] > 0 && pids[0] != pids[1]);
    assert_int_equal(pool_worker_pid(p, 2), -1);
    pool_close(p);
    assert_true(test_reaped(pids[0]));
    assert_true(test_reaped(pids[1]));
    assert_int_equal(test_open_fds(), fds);
}

/* Everything submitted first, the last run waited for first: every other
 * result has to be held until it is asked for. */
static void test_pool_out_of_order(void **state)
{
    struct test_state *st = *state;
    struct pool *p = test_pool_open(NULL);
    for (size_t i = 0; i < TEST_NJOBS; i++)
        test_submit(p, i, &st->jobs[i]);
    test_wait_same(p, TEST_NJOBS - 1, &st->ref[TEST_NJOBS - 1]);
    for (size_t i = 0; i < TEST_NJOBS - 1; i++)
        test_wait_same(p, i, &st->ref[i]);
    pool_close(p);
}

/* Clips of megabytes, far more than a socket buffer holds, all in flight at
 * once and collected last first: the parent must keep reading while it
 * writes. */
static void test_pool_large_clips(void **state)
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
    struct pool *p = test_pool_open(NULL);
    for (int i = 0; i < N; i++)
        test_submit(p, (size_t)i, &jobs[i]);
    for (int i = N - 1; i >= 0; i--)
        test_wait_same(p, (size_t)i, &ref[i]);
    pool_close(p);
    for (int i = 0; i < N; i++) {
        clip_release(&ref[i]);
        strbuf_release(&text[i]);
    }
}

/* A worker killed mid-run: that run fails with a diagnostic naming it and
 * the signal, the other worker carries on, and closing is quick and leaves
 * no zombie. */
static void test_pool_worker_killed(void **state)
{
    struct test_state *st = *state;
    struct strbuf long_text = STRBUF_INIT;
    for (int k = 0; k < 20; k++)
        strbuf_adds(&long_text, zh_texts[k % 10]);
    struct synth_job slow = {zh_voices[0], long_text.buf, 12};

    int fds = test_open_fds();
    struct pool *p = test_pool_open(NULL);
    /* Both idle: run 0 goes to worker 1, run 1 to worker 2. */
    test_submit(p, 0, &st->jobs[0]);
    test_submit(p, 1, &slow);
    pid_t pids[2] = {pool_worker_pid(p, 0), pool_worker_pid(p, 1)};
    assert_int_equal(kill(pids[1], SIGKILL), 0);

    test_wait_same(p, 0, &st->ref[0]);
    struct diags d;
    diag_init(&d);
    struct clip c;
    assert_int_equal(pool_wait(p, 1, &c, &d), -1);
    assert_int_equal(c.n, 0);
    assert_null(c.samples);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.system, 1);
    const char *msg = d.v[0].msg;
    assert_non_null(strstr(msg, "worker 2 was killed by signal 9"));
    assert_non_null(strstr(msg, "while synthesizing \"大家好，欢迎收听本期节目。"));
    assert_non_null(strstr(msg, "…\" (line 12)"));
    diag_release(&d);
    assert_int_equal(pool_worker_pid(p, 1), -1);
    assert_true(test_reaped(pids[1]));

    /* The survivor takes everything now. */
    test_submit(p, 2, &st->jobs[2]);
    test_submit(p, 3, &st->jobs[3]);
    test_wait_same(p, 2, &st->ref[2]);
    test_wait_same(p, 3, &st->ref[3]);

    double t0 = test_now();
    pool_close(p);
    assert_true(test_now() - t0 < 0.5);
    assert_true(test_reaped(pids[0]));
    assert_int_equal(test_open_fds(), fds);
    strbuf_release(&long_text);
}

/* Engine helpers a test stopped; killed by the teardown even when the test
 * fails, since a stopped process keeps ctest's output pipe open. */
static pid_t test_stopped[16];
static int test_nstopped;

/* Stops every child of pid (a worker's engine helpers). How many, or -1
 * when /proc does not tell. */
static int test_stop_children(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int child, n = 0;
    while (test_nstopped < 16 && fscanf(f, "%d", &child) == 1) {
        kill(child, SIGSTOP);
        test_stopped[test_nstopped++] = child;
        n++;
    }
    fclose(f);
    return n;
}

static int test_kill_stopped(void **state)
{
    (void)state;
    for (int i = 0; i < test_nstopped; i++)
        kill(test_stopped[i], SIGKILL); /* orphans by now, reaped by init */
    test_nstopped = 0;
    return 0;
}

/* A worker killed while the engine helper it waits on, which holds a copy
 * of the worker's socket, is stopped: no end of file comes, yet the run
 * fails with the signal named (the pool checks on its workers while it
 * waits) and nothing hangs. */
static void test_pool_worker_killed_engine_stuck(void **state)
{
    struct test_state *st = *state;
    struct pool *p = test_pool_open(NULL);
    /* Both workers get a helper for this voice. */
    test_submit(p, 0, &st->jobs[0]);
    test_submit(p, 1, &st->jobs[0]);
    test_wait_same(p, 0, &st->ref[0]);
    test_wait_same(p, 1, &st->ref[0]);
    pid_t worker = pool_worker_pid(p, 1);
    if (test_stop_children(worker) <= 0) {
        pool_close(p);
        skip(); /* no /proc/PID/task/PID/children here */
    }
    /* Worker 1 is as busy as worker 2 after the first, so the second goes
     * to worker 2, which waits for its stopped helper. */
    test_submit(p, 2, &st->jobs[0]);
    test_submit(p, 3, &st->jobs[0]);
    assert_int_equal(kill(worker, SIGKILL), 0);

    test_wait_same(p, 2, &st->ref[0]);
    double t0 = test_now();
    struct diags d;
    diag_init(&d);
    struct clip c;
    assert_int_equal(pool_wait(p, 3, &c, &d), -1);
    assert_true(test_now() - t0 < 3.0);
    assert_int_equal(d.system, 1);
    assert_non_null(strstr(d.v[0].msg, "worker 2 was killed by signal 9"));
    diag_release(&d);
    assert_true(test_reaped(worker));

    t0 = test_now();
    pool_close(p);
    assert_true(test_now() - t0 < 0.5);
}

/* With every worker gone, runs still queued fail in order with a reason. */
static void test_pool_all_workers_killed(void **state)
{
    struct test_state *st = *state;
    struct pool *p = test_pool_open(NULL);
    test_submit(p, 0, &st->jobs[0]); /* starts the workers */
    for (int i = 0; i < 2; i++) {
        pid_t pid = pool_worker_pid(p, i);
        kill(pid, SIGKILL);
    }
    for (size_t i = 1; i < 6; i++)
        test_submit(p, i, &st->jobs[i]);
    struct clip c;
    struct diags d;
    diag_init(&d);
    if (pool_wait(p, 0, &c, &d) == 0) /* it may have been done already */
        clip_release(&c);
    diag_release(&d);
    for (size_t i = 1; i < 6; i++) {
        diag_init(&d);
        assert_int_equal(pool_wait(p, i, &c, &d), -1);
        assert_int_equal(d.system, 1);
        assert_non_null(strstr(d.v[0].msg, "was killed by signal 9"));
        char line[32];
        snprintf(line, sizeof(line), "(line %d)", st->jobs[i].line);
        assert_non_null(strstr(d.v[0].msg, line));
        diag_release(&d);
    }
    double t0 = test_now();
    pool_close(p);
    assert_true(test_now() - t0 < 0.5);
}

/* An unknown voice fails that run with the engine's own diagnostic, word
 * for word as in this process, and the worker goes on with the next. */
static void test_pool_unknown_voice(void **state)
{
    struct test_state *st = *state;
    struct synth_job bad = {{"xx-no-such-voice", NULL, 170, 50, 50, 100}, "你好。", 7};

    struct diags want;
    diag_init(&want);
    struct clip c;
    assert_int_equal(engine_synth(st->engine, &bad.voice, bad.text, &c, &want), -1);
    assert_int_equal(want.n, 1);

    struct pool *p = test_pool_open(NULL);
    test_submit(p, 0, &bad);
    test_submit(p, 1, &st->jobs[1]);
    struct diags d;
    diag_init(&d);
    assert_int_equal(pool_wait(p, 0, &c, &d), -1);
    assert_int_equal(c.n, 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].level, DIAG_SYSTEM);
    assert_string_equal(d.v[0].msg, want.v[0].msg);
    assert_non_null(strstr(d.v[0].msg, "xx-no-such-voice"));
    diag_release(&d);
    diag_release(&want);
    test_wait_same(p, 1, &st->ref[1]);
    pool_close(p);
}

/* Ctrl-C is the parent's business: a worker that gets SIGINT keeps going. */
static void test_pool_ignores_sigint(void **state)
{
    struct test_state *st = *state;
    struct pool *p = test_pool_open(NULL);
    test_submit(p, 0, &st->jobs[0]); /* starts the workers */
    kill(pool_worker_pid(p, 0), SIGINT);
    kill(pool_worker_pid(p, 1), SIGINT);
    for (size_t i = 1; i < 4; i++)
        test_submit(p, i, &st->jobs[i]);
    for (size_t i = 0; i < 4; i++)
        test_wait_same(p, i, &st->ref[i]);
    pool_close(p);
}

/* Workers store what they synthesize where this process then finds it. */
static void test_pool_fills_cache(void **state)
{
    struct test_state *st = *state;
    char dir[] = "/tmp/scriptcast-test-pool-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct pool *p = test_pool_open(dir);
    for (size_t i = 0; i < 6; i++)
        test_submit(p, i, &st->jobs[i]);
    for (size_t i = 0; i < 6; i++)
        test_wait_same(p, i, &st->ref[i]);
    pool_close(p);

    struct diags d;
    diag_init(&d);
    struct clip_cache *cache = cache_open(dir, &d);
    assert_non_null(cache);
    for (size_t i = 0; i < 6; i++) {
        struct cache_key k;
        cache_key(&k, engine_name(st->engine), engine_version(st->engine), &st->jobs[i].voice,
                  st->jobs[i].text);
        struct clip c;
        assert_int_equal(cache_get(cache, &k, &c), 1);
        test_same_clip(&c, &st->ref[i]);
        clip_release(&c);
    }
    cache_close(cache);
    diag_release(&d);
    char cmd[sizeof(dir) + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
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
        struct synth *s = synth_open(&o, &d);
        assert_non_null(s);
        assert_int_equal(synth_start(s, jobs, TEST_NJOBS, &d), 0);
        for (int i = 0; i < TEST_NJOBS - 3; i++) {
            struct clip c;
            assert_int_equal(synth_next(s, &c, &d), 0);
            test_same_clip(&c, &st->ref[i]);
            clip_release(&c);
        }
        struct clip c;
        assert_int_equal(synth_next(s, &c, &d), -1);
        synth_close(s);
        assert_int_equal(d.system, 2);
        if (jn == 1) {
            diag_move(&want, &d);
            continue;
        }
        assert_int_equal(d.n, want.n);
        for (size_t k = 0; k < d.n; k++) {
            assert_string_equal(d.v[k].msg, want.v[k].msg);
            assert_int_equal(d.v[k].line, want.v[k].line);
        }
        assert_int_equal(d.v[1].line, TEST_FIRST_LINE + TEST_NJOBS - 3);
        diag_release(&d);
    }
    diag_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_matches_engine),
        cmocka_unit_test(test_pool_out_of_order),
        cmocka_unit_test(test_pool_large_clips),
        cmocka_unit_test(test_pool_worker_killed),
        cmocka_unit_test_teardown(test_pool_worker_killed_engine_stuck, test_kill_stopped),
        cmocka_unit_test(test_pool_all_workers_killed),
        cmocka_unit_test(test_pool_unknown_voice),
        cmocka_unit_test(test_pool_ignores_sigint),
        cmocka_unit_test(test_pool_fills_cache),
        cmocka_unit_test(test_synth_jobs_agree),
    };
    return cmocka_run_group_tests_name("pool", tests, test_group_setup, test_group_teardown);
}
