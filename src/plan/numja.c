/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Japanese number readings (contract and the list of readings in numja.h).
 * A number is spelled into the output first; the counter after it then
 * changes the end of that spelling in place (イチ -> イッ before 本, ヨン ->
 * ヨ before 時) and picks the form of its own first sound (ホン, ポン, ボン),
 * which is how the sound changes of spoken Japanese work: they depend only
 * on how the number ends and on the counter.
 */
#include "plan/numja.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <string.h>

static const char *const DIG[10] = {"ゼロ", "イチ", "ニ",   "サン", "ヨン",
                                    "ゴ",   "ロク", "ナナ", "ハチ", "キュー"};

/* Below 10^16 a value fits 万/億/兆 grouping; longer numbers are codes. */
#define NUMJA_MAX_DIGITS 16

/* Endings that double their last consonant before some counters. */
enum {
    G1 = 1,    /* イチ -> イッ */
    G6 = 2,    /* ロク -> ロッ */
    G8 = 4,    /* ハチ -> ハッ */
    G10 = 8,   /* ジュー -> ジュッ */
    G100 = 16, /* ヒャク -> ヒャッ */
    GK = G1 | G6 | G8 | G10 | G100,
    GS = G1 | G8 | G10,
};

/* Endings read another way before some counters. */
enum {
    F_YO = 1,     /* ヨン -> ヨ (4時 ヨジ) */
    F_SHI = 2,    /* ヨン -> シ (4月 シガツ) */
    F_SHICHI = 4, /* ナナ -> シチ (7時 シチジ) */
    F_KU = 8,     /* キュー -> ク (9時 クジ) */
    F_DAY = 16,   /* days of a month: ツイタチ, フツカ ... */
    F_TSU = 32,   /* native numbers 1-9: ヒトツ, フタツ, ミッツ ... */
};

/* How the counter's own first sound changes: none, h (ホン ポン ボン), 分
 * (フン プン: p after ッ and ン), k after ン voiced (階: サンガイ). */
enum numja_kind { C_PLAIN, C_H, C_FUN, C_KAI };

struct numja_counter {
    const char *written;
    const char *kana;   /* its plain form */
    const char *p_form; /* after ッ (and for 分 after ン), C_H and C_FUN */
    const char *b_form; /* after ン other than ヨン, C_H and C_KAI */
    enum numja_kind kind;
    unsigned gem, flags;
    unsigned one, two, twenty; /* whole-value forms: index into NUMJA_WORDS or 0 */
};

static const char *const NUMJA_WORDS[] = {"", "ヒトリ", "フタリ", "ハタチ"};

