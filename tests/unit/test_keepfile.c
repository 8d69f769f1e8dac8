/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for util/keepfile: an output whose bytes equal the file already
 * there leaves that file (same inode, fresh time) even when a header was
 * first written differently and rewritten at the end; any lasting
 * difference, a different length, a gap or too many patches gives exactly
 * the new bytes under the name; reads see the new content at every step;
 * an abort leaves nothing behind. A seeded random model test mixes all of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "util/diag.h"
#include "util/keepfile.h"
#include "util/strbuf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void put_file(const char *path, const unsigned char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
    /* An hour ago, so that a kept file's fresh time shows. */
    struct timespec t[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* Asserts that path holds exactly data[0, n). */
static void assert_file_is(const char *path, const unsigned char *data, size_t n)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((size_t)st.st_size, n);
    unsigned char *got = malloc(n + 1);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(got, 1, n + 1, fp), n);
    fclose(fp);
    assert_memory_equal(got, data, n);
    free(got);
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

static unsigned char *pattern(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
    return p;
}

/* Writes data in chunks of `chunk` bytes from offset 0. */
static void write_all(struct keepfile *kf, const unsigned char *data, size_t n, size_t chunk)
{
    for (size_t off = 0; off < n; off += chunk) {
        size_t len = n - off < chunk ? n - off : chunk;
        assert_int_equal(keepfile_pwrite(kf, data + off, len, off), 0);
    }
}

static void test_new_file(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.wav");
    unsigned char *data = pattern(300000, 1);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    write_all(&kf, data, 300000, 8192);
    assert_int_equal(keepfile_size(&kf), 300000);
    bool kept = true;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_false(kept);
    assert_file_is(path, data, 300000);
    assert_int_equal(tmpdir_count(f->dir), 1);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(data);
    free(path);
}

/* The WAV case: a placeholder header, the same samples, the header again. */
static void test_same_bytes_kept(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.wav");
    size_t n = 3 * 1000 * 1000 + 17;
    unsigned char *data = pattern(n, 2);
    put_file(path, data, n);
    ino_t before = inode_of(path);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    unsigned char header[44];
    memset(header, 0xff, sizeof(header));
    assert_int_equal(keepfile_pwrite(&kf, header, sizeof(header), 0), 0);
    assert_int_equal(keepfile_pwrite(&kf, data + 44, n - 44, 44), 0);
    /* Reads see the content written, not the old file. */
    unsigned char got[64];
    assert_int_equal(keepfile_pread(&kf, got, sizeof(got), 0), sizeof(got));
    assert_memory_equal(got, header, 44);
    assert_memory_equal(got + 44, data + 44, 20);
    assert_int_equal(keepfile_pwrite(&kf, data, 44, 0), 0);
    bool kept = false;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_true(kept);
    assert_int_equal(inode_of(path), before);
    assert_file_is(path, data, n);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime > time(NULL) - 600);
    assert_int_equal(tmpdir_count(f->dir), 1); /* no temporary left */
    diag_release(&d);
    free(data);
    free(path);
}

/* old and new differ as given; the result must be new, under a new inode. */
static void check_replaced(const struct fixture *f, const unsigned char *old, size_t nold,
                           const unsigned char *new, size_t nnew, size_t chunk)
{
    char *path = tmpdir_path(f, "out.flac");
    put_file(path, old, nold);
    ino_t before = inode_of(path);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    write_all(&kf, new, nnew, chunk);
    bool kept = true;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_false(kept);
    assert_true(inode_of(path) != before);
    assert_file_is(path, new, nnew);
    assert_int_equal(tmpdir_count(f->dir), 1);
    diag_release(&d);
    free(path);
}

static void test_changes_replace(void **state)
{
    struct fixture *f = *state;
    size_t n = 2 * 1000 * 1000;
    unsigned char *old = pattern(n, 3);
    unsigned char *new = malloc(n);

    /* One paragraph edited in the middle: everything after it shifts. */
    memcpy(new, old, n);
    unsigned char *tail = pattern(n / 2, 4);
    memcpy(new + n / 2, tail, n / 2);
    check_replaced(f, old, n, new, n, 8192);
    check_replaced(f, old, n, new, n, 1 << 20);

    /* A single byte, left at commit. */
    memcpy(new, old, n);
    new[n - 1] ^= 1;
    check_replaced(f, old, n, new, n, 8192);
    /* Shorter and longer, same bytes as far as they go. */
    check_replaced(f, old, n, old, n - 1, 8192);
    check_replaced(f, old, n - 1000, old, n, 8192);
    check_replaced(f, old, 0, old, 1000, 100);
    check_replaced(f, old, 1000, old, 0, 100);
    free(tail);
    free(new);
    free(old);
}

