/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MP3 encoded on every core. LAME is one sequential stream, and on a long
 * programme it costs three times what synthesis does, after it. So the
 * programme is cut where it is digitally silent (the pauses between turns)
 * into segments of at least AVSPLIT_MIN_SECONDS, each segment is encoded by
 * its own LAME instance in a thread of a small pool, and the frames are
 * joined on the frame grid a single encoder would have used:
 *
 *  - a cut is a frame boundary K (a multiple of 1152 samples) whose
 *    neighbourhood, from three frames plus the encoder delay before it to
 *    three frames after it, is all zeros;
 *  - the segment before it is encoded up to three frames past K and keeps
 *    its frames before K; the segment after it starts two frames before K
 *    (a multiple of the frame size, so its frames fall on the same grid)
 *    and drops those two;
 *  - every instance runs without the bit reservoir, so no frame refers to
 *    bytes of a frame that was dropped or came from another instance.
 *
 * The decoded result has exactly the programme's length and timing (every
 * chapter time is unchanged); around a cut the audio is silence, which each
 * instance codes as silence. Where the cuts fall depends only on the
 * samples, never on the number of threads or on how the samples arrive, so
 * the bytes are the same on every machine.
 *
 * Contract: avsplit_open() returns a splitter the caller frees with
 * avsplit_free() (which stops its threads, also midway), or NULL with a
 * message in err. Packets reach store(ctx, pkt) in stream order, on the
 * caller's thread, during avsplit_write() and avsplit_finish(), with times
 * in samples of the whole stream; store returns 0, or -1 to fail the call.
 * Both return 0, or -1 with a message in err (the first failure stays).
 */
#ifndef SCRIPTCAST_AUDIO_AVSPLIT_H
#define SCRIPTCAST_AUDIO_AVSPLIT_H

#include <stddef.h>
#include <stdint.h>

struct AVPacket;
struct avsplit; /* opaque */

/* Segments are at least this long, so that few instances start. */
#define AVSPLIT_MIN_SECONDS 30

typedef int (*avsplit_store_fn)(void *ctx, struct AVPacket *pkt);

struct avsplit *avsplit_open(int rate, int channels, int bitrate, avsplit_store_fn store, void *ctx,
                             char *err, size_t errlen);
int avsplit_write(struct avsplit *s, const int16_t *samples, size_t n, char *err, size_t errlen);
int avsplit_finish(struct avsplit *s, char *err, size_t errlen);
void avsplit_free(struct avsplit *s);

/* Segments begun so far (1 until the first cut). */
size_t avsplit_segments(const struct avsplit *s);

#endif
