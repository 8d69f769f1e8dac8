/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The listening page: one self-contained HTML file with the player, the
 * chapters, the transcript (speaker names and colours, one span per cue,
 * timed in milliseconds of the file written) and a waveform overview. The
 * transcript is plain HTML, so it reads without script, in a screen reader
 * and in search engines; the script and style embedded from
 * src/manifest/page/ only add following, seeking and search. Nothing is
 * loaded from the network.
 */
#include "audio/peaks.h"
#include "audio/timeline.h"
#include "manifest/cues.h"
#include "manifest/manifest.h"
#include "manifest/markup.h"
#include "plan/plan.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

extern const char page_player_js[];
extern const char page_player_css[];

/* H:MM:SS or M:SS, as players show positions. */
static void html_clock(struct strbuf *out, unsigned long long ms)
{
    unsigned long long s = ms / 1000;
    if (s >= 3600)
        strbuf_addf(out, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
    else
        strbuf_addf(out, "%llu:%02llu", s / 60, s % 60);
}

static void html_base64(struct strbuf *out, const unsigned char *v, size_t n)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned x = (unsigned)v[i] << 16;
        if (i + 1 < n)
            x |= (unsigned)v[i + 1] << 8;
        if (i + 2 < n)
            x |= v[i + 2];
        strbuf_addc(out, b64[x >> 18 & 63]);
        strbuf_addc(out, b64[x >> 12 & 63]);
        strbuf_addc(out, i + 1 < n ? b64[x >> 6 & 63] : '=');
        strbuf_addc(out, i + 2 < n ? b64[x & 63] : '=');
    }
}

/* JSON string contents safe inside a <script> element: no "</" can end it. */
static void html_json_string(struct strbuf *out, const char *s)
{
    strbuf_addc(out, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            strbuf_addf(out, "\\%c", c);
        else if (c == '<')
            strbuf_adds(out, "\\u003c");
        else if (c < 0x20)
            strbuf_addf(out, "\\u%04x", c);
        else
            strbuf_addc(out, (char)c);
    }
    strbuf_addc(out, '"');
}

static const char *html_audio_type(const char *format)
{
    static const char *const map[][2] = {
        {"wav", "audio/wav"},  {"flac", "audio/flac"}, {"ogg", "audio/ogg"}, {"opus", "audio/ogg"},
        {"mp3", "audio/mpeg"}, {"m4a", "audio/mp4"},   {"m4b", "audio/mp4"},
    };
    for (size_t i = 0; format && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(format, map[i][0]))
            return map[i][1];
    return "audio/*";
}

static void html_head(const struct manifest_in *m, const char *title, struct strbuf *out)
{
    const struct plan *p = m->plan;
    strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
    markup_text(out, p->lang ? p->lang : "und");
    strbuf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"scriptcast " SCRIPTCAST_VERSION "\">\n"
                     "<title>");
    markup_text(out, title);
    strbuf_adds(out, "</title>\n");
    if (m->description) {
        strbuf_adds(out, "<meta name=\"description\" content=\"");
        markup_text(out, m->description);
        strbuf_adds(out, "\">\n");
    }
    strbuf_adds(out, "<style>\n");
    strbuf_adds(out, page_player_css);
    strbuf_adds(out, "</style>\n</head>\n");
}

