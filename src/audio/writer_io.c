/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audio writer's file I/O (writer_io.h). libsndfile writes into a
 * keepfile (an output rewritten only when its bytes change) through virtual
 * I/O callbacks. The callbacks are there for two reasons: that keepfile, and
 * some libsndfile encoders (MP3, Ogg) that log a short write and carry on, so
 * a full disk would otherwise produce a truncated file and a success code.
 * Here the first I/O error is latched and turns the whole output into a
 * failure. libsndfile's 8 KiB writes are gathered in a write-behind buffer,
 * and after closing, the Ogg pages get a serial number derived from the
 * audio.
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

/* ---- Ogg serial numbers ---- */

/* Reads exactly n bytes at off: 1, 0 at end of file, -1 with errno set otherwise. */
static int writer_pread(struct keepfile *kf, void *buf, size_t n, uint64_t off)
{
    ssize_t got = keepfile_pread(kf, buf, n, off);
    if (got < 0)
        return -1;
    if ((size_t)got == n)
        return 1;
    if (got == 0)
        return 0;
    errno = EIO; /* a page cut short: libsndfile wrote something we do not understand */
    return -1;
}

/*
 * libsndfile 1.2.0 seeds the Ogg stream serial number from gettimeofday()
 * and offers no way to set it, so two renders of the same input differ in
 * bytes 14-17 and the checksum of every page. Rewrite each page header with
 * a serial derived from the audio (distinct programmes still get distinct
 * serials, which matters when files are chained) and recompute the CRC: the
 * Ogg polynomial 0x04c11db7, MSB first, initial value 0, no final xor, over
 * the page with the CRC field zeroed.
 */
int writer_io_fix_ogg_serial(struct audio_writer *w)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t r = i << 24;
        for (int b = 0; b < 8; b++)
            r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
        table[i] = r;
    }

    /* The largest page: 27-byte header, 255 lacing values, 255 * 255 bytes of body. */
    enum { PAGE_MAX = 27 + 255 + 255 * 255 };
    unsigned char *page = xmalloc(PAGE_MAX);
    struct keepfile *kf = &w->kf;
    int rc = 0;
    uint64_t off = 0;
    for (;;) {
        int got = writer_pread(kf, page, 27, off);
        if (got == 0)
            break;
        if (got < 0 || memcmp(page, "OggS", 4) != 0) {
            writer_latch(w, got < 0 ? errno : EIO);
            rc = -1;
            break;
        }
        size_t nseg = page[26], body = 0;
        if (nseg > 0 && writer_pread(kf, page + 27, nseg, off + 27) != 1) {
            writer_latch(w, EIO);
            rc = -1;
            break;
        }
        for (size_t i = 0; i < nseg; i++)
            body += page[27 + i];
        if (body > 0 && writer_pread(kf, page + 27 + nseg, body, off + 27 + nseg) != 1) {
            writer_latch(w, EIO);
            rc = -1;
            break;
        }

        uint32_t serial = w->hash;
        for (int i = 0; i < 4; i++) {
            page[14 + i] = (unsigned char)(serial >> (8 * i));
            page[22 + i] = 0;
        }
        uint32_t crc = 0;
        size_t len = 27 + nseg + body;
        for (size_t i = 0; i < len; i++)
            crc = (crc << 8) ^ table[((crc >> 24) ^ page[i]) & 0xff];
        for (int i = 0; i < 4; i++)
            page[22 + i] = (unsigned char)(crc >> (8 * i));

        if (keepfile_pwrite(kf, page, 27, off) != 0) {
            writer_latch(w, errno);
            rc = -1;
            break;
        }
        off += len;
    }
    free(page);
    return rc;
}
