/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The container, written at commit from the encoded packets (contract in
 * avmux.h). Which tags go where, per format:
 *   MP4: iTunes atoms (©nam ©ART ©alb ©day ©gen ©cmt desc ldes trkn stik,
 *        covr) and the track language; chapters as a QuickTime chapter
 *        track (what Apple writes and reads) plus Nero chpl (older readers).
 *   MP3: our ID3v2.3 tag (tags.c) written before libavformat's Xing/LAME
 *        frame, which carries the encoder delay and padding.
 *   Ogg and FLAC: our Vorbis comments (tags.c); cover as a FLAC picture.
 */
#include "audio/avmux.h"
#include "audio/lav.h"
#include "audio/tags.h"
#include "util/strbuf.h"

#include <errno.h>
#include <string.h>

#define AVMUX_IOBUF 65536

struct avmux_io {
    struct keepfile *kf;
    uint64_t pos;
    int *io_errno;
};

static void avmux_latch(struct avmux_io *io, int e)
{
    if (!*io->io_errno)
        *io->io_errno = e ? e : EIO;
}

static int avmux_read(void *opaque, uint8_t *buf, int n)
{
    struct avmux_io *io = opaque;
    ssize_t got = keepfile_pread(io->kf, buf, (size_t)n, io->pos);
    if (got < 0) {
        avmux_latch(io, errno);
        return AVERROR(EIO);
    }
    if (got == 0)
        return AVERROR_EOF;
    io->pos += (uint64_t)got;
    return (int)got;
}

static int avmux_write_cb(void *opaque, uint8_t *buf, int n)
{
    struct avmux_io *io = opaque;
    if (keepfile_pwrite(io->kf, buf, (size_t)n, io->pos) != 0) {
        avmux_latch(io, errno);
        return AVERROR(EIO);
    }
    io->pos += (uint64_t)n;
    return n;
}

static int64_t avmux_seek(void *opaque, int64_t off, int whence)
{
    struct avmux_io *io = opaque;
    int64_t size = (int64_t)keepfile_size(io->kf);
    if (whence & AVSEEK_SIZE)
        return size;
    int64_t base = (whence & 3) == SEEK_SET   ? 0
                   : (whence & 3) == SEEK_CUR ? (int64_t)io->pos
                                              : size;
    if (base + off < 0)
        return AVERROR(EINVAL);
    io->pos = (uint64_t)(base + off);
    return (int64_t)io->pos;
}

static void avmux_dict_add(void *ctx, const char *key, const char *value)
{
    lav.av_dict_set((AVDictionary **)ctx, key, value, 0);
}

static const char *avmux_format_name(enum audio_format fmt)
{
    switch (fmt) {
    case AUDIO_M4A:
    case AUDIO_M4B:
        return "ipod";
    case AUDIO_MP3:
        return "mp3";
    case AUDIO_OGG:
    case AUDIO_OPUS:
        return "ogg";
    case AUDIO_FLAC:
        return "flac";
    case AUDIO_WAV:
        break;
    }
    return NULL;
}

