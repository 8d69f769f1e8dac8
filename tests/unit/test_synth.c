/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of the synth stage: clip trimming on made-up clips, and the
 * espeak-ng engine on real Chinese (cmn-latn-pinyin) and English runs —
 * sentence marks, trimmed silence, determinism across voice switches,
 * voice lookup, and the effect of rate and volume.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "synth/engine.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

static const char zh_text[] = "你好，世界。今天天气很好。";
static const char en_text[] = "Hello world. This is a test.";

static const struct engine_voice zh_voice = {"cmn-latn-pinyin", NULL, 175, 50, 50, 100};
static const struct engine_voice en_voice = {"en-us", NULL, 175, 50, 50, 100};

static size_t test_keep(int rate)
{
    return (size_t)rate * CLIP_TRIM_KEEP_MS / 1000;
}

static bool test_loud(int16_t s)
{
    return s >= CLIP_TRIM_THRESHOLD || s <= -CLIP_TRIM_THRESHOLD;
}

static int test_peak(const struct clip *c)
{
    int peak = 0;
    for (size_t i = 0; i < c->n; i++) {
        int v = abs((int)c->samples[i]);
        if (v > peak)
            peak = v;
    }
    return peak;
}

/* Synthesizes or fails the test, with the diagnostics in the failure. */
static void test_synth(struct engine *e, const struct engine_voice *v, const char *text,
                       struct clip *out)
{
    struct diags d;
    diag_init(&d);
    int rc = engine_synth(e, v, text, out, &d);
    if (rc != 0)
        diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    diag_release(&d);
}

/* The properties every synthesized clip of a two-sentence text must have;
 * second is the text of the second sentence's start. */
static void test_check_clip(const struct clip *c, const char *text, const char *second)
{
    assert_int_equal(c->rate, 22050);
    assert_true(c->n > (size_t)c->rate / 2); /* both texts take well over half a second */
    assert_non_null(c->samples);

    assert_true(c->nmarks >= 2);
    assert_int_equal(c->marks[0].sample, 0);
    assert_int_equal(c->marks[0].text_offset, 0);
    for (size_t i = 1; i < c->nmarks; i++) {
        assert_true(c->marks[i].sample > c->marks[i - 1].sample);
        assert_true(c->marks[i].text_offset > c->marks[i - 1].text_offset);
        assert_true(c->marks[i].sample <= c->n);
        assert_true(c->marks[i].text_offset < strlen(text));
    }
    assert_int_equal(c->marks[1].text_offset, (size_t)(strstr(text, second) - text));
    /* The second sentence starts well into the audio, not at an end. */
    assert_true(c->marks[1].sample > c->n / 5);
    assert_true(c->marks[1].sample < c->n * 4 / 5);

    size_t lead = 0, trail = 0;
    while (lead < c->n && !test_loud(c->samples[lead]))
        lead++;
    while (trail < c->n && !test_loud(c->samples[c->n - 1 - trail]))
        trail++;
    assert_true(lead <= test_keep(c->rate));
    assert_true(trail <= test_keep(c->rate));
}

static int test_engine_setup(void **state);

static void test_trim_shifts_marks(void **state)
{
    (void)state;
    struct clip c = {0};
    c.rate = 22050;
    c.n = 2100;
    c.samples = calloc(c.n, sizeof(*c.samples));
    for (size_t i = 1000; i < 1100; i++)
        c.samples[i] = (i % 2) ? 5000 : -32768;
    c.nmarks = 4;
    c.marks = calloc(c.nmarks, sizeof(*c.marks));
    c.marks[0] = (struct clip_mark){0, 0};
    c.marks[1] = (struct clip_mark){500, 3};   /* in the cut lead-in: merges into mark 0 */
    c.marks[2] = (struct clip_mark){1050, 7};  /* inside the sound */
    c.marks[3] = (struct clip_mark){2000, 12}; /* in the cut tail: clamps to n */

    clip_trim(&c, CLIP_TRIM_THRESHOLD, 220);
    assert_int_equal(c.n, 220 + 100 + 220);
    assert_int_equal(c.samples[220], -32768);
    assert_int_equal(c.samples[221], 5000);
    assert_int_equal(c.nmarks, 3);
    assert_int_equal(c.marks[0].sample, 0);
    assert_int_equal(c.marks[0].text_offset, 0);
    assert_int_equal(c.marks[1].sample, 1050 - 780);
    assert_int_equal(c.marks[1].text_offset, 7);
    assert_int_equal(c.marks[2].sample, c.n);
    assert_int_equal(c.marks[2].text_offset, 12);
    clip_release(&c);
    assert_null(c.samples);
    assert_int_equal(c.n, 0);
}

