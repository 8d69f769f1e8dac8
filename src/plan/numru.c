/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Russian numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's ru voice reads numbers from its own list, whose
 * sounds differ from the same words typed (7 as "сейм", 5 as "пьять"), has
 * 1000000 as "один тысяча", 1 000 000 digit group by digit group, drops a
 * minus, says "процент" after every number, and reads dates and ordinals
 * (03.12.2026, 3 декабря, 1-й, в 1999 году) as counts. So every number in
 * a Russian run is written out in words:
 *
 *  - cardinals, nominative and masculine (тысяча feminine: две тысячи),
 *    thousands grouped with spaces; a leading 0 is read digit by digit;
 *  - decimals 3,5 (or 3.5) -> три целых пять десятых (up to thousandths);
 *  - percent agreeing with the number: 1 процент, 3 процента, 50 процентов,
 *    3,5 процента;
 *  - ordinals written N-й, N-я, N-е, N-го, N-му, N-м, N-х, N-ю, N-ой;
 *  - years before год, года, году, г.: в 1999 году -> в тысяча девятьсот
 *    девяносто девятом году, 2026 года -> две тысячи двадцать шестого года;
 *  - dates 03.12.2026, 2026-12-03 and "3 декабря": the day an ordinal
 *    (третье; третьего after до, с, от, после, около; третьему after к),
 *    the month in the genitive, the year -> "...шестого года";
 *  - clock times 10:30 -> десять тридцать, 9:05 -> девять ноль пять;
 *  - a minus sign -> минус.
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"

#include <string.h>

enum ru_form { NOM_M, NOM_F, NOM_N, GEN, DAT, PREP, PL, ACC_F, GEN_F };

static const char *const UNITS_M[10] = {"ноль", "один",  "два",  "три",    "четыре",
                                        "пять", "шесть", "семь", "восемь", "девять"};
static const char *const TEENS[10] = {"десять",       "одиннадцать", "двенадцать",  "тринадцать",
                                      "четырнадцать", "пятнадцать",  "шестнадцать", "семнадцать",
                                      "восемнадцать", "девятнадцать"};
static const char *const TENS[10] = {
    "",          "",           "двадцать",  "тридцать",    "сорок",
    "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"};
static const char *const HUNDREDS[10] = {"",          "сто",      "двести",   "триста",
                                         "четыреста", "пятьсот",  "шестьсот", "семьсот",
                                         "восемьсот", "девятьсот"};
static const char *const MONTHS_GEN[] = {"января", "февраля", "марта",   "апреля",   "мая",
                                         "июня",   "июля",    "августа", "сентября", "октября",
                                         "ноября", "декабря", NULL};

/* Ordinal stems; kind 0 regular (-ый), 1 stressed (-ой), 2 третий. */
struct ru_stem {
    const char *stem;
    int kind;
};
static const struct ru_stem UNIT_ORD[10] = {{"", 0},        {"перв", 0}, {"втор", 1}, {"трет", 2},
                                            {"четвёрт", 0}, {"пят", 0},  {"шест", 1}, {"седьм", 1},
                                            {"восьм", 1},   {"девят", 0}};
static const char *const TEEN_ORD[10] = {"десят",       "одиннадцат", "двенадцат",  "тринадцат",
                                         "четырнадцат", "пятнадцат",  "шестнадцат", "семнадцат",
                                         "восемнадцат", "девятнадцат"};
static const char *const TENS_ORD[10] = {
    "",          "",           "двадцат",   "тридцат",     "сороков",
    "пятидесят", "шестидесят", "семидесят", "восьмидесят", "девяност"};
static const char *const HUNDREDS_ORD[10] = {"",           "сот",      "двухсот",  "трёхсот",
                                             "четырёхсот", "пятисот",  "шестисот", "семисот",
                                             "восьмисот",  "девятисот"};
static const char *const THOUSANDS_ORD[6] = {"",           "тысячн",        "двухтысячн",
                                             "трёхтысячн", "четырёхтысячн", "пятитысячн"};

