/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Laying clips and pauses end to end (contract in assemble.h). Positions are
 * counted at the engine's rate while writing and mapped to the output
 * file's rate through the writer, so resampled outputs stay sample-exact.
 */
#include "audio/assemble.h"
#include "audio/master.h"
#include "audio/timeline.h"
#include "audio/writer.h"
#include "cast/voice.h"
#include "plan/plan.h"
#include "plan/runs.h"
#include "synth/synth.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <string.h>

static struct engine_voice assemble_voice(const struct voice *v, const struct plan_run *r)
{
    struct engine_voice ev = {
        .voice = r->voice,
        .variant = v->variant,
        .rate = v->rate,
        .pitch = v->pitch,
        .range = v->range,
        .volume = v->volume,
    };
    return ev;
}

static void assemble_add_mark(struct timeline_segment *ts, size_t *cap, uint64_t sample)
{
    XGROW(ts->marks, *cap, ts->nmarks + 1);
    ts->marks[ts->nmarks++] = sample;
}

/* The plan's runs as synth jobs, numbered in plan order and made on
 * demand, a segment's runs at a time: an array of them all, or their texts
 * kept in the plan, would grow with the programme. */
struct assemble_jobs {
    const struct plan *p;
    size_t *first;         /* number of each segment's first run */
    size_t seg;            /* the segment whose runs are made; SIZE_MAX: none */
    struct plan_run *runs; /* its runs */
    size_t nruns;
};

static size_t assemble_count_jobs(struct assemble_jobs *aj)
{
    const struct plan *p = aj->p;
    aj->first = xmalloc((p->nsegments ? p->nsegments : 1) * sizeof(*aj->first));
    size_t total = 0;
    for (size_t i = 0; i < p->nsegments; i++) {
        aj->first[i] = total;
        total += p->segments[i].nruns;
    }
    return total;
}

