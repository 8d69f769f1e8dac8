/*
 * Unit tests of the engine's concurrency: an engine synthesizing several
 * runs at once must give, sample for sample and mark for mark, what a
 * depth-1 engine gives one run at a time (engine_synth()), whatever order
 * the runs finish and are collected in; it must take no more than `depth`
 * runs and say so; clips of megabytes must all be in flight at once; a run
 * process or a helper killed, an unknown voice and an interrupt must end in
 * a diagnostic naming the run (or in nothing at all), never in a hang, a
 * leaked descriptor or a zombie, and the engine must go on; and through the
 * synth facade, --jobs 2 must give what --jobs 1 gives and fill the cache.
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

#include "synth/cache.h"
#include "synth/engine.h"
#include "synth/synth.h"
#include "tmpdir.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_NJOBS 40
#define TEST_FIRST_LINE 10
#define TEST_NPAIRS 6 /* voice+variant pairs among the jobs */

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
    struct engine *engine; /* depth 1: the reference */
    struct synth_job jobs[TEST_NJOBS];
    struct clip ref[TEST_NJOBS]; /* what engine_synth() gives, one run at a time */
};

static void test_synth_ref(struct engine *e, const struct synth_job *j, struct clip *out)
{
    struct diags d;
    diag_init(&d);
    int rc = engine_synth(e, &j->voice, j->text, out, &d);
    if (rc != 0)
        diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
}

/* Speakers change every few runs; every third run is a Latin word or
 * sentence in the speaker's English voice, as the plan stage makes them. */
static int test_group_setup(void **state)
{
    struct test_state *st = calloc(1, sizeof(*st));
    struct diags d;
    diag_init(&d);
    st->engine = engine_open(1, 0, &d);
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

/* The first job whose voice is v (the same entry of zh_voices or
 * en_voices). */
static size_t test_job_with(const struct test_state *st, const struct engine_voice *v)
{
    for (size_t i = 0; i < TEST_NJOBS; i++)
        if (st->jobs[i].voice.voice == v->voice && st->jobs[i].voice.variant == v->variant &&
            st->jobs[i].voice.rate == v->rate)
            return i;
    fail_msg("no job has voice %s", v->voice);
    return 0;
}

static double test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/*
 * Engines and synths a test opened and has not closed yet, closed by the
 * teardown when the test fails: a helper keeps copies of the sockets of
 * every engine opened before its own, so one left open would make closing
 * the reference engine wait forever.
 */
static struct engine *test_engines[4];
static int test_nengines;
static struct synth *test_synth;
/* A long run's text and the diagnostic a test expects for it. */
static struct strbuf test_text = STRBUF_INIT, test_want = STRBUF_INIT;
/* The cache folder of test_synth_fills_cache, removed by the teardown. */
static char test_cache_dir[64];

static struct engine *test_engine_open(int depth)
{
    struct diags d;
    diag_init(&d);
    assert_true(test_nengines < 4);
    struct engine *e = engine_open(depth, 0, &d);
    if (!e)
        diag_print(&d, stderr);
    assert_non_null(e);
    test_engines[test_nengines++] = e;
    assert_int_equal(d.n, 0);
    diag_release(&d);
    assert_int_equal(engine_pending(e), 0);
    return e;
}

/* Closes e (the last engine the test opened). How long it took, in
 * seconds. */
static double test_engine_close(struct engine *e)
{
    assert_true(test_nengines > 0 && test_engines[test_nengines - 1] == e);
    test_nengines--;
    double t0 = test_now();
    engine_close(e);
    return test_now() - t0;
}

static struct synth *test_synth_open(const struct synth_options *o, struct diags *d)
{
    assert_null(test_synth);
    test_synth = synth_open(o, d);
    if (!test_synth)
        diag_print(d, stderr);
    assert_non_null(test_synth);
    return test_synth;
}

static void test_synth_close(void)
{
    struct synth *s = test_synth;
    test_synth = NULL;
    synth_close(s);
}

static void test_same_clip(const struct clip *a, const struct clip *b)
{
    assert_int_equal(a->rate, b->rate);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nmarks, b->nmarks);
    assert_memory_equal(a->samples, b->samples, a->n * sizeof(*a->samples));
    assert_memory_equal(a->marks, b->marks, a->nmarks * sizeof(*a->marks));
}

