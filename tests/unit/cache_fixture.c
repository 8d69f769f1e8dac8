/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers the cache tests share (test_cache.c, test_cache_admin.c): clips
 * made from a seed, keys for a text, where an entry lives, and small file
 * operations that fail the test when they fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cache_fixture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct engine_voice base_voice = {"en-us", "m3", 170, 50, 50, 100};

/* A clip of n pseudo-random samples (seeded, so two calls agree) with a few
 * marks, as the engine would produce. */
void make_clip(struct clip *c, size_t n, unsigned seed)
{
    memset(c, 0, sizeof(*c));
    c->rate = 22050;
    c->n = n;
    c->samples = n ? malloc(n * sizeof(int16_t)) : NULL;
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        c->samples[i] = (int16_t)(x >> 16);
    }
    c->nmarks = n ? 3 : 1;
    c->marks = calloc(c->nmarks, sizeof(*c->marks));
    if (n) {
        c->marks[1] = (struct clip_mark){n / 3, 17};
        c->marks[2] = (struct clip_mark){n, 40}; /* a mark may sit at the very end */
    }
}

bool clip_equal(const struct clip *a, const struct clip *b)
{
    return a->rate == b->rate && a->n == b->n && a->nmarks == b->nmarks &&
           (a->n == 0 || memcmp(a->samples, b->samples, a->n * sizeof(int16_t)) == 0) &&
           (a->nmarks == 0 || memcmp(a->marks, b->marks, a->nmarks * sizeof(*a->marks)) == 0);
}

void key_for(struct cache_key *k, const char *text)
{
    cache_key(k, "espeak-ng", "1.51", &base_voice, text);
}

void entry_path(char *buf, size_t n, const char *dir, const struct cache_key *k)
{
    char hex[33];
    cache_key_hex(k, hex);
    snprintf(buf, n, "%s/%.2s/%s.clip", dir, hex, hex);
}

bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

off_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

void set_mtime(const char *path, time_t t)
{
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Writes a file of n bytes. */
void write_file(const char *path, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (size_t i = 0; i < n; i++)
        fputc('z', fp);
    fclose(fp);
}
