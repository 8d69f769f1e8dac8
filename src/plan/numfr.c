/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * French numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's fr voice reads cardinals, 1 000 000, 3,5,
 * 50 %, "le 3 décembre 2026", 1er and 10:30 right, so those are left as
 * written. It misreads:
 *
 *  - a minus sign: "-5" drops it, U+2212 is read in English -> "moins 5";
 *  - ordinals other than 1er: 1re, 2e, 3ème, 21ᵉ are read "un r", "deux e"
 *    -> première, deuxième, vingt et unième (the cardinal's words with
 *    -ième: cinq -> cinquième, neuf -> neuvième, quatre -> quatrième);
 *  - numeric dates: 03/12/2026 (day first) and 2026-12-03 -> "3 décembre
 *    2026", day 1 -> "1er décembre";
 *  - clock times: 14h30, 14 h 30, 14h are read "quatorze ache trente" and
 *    10:00 "dix heure zéro zéro" -> "14 heures 30", "10 heures"; one
 *    o'clock is "une heure".
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"

#include <string.h>

static const char *const MONTHS[12] = {"janvier",   "février", "mars",     "avril",
                                       "mai",       "juin",    "juillet",  "août",
                                       "septembre", "octobre", "novembre", "décembre"};
static const char *const BELOW20[20] = {"zéro",   "un",    "deux",     "trois",    "quatre",
                                        "cinq",   "six",   "sept",     "huit",     "neuf",
                                        "dix",    "onze",  "douze",    "treize",   "quatorze",
                                        "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"};
static const char *const TENS[7] = {"", "", "vingt", "trente", "quarante", "cinquante", "soixante"};

/* 0..99 */
static void fr_below100(struct strbuf *sb, unsigned v)
{
    if (v < 20) {
        strbuf_adds(sb, BELOW20[v]);
        return;
    }
    unsigned tens = v / 10, r = v % 10;
    if (tens == 7 || tens == 9) {
        strbuf_adds(sb, tens == 7 ? "soixante" : "quatre-vingt");
        strbuf_adds(sb, tens == 7 && r == 1 ? " et " : "-");
        strbuf_adds(sb, BELOW20[10 + r]);
    } else if (tens == 8) {
        strbuf_adds(sb, r ? "quatre-vingt-" : "quatre-vingts");
        if (r)
            strbuf_adds(sb, BELOW20[r]);
    } else {
        strbuf_adds(sb, TENS[tens]);
        if (r == 1)
            strbuf_adds(sb, " et un");
        else if (r) {
            strbuf_addc(sb, '-');
            strbuf_adds(sb, BELOW20[r]);
        }
    }
}

/* 0..999999 */
static void fr_cardinal(struct strbuf *sb, unsigned v)
{
    if (v >= 1000) {
        if (v / 1000 > 1) {
            fr_cardinal(sb, v / 1000);
            strbuf_addc(sb, ' ');
        }
        strbuf_adds(sb, "mille");
        if (v % 1000) {
            strbuf_addc(sb, ' ');
            fr_cardinal(sb, v % 1000);
        }
        return;
    }
    if (v >= 100) {
        if (v / 100 > 1) {
            strbuf_adds(sb, BELOW20[v / 100]);
            strbuf_addc(sb, ' ');
        }
        strbuf_adds(sb, v % 100 || v / 100 == 1 ? "cent" : "cents");
        if (v % 100) {
            strbuf_addc(sb, ' ');
            fr_below100(sb, v % 100);
        }
        return;
    }
    fr_below100(sb, v);
}

/* 2..999999 as an ordinal: the last word of the cardinal takes -ième. */
static void fr_ordinal(struct strbuf *sb, unsigned v)
{
    size_t start = sb->len;
    fr_cardinal(sb, v);
    size_t n = sb->len - start;
    const char *w = sb->buf + start;
    if (n >= 5 && !strcmp(w + n - 5, "cinq")) {
        strbuf_adds(sb, "uième");
    } else if (n >= 4 && !strcmp(w + n - 4, "neuf")) {
        strbuf_setlen(sb, sb->len - 1);
        strbuf_adds(sb, "vième");
    } else {
        if (sb->buf[sb->len - 1] == 's' && v % 100 == 0)
            strbuf_setlen(sb, sb->len - 1); /* quatre-vingts, deux cents */
        if (sb->buf[sb->len - 1] == 'e')
            strbuf_setlen(sb, sb->len - 1);
        strbuf_adds(sb, "ième");
    }
}

