/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for synth/cache's entries: a stored clip of any size comes
 * back identical, even after its folder was removed; every input of the key
 * changes it; a damaged or misplaced entry is a miss and is removed, and the
 * key can be stored again; concurrent writers of one key never show a
 * reader a wrong clip; a cache that cannot be written warns once per
 * handle. Stats, prune and the default folder are test_cache_admin.c's; the
 * helpers both use are cache_fixture.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cache_fixture.h"
#include "tmpdir.h"

#include "synth/cache.h"
#include "synth/engine.h"
#include "util/diag.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void test_roundtrip(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    assert_non_null(c);

    struct cache_key k;
    key_for(&k, "Hello there.");
    struct clip in, out = {0};
    make_clip(&in, 4410, 1);
    assert_int_equal(cache_get(c, &k, &out), 0);
    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    assert_int_equal(cache_get(c, &k, &out), 1);
    assert_true(clip_equal(&in, &out));
    clip_release(&out);

    char path[8192];
    entry_path(path, sizeof(path), f->dir, &k);
    assert_true(exists(path));
    assert_int_equal(file_size(path), 56 + 3 * 16 + 4410 * 2);

    /* Only the entry is left in its folder: the temporary was renamed. */
    char *slash = strrchr(path, '/');
    *slash = '\0';
    DIR *dp = opendir(path);
    assert_non_null(dp);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        files += e->d_name[0] != '.';
    closedir(dp);
    assert_int_equal(files, 1);

    /* An empty clip (text that makes no sound) is an entry too. */
    struct clip empty, got = {0};
    make_clip(&empty, 0, 0);
    key_for(&k, "...");
    assert_int_equal(cache_put(c, &k, &empty, &d), 0);
    assert_int_equal(cache_get(c, &k, &got), 1);
    assert_true(clip_equal(&empty, &got));
    assert_null(got.samples);
    clip_release(&got);

    assert_int_equal(d.n, 0);
    clip_release(&in);
    clip_release(&empty);
    cache_close(c);
    diag_release(&d);
}

/* The writer checksums the marks and the samples in two streamed parts, the
 * reader in one pass: payload sizes on both sides of XXH3's size classes
 * (16, 128, 240 bytes, its 256-byte stream buffer, 1 KiB blocks) must agree. */
static void test_roundtrip_sizes(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    assert_non_null(c);
    /* A clip of n > 0 samples has 3 marks: a payload of 48 + 2n bytes. */
    static const size_t sizes[] = {1, 40, 41, 96, 97, 104, 105, 488, 489, 500, 40000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char text[32];
        snprintf(text, sizeof(text), "size %zu", sizes[i]);
        struct cache_key k;
        key_for(&k, text);
        struct clip in, out = {0};
        make_clip(&in, sizes[i], (unsigned)i);
        assert_int_equal(cache_put(c, &k, &in, &d), 0);
        assert_int_equal(cache_get(c, &k, &out), 1);
        assert_true(clip_equal(&in, &out));
        clip_release(&out);
        clip_release(&in);
    }
    assert_int_equal(d.n, 0);
    cache_close(c);
    diag_release(&d);
}

/* A cache folder removed while a handle is open (by hand, or a prune of
 * another process) is made again by the next store. */
static void test_put_recreates_folders(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    char dir[8192];
    snprintf(dir, sizeof(dir), "%s/root", f->dir);
    struct clip_cache *c = cache_open(dir, &d);
    assert_non_null(c);
    struct cache_key k;
    struct clip in, out = {0};
    make_clip(&in, 64, 3);
    key_for(&k, "Before.");
    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    tmpdir_remove_tree(dir);
    key_for(&k, "After.");
    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    assert_int_equal(cache_get(c, &k, &out), 1);
    assert_true(clip_equal(&in, &out));
    assert_int_equal(d.n, 0);
    clip_release(&out);
    clip_release(&in);
    cache_close(c);
    diag_release(&d);
}

