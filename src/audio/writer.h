/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Streaming audio writer: takes the programme's 16-bit samples as they are
 * laid out, resamples them when the output rate differs (libsoxr), encodes
 * them — WAV with libsndfile, every compressed format with libavcodec
 * (avenc.h) and libavformat (avmux.h) — with tags, cover and chapters, and
 * publishes the file through an atomic rename, so a failed or interrupted
 * render never leaves a truncated file under the output name.
 *
 * Contract: audio_writer_open() returns a writer the caller owns; exactly one
 * of audio_writer_commit() or audio_writer_abort() frees it. Strings passed
 * in (path, meta) are copied or used before open returns. Every failure is a
 * DIAG_SYSTEM diagnostic naming the output path; after a failed write the
 * caller should abort (commit would fail anyway, and leave nothing behind).
 *
 * Determinism: the same samples, rates and metadata produce byte-identical
 * files in every format with the same library versions: libavformat runs
 * in bit-exact mode, and Ogg stream serial numbers are derived from the
 * audio rather than drawn at random.
 */
#ifndef SCRIPTCAST_AUDIO_WRITER_H
#define SCRIPTCAST_AUDIO_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diags;
struct keepfile;

enum audio_format {
    AUDIO_WAV,  /* PCM 16-bit */
    AUDIO_FLAC, /* 16-bit, libFLAC's default compression */
    AUDIO_OGG,  /* Vorbis, VBR quality 4 (about 56 kbit/s for espeak-ng speech) */
    AUDIO_OPUS, /* Opus in Ogg, 48 kbit/s per channel, always 48 kHz */
    AUDIO_MP3,  /* MPEG layer III, CBR 64 kbit/s per channel (seekable by podcast apps) */
    AUDIO_M4A,  /* AAC-LC in MP4 (iTunes), 64 kbit/s per channel */
    AUDIO_M4B,  /* the same, marked as an audiobook */
};

/* Format from the file extension (case-insensitive .wav .flac .ogg .opus .mp3 .m4a .m4b);
 * -1 if unknown. */
int audio_format_from_path(const char *path);

/* "wav", "flac", "ogg", "opus", "mp3", "m4a" or "m4b"; a static string. */
const char *audio_format_name(enum audio_format f);

/*
 * Tags, cover and encoding choices. Any string may be NULL; unset fields
 * are not written. WAV keeps title, artist, date and comment (RIFF INFO);
 * every other format all of them (docs/outputs.md lists the tag names).
 * Strings are UTF-8; language is a code such as "zh" or "en"; date is
 * YYYY or YYYY-MM-DD; cover_mime is "image/png" or "image/jpeg".
 */
struct audio_meta {
    const char *title, *artist, *date, *comment;
    const char *album, *genre, *description, *language, *track;
    const unsigned char *cover;
    size_t cover_len;
    const char *cover_mime;
    int cover_width, cover_height; /* pixels; 0 if unknown */
    int bitrate;                   /* bit/s of the compressed stream; 0: the format's default */
};

/* A chapter: title (UTF-8) and [start, end) in output frames (audio_writer_map()). */
struct audio_chapter {
    const char *title;
    uint64_t start, end;
};

struct audio_writer; /* opaque */

/*
 * Opens path for writing through a keepfile (util/keepfile.h): a temporary
 * beside it, renamed over it at commit, unless the bytes turn out to be the
 * ones already at path, which then stay as they are. in_rate is the rate of the
 * samples the caller will pass (22050 from espeak-ng); channels is the number
 * of interleaved channels in them (1 for our mono programme). out_rate 0
 * picks the format's natural rate: in_rate for wav/flac/ogg/mp3/m4a/m4b,
 * 48000 for opus. Opus files always decode at 48000 Hz, so the writer
 * always encodes Opus at 48000 and a lower out_rate only limits the coded
 * bandwidth to what that rate could carry (audio_writer_rate() stays
 * 48000, and so do the timeline's positions). When the output
 * rate differs from in_rate the samples are resampled with libsoxr (high
 * quality, linear phase, single-threaded so the result never depends on the
 * machine's core count). meta may be NULL. Returns NULL with a DIAG_SYSTEM
 * diagnostic on failure, leaving nothing on disk.
 */
struct audio_writer *audio_writer_open(const char *path, enum audio_format fmt, int in_rate,
                                       int out_rate, int channels, const struct audio_meta *meta,
                                       struct diags *d);

/*
 * audio_writer_open() for a programme expected to be about expect_frames
 * input frames long (an estimate; 0 when unknown). A WAV's RIFF sizes are
 * 32-bit, so a WAV that could pass 4 GiB is written as RF64 instead (EBU
 * Tech 3306; libsndfile's SF_FORMAT_RF64): when twice the estimate would not
 * fit, the file is opened as RF64, and if it ends up under 4 GiB after all
 * libsndfile writes it as a WAV (with a JUNK chunk and WAVE_FORMAT_EXTENSIBLE).
 * A plain WAV that reaches the limit anyway is refused at that write (a
 * DIAG_SYSTEM diagnostic saying so, nothing left on disk): no header ever
 * states a wrapped size. Other formats ignore expect_frames.
 */
