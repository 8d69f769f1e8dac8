/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Per-voice text of a run (contract and reasons in runtext.h). Chinese text
 * goes through three passes — before numbers are written out (spaces, $),
 * numzh_normalize(), after (punctuation and symbols) — because the number
 * reader needs the digits and their neighbours as written, and the symbol
 * pass needs to know which '/' and '+' the number reader left.
 */
#include "plan/runtext.h"
#include "plan/numlang.h"
#include "plan/numzh.h"
#include "plan/textja.h"
#include "plan/zhhant.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct rt_ch {
    int32_t cp;  /* full-width forms folded */
    int32_t raw; /* as written */
    size_t off, len;
};

struct rt_text {
    const char *src;
    struct rt_ch *c;
    size_t n;
};

static void rt_load(struct rt_text *t, const char *src)
{
    const char *p = src, *end = src + strlen(src);
    size_t cap = 0;
    *t = (struct rt_text){src, NULL, 0};
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        XGROW(t->c, cap, t->n + 1);
        t->c[t->n++] =
            (struct rt_ch){utf8_fold_fullwidth(cp), cp, (size_t)(at - src), (size_t)(p - at)};
    }
}

static int32_t rt_at(const struct rt_text *t, size_t i)
{
    return i < t->n ? t->c[i].cp : 0;
}

static void rt_copy(struct strbuf *sb, const struct rt_text *t, size_t i)
{
    strbuf_add(sb, t->src + t->c[i].off, t->c[i].len);
}

static bool rt_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool rt_han(int32_t cp)
{
    return utf8_is_cjk(cp) && !utf8_is_cjk_punct(cp);
}

static bool rt_alnum(int32_t cp)
{
    return rt_digit(cp) || utf8_is_latin_letter(cp);
}

/* The nearest character before i / from i on that is not white space. */
static int32_t rt_prev(const struct rt_text *t, size_t i)
{
    while (i > 0 && utf8_is_space(t->c[i - 1].cp))
        i--;
    return i > 0 ? t->c[i - 1].cp : 0;
}

static int32_t rt_next(const struct rt_text *t, size_t i)
{
    while (i < t->n && utf8_is_space(t->c[i].cp))
        i++;
    return rt_at(t, i);
}

/* Before numbers are written out: spaces between digits and Han text go
 * ("在 2022 年" is 二零二二年), "$20" becomes "20美元" and "20/月" "20每月". */
static char *rt_zh_before(const char *text)
{
    struct rt_text t;
    struct strbuf out = STRBUF_INIT;
    rt_load(&t, text);
    for (size_t i = 0; i < t.n; i++) {
        int32_t cp = t.c[i].cp;
        if (utf8_is_space(cp)) {
            int32_t a = rt_prev(&t, i), b = rt_next(&t, i);
            size_t j = i;
            while (j < t.n && utf8_is_space(t.c[j].cp))
                j++;
            bool number_after = rt_digit(b) || (b == '$' && rt_digit(rt_at(&t, j + 1)));
            bool number_before = rt_digit(a) || a == '%' || a == 0x2030 || a == '+';
            if ((number_before && utf8_is_cjk(b)) || (utf8_is_cjk(a) && number_after))
                continue;
        } else if (cp == '$' && rt_digit(rt_at(&t, i + 1))) {
            size_t j = i + 1;
            while (rt_digit(rt_at(&t, j)) ||
                   ((rt_at(&t, j) == '.' || rt_at(&t, j) == ',') && rt_digit(rt_at(&t, j + 1))))
                rt_copy(&out, &t, j++);
            if (rt_at(&t, j) == 0x4E07 || rt_at(&t, j) == 0x4EBF || rt_at(&t, j) == 0x5343)
                rt_copy(&out, &t, j++); /* $20亿 is 二十亿美元 */
            strbuf_adds(&out, "美元");
            i = j - 1;
            continue;
        } else if (cp == '/' && rt_digit(rt_prev(&t, i)) && rt_han(rt_next(&t, i + 1))) {
            strbuf_adds(&out, "每");
            continue;
        }
        rt_copy(&out, &t, i);
    }
    free(t.c);
    return strbuf_detach(&out);
}

/* Full-width forms for ASCII punctuation that would otherwise give no pause. */
static const char *rt_zh_punct(int32_t cp)
{
    switch (cp) {
    case ',':
    case '|':
        return "，";
    case '.':
        return "。";
    case '!':
        return "！";
    case '?':
        return "？";
    case ';':
        return "；";
    case ':':
        return "：";
    default:
        return NULL;
    }
}

