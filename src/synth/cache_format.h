/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The on-disk form of the clip cache, shared by the entry code (cache.c:
 * key, get, put) and the folder walk (cache_admin.c: stats, prune): where
 * entries and temporaries live in the cache folder and what an entry
 * file holds. Internal to the synth stage.
 *
 * Contract: an entry is DIR/xx/KEY.clip, KEY being the 32 lowercase hex
 * digits of its key and xx their first two; a file whose name starts with
 * CACHE_TMP_PREFIX in a DIR/xx folder is a temporary being written (or left
 * by a writer that died). Changing the layout below means bumping
 * CACHE_FORMAT_VERSION: older entries then read as corrupt.
 *
 * Entry layout (all integers little-endian):
 *
 *   0  magic "SCCLIP\0\1"       8 bytes
 *   8  format version           u32
 *  12  sample rate              u32
 *  16  sample count             u64
 *  24  mark count               u32
 *  28  reserved (0)             u32
 *  32  checksum                 u64
 *  40  key                      16 bytes
 *  56  marks                    mark count * (u64 sample, u64 text offset)
 *  ..  samples                  sample count * i16
 *
 * The checksum is XXH3-64 of the payload (marks and samples) seeded with
 * XXH3-64 of the other 48 header bytes, so a flipped bit anywhere in the
 * file, including the sample rate, is caught.
 */
#ifndef SCRIPTCAST_CACHE_FORMAT_H
#define SCRIPTCAST_CACHE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#define CACHE_MAGIC "SCCLIP\0\1"
#define CACHE_FORMAT_VERSION 1
#define CACHE_HEADER_SIZE 56
#define CACHE_MARK_SIZE 16
#define CACHE_SUFFIX ".clip"
#define CACHE_TMP_PREFIX ".tmp-"

/* dir without trailing slashes ("/" stays "/"), owned by the caller. */
char *cache_format_clean_dir(const char *dir);
/* The header checks that need no payload (see cache.c); on success
 * *nsamples and *nmarks are set. */
bool cache_format_header_ok(const uint8_t *h, uint64_t file_size, uint64_t *nsamples,
                            uint32_t *nmarks);

#endif
