/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audio writer's file I/O (writer_io.h). libsndfile writes into a
 * keepfile (an output rewritten only when its bytes change) through virtual
 * I/O callbacks. The callbacks are there for two reasons: that keepfile, and
 * some libsndfile encoders (MP3, Ogg) that log a short write and carry on, so
 * a full disk would otherwise produce a truncated file and a success code.
 * Here the first I/O error is latched and turns the whole output into a
 * failure. libsndfile's 8 KiB writes are gathered in a write-behind buffer.
 */
#include "audio/writer_io.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- libsndfile virtual I/O on the keepfile ---- */

static void writer_latch(struct audio_writer *w, int err)
{
    if (!w->io_errno)
        w->io_errno = err ? err : EIO;
}

/*
 * libsndfile hands its output over in 8 KiB pieces; a write(2) each cost
 * most of a warm render's time (150 MB of WAV is 18,000 writes). Writes are
 * gathered in WRITER_WBUF bytes first; every other operation flushes them,
 * so seeks, reads and the header fix-ups at close see the real file.
 */
#define WRITER_WBUF (1u << 20)

int writer_io_flush(struct audio_writer *w)
{
    int rc = 0;
    if (w->wlen && keepfile_pwrite(&w->kf, w->wbuf, w->wlen, (uint64_t)w->pos - w->wlen) != 0) {
        writer_latch(w, errno);
        rc = -1;
    }
    w->wlen = 0;
    return rc;
}

static sf_count_t writer_vio_filelen(void *user)
{
    struct audio_writer *w = user;
    if (writer_io_flush(w) != 0)
        return -1;
    return (sf_count_t)keepfile_size(&w->kf);
}

static sf_count_t writer_vio_seek(sf_count_t offset, int whence, void *user)
{
    struct audio_writer *w = user;
    if (writer_io_flush(w) != 0)
        return -1;
    sf_count_t base = whence == SEEK_SET   ? 0
                      : whence == SEEK_CUR ? w->pos
                      : whence == SEEK_END ? (sf_count_t)keepfile_size(&w->kf)
                                           : -1;
    if (base < 0 || (offset < 0 && -offset > base)) {
        writer_latch(w, EINVAL);
        return -1;
    }
    w->pos = base + offset;
    return w->pos;
}

static sf_count_t writer_vio_read(void *ptr, sf_count_t count, void *user)
{
    struct audio_writer *w = user;
    if (count <= 0 || writer_io_flush(w) != 0)
        return 0;
    ssize_t got = keepfile_pread(&w->kf, ptr, (size_t)count, (uint64_t)w->pos);
    if (got < 0) {
        writer_latch(w, errno);
        got = 0;
    }
    w->pos += got;
    return got;
}

static sf_count_t writer_vio_write(const void *ptr, sf_count_t count, void *user)
{
    struct audio_writer *w = user;
    if (count <= 0)
        return 0;
    if (!w->wbuf)
        w->wbuf = xmalloc(WRITER_WBUF);
    if (w->wlen + (size_t)count > WRITER_WBUF && writer_io_flush(w) != 0)
        return 0;
    if ((size_t)count >= WRITER_WBUF) {
        if (keepfile_pwrite(&w->kf, ptr, (size_t)count, (uint64_t)w->pos) != 0) {
            writer_latch(w, errno);
            return 0;
        }
        w->pos += count;
        return count;
    }
    memcpy(w->wbuf + w->wlen, ptr, (size_t)count);
    w->wlen += (size_t)count;
    w->pos += count;
    return count;
}

static sf_count_t writer_vio_tell(void *user)
{
    struct audio_writer *w = user;
    return w->pos;
}

void writer_io_callbacks(SF_VIRTUAL_IO *vio)
{
    SF_VIRTUAL_IO cb = {writer_vio_filelen, writer_vio_seek, writer_vio_read, writer_vio_write,
                        writer_vio_tell};
    *vio = cb;
}
