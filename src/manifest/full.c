/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The full scriptcast manifest: the source, the audio file's facts, and
 * every chapter, segment and speaker with exact sample positions and the
 * source line each came from (shape documented in docs/outputs.md).
 */
#include "audio/master.h"
#include "audio/timeline.h"
#include "cast/voice.h"
#include "manifest/manifest.h"
#include "plan/plan.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <math.h>

static json_t *manifest_audio(const struct manifest_in *m)
{
    const struct timeline *tl = m->tl;
    return json_pack("{s:s, s:s, s:i, s:i, s:I, s:f}", "file", m->audio_file, "format",
                     m->audio_format, "sample_rate", tl->rate, "channels", tl->channels, "samples",
                     (json_int_t)tl->samples, "seconds", manifest_seconds(tl, tl->samples));
}

static json_t *manifest_chapter_list(const struct manifest_in *m)
{
    const struct plan *p = m->plan;
    json_t *a = json_array();
    for (size_t i = 0; i < p->nchapters; i++) {
        const struct timeline_chapter *c = &m->tl->chapters[i];
        json_array_append_new(a, json_pack("{s:i, s:s, s:f, s:f, s:I, s:I, s:i}", "index",
                                           p->chapters[i].number, "title", p->chapters[i].title,
                                           "start", manifest_seconds(m->tl, c->start), "end",
                                           manifest_seconds(m->tl, c->end), "start_sample",
                                           (json_int_t)c->start, "end_sample", (json_int_t)c->end,
                                           "line", p->chapters[i].line));
    }
    return a;
}

static json_t *manifest_segment_list(const struct manifest_in *m)
{
    const struct plan *p = m->plan;
    json_t *a = json_array();
    for (size_t i = 0; i < p->nsegments; i++) {
        const struct plan_segment *sg = &p->segments[i];
        const struct timeline_segment *ts = &m->tl->segments[i];
        json_array_append_new(
            a, json_pack("{s:i, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:i, s:s}", "chapter",
                         p->chapters[sg->chapter].number, "kind", plan_kind_name(sg->kind),
                         "speaker", p->speakers[sg->speaker].name, "voice", sg->voice->name,
                         "start", manifest_seconds(m->tl, ts->start), "end",
                         manifest_seconds(m->tl, ts->end), "start_sample", (json_int_t)ts->start,
                         "end_sample", (json_int_t)ts->end, "line", sg->line, "text", sg->text));
    }
    return a;
}

/* A level in dB to 0.01, or null when it could not be measured. */
static json_t *manifest_db(double v)
{
    return isfinite(v) ? json_real(round(v * 100.0) / 100.0) : json_null();
}

/* offset: what the encoder takes off the loudness and the RMS (codec_loudness). */
static json_t *manifest_levels(const struct loudness_stats *st, bool full, double offset)
{
    json_t *o = json_object();
    json_object_set_new(o, "integrated", manifest_db(st->integrated - offset));
    if (full) {
        json_object_set_new(o, "range", manifest_db(st->range));
        json_object_set_new(o, "true_peak", manifest_db(st->true_peak));
        json_object_set_new(o, "sample_peak", manifest_db(st->peak));
        json_object_set_new(o, "rms", manifest_db(st->rms - offset));
    }
    return o;
}

static json_t *manifest_loudness(const struct master_report *r)
{
    static const char *const modes[] = {"off", "lufs", "rms"};
    json_t *o = manifest_levels(&r->out, true, r->codec_loudness);
    json_object_set_new(o, "normalization", json_string(modes[r->mode]));
    if (r->mode != MASTER_OFF) {
        json_object_set_new(o, "target", manifest_db(r->target));
        json_object_set_new(o, "master_gain", manifest_db(r->master_gain_db));
        json_object_set_new(o, "codec_offset", manifest_db(r->codec_loudness));
        json_object_set_new(o, "limiter_max_reduction", manifest_db(r->limiter_max_db));
        json_object_set_new(o, "limiter_seconds",
                            json_real(round(r->limited_seconds * 1000.0) / 1000.0));
    }
    return o;
}

static json_t *manifest_speaker_list(const struct manifest_in *m)
{
    const struct plan *p = m->plan;
    json_t *a = json_array();
    /* One pass over the segments: a programme can have many speakers. */
    unsigned long long *spoken = xcalloc(p->nspeakers ? p->nspeakers : 1, sizeof(*spoken));
    for (size_t i = 0; i < p->nsegments; i++)
        spoken[p->segments[i].speaker] += m->tl->segments[i].end - m->tl->segments[i].start;
    for (size_t s = 0; s < p->nspeakers; s++) {
        unsigned long long samples = spoken[s];
        const struct plan_speaker *ps = &p->speakers[s];
        json_t *sp =
            json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:f}", "name", ps->name, "voice",
                      ps->voice->name, "source", ps->source, "voice_from", ps->voice_from, "gender",
                      ps->gender ? json_string(ps->gender) : json_null(), "gender_from",
                      ps->gender_from ? json_string(ps->gender_from) : json_null(), "segments",
                      (int)ps->segments, "seconds", manifest_seconds(m->tl, samples));
        const struct master_report *r = m->loudness;
        if (r && s < r->nspeakers) {
            json_t *lv = manifest_levels(&r->speakers[s].out, true, r->codec_loudness);
            json_object_del(lv, "rms");
            json_object_del(lv, "sample_peak");
            json_object_set_new(lv, "synthesized", manifest_db(r->speakers[s].in.integrated));
            json_object_set_new(lv, "gain", manifest_db(r->speakers[s].gain_db));
            json_object_set_new(sp, "loudness", lv);
        }
        json_array_append_new(a, sp);
    }
    free(spoken);
    return a;
}

void manifest_full_json(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    json_t *root = json_object();
    json_object_set_new(root, "scriptcast", json_string(SCRIPTCAST_VERSION));
    json_object_set_new(root, "source", json_string(p->file));
    json_object_set_new(root, "title", p->title ? json_string(p->title) : json_null());
    json_object_set_new(root, "lang", json_string(p->lang));
    /* For the site index and feed batch builds from manifests. */
    if (m->date)
        json_object_set_new(root, "date", json_string(m->date));
    if (m->description)
        json_object_set_new(root, "description", json_string(m->description));
    json_object_set_new(root, "audio", manifest_audio(m));
    if (m->loudness)
        json_object_set_new(root, "loudness", manifest_loudness(m->loudness));
    json_object_set_new(root, "chapters", manifest_chapter_list(m));
    json_object_set_new(root, "segments", manifest_segment_list(m));
    json_object_set_new(root, "speakers", manifest_speaker_list(m));
    manifest_dump(root, out);
}
