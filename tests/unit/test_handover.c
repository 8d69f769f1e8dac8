/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of how clips reach the synth: runs that finish before the
 * caller wants them wait in their clip files (engine_wait()) until taken
 * (engine_take()) into a reused struct clip_buf, and cache hits are read
 * into the same kind of buffer (cache_load()). Pins the room rules (runs at
 * once and files in all), that a clip taken in any order is the clip a run
 * alone makes, that the spare files give their memory back, that one
 * buffer serves clips of any size in turn (a corrupt entry leaves it empty
 * and is removed), and the sizes of the synth's engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "synth/cache.h"
#include "synth/engine.h"
#include "synth/synth.h"
#include "tmpdir.h"
#include "util/diag.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { DEPTH = 2, HOLD = 3, NRUNS = DEPTH + HOLD };

static const char *const texts[NRUNS] = {
    "你好，世界。今天天气很好。",
    "Hello world. This is a test.",
    "我们第三个版本上线以后，日活涨到了两千左右。",
    "Latency above five hundred milliseconds feels slow.",
    "做产品的人要学会跟模型的不确定性相处。",
};

static const struct engine_voice zh = {"cmn-latn-pinyin", NULL, 175, 50, 50, 100};
static const struct engine_voice en = {"en-us", NULL, 175, 50, 50, 100};

static const struct engine_voice *test_voice(int i)
{
    return i % 2 ? &en : &zh;
}

static void test_fail_with(int rc, struct diags *d)
{
    if (rc != 0)
        diag_print(d, stderr);
    assert_int_equal(rc, 0);
}

/* Clip files of this process that hold pages (size > 0). */
static int test_full_clip_files(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        char link[300], target[256];
        snprintf(link, sizeof(link), "/proc/self/fd/%s", de->d_name);
        ssize_t len = readlink(link, target, sizeof(target) - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        struct stat st;
        if (strstr(target, "scriptcast-clip") && stat(link, &st) == 0 && st.st_size > 0)
            n++;
    }
    closedir(dir);
    return n;
}

static void test_same(const struct clip *got, const struct clip *want)
{
    assert_int_equal(got->n, want->n);
    assert_int_equal(got->nmarks, want->nmarks);
    assert_int_equal(got->rate, want->rate);
    assert_memory_equal(got->samples, want->samples, want->n * sizeof(*want->samples));
    for (size_t m = 0; m < want->nmarks; m++) {
        assert_int_equal(got->marks[m].sample, want->marks[m].sample);
        assert_int_equal(got->marks[m].text_offset, want->marks[m].text_offset);
    }
}

/* Runs finish in any order and wait in the engine; room is counted in
 * runs at once and in files; clips taken backwards into one buffer are
 * each the clip of the run made alone; the spare files end up empty. */
static void test_engine_keep_and_take(void **state)
{
    (void)state;
    struct diags d;
    diag_init(&d);
    struct engine *alone = engine_open(1, 0, 0, &d);
    test_fail_with(alone ? 0 : -1, &d);
    struct clip ref[NRUNS];
    for (int i = 0; i < NRUNS; i++)
        test_fail_with(engine_synth(alone, test_voice(i), texts[i], &ref[i], &d), &d);
    engine_close(alone);

    struct engine *e = engine_open(DEPTH, 0, HOLD, &d);
    test_fail_with(e ? 0 : -1, &d);
    size_t bytes[NRUNS] = {0};
    bool kept[NRUNS] = {false};
    size_t next = 0, nkept = 0;
    while (nkept < NRUNS) {
        /* As many as there is room for; never more than DEPTH at once. */
        while (next < NRUNS) {
            int rc = engine_submit(e, next, test_voice((int)next), texts[next], &d);
            assert_int_not_equal(rc, -1);
            if (rc == 1)
                break;
            next++;
            assert_true(engine_pending(e) <= DEPTH);
        }
        assert_int_equal(engine_pending(e), DEPTH < NRUNS - nkept ? DEPTH : NRUNS - nkept);
        size_t tag, b;
        test_fail_with(engine_wait(e, &tag, &b, &d), &d);
        assert_true(tag < NRUNS && !kept[tag]);
        kept[tag] = true;
        bytes[tag] = b;
        nkept++;
    }
    assert_int_equal(engine_pending(e), 0);

    /* Every file holds a clip: no room, and nothing to wait for. */
    assert_int_equal(engine_submit(e, 99, &zh, texts[0], &d), -1);
    assert_int_equal(d.system, 1);
    assert_non_null(strstr(d.v[0].msg, "every clip file holds a clip"));
    diag_release(&d);
    diag_init(&d);

    struct clip_buf b = {0};
    assert_int_equal(engine_take(e, 42, &b, &d), -1);
    assert_int_equal(d.system, 1);
    diag_release(&d);
    diag_init(&d);
    for (int i = NRUNS - 1; i >= 0; i--) {
        test_fail_with(engine_take(e, (size_t)i, &b, &d), &d);
        test_same(&b.clip, &ref[i]);
        assert_int_equal(bytes[i],
                         ref[i].n * sizeof(int16_t) + ref[i].nmarks * sizeof(struct clip_mark));
        assert_true(b.cap >= ref[i].n * sizeof(int16_t));
    }
    /* Taken once: gone. */
    assert_int_equal(engine_take(e, 0, &b, &d), -1);
    diag_release(&d);
    diag_init(&d);

    int full = test_full_clip_files();
    if (full >= 0)
        assert_true(full <= DEPTH);

    /* Room again. */
    struct clip c;
    test_fail_with(engine_synth(e, &en, texts[1], &c, &d), &d);
    test_same(&c, &ref[1]);
    clip_release(&c);
    clip_buf_release(&b);
    engine_close(e);
    for (int i = 0; i < NRUNS; i++)
        clip_release(&ref[i]);
    diag_release(&d);
}

