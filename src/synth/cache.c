/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The clip cache (contract in cache.h). An entry is one file, DIR/xx/KEY.clip,
 * holding a fixed little-endian header, the clip's marks and its samples.
 * Entries are immutable once renamed into place, so a reader needs no lock:
 * it opens the file, reads it whole with one read() and trusts it only after
 * the header, the size, the key and the checksum agree. Anything else is
 * discarded as a miss and re-synthesized. The entry layout is in
 * cache_format.h; walking the folder for stats and prune is cache_admin.c.
 */
#include "synth/cache.h"
#include "synth/cache_format.h"
#include "synth/engine.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* A hit younger than this keeps its mtime: LRU does not need finer ticks, and
 * skipping the update spares warm renders one inode write per clip. */
#define CACHE_REFRESH_SECONDS 60
/* Attempts at creating a temporary; a concurrent prune may remove the
 * fan-out folder between our mkdir and our open. */
#define CACHE_OPEN_ATTEMPTS 3

struct clip_cache {
    char *dir;
    struct strbuf path; /* scratch for entry paths, so a lookup does not allocate */
    bool warned;        /* a write failure was reported already */
    /* Reused by every put, so storing a clip allocates nothing after the
     * first: the header and encoded marks, and the checksum state. */
    uint8_t *head;
    size_t head_cap;
    XXH3_state_t *xxh;
};

/* Counts temporaries across every handle of this process; with the pid it
 * makes temporary names unique between concurrent writers. */
static unsigned long cache_tmp_counter;

static void cache_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void cache_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t cache_get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t cache_get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static bool cache_host_is_little_endian(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static void cache_swap16(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = p[2 * i];
        p[2 * i] = p[2 * i + 1];
        p[2 * i + 1] = t;
    }
}

char *cache_default_dir(void)
{
    struct strbuf sb = STRBUF_INIT;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    /* The XDG spec says a relative XDG_CACHE_HOME is invalid and must be
     * ignored. */
    if (xdg && xdg[0] == '/')
        strbuf_addf(&sb, "%s/scriptcast", xdg);
    else if (home && home[0])
        strbuf_addf(&sb, "%s/.cache/scriptcast", home);
    else
        return NULL;
    return strbuf_detach(&sb);
}

/* mkdir -p: every missing component is created; existing folders are fine. */
static int cache_mkdirs(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char saved = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = -1;
            break;
        }
        *s = saved;
        if (saved == '\0')
            break;
    }
    if (rc == 0) {
        struct stat st;
        if (stat(p, &st) != 0)
            rc = -1;
        else if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            rc = -1;
        }
    }
    int saved_errno = errno;
    free(p);
    errno = saved_errno;
    return rc;
}

/* dir without trailing slashes ("/" stays "/"), owned by the caller. */
char *cache_format_clean_dir(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    return xstrndup(dir, len);
}

struct clip_cache *cache_open(const char *dir, struct diags *d)
{
    if (!dir || !dir[0]) {
        diag_add(d, DIAG_WARNING, NULL, 0, 0, NULL,
                 "no clip cache folder; every run is synthesized");
        return NULL;
    }
    char *clean = cache_format_clean_dir(dir);
    if (cache_mkdirs(clean) != 0) {
        diag_add(d, DIAG_WARNING, NULL, 0, 0, NULL,
                 "cannot use clip cache folder %s: %s; every run is synthesized", clean,
                 strerror(errno));
        free(clean);
        return NULL;
    }
    struct clip_cache *c = xcalloc(1, sizeof(*c));
    c->dir = clean;
    strbuf_init(&c->path);
    return c;
}

void cache_close(struct clip_cache *c)
{
    if (!c)
        return;
    free(c->dir);
    strbuf_release(&c->path);
    free(c->head);
    XXH3_freeState(c->xxh);
    free(c);
}

/* Appends a field as u64 length + bytes, so that no two different field
 * lists hash the same bytes ("ab","c" vs "a","bc"). */
static void cache_key_field(struct strbuf *sb, const void *data, size_t n)
{
    uint8_t len[8];
    cache_put_u64(len, (uint64_t)n);
    strbuf_add(sb, len, sizeof(len));
    strbuf_add(sb, data, n);
}

static void cache_key_str(struct strbuf *sb, const char *s)
{
    cache_key_field(sb, s ? s : "", s ? strlen(s) : 0);
}

static void cache_key_int(struct strbuf *sb, int64_t v)
{
    uint8_t b[8];
    cache_put_u64(b, (uint64_t)v);
    cache_key_field(sb, b, sizeof(b));
}

