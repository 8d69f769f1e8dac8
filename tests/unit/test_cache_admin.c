/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for synth/cache_admin: stats and prune count and remove the
 * right files (oldest first, with mtimes set explicitly), and the default
 * folder follows XDG_CACHE_HOME and HOME. Helpers are cache_fixture.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cache_fixture.h"
#include "tmpdir.h"

#include "synth/cache.h"
#include "util/diag.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_stats(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct cache_stats st;

    /* A cache folder nobody created yet is an empty cache. */
    char missing[8192];
    snprintf(missing, sizeof(missing), "%s/not-yet", f->dir);
    assert_int_equal(cache_stats(missing, &st, &d), 0);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.bytes, 0);

    struct clip_cache *c = cache_open(f->dir, &d);
    uint64_t bytes = 0;
    char path[8192];
    struct cache_key k;
    for (int i = 0; i < 3; i++) {
        char text[32];
        snprintf(text, sizeof(text), "Entry %d.", i);
        key_for(&k, text);
        struct clip in;
        make_clip(&in, 1000 + (size_t)i, (unsigned)i);
        assert_int_equal(cache_put(c, &k, &in, &d), 0);
        clip_release(&in);
        entry_path(path, sizeof(path), f->dir, &k);
        bytes += (uint64_t)file_size(path);
    }
    /* A corrupt entry next to the last one. */
    char *slash = strrchr(path, '/');
    snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path),
             "0123456789abcdef0123456789abcdef.clip");
    write_file(path, 80);
    bytes += 80;
    /* A stale temporary counts, a fresh one is being written and does not. */
    snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path), ".tmp-dead-1-0");
    write_file(path, 33);
    set_mtime(path, time(NULL) - 7200);
    bytes += 33;
    snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path), ".tmp-live-1-0");
    write_file(path, 44);
    /* Other files are not the cache's. */
    snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path), "notes.txt");
    write_file(path, 55);
    snprintf(path, sizeof(path), "%s/README", f->dir);
    write_file(path, 66);
    snprintf(path, sizeof(path), "%s/other", f->dir);
    mkdir(path, 0777);
    snprintf(path, sizeof(path), "%s/other/x.clip", f->dir);
    write_file(path, 77);

    assert_int_equal(cache_stats(f->dir, &st, &d), 0);
    assert_int_equal(st.entries, 4);
    assert_int_equal(st.corrupt, 1);
    assert_int_equal(st.stale, 1);
    assert_int_equal(st.bytes, bytes);
    assert_int_equal(d.n, 0);

    /* A folder that cannot be read is a system failure. */
    snprintf(path, sizeof(path), "%s/README", f->dir);
    assert_int_equal(cache_stats(path, &st, &d), -1);
    assert_int_equal(d.system, 1);
    cache_close(c);
    diag_release(&d);
}

