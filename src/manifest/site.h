/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a publisher puts on the web for a folder of episodes: an index page
 * listing them and an RSS 2.0 podcast feed (iTunes and Podcasting 2.0
 * namespaces), both from facts batch already has — each episode's manifest
 * and files — and the show's own metadata (the site file, see
 * docs/outputs.md). Episodes are listed newest first by their front-matter
 * date; those without one follow, by name.
 *
 * Contract: site_sort() orders an array in place. site_index_html() and
 * site_feed_xml() append a whole document to out and allocate nothing the
 * caller frees beyond the strbuf; all strings are borrowed. Nothing depends
 * on the clock: the same episodes give the same bytes. site_rfc822() turns
 * a YYYY-MM-DD date into an RFC 822 date (midnight UTC); false when the date
 * is not one.
 */
#ifndef SCRIPTCAST_SITE_H
#define SCRIPTCAST_SITE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct site_info {
    const char *title, *author, *description, *image, *language, *category, *link, *email;
    bool explicit_;
    const char *base_url; /* absolute, without a trailing slash; NULL: no feed */
};

struct site_episode {
    const char *name;        /* path under OUTDIR without extension: the stable guid */
    const char *title;       /* NULL: the name */
    const char *date;        /* YYYY-MM-DD from the front matter, or NULL */
    const char *description; /* or NULL */
    const char *lang;
    double seconds;
    unsigned long long bytes;                            /* size of the audio file */
    const char *audio;                                   /* paths relative to OUTDIR */
    const char *audio_type;                              /* MIME type */
    const char *page, *chapters, *vtt, *transcript_json; /* or NULL */
    const char *const *people;                           /* speakers, narrator excluded */
    size_t npeople;
    size_t nchapters;
};

void site_sort(struct site_episode *e, size_t n);
void site_index_html(const struct site_info *s, const struct site_episode *e, size_t n,
                     struct strbuf *out);
void site_feed_xml(const struct site_info *s, const struct site_episode *e, size_t n,
                   struct strbuf *out);
/* Room for "Wed, 03 Dec 2026 00:00:00 +0000" with any int fields. */
#define SITE_RFC822_MAX 64
bool site_rfc822(const char *date, char out[SITE_RFC822_MAX]);

#endif
