/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The script stage: a transcript file read into the document model every
 * later stage works from — front matter, people, settings, and the blocks of
 * the body in reading order (headings and speech, Markdown already removed),
 * each with its source line.
 *
 * Contract: script_load() fills a struct script from a file and returns 0, or
 * -1 when the transcript cannot be used (diagnostics say why). A bad value in
 * the settings is an error diagnostic but does not stop parsing (0 is
 * returned), so that later stages report their problems in the same run:
 * callers check d->errors before producing anything. The struct owns every string and array in it;
 * script_release() frees them all and may be called on a partially loaded script.
 */
#ifndef SCRIPTCAST_SCRIPT_H
#define SCRIPTCAST_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/langid.h"

#include "script/config.h"
#include "script/pubmeta.h"
#include "script/cue.h"

struct diags;
struct people_index;
struct ynode;

enum script_kind {
    SCRIPT_HEADING,
    SCRIPT_SPEECH,
};

struct script_block {
    enum script_kind kind;
    int level;     /* SCRIPT_HEADING: 1..6 */
    int speaker;   /* SCRIPT_SPEECH: index into script.people; -1 narrator */
    bool labeled;  /* began with an explicit speaker label */
    char *text;    /* plain text: Markdown removed, white space folded */
    int line, col; /* where it starts in the file */
};

/* How a person became known to the script. */
enum person_origin {
    PERSON_FIELD, /* front matter speaker/host/guest/... */
    PERSON_CAST,  /* a key of the scriptcast cast mapping (or --cast) */
    PERSON_LABEL, /* only seen as a turn label */
};

struct script_person {
    char *name;     /* canonical name */
    char **aliases; /* other names that match exactly */
    size_t naliases;
    enum person_origin origin;
    const struct config_cast *cast; /* cast entry naming this person, or NULL */
    enum person_gender gender;      /* from a people field {name, gender}, else unknown */
    int line, col;                  /* where first declared or first seen */
    size_t turns;                   /* labeled turns in the body */
    int first_block;                /* index of the first block spoken, -1 if silent */
};

struct script {
    char *file;    /* the path as given */
    char **lines;  /* source lines (BOM, CR and newline removed) for diagnostics */
    size_t nlines; /* number of lines */
    char *title;   /* from front matter, else a lone top heading, else NULL */
    int title_line;
    bool title_is_heading;         /* the title came from a heading in the body */
    char *lang;                    /* lower case, region kept: "es", "pt-br" (doclang.h) */
    const char *lang_from;         /* "front-matter", "file-name" or "text" */
    int lang_line, lang_col;       /* of the front matter's lang value, else 0 */
    struct langid_guess lang_text; /* what the text reads as (util/langid.h) */
    struct config config;
    struct script_meta meta;      /* publishing fields: show, date, cover... (pubmeta.h) */
    struct script_person *people; /* grown by people_add() only (see people.h) */
    size_t npeople;
    struct people_index *people_index; /* names and aliases -> people (people.c) */
    struct script_block *blocks;
    size_t nblocks;
    int chapter_level;    /* chosen chapter heading level, 0 if no headings */
    int body_line;        /* first line after the front matter (1 without one) */
    int talk_speaker;     /* the one person of speaker/speakers, nobody else declared; else -1 */
    struct cue_list cues; /* non-speech cues: data/cues.txt and the `cues:` setting */
};

struct script_options {
    const char *cast_file; /* --cast FILE: settings that override the front matter */
    int chapter_level;     /* --chapter-level N, 0 for the automatic rule */
    uint64_t max_input;    /* --max-input: bytes a transcript or --cast file may have;
                              0 for READALL_DEFAULT_MAX (util/readall.h) */
};

/* Reads and parses path. opts may be NULL. Returns 0 or -1 (see above). */
int script_load(struct script *s, const char *path, const struct script_options *opts,
                struct diags *d);

/* Same, from a buffer already in memory (used by tests and stdin). */
int script_parse(struct script *s, const char *path, const char *buf, size_t len,
                 const struct script_options *opts, struct diags *d);

void script_release(struct script *s);

/*
 * Frees the source lines and the blocks, which nothing needs once the plan
 * is built (the plan copies what it shows); people, title, settings stay.
 * Keeps a long programme's memory at the plan itself.
 */
void script_drop_body(struct script *s);

/* The source line (1-based) or NULL when out of range. */
const char *script_line(const struct script *s, int line);

#endif
