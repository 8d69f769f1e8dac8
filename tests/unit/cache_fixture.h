/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers the cache tests share (cache_fixture.c). make_clip() fills *c
 * with malloc'd samples and marks the caller frees (clip_release());
 * entry_path() writes into buf; the file helpers fail the running test on
 * an error instead of returning one.
 */
#ifndef SCRIPTCAST_TEST_CACHE_FIXTURE_H
#define SCRIPTCAST_TEST_CACHE_FIXTURE_H

#include "synth/cache.h"
#include "synth/engine.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* The voice every test key is made with. */
extern const struct engine_voice base_voice;

void make_clip(struct clip *c, size_t n, unsigned seed);
bool clip_equal(const struct clip *a, const struct clip *b);
void key_for(struct cache_key *k, const char *text);
void entry_path(char *buf, size_t n, const char *dir, const struct cache_key *k);
bool exists(const char *path);
off_t file_size(const char *path);
void set_mtime(const char *path, time_t t);
void write_file(const char *path, size_t n);

#endif
