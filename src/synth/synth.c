/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The synth facade (contract in synth.h): clips in plan order, from the
 * cache or from the engine, which makes up to --jobs runs at once, through
 * a bounded window so memory does not grow with the programme.
 */
#include "synth/synth.h"
#include "synth/cache.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* Runs dispatched ahead of the one being consumed, per run at once. */
#define SYNTH_AHEAD_PER_JOB 4

/*
 * Audio made ahead and waiting for its turn (in the engine's clip files),
 * in bytes, past which no more runs go ahead of the one awaited. The
 * window's count alone lets the waiting clips add up to whatever its
 * longest runs make (4.6 MB seen when several long runs came together,
 * which a longer programme makes more likely). 1.5 MB is 34 s of audio,
 * more than the other cores make while one long run is awaited: no slower
 * on the benchmark, and its 10x transcript's peak a little lower.
 */
#define SYNTH_HOLD_BYTES ((size_t)3 << 19)

enum synth_state {
    SYNTH_EMPTY,
    SYNTH_HIT,    /* in the cache: read when its turn comes */
    SYNTH_MISS,   /* to be submitted to the engine */
    SYNTH_SENT,   /* with the engine */
    SYNTH_READY,  /* its clip waits in the engine (engine_take()) */
    SYNTH_FAILED, /* its diagnostics are here */
};

struct synth_slot {
    enum synth_state state;
    struct synth_job job; /* its text is `text`'s */
    struct strbuf text;
    size_t id;    /* its job's number */
    size_t bytes; /* SYNTH_READY: its clip's size */
    struct diags diags;
};

struct synth {
    struct synth_options opts;
    struct engine *engine;
    struct clip_cache *cache;
    synth_job_fn get;
    void *get_ctx;
    size_t njobs;
    size_t next;       /* next job to hand out */
    size_t dispatched; /* jobs looked up in the cache so far */
    size_t submitted;  /* jobs before this one are not waiting for the engine */
    size_t window;
    struct synth_slot *slots; /* ring of window slots, indexed by job % window */
    struct synth_stats stats;
    size_t held;         /* bytes of the clips made ahead, waiting in the engine */
    bool failed;         /* a run failed: the programme cannot be complete */
    struct clip_buf cur; /* the clip last handed out; its arrays serve the next */
};

struct synth *synth_open(const struct synth_options *o, struct diags *d)
{
    struct synth *s = xcalloc(1, sizeof(*s));
    s->opts = *o;
    if (s->opts.jobs < 1)
        s->opts.jobs = 1;
    s->engine =
        o->engine ? o->engine
                  : engine_open(synth_engine_depth(s->opts.jobs), synth_engine_turns(s->opts.jobs),
                                synth_engine_hold(s->opts.jobs), d);
    if (!s->engine) {
        free(s);
        return NULL;
    }
    if (o->cache_dir)
        s->cache = cache_open(o->cache_dir, d);
    /* Helpers start at the first run the cache does not have: a warm render
     * never pays for them. Every run of the window may be in the engine at
     * once, going or waiting to be taken: no wider than its clip files. */
    int window = synth_engine_hold(s->opts.jobs);
    if (window > engine_clips(s->engine))
        window = engine_clips(s->engine);
    s->window = window > 1 ? (size_t)window : 1;
    s->slots = xcalloc(s->window, sizeof(*s->slots));
    for (size_t i = 0; i < s->window; i++) {
        diag_init(&s->slots[i].diags);
        strbuf_init(&s->slots[i].text);
    }
    return s;
}

void synth_close(struct synth *s)
{
    if (!s)
        return;
    /* A borrowed engine outlives us: it must not keep our runs going. */
    while (s->opts.engine && engine_pending(s->engine) > 0) {
        struct diags quiet;
        diag_init(&quiet);
        struct clip c;
        size_t tag;
        engine_collect(s->engine, &tag, &c, &quiet);
        clip_release(&c);
        diag_release(&quiet);
    }
    for (size_t i = 0; s->slots && i < s->window; i++) {
        if (s->opts.engine && s->slots[i].state == SYNTH_READY) {
            struct diags quiet;
            diag_init(&quiet);
            engine_take(s->engine, s->slots[i].id, &s->cur, &quiet);
            diag_release(&quiet);
        }
        diag_release(&s->slots[i].diags);
        strbuf_release(&s->slots[i].text);
    }
    free(s->slots);
    clip_buf_release(&s->cur);
    cache_close(s->cache);
    if (!s->opts.engine)
        engine_close(s->engine);
    free(s);
}

