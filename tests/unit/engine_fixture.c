/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The engine tests' shared fixture (contract in engine_fixture.h): the runs
 * and their reference clips, the engines and synth a test has open (for the
 * teardown), and the helpers that find, stop and wait for the engine's
 * processes through /proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "synth/cache.h"
#include "synth/engine.h"
#include "synth/synth.h"
#include "engine_fixture.h"
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

const char *const zh_texts[] = {
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

const char *const en_texts[] = {
    "GPT-4o",
    "Hello and welcome back to the show.",
    "Node.js",
    "machine learning",
    "That is a really good question, and I am glad you asked.",
    "All-in",
};

/* Speakers of a Chinese programme and the English voice of each. */
const struct engine_voice zh_voices[] = {
    {"cmn-latn-pinyin", "m3", 170, 45, 50, 65},
    {"cmn-latn-pinyin", "f2", 175, 68, 55, 65},
    {"cmn-latn-pinyin", NULL, 160, 50, 40, 70},
};
const struct engine_voice en_voices[] = {
    {"en-us", "m3", 170, 45, 50, 65},
    {"en-us", "f2", 175, 68, 55, 65},
    {"en-us", NULL, 160, 50, 40, 70},
};

void test_synth_ref(struct engine *e, const struct synth_job *j, struct clip *out)
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
int test_group_setup(void **state)
{
    struct test_state *st = calloc(1, sizeof(*st));
    struct diags d;
    diag_init(&d);
    st->engine = engine_open(1, 0, 0, &d);
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

int test_group_teardown(void **state)
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
size_t test_job_with(const struct test_state *st, const struct engine_voice *v)
{
    for (size_t i = 0; i < TEST_NJOBS; i++)
        if (st->jobs[i].voice.voice == v->voice && st->jobs[i].voice.variant == v->variant &&
            st->jobs[i].voice.rate == v->rate)
            return i;
    fail_msg("no job has voice %s", v->voice);
    return 0;
}

double test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void test_sleep_ms(long ms)
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
struct engine *test_engines[4];
int test_nengines;
struct synth *test_synth;
/* A long run's text and the diagnostic a test expects for it. */
struct strbuf test_text = STRBUF_INIT, test_want = STRBUF_INIT;
/* The cache folder of test_synth_fills_cache, removed by the teardown. */
char test_cache_dir[64];

struct engine *test_engine_open(int depth)
{
    return test_engine_open_turns(depth, 0);
}

struct engine *test_engine_open_turns(int depth, int turns)
{
    struct diags d;
    diag_init(&d);
    assert_true(test_nengines < 4);
    struct engine *e = engine_open(depth, turns, 0, &d);
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
double test_engine_close(struct engine *e)
{
    assert_true(test_nengines > 0 && test_engines[test_nengines - 1] == e);
    test_nengines--;
    double t0 = test_now();
    engine_close(e);
    return test_now() - t0;
}

struct synth *test_synth_open(const struct synth_options *o, struct diags *d)
{
    assert_null(test_synth);
    test_synth = synth_open(o, d);
    if (!test_synth)
        diag_print(d, stderr);
    assert_non_null(test_synth);
    return test_synth;
}

void test_synth_close(void)
{
    struct synth *s = test_synth;
    test_synth = NULL;
    synth_close(s);
}

void test_same_clip(const struct clip *a, const struct clip *b)
{
    assert_int_equal(a->rate, b->rate);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nmarks, b->nmarks);
    assert_memory_equal(a->samples, b->samples, a->n * sizeof(*a->samples));
    assert_memory_equal(a->marks, b->marks, a->nmarks * sizeof(*a->marks));
}

/* Submits a run the engine must take now. */
void test_submit(struct engine *e, size_t tag, const struct synth_job *j)
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
size_t test_collect_same(struct engine *e, const struct clip *ref, size_t n, bool *seen)
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
size_t test_collect_failed(struct engine *e, const char *want)
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
size_t test_drive(struct engine *e, int depth, const struct synth_job *jobs, const struct clip *ref,
                  size_t n)
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
bool test_reaped(pid_t pid)
{
    return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

/* True when pid is a child of ours still running (not exited, not
 * reaped). */
bool test_alive(pid_t pid)
{
    return waitpid(pid, NULL, WNOHANG) == 0;
}

/* True when no process pid exists any more (a grandchild its parent has
 * reaped). */
bool test_gone(pid_t pid)
{
    return kill(pid, 0) < 0 && errno == ESRCH;
}

/* Open file descriptors of this process, to catch leaked sockets. */
int test_open_fds(void)
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

/* The children of pid (whose only thread has the id pid), zombies
 * included. How many, or -1 when /proc does not tell. */
int test_children(pid_t pid, struct test_pids *out)
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

bool test_has(const struct test_pids *s, pid_t pid)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i] == pid)
            return true;
    return false;
}

/* The children of this process not in before: the helpers of the engines
 * opened since. How many. */
int test_new_children(const struct test_pids *before, struct test_pids *out)
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
pid_t test_start_helper(struct engine *e, const struct test_state *st, size_t j)
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
void test_signal_all(const struct test_pids *s, int sig)
{
    for (int i = 0; i < s->n; i++)
        assert_int_equal(kill(s->v[i], sig), 0);
}

/* The state letter of process pid in /proc/PID/stat ('R', 'S', 'T', 'Z'
 * ...), or 0 when it is gone; *cpu (if not NULL) gets the CPU time it has
 * used, in seconds. */
char test_proc_state(pid_t pid, double *cpu)
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
pid_t test_wait_running(pid_t helper)
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
void test_wait_spare(pid_t helper, pid_t run, struct test_pids *kids)
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
void test_wait_dead(pid_t pid)
{
    double t0 = test_now();
    char c;
    while ((c = test_proc_state(pid, NULL)) != 0 && c != 'Z' && c != 'X' && test_now() - t0 < 3.0)
        test_sleep_ms(1);
    assert_true(c == 0 || c == 'Z' || c == 'X');
}

/* Run processes a test stopped; killed by the teardown even when the test
 * fails, since a stopped process keeps ctest's output pipe open. */
pid_t test_stopped[16];
int test_nstopped;

/* Stops pid and waits (3 s at most) until it is stopped. */
void test_stop(pid_t pid)
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
int test_cleanup(void **state)
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
void test_excerpt(struct strbuf *sb, const char *text)
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
void test_run_failure(struct strbuf *sb, const char *voice, const char *text, const char *why)
{
    strbuf_reset(sb);
    strbuf_adds(sb, "espeak-ng cannot say \"");
    test_excerpt(sb, text);
    strbuf_addf(sb, "\" with voice %s: %s", voice, why);
}

/* A run long enough (about 0.5 s of synthesis, fourteen minutes of audio)
 * to be caught while it is going, in sb. */
void test_long_text(struct strbuf *sb)
{
    strbuf_reset(sb);
    for (int k = 0; k < 160; k++)
        strbuf_adds(sb, zh_texts[k % 10]);
}

/* ---- checks -------------------------------------------------------------- */

/* Closes e quickly, and with it every helper and run process it had and
 * every descriptor it opened (fds: the count before it was opened). */
void test_close_all_gone(struct engine *e, const struct test_pids *helpers,
                         const struct test_pids *grand, int fds)
{
    assert_true(test_engine_close(e) < 0.5);
    for (int i = 0; i < helpers->n; i++)
        assert_true(test_reaped(helpers->v[i]));
    for (int i = 0; i < grand->n; i++)
        assert_true(test_gone(grand->v[i]));
    assert_int_equal(test_open_fds(), fds);
}
