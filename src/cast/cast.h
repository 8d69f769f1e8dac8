/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The cast stage: every speaker of a script gets exactly one voice profile.
 * Mappings come from the --cast file and the front matter's cast block;
 * speakers without one take profiles from the pool of the document's
 * language in a fixed order, by first appearance — a voice of the speaker's
 * gender when a hint says it (cast entry, people field, honorific, the
 * given-name table) — so the result is deterministic, distinct while the
 * pool lasts, and never the narrator's voice.
 *
 * Contract: cast_assign() fills a struct cast whose voice pointers point
 * into the voicebook (which must outlive it) and whose names point into the
 * script. It returns 0, or -1 when a named profile does not exist or no
 * voice can be found (diagnostics say where). cast_release() frees it. It
 * takes time linear in the speakers and blocks of the script.
 */
#ifndef SCRIPTCAST_CAST_H
#define SCRIPTCAST_CAST_H

#include <stdbool.h>
#include <stddef.h>

#include "script/config.h"

struct diags;
struct script;
struct voice;
struct voicebook;

/* Who a speaker is to the transcript; printed in plans and manifests. */
enum cast_source {
    CAST_SOURCE_CAST,       /* has a cast entry (front matter or --cast) */
    CAST_SOURCE_DECLARED,   /* declared in a people field (front matter) */
    CAST_SOURCE_UNDECLARED, /* only seen as a turn label */
    CAST_SOURCE_NARRATOR,   /* the narrator */
};

/* How its voice was chosen. */
enum cast_voice_from {
    CAST_VOICE_CAST,     /* the profile its cast entry names */
    CAST_VOICE_POOL,     /* a pool profile no other speaker has */
    CAST_VOICE_SHARED,   /* a pool profile shared: more speakers than voices */
    CAST_VOICE_NARRATOR, /* the narrator setting or LANG-narrator */
};

/* What said the speaker's gender. */
enum cast_gender_from {
    CAST_GENDER_NONE,         /* nothing: gender unknown */
    CAST_GENDER_CAST,         /* its cast entry (`Maya: female`, {gender: female}) */
    CAST_GENDER_FRONT_MATTER, /* a people field {name: ..., gender: ...} */
    CAST_GENDER_HONORIFIC,    /* Mr., Ms., 先生, 女士, ... in its name */
    CAST_GENDER_NAME_TABLE,   /* its given name in the shipped table */
    CAST_GENDER_NAME_ENDING,  /* a Russian surname or patronymic (Соколова) */
};

struct cast_role {
    const char *name; /* speaker name (script-owned), "Narrator" for -1 */
    const struct voice *voice;
    enum cast_source source;
    enum cast_voice_from voice_from;
    enum person_gender gender;
    enum cast_gender_from gender_from;
};

struct cast {
    struct cast_role narrator;
    struct cast_role *people; /* parallel to script.people; voice NULL if silent */
    size_t npeople;
};

/*
 * Assigns voices. strict makes undeclared speakers (neither in the cast nor
 * in a people field) errors; declared speakers may take pool voices.
 */
int cast_assign(struct cast *c, const struct script *s, const struct voicebook *vb, bool strict,
                struct diags *d);
void cast_release(struct cast *c);

/* The role of speaker index i (-1 is the narrator). */
const struct cast_role *cast_role(const struct cast *c, int i);

/* Names as printed: "cast", "declared", "undeclared", "narrator". */
const char *cast_source_name(enum cast_source src);
/* "cast", "pool", "shared", "narrator". */
const char *cast_voice_from_name(enum cast_voice_from from);
/* "cast", "front-matter", "honorific", "name-table", or NULL for none. */
const char *cast_gender_from_name(enum cast_gender_from from);

#endif
