/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Japanese readings (contract and reasons in textja.h). MeCab is a C++
 * library with a C interface; it is loaded on demand like FFmpeg
 * (audio/lav.c) so that a process that reads no Japanese never maps it and
 * libstdc++. The analyser is created once per process and kept: its
 * dictionary is memory-mapped, so a second one would cost the same again.
 */
#include "plan/textja.h"
#include "plan/numja.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <mecab.h>

#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SCRIPTCAST_MECAB_DICDIR
#define SCRIPTCAST_MECAB_DICDIR "/var/lib/mecab/dic/ipadic-utf8"
#endif

#define TEXTJA_MECAB_LIB "libmecab.so.2"

static struct {
    bool tried;
    mecab_t *m;
    mecab_t *(*mnew)(int, char **);
    const mecab_node_t *(*parse)(mecab_t *, const char *, size_t);
    const char *(*strerror)(mecab_t *);
    char error[512];
    unsigned long unread;
} textja;

static bool textja_bind(void *h, const char *name, void *slot, size_t size)
{
    void *sym = dlsym(h, name);
    if (!sym)
        return false;
    memcpy(slot, &sym, size); /* POSIX's way from an object to a function pointer */
    return true;
}

/* The analyser, loaded on first use; NULL (with textja.error set) if it
 * cannot be. */
static mecab_t *textja_mecab(void)
{
    if (textja.tried)
        return textja.m;
    textja.tried = true;
    void *h = dlopen(TEXTJA_MECAB_LIB, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(textja.error, sizeof(textja.error),
                 "cannot load %s (MeCab, for the readings of Japanese kanji): %s; install "
                 "libmecab2 and mecab-ipadic-utf8",
                 TEXTJA_MECAB_LIB, why ? why : "not found");
        return NULL;
    }
    if (!textja_bind(h, "mecab_new", &textja.mnew, sizeof(textja.mnew)) ||
        !textja_bind(h, "mecab_sparse_tonode2", &textja.parse, sizeof(textja.parse)) ||
        !textja_bind(h, "mecab_strerror", &textja.strerror, sizeof(textja.strerror))) {
        snprintf(textja.error, sizeof(textja.error), "%s lacks the MeCab C interface",
                 TEXTJA_MECAB_LIB);
        return NULL;
    }
    const char *dicdir = getenv("SCRIPTCAST_MECAB_DICDIR");
    if (!dicdir || !*dicdir)
        dicdir = SCRIPTCAST_MECAB_DICDIR;
    /* No mecabrc (-r /dev/null): only the dictionary named here counts. */
    char *argv[] = {"mecab", "-r", "/dev/null", "-d", (char *)dicdir, NULL};
    textja.m = textja.mnew(5, argv);
    if (!textja.m) {
        const char *why = textja.strerror(NULL);
        snprintf(textja.error, sizeof(textja.error),
                 "cannot open the MeCab dictionary %s (IPAdic, for the readings of Japanese "
                 "kanji): %s; install mecab-ipadic-utf8 or set SCRIPTCAST_MECAB_DICDIR",
                 dicdir, why && *why ? why : "not found or not readable");
    }
    return textja.m;
}

const char *textja_error(void)
{
    return textja.tried && !textja.m ? textja.error : NULL;
}

unsigned long textja_unread(void)
{
    return textja.unread;
}

/* The field-th (0-based) comma-separated field of a MeCab feature string. */
static bool textja_field(const char *feature, int field, const char **s, size_t *n)
{
    const char *p = feature;
    for (int i = 0; i < field; i++) {
        p = strchr(p, ',');
        if (!p)
            return false;
        p++;
    }
    const char *e = strchr(p, ',');
    *s = p;
    *n = e ? (size_t)(e - p) : strlen(p);
    return *n > 0 && !(*n == 1 && *p == '*');
}

static bool textja_is(const mecab_node_t *nd, const char *prefix)
{
    return !strncmp(nd->feature, prefix, strlen(prefix));
}

