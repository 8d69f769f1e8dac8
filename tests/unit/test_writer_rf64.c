/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the audio writer's 4 GiB limit of WAV: a programme
 * expected to come near it is written as RF64 (which libsndfile closes as a
 * WAV when it stays small), and a plain WAV that reaches the limit anyway
 * is refused at that write, with nothing left on disk, instead of getting a
 * header with wrapped sizes. The limit is lowered for the tests so that
 * kilobytes cross it, not gigabytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "audio/assemble.h"
#include "audio/writer.h"
#include "plan/plan.h"
#include "util/diag.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 22050

/* The first 16 bytes of a file. */
static void read_head(const char *path, char head[17])
{
    memset(head, 0, 17);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(head, 1, 16, fp), 16);
    fclose(fp);
}

static sf_count_t frames_of(const char *path)
{
    SF_INFO info;
    memset(&info, 0, sizeof(info));
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return -1;
    sf_close(sf);
    return info.frames;
}

/* Opens path as WAV at out_rate expecting `expect` input frames; reports rf64. */
static struct audio_writer *open_wav(const char *path, int out_rate, uint64_t expect, bool *rf64,
                                     struct diags *d)
{
    struct audio_writer *w =
        audio_writer_open_sized(path, AUDIO_WAV, RATE, out_rate, 1, NULL, expect, d);
    assert_non_null(w);
    *rf64 = audio_writer_is_rf64(w);
    return w;
}

/* The decision at the real limit: twice the estimate must fit in 4 GiB. */
static void test_rf64_decision(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "d.wav");
    struct diags d;
    diag_init(&d);
    const struct {
        int out_rate;
        uint64_t expect; /* input frames at 22050 Hz */
        bool rf64;
    } cases[] = {
        {0, 0, false},
        {0, 22050ull * 3600, false},      /* an hour */
        {0, 1000000000ull, false},        /* 2 x 2 GB fits */
        {0, 1100000000ull, true},         /* 2 x 2.2 GB does not */
        {0, 1ull << 40, true},            /* far beyond */
        {48000, 500000000ull, true},      /* 1.09 G frames once resampled */
        {48000, 400000000ull, false},     /* 0.87 G frames */
        {0, UINT64_MAX / RATE / 2, true}, /* no overflow in the estimate */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool rf64;
        struct audio_writer *w = open_wav(path, cases[i].out_rate, cases[i].expect, &rf64, &d);
        if (rf64 != cases[i].rf64)
            fail_msg("case %zu: expected %s", i, cases[i].rf64 ? "RF64" : "WAV");
        audio_writer_abort(w);
    }
    /* Other formats have no such limit. */
    struct audio_writer *w =
        audio_writer_open_sized(path, AUDIO_FLAC, RATE, 0, 1, NULL, 1ull << 40, &d);
    assert_non_null(w);
    assert_false(audio_writer_is_rf64(w));
    audio_writer_abort(w);
    assert_int_equal(d.n, 0);
    assert_int_equal(tmpdir_count(f->dir), 0);
    diag_release(&d);
    free(path);
}

/* A WAV opened as RF64 that stays small is closed as a readable WAV. */
static void test_rf64_small_is_wav(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "small.wav");
    struct diags d;
    diag_init(&d);
    bool rf64;
    struct audio_writer *w = open_wav(path, 0, 1ull << 40, &rf64, &d);
    assert_true(rf64);
    int16_t *zeros = calloc(RATE, sizeof(*zeros));
    assert_int_equal(audio_writer_write(w, zeros, RATE, &d), 0);
    assert_int_equal(audio_writer_commit(w, NULL, &d), 0);
    char head[17];
    read_head(path, head);
    assert_memory_equal(head, "RIFF", 4);
    assert_memory_equal(head + 8, "WAVEJUNK", 8); /* the room RF64's ds64 chunk takes */
    assert_int_equal(frames_of(path), RATE);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(zeros);
    free(path);
}

/*
 * With the limit lowered to 100 kB: an estimate of 1,000 frames makes a
 * plain WAV, refused when 60,000 frames (120 kB) arrive; an estimate near
 * the limit makes RF64, which takes them. FLAC ignores the limit.
 */
static void test_wav_limit_refused(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "long.wav");
    int16_t *zeros = calloc(60000, sizeof(*zeros));
    audio_writer_set_wav_limit(100000);

    struct diags d;
    diag_init(&d);
    bool rf64;
    struct audio_writer *w = open_wav(path, 0, 1000, &rf64, &d);
    assert_false(rf64);
    assert_int_equal(audio_writer_write(w, zeros, 40000, &d), 0);
    assert_int_equal(audio_writer_silence(w, 20000, &d), -1);
    assert_int_equal(audio_writer_write(w, zeros, 1, &d), -1);
    assert_int_equal(d.system, 1);
    assert_non_null(strstr(d.v[0].msg, "the most a WAV file can hold"));
    assert_int_equal(audio_writer_commit(w, NULL, &d), -1);
    assert_int_equal(d.n, 1); /* one cause, one message */
    assert_int_equal(tmpdir_count(f->dir), 0);
    diag_release(&d);

    /* Through the resampler too: 48 kHz output crosses it sooner. */
    diag_init(&d);
    w = open_wav(path, 48000, 1000, &rf64, &d);
    assert_false(rf64);
    assert_int_equal(audio_writer_write(w, zeros, 30000, &d), -1);
    audio_writer_abort(w);
    assert_int_equal(d.system, 1);
    assert_int_equal(tmpdir_count(f->dir), 0);
    diag_release(&d);

    diag_init(&d);
    w = open_wav(path, 0, 40000, &rf64, &d);
    assert_true(rf64);
    assert_int_equal(audio_writer_write(w, zeros, 60000, &d), 0);
    assert_int_equal(audio_writer_commit(w, NULL, &d), 0);
    assert_int_equal(frames_of(path), 60000);
    diag_release(&d);

    char *flac = tmpdir_path(f, "long.flac");
    diag_init(&d);
    w = audio_writer_open_sized(flac, AUDIO_FLAC, RATE, 0, 1, NULL, 1000, &d);
    assert_non_null(w);
    assert_int_equal(audio_writer_write(w, zeros, 60000, &d), 0);
    assert_int_equal(audio_writer_commit(w, NULL, &d), 0);
    assert_int_equal(frames_of(flac), 60000);
    diag_release(&d);

    audio_writer_set_wav_limit(UINT64_MAX);
    free(flac);
    free(zeros);
    free(path);
}

/* The estimate the render passes: pauses exactly, 0.3 s per character. */
static void test_expect_frames(void **state)
{
    (void)state;
    struct plan_segment segs[2] = {{.pause_ms = 1000}, {.pause_ms = 500}};
    struct plan_speaker spk[2] = {{.chars = 4}, {.chars = 6}};
    struct plan p = {.segments = segs, .nsegments = 2, .speakers = spk, .nspeakers = 2};
    assert_int_equal(assemble_expect_frames(&p, RATE), (uint64_t)((1.5 + 3.0) * RATE));
    /* 1,700 pauses of a minute: past 4 GiB, so a .wav of it is RF64. */
    struct plan_segment *many = calloc(1700, sizeof(*many));
    for (size_t i = 0; i < 1700; i++)
        many[i].pause_ms = 60000;
    struct plan big = {.segments = many, .nsegments = 1700};
    assert_int_equal(assemble_expect_frames(&big, RATE), 1700ull * 60 * RATE);
    free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rf64_decision, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_rf64_small_is_wav, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_wav_limit_refused, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_expect_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
