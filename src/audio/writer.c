/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Streaming audio writer (contract in writer.h). Samples go through libsoxr
 * when the output rate differs, then to the encoder: libsndfile for WAV,
 * which writes into a keepfile through virtual I/O callbacks (writer_io.c);
 * libavcodec for the compressed formats (avenc.c), whose packets become the
 * container at commit (avmux.c), once the chapters are known. This file
 * picks the format, configures the encoder and the resampler, and feeds
 * them; what is particular to WAV and RF64 is in writer_wav.c.
 */
#include "audio/writer.h"
#include "audio/avenc.h"
#include "audio/avmux.h"
#include "audio/peaks.h"
#include "audio/writer_io.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const writer_names[] = {"wav", "flac", "ogg", "opus", "mp3", "m4a", "m4b"};
#define WRITER_NFORMATS (sizeof(writer_names) / sizeof(writer_names[0]))

/* ASCII-only case folding: strcasecmp() would follow the locale. */
static bool writer_ext_equal(const char *ext, const char *name)
{
    for (; *ext && *name; ext++, name++) {
        char c = *ext >= 'A' && *ext <= 'Z' ? (char)(*ext - 'A' + 'a') : *ext;
        if (c != *name)
            return false;
    }
    return *ext == *name;
}

int audio_format_from_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return -1;
    for (size_t i = 0; i < WRITER_NFORMATS; i++) {
        if (writer_ext_equal(dot + 1, writer_names[i]))
            return (int)i;
    }
    return -1;
}

const char *audio_format_name(enum audio_format f)
{
    if ((unsigned)f < WRITER_NFORMATS)
        return writer_names[f];
    return "unknown";
}

/* ---- helpers ---- */

/*
 * Reports the first failure; later calls stay silent so that one cause gives
 * one message. An I/O error explains more than the encoder's view of it.
 */
static int writer_fail(struct audio_writer *w, struct diags *d, const char *what,
                       const char *detail)
{
    if (w->failed)
        return -1;
    w->failed = true;
    if (w->io_errno)
        diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL, "cannot write: %s", strerror(w->io_errno));
    else
        diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL, "%s: %s", what, detail);
    return -1;
}

static int writer_natural_rate(enum audio_format fmt, int in_rate, int out_rate)
{
    /* Opus decoders always output 48 kHz: encode at that rate (see writer.h). */
    if (fmt == AUDIO_OPUS)
        return 48000;
    return out_rate > 0 ? out_rate : in_rate;
}

static bool writer_mp3_rate_ok(int rate)
{
    static const int rates[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
    for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
        if (rate == rates[i])
            return true;
    }
    return false;
}

static char *writer_dup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* Deep copy of the caller's tags: the container is written at commit. */
static void writer_meta_copy(struct audio_meta *dst, const struct audio_meta *src)
{
    memset(dst, 0, sizeof(*dst));
    if (!src)
        return;
    dst->title = writer_dup(src->title);
    dst->artist = writer_dup(src->artist);
    dst->date = writer_dup(src->date);
    dst->comment = writer_dup(src->comment);
    dst->album = writer_dup(src->album);
    dst->genre = writer_dup(src->genre);
    dst->description = writer_dup(src->description);
    dst->language = writer_dup(src->language);
    dst->track = writer_dup(src->track);
    dst->bitrate = src->bitrate;
    if (src->cover && src->cover_len && src->cover_mime) {
        unsigned char *c = xmalloc(src->cover_len);
        memcpy(c, src->cover, src->cover_len);
        dst->cover = c;
        dst->cover_len = src->cover_len;
        dst->cover_mime = xstrdup(src->cover_mime);
        dst->cover_width = src->cover_width;
        dst->cover_height = src->cover_height;
    }
}

static void writer_meta_free(struct audio_meta *m)
{
    const char *strs[] = {m->title, m->artist,      m->date,     m->comment, m->album,
                          m->genre, m->description, m->language, m->track,   m->cover_mime};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        free((char *)strs[i]);
    free((unsigned char *)m->cover);
    memset(m, 0, sizeof(*m));
}

static void writer_chapters_free(struct audio_writer *w)
{
    for (size_t i = 0; i < w->nchapters; i++)
        free((char *)w->chapters[i].title);
    free(w->chapters);
    w->chapters = NULL;
    w->nchapters = 0;
}

void audio_writer_set_chapters(struct audio_writer *w, const struct audio_chapter *ch, size_t n)
{
    writer_chapters_free(w);
    if (!n)
        return;
    w->chapters = xcalloc(n, sizeof(*w->chapters));
    for (size_t i = 0; i < n; i++) {
        w->chapters[i] = ch[i];
        w->chapters[i].title = xstrdup(ch[i].title ? ch[i].title : "");
    }
    w->nchapters = n;
}

