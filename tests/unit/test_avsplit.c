/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for audio/avsplit: a programme with pauses is cut into
 * segments, the frames come out contiguous on one grid (pts k * frame -
 * delay, no frame missing or doubled), the same samples give the same
 * packets whatever the size of the pieces they arrive in, and a programme
 * without digital silence stays one segment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "audio/avenc.h"
#include "audio/avsplit.h"
#include "audio/lav.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 44100
#define PI 3.14159265358979323846

struct got {
    size_t n;
    int64_t pts[200000];
    uint64_t hash; /* FNV-1a over every packet's bytes, in order */
};

static int collect(void *ctx, AVPacket *pkt)
{
    struct got *g = ctx;
    if (g->n == sizeof(g->pts) / sizeof(g->pts[0]))
        return -1;
    g->pts[g->n++] = pkt->pts;
    for (int i = 0; i < pkt->size; i++)
        g->hash = (g->hash ^ pkt->data[i]) * 1099511628211u;
    return 0;
}

/* seconds of speech-like tone bursts: `on` s of tone, `off` s of zeros. */
static int16_t *programme(size_t n, double on, double off)
{
    int16_t *x = calloc(n, sizeof(*x));
    double period = on + off;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / RATE;
        if (off <= 0 || fmod(t, period) < on)
            x[i] = (int16_t)(8000 * sin(2 * PI * (220 + 40 * floor(t / period)) * t));
    }
    return x;
}

static size_t run(const int16_t *x, size_t n, size_t piece, struct got *g)
{
    char err[256] = "";
    memset(g, 0, sizeof(*g));
    g->hash = 1469598103934665603u;
    struct avsplit *s = avsplit_open(RATE, 1, 0, collect, g, err, sizeof(err));
    assert_non_null(s);
    for (size_t i = 0; i < n; i += piece) {
        size_t k = n - i < piece ? n - i : piece;
        assert_int_equal(avsplit_write(s, x + i, k, err, sizeof(err)), 0);
    }
    assert_int_equal(avsplit_finish(s, err, sizeof(err)), 0);
    size_t segs = avsplit_segments(s);
    avsplit_free(s);
    return segs;
}

static void grid(const struct got *g, size_t n)
{
    char err[256];
    struct avenc *probe = avenc_open_segment(RATE, 1, 0, err, sizeof(err));
    assert_non_null(probe);
    int64_t frame = avenc_frame_size(probe), delay = avenc_delay(probe);
    avenc_free(probe);
    for (size_t k = 0; k < g->n; k++)
        assert_int_equal(g->pts[k], (int64_t)k * frame - delay);
    /* Every sample is in a frame, and no frame is only padding. */
    assert_true((int64_t)g->n * frame >= (int64_t)n + delay);
    assert_true((int64_t)(g->n - 1) * frame < (int64_t)n + delay + frame);
}

static void test_cuts_in_pauses(void **state)
{
    (void)state;
    size_t n = 200 * RATE;
    int16_t *x = programme(n, 2.3, 0.7);
    static struct got a, b;
    size_t segs = run(x, n, n, &a);
    /* Cuts need 30 s of segment and a pause: 200 s gives 6. */
    assert_true(segs >= 5 && segs <= 7);
    grid(&a, n);
    /* The same samples in odd pieces: the same cuts, the same bytes. */
    assert_int_equal(run(x, n, 997, &b), segs);
    assert_int_equal(a.n, b.n);
    assert_true(a.hash == b.hash);
    free(x);
}

static void test_no_silence_one_segment(void **state)
{
    (void)state;
    size_t n = 70 * RATE;
    int16_t *x = programme(n, 1, 0);
    static struct got a;
    assert_int_equal(run(x, n, 4096, &a), 1);
    grid(&a, n);
    free(x);
}

static void test_long_segment_streams(void **state)
{
    (void)state;
    /* 150 s without a pause is encoded as it comes (past 120 s), then cut
     * at the first pause after it. */
    size_t n = 191 * RATE;
    int16_t *x = programme(n, 1, 0);
    memset(x + 150 * RATE, 0, RATE * sizeof(*x));
    static struct got a, b;
    assert_int_equal(run(x, n, 4096, &a), 2);
    grid(&a, n);
    assert_int_equal(run(x, n, 1000, &b), 2);
    assert_true(a.hash == b.hash);
    free(x);
}

static void test_short_pauses_are_not_cuts(void **state)
{
    (void)state;
    /* 50 ms pauses are shorter than a cut's guard frames need. */
    size_t n = 90 * RATE;
    int16_t *x = programme(n, 1.0, 0.05);
    static struct got a;
    assert_int_equal(run(x, n, 8192, &a), 1);
    grid(&a, n);
    free(x);
}

int main(void)
{
    char err[256];
    if (lav_load(err, sizeof(err)) != 0) {
        fprintf(stderr, "test_avsplit: %s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts_in_pauses),
        cmocka_unit_test(test_no_silence_one_segment),
        cmocka_unit_test(test_long_segment_streams),
        cmocka_unit_test(test_short_pauses_are_not_cuts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