/* Ogg pages rewritten at close: many small patches, all superseded. */
static void test_many_patches(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.ogg");
    size_t page = 512, npages = 4000, n = page * npages;
    unsigned char *data = pattern(n, 5);
    put_file(path, data, n);
    ino_t before = inode_of(path);
    unsigned char *first = malloc(n);
    memcpy(first, data, n);
    for (size_t p = 0; p < npages; p++)
        memset(first + p * page + 14, 0xaa ^ (int)(p & 0x7f), 12);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    write_all(&kf, first, n, 8192);
    /* Every read sees the pages as first written. */
    unsigned char *got = malloc(n);
    assert_int_equal(keepfile_pread(&kf, got, n, 0), (ssize_t)n);
    assert_memory_equal(got, first, n);
    for (size_t p = 0; p < npages; p++)
        assert_int_equal(keepfile_pwrite(&kf, data + p * page, 27, p * page), 0);
    bool kept = false;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_true(kept);
    assert_int_equal(inode_of(path), before);

    /* The same with the fix-up left undone for one page: its patch stays. */
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    write_all(&kf, first, n, 8192);
    for (size_t p = 0; p + 1 < npages; p++)
        assert_int_equal(keepfile_pwrite(&kf, data + p * page, 27, p * page), 0);
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_false(kept);
    memcpy(got, data, n);
    memcpy(got + (npages - 1) * page, first + (npages - 1) * page, page);
    assert_file_is(path, got, n);
    diag_release(&d);
    free(got);
    free(first);
    free(data);
    free(path);
}

/* A write inside a patch splits it; reads and the file see both halves. */
static void test_split_patch(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.mp3");
    unsigned char *data = pattern(4096, 6);
    put_file(path, data, 4096);
    unsigned char *want = malloc(4096);
    memcpy(want, data, 4096);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    assert_int_equal(keepfile_pwrite(&kf, data, 4096, 0), 0);
    unsigned char x[40];
    memset(x, 0x55, sizeof(x));
    assert_int_equal(keepfile_pwrite(&kf, x, 40, 100), 0);
    memcpy(want + 100, x, 40);
    assert_int_equal(keepfile_pwrite(&kf, data + 110, 10, 110), 0); /* old bytes again */
    memcpy(want + 110, data + 110, 10);
    unsigned char got[200];
    assert_int_equal(keepfile_pread(&kf, got, 200, 0), 200);
    assert_memory_equal(got, want, 200);
    /* Reading past the end gives what is there. */
    assert_int_equal(keepfile_pread(&kf, got, 200, 4000), 96);
    assert_int_equal(keepfile_pread(&kf, got, 200, 5000), 0);
    bool kept = true;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_false(kept);
    assert_file_is(path, want, 4096);
    diag_release(&d);
    free(want);
    free(data);
    free(path);
}

/* A write past the end leaves a gap of zeros, whatever the old file held. */
static void test_gap(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.wav");
    unsigned char *data = pattern(10000, 7);
    put_file(path, data, 10000);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    assert_int_equal(keepfile_pwrite(&kf, data, 1000, 0), 0);
    assert_int_equal(keepfile_pwrite(&kf, data + 5000, 5000, 5000), 0);
    bool kept = true;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_false(kept);
    memset(data + 1000, 0, 4000);
    assert_file_is(path, data, 10000);
    diag_release(&d);
    free(data);
    free(path);
}