/* Punctuation of a Chinese run once it is written full-width. */
static bool rt_zh_pause_char(int32_t cp)
{
    return (utf8_is_cjk_punct(cp) && cp != 0x201C && cp != 0x201D && cp != 0x2018 &&
            cp != 0x2019) ||
           rt_zh_punct(cp);
}

/* Amount words after which '/' means "per": 元/月 -> 元每月. */
static bool rt_amount_word(int32_t cp)
{
    return cp == 0x5143 /* 元 */ || cp == 0x5757 /* 块 */ || cp == 0x6B21 /* 次 */ ||
           cp == 0x4E2A /* 个 */ || cp == 0x4EBA /* 人 */;
}

/* After numbers are written out: punctuation and the symbols left. */
static char *rt_zh_after(const char *text)
{
    struct rt_text t;
    struct strbuf out = STRBUF_INIT;
    rt_load(&t, text);
    for (size_t i = 0; i < t.n; i++) {
        int32_t cp = t.c[i].cp;
        int32_t a = rt_prev(&t, i), b = rt_next(&t, i + 1);
        const char *p;
        if (utf8_is_space(cp) && (rt_zh_pause_char(a) || rt_zh_pause_char(b))) {
            continue; /* "硅谷夜谈 | 第42期": no space around the comma it becomes */
        } else if (cp == '.' && rt_at(&t, i + 1) == '.') {
            while (rt_at(&t, i + 1) == '.')
                i++;
            strbuf_adds(&out, "…");
        } else if ((p = rt_zh_punct(cp))) {
            strbuf_adds(&out, p);
        } else if (cp == '/') {
            /* A pause between words; nothing at an edge or next to punctuation. */
            if (rt_han(a) && rt_han(b))
                strbuf_adds(&out, rt_amount_word(a) ? "每" : "、");
            else if (a && b && !utf8_is_cjk_punct(a) && !utf8_is_cjk_punct(b))
                strbuf_adds(&out, "，");
        } else if (cp == '+') {
            if (rt_han(a) && rt_han(b))
                strbuf_adds(&out, "加");
        } else if (cp == '%' || cp == 0x2030) {
            continue; /* no number before it: nothing to say */
        } else if (cp == 0x30FB) {
            strbuf_adds(&out, "·"); /* katakana middle dot: cmn says "Japanese" */
        } else {
            rt_copy(&out, &t, i);
        }
    }
    free(t.c);
    return strbuf_detach(&out);
}

char *runtext_zh(const char *text)
{
    char *a = rt_zh_before(text);
    char *b = numzh_normalize(a);
    free(a);
    char *c = rt_zh_after(b);
    free(b);
    return c;
}

/* ASCII for CJK punctuation, or NULL to keep the character. */
static const char *rt_en_punct(int32_t cp)
{
    switch (cp) {
    case 0x3002: /* 。 */
        return ". ";
    case 0x3001: /* 、 */
        return ", ";
    case 0x2026: /* … */
        return "... ";
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x300C: /* 「 */
    case 0x300D: /* 」 */
    case 0x300E: /* 『 */
    case 0x300F: /* 』 */
    case 0x300A: /* 《 */
    case 0x300B: /* 》 */
        return "\"";
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
        return "'";
    case 0x3010: /* 【 */
    case 0x3011: /* 】 */
    case 0x00B7: /* · */
    case 0x30FB: /* ・ */
        return " ";
    default:
        return NULL;
    }
}

/* Whether the '/' at i joins two words (A/B, /proc/x): then it is read. */
static bool rt_en_slash_joins(const struct rt_text *t, size_t i)
{
    int32_t before = i ? t->c[i - 1].cp : ' ';
    return rt_alnum(rt_at(t, i + 1)) &&
           (rt_alnum(before) || utf8_is_space(before) || before == '(' || before == '/');
}

