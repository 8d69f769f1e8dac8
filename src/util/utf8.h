/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * UTF-8 decoding, validation and the character classes the pipeline needs
 * (Han ideographs, CJK punctuation, Latin letters, full-width forms).
 *
 * Contract: no function allocates except through a caller's strbuf. Decoding
 * never reads past the end pointer it is given.
 */
#ifndef SCRIPTCAST_UTF8_H
#define SCRIPTCAST_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

/*
 * Decodes one code point at *p (< end) and advances *p past it. Returns the
 * code point, or -1 for an invalid or truncated sequence (then *p advances by
 * one byte). Overlong forms and surrogates are invalid.
 */
int32_t utf8_decode(const char **p, const char *end);

/* Appends the UTF-8 encoding of cp. */
void utf8_encode(struct strbuf *sb, int32_t cp);

/*
 * Returns true when buf[0..len) is valid UTF-8. Otherwise stores the offset
 * of the first bad byte in *bad (when bad is not NULL).
 */
bool utf8_valid(const char *buf, size_t len, size_t *bad);

/* Number of code points in s (invalid bytes count one each). */
size_t utf8_length(const char *s);

/* Han ideographs (CJK unified, extensions, compatibility) and 〇. */
bool utf8_is_han(int32_t cp);
/* CJK and full-width punctuation: 。，、；：？！“”‘’（）《》【】…— etc. */
bool utf8_is_cjk_punct(int32_t cp);
/* Any CJK script character: Han, kana, hangul, CJK punctuation. */
bool utf8_is_cjk(int32_t cp);
/* ASCII letters and Latin-1/Extended letters. */
bool utf8_is_latin_letter(int32_t cp);
/* Maps full-width ASCII forms (U+FF01..U+FF5E) to ASCII; others unchanged. */
int32_t utf8_fold_fullwidth(int32_t cp);
/* Unicode white space we care about (ASCII, NBSP, ideographic space...). */
bool utf8_is_space(int32_t cp);

#endif