/* Endings per form: regular, stressed, третий. */
static const char *const ENDINGS[3][9] = {
    {"ый", "ая", "ое", "ого", "ому", "ом", "ых", "ую", "ой"},
    {"ой", "ая", "ое", "ого", "ому", "ом", "ых", "ую", "ой"},
    {"ий", "ья", "ье", "ьего", "ьему", "ьем", "ьих", "ью", "ьей"}};

static void ru_sep(struct strbuf *sb)
{
    if (sb->len && sb->buf[sb->len - 1] != ' ')
        strbuf_addc(sb, ' ');
}

/* 0 for 1 (21, 101), 1 for 2-4, 2 for the rest (and 11-14). */
static int ru_plural(uint64_t v)
{
    if (v % 100 >= 11 && v % 100 <= 14)
        return 2;
    return v % 10 == 1 ? 0 : v % 10 >= 2 && v % 10 <= 4 ? 1 : 2;
}

/* 1..999 */
static void ru_below1000(struct strbuf *sb, unsigned v, bool fem)
{
    unsigned h = v / 100, r = v % 100;
    if (h) {
        ru_sep(sb);
        strbuf_adds(sb, HUNDREDS[h]);
    }
    if (r >= 10 && r < 20) {
        ru_sep(sb);
        strbuf_adds(sb, TEENS[r - 10]);
        return;
    }
    if (r >= 20) {
        ru_sep(sb);
        strbuf_adds(sb, TENS[r / 10]);
    }
    if (r % 10) {
        ru_sep(sb);
        strbuf_adds(sb, fem && r % 10 <= 2 ? (r % 10 == 1 ? "одна" : "две") : UNITS_M[r % 10]);
    }
}

static void ru_cardinal(struct strbuf *sb, uint64_t v, bool fem)
{
    static const char *const SCALES[3][3] = {{"тысяча", "тысячи", "тысяч"},
                                             {"миллион", "миллиона", "миллионов"},
                                             {"миллиард", "миллиарда", "миллиардов"}};
    static const uint64_t DIV[3] = {1000u, 1000000u, 1000000000u};
    if (v == 0) {
        ru_sep(sb);
        strbuf_adds(sb, UNITS_M[0]);
        return;
    }
    for (int k = 2; k >= 0; k--) {
        uint64_t g = v / DIV[k];
        if (k == 2 && g >= 1000) {
            ru_cardinal(sb, g, false); /* beyond 10^12: the multiplier grows */
            g = 0;
            ru_sep(sb);
            strbuf_adds(sb, SCALES[2][2]);
        } else if (g % 1000) {
            if (k != 0 || g % 1000 != 1) /* тысяча девятьсот, not одна тысяча */
                ru_below1000(sb, (unsigned)(g % 1000), k == 0);
            ru_sep(sb);
            strbuf_adds(sb, SCALES[k][ru_plural(g % 1000)]);
        }
        v %= DIV[k];
    }
    if (v)
        ru_below1000(sb, (unsigned)v, fem);
}

/* The ordinal of 1..999999 in a form: the last part ordinal, the rest cardinal. */
static void ru_ordinal(struct strbuf *sb, unsigned v, enum ru_form f)
{
    unsigned r = v % 100, last;
    struct ru_stem s = {NULL, 0};
    if (v % 1000 == 0 && v / 1000 <= 5) {
        s.stem = THOUSANDS_ORD[v / 1000];
        last = v;
    } else if (r == 0) {
        s.stem = HUNDREDS_ORD[v % 1000 / 100];
        last = v % 1000;
    } else if (r < 10 || (r >= 20 && r % 10)) {
        s = UNIT_ORD[r % 10];
        last = r % 10;
    } else if (r < 20) {
        s.stem = TEEN_ORD[r - 10];
        last = r;
    } else {
        s.stem = TENS_ORD[r / 10];
        s.kind = r == 40;
        last = r;
    }
    if (!s.stem || !*s.stem) {
        ru_cardinal(sb, v, false); /* 6000-th and the like: rare, read as the count */
        return;
    }
    if (v - last)
        ru_cardinal(sb, v - last, false);
    ru_sep(sb);
    strbuf_adds(sb, s.stem);
    strbuf_adds(sb, ENDINGS[s.kind][f]);
}

