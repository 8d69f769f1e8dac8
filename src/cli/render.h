/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rendering one transcript to audio plus its sidecars, shared by `render`
 * and `batch`: pipeline to the plan, synthesis (cache, workers), assembly
 * into the atomic audio writer, manifests written all-or-nothing.
 *
 * Contract: render_file() returns 0 with *res filled, or -1 with
 * diagnostics in d (whose exit code says input or system failure, and
 * res->usage_error a bad --section). Nothing is left on disk on failure;
 * previous outputs are kept. The request's strings are borrowed.
 */
#ifndef SCRIPTCAST_RENDER_H
#define SCRIPTCAST_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cli_common;
struct diags;
struct render_set;

/* The optional sidecar outputs, in the order they are written. */
enum render_sidecar {
    SIDE_MANIFEST,
    SIDE_VTT,
    SIDE_SRT,
    SIDE_TRANSCRIPT,
    SIDE_CHAPTERS_VTT,
    SIDE_FFMETADATA,
    SIDE_CUE,
    SIDE_HTML,          /* the listening page */
    SIDE_CHAPTERS_JSON, /* always written: OUT's base name + .chapters.json */
    SIDE_COUNT,
};

struct render_request {
    const char *in;
    const char *out;                 /* audio path; its extension picks the format */
    const char *sidecar[SIDE_COUNT]; /* NULL: not written (chapters: derived from out) */
    const char *audio_name;          /* the audio as manifests name it; NULL: out's path */
    int rate;                        /* 0: the format's natural rate */
    const char *cover;               /* --cover FILE, overriding the front matter's; or NULL */
    int jobs;                        /* worker processes; 1: in-process */
    const char *cache_dir;           /* NULL: no cache */
    bool progress;                   /* a live line on stderr (only on a terminal) */
    bool loudness_off;               /* --loudness off: measured, not normalized */
    bool loudness_rms;               /* the target is RMS dBFS over the file (ACX) */
    double loudness;                 /* target integrated loudness, LUFS (or RMS dBFS) */
    double true_peak;                /* true-peak ceiling, dBTP */
    int bitrate;                     /* bit/s of a compressed format; 0: its default */
    int head_ms, tail_ms;            /* silence before and after the programme */
    bool per_chapter;                /* render_chapters(): one file per chapter */
    struct render_set *defer;        /* set: the finished outputs go there, unpublished */
};

struct render_result {
    double seconds; /* length of the audio written */
    size_t chapters, segments;
    size_t synthesized, cached;
    bool kept; /* the audio file was already these bytes: not rewritten */
    /* Of the samples handed to the encoder (-HUGE_VAL: too short to measure). */
    double loudness, loudness_range, true_peak; /* LUFS, LU, dBTP */
    double speaker_spread;                      /* LU between the loudest and quietest voice */
    double rms, rms_max, sample_peak;           /* dBFS (render_chapters(): over the files) */
    bool rms_target;                            /* normalized to an RMS target (ACX) */
    int first_file, last_file, digits;          /* render_chapters(): the files' numbers */
    bool usage_error;
};

int render_file(const struct render_request *rq, const struct cli_common *o,
                struct render_result *res, struct diags *d);

/*
 * One file per chapter (the ACX preset): OUT "book.mp3" becomes
 * "book-01.mp3", "book-02.mp3", ... (as many digits as the last chapter
 * number needs, at least two), each a render_file() of that chapter alone
 * with its own sidecars, their names numbered the same way before their
 * first dot ("book.manifest.json" -> "book-01.manifest.json"). The chapters
 * are those --section selects, else all. Returns 0 or -1 as render_file();
 * res sums the files (seconds, segments, runs; chapters counts files) and
 * keeps the loudness of the quietest and the peak of the loudest file.
 * The chapter files are published as one set (render_set.h): a failure
 * at any chapter replaces none of them.
 */
int render_chapters(const struct render_request *rq, const struct cli_common *o,
                    struct render_result *res, struct diags *d);
/* The name of chapter file k of path ("-01" before the first dot of its base name; malloc'd). */
char *render_numbered(const char *path, int k, int digits);

/* The summary's loudness line ("scriptcast: loudness -16.0 LUFS, ..."). */
void render_print_loudness(FILE *out, const struct render_result *res);

/* "out/talk.wav" -> "out/talk.chapters.json" (malloc'd). */
char *render_chapters_path(const char *out);
/* True once SIGINT or SIGTERM arrived: renders stop between segments, and a
 * batch stops after the transcript it was on. */
bool render_stopped(void);
/* Installs SIGINT/SIGTERM handlers that stop renders (see render_stopped()). */
void render_install_signal_handlers(void);

#endif
