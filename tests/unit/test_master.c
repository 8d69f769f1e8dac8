/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the master stage and its parts: the true-peak detector
 * finds the inter-sample peak of a sine sampled off its crests, the
 * loudness meter reads a reference sine as BS.1770 says, the limiter never
 * lets a sample past its ceiling and passes quiet signals through exactly
 * (only delayed), and the master levels two voices 10 dB apart to the same
 * loudness, hits the target, keeps the true peak under the ceiling, leaves
 * no temporary file and gives the same bytes twice, also on a programme
 * long enough to be measured in two halves at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "audio/limiter.h"
#include "audio/loudness.h"
#include "audio/master.h"
#include "audio/truepeak.h"
#include "audio/writer.h"
#include "util/diag.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#define RATE 22050
#define PI 3.14159265358979323846

static void test_truepeak_sine(void **state)
{
    (void)state;
    /* fs/4 at 45 degrees: every sample is at 0.707 of the crest. */
    size_t n = RATE;
    float *x = malloc(n * sizeof(*x));
    /* Faded in and out: a sine cut off abruptly has real overshoots at its ends. */
    for (size_t i = 0; i < n; i++) {
        size_t edge = i < n - 1 - i ? i : n - 1 - i;
        double fade = edge < 1000 ? 0.5 - 0.5 * cos(PI * (double)edge / 1000.0) : 1.0;
        x[i] = (float)(0.5 * fade * sin(2.0 * PI * (double)i / 4.0 + PI / 4.0));
    }
    struct truepeak tp;
    truepeak_init(&tp);
    truepeak_add(&tp, x, n);
    double peak = truepeak_get(&tp);
    assert_true(fabs(loudness_db(peak) - loudness_db(0.5)) < 0.05);
    float sample = 0;
    for (size_t i = 0; i < n; i++)
        sample = fabsf(x[i]) > sample ? fabsf(x[i]) : sample;
    assert_true(sample < 0.354f);
    free(x);
}

static void test_loudness_reference(void **state)
{
    (void)state;
    /* BS.1770: a 997 Hz sine at 0 dBFS in one front channel reads -3.01 LUFS. */
    size_t n = 10 * RATE;
    float *x = malloc(n * sizeof(*x));
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(0.1 * sin(2.0 * PI * 997.0 * (double)i / RATE));
    struct loudness *l = loudness_open(RATE, LOUDNESS_FULL);
    assert_non_null(l);
    assert_int_equal(loudness_add(l, x, n), 0);
    struct loudness_stats st;
    loudness_get(l, &st);
    assert_true(fabs(st.integrated - (-23.01)) < 0.1);
    assert_true(fabs(st.rms - (-23.01)) < 0.05);
    assert_true(fabs(st.peak - (-20.0)) < 0.05);
    assert_true(st.range < 0.1);
    loudness_close(l);
    /* Too little audio: not measurable, said so. */
    l = loudness_open(RATE, LOUDNESS_INTEGRATED);
    loudness_add(l, x, RATE / 10);
    loudness_get(l, &st);
    assert_false(loudness_valid(st.integrated));
    loudness_close(l);
    free(x);
}

/* Deterministic noise bursts with sharp peaks, like speech, up to amp. */
static void make_bursts(float *x, size_t n, double amp, unsigned seed)
{
    unsigned s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        double v = ((double)((s >> 8) & 0xffff) / 32768.0 - 1.0);
        double env = (i / 2000) % 3 == 2 ? 0.0 : 1.0; /* pauses */
        x[i] = (float)(amp * v * v * v * env);
    }
}

