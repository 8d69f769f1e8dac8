/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audio writer's state and its file I/O, shared by the encoding side
 * (writer.c: format, encoder, resampler) and the I/O side (writer_io.c:
 * libsndfile virtual I/O on a keepfile, with a write-behind buffer).
 * Internal to the audio stage.
 *
 * Contract: the callbacks from writer_io_callbacks() take the struct
 * audio_writer as their user data. The first I/O error is latched in
 * io_errno (EIO when there is no errno to give) and never cleared. Nothing
 * here adds a diagnostic: failures show in return values and io_errno, and
 * writer.c turns them into one.
 */
#ifndef SCRIPTCAST_AUDIO_WRITER_IO_H
#define SCRIPTCAST_AUDIO_WRITER_IO_H

#include "audio/writer.h"
#include "util/keepfile.h"

#include <sndfile.h>
#include <soxr.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audio_writer {
    struct keepfile kf; /* unchanged output is kept, not rewritten */
    char *path;         /* for diagnostics after af has been committed or aborted */
    SNDFILE *sf;
    enum audio_format fmt;
    int in_rate, out_rate, channels;
    soxr_t soxr;    /* NULL when the rates match */
    float *fbuf;    /* resampler output, fcap frames */
    int16_t *sbuf;  /* the same converted back to int16 */
    size_t fcap;    /* frames */
    int16_t *zeros; /* WRITER_CHUNK frames of silence, allocated on first use */
    int16_t *stage; /* WRITER_CHUNK frames waiting for the encoder */
    size_t staged;  /* frames in stage */
    uint64_t in_frames;
    uint64_t out_frames;
    uint32_t hash;           /* FNV-1a of the encoded samples: the Ogg serial number */
    int io_errno;            /* first error seen by the I/O callbacks, 0 if none */
    char *wbuf;              /* write-behind buffer: libsndfile writes 8 KiB at a time */
    size_t wlen;             /* bytes in wbuf, not yet written at the fd's position */
    sf_count_t pos;          /* file position, wlen bytes past what kf holds */
    bool failed;             /* a diagnostic has been given; refuse further work */
    struct peaks *peaks;     /* the waveform overview fed from the input, or NULL */
    bool rf64;               /* a WAV written as RF64 (libsndfile downgrades it if small) */
    uint64_t wav_max_frames; /* a plain WAV refuses frames past this (UINT64_MAX: no limit) */
    struct avenc *av;        /* every format but WAV: the libavcodec encoder (avenc.h) */
    int band_rate;           /* Opus: the rate asked for, which limits the bandwidth */
    struct audio_meta meta;  /* deep copies, for the container at commit */
    struct audio_chapter *chapters; /* likewise */
    size_t nchapters;
    struct writer_pipe *pipe; /* the encoding thread (writer_thread.c), or NULL */
    uint64_t fed;             /* input frames handed to the thread (the caller's count) */
    bool feed_failed;         /* the caller's view: a write has failed */
};

/* Frames per resampler and encoder call; also the block the encoder always receives. */
#define WRITER_CHUNK 4096

/* Resamples and encodes n frames (samples NULL: silence); the encoding
 * thread's work. 0, or -1 with a diagnostic in d. */
int writer_feed_now(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d);

/*
 * The encoding thread. start: 0, or -1 with a diagnostic. push: queues n
 * frames (copied; NULL: silence), waiting while the queue is full; -1 once
 * the thread has failed, with its diagnostic moved to d. sync: waits until
 * everything queued is encoded. finish: joins the thread (discard: drops
 * what is still queued), moves its diagnostics to d (d may be NULL), frees
 * the pipe; -1 if the thread failed. free: frees a pipe whose thread is
 * not running.
 */
struct diags;
int writer_pipe_start(struct audio_writer *w, struct diags *d);
int writer_pipe_push(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d);
void writer_pipe_sync(struct writer_pipe *p);
int writer_pipe_finish(struct audio_writer *w, bool discard, struct diags *d);
void writer_pipe_free(struct audio_writer *w);

/*
 * WAV (writer_wav.c). plan: decides between WAV and RF64 for a programme of
 * about expect_frames input frames and sets wav_max_frames. open: the
 * libsndfile stream with meta's RIFF INFO tags; 0, or -1 with a
 * diagnostic. overflow: the diagnostic for a WAV that outgrew its plan.
 */
void writer_wav_plan(struct audio_writer *w, const struct audio_meta *meta, uint64_t expect_frames);
int writer_open_wav(struct audio_writer *w, const struct audio_meta *meta, struct diags *d);
void writer_wav_overflow(struct audio_writer *w, struct diags *d);

/* Fills vio with the callbacks on a writer's kf, buffered in its wbuf. */
void writer_io_callbacks(SF_VIRTUAL_IO *vio);
/* Writes out what the write-behind buffer holds. 0, or -1 (latched). */
int writer_io_flush(struct audio_writer *w);

#endif