static void test_key_inputs(void **state)
{
    (void)state;
    struct cache_key a, b;
    key_for(&a, "Hello.");
    key_for(&b, "Hello.");
    assert_memory_equal(a.bytes, b.bytes, 16);

    key_for(&b, "Hello!");
    assert_memory_not_equal(a.bytes, b.bytes, 16);

    cache_key(&b, "espeak", "1.51", &base_voice, "Hello.");
    assert_memory_not_equal(a.bytes, b.bytes, 16);
    cache_key(&b, "espeak-ng", "1.52", &base_voice, "Hello.");
    assert_memory_not_equal(a.bytes, b.bytes, 16);

    struct engine_voice v[] = {
        {"en-gb", "m3", 170, 50, 50, 100}, {"en-us", "m4", 170, 50, 50, 100},
        {"en-us", NULL, 170, 50, 50, 100}, {"en-us", "m3", 171, 50, 50, 100},
        {"en-us", "m3", 170, 51, 50, 100}, {"en-us", "m3", 170, 50, 51, 100},
        {"en-us", "m3", 170, 50, 50, 99},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        cache_key(&b, "espeak-ng", "1.51", &v[i], "Hello.");
        assert_memory_not_equal(a.bytes, b.bytes, 16);
    }

    /* No variant and an empty variant mean the same to espeak-ng. */
    struct engine_voice none = base_voice, empty = base_voice;
    none.variant = NULL;
    empty.variant = "";
    cache_key(&a, "espeak-ng", "1.51", &none, "x");
    cache_key(&b, "espeak-ng", "1.51", &empty, "x");
    assert_memory_equal(a.bytes, b.bytes, 16);

    /* Fields are framed: moving bytes from one field to the next changes
     * the key. */
    cache_key(&a, "ab", "c", &base_voice, "x");
    cache_key(&b, "a", "bc", &base_voice, "x");
    assert_memory_not_equal(a.bytes, b.bytes, 16);
    struct engine_voice v1 = base_voice, v2 = base_voice;
    v1.voice = "en-usm";
    v1.variant = "3";
    cache_key(&a, "espeak-ng", "1.51", &v1, "x");
    cache_key(&b, "espeak-ng", "1.51", &v2, "x");
    assert_memory_not_equal(a.bytes, b.bytes, 16);
}

static void test_key_hex(void **state)
{
    (void)state;
    struct cache_key k;
    for (int i = 0; i < 16; i++)
        k.bytes[i] = (uint8_t)(i * 0x11);
    k.bytes[1] = 0xab;
    char hex[33];
    memset(hex, 'x', sizeof(hex));
    cache_key_hex(&k, hex);
    assert_int_equal(strlen(hex), 32);
    assert_string_equal(hex, "00ab2233445566778899aabbccddeeff");

    /* A real key is 32 lowercase hex digits. */
    key_for(&k, "Hello.");
    cache_key_hex(&k, hex);
    assert_int_equal(strspn(hex, "0123456789abcdef"), 32);
}

/* Damages the stored entry of k with mutate(), then expects a miss, the file
 * gone, and a working put/get afterwards. */
static void expect_corrupt_is_miss(struct fixture *f, void (*mutate)(const char *path, long arg),
                                   long arg)
{
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    struct cache_key k;
    key_for(&k, "Damaged.");
    struct clip in, out = {0};
    make_clip(&in, 3000, 7);
    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    char path[8192];
    entry_path(path, sizeof(path), f->dir, &k);

    mutate(path, arg);
    assert_int_equal(cache_get(c, &k, &out), 0);
    assert_null(out.samples);
    assert_false(exists(path));

    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    assert_int_equal(cache_get(c, &k, &out), 1);
    assert_true(clip_equal(&in, &out));
    clip_release(&out);
    clip_release(&in);
    assert_int_equal(d.n, 0);
    cache_close(c);
    diag_release(&d);
}

