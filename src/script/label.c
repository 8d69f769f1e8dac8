/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Speaker-label detection (contract in label.h). The rules follow the
 * transcript format in docs/transcript-format.md; every trap listed there has
 * a unit test in tests/unit/test_label.c.
 */
#include "script/label.h"
#include "script/stamp.h"
#include "util/utf8.h"
#include "util/writing.h"

#include <string.h>
#include <strings.h>

#define LABEL_MAX_BYTES 96

static const char *label_skip_space(const char *p, const char *end)
{
    while (p < end) {
        const char *q = p;
        int32_t cp = utf8_decode(&q, end);
        if (cp < 0 || !utf8_is_space(cp))
            break;
        p = q;
    }
    return p;
}

/* Skips "[00:01:02] " or "00:00:16 " at p: a timestamp before the name. */
static const char *label_skip_stamp(const char *p, const char *end, bool *stamped)
{
    size_t n = stamp_bracketed(p, end);
    if (!n) {
        n = stamp_span(p, end, NULL);
        if (n && (p + n >= end || (p[n] != ' ' && p[n] != '\t')))
            n = 0;
    }
    if (!n)
        return p;
    *stamped = true;
    p = label_skip_space(p + n, end);
    while (p < end && (*p == '-' || *p == '|'))
        p = label_skip_space(p + 1, end);
    return p;
}

/* Trims spaces, the no-break ones French typography puts before a colon
 * ("Claire\u00A0:", "Marc\u202F:") included. */
static size_t label_trim(const char *s, size_t n)
{
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 2 && !memcmp(s + n - 2, "\xC2\xA0", 2))
            n -= 2;
        else if (n >= 3 &&
                 (!memcmp(s + n - 3, "\xE2\x80\xAF", 3) || !memcmp(s + n - 3, "\xE2\x80\x89", 3)))
            n -= 3;
        else
            return n;
    }
}

/* Where the bracket group that ends s (n bytes) opens, or n when s does not
 * end in one; *inner gets the offset of its content, *inner_len its size. */
static size_t label_tail_group(const char *s, size_t n, size_t *inner, size_t *inner_len)
{
    static const char *const closes[] = {")", "]", "\xEF\xBC\x89"}; /* ） */
    static const char *const opens[] = {"(", "[", "\xEF\xBC\x88"};  /* （ */
    for (size_t k = 0; k < 3; k++) {
        size_t cl = strlen(closes[k]), ol = strlen(opens[k]);
        if (n < cl || memcmp(s + n - cl, closes[k], cl) != 0)
            continue;
        for (size_t i = n - cl; i-- > 0;) {
            if (!memcmp(s + i, opens[k], ol) && i + ol <= n - cl) {
                *inner = i + ol;
                *inner_len = n - cl - i - ol;
                return i;
            }
        }
    }
    return n;
}

/* The length of "以下、" or "以降，" (hereafter) opening s, or 0. */
static size_t label_hereafter(const char *s, size_t n)
{
    static const char *const words[] = {"以下", "以降", NULL};
    static const char *const commas[] = {"、", "，", ",", "：", ":", NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t k = strlen(words[i]);
        if (n <= k || memcmp(s, words[i], k) != 0)
            continue;
        for (size_t j = 0; commas[j]; j++) {
            size_t c = strlen(commas[j]);
            if (n > k + c && !memcmp(s + k, commas[j], c))
                return k + c;
        }
        return k;
    }
    return 0;
}

/* Strips a trailing timestamp "(00:01:02)", "（00:01:02）", "[00:01:02]" from
 * a name, then a trailing alias or role note "（AP）", "(host)". */
static size_t label_strip_tail(const char *s, size_t n, struct label *out)
{
    n = label_trim(s, n);
    bool group = false;
    for (int round = 0; round < 3; round++) {
        size_t inner, ilen;
        size_t open = label_tail_group(s, n, &inner, &ilen);
        if (open >= n || open == 0)
            break;
        if (stamp_bracketed(s + open, s + n) == n - open) {
            out->stamped = true;
        } else if (s[open] != '[' && !group) {
            group = true;
            size_t a = inner, al = ilen;
            while (al && s[a] == ' ')
                a++, al--;
            al = label_trim(s + a, al);
            size_t h = label_hereafter(s + a, al);
            if (h && h < al) {
                a += h;
                al -= h;
                out->hereafter = true;
            }
            if (label_is_alias(s + a, al)) {
                out->alias_start = a;
                out->alias_end = a + al;
            }
        } else {
            break;
        }
        n = label_trim(s, open);
    }
    return n;
}