static void html_header(const struct manifest_in *m, const char *title, struct strbuf *out)
{
    const struct plan *p = m->plan;
    strbuf_adds(out,
                "<body>\n<a class=\"skip\" href=\"#sc-transcript\">Skip to the transcript</a>\n"
                "<header>\n<h1>");
    markup_text(out, title);
    strbuf_adds(out, "</h1>\n");
    if (m->artist) {
        strbuf_adds(out, "<p class=\"people\">");
        markup_text(out, m->artist);
        strbuf_adds(out, "</p>\n");
    }
    strbuf_adds(out, "<p class=\"facts\">");
    if (m->date) {
        strbuf_adds(out, "<time datetime=\"");
        markup_text(out, m->date);
        strbuf_adds(out, "\">");
        markup_text(out, m->date);
        strbuf_adds(out, "</time> · ");
    }
    html_clock(out, manifest_ms(m->tl, m->tl->samples));
    strbuf_addf(out, " · %zu %s</p>\n", p->nchapters, p->nchapters == 1 ? "chapter" : "chapters");
    if (m->description) {
        strbuf_adds(out, "<p class=\"description\">");
        markup_text(out, m->description);
        strbuf_adds(out, "</p>\n");
    }
    strbuf_adds(out, "</header>\n");
}

static void html_player(const struct manifest_in *m, struct strbuf *out)
{
    unsigned long long total = manifest_ms(m->tl, m->tl->samples);
    strbuf_adds(out, "<section class=\"player\" aria-label=\"Player\">\n"
                     "<audio id=\"sc-audio\" controls preload=\"metadata\">"
                     "<source src=\"");
    markup_url(out, m->audio_file);
    strbuf_addf(out, "\" type=\"%s\">", html_audio_type(m->audio_format));
    strbuf_adds(out, "Your browser cannot play this audio; download it below.</audio>\n"
                     "<div class=\"timeline\"><canvas id=\"sc-wave\" tabindex=\"0\" "
                     "role=\"slider\" aria-label=\"Position (waveform and chapter marks)\" "
                     "aria-valuemin=\"0\" ");
    strbuf_addf(out, "aria-valuemax=\"%llu\" aria-valuenow=\"0\"></canvas></div>\n",
                (total + 500) / 1000);
    strbuf_adds(out, "<p class=\"keys\">Space play/pause · ← → 5 s (Shift 30 s) · "
                     "PgUp/PgDn chapter · / search</p>\n</section>\n");
}

static void html_chapters(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    strbuf_adds(out, "<nav class=\"chapters\" aria-labelledby=\"sc-ch-h\">\n"
                     "<h2 id=\"sc-ch-h\">Chapters</h2>\n<ol id=\"sc-chapters\">\n");
    for (size_t i = 0; i < p->nchapters; i++) {
        unsigned long long ms = manifest_ms(m->tl, m->tl->chapters[i].start);
        strbuf_addf(out, "<li><a href=\"#t=%llu.%03llu\" data-s=\"%llu\">", ms / 1000, ms % 1000,
                    ms);
        markup_text(out, p->chapters[i].title);
        strbuf_adds(out, "</a> <span class=\"time\">");
        html_clock(out, ms);
        strbuf_adds(out, "</span></li>\n");
    }
    strbuf_adds(out, "</ol>\n</nav>\n");
}

/* Every segment's cues in one element: a heading for announcements, a
 * paragraph with the speaker's name for speech. */
