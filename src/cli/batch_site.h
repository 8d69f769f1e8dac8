/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The web side of `batch`: after the episodes are rendered, OUTDIR/index.html
 * lists them and, when a public base URL is known, OUTDIR/feed.xml is the
 * podcast feed (src/manifest/site.h writes both). What it knows of each
 * episode it reads back from the files batch wrote (NAME.manifest.json and
 * the audio's size), so the site always describes what is on disk.
 *
 * Contract: batch_site_read() parses the site file (YAML, keys in
 * docs/outputs.md) into *s, whose strings it owns until
 * batch_site_release(); a missing file (path NULL) leaves the defaults. 0,
 * or -1 with diagnostics at the file's line:col. batch_site_write() writes
 * index.html (and feed.xml when s->info.base_url is set) for the index's
 * transcripts that did not fail, with a warning for each whose files are
 * not in outdir; 0, or -1 with a DIAG_SYSTEM diagnostic.
 */
#ifndef SCRIPTCAST_BATCH_SITE_H
#define SCRIPTCAST_BATCH_SITE_H

#include "manifest/site.h"

#include <stdbool.h>

struct diags;
struct cli_args;
struct json_t;

struct batch_site {
    struct site_info info;
    char *owned[16]; /* the strings info points to */
    size_t nowned;
};

int batch_site_read(struct batch_site *s, const char *path, struct diags *d);
/* Sets the base URL (absolute http(s), trailing slashes dropped); 0, or -1
 * with an error at file:line:col. */
int batch_site_base_url(struct batch_site *s, const char *url, const char *file, int line, int col,
                        struct diags *d);
void batch_site_release(struct batch_site *s);

/* The site file and base URL from batch's options (--site, else site.yaml
 * in the first folder; --base-url, else the file's base-url) into *s;
 * diagnostics printed. Returns the exit code: EXIT_OK, EXIT_USAGE (after
 * a usage error) or the diagnostics' code. */
int batch_site_setup(struct batch_site *s, const struct cli_args *a, int verbosity);

/* The site as index.json records it: an object of the site file's keys
 * that are set (base-url included), a new reference. And back: *s from
 * such an object (NULL: the defaults), strings copied; 0, or -1 when it is
 * not one (*s then holds what was read, for batch_site_release()). */
struct json_t *batch_site_to_json(const struct batch_site *s);
int batch_site_from_json(struct batch_site *s, const struct json_t *o);

/* Whether outdir holds the manifest of any of the index's transcripts. */
bool batch_site_any(const char *outdir, const struct json_t *transcripts);

int batch_site_write(const struct batch_site *s, const char *outdir, const char *format,
                     struct json_t *transcripts, struct diags *d);

#endif
