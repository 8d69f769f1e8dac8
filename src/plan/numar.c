/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Arabic numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's ar voice reads cardinals in ASCII and
 * Arabic-Indic digits, 1,000,000, the decimal point (3.5 ثلاثة فاصل خمسة)
 * and 10:30 right, so those are left as written. It misreads:
 *
 *  - percent, which it drops (50% is خمسون) -> 50 فِي الْمِئَة;
 *  - a minus sign, also dropped -> سَالِب 5;
 *  - the Arabic decimal and thousands separators (٣٫٥ loses its فاصل,
 *    ١٬٠٠٠ is read digit by digit) -> 3.5, 1000;
 *  - numeric dates: 3/12/2026 (day first) and 2026-12-03 are read with
 *    "slash" in English -> 3 دِيسَمْبِر 2026 (the month names of Egypt and
 *    the Gulf; words are written with their vowels, which espeak-ng needs).
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdlib.h>

static const char *const MONTHS[12] = {"يَنَايِر", "فِبْرَايِر", "مَارِس",   "أَبْرِيل",  "مَايُو",   "يُونْيُو",
                                       "يُولْيُو", "أَغُسْطُس",  "سِبْتَمْبِر", "أُكْتُوبَر", "نُوفَمْبِر", "دِيسَمْبِر"};

#define CP_AR_PERCENT 0x066A   /* ٪ */
#define CP_AR_DECIMAL 0x066B   /* ٫ */
#define CP_AR_THOUSANDS 0x066C /* ٬ */

static bool ar_indic(int32_t cp)
{
    return (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9);
}

static bool ar_any_digit(int32_t cp)
{
    return nl_digit(cp) || ar_indic(cp);
}

/* Arabic-Indic digits and separators as ASCII, so one reader sees one form. */
static char *ar_fold(const char *text)
{
    struct nl_text t;
    struct strbuf out = STRBUF_INIT;
    nl_load(&t, text);
    for (size_t i = 0; i < t.n; i++) {
        int32_t cp = t.c[i].cp;
        bool between = i > 0 && ar_any_digit(t.c[i - 1].cp) && ar_any_digit(nl_at(&t, i + 1));
        if (ar_indic(cp))
            strbuf_addc(&out, (char)('0' + (cp >= 0x06F0 ? cp - 0x06F0 : cp - 0x0660)));
        else if (cp == CP_AR_DECIMAL && between)
            strbuf_addc(&out, '.');
        else if (cp == CP_AR_THOUSANDS && between)
            continue;
        else
            nl_copy(&out, &t, i, i + 1);
    }
    nl_free(&t);
    return strbuf_detach(&out);
}

static size_t ar_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    struct nl_date d;
    if (nl_minus(t, i)) {
        strbuf_adds(out, "سَالِب ");
        return i + 1;
    }
    if (nl_date(t, i, "/-.", false, &d)) {
        strbuf_addf(out, "%u %s ", d.day, MONTHS[d.month - 1]);
        nl_copy(out, t, d.year_from, d.year_to);
        return d.end;
    }
    size_t e = nl_digits_end(t, i);
    while ((nl_at(t, e) == '.' || nl_at(t, e) == ',') && nl_digit(nl_at(t, e + 1)))
        e = nl_digits_end(t, e + 1);
    if (nl_at(t, e) != '%' && nl_at(t, e) != CP_AR_PERCENT)
        return 0;
    nl_copy(out, t, i, e);
    strbuf_adds(out, " فِي الْمِئَة");
    return e + 1;
}

char *numar_normalize(const char *text)
{
    char *folded = ar_fold(text);
    char *done = nl_normalize(folded, ar_read);
    free(folded);
    return done;
}