static void assemble_job(void *ctx, size_t i, struct synth_job *out)
{
    struct assemble_jobs *aj = ctx;
    /* The last segment whose first run is at or before i. */
    size_t lo = 0, hi = aj->p->nsegments;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (aj->first[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    const struct plan_segment *sg = &aj->p->segments[lo];
    /* Jobs are asked for once each, in order (synth.h): one segment's runs
     * at a time suffice. */
    if (aj->seg != lo) {
        runs_free(aj->runs, aj->nruns);
        aj->runs = NULL;
        aj->nruns = 0;
        plan_segment_runs(aj->p, sg, &aj->runs, &aj->nruns);
        aj->seg = lo;
    }
    const struct plan_run *r = &aj->runs[i - aj->first[lo]];
    out->voice = assemble_voice(sg->voice, r);
    out->text = r->text;
    out->line = sg->line;
}

static int assemble_segments(const struct plan *p, struct synth *sy, struct audio_writer *w,
                             struct master *ms, const struct assemble_pad *pad, struct timeline *tl,
                             assemble_progress_fn progress, void *ctx, struct diags *d)
{
    int in_rate = synth_rate(sy);
    uint64_t pos = 0; /* input frames written so far */
    uint64_t head = pad ? (uint64_t)pad->head_ms * (uint64_t)in_rate / 1000 : 0;
    uint64_t tail = pad ? (uint64_t)pad->tail_ms * (uint64_t)in_rate / 1000 : 0;
    if (head && master_silence(ms, head, d) < 0)
        return -1;
    pos += head;
    for (size_t i = 0; i < p->nsegments; i++) {
        const struct plan_segment *sg = &p->segments[i];
        struct timeline_segment *ts = &tl->segments[i];
        uint64_t pause = (uint64_t)sg->pause_ms * (uint64_t)in_rate / 1000;
        if (pause && master_silence(ms, pause, d) < 0)
            return -1;
        pos += pause;
        uint64_t start = pos;
        size_t cap = 0;
        /* The runs again, for the pauses between them (their texts are the
         * synth's jobs already; this keeps no array of all runs). */
        struct plan_run *runs = NULL;
        size_t nruns = 0;
        plan_segment_runs(p, sg, &runs, &nruns);
        for (size_t r = 0; r < sg->nruns; r++) {
            struct clip clip;
            uint64_t gap = r < nruns ? (uint64_t)runs[r].pause_ms * (uint64_t)in_rate / 1000 : 0;
            if (gap && master_silence(ms, gap, d) < 0) {
                runs_free(runs, nruns);
                return -1;
            }
            pos += gap;
            if (synth_next(sy, &clip, d) < 0) {
                runs_free(runs, nruns);
                return -1;
            }
            for (size_t m = 0; m < clip.nmarks; m++) {
                /* A run's own start is not a sentence start of the segment. */
                if (clip.marks[m].text_offset == 0 || clip.marks[m].sample >= clip.n)
                    continue;
                assemble_add_mark(ts, &cap, audio_writer_map(w, pos + clip.marks[m].sample));
            }
            /* The clip is the synth's: written, not released. */
            if (clip.n && master_write(ms, sg->speaker, clip.samples, clip.n, d) < 0) {
                runs_free(runs, nruns);
                return -1;
            }
            pos += clip.n;
        }
        runs_free(runs, nruns);
        /* Marks live until the manifests, for every segment: no slack. */
        if (cap > ts->nmarks)
            ts->marks = xrealloc(ts->marks, ts->nmarks * sizeof(*ts->marks));
        ts->start = audio_writer_map(w, start);
        ts->end = audio_writer_map(w, pos);
        if (progress && !progress(ctx, i + 1, p->nsegments, pos, in_rate))
            return -1;
    }
    if (tail && master_silence(ms, tail, d) < 0)
        return -1;
    pos += tail;
    tl->samples = audio_writer_map(w, pos);
    return 0;
}

int assemble_render(const struct plan *p, struct synth *sy, struct audio_writer *w,
                    struct master *ms, const struct assemble_pad *pad, struct timeline *tl,
                    assemble_progress_fn progress, void *ctx, struct diags *d)
{
    memset(tl, 0, sizeof(*tl));
    tl->rate = audio_writer_rate(w);
    tl->channels = 1;
    tl->nsegments = p->nsegments;
    tl->segments = xcalloc(p->nsegments ? p->nsegments : 1, sizeof(*tl->segments));
    tl->nchapters = p->nchapters;
    tl->chapters = xcalloc(p->nchapters ? p->nchapters : 1, sizeof(*tl->chapters));

    struct assemble_jobs aj = {p, NULL, SIZE_MAX, NULL, 0};
    size_t njobs = assemble_count_jobs(&aj);
    int rc = synth_start_with(sy, njobs, assemble_job, &aj, d);
    if (rc == 0)
        rc = assemble_segments(p, sy, w, ms, pad, tl, progress, ctx, d);
    free(aj.first);
    runs_free(aj.runs, aj.nruns);
    if (rc < 0)
        return -1;
    for (size_t c = 0; c < p->nchapters; c++) {
        const struct plan_chapter *ch = &p->chapters[c];
        tl->chapters[c].start = c == 0 ? 0 : tl->segments[ch->first].start;
    }
    for (size_t c = 0; c < p->nchapters; c++)
        tl->chapters[c].end = c + 1 < p->nchapters ? tl->chapters[c + 1].start : tl->samples;
    return 0;
}

uint64_t assemble_expect_frames(const struct plan *p, int rate)
{
    double seconds = 0;
    for (size_t i = 0; i < p->nsegments; i++)
        seconds += p->segments[i].pause_ms / 1000.0;
    for (size_t i = 0; i < p->nspeakers; i++)
        seconds += (double)p->speakers[i].chars * ASSEMBLE_SECONDS_PER_CHAR;
    return (uint64_t)(seconds * rate);
}
