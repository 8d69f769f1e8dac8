/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Chinese number normalizer (contract and the list of readings in numzh.h).
 * The input is decoded once into an array of characters with full-width
 * forms folded, so each reader can look ahead and behind by index without
 * re-decoding UTF-8. Each reader recognizes one written form at the first
 * digit of a number (date, clock time, fraction or ratio, phone number,
 * plain number) and spells it; the loop in numzh_normalize() hands every
 * digit to a reader, which is what guarantees that no digit is copied
 * through.
 */
#include "plan/numzh.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const char *const DIGIT_ZH[10] = {"零", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};

/* Below 10^16 a value fits 万/亿 grouping; longer numbers are codes. */
#define MAX_VALUE_DIGITS 16

#define CP_DI 0x7B2C       /* 第 */
#define CP_NIAN 0x5E74     /* 年 */
#define CP_DAO 0x5230      /* 到 */
#define CP_ZHI 0x81F3      /* 至 */
#define CP_MINUS 0x2212    /* − */
#define CP_PERMILLE 0x2030 /* ‰ */
#define CP_TIMES 0x00D7    /* × */

/* Measure words after which the number 2 is read 两. */
static const char *const LIANG_MEASURES[] = {
    "个", "位", "种", "次", "年", "天", "点", "本", "件", "台", "条", "只", "张", "万", "亿", "千",
    "人", "岁", "倍", "名", "份", "周", "小时", "分钟", "秒",
    /* the same in traditional characters, as Cantonese runs keep them */
    "個", "隻", "張", "條", "臺", "萬", "億", "歲", "週", "小時", "分鐘", "種"};

struct ch {
    int32_t cp;  /* full-width forms folded to ASCII */
    int32_t raw; /* as written */
    size_t off;  /* byte offset in the source */
    size_t len;  /* byte length in the source */
};

struct text {
    const char *src;
    struct ch *c;
    size_t n;
};

static void text_load(struct text *t, const char *src)
{
    const char *p = src, *end = src + strlen(src);
    size_t cap = 0;
    *t = (struct text){src, NULL, 0};
    while (p < end) {
        const char *at = p;
        int32_t raw = utf8_decode(&p, end);
        XGROW(t->c, cap, t->n + 1);
        t->c[t->n++] =
            (struct ch){utf8_fold_fullwidth(raw), raw, (size_t)(at - src), (size_t)(p - at)};
    }
}

/* Out-of-range indexes read as 0 so lookahead needs no bounds checks. */
static int32_t cp_at(const struct text *t, size_t i)
{
    return i < t->n ? t->c[i].cp : 0;
}

static bool is_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool digit_at(const struct text *t, size_t i)
{
    return is_digit(cp_at(t, i));
}

static size_t run_end(const struct text *t, size_t i)
{
    while (digit_at(t, i))
        i++;
    return i;
}

/* Callers only ask for short runs (at most 4 digits), so no overflow. */
static unsigned run_value(const struct text *t, size_t from, size_t to)
{
    unsigned v = 0;
    for (size_t i = from; i < to; i++)
        v = v * 10 + (unsigned)(cp_at(t, i) - '0');
    return v;
}

static void copy_raw(struct strbuf *sb, const struct text *t, size_t from, size_t to)
{
    if (to > from)
        strbuf_add(sb, t->src + t->c[from].off,
                   t->c[to - 1].off + t->c[to - 1].len - t->c[from].off);
}

static bool is_range_dash(int32_t cp)
{
    return cp == '-' || cp == '~' || cp == 0x2013 || cp == 0x2014 || cp == 0x301C;
}

/* Digits that belong to a Latin word (A100, GPT-4o) are a name, not an amount. */
static bool attached_to_word(const struct text *t, size_t i)
{
    if (i == 0)
        return false;
    int32_t prev = t->c[i - 1].cp;
    if (utf8_is_latin_letter(prev))
        return true;
    return (prev == '-' || prev == '_') && i >= 2 && utf8_is_latin_letter(t->c[i - 2].cp);
}

