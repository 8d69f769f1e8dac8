/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The synth stage as the assembler sees it: give it every run of a plan, in
 * order, and take the clips back one by one in the same order. Behind this
 * interface clips come from the clip cache or from the engine, which makes
 * up to `jobs` runs at once, each in a process of its own (espeak-ng keeps
 * global state: threads are not an option). Callers never know which.
 *
 * Contract: synth_open() returns a handle closed by synth_close(). Jobs
 * passed to synth_start() are borrowed until the last synth_next(). A clip
 * from synth_next() belongs to the synth and stays valid until the next
 * synth_next() or synth_close(); the caller never releases it (its arrays
 * serve every clip in turn, allocated once for the longest). At most a
 * bounded window of clips is held at any time, whatever the plan's length,
 * and the clips made ahead wait in the engine, not here.
 */
#ifndef SCRIPTCAST_SYNTH_H
#define SCRIPTCAST_SYNTH_H

#include <stddef.h>

#include "synth/engine.h"

struct diags;

struct synth_job {
    struct engine_voice voice;
    const char *text;
    int line; /* source line, for diagnostics naming the run */
};

struct synth_options {
    int jobs;              /* runs synthesized at once */
    const char *cache_dir; /* NULL: no cache */
    const char *file;      /* transcript, for diagnostics */
    int verbosity;         /* 1: print each run synthesized or taken from the cache */
    struct engine *engine; /* an engine to use (borrowed; opened with the depth
                              synth_engine_depth(jobs), synth_engine_turns(jobs) and
                              synth_engine_hold(jobs)), or NULL to open one */
};

struct synth_stats {
    size_t synthesized;
    size_t cached;
};

struct synth;

/* The depth, turns and hold (engine_open()) of the engine for `jobs`. */
int synth_engine_depth(int jobs);
int synth_engine_turns(int jobs);
int synth_engine_hold(int jobs);

struct synth *synth_open(const struct synth_options *o, struct diags *d);
void synth_close(struct synth *s);
int synth_rate(const struct synth *s);

/* Sets the runs to produce, in order. 0, or -1 with a diagnostic. */
int synth_start(struct synth *s, const struct synth_job *jobs, size_t n, struct diags *d);

/* The same with job i made on demand by get(ctx, i, out), so that a long
 * programme needs no array of every run. Each job is asked for once, in
 * increasing order; its text is copied at once (it need not outlive the
 * call), the voice's strings must stay valid until the last synth_next(). */
typedef void (*synth_job_fn)(void *ctx, size_t i, struct synth_job *out);
int synth_start_with(struct synth *s, size_t n, synth_job_fn get, void *ctx, struct diags *d);
/* The next clip in order. 0, or -1 with a DIAG_SYSTEM diagnostic naming the
 * run (its source line and text) when the engine failed on it. After a
 * failure every later call fails too (without a new diagnostic). */
int synth_next(struct synth *s, struct clip *out, struct diags *d);
void synth_get_stats(const struct synth *s, struct synth_stats *st);

#endif