/* Longer written forms first, so 時間 wins over 時 and ヶ月 over 月. */
static const struct numja_counter NUMJA_COUNTERS[] = {
    {"ヶ月", "カゲツ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"か月", "カゲツ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"カ月", "カゲツ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"ヵ月", "カゲツ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"箇月", "カゲツ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"か国", "カコク", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"カ国", "カコク", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"ヶ国", "カコク", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"時間", "ジカン", NULL, NULL, C_PLAIN, 0, F_YO | F_SHICHI | F_KU, 0, 0, 0},
    {"日間", "ニチカン", NULL, NULL, C_PLAIN, 0, F_DAY, 0, 0, 0},
    {"週間", "シューカン", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 0},
    {"分間", "フンカン", "プンカン", NULL, C_FUN, GK, 0, 0, 0, 0},
    {"じかん", "ジカン", NULL, NULL, C_PLAIN, 0, F_YO | F_SHICHI | F_KU, 0, 0, 0},
    {"かげつ", "カゲツ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"%", "パーセント", NULL, NULL, C_PLAIN, G10, 0, 0, 0, 0},
    {"％", "パーセント", NULL, NULL, C_PLAIN, G10, 0, 0, 0, 0},
    {"人", "ニン", NULL, NULL, C_PLAIN, 0, F_YO, 1, 2, 0},
    {"年", "ネン", NULL, NULL, C_PLAIN, 0, F_YO, 0, 0, 0},
    {"月", "ガツ", NULL, NULL, C_PLAIN, 0, F_SHI | F_SHICHI | F_KU, 0, 0, 0},
    {"日", "ニチ", NULL, NULL, C_PLAIN, 0, F_DAY, 0, 0, 0},
    {"時", "ジ", NULL, NULL, C_PLAIN, 0, F_YO | F_SHICHI | F_KU, 0, 0, 0},
    {"分", "フン", "プン", NULL, C_FUN, GK, 0, 0, 0, 0},
    {"秒", "ビョー", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"円", "エン", NULL, NULL, C_PLAIN, 0, F_YO, 0, 0, 0},
    {"個", "コ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"回", "カイ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"階", "カイ", NULL, "ガイ", C_KAI, GK, 0, 0, 0, 0},
    {"歳", "サイ", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 3},
    {"才", "サイ", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 3},
    {"本", "ホン", "ポン", "ボン", C_H, GK, 0, 0, 0, 0},
    {"杯", "ハイ", "パイ", "バイ", C_H, GK, 0, 0, 0, 0},
    {"匹", "ヒキ", "ピキ", "ビキ", C_H, GK, 0, 0, 0, 0},
    {"泊", "ハク", "パク", "バク", C_H, GK, 0, 0, 0, 0},
    {"件", "ケン", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"冊", "サツ", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 0},
    {"点", "テン", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 0},
    {"章", "ショー", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 0},
    {"社", "シャ", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 0},
    {"度", "ド", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"倍", "バイ", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"位", "イ", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"番", "バン", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"号", "ゴー", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"枚", "マイ", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"台", "ダイ", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"話", "ワ", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"代", "ダイ", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"名", "メー", NULL, NULL, C_PLAIN, 0, 0, 0, 0, 0},
    {"つ", "ツ", NULL, NULL, C_PLAIN, 0, F_TSU, 0, 0, 0},
    /* Counters written in kana (text for children, or spaced word by word). */
    {"にん", "ニン", NULL, NULL, C_PLAIN, 0, F_YO, 1, 2, 0},
    {"ねん", "ネン", NULL, NULL, C_PLAIN, 0, F_YO, 0, 0, 0},
    {"がつ", "ガツ", NULL, NULL, C_PLAIN, 0, F_SHI | F_SHICHI | F_KU, 0, 0, 0},
    {"にち", "ニチ", NULL, NULL, C_PLAIN, 0, F_DAY, 0, 0, 0},
    {"ふん", "フン", "プン", NULL, C_FUN, GK, 0, 0, 0, 0},
    {"ぷん", "フン", "プン", NULL, C_FUN, GK, 0, 0, 0, 0},
    {"えん", "エン", NULL, NULL, C_PLAIN, 0, F_YO, 0, 0, 0},
    {"かい", "カイ", NULL, NULL, C_PLAIN, GK, 0, 0, 0, 0},
    {"さい", "サイ", NULL, NULL, C_PLAIN, GS, 0, 0, 0, 3},
    {"じ", "ジ", NULL, NULL, C_PLAIN, 0, F_YO | F_SHICHI | F_KU, 0, 0, 0},
};

/* 1つ to 9つ: things counted with native numbers ("3つの手順" ミッツ). */
static const char *const NUMJA_TSU[] = {NULL,     "ヒトツ", "フタツ", "ミッツ", "ヨッツ",
                                        "イツツ", "ムッツ", "ナナツ", "ヤッツ", "ココノツ"};

/* Days of a month that have words of their own (index: the day). */
static const char *const NUMJA_DAYS[] = {
    NULL,     "ツイタチ", "フツカ", "ミッカ", "ヨッカ",
    "イツカ", "ムイカ",   "ナノカ", "ヨーカ", "ココノカ",
    "トーカ", NULL,       NULL,     NULL,     "ジューヨッカ",
    NULL,     NULL,       NULL,     NULL,     NULL,
    "ハツカ", NULL,       NULL,     NULL,     "ニジューヨッカ"};

static bool numja_ends(const struct strbuf *sb, size_t start, const char *s)
{
    size_t n = strlen(s);
    return sb->len >= start + n && !memcmp(sb->buf + sb->len - n, s, n);
}

/* Replaces the ending from of the reading (which starts at start) by to. */
static bool numja_swap(struct strbuf *sb, size_t start, const char *from, const char *to)
{
    if (!numja_ends(sb, start, from))
        return false;
    strbuf_setlen(sb, sb->len - strlen(from));
    strbuf_adds(sb, to);
    return true;
}

static bool numja_geminate(struct strbuf *sb, size_t start, unsigned mask)
{
    return ((mask & G1) && numja_swap(sb, start, "イチ", "イッ")) ||
           ((mask & G6) && numja_swap(sb, start, "ロク", "ロッ")) ||
           ((mask & G8) && numja_swap(sb, start, "ハチ", "ハッ")) ||
           ((mask & G10) && numja_swap(sb, start, "ジュー", "ジュッ")) ||
           ((mask & G100) && numja_swap(sb, start, "ヒャク", "ヒャッ"));
}

/* 1..9999; before_unit: the group multiplies 万/億/兆 (1000万 is イッセンマン). */
static void numja_group(struct strbuf *sb, unsigned v, bool before_unit)
{
    unsigned th = v / 1000, hu = v / 100 % 10, te = v / 10 % 10, on = v % 10;
    if (th == 1)
        strbuf_adds(sb, before_unit && v == 1000 ? "イッセン" : "セン");
    else if (th == 3)
        strbuf_adds(sb, "サンゼン");
    else if (th == 8)
        strbuf_adds(sb, "ハッセン");
    else if (th)
        strbuf_addf(sb, "%sセン", DIG[th]);
    if (hu == 1)
        strbuf_adds(sb, "ヒャク");
    else if (hu == 3)
        strbuf_adds(sb, "サンビャク");
    else if (hu == 6)
        strbuf_adds(sb, "ロッピャク");
    else if (hu == 8)
        strbuf_adds(sb, "ハッピャク");
    else if (hu)
        strbuf_addf(sb, "%sヒャク", DIG[hu]);
    if (te == 1)
        strbuf_adds(sb, "ジュー");
    else if (te)
        strbuf_addf(sb, "%sジュー", DIG[te]);
    if (on)
        strbuf_adds(sb, DIG[on]);
}

/* The reading of v grouped by 万 (10^4), 億 (10^8), 兆 (10^12). */
static void numja_value(struct strbuf *sb, uint64_t v)
{
    static const char *const unit[4] = {"", "マン", "オク", "チョー"};
    if (v == 0) {
        strbuf_adds(sb, DIG[0]);
        return;
    }
    unsigned g[4]; /* v < 10^16 (NUMJA_MAX_DIGITS) */
    for (int i = 0; i < 4; i++, v /= 10000)
        g[i] = (unsigned)(v % 10000);
    for (int i = 3; i >= 0; i--) {
        if (!g[i])
            continue;
        size_t at = sb->len;
        if (g[i] == 1 && i)
            strbuf_adds(sb, "イチ");
        else
            numja_group(sb, g[i], i > 0);
        if (i == 3)
            numja_geminate(sb, at, GS); /* イッチョー, ハッチョー, ジュッチョー */
        strbuf_adds(sb, unit[i]);
    }
}

static const struct numja_counter *numja_counter_at(const char *s, size_t *len)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < sizeof(NUMJA_COUNTERS) / sizeof(NUMJA_COUNTERS[0]); i++) {
        size_t n = strlen(NUMJA_COUNTERS[i].written);
        if (!strncmp(s, NUMJA_COUNTERS[i].written, n)) {
            *len = n;
            return &NUMJA_COUNTERS[i];
        }
    }
    return NULL;
}

