/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audio writer's state and its file I/O, shared by the encoding side
 * (writer.c: format, encoder, resampler) and the I/O side (writer_io.c:
 * libsndfile virtual I/O on a keepfile, with a write-behind buffer, and the
 * Ogg serial-number rewrite). Internal to the audio stage.
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
};

/* Fills vio with the callbacks on a writer's kf, buffered in its wbuf. */
void writer_io_callbacks(SF_VIRTUAL_IO *vio);
/* Writes out what the write-behind buffer holds. 0, or -1 (latched). */
int writer_io_flush(struct audio_writer *w);
/* Rewrites every Ogg page's serial number to w->hash and its CRC, once
 * libsndfile has closed the file. 0, or -1 (latched). */
int writer_io_fix_ogg_serial(struct audio_writer *w);

#endif