static void writer_free(struct audio_writer *w)
{
    avenc_free(w->av);
    writer_meta_free(&w->meta);
    writer_chapters_free(w);
    if (w->soxr)
        soxr_delete(w->soxr);
    free(w->fbuf);
    free(w->sbuf);
    free(w->zeros);
    free(w->stage);
    free(w->wbuf);
    free(w->path);
    free(w);
}

struct audio_writer *audio_writer_open(const char *path, enum audio_format fmt, int in_rate,
                                       int out_rate, int channels, const struct audio_meta *meta,
                                       struct diags *d)
{
    return audio_writer_open_sized(path, fmt, in_rate, out_rate, channels, meta, 0, d);
}

struct audio_writer *audio_writer_open_sized(const char *path, enum audio_format fmt, int in_rate,
                                             int out_rate, int channels,
                                             const struct audio_meta *meta, uint64_t expect_frames,
                                             struct diags *d)
{
    if ((unsigned)fmt >= WRITER_NFORMATS || in_rate <= 0 || out_rate < 0 || channels < 1) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                 "internal error: bad audio parameters (format %d, %d Hz, %d channels)", (int)fmt,
                 in_rate, channels);
        return NULL;
    }

    /*
     * libsndfile 1.2.0 would refuse these too, but leaks the LAME encoder
     * when it does, and its message does not list what would work.
     */
    int rate = writer_natural_rate(fmt, in_rate, out_rate);
    if (fmt == AUDIO_MP3 && !writer_mp3_rate_ok(rate)) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                 "MP3 cannot be written at %d Hz (it takes 8000, 11025, 12000, 16000, 22050, "
                 "24000, 32000, 44100 or 48000)",
                 rate);
        return NULL;
    }

    struct audio_writer *w = xcalloc(1, sizeof(*w));
    w->path = xstrdup(path);
    w->fmt = fmt;
    w->in_rate = in_rate;
    w->out_rate = rate;
    w->channels = channels;
    w->hash = 2166136261u;
    w->stage = xmalloc((size_t)WRITER_CHUNK * (size_t)channels * sizeof(*w->stage));
    writer_wav_plan(w, meta, expect_frames);

    if (keepfile_open(&w->kf, path, d) != 0) {
        writer_free(w);
        return NULL;
    }

    if (fmt != AUDIO_WAV) {
        char err[256];
        w->band_rate = fmt == AUDIO_OPUS ? out_rate : 0;
        w->av = avenc_open(fmt, w->out_rate, channels, w->band_rate, meta ? meta->bitrate : 0, err,
                           sizeof(err));
        if (!w->av) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "%s", err);
            goto fail;
        }
        writer_meta_copy(&w->meta, meta);
    } else if (writer_open_wav(w, meta, d) != 0) {
        goto fail;
    }

    if (w->out_rate != in_rate) {
        /*
         * Float output and our own rounding: soxr's int16 output would add
         * TPDF dither, which is noise we do not need. HQ (20-bit) runs the
         * single-precision engine, the same code on every x86-64; the
         * double-precision one picks AVX or SSE by CPU, and its results could
         * differ between machines.
         */
        soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_FLOAT32_I);
        soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
        soxr_runtime_spec_t rt = soxr_runtime_spec(1);
        soxr_error_t err = NULL;
        w->soxr = soxr_create(in_rate, w->out_rate, (unsigned)channels, &err, &io, &q, &rt);
        if (!w->soxr || err) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot resample from %d to %d Hz: %s",
                     in_rate, w->out_rate, err ? err : "unknown error");
            goto fail;
        }
        w->fcap = (size_t)((double)WRITER_CHUNK * w->out_rate / in_rate) + 256;
        w->fbuf = xmalloc(w->fcap * (size_t)channels * sizeof(*w->fbuf));
        w->sbuf = xmalloc(w->fcap * (size_t)channels * sizeof(*w->sbuf));
    }
    if (writer_pipe_start(w, d) != 0)
        goto fail;
    return w;

fail:
    audio_writer_abort(w);
    return NULL;
}

int audio_writer_rate(const struct audio_writer *w)
{
    return w->out_rate;
}

uint64_t audio_writer_position(const struct audio_writer *w)
{
    if (w->pipe)
        writer_pipe_sync(w->pipe);
    return w->out_frames;
}