/* A clip_buf grows to the largest request and keeps what it holds while
 * it has room. */
static void test_clip_buf_reserve(void **state)
{
    (void)state;
    struct clip_buf b = {0};
    assert_int_equal(clip_buf_reserve(&b, 8, 2), 0);
    assert_true(b.cap >= 8 && b.mcap >= 2);
    memcpy(b.clip.samples, "abcdefgh", 8);
    b.clip.n = 4;
    assert_int_equal(clip_buf_reserve(&b, 4, 1), 0);
    assert_int_equal(b.clip.n, 0);
    assert_memory_equal(b.clip.samples, "abcdefgh", 8);
    assert_int_equal(clip_buf_reserve(&b, 1 << 20, 1000), 0);
    assert_true(b.cap >= 1 << 20 && b.mcap >= 1000);
    clip_buf_release(&b);
    assert_null(b.clip.samples);
    assert_null(b.clip.marks);
    assert_int_equal(b.cap, 0);
}

static void test_fill(struct clip *c, size_t n, unsigned seed)
{
    memset(c, 0, sizeof(*c));
    c->rate = 22050;
    c->n = n;
    c->samples = malloc((n ? n : 1) * sizeof(int16_t));
    for (size_t i = 0; i < n; i++)
        c->samples[i] = (int16_t)((i * 2654435761u + seed) >> 13);
    c->nmarks = 2;
    c->marks = calloc(2, sizeof(*c->marks));
    c->marks[1] = (struct clip_mark){n / 2, 5};
}

/* One clip_buf reads entries large, small, empty and large again, each
 * exactly; a corrupt entry is a miss that leaves the buffer empty and is
 * removed. */
static void test_cache_load_reuses(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    assert_non_null(c);
    static const size_t sizes[] = {30000, 7, 0, 20000};
    enum { N = sizeof(sizes) / sizeof(sizes[0]) };
    struct clip in[N];
    struct cache_key k[N];
    for (size_t i = 0; i < N; i++) {
        char text[32];
        snprintf(text, sizeof(text), "run %zu", i);
        cache_key(&k[i], "espeak-ng", "1.51", &zh, text);
        test_fill(&in[i], sizes[i], (unsigned)i);
        assert_int_equal(cache_put(c, &k[i], &in[i], &d), 0);
    }
    struct clip_buf b = {0};
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(cache_load(c, &k[i], &b), 1);
        test_same(&b.clip, &in[i]);
    }
    size_t cap = b.cap;
    assert_true(cap >= sizes[0] * sizeof(int16_t));

    char hex[33];
    cache_key_hex(&k[1], hex);
    char *path = malloc(strlen(f->dir) + 64);
    sprintf(path, "%s/%.2s/%s.clip", f->dir, hex, hex);
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, -1, SEEK_END), 0);
    int last = fgetc(fp);
    assert_int_equal(fseek(fp, -1, SEEK_END), 0);
    fputc(last ^ 0x5a, fp);
    fclose(fp);
    assert_int_equal(cache_load(c, &k[1], &b), 0);
    assert_int_equal(b.clip.n, 0);
    assert_int_equal(b.clip.nmarks, 0);
    assert_int_equal(b.cap, cap);
    assert_int_not_equal(access(path, F_OK), 0);

    assert_int_equal(d.n, 0);
    free(path);
    clip_buf_release(&b);
    for (size_t i = 0; i < N; i++)
        clip_release(&in[i]);
    cache_close(c);
    diag_release(&d);
}

/* The synth's engine has a file for every run of its window besides the
 * ones synthesizing, within the engine's limit, for any --jobs; exactly
 * `jobs` runs synthesize at once, and with more than one job some more are
 * taken, waiting for their turn. */
static void test_synth_engine_size(void **state)
{
    (void)state;
    for (int jobs = 1; jobs <= 256; jobs++) {
        int depth = synth_engine_depth(jobs), hold = synth_engine_hold(jobs);
        int turns = synth_engine_turns(jobs);
        assert_int_equal(turns == 0 ? depth : turns, jobs);
        if (jobs > 1)
            assert_true(depth > turns);
        assert_true(depth >= jobs);
        assert_true(hold >= jobs);
        assert_true(depth + hold <= ENGINE_MAX_CLIPS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_keep_and_take),
        cmocka_unit_test(test_clip_buf_reserve),
        cmocka_unit_test_setup_teardown(test_cache_load_reuses, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_synth_engine_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