/*
 * Appends counter c after the reading that starts at start in sb. value is
 * the whole number when it is an integer (whole_forms: ヒトリ, ツイタチ...),
 * else the counter only changes the ending.
 */
static void numja_apply(struct strbuf *sb, size_t start, const struct numja_counter *c,
                        uint64_t value, bool whole, bool after_month)
{
    if (whole) {
        unsigned w = value == 1 ? c->one : value == 2 ? c->two : value == 20 ? c->twenty : 0;
        if (w) {
            strbuf_setlen(sb, start);
            strbuf_adds(sb, NUMJA_WORDS[w]);
            return;
        }
        if ((c->flags & F_TSU) && value >= 1 && value <= 9) {
            strbuf_setlen(sb, start);
            strbuf_adds(sb, NUMJA_TSU[value]);
            return;
        }
        if ((c->flags & F_DAY) && value < sizeof(NUMJA_DAYS) / sizeof(NUMJA_DAYS[0]) &&
            NUMJA_DAYS[value] && (value != 1 || after_month)) {
            strbuf_setlen(sb, start);
            strbuf_adds(sb, NUMJA_DAYS[value]);
            if (!strcmp(c->kana, "ニチカン"))
                strbuf_adds(sb, "カン");
            return;
        }
    }
    if (c->flags & (F_DAY | F_SHICHI))
        numja_swap(sb, start, "ナナ", "シチ");
    if (c->flags & (F_DAY | F_KU))
        numja_swap(sb, start, "キュー", "ク");
    if (c->flags & F_YO)
        numja_swap(sb, start, "ヨン", "ヨ");
    if (c->flags & F_SHI)
        numja_swap(sb, start, "ヨン", "シ");
    bool gem = numja_geminate(sb, start, c->gem);
    bool n_end = numja_ends(sb, start, "ン");
    bool yon = numja_ends(sb, start, "ヨン");
    if ((c->kind == C_H && gem) || (c->kind == C_FUN && (gem || n_end)))
        strbuf_adds(sb, c->p_form);
    else if ((c->kind == C_H || c->kind == C_KAI) && n_end && !yon)
        strbuf_adds(sb, c->b_form);
    else
        strbuf_adds(sb, c->kana);
}