/* The 2 of 1/2/3 or 1:2:3 is one link of a chain, not the start of a pair. */
static bool continues_chain(const struct text *t, size_t i)
{
    if (i < 2)
        return false;
    int32_t prev = t->c[i - 1].cp;
    return (prev == ':' || prev == '/' || prev == '.') && is_digit(t->c[i - 2].cp);
}

static void spell_digits(struct strbuf *sb, const char *digits, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_digit((unsigned char)digits[i]))
            strbuf_adds(sb, DIGIT_ZH[digits[i] - '0']);
}

/* Digits of [from, to) one by one, '.' as 点; anything else there is kept as written. */
static void spell_run(struct strbuf *sb, const struct text *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (digit_at(t, i))
            strbuf_adds(sb, DIGIT_ZH[cp_at(t, i) - '0']);
        else if (cp_at(t, i) == '.')
            strbuf_adds(sb, "点");
        else
            copy_raw(sb, t, i, i + 1);
    }
}

/* 1..9999. A leading 1 before 十 is silent only at the start of a number (十五, 一百一十). */
static void spell_group(struct strbuf *sb, unsigned v, bool leading)
{
    static const char *const unit[4] = {"千", "百", "十", ""};
    bool started = false, zero = false;
    unsigned div = 1000;
    for (int k = 0; k < 4; k++, div /= 10) {
        unsigned d = v / div % 10;
        if (d == 0) {
            zero = zero || started;
            continue;
        }
        if (zero)
            strbuf_adds(sb, "零");
        zero = false;
        if (!(k == 2 && d == 1 && !started && leading))
            strbuf_adds(sb, DIGIT_ZH[d]);
        strbuf_adds(sb, unit[k]);
        started = true;
    }
}

/*
 * v >= 1. 零 marks zeros between groups, when the lower part does not fill its
 * top position (10010 -> 一万零一十, 100010000 -> 一亿零一万); trailing zeros
 * are silent. Above 亿 the multiplier is itself grouped (一万二千亿).
 */
static void spell_value(struct strbuf *sb, uint64_t v, bool leading)
{
    uint64_t base = v >= 100000000u ? 100000000u : v >= 10000u ? 10000u : 0;
    if (!base) {
        spell_group(sb, (unsigned)v, leading);
        return;
    }
    uint64_t rest = v % base;
    spell_value(sb, v / base, leading);
    strbuf_adds(sb, base == 10000u ? "万" : "亿");
    if (rest) {
        if (rest < base / 10)
            strbuf_adds(sb, "零");
        spell_value(sb, rest, false);
    }
}

void numzh_integer(struct strbuf *sb, const char *digits, size_t n)
{
    size_t i = 0, significant = 0;
    uint64_t v = 0;
    while (i < n && !(digits[i] >= '1' && digits[i] <= '9'))
        i++;
    for (size_t k = i; k < n; k++)
        significant += is_digit((unsigned char)digits[k]);
    if (significant == 0) {
        strbuf_adds(sb, "零");
        return;
    }
    if (significant > MAX_VALUE_DIGITS) {
        spell_digits(sb, digits, n);
        return;
    }
    for (; i < n; i++)
        if (is_digit((unsigned char)digits[i]))
            v = v * 10 + (uint64_t)(digits[i] - '0');
    spell_value(sb, v, true);
}

/* An integer part in [from, to) (thousands commas allowed), as a value or digit by digit. */
static void spell_int(struct strbuf *sb, const struct text *t, size_t from, size_t to,
                      bool by_digit)
{
    struct strbuf d = STRBUF_INIT;
    for (size_t i = from; i < to; i++)
        if (digit_at(t, i))
            strbuf_addc(&d, (char)cp_at(t, i));
    if (by_digit || (d.len > 1 && d.buf[0] == '0'))
        spell_digits(sb, d.buf, d.len);
    else
        numzh_integer(sb, d.buf, d.len);
    strbuf_release(&d);
}