static void mutate_truncate(const char *path, long by)
{
    off_t size = file_size(path);
    assert_int_equal(truncate(path, by < 0 ? size + by : by), 0);
}

static void mutate_flip(const char *path, long at)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    off_t off = at < 0 ? file_size(path) + at : at;
    unsigned char b;
    assert_int_equal(pread(fd, &b, 1, off), 1);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, off), 1);
    close(fd);
}

static void mutate_append(const char *path, long unused)
{
    (void)unused;
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "\0\0", 2), 2);
    close(fd);
}

static void test_corrupt_truncated(void **state)
{
    expect_corrupt_is_miss(*state, mutate_truncate, -1);  /* half a sample short */
    expect_corrupt_is_miss(*state, mutate_truncate, -2);  /* one sample short */
    expect_corrupt_is_miss(*state, mutate_truncate, 100); /* inside the marks */
    expect_corrupt_is_miss(*state, mutate_truncate, 30);  /* inside the header */
    expect_corrupt_is_miss(*state, mutate_truncate, 0);   /* empty file */
    expect_corrupt_is_miss(*state, mutate_append, 0);     /* one sample too many */
}

static void test_corrupt_payload(void **state)
{
    expect_corrupt_is_miss(*state, mutate_flip, -1);          /* last sample */
    expect_corrupt_is_miss(*state, mutate_flip, 200);         /* a sample in the middle */
    expect_corrupt_is_miss(*state, mutate_flip, 56);          /* first mark */
    expect_corrupt_is_miss(*state, mutate_flip, 56 + 16 + 8); /* a text offset */
}

static void test_corrupt_header(void **state)
{
    /* magic, version, rate, sample count, mark count, reserved, checksum, key */
    static const long offsets[] = {0, 7, 8, 12, 13, 16, 23, 24, 28, 31, 32, 39, 40, 55};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++)
        expect_corrupt_is_miss(*state, mutate_flip, offsets[i]);
}

static void test_misplaced_entry(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    struct cache_key ka, kb;
    key_for(&ka, "First.");
    key_for(&kb, "Second.");
    struct clip in, out = {0};
    make_clip(&in, 500, 3);
    assert_int_equal(cache_put(c, &ka, &in, &d), 0);

    /* A valid entry copied under another key's name is not that key's clip. */
    char pa[8192], pb[8192], cmd[20000];
    entry_path(pa, sizeof(pa), f->dir, &ka);
    entry_path(pb, sizeof(pb), f->dir, &kb);
    char *slash = strrchr(pb, '/');
    *slash = '\0';
    mkdir(pb, 0777);
    *slash = '/';
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", pa, pb);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(cache_get(c, &kb, &out), 0);
    assert_false(exists(pb));
    assert_true(exists(pa));

    struct clip other;
    make_clip(&other, 700, 4);
    assert_int_equal(cache_put(c, &kb, &other, &d), 0);
    assert_int_equal(cache_get(c, &kb, &out), 1);
    assert_true(clip_equal(&other, &out));
    clip_release(&out);
    assert_int_equal(cache_get(c, &ka, &out), 1);
    assert_true(clip_equal(&in, &out));
    clip_release(&out);
    clip_release(&in);
    clip_release(&other);
    cache_close(c);
    diag_release(&d);
}

/* Child processes: exit status 0 when every operation did what it should. */
static int child_writer(const char *dir, const struct cache_key *k, const struct clip *in)
{
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(dir, &d);
    int bad = !c;
    for (int i = 0; i < 100 && c; i++)
        bad |= cache_put(c, k, in, &d) != 0;
    cache_close(c);
    diag_release(&d);
    return bad;
}

