/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The languages the installed espeak-ng speaks, and which of its voices
 * reads a given language tag. The inventory is read once per process from
 * espeak-ng's own voice list (espeak_ListVoices(), about 2 ms: it parses
 * the header of every language file), and only when a caller first asks,
 * so a transcript in a language with shipped profiles never pays for it.
 * Every voice becomes one entry whose tag is the name of its derived
 * profiles (derive.h): "de", "pt-br", "en-gb", "fr" (espeak-ng's fr-fr),
 * "zh" (cmn-latn-pinyin: espeak-ng 1.51's cmn voice reads Han text as
 * English, so it is left out), "en" (en-us, as the shipped profiles).
 *
 * Tags are matched case-insensitively, '_' read as '-': "de", "de-DE",
 * "pt_BR", "zh-TW", "es-419", "es-MX". A tag whose region espeak-ng has a
 * voice for gets that voice (pt-BR -> pt-br, en-GB -> en-gb, es-MX ->
 * es-419, which lists es-mx), any other region the base language's
 * (de-AT -> de); the Chinese regions and scripts are Mandarin (zh-TW,
 * zh-HK, zh-Hant -> zh), yue and zh-yue Cantonese.
 *
 * Contract: entries and their strings belong to this module and live until
 * the process ends; nothing here prints or fails loudly (espeak-ng without
 * data gives an empty inventory). Not thread-safe: the first call fills a
 * process-wide table, so make it from one thread (scriptcast plans in one).
 * espeak-ng is only asked for its voice list here, never set up to speak:
 * the caller's process still never synthesizes (synth/engine.h).
 */
#ifndef SCRIPTCAST_LANGS_H
#define SCRIPTCAST_LANGS_H

#include <stddef.h>

struct lang_info {
    const char *tag;     /* lower case: the derived profiles' lang and name prefix */
    const char *voice;   /* espeak-ng voice id for espeak_SetVoiceByName(): "de", "pt-br" */
    const char *name;    /* espeak-ng's English name: "German", "Portuguese (Brazil)" */
    const char *partial; /* why espeak-ng reads the language only partly, or NULL */
};

/*
 * The entry that reads tag, or NULL when espeak-ng has no voice for it (or
 * tag is not a language tag at all: letters, digits, '-' and '_' only).
 */
const struct lang_info *langs_find(const char *tag);

/*
 * The espeak-ng voice id to use for a run in language tag ("de-DE" ->
 * "de", "pt-BR" -> "pt-br", "zh-TW" -> "cmn-latn-pinyin"), or NULL when
 * espeak-ng has no voice for it. Same lookup as langs_find().
 */
const char *langs_voice(const char *tag);

/*
 * langs_find()'s entry for tag when espeak-ng reads that language only
 * partly (its partial is set), else NULL. Enumerates espeak-ng's voices
 * only for tags whose base language is one of the partial ones.
 */
const struct lang_info *langs_find_partial(const char *tag);

/* The entry whose tag is exactly tag (already lower case), or NULL. */
const struct lang_info *langs_exact(const char *tag);

/* The number of entries, and entry i of them in strcmp order of tag. */
size_t langs_count(void);
const struct lang_info *langs_get(size_t i);

/* A voice as espeak_ListVoices() gives it: "roa/pt-BR", "Portuguese
 * (Brazil)", and its languages, each a priority byte and a NUL-terminated
 * tag, the last followed by a 0 byte. */
struct langs_source {
    const char *identifier, *name, *languages;
};

/*
 * For tests: replaces the inventory with one made from the n voices of
 * src, as if espeak-ng had listed them in that order; NULL drops it, so
 * the next lookup reads espeak-ng's list again. Entries returned before
 * are invalid after the call.
 */
void langs_load_from(const struct langs_source *src, size_t n);

#endif
