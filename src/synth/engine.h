/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The synth stage's engine interface: turns one run (plain UTF-8 text in one
 * voice, as the plan stage produced it) into a clip of 16-bit mono PCM plus
 * the sample positions where its sentences start. The backend is espeak-ng;
 * callers see only this header. One engine synthesizes several runs at once
 * (its `depth`), each in a process of its own.
 *
 * Contract:
 * - A run's clip depends only on the text, the struct engine_voice
 *   and the installed espeak-ng version and data: the same run gives the
 *   same samples whatever was synthesized before it. (espeak-ng itself does
 *   not guarantee this; the backend isolates every run, see espeak.c.)
 * - espeak-ng is not thread-safe and keeps global state. A struct engine
 *   runs espeak-ng in processes of its own and must be used by one thread
 *   at a time; the calling process never calls espeak-ng itself.
 *   Parallelism means processes, never threads.
 * - A struct clip owns its samples and marks; the caller frees them with
 *   clip_release(). A zeroed struct clip ({0}) is a valid empty clip.
 * - Strings returned by engine_name() and engine_version() belong to the
 *   engine and live until engine_close().
 * - Failures add a DIAG_SYSTEM diagnostic to the caller's struct diags;
 *   nothing here prints or exits.
 */
#ifndef SCRIPTCAST_SYNTH_ENGINE_H
#define SCRIPTCAST_SYNTH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diags;

/* Effective parameters of one run's voice; the strings stay the caller's. */
struct engine_voice {
    const char *voice;   /* espeak-ng voice id, e.g. "cmn-latn-pinyin" or "en-us" */
    const char *variant; /* espeak-ng variant name, e.g. "m3", "f2", or NULL */
    int rate;            /* words per minute (espeak-ng accepts 80..450) */
    int pitch;           /* 0-100, 50 normal */
    int range;           /* pitch range 0-100, 50 normal */
    int volume;          /* 0-200, 100 normal */
};

/* A sentence start inside a clip. */
struct clip_mark {
    size_t sample;      /* sample index within the clip, 0..n */
    size_t text_offset; /* BYTE offset into the run's text */
};

/*
 * One synthesized run. After a successful engine_synth(): marks[0] is
 * {0, 0} (the run start), further marks follow with both sample and
 * text_offset strictly increasing, and samples already have
 * leading and trailing silence trimmed to CLIP_TRIM_KEEP_MS.
 */
struct clip {
    int16_t *samples; /* n samples; may be NULL when n == 0 */
    size_t n;
    int rate; /* samples per second (22050 for espeak-ng) */
    struct clip_mark *marks;
    size_t nmarks;
};

/*
 * Trimming floor. Samples below CLIP_TRIM_THRESHOLD in magnitude (about 1%
 * of full scale) count as silence; at most CLIP_TRIM_KEEP_MS of it is kept at
 * either end, so the pauses the assembler inserts are the pauses heard.
 */
#define CLIP_TRIM_THRESHOLD 328
#define CLIP_TRIM_KEEP_MS 10

/* Frees samples and marks and leaves *c as an empty clip ({0}). */
void clip_release(struct clip *c);

/*
 * A clip whose arrays are kept from one clip to the next, for a caller that
 * handles clips one at a time: it allocates for the longest clip once,
 * instead of once per clip (fresh pages each time, and freed holes in the
 * heap that the memory still resident grows with). Zeroed ({0}) it is
 * empty; clip_buf_release() frees it.
 */
struct clip_buf {
    struct clip clip;
    size_t cap;  /* bytes at clip.samples */
    size_t mcap; /* marks at clip.marks */
};

/* Makes room for `bytes` bytes of samples and nmarks marks and sets clip.n
 * and clip.nmarks to 0. An array that grows loses its contents; one with
 * room keeps them. 0, or -1 when memory is short (b stays valid). */
int clip_buf_reserve(struct clip_buf *b, size_t bytes, size_t nmarks);
void clip_buf_release(struct clip_buf *b);

/*
 * Cuts leading and trailing silence (|sample| < threshold) down to at most
 * keep samples at each end and moves the marks with the audio, clamping them
 * to [0, n]. Marks that land on the same sample as an earlier mark are
 * dropped (their sentence made no sound of its own), so marks[0] survives.
 * A clip that is silent throughout becomes empty (n == 0, samples NULL).
 */
void clip_trim(struct clip *c, int threshold, size_t keep);

/*
 * clip_trim() in two parts, for a producer that keeps its samples where
 * they are: the kept span is samples[*start, *start + return value), and
 * clip_trim_marks() moves nmarks marks to that span in place, returning how
 * many are kept.
 */
size_t clip_trim_span(const int16_t *samples, size_t n, int threshold, size_t keep, size_t *start);
size_t clip_trim_marks(struct clip_mark *marks, size_t nmarks, size_t start, size_t n);

struct engine;

/* Clip files an engine has at most: depth + hold (engine_open()). */
#define ENGINE_MAX_CLIPS 640 /* descriptors: well under the usual limit of 1024 */

