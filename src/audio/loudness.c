/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loudness meters (contract in loudness.h): libebur128 for the K-weighted
 * measures, our own true-peak detector, plain sums for peak and RMS.
 */
#include "audio/loudness.h"
#include "audio/truepeak.h"
#include "util/xalloc.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>

struct loudness {
    ebur128_state *st;
    enum loudness_what what;
    struct truepeak tp;
    float peak;
    double sumsq; /* in order, one sample at a time: deterministic */
    uint64_t frames;
};

struct loudness *loudness_open(int rate, enum loudness_what what)
{
    int mode = EBUR128_MODE_I;
    if (what == LOUDNESS_FULL)
        mode |= EBUR128_MODE_LRA;
    ebur128_state *st = ebur128_init(1, (unsigned long)rate, mode);
    if (!st)
        return NULL;
    struct loudness *l = xcalloc(1, sizeof(*l));
    l->st = st;
    l->what = what;
    truepeak_init(&l->tp);
    return l;
}

void loudness_close(struct loudness *l)
{
    if (!l)
        return;
    ebur128_destroy(&l->st);
    free(l);
}

int loudness_add(struct loudness *l, const float *x, size_t n)
{
    if (n == 0)
        return 0;
    if (ebur128_add_frames_float(l->st, x, n) != EBUR128_SUCCESS)
        return -1;
    l->frames += n;
    double s = l->sumsq;
    for (size_t i = 0; i < n; i++)
        s += (double)x[i] * (double)x[i];
    l->sumsq = s;
    if (l->what == LOUDNESS_FULL) {
        float p = l->peak;
        for (size_t i = 0; i < n; i++) {
            float a = fabsf(x[i]);
            p = a > p ? a : p;
        }
        l->peak = p;
        truepeak_add(&l->tp, x, n);
    }
    return 0;
}

double loudness_db(double linear)
{
    return linear > 0 ? 20.0 * log10(linear) : -HUGE_VAL;
}

double loudness_linear(double db)
{
    return pow(10.0, db / 20.0);
}

bool loudness_valid(double v)
{
    return isfinite(v);
}

void loudness_get(const struct loudness *l, struct loudness_stats *out)
{
    double v = -HUGE_VAL;
    if (ebur128_loudness_global(l->st, &v) != EBUR128_SUCCESS || !isfinite(v))
        v = -HUGE_VAL;
    out->integrated = v;
    out->range = 0;
    out->true_peak = out->peak = -HUGE_VAL;
    if (l->what == LOUDNESS_FULL) {
        double r = 0;
        if (ebur128_loudness_range(l->st, &r) == EBUR128_SUCCESS && isfinite(r))
            out->range = r;
        out->peak = loudness_db(l->peak);
        float tp = truepeak_get(&l->tp);
        out->true_peak = loudness_db(tp > l->peak ? tp : l->peak);
    }
    out->rms = l->frames ? 10.0 * log10(l->sumsq / (double)l->frames) : -HUGE_VAL;
    if (!isfinite(out->rms))
        out->rms = -HUGE_VAL;
    out->frames = l->frames;
}

void loudness_get_multiple(struct loudness *const *l, size_t n, uint64_t extra_frames,
                           double *integrated, double *rms)
{
    ebur128_state **st = xcalloc(n ? n : 1, sizeof(*st));
    size_t k = 0;
    double sumsq = 0;
    uint64_t frames = extra_frames;
    for (size_t i = 0; i < n; i++) {
        if (!l[i])
            continue;
        st[k++] = l[i]->st;
        sumsq += l[i]->sumsq;
        frames += l[i]->frames;
    }
    double v = -HUGE_VAL;
    if (!k || ebur128_loudness_global_multiple(st, k, &v) != EBUR128_SUCCESS || !isfinite(v))
        v = -HUGE_VAL;
    *integrated = v;
    *rms = frames && sumsq > 0 ? 10.0 * log10(sumsq / (double)frames) : -HUGE_VAL;
    free(st);
}