/* The value of a kanji numeral, or -1 for a character that is none. */
static int64_t textja_numeral(int32_t cp)
{
    static const int32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                     0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int i = 0; i < 10; i++)
        if (cp == digits[i])
            return i;
    switch (cp) {
    case 0x96F6: /* 零 */
        return 0;
    case 0x5341: /* 十 */
        return 10;
    case 0x767E: /* 百 */
        return 100;
    case 0x5343: /* 千 */
        return 1000;
    case 0x4E07: /* 万 */
        return 10000;
    case 0x5104: /* 億 */
        return 100000000;
    case 0x5146: /* 兆 */
        return 1000000000000;
    default:
        return -1;
    }
}

/* Whether the surface s[0..n) is made only of kanji numerals; *unit says
 * whether one of them is 十 百 千 万 億 兆. */
static bool textja_numeral_word(const char *s, size_t n, bool *unit)
{
    const char *p = s, *end = s + n;
    *unit = false;
    while (p < end) {
        int64_t v = textja_numeral(utf8_decode(&p, end));
        if (v < 0)
            return false;
        *unit = *unit || v >= 10;
    }
    return n > 0;
}

/*
 * Digits of the kanji numerals s[0..n): positional without 十百千 (二〇二五
 * is 2025), else by multiplication (三百五十 is 350, 三億五千万 350000000).
 */
static void textja_numeral_digits(struct strbuf *out, const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    bool unit;
    textja_numeral_word(s, n, &unit);
    if (!unit) {
        while (p < end)
            strbuf_addc(out, (char)('0' + textja_numeral(utf8_decode(&p, end))));
        return;
    }
    uint64_t total = 0, section = 0, cur = 0;
    while (p < end) {
        int64_t v = textja_numeral(utf8_decode(&p, end));
        if (v < 10) {
            cur = cur * 10 + (uint64_t)v;
        } else if (v <= 1000) {
            section += (cur ? cur : 1) * (uint64_t)v;
            cur = 0;
        } else {
            uint64_t mult = section + cur ? section + cur : 1;
            total += mult * (uint64_t)v;
            section = cur = 0;
        }
    }
    strbuf_addf(out, "%llu", (unsigned long long)(total + section + cur));
}

/* Is nd a word of kanji numerals to spell: MeCab's numbers (名詞,数), and
 * longer numerals it takes for names (三百 as the given name ミツオ). */
static bool textja_number_node(const mecab_node_t *nd)
{
    bool unit;
    if (nd->stat != MECAB_NOR_NODE && nd->stat != MECAB_UNK_NODE)
        return false;
    if (!textja_numeral_word(nd->surface, nd->length, &unit))
        return false;
    return textja_is(nd, "名詞,数") || (unit && nd->length >= 6 && textja_is(nd, "名詞,固有名詞"));
}

/* Spells the numerals starting at nd with the counter after them; returns
 * the last node read. */
static const mecab_node_t *textja_number(struct strbuf *out, const mecab_node_t *nd, bool *month)
{
    struct strbuf num = STRBUF_INIT, digits = STRBUF_INIT;
    const mecab_node_t *last = nd;
    strbuf_add(&num, nd->surface, nd->length);
    while (last->next && textja_is(last->next, "名詞,数") &&
           last->next->rlength == last->next->length && textja_number_node(last->next)) {
        last = last->next;
        strbuf_add(&num, last->surface, last->length);
    }
    textja_numeral_digits(&digits, num.buf, num.len);
    const mecab_node_t *c = last->next;
    bool after_month = *month;
    *month = false;
    size_t at = out->len;
    if (c && c->rlength == c->length && textja_is(c, "名詞,接尾,助数詞")) {
        char *counter = xstrndup(c->surface, c->length);
        size_t used = numja_count(out, digits.buf, digits.len, counter, after_month);
        if (used == c->length) {
            last = c;
            *month = !strcmp(counter, "月") || !strcmp(counter, "がつ");
        } else {
            strbuf_setlen(out, at);
            numja_count(out, digits.buf, digits.len, NULL, false);
        }
        free(counter);
    } else {
        numja_count(out, digits.buf, digits.len, NULL, false);
    }
    strbuf_release(&num);
    strbuf_release(&digits);
    return last;
}