/* The ordinal suffix at k: e, ème, ᵉ, re, ère (and plurals); its length, or 0. */
static size_t fr_suffix(const struct nl_text *t, size_t k, bool *feminine)
{
    static const char *const MASC[] = {"e", "es", "ème", "èmes", "è", "ᵉ", "ᵉˢ", NULL};
    static const char *const FEM[] = {"re", "res", "ère", "ères", NULL};
    size_t to = k;
    while (to < t->n &&
           (nl_letter(nl_at(t, to)) || nl_at(t, to) == 0x1D49 || nl_at(t, to) == 0x02E2))
        to++;
    *feminine = nl_word_is(t, k, to, FEM);
    return to > k && (*feminine || nl_word_is(t, k, to, MASC)) ? to - k : 0;
}

static size_t fr_ordinal_at(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e = nl_digits_end(t, i), len;
    uint64_t v = nl_value(t, i, e);
    bool fem = false;
    if (e - i > 6 || v == 0 || !(len = fr_suffix(t, e, &fem)))
        return 0;
    if (v == 1) {
        if (!fem)
            return 0; /* 1er: espeak-ng says premier */
        strbuf_adds(out, "première");
    } else {
        fr_ordinal(out, (unsigned)v);
    }
    if (nl_at(t, e + len - 1) == 's' || nl_at(t, e + len - 1) == 0x02E2)
        strbuf_addc(out, 's');
    return e + len;
}

static size_t fr_date(const struct nl_text *t, size_t i, struct strbuf *out)
{
    struct nl_date d;
    if (!nl_date(t, i, "/.-", false, &d))
        return 0;
    if (d.day == 1)
        strbuf_adds(out, "1er");
    else
        strbuf_addf(out, "%u", d.day);
    strbuf_addf(out, " %s ", MONTHS[d.month - 1]);
    nl_copy(out, t, d.year_from, d.year_to);
    return d.end;
}

static void fr_hours(struct strbuf *out, unsigned h, unsigned m)
{
    if (h == 1)
        strbuf_adds(out, "une heure");
    else
        strbuf_addf(out, "%u heures", h);
    if (m)
        strbuf_addf(out, " %u", m);
}

/* 14h30, 14 h 30, 14h, 10:00 */
static size_t fr_clock(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e = nl_digits_end(t, i), k = e;
    unsigned h, m = 0;
    if (nl_clock(t, i, ':', &h, &m)) {
        if (m)
            return 0; /* "dix heures trente" */
        fr_hours(out, h, 0);
        return e + 3;
    }
    if (e - i > 2 || (nl_at(t, k) == ' ' && nl_at(t, k + 1) == 'h'))
        k += nl_at(t, k) == ' ';
    if (e - i > 2 || nl_at(t, k) != 'h' || nl_letter(nl_at(t, k + 1)))
        return 0;
    h = (unsigned)nl_value(t, i, e);
    k++;
    size_t mstart = nl_skip_space(t, k), mend = nl_digits_end(t, mstart);
    if (mend - mstart == 2 && !(mstart > k && nl_digit(nl_at(t, mend)))) {
        m = (unsigned)nl_value(t, mstart, mend);
        k = mend;
    }
    if (h > 24 || m > 59)
        return 0;
    fr_hours(out, h, m);
    return k;
}

static size_t fr_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e;
    if (nl_minus(t, i)) {
        strbuf_adds(out, "moins ");
        return i + 1;
    }
    if ((e = fr_date(t, i, out)) || (e = fr_clock(t, i, out)) || (e = fr_ordinal_at(t, i, out)))
        return e;
    return 0;
}

char *numfr_normalize(const char *text)
{
    return nl_normalize(text, fr_read);
}
