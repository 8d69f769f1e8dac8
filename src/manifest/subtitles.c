/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Timed-text formats from the same cues: WebVTT (with <v Speaker> voice
 * tags), SubRip, and the Podcasting 2.0 JSON transcript.
 */
#include "audio/timeline.h"
#include "manifest/cues.h"
#include "manifest/manifest.h"
#include "manifest/srtwrap.h"
#include "plan/plan.h"
#include "util/strbuf.h"

#include <jansson.h>
#include <string.h>

/* Cue text may not contain "-->" nor start a line that ends the cue; '<'
 * and '&' are markup in WebVTT. */
static void manifest_vtt_text(struct strbuf *out, const char *raw)
{
    struct strbuf folded = STRBUF_INIT;
    manifest_fold(&folded, raw);
    for (const char *s = folded.buf; *s; s++) {
        if (*s == '<')
            strbuf_adds(out, "&lt;");
        else if (*s == '>')
            strbuf_adds(out, "&gt;");
        else if (*s == '&')
            strbuf_adds(out, "&amp;");
        else
            strbuf_addc(out, *s);
    }
    strbuf_release(&folded);
}

/* SubRip has no escapes: the text is folded onto its line, and "-->",
 * which players take for a timing line, loses a dash. */
static void manifest_srt_text(struct strbuf *out, const char *raw)
{
    struct strbuf folded = STRBUF_INIT;
    manifest_fold(&folded, raw);
    for (const char *s = folded.buf; *s; s++) {
        if (!strncmp(s, "-->", 3))
            s++;
        strbuf_addc(out, *s);
    }
    strbuf_release(&folded);
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
    size_t number = 0;
    for (size_t i = 0; i < n; i++) {
        /* At most two lines of 32 characters a cue (srtwrap.h): a long
         * sentence becomes several cues, timed by their share of it. */
        struct strbuf prefix = STRBUF_INIT, text = STRBUF_INIT;
        manifest_srt_text(&prefix, cues[i].speaker);
        strbuf_adds(&prefix, ": ");
        manifest_srt_text(&text, cues[i].text);
        struct srtwrap_piece *pieces;
        size_t np = srtwrap_split(prefix.buf, text.buf, &pieces), total = 0, done = 0;
        for (size_t k = 0; k < np; k++)
            total += pieces[k].chars;
        uint64_t span = cues[i].end - cues[i].start, from = cues[i].start;
        for (size_t k = 0; k < np; k++) {
            done += pieces[k].chars;
            uint64_t to = k + 1 == np || !total ? cues[i].end : cues[i].start + span * done / total;
            strbuf_addf(out, "%s%zu\n", number ? "\n" : "", number + 1);
            number++;
            manifest_timestamp(out, manifest_ms(m->tl, from), ',');
            strbuf_adds(out, " --> ");
            manifest_timestamp(out, manifest_ms(m->tl, to), ',');
            strbuf_addf(out, "\n%s\n", pieces[k].text);
            from = to;
        }
        srtwrap_free(pieces, np);
        strbuf_release(&prefix);
        strbuf_release(&text);
    }
    cues_free(cues, n);
}

void manifest_transcript_json(const struct manifest_in *m, struct strbuf *out)
{
    size_t n;
    struct cue *cues = cues_build(m->plan, m->tl, &n);
    json_t *segments = json_array();
    struct strbuf speaker = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        /* A name is one line in every sidecar, this one included. */
        strbuf_reset(&speaker);
        manifest_fold(&speaker, cues[i].speaker);
        json_array_append_new(
            segments, json_pack("{s:s, s:f, s:f, s:s}", "speaker", speaker.buf, "startTime",
                                manifest_seconds(m->tl, cues[i].start), "endTime",
                                manifest_seconds(m->tl, cues[i].end), "body", cues[i].text));
    }
    strbuf_release(&speaker);
    cues_free(cues, n);
    manifest_dump(json_pack("{s:s, s:o}", "version", "1.0.0", "segments", segments), out);
}
