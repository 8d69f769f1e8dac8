/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pipeline up to the plan, as every subcommand runs it: voices loaded,
 * transcript read, speakers cast, engine voices checked, plan built.
 *
 * Contract: pipeline_load() fills *pl and returns 0, or -1 with diagnostics
 * in d (their exit code says whether the input or the system failed; a bad
 * --section is reported with pl->usage_error set). pipeline_release() frees
 * everything and may be called after a failure.
 */
#ifndef SCRIPTCAST_PIPELINE_H
#define SCRIPTCAST_PIPELINE_H

#include <stdbool.h>

#include "cast/cast.h"
#include "cast/voice.h"
#include "plan/plan.h"
#include "script/script.h"

struct cli_common;
struct diags;

struct pipeline {
    struct voicebook voices;
    bool voices_loaded;
    struct script script;
    bool script_loaded;
    struct cast cast;
    bool cast_done;
    struct plan plan;
    bool plan_done;
    bool usage_error;
    struct engine *engine; /* opened to check the plan's voices; render uses it too */
    int engine_depth;      /* set before pipeline_load(): runs render hands out at once (0: 1) */
    int engine_turns;      /* how many of them synthesize at once (0: all) */
    int engine_hold;       /* and finished clips its engine keeps (engine_open()) */
};

/* Loads the voicebook alone (shared by several files of one command). */
int pipeline_voices(struct voicebook *vb, const struct cli_common *o, struct diags *d);

int pipeline_load(struct pipeline *pl, const char *file, const struct cli_common *o,
                  struct diags *d);
void pipeline_release(struct pipeline *pl);

#endif
