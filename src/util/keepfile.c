/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Replace-only-when-changed output files (contract in keepfile.h). While the
 * content so far agrees with the old file, nothing is written: each write is
 * compared with the old file's bytes, and the bytes that differ are kept as
 * patches, which later writes to the same place supersede. A patch that
 * outlives its budget, a gap, or a commit with patches left turns the
 * keepfile into a plain atomicfile: the old bytes so far and the patches go
 * to the temporary, and every later write goes straight there.
 */
#define _GNU_SOURCE /* copy_file_range, sync_file_range */
#include "util/keepfile.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes of the old file read at a time for comparing. */
#define KEEPFILE_CMP ((size_t)1 << 20)

/* Most patches at once; each costs a few dozen bytes besides its own. */
#define KEEPFILE_PATCHES ((size_t)1 << 17)

/* A longer difference in one write is new content, not a header that will
 * be written again: the output is written out at once. */
#define KEEPFILE_PATCH_ONE ((size_t)64 << 10)

/* Runs of differing bytes closer than this become one patch. */
#define KEEPFILE_JOIN 16

/*
 * Once writing, the disk writes are started every KEEPFILE_WRITEBACK bytes
 * without waiting for them: when the finished file replaces an older one,
 * ext4 starts writing out whatever is still only in memory (its guard against
 * empty files after a crash), and with the whole file there that took longer
 * than a warm render's own work (90 ms for 150 MB, measured). Started along
 * the way, the writes overlap the render.
 */
#define KEEPFILE_WRITEBACK ((uint64_t)8 << 20)