int synth_engine_depth(int jobs)
{
    /*
     * Two runs more than cores, waiting for a turn (synth_engine_turns()):
     * when a run ends, the next starts at once, and no core waits while the
     * clip is handed over and the next run is handed out, even when two end
     * close together. --jobs 1 stays on one core.
     */
    return jobs > 1 ? jobs + 2 : 1;
}

int synth_engine_turns(int jobs)
{
    /*
     * Only as many runs synthesize as there are jobs. With one more run
     * than cores synthesizing, the kernel left a core idle for 2 to 4 ms
     * at a time while two runs shared the other (7% of a 2-core render's
     * core time idle, measured with sched_switch events); runs waiting for
     * a turn leave nothing to balance.
     */
    return jobs > 1 ? jobs : 0;
}

int synth_engine_hold(int jobs)
{
    /*
     * The window: every run in it may finish before the one awaited and
     * then waits in the engine, so the engine needs a clip file for each,
     * besides the ones synthesizing.
     */
    int window = (jobs < 1 ? 1 : jobs) * SYNTH_AHEAD_PER_JOB;
    int room = ENGINE_MAX_CLIPS - synth_engine_depth(jobs);
    return window < room ? window : room;
}

int synth_rate(const struct synth *s)
{
    return engine_rate(s->engine);
}

void synth_get_stats(const struct synth *s, struct synth_stats *st)
{
    *st = s->stats;
}

static void synth_array_job(void *ctx, size_t i, struct synth_job *out)
{
    *out = ((const struct synth_job *)ctx)[i];
}

int synth_start(struct synth *s, const struct synth_job *jobs, size_t n, struct diags *d)
{
    return synth_start_with(s, n, synth_array_job, (void *)jobs, d);
}

int synth_start_with(struct synth *s, size_t n, synth_job_fn get, void *ctx, struct diags *d)
{
    (void)d;
    s->get = get;
    s->get_ctx = ctx;
    s->njobs = n;
    s->next = s->dispatched = s->submitted = 0;
    return 0;
}
static void synth_key(const struct synth *s, const struct synth_job *j, struct cache_key *k)
{
    cache_key(k, engine_name(s->engine), engine_version(s->engine), &j->voice, j->text);
}

/* The first 40 characters of a run, cut between characters, not bytes. */
static void synth_excerpt(struct strbuf *sb, const char *text)
{
    const char *p = text, *end = text + strlen(text);
    for (int i = 0; i < 40 && p < end; i++) {
        const char *from = p;
        utf8_decode(&p, end);
        strbuf_add(sb, from, (size_t)(p - from));
    }
    if (p < end)
        strbuf_adds(sb, "…");
}

static void synth_fail(const struct synth *s, const struct synth_job *j, struct diags *d)
{
    struct strbuf ex = STRBUF_INIT;
    synth_excerpt(&ex, j->text);
    diag_add(d, DIAG_SYSTEM, s->opts.file, j->line, 0, NULL, "could not synthesize \"%s\"", ex.buf);
    strbuf_release(&ex);
}

static void synth_log(const struct synth *s, const struct synth_job *j, bool hit)
{
    if (s->opts.verbosity < 1)
        return;
    struct strbuf ex = STRBUF_INIT;
    synth_excerpt(&ex, j->text);
    fprintf(stderr, "scriptcast: %s:%d: %s [%s%s%s] %s\n", s->opts.file ? s->opts.file : "-",
            j->line, hit ? "cached" : "synthesized", j->voice.voice, j->voice.variant ? "+" : "",
            j->voice.variant ? j->voice.variant : "", ex.buf);
    strbuf_release(&ex);
}

static void synth_key(const struct synth *s, const struct synth_job *j, struct cache_key *k);

/* Looks jobs up in the cache until the window is full, and submits misses,
 * in plan order, while the engine has room. */
