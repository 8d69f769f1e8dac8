/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Numbers per language: the dispatch by language tag (numlang.h) and the
 * helpers the language readers share (numlang_text.h). The text is decoded
 * once; nl_normalize() walks it and offers each number start and minus
 * sign to the language's reader, copying everything else as written, so a
 * reader only has to know its own written forms.
 */
#include "plan/numlang.h"
#include "plan/numlang_text.h"
#include "plan/runtext.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void nl_load(struct nl_text *t, const char *src)
{
    const char *p = src, *end = src + strlen(src);
    size_t cap = 0;
    *t = (struct nl_text){src, NULL, 0};
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        XGROW(t->c, cap, t->n + 1);
        t->c[t->n++] =
            (struct nl_ch){utf8_fold_fullwidth(cp), (size_t)(at - src), (size_t)(p - at)};
    }
}

void nl_free(struct nl_text *t)
{
    free(t->c);
    t->c = NULL;
    t->n = 0;
}

int32_t nl_at(const struct nl_text *t, size_t i)
{
    return i < t->n ? t->c[i].cp : 0;
}

bool nl_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

bool nl_letter(int32_t cp)
{
    return utf8_is_latin_letter(cp) || (cp >= 0x0370 && cp <= 0x03FF) /* Greek */ ||
           (cp >= 0x0400 && cp <= 0x052F) /* Cyrillic */ ||
           (cp >= 0x0620 && cp <= 0x064A) /* Arabic letters */ ||
           (utf8_is_cjk(cp) && !utf8_is_cjk_punct(cp));
}

size_t nl_digits_end(const struct nl_text *t, size_t i)
{
    while (nl_digit(nl_at(t, i)))
        i++;
    return i;
}

uint64_t nl_value(const struct nl_text *t, size_t from, size_t to)
{
    uint64_t v = 0;
    for (size_t i = from; i < to && i - from < 18; i++)
        v = v * 10 + (uint64_t)(nl_at(t, i) - '0');
    return v;
}

void nl_copy(struct strbuf *sb, const struct nl_text *t, size_t from, size_t to)
{
    if (to > from && from < t->n)
        strbuf_add(sb, t->src + t->c[from].off,
                   t->c[to - 1].off + t->c[to - 1].len - t->c[from].off);
}

bool nl_number_start(const struct nl_text *t, size_t i)
{
    if (!nl_digit(nl_at(t, i)))
        return false;
    if (i == 0)
        return true;
    int32_t prev = t->c[i - 1].cp;
    if (nl_digit(prev) || utf8_is_latin_letter(prev) || (prev >= 0x0400 && prev <= 0x052F))
        return false;
    /* The 5 of 3,5 or 1.5.3 belongs to the number before it. */
    return !((prev == '.' || prev == ',' || prev == ':') && i >= 2 && nl_digit(t->c[i - 2].cp));
}

size_t nl_skip_space(const struct nl_text *t, size_t i)
{
    while (i < t->n && utf8_is_space(t->c[i].cp))
        i++;
    return i;
}

bool nl_word_before(const struct nl_text *t, size_t i, size_t *from, size_t *to)
{
    while (i > 0 && utf8_is_space(t->c[i - 1].cp))
        i--;
    *to = i;
    while (i > 0 && nl_letter(t->c[i - 1].cp))
        i--;
    *from = i;
    return *from < *to;
}

bool nl_word_after(const struct nl_text *t, size_t i, size_t *from, size_t *to)
{
    i = nl_skip_space(t, i);
    *from = i;
    while (i < t->n && nl_letter(t->c[i].cp))
        i++;
    *to = i;
    return *from < *to;
}

/* Lower case for the scripts whose words the readers look at. */
static int32_t nl_lower(int32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
        (cp >= 0x0410 && cp <= 0x042F))
        return cp + 32;
    if (cp >= 0x0400 && cp <= 0x040F)
        return cp + 80;
    return cp;
}

bool nl_word_is(const struct nl_text *t, size_t from, size_t to, const char *const *list)
{
    for (; *list; list++) {
        const char *p = *list, *end = p + strlen(p);
        size_t i = from;
        while (p < end && i < to && nl_lower(utf8_decode(&p, end)) == nl_lower(t->c[i].cp))
            i++;
        if (p == end && i == to)
            return true;
    }
    return false;
}

/* A run of 1-2 digits at i, its value in *v; the index after it, or 0. */
static size_t nl_small(const struct nl_text *t, size_t i, unsigned *v)
{
    size_t e = nl_digits_end(t, i);
    if (e == i || e - i > 2)
        return 0;
    *v = (unsigned)nl_value(t, i, e);
    return e;
}