void cache_key(struct cache_key *k, const char *engine, const char *engine_version,
               const struct engine_voice *v, const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    /* A domain tag keeps these keys apart from any other XXH3 use. */
    cache_key_str(&sb, "scriptcast clip key");
    cache_key_int(&sb, CACHE_NORMALIZATION_VERSION);
    cache_key_str(&sb, engine);
    cache_key_str(&sb, engine_version);
    cache_key_str(&sb, v->voice);
    cache_key_str(&sb, v->variant);
    cache_key_int(&sb, v->rate);
    cache_key_int(&sb, v->pitch);
    cache_key_int(&sb, v->range);
    cache_key_int(&sb, v->volume);
    cache_key_str(&sb, text);
    XXH128_hash_t h = XXH3_128bits(sb.buf, sb.len);
    XXH128_canonical_t canon;
    XXH128_canonicalFromHash(&canon, h);
    memcpy(k->bytes, canon.digest, sizeof(k->bytes));
    strbuf_release(&sb);
}

void cache_key_hex(const struct cache_key *k, char hex[33])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 16; i++) {
        hex[2 * i] = digits[k->bytes[i] >> 4];
        hex[2 * i + 1] = digits[k->bytes[i] & 15];
    }
    hex[32] = '\0';
}

/* Sets c->path to DIR/xx (fan_out) or DIR/xx/KEY.clip. */
static const char *cache_path(struct clip_cache *c, const struct cache_key *k, bool fan_out)
{
    char hex[33];
    cache_key_hex(k, hex);
    strbuf_reset(&c->path);
    if (fan_out)
        strbuf_addf(&c->path, "%s/%.2s", c->dir, hex);
    else
        strbuf_addf(&c->path, "%s/%.2s/%s" CACHE_SUFFIX, c->dir, hex, hex);
    return c->path.buf;
}

/* The checksum's seed: XXH3-64 of the header without its checksum field. */
static uint64_t cache_checksum_seed(const uint8_t *header)
{
    uint8_t rest[CACHE_HEADER_SIZE - 8];
    memcpy(rest, header, 32);
    memcpy(rest + 32, header + 40, 16);
    return XXH3_64bits(rest, sizeof(rest));
}

static uint64_t cache_checksum(const uint8_t *header, const void *payload, size_t n)
{
    return XXH3_64bits_withSeed(payload, n, cache_checksum_seed(header));
}

/*
 * The header checks that need no payload: magic, version, reserved field,
 * rate, and that the counts describe exactly file_size bytes. On success
 * *nsamples and *nmarks are set; both arrays fit in size_t whenever
 * file_size does, since a mark in memory is as large as on disk.
 */
bool cache_format_header_ok(const uint8_t *h, uint64_t file_size, uint64_t *nsamples,
                            uint32_t *nmarks)
{
    if (memcmp(h, CACHE_MAGIC, 8) != 0 || cache_get_u32(h + 8) != CACHE_FORMAT_VERSION ||
        cache_get_u32(h + 28) != 0)
        return false;
    uint32_t rate = cache_get_u32(h + 12);
    if (rate == 0 || rate > INT_MAX)
        return false;
    uint64_t ns = cache_get_u64(h + 16);
    uint32_t nm = cache_get_u32(h + 24);
    if (file_size < CACHE_HEADER_SIZE)
        return false;
    uint64_t rest = file_size - CACHE_HEADER_SIZE;
    uint64_t marks = (uint64_t)nm * CACHE_MARK_SIZE;
    if (marks > rest || ns != (rest - marks) / 2 || (rest - marks) % 2 != 0)
        return false;
    *nsamples = ns;
    *nmarks = nm;
    return true;
}

/*
 * Removes a bad entry, unless a writer has meanwhile renamed a fresh one over
 * the name (then the path no longer leads to the file we read).
 */
static void cache_discard(const char *path, const struct stat *bad)
{
    struct stat now;
    if (stat(path, &now) == 0 && now.st_dev == bad->st_dev && now.st_ino == bad->st_ino)
        unlink(path);
}

/* Parses a whole entry in buf (size bytes) into *out. false when it is bad. */
/* Decodes the entry of `size` bytes read into b's sample array, in place:
 * the samples move to the front of it (no second array; the move costs a
 * small fraction of the read, measured), the marks go to b's marks. */
