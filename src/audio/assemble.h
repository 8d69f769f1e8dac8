/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The assemble stage: takes a plan's clips in order from the synth stage and lays them
 * and the pauses between segments end to end into an audio writer, counting
 * every position in samples, so that chapter and sentence times are exact
 * positions in the file written. Clips are written as soon as they are made
 * and freed: memory does not grow with the programme's length.
 *
 * Samples go to the master stage (master.h), which passes them to the writer
 * at once or after normalization; positions are mapped through the writer
 * either way, since the master neither adds nor drops samples.
 *
 * Contract: assemble_render() returns 0 with *tl filled (the caller frees it
 * with timeline_release()), or -1 with diagnostics (the writer must then be
 * aborted by the caller). It neither commits nor aborts the writer.
 */
#ifndef SCRIPTCAST_ASSEMBLE_H
#define SCRIPTCAST_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audio_writer;
struct master;
struct diags;
struct synth;
struct plan;
struct timeline;

/*
 * Called after each segment; done counts segments, samples the input so far.
 * Returning false stops the render: assemble_render() then returns -1
 * without a diagnostic, and the caller says why (e.g. interrupted).
 */
typedef bool (*assemble_progress_fn)(void *ctx, size_t done, size_t total, uint64_t samples,
                                     int rate);

/* Silence before the first segment and after the last (room tone for ACX). */
struct assemble_pad {
    int head_ms, tail_ms;
};

/* pad may be NULL: no silence added. The first chapter still starts at 0. */
int assemble_render(const struct plan *p, struct synth *sy, struct audio_writer *w,
                    struct master *ms, const struct assemble_pad *pad, struct timeline *tl,
                    assemble_progress_fn progress, void *ctx, struct diags *d);

/*
 * An estimate of the frames at rate the plan will make, for the writer's
 * choice of RF64 (audio_writer_open_sized()): the pauses exactly, plus
 * ASSEMBLE_SECONDS_PER_CHAR for each character of text. Cheap (no run is
 * prepared), so that it costs nothing before synthesis starts.
 */
uint64_t assemble_expect_frames(const struct plan *p, int rate);

/* espeak-ng takes about 0.23 s for a Han character at 175 wpm and 0.07 s
 * for a Latin one; 0.3 s is above both, and twice it (the writer's margin)
 * above a Han character at the slowest rate a profile may set (80 wpm). */
#define ASSEMBLE_SECONDS_PER_CHAR 0.3

#endif