/* Whether the word before i asks for the genitive (до 3 мая) or the dative (к 3 мая). */
static enum ru_form ru_day_form(const struct nl_text *t, size_t i)
{
    static const char *const GEN_WORDS[] = {"до",    "с",     "со",      "от",
                                            "после", "около", "начиная", NULL};
    static const char *const DAT_WORDS[] = {"к", "ко", NULL};
    size_t from, to;
    if (nl_word_before(t, i, &from, &to)) {
        if (nl_word_is(t, from, to, GEN_WORDS))
            return GEN;
        if (nl_word_is(t, from, to, DAT_WORDS))
            return DAT;
    }
    return NOM_N;
}

/* After a year: год, года, году, г. (consumed). *end past it; NOM_N when there is none. */
static enum ru_form ru_year_word(const struct nl_text *t, size_t i, size_t e, size_t *end)
{
    static const char *const NOM[] = {"год", NULL}, *const GENW[] = {"года", NULL},
                             *const PREPW[] = {"году", NULL}, *const G[] = {"г", NULL},
                             *const IN[] = {"в", "во", NULL};
    size_t from, to, bf, bt;
    *end = e;
    if (!nl_word_after(t, e, &from, &to))
        return NOM_N;
    *end = to;
    if (nl_word_is(t, from, to, NOM))
        return NOM_M;
    if (nl_word_is(t, from, to, GENW))
        return GEN;
    if (nl_word_is(t, from, to, PREPW))
        return PREP;
    if (nl_word_is(t, from, to, G) && nl_at(t, to) == '.') {
        *end = to + 1;
        bool in = nl_word_before(t, i, &bf, &bt) && nl_word_is(t, bf, bt, IN);
        return in ? DAT /* marks "в ... г.": prepositional, году */ : GEN;
    }
    *end = e;
    return NOM_N;
}

static void ru_year(struct strbuf *sb, unsigned y, enum ru_form f)
{
    ru_ordinal(sb, y, f == DAT ? PREP : f);
    strbuf_adds(sb, f == NOM_M ? " год" : f == GEN ? " года" : " году");
}

/* 03.12.2026, 2026-12-03 and "3 декабря [2026 года]" */
static size_t ru_date(const struct nl_text *t, size_t i, struct strbuf *out)
{
    struct nl_date d;
    size_t from, to, end;
    enum ru_form f = ru_day_form(t, i);
    if (nl_date(t, i, "./", false, &d)) {
        ru_ordinal(out, d.day, f);
        ru_sep(out);
        strbuf_adds(out, MONTHS_GEN[d.month - 1]);
        ru_year_word(t, d.year_from, d.end, &end);
        ru_ordinal(out, (unsigned)nl_value(t, d.year_from, d.year_to), GEN);
        strbuf_adds(out, " года");
        return end;
    }
    size_t e = nl_digits_end(t, i);
    uint64_t day = nl_value(t, i, e);
    if (e - i > 2 || day < 1 || day > 31 || !nl_word_after(t, e, &from, &to) || from == e ||
        !nl_word_is(t, from, to, MONTHS_GEN))
        return 0;
    ru_ordinal(out, (unsigned)day, f);
    return e;
}

/* The ending written after "N-": -й, -я, -го ...; the form, or -1. */
static int ru_suffix(const struct nl_text *t, size_t k, size_t *end)
{
    static const struct {
        const char *s;
        enum ru_form f;
    } SUFFIXES[] = {{"й", NOM_M},  {"ый", NOM_M}, {"ий", NOM_M}, {"ой", GEN_F}, {"я", NOM_F},
                    {"ая", NOM_F}, {"ья", NOM_F}, {"е", NOM_N},  {"ое", NOM_N}, {"го", GEN},
                    {"ого", GEN},  {"му", DAT},   {"ому", DAT},  {"м", PREP},   {"ом", PREP},
                    {"х", PL},     {"ых", PL},    {"ю", ACC_F},  {"ую", ACC_F}};
    size_t from, to;
    if (!nl_word_after(t, k, &from, &to) || from != k)
        return -1;
    for (size_t s = 0; s < sizeof(SUFFIXES) / sizeof(SUFFIXES[0]); s++) {
        const char *one[] = {SUFFIXES[s].s, NULL};
        if (nl_word_is(t, from, to, one)) {
            *end = to;
            return (int)SUFFIXES[s].f;
        }
    }
    return -1;
}