static int child_reader(const char *dir, const struct cache_key *k, const struct clip *in)
{
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(dir, &d);
    int bad = !c, hits = 0;
    for (int i = 0; i < 400 && c; i++) {
        struct clip out = {0};
        int r = cache_get(c, k, &out);
        if (r == 1) {
            hits++;
            bad |= !clip_equal(in, &out);
        } else {
            bad |= r != 0 || out.samples != NULL || out.n != 0;
        }
        clip_release(&out);
    }
    cache_close(c);
    diag_release(&d);
    return bad ? 1 : hits > 0 ? 0 : 2;
}

static void test_concurrent_writers(void **state)
{
    struct fixture *f = *state;
    struct cache_key k;
    key_for(&k, "Everyone writes this.");
    struct clip in;
    make_clip(&in, 100000, 9);
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0)
            _exit(i < 2 ? child_writer(f->dir, &k, &in) : child_reader(f->dir, &k, &in));
    }
    for (int i = 0; i < 3; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        /* The reader may finish before the first rename (status 2, no hit):
         * that is allowed, a wrong clip (status 1) is not. */
        assert_true(WEXITSTATUS(status) == 0 || (i == 2 && WEXITSTATUS(status) == 2));
    }

    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    struct clip out = {0};
    assert_int_equal(cache_get(c, &k, &out), 1);
    assert_true(clip_equal(&in, &out));
    clip_release(&out);
    struct cache_stats st;
    assert_int_equal(cache_stats(f->dir, &st, &d), 0);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.corrupt, 0);
    /* No temporary is left behind, stale or not. */
    char dir[8192];
    entry_path(dir, sizeof(dir), f->dir, &k);
    *strrchr(dir, '/') = '\0';
    DIR *dp = opendir(dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dp)))
        files += e->d_name[0] != '.' || strncmp(e->d_name, ".tmp-", 5) == 0;
    closedir(dp);
    assert_int_equal(files, 1);
    clip_release(&in);
    cache_close(c);
    diag_release(&d);
}

static void test_hit_refreshes_mtime(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    struct cache_key k;
    key_for(&k, "Old but used.");
    struct clip in, out = {0};
    make_clip(&in, 100, 5);
    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    char path[8192];
    entry_path(path, sizeof(path), f->dir, &k);
    set_mtime(path, 1000000000);
    assert_int_equal(cache_get(c, &k, &out), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime > time(NULL) - 60);
    clip_release(&out);
    clip_release(&in);
    cache_close(c);
    diag_release(&d);
}

static void test_open_creates_folders(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    char dir[8192];
    snprintf(dir, sizeof(dir), "%s/a/b/c/", f->dir);
    struct clip_cache *c = cache_open(dir, &d);
    assert_non_null(c);
    struct cache_key k;
    key_for(&k, "Deep.");
    struct clip in, out = {0};
    make_clip(&in, 64, 2);
    assert_int_equal(cache_put(c, &k, &in, &d), 0);
    assert_int_equal(cache_get(c, &k, &out), 1);
    clip_release(&out);
    clip_release(&in);
    cache_close(c);

    /* Under a regular file no folder can be made: a warning and no cache. */
    char file[8192];
    snprintf(file, sizeof(file), "%s/plain", f->dir);
    write_file(file, 1);
    snprintf(dir, sizeof(dir), "%s/plain/cache", f->dir);
    assert_null(cache_open(dir, &d));
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.system + d.errors, 0);
    /* A NULL cache is always a miss and never stores. */
    assert_int_equal(cache_get(NULL, &k, &out), 0);
    diag_release(&d);
}

