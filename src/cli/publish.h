/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audio file's tags for one render, gathered from the plan (title,
 * speakers, voices), the front matter's publishing fields (script/pubmeta.h),
 * the engine (name and version, for the AI voice disclosure) and the
 * command line (--cover).
 *
 * Contract: publish_tags_build() fills t and returns 0, or -1 with a
 * diagnostic (a --cover file that cannot be used). t->meta points into t
 * and into the pipeline, which must outlive it; publish_tags_release()
 * frees what t owns and may be called after a failure.
 */
#ifndef SCRIPTCAST_CLI_PUBLISH_H
#define SCRIPTCAST_CLI_PUBLISH_H

#include "audio/writer.h"
#include "script/pubmeta.h"

struct diags;
struct pipeline;

struct publish_tags {
    struct audio_meta meta;
    char *artist;              /* the speakers, narrator excepted, in order of appearance */
    char *comment;             /* which synthetic voices speak: engine and profiles */
    struct script_cover cover; /* --cover's image, when given */
};

int publish_tags_build(struct publish_tags *t, const struct pipeline *pl, enum audio_format fmt,
                       const char *cover_path, struct diags *d);
void publish_tags_release(struct publish_tags *t);

#endif
