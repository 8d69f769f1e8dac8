/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cutting segments into timed subtitle cues (contract in cues.h).
 */
#include "manifest/cues.h"
#include "audio/timeline.h"
#include "plan/plan.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <string.h>
#include <strings.h>

#define CUES_CLAUSE_MIN 16 /* characters before a long sentence may be cut */
#define CUES_CLAUSE_REST 8 /* ...and at least this many must remain */

struct cues_range {
    size_t b, e; /* bytes [b, e) */
    size_t chars;
};

static bool cues_is_terminator(int32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == 0x2026 ||
           cp == '!' || cp == '?' || cp == ';';
}

static bool cues_is_closer(int32_t cp)
{
    return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0xFF09 ||
           cp == ')' || cp == '"' || cp == '\'';
}

static bool cues_is_clause(int32_t cp)
{
    return cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1A || cp == ',' || cp == ':';
}

/* "Dr." or "e.g." is not the end of a sentence. */
static bool cues_abbrev(const char *text, size_t dot)
{
    static const char *const abbrevs[] = {"Dr",  "Mr",  "Mrs", "Ms", "St", "Prof", "vs",
                                          "etc", "e.g", "i.e", "Jr", "Sr", NULL};
    size_t b = dot;
    while (b > 0 && text[b - 1] != ' ')
        b--;
    for (size_t i = 0; abbrevs[i]; i++)
        if (strlen(abbrevs[i]) == dot - b && !strncasecmp(text + b, abbrevs[i], dot - b))
            return true;
    return dot - b == 1; /* an initial: "J. Smith" */
}

static size_t cues_chars(const char *text, size_t b, size_t e)
{
    size_t n = 0;
    for (size_t i = b; i < e; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80 && text[i] != ' ';
    return n ? n : 1;
}

static void cues_push(struct cues_range **v, size_t *n, size_t *cap, const char *text, size_t b,
                      size_t e)
{
    while (b < e && text[b] == ' ')
        b++;
    while (e > b && text[e - 1] == ' ')
        e--;
    if (b >= e)
        return;
    XGROW(*v, *cap, *n + 1);
    (*v)[*n].b = b;
    (*v)[*n].e = e;
    (*v)[*n].chars = cues_chars(text, b, e);
    (*n)++;
}

/* Sentences of text[b, e). */
static struct cues_range *cues_sentences(const char *text, size_t b, size_t e, size_t *n)
{
    struct cues_range *v = NULL;
    size_t cap = 0, start = b;
    *n = 0;
    const char *p = text + b, *end = text + e;
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        bool stop = cues_is_terminator(cp);
        if (cp == '.' && (p == end || *p == ' ') && !cues_abbrev(text, (size_t)(at - text)))
            stop = true;
        if (!stop)
            continue;
        while (p < end) {
            const char *q = p;
            int32_t next = utf8_decode(&q, end);
            if (!cues_is_closer(next) && !cues_is_terminator(next))
                break;
            p = q;
        }
        cues_push(&v, n, &cap, text, start, (size_t)(p - text));
        start = (size_t)(p - text);
    }
    cues_push(&v, n, &cap, text, start, e);
    return v;
}

/* Long sentences cut at clause punctuation. */
static struct cues_range *cues_clauses(const char *text, const struct cues_range *s, size_t *n)
{
    struct cues_range *v = NULL;
    size_t cap = 0, start = s->b, done = 0;
    *n = 0;
    const char *p = text + s->b, *end = text + s->e;
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        if (!cues_is_clause(cp) || (cp == ',' && p < end && *p != ' '))
            continue;
        size_t here = (size_t)(p - text);
        size_t before = cues_chars(text, start, here);
        size_t after = s->chars - done - before;
        if (before >= CUES_CLAUSE_MIN && after >= CUES_CLAUSE_REST) {
            cues_push(&v, n, &cap, text, start, here);
            done += before;
            start = here;
        }
    }
    cues_push(&v, n, &cap, text, start, s->e);
    return v;
}

void cues_free(struct cue *cues, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cues[i].text);
    free(cues);
}

size_t cues_split(const char *text, size_t *starts, size_t max)
{
    size_t ns, count = 0;
    struct cues_range *s = cues_sentences(text, 0, strlen(text), &ns);
    for (size_t i = 0; i < ns; i++) {
        size_t nc;
        struct cues_range *c = cues_clauses(text, &s[i], &nc);
        for (size_t k = 0; k < nc; k++, count++)
            if (count < max)
                starts[count] = c[k].b;
        free(c);
    }
    free(s);
    return count;
}

/* Boundaries of n pieces over [a, b] by share of characters. */
static uint64_t cues_share(uint64_t a, uint64_t b, size_t part, size_t total)
{
    if (!total)
        return a;
    return a + (b - a) * part / total;
}

struct cue *cues_build(const struct plan *p, const struct timeline *tl, size_t *n)
{
    struct cue *out = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < p->nsegments; i++) {
        const struct plan_segment *sg = &p->segments[i];
        const struct timeline_segment *ts = &tl->segments[i];
        size_t ns;
        struct cues_range *s = cues_sentences(sg->text, 0, strlen(sg->text), &ns);
        size_t total = 0;
        for (size_t k = 0; k < ns; k++)
            total += s[k].chars;
        /* Engine sentence events time the sentences when they line up. */
        bool use_marks = ns > 1 && ts->nmarks == ns - 1;
        for (size_t k = 0; use_marks && k < ts->nmarks; k++)
            use_marks = ts->marks[k] > ts->start && ts->marks[k] < ts->end &&
                        (k == 0 || ts->marks[k] > ts->marks[k - 1]);
        size_t seen = 0;
        for (size_t k = 0; k < ns; k++) {
            uint64_t a = use_marks ? (k ? ts->marks[k - 1] : ts->start)
                                   : cues_share(ts->start, ts->end, seen, total);
            seen += s[k].chars;
            uint64_t b = use_marks ? (k + 1 < ns ? ts->marks[k] : ts->end)
                                   : cues_share(ts->start, ts->end, seen, total);
            size_t nc;
            struct cues_range *c = cues_clauses(sg->text, &s[k], &nc);
            size_t in = 0;
            for (size_t j = 0; j < nc; j++) {
                XGROW(out, cap, *n + 1);
                struct cue *q = &out[(*n)++];
                q->segment = i;
                q->speaker = p->speakers[sg->speaker].name;
                q->text = xstrndup(sg->text + c[j].b, c[j].e - c[j].b);
                q->start = cues_share(a, b, in, s[k].chars);
                in += c[j].chars;
                q->end = j + 1 == nc ? b : cues_share(a, b, in, s[k].chars);
            }
            free(c);
        }
        free(s);
    }
    return out;
}
