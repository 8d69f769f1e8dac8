/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The waveform overview: one byte per tenth of a second, the block's
 * largest magnitude on a linear 0..255 scale; silence, partial blocks and
 * interleaved channels.
 */
#include "audio/peaks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static void test_blocks_and_scale(void **state)
{
    (void)state;
    struct peaks p;
    peaks_init(&p, 1000, 1); /* blocks of 100 frames */
    int16_t buf[250] = {0};
    buf[10] = -32768; /* block 0: full scale, negative */
    buf[150] = 16384; /* block 1: half scale */
    buf[249] = 1;     /* block 2, partial: the smallest step rounds to 0 */
    peaks_feed(&p, buf, 250);
    assert_int_equal(p.n, 2);
    peaks_finish(&p);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.v[0], 255);
    assert_int_equal(p.v[1], 128);
    assert_int_equal(p.v[2], 0);
    assert_true(peaks_seconds_per_value(&p) > 0.0999 && peaks_seconds_per_value(&p) < 0.1001);
    peaks_release(&p);
}

static void test_silence_and_split_feeds(void **state)
{
    (void)state;
    struct peaks p;
    peaks_init(&p, 22050, 1);
    peaks_feed(&p, NULL, 2205 * 3); /* three blocks of silence */
    int16_t loud[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 8000};
    peaks_feed(&p, loud, 10); /* a block split over several feeds */
    peaks_feed(&p, NULL, 2195);
    peaks_finish(&p);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.v[0] + p.v[1] + p.v[2], 0);
    assert_int_equal(p.v[3], (8000 * 255 + 16384) / 32768);
    peaks_release(&p);
}

static void test_channels(void **state)
{
    (void)state;
    struct peaks p;
    peaks_init(&p, 20, 2); /* blocks of 2 frames, 4 values */
    int16_t st[8] = {0, 100, 0, 0, -200, 0, 0, 0};
    peaks_feed(&p, st, 4);
    peaks_finish(&p);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[0], (100 * 255 + 16384) / 32768);
    assert_int_equal(p.v[1], (200 * 255 + 16384) / 32768);
    peaks_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_and_scale),
        cmocka_unit_test(test_silence_and_split_feeds),
        cmocka_unit_test(test_channels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
