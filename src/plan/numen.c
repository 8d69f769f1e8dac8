/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * English numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's English voices read cardinals, 1,000,000, 3.5,
 * 50%, -5, 1st, 3rd and 10:30 right, and years as counts (2026 "two
 * thousand twenty-six", 1999 "nineteen hundred ninety-nine"), which are
 * said too, so those are left as written. It misreads numeric dates and
 * the day after a month name:
 *
 *  - 12/3/2026 (month first, as in the US: the runs are read by en-us) and
 *    2026-12-03 are "twelve slash three slash ..." -> "December 3rd, 2026";
 *  - "December 3, 2026", "Dec. 3" read the day as a count -> "December
 *    3rd";
 *  - times on the hour and in its first ten minutes: 10:00 is "ten zero
 *    zero", 9:05 "nine zero five" -> "10 o'clock", "9 oh 5".
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"

static const char *const MONTHS[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
static const char *const MONTH_WORDS[] = {
    "January", "February", "March",    "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan",   "Feb", "Mar",  "Apr",  "Jun",    "Jul",
    "Aug",     "Sep",      "Sept",     "Oct",   "Nov", "Dec",  NULL};

static void en_ordinal(struct strbuf *sb, unsigned v)
{
    unsigned r = v % 100;
    const char *suffix = r >= 11 && r <= 13 ? "th"
                         : v % 10 == 1      ? "st"
                         : v % 10 == 2      ? "nd"
                         : v % 10 == 3      ? "rd"
                                            : "th";
    strbuf_addf(sb, "%u%s", v, suffix);
}

static size_t en_date(const struct nl_text *t, size_t i, struct strbuf *out)
{
    struct nl_date d;
    if (!nl_date(t, i, "/", true, &d))
        return 0;
    strbuf_adds(out, MONTHS[d.month - 1]);
    strbuf_addc(out, ' ');
    en_ordinal(out, d.day);
    strbuf_adds(out, ", ");
    nl_copy(out, t, d.year_from, d.year_to);
    return d.end;
}

/* "December 3", "Dec. 3": a day of 1-31 after a month name. */
static size_t en_day(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e = nl_digits_end(t, i), from, to, j = i;
    uint64_t v = nl_value(t, i, e);
    if (e - i > 2 || v < 1 || v > 31 || nl_letter(nl_at(t, e)) ||
        (nl_at(t, e) == ':' && nl_digit(nl_at(t, e + 1))))
        return 0;
    while (j > 0 && (t->c[j - 1].cp == ' ' || t->c[j - 1].cp == '.'))
        j--;
    if (j == i || !nl_word_before(t, j, &from, &to) || !nl_word_is(t, from, to, MONTH_WORDS))
        return 0;
    en_ordinal(out, (unsigned)v);
    return e;
}

static size_t en_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e;
    unsigned h, m;
    if (!nl_digit(nl_at(t, i)))
        return 0;
    if ((e = en_date(t, i, out)) || (e = en_day(t, i, out)))
        return e;
    if ((e = nl_clock(t, i, ':', &h, &m)) && m < 10) {
        /* 10:00 is "ten zero zero", 9:05 "nine zero five" */
        if (m)
            strbuf_addf(out, "%u oh %u", h, m);
        else
            strbuf_addf(out, "%u o'clock", h);
        return e;
    }
    return 0;
}

char *numen_normalize(const char *text)
{
    return nl_normalize(text, en_read);
}
