/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Look-ahead true-peak limiter (contract and the shape of its gain in
 * limiter.h). Samples are indexed by n as they arrive; the gain a sample
 * needs is known TRUEPEAK_AFTER samples later (its interpolation
 * neighbourhood), and it leaves lookahead samples after that.
 */
#include "audio/limiter.h"
#include "audio/truepeak.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

#define LIM_ONE (INT64_C(1) << 30) /* gain 1.0 in the integer average */
#define LIM_HIST 16                /* interpolation window ring (>= TRUEPEAK_TAPS) */

struct limiter {
    double ceiling;
    float quiet;        /* |x| at or below this cannot make any true peak exceed ceiling */
    size_t look;        /* L: look-ahead in samples */
    double release;     /* per-sample recovery coefficient */
    uint64_t n;         /* samples received */
    uint64_t last_loud; /* 1 + index of the last sample above quiet; 0: none */
    float hist[2 * LIM_HIST];
    float need_prev; /* the true peak of the interval before the current sample */
    /* Sliding minimum of the needed gain: a monotonic queue of (index, value). */
    uint64_t *qi;
    double *qv;
    size_t qmask, qhead, qlen;
    double r;     /* released gain */
    int64_t *box; /* the last L+1 released gains, in units of 2^-30 */
    int64_t sum;
    size_t boxpos;
    float *delay; /* the signal, delayed by TRUEPEAK_AFTER + L */
    size_t dlen, dpos;
    double min_gain;
    uint64_t reduced;
};

static size_t lim_pow2(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

struct limiter *limiter_open(int rate, double ceiling, double lookahead_ms, double release_ms)
{
    struct limiter *l = xcalloc(1, sizeof(*l));
    l->ceiling = ceiling;
    l->quiet = (float)(ceiling / truepeak_gain_bound());
    l->look = (size_t)llround(lookahead_ms * rate / 1000.0);
    if (l->look < 1)
        l->look = 1;
    double tau = release_ms * rate / 1000.0;
    l->release = tau > 1 ? 1.0 - exp(-1.0 / tau) : 1.0;
    size_t qcap = lim_pow2(l->look + 2);
    l->qi = xcalloc(qcap, sizeof(*l->qi));
    l->qv = xcalloc(qcap, sizeof(*l->qv));
    l->qmask = qcap - 1;
    l->r = 1.0;
    l->box = xmalloc((l->look + 1) * sizeof(*l->box));
    for (size_t i = 0; i <= l->look; i++)
        l->box[i] = LIM_ONE;
    l->sum = LIM_ONE * (int64_t)(l->look + 1);
    l->dlen = l->look + TRUEPEAK_AFTER;
    l->delay = xcalloc(l->dlen, sizeof(*l->delay));
    l->min_gain = 1.0;
    return l;
}

void limiter_close(struct limiter *l)
{
    if (!l)
        return;
    free(l->qi);
    free(l->qv);
    free(l->box);
    free(l->delay);
    free(l);
}

size_t limiter_latency(const struct limiter *l)
{
    return l->look + TRUEPEAK_AFTER;
}

double limiter_max_reduction_db(const struct limiter *l)
{
    return l->min_gain < 1.0 ? -20.0 * log10(l->min_gain) : 0.0;
}

uint64_t limiter_reduced_samples(const struct limiter *l)
{
    return l->reduced;
}

/* The gain sample j needs, given the true peaks of the intervals on each side of it. */
static double lim_need(const struct limiter *l, float x, float before, float after)
{
    float p = fabsf(x);
    p = before > p ? before : p;
    p = after > p ? after : p;
    return p > l->ceiling ? l->ceiling / p : 1.0;
}

/* Pushes (j, v) into the sliding minimum and drops what left the window. */
static double lim_window_min(struct limiter *l, uint64_t j, double v)
{
    while (l->qlen && l->qv[(l->qhead + l->qlen - 1) & l->qmask] >= v)
        l->qlen--;
    size_t at = (l->qhead + l->qlen) & l->qmask;
    l->qi[at] = j;
    l->qv[at] = v;
    l->qlen++;
    while (l->qi[l->qhead] + l->look < j) {
        l->qhead = (l->qhead + 1) & l->qmask;
        l->qlen--;
    }
    return l->qv[l->qhead];
}

void limiter_process(struct limiter *l, const float *in, float *out, size_t n)
{
    const double scale = 1.0 / ((double)LIM_ONE * (double)(l->look + 1));
    for (size_t i = 0; i < n; i++) {
        float x = in[i];
        size_t hp = (size_t)(l->n & (LIM_HIST - 1));
        l->hist[hp] = x;
        l->hist[hp + LIM_HIST] = x;
        l->n++;
        if (fabsf(x) > l->quiet)
            l->last_loud = l->n;

        /* Sample j = n - AFTER - 1 now has its whole neighbourhood. */
        double need = 1.0;
        float after = 0.0f;
        if (l->last_loud && l->n - l->last_loud < TRUEPEAK_TAPS + 1) {
            /* window[k] = sample n - TAPS + k; the interval after j starts at k = BEFORE. */
            const float *w = &l->hist[hp + LIM_HIST + 1 - TRUEPEAK_TAPS];
            after = truepeak_between(w + TRUEPEAK_BEFORE);
            need = lim_need(l, w[TRUEPEAK_BEFORE], l->need_prev, after);
        }
        l->need_prev = after;

        uint64_t j = l->n; /* 1-based index of the needed gain, for the window */
        double h = lim_window_min(l, j, need);
        double r = l->r + (1.0 - l->r) * l->release;
        /* Within a millionth of unity is unity: the release would never get there. */
        r = r > 1.0 - 1e-6 ? 1.0 : r;
        r = h < r ? h : r;
        l->r = r;
        int64_t q = (int64_t)floor(r * (double)LIM_ONE);
        l->sum += q - l->box[l->boxpos];
        l->box[l->boxpos] = q;
        l->boxpos = l->boxpos == l->look ? 0 : l->boxpos + 1;
        double g = (double)l->sum * scale;

        /* The delay line holds the last AFTER + L inputs; the oldest leaves now. */
        float y = l->delay[l->dpos];
        l->delay[l->dpos] = x;
        l->dpos = l->dpos + 1 == l->dlen ? 0 : l->dpos + 1;
        if (g < 1.0) {
            y = (float)((double)y * g);
            l->reduced++;
            if (g < l->min_gain)
                l->min_gain = g;
        }
        out[i] = y;
    }
}
