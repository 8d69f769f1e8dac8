/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The manifest stage: every file that describes the audio — Podcasting 2.0
 * chapters and transcript, the full scriptcast manifest, WebVTT and SRT
 * subtitles, chapter WebVTT, FFMETADATA and CUE sheets — built from the plan
 * and the timeline of the file actually written. One source file per
 * family of formats; formats are documented in docs/outputs.md.
 *
 * Contract: each manifest_*() appends the whole document to out (UTF-8) and
 * allocates nothing the caller must free beyond the strbuf. Times are
 * sample positions of the timeline turned into seconds or milliseconds with
 * round-to-nearest; nothing depends on the clock or on hash order, so the
 * same plan and timeline give the same bytes.
 */
#ifndef SCRIPTCAST_MANIFEST_H
#define SCRIPTCAST_MANIFEST_H

#include <stddef.h>

struct peaks;
struct master_report;
struct plan;
struct strbuf;
struct timeline;

struct manifest_in {
    const struct plan *plan;
    const struct timeline *tl;
    const char *audio_file;               /* the audio path as the user gave it */
    const char *audio_format;             /* "wav", "flac", ... */
    const char *artist;                   /* may be NULL */
    const struct master_report *loudness; /* may be NULL: no "loudness" in the manifest */
    /* Only the listening page reads these; any may be NULL/0. */
    const struct peaks *peaks;         /* waveform overview of the audio written */
    const struct manifest_link *links; /* other files of the set, for downloads */
    size_t nlinks;
    const char *date, *description; /* from the front matter */
};

struct manifest_link {
    const char *label; /* "Subtitles (WebVTT)" */
    const char *href;  /* relative to the page */
};

/* Podcasting 2.0 JSON chapters (version 1.2.0). */
void manifest_chapters_json(const struct manifest_in *m, struct strbuf *out);
/* The full manifest: source, audio, chapters, segments, speakers. */
void manifest_full_json(const struct manifest_in *m, struct strbuf *out);
/* WebVTT subtitles with <v Speaker> tags, one cue per sentence. */
void manifest_vtt(const struct manifest_in *m, struct strbuf *out);
/* SubRip subtitles, the same cues. */
void manifest_srt(const struct manifest_in *m, struct strbuf *out);
/* Podcasting 2.0 JSON transcript (version 1.0.0), the same cues. */
void manifest_transcript_json(const struct manifest_in *m, struct strbuf *out);
/* WebVTT chapter track: one cue per chapter. */
void manifest_chapters_vtt(const struct manifest_in *m, struct strbuf *out);
/* FFmpeg metadata (;FFMETADATA1) with [CHAPTER] blocks, TIMEBASE=1/1000. */
void manifest_ffmetadata(const struct manifest_in *m, struct strbuf *out);
/* CUE sheet: one track per chapter. */
void manifest_cue(const struct manifest_in *m, struct strbuf *out);
/* The listening page: self-contained HTML with player, chapters, transcript. */
void manifest_html(const struct manifest_in *m, struct strbuf *out);

/*
 * Appends s on one line: every run of spaces, line breaks, tabs and other
 * control characters (C0, DEL, C1, U+2028, U+2029) becomes one space, with
 * none at either end. Every line-based sidecar writes names and titles
 * through it, so no name can end a cue or a field early.
 */
void manifest_fold(struct strbuf *out, const char *s);

/* Milliseconds of a sample position, rounded to nearest. */
unsigned long long manifest_ms(const struct timeline *tl, unsigned long long pos);
/* Seconds rounded to the millisecond, as a JSON-friendly double. */
double manifest_seconds(const struct timeline *tl, unsigned long long pos);

/* HH:MM:SS.mmm (WebVTT, sep '.') or HH:MM:SS,mmm (SRT, sep ','). */
void manifest_timestamp(struct strbuf *out, unsigned long long ms, char sep);

/* Appends root as indented JSON plus a newline, and frees root. Seconds
 * rounded to milliseconds print without binary noise (12.346, not
 * 12.345999999999999). */
struct json_t;
void manifest_dump(struct json_t *root, struct strbuf *out);

#endif