static bool cache_decode(struct clip_buf *b, size_t size, const struct cache_key *k)
{
    uint8_t *buf = (uint8_t *)(void *)b->clip.samples;
    uint64_t ns;
    uint32_t nm;
    if (!cache_format_header_ok(buf, size, &ns, &nm) || memcmp(buf + 40, k->bytes, 16) != 0)
        return false;
    const uint8_t *payload = buf + CACHE_HEADER_SIZE;
    if (cache_checksum(buf, payload, size - CACHE_HEADER_SIZE) != cache_get_u64(buf + 32))
        return false;
    if (clip_buf_reserve(b, 0, nm) < 0)
        return false;
    struct clip_mark *marks = b->clip.marks;
    for (uint32_t i = 0; i < nm; i++) {
        uint64_t s = cache_get_u64(payload + (size_t)i * CACHE_MARK_SIZE);
        uint64_t t = cache_get_u64(payload + (size_t)i * CACHE_MARK_SIZE + 8);
        if (s > ns || t > SIZE_MAX)
            return false;
        marks[i].sample = (size_t)s;
        marks[i].text_offset = (size_t)t;
    }
    int rate = (int)cache_get_u32(buf + 12);
    if (ns) {
        memmove(buf, payload + (size_t)nm * CACHE_MARK_SIZE, (size_t)ns * 2);
        if (!cache_host_is_little_endian())
            cache_swap16(buf, (size_t)ns);
    }
    b->clip.rate = rate;
    b->clip.n = (size_t)ns;
    b->clip.nmarks = nm;
    return true;
}

bool cache_has(struct clip_cache *c, const struct cache_key *k)
{
    struct stat st;
    return c && stat(cache_path(c, k, false), &st) == 0 && S_ISREG(st.st_mode) &&
           st.st_size >= CACHE_HEADER_SIZE;
}

int cache_load(struct clip_cache *c, const struct cache_key *k, struct clip_buf *out)
{
    if (!c)
        return 0;
    const char *path = cache_path(c, k, false);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 0;
    }
    bool bad = true;
    if (st.st_size >= CACHE_HEADER_SIZE && (uint64_t)st.st_size <= SIZE_MAX) {
        size_t size = (size_t)st.st_size;
        /* No room is a miss, not a reason to abort the render. */
        if (clip_buf_reserve(out, size, 0) < 0) {
            close(fd);
            return 0;
        }
        if (fdio_read_exact(fd, out->clip.samples, size) == 0 && cache_decode(out, size, k))
            bad = false;
    }
    if (bad) {
        out->clip.n = out->clip.nmarks = 0;
        close(fd);
        cache_discard(path, &st);
        return 0;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (st.st_mtime < now.tv_sec - CACHE_REFRESH_SECONDS)
        futimens(fd, NULL); /* a read-only cache keeps its order; that is fine */
    close(fd);
    return 1;
}

int cache_get(struct clip_cache *c, const struct cache_key *k, struct clip *out)
{
    struct clip_buf b = {0};
    int rc = cache_load(c, k, &b);
    if (rc == 1) {
        *out = b.clip;
        /* Only as large as the clip, as a clip of its own would be. */
        if (!out->n) {
            free(out->samples);
            out->samples = NULL;
        }
    } else {
        clip_buf_release(&b);
    }
    return rc;
}

/* Reports the first write failure of this handle; later ones are silent. */
static int cache_write_failed(struct clip_cache *c, struct diags *d, const char *what, int err)
{
    if (!c->warned && d)
        diag_add(d, DIAG_WARNING, NULL, 0, 0, NULL,
                 "cannot store clips in the cache %s (%s: %s); rendering continues without "
                 "storing them",
                 c->dir, what, strerror(err));
    c->warned = true;
    return -1;
}

/*
 * Builds the header and the encoded marks in c->head and returns their size.
 * The samples (nbytes at samples, already little-endian) are not copied:
 * cache_put() writes them straight from the clip. The checksum streams over
 * the marks and then the samples, which XXH3 hashes exactly as one pass over
 * the contiguous payload (the value cache_decode() checks).
 */
