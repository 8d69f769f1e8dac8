/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Subtitle cues: each segment's readable text cut into sentences (and long
 * sentences at clause punctuation — for Chinese at ，、；：, never inside a
 * word), each timed from the engine's sentence events when they line up with
 * the sentences of the text, else by share of characters within the
 * segment's exact span.
 *
 * Contract: cues_build() returns an array of *n cues the caller frees with
 * cues_free(); cue text is owned by the array; speaker points into the plan.
 */
#ifndef SCRIPTCAST_CUES_H
#define SCRIPTCAST_CUES_H

#include <stddef.h>
#include <stdint.h>

struct plan;
struct timeline;

struct cue {
    uint64_t start, end; /* samples of the output file */
    size_t segment;
    const char *speaker;
    char *text;
};

struct cue *cues_build(const struct plan *p, const struct timeline *tl, size_t *n);
void cues_free(struct cue *cues, size_t n);

/* Exported for tests: splits text into sentence pieces; returns the count
 * and fills starts[] (byte offsets, at most max entries). */
size_t cues_split(const char *text, size_t *starts, size_t max);

#endif
