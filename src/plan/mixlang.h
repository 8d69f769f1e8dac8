/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where the writing system changes inside one speaker's text. The text is
 * cut into tokens — words of one script (Han, kana, Hangul, Cyrillic,
 * Arabic, ... see util/writing.h; Latin words are letters with attached
 * digits and inner connectors: GPT-4o, Node.js, C++, /proc/pagetypeinfo,
 * A/B), numbers (digits with their inner punctuation, sign, % and ‰: 3.7,
 * 1,000, -12%, 10:30) and separators (spaces, punctuation) — and each
 * number is given the script of the words around it. The speaker's own
 * script is the base (Han for a Chinese voice, Latin for a Spanish one,
 * Cyrillic for a Russian one); the rules (docs/transcript-format.md, "Text
 * preparation"), as written for Chinese speech with Latin words and kept
 * for every pair:
 *
 *  1. a number followed (spaces allowed) by a Han measure or date word
 *     (年 月 日 个 次 万 ... see MIXLANG_UNITS in mixlang.c) is Han: "in
 *     2022 年", "GPT 3 个月";
 *  2. otherwise a number after a word or number of a script other than
 *     Han, kana and Hangul, with only spaces and ASCII punctuation between,
 *     is that script's: "Layer 2", "Sonnet 3.7", "iPhone 15 Pro", "in
 *     2022.", "about 90%", "в 2024 году";
 *  2a. otherwise a number written against a word of a non-Latin script is
 *     that script's: "2024년", "3つ";
 *  3. otherwise a number not preceded by Han, kana or Hangul text (segment
 *     start, after punctuation) and followed by a word of a script other
 *     than the base is that word's: "2022 was" in Chinese speech;
 *  4. every other number is the base's: "在 2022 WWDC 上", "有 3 GPU".
 *
 * Spans are maximal stretches of one script; the separators between two
 * spans belong to the earlier one (they end its sentence), and their
 * strongest punctuation becomes a pause before the later one, because each
 * run is synthesized on its own and its trailing silence is trimmed. With
 * han_is_kana (Japanese speech or a Japanese document), Han is written
 * with kana: one script, WRITING_KANA.
 *
 * Contract: mixlang_split() returns a malloc'd array of *n spans covering
 * text end to end in order (the caller frees it); *n is 0 only for empty
 * text. A span of only numbers and separators has the base script. Pure
 * function.
 */
#ifndef SCRIPTCAST_PLAN_MIXLANG_H
#define SCRIPTCAST_PLAN_MIXLANG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/writing.h"

/* Pauses at a run boundary: the silence espeak-ng leaves for the same
 * punctuation inside one run (measured in rendered audio, zh-male-1 and its
 * en-us latin-voice: "。" 328 ms, ". " 331 ms, "，" 170 ms, ", " 159 ms). */
#define MIXLANG_PAUSE_SENTENCE_MS 330
#define MIXLANG_PAUSE_CLAUSE_MS 170

struct mixlang_span {
    enum writing w;  /* its script (never WRITING_NONE or WRITING_MARK) */
    size_t from, to; /* byte range in the text */
    int pause_ms;    /* silence before it: 0 for the first span */
};

struct mixlang_span *mixlang_split(const char *text, enum writing base, bool han_is_kana,
                                   size_t *n);

/* The pause that the punctuation in s[0..len) asks for at a run boundary:
 * MIXLANG_PAUSE_SENTENCE_MS, MIXLANG_PAUSE_CLAUSE_MS or 0. */
int mixlang_pause(const char *s, size_t len);

#endif