static void test_trim_short_silence_kept(void **state)
{
    (void)state;
    struct clip c = {0};
    c.n = 300;
    c.samples = calloc(c.n, sizeof(*c.samples));
    for (size_t i = 50; i < 250; i++)
        c.samples[i] = 1000;
    clip_trim(&c, CLIP_TRIM_THRESHOLD, 220);
    /* Less silence than the floor at either end: nothing to cut. */
    assert_int_equal(c.n, 300);
    assert_int_equal(c.samples[50], 1000);
    clip_release(&c);
}

static void test_trim_all_silent(void **state)
{
    (void)state;
    struct clip c = {0};
    c.n = 1000;
    c.samples = calloc(c.n, sizeof(*c.samples));
    c.samples[10] = CLIP_TRIM_THRESHOLD - 1;
    c.nmarks = 2;
    c.marks = calloc(c.nmarks, sizeof(*c.marks));
    c.marks[1] = (struct clip_mark){600, 4};
    clip_trim(&c, CLIP_TRIM_THRESHOLD, 220);
    assert_int_equal(c.n, 0);
    assert_null(c.samples);
    assert_int_equal(c.nmarks, 1);
    assert_int_equal(c.marks[0].sample, 0);
    clip_release(&c);
}

static int test_engine_setup(void **state)
{
    struct diags d;
    diag_init(&d);
    struct engine *e = engine_open(1, 0, 0, &d);
    if (!e)
        diag_print(&d, stderr);
    diag_release(&d);
    *state = e;
    return e ? 0 : -1;
}

static int test_engine_teardown(void **state)
{
    engine_close(*state);
    return 0;
}

static void test_engine_info(void **state)
{
    struct engine *e = *state;
    assert_string_equal(engine_name(e), "espeak-ng");
    assert_non_null(engine_version(e));
    assert_true(strncmp(engine_version(e), "1.", 2) == 0);
    assert_int_equal(engine_rate(e), 22050);
}

static void test_voice_exists(void **state)
{
    struct engine *e = *state;
    assert_true(engine_voice_exists(e, "cmn-latn-pinyin", NULL));
    assert_true(engine_voice_exists(e, "en-us", NULL));
    assert_true(engine_voice_exists(e, "en-us", "m3"));
    assert_true(engine_voice_exists(e, "cmn-latn-pinyin", "f2"));
    assert_false(engine_voice_exists(e, "xx-nonexistent", NULL));
    assert_false(engine_voice_exists(e, "xx-nonexistent", "m3"));
    assert_false(engine_voice_exists(e, "en-us", "nope"));
    assert_false(engine_voice_exists(e, "en-us", "3"));
    assert_false(engine_voice_exists(e, "en-us+m3", NULL));
    assert_false(engine_voice_exists(e, "", NULL));
}

static void test_synth_chinese(void **state)
{
    struct clip c = {0};
    test_synth(*state, &zh_voice, zh_text, &c);
    test_check_clip(&c, zh_text, "今天");
    clip_release(&c);
}

static void test_synth_english(void **state)
{
    struct clip c = {0};
    test_synth(*state, &en_voice, en_text, &c);
    test_check_clip(&c, en_text, "This");
    clip_release(&c);
}

static void test_synth_variant(void **state)
{
    struct engine_voice v = zh_voice;
    v.variant = "f2";
    struct clip plain = {0}, f2 = {0};
    test_synth(*state, &zh_voice, zh_text, &plain);
    test_synth(*state, &v, zh_text, &f2);
    test_check_clip(&f2, zh_text, "今天");
    assert_false(plain.n == f2.n && memcmp(plain.samples, f2.samples, plain.n * 2) == 0);
    clip_release(&plain);
    clip_release(&f2);
}

/* espeak-ng on its own carries state from one synthesis into the next; the
 * engine must not. Voice, variant and parameter changes in between. */
static void test_synth_deterministic(void **state)
{
    struct engine *e = *state;
    struct engine_voice fast_m3 = en_voice;
    fast_m3.variant = "m3";
    fast_m3.rate = 260;
    fast_m3.pitch = 70;
    struct clip a = {0}, other = {0}, b = {0}, again = {0};

    test_synth(e, &en_voice, en_text, &a);
    test_synth(e, &zh_voice, zh_text, &other);
    clip_release(&other);
    test_synth(e, &fast_m3, en_text, &other);
    clip_release(&other);
    test_synth(e, &en_voice, en_text, &b);
    test_synth(e, &en_voice, en_text, &again);

    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.samples, b.samples, a.n * sizeof(*a.samples));
    assert_int_equal(a.nmarks, b.nmarks);
    assert_memory_equal(a.marks, b.marks, a.nmarks * sizeof(*a.marks));
    assert_int_equal(b.n, again.n);
    assert_memory_equal(b.samples, again.samples, b.n * sizeof(*b.samples));

    /* And a second engine that has said nothing else agrees. */
    struct engine *fresh = NULL;
    assert_int_equal(test_engine_setup((void **)&fresh), 0);
    struct clip first = {0};
    test_synth(fresh, &en_voice, en_text, &first);
    engine_close(fresh);
    assert_int_equal(first.n, a.n);
    assert_memory_equal(first.samples, a.samples, a.n * sizeof(*a.samples));
    clip_release(&first);
    clip_release(&a);
    clip_release(&b);
    clip_release(&again);
}

