/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text preparation for one segment: the lexicon applied, the text split into
 * language runs (Latin-script words inside Chinese speech go to the
 * profile's latin-voice), short ALL-CAPS words spelled out, numbers written
 * out in Chinese runs, and symbols an engine would read aloud removed.
 *
 * Where the language changes is decided in mixlang.c, each run's text
 * made ready for its voice in runtext.c.
 *
 * Contract: runs_split() appends runs to *runs (growing it with realloc);
 * every run's text is owned by the run (free with runs_free()); its lang is
 * a static string or the voice profile's. A run's pause_ms is the silence
 * punctuation asks for before it where the language changes (0 for the
 * first run appended). The result never holds an ASCII digit, '/', '+' or
 * '%' in a Chinese run.
 */
#ifndef SCRIPTCAST_RUNS_H
#define SCRIPTCAST_RUNS_H

#include <stddef.h>

struct config;
struct plan_run;
struct voice;

void runs_split(const char *text, const struct voice *v, const struct config *cfg,
                struct plan_run **runs, size_t *nruns);
void runs_free(struct plan_run *runs, size_t nruns);

/* Exported for tests: the lexicon applied to text (new string). */
char *runs_apply_lexicon(const char *text, const struct config *cfg);

#endif
