/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The text of a Japanese run made ready for espeak-ng's ja voice, which
 * reads kana only (a kanji is "Chinese letter"), reads は and へ as written
 * (not ワ and エ when they are particles), a kana long vowel (とうきょう) as
 * two vowels, and numbers wrongly. So a Japanese run is:
 *
 *  1. numbers written in digits spelled in katakana with their counters
 *     (numja.h);
 *  2. analysed by MeCab with the IPA dictionary (IPAdic), and each word
 *     replaced by its pronunciation in katakana (キョーワ for 今日は, イッタ for
 *     行った after 日本に, ニッポン for 日本), long vowels written ー; numbers
 *     written in kanji (三百, 一人, 二〇二五年) spelled by numja_count() with
 *     the counter MeCab finds after them; a word the dictionary does not
 *     know is kept as written;
 *  3. ASCII and full-width punctuation turned into Japanese punctuation,
 *     which gives the pauses ("," -> 、), and ・ / + & read or dropped
 *     (espeak-ng would say "slash", "plus" in English).
 *
 * MeCab is loaded with dlopen() the first time a run with kana or kanji is
 * read (libmecab.so.2; measured: 2.5 ms to open the dictionary cold, 0.15 ms
 * warm), so no other command pays for it. Its dictionary is always the
 * IPAdic of SCRIPTCAST_MECAB_DICDIR (the environment), else of the
 * build's default (/var/lib/mecab/dic/ipadic-utf8, Debian's
 * mecab-ipadic-utf8), with no mecabrc read, so a user's MeCab settings
 * cannot change what scriptcast says.
 *
 * Contract: textja_read() returns a new malloc'd string the caller frees;
 * the same text gives the same result in every process. When MeCab cannot
 * be loaded the numbers are still written out, the rest is returned as
 * written, and textja_error() says why (once loading failed it is not tried
 * again). Not thread-safe: call from one thread.
 */
#ifndef SCRIPTCAST_PLAN_TEXTJA_H
#define SCRIPTCAST_PLAN_TEXTJA_H

char *textja_read(const char *text);

/* Why Japanese readings are unavailable (a static message), or NULL when
 * MeCab loaded or was not needed yet. */
const char *textja_error(void);

/* How many texts so far needed MeCab and were returned without readings: a
 * caller compares the count before and after a plan to warn once per file. */
unsigned long textja_unread(void);

#endif
