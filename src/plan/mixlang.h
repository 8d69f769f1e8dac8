/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where the languages change inside Chinese speech. The text is cut into
 * tokens — Han text, Latin words (letters with attached digits and inner
 * connectors: GPT-4o, Node.js, C++, /proc/pagetypeinfo, A/B), numbers
 * (digits with their inner punctuation, sign, % and ‰: 3.7, 1,000, -12%,
 * 10:30) and separators (spaces, punctuation) — and each number is given
 * the language of the words around it (rules in docs/transcript-format.md,
 * "Text preparation"):
 *
 *  1. a number followed (spaces allowed) by a Han measure or date word
 *     (年 月 日 个 次 万 ... see MIXLANG_UNITS in mixlang.c) is Chinese:
 *     "in 2022 年", "GPT 3 个月";
 *  2. otherwise a number after a Latin word or a Latin number, with only
 *     spaces and ASCII punctuation between, is Latin: "Layer 2",
 *     "Sonnet 3.7", "iPhone 15 Pro", "in 2022.", "about 90%";
 *  3. otherwise a number not preceded by Han text (segment start, after
 *     punctuation) and followed by a Latin word is Latin: "2022 was";
 *  4. every other number is Chinese: "在 2022 WWDC 上", "有 3 GPU".
 *
 * Runs are maximal stretches of one language; the separators between two
 * runs belong to the earlier one (they end its sentence), and their
 * strongest punctuation becomes a pause before the later one, because each
 * run is synthesized on its own and its trailing silence is trimmed.
 *
 * Contract: mixlang_split() returns a malloc'd array of *n spans covering
 * text end to end in order (the caller frees it); *n is 0 only for empty
 * text. Pure function.
 */
#ifndef SCRIPTCAST_PLAN_MIXLANG_H
#define SCRIPTCAST_PLAN_MIXLANG_H

#include <stdbool.h>
#include <stddef.h>

/* Pauses at a run boundary: the silence espeak-ng leaves for the same
 * punctuation inside one run (measured in rendered audio, zh-male-1 and its
 * en-us latin-voice: "。" 328 ms, ". " 331 ms, "，" 170 ms, ", " 159 ms). */
#define MIXLANG_PAUSE_SENTENCE_MS 330
#define MIXLANG_PAUSE_CLAUSE_MS 170

struct mixlang_span {
    bool latin;      /* read by the profile's latin-voice */
    size_t from, to; /* byte range in the text */
    int pause_ms;    /* silence before it: 0 for the first span */
};

struct mixlang_span *mixlang_split(const char *text, size_t *n);

/* The pause that the punctuation in s[0..len) asks for at a run boundary:
 * MIXLANG_PAUSE_SENTENCE_MS, MIXLANG_PAUSE_CLAUSE_MS or 0. */
int mixlang_pause(const char *s, size_t len);

#endif