static uint64_t numja_parse(const char *digits, size_t n, size_t *count)
{
    uint64_t v = 0;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        if (digits[i] < '0' || digits[i] > '9')
            continue;
        if (*count || digits[i] != '0')
            (*count)++;
        if (*count <= NUMJA_MAX_DIGITS)
            v = v * 10 + (uint64_t)(digits[i] - '0');
    }
    return v;
}

size_t numja_count(struct strbuf *sb, const char *digits, size_t n, const char *counter,
                   bool after_month)
{
    size_t start = sb->len, significant, clen = 0;
    uint64_t v = numja_parse(digits, n, &significant);
    if (significant > NUMJA_MAX_DIGITS) {
        for (size_t i = 0; i < n; i++)
            if (digits[i] >= '0' && digits[i] <= '9')
                strbuf_adds(sb, DIG[digits[i] - '0']);
        return 0;
    }
    numja_value(sb, v);
    const struct numja_counter *c = numja_counter_at(counter, &clen);
    if (!c)
        return 0;
    numja_apply(sb, start, c, v, true, after_month);
    return clen;
}

/* ---- Numbers written in digits ---- */

struct numja_ch {
    int32_t cp; /* full-width forms folded */
    size_t off, len;
};

struct numja_text {
    const char *src;
    struct numja_ch *c;
    size_t n;
};

static int32_t numja_at(const struct numja_text *t, size_t i)
{
    return i < t->n ? t->c[i].cp : 0;
}

static bool numja_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static size_t numja_digits_end(const struct numja_text *t, size_t i)
{
    while (numja_digit(numja_at(t, i)))
        i++;
    return i;
}

static unsigned numja_small(const struct numja_text *t, size_t from, size_t to)
{
    unsigned v = 0;
    for (size_t i = from; i < to && i < from + 4; i++)
        v = v * 10 + (unsigned)(t->c[i].cp - '0');
    return v;
}

static const char *numja_ptr(const struct numja_text *t, size_t i)
{
    return i < t->n ? t->src + t->c[i].off : t->src + strlen(t->src);
}

/* The index after the byte length len of text starting at character i. */
static size_t numja_skip_bytes(const struct numja_text *t, size_t i, size_t len)
{
    size_t end = (i < t->n ? t->c[i].off : strlen(t->src)) + len;
    while (i < t->n && t->c[i].off < end)
        i++;
    return i;
}

static void numja_digit_by_digit(struct strbuf *sb, const struct numja_text *t, size_t from,
                                 size_t to)
{
    for (size_t i = from; i < to; i++)
        if (numja_digit(t->c[i].cp))
            strbuf_adds(sb, DIG[t->c[i].cp - '0']);
}

