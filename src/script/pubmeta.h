/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The front matter's publishing fields: what becomes the audio file's tags
 * (show, date, genre, description, episode number) and its cover art. Kept
 * apart from the reading of the transcript proper (script.c) because the
 * cover is a file the transcript points at, and a transcript comes from
 * untrusted places in CI: the path must be relative to the transcript and
 * stay inside its folder tree (symbolic links resolved), and the file must
 * be a PNG or JPEG image, checked by its first bytes.
 *
 * Contract: script_meta_read() fills m from the front matter's mapping
 * (warnings for values of the wrong type, errors with line:col for a cover
 * that is refused); m owns its strings and the cover's bytes, freed by
 * script_meta_release(). pubmeta_cover_load() reads and checks any image file
 * (for --cover): 0, or -1 with a diagnostic at file/line/col.
 */
#ifndef SCRIPTCAST_SCRIPT_PUBMETA_H
#define SCRIPTCAST_SCRIPT_PUBMETA_H

#include <stddef.h>

struct diags;
struct script;
struct ynode;

/* Cover images larger than this are refused (podcast directories ask for under 512 KB). */
#define SCRIPT_COVER_MAX ((size_t)16 << 20)

struct script_cover {
    unsigned char *bytes;
    size_t len;
    const char *mime;  /* "image/png" or "image/jpeg" (static) */
    int width, height; /* from the PNG header or the JPEG frame; 0 if not found */
};

struct script_meta {
    char *album;       /* show, series or podcast */
    char *date;        /* date or year, as written */
    char *genre;       /* genre; NULL: the format decides (Podcast, Audiobook) */
    char *description; /* summary or description */
    char *track;       /* episode or track: a number */
    struct script_cover cover;
};

void script_meta_read(struct script *s, const struct ynode *root, struct diags *d);
void script_meta_release(struct script_meta *m);

/*
 * Reads path as a cover image: file, line and col say where to point a
 * diagnostic (line 0 for a command-line file; what is the value's source
 * line, may be NULL). A missing or unreadable file or one that is not PNG
 * or JPEG is a DIAG_ERROR (exit 1); so is one over SCRIPT_COVER_MAX.
 */
int pubmeta_cover_load(struct script_cover *c, const char *path, const char *file, int line,
                       int col, const char *what, struct diags *d);

#endif