static void test_limiter_ceiling(void **state)
{
    (void)state;
    size_t n = 5 * RATE;
    float *x = malloc(n * sizeof(*x)), *y = malloc(n * sizeof(*y)), *z = malloc(n * sizeof(*z));
    make_bursts(x, n, 3.0, 1);
    const double ceiling = loudness_linear(-1.0);
    for (int run = 0; run < 2; run++) {
        struct limiter *l = limiter_open(RATE, ceiling, 5.0, 80.0);
        /* In pieces of odd sizes: the result must not depend on them. */
        for (size_t at = 0; at < n;) {
            size_t k = n - at < 777 ? n - at : 777;
            limiter_process(l, x + at, run ? z + at : y + at, k);
            at += k;
        }
        assert_true(limiter_max_reduction_db(l) > 6.0);
        limiter_close(l);
    }
    assert_memory_equal(y, z, n * sizeof(*y));
    for (size_t i = 0; i < n; i++)
        assert_true(fabsf(y[i]) <= (float)ceiling);
    struct truepeak tp;
    truepeak_init(&tp);
    truepeak_add(&tp, y, n);
    assert_true(loudness_db(truepeak_get(&tp)) <= -1.0 + 0.1);

    /* Quiet input: delayed by the latency, otherwise untouched. */
    make_bursts(x, n, 0.3, 2);
    struct limiter *l = limiter_open(RATE, ceiling, 5.0, 80.0);
    limiter_process(l, x, y, n);
    size_t lat = limiter_latency(l);
    assert_true(lat > 0 && lat < n);
    for (size_t i = 0; i < lat; i++)
        assert_true(y[i] == 0.0f);
    assert_memory_equal(y + lat, x, (n - lat) * sizeof(*x));
    assert_int_equal(limiter_reduced_samples(l), 0);
    limiter_close(l);
    free(x);
    free(y);
    free(z);
}

/* The cache folder render() gives the master (NULL: none), and its turns. */
static const char *render_cache;
static int render_turns = 6;

/* Two voices, 10 dB apart, with pauses between turns, through the master into a WAV. */
static void render(const struct fixture *f, const char *name, enum master_mode mode,
                   struct master_report *rep, int16_t **out, size_t *nout)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    struct diags d;
    diag_init(&d);
    struct audio_writer *w = audio_writer_open(path, AUDIO_WAV, RATE, 0, 1, NULL, &d);
    assert_non_null(w);
    struct master_options o = {mode, -16.0, -1.0, 0.1, 0.0, f->dir, render_cache};
    struct master *m = master_open(&o, RATE, 2, w, &d);
    assert_non_null(m);
    size_t turn = 3 * RATE;
    float *x = malloc(turn * sizeof(*x));
    int16_t *s = malloc(turn * sizeof(*s));
    for (int t = 0; t < render_turns; t++) {
        make_bursts(x, turn, t % 2 ? 0.05 : 0.16, (unsigned)t + 10);
        for (size_t i = 0; i < turn; i++)
            s[i] = (int16_t)lrintf(x[i] * 32767.0f);
        assert_int_equal(master_silence(m, RATE / 2, &d), 0);
        assert_int_equal(master_write(m, t % 2, s, turn, &d), 0);
    }
    assert_int_equal(master_finish(m, rep, &d), 0);
    master_close(m);
    assert_int_equal(audio_writer_commit(w, NULL, &d), 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(x);
    free(s);

    SF_INFO info;
    memset(&info, 0, sizeof(info));
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    assert_non_null(sf);
    *nout = (size_t)info.frames;
    assert_int_equal(*nout, (size_t)render_turns * (turn + RATE / 2));
    *out = malloc(*nout * sizeof(**out));
    assert_int_equal(sf_readf_short(sf, *out, info.frames), info.frames);
    sf_close(sf);
}

static double measure(const int16_t *s, size_t n, int turn_of, double *tp)
{
    struct loudness *l = loudness_open(RATE, LOUDNESS_FULL);
    size_t turn = 3 * RATE, stride = turn + RATE / 2;
    float *x = malloc(stride * sizeof(*x));
    for (size_t at = 0, t = 0; at < n; at += stride, t++) {
        if (turn_of >= 0 && (int)(t % 2) != turn_of)
            continue;
        size_t from = turn_of >= 0 ? at + RATE / 2 : at;
        size_t k = at + stride - from;
        for (size_t i = 0; i < k; i++)
            x[i] = (float)s[from + i] / 32768.0f;
        loudness_add(l, x, k);
    }
    struct loudness_stats st;
    loudness_get(l, &st);
    loudness_close(l);
    free(x);
    if (tp)
        *tp = st.true_peak;
    return st.integrated;
}