static void test_abort_and_symlink(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.wav"), *target = tmpdir_path(f, "target.wav");
    unsigned char *data = pattern(5000, 8);
    put_file(path, data, 5000);
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    unsigned char x[100] = {0};
    assert_int_equal(keepfile_pwrite(&kf, x, 100, 0), 0);
    keepfile_abort(&kf);
    keepfile_abort(&kf);
    assert_file_is(path, data, 5000);
    assert_int_equal(tmpdir_count(f->dir), 1);

    /* A symlink is replaced by a file, as atomicfile does; its target stays. */
    assert_int_equal(rename(path, target), 0);
    assert_int_equal(symlink("target.wav", path), 0);
    assert_int_equal(keepfile_open(&kf, path, &d), 0);
    write_all(&kf, data, 5000, 1000);
    bool kept = true;
    assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
    assert_false(kept);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_file_is(target, data, 5000);
    assert_int_equal(d.n, 0);
    diag_release(&d);
    free(data);
    free(target);
    free(path);
}

/*
 * Random writes against a model of the file: mostly the old bytes (as a
 * re-render writes), some differing, some rewriting earlier places, a few
 * beyond the end. After every write a random read must match the model; at
 * commit the file must be the model, kept exactly when it equals the old
 * (and no gap made it be written out on the way).
 */
static void test_random_model(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "out.opus");
    unsigned seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xffffff)
    for (int round = 0; round < 150; round++) {
        size_t nold = RND() % 200000;
        unsigned char *old = pattern(nold, (unsigned)round + 100);
        put_file(path, old, nold);
        size_t cap = nold + 100000;
        unsigned char *model = calloc(cap, 1), *buf = malloc(cap), *got = malloc(cap);
        size_t size = 0;
        bool gap = false; /* a gap makes the file be written out, whatever follows */
        struct diags d;
        diag_init(&d);
        struct keepfile kf;
        assert_int_equal(keepfile_open(&kf, path, &d), 0);
        int nwrites = (int)(RND() % 200) + 1;
        for (int w = 0; w < nwrites; w++) {
            size_t off = (RND() % 4 == 0 || size == 0) ? size : RND() % (size + 1);
            if (RND() % 50 == 0)
                off = size + RND() % 100; /* a gap now and then */
            size_t len = 1 + RND() % 5000;
            if (off + len > cap)
                continue;
            for (size_t i = 0; i < len; i++)
                buf[i] = off + i < nold ? old[off + i] : (unsigned char)RND();
            if (RND() % 3 == 0) { /* some bytes differ */
                size_t a = RND() % len, b = a + RND() % (len - a);
                for (size_t i = a; i <= b; i++)
                    buf[i] ^= (unsigned char)(1 + RND() % 255);
            }
            gap |= off > size;
            assert_int_equal(keepfile_pwrite(&kf, buf, len, off), 0);
            memcpy(model + off, buf, len);
            if (off + len > size)
                size = off + len;
            assert_int_equal(keepfile_size(&kf), size);
            size_t roff = RND() % (size + 1), rlen = RND() % 8000;
            size_t want = roff + rlen > size ? size - roff : rlen;
            assert_int_equal(keepfile_pread(&kf, got, rlen, roff), (ssize_t)want);
            assert_memory_equal(got, model + roff, want);
        }
        /* Half the rounds end with the old bytes written over everything. */
        if (round % 2 == 0 && nold > 0) {
            write_all(&kf, old, nold, 65536);
            memcpy(model, old, nold);
            if (nold > size)
                size = nold;
        }
        bool same = size == nold && memcmp(model, old, nold) == 0 && !gap;
        bool kept = !same;
        assert_int_equal(keepfile_commit(&kf, &kept, &d), 0);
        assert_int_equal(kept, same);
        assert_file_is(path, model, size);
        assert_int_equal(tmpdir_count(f->dir), 1);
        assert_int_equal(d.n, 0);
        diag_release(&d);
        free(got);
        free(buf);
        free(model);
        free(old);
    }
#undef RND
    free(path);
}

static void test_missing_folder(void **state)
{
    struct fixture *f = *state;
    char *path = tmpdir_path(f, "no/such/out.wav");
    struct diags d;
    diag_init(&d);
    struct keepfile kf;
    assert_int_equal(keepfile_open(&kf, path, &d), -1);
    assert_int_equal(d.n, 1);
    keepfile_abort(&kf);
    diag_release(&d);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_file, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_same_bytes_kept, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_changes_replace, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_many_patches, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_split_patch, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_gap, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_abort_and_symlink, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_random_model, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
