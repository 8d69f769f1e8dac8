/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The assemble stage's result: where every segment, sentence and chapter of
 * a plan landed in the audio file actually written, counted in samples of
 * that file. Every manifest is computed from this, never from estimates.
 *
 * Contract: a timeline is filled by assemble_render() (assemble.h) and
 * freed with timeline_release(). Its arrays are parallel to the plan's:
 * segments[i] is plan.segments[i], chapters[i] is plan.chapters[i].
 */
#ifndef SCRIPTCAST_TIMELINE_H
#define SCRIPTCAST_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

struct timeline_segment {
    uint64_t start;  /* first sample of the segment's first clip (after its pause) */
    uint64_t end;    /* one past the last sample of its last clip */
    uint64_t *marks; /* where the engine's sentences inside it start, ascending */
    size_t nmarks;
};

struct timeline_chapter {
    uint64_t start; /* = start of its first segment; the first chapter starts at 0 */
    uint64_t end;   /* = start of the next chapter, or the end of the file */
};

struct timeline {
    int rate;         /* sample rate of the file written */
    int channels;     /* 1 */
    uint64_t samples; /* frames in the file */
    struct timeline_segment *segments;
    size_t nsegments;
    struct timeline_chapter *chapters;
    size_t nchapters;
};

void timeline_release(struct timeline *t);
/* Seconds of sample position pos. */
double timeline_seconds(const struct timeline *t, uint64_t pos);

#endif
