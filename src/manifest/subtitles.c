/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Timed-text formats from the same cues: WebVTT (with <v Speaker> voice
 * tags), SubRip, and the Podcasting 2.0 JSON transcript.
 */
#include "audio/timeline.h"
#include "manifest/cues.h"
#include "manifest/manifest.h"
#include "plan/plan.h"
#include "util/strbuf.h"

#include <jansson.h>
#include <string.h>

/* Cue text may not contain "-->" nor start a line that ends the cue; '<'
 * and '&' are markup in WebVTT. */
static void manifest_vtt_text(struct strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            strbuf_adds(out, "&lt;");
        else if (*s == '>')
            strbuf_adds(out, "&gt;");
        else if (*s == '&')
            strbuf_adds(out, "&amp;");
        else if (*s == '\n')
            strbuf_addc(out, ' ');
        else
            strbuf_addc(out, *s);
    }
}

void manifest_vtt(const struct manifest_in *m, struct strbuf *out)
{
    size_t n;
    struct cue *cues = cues_build(m->plan, m->tl, &n);
    strbuf_adds(out, "WEBVTT\n");
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(out, "\n%zu\n", i + 1);
        manifest_timestamp(out, manifest_ms(m->tl, cues[i].start), '.');
        strbuf_adds(out, " --> ");
        manifest_timestamp(out, manifest_ms(m->tl, cues[i].end), '.');
        strbuf_adds(out, "\n<v ");
        manifest_vtt_text(out, cues[i].speaker);
        strbuf_addc(out, '>');
        manifest_vtt_text(out, cues[i].text);
        strbuf_addc(out, '\n');
    }
    cues_free(cues, n);
}

void manifest_srt(const struct manifest_in *m, struct strbuf *out)
{
    size_t n;
    struct cue *cues = cues_build(m->plan, m->tl, &n);
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(out, "%s%zu\n", i ? "\n" : "", i + 1);
        manifest_timestamp(out, manifest_ms(m->tl, cues[i].start), ',');
        strbuf_adds(out, " --> ");
        manifest_timestamp(out, manifest_ms(m->tl, cues[i].end), ',');
        strbuf_addf(out, "\n%s: ", cues[i].speaker);
        for (const char *s = cues[i].text; *s; s++)
            strbuf_addc(out, *s == '\n' ? ' ' : *s);
        strbuf_addc(out, '\n');
    }
    cues_free(cues, n);
}

void manifest_transcript_json(const struct manifest_in *m, struct strbuf *out)
{
    size_t n;
    struct cue *cues = cues_build(m->plan, m->tl, &n);
    json_t *segments = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            segments, json_pack("{s:s, s:f, s:f, s:s}", "speaker", cues[i].speaker, "startTime",
                                manifest_seconds(m->tl, cues[i].start), "endTime",
                                manifest_seconds(m->tl, cues[i].end), "body", cues[i].text));
    cues_free(cues, n);
    manifest_dump(json_pack("{s:s, s:o}", "version", "1.0.0", "segments", segments), out);
}
