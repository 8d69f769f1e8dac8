/*
 * The synth facade (contract in synth.h): clips in plan order from the
 * cache, the in-process engine (--jobs 1) or the worker pool, through a
 * bounded window so memory does not grow with the programme.
 */
#include "synth/synth.h"
#include "synth/cache.h"
#include "synth/pool.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* Runs dispatched ahead of the one being consumed, per worker. */
#define SYNTH_AHEAD_PER_WORKER 4

struct synth_slot {
    bool hit; /* clip came from the cache at dispatch time */
    struct clip clip;
};

struct synth {
    struct synth_options opts;
    struct engine *engine; /* this process's engine (metadata, --jobs 1) */
    struct clip_cache *cache;
    struct pool *pool;
    const struct synth_job *jobs;
    size_t njobs;
    size_t next;       /* next job to hand out */
    size_t dispatched; /* jobs dispatched so far */
    size_t window;
    struct synth_slot *slots; /* ring of window slots, indexed by job % window */
    struct synth_stats stats;
    /* --jobs 1: the run after the one handed out is already on its way
     * (submitted to the engine, or read from the cache), so synthesis and
     * the assembler's writing overlap. */
    bool ahead;     /* job `next` has been started */
    bool ahead_hit; /* ...and came from the cache into ahead_clip */
    struct clip ahead_clip;
};

struct synth *synth_open(const struct synth_options *o, struct diags *d)
{
    struct synth *s = xcalloc(1, sizeof(*s));
    s->opts = *o;
    if (s->opts.jobs < 1)
        s->opts.jobs = 1;
    s->engine = o->engine ? o->engine : engine_open(d);
    if (!s->engine) {
        free(s);
        return NULL;
    }
    if (o->cache_dir)
        s->cache = cache_open(o->cache_dir, d);
    /* Workers start at the first run the cache does not have: a warm render
     * never pays for them. */
    s->window = (size_t)s->opts.jobs * SYNTH_AHEAD_PER_WORKER;
    s->slots = xcalloc(s->window, sizeof(*s->slots));
    return s;
}

void synth_close(struct synth *s)
{
    if (!s)
        return;
    if (s->pool)
        pool_close(s->pool);
    for (size_t i = 0; s->slots && i < s->window; i++)
        clip_release(&s->slots[i].clip);
    if (s->ahead && !s->ahead_hit) {
        struct diags quiet;
        diag_init(&quiet);
        struct clip c;
        engine_collect(s->engine, &c, &quiet); /* let the helper finish its run */
        clip_release(&c);
        diag_release(&quiet);
    }
    clip_release(&s->ahead_clip);
    free(s->slots);
    cache_close(s->cache);
    if (!s->opts.engine)
        engine_close(s->engine);
    free(s);
}

int synth_rate(const struct synth *s)
{
    return engine_rate(s->engine);
}

void synth_get_stats(const struct synth *s, struct synth_stats *st)
{
    *st = s->stats;
}

int synth_start(struct synth *s, const struct synth_job *jobs, size_t n, struct diags *d)
{
    (void)d;
    s->jobs = jobs;
    s->njobs = n;
    s->next = s->dispatched = 0;
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

/* Hands jobs to the cache or the pool until the window is full. */
static int synth_dispatch(struct synth *s, struct diags *d)
{
    while (s->dispatched < s->njobs && s->dispatched < s->next + s->window) {
        size_t id = s->dispatched;
        const struct synth_job *j = &s->jobs[id];
        struct synth_slot *slot = &s->slots[id % s->window];
        struct cache_key k;
        synth_key(s, j, &k);
        /* Only misses are read ahead (by the workers); a hit is read when
         * its turn comes, so a warm render holds one clip at a time. */
        slot->hit = s->cache && cache_has(s->cache, &k);
        if (!slot->hit && !s->pool &&
            !(s->pool = pool_open(s->opts.jobs, s->cache ? s->opts.cache_dir : NULL, d)))
            return -1;
        if (!slot->hit && pool_submit(s->pool, id, j, d) < 0)
            return -1;
        s->dispatched++;
    }
    return 0;
}

/* Starts job `next` in this process's engine, or takes it from the cache. */
static int synth_start_local(struct synth *s, struct diags *d)
{
    const struct synth_job *j = &s->jobs[s->next];
    struct cache_key k;
    synth_key(s, j, &k);
    s->ahead = true;
    s->ahead_hit = s->cache && cache_get(s->cache, &k, &s->ahead_clip) == 1;
    if (s->ahead_hit)
        return 0;
    if (engine_submit(s->engine, &j->voice, j->text, d) < 0) {
        s->ahead = false;
        synth_fail(s, j, d);
        return -1;
    }
    return 0;
}

static int synth_next_local(struct synth *s, struct clip *out, struct diags *d)
{
    const struct synth_job *j = &s->jobs[s->next];
    if (!s->ahead && synth_start_local(s, d) < 0)
        return -1;
    bool hit = s->ahead_hit;
    s->ahead = false;
    if (hit) {
        *out = s->ahead_clip;
        memset(&s->ahead_clip, 0, sizeof(s->ahead_clip));
        s->stats.cached++;
    } else {
        if (engine_collect(s->engine, out, d) < 0) {
            synth_fail(s, j, d);
            return -1;
        }
        if (s->cache) {
            struct cache_key k;
            synth_key(s, j, &k);
            cache_put(s->cache, &k, out, d);
        }
        s->stats.synthesized++;
    }
    synth_log(s, j, hit);
    s->next++;
    if (s->next < s->njobs && synth_start_local(s, d) < 0) {
        clip_release(out);
        return -1;
    }
    return 0;
}

int synth_next(struct synth *s, struct clip *out, struct diags *d)
{
    memset(out, 0, sizeof(*out));
    if (s->next >= s->njobs)
        return -1;
    if (s->opts.jobs == 1)
        return synth_next_local(s, out, d);
    const struct synth_job *j = &s->jobs[s->next];
    if (synth_dispatch(s, d) < 0)
        return -1;
    struct synth_slot *slot = &s->slots[s->next % s->window];
    struct cache_key k;
    synth_key(s, j, &k);
    if (slot->hit && cache_get(s->cache, &k, out) != 1) {
        /* Gone or corrupt since it was seen (a prune, a disk error): make it
         * here, as --jobs 1 would. */
        slot->hit = false;
        if (engine_synth(s->engine, &j->voice, j->text, out, d) < 0) {
            synth_fail(s, j, d);
            return -1;
        }
        cache_put(s->cache, &k, out, d);
        s->stats.synthesized++;
    } else if (slot->hit) {
        s->stats.cached++;
    } else {
        if (pool_wait(s->pool, s->next, out, d) < 0) {
            synth_fail(s, j, d);
            return -1;
        }
        s->stats.synthesized++;
    }
    synth_log(s, j, slot->hit);
    slot->hit = false;
    s->next++;
    return 0;
}
