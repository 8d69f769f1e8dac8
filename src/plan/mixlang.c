/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Script spans of one speaker's text (rules and contract in mixlang.h).
 * The text is decoded once into characters with full-width forms folded,
 * cut into tokens, each number is given a script by looking at its
 * neighbouring tokens, and neighbouring tokens of one script are joined
 * into spans.
 */
#include "plan/mixlang.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <string.h>

/* Han words that count a number before them: it is an amount or a date in
 * Chinese, whatever precedes it ("GPT 3 个月", "in 2022 年"). */
static const char *const MIXLANG_UNITS[] = {
    "年",   "月", "日", "号", "个",   "位", "种", "次", "天", "点", "本", "件", "台", "条",
    "只",   "张", "万", "亿", "千",   "百", "十", "人", "岁", "倍", "名", "份", "周", "小时",
    "分",   "秒", "元", "块", "美元", "期", "章", "节", "集", "季", "届", "层", "楼", "米",
    "公里", "斤", "克", "度", "成",   "代", "多", "余", "项", "家", "篇", "页", "行", "遍",
    "轮",   "场", "部", "支", "颗",   "字", "款", "题", "步", "帧", "核", "卡", "亩", "折"};

enum mixlang_kind { TOK_WORD, TOK_NUM, TOK_SEP };

struct mixlang_ch {
    int32_t cp;  /* full-width forms folded */
    int32_t raw; /* as written */
    size_t off, len;
    enum writing w; /* of cp */
};

struct mixlang_tok {
    enum mixlang_kind kind;
    size_t from, to; /* character indexes */
    enum writing w;  /* words and numbers: their script */
    bool space;      /* a separator made only of white space */
    bool ascii;      /* a separator made only of white space and ASCII punctuation */
};

struct mixlang_text {
    const char *src;
    struct mixlang_ch *c;
    size_t n;
};

static int32_t mixlang_at(const struct mixlang_text *t, size_t i)
{
    return i < t->n ? t->c[i].cp : 0;
}

static bool mixlang_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool mixlang_latin(int32_t cp)
{
    return writing_of(cp) == WRITING_LATIN;
}

static bool mixlang_alnum(int32_t cp)
{
    return mixlang_digit(cp) || mixlang_latin(cp);
}

/* Where the Latin word or number starting at i ends. */
static size_t mixlang_word_end(const struct mixlang_text *t, size_t i)
{
    size_t j = i;
    int32_t c0 = mixlang_at(t, i);
    /* A lead that belongs to the token: a path's '/', a sign, a currency. */
    int32_t before = i ? t->c[i - 1].cp : ' ';
    bool path = c0 == '/' && mixlang_latin(mixlang_at(t, i + 1)) &&
                (utf8_is_space(before) || before == '(' || before == '"');
    if (path || ((c0 == '-' || c0 == '+' || c0 == '$') && mixlang_digit(mixlang_at(t, i + 1))))
        j++;
    while (j < t->n) {
        int32_t cp = t->c[j].cp, prev = j > i ? t->c[j - 1].cp : 0;
        int32_t next = mixlang_at(t, j + 1);
        if (mixlang_alnum(cp) || (j > i && t->c[j].w == WRITING_MARK)) {
            j++;
        } else if ((cp == '-' || cp == '.' || cp == '/' || cp == '_' || cp == '\'' ||
                    cp == 0x2019 || cp == '+' || cp == '&') &&
                   mixlang_alnum(next) && j > i) {
            j++; /* an inner connector: GPT-4o, Node.js, A/B, don't, 1+1, AT&T */
        } else if ((cp == ',' || cp == ':') && mixlang_digit(prev) && mixlang_digit(next)) {
            j++; /* 1,000 and 10:30 */
        } else if ((cp == '+' || cp == '#') && (mixlang_latin(prev) || prev == '+')) {
            j++; /* C++, C#, Disney+ */
        } else if ((cp == '+' || cp == '%' || cp == 0x2030) && mixlang_digit(prev)) {
            j++; /* 10+, 90%, 5‰ */
        } else {
            break;
        }
    }
    return j;
}

static bool mixlang_has_letter(const struct mixlang_text *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (t->c[i].w == WRITING_LATIN)
            return true;
    return false;
}