static void html_transcript(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    size_t n;
    struct cue *cues = cues_build(p, m->tl, &n);
    strbuf_adds(out, "<section class=\"transcript\" aria-labelledby=\"sc-tr-h\">\n"
                     "<h2 id=\"sc-tr-h\">Transcript</h2>\n"
                     "<form class=\"search\" role=\"search\" onsubmit=\"return false\">"
                     "<label for=\"sc-search\">Search</label> "
                     "<input id=\"sc-search\" type=\"search\" autocomplete=\"off\"> "
                     "<output id=\"sc-found\" for=\"sc-search\" aria-live=\"polite\"></output>"
                     "</form>\n<div id=\"sc-transcript\" tabindex=\"-1\">\n");
    size_t i = 0;
    int last_speaker = -1; /* of the previous paragraph; -1 after a heading */
    while (i < n) {
        size_t seg = cues[i].segment;
        const struct plan_segment *sg = &p->segments[seg];
        bool heading = sg->kind != PLAN_SPEECH;
        if (heading) {
            strbuf_adds(out, sg->kind == PLAN_TITLE ? "<p class=\"turn title\">" : "<h3>");
            last_speaker = -1;
        } else if (sg->speaker == last_speaker) {
            /* The same speaker goes on: no name again, as in a transcript. */
            strbuf_addf(out, "<p class=\"turn sp%d\">", sg->speaker % 8);
        } else {
            last_speaker = sg->speaker;
            strbuf_addf(out, "<p class=\"turn sp%d\"><span class=\"who\">", sg->speaker % 8);
            markup_text(out, cues[i].speaker);
            strbuf_adds(out, " <span class=\"time\">");
            html_clock(out, manifest_ms(m->tl, cues[i].start));
            strbuf_adds(out, "</span></span>");
        }
        for (; i < n && cues[i].segment == seg; i++) {
            strbuf_addf(out, "<span class=\"cue\" tabindex=\"-1\" data-s=\"%llu\" data-e=\"%llu\">",
                        manifest_ms(m->tl, cues[i].start), manifest_ms(m->tl, cues[i].end));
            markup_text(out, cues[i].text);
            strbuf_adds(out, "</span>");
            /* Latin sentences are separated by a space; Chinese and
             * Japanese ones, which end in full-width punctuation, are not. */
            size_t len = strlen(cues[i].text);
            if (len && (unsigned char)cues[i].text[len - 1] < 0x80)
                strbuf_addc(out, ' ');
        }
        strbuf_rtrim(out);
        strbuf_adds(out, heading && sg->kind != PLAN_TITLE ? "</h3>\n" : "</p>\n");
    }
    cues_free(cues, n);
    strbuf_adds(out, "</div>\n</section>\n");
}

static void html_footer(const struct manifest_in *m, struct strbuf *out)
{
    strbuf_adds(out, "<footer>\n<h2>Downloads</h2>\n<ul>\n<li><a href=\"");
    markup_url(out, m->audio_file);
    strbuf_adds(out, "\" download>Audio (");
    markup_text(out, m->audio_format);
    strbuf_adds(out, ")</a></li>\n");
    for (size_t i = 0; i < m->nlinks; i++) {
        strbuf_adds(out, "<li><a href=\"");
        markup_url(out, m->links[i].href);
        strbuf_adds(out, "\" download>");
        markup_text(out, m->links[i].label);
        strbuf_adds(out, "</a></li>\n");
    }
    strbuf_adds(out, "</ul>\n<p>Voices synthesized with espeak-ng by scriptcast.</p>\n</footer>\n");
}

void manifest_html(const struct manifest_in *m, struct strbuf *out)
{
    const struct plan *p = m->plan;
    const char *title = p->title ? p->title : m->audio_file;
    html_head(m, title, out);
    html_header(m, title, out);
    strbuf_adds(out, "<main>\n");
    html_player(m, out);
    strbuf_adds(out, "<div class=\"layout\">\n");
    html_chapters(m, out);
    html_transcript(m, out);
    strbuf_adds(out, "</div>\n</main>\n");
    html_footer(m, out);
    strbuf_adds(out, "<script id=\"sc-data\" type=\"application/json\">{\"seconds\":");
    unsigned long long total = manifest_ms(m->tl, m->tl->samples);
    strbuf_addf(out, "%llu.%03llu,\"title\":", total / 1000, total % 1000);
    html_json_string(out, title);
    strbuf_adds(out, ",\"peakSeconds\":");
    if (m->peaks) {
        strbuf_addf(out, "%.3f,\"peaks\":\"", peaks_seconds_per_value(m->peaks));
        html_base64(out, m->peaks->v, m->peaks->n);
        strbuf_adds(out, "\"}");
    } else {
        strbuf_adds(out, "0,\"peaks\":\"\"}");
    }
    strbuf_adds(out, "</script>\n<script>\n");
    strbuf_adds(out, page_player_js);
    strbuf_adds(out, "</script>\n</body>\n</html>\n");
}