/* Submits a run the engine must take now. */
static void test_submit(struct engine *e, size_t tag, const struct synth_job *j)
{
    struct diags d;
    diag_init(&d);
    int rc = engine_submit(e, tag, &j->voice, j->text, &d);
    if (d.n)
        diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
}

/* Collects whichever run is done; it must have succeeded, have one of the
 * n tags not seen yet, and equal that tag's reference. Its tag. */
static size_t test_collect_same(struct engine *e, const struct clip *ref, size_t n, bool *seen)
{
    struct diags d;
    diag_init(&d);
    struct clip c;
    size_t tag;
    int rc = engine_collect(e, &tag, &c, &d);
    if (rc != 0)
        diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    assert_true(tag < n);
    assert_false(seen[tag]);
    seen[tag] = true;
    test_same_clip(&c, &ref[tag]);
    clip_release(&c);
    return tag;
}

/* Collects one run that must fail, with exactly the diagnostic want. Its
 * tag. */
static size_t test_collect_failed(struct engine *e, const char *want)
{
    struct diags d;
    diag_init(&d);
    struct clip c;
    size_t tag;
    assert_int_equal(engine_collect(e, &tag, &c, &d), -1);
    assert_int_equal(c.n, 0);
    assert_null(c.samples);
    assert_null(c.marks);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.system, 1);
    assert_int_equal(d.v[0].level, DIAG_SYSTEM);
    assert_string_equal(d.v[0].msg, want);
    diag_release(&d);
    return tag;
}

/*
 * Drives e the way synth.c does: runs submitted in order while the engine
 * takes them (engine_submit() 0); when it says it has no room (1), or when
 * everything is submitted, one run is collected, whichever is done. Every
 * clip must equal its reference. How often the engine had no room.
 */
static size_t test_drive(struct engine *e, int depth, const struct synth_job *jobs,
                         const struct clip *ref, size_t n)
{
    bool seen[TEST_NJOBS] = {false};
    assert_true(n <= TEST_NJOBS);
    size_t next = 0, got = 0, full = 0;
    while (got < n) {
        while (next < n) {
            struct diags d;
            diag_init(&d);
            int rc = engine_submit(e, next, &jobs[next].voice, jobs[next].text, &d);
            if (d.n)
                diag_print(&d, stderr);
            assert_int_equal(d.n, 0);
            diag_release(&d);
            if (rc == 1) {
                /* Never short of helpers here: fewer pairs than it keeps. */
                assert_int_equal(engine_pending(e), (size_t)depth);
                full++;
                break;
            }
            assert_int_equal(rc, 0);
            next++;
            assert_true(engine_pending(e) <= (size_t)depth);
        }
        size_t before = engine_pending(e);
        size_t tag = test_collect_same(e, ref, n, seen);
        assert_true(tag < next);
        assert_int_equal(engine_pending(e), before - 1);
        got++;
    }
    assert_int_equal(engine_pending(e), 0);
    return full;
}

/* True when pid is no child of ours any more: reaped, not a zombie. */
static bool test_reaped(pid_t pid)
{
    return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

/* True when pid is a child of ours still running (not exited, not
 * reaped). */
static bool test_alive(pid_t pid)
{
    return waitpid(pid, NULL, WNOHANG) == 0;
}

/* True when no process pid exists any more (a grandchild its parent has
 * reaped). */
static bool test_gone(pid_t pid)
{
    return kill(pid, 0) < 0 && errno == ESRCH;
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

/* ---- processes ----------------------------------------------------------- */

#define TEST_MAX_PIDS 64

struct test_pids {
    pid_t v[TEST_MAX_PIDS];
    int n;
};

/* The children of pid (whose only thread has the id pid), zombies
 * included. How many, or -1 when /proc does not tell. */
static int test_children(pid_t pid, struct test_pids *out)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
    out->n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int child;
    while (out->n < TEST_MAX_PIDS && fscanf(f, "%d", &child) == 1)
        out->v[out->n++] = child;
    fclose(f);
    return out->n;
}

static bool test_has(const struct test_pids *s, pid_t pid)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i] == pid)
            return true;
    return false;
}

