/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Backend-independent parts of the engine interface (contract in engine.h):
 * releasing clips, reusing their arrays, and trimming their silent ends. Kept apart from the
 * espeak-ng backend so a cache or another engine yields clips shaped the same.
 */
#include "synth/engine.h"

#include <stdint.h>

#include <stdlib.h>
#include <string.h>

void clip_release(struct clip *c)
{
    free(c->samples);
    free(c->marks);
    memset(c, 0, sizeof(*c));
}

int clip_buf_reserve(struct clip_buf *b, size_t bytes, size_t nmarks)
{
    b->clip.n = b->clip.nmarks = 0;
    if (bytes > b->cap) {
        /* Not realloc: the old samples need not be copied. */
        free(b->clip.samples);
        b->cap = 0;
        if (!(b->clip.samples = malloc(bytes)))
            return -1;
        b->cap = bytes;
    }
    if (nmarks > b->mcap) {
        free(b->clip.marks);
        b->mcap = 0;
        if (nmarks > SIZE_MAX / sizeof(*b->clip.marks) ||
            !(b->clip.marks = malloc(nmarks * sizeof(*b->clip.marks))))
            return -1;
        b->mcap = nmarks;
    }
    return 0;
}

void clip_buf_release(struct clip_buf *b)
{
    clip_release(&b->clip);
    b->cap = b->mcap = 0;
}

static bool clip_is_loud(int16_t s, int threshold)
{
    /* int, not int16_t: -32768 has no positive int16_t counterpart. */
    int v = s;
    return v >= threshold || v <= -threshold;
}

size_t clip_trim_span(const int16_t *samples, size_t n, int threshold, size_t keep, size_t *start)
{
    size_t first = 0;
    while (first < n && !clip_is_loud(samples[first], threshold))
        first++;
    size_t end = n;
    while (end > first && !clip_is_loud(samples[end - 1], threshold))
        end--;
    *start = 0;
    if (end == first)
        return 0;
    *start = first > keep ? first - keep : 0;
    size_t stop = n - end > keep ? end + keep : n;
    return stop - *start;
}

size_t clip_trim_marks(struct clip_mark *marks, size_t nmarks, size_t start, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < nmarks; i++) {
        struct clip_mark m = marks[i];
        m.sample = m.sample < start ? 0 : m.sample - start;
        if (m.sample > n)
            m.sample = n;
        if (kept > 0 && m.sample <= marks[kept - 1].sample)
            continue;
        marks[kept++] = m;
    }
    return kept;
}

void clip_trim(struct clip *c, int threshold, size_t keep)
{
    size_t start = 0;
    size_t n = clip_trim_span(c->samples, c->n, threshold, keep, &start);
    if (n == 0) {
        free(c->samples);
        c->samples = NULL;
    } else if (n != c->n) {
        memmove(c->samples, c->samples + start, n * sizeof(*c->samples));
    }
    c->n = n;
    c->nmarks = clip_trim_marks(c->marks, c->nmarks, start, n);
}