char *runtext_en(const char *text)
{
    struct rt_text t;
    struct strbuf out = STRBUF_INIT;
    rt_load(&t, text);
    for (size_t i = 0; i < t.n; i++) {
        int32_t cp = t.c[i].cp;
        const char *p = rt_en_punct(cp);
        if (p) {
            strbuf_adds(&out, p);
        } else if (cp == '/' && !rt_en_slash_joins(&t, i)) {
            strbuf_addc(&out, ' '); /* "GPU/": the pause is the run boundary's */
        } else if (cp == '|') {
            bool between = rt_alnum(rt_prev(&t, i)) && rt_next(&t, i + 1);
            if (between)
                strbuf_rtrim(&out);
            strbuf_adds(&out, between ? ", " : " ");
        } else if (cp == '#' && i && utf8_is_latin_letter(t.c[i - 1].cp) &&
                   !rt_alnum(rt_at(&t, i + 1))) {
            strbuf_adds(&out, " sharp"); /* C#, F# */
        } else if (cp == '$' && rt_digit(rt_at(&t, i + 1))) {
            /* "$20" is "20 dollars" (espeak-ng says "dollar twenty"). */
            size_t j = i + 1;
            while (rt_digit(rt_at(&t, j)) ||
                   ((rt_at(&t, j) == '.' || rt_at(&t, j) == ',') && rt_digit(rt_at(&t, j + 1))))
                rt_copy(&out, &t, j++);
            strbuf_adds(&out, " dollars");
            i = j - 1;
        } else if (cp != t.c[i].raw) {
            /* A full-width form: its ASCII twin, and the space a pause needs. */
            if (cp == '(')
                strbuf_addc(&out, ' ');
            strbuf_addc(&out, (char)cp);
            if (cp == ',' || cp == '.' || cp == '!' || cp == '?' || cp == ';' || cp == ':' ||
                cp == ')')
                strbuf_addc(&out, ' ');
        } else {
            rt_copy(&out, &t, i);
        }
    }
    free(t.c);
    return strbuf_detach(&out);
}

/* ALL-CAPS words of 2-4 letters spelled out: "GPU" is "G P U". */
static char *rt_spell_caps(const char *text)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = text;
    while (*p) {
        const char *w = p;
        while (*p >= 'A' && *p <= 'Z')
            p++;
        size_t n = (size_t)(p - w);
        bool before =
            w > text && ((w[-1] >= 'a' && w[-1] <= 'z') || (w[-1] >= 'A' && w[-1] <= 'Z'));
        bool after = (*p >= 'a' && *p <= 'z');
        if (n >= 2 && n <= 4 && !before && !after) {
            for (size_t i = 0; i < n; i++) {
                if (i)
                    strbuf_addc(&out, ' ');
                strbuf_addc(&out, w[i]);
            }
            continue;
        }
        if (n) {
            strbuf_add(&out, w, n);
            continue;
        }
        strbuf_addc(&out, *p++);
    }
    return strbuf_detach(&out);
}

char *runtext_default(const char *text)
{
    char *a = runtext_en(text);
    char *t = rt_spell_caps(a);
    free(a);
    /* "GPT-4o" is "G P T 4o", not "G P T minus 4o". */
    for (char *q = t; *q; q++)
        if (*q == '-' && q > t && q[1] >= '0' && q[1] <= '9' &&
            ((q[-1] >= 'A' && q[-1] <= 'Z') || (q[-1] >= 'a' && q[-1] <= 'z')))
            *q = ' ';
    return t;
}

/*
 * The per-language preparation, one row per language that needs its own;
 * every other language gets runtext_default(). A language's number reader
 * or reading step is added here as one row (its code lives in its own
 * file), so that each stays a one-line change to this table.
 */
static const struct {
    const char *lang;
    char *(*prepare)(const char *text);
} RT_LANGS[] = {
    /* One row a line, so that adding one is a one-line change. */
    /* clang-format off */
    {"zh", zhhant_read},
    {"de", numlang_de},
    {"es", numlang_es},
    {"fr", numlang_fr},
    {"en", numlang_en},
    {"ko", numlang_ko},
    {"ja", textja_read},
    {"yue", runtext_zh},
    {"ar", numlang_ar},
    {"ru", numlang_ru},
    /* clang-format on */
};

char *runtext_prepare(const char *lang, const char *text)
{
    /* The base language picks the row: "de-at" is read as "de". */
    size_t base = strcspn(lang, "-_");
    for (size_t i = 0; i < sizeof(RT_LANGS) / sizeof(RT_LANGS[0]); i++)
        if (strlen(RT_LANGS[i].lang) == base && !strncmp(lang, RT_LANGS[i].lang, base))
            return RT_LANGS[i].prepare(text);
    return runtext_default(text);
}
