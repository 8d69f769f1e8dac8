/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Korean numbers (rules in docs/transcript-format.md, "Numbers per
 * language"). espeak-ng's ko voice reads digits as Sino-Korean numbers,
 * which is right for cardinals, years, months, days and minutes
 * ("2026년 12월 3일", "30분"), so those are left as written. It misreads:
 *
 *  - a decimal point ("3.5" is 삼 오) -> 3점5;
 *  - percent (read in English) -> 퍼센트; a minus sign (dropped) -> 마이너스;
 *  - hours and counted things, which take native Korean numbers: "10시"
 *    is read 십 시 -> 열 시, "3개" 삼 개 -> 세 개, also 명 살 마리 잔 권
 *    병 사람 시간 달 번째 (1-99; 1번째 is 첫 번째), "10:30" -> 열 시 30분;
 *  - the months 6월 and 10월, 유월 and 시월 (not 육월, 십월);
 *  - ISO dates (2026-12-03) and dotted ones (2026.12.3.) -> 2026년 12월 3일.
 */
#include "plan/numlang_text.h"
#include "util/strbuf.h"

#include <string.h>

/* Native numbers before a counter (attributive forms: 한, 두, 세, 네, 스무). */
static const char *const UNITS[10] = {"",     "한",   "두",   "세",   "네",
                                      "다섯", "여섯", "일곱", "여덟", "아홉"};
static const char *const TENS[10] = {"",   "열",   "스물", "서른", "마흔",
                                     "쉰", "예순", "일흔", "여든", "아흔"};

/* Counters that take native numbers; longer ones first so 시간 wins over 시. */
static const char *const COUNTERS[] = {"번째", "시간", "사람", "마리", "개", "명", "살",
                                       "잔",   "권",   "병",   "달",   "시", NULL};

static void ko_native(struct strbuf *sb, unsigned v)
{
    if (v == 20) {
        strbuf_adds(sb, "스무");
        return;
    }
    strbuf_adds(sb, TENS[v / 10]);
    strbuf_adds(sb, UNITS[v % 10]);
}

/* The counter at k (spaces allowed before it), or NULL; *end is after it. */
static const char *ko_counter(const struct nl_text *t, size_t k, size_t *end)
{
    k = nl_skip_space(t, k);
    const char *at = k < t->n ? t->src + t->c[k].off : "";
    for (size_t c = 0; COUNTERS[c]; c++) {
        size_t n = strlen(COUNTERS[c]);
        if (strncmp(at, COUNTERS[c], n))
            continue;
        size_t e = k;
        while (e < t->n && t->c[e].off < t->c[k].off + n)
            e++;
        /* 개월 and 시즌 are Sino-Korean words that start like a counter. */
        if ((!strcmp(COUNTERS[c], "개") && nl_at(t, e) == 0xC6D4 /* 월 */) ||
            (!strcmp(COUNTERS[c], "시") && nl_at(t, e) == 0xC98C /* 즌 */))
            return NULL;
        *end = e;
        return COUNTERS[c];
    }
    return NULL;
}

static void ko_month(struct strbuf *sb, unsigned m)
{
    if (m == 6 || m == 10)
        strbuf_adds(sb, m == 6 ? "유월" : "시월");
    else
        strbuf_addf(sb, "%u월", m);
}

/* 2026-12-03, 2026.12.03, 2026. 12. 3. */
static size_t ko_date(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t y = nl_digits_end(t, i), m, d, k;
    unsigned month, day;
    if (y - i != 4 || (nl_at(t, y) != '-' && nl_at(t, y) != '.'))
        return 0;
    int32_t sep = nl_at(t, y);
    k = nl_skip_space(t, y + 1);
    m = nl_digits_end(t, k);
    if (m == k || m - k > 2 || nl_at(t, m) != sep)
        return 0;
    month = (unsigned)nl_value(t, k, m);
    k = nl_skip_space(t, m + 1);
    d = nl_digits_end(t, k);
    if (d == k || d - k > 2 || nl_digit(nl_at(t, d)))
        return 0;
    day = (unsigned)nl_value(t, k, d);
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0;
    if (sep == '.' && nl_at(t, d) == '.')
        d++;
    nl_copy(out, t, i, y);
    strbuf_adds(out, "년 ");
    ko_month(out, month);
    strbuf_addf(out, " %u일", day);
    return d;
}

static size_t ko_read(const struct nl_text *t, size_t i, struct strbuf *out)
{
    size_t e, cend;
    unsigned h, m;
    const char *counter;
    if (nl_minus(t, i)) {
        strbuf_adds(out, "마이너스 ");
        return i + 1;
    }
    if ((e = ko_date(t, i, out)))
        return e;
    if ((e = nl_clock(t, i, ':', &h, &m))) {
        if (h)
            ko_native(out, h); /* 13:00 is 열세 시 */
        else
            strbuf_adds(out, "영");
        strbuf_adds(out, " 시");
        if (m)
            strbuf_addf(out, " %u분", m);
        return e;
    }
    e = nl_digits_end(t, i);
    uint64_t v = nl_value(t, i, e);
    if (nl_at(t, e) == '.' && nl_digit(nl_at(t, e + 1))) {
        size_t f = nl_digits_end(t, e + 1);
        if (nl_at(t, f) == '.' && nl_digit(nl_at(t, f + 1)))
            return 0; /* 1.2.3: a version */
        nl_copy(out, t, i, e);
        strbuf_adds(out, "점");
        nl_copy(out, t, e + 1, f);
        e = f;
    } else if (nl_at(t, e) == 0xC6D4 /* 월 */ && (v == 6 || v == 10) && e - i <= 2) {
        ko_month(out, (unsigned)v);
        return e + 1;
    } else if (e - i <= 2 && v >= 1 && v <= 99 && nl_at(t, i) != '0' &&
               (counter = ko_counter(t, e, &cend))) {
        if (v == 1 && !strcmp(counter, "번째"))
            strbuf_adds(out, "첫");
        else
            ko_native(out, (unsigned)v);
        strbuf_addc(out, ' ');
        strbuf_adds(out, counter);
        return cend;
    } else {
        nl_copy(out, t, i, e);
        while (nl_at(t, e) == ',' && nl_digits_end(t, e + 1) == e + 4) {
            nl_copy(out, t, e + 1, e + 4); /* 1,000: espeak-ng reads it, but 1,000% would not be */
            e += 4;
        }
    }
    if (nl_at(t, e) == '%') {
        strbuf_adds(out, " 퍼센트");
        e++;
    }
    return e;
}

char *numko_normalize(const char *text)
{
    return nl_normalize(text, ko_read);
}
