/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libavcodec side of the audio writer: encodes the programme's int16
 * samples (AAC, MP3, Opus, Vorbis, FLAC) as they arrive and keeps the
 * packets in an unlinked temporary file, so that the container can be
 * written at the end, when every chapter time is known (ID3v2, Vorbis
 * comments and FLAC metadata come before the audio). Internal to the
 * audio stage; avmux.c writes the container.
 *
 * Contract: avenc_open() returns an encoder the caller frees with
 * avenc_free(), or NULL with a message in err. avenc_write() and
 * avenc_finish() return 0, or -1 with a message in err (the first failure
 * stays). The encoder copies what it is given. Encoding is deterministic:
 * libavcodec's bit-exact mode, fixed settings, the samples in the same
 * frames whatever pieces they came in.
 */
#ifndef SCRIPTCAST_AUDIO_AVENC_H
#define SCRIPTCAST_AUDIO_AVENC_H

#include "audio/writer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct AVCodecParameters;
struct AVPacket;

struct avenc; /* opaque */

/*
 * rate is the rate of the samples given (already resampled); band_rate
 * limits Opus's coded bandwidth to what that rate could carry (0: full).
 * bitrate is bit/s for the whole stream, 0 for the format's default.
 */
struct avenc *avenc_open(enum audio_format fmt, int rate, int channels, int band_rate, int bitrate,
                         char *err, size_t errlen);

/*
 * For avsplit.c: a plain MP3 encoder for one segment (never split itself),
 * and the grid it codes on: samples per frame, and the encoder delay.
 */
struct avenc *avenc_open_segment(int rate, int channels, int bitrate, char *err, size_t errlen);
int avenc_frame_size(const struct avenc *e);
int avenc_delay(const struct avenc *e);

/* Encodes n interleaved frames. */
int avenc_write(struct avenc *e, const int16_t *samples, size_t n, char *err, size_t errlen);

/* Drains the encoder; the packets can then be read back. */
int avenc_finish(struct avenc *e, char *err, size_t errlen);

/* The stream's parameters for the muxer (codec, rate, extradata, delay). */
int avenc_parameters(const struct avenc *e, struct AVCodecParameters *par);

/* Frames of audio given so far (the decoded length the file must have). */
uint64_t avenc_frames(const struct avenc *e);

/*
 * Packets in order, after avenc_finish(): avenc_rewind() once, then
 * avenc_next() until it returns 0. Each fills pkt (unreferenced first by
 * the caller) with the packet as the encoder made it: data, times in
 * 1/rate, flags and side data (the encoder's padding for the MP3 LAME
 * frame, FLAC's final STREAMINFO). 1 with a packet, 0 at the end, -1 on a
 * read error or when out of memory.
 */
int avenc_rewind(struct avenc *e);
int avenc_next(struct avenc *e, struct AVPacket *pkt);

void avenc_free(struct avenc *e);

#endif
