/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Non-speech cues in transcripts — "[laughs]", "\[laughter\]", "[crosstalk]",
 * "(笑)", "（笑）", "[笑声]", "[音乐]" — which are not read aloud. The words
 * come from data/cues.txt, compiled into the program, plus the `cues:` list
 * of a transcript's scriptcast settings.
 *
 * Contract: cue_list_init() fills a list with the shipped words;
 * cue_list_add() copies a word (ASCII lower-cased); cue_list_release() frees
 * them all. cue_bracketed() allocates nothing.
 */
#ifndef SCRIPTCAST_CUE_H
#define SCRIPTCAST_CUE_H

#include <stdbool.h>
#include <stddef.h>

struct cue_list {
    char **words;
    size_t n, cap;
};

void cue_list_init(struct cue_list *l);
void cue_list_add(struct cue_list *l, const char *word, size_t len);
void cue_list_release(struct cue_list *l);

/*
 * Length of a cue at p, brackets included — "[...]", "(...)", "（...）",
 * "【...】" around a listed word, or a listed word followed by more words
 * ("[laughs nervously]", "[music playing]"); ASCII case is ignored. 0 when
 * p does not start a cue.
 */
size_t cue_bracketed(const char *p, const char *end, const struct cue_list *l);

/*
 * Length of an editor's note at p, brackets included: a bracket whose text
 * ends or begins with the mark of a note added by the editors —
 * "(un logiciel de reconnaissance vocale, ndlr)", "[NDLR : …]", "(ndr)",
 * "(N. del R.)", "(Anm. d. Red.)", "(прим. ред.)", "[Editor's note: …]".
 * It is what the transcript's editors wrote, not what was said. 0 when p
 * does not start one.
 */
size_t cue_editor_note(const char *p, const char *end);

#endif
