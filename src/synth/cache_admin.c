/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cache administration (contract in cache.h): cache_stats() and
 * cache_prune() walk the cache folder (layout in cache_format.h), sorting
 * its files into entries, corrupt entries and stale temporaries. The walk
 * checks headers only, since reading every payload of a large cache would
 * make it slow.
 */
#include "synth/cache.h"
#include "synth/cache_format.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A temporary this old belongs to a writer that died; live writes take
 * milliseconds. */
#define CACHE_STALE_SECONDS 3600

/* Parses 32 lowercase hex digits; false on anything else. */
static bool cache_key_parse(const char *hex, struct cache_key *k)
{
    for (size_t i = 0; i < 32; i++) {
        char ch = hex[i];
        int v;
        if (ch >= '0' && ch <= '9')
            v = ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            v = ch - 'a' + 10;
        else
            return false;
        if (i % 2 == 0)
            k->bytes[i / 2] = (uint8_t)(v << 4);
        else
            k->bytes[i / 2] |= (uint8_t)v;
    }
    return true;
}

/* ---- walking the folder: stats and prune ---- */

enum cache_item_kind {
    CACHE_ITEM_ENTRY,
    CACHE_ITEM_CORRUPT,
    CACHE_ITEM_STALE, /* a temporary left by a writer that died */
};

struct cache_item {
    char *path;
    const char *rel; /* "xx/NAME", inside path; the tie-breaker of equal mtimes */
    uint64_t size;
    struct timespec mtime;
    enum cache_item_kind kind;
};

struct cache_walk {
    struct cache_item *v;
    size_t n, cap;
    char **subdirs; /* the fan-out folders seen, for removing empty ones */
    size_t nsubdirs, subdirs_cap;
};

static bool cache_is_hex2(const char *name)
{
    for (int i = 0; i < 2; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return name[2] == '\0';
}

static bool cache_has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n >= m && memcmp(name + n - m, suffix, m) == 0;
}

/* Header check of one entry file: does it describe itself and its size, and
 * does the key it carries match its name? */
static bool cache_entry_header_ok(const char *path, const char *sub, const char *name,
                                  uint64_t size)
{
    struct cache_key want;
    if (strlen(name) != 32 + strlen(CACHE_SUFFIX) || !cache_key_parse(name, &want) ||
        memcmp(name, sub, 2) != 0)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return true; /* unreadable is not corrupt; prune still sees its age */
    uint8_t h[CACHE_HEADER_SIZE];
    ssize_t r;
    do
        r = pread(fd, h, sizeof(h), 0);
    while (r < 0 && errno == EINTR);
    close(fd);
    uint64_t ns;
    uint32_t nm;
    return r == (ssize_t)sizeof(h) && cache_format_header_ok(h, size, &ns, &nm) &&
           memcmp(h + 40, want.bytes, 16) == 0;
}

static void cache_walk_release(struct cache_walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].path);
    free(w->v);
    for (size_t i = 0; i < w->nsubdirs; i++)
        free(w->subdirs[i]);
    free(w->subdirs);
    memset(w, 0, sizeof(*w));
}

