/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Streaming audio writer (contract in writer.h). Samples go through libsoxr
 * when the output rate differs, then to libsndfile, which writes into a
 * keepfile through virtual I/O callbacks (writer_io.c, with
 * the Ogg serial-number rewrite done at commit). This file picks the format,
 * configures the encoder and the resampler, and feeds them.
 */
#include "audio/writer.h"
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

/* Frames per resampler and encoder call; also the block the encoder always receives. */
#define WRITER_CHUNK 4096

/* Target bit rates for the lossy formats, per channel, chosen for speech. */
#define WRITER_OPUS_BPS 48000
#define WRITER_MP3_KBPS 64
#define WRITER_VORBIS_QUALITY 0.4

/* What 32-bit RIFF sizes can state; tests lower it (audio_writer_set_wav_limit()). */
static uint64_t writer_wav_limit = UINT32_MAX;

/* Room kept for a WAV's header and LIST chunk beside its metadata strings. */
#define WRITER_WAV_HEADER_ROOM 4096

static const char *const writer_names[] = {"wav", "flac", "ogg", "opus", "mp3"};
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
    static const int opus_rates[] = {8000, 12000, 16000, 24000, 48000};
    if (fmt != AUDIO_OPUS)
        return out_rate > 0 ? out_rate : in_rate;
    if (out_rate <= 0)
        return 48000;
    for (size_t i = 0; i < sizeof(opus_rates) / sizeof(opus_rates[0]); i++) {
        if (out_rate <= opus_rates[i])
            return opus_rates[i];
    }
    return 48000;
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

