/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text preparation for one segment: the lexicon applied, the text split into
 * language runs, short ALL-CAPS words spelled out, numbers written out in
 * Chinese runs, and symbols an engine would read aloud removed.
 *
 * Where the script changes is decided in mixlang.c, each run's text made
 * ready for its voice in runtext.c. Here each span gets its language and
 * voice (docs/transcript-format.md, "Language identification"):
 *
 *  - Latin text of a speaker whose language is written in Latin script is
 *    cut into sentences and quotations, each identified with the
 *    document's language as prior (langid_sentence(): short or ambiguous
 *    pieces keep it);
 *  - Latin text inside other speech goes to the profile's latin-voice
 *    (in the latin-voice's language), unless it is a whole sentence that
 *    reads clearly as another language;
 *  - any other script is the speaker's language when the speaker's
 *    language is written in it, else the document's when that is, else (for
 *    Cyrillic, Arabic and Devanagari) the language CLD2 recognizes, else
 *    the script's usual language (writing_lang()).
 *
 * A run is read by the profile's voice when it is in the profile's
 * language, else by the espeak-ng voice of its language (langs_voice(),
 * cast/langs.h) with the profile's variant, pitch and rate.
 *
 * Contract: runs_split() appends runs to *runs (growing it with realloc);
 * every run's text is owned by the run (free with runs_free()); its lang is
 * a static string, the voice profile's or doc_lang (which must outlive the
 * runs); doc_lang NULL means the profile's language. A run's pause_ms is
 * the silence punctuation asks for before it where the language changes (0
 * for the first run appended). The result never holds an ASCII digit, '/',
 * '+' or '%' in a Chinese run.
 */
#ifndef SCRIPTCAST_RUNS_H
#define SCRIPTCAST_RUNS_H

#include <stddef.h>

struct config;
struct plan_run;
struct voice;

void runs_split(const char *text, const struct voice *v, const char *doc_lang,
                const struct config *cfg, struct plan_run **runs, size_t *nruns);
void runs_free(struct plan_run *runs, size_t nruns);

/* Exported for tests: the lexicon applied to text (new string). */
char *runs_apply_lexicon(const char *text, const struct config *cfg);

#endif
