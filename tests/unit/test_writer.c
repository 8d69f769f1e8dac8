/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for audio/writer: every format opens back with libsndfile at the
 * promised rate and length, resampling is exact in length and in time,
 * writing the same samples twice gives the same bytes (Ogg serial numbers
 * included), metadata survives, and failures (abort, missing folder, full
 * disk) leave nothing on disk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "audio/writer.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RATE 22050
#define PI 3.14159265358979323846

static const enum audio_format all_formats[] = {AUDIO_WAV, AUDIO_FLAC, AUDIO_OGG, AUDIO_OPUS,
                                                AUDIO_MP3, AUDIO_M4A,  AUDIO_M4B};
#define NFORMATS (sizeof(all_formats) / sizeof(all_formats[0]))

static char *path_in(const struct fixture *f, const char *name, enum audio_format fmt)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s/%s.%s", f->dir, name, audio_format_name(fmt));
    return strbuf_detach(&sb);
}

static int16_t *make_sine(size_t n, double freq)
{
    int16_t *s = malloc(n * sizeof(*s));
    for (size_t i = 0; i < n; i++)
        s[i] = (int16_t)lrint(10000.0 * sin(2.0 * PI * freq * (double)i / RATE));
    return s;
}

/* Writes samples to path in pieces of chunk frames (0: one call); asserts success. */
static void write_file(const char *path, enum audio_format fmt, int out_rate,
                       const int16_t *samples, size_t n, size_t chunk)
{
    struct diags d;
    diag_init(&d);
    struct audio_meta meta = {.title = "Sine title",
                              .artist = "scriptcast tests",
                              .date = "2025",
                              .comment = "a comment"};
    struct audio_writer *w = audio_writer_open(path, fmt, RATE, out_rate, 1, &meta, &d);
    if (!w)
        diag_print(&d, stderr);
    assert_non_null(w);
    if (chunk == 0)
        chunk = n;
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        assert_int_equal(audio_writer_write(w, samples + off, k, &d), 0);
    }
    assert_int_equal(audio_writer_commit(w, NULL, &d), 0);
    if (d.n)
        diag_print(&d, stderr);
    assert_int_equal(d.n, 0);
    diag_release(&d);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
        strbuf_add(&sb, buf, k);
    fclose(fp);
    *len = sb.len;
    return strbuf_detach(&sb);
}

static void test_format_from_path(void **state)
{
    (void)state;
    assert_int_equal(audio_format_from_path("out.wav"), AUDIO_WAV);
    assert_int_equal(audio_format_from_path("dir.x/OUT.FLAC"), AUDIO_FLAC);
    assert_int_equal(audio_format_from_path("a.b.Ogg"), AUDIO_OGG);
    assert_int_equal(audio_format_from_path("talk.opus"), AUDIO_OPUS);
    assert_int_equal(audio_format_from_path("/tmp/talk.mp3"), AUDIO_MP3);
    assert_int_equal(audio_format_from_path("talk.aiff"), -1);
    assert_int_equal(audio_format_from_path("talk"), -1);
    assert_int_equal(audio_format_from_path("dir.wav/talk"), -1);
    assert_int_equal(audio_format_from_path(".wav"), -1);
    assert_int_equal(audio_format_from_path("talk.wavx"), -1);
    assert_string_equal(audio_format_name(AUDIO_OPUS), "opus");
    assert_int_equal(audio_format_from_path("book.M4B"), AUDIO_M4B);
    assert_int_equal(audio_format_from_path("talk.m4a"), AUDIO_M4A);
    assert_string_equal(audio_format_name(AUDIO_M4B), "m4b");
}

/* One second of sine in each format: rate, channels, length and title read back. */
static void test_formats_read_back(void **state)
{
    struct fixture *f = *state;
    int16_t *sine = make_sine(RATE, 440.0);
    for (size_t i = 0; i < NFORMATS; i++) {
        enum audio_format fmt = all_formats[i];
        /* libsndfile reads no MP4: tests/cli/publish.sh decodes those with ffprobe. */
        if (fmt == AUDIO_M4A || fmt == AUDIO_M4B)
            continue;
        char *path = path_in(f, "sine", fmt);
        write_file(path, fmt, 0, sine, RATE, 1000);

        SF_INFO info;
        memset(&info, 0, sizeof(info));
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        assert_non_null(sf);
        int want_rate = fmt == AUDIO_OPUS ? 48000 : RATE;
        assert_int_equal(info.samplerate, want_rate);
        assert_int_equal(info.channels, 1);
        const char *title = sf_get_string(sf, SF_STR_TITLE);
        assert_non_null(title);
        assert_string_equal(title, "Sine title");

        /* Count by decoding: the header's count is an estimate for some formats. */
        short buf[4096];
        sf_count_t decoded = 0, k;
        while ((k = sf_readf_short(sf, buf, 4096)) > 0)
            decoded += k;
        sf_close(sf);
        struct stat st;
        stat(path, &st);
        print_message("%-4s: %d Hz, header %lld frames, decoded %lld frames, %lld bytes\n",
                      audio_format_name(fmt), info.samplerate, (long long)info.frames,
                      (long long)decoded, (long long)st.st_size);
        if (fmt == AUDIO_WAV || fmt == AUDIO_FLAC) {
            assert_int_equal(info.frames, want_rate);
            assert_int_equal(decoded, want_rate);
        } else {
            /* Lossy codecs work in blocks; their containers carry the exact length. */
            assert_true(llabs((long long)decoded - want_rate) <= 2048);
        }
        free(path);
    }
    free(sine);
}