static int cache_walk_subdir(struct cache_walk *w, const char *dir, const char *sub,
                             time_t stale_before, struct diags *d)
{
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/%s", dir, sub);
    DIR *dp = opendir(path.buf);
    if (!dp) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot read cache folder %s: %s", path.buf,
                 strerror(errno));
        strbuf_release(&path);
        return -1;
    }
    XGROW(w->subdirs, w->subdirs_cap, w->nsubdirs + 1);
    w->subdirs[w->nsubdirs++] = xstrdup(path.buf);
    size_t base = path.len;
    struct dirent *e;
    while ((e = readdir(dp))) {
        const char *name = e->d_name;
        bool entry = name[0] != '.' && cache_has_suffix(name, CACHE_SUFFIX);
        bool tmp = !strncmp(name, CACHE_TMP_PREFIX, strlen(CACHE_TMP_PREFIX));
        if (!entry && !tmp)
            continue;
        strbuf_setlen(&path, base);
        strbuf_addf(&path, "/%s", name);
        struct stat st;
        if (lstat(path.buf, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        enum cache_item_kind kind;
        if (tmp) {
            if (st.st_mtime >= stale_before)
                continue; /* being written right now */
            kind = CACHE_ITEM_STALE;
        } else {
            kind = cache_entry_header_ok(path.buf, sub, name, (uint64_t)st.st_size)
                       ? CACHE_ITEM_ENTRY
                       : CACHE_ITEM_CORRUPT;
        }
        XGROW(w->v, w->cap, w->n + 1);
        struct cache_item *it = &w->v[w->n++];
        it->path = xstrdup(path.buf);
        it->rel = it->path + strlen(dir) + 1;
        it->size = (uint64_t)st.st_size;
        it->mtime = st.st_mtim;
        it->kind = kind;
    }
    closedir(dp);
    strbuf_release(&path);
    return 0;
}

/* Collects every entry and stale temporary. A missing dir is an empty cache. */
static int cache_walk(struct cache_walk *w, const char *dir_in, struct diags *d)
{
    memset(w, 0, sizeof(*w));
    char *dir = cache_format_clean_dir(dir_in);
    DIR *dp = opendir(dir);
    if (!dp) {
        int err = errno;
        free(dir);
        if (err == ENOENT)
            return 0;
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot read cache folder %s: %s", dir_in,
                 strerror(err));
        return -1;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    time_t stale_before = now.tv_sec - CACHE_STALE_SECONDS;
    int rc = 0;
    struct dirent *e;
    struct strbuf sub = STRBUF_INIT;
    while ((e = readdir(dp))) {
        if (!cache_is_hex2(e->d_name))
            continue;
        strbuf_reset(&sub);
        strbuf_addf(&sub, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(sub.buf, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (cache_walk_subdir(w, dir, e->d_name, stale_before, d) != 0)
            rc = -1;
    }
    strbuf_release(&sub);
    closedir(dp);
    free(dir);
    return rc;
}

static void cache_count(struct cache_stats *st, const struct cache_item *it)
{
    st->bytes += it->size;
    if (it->kind == CACHE_ITEM_STALE) {
        st->stale++;
        return;
    }
    st->entries++;
    if (it->kind == CACHE_ITEM_CORRUPT)
        st->corrupt++;
}

int cache_stats(const char *dir, struct cache_stats *st, struct diags *d)
{
    memset(st, 0, sizeof(*st));
    struct cache_walk w;
    int rc = cache_walk(&w, dir, d);
    for (size_t i = 0; i < w.n; i++)
        cache_count(st, &w.v[i]);
    cache_walk_release(&w);
    return rc;
}

static int cache_item_cmp(const void *a, const void *b)
{
    const struct cache_item *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->rel, y->rel);
}

/* Deletes one item; an item someone else removed first does not count. */
static int cache_remove(const struct cache_item *it, struct cache_stats *removed, struct diags *d)
{
    if (unlink(it->path) == 0) {
        cache_count(removed, it);
        return 0;
    }
    if (errno == ENOENT)
        return 0;
    diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot remove %s: %s", it->path, strerror(errno));
    return -1;
}

int cache_prune(const char *dir, uint64_t max_bytes, struct cache_stats *removed, struct diags *d)
{
    memset(removed, 0, sizeof(*removed));
    struct cache_walk w;
    int rc = cache_walk(&w, dir, d);
    uint64_t total = 0;
    size_t keep = 0;
    for (size_t i = 0; i < w.n; i++) {
        struct cache_item it = w.v[i];
        if (it.kind != CACHE_ITEM_ENTRY) {
            if (cache_remove(&it, removed, d) != 0)
                rc = -1;
            free(it.path);
            continue;
        }
        total += it.size;
        w.v[keep++] = it; /* rel points into path, which moves along */
    }
    w.n = keep;
    if (w.n)
        qsort(w.v, w.n, sizeof(*w.v), cache_item_cmp);
    for (size_t i = 0; i < w.n && total > max_bytes; i++) {
        if (cache_remove(&w.v[i], removed, d) != 0)
            rc = -1;
        else
            total -= w.v[i].size;
    }
    /* Empty fan-out folders go too; a writer that loses its folder this way
     * creates it again (cache_put retries). */
    for (size_t i = 0; i < w.nsubdirs; i++)
        rmdir(w.subdirs[i]);
    cache_walk_release(&w);
    return rc;
}