/* Whether the output ends with a katakana of the o row (ショ, ロ, ヨ ...). */
static bool textja_o_row(const struct strbuf *out)
{
    static const char *const o_row[] = {"オ", "ォ", "コ", "ゴ", "ソ", "ゾ", "ト", "ド", "ノ",
                                        "ホ", "ボ", "ポ", "モ", "ョ", "ヨ", "ロ", "ヲ"};
    if (out->len < 3)
        return false;
    for (size_t i = 0; i < sizeof(o_row) / sizeof(o_row[0]); i++)
        if (!memcmp(out->buf + out->len - 3, o_row[i], 3))
            return true;
    return false;
}

static bool textja_small_kana(const char *s, size_t n)
{
    static const char *const small[] = {"ゃ", "ゅ", "ょ", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "ゎ",
                                        "ャ", "ュ", "ョ", "ァ", "ィ", "ゥ", "ェ", "ォ", "ヮ"};
    for (size_t i = 0; n >= 3 && i < sizeof(small) / sizeof(small[0]); i++)
        if (!memcmp(s, small[i], 3))
            return true;
    return false;
}

/*
 * Words whose analysis is not to be trusted, kept as written. Kana-only
 * text (children's texts, names, text spaced word by word) is where
 * IPAdic guesses: a word cut before a small kana (し + ゅみ for しゅみ) is
 * a guess on both sides of the cut, and a は or へ right after a space
 * starts a word (はなし), while the particles follow their word directly.
 */
static bool textja_as_written(const mecab_node_t *nd)
{
    const mecab_node_t *next = nd->next;
    if (textja_small_kana(nd->surface, nd->length))
        return true;
    if (next && next->stat != MECAB_EOS_NODE && next->rlength == next->length &&
        textja_small_kana(next->surface, next->length))
        return true;
    bool at_start = !nd->prev || nd->prev->stat == MECAB_BOS_NODE || nd->rlength > nd->length;
    return at_start && textja_is(nd, "助詞") && nd->length == 3 &&
           (!memcmp(nd->surface, "は", 3) || !memcmp(nd->surface, "へ", 3));
}

/* s[0..n) with hiragana written as katakana, as MeCab's pronunciations are
 * (espeak-ng reads both alike; one script keeps the plan text readable). */
static void textja_katakana(struct strbuf *out, const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp >= 0x3041 && cp <= 0x3096)
            utf8_encode(out, cp + 0x60);
        else
            strbuf_add(out, at, (size_t)(p - at));
    }
}

/* Analyses text and writes the pronunciation of each word. */
static void textja_words(struct strbuf *out, mecab_t *m, const char *text)
{
    const mecab_node_t *nd = textja.parse(m, text, strlen(text));
    bool month = false;
    for (; nd; nd = nd->next) {
        if (nd->stat == MECAB_BOS_NODE || nd->stat == MECAB_EOS_NODE)
            continue;
        if (nd->rlength > nd->length && out->len)
            strbuf_addc(out, ' '); /* white space MeCab skipped before the word */
        const char *s;
        size_t n;
        if (textja_number_node(nd)) {
            nd = textja_number(out, nd, &month);
            continue;
        }
        month = false;
        if (textja_is(nd, "助動詞") && nd->length == 3 && !memcmp(nd->surface, "う", 3) &&
            textja_o_row(out)) {
            strbuf_adds(out, "ー"); /* しましょう: MeCab's ショ + ウ is one long ショー */
            continue;
        }
        if (textja_as_written(nd))
            textja_katakana(out, nd->surface, nd->length);
        else if (textja_field(nd->feature, 8, &s, &n)) /* 発音: the pronunciation */
            strbuf_add(out, s, n);
        else
            strbuf_add(out, nd->surface, nd->length);
    }
}

/* Punctuation and symbols: what gives a pause in espeak-ng's ja voice, and
 * words for the symbols it would read in English. */