uint64_t audio_writer_map(const struct audio_writer *w, uint64_t in_pos)
{
    uint64_t in = (uint64_t)w->in_rate, out = (uint64_t)w->out_rate;
    if (in == out)
        return in_pos;
    /* Split off whole seconds so the product stays far from overflow. */
    uint64_t q = in_pos / in, r = in_pos % in;
    return q * out + (r * out + in / 2) / in;
}

/* Passes the staged frames to libsndfile. */
static int writer_flush_stage(struct audio_writer *w, struct diags *d)
{
    if (w->staged == 0)
        return 0;
    if (w->av) {
        char err[256];
        if (avenc_write(w->av, w->stage, w->staged, err, sizeof(err)) != 0)
            return writer_fail(w, d, "cannot encode audio", err);
        w->staged = 0;
        return 0;
    }
    sf_count_t k = sf_writef_short(w->sf, w->stage, (sf_count_t)w->staged);
    if (k != (sf_count_t)w->staged || w->io_errno)
        return writer_fail(w, d, "cannot encode audio", sf_strerror(w->sf));
    w->staged = 0;
    return 0;
}

/*
 * Hands n output frames to the encoder, always in blocks of WRITER_CHUNK
 * frames: libvorbis decides block sizes by looking ahead as far as the data
 * it has been given, so the same samples passed in different pieces would
 * encode to different bytes.
 */
static int writer_emit(struct audio_writer *w, const int16_t *p, size_t n, struct diags *d)
{
    size_t ch = (size_t)w->channels;
    if (n > w->wav_max_frames - w->out_frames) {
        /* libsndfile would wrap the RIFF sizes and call it a success. */
        w->failed = true;
        writer_wav_overflow(w, d);
        return -1;
    }
    if (w->fmt == AUDIO_OGG || w->fmt == AUDIO_OPUS) {
        /* Byte order fixed, so the serial number does not depend on the host. */
        uint32_t h = w->hash;
        for (size_t i = 0; i < n * ch; i++) {
            uint16_t v = (uint16_t)p[i];
            h = (h ^ (v & 0xffu)) * 16777619u;
            h = (h ^ (v >> 8)) * 16777619u;
        }
        w->hash = h;
    }
    while (n > 0) {
        size_t k = WRITER_CHUNK - w->staged;
        k = k < n ? k : n;
        memcpy(w->stage + w->staged * ch, p, k * ch * sizeof(*p));
        w->staged += k;
        w->out_frames += k;
        p += k * ch;
        n -= k;
        if (w->staged == WRITER_CHUNK && writer_flush_stage(w, d) != 0)
            return -1;
    }
    return 0;
}

/* Converts the resampler's float frames to int16 and emits them, never past map(in). */
static int writer_emit_float(struct audio_writer *w, size_t n, struct diags *d)
{
    uint64_t limit = audio_writer_map(w, w->in_frames);
    if (w->out_frames + n > limit)
        n = limit > w->out_frames ? (size_t)(limit - w->out_frames) : 0;
    size_t values = n * (size_t)w->channels;
    for (size_t i = 0; i < values; i++) {
        float x = w->fbuf[i] * 32768.0f;
        x = x > 32767.0f ? 32767.0f : x < -32768.0f ? -32768.0f : x;
        w->sbuf[i] = (int16_t)lrintf(x);
    }
    return writer_emit(w, w->sbuf, n, d);
}

/* Runs in (NULL: end of input) through the resampler and emits all it produces. */
static int writer_resample(struct audio_writer *w, const int16_t *in, size_t n, struct diags *d)
{
    for (;;) {
        size_t idone = 0, odone = 0;
        soxr_error_t err =
            soxr_process(w->soxr, in, in ? n : 0, in ? &idone : NULL, w->fbuf, w->fcap, &odone);
        if (err) {
            w->failed = true;
            diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL, "cannot resample: %s", err);
            return -1;
        }
        if (writer_emit_float(w, odone, d) != 0)
            return -1;
        if (in) {
            in += idone * (size_t)w->channels;
            n -= idone;
            /* A full output buffer may mean more is waiting. */
            if (n == 0 && odone < w->fcap)
                return 0;
            if (idone == 0 && odone == 0) {
                w->failed = true;
                diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL, "cannot resample: no progress");
                return -1;
            }
        } else if (odone == 0) {
            return 0;
        }
    }
}

/* Common body of write and silence (samples NULL means zeros), run by the
 * encoding thread (writer_thread.c). */