static void test_write_failure_warns_once(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    struct cache_key k;
    key_for(&k, "Nowhere to go.");
    char hex[33], blocker[8192];
    cache_key_hex(&k, hex);
    /* A file where the fan-out folder should be: no write can succeed, even
     * as root (who ignores permission bits). */
    snprintf(blocker, sizeof(blocker), "%s/%.2s", f->dir, hex);
    write_file(blocker, 1);
    struct clip in, out = {0};
    make_clip(&in, 64, 2);
    assert_int_equal(cache_put(c, &k, &in, &d), -1);
    assert_int_equal(cache_put(c, &k, &in, &d), -1);
    assert_int_equal(cache_get(c, &k, &out), 0);
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.system + d.errors, 0);
    assert_non_null(strstr(d.v[0].msg, f->dir));

    /* Every handle reports once. */
    struct clip_cache *c2 = cache_open(f->dir, &d);
    assert_int_equal(cache_put(c2, &k, &in, &d), -1);
    assert_int_equal(d.warnings, 2);
    cache_close(c2);
    clip_release(&in);
    cache_close(c);
    diag_release(&d);
}

/*
 * A folder squatting on one entry's name costs that entry alone: it is
 * skipped with a warning naming it, the entries after it are stored, and
 * a second squatter is reported too (the handle-wide "cannot store clips"
 * warning once silenced everything after the first).
 */
static void test_folder_on_entry_name(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    struct cache_key k1, k2, k3;
    key_for(&k1, "Squatted one.");
    key_for(&k2, "Free one.");
    key_for(&k3, "Squatted two.");
    char p1[8192], p2[8192], p3[8192];
    entry_path(p1, sizeof(p1), f->dir, &k1);
    entry_path(p2, sizeof(p2), f->dir, &k2);
    entry_path(p3, sizeof(p3), f->dir, &k3);
    char fan[8192];
    snprintf(fan, sizeof(fan), "%s", p1);
    *strrchr(fan, '/') = '\0';
    assert_int_equal(mkdir(fan, 0777), 0);
    assert_int_equal(mkdir(p1, 0777), 0);
    snprintf(fan, sizeof(fan), "%s", p3);
    *strrchr(fan, '/') = '\0';
    mkdir(fan, 0777);
    assert_int_equal(mkdir(p3, 0777), 0);

    struct clip in, out = {0};
    make_clip(&in, 64, 3);
    assert_int_equal(cache_put(c, &k1, &in, &d), -1);
    assert_int_equal(cache_put(c, &k2, &in, &d), 0);
    assert_int_equal(cache_put(c, &k3, &in, &d), -1);
    assert_int_equal(cache_get(c, &k2, &out), 1);
    clip_release(&out);
    assert_int_equal(cache_get(c, &k1, &out), 0);
    assert_int_equal(d.warnings, 2);
    assert_int_equal(d.system + d.errors, 0);
    assert_non_null(strstr(d.v[0].msg, p1));
    assert_non_null(strstr(d.v[0].msg, "is a folder"));
    assert_null(strstr(d.v[0].msg, "without storing"));
    assert_non_null(strstr(d.v[1].msg, p3));
    /* Nothing of ours is left in the squatters' folders: they are not ours. */
    assert_int_equal(tmpdir_count(p1), 0);
    struct stat st;
    assert_int_equal(stat(p1, &st), 0);
    assert_true(S_ISDIR(st.st_mode));

    /* A real failure after them is still reported, once. */
    struct cache_key k4;
    key_for(&k4, "Blocked.");
    char hex[33], blocker[8192];
    cache_key_hex(&k4, hex);
    snprintf(blocker, sizeof(blocker), "%s/%.2s", f->dir, hex);
    if (!exists(blocker)) {
        write_file(blocker, 1);
        assert_int_equal(cache_put(c, &k4, &in, &d), -1);
        assert_int_equal(cache_put(c, &k4, &in, &d), -1);
        assert_int_equal(d.warnings, 3);
    }
    clip_release(&in);
    cache_close(c);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_sizes, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_put_recreates_folders, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_key_inputs),
        cmocka_unit_test(test_key_hex),
        cmocka_unit_test_setup_teardown(test_corrupt_truncated, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_payload, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_header, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_misplaced_entry, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_hit_refreshes_mtime, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_open_creates_folders, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_write_failure_warns_once, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_folder_on_entry_name, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
