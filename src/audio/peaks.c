/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The waveform overview (contract in peaks.h). The scale is linear rather
 * than in decibels because the page draws it as bars whose height should
 * follow what a listener hears as "loud here, silent there"; espeak-ng's
 * speech sits between a quarter and full scale, so a linear byte keeps the
 * pauses visibly flat and the speech visibly tall.
 */
#include "audio/peaks.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void peaks_init(struct peaks *p, int rate, int channels)
{
    memset(p, 0, sizeof(*p));
    p->rate = rate > 0 ? rate : 1;
    p->channels = channels > 0 ? channels : 1;
    p->block = (uint32_t)(p->rate / 10 > 0 ? p->rate / 10 : 1);
}

static void peaks_close_block(struct peaks *p)
{
    XGROW(p->v, p->cap, p->n + 1);
    /* 32768 maps to 255, rounding to nearest. */
    p->v[p->n++] = (unsigned char)((p->cur * 255 + 16384) / 32768);
    p->cur = 0;
    p->filled = 0;
}

void peaks_feed(struct peaks *p, const int16_t *samples, size_t frames)
{
    while (frames > 0) {
        size_t room = p->block - p->filled;
        size_t k = frames < room ? frames : room;
        if (samples) {
            size_t values = k * (size_t)p->channels;
            for (size_t i = 0; i < values; i++) {
                int32_t s = samples[i];
                int32_t a = s < 0 ? -s : s;
                if (a > p->cur)
                    p->cur = a;
            }
            samples += values;
        }
        p->filled += (uint32_t)k;
        frames -= k;
        if (p->filled == p->block)
            peaks_close_block(p);
    }
}

void peaks_finish(struct peaks *p)
{
    if (p->filled > 0)
        peaks_close_block(p);
}

double peaks_seconds_per_value(const struct peaks *p)
{
    return (double)p->block / (double)p->rate;
}

void peaks_release(struct peaks *p)
{
    free(p->v);
    memset(p, 0, sizeof(*p));
}
