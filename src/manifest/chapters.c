/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Chapter formats: Podcasting 2.0 JSON chapters, a WebVTT chapter track,
 * FFMETADATA for ffmpeg (so `ffmpeg -i out.wav -i out.ffmeta -map_metadata 1
 * -map_chapters 1 out.m4b` makes an audiobook) and a CUE sheet.
 */
#include "audio/timeline.h"
#include "manifest/manifest.h"
#include "plan/plan.h"
#include "util/strbuf.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

unsigned long long manifest_ms(const struct timeline *tl, unsigned long long pos)
{
    if (tl->rate <= 0)
        return 0;
    return (pos * 1000ULL + (unsigned long long)tl->rate / 2) / (unsigned long long)tl->rate;
}

double manifest_seconds(const struct timeline *tl, unsigned long long pos)
{
    return (double)manifest_ms(tl, pos) / 1000.0;
}

void manifest_dump(json_t *root, struct strbuf *out)
{
    /* Seconds are rounded to milliseconds; 12 significant digits print
     * them without binary noise (12.346, not 12.345999999999999). */
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (s) {
        strbuf_adds(out, s);
        strbuf_addc(out, '\n');
        free(s);
    }
    json_decref(root);
}

void manifest_chapters_json(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    json_t *root = json_object();
    json_object_set_new(root, "version", json_string("1.2.0"));
    if (p->title)
        json_object_set_new(root, "title", json_string(p->title));
    json_t *chapters = json_array();
    for (size_t i = 0; i < p->nchapters; i++)
        json_array_append_new(chapters, json_pack("{s:f, s:s}", "startTime",
                                                  manifest_seconds(m->tl, m->tl->chapters[i].start),
                                                  "title", p->chapters[i].title));
    json_object_set_new(root, "chapters", chapters);
    manifest_dump(root, out);
}

void manifest_timestamp(struct strbuf *out, unsigned long long ms, char sep)
{
    strbuf_addf(out, "%02llu:%02llu:%02llu%c%03llu", ms / 3600000ULL, ms / 60000ULL % 60,
                ms / 1000ULL % 60, sep, ms % 1000ULL);
}

void manifest_chapters_vtt(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    strbuf_adds(out, "WEBVTT\n");
    for (size_t i = 0; i < p->nchapters; i++) {
        strbuf_addf(out, "\n%d\n", p->chapters[i].number);
        manifest_timestamp(out, manifest_ms(m->tl, m->tl->chapters[i].start), '.');
        strbuf_adds(out, " --> ");
        manifest_timestamp(out, manifest_ms(m->tl, m->tl->chapters[i].end), '.');
        strbuf_addc(out, '\n');
        /* One line (a cue ends at a blank line); '&', '<' and '>' are
         * markup (escaping '>' also keeps "-->" out of it). */
        struct strbuf title = STRBUF_INIT;
        manifest_fold(&title, p->chapters[i].title);
        for (const char *s = title.buf; *s; s++) {
            if (*s == '&')
                strbuf_adds(out, "&amp;");
            else if (*s == '<')
                strbuf_adds(out, "&lt;");
            else if (*s == '>')
                strbuf_adds(out, "&gt;");
            else
                strbuf_addc(out, *s);
        }
        strbuf_release(&title);
        strbuf_addc(out, '\n');
    }
}

/* FFMETADATA values escape '=', ';', '#' and '\' with '\', on one line. */
static void manifest_ff_escape(struct strbuf *out, const char *raw)
{
    struct strbuf folded = STRBUF_INIT;
    manifest_fold(&folded, raw);
    for (const char *s = folded.buf; *s; s++) {
        if (strchr("=;#\\", *s))
            strbuf_addc(out, '\\');
        strbuf_addc(out, *s);
    }
    strbuf_release(&folded);
}

void manifest_ffmetadata(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    strbuf_adds(out, ";FFMETADATA1\n");
    if (p->title) {
        strbuf_adds(out, "title=");
        manifest_ff_escape(out, p->title);
        strbuf_addc(out, '\n');
    }
    if (m->artist) {
        strbuf_adds(out, "artist=");
        manifest_ff_escape(out, m->artist);
        strbuf_addc(out, '\n');
    }
    for (size_t i = 0; i < p->nchapters; i++) {
        strbuf_addf(out, "\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=%llu\nEND=%llu\ntitle=",
                    manifest_ms(m->tl, m->tl->chapters[i].start),
                    manifest_ms(m->tl, m->tl->chapters[i].end));
        manifest_ff_escape(out, p->chapters[i].title);
        strbuf_addc(out, '\n');
    }
}

/* CUE strings are double-quoted with no escape, on one line: a '"'
 * becomes '\''. */
static void manifest_cue_string(struct strbuf *out, const char *raw)
{
    struct strbuf folded = STRBUF_INIT;
    manifest_fold(&folded, raw);
    strbuf_addc(out, '"');
    for (const char *s = folded.buf; *s; s++)
        strbuf_addc(out, *s == '"' ? '\'' : *s);
    strbuf_addc(out, '"');
    strbuf_release(&folded);
}

void manifest_cue(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    if (p->title) {
        strbuf_adds(out, "TITLE ");
        manifest_cue_string(out, p->title);
        strbuf_addc(out, '\n');
    }
    if (m->artist) {
        strbuf_adds(out, "PERFORMER ");
        manifest_cue_string(out, m->artist);
        strbuf_addc(out, '\n');
    }
    const char *base = strrchr(m->audio_file, '/');
    strbuf_adds(out, "FILE ");
    manifest_cue_string(out, base ? base + 1 : m->audio_file);
    strbuf_adds(out, !strcmp(m->audio_format, "mp3") ? " MP3\n" : " WAVE\n");
    for (size_t i = 0; i < p->nchapters; i++) {
        /* CUE positions are minutes:seconds:frames of 1/75 s. */
        unsigned long long f = (m->tl->chapters[i].start * 75ULL + (unsigned)m->tl->rate / 2) /
                               (unsigned long long)m->tl->rate;
        strbuf_addf(out, "  TRACK %02zu AUDIO\n    TITLE ", i + 1);
        manifest_cue_string(out, p->chapters[i].title);
        strbuf_addf(out, "\n    INDEX 01 %02llu:%02llu:%02llu\n", f / 75 / 60, f / 75 % 60, f % 75);
    }
}
