/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The clip cache: synthesized clips stored by a strong hash of everything
 * that changes their samples (engine name and version, the voice's
 * effective parameters, the run's final text, the text-normalization
 * version), so re-rendering costs only what changed. Several scriptcast
 * processes may share one cache folder at once: entries are written to a
 * temporary name and renamed, and every entry carries a header with a
 * checksum that is verified on read — a truncated or corrupted entry is a
 * miss (and is removed), never played.
 *
 * Contract: cache_open() returns a handle the caller closes with
 * cache_close(). Clips returned by cache_get() are owned by the caller
 * (clip_release()). No function here prints; problems go to struct diags
 * as warnings (a cache that cannot be written slows a render down but
 * never fails it).
 */
#ifndef SCRIPTCAST_CACHE_H
#define SCRIPTCAST_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct clip;
struct clip_buf;
struct diags;
struct engine_voice;

/* Bumped whenever text preparation changes what the engine is given, or the
 * engine's own shaping of a clip changes (trimming, how a run is set up):
 * old entries then simply stop matching. 2: runs start from a fixed state. */
#define CACHE_NORMALIZATION_VERSION 2

struct cache_key {
    uint8_t bytes[16]; /* XXH3-128 */
};

struct clip_cache;

/* $XDG_CACHE_HOME/scriptcast, else $HOME/.cache/scriptcast; malloc'd, or
 * NULL when neither variable is set. */
char *cache_default_dir(void);

/* Opens dir, creating it (and parents) when missing. NULL with a warning
 * when it cannot be used. */
struct clip_cache *cache_open(const char *dir, struct diags *d);
void cache_close(struct clip_cache *c);

void cache_key(struct cache_key *k, const char *engine, const char *engine_version,
               const struct engine_voice *v, const char *text);
/* Hex form of a key (33 bytes with the NUL). */
void cache_key_hex(const struct cache_key *k, char hex[33]);

/* Whether an entry for k exists (not verified: cache_get() may still miss).
 * Cheap: one stat(). */
bool cache_has(struct clip_cache *c, const struct cache_key *k);
/* 1: hit, *out filled and the entry's mtime refreshed (for prune's LRU
 * order; at most once a minute). 0: miss, *out untouched (a corrupt entry
 * counts as a miss and is removed). c may be NULL: always a miss. */
int cache_get(struct clip_cache *c, const struct cache_key *k, struct clip *out);
/* cache_get() into b's arrays, kept from clip to clip (see struct clip_buf):
 * 1 with the clip in b->clip; 0 with b->clip empty. */
int cache_load(struct clip_cache *c, const struct cache_key *k, struct clip_buf *b);
/* Stores clip under k (temporary + rename; concurrent writers of one key
 * are fine). 0, or -1; the first failure of a handle adds a DIAG_WARNING,
 * later ones are silent. A folder squatting on the entry's name is not a
 * failure of the cache: that entry alone is skipped, with a warning naming
 * it each time, and later failures are still reported. c may be NULL: -1
 * without a warning. */
int cache_put(struct clip_cache *c, const struct cache_key *k, const struct clip *clip,
              struct diags *d);

struct cache_stats {
    uint64_t entries; /* DIR/xx/NAME.clip files, corrupt ones included */
    uint64_t bytes;   /* file sizes of the entries and the stale temporaries */
    uint64_t corrupt; /* entries whose header is wrong (the checksum is only
                         verified by cache_get(), which reads the payload) */
    uint64_t stale;   /* temporaries older than an hour, left by a writer that died */
};

/* Walks dir (DIR/xx/ folders only; other files are ignored). A missing dir
 * is an empty cache. 0, or -1 with a DIAG_SYSTEM diagnostic when dir or one
 * of its folders cannot be read (*st then counts what could be). */
int cache_stats(const char *dir, struct cache_stats *st, struct diags *d);
/* Removes corrupt entries and stale temporaries, then least recently used
 * entries (oldest modification time first, which a hit refreshes; ties by
 * name) until the entries total at most max_bytes, then empty DIR/xx
 * folders. *removed counts what was deleted. 0, or -1 with a DIAG_SYSTEM
 * diagnostic when something could not be read or removed. */
int cache_prune(const char *dir, uint64_t max_bytes, struct cache_stats *removed, struct diags *d);

#endif