static int writer_sf_format(enum audio_format fmt, bool rf64)
{
    switch (fmt) {
    case AUDIO_WAV:
        return (rf64 ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;
    case AUDIO_FLAC:
        return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AUDIO_OGG:
        return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case AUDIO_OPUS:
        return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case AUDIO_MP3:
        return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    }
    return 0;
}

/*
 * libsndfile expresses every lossy setting as a "compression level" in
 * [0, 1] and maps it to the codec's own knob; these invert its mappings
 * (1.2.0) so that we can state the settings in the codec's terms.
 */
static bool writer_set_compression(struct audio_writer *w, double level)
{
    return sf_command(w->sf, SFC_SET_COMPRESSION_LEVEL, &level, sizeof(level)) == SF_TRUE;
}

/* bitrate: bit/s asked for (0: ours, per channel, for speech). */
static bool writer_configure(struct audio_writer *w, int bitrate)
{
    switch (w->fmt) {
    case AUDIO_WAV:
    case AUDIO_FLAC:
        return true;
    case AUDIO_OGG:
        /* Vorbis quality = 1 - level. 0.4 is libsndfile's default too; say it ourselves. */
        return writer_set_compression(w, 1.0 - WRITER_VORBIS_QUALITY);
    case AUDIO_OPUS: {
        /* bit rate = (int)((1 - level) * 250000 + 6000) per channel; +0.5 survives the truncation.
         */
        double bps = bitrate > 0 ? (double)bitrate / w->channels : WRITER_OPUS_BPS;
        double level = 1.0 - (bps - 6000 + 0.5) / 250000.0;
        level = level < 0 ? 0 : level > 1 ? 1 : level;
        return writer_set_compression(w, level);
    }
    case AUDIO_MP3: {
        /*
         * Constant bit rate: podcast players seek in MP3 by byte offset, and
         * only CBR makes a chapter start land where the chapter starts.
         * kbit/s = (int)(hi - level * (hi - lo)), with the range of the MPEG
         * version the sample rate implies.
         */
        double lo = 8, hi = 64; /* MPEG 2.5, below 16 kHz */
        if (w->out_rate >= 32000) {
            lo = 32; /* MPEG 1 */
            hi = 320;
        } else if (w->out_rate >= 16000) {
            hi = 160; /* MPEG 2 */
        }
        double kbps = (bitrate > 0 ? bitrate / 1000.0 : WRITER_MP3_KBPS * w->channels) + 0.5;
        kbps = kbps < lo ? lo : kbps > hi ? hi : kbps;
        int mode = SF_BITRATE_MODE_CONSTANT;
        /* The level first: changing the mode re-applies the stored level. */
        return writer_set_compression(w, (hi - kbps) / (hi - lo)) &&
               sf_command(w->sf, SFC_SET_BITRATE_MODE, &mode, sizeof(mode)) == SF_TRUE;
    }
    }
    return true;
}

static void writer_free(struct audio_writer *w)
{
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

void audio_writer_set_wav_limit(uint64_t bytes)
{
    writer_wav_limit = bytes < UINT32_MAX ? bytes : UINT32_MAX;
}

bool audio_writer_is_rf64(const struct audio_writer *w)
{
    return w->rf64;
}

/*
 * Decides between WAV and RF64 and the most frames a plain WAV takes. The
 * header holds the metadata strings (LIST chunk), so they count against
 * the limit too; twice the estimate must fit, since a length estimated
 * from text can be off by that much.
 */
static void writer_wav_plan(struct audio_writer *w, const struct audio_meta *meta,
                            uint64_t expect_frames)
{
    w->wav_max_frames = UINT64_MAX;
    if (w->fmt != AUDIO_WAV)
        return;
    uint64_t header = WRITER_WAV_HEADER_ROOM;
    if (meta) {
        const char *strs[] = {meta->title, meta->artist, meta->date, meta->comment};
        for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
            header += strs[i] ? 2 * (uint64_t)strlen(strs[i]) + 16 : 0;
    }
    uint64_t frame = 2 * (uint64_t)w->channels;
    uint64_t max = writer_wav_limit > header ? (writer_wav_limit - header) / frame : 0;
    uint64_t expect = audio_writer_map(w, expect_frames);
    w->rf64 = expect > max / 2;
    if (!w->rf64)
        w->wav_max_frames = max;
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

    SF_VIRTUAL_IO vio;
    writer_io_callbacks(&vio);
    SF_INFO info;
    memset(&info, 0, sizeof(info));
    info.samplerate = w->out_rate;
    info.channels = channels;
    info.format = writer_sf_format(fmt, w->rf64);
    w->sf = sf_open_virtual(&vio, SFM_WRITE, &info, w);
    if (!w->sf) {
        if (w->io_errno)
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot write: %s", strerror(w->io_errno));
        else
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot write %s at %d Hz, %d channels: %s",
                     audio_format_name(fmt), w->out_rate, channels, sf_strerror(NULL));
        goto fail;
    }
    /* An RF64 that stays under 4 GiB is closed as a WAV: readers that know
     * only WAV can still open it. */
    if (w->rf64)
        sf_command(w->sf, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);

    if (!writer_configure(w, meta ? meta->bitrate : 0)) {
        /* Still a valid file, just not at the rate we promise; say so rather than fail. */
        diag_add(d, DIAG_WARNING, path, 0, 0, NULL,
                 "could not set the %s encoder's bit rate; using libsndfile's default",
                 audio_format_name(fmt));
    }

    /*
     * Metadata has to be in place before the first sample (MP3 writes its
     * ID3 tag then). A string a format cannot store is skipped: it is
     * decoration, not a reason to fail the render.
     */
    if (meta) {
        const struct {
            int type;
            const char *value;
        } tags[] = {{SF_STR_TITLE, meta->title},
                    {SF_STR_ARTIST, meta->artist},
                    {SF_STR_DATE, meta->date},
                    {SF_STR_COMMENT, meta->comment}};
        for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
            if (tags[i].value && *tags[i].value)
                sf_set_string(w->sf, tags[i].type, tags[i].value);
        }
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
        diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL,
                 "the audio passes %.1f GiB, the most a WAV file can hold, and it was expected "
                 "to be shorter (so it is not RF64); write .flac instead, or fewer chapters "
                 "with --section",
                 (double)writer_wav_limit / (1u << 30));
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

/* Common body of write and silence; samples NULL means zeros. */
static int writer_feed(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d)
{
    if (w->failed)
        return -1;
    if (!samples && n > 0 && !w->zeros)
        w->zeros = xcalloc((size_t)WRITER_CHUNK * (size_t)w->channels, sizeof(*w->zeros));
    while (n > 0) {
        size_t k = n < WRITER_CHUNK ? n : WRITER_CHUNK;
        const int16_t *p = samples ? samples : w->zeros;
        w->in_frames += k;
        if (w->peaks)
            peaks_feed(w->peaks, samples ? p : NULL, k);
        int rc = w->soxr ? writer_resample(w, p, k, d) : writer_emit(w, p, k, d);
        if (rc != 0)
            return -1;
        if (samples)
            samples += k * (size_t)w->channels;
        n -= k;
    }
    return 0;
}

void audio_writer_set_peaks(struct audio_writer *w, struct peaks *p)
{
    w->peaks = p;
}

int audio_writer_write(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d)
{
    return writer_feed(w, samples, n, d);
}

int audio_writer_silence(struct audio_writer *w, size_t n, struct diags *d)
{
    return writer_feed(w, NULL, n, d);
}

struct keepfile *audio_writer_finish(struct audio_writer *w, struct diags *d)
{
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

    /* Closing writes trailers and fixes up headers: more I/O that can fail. */
    int closed = sf_close(w->sf);
    w->sf = NULL;
    writer_io_flush(w);
    if (closed != 0 || w->io_errno)
        writer_fail(w, d, "cannot finish audio", sf_error_number(closed));

    if (!w->failed && (w->fmt == AUDIO_OGG || w->fmt == AUDIO_OPUS) &&
        writer_io_fix_ogg_serial(w) != 0)
        writer_fail(w, d, "cannot finish audio", strerror(EIO));
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
    if (w->sf)
        sf_close(w->sf);
    keepfile_abort(&w->kf);
    writer_free(w);
}