/* Whether a date or time ends at e: no further digit group joined to it. */
static bool nl_ends_here(const struct nl_text *t, size_t e)
{
    int32_t c = nl_at(t, e);
    return !nl_digit(c) && !((c == '.' || c == '/' || c == '-' || c == ':' || c == ',') &&
                             nl_digit(nl_at(t, e + 1)));
}

bool nl_date(const struct nl_text *t, size_t i, const char *seps, bool month_first,
             struct nl_date *d)
{
    size_t e = nl_digits_end(t, i);
    unsigned a, b;
    if (e - i == 4 && nl_at(t, e) == '-') {
        /* ISO 8601: 2026-12-03 */
        size_t m = nl_digits_end(t, e + 1), dd;
        if (m - e != 3 || nl_at(t, m) != '-')
            return false;
        dd = nl_digits_end(t, m + 1);
        if (dd - m != 3 || !nl_ends_here(t, dd))
            return false;
        *d = (struct nl_date){(unsigned)nl_value(t, m + 1, dd), (unsigned)nl_value(t, e + 1, m), i,
                              e, dd};
    } else {
        int32_t sep = nl_at(t, e);
        size_t m, y;
        if (!sep || sep > 127 || !strchr(seps, (int)sep) || !nl_small(t, i, &a) ||
            !(m = nl_small(t, e + 1, &b)) || nl_at(t, m) != sep)
            return false;
        y = nl_digits_end(t, m + 1);
        if (y - m != 5 || !nl_ends_here(t, y))
            return false;
        *d = (struct nl_date){month_first ? b : a, month_first ? a : b, m + 1, y, y};
    }
    return d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31;
}

size_t nl_clock(const struct nl_text *t, size_t i, int32_t sep, unsigned *hour, unsigned *min)
{
    size_t h = nl_small(t, i, hour), m;
    if (!h || nl_at(t, h) != sep)
        return 0;
    m = nl_digits_end(t, h + 1);
    if (m - h != 3 || !nl_ends_here(t, m))
        return 0;
    *min = (unsigned)nl_value(t, h + 1, m);
    return *hour <= 24 && *min <= 59 ? m : 0;
}

bool nl_minus(const struct nl_text *t, size_t i)
{
    int32_t cp = nl_at(t, i);
    if ((cp != '-' && cp != 0x2212) || !nl_digit(nl_at(t, i + 1)))
        return false;
    if (i == 0)
        return true;
    int32_t prev = t->c[i - 1].cp;
    return !nl_digit(prev) && !nl_letter(prev) && prev != '-' && prev != '/';
}

static bool nl_group_space(int32_t cp)
{
    return cp == ' ' || cp == 0x00A0 || cp == 0x202F || cp == 0x2009;
}

size_t nl_space_groups(const struct nl_text *t, size_t i, struct strbuf *sb)
{
    size_t e = nl_digits_end(t, i), groups = 0;
    if (e == i || e - i > 3 || nl_at(t, i) == '0')
        return 0;
    while (nl_group_space(nl_at(t, e)) && nl_digits_end(t, e + 1) == e + 4) {
        groups++;
        e += 4;
    }
    if (!groups)
        return 0;
    if (sb)
        for (size_t k = i; k < e; k++)
            if (nl_digit(nl_at(t, k)))
                strbuf_addc(sb, (char)nl_at(t, k));
    return e;
}

char *nl_normalize(const char *text, nl_reader read)
{
    struct nl_text t;
    struct strbuf out = STRBUF_INIT;
    nl_load(&t, text);
    for (size_t i = 0; i < t.n;) {
        size_t next = 0;
        if (nl_number_start(&t, i) || nl_minus(&t, i))
            next = read(&t, i, &out);
        if (next > i) {
            i = next;
        } else {
            nl_copy(&out, &t, i, i + 1);
            i++;
        }
    }
    nl_free(&t);
    return strbuf_detach(&out);
}

/* The run's numbers rewritten, then what every other language gets (runtext.h). */
static char *numlang_then_default(char *(*normalize)(const char *text), const char *text)
{
    char *n = normalize(text);
    char *t = runtext_default(n);
    free(n);
    return t;
}

char *numlang_de(const char *text)
{
    return numlang_then_default(numde_normalize, text);
}

char *numlang_es(const char *text)
{
    return numlang_then_default(numes_normalize, text);
}

char *numlang_fr(const char *text)
{
    return numlang_then_default(numfr_normalize, text);
}

char *numlang_en(const char *text)
{
    return numlang_then_default(numen_normalize, text);
}

char *numlang_ko(const char *text)
{
    return numlang_then_default(numko_normalize, text);
}

char *numlang_ar(const char *text)
{
    return numlang_then_default(numar_normalize, text);
}

char *numlang_ru(const char *text)
{
    return numlang_then_default(numru_normalize, text);
}
