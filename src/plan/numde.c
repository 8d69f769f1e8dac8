/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * German numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's de voice reads cardinals, 1.000.000, 3,5, 50 %,
 * -5 and 10:30 right, so those are left as written. It misreads:
 *
 *  - dates: 03.12.2026, 2026-12-03 and 03.12. come out as "null drei
 *    Punkt zwölf Punkt ..." -> "dritter Dezember 2026" (am 03.12. -> am
 *    dritten Dezember);
 *  - ordinals: "der 1. Mai" is read "der eins Mai" -> "der erste Mai".
 *    A number with a dot is an ordinal before a month name, or after an
 *    article or preposition (der, am, zum, ...) before a capitalized word;
 *    the ending follows that word (der -> -e, am/dem/zum -> -en, none ->
 *    -er). Elsewhere "5." is the end of a sentence and stays;
 *  - years: 1999 is read as a count (eintausendneunhundert...) ->
 *    neunzehnhundertneunundneunzig, for 1100-1999 written without a
 *    separator and not followed by a unit (%, €, Euro, Prozent, ...);
 *    from 2000 on the count is the year, so 2026 stays;
 *  - clock times: "10:30 Uhr" says Uhr twice, "14.30 Uhr" reads Punkt,
 *    "10:00" null null -> "10 Uhr 30", "14 Uhr 30", "10 Uhr".
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"

#include <string.h>

static const char *const MONTHS[12] = {"Januar",    "Februar", "März",     "April",
                                       "Mai",       "Juni",    "Juli",     "August",
                                       "September", "Oktober", "November", "Dezember"};
static const char *const MONTH_WORDS[] = {"Januar",  "Jänner",   "Februar",  "März",   "April",
                                          "Mai",     "Juni",     "Juli",     "August", "September",
                                          "Oktober", "November", "Dezember", NULL};
static const char *const UNITS[10] = {"null", "eins",  "zwei",   "drei", "vier",
                                      "fünf", "sechs", "sieben", "acht", "neun"};
static const char *const TEENS[10] = {"zehn",     "elf",      "zwölf",    "dreizehn", "vierzehn",
                                      "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"};
static const char *const TENS[10] = {"",        "",        "zwanzig", "dreißig", "vierzig",
                                     "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"};
static const char *const ORD_STEMS[20] = {
    "",          "erst",      "zweit",     "dritt",     "viert",     "fünft",    "sechst",
    "siebt",     "acht",      "neunt",     "zehnt",     "elft",      "zwölft",   "dreizehnt",
    "vierzehnt", "fünfzehnt", "sechzehnt", "siebzehnt", "achtzehnt", "neunzehnt"};

/* Words before an ordinal and the ending they ask for. */
static const char *const ART_E[] = {"der", "die", "das", "eine", "jede", NULL};
static const char *const ART_EN[] = {"dem",   "den",   "des",   "am",     "im",    "vom",
                                     "zum",   "zur",   "beim",  "einem",  "einen", "einer",
                                     "eines", "ab",    "bis",   "seit",   "vor",   "nach",
                                     "jeden", "jedem", "ihrem", "seinem", NULL};
static const char *const ART_ER[] = {"ein", "jeder", NULL};
/* What follows an amount, not a year: 1999 Euro. */
static const char *const UNIT_WORDS[] = {
    "Euro",  "Dollar", "Franken", "Prozent", "Meter",    "Kilometer", "km",     "m",      "kg",
    "Gramm", "Stück",  "Mal",     "Leute",   "Menschen", "Einwohner", "Seiten", "Punkte", NULL};

/* 0..999 with "ein" where a larger unit follows (einhundert, eintausend). */
static void de_below1000(struct strbuf *sb, unsigned v, bool before_unit)
{
    unsigned h = v / 100, r = v % 100;
    if (h) {
        strbuf_adds(sb, h == 1 ? "ein" : UNITS[h]);
        strbuf_adds(sb, "hundert");
    }
    if (!r) {
        if (!h)
            strbuf_adds(sb, "null");
        return;
    }
    if (r < 10)
        strbuf_adds(sb, r == 1 ? (before_unit ? "ein" : "eins") : UNITS[r]);
    else if (r < 20)
        strbuf_adds(sb, TEENS[r - 10]);
    else {
        if (r % 10) {
            strbuf_adds(sb, r % 10 == 1 ? "ein" : UNITS[r % 10]);
            strbuf_adds(sb, "und");
        }
        strbuf_adds(sb, TENS[r / 10]);
    }
}

/* 0..999999; the space after tausend keeps espeak-ng from reading the compound as one word. */
static void de_cardinal(struct strbuf *sb, unsigned v)
{
    if (v >= 1000) {
        de_below1000(sb, v / 1000, true);
        strbuf_adds(sb, "tausend");
        if (v % 1000) {
            strbuf_addc(sb, ' ');
            de_below1000(sb, v % 1000, false);
        }
        return;
    }
    de_below1000(sb, v, false);
}

/* The ordinal of 1..999 with its ending (-e, -en, -er). */
static void de_ordinal(struct strbuf *sb, unsigned v, const char *ending)
{
    unsigned r = v % 100;
    if (r && r < 20) {
        if (v >= 100)
            de_cardinal(sb, v - r);
        strbuf_adds(sb, ORD_STEMS[r]);
    } else {
        de_cardinal(sb, v);
        strbuf_adds(sb, "st");
    }
    strbuf_adds(sb, ending);
}