static bool label_is_open_quote(int32_t cp)
{
    return cp == '"' || cp == 0x201C || cp == 0x300C || cp == 0x300E || cp == 0x2018 ||
           cp == 0x00AB || cp == '\'';
}

/* Punctuation and symbols that never occur in a speaker's name. */
static bool label_is_bad_char(int32_t cp)
{
    if (cp < 0x80)
        return strchr(",;!?\"/\\@#=<>*|[]{}~^$%&+_`:", (int)cp) != NULL && cp != 0;
    return cp == 0x3002 || cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF01 ||
           cp == 0xFF1F || cp == 0x201C || cp == 0x201D || cp == 0x300C || cp == 0x300D ||
           cp == 0x300E || cp == 0x300F || cp == 0x300A || cp == 0x300B || cp == 0x2026 ||
           cp == 0xFF1A;
}

static bool label_ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && !memcmp(s + n - k, suffix, k);
}

static bool label_is_particle(const char *w, size_t n)
{
    static const char *const particles[] = {"van", "von", "de", "da",  "di", "del",
                                            "der", "la",  "le", "bin", "al", NULL};
    for (size_t i = 0; particles[i]; i++)
        if (strlen(particles[i]) == n && !memcmp(particles[i], w, n))
            return true;
    return false;
}

static bool label_plausible_cjk(const char *name, size_t len, size_t cjk)
{
    if (cjk > 6)
        return false;
    /* A clause that introduces a quotation ("他回答说") or a statement
     * ("我的看法是") is not a name. */
    static const char *const verbs[] = {"说",   "道",   "问",   "表示", "指出", "认为", "回答",
                                        "提到", "强调", "解释", "补充", "如下", NULL};
    for (size_t i = 0; verbs[i]; i++)
        if (label_ends_with(name, len, verbs[i]))
            return false;
    static const char *const clause[] = {"的", "是", "了", "们说", "例如", "比如", NULL};
    for (size_t i = 0; clause[i]; i++) {
        size_t k = strlen(clause[i]);
        for (size_t j = 0; j + k <= len; j++)
            if (!memcmp(name + j, clause[i], k))
                return false;
    }
    return true;
}

/* A small letter of a script with capitals (Latin, Cyrillic, Greek,
 * Armenian): a word starting with one is no name. */
static bool label_is_small(int32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 0x430 && cp <= 0x45F) ||
           (cp >= 0x3AC && cp <= 0x3CE) || (cp >= 0x561 && cp <= 0x587);
}

static size_t label_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (const char *p = s, *end = s + len; p < end; n++)
        utf8_decode(&p, end);
    return n;
}

/* Names in alphabets (Latin, Cyrillic, Greek, Arabic, Hebrew, ...): at
 * most 3 words and 32 characters, each word capitalized where the script
 * has capitals; an initial is a capital and a dot ("А. Норкин",
 * "А.ВЕНЕДИКТОВ", "Dr. Arun Patel"). Latin names keep the byte limit. */
static bool label_plausible_words(const char *name, size_t len, bool latin_only)
{
    if (latin_only ? len > 32 : label_chars(name, len) > 32)
        return false;
    size_t words = 0;
    const char *p = name, *end = name + len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end)
            break;
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        words++;
        const char *q = w;
        int32_t c = utf8_decode(&q, p);
        if (label_is_small(c) && (words == 1 || !label_is_particle(w, (size_t)(p - w))))
            return false;
    }
    return words >= 1 && words <= 3;
}

/* A period inside a name: after an abbreviation followed by a space ("Dr.
 * Who", "А. Норкин"), or after an initial of one or two letters that
 * starts with a capital and is followed by a capital ("А.ВЕНЕДИКТОВ",
 * "Ст.Крючков", "J.R. Smith"). */
