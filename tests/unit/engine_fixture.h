/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fixture the engine tests share (test_engine.c, test_engine_faults.c):
 * forty runs in three Chinese voices and their English ones, each run's
 * reference clip from a depth-1 engine (the group setup), and helpers to
 * drive engines, find their processes through /proc, stop and kill them,
 * and check that nothing is left behind.
 *
 * Contract: test_group_setup()/test_group_teardown() make and free the
 * struct test_state every test gets; test_cleanup() is every test's
 * teardown and closes what a failed test left open (engines from
 * test_engine_open(), the synth from test_synth_open(), stopped processes,
 * test_text and test_want, test_cache_dir).
 */
#ifndef SCRIPTCAST_TEST_ENGINE_FIXTURE_H
#define SCRIPTCAST_TEST_ENGINE_FIXTURE_H

#include "synth/engine.h"
#include "synth/synth.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TEST_NJOBS 40
#define TEST_FIRST_LINE 10
#define TEST_NPAIRS 6 /* voice+variant pairs among the jobs */

struct test_state {
    struct engine *engine; /* depth 1: the reference */
    struct synth_job jobs[TEST_NJOBS];
    struct clip ref[TEST_NJOBS]; /* what engine_synth() gives, one run at a time */
};

#define TEST_MAX_PIDS 64

struct test_pids {
    pid_t v[TEST_MAX_PIDS];
    int n;
};

extern const char *const zh_texts[];
extern const char *const en_texts[];
extern const struct engine_voice zh_voices[];
extern const struct engine_voice en_voices[];
extern struct engine *test_engines[4];
extern int test_nengines;
extern struct synth *test_synth;
extern struct strbuf test_text, test_want;
extern char test_cache_dir[64];
extern pid_t test_stopped[16];
extern int test_nstopped;

void test_synth_ref(struct engine *e, const struct synth_job *j, struct clip *out);
int test_group_setup(void **state);
int test_group_teardown(void **state);
size_t test_job_with(const struct test_state *st, const struct engine_voice *v);
double test_now(void);
void test_sleep_ms(long ms);
struct engine *test_engine_open(int depth);
struct engine *test_engine_open_turns(int depth, int turns);
double test_engine_close(struct engine *e);
struct synth *test_synth_open(const struct synth_options *o, struct diags *d);
void test_synth_close(void);
void test_same_clip(const struct clip *a, const struct clip *b);
void test_submit(struct engine *e, size_t tag, const struct synth_job *j);
size_t test_collect_same(struct engine *e, const struct clip *ref, size_t n, bool *seen);
size_t test_collect_failed(struct engine *e, const char *want);
size_t test_drive(struct engine *e, int depth, const struct synth_job *jobs, const struct clip *ref,
                  size_t n);
bool test_reaped(pid_t pid);
bool test_alive(pid_t pid);
bool test_gone(pid_t pid);
int test_open_fds(void);
int test_children(pid_t pid, struct test_pids *out);
bool test_has(const struct test_pids *s, pid_t pid);
int test_new_children(const struct test_pids *before, struct test_pids *out);
pid_t test_start_helper(struct engine *e, const struct test_state *st, size_t j);
void test_signal_all(const struct test_pids *s, int sig);
char test_proc_state(pid_t pid, double *cpu);
pid_t test_wait_running(pid_t helper);
void test_wait_spare(pid_t helper, pid_t run, struct test_pids *kids);
void test_wait_dead(pid_t pid);
void test_stop(pid_t pid);
int test_cleanup(void **state);
void test_excerpt(struct strbuf *sb, const char *text);
void test_run_failure(struct strbuf *sb, const char *voice, const char *text, const char *why);
void test_long_text(struct strbuf *sb);
void test_close_all_gone(struct engine *e, const struct test_pids *helpers,
                         const struct test_pids *grand, int fds);

#endif