static void test_master_levels(void **state)
{
    const struct fixture *f = *state;
    struct master_report rep, again, off;
    int16_t *a, *b, *c;
    size_t na, nb, nc;
    render(f, "a.wav", MASTER_LUFS, &rep, &a, &na);
    render(f, "b.wav", MASTER_LUFS, &again, &b, &nb);
    master_report_release(&again);
    /* Same input, same bytes; nothing left but the two outputs. */
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na * sizeof(*a));
    assert_int_equal(tmpdir_count(f->dir), 2);

    double tp;
    double prog = measure(a, na, -1, &tp);
    double v0 = measure(a, na, 0, NULL), v1 = measure(a, na, 1, NULL);
    assert_true(fabs(prog - (-16.0)) <= 0.5);
    assert_true(fabs(v0 - v1) <= 1.0);
    assert_true(tp <= -1.0);
    assert_true(fabs(rep.out.integrated - prog) < 0.05);
    assert_true(rep.speakers[0].gain_db < rep.speakers[1].gain_db - 5.0);

    /* Off: the samples as given, 10 dB apart, and measured as such. */
    render(f, "c.wav", MASTER_OFF, &off, &c, &nc);
    double o0 = measure(c, nc, 0, NULL), o1 = measure(c, nc, 1, NULL);
    assert_true(o0 - o1 > 9.0);
    assert_true(fabs(off.speakers[0].out.integrated - o0) < 0.05);
    master_report_release(&rep);
    master_report_release(&off);
    free(a);
    free(b);
    free(c);
}

static void report_equal(const struct master_report *a, const struct master_report *b)
{
    assert_true(a->master_gain_db == b->master_gain_db);
    assert_true(a->limiter_max_db == b->limiter_max_db);
    assert_true(a->limited_seconds == b->limited_seconds);
    assert_memory_equal(&a->out, &b->out, sizeof(a->out));
    assert_int_equal(a->nspeakers, b->nspeakers);
    for (size_t i = 0; i < a->nspeakers; i++) {
        assert_true(a->speakers[i].gain_db == b->speakers[i].gain_db);
        assert_memory_equal(&a->speakers[i].in, &b->speakers[i].in, sizeof(a->speakers[i].in));
        assert_memory_equal(&a->speakers[i].out, &b->speakers[i].out, sizeof(a->speakers[i].out));
    }
}

/* A record of what the passes found: a hit writes the same bytes and
 * reports the same numbers as working them out; a damaged record is a miss. */
