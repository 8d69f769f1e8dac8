/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A look-ahead true-peak limiter: the last stage of the master, after the
 * gains that bring the programme to its target loudness and push espeak-ng's
 * peaks past full scale. It delays the signal by a fixed look-ahead and
 * lowers the gain smoothly before every sample whose true peak (4x
 * oversampled, truepeak.h) would exceed the ceiling, so the output's sample
 * peaks never exceed it and its inter-sample peaks stay within a few
 * hundredths of a dB of it (the docs quote what was measured).
 *
 * How the gain is made, sample by sample: the gain each sample needs
 * (ceiling / its true peak, at most 1) -> the minimum over the look-ahead
 * window -> an instant-attack, exponential release -> a moving average over
 * the look-ahead window. Every average then covers only values at or below
 * what the sample being output needs, so no sample overshoots; the average
 * is summed in 64-bit integers (gains in units of 2^-30, rounded down), so
 * no floating-point drift builds up over hours and the result is the same
 * bytes on every run.
 *
 * Contract: limiter_open() returns a limiter the caller frees with
 * limiter_close(). limiter_process() takes n input samples and writes n
 * output samples, delayed by limiter_latency() samples (the first ones come
 * from the silence it starts with); to drain it, feed limiter_latency()
 * zeros. The reduction figures are for the report.
 */
#ifndef SCRIPTCAST_LIMITER_H
#define SCRIPTCAST_LIMITER_H

#include <stddef.h>
#include <stdint.h>

struct limiter; /* opaque */

/*
 * ceiling: linear true-peak ceiling (0.891 for -1 dBTP); lookahead_ms the
 * attack (5 ms is the usual); release_ms the time constant of the recovery.
 */
struct limiter *limiter_open(int rate, double ceiling, double lookahead_ms, double release_ms);
void limiter_close(struct limiter *l);

size_t limiter_latency(const struct limiter *l);

void limiter_process(struct limiter *l, const float *in, float *out, size_t n);

/* The deepest gain reduction so far (dB, >= 0) and the samples output at a gain below 1. */
double limiter_max_reduction_db(const struct limiter *l);
uint64_t limiter_reduced_samples(const struct limiter *l);

#endif
