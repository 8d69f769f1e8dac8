/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Timestamps found and removed (contract in stamp.h). The forms come from
 * published transcripts: subtitle exports, podcast sites that link every
 * paragraph to its time, interview write-ups with "[04:22]" before a turn.
 */
#include "script/stamp.h"
#include "script/cue.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <string.h>

static bool stamp_digit(const char *p, const char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

static size_t stamp_digits(const char *p, const char *end)
{
    size_t n = 0;
    while (stamp_digit(p + n, end))
        n++;
    return n;
}

/* One time: H:MM:SS, M:SS or MM:SS (minutes up to 3 digits), with an
 * optional fraction ".21" or ",345". */
static size_t stamp_time(const char *p, const char *end, int *parts)
{
    const char *q = p;
    size_t n = stamp_digits(q, end);
    if (n < 1 || n > 3)
        return 0;
    q += n;
    int fields = 1;
    while (fields < 3 && q < end && *q == ':' && stamp_digits(q + 1, end) == 2) {
        q += 3;
        fields++;
    }
    if (fields < 2)
        return 0;
    if (q < end && (*q == '.' || *q == ',') && stamp_digits(q + 1, end) >= 1 &&
        stamp_digits(q + 1, end) <= 3)
        q += 1 + stamp_digits(q + 1, end);
    if (stamp_digit(q, end) || (q < end && *q == ':'))
        return 0;
    if (parts)
        *parts = fields;
    return (size_t)(q - p);
}

static const char *stamp_spaces(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* A range separator: "-", "--", "-->", "–", "—", "~", "to". */
static size_t stamp_separator(const char *p, const char *end)
{
    static const char *const seps[] = {"-->",          "--", "-",  "\xE2\x80\x93",
                                       "\xE2\x80\x94", "~",  "to", NULL};
    for (size_t i = 0; seps[i]; i++) {
        size_t k = strlen(seps[i]);
        if ((size_t)(end - p) >= k && !memcmp(p, seps[i], k))
            return k;
    }
    return 0;
}

size_t stamp_span(const char *p, const char *end, int *parts)
{
    size_t n = stamp_time(p, end, parts);
    if (!n)
        return 0;
    const char *q = stamp_spaces(p + n, end);
    size_t sep = stamp_separator(q, end);
    if (sep) {
        const char *r = stamp_spaces(q + sep, end);
        size_t m = stamp_time(r, end, NULL);
        if (m)
            return (size_t)(r + m - p);
    }
    return n;
}

static int32_t stamp_close_of(int32_t open)
{
    switch (open) {
    case '[':
        return ']';
    case '(':
        return ')';
    case 0xFF08: /* （ */
        return 0xFF09;
    case 0x3010: /* 【 */
        return 0x3011;
    default:
        return 0;
    }
}

size_t stamp_bracketed(const char *p, const char *end)
{
    const char *q = p;
    int32_t close = stamp_close_of(utf8_decode(&q, end));
    if (!close)
        return 0;
    q = stamp_spaces(q, end);
    if (q < end && *q == '\\')
        q++; /* "[\00:18:51.08]": a stray escape of an exported file */
    size_t n = stamp_span(q, end, NULL);
    if (!n)
        return 0;
    q = stamp_spaces(q + n, end);
    if (q >= end || utf8_decode(&q, end) != close)
        return 0;
    return (size_t)(q - p);
}

/* Spaces and the punctuation that separates or decorates timestamps. */
static size_t stamp_filler(const char *p, const char *end)
{
    const char *q = p;
    int32_t cp = utf8_decode(&q, end);
    if (cp < 0)
        return 0;
    if (utf8_is_space(cp) || cp == '-' || cp == '|' || cp == ',' || cp == '~' || cp == '>' ||
        cp == 0x2013 || cp == 0x2014 || cp == 0x00B7 || cp == '@')
        return (size_t)(q - p);
    return 0;
}

bool stamp_is_only(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    bool any = false;
    while (p < end) {
        size_t k = stamp_filler(p, end);
        if (!k && (k = stamp_bracketed(p, end)))
            any = true;
        if (!k && (k = stamp_span(p, end, NULL)))
            any = true;
        if (!k)
            return false;
        p += k;
    }
    return any;
}

/* A bare timestamp at the start of a line, and how much to skip with it
 * (the separator after it too: "00:16 - Hello"). 0 when the time may be
 * speech: "10:30 on Fridays" is a clock time, "00:16 Hello" and "1:08:47"
 * are not; any time alone on its line is a timestamp. */
static size_t stamp_bare_lead(const char *p, const char *end)
{
    int parts = 0;
    size_t n = stamp_span(p, end, &parts);
    if (!n)
        return 0;
    const char *q = p + n;
    if (q < end && !stamp_filler(q, end)) {
        /* "00:00:01Eccoci": transcripts copied from a video page glue the
         * time to a capitalized sentence; "10:30am", "0:02," stay text */
        const char *r = q;
        int32_t cp = utf8_decode(&r, end);
        bool capital = (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
                       (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F) ||
                       (cp >= 0x3040 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF);
        return capital && (parts == 3 || p[0] == '0') ? n : 0;
    }
    const char *r = q;
    size_t k;
    while (r < end && (k = stamp_filler(r, end)))
        r += k;
    if (parts < 3 && p[0] != '0' && r < end)
        return 0;
    return (size_t)(r - p);
}

/* What goes with a bracketed timestamp just removed at p: the rest of a
 * range written as two ("[18:04] to [00:18:51.08]"), and at the start of a
 * line the colon of a label made only of a time ("(00:02:00):", which
 * continues the current speaker). */
static const char *stamp_after(const char *p, const char *end, bool at_start)
{
    const char *q = stamp_spaces(p, end);
    size_t sep = stamp_separator(q, end);
    if (sep) {
        const char *r = stamp_spaces(q + sep, end);
        size_t k = stamp_bracketed(r, end);
        if (k)
            p = q = stamp_spaces(r + k, end);
    }
    if (at_start) {
        if (q < end && *q == ':')
            return q + 1;
        if (end - q >= 3 && !memcmp(q, "\xEF\xBC\x9A", 3)) /* ： */
            return q + 3;
    }
    return p;
}

void strip_text(const char *src, const struct cue_list *cues, struct strbuf *out,
                struct strip_count *n)
{
    const char *p = src, *end = src + strlen(src);
    size_t start = out->len;
    bool brk = false;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    size_t lead = stamp_bare_lead(p, end);
    if (lead) {
        p += lead;
        if (n)
            n->stamps++;
    }
    while (p < end) {
        size_t k = stamp_bracketed(p, end);
        if (k) {
            p += k;
            if (n)
                n->stamps++;
            p = stamp_after(p, end, out->len == start);
            continue;
        }
        if ((k = cue_editor_note(p, end))) {
            /* "comme Dragon (un logiciel…, ndlr) qui": read on, no pause */
            p += k;
            if (n)
                n->cues++;
            size_t len = out->len;
            while (len > start && (out->buf[len - 1] == ' ' || out->buf[len - 1] == '\t'))
                len--;
            strbuf_setlen(out, len);
            if (out->len == start)
                while (p < end && (*p == ' ' || *p == '\t'))
                    p++;
            continue;
        }
        if (cues && (k = cue_bracketed(p, end, cues))) {
            p += k;
            brk = true;
            if (n)
                n->cues++;
            /* "and [inaudible]. It's": the stop ends the speech before. */
            const char *q = p;
            int32_t cp = utf8_decode(&q, end);
            if (cp == '.' || cp == ',' || cp == ';' || cp == '!' || cp == '?' || cp == 0x3002 ||
                cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F || cp == 0x3001) {
                size_t len = out->len;
                while (len > start && (out->buf[len - 1] == ' ' || out->buf[len - 1] == '\t'))
                    len--;
                strbuf_setlen(out, len);
                if (out->len > start)
                    strbuf_add(out, p, (size_t)(q - p));
                p = q;
            }
            continue;
        }
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (brk && cp >= 0 && !utf8_is_space(cp)) {
            bool text_before = false;
            for (size_t i = start; i < out->len && !text_before; i++)
                text_before = out->buf[i] != ' ' && out->buf[i] != '\t';
            if (text_before)
                strbuf_addc(out, STRIP_BREAK);
            brk = false;
        }
        strbuf_add(out, at, (size_t)(p - at));
    }
}