static void test_master_cache(void **state)
{
    const struct fixture *f = *state;
    char cache[4200], rec[4400];
    snprintf(cache, sizeof(cache), "%s/cache", f->dir);
    assert_int_equal(mkdir(cache, 0777), 0);
    struct master_report none, miss, hit, damaged;
    int16_t *a, *b, *c, *e;
    size_t na, nb, nc, ne;
    render_cache = NULL;
    render(f, "none.wav", MASTER_LUFS, &none, &a, &na);
    render_cache = cache;
    render(f, "miss.wav", MASTER_LUFS, &miss, &b, &nb);
    snprintf(rec, sizeof(rec), "%s/master", cache);
    assert_int_equal(tmpdir_count(rec), 1);
    /* The record's file: a hit reads it and leaves it be. */
    DIR *dir = opendir(rec);
    assert_non_null(dir);
    struct dirent *de;
    char file[4700] = "";
    while ((de = readdir(dir)))
        if (de->d_name[0] != '.')
            snprintf(file, sizeof(file), "%s/%s", rec, de->d_name);
    closedir(dir);
    struct stat st0, st1, st2;
    assert_int_equal(stat(file, &st0), 0);
    char saved[8192];
    FILE *fp = fopen(file, "rb");
    assert_non_null(fp);
    size_t len = fread(saved, 1, sizeof(saved), fp);
    fclose(fp);
    assert_true(len > 48 && len < sizeof(saved));
    render(f, "hit.wav", MASTER_LUFS, &hit, &c, &nc);
    assert_int_equal(stat(file, &st1), 0);
    assert_true(st0.st_ino == st1.st_ino);
    assert_int_equal(na, nb);
    assert_int_equal(na, nc);
    assert_memory_equal(a, b, na * sizeof(*a));
    assert_memory_equal(a, c, na * sizeof(*a));
    report_equal(&none, &miss);
    report_equal(&none, &hit);

    /* Flip a byte of the record: it is ignored, then written again. */
    fp = fopen(file, "r+b");
    assert_non_null(fp);
    fseek(fp, 70, SEEK_SET);
    int ch = fgetc(fp);
    fseek(fp, 70, SEEK_SET);
    fputc(ch ^ 0x40, fp);
    fclose(fp);
    render(f, "damaged.wav", MASTER_LUFS, &damaged, &e, &ne);
    assert_int_equal(stat(file, &st2), 0);
    assert_true(st2.st_ino != st1.st_ino);
    char again[8192];
    fp = fopen(file, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(again, 1, sizeof(again), fp), len);
    fclose(fp);
    assert_memory_equal(saved, again, len);
    assert_int_equal(na, ne);
    assert_memory_equal(a, e, na * sizeof(*a));
    report_equal(&none, &damaged);
    render_cache = NULL;
    master_report_release(&none);
    master_report_release(&miss);
    master_report_release(&hit);
    master_report_release(&damaged);
    free(a);
    free(b);
    free(c);
    free(e);
}

/* Each voice's input as render() makes it, measured by one meter. */
static double measure_input(int voice)
{
    struct loudness *l = loudness_open(RATE, LOUDNESS_INTEGRATED);
    size_t turn = 3 * RATE;
    float *x = malloc(turn * sizeof(*x));
    for (int t = voice; t < render_turns; t += 2) {
        make_bursts(x, turn, t % 2 ? 0.05 : 0.16, (unsigned)t + 10);
        for (size_t i = 0; i < turn; i++)
            x[i] = (float)(int16_t)lrintf(x[i] * 32767.0f) / 32768.0f;
        loudness_add(l, x, turn);
    }
    struct loudness_stats st;
    loudness_get(l, &st);
    loudness_close(l);
    free(x);
    return st.integrated;
}

/* A programme long enough to be measured in two halves at once
 * (master_pass.c): the same bytes twice, on target, the voices levelled,
 * and the halves' meters read together as one meter reads the whole. */
static void test_master_long(void **state)
{
    const struct fixture *f = *state;
    render_turns = 250; /* 14.6 minutes */
    struct master_report rep, again;
    int16_t *a, *b;
    size_t na, nb;
    render(f, "long.wav", MASTER_LUFS, &rep, &a, &na);
    render(f, "long2.wav", MASTER_LUFS, &again, &b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na * sizeof(*a));
    report_equal(&rep, &again);
    double tp;
    double prog = measure(a, na, -1, &tp);
    assert_true(fabs(prog - (-16.0)) <= 0.5);
    assert_true(fabs(measure(a, na, 0, NULL) - measure(a, na, 1, NULL)) <= 1.0);
    assert_true(tp <= -1.0);
    assert_true(fabs(rep.out.integrated - prog) < 0.05);
    for (int v = 0; v < 2; v++) {
        double one = measure_input(v);
        assert_true(fabs(rep.speakers[v].in.integrated - one) < 0.01);
        assert_true(rep.speakers[v].in.frames == (uint64_t)(render_turns / 2) * 3 * RATE);
    }
    render_turns = 6;
    master_report_release(&rep);
    master_report_release(&again);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truepeak_sine),
        cmocka_unit_test(test_loudness_reference),
        cmocka_unit_test(test_limiter_ceiling),
        cmocka_unit_test_setup_teardown(test_master_levels, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_master_cache, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_master_long, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