static void synth_dispatch(struct synth *s)
{
    while (s->dispatched < s->njobs && s->dispatched < s->next + s->window) {
        size_t id = s->dispatched++;
        struct synth_slot *slot = &s->slots[id % s->window];
        /* Each job is asked for once and kept here while in the window:
         * what the source hands out need not outlive the call. */
        s->get(s->get_ctx, id, &slot->job);
        slot->id = id;
        strbuf_reset(&slot->text);
        strbuf_adds(&slot->text, slot->job.text);
        slot->job.text = slot->text.buf;
        struct cache_key k;
        synth_key(s, &slot->job, &k);
        /* Only misses are made ahead; a hit is read when its turn comes, so
         * a warm render holds one clip at a time. A miss's helper starts
         * now, while the runs before it are being made. */
        slot->state = s->cache && cache_has(s->cache, &k) ? SYNTH_HIT : SYNTH_MISS;
        if (slot->state == SYNTH_MISS)
            engine_prepare(s->engine, slot->job.voice.voice, slot->job.voice.variant);
    }
    for (; s->submitted < s->dispatched; s->submitted++) {
        size_t id = s->submitted;
        struct synth_slot *slot = &s->slots[id % s->window];
        if (slot->state != SYNTH_MISS)
            continue;
        if (id > s->next && s->held >= SYNTH_HOLD_BYTES)
            break; /* after the awaited one has been handed out */
        int rc = engine_submit(s->engine, id, &slot->job.voice, slot->job.text, &slot->diags);
        if (rc == 1)
            break; /* no room: after the next collect */
        slot->state = rc == 0 ? SYNTH_SENT : SYNTH_FAILED;
    }
}

/* Waits for one run the engine has and files its failure in its slot, or
 * notes that its clip waits in the engine. */
static void synth_collect(struct synth *s)
{
    struct diags d;
    diag_init(&d);
    size_t id, bytes;
    int rc = engine_wait(s->engine, &id, &bytes, &d);
    if (id == SIZE_MAX) { /* nothing pending: cannot happen */
        diag_release(&d);
        return;
    }
    struct synth_slot *slot = &s->slots[id % s->window];
    if (rc == 0) {
        slot->state = SYNTH_READY;
        slot->bytes = bytes;
        s->held += bytes;
    } else {
        slot->state = SYNTH_FAILED;
    }
    diag_move(&slot->diags, &d);
    diag_release(&d);
}

int synth_next(struct synth *s, struct clip *out, struct diags *d)
{
    memset(out, 0, sizeof(*out));
    if (s->next >= s->njobs || s->failed)
        return -1;
    struct synth_slot *slot = &s->slots[s->next % s->window];
    const struct synth_job *j = &slot->job;
    for (;;) {
        synth_dispatch(s);
        if (slot->state == SYNTH_HIT) {
            struct cache_key k;
            synth_key(s, j, &k);
            if (cache_load(s->cache, &k, &s->cur) == 1)
                break;
            /* Gone or corrupt since it was seen (a prune, a disk error):
             * made here instead, as a miss. */
            slot->state = SYNTH_MISS;
            if (s->submitted > s->next)
                s->submitted = s->next;
            continue;
        }
        if (slot->state == SYNTH_READY) {
            s->held -= slot->bytes;
            if (engine_take(s->engine, s->next, &s->cur, &slot->diags) == 0)
                break;
            slot->state = SYNTH_FAILED;
        }
        if (slot->state == SYNTH_FAILED)
            break;
        synth_collect(s);
    }
    bool hit = slot->state == SYNTH_HIT;
    diag_move(d, &slot->diags);
    if (slot->state == SYNTH_FAILED) {
        slot->state = SYNTH_EMPTY;
        s->failed = true;
        synth_fail(s, j, d);
        return -1;
    }
    slot->state = SYNTH_EMPTY;
    *out = s->cur.clip;
    if (hit)
        s->stats.cached++;
    else
        s->stats.synthesized++;
    synth_log(s, j, hit);
    struct cache_key k;
    synth_key(s, j, &k); /* the slot (and j) is reused from here on */
    s->next++;
    /* Runs go to the engine before this clip goes to the cache, so the
     * cores do not wait for the disk. */
    synth_dispatch(s);
    if (!hit && s->cache)
        cache_put(s->cache, &k, out, d);
    return 0;
}
