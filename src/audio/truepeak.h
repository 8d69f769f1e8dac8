/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * True-peak detection after ITU-R BS.1770-4 Annex 2: the signal is
 * oversampled 4x with a fixed windowed-sinc interpolator and the largest
 * magnitude of the samples and of the three points between each pair is the
 * true peak. Used by the limiter (to know which samples would overshoot) and
 * by the loudness meter (to report the peak of what was written). Its own
 * code, not libebur128's, because libebur128's true-peak mode costs four
 * times its loudness measurement (2.2 s more for the 58-minute seed) and we
 * can skip most of the work: an interval whose neighbourhood is quiet cannot
 * hold a loud inter-sample peak (|interpolated| <= TRUEPEAK_GAIN_BOUND x the
 * largest neighbour).
 *
 * Contract: truepeak_between(p) reads p[-TRUEPEAK_BEFORE .. TRUEPEAK_AFTER]
 * and returns the largest magnitude of the three interpolated points
 * between p[0] and p[1]; call truepeak_gain_bound() or truepeak_init() once
 * before it (they compute the taps). A struct truepeak measures a stream: zero it with
 * truepeak_init(), feed it with truepeak_add(), read it with truepeak_get()
 * (which accounts for the last samples as if silence followed). Pure
 * arithmetic in a fixed order: same samples, same result, on every machine
 * with the same compiler flags.
 */
#ifndef SCRIPTCAST_TRUEPEAK_H
#define SCRIPTCAST_TRUEPEAK_H

#include <stddef.h>

/* Interpolator taps per phase: TRUEPEAK_BEFORE + TRUEPEAK_AFTER + 1 = 12. */
#define TRUEPEAK_BEFORE 5
#define TRUEPEAK_AFTER 6
#define TRUEPEAK_TAPS (TRUEPEAK_BEFORE + TRUEPEAK_AFTER + 1)

/* Sum of |taps| of the worst phase: bounds |interpolated| / max |neighbour|. */
double truepeak_gain_bound(void);

float truepeak_between(const float *p);

#define TRUEPEAK_CHUNK 4096

/* A stream's true peak (linear magnitude). */
struct truepeak {
    /* history, new samples, and room for the silence truepeak_get() appends */
    float buf[TRUEPEAK_CHUNK + 2 * TRUEPEAK_TAPS];
    size_t n;  /* samples in buf */
    float max; /* largest magnitude so far */
};

void truepeak_init(struct truepeak *t);
void truepeak_add(struct truepeak *t, const float *x, size_t n);
/* The true peak of everything added, as a linear magnitude (0 for silence). */
float truepeak_get(const struct truepeak *t);

#endif