static void avmux_mp4_tags(AVFormatContext *s, AVStream *st, const struct audio_meta *m,
                           enum audio_format fmt)
{
    const struct {
        const char *key, *value;
    } f[] = {
        {"title", m->title},
        {"artist", m->artist},
        {"album", m->album},
        {"date", m->date},
        {"genre", m->genre},
        {"comment", m->comment},
        {"description", m->description},
        {"synopsis", m->description},
        {"track", m->track},
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        if (f[i].value && *f[i].value)
            lav.av_dict_set(&s->metadata, f[i].key, f[i].value, 0);
    /* iTunes media kind: 2 audiobook, 21 podcast. */
    if (fmt == AUDIO_M4B)
        lav.av_dict_set(&s->metadata, "media_type", "2", 0);
    else if (m->genre && !strcmp(m->genre, "Podcast"))
        lav.av_dict_set(&s->metadata, "media_type", "21", 0);
    if (m->language)
        lav.av_dict_set(&st->metadata, "language", tags_iso639_2(m->language), 0);
}

/* Adds the chapters for muxers that write them (MP4), in the stream's 1/rate. */
static int avmux_chapters(AVFormatContext *s, const struct avmux_in *in)
{
    for (size_t i = 0; i < in->nchapters; i++) {
        AVChapter *c = lav.av_mallocz(sizeof(*c));
        if (!c)
            return AVERROR(ENOMEM);
        c->id = (int64_t)i + 1;
        c->time_base = (AVRational){1, in->rate};
        c->start = (int64_t)in->chapters[i].start;
        c->end = (int64_t)in->chapters[i].end;
        lav.av_dict_set(&c->metadata, "title", in->chapters[i].title ? in->chapters[i].title : "",
                        0);
        AVChapter **v = lav.av_realloc_array(s->chapters, s->nb_chapters + 1, sizeof(*v));
        if (!v) {
            lav.av_dict_free(&c->metadata);
            lav.av_free(c);
            return AVERROR(ENOMEM);
        }
        s->chapters = v;
        s->chapters[s->nb_chapters++] = c;
    }
    return 0;
}

static AVStream *avmux_cover_stream(AVFormatContext *s, const struct audio_meta *m)
{
    AVStream *st = lav.avformat_new_stream(s, NULL);
    if (!st)
        return NULL;
    st->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    st->codecpar->codec_id =
        !strcmp(m->cover_mime, "image/png") ? AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG;
    st->codecpar->width = m->cover_width;
    st->codecpar->height = m->cover_height;
    st->disposition |= AV_DISPOSITION_ATTACHED_PIC;
    /* FLAC's picture type comes from this: 3, front cover. */
    lav.av_dict_set(&st->metadata, "comment", "Cover (front)", 0);
    st->time_base = (AVRational){1, 90000};
    return st;
}

/* Writes pkt (taken over) as the audio stream's, times from 1/rate. */
static int avmux_put(AVFormatContext *s, AVPacket *pkt, int rate, int64_t end)
{
    /* The encoder pads its last frame; the container says where the audio ends. */
    if (end >= 0 && pkt->pts + pkt->duration > end && end > pkt->pts)
        pkt->duration = end - pkt->pts;
    pkt->stream_index = 0;
    lav.av_packet_rescale_ts(pkt, (AVRational){1, rate}, s->streams[0]->time_base);
    int rc = lav.av_write_frame(s, pkt);
    lav.av_packet_unref(pkt);
    return rc;
}

/* All packets, the last one's duration cut to the audio's end. */
static int avmux_packets(AVFormatContext *s, struct avenc *e, int rate, char *err, size_t errlen)
{
    AVPacket *cur = lav.av_packet_alloc(), *next = lav.av_packet_alloc();
    int have = cur && next && avenc_rewind(e) == 0 ? avenc_next(e, cur) : -1, rc = 0;
    while (have == 1 && rc >= 0) {
        int more = avenc_next(e, next);
        if (more < 0) {
            have = -1;
            break;
        }
        rc = avmux_put(s, cur, rate, more ? -1 : (int64_t)avenc_frames(e));
        lav.av_packet_move_ref(cur, next);
        have = more;
    }
    lav.av_packet_free(&cur);
    lav.av_packet_free(&next);
    if (have < 0) {
        snprintf(err, errlen, "cannot read the encoded audio back");
        return -1;
    }
    if (rc < 0) {
        char msg[AV_ERROR_MAX_STRING_SIZE];
        lav.av_strerror(rc, msg, sizeof(msg));
        snprintf(err, errlen, "cannot write the audio: %s", msg);
        return -1;
    }
    return 0;
}

static int avmux_fail(char *err, size_t errlen, const char *what, int rc)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = "";
    lav.av_strerror(rc, msg, sizeof(msg));
    snprintf(err, errlen, "%s: %s", what, msg);
    return -1;
}