/* Where the word of non-Latin script w starting at i ends: its letters and
 * marks, and inner hyphens and apostrophes of alphabets (Санкт-Петербург). */
static size_t mixlang_script_end(const struct mixlang_text *t, size_t i, enum writing w)
{
    size_t j = i + 1;
    while (j < t->n) {
        enum writing x = t->c[j].w;
        int32_t cp = t->c[j].cp;
        if (x == w || x == WRITING_MARK)
            j++;
        else if (!writing_is_cjk(w) && (cp == '-' || cp == '\'' || cp == 0x2019) && j + 1 < t->n &&
                 t->c[j + 1].w == w)
            j++;
        else
            break;
    }
    return j;
}

static struct mixlang_tok *mixlang_tokens(const struct mixlang_text *t, size_t *ntok)
{
    struct mixlang_tok *tok = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < t->n;) {
        struct mixlang_tok k = {TOK_SEP, i, i + 1, WRITING_NONE, false, false};
        int32_t cp = t->c[i].cp;
        enum writing script = t->c[i].w;
        size_t w = mixlang_word_end(t, i);
        if (w > i) {
            k.to = w;
            k.kind = mixlang_has_letter(t, i, w) ? TOK_WORD : TOK_NUM;
            k.w = k.kind == TOK_WORD ? WRITING_LATIN : WRITING_NONE;
        } else if (script != WRITING_NONE && script != WRITING_MARK) {
            k.to = mixlang_script_end(t, i, script);
            k.kind = TOK_WORD;
            k.w = script;
        } else {
            k.space = utf8_is_space(cp);
            k.ascii = k.space || t->c[i].raw < 0x80;
        }
        /* Separators are joined: one token per stretch between words. */
        if (k.kind == TOK_SEP && n && tok[n - 1].kind == TOK_SEP) {
            tok[n - 1].to = k.to;
            tok[n - 1].space = tok[n - 1].space && k.space;
            tok[n - 1].ascii = tok[n - 1].ascii && k.ascii;
        } else {
            XGROW(tok, cap, n + 1);
            tok[n++] = k;
        }
        i = k.to;
    }
    *ntok = n;
    return tok;
}

static bool mixlang_starts_unit(const struct mixlang_text *t, const struct mixlang_tok *k)
{
    const char *s = t->src + t->c[k->from].off;
    size_t avail = t->c[k->to - 1].off + t->c[k->to - 1].len - t->c[k->from].off;
    for (size_t u = 0; u < sizeof(MIXLANG_UNITS) / sizeof(MIXLANG_UNITS[0]); u++) {
        size_t ul = strlen(MIXLANG_UNITS[u]);
        if (ul <= avail && !strncmp(s, MIXLANG_UNITS[u], ul))
            return true;
    }
    return false;
}

static bool mixlang_cjk_word(const struct mixlang_tok *k)
{
    return k->kind != TOK_SEP && writing_is_cjk(k->w);
}

/* The script of the number tok[k], from its neighbours (rules in mixlang.h). */
static enum writing mixlang_number_script(const struct mixlang_text *t,
                                          const struct mixlang_tok *tok, size_t n, size_t k,
                                          enum writing base)
{
    size_t a = k + 1;
    if (a < n && tok[a].kind == TOK_SEP && tok[a].space)
        a++;
    const struct mixlang_tok *after = a < n ? &tok[a] : NULL;
    if (after && after->kind == TOK_WORD && (after->w == WRITING_HAN || after->w == WRITING_KANA) &&
        mixlang_starts_unit(t, after))
        return after->w;
    size_t b = k;
    const struct mixlang_tok *before = NULL; /* a word or number it follows */
    bool cjk_before = false;
    if (b && tok[b - 1].kind == TOK_SEP) {
        b--;
        if (tok[b].ascii && b && tok[b - 1].kind != TOK_SEP)
            before = &tok[b - 1];
        cjk_before = tok[b].space && b && mixlang_cjk_word(&tok[b - 1]);
    } else if (b) {
        before = &tok[b - 1];
        cjk_before = mixlang_cjk_word(before);
    }
    if (before && !writing_is_cjk(before->w))
        return before->w;
    if (k + 1 < n && tok[k + 1].kind == TOK_WORD && tok[k + 1].w != WRITING_LATIN)
        return tok[k + 1].w;
    if (!cjk_before && after && after->kind == TOK_WORD && after->w != base)
        return after->w;
    return base;
}

