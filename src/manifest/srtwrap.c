/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wrapping SRT cue text into lines and cues (contract in srtwrap.h). The
 * text is cut into units that may not be split: a Latin word (with the
 * space after it), or one CJK character with any closing punctuation after
 * it. Lines are filled greedily; a unit longer than a line is cut at the
 * line's length.
 */
#include "manifest/srtwrap.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <string.h>

/* Punctuation that may not start a line. */
static bool srtwrap_closing(int32_t cp)
{
    static const int32_t closing[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01,
                                      0xFF1F, 0x300D, 0x300F, 0x201D, 0x2019, 0xFF09, 0x3011,
                                      0x300B, 0x3009, 0x2026, ',',    '.',    '!',    '?',
                                      ':',    ';',    ')',    ']'};
    for (size_t i = 0; i < sizeof(closing) / sizeof(closing[0]); i++)
        if (cp == closing[i])
            return true;
    return false;
}

struct srtwrap_line {
    struct strbuf text;
    size_t chars;
};

struct srtwrap_state {
    struct srtwrap_line *lines;
    size_t n, cap;
};

static struct srtwrap_line *srtwrap_new_line(struct srtwrap_state *st)
{
    XGROW(st->lines, st->cap, st->n + 1);
    struct srtwrap_line *l = &st->lines[st->n++];
    strbuf_init(&l->text);
    l->chars = 0;
    return l;
}

/* Adds one unit (bytes [p, e), chars characters, space: a space follows it). */
static void srtwrap_add(struct srtwrap_state *st, const char *p, const char *e, size_t chars,
                        bool space)
{
    struct srtwrap_line *l = st->n ? &st->lines[st->n - 1] : srtwrap_new_line(st);
    bool need_space = l->chars && l->text.len && l->text.buf[l->text.len - 1] == ' ';
    if (l->chars && l->chars + chars > SRTWRAP_LINE) {
        if (need_space) {
            strbuf_setlen(&l->text, l->text.len - 1);
            l->chars--;
        }
        l = srtwrap_new_line(st);
    }
    while (chars > SRTWRAP_LINE - l->chars) {
        /* A unit longer than a line: cut it where the line is full. */
        size_t take = SRTWRAP_LINE - l->chars;
        const char *q = p;
        for (size_t i = 0; i < take; i++)
            utf8_decode(&q, e);
        strbuf_add(&l->text, p, (size_t)(q - p));
        l->chars += take;
        chars -= take;
        p = q;
        l = srtwrap_new_line(st);
    }
    strbuf_add(&l->text, p, (size_t)(e - p));
    l->chars += chars;
    if (space && l->chars < SRTWRAP_LINE) {
        strbuf_addc(&l->text, ' ');
        l->chars++;
    }
}

size_t srtwrap_split(const char *prefix, const char *text, struct srtwrap_piece **out)
{
    struct strbuf all = STRBUF_INIT;
    strbuf_adds(&all, prefix);
    for (const char *s = text; *s; s++)
        strbuf_addc(&all, *s == '\n' ? ' ' : *s);
    struct srtwrap_state st = {NULL, 0, 0};
    const char *p = all.buf, *end = all.buf + all.len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end)
            break;
        const char *u = p, *q = p;
        int32_t cp = utf8_decode(&q, end);
        size_t chars = 1;
        if (utf8_is_cjk(cp) && !srtwrap_closing(cp)) {
            p = q;
        } else {
            /* A Latin word (or a run of other non-CJK characters) up to a space or CJK. */
            p = q;
            while (p < end && *p != ' ') {
                const char *r = p;
                int32_t c = utf8_decode(&r, end);
                if (utf8_is_cjk(c) && !srtwrap_closing(c))
                    break;
                p = r;
                chars++;
            }
        }
        /* Closing punctuation stays with what it closes. */
        while (p < end) {
            const char *r = p;
            int32_t c = utf8_decode(&r, end);
            if (!srtwrap_closing(c))
                break;
            p = r;
            chars++;
        }
        srtwrap_add(&st, u, p, chars, p < end && *p == ' ');
    }
    /* Trailing spaces off every line; then two lines a piece. */
    size_t npieces = (st.n + SRTWRAP_LINES - 1) / SRTWRAP_LINES;
    struct srtwrap_piece *pieces = xcalloc(npieces ? npieces : 1, sizeof(*pieces));
    for (size_t i = 0; i < st.n; i++) {
        struct srtwrap_line *l = &st.lines[i];
        while (l->text.len && l->text.buf[l->text.len - 1] == ' ') {
            strbuf_setlen(&l->text, l->text.len - 1);
            l->chars--;
        }
    }
    for (size_t k = 0; k < npieces; k++) {
        struct strbuf sb = STRBUF_INIT;
        size_t chars = 0;
        for (size_t i = k * SRTWRAP_LINES; i < st.n && i < (k + 1) * SRTWRAP_LINES; i++) {
            if (sb.len)
                strbuf_addc(&sb, '\n');
            strbuf_add(&sb, st.lines[i].text.buf, st.lines[i].text.len);
            chars += st.lines[i].chars;
        }
        pieces[k].text = strbuf_detach(&sb);
        pieces[k].chars = chars;
    }
    for (size_t i = 0; i < st.n; i++)
        strbuf_release(&st.lines[i].text);
    free(st.lines);
    strbuf_release(&all);
    *out = pieces;
    return npieces;
}

void srtwrap_free(struct srtwrap_piece *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].text);
    free(p);
}