int writer_feed_now(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d)
{
    if (w->failed)
        return -1;
    if (!samples && n > 0 && !w->zeros)
        w->zeros = xcalloc((size_t)WRITER_CHUNK * (size_t)w->channels, sizeof(*w->zeros));
    while (n > 0) {
        size_t k = n < WRITER_CHUNK ? n : WRITER_CHUNK;
        const int16_t *p = samples ? samples : w->zeros;
        w->in_frames += k;
        int rc = w->soxr ? writer_resample(w, p, k, d) : writer_emit(w, p, k, d);
        if (rc != 0)
            return -1;
        if (samples)
            samples += k * (size_t)w->channels;
        n -= k;
    }
    return 0;
}

/* The waveform overview is fed here, in the caller's thread, so that it is
 * complete as soon as the last sample has been handed over. */
static int writer_feed(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d)
{
    if (w->feed_failed)
        return -1;
    /* The WAV limit is checked here, in the caller's thread, so that the
     * write that passes it is the one that fails. */
    if (w->pipe && audio_writer_map(w, w->fed + n) > w->wav_max_frames) {
        w->feed_failed = true;
        writer_wav_overflow(w, d);
        writer_pipe_finish(w, true, NULL);
        w->failed = true;
        return -1;
    }
    w->fed += n;
    if (w->peaks && n)
        peaks_feed(w->peaks, samples, n);
    if (w->pipe) {
        int rc = writer_pipe_push(w, samples, n, d);
        w->feed_failed = rc != 0;
        return rc;
    }
    return writer_feed_now(w, samples, n, d);
}

int audio_writer_write(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d)
{
    return writer_feed(w, samples, n, d);
}

int audio_writer_silence(struct audio_writer *w, size_t n, struct diags *d)
{
    return writer_feed(w, NULL, n, d);
}

/* Drains the encoder and writes the container with tags and chapters. */
static void writer_finish_av(struct audio_writer *w, struct diags *d)
{
    char err[256];
    if (avenc_finish(w->av, err, sizeof(err)) != 0) {
        writer_fail(w, d, "cannot encode audio", err);
        return;
    }
    struct avmux_in in = {
        .fmt = w->fmt,
        .enc = w->av,
        .rate = w->out_rate,
        .meta = &w->meta,
        .chapters = w->chapters,
        .nchapters = w->nchapters,
        /* A serial number from the audio: fixed for the same programme,
         * distinct between programmes (chained Ogg files need that). */
        .ogg_serial = (int)(w->hash & 0x7fffffffu),
    };
    if (avmux_write(&in, &w->kf, &w->io_errno, err, sizeof(err)) != 0)
        writer_fail(w, d, "cannot write audio", err);
}

void audio_writer_set_peaks(struct audio_writer *w, struct peaks *p)
{
    w->peaks = p;
}

struct keepfile *audio_writer_finish(struct audio_writer *w, struct diags *d)
{
    if (w->pipe)
        writer_pipe_finish(w, false, d);
    if (!w->failed && w->soxr)
        writer_resample(w, NULL, 0, d);

    /* The resampler can stop a frame short of the exact length; pad with silence. */
    uint64_t want = audio_writer_map(w, w->in_frames);
    while (!w->failed && w->out_frames < want) {
        if (!w->zeros)
            w->zeros = xcalloc((size_t)WRITER_CHUNK * (size_t)w->channels, sizeof(*w->zeros));
        uint64_t left = want - w->out_frames;
        writer_emit(w, w->zeros, left < WRITER_CHUNK ? (size_t)left : WRITER_CHUNK, d);
    }

    if (!w->failed)
        writer_flush_stage(w, d);

    if (w->av) {
        if (!w->failed)
            writer_finish_av(w, d);
    } else {
        /* Closing writes trailers and fixes up headers: more I/O that can fail. */
        int closed = sf_close(w->sf);
        w->sf = NULL;
        writer_io_flush(w);
        if (closed != 0 || w->io_errno)
            writer_fail(w, d, "cannot finish audio", sf_error_number(closed));
    }
    if (w->failed) {
        keepfile_abort(&w->kf);
        return NULL;
    }
    return &w->kf;
}

int audio_writer_commit(struct audio_writer *w, bool *kept_out, struct diags *d)
{
    struct keepfile *kf = audio_writer_finish(w, d);
    bool kept = false;
    int rc = kf ? keepfile_commit(kf, &kept, d) : -1;
    if (kept_out)
        *kept_out = kept;
    writer_free(w);
    return rc;
}

void audio_writer_abort(struct audio_writer *w)
{
    if (!w)
        return;
    if (w->pipe)
        writer_pipe_finish(w, true, NULL);
    if (w->sf)
        sf_close(w->sf);
    keepfile_abort(&w->kf);
    writer_free(w);
}
