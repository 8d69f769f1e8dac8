/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The cast stage: every speaker of a script gets exactly one voice profile.
 * Mappings come from the --cast file and the front matter's cast block;
 * speakers without one take profiles from the pool of the document's
 * language in a fixed order, by first appearance, so the result is
 * deterministic and distinct while the pool lasts.
 *
 * Contract: cast_assign() fills a struct cast whose voice pointers point
 * into the voicebook (which must outlive it) and whose names point into the
 * script. It returns 0, or -1 when a named profile does not exist or no
 * voice can be found (diagnostics say where). cast_release() frees it.
 */
#ifndef SCRIPTCAST_CAST_H
#define SCRIPTCAST_CAST_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct script;
struct voice;
struct voicebook;

/* How a speaker got its voice; printed in plans and manifests. */
enum cast_source {
    CAST_SOURCE_CAST,     /* a cast entry (front matter or --cast) */
    CAST_SOURCE_POOL,     /* assigned from the language pool */
    CAST_SOURCE_NARRATOR, /* the narrator setting or LANG-narrator */
};

struct cast_role {
    const char *name; /* speaker name (script-owned), "Narrator" for -1 */
    const struct voice *voice;
    enum cast_source source;
};

struct cast {
    struct cast_role narrator;
    struct cast_role *people; /* parallel to script.people; voice NULL if silent */
    size_t npeople;
};

/* Assigns voices. strict turns pool assignments into errors. */
int cast_assign(struct cast *c, const struct script *s, const struct voicebook *vb, bool strict,
                struct diags *d);
void cast_release(struct cast *c);

/* The role of speaker index i (-1 is the narrator). */
const struct cast_role *cast_role(const struct cast *c, int i);

const char *cast_source_name(enum cast_source src);

#endif