static const char *textja_symbol(int32_t cp, int32_t prev, int32_t next)
{
    switch (cp) {
    case ',':
    case 0xFF0C: /* ， */
    case ';':
    case ':':
    case '|':
        return "、";
    case '.':
    case 0xFF0E: /* ． */
        return "。";
    case '!':
        return "！";
    case '?':
        return "？";
    case 0x30FB: /* ・ between words: no pause, no "Japanese letter" */
        return " ";
    case '/':
        return prev && next ? "、" : "";
    case '+':
        return prev && next ? "プラス" : "";
    case '&':
        return "アンド";
    case '%':
        return "";
    default:
        return NULL;
    }
}

static char *textja_punctuate(const char *text)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = text, *end = text + strlen(text);
    int32_t prev = 0;
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        const char *q = p;
        int32_t next = q < end ? utf8_decode(&q, end) : 0;
        const char *sym = textja_symbol(cp, prev, next);
        if (sym)
            strbuf_adds(&out, sym);
        else
            strbuf_add(&out, at, (size_t)(p - at));
        prev = cp;
    }
    return strbuf_detach(&out);
}

/* Whether MeCab has anything to read: kana or kanji. */
static bool textja_has_japanese(const char *text)
{
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        if (utf8_is_han(cp) || (cp >= 0x3040 && cp <= 0x30FF))
            return true;
    }
    return false;
}

/* The hiragana of a reading in parentheses at p ("(みつどめ)", "（とちょう）"):
 * its length in bytes, parentheses included, and *kana / *kana_len the
 * reading; 0 when p holds no such reading. */
static size_t textja_ruby_at(const char *p, const char *end, const char **kana, size_t *kana_len)
{
    const char *q = p;
    int32_t open = utf8_decode(&q, end);
    int32_t close = open == '(' ? ')' : open == 0xFF08 ? 0xFF09 : 0;
    if (!close)
        return 0;
    const char *start = q;
    size_t n = 0;
    while (q < end) {
        const char *at = q;
        int32_t cp = utf8_decode(&q, end);
        if (cp == close) {
            *kana = start;
            *kana_len = (size_t)(at - start);
            return n >= 2 ? (size_t)(q - p) : 0;
        }
        if (cp < 0x3041 || cp > 0x3096 || ++n > 16)
            return 0;
    }
    return 0;
}

/*
 * "滿留(みつどめ)", "文字起こし（もじおこし）": a reading in hiragana right
 * after a word in kanji (with its kana ending, which the reading ends
 * with too), as articles give it for names and rare words. The reading
 * replaces the word, so it is said once and said right (MeCab would read
 * 滿留 ミツルトメ, then the reading again).
 */
static char *textja_ruby(const char *text)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = text, *end = text + strlen(text);
    size_t han_start = 0, han_end = 0;
    bool word = false; /* out ends in kanji, maybe with kana after them */
    int32_t prev = 0;
    while (p < end) {
        const char *kana;
        size_t klen, k;
        if (word && (k = textja_ruby_at(p, end, &kana, &klen))) {
            size_t tail = out.len - han_end;
            if (tail <= klen && !memcmp(out.buf + han_end, kana + klen - tail, tail)) {
                strbuf_setlen(&out, han_start);
                strbuf_add(&out, kana, klen);
                p += k;
                word = false;
                continue;
            }
        }
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (utf8_is_han(cp)) {
            if (!utf8_is_han(prev))
                han_start = out.len;
            han_end = out.len + (size_t)(p - at);
            word = true;
        } else if (!(word && cp >= 0x3041 && cp <= 0x3096)) {
            word = false;
        }
        prev = cp;
        strbuf_add(&out, at, (size_t)(p - at));
    }
    return strbuf_detach(&out);
}

char *textja_read(const char *text)
{
    char *ruby = textja_ruby(text);
    char *numbers = numja_normalize(ruby);
    free(ruby);
    bool japanese = textja_has_japanese(numbers);
    mecab_t *m = japanese ? textja_mecab() : NULL;
    char *said = numbers;
    if (japanese && !m)
        textja.unread++;
    if (m) {
        struct strbuf out = STRBUF_INIT;
        textja_words(&out, m, numbers);
        free(numbers);
        said = strbuf_detach(&out);
    }
    char *result = textja_punctuate(said);
    free(said);
    return result;
}