/* Brackets and quotes that open what follows them. */
static bool mixlang_opening(int32_t raw)
{
    return raw == '(' || raw == '[' || raw == 0xFF08 || raw == 0x201C || raw == 0x2018 ||
           raw == 0x300C || raw == 0x300E || raw == 0x300A || raw == 0x3010 || raw == 0x3008;
}

/* An opening bracket or quote at i; a straight '"' opens after a space
 * or ':' (or at the start), and closes otherwise. */
static bool mixlang_opening_at(const struct mixlang_text *t, size_t i)
{
    if (t->c[i].raw == '"')
        return i == 0 || utf8_is_space(t->c[i - 1].cp) || t->c[i - 1].cp == ':';
    return mixlang_opening(t->c[i].raw);
}

static size_t mixlang_byte(const struct mixlang_text *t, size_t i)
{
    return i < t->n ? t->c[i].off : strlen(t->src);
}

struct mixlang_span *mixlang_split(const char *text, enum writing base, bool han_is_kana, size_t *n)
{
    struct mixlang_text t = {text, NULL, 0};
    const char *p = text, *end = text + strlen(text);
    size_t cap = 0;
    while (p < end) {
        const char *at = p;
        int32_t raw = utf8_decode(&p, end);
        XGROW(t.c, cap, t.n + 1);
        int32_t cp = utf8_fold_fullwidth(raw);
        enum writing w = writing_of(cp);
        if (w == WRITING_HAN && han_is_kana)
            w = WRITING_KANA;
        t.c[t.n++] = (struct mixlang_ch){cp, raw, (size_t)(at - text), (size_t)(p - at), w};
    }
    size_t ntok = 0;
    struct mixlang_tok *tok = mixlang_tokens(&t, &ntok);
    for (size_t k = 0; k < ntok; k++)
        if (tok[k].kind == TOK_NUM)
            tok[k].w = mixlang_number_script(&t, tok, ntok, k, base);

    struct mixlang_span *sp = NULL;
    size_t ns = 0, scap = 0, last = 0; /* last: the end of the last word, a character index */
    for (size_t k = 0; k < ntok; k++) {
        if (tok[k].kind == TOK_SEP)
            continue;
        if (ns && sp[ns - 1].w == tok[k].w) {
            last = tok[k].to;
            continue;
        }
        XGROW(sp, scap, ns + 1);
        size_t from = mixlang_byte(&t, tok[k].from);
        if (ns) {
            /* The separator ends the earlier span and sets the pause; an
             * opening bracket or quote at its end opens the later one. */
            size_t sep = mixlang_byte(&t, last), open = tok[k].from;
            while (open > last && (mixlang_opening_at(&t, open - 1) ||
                                   (utf8_is_space(t.c[open - 1].cp) && open - 1 > last &&
                                    mixlang_opening_at(&t, open - 2))))
                open--;
            from = mixlang_byte(&t, open);
            sp[ns - 1].to = from;
            sp[ns] =
                (struct mixlang_span){tok[k].w, from, from, mixlang_pause(text + sep, from - sep)};
        } else {
            sp[ns] = (struct mixlang_span){tok[k].w, 0, from, 0};
        }
        ns++;
        last = tok[k].to;
    }
    if (!ns && t.n) {
        XGROW(sp, scap, 1);
        sp[ns++] = (struct mixlang_span){base, 0, 0, 0};
    }
    if (ns)
        sp[ns - 1].to = strlen(text);
    free(tok);
    free(t.c);
    *n = ns;
    return sp;
}

int mixlang_pause(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    int pause = 0;
    while (p < end) {
        int32_t cp = utf8_fold_fullwidth(utf8_decode(&p, end));
        if (cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0x2026)
            return MIXLANG_PAUSE_SENTENCE_MS;
        if (cp == ',' || cp == ';' || cp == ':' || cp == 0x3001 || cp == '/' || cp == '|' ||
            cp == 0x2014 || cp == 0x2013 || cp == '~')
            pause = MIXLANG_PAUSE_CLAUSE_MS;
    }
    return pause;
}
