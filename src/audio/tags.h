/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tag blocks the audio writer builds itself rather than through
 * libavformat: the MP3's ID3v2.3 tag (UTF-16 text, COMM, APIC, CHAP and
 * CTOC; FFmpeg 5.1 has no COMM frame and would put a comment in TXXX,
 * where players do not show it) and the Vorbis comments of Ogg and FLAC
 * files (CHAPTERxxx values written from exact millisecond counts; FFmpeg
 * 5.1 rounds the seconds of some of them up). Internal to the audio stage.
 *
 * Contract: tags_id3() appends a complete tag to out. tags_vorbis() calls
 * add(ctx, key, value) for each comment in a fixed order; value is only
 * valid during the call. Times are output frames at rate, turned into
 * milliseconds rounded to nearest, as the manifests do.
 */
#ifndef SCRIPTCAST_AUDIO_TAGS_H
#define SCRIPTCAST_AUDIO_TAGS_H

#include "audio/writer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* Milliseconds of output frame pos at rate, rounded to nearest. */
uint64_t tags_ms(uint64_t pos, int rate);

/* ISO 639-2 code for a language tag ("zh" -> "chi", "en" -> "eng"); "und" if unknown. */
const char *tags_iso639_2(const char *lang);

void tags_id3(struct strbuf *out, const struct audio_meta *m, const struct audio_chapter *ch,
              size_t nch, int rate);

typedef void (*tags_add_fn)(void *ctx, const char *key, const char *value);

/* picture: also emit the cover as METADATA_BLOCK_PICTURE (Ogg; FLAC has its own block). */
void tags_vorbis(const struct audio_meta *m, const struct audio_chapter *ch, size_t nch, int rate,
                 bool picture, tags_add_fn add, void *ctx);

#endif
