/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The `scriptcast:` settings block, read from a transcript's front matter and
 * from a --cast file (same keys). A transcript may only name voice profiles:
 * nothing here can select an engine, a command or a path, because transcripts
 * come from untrusted places in CI.
 *
 * Contract: config_init() sets the defaults; config_read() merges one block
 * into the config (later reads override earlier ones key by key, cast entries
 * by label); config_release() frees everything. All strings are owned.
 */
#ifndef SCRIPTCAST_CONFIG_H
#define SCRIPTCAST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct ynode;

/* A person's gender, when a hint says it: used to pick a fitting pool voice. */
enum person_gender {
    GENDER_UNKNOWN,
    GENDER_FEMALE,
    GENDER_MALE,
};

struct config_cast {
    char *label;               /* speaker label as written in the transcript */
    char *voice;               /* voice profile name, or NULL: a pool voice (of gender, if known) */
    enum person_gender gender; /* `Maya: female`, `Maya: {gender: female}`, or unknown */
    char **aliases;            /* other labels for the same person */
    size_t naliases;
    char *file; /* where the entry was read, for diagnostics */
    int line, col;
    char *source; /* the source line of the entry, or NULL */
};

struct config_lexeme {
    char *word;
    char *say;
};

struct config {
    char *narrator; /* profile name or NULL: then LANG-narrator */
    char *narrator_file;
    int narrator_line, narrator_col;
    bool announce_title;
    bool announce_sections;
    int pause_paragraph_ms;
    int pause_turn_ms;
    int pause_section_ms;
    int chapter_level; /* 0: automatic */
    struct config_cast *cast;
    size_t ncast;
    struct config_lexeme *lexicon;
    size_t nlexicon;
    char **cues; /* `cues:` words added to data/cues.txt */
    size_t ncues;
    char **read_tags; /* `read-tags:` language tags whose lines are read; none: all */
    size_t nread_tags;
};

void config_init(struct config *c);
void config_release(struct config *c);

/*
 * Merges the settings in block (a YAML mapping) into c. file and lines are
 * used for diagnostics. Unknown keys are warnings; keys that would name an
 * engine, command or path are errors. Returns 0, or -1 if errors were added.
 */
int config_read(struct config *c, const struct ynode *block, const char *file, char *const *lines,
                size_t nlines, struct diags *d);

/* The longest pause a transcript may ask for: a minute is plenty, and a
 * bound here bounds the silence a short transcript can make. */
#define CONFIG_PAUSE_MAX_MS 60000

#define CONFIG_DURATION_INVALID (-1)  /* not a duration */
#define CONFIG_DURATION_TOO_LONG (-2) /* a duration above CONFIG_PAUSE_MAX_MS */

/*
 * The gender a hint word names: "female", "f", "woman", "女" and "male",
 * "m", "man", "男" (ASCII case ignored), else GENDER_UNKNOWN.
 */
enum person_gender config_gender_parse(const char *s);

/* "female", "male", or NULL for GENDER_UNKNOWN. */
const char *config_gender_name(enum person_gender g);

/*
 * Parses a duration such as "350ms", "1.5s", "2 s" or a bare number of
 * milliseconds: a non-negative decimal number (digits, at most one '.'; no
 * sign, exponent, NaN or infinity), then optional spaces and "ms" or "s".
 * Returns the milliseconds rounded to the nearest (0 to
 * CONFIG_PAUSE_MAX_MS), CONFIG_DURATION_INVALID when s is not a duration,
 * or CONFIG_DURATION_TOO_LONG when it is longer than CONFIG_PAUSE_MAX_MS
 * once the unit is applied.
 */
int config_duration_ms(const char *s);

#endif