static bool label_period_ok(const char *name, const char *at, const char *end)
{
    if (at == name)
        return false;
    const char *next = at + 1;
    if (next >= end || *next == ' ')
        return true;
    const char *w = at;
    while (w > name && w[-1] != ' ' && w[-1] != '.')
        w--;
    const char *q = w;
    int32_t first = utf8_decode(&q, at);
    size_t n = 1;
    while (q < at && n < 3) {
        utf8_decode(&q, at);
        n++;
    }
    if (n > 2 || label_is_small(first) || writing_of(first) == WRITING_NONE)
        return false;
    int32_t after = utf8_decode(&next, end);
    return writing_of(after) != WRITING_NONE && !label_is_small(after);
}

bool label_plausible(const char *name, size_t len)
{
    if (!len || len > LABEL_MAX_BYTES)
        return false;
    const char *p = name, *end = name + len;
    size_t cjk = 0, letters = 0, others = 0;
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp < 0 || label_is_bad_char(cp))
            return false;
        if (cp == '.' && !label_period_ok(name, at, end))
            return false;
        if (utf8_is_cjk_punct(cp))
            return false;
        enum writing w = writing_of(cp);
        if (utf8_is_cjk(cp))
            cjk++;
        else if (utf8_is_latin_letter(cp))
            letters++;
        else if (w != WRITING_NONE && w != WRITING_MARK)
            others++;
    }
    if (!cjk && !letters && !others)
        return false; /* only digits, e.g. a clock time "10:30" */
    if (cjk)
        return label_plausible_cjk(name, len, cjk);
    return label_plausible_words(name, len, !others);
}

static bool label_word_in(const char *s, size_t n, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !strncasecmp(words[i], s, n))
            return true;
    return false;
}

bool label_is_lang_tag(const char *name, size_t len)
{
    static const char *const tags[] = {
        "EN",      "CN",      "ZH",      "ZH-CN",   "ZH-TW",    "ES", "JP", "JA",
        "FR",      "DE",      "KO",      "中文",    "英文",     "中", "英", "English",
        "Chinese", "Español", "Spanish", "Deutsch", "Français", NULL};
    return label_word_in(name, len, tags);
}

bool label_is_role(const char *s, size_t len)
{
    static const char *const roles[] = {
        "host",        "co-host",     "guest",     "主持人",   "主持",     "主播",
        "嘉宾",        "嘉賓",        "主讲",      "主讲人",   "演讲者",   "翻译",
        "interviewer", "interviewee", "moderator", "speaker",  "narrator", "旁白",
        "记者",        "编辑",        "anfitrión", "invitado", "invitada", NULL};
    return label_word_in(s, len, roles);
}

bool label_is_question(const char *name, size_t len)
{
    static const char *const questions[] = {"Q",
                                            "Question",
                                            "Audience",
                                            "Audience member",
                                            "Audience Member",
                                            "问",
                                            "提问",
                                            "观众",
                                            "听众",
                                            "P",
                                            "Pregunta",
                                            "Público",
                                            "Question",
                                            "Publico",
                                            "Asistente",
                                            NULL};
    return label_word_in(name, len, questions);
}

bool label_is_answer(const char *name, size_t len)
{
    static const char *const answers[] = {"A", "Answer", "答",        "回答",    "答复",
                                          "R", "Resp",   "Respuesta", "Réponse", NULL};
    return label_word_in(name, len, answers);
}

bool label_is_alias(const char *s, size_t len)
{
    if (!len || len > 40 || label_is_role(s, len) || !label_plausible(s, len))
        return false;
    /* "Bebop 联合创始人兼 CEO", "Bebop CEO", "Anthropic 工程师": a description */
    bool han = false, latin = false;
    const char *p = s, *end = s + len;
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        han |= utf8_is_han(cp);
        latin |= utf8_is_latin_letter(cp);
    }
    if (han && latin)
        return false;
    static const char *const titles[] = {
        "CEO",      "CTO",       "COO",    "CFO",    "CPO",      "VP",      "founder", "co-founder",
        "engineer", "professor", "author", "editor", "director", "partner", "PhD",     NULL};
    for (size_t i = 0; titles[i]; i++) {
        size_t k = strlen(titles[i]);
        for (size_t j = 0; j + k <= len; j++)
            if (!strncasecmp(s + j, titles[i], k) && (j == 0 || s[j - 1] == ' ') &&
                (j + k == len || s[j + k] == ' ' || s[j + k] == ','))
                return false;
    }
    static const char *const han_titles[] = {"创始人", "工程师", "教授",   "总裁", "经理", "总监",
                                             "作者",   "主编",   "研究员", "博士", "老师", NULL};
    for (size_t i = 0; han_titles[i]; i++) {
        size_t k = strlen(han_titles[i]);
        for (size_t j = 0; j + k <= len; j++)
            if (!memcmp(s + j, han_titles[i], k))
                return false;
    }
    return true;
}