/* 3,5 -> три целых пять десятых; fraction digits [f, fe). */
static void ru_decimal(struct strbuf *sb, uint64_t whole, const struct nl_text *t, size_t f,
                       size_t fe)
{
    static const char *const DENOM[3][2] = {
        {"десятая", "десятых"}, {"сотая", "сотых"}, {"тысячная", "тысячных"}};
    uint64_t frac = nl_value(t, f, fe);
    ru_cardinal(sb, whole, true);
    ru_sep(sb);
    strbuf_adds(sb, ru_plural(whole) == 0 ? "целая" : "целых");
    ru_cardinal(sb, frac, true);
    ru_sep(sb);
    strbuf_adds(sb, DENOM[fe - f - 1][ru_plural(frac) == 0 ? 0 : 1]);
}

static size_t ru_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e, k, end;
    unsigned h, m;
    int form;
    struct strbuf digits = STRBUF_INIT;
    if (nl_minus(t, i)) {
        strbuf_adds(out, "минус ");
        return i + 1;
    }
    if ((e = ru_date(t, i, out)))
        return e;
    if ((e = nl_clock(t, i, ':', &h, &m))) {
        ru_cardinal(out, h, false);
        if (m < 10)
            strbuf_adds(out, " ноль");
        if (m)
            ru_cardinal(out, m, false);
        else
            strbuf_adds(out, " ноль");
        return e;
    }
    e = nl_digits_end(t, i);
    if (e - i > 1 && nl_at(t, i) == '0') {
        for (k = i; k < e; k++) {
            ru_sep(out);
            strbuf_adds(out, UNITS_M[nl_at(t, k) - '0']);
        }
        return e;
    }
    if ((k = nl_space_groups(t, i, &digits))) {
        e = k;
    } else {
        nl_copy(&digits, t, i, e);
    }
    uint64_t v = 0;
    for (size_t c = 0; c < digits.len && c < 15; c++)
        v = v * 10 + (uint64_t)(digits.buf[c] - '0');
    bool too_long = digits.len > 15;
    strbuf_release(&digits);
    if (too_long)
        return 0;
    if (nl_at(t, e) == '-' && (form = ru_suffix(t, e + 1, &end)) >= 0 && v >= 1 && v < 1000000) {
        ru_ordinal(out, (unsigned)v, (enum ru_form)form);
        return end;
    }
    if (e - i == 4 && v >= 1000 && v <= 2999) {
        enum ru_form f = ru_year_word(t, i, e, &end);
        if (end != e) {
            ru_year(out, (unsigned)v, f);
            return end;
        }
    }
    size_t pct = nl_skip_space(t, e);
    if ((nl_at(t, e) == ',' || nl_at(t, e) == '.') && nl_digit(nl_at(t, e + 1))) {
        size_t fe = nl_digits_end(t, e + 1);
        if (fe - e - 1 > 3 ||
            ((nl_at(t, fe) == '.' || nl_at(t, fe) == ',') && nl_digit(nl_at(t, fe + 1))))
            return 0;
        ru_decimal(out, v, t, e + 1, fe);
        pct = nl_skip_space(t, fe);
        if (nl_at(t, pct) == '%') {
            strbuf_adds(out, " процента");
            return pct + 1;
        }
        return fe;
    }
    ru_cardinal(out, v, false);
    if (nl_at(t, pct) == '%') {
        static const char *const PCT[3] = {" процент", " процента", " процентов"};
        strbuf_adds(out, PCT[ru_plural(v)]);
        return pct + 1;
    }
    return e;
}

char *numru_normalize(const char *text)
{
    return nl_normalize(text, ru_read);
}
