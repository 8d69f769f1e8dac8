/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Spanish numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's es voice reads cardinals, 1.000.000, 3,5, 50 %,
 * "3 de diciembre de 2026", 10:30 ("diez treinta") and ordinals written 1º,
 * 2ª, 21º right, so those are left as written. It misreads:
 *
 *  - a minus sign: "-5" drops it, U+2212 is read in English -> "menos 5";
 *  - thousands grouped with spaces, as the RAE recommends: "1 000 000" is
 *    read digit group by digit group -> 1000000;
 *  - ordinals with the dot the RAE writes: 1.º, 3.ª, 1.er -> 1º, 3ª, primer;
 *  - numeric dates: 3/12/2026 (day first), 03-12-2026 and 2026-12-03 ->
 *    "3 de diciembre de 2026";
 *  - on-the-hour times: 10:00 is "diez cero cero" -> 10.
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"

static const char *const MONTHS[12] = {"enero",      "febrero", "marzo",     "abril",
                                       "mayo",       "junio",   "julio",     "agosto",
                                       "septiembre", "octubre", "noviembre", "diciembre"};

static size_t es_date(const struct nl_text *t, size_t i, struct strbuf *out)
{
    struct nl_date d;
    if (!nl_date(t, i, "/-.", false, &d))
        return 0;
    strbuf_addf(out, "%u de %s de ", d.day, MONTHS[d.month - 1]);
    nl_copy(out, t, d.year_from, d.year_to);
    return d.end;
}

/* 1.º, 1.ª, 1.er, 3.er, 1er: the forms espeak-ng does not take for ordinals. */
static size_t es_ordinal(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e = nl_digits_end(t, i), k = e;
    uint64_t v = nl_value(t, i, e);
    bool dot = nl_at(t, k) == '.';
    if (dot)
        k++;
    int32_t c = nl_at(t, k);
    if (c == 0xBA || c == 0xAA) { /* º ª */
        if (!dot)
            return 0; /* espeak-ng reads 1º itself */
        nl_copy(out, t, i, e);
        nl_copy(out, t, k, k + 1);
        return k + 1;
    }
    if (c == 'e' && nl_at(t, k + 1) == 'r' && !nl_letter(nl_at(t, k + 2)) && (v == 1 || v == 3)) {
        strbuf_adds(out, v == 1 ? "primer" : "tercer");
        return k + 2;
    }
    return 0;
}

static size_t es_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e;
    unsigned h, m;
    if (nl_minus(t, i)) {
        strbuf_adds(out, "menos ");
        return i + 1;
    }
    if ((e = es_date(t, i, out)) || (e = es_ordinal(t, i, out)))
        return e;
    if ((e = nl_clock(t, i, ':', &h, &m)) && m == 0) {
        strbuf_addf(out, "%u", h);
        return e;
    }
    return nl_space_groups(t, i, out);
}

char *numes_normalize(const char *text)
{
    return nl_normalize(text, es_read);
}