static void test_synth_rate(void **state)
{
    struct engine_voice fast = en_voice;
    fast.rate = 320;
    struct clip normal = {0}, quick = {0};
    test_synth(*state, &en_voice, en_text, &normal);
    test_synth(*state, &fast, en_text, &quick);
    assert_true(quick.n < normal.n * 3 / 4);
    assert_true(quick.nmarks >= 2);
    clip_release(&normal);
    clip_release(&quick);
}

static void test_synth_volume(void **state)
{
    struct engine_voice soft = en_voice;
    soft.volume = 40;
    struct clip normal = {0}, quiet = {0};
    test_synth(*state, &en_voice, en_text, &normal);
    test_synth(*state, &soft, en_text, &quiet);
    int p1 = test_peak(&normal), p2 = test_peak(&quiet);
    assert_true(p1 > 3000);
    assert_true(p2 < p1 * 2 / 3);
    assert_true(p2 > p1 / 5);
    clip_release(&normal);
    clip_release(&quiet);
}

static void test_synth_empty(void **state)
{
    const char *texts[] = {"", "   ", "。"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct clip c = {0};
        test_synth(*state, &zh_voice, texts[i], &c);
        assert_int_equal(c.n, 0);
        assert_null(c.samples);
        assert_int_equal(c.rate, 22050);
        assert_int_equal(c.nmarks, 1);
        assert_int_equal(c.marks[0].sample, 0);
        assert_int_equal(c.marks[0].text_offset, 0);
        clip_release(&c);
    }
}

/* Offsets count bytes even where espeak-ng counts characters, and skip
 * nothing the text has before the first sentence. */
static void test_synth_offsets_multibyte(void **state)
{
    static const char text[] = "  “你好！”  他说。Ça va? Très bien.";
    struct clip c = {0};
    test_synth(*state, &zh_voice, text, &c);
    assert_true(c.nmarks >= 2);
    for (size_t i = 1; i < c.nmarks; i++) {
        unsigned char b = (unsigned char)text[c.marks[i].text_offset];
        assert_true((b & 0xC0) != 0x80); /* on a character boundary */
        assert_true(b != ' ');
    }
    assert_int_equal(c.marks[1].text_offset, (size_t)(strstr(text, "他说") - text));
    clip_release(&c);
}

static void test_synth_bad_voice(void **state)
{
    struct engine *e = *state;
    struct engine_voice nope = en_voice;
    nope.voice = "xx-nonexistent";
    struct engine_voice bad_variant = en_voice;
    bad_variant.variant = "nope";
    const struct engine_voice *cases[] = {&nope, &bad_variant};

    for (size_t i = 0; i < 2; i++) {
        struct diags d;
        diag_init(&d);
        struct clip c = {0};
        assert_int_equal(engine_synth(e, cases[i], en_text, &c, &d), -1);
        assert_int_equal(c.n, 0);
        assert_null(c.samples);
        assert_int_equal(d.n, 1);
        assert_int_equal(d.v[0].level, DIAG_SYSTEM);
        assert_non_null(strstr(d.v[0].msg, cases[i]->voice));
        assert_non_null(strstr(d.v[0].msg, "Hello world"));
        diag_release(&d);
    }
    /* The engine keeps working after a failure. */
    struct clip c = {0};
    test_synth(e, &en_voice, en_text, &c);
    assert_true(c.n > 0);
    clip_release(&c);
}

int main(void)
{
    const struct CMUnitTest trim_tests[] = {
        cmocka_unit_test(test_trim_shifts_marks),
        cmocka_unit_test(test_trim_short_silence_kept),
        cmocka_unit_test(test_trim_all_silent),
    };
    const struct CMUnitTest engine_tests[] = {
        cmocka_unit_test(test_engine_info),     cmocka_unit_test(test_voice_exists),
        cmocka_unit_test(test_synth_chinese),   cmocka_unit_test(test_synth_english),
        cmocka_unit_test(test_synth_variant),   cmocka_unit_test(test_synth_deterministic),
        cmocka_unit_test(test_synth_rate),      cmocka_unit_test(test_synth_volume),
        cmocka_unit_test(test_synth_empty),     cmocka_unit_test(test_synth_offsets_multibyte),
        cmocka_unit_test(test_synth_bad_voice),
    };
    int failed = cmocka_run_group_tests_name("clip", trim_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("engine", engine_tests, test_engine_setup,
                                          test_engine_teardown);
    return failed ? 1 : 0;
}
