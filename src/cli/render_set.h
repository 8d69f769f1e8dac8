/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The outputs of one or more renders, finished but not yet published, so
 * that they replace their destinations as one set: a render's audio and
 * sidecars, or every chapter file of a one-file-per-chapter render (the
 * ACX preset), whose first chapters must not stay new when a later one
 * fails. Internal to render.c.
 *
 * Contract: render_set_init() makes an empty set the caller owns;
 * render_set_add() moves a finished audio keepfile (its encoder closed,
 * audio_writer_finish()) and finished sidecars (atomicfile_finish()) into
 * it, leaving the sources closed (aborting them is a no-op). Exactly one of
 * render_set_publish() or render_set_abort() ends the set and releases it.
 */
#ifndef SCRIPTCAST_RENDER_SET_H
#define SCRIPTCAST_RENDER_SET_H

#include <stdbool.h>
#include <stddef.h>

struct atomicfile;
struct diags;
struct keepfile;

struct render_set {
    struct keepfile *audio; /* finished writing; kept or renamed at publish */
    size_t naudio, audio_cap;
    struct atomicfile *side; /* finished temporaries */
    size_t nside, side_cap;
};

void render_set_init(struct render_set *s);

/* Moves kf and side[k] for every k < nside with paths[k] set into s. */
void render_set_add(struct render_set *s, struct keepfile *kf, struct atomicfile *side,
                    const char *const *paths, size_t nside);

/*
 * Under the lock of every folder involved (outdir_lock()): decides for each
 * audio file whether the old file is kept (same bytes), then renames every
 * other output into place with atomicset_commit(), the audio last. 0 with
 * *kept true when every audio file was kept; -1 with diagnostics and the
 * previous files as they were.
 */
int render_set_publish(struct render_set *s, bool *kept, struct diags *d);

/* Removes every temporary of the set; the destinations stay as they were. */
void render_set_abort(struct render_set *s);

#endif
