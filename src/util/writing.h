/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing systems of Unicode text: which script a letter belongs to (Latin,
 * Han, kana, Hangul, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai and
 * the other scripts espeak-ng reads), the language a run of a script is
 * read in when nothing else says, and the script a language is written in.
 * The plan splits speech into runs where the script changes; the script
 * stage counts scripts to guess a document's language.
 *
 * Contract: pure functions on code points and language tags; returned
 * strings are static.
 */
#ifndef SCRIPTCAST_WRITING_H
#define SCRIPTCAST_WRITING_H

#include <stdbool.h>
#include <stdint.h>

enum writing {
    WRITING_NONE, /* digits, punctuation, symbols, white space */
    WRITING_MARK, /* a combining mark or joiner: belongs to the letter before it */
    WRITING_LATIN,
    WRITING_HAN,
    WRITING_KANA,
    WRITING_HANGUL,
    WRITING_CYRILLIC,
    WRITING_GREEK,
    WRITING_ARMENIAN,
    WRITING_HEBREW,
    WRITING_ARABIC,
    WRITING_DEVANAGARI,
    WRITING_BENGALI,
    WRITING_GURMUKHI,
    WRITING_GUJARATI,
    WRITING_ORIYA,
    WRITING_TAMIL,
    WRITING_TELUGU,
    WRITING_KANNADA,
    WRITING_MALAYALAM,
    WRITING_SINHALA,
    WRITING_THAI,
    WRITING_LAO,
    WRITING_TIBETAN,
    WRITING_MYANMAR,
    WRITING_GEORGIAN,
    WRITING_ETHIOPIC,
    WRITING_KHMER,
    WRITING_OTHER, /* a letter of a script not listed above */
    WRITING_COUNT
};

/* The script of cp: WRITING_NONE for anything that is not a letter. */
enum writing writing_of(int32_t cp);

/* "Latin", "Han", "Cyrillic", ... for messages. */
const char *writing_name(enum writing w);

/* The language a run of w is read in when neither the document nor the
 * speaker is written in w: "zh" for Han, "ja" kana, "ko" Hangul, "ru"
 * Cyrillic, "ar" Arabic, "hi" Devanagari, ...; NULL for Latin (identified
 * statistically), WRITING_NONE, WRITING_MARK and WRITING_OTHER. */
const char *writing_lang(enum writing w);

/* The script language tag lang is written in ("ru", "fa", "ja", "zh-TW":
 * the base language decides, except "sr-Latn"): WRITING_CYRILLIC,
 * WRITING_ARABIC, WRITING_KANA (Japanese: kana and Han), ...;
 * WRITING_LATIN for every language not listed, and for NULL. */
enum writing writing_of_lang(const char *lang);

/* Han, kana and Hangul: scripts written without spaces between words (Han,
 * kana) or read with CJK punctuation. */
bool writing_is_cjk(enum writing w);

#endif
