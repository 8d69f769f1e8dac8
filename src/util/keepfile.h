/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An output file that is only replaced when its content changes. Rendering a
 * transcript again after a change elsewhere, or with every clip in the cache,
 * gives the same bytes as last time; writing them out again and freeing the
 * old file cost more than the render's own work (a 1.5 GB WAV: 0.5 to 3.5 s
 * of kernel time, measured). A keepfile compares what the caller writes with
 * the file already at the destination and writes nothing while they agree;
 * at the first lasting difference it starts an atomicfile's temporary with
 * the old file's bytes so far and carries on there.
 *
 * Writes go to positions (pwrite-style), because encoders write a header
 * first and rewrite it when they close: a write that differs from the old
 * file is kept in memory as a patch (up to KEEPFILE_PATCH_BYTES in all) and
 * only becomes a real difference if it is still there at commit.
 *
 * Contract: struct keepfile is owned by the caller. keepfile_open() opens
 * the atomicfile's temporary at once (so a folder that cannot be written
 * fails early, as with atomicfile) and, when path names a regular file, that
 * file for reading. The caller writes only through keepfile_pwrite() and
 * reads through keepfile_pread(); the content is what a real file would hold
 * (bytes never written read as zeros). Exactly one of keepfile_commit() or
 * keepfile_abort() ends its life (keepfile_finish() is a step before
 * either); abort after commit is a no-op. I/O
 * functions return -1 with errno set and add no diagnostic; commit adds a
 * DIAG_SYSTEM diagnostic naming the destination, as atomicfile_commit() does.
 */
#ifndef SCRIPTCAST_KEEPFILE_H
#define SCRIPTCAST_KEEPFILE_H

#include "util/atomicfile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct diags;

/* Patches are the bytes written that differ from the old file: at most this
 * many in all, so memory stays bounded however long the output. Past it the
 * output is written out for real. Ogg pages rewritten at close (27 bytes
 * each, one page per few KB of audio) are what it must hold. */
#define KEEPFILE_PATCH_BYTES ((size_t)4 << 20)

struct keepfile_patch {
    uint64_t off;
    size_t len; /* 0: dead (superseded), skipped everywhere */
    unsigned char *bytes;
};

/* Where one write differs from the old file (relative to the write). */
struct keepfile_span {
    size_t at, len;
};

struct keepfile {
    struct atomicfile af;
    int old;                        /* the file at path while it may still be kept; -1 otherwise */
    uint64_t old_size;              /* its length when opened */
    bool writing;                   /* the temporary holds the content: writes go there */
    uint64_t size;                  /* length of the content */
    uint64_t flushed;               /* writing: bytes before this offset are on their way to disk */
    struct keepfile_patch *patches; /* ascending, disjoint */
    size_t npatches, patchcap, live, patch_bytes;
    unsigned char *cmp;          /* KEEPFILE_CMP bytes of the old file, for comparing */
    struct keepfile_span *spans; /* of the write being compared */
    size_t nspans, spancap;
};

/* 0, or -1 with a DIAG_SYSTEM diagnostic (kf is then closed). */
int keepfile_open(struct keepfile *kf, const char *path, struct diags *d);

/* Puts n bytes at off. 0, or -1 with errno set. */
int keepfile_pwrite(struct keepfile *kf, const void *buf, size_t n, uint64_t off);

/* Reads up to n bytes at off: the count (short only at the end), or -1. */
ssize_t keepfile_pread(struct keepfile *kf, void *buf, size_t n, uint64_t off);

/* Length of the content written so far. */
uint64_t keepfile_size(const struct keepfile *kf);

/*
 * Ends the writing. When the content equals the old file (still the file at
 * path), *kept is true: the old file is the output, the temporary is gone,
 * and keepfile_touch() may then give it a fresh modification time (build
 * tools look at it). Otherwise the temporary is complete and closed:
 * kf->af is finished (atomicfile_finish()) and waits for its rename, by
 * atomicfile_commit() or atomicset_commit(). 0, or -1 with a diagnostic
 * (kf released, path left as it was). keepfile_abort() ends kf either way.
 */
int keepfile_finish(struct keepfile *kf, bool *kept, struct diags *d);

/* Sets a kept old file's modification time to now; nothing otherwise. */
void keepfile_touch(struct keepfile *kf);

/*
 * keepfile_finish(), then for a kept file keepfile_touch(), else the rename
 * as in atomicfile_commit(). 0, or -1 with a diagnostic (path left as it
 * was). kf is released in both cases.
 */
int keepfile_commit(struct keepfile *kf, bool *kept, struct diags *d);

/* Moves the keepfile to dst (same state, same obligations); src is left
 * closed, so keepfile_abort(src) does nothing. */
void keepfile_move(struct keepfile *dst, struct keepfile *src);

/* Leaves path as it was and frees everything. */
void keepfile_abort(struct keepfile *kf);

#endif