/* Minutes and seconds keep their written zero: 9:05 -> 九点零五分. */
static void spell_clock_part(struct strbuf *sb, unsigned v, const char *unit)
{
    if (v < 10) {
        strbuf_adds(sb, "零");
        if (v)
            strbuf_adds(sb, DIGIT_ZH[v]);
    } else {
        spell_value(sb, v, true);
    }
    strbuf_adds(sb, unit);
}

/* 2025-11-28, 2025/11/28, 2025.11.28 */
static size_t read_date(const struct text *t, size_t i, struct strbuf *sb)
{
    size_t y = run_end(t, i);
    int32_t sep = cp_at(t, y);
    if (y - i != 4 || (sep != '-' && sep != '/' && sep != '.'))
        return 0;
    size_t m = run_end(t, y + 1);
    if (m - y < 2 || m - y > 3 || cp_at(t, m) != sep)
        return 0;
    size_t d = run_end(t, m + 1);
    if (d - m < 2 || d - m > 3 || (cp_at(t, d) == sep && digit_at(t, d + 1)))
        return 0;
    unsigned month = run_value(t, y + 1, m), day = run_value(t, m + 1, d);
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0;
    spell_run(sb, t, i, y);
    strbuf_adds(sb, "年");
    spell_value(sb, month, true);
    strbuf_adds(sb, "月");
    spell_value(sb, day, true);
    strbuf_adds(sb, "日");
    return d;
}

/* H:MM or H:MM:SS */
static size_t read_clock(const struct text *t, size_t i, struct strbuf *sb)
{
    size_t h = run_end(t, i);
    if (h - i > 2 || cp_at(t, h) != ':')
        return 0;
    size_t m = run_end(t, h + 1), end = m;
    unsigned sec = 0;
    if (m - h != 3)
        return 0;
    if (cp_at(t, m) == ':' && digit_at(t, m + 1)) {
        end = run_end(t, m + 1);
        if (end - m != 3 || (cp_at(t, end) == ':' && digit_at(t, end + 1)))
            return 0;
        sec = run_value(t, m + 1, end);
    }
    unsigned hour = run_value(t, i, h), min = run_value(t, h + 1, m);
    if (hour > 24 || min > 59 || sec > 59)
        return 0;
    if (hour == 0)
        strbuf_adds(sb, "零");
    else if (hour == 2)
        strbuf_adds(sb, "两");
    else
        spell_value(sb, hour, true);
    strbuf_adds(sb, "点");
    if (min || sec)
        spell_clock_part(sb, min, "分");
    if (sec)
        spell_clock_part(sb, sec, "秒");
    return end;
}

/* a/b -> b分之a, a:b -> a比b */
static size_t read_pair(const struct text *t, size_t i, struct strbuf *sb)
{
    size_t a = run_end(t, i);
    int32_t op = cp_at(t, a);
    if ((op != '/' && op != ':') || !digit_at(t, a + 1))
        return 0;
    size_t b = run_end(t, a + 1);
    int32_t after = cp_at(t, b);
    if ((after == '/' || after == ':' || after == '.' || after == ',') && digit_at(t, b + 1))
        return 0;
    if (op == '/') {
        spell_int(sb, t, a + 1, b, false);
        strbuf_adds(sb, "分之");
        spell_int(sb, t, i, a, false);
    } else {
        spell_int(sb, t, i, a, false);
        strbuf_adds(sb, "比");
        spell_int(sb, t, a + 1, b, false);
    }
    return b;
}