/* Resampling gives exactly round(n * out / in) frames, whatever the chunking. */
static void test_resampled_length(void **state)
{
    struct fixture *f = *state;
    static const struct {
        size_t n;
        int out_rate;
    } cases[] = {{RATE, 44100}, {RATE, 48000}, {12345, 48000}, {1001, 16000}, {7, 44100}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int16_t *sine = make_sine(cases[i].n, 300.0);
        char *path = path_in(f, "resampled", AUDIO_WAV);
        write_file(path, AUDIO_WAV, cases[i].out_rate, sine, cases[i].n, 333);
        uint64_t want = ((uint64_t)cases[i].n * (uint64_t)cases[i].out_rate + RATE / 2) / RATE;

        SF_INFO info;
        memset(&info, 0, sizeof(info));
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        assert_non_null(sf);
        sf_close(sf);
        assert_int_equal(info.samplerate, cases[i].out_rate);
        assert_int_equal(info.frames, want);
        free(path);
        free(sine);
    }
}

/* An impulse at input frame 1000 peaks at output frame map(1000): no resampler delay. */
static void test_resampler_delay(void **state)
{
    struct fixture *f = *state;
    static const int rates[] = {44100, 48000, 16000};
    for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
        size_t n = 4000;
        int16_t *in = calloc(n, sizeof(*in));
        in[1000] = 30000;
        char *path = path_in(f, "impulse", AUDIO_WAV);

        struct diags d;
        diag_init(&d);
        struct audio_writer *w = audio_writer_open(path, AUDIO_WAV, RATE, rates[r], 1, NULL, &d);
        assert_non_null(w);
        assert_int_equal(audio_writer_rate(w), rates[r]);
        uint64_t expect = audio_writer_map(w, 1000);
        assert_int_equal(audio_writer_silence(w, 500, &d), 0);
        assert_int_equal(audio_writer_write(w, in + 500, n - 500, &d), 0);
        assert_true(audio_writer_position(w) <= audio_writer_map(w, n));
        assert_int_equal(audio_writer_commit(w, NULL, &d), 0);
        diag_release(&d);

        SF_INFO info;
        memset(&info, 0, sizeof(info));
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        assert_non_null(sf);
        short *out = calloc((size_t)info.frames, sizeof(*out));
        assert_int_equal(sf_readf_short(sf, out, info.frames), info.frames);
        sf_close(sf);
        sf_count_t peak = 0;
        for (sf_count_t i = 1; i < info.frames; i++) {
            if (abs(out[i]) > abs(out[peak]))
                peak = i;
        }
        print_message("%d Hz: impulse at input 1000 peaks at output %lld (map: %llu)\n", rates[r],
                      (long long)peak, (unsigned long long)expect);
        assert_true(llabs((long long)peak - (long long)expect) <= 1);
        free(out);
        free(in);
        free(path);
    }
}

static void test_map(void **state)
{
    struct fixture *f = *state;
    char *path = path_in(f, "map", AUDIO_OPUS);
    struct diags d;
    diag_init(&d);
    /* Opus cannot take 44100: rounded up to 48000. */
    struct audio_writer *w = audio_writer_open(path, AUDIO_OPUS, RATE, 44100, 1, NULL, &d);
    assert_non_null(w);
    assert_int_equal(audio_writer_rate(w), 48000);
    assert_int_equal(audio_writer_map(w, 0), 0);
    assert_int_equal(audio_writer_map(w, RATE), 48000);
    assert_int_equal(audio_writer_map(w, 1), 2);         /* 2.18 */
    assert_int_equal(audio_writer_map(w, 12345), 26873); /* 26873.47 */
    uint64_t hour = (uint64_t)RATE * 3600 * 1000;        /* a thousand hours */
    assert_int_equal(audio_writer_map(w, hour), (uint64_t)48000 * 3600 * 1000);
    audio_writer_abort(w);

    /* Opus decodes at 48 kHz whatever was asked: a lower rate only narrows the band. */
    w = audio_writer_open(path, AUDIO_OPUS, RATE, 13000, 1, NULL, &d);
    assert_non_null(w);
    assert_int_equal(audio_writer_rate(w), 48000);
    assert_int_equal(audio_writer_map(w, RATE), 48000);
    audio_writer_abort(w);

    w = audio_writer_open(path, AUDIO_WAV, RATE, 0, 1, NULL, &d);
    assert_non_null(w);
    assert_int_equal(audio_writer_rate(w), RATE);
    assert_int_equal(audio_writer_map(w, 12345), 12345);
    assert_int_equal(audio_writer_silence(w, 777, &d), 0);
    assert_int_equal(audio_writer_position(w), 777);
    audio_writer_abort(w);

    assert_int_equal(d.n, 0);
    assert_int_equal(tmpdir_count(f->dir), 0);
    diag_release(&d);
    free(path);
}

