/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Delivery presets: the settings a platform asks for, under one name
 * (`--preset podcast|audiobook|acx`), and the podcast-grade defaults a bare
 * `-o talk.mp3` gets. docs/outputs.md cites each platform's published
 * requirements and says which of them scriptcast checks.
 *
 * Contract: preset_find() returns a static preset or NULL. preset_apply()
 * fills the fields of *rq that the user did not set on the command line
 * (the set flags say which were given), and returns EXIT_OK or the usage
 * error it printed (an output whose extension is not the preset's format).
 * Nothing is allocated.
 */
#ifndef SCRIPTCAST_PRESET_H
#define SCRIPTCAST_PRESET_H

#include <stdbool.h>

struct render_request;

struct preset {
    const char *name;
    const char *ext;  /* the format it writes: "mp3", "m4b" */
    int rate;         /* Hz */
    int bitrate;      /* bit/s, constant */
    bool rms;         /* the target is RMS dBFS over the file (ACX), else LUFS */
    double target;    /* LUFS, or dBFS RMS */
    double true_peak; /* dBTP */
    int head_ms;      /* silence (room tone) before the programme */
    int tail_ms;      /* and after it */
    bool per_chapter; /* one file per chapter */
};

/* What the user set explicitly, so the preset leaves it alone. */
struct preset_given {
    bool rate, bitrate, loudness, true_peak;
};

const struct preset *preset_find(const char *name);

/* The settings a bare .mp3 gets: the podcast preset's rate, bit rate and loudness. */
const struct preset *preset_for_format(const char *ext);

struct cli_args;
/*
 * The command line's --preset, --bitrate, --rate, --loudness and
 * --true-peak together: *rq gets the preset's settings (or, for an output
 * extension ext of "mp3" without --preset, the podcast ones) under what was
 * given explicitly. *chosen is the preset applied, or NULL. rq->out may be
 * NULL (batch, or no -o yet): then the extension is not checked. EXIT_OK or
 * the usage error printed.
 */
int preset_from_args(struct render_request *rq, const struct cli_args *a, const char *cmd,
                     const char *ext, const struct preset **chosen);

int preset_apply(const struct preset *p, const struct preset_given *given,
                 struct render_request *rq, const char *cmd);

#endif