/* 138-1234-5678, 400-800-1234, 010-12345678: digit by digit, dashes kept. */
static size_t read_phone(const struct text *t, size_t i, struct strbuf *sb)
{
    size_t groups = 0, j = i, end = i;
    for (;;) {
        size_t g = run_end(t, j);
        if (g - j < 3)
            break;
        groups++;
        end = g;
        if (cp_at(t, g) != '-' || !digit_at(t, g + 1))
            break;
        j = g + 1;
    }
    if (groups < 2 || (groups < 3 && cp_at(t, i) != '0'))
        return 0;
    spell_run(sb, t, i, end);
    return end;
}

/*
 * [i, run) is 4 digits. 2025年; ranges 2024-2025年, 1990到2000年, 2024-2025.
 * Years are 1000-2999 so that 5000年 stays an amount of years.
 */
static size_t read_year(const struct text *t, size_t i, size_t run, struct strbuf *sb)
{
    unsigned a = run_value(t, i, run);
    int32_t join = cp_at(t, run);
    if (a < 1000 || a > 2999)
        return 0;
    if (join == CP_NIAN) {
        spell_run(sb, t, i, run);
        return run;
    }
    if (!is_range_dash(join) && join != CP_DAO && join != CP_ZHI)
        return 0;
    size_t b = run_end(t, run + 1);
    if (b - run != 5 || ((cp_at(t, b) == '.' || cp_at(t, b) == ',') && digit_at(t, b + 1)))
        return 0;
    unsigned bv = run_value(t, run + 1, b);
    if (bv <= a || bv > 2999 || (cp_at(t, b) != CP_NIAN && (a < 1900 || bv > 2099)))
        return 0;
    spell_run(sb, t, i, run);
    if (is_range_dash(join))
        strbuf_adds(sb, "到");
    else
        copy_raw(sb, t, run, run + 1);
    spell_run(sb, t, run + 1, b);
    return b;
}

/* The number 2 at [i, end) before a measure word reads 两 (2个, 2万), not after 第. */
static bool takes_liang(const struct text *t, size_t i, size_t end)
{
    if (end - i != 1 || cp_at(t, i) != '2' || end >= t->n || (i > 0 && t->c[i - 1].cp == CP_DI))
        return false;
    const char *s = t->src + t->c[end].off;
    if (strncmp(s, "年级", strlen("年级")) == 0) /* 2年级 is the second grade */
        return false;
    for (size_t k = 0; k < sizeof(LIANG_MEASURES) / sizeof(LIANG_MEASURES[0]); k++)
        if (strncmp(s, LIANG_MEASURES[k], strlen(LIANG_MEASURES[k])) == 0)
            return true;
    return false;
}

/* Where an integer part starting at i ends, taking in thousands separators (1,000,000). */
static size_t int_part_end(const struct text *t, size_t i)
{
    size_t j = run_end(t, i);
    if (j - i > 3 || cp_at(t, i) == '0')
        return j;
    while (j < t->n && t->c[j].raw == ',' && run_end(t, j + 1) == j + 4)
        j += 4;
    return j;
}

/* Integers, decimals, dotted chains, years, percent and 两. */
static size_t read_plain(const struct text *t, size_t i, struct strbuf *sb, bool *by_digit)
{
    size_t run = run_end(t, i), int_end = int_part_end(t, i);
    size_t frac = int_end, end = int_end;
    bool percent = false;
    *by_digit = attached_to_word(t, i) || (int_end == run && run - i > 1 && cp_at(t, i) == '0');
    if (!*by_digit && int_end == run && run - i == 4) {
        size_t year_end = read_year(t, i, run, sb);
        if (year_end)
            return year_end;
    }
    if (cp_at(t, int_end) == '.' && digit_at(t, int_end + 1)) {
        frac = int_end + 1;
        end = run_end(t, frac);
        if (cp_at(t, end) == '.' && digit_at(t, end + 1)) {
            /* A third part: a version or an address, read digit by digit. */
            while (cp_at(t, end) == '.' && digit_at(t, end + 1))
                end = run_end(t, end + 1);
            spell_run(sb, t, i, end);
            return end;
        }
    }
    if (cp_at(t, end) == '%' || cp_at(t, end) == CP_PERMILLE) {
        strbuf_adds(sb, cp_at(t, end) == '%' ? "百分之" : "千分之");
        percent = true;
    } else if (!*by_digit && takes_liang(t, i, end)) {
        strbuf_adds(sb, "两");
        return end;
    }
    spell_int(sb, t, i, int_end, *by_digit);
    if (frac != int_end) {
        strbuf_adds(sb, "点");
        spell_run(sb, t, frac, end);
    }
    return percent ? end + 1 : end;
}

