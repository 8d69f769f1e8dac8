/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A waveform overview of the programme: the loudest sample of every block
 * of a tenth of a second, computed from the samples as they go to the audio
 * writer, so the listening page can draw the whole episode without decoding
 * it. One byte a block (0..255, the peak's magnitude on a linear scale):
 * an hour is 36 kB.
 *
 * Contract: peaks_init() prepares an empty overview for samples at rate;
 * peaks_feed() takes interleaved int16 frames (NULL: silence);
 * peaks_finish() closes the last, partial block. The struct owns v;
 * peaks_release() frees it. Pure arithmetic: the same samples give the
 * same bytes.
 */
#ifndef SCRIPTCAST_PEAKS_H
#define SCRIPTCAST_PEAKS_H

#include <stddef.h>
#include <stdint.h>

struct peaks {
    int rate;         /* input frames per second */
    int channels;     /* interleaved channels in the input */
    uint32_t block;   /* frames per block: rate / 10 */
    uint32_t filled;  /* frames in the block being measured */
    int32_t cur;      /* its peak magnitude so far (0..32768) */
    unsigned char *v; /* one value per finished block */
    size_t n, cap;
};

void peaks_init(struct peaks *p, int rate, int channels);
void peaks_feed(struct peaks *p, const int16_t *samples, size_t frames);
void peaks_finish(struct peaks *p);
/* Seconds one value stands for. */
double peaks_seconds_per_value(const struct peaks *p);
void peaks_release(struct peaks *p);

#endif