/* YYYY/MM/DD or YYYY-MM-DD at i: returns the index after it, or 0. */
static size_t numja_date(struct strbuf *sb, const struct numja_text *t, size_t i)
{
    size_t a = numja_digits_end(t, i);
    int32_t sep = numja_at(t, a);
    if (a - i != 4 || (sep != '/' && sep != '-'))
        return 0;
    size_t b = numja_digits_end(t, a + 1);
    if (b - a - 1 < 1 || b - a - 1 > 2 || numja_at(t, b) != sep)
        return 0;
    size_t c = numja_digits_end(t, b + 1);
    unsigned y = numja_small(t, i, a), m = numja_small(t, a + 1, b), d = numja_small(t, b + 1, c);
    if (c - b - 1 < 1 || c - b - 1 > 2 || m < 1 || m > 12 || d < 1 || d > 31 ||
        numja_digit(numja_at(t, c)))
        return 0;
    size_t len;
    numja_value(sb, y);
    strbuf_adds(sb, "ネン");
    size_t start = sb->len;
    numja_value(sb, m);
    numja_apply(sb, start, numja_counter_at("月", &len), m, true, false);
    start = sb->len;
    numja_value(sb, d);
    numja_apply(sb, start, numja_counter_at("日", &len), d, true, true);
    return c;
}

/* H:MM or H:MM:SS at i (H <= 24): returns the index after it, or 0. */
static size_t numja_clock(struct strbuf *sb, const struct numja_text *t, size_t i)
{
    size_t a = numja_digits_end(t, i);
    if (a - i > 2 || numja_at(t, a) != ':')
        return 0;
    size_t b = numja_digits_end(t, a + 1);
    unsigned h = numja_small(t, i, a), m = numja_small(t, a + 1, b), s = 0;
    if (b - a - 1 != 2 || h > 24 || m > 59)
        return 0;
    size_t end = b;
    bool secs = false;
    if (numja_at(t, b) == ':') {
        size_t c = numja_digits_end(t, b + 1);
        s = numja_small(t, b + 1, c);
        if (c - b - 1 != 2 || s > 59)
            return 0;
        end = c;
        secs = true;
    }
    if (numja_digit(numja_at(t, end)) || numja_at(t, end) == ':')
        return 0;
    size_t len, start = sb->len;
    numja_value(sb, h);
    numja_apply(sb, start, numja_counter_at("時", &len), h, true, false);
    if (m) {
        start = sb->len;
        numja_value(sb, m);
        numja_apply(sb, start, numja_counter_at("分", &len), m, true, false);
    }
    if (secs && s) {
        numja_value(sb, s);
        strbuf_adds(sb, "ビョー");
    }
    return end;
}

/* Groups of 2+ digits joined by '-', three groups or a first one starting
 * with 0 (03-1234-5678): digit by digit, the dashes read ノ. */
static size_t numja_phone(struct strbuf *sb, const struct numja_text *t, size_t i)
{
    size_t groups = 0, j = i, end = i;
    for (;;) {
        size_t e = numja_digits_end(t, j);
        if (e - j < 2)
            break;
        groups++;
        end = e;
        if (numja_at(t, e) != '-' || !numja_digit(numja_at(t, e + 1)))
            break;
        j = e + 1;
    }
    if (groups < 2 || (groups < 3 && numja_at(t, i) != '0'))
        return 0;
    for (size_t k = i; k < end; k++) {
        if (numja_digit(t->c[k].cp))
            strbuf_adds(sb, DIG[t->c[k].cp - '0']);
        else
            strbuf_adds(sb, "ノ");
    }
    return end;
}

static bool numja_range_mark(int32_t cp)
{
    return cp == '~' || cp == 0x301C /* 〜 */ || cp == 0xFF5E /* ～ */;
}

/* A plain number at i (integer, decimal, 万/億/兆 after it, counter after
 * that): returns the index after what it read. */
