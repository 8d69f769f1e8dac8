/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 4x oversampled true-peak detection (contract in truepeak.h). The taps
 * are a Kaiser-windowed sinc computed once, in double precision, then
 * rounded to float; the skip test uses the worst phase's sum of magnitudes,
 * so skipping never hides a peak above the current maximum.
 */
#include "audio/truepeak.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#define TP_PI 3.14159265358979323846

/* [tap][phase], the fourth phase all zeros: four sums side by side, each in
 * tap order, which the compiler turns into one vector multiply-add per tap
 * without reordering any sum (the results stay bit-exact). */
static float tp_taps[TRUEPEAK_TAPS][4];
static double tp_bound;
static pthread_once_t tp_once = PTHREAD_ONCE_INIT;

/* Zeroth-order modified Bessel function (Kaiser window), by its series. */
static double tp_bessel0(double x)
{
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 40; k++) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

static void tp_make_taps(void)
{
    const double beta = 5.0, half = TRUEPEAK_AFTER;
    tp_bound = 0.0;
    for (int ph = 0; ph < 3; ph++) {
        double frac = (ph + 1) / 4.0, sum = 0.0;
        double abs_sum = 0.0;
        for (int k = 0; k < TRUEPEAK_TAPS; k++) {
            /* Tap k weighs p[k - BEFORE]; its distance from the point p[frac]. */
            double t = (double)(k - TRUEPEAK_BEFORE) - frac;
            double sinc = sin(TP_PI * t) / (TP_PI * t);
            double r = t / half; /* the window is centred on the point itself */
            double w = fabs(r) < 1.0 ? tp_bessel0(beta * sqrt(1.0 - r * r)) / tp_bessel0(beta) : 0;
            tp_taps[k][ph] = (float)(sinc * w);
            sum += sinc * w;
        }
        /* Normalized so that a constant signal interpolates to itself. */
        for (int k = 0; k < TRUEPEAK_TAPS; k++) {
            tp_taps[k][ph] = (float)(tp_taps[k][ph] / sum);
            abs_sum += fabs((double)tp_taps[k][ph]);
        }
        if (abs_sum > tp_bound)
            tp_bound = abs_sum;
    }
}

static void tp_setup(void)
{
    pthread_once(&tp_once, tp_make_taps);
}

double truepeak_gain_bound(void)
{
    tp_setup();
    return tp_bound;
}

float truepeak_between(const float *p)
{
    /* No tp_setup() here, on every sample: its callers have one of the
     * functions that do it behind them (truepeak.h). */
    const float *q = p - TRUEPEAK_BEFORE;
    float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int k = 0; k < TRUEPEAK_TAPS; k++)
        for (int ph = 0; ph < 4; ph++)
            acc[ph] += tp_taps[k][ph] * q[k];
    float m = 0.0f;
    for (int ph = 0; ph < 3; ph++) {
        float a = fabsf(acc[ph]);
        m = a > m ? a : m;
    }
    return m;
}

void truepeak_init(struct truepeak *t)
{
    tp_setup();
    memset(t, 0, sizeof(*t));
    /* Silence before the stream: the first intervals have full neighbourhoods. */
    t->n = TRUEPEAK_BEFORE;
}

/* Scans the intervals whose neighbourhoods lie within buf[0 .. n). */
static void tp_scan(struct truepeak *t, size_t n)
{
    const float bound = (float)tp_bound;
    /* Intervals start at i = BEFORE .. n - AFTER - 1, in blocks of 16. */
    for (size_t b = TRUEPEAK_BEFORE; b + TRUEPEAK_AFTER < n; b += 16) {
        size_t e = b + 16 < n - TRUEPEAK_AFTER ? b + 16 : n - TRUEPEAK_AFTER;
        float local = 0.0f;
        for (size_t i = b - TRUEPEAK_BEFORE; i < e + TRUEPEAK_AFTER; i++) {
            float a = fabsf(t->buf[i]);
            local = a > local ? a : local;
        }
        if (local > t->max)
            t->max = local;
        if (local * bound <= t->max)
            continue;
        for (size_t i = b; i < e; i++) {
            float v = truepeak_between(&t->buf[i]);
            if (v > t->max)
                t->max = v;
        }
    }
}

void truepeak_add(struct truepeak *t, const float *x, size_t n)
{
    const size_t cap = TRUEPEAK_CHUNK + TRUEPEAK_BEFORE + TRUEPEAK_AFTER;
    while (n > 0) {
        size_t k = cap - t->n < n ? cap - t->n : n;
        memcpy(t->buf + t->n, x, k * sizeof(*x));
        t->n += k;
        x += k;
        n -= k;
        if (t->n == cap) {
            tp_scan(t, t->n);
            /* Keep the neighbourhood of the intervals not yet scanned. */
            size_t keep = TRUEPEAK_BEFORE + TRUEPEAK_AFTER;
            memmove(t->buf, t->buf + t->n - keep, keep * sizeof(*t->buf));
            t->n = keep;
        }
    }
}

float truepeak_get(const struct truepeak *t)
{
    /* The intervals still pending, with silence after the last sample. */
    struct truepeak tail = *t;
    size_t pad = TRUEPEAK_AFTER + 1;
    memset(tail.buf + tail.n, 0, pad * sizeof(*tail.buf));
    tp_scan(&tail, tail.n + pad);
    return tail.max;
}
