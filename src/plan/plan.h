/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plan stage: a script with its cast turned into the exact list of what
 * will be spoken — segments (one paragraph or line of one speaker, or a
 * title/heading announcement), each split into language runs of plain text
 * ready for the engine, with the pause before it and the chapter it belongs
 * to. Rendering only adds stages after this.
 *
 * Contract: plan_build() returns 0 and a plan that owns its strings, or < 0
 * with diagnostics. Voice pointers point into the voicebook and names into
 * the script and cast, which must outlive the plan. plan_release() frees.
 */
#ifndef SCRIPTCAST_PLAN_H
#define SCRIPTCAST_PLAN_H

#include <stdbool.h>
#include <stddef.h>

struct cast;
struct config;
struct diags;
struct script;
struct voice;

struct plan_run {
    const char *lang;  /* "zh", "en": the language it is read in (static or the profile's) */
    const char *voice; /* engine voice id (the profile's voice or latin-voice) */
    char *text;        /* what the engine receives: plain, numbers written out */
    int pause_ms;      /* silence before it, from punctuation where the language
                        * changes (0 for a segment's first run) */
};

enum plan_kind {
    PLAN_TITLE,   /* the programme title announced */
    PLAN_HEADING, /* a heading read aloud (chapter or deeper) */
    PLAN_SPEECH,  /* a speaker's paragraph or line */
};

struct plan_segment {
    enum plan_kind kind;
    int chapter; /* index into plan.chapters */
    int speaker; /* index into plan.speakers */
    const struct voice *voice;
    int line;     /* source line */
    char *text;   /* the readable text (Markdown removed) */
    size_t nruns; /* its runs: plan_segment_runs() */
    int pause_ms; /* silence before this segment */
};

struct plan_chapter {
    int number; /* 1-based number in the whole transcript (stable under --section) */
    char *title;
    int line;            /* source line of its heading, or of its first segment */
    size_t first, count; /* its segments: plan.segments[first .. first+count) */
};

struct plan_speaker {
    const char *name;
    const struct voice *voice;
    const char *source;      /* cast_source_name(): "cast", "declared", "undeclared", "narrator" */
    const char *voice_from;  /* cast_voice_from_name(): "cast", "pool", "shared", "narrator" */
    const char *gender;      /* "female", "male", or NULL when unknown */
    const char *gender_from; /* cast_gender_from_name(), NULL when unknown */
    size_t segments;
    size_t chars; /* characters of text, for the length estimate */
};

struct plan {
    const char *title;     /* may be NULL */
    const char *lang;      /* the document's language (base tag) */
    const char *lang_from; /* "front-matter", "file-name" or "text" */
    const char *file;
    struct plan_chapter *chapters;
    size_t nchapters;
    struct plan_segment *segments;
    size_t nsegments;
    struct plan_speaker *speakers;
    size_t nspeakers;
    const struct config *config; /* the script's, for plan_segment_runs() */
};

/* Which chapters to keep: --section values as given on the command line. */
struct plan_filter {
    char *const *sections;
    size_t nsections;
};

/* Returns 0, -1 for a plan with nothing to say, -2 for a --section that
 * selects nothing (a command-line mistake). */
int plan_build(struct plan *p, const struct script *s, const struct cast *c,
               const struct plan_filter *filter, struct diags *d);
void plan_release(struct plan *p);

/* Estimated spoken seconds of the plan, pauses included. */
double plan_estimate_seconds(const struct plan *p);

/*
 * The runs of segment sg, appended to *runs as runs_split() does (free them
 * with runs_free()); there are sg->nruns of them. A plan keeps only their
 * number: their texts are needed once, when they are synthesized (or
 * printed), and a long programme would otherwise carry them all to the end.
 */
void plan_segment_runs(const struct plan *p, const struct plan_segment *sg, struct plan_run **runs,
                       size_t *nruns);

const char *plan_kind_name(enum plan_kind k);

/* Whether heading text a says title b: equal ignoring punctuation, spaces
 * and ASCII case ("The PM guide | Zevi (Meta)", "The PM guide: Zevi (Meta)"). */
bool plan_same_title(const char *a, const char *b);

#endif