/* The children of this process not in before: the helpers of the engines
 * opened since. How many. */
static int test_new_children(const struct test_pids *before, struct test_pids *out)
{
    struct test_pids now;
    assert_true(test_children(getpid(), &now) >= 0);
    out->n = 0;
    for (int i = 0; i < now.n; i++)
        if (!test_has(before, now.v[i]))
            out->v[out->n++] = now.v[i];
    return out->n;
}

/* Synthesizes job j with e, which must start exactly one helper for it
 * (its voice is new to e): that helper's pid. */
static pid_t test_start_helper(struct engine *e, const struct test_state *st, size_t j)
{
    struct test_pids before, added;
    assert_true(test_children(getpid(), &before) >= 0);
    struct clip c;
    test_synth_ref(e, &st->jobs[j], &c);
    test_same_clip(&c, &st->ref[j]);
    clip_release(&c);
    assert_int_equal(test_new_children(&before, &added), 1);
    return added.v[0];
}

/* Sends sig to every process in s. */
static void test_signal_all(const struct test_pids *s, int sig)
{
    for (int i = 0; i < s->n; i++)
        assert_int_equal(kill(s->v[i], sig), 0);
}

/* The state letter of process pid in /proc/PID/stat ('R', 'S', 'T', 'Z'
 * ...), or 0 when it is gone; *cpu (if not NULL) gets the CPU time it has
 * used, in seconds. */
static char test_proc_state(pid_t pid, double *cpu)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    char state = 0;
    unsigned long utime = 0, stime = 0;
    if (fgets(line, sizeof(line), f)) {
        const char *paren = strrchr(line, ')'); /* the name may hold spaces */
        if (!paren || sscanf(paren + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                             &state, &utime, &stime) != 3)
            state = 0;
    }
    fclose(f);
    if (cpu)
        *cpu = (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
    return state;
}

/*
 * Waits (5 s at most) until a child of helper has used 0.1 s of CPU: the
 * process of the long run just handed out (a spare waits without using
 * any, and the runs before were short ones). Its pid. Measured in CPU
 * time, the run is caught about a fifth of the way through however
 * loaded the machine is.
 */
static pid_t test_wait_running(pid_t helper)
{
    double t0 = test_now();
    do {
        struct test_pids kids;
        assert_true(test_children(helper, &kids) >= 0);
        for (int i = 0; i < kids.n; i++) {
            double cpu;
            char c = test_proc_state(kids.v[i], &cpu);
            if (c && c != 'Z' && c != 'X' && cpu >= 0.1)
                return kids.v[i];
        }
        test_sleep_ms(1);
    } while (test_now() - t0 < 5.0);
    fail_msg("no run process of helper %d got going in 5 s", (int)helper);
    return -1;
}

/* Waits (3 s at most) until helper has a child besides run: the next
 * spare, forked once the run was handed out. The helper's children. */
static void test_wait_spare(pid_t helper, pid_t run, struct test_pids *kids)
{
    double t0 = test_now();
    do {
        assert_true(test_children(helper, kids) >= 0);
        for (int i = 0; i < kids->n; i++)
            if (kids->v[i] != run)
                return;
        test_sleep_ms(1);
    } while (test_now() - t0 < 3.0);
    fail_msg("helper %d forked no spare in 3 s", (int)helper);
}

/* Waits (3 s at most) until pid has died (a zombie or gone): its sockets
 * are closed then. */