/*
 * Reads the number whose first digit is at i into sb and returns the index
 * after it. *by_digit tells whether it was read as a code (digit by digit),
 * which keeps a dash next to it from being read 到.
 */
static size_t read_number(const struct text *t, size_t i, struct strbuf *sb, bool *by_digit)
{
    size_t end;
    *by_digit = false;
    if (!attached_to_word(t, i) && !continues_chain(t, i)) {
        if ((end = read_date(t, i, sb)) || (end = read_clock(t, i, sb)) ||
            (end = read_pair(t, i, sb)))
            return end;
        if ((end = read_phone(t, i, sb))) {
            *by_digit = true;
            return end;
        }
    }
    return read_plain(t, i, sb, by_digit);
}

/* The word for an operator between two numbers, or NULL. */
static const char *joiner_word(int32_t cp)
{
    if (is_range_dash(cp))
        return "到";
    return cp == '+'        ? "加"
           : cp == CP_MINUS ? "减"
           : cp == CP_TIMES ? "乘"
           : cp == '='      ? "等于"
                            : NULL;
}

/*
 * Whether i directly follows a number, or a number and its unit (the 年 of
 * 2024年-2025年, the 万 of 10万+), so an operator there joins two numbers.
 */
static bool after_number(const struct text *t, size_t i, size_t last_end)
{
    return i == last_end || (last_end < i && i - last_end == 1 && utf8_is_han(t->c[i - 1].cp));
}

/* A sign stands before a digit and after neither a number nor a word. */
static bool is_sign(const struct text *t, size_t i)
{
    int32_t cp = t->c[i].cp;
    if ((cp != '-' && cp != CP_MINUS && cp != '+') || !digit_at(t, i + 1))
        return false;
    return i == 0 || (!is_digit(t->c[i - 1].cp) && !utf8_is_latin_letter(t->c[i - 1].cp));
}

char *numzh_normalize(const char *text)
{
    struct text t;
    struct strbuf out = STRBUF_INIT, num = STRBUF_INIT;
    size_t last_end = SIZE_MAX;
    bool last_by_digit = false;
    text_load(&t, text);
    for (size_t i = 0; i < t.n;) {
        int32_t cp = t.c[i].cp;
        bool follows = after_number(&t, i, last_end);
        const char *joiner = follows && digit_at(&t, i + 1) ? joiner_word(cp) : NULL;
        if (joiner) {
            bool by_digit;
            strbuf_reset(&num);
            size_t end = read_number(&t, i + 1, &num, &by_digit);
            if (is_range_dash(cp) && (by_digit || last_by_digit))
                copy_raw(&out, &t, i, i + 1);
            else
                strbuf_adds(&out, joiner);
            strbuf_add(&out, num.buf, num.len);
            last_end = i = end;
            last_by_digit = by_digit;
        } else if (follows && cp == '+') {
            /* 10+ and 10万+ mean "more than": 十多, 十万多. */
            strbuf_adds(&out, "多");
            i++;
        } else if (is_sign(&t, i)) {
            if (cp != '+')
                strbuf_adds(&out, "负");
            i++;
        } else if (is_digit(cp)) {
            last_end = i = read_number(&t, i, &out, &last_by_digit);
        } else {
            copy_raw(&out, &t, i, i + 1);
            i++;
        }
    }
    strbuf_release(&num);
    free(t.c);
    return strbuf_detach(&out);
}
