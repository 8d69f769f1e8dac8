/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the per-language number readers (numde.c, numes.c, ...) share: the
 * text decoded once into characters with offsets, so a reader can look
 * around a number by index; parsers for the written forms several languages
 * have in common (dates, clock times, a minus sign, thousands grouped with
 * spaces); and the loop that hands every number to a language's reader.
 *
 * Contract: struct nl_text is filled by nl_load() and freed by nl_free();
 * indexes past the end read as character 0. Parsers return the index after
 * what they recognized, or 0 when the form is not there, and never write
 * output. Every numXX_normalize() returns a new malloc'd string.
 */
#ifndef SCRIPTCAST_PLAN_NUMLANG_TEXT_H
#define SCRIPTCAST_PLAN_NUMLANG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

struct nl_ch {
    int32_t cp; /* full-width forms folded to ASCII */
    size_t off, len;
};

struct nl_text {
    const char *src;
    struct nl_ch *c;
    size_t n;
};

void nl_load(struct nl_text *t, const char *src);
void nl_free(struct nl_text *t);
int32_t nl_at(const struct nl_text *t, size_t i);
bool nl_digit(int32_t cp);
bool nl_letter(int32_t cp); /* Latin, Cyrillic, Greek, Arabic, Hangul, kana, Han */
size_t nl_digits_end(const struct nl_text *t, size_t i);
/* The value of the digits in [from, to); at most 18 digits are asked for. */
uint64_t nl_value(const struct nl_text *t, size_t from, size_t to);
void nl_copy(struct strbuf *sb, const struct nl_text *t, size_t from, size_t to);
/* Whether a number can start at i: a digit after no letter, digit or '.'/','-joined digit. */
bool nl_number_start(const struct nl_text *t, size_t i);

/*
 * The word ending just before i (white space skipped) or starting at i
 * (white space skipped): its [*from, *to) range; false when there is none.
 * nl_word_is() compares it case-insensitively (Latin and Cyrillic) with
 * each string of a NULL-terminated list.
 */
bool nl_word_before(const struct nl_text *t, size_t i, size_t *from, size_t *to);
bool nl_word_after(const struct nl_text *t, size_t i, size_t *from, size_t *to);
bool nl_word_is(const struct nl_text *t, size_t from, size_t to, const char *const *list);
/* The index of the first character that is not white space, from i on. */
size_t nl_skip_space(const struct nl_text *t, size_t i);

struct nl_date {
    unsigned day, month;       /* 1-31, 1-12 */
    size_t year_from, year_to; /* the year's digits in the text */
    size_t end;
};

/*
 * A numeric date at i with a 4-digit year: YYYY-MM-DD (ISO, always), or
 * D.M.YYYY with one separator out of seps ("./-"), day first unless
 * month_first (US M/D/YYYY). Day and month may have a leading zero.
 */
bool nl_date(const struct nl_text *t, size_t i, const char *seps, bool month_first,
             struct nl_date *d);

/* H:MM (H 0-24, MM 00-59), not followed by ':' or '.' and a digit: *hour, *min. */
size_t nl_clock(const struct nl_text *t, size_t i, int32_t sep, unsigned *hour, unsigned *min);

/* A '-' or U+2212 at i that is a minus sign: before a digit, after no letter or digit. */
bool nl_minus(const struct nl_text *t, size_t i);

/*
 * Thousands grouped with spaces (1 000 000, also NBSP, U+202F, U+2009): the
 * end of the last group when there are at least two, else 0. The digits are
 * appended to sb without the spaces when sb is not NULL.
 */
size_t nl_space_groups(const struct nl_text *t, size_t i, struct strbuf *sb);

/*
 * A language's reader: at position i (a number start, or a minus sign
 * before one) it either writes the reading of what starts there to out and
 * returns the index after it, or returns 0 to have the character copied.
 */
typedef size_t (*nl_reader)(const struct nl_text *t, size_t i, struct strbuf *out);
char *nl_normalize(const char *text, nl_reader read);

char *numde_normalize(const char *text);
char *numes_normalize(const char *text);
char *numfr_normalize(const char *text);
char *numen_normalize(const char *text);
char *numko_normalize(const char *text);
char *numar_normalize(const char *text);
char *numru_normalize(const char *text);

#endif
