/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Derived voice profiles: for every language espeak-ng speaks (langs.h), a
 * narrator and twelve pool voices made from a fixed table of espeak-ng
 * variants, pitches, ranges and rates, named like the shipped ones
 * (de-narrator, de-male-1 ... de-male-6, de-female-1 ... de-female-6). They
 * depend only on the table and the language's espeak-ng voice, so they are
 * the same on every run with the same espeak-ng data. A profile read from a
 * file of the same name always wins over a derived one; derived profiles
 * fill in the names no file gives.
 *
 * Contract: derived profiles are ordinary struct voice values (derived set,
 * path NULL) owned by the voicebook they are added to. Adding profiles to a
 * voicebook may move its array: pointers into it taken before are invalid.
 * Nothing here prints: problems go to struct diags.
 */
#ifndef SCRIPTCAST_DERIVE_H
#define SCRIPTCAST_DERIVE_H

#include <stddef.h>

struct diags;
struct lang_info;
struct script;
struct voice;
struct voicebook;

/* Profiles per language: the narrator, six male and six female voices. */
#define DERIVE_SLOTS 13

/* The name suffix of slot i: "narrator", "male-1" ... "female-6". */
const char *derive_slot_name(size_t slot);

/*
 * Fills *v (overwritten) with slot `slot` (0 .. DERIVE_SLOTS-1) of language
 * l. Free its strings with voice_release().
 */
void derive_profile(struct voice *v, const struct lang_info *l, size_t slot);

/*
 * The latin-voice of the derived profiles of language tag: NULL (the
 * profile's own voice) for an English voice, else "en-us" — Latin-script
 * words in a non-Latin language, and foreign stretches in a Latin-script
 * one, are mostly English. The string is static.
 */
const char *derive_latin_voice(const char *tag);

/*
 * Adds to vb the derived profiles of l whose names vb has no profile of,
 * keeping vb sorted by name. Returns how many it added.
 */
size_t derive_add(struct voicebook *vb, const struct lang_info *l);

/* derive_add() for every language espeak-ng has; returns how many. */
size_t derive_add_all(struct voicebook *vb);

/*
 * The language of the derived profile called name ("pt-br-female-3" ->
 * the pt-br entry), or NULL when name is not a derived profile's name.
 */
const struct lang_info *derive_lang_of(const char *name);

/*
 * The language whose profiles form the pool of a document in language
 * tag: tag itself when a profile of vb has it as its lang, else the tag of
 * the espeak-ng language that reads it ("de-at" -> "de"), else tag. The
 * result is tag or a string of langs.h's table.
 */
const char *derive_pool_lang(const struct voicebook *vb, const char *tag);

/*
 * Adds the error for a language tag espeak-ng has no voice for and no
 * profile speaks, at file:line:col (each may be NULL or 0), saying how to
 * add profiles for it.
 */
void derive_no_voice(struct diags *d, const char *file, int line, int col, const char *source,
                     const char *tag);

/*
 * Readies vb for casting script s: adds the derived profiles of the
 * document's language that no file gives, and those of the derived names
 * its cast and narrator settings use. espeak-ng's languages are only
 * enumerated when something is missing (a zh or en transcript with the
 * shipped profiles never asks). Reports a document language espeak-ng has
 * no voice for and no profile speaks (an error at the front matter's lang,
 * saying how to add profiles) and one espeak-ng reads only partly (a
 * warning). Returns 0, or -1 after adding an error. Call it before
 * cast_assign().
 */
int derive_for_script(struct voicebook *vb, const struct script *s, struct diags *d);

#endif