static void test_prune(void **state)
{
    struct fixture *f = *state;
    struct diags d;
    diag_init(&d);
    struct clip_cache *c = cache_open(f->dir, &d);
    /* Entries 0..4, all the same size, 0 the least recently used. Entries 1
     * and 2 share an mtime; the smaller name goes first. */
    static const time_t ages[] = {1000, 3000, 3000, 4000, 5000};
    char paths[5][8192];
    struct cache_key keys[5];
    off_t size = 0;
    for (int i = 0; i < 5; i++) {
        char text[32];
        snprintf(text, sizeof(text), "Pruned %d.", i);
        key_for(&keys[i], text);
        struct clip in;
        make_clip(&in, 2000, (unsigned)i);
        assert_int_equal(cache_put(c, &keys[i], &in, &d), 0);
        clip_release(&in);
        entry_path(paths[i], sizeof(paths[i]), f->dir, &keys[i]);
        set_mtime(paths[i], 1500000000 + ages[i]);
        size = file_size(paths[i]);
    }
    int first_tie = strcmp(paths[1], paths[2]) < 0 ? 1 : 2;

    /* Corrupt entries and stale temporaries go whatever the size. */
    char corrupt[8192], stale[8192], fresh[8192];
    snprintf(stale, sizeof(stale), "%s/ab", f->dir);
    mkdir(stale, 0777);
    snprintf(corrupt, sizeof(corrupt), "%s/ab/abababababababababababababababab.clip", f->dir);
    write_file(corrupt, 10);
    snprintf(stale, sizeof(stale), "%s/ab/.tmp-x-1-1", f->dir);
    write_file(stale, 10);
    set_mtime(stale, time(NULL) - 4000);
    snprintf(fresh, sizeof(fresh), "%s/ab/.tmp-x-1-2", f->dir);
    write_file(fresh, 10);

    struct cache_stats removed;
    assert_int_equal(cache_prune(f->dir, UINT64_MAX, &removed, &d), 0);
    assert_int_equal(removed.entries, 1);
    assert_int_equal(removed.corrupt, 1);
    assert_int_equal(removed.stale, 1);
    assert_int_equal(removed.bytes, 20);
    assert_false(exists(corrupt));
    assert_false(exists(stale));
    assert_true(exists(fresh));
    unlink(fresh);

    /* Down to three entries' worth (plus a little): the oldest two go. */
    assert_int_equal(cache_prune(f->dir, (uint64_t)size * 3 + 5, &removed, &d), 0);
    assert_int_equal(removed.entries, 2);
    assert_int_equal(removed.bytes, (uint64_t)size * 2);
    assert_false(exists(paths[0]));
    assert_false(exists(paths[first_tie]));
    assert_true(exists(paths[3 - first_tie]));
    assert_true(exists(paths[3]));
    assert_true(exists(paths[4]));

    /* Within the budget: nothing goes. */
    assert_int_equal(cache_prune(f->dir, (uint64_t)size * 3, &removed, &d), 0);
    assert_int_equal(removed.entries, 0);

    /* A hit makes an old entry recent, so it outlives newer ones. */
    struct clip out = {0};
    assert_int_equal(cache_get(c, &keys[3 - first_tie], &out), 1);
    clip_release(&out);
    assert_int_equal(cache_prune(f->dir, (uint64_t)size, &removed, &d), 0);
    assert_int_equal(removed.entries, 2);
    assert_true(exists(paths[3 - first_tie]));
    assert_false(exists(paths[3]));
    assert_false(exists(paths[4]));

    /* Size 0 empties the cache, fan-out folders included, and the cache
     * still works afterwards. */
    assert_int_equal(cache_prune(f->dir, 0, &removed, &d), 0);
    assert_int_equal(removed.entries, 1);
    struct cache_stats st;
    assert_int_equal(cache_stats(f->dir, &st, &d), 0);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.bytes, 0);
    DIR *dp = opendir(f->dir);
    struct dirent *e;
    int left = 0;
    while ((e = readdir(dp)))
        left += e->d_name[0] != '.';
    closedir(dp);
    assert_int_equal(left, 0);

    struct clip in;
    make_clip(&in, 10, 1);
    assert_int_equal(cache_put(c, &keys[0], &in, &d), 0);
    assert_int_equal(cache_get(c, &keys[0], &out), 1);
    assert_true(clip_equal(&in, &out));
    clip_release(&out);
    clip_release(&in);
    assert_int_equal(d.n, 0);
    cache_close(c);
    diag_release(&d);
}

static void test_default_dir(void **state)
{
    (void)state;
    char *old_xdg = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char *dir;

    setenv("XDG_CACHE_HOME", "/x/cache", 1);
    setenv("HOME", "/home/u", 1);
    dir = cache_default_dir();
    assert_string_equal(dir, "/x/cache/scriptcast");
    free(dir);

    setenv("XDG_CACHE_HOME", "", 1);
    dir = cache_default_dir();
    assert_string_equal(dir, "/home/u/.cache/scriptcast");
    free(dir);

    setenv("XDG_CACHE_HOME", "relative/cache", 1);
    dir = cache_default_dir();
    assert_string_equal(dir, "/home/u/.cache/scriptcast");
    free(dir);

    unsetenv("XDG_CACHE_HOME");
    dir = cache_default_dir();
    assert_string_equal(dir, "/home/u/.cache/scriptcast");
    free(dir);

    unsetenv("HOME");
    assert_null(cache_default_dir());
    setenv("XDG_CACHE_HOME", "/x/cache", 1);
    dir = cache_default_dir();
    assert_string_equal(dir, "/x/cache/scriptcast");
    free(dir);

    if (old_xdg)
        setenv("XDG_CACHE_HOME", old_xdg, 1);
    else
        unsetenv("XDG_CACHE_HOME");
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_xdg);
    free(old_home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stats, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_prune, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_default_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