static size_t cache_encode(struct clip_cache *c, const struct cache_key *k, const struct clip *clip,
                           const void *samples, size_t nbytes)
{
    size_t marks = clip->nmarks * CACHE_MARK_SIZE;
    size_t size = CACHE_HEADER_SIZE + marks;
    XGROW(c->head, c->head_cap, size);
    uint8_t *buf = c->head;
    memcpy(buf, CACHE_MAGIC, 8);
    cache_put_u32(buf + 8, CACHE_FORMAT_VERSION);
    cache_put_u32(buf + 12, (uint32_t)clip->rate);
    cache_put_u64(buf + 16, (uint64_t)clip->n);
    cache_put_u32(buf + 24, (uint32_t)clip->nmarks);
    cache_put_u32(buf + 28, 0);
    memcpy(buf + 40, k->bytes, 16);
    uint8_t *p = buf + CACHE_HEADER_SIZE;
    for (size_t i = 0; i < clip->nmarks; i++) {
        cache_put_u64(p + i * CACHE_MARK_SIZE, (uint64_t)clip->marks[i].sample);
        cache_put_u64(p + i * CACHE_MARK_SIZE + 8, (uint64_t)clip->marks[i].text_offset);
    }
    XXH3_64bits_reset_withSeed(c->xxh, cache_checksum_seed(buf));
    if (marks)
        XXH3_64bits_update(c->xxh, p, marks);
    if (nbytes)
        XXH3_64bits_update(c->xxh, samples, nbytes);
    cache_put_u64(buf + 32, XXH3_64bits_digest(c->xxh));
    return size;
}

int cache_put(struct clip_cache *c, const struct cache_key *k, const struct clip *clip,
              struct diags *d)
{
    if (!c)
        return -1;
    if (clip->rate <= 0 || clip->nmarks > UINT32_MAX || (clip->n && !clip->samples) ||
        (clip->nmarks && !clip->marks) || clip->n > (SIZE_MAX - 4096) / 2 ||
        clip->nmarks > (SIZE_MAX - 4096) / 2 / CACHE_MARK_SIZE)
        return cache_write_failed(c, d, "invalid clip", EINVAL);
    if (!c->xxh && !(c->xxh = XXH3_createState()))
        return cache_write_failed(c, d, "checksum", ENOMEM);

    char hex[33];
    cache_key_hex(k, hex);
    struct strbuf tmp = STRBUF_INIT;
    strbuf_addf(&tmp, "%s/%.2s/" CACHE_TMP_PREFIX "%s-%ld-%lu", c->dir, hex, hex, (long)getpid(),
                cache_tmp_counter++);
    int fd = -1, err = 0;
    for (int attempt = 0; attempt < CACHE_OPEN_ATTEMPTS; attempt++) {
        fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        err = errno;
        if (fd >= 0 || err != ENOENT)
            break;
        /* Usually only the fan-out folder is missing: one mkdir, not one per
         * component of the path. All of it only when the cache folder itself
         * is gone too (removed while we run). EEXIST is a concurrent writer's
         * folder, or a file in the way that the next open reports. */
        const char *fan_out = cache_path(c, k, true);
        if (mkdir(fan_out, 0777) == 0 || errno == EEXIST)
            continue;
        if (errno != ENOENT || cache_mkdirs(fan_out) != 0) {
            err = errno;
            break;
        }
    }
    if (fd < 0) {
        strbuf_release(&tmp);
        return cache_write_failed(c, d, "create", err);
    }

    /* The file holds little-endian samples: a big-endian host writes a
     * swapped copy, any other writes the clip's own array with no copy. */
    const void *samples = clip->samples;
    size_t nbytes = clip->n * sizeof(int16_t);
    uint8_t *swapped = NULL;
    if (nbytes && !cache_host_is_little_endian()) {
        swapped = xmalloc(nbytes);
        memcpy(swapped, clip->samples, nbytes);
        cache_swap16(swapped, clip->n);
        samples = swapped;
    }
    size_t head = cache_encode(c, k, clip, samples, nbytes);
    struct iovec iov[2] = {{c->head, head}, {(void *)samples, nbytes}};
    const char *what = "write";
    int rc = fdio_writev(fd, iov, 2);
    err = errno;
    free(swapped);
    if (close(fd) != 0 && rc == 0) {
        err = errno;
        rc = -1;
    }
    if (rc == 0) {
        what = "rename";
        /* Concurrent writers of one key race here harmlessly: the entries are
         * identical and the last rename wins. */
        rc = rename(tmp.buf, cache_path(c, k, false));
        err = errno;
    }
    if (rc != 0) {
        unlink(tmp.buf);
        strbuf_release(&tmp);
        /* A folder squatting on this entry's name (not ours to remove)
         * costs this entry only: the cache works for every other key, and
         * a later real failure must still be reported. */
        if (err == EISDIR) {
            if (d)
                diag_add(d, DIAG_WARNING, NULL, 0, 0, NULL,
                         "cannot store a clip in the cache: %s is a folder; that clip is not "
                         "stored",
                         cache_path(c, k, false));
            return -1;
        }
        return cache_write_failed(c, d, what, err);
    }
    strbuf_release(&tmp);
    return 0;
}