int keepfile_open(struct keepfile *kf, const char *path, struct diags *d)
{
    memset(kf, 0, sizeof(*kf));
    kf->old = -1;
    if (atomicfile_open(&kf->af, path, d) != 0)
        return -1;
    /* Only a regular file can be kept: not a FIFO (O_NONBLOCK keeps the open
     * from waiting for a writer), a device, or a symlink, which atomicfile
     * replaces with a file. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        kf->old = fd;
        kf->old_size = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    } else {
        if (fd >= 0)
            close(fd);
        kf->writing = true;
    }
    return 0;
}

uint64_t keepfile_size(const struct keepfile *kf)
{
    return kf->size;
}

static void keepfile_free_patches(struct keepfile *kf)
{
    for (size_t i = 0; i < kf->npatches; i++)
        free(kf->patches[i].bytes);
    free(kf->patches);
    kf->patches = NULL;
    kf->npatches = kf->patchcap = kf->live = kf->patch_bytes = 0;
}

static void keepfile_release(struct keepfile *kf)
{
    keepfile_free_patches(kf);
    free(kf->spans);
    kf->spans = NULL;
    kf->nspans = kf->spancap = 0;
    if (kf->old >= 0)
        close(kf->old);
    kf->old = -1;
    free(kf->cmp);
    kf->cmp = NULL;
}

/* A write to the temporary, with the write-behind hint. */
static int keepfile_put(struct keepfile *kf, const void *buf, size_t n, uint64_t off)
{
    if (fdio_pwrite(kf->af.fd, buf, n, (off_t)off) != 0)
        return -1;
    uint64_t end = off + n;
    if (end > kf->size)
        kf->size = end;
#ifdef SYNC_FILE_RANGE_WRITE
    if (end > kf->flushed && end - kf->flushed >= KEEPFILE_WRITEBACK) {
        /* Only a hint: where it is not supported, nothing is lost. */
        sync_file_range(kf->af.fd, (off_t)kf->flushed, (off_t)(end - kf->flushed),
                        SYNC_FILE_RANGE_WRITE);
        kf->flushed = end;
    }
#endif
    return 0;
}

/* Copies the old file's first n bytes into the temporary. */
static int keepfile_copy_old(struct keepfile *kf, uint64_t n)
{
    uint64_t done = 0;
    /* In the kernel where it can (no trip through our memory)... */
    while (done < n) {
        loff_t in = (loff_t)done, out = (loff_t)done;
        ssize_t got = copy_file_range(kf->old, &in, kf->af.fd, &out, (size_t)(n - done), 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += (uint64_t)got;
    }
    /* ...and by hand where it cannot (old kernels, some file systems). */
    if (!kf->cmp)
        kf->cmp = xmalloc(KEEPFILE_CMP);
    while (done < n) {
        size_t want = n - done < KEEPFILE_CMP ? (size_t)(n - done) : KEEPFILE_CMP;
        if (fdio_pread_exact(kf->old, kf->cmp, want, (off_t)done) != 0 ||
            fdio_pwrite(kf->af.fd, kf->cmp, want, (off_t)done) != 0)
            return -1;
        done += want;
    }
    return 0;
}

/* From comparing to writing: the temporary gets the content so far. */
static int keepfile_materialize(struct keepfile *kf)
{
    if (kf->writing)
        return 0;
    uint64_t from_old = kf->size < kf->old_size ? kf->size : kf->old_size;
    if (keepfile_copy_old(kf, from_old) != 0)
        return -1;
    for (size_t i = 0; i < kf->npatches; i++) {
        const struct keepfile_patch *p = &kf->patches[i];
        if (p->len && fdio_pwrite(kf->af.fd, p->bytes, p->len, (off_t)p->off) != 0)
            return -1;
    }
    if (ftruncate(kf->af.fd, (off_t)kf->size) != 0)
        return -1;
    keepfile_free_patches(kf);
    close(kf->old);
    kf->old = -1;
    /* Nothing is compared any more: the render goes on without the buffer. */
    free(kf->cmp);
    kf->cmp = NULL;
    kf->writing = true;
    return 0;
}

/* Index of the first patch whose offset is >= off. */
static size_t keepfile_find(const struct keepfile *kf, uint64_t off)
{
    size_t lo = 0, hi = kf->npatches;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kf->patches[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the first patch that may cover off or come after it: the one
 * keepfile_find() gives, or the last live patch before it, which may reach
 * over off (dead ones in between do not count). */
static size_t keepfile_reaching(const struct keepfile *kf, uint64_t off)
{
    size_t i = keepfile_find(kf, off), j = i;
    while (j > 0 && kf->patches[j - 1].len == 0)
        j--;
    if (j > 0 && kf->patches[j - 1].off + kf->patches[j - 1].len > off)
        return j - 1;
    return i;
}

static void keepfile_insert(struct keepfile *kf, size_t at, uint64_t off, const void *bytes,
                            size_t len)
{
    XGROW(kf->patches, kf->patchcap, kf->npatches + 1);
    memmove(&kf->patches[at + 1], &kf->patches[at], (kf->npatches - at) * sizeof(*kf->patches));
    struct keepfile_patch *p = &kf->patches[at];
    p->off = off;
    p->len = len;
    p->bytes = xmalloc(len);
    memcpy(p->bytes, bytes, len);
    kf->npatches++;
    kf->live++;
    kf->patch_bytes += len;
}

/* Dead patches are dropped once they outnumber the live ones. */
static void keepfile_compact(struct keepfile *kf)
{
    if (kf->npatches - kf->live < kf->live + 1024)
        return;
    size_t k = 0;
    for (size_t i = 0; i < kf->npatches; i++)
        if (kf->patches[i].len)
            kf->patches[k++] = kf->patches[i];
    kf->npatches = k;
}

/*
 * A patch that now starts at off may have dead ones after it that started
 * before off: they move up to it, so that offsets stay in order for
 * keepfile_find(). (Dead patches are skipped everywhere else.)
 */
static void keepfile_bump(struct keepfile *kf, size_t from, uint64_t off)
{
    for (size_t j = from; j < kf->npatches && kf->patches[j].len == 0 && kf->patches[j].off < off;
         j++)
        kf->patches[j].off = off;
}

/* Removes [lo, hi) from the patches: a new write there supersedes them. */
static void keepfile_cut(struct keepfile *kf, uint64_t lo, uint64_t hi)
{
    for (size_t i = keepfile_reaching(kf, lo); i < kf->npatches && kf->patches[i].off < hi; i++) {
        struct keepfile_patch *p = &kf->patches[i];
        uint64_t a = p->off, b = p->off + p->len;
        if (p->len == 0 || b <= lo)
            continue;
        if (a >= lo && b <= hi) { /* all of it */
            kf->patch_bytes -= p->len;
            free(p->bytes);
            p->bytes = NULL;
            p->len = 0;
            kf->live--;
        } else if (a < lo && b > hi) { /* the middle: two patches remain */
            size_t tail = (size_t)(b - hi);
            keepfile_insert(kf, i + 1, hi, kf->patches[i].bytes + (hi - a), tail);
            p = &kf->patches[i];
            kf->patch_bytes -= (size_t)(b - lo);
            p->len = (size_t)(lo - a);
            i++;
            keepfile_bump(kf, i + 1, hi);
        } else if (a < lo) { /* its end */
            kf->patch_bytes -= (size_t)(b - lo);
            p->len = (size_t)(lo - a);
        } else { /* its start */
            size_t keep = (size_t)(b - hi);
            memmove(p->bytes, p->bytes + (hi - a), keep);
            kf->patch_bytes -= (size_t)(hi - a);
            p->off = hi;
            p->len = keep;
            keepfile_bump(kf, i + 1, hi);
        }
    }
}

/* Adds [a, a + len) of the write to the spans that differ, joining it to
 * the last span when only a few equal bytes lie between them. */
static void keepfile_span(struct keepfile *kf, size_t a, size_t len)
{
    if (kf->nspans) {
        struct keepfile_span *last = &kf->spans[kf->nspans - 1];
        if (a <= last->at + last->len + KEEPFILE_JOIN) {
            last->len = a + len - last->at;
            return;
        }
    }
    XGROW(kf->spans, kf->spancap, kf->nspans + 1);
    kf->spans[kf->nspans].at = a;
    kf->spans[kf->nspans].len = len;
    kf->nspans++;
}

/*
 * Adds the runs where a and b (n bytes, at position base of the write)
 * differ to kf->spans, adding their length to *total, and stops early once
 * *total passes limit: then the caller writes the file out anyway.
 */
static void keepfile_diff(struct keepfile *kf, const unsigned char *a, const unsigned char *b,
                          size_t n, size_t base, size_t *total, size_t limit)
{
    size_t i = 0;
    while (i < n && *total <= limit) {
        /* Equal stretches go by in blocks. */
        while (i < n) {
            size_t m = n - i < 256 ? n - i : 256;
            if (memcmp(a + i, b + i, m) != 0)
                break;
            i += m;
        }
        if (i >= n)
            break;
        while (a[i] == b[i])
            i++;
        size_t start = i, last = i;
        for (i++; i < n && i - last <= KEEPFILE_JOIN; i++)
            if (a[i] != b[i])
                last = i;
        keepfile_span(kf, base + start, last + 1 - start);
        *total += last + 1 - start;
        i = last + 1;
    }
}

/*
 * Compares buf (n bytes for off) with the old file, leaving in kf->spans the
 * runs that differ (bytes past the old file's end always do). The bytes
 * that differ in all, more than limit when they go past it; -1 on a read
 * error.
 */
static ssize_t keepfile_compare(struct keepfile *kf, const unsigned char *buf, size_t n,
                                uint64_t off, size_t limit)
{
    kf->nspans = 0;
    size_t total = 0, done = 0;
    size_t in_old = off >= kf->old_size      ? 0
                    : kf->old_size - off < n ? (size_t)(kf->old_size - off)
                                             : n;
    if (in_old && !kf->cmp)
        kf->cmp = xmalloc(KEEPFILE_CMP);
    while (done < in_old && total <= limit) {
        size_t want = in_old - done < KEEPFILE_CMP ? in_old - done : KEEPFILE_CMP;
        if (fdio_pread_exact(kf->old, kf->cmp, want, (off_t)(off + done)) != 0)
            return -1;
        keepfile_diff(kf, buf + done, kf->cmp, want, done, &total, limit);
        done += want;
    }
    if (in_old < n) {
        keepfile_span(kf, in_old, n - in_old);
        total += n - in_old;
    }
    return (ssize_t)(total < SSIZE_MAX ? total : SSIZE_MAX);
}

int keepfile_pwrite(struct keepfile *kf, const void *buf, size_t n, uint64_t off)
{
    if (n == 0)
        return 0;
    if (off > UINT64_MAX - n) {
        errno = EFBIG;
        return -1;
    }
    /* A gap would read as zeros in the new file but as old bytes here. */
    if (!kf->writing && off > kf->size && keepfile_materialize(kf) != 0)
        return -1;
    if (kf->writing)
        return keepfile_put(kf, buf, n, off);

    size_t room = KEEPFILE_PATCH_BYTES - kf->patch_bytes;
    size_t limit = room < KEEPFILE_PATCH_ONE ? room : KEEPFILE_PATCH_ONE;
    ssize_t differs = keepfile_compare(kf, buf, n, off, limit);
    if (differs < 0)
        return -1;
    if ((size_t)differs > limit || kf->live + kf->nspans > KEEPFILE_PATCHES) {
        /* Too much differs to be a header written again later: write it out. */
        if (keepfile_materialize(kf) != 0)
            return -1;
        return keepfile_put(kf, buf, n, off);
    }
    keepfile_cut(kf, off, off + n);
    for (size_t i = 0; i < kf->nspans; i++) {
        uint64_t at = off + kf->spans[i].at;
        keepfile_insert(kf, keepfile_find(kf, at), at, (const unsigned char *)buf + kf->spans[i].at,
                        kf->spans[i].len);
    }
    keepfile_compact(kf);
    if (off + n > kf->size)
        kf->size = off + n;
    return 0;
}

ssize_t keepfile_pread(struct keepfile *kf, void *buf, size_t n, uint64_t off)
{
    if (kf->writing)
        return fdio_pread(kf->af.fd, buf, n, (off_t)off);
    if (off >= kf->size)
        return 0;
    if (kf->size - off < n)
        n = (size_t)(kf->size - off);
    unsigned char *out = buf;
    size_t in_old = off >= kf->old_size      ? 0
                    : kf->old_size - off < n ? (size_t)(kf->old_size - off)
                                             : n;
    if (in_old && fdio_pread_exact(kf->old, out, in_old, (off_t)off) != 0)
        return -1;
    memset(out + in_old, 0, n - in_old);
    for (size_t i = keepfile_reaching(kf, off); i < kf->npatches && kf->patches[i].off < off + n;
         i++) {
        const struct keepfile_patch *p = &kf->patches[i];
        uint64_t a = p->off > off ? p->off : off;
        uint64_t b = p->off + p->len < off + n ? p->off + p->len : off + n;
        if (p->len && a < b)
            memcpy(out + (a - off), p->bytes + (a - p->off), (size_t)(b - a));
    }
    return (ssize_t)n;
}

/* The old file is still what path names (nobody replaced it meanwhile). */
static bool keepfile_still_there(const struct keepfile *kf)
{
    struct stat now, old;
    return stat(kf->af.path, &now) == 0 && fstat(kf->old, &old) == 0 && now.st_dev == old.st_dev &&
           now.st_ino == old.st_ino && (uint64_t)old.st_size == kf->old_size;
}

/*
 * Drops the patches that hold the old bytes after all: runs that differed
 * were joined with the few equal bytes between them, and a later write may
 * have replaced the differing parts only. false on a read error.
 */
static bool keepfile_settle(struct keepfile *kf)
{
    for (size_t i = 0; i < kf->npatches && kf->live > 0; i++) {
        struct keepfile_patch *p = &kf->patches[i];
        if (p->len == 0 || p->off + p->len > kf->old_size)
            continue;
        if (!kf->cmp)
            kf->cmp = xmalloc(KEEPFILE_CMP);
        /* Patches are at most KEEPFILE_PATCH_ONE long: one read each. */
        if (fdio_pread_exact(kf->old, kf->cmp, p->len, (off_t)p->off) != 0)
            return false;
        if (memcmp(kf->cmp, p->bytes, p->len) == 0) {
            kf->patch_bytes -= p->len;
            free(p->bytes);
            p->bytes = NULL;
            p->len = 0;
            kf->live--;
        }
    }
    return true;
}

int keepfile_finish(struct keepfile *kf, bool *kept, struct diags *d)
{
    *kept = false;
    if (!kf->writing && kf->size == kf->old_size && keepfile_settle(kf) && kf->live == 0 &&
        keepfile_still_there(kf)) {
        /* Same bytes: the old file is the output. Its descriptor stays open
         * for keepfile_touch(); the temporary is not needed. */
        atomicfile_abort(&kf->af);
        *kept = true;
        return 0;
    }
    if (keepfile_materialize(kf) != 0) {
        diag_add(d, DIAG_SYSTEM, kf->af.path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        keepfile_abort(kf);
        return -1;
    }
    keepfile_release(kf);
    return atomicfile_finish(&kf->af, d);
}

void keepfile_touch(struct keepfile *kf)
{
    /* A file we may not touch (someone else's, read-only) keeps its time;
     * that is no failure. */
    if (kf->old >= 0)
        futimens(kf->old, NULL);
}

int keepfile_commit(struct keepfile *kf, bool *kept, struct diags *d)
{
    if (keepfile_finish(kf, kept, d) != 0)
        return -1;
    if (*kept) {
        keepfile_touch(kf);
        keepfile_abort(kf);
        return 0;
    }
    return atomicfile_commit(&kf->af, d);
}

void keepfile_move(struct keepfile *dst, struct keepfile *src)
{
    *dst = *src;
    memset(src, 0, sizeof(*src));
    src->old = -1;
    src->af.fd = -1;
}

void keepfile_abort(struct keepfile *kf)
{
    keepfile_release(kf);
    atomicfile_abort(&kf->af);
}
