/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing the container with libavformat once the audio is encoded (see
 * avenc.h): MP4 (iTunes flavour, .m4a/.m4b) with a chapter track and Nero
 * chapters, MP3 behind our own ID3v2.3 tag, Ogg (Vorbis, Opus) and FLAC
 * with our own Vorbis comments; tags, cover and chapters in each. The
 * bytes go into the writer's keepfile through custom AVIO callbacks.
 * Internal to the audio stage.
 *
 * Contract: avmux_write() returns 0, or -1 with a message in err; an I/O
 * error is latched in *io_errno (never cleared). Nothing is committed here.
 * The output is deterministic: bit-exact muxing (no creation times, no
 * version strings, fixed Ogg serial numbers).
 */
#ifndef SCRIPTCAST_AUDIO_AVMUX_H
#define SCRIPTCAST_AUDIO_AVMUX_H

#include "audio/avenc.h"
#include "audio/writer.h"
#include "util/keepfile.h"

#include <stddef.h>

struct avmux_in {
    enum audio_format fmt;
    struct avenc *enc; /* finished */
    int rate;          /* the encoded stream's rate; chapter times count in it */
    const struct audio_meta *meta;
    const struct audio_chapter *chapters;
    size_t nchapters;
    int ogg_serial; /* the Ogg stream's serial number */
};

int avmux_write(const struct avmux_in *in, struct keepfile *kf, int *io_errno, char *err,
                size_t errlen);

#endif