/* Same samples, same bytes, in every format, however the samples were chunked. */
static void test_deterministic(void **state)
{
    struct fixture *f = *state;
    int16_t *sine = make_sine(RATE, 523.25);
    for (size_t i = 0; i < NFORMATS; i++) {
        enum audio_format fmt = all_formats[i];
        char *a = path_in(f, "first", fmt);
        char *b = path_in(f, "second", fmt);
        write_file(a, fmt, 0, sine, RATE, 0);
        /* libsndfile's serial numbers come from the clock; make sure it moved. */
        nanosleep(&(struct timespec){0, 2000000}, NULL);
        write_file(b, fmt, 0, sine, RATE, 777);
        size_t la = 0, lb = 0;
        char *da = slurp(a, &la), *db = slurp(b, &lb);
        assert_non_null(da);
        assert_non_null(db);
        assert_int_equal(la, lb);
        assert_memory_equal(da, db, la);
        free(da);
        free(db);
        free(a);
        free(b);
    }
    /* Different audio gets a different Ogg serial number. */
    int16_t *other = make_sine(RATE, 200.0);
    char *a = path_in(f, "first", AUDIO_OGG);
    char *b = path_in(f, "other", AUDIO_OGG);
    write_file(b, AUDIO_OGG, 0, other, RATE, 0);
    size_t la = 0, lb = 0;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    assert_true(la > 18 && lb > 18);
    assert_memory_not_equal(da + 14, db + 14, 4);
    free(da);
    free(db);
    free(a);
    free(b);
    free(other);
    free(sine);
}

static void test_abort_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    int16_t *sine = make_sine(RATE, 440.0);
    for (size_t i = 0; i < NFORMATS; i++) {
        char *path = path_in(f, "aborted", all_formats[i]);
        struct diags d;
        diag_init(&d);
        struct audio_writer *w = audio_writer_open(path, all_formats[i], RATE, 0, 1, NULL, &d);
        assert_non_null(w);
        assert_int_equal(audio_writer_write(w, sine, RATE, &d), 0);
        audio_writer_abort(w);
        assert_int_equal(tmpdir_count(f->dir), 0);
        diag_release(&d);
        free(path);
    }
    audio_writer_abort(NULL);
    free(sine);
}

static void test_open_failures(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s/missing/out.wav", f->dir);
    assert_null(audio_writer_open(sb.buf, AUDIO_WAV, RATE, 0, 1, NULL, &d));
    assert_int_equal(d.system, 1);
    assert_string_equal(d.v[0].file, sb.buf);

    /* MP3 has no 7 kHz. */
    strbuf_reset(&sb);
    strbuf_addf(&sb, "%s/odd.mp3", f->dir);
    assert_null(audio_writer_open(sb.buf, AUDIO_MP3, RATE, 7000, 1, NULL, &d));
    assert_int_equal(d.system, 2);

    /* FLAC stops at 8 channels: libsndfile refuses, and its temporary goes away. */
    strbuf_reset(&sb);
    strbuf_addf(&sb, "%s/wide.flac", f->dir);
    assert_null(audio_writer_open(sb.buf, AUDIO_FLAC, RATE, 0, 9, NULL, &d));
    assert_int_equal(d.system, 3);
    print_message("%s\n", d.v[2].msg);
    assert_int_equal(tmpdir_count(f->dir), 0);
    strbuf_release(&sb);
    diag_release(&d);
}

/*
 * A full disk, simulated with a file size limit in a child process: somewhere
 * between open and commit the writer must fail with a diagnostic, and leave
 * no file. MP3 matters most here, since libsndfile ignores its short writes.
 */
static void test_disk_full(void **state)
{
    struct fixture *f = *state;
    int16_t *sine = make_sine(RATE * 2, 440.0);
    for (size_t i = 0; i < NFORMATS; i++) {
        char *path = path_in(f, "full", all_formats[i]);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {1500, 1500};
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
                _exit(10);
            struct diags d;
            diag_init(&d);
            struct audio_writer *w = audio_writer_open(path, all_formats[i], RATE, 0, 1, NULL, &d);
            int failed = !w;
            if (w && audio_writer_write(w, sine, RATE * 2, &d) != 0) {
                failed = 1;
                audio_writer_abort(w);
            } else if (w && audio_writer_commit(w, NULL, &d) != 0) {
                failed = 1;
            }
            if (!failed)
                _exit(11);
            if (d.system < 1)
                _exit(12);
            diag_print(&d, stderr);
            _exit(0);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_int_equal(tmpdir_count(f->dir), 0);
        free(path);
    }
    free(sine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_from_path),
        cmocka_unit_test_setup_teardown(test_formats_read_back, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_resampled_length, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_resampler_delay, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_map, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_open_failures, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