struct audio_writer *audio_writer_open_sized(const char *path, enum audio_format fmt, int in_rate,
                                             int out_rate, int channels,
                                             const struct audio_meta *meta, uint64_t expect_frames,
                                             struct diags *d);

/* True when w writes RF64 (see audio_writer_open_sized()). */
bool audio_writer_is_rf64(const struct audio_writer *w);

/*
 * For tests: the size, in bytes, a WAV file may reach (default and most
 * 4 GiB - 1, what 32-bit RIFF sizes hold); writers opened after the call use
 * it for the RF64 decision and the refusal. Lets a test cross the limit
 * with kilobytes instead of gigabytes.
 */
void audio_writer_set_wav_limit(uint64_t bytes);

/* The output file's sample rate. */
int audio_writer_rate(const struct audio_writer *w);

/*
 * Writes n frames of int16 samples at in_rate (n * channels values,
 * interleaved). 0, or -1 with a diagnostic (disk full, encoder error); after
 * a failure every later call fails too and the writer should be aborted.
 */
int audio_writer_write(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d);

/*
 * Measures every frame written from now on (at in_rate, before any
 * resampling) into p, which the caller owns and finishes; NULL stops.
 */
struct peaks;
void audio_writer_set_peaks(struct audio_writer *w, struct peaks *p);

/* Writes n frames of silence at in_rate. Same results as audio_writer_write(). */
int audio_writer_silence(struct audio_writer *w, size_t n, struct diags *d);

/*
 * Output frames produced so far, at the output rate. Without resampling this
 * is the position in the file the next sample will take. While resampling it
 * lags audio_writer_map() of the input written so far by what the resampler
 * holds back (about 1,600 frames, 33 ms, for 22050 -> 48000 Hz), so use
 * audio_writer_map() for timeline positions; after commit the file has
 * exactly audio_writer_map(total input frames) frames.
 */
uint64_t audio_writer_position(const struct audio_writer *w);

/*
 * Flushes the resampler, pads or trims the end so the file has exactly
 * audio_writer_map(total input) frames, closes the encoder, fixes the Ogg
 * serial number, and renames the file into place; when the bytes equal the
 * file already at the path, that file stays (with a fresh modification time)
 * and *kept is set to true (kept may be NULL). Returns 0, or -1 with a
 * diagnostic and no file left behind (after a failed write, the diagnostic
 * that write gave is the one; commit does not repeat it). Frees w in both
 * cases.
 */
int audio_writer_commit(struct audio_writer *w, bool *kept, struct diags *d);

/*
 * Everything audio_writer_commit() does before publishing the file: the
 * encoder is closed and every byte is in the keepfile. Returns that keepfile
 * (owned by w) for the caller to finish and publish with the other outputs
 * of its set (keepfile_finish(), atomicset_commit()), or NULL with a
 * diagnostic and nothing left on disk. Either way the caller still frees w
 * with audio_writer_abort(), which removes whatever was not published.
 */
struct keepfile *audio_writer_finish(struct audio_writer *w, struct diags *d);

/*
 * The chapters to embed (copied), in every container with a convention for
 * them: MP4 chapter track and Nero chpl, ID3v2 CHAP/CTOC, Vorbis comment
 * CHAPTERxxx (Ogg, FLAC). WAV ignores them. Call any time before finish or
 * commit; a later call replaces the earlier chapters.
 */
void audio_writer_set_chapters(struct audio_writer *w, const struct audio_chapter *ch, size_t n);

/* Abandons the output: removes the temporary, frees w. NULL is allowed. */
void audio_writer_abort(struct audio_writer *w);

/*
 * Output frame for input frame in_pos: round(in_pos * out_rate / in_rate),
 * exact integer arithmetic (no overflow below 2^64 / out_rate frames, i.e.
 * for millennia of audio). The caller turns timeline positions into
 * output-file positions with it. For a resampled output this is exact in
 * time, not just in count: libsoxr compensates its own filter delay, so
 * output frame k is the signal at input time k / out_rate (an impulse at
 * input frame 1000 of 22050 Hz peaks at output frame 2000 of 44100 Hz and
 * 2177 of 48000 Hz; the unit test checks this). The lossy encoders' own
 * delays are removed by the containers (Vorbis and Opus granule positions,
 * the LAME header's encoder delay and padding), so decoders that honour them,
 * libsndfile among them, return the same frame count and timing.
 */
uint64_t audio_writer_map(const struct audio_writer *w, uint64_t in_pos);

#endif
