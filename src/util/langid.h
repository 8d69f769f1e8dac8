/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Statistical language identification of text, with CLD2 (Compact
 * Language Detector 2, Debian's libcld2): the document's language when
 * nothing declares it, and the language of each Latin-script sentence. The
 * choice of CLD2 over libexttextcat, with accuracy and speed measured on
 * short transcript sentences, is in docs/transcript-format.md ("Language
 * identification") and bench/RESULTS.md.
 *
 * Tags are base language tags as the rest of scriptcast uses them ("es",
 * "zh", "he", "nb"): CLD2's "iw", "zh-Hant", "no" are mapped.
 *
 * Contract: pure functions (CLD2 keeps no state between calls); every
 * returned tag is a static string. Text must be valid UTF-8 (the script stage
 * checks the whole transcript before anything reaches here).
 */
#ifndef SCRIPTCAST_LANGID_H
#define SCRIPTCAST_LANGID_H

#include <stdbool.h>
#include <stddef.h>

struct langid_guess {
    const char *lang[3]; /* best first; NULL where fewer were found */
    int percent[3];      /* each one's share of the text's letters */
    bool reliable;       /* CLD2's verdict for the whole */
};

/* The languages of text[0..len), prior (a tag or NULL) favoured as a hint.
 * Returns how many of g->lang are set (0: nothing recognized). */
int langid_guess(const char *text, size_t len, const char *prior, struct langid_guess *g);

/*
 * The language of one Latin-script sentence (or quotation) spoken in a
 * document or by a speaker whose language is prior: another language only
 * when the sentence is long enough (LANGID_MIN_WORDS words after the first
 * that start with a small letter, LANGID_MIN_LETTERS letters in those and
 * the first: only they are identified, a capitalized word inside a sentence
 * being a name), CLD2 calls it reliable with at least
 * LANGID_MIN_PERCENT of its letters, and it is not a close relative of
 * prior that short text cannot tell apart (Spanish, Galician, Catalan,
 * Portuguese; Dutch, Afrikaans; Danish, Norwegian, Swedish; Czech, Slovak;
 * Croatian, Serbian, Bosnian; Malay, Indonesian), and it is one of the
 * languages often quoted (English, Spanish, French, German, Italian,
 * Portuguese, Dutch, Swedish, Danish, Norwegian, Finnish, Polish, Czech,
 * Turkish, Romanian, Hungarian, Indonesian, Vietnamese: on short text CLD2
 * names Galician or Catalan for Spanish more often than either). Otherwise
 * NULL: the sentence keeps prior.
 */
#define LANGID_MIN_WORDS 4
#define LANGID_MIN_LETTERS 12
#define LANGID_MIN_PERCENT 80
const char *langid_sentence(const char *text, size_t len, const char *prior);

/* The English name of tag into buf ("Spanish" for "es"), cut to size; the
 * tag itself when the identifier does not know it. */
void langid_name(const char *tag, char *buf, size_t size);

/* Whether tag (a base tag: "es", "yue") names a language the identifier
 * knows. */
bool langid_known(const char *tag);

/* Whether a and b are close relatives that short text cannot tell apart
 * (the groups above); a language is not its own relative. */
bool langid_related(const char *a, const char *b);

#endif