int avmux_write(const struct avmux_in *in, struct keepfile *kf, int *io_errno, char *err,
                size_t errlen)
{
    const struct audio_meta *m = in->meta;
    AVFormatContext *s = NULL;
    AVDictionary *opts = NULL;
    struct avmux_io io = {kf, 0, io_errno};
    unsigned char *iobuf = NULL;
    int rc = lav.avformat_alloc_output_context2(&s, NULL, avmux_format_name(in->fmt), NULL);
    if (rc < 0 || !s)
        return avmux_fail(err, errlen, "cannot start the container", rc);
    int result = -1;
    iobuf = lav.av_malloc(AVMUX_IOBUF);
    s->pb = iobuf ? lav.avio_alloc_context(iobuf, AVMUX_IOBUF, 1, &io, avmux_read, avmux_write_cb,
                                           avmux_seek)
                  : NULL;
    if (!s->pb) {
        lav.av_free(iobuf);
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    s->flags |= AVFMT_FLAG_BITEXACT | AVFMT_FLAG_CUSTOM_IO;

    AVStream *st = lav.avformat_new_stream(s, NULL);
    if (!st || avenc_parameters(in->enc, st->codecpar) < 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    st->time_base = (AVRational){1, in->rate};
    bool mp4 = in->fmt == AUDIO_M4A || in->fmt == AUDIO_M4B;
    bool cover = m->cover && m->cover_len && (mp4 || in->fmt == AUDIO_FLAC);
    AVStream *pic = cover ? avmux_cover_stream(s, m) : NULL;
    if (cover && !pic) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }

    if (mp4) {
        avmux_mp4_tags(s, st, m, in->fmt);
        if ((rc = avmux_chapters(s, in)) < 0) {
            avmux_fail(err, errlen, "cannot add chapters", rc);
            goto done;
        }
        if (in->fmt == AUDIO_M4B)
            lav.av_dict_set(&opts, "brand", "M4B ", 0);
        /* The edit list's length in samples, not rounded to milliseconds. */
        lav.av_dict_set_int(&opts, "movie_timescale", in->rate, 0);
    } else if (in->fmt == AUDIO_MP3) {
        /* Our tag first; libavformat then writes only the Xing/LAME frame and the audio. */
        struct strbuf tag = STRBUF_INIT;
        tags_id3(&tag, m, in->chapters, in->nchapters, in->rate);
        lav.avio_write(s->pb, (const unsigned char *)tag.buf, (int)tag.len);
        strbuf_release(&tag);
        lav.av_dict_set(&opts, "id3v2_version", "0", 0);
        lav.av_dict_set(&opts, "write_xing", "1", 0);
    } else if (in->fmt == AUDIO_FLAC) {
        tags_vorbis(m, in->chapters, in->nchapters, in->rate, false, avmux_dict_add, &s->metadata);
    } else {
        tags_vorbis(m, in->chapters, in->nchapters, in->rate, true, avmux_dict_add, &st->metadata);
        /* Bit-exact mode starts serials at 0; the offset makes ours. */
        lav.av_dict_set_int(&opts, "serial_offset", in->ogg_serial, 0);
    }

    rc = lav.avformat_write_header(s, &opts);
    if (rc < 0) {
        avmux_fail(err, errlen, "cannot write the container header", rc);
        goto done;
    }
    if (pic) {
        AVPacket *pp = lav.av_packet_alloc();
        rc = pp ? lav.av_new_packet(pp, (int)m->cover_len) : AVERROR(ENOMEM);
        if (rc >= 0) {
            memcpy(pp->data, m->cover, m->cover_len);
            pp->stream_index = pic->index;
            pp->flags |= AV_PKT_FLAG_KEY;
            rc = lav.av_write_frame(s, pp);
        }
        lav.av_packet_free(&pp);
        if (rc < 0) {
            avmux_fail(err, errlen, "cannot write the cover", rc);
            goto done;
        }
    }
    if (avmux_packets(s, in->enc, in->rate, err, errlen) != 0)
        goto done;
    rc = lav.av_write_trailer(s);
    if (rc < 0) {
        avmux_fail(err, errlen, "cannot finish the container", rc);
        goto done;
    }
    lav.avio_flush(s->pb);
    result = *io_errno ? -1 : 0;
    if (result)
        snprintf(err, errlen, "cannot write: %s", strerror(*io_errno));
done:
    lav.av_dict_free(&opts);
    if (s->pb) {
        lav.av_freep(&s->pb->buffer);
        lav.avio_context_free(&s->pb);
    }
    lav.avformat_free_context(s);
    return result;
}
