/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loudness measurement after EBU R128 / ITU-R BS.1770-4 (K-weighted,
 * gated integrated loudness, loudness range), done by libebur128, plus the
 * sample peak, the true peak (our own 4x oversampling, truepeak.h) and the
 * RMS level that ACX asks for. One meter measures one signal; the master
 * stage keeps one per speaker and one for the programme.
 *
 * Contract: loudness_open() returns a meter the caller frees with
 * loudness_close(), or NULL when libebur128 has no memory (the caller reports
 * it). Samples are mono floats in [-1, 1) at the rate given. loudness_get()
 * may be called at any time and fills every field; a value that cannot be
 * measured (too little audio: integrated loudness needs 400 ms above the
 * absolute gate) is -HUGE_VAL, printed as null in JSON by the caller.
 * Determinism: libebur128 adds blocks in order on one thread and keeps them
 * in a list (not its histogram mode), so the same samples give the same
 * numbers bit for bit.
 */
#ifndef SCRIPTCAST_LOUDNESS_H
#define SCRIPTCAST_LOUDNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loudness; /* opaque */

enum loudness_what {
    LOUDNESS_INTEGRATED = 1, /* integrated loudness only (cheapest) */
    LOUDNESS_FULL = 2,       /* + loudness range, true and sample peak, RMS */
};

struct loudness_stats {
    double integrated; /* LUFS */
    double range;      /* LU (LOUDNESS_FULL only, else 0) */
    double true_peak;  /* dBTP (LOUDNESS_FULL only) */
    double peak;       /* dBFS sample peak (LOUDNESS_FULL only) */
    double rms;        /* dBFS RMS over every sample given, silence included */
    uint64_t frames;   /* samples measured */
};

struct loudness *loudness_open(int rate, enum loudness_what what);
void loudness_close(struct loudness *l);

/* Adds n samples. Returns 0, or -1 when libebur128 runs out of memory. */
int loudness_add(struct loudness *l, const float *x, size_t n);

void loudness_get(const struct loudness *l, struct loudness_stats *out);

/*
 * The integrated loudness of meters l[0..n) taken together, as if their
 * signals were one (the union of their gating blocks; NULL entries are
 * skipped), and the RMS over all their samples plus extra_frames of
 * silence. -HUGE_VAL when not measurable.
 */
void loudness_get_multiple(struct loudness *const *l, size_t n, uint64_t extra_frames,
                           double *integrated, double *rms);

/* 20 log10(x), -HUGE_VAL for 0; and its inverse. */
double loudness_db(double linear);
double loudness_linear(double db);

/* True when v is a measured value (not -HUGE_VAL / NaN). */
bool loudness_valid(double v);

#endif