/*
 * A name alone on its line with a timestamp and no colon, the speech on the
 * lines after it: "[00:00:51] Stefan" (podcast sites), "Stefan  0:03"
 * (Otter.ai's export), "Frau 00:01:02", "Stefan (00:01:02)". Without the
 * timestamp such a line is too much like any short line of text.
 */
static bool label_bare(const char *line, const char *name, const char *end, label_known_fn known,
                       void *ctx, struct label *out)
{
    size_t n = label_trim(name, (size_t)(end - name));
    /* A timestamp after the name: the last word. */
    size_t w = n;
    while (w > 0 && name[w - 1] != ' ' && name[w - 1] != '\t')
        w--;
    if (w > 0 && w < n && stamp_span(name + w, name + n, NULL) == n - w) {
        out->stamped = true;
        n = label_trim(name, w);
    }
    n = label_strip_tail(name, n, out);
    if (!out->stamped || !n)
        return false;
    size_t base = (size_t)(name - line);
    out->name_start = base;
    out->name_end = base + n;
    if (out->alias_end) {
        out->alias_start += base;
        out->alias_end += base;
    }
    out->text_start = (size_t)(end - line);
    out->empty_text = true;
    out->bare = true;
    return (known && known(name, n, ctx)) || label_plausible(name, n);
}

bool label_find(const char *line, label_known_fn known, void *ctx, struct label *out)
{
    memset(out, 0, sizeof(*out));
    const char *end = line + strlen(line);
    const char *p = label_skip_space(line, end);
    p = label_skip_stamp(p, end, &out->stamped);
    const char *name = p;
    int depth = 0;
    const char *colon = NULL;
    size_t colon_len = 0;
    while (p < end && p - name <= LABEL_MAX_BYTES) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp == '(' || cp == '[' || cp == 0xFF08)
            depth++;
        else if ((cp == ')' || cp == ']' || cp == 0xFF09) && depth > 0)
            depth--;
        else if (depth == 0 && (cp == ':' || cp == 0xFF1A)) {
            /* Clock times ("10:30") and URLs ("https://") are not labels. */
            if (cp == ':' && at > name && at[-1] >= '0' && at[-1] <= '9' && p < end && *p >= '0' &&
                *p <= '9')
                return label_bare(line, name, end, known, ctx, out);
            if (cp == ':' && end - p >= 2 && p[0] == '/' && p[1] == '/')
                return false;
            colon = at;
            colon_len = (size_t)(p - at);
            break;
        }
    }
    if (!colon)
        return p >= end && label_bare(line, name, end, known, ctx, out);
    size_t nlen = label_strip_tail(name, (size_t)(colon - name), out);
    if (!nlen)
        return false;
    if (out->hereafter && out->alias_end > out->alias_start) {
        /* "SUNGROVE編集部 ライター 滿留悠平（以下、滿留）": the name is the
         * last word, the words before it say who the person is. */
        size_t w = nlen;
        while (w > 0 && name[w - 1] != ' ')
            w--;
        if (!label_plausible(name + w, nlen - w))
            return false;
        name += w;
        nlen -= w;
        out->alias_start -= w;
        out->alias_end -= w;
    }
    const char *text = label_skip_space(colon + colon_len, end);
    size_t base = (size_t)(name - line);
    out->name_start = base;
    out->name_end = base + nlen;
    if (out->alias_end) {
        out->alias_start += base;
        out->alias_end += base;
    }
    out->text_start = (size_t)(text - line);
    out->empty_text = text >= end;
    if (known && (known(name, nlen, ctx) ||
                  (out->alias_end > out->alias_start &&
                   known(line + out->alias_start, out->alias_end - out->alias_start, ctx))))
        return true;
    if (!label_plausible(name, nlen))
        return false;
    if (out->empty_text || out->hereafter)
        return true;
    const char *q = text;
    if (label_is_open_quote(utf8_decode(&q, end)))
        return false;
    return true;
}