static void test_wait_dead(pid_t pid)
{
    double t0 = test_now();
    char c;
    while ((c = test_proc_state(pid, NULL)) != 0 && c != 'Z' && c != 'X' && test_now() - t0 < 3.0)
        test_sleep_ms(1);
    assert_true(c == 0 || c == 'Z' || c == 'X');
}

/* Run processes a test stopped; killed by the teardown even when the test
 * fails, since a stopped process keeps ctest's output pipe open. */
static pid_t test_stopped[16];
static int test_nstopped;

/* Stops pid and waits (3 s at most) until it is stopped. */
static void test_stop(pid_t pid)
{
    assert_true(test_nstopped < 16);
    assert_int_equal(kill(pid, SIGSTOP), 0);
    test_stopped[test_nstopped++] = pid;
    double t0 = test_now();
    while (test_proc_state(pid, NULL) != 'T' && test_now() - t0 < 3.0)
        test_sleep_ms(1);
    assert_int_equal(test_proc_state(pid, NULL), 'T');
}

/* The teardown of every test: whatever a failed test left behind. */
static int test_cleanup(void **state)
{
    (void)state;
    for (int i = 0; i < test_nstopped; i++)
        kill(test_stopped[i], SIGKILL); /* orphans by now */
    test_nstopped = 0;
    while (test_nengines > 0)
        engine_close(test_engines[--test_nengines]);
    test_synth_close();
    strbuf_release(&test_text);
    strbuf_release(&test_want);
    if (test_cache_dir[0])
        tmpdir_remove_tree(test_cache_dir);
    test_cache_dir[0] = '\0';
    return 0;
}

/* What the engine quotes of a run: its first 48 characters, then "…". */
static void test_excerpt(struct strbuf *sb, const char *text)
{
    const char *p = text;
    for (int chars = 0; *p && chars < 48; chars++) {
        const char *from = p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        strbuf_add(sb, from, (size_t)(p - from));
    }
    if (*p)
        strbuf_adds(sb, "…");
}

/* The diagnostic of a failed run, in sb. */
static void test_run_failure(struct strbuf *sb, const char *voice, const char *text,
                             const char *why)
{
    strbuf_reset(sb);
    strbuf_adds(sb, "espeak-ng cannot say \"");
    test_excerpt(sb, text);
    strbuf_addf(sb, "\" with voice %s: %s", voice, why);
}

/* A run long enough (about 0.5 s of synthesis, fourteen minutes of audio)
 * to be caught while it is going, in sb. */
static void test_long_text(struct strbuf *sb)
{
    strbuf_reset(sb);
    for (int k = 0; k < 160; k++)
        strbuf_adds(sb, zh_texts[k % 10]);
}

/* ---- tests --------------------------------------------------------------- */

/* Closes e quickly, and with it every helper and run process it had and
 * every descriptor it opened (fds: the count before it was opened). */
static void test_close_all_gone(struct engine *e, const struct test_pids *helpers,
                                const struct test_pids *grand, int fds)
{
    assert_true(test_engine_close(e) < 0.5);
    for (int i = 0; i < helpers->n; i++)
        assert_true(test_reaped(helpers->v[i]));
    for (int i = 0; i < grand->n; i++)
        assert_true(test_gone(grand->v[i]));
    assert_int_equal(test_open_fds(), fds);
}

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
        cmocka_unit_test_teardown(test_engine_run_process_killed, test_cleanup),
        cmocka_unit_test_teardown(test_engine_helper_killed, test_cleanup),
        cmocka_unit_test_teardown(test_engine_close_abandons_runs, test_cleanup),
        cmocka_unit_test_teardown(test_engine_unknown_voice, test_cleanup),
        cmocka_unit_test_teardown(test_engine_ignores_sigint, test_cleanup),
        cmocka_unit_test_teardown(test_engine_two_engines, test_cleanup),
        cmocka_unit_test_teardown(test_synth_jobs_agree, test_cleanup),
        cmocka_unit_test_teardown(test_synth_fills_cache, test_cleanup),
    };
    return cmocka_run_group_tests_name("engine", tests, test_group_setup, test_group_teardown);
}