/* neunzehnhundertneunundneunzig */
static void de_year(struct strbuf *sb, unsigned y)
{
    de_below1000(sb, y / 100, false);
    strbuf_adds(sb, "hundert");
    if (y % 100)
        de_below1000(sb, y % 100, false);
}

/* The ending an ordinal takes after the word before i, or NULL when no such word is there. */
static const char *de_ending(const struct nl_text *t, size_t i)
{
    size_t from, to;
    if (!nl_word_before(t, i, &from, &to))
        return NULL;
    if (nl_word_is(t, from, to, ART_E))
        return "e";
    if (nl_word_is(t, from, to, ART_EN))
        return "en";
    if (nl_word_is(t, from, to, ART_ER))
        return "er";
    return NULL;
}

/* Whether the 4-digit number [i, e) is a year: 1100-1999 and no unit after it. */
static bool de_is_year(const struct nl_text *t, size_t i, size_t e)
{
    size_t from, to, j = nl_skip_space(t, e);
    uint64_t v = nl_value(t, i, e);
    int32_t next = nl_at(t, j);
    if (e - i != 4 || v < 1100 || v > 1999)
        return false;
    if ((nl_at(t, e) == ',' || nl_at(t, e) == '.') && nl_digit(nl_at(t, e + 1)))
        return false;
    if (next == '%' || next == 0x20AC || next == '$' || next == 0x00A3)
        return false;
    return !(nl_word_after(t, e, &from, &to) && nl_word_is(t, from, to, UNIT_WORDS));
}

static void de_year_or_digits(struct strbuf *sb, const struct nl_text *t, size_t from, size_t to)
{
    if (de_is_year(t, from, to))
        de_year(sb, (unsigned)nl_value(t, from, to));
    else
        nl_copy(sb, t, from, to);
}

/* A clock time at i: H:MM, or H.MM / H:MM before "Uhr" (consumed). */
static size_t de_clock(const struct nl_text *t, size_t i, struct strbuf *out)
{
    unsigned h, m;
    size_t e = nl_clock(t, i, ':', &h, &m), from, to;
    bool colon = e != 0;
    if (!e)
        e = nl_clock(t, i, '.', &h, &m);
    if (!e)
        return 0;
    static const char *const UHR[] = {"Uhr", NULL};
    bool uhr = nl_word_after(t, e, &from, &to) && nl_word_is(t, from, to, UHR);
    if (!uhr && (!colon || m >= 10))
        return 0; /* espeak-ng says "zehn Uhr dreißig" itself; 14.30 alone may be a number */
    strbuf_addf(out, "%u Uhr", h);
    if (m)
        strbuf_addf(out, " %u", m);
    return uhr ? to : e;
}

/* 03.12.2026, 2026-12-03 */
static size_t de_date(const struct nl_text *t, size_t i, struct strbuf *out)
{
    struct nl_date d;
    if (!nl_date(t, i, "./", false, &d))
        return 0;
    const char *ending = de_ending(t, i);
    de_ordinal(out, d.day, ending ? ending : "er");
    strbuf_addc(out, ' ');
    strbuf_adds(out, MONTHS[d.month - 1]);
    strbuf_addc(out, ' ');
    de_year_or_digits(out, t, d.year_from, d.year_to);
    return d.end;
}

/* "am 12.03.": a date without its year, with the dot after the month. */
static size_t de_day_month(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t d = nl_digits_end(t, i), m;
    if (d - i > 2 || nl_at(t, d) != '.' || !nl_digit(nl_at(t, d + 1)))
        return 0;
    m = nl_digits_end(t, d + 1);
    if (m - d > 3 || nl_at(t, m) != '.' || nl_digit(nl_at(t, m + 1)))
        return 0;
    uint64_t day = nl_value(t, i, d), month = nl_value(t, d + 1, m);
    if (day < 1 || day > 31 || month < 1 || month > 12)
        return 0;
    const char *ending = de_ending(t, i);
    de_ordinal(out, (unsigned)day, ending ? ending : "er");
    strbuf_addc(out, ' ');
    strbuf_adds(out, MONTHS[month - 1]);
    return m + 1;
}

/* "1. Mai", "der 3. Platz": an ordinal; the '.' is consumed. */
static size_t de_ordinal_dot(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e = nl_digits_end(t, i), from, to;
    uint64_t v = nl_value(t, i, e);
    if (e - i > 3 || v == 0 || nl_at(t, e) != '.' || nl_digit(nl_at(t, e + 1)) ||
        !nl_word_after(t, e + 1, &from, &to) || from == e + 1)
        return 0;
    const char *ending = de_ending(t, i);
    bool month = nl_word_is(t, from, to, MONTH_WORDS);
    int32_t first = nl_at(t, from);
    if (!month && !(ending && ((first >= 'A' && first <= 'Z') || first == 0xC4 || first == 0xD6 ||
                               first == 0xDC)))
        return 0;
    de_ordinal(out, (unsigned)v, ending ? ending : "er");
    return e + 1;
}

static size_t de_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e;
    if (!nl_digit(nl_at(t, i)))
        return 0; /* "-5" is read "minus fünf" */
    if ((e = de_date(t, i, out)) || (e = de_day_month(t, i, out)) || (e = de_clock(t, i, out)) ||
        (e = de_ordinal_dot(t, i, out)))
        return e;
    e = nl_digits_end(t, i);
    if (de_is_year(t, i, e)) {
        de_year(out, (unsigned)nl_value(t, i, e));
        return e;
    }
    return 0;
}

char *numde_normalize(const char *text)
{
    return nl_normalize(text, de_read);
}
