/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The people of a script: who is declared in the front matter or the cast,
 * and who turns up as a label in the body. Matching a label to a person
 * follows DESIGN.md: an exact name or alias, else a label of at least two
 * characters contained in a declared name (`陆飞` in `北美王陆飞`; for Latin
 * names only as whole words, so `Al` does not match `Alice`), else a label
 * of 2 to 4 capitals that are the initials of exactly one declared person
 * (`TV:` for `Tone Vays`, as many transcripts abbreviate).
 *
 * Exact names and aliases are found through a hash table kept beside
 * script.people, so people must be created with people_add() and aliases
 * given with people_add_alias(), never written into the array directly.
 *
 * Contract: people live in script.people and are freed by script_release()
 * (which calls people_release() for the table). Indexes returned here stay
 * valid until the script is released; pointers into script.people do not
 * survive the next people_add().
 */
#ifndef SCRIPTCAST_PEOPLE_H
#define SCRIPTCAST_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "script/script.h"

/* Index of the person whose name or alias is exactly name (ASCII case
 * ignored), or -1: no containment, no initials. */
int people_find_exact(const struct script *s, const char *name, size_t len);

/* Index of the person name (len bytes) refers to, or -1. */
int people_find(const struct script *s, const char *name, size_t len);

/* A key shared by a full name and its short form with an initial ("Андрей
 * Норкин", "А. Норкин" and "А.НОРКИН" have one): the first letter and the
 * last word, letter case folded, written to out (cap bytes, not
 * NUL-terminated). Returns its length, 0 when name has no such form. */
size_t people_short_key(const char *name, size_t len, char *out, size_t cap);

/* Adds a person and returns its index; name is copied. */
int people_add(struct script *s, const char *name, size_t len, enum person_origin origin, int line,
               int col);

/* Adds alias (len bytes, copied) to person who unless it is already one of
 * their names (ASCII case ignored); returns true when it was added. The
 * alias is found by people_find() from then on. */
bool people_alias_add(struct script *s, int who, const char *alias, size_t len);

/*
 * Adds every name of a front matter people field value: a string (names
 * separated by , ， 、 ;), a list of such strings, or mappings
 * {name: ..., gender: female|male, aliases: [...]} alone or in a list; the
 * gender goes to script_person.gender. Odd entries are warnings.
 */
void people_add_field(struct script *s, const struct ynode *value, const char *field,
                      struct diags *d);

/* Attaches the cast entries of s->config to people, creating those missing. */
void people_apply_cast(struct script *s);

/* Frees the lookup table (script_release() calls it). */
void people_release(struct script *s);

#endif