static size_t numja_plain(struct strbuf *sb, const struct numja_text *t, size_t i, bool after_month,
                          bool *month)
{
    size_t start = sb->len, j = i;
    struct strbuf digits = STRBUF_INIT;
    while (numja_digit(numja_at(t, j)) ||
           (numja_at(t, j) == ',' && j > i && numja_digit(numja_at(t, j + 1)) &&
            numja_digits_end(t, j + 1) - j - 1 == 3)) {
        if (numja_digit(t->c[j].cp))
            strbuf_addc(&digits, (char)t->c[j].cp);
        j++;
    }
    bool whole = true;
    size_t significant;
    uint64_t v = numja_parse(digits.buf, digits.len, &significant);
    if ((digits.len > 1 && digits.buf[0] == '0') || significant > NUMJA_MAX_DIGITS) {
        numja_digit_by_digit(sb, t, i, j); /* 007, long codes */
        strbuf_release(&digits);
        return j;
    }
    strbuf_release(&digits);
    int32_t unit = 0;
    bool decimal = numja_at(t, j) == '.' && numja_digit(numja_at(t, j + 1));
    int32_t after = numja_at(t, decimal ? numja_digits_end(t, j + 1) : j);
    if (!decimal && (after == 0x4E07 || after == 0x5104 || after == 0x5146) && v && v < 10000) {
        unit = after; /* 1万, 3億, 1兆: the digits multiply the unit */
        if (v == 1)
            strbuf_adds(sb, unit == 0x5146 ? "イッ" : "イチ");
        else
            numja_group(sb, (unsigned)v, true);
    } else {
        numja_value(sb, v);
    }
    while (numja_at(t, j) == '.' && numja_digit(numja_at(t, j + 1))) {
        size_t e = numja_digits_end(t, j + 1);
        if (whole)
            numja_geminate(sb, start, GS); /* 1.5 イッテンゴ, 8.2 ハッテンニ */
        strbuf_adds(sb, "テン");
        numja_digit_by_digit(sb, t, j + 1, e);
        whole = false;
        j = e;
    }
    if (numja_at(t, j) == 0x4E07 || numja_at(t, j) == 0x5104 || numja_at(t, j) == 0x5146) {
        unit = numja_at(t, j);
        if (unit == 0x5146)
            numja_geminate(sb, start, GS);
        strbuf_adds(sb, unit == 0x4E07 ? "マン" : unit == 0x5104 ? "オク" : "チョー");
        j++;
        whole = false;
    }
    size_t clen = 0;
    const struct numja_counter *c = numja_counter_at(numja_ptr(t, j), &clen);
    if (c) {
        numja_apply(sb, start, c, v, whole, after_month);
        *month = !strcmp(c->kana, "ガツ");
        j = numja_skip_bytes(t, j, clen);
    }
    return j;
}

char *numja_normalize(const char *text)
{
    struct numja_text t = {text, NULL, 0};
    const char *p = text, *end = text + strlen(text);
    size_t cap = 0;
    while (p < end) {
        const char *at = p;
        int32_t raw = utf8_decode(&p, end);
        XGROW(t.c, cap, t.n + 1);
        t.c[t.n++] =
            (struct numja_ch){utf8_fold_fullwidth(raw), (size_t)(at - text), (size_t)(p - at)};
    }
    struct strbuf out = STRBUF_INIT;
    size_t month_end = (size_t)-1; /* where the last month reading ended */
    size_t num_end = (size_t)-1;   /* where the last number (and counter) ended */
    for (size_t i = 0; i < t.n;) {
        int32_t cp = t.c[i].cp, prev = i ? t.c[i - 1].cp : 0;
        if ((cp == '-' || cp == 0x2212) && numja_digit(numja_at(&t, i + 1)) && !numja_digit(prev) &&
            !utf8_is_latin_letter(prev)) {
            strbuf_adds(&out, "マイナス");
            i++;
            continue;
        }
        if (numja_range_mark(cp) && num_end == i && numja_digit(numja_at(&t, i + 1))) {
            strbuf_adds(&out, "カラ");
            i++;
            continue;
        }
        if (!numja_digit(cp)) {
            strbuf_add(&out, text + t.c[i].off, t.c[i].len);
            i++;
            continue;
        }
        size_t j;
        bool month = false;
        if (!(j = numja_date(&out, &t, i)) && !(j = numja_clock(&out, &t, i)) &&
            !(j = numja_phone(&out, &t, i)))
            j = numja_plain(&out, &t, i, month_end == i, &month);
        month_end = month ? j : (size_t)-1;
        /* 2024-2025, 3-5人: a dash between two numbers is a range. */
        if (numja_at(&t, j) == '-' && numja_digit(numja_at(&t, j + 1))) {
            strbuf_adds(&out, "カラ");
            j++;
        }
        i = num_end = j;
    }
    free(t.c);
    return strbuf_detach(&out);
}