/*
 * For main(), first thing: makes the program its own espeak-ng helper
 * program. Called with the helper's command line (the engine starts a copy
 * of the program with one when scriptcast-espeak is not beside it), the
 * process becomes that helper and this never returns; otherwise it returns
 * at once. Without this call the engine forks helpers from the caller,
 * which is safe only while the caller has no other thread.
 */
void engine_helper_entry(int argc, char **argv, const char *prog);

/*
 * Starts the engine, able to take up to `depth` runs at once (at least 1)
 * and to keep up to `hold` more finished clips until the caller takes them
 * (engine_wait(), engine_take()), so a caller that wants clips in order
 * need not copy the early finishers into memory of its own: depth + hold
 * clip files in all, at most ENGINE_MAX_CLIPS and half the process's limit
 * on open files (depth is cut to half of that, and hold to what is left:
 * engine_clips()). Of the runs taken, at most `turns` synthesize at once
 * (0: all of them); the others wait, ready, and one starts the moment a
 * run ends, without a round trip through the caller. espeak-ng is loaded
 * in helper processes (the scriptcast-espeak program, else a copy of the
 * calling program: engine_helper_entry()), in synchronous mode without an
 * audio device.
 * Call it early (a forked helper inherits the caller's memory, which costs
 * time if the caller is large by then). Returns NULL and adds a
 * DIAG_SYSTEM diagnostic on failure. Free with engine_close().
 */
struct engine *engine_open(int depth, int turns, int hold, struct diags *d);

/* Stops the helper processes (runs still going are abandoned) and frees e;
 * NULL is allowed. */
void engine_close(struct engine *e);

/* "espeak-ng". */
const char *engine_name(const struct engine *e);

/* The library version reported by espeak_Info(), e.g. "1.51". */
const char *engine_version(const struct engine *e);

/* Output sample rate of every clip (22050 for espeak-ng). */
int engine_rate(const struct engine *e);

/* Clip files the engine has: runs at once plus finished clips kept
 * (depth + hold, or less when descriptors are short). Runs pending and
 * clips not taken never number more. */
int engine_clips(const struct engine *e);

/*
 * True when voice (an id espeak_SetVoiceByName() accepts, case-insensitive)
 * and, if variant is not NULL, the variant (a file in the data's voices/!v/,
 * case-sensitive) both exist in the installed espeak-ng data. (espeak-ng
 * itself silently ignores an unknown variant; engine_synth() rejects it.)
 */
bool engine_voice_exists(struct engine *e, const char *voice, const char *variant);

/*
 * Starts synthesizing the UTF-8 text with voice v; `tag` is the caller's
 * name for the run, given back by engine_wait() and engine_collect(). The
 * engine copies what it needs: text and v need not outlive the call.
 * Returns 0 when the run is on its way; 1 when the engine has no room for
 * it now (`depth` runs are pending, every clip file holds a clip, or every
 * helper is busy and this run needs a new one): collect or take a run
 * first; -1 when it cannot be started, with a DIAG_SYSTEM diagnostic
 * naming the voice and the text.
 */
int engine_submit(struct engine *e, size_t tag, const struct engine_voice *v, const char *text,
                  struct diags *d);

/*
 * Starts the helper for voice and variant ahead of the first run that needs
 * it, without waiting for it to be ready, so that its few milliseconds of
 * loading overlap other work. Does nothing when there is one already or no
 * room for another. A voice that cannot start fails the runs sent to it,
 * as without this call.
 */
void engine_prepare(struct engine *e, const char *voice, const char *variant);

/* Runs submitted and not yet waited for (engine_wait(), engine_collect()). */
size_t engine_pending(const struct engine *e);

/*
 * Waits for any pending run to finish, in whatever order they do, and sets
 * *tag to its tag. 0 when it made a clip, which the engine keeps until
 * engine_take(e, *tag, ...), with its size in bytes (samples and marks) in
 * *bytes; -1 with a DIAG_SYSTEM diagnostic naming the voice and the text
 * when the run failed (nothing is kept), or, with *tag set to SIZE_MAX,
 * when nothing was pending. Empty text, or text that makes no sound, gives
 * a clip with n == 0 and the single run-start mark.
 */
int engine_wait(struct engine *e, size_t *tag, size_t *bytes, struct diags *d);

/*
 * Copies the kept clip of run `tag` into out (its arrays reused) and frees
 * its clip file. 0, or -1 with out->clip empty and a
 * DIAG_SYSTEM diagnostic (no such clip kept, or its file cannot be read);
 * the clip is gone either way.
 */
int engine_take(struct engine *e, size_t tag, struct clip_buf *out, struct diags *d);

/* engine_wait() and engine_take() of the same run: 0 with its clip in *out,
 * or -1 with *out empty, as engine_wait(). */
int engine_collect(struct engine *e, size_t *tag, struct clip *out, struct diags *d);

/* engine_submit() and engine_collect() of one run, with nothing else
 * pending. 0, or -1 with a diagnostic and *out empty. */
int engine_synth(struct engine *e, const struct engine_voice *v, const char *text, struct clip *out,
                 struct diags *d);

#endif
