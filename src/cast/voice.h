/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Voice profiles: the YAML files (voices/NAME.yaml) that say which engine voice,
 * variant, rate and pitch a named voice such as "zh-male-1" stands for. This
 * module finds them along a search path, validates each one with positions
 * for its diagnostics, and keeps the valid ones in a voicebook sorted by
 * name. Transcripts only ever refer to profiles by name; what a profile may
 * contain is checked here so that nothing else has to trust it.
 *
 * Contract: every string in struct voice is owned by the voice and freed by
 * voice_release(); a voicebook owns its voices and is freed by
 * voice_release_all(). Nothing here prints: problems go to struct diags.
 */
#ifndef SCRIPTCAST_VOICE_H
#define SCRIPTCAST_VOICE_H

#include <stdbool.h>
#include <stddef.h>

struct diags;

/* Defaults and limits of the numeric keys (espeak-ng's own ranges). */
#define VOICE_RATE_DEFAULT 175
#define VOICE_RATE_MIN 80
#define VOICE_RATE_MAX 450
#define VOICE_PITCH_DEFAULT 50
#define VOICE_RANGE_DEFAULT 50
#define VOICE_VOLUME_DEFAULT 100
#define VOICE_VOLUME_MAX 200

struct voice {
    char *name;                     /* "zh-male-1": equals the file's base name */
    char *lang;                     /* "zh", "en" (any short tag) */
    char *engine;                   /* always "espeak-ng", the only engine known */
    char *voice;                    /* espeak-ng voice id, e.g. "cmn-latn-pinyin" */
    char *variant;                  /* espeak-ng variant ("m3", "klatt") or NULL */
    int rate, pitch, range, volume; /* words/min 80-450; 0-100; 0-100; 0-200 */
    char *latin_voice;              /* voice for Latin runs, or NULL: use voice */
    char *gender;                   /* "female", "male", or NULL: see voice_gender() */
    char *path;                     /* the file it came from; NULL for a derived profile */
    int line;                       /* line of the name key, for diagnostics */
    bool derived;                   /* made by derive.c from espeak-ng's voice, not read */
};

/* Valid profiles, sorted by name (strcmp order); names are unique. */
struct voicebook {
    struct voice *v;
    size_t n;
};

/*
 * The search path, in order: each of the ncli command-line dirs, then the
 * ':'-separated entries of $SCRIPTCAST_VOICES (empty entries skipped), then
 * "./voices", then the data folder's voices (util/datadir.h). Returns a malloc'd
 * NULL-terminated array of malloc'd strings; free it with voice_path_free().
 * cli_dirs may be NULL when ncli is 0.
 */
char **voice_search_path(char *const *cli_dirs, size_t ncli);
void voice_path_free(char **path);

/*
 * True when dir exists and is a directory. voice_load_all() skips missing
 * dirs silently (the environment and default entries are optional), so the
 * caller uses this to refuse a --voices DIR that does not exist.
 */
bool voice_dir_exists(const char *dir);

/*
 * Loads every *.yaml file of each existing dir of the NULL-terminated path,
 * files in strcmp order within a dir. The first dir that defines a valid
 * profile of a name wins; a later file of the same base name is not read
 * (this is how --voices DIR overrides a shipped profile). Invalid profiles
 * are reported (DIAG_ERROR at FILE:LINE:COL) and skipped; unknown keys are
 * warnings. *vb is overwritten, not appended to.
 *
 * Returns 0 when at least one profile loaded. Returns -1 when none did (no
 * dir existed, or none held a valid profile), after adding a diagnostic
 * that lists the dirs searched. Either way release *vb with
 * voice_release_all().
 */
int voice_load_all(struct voicebook *vb, char *const *path, struct diags *d);

/*
 * The gender a profile speaks with, for casting by gender: its "gender" key,
 * else "female"/"male" when its name has the form LANG-female-N/LANG-male-N,
 * else NULL (the profile is in the pool for anyone).
 */
const char *voice_gender(const struct voice *v);

/* The profile called name, or NULL. The pointer lives as long as *vb. */
const struct voice *voice_find(const struct voicebook *vb, const char *name);
void voice_release_all(struct voicebook *vb);

/*
 * Parses and validates one profile file into *v (overwritten). Returns 0, or
 * -1 with at least one diagnostic and *v left empty (nothing to release).
 * Warnings alone (unknown keys) do not make it fail.
 */
int voice_load_file(struct voice *v, const char *file, struct diags *d);
/* Frees the strings of v and zeroes it. */
void voice_release(struct voice *v);

#endif
