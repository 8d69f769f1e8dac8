/*
 * Backend-independent parts of the engine interface (contract in engine.h):
 * releasing clips and trimming their silent ends. Kept apart from the
 * espeak-ng backend so a cache or another engine yields clips shaped the same.
 */
#include "synth/engine.h"

#include <stdlib.h>
#include <string.h>

void clip_release(struct clip *c)
{
    free(c->samples);
    free(c->marks);
    memset(c, 0, sizeof(*c));
}

static bool clip_is_loud(int16_t s, int threshold)
{
    /* int, not int16_t: -32768 has no positive int16_t counterpart. */
    int v = s;
    return v >= threshold || v <= -threshold;
}

void clip_trim(struct clip *c, int threshold, size_t keep)
{
    size_t first = 0;
    while (first < c->n && !clip_is_loud(c->samples[first], threshold))
        first++;
    size_t end = c->n;
    while (end > first && !clip_is_loud(c->samples[end - 1], threshold))
        end--;

    size_t start = 0, stop = 0;
    if (end > first) {
        start = first > keep ? first - keep : 0;
        stop = c->n - end > keep ? end + keep : c->n;
    }
    size_t n = stop - start;
    if (n == 0) {
        free(c->samples);
        c->samples = NULL;
    } else if (n != c->n) {
        memmove(c->samples, c->samples + start, n * sizeof(*c->samples));
    }
    c->n = n;

    size_t kept = 0;
    for (size_t i = 0; i < c->nmarks; i++) {
        struct clip_mark m = c->marks[i];
        m.sample = m.sample < start ? 0 : m.sample - start;
        if (m.sample > n)
            m.sample = n;
        if (kept > 0 && m.sample <= c->marks[kept - 1].sample)
            continue;
        c->marks[kept++] = m;
    }
    c->nmarks = kept;
}
