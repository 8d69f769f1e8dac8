/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The site index and the podcast feed (contract in site.h). The feed
 * follows RSS 2.0 with Apple's iTunes tags (what Apple Podcasts and most
 * apps read) and the Podcasting 2.0 namespace for chapters, transcripts
 * and people, which is how apps find the sidecars scriptcast writes.
 * Every URL in the feed is absolute (the base URL joined with the path
 * under OUTDIR), as enclosures must be; the index page links relatively, so
 * the folder works from disk too.
 */
#include "manifest/site.h"
#include "manifest/markup.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char page_player_css[];

static bool site_parse_date(const char *d, int *y, int *m, int *day)
{
    if (!d || strlen(d) < 10 || d[4] != '-' || d[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return false;
    *y = atoi(d);
    *m = atoi(d + 5);
    *day = atoi(d + 8);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return *m >= 1 && *m <= 12 && *day >= 1 && *day <= mdays[*m - 1];
}

bool site_rfc822(const char *date, char out[SITE_RFC822_MAX])
{
    int y, m, d;
    if (!site_parse_date(date, &y, &m, &d))
        return false;
    /* Sakamoto's day of the week: 0 is Sunday. */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    int yy = m < 3 ? y - 1 : y;
    int wd = (yy + yy / 4 - yy / 100 + yy / 400 + t[m - 1] + d) % 7;
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(out, SITE_RFC822_MAX, "%s, %02d %s %04d 00:00:00 +0000", days[wd], d, months[m - 1],
             y);
    return true;
}

/* Newest first; undated after dated, by name; equal dates by name. */
static int site_cmp(const void *a, const void *b)
{
    const struct site_episode *x = a, *y = b;
    int dx = 0, mx = 0, yx = 0, dy = 0, my = 0, yy = 0;
    bool hx = site_parse_date(x->date, &yx, &mx, &dx);
    bool hy = site_parse_date(y->date, &yy, &my, &dy);
    if (hx != hy)
        return hx ? -1 : 1;
    if (hx) {
        long kx = yx * 10000L + mx * 100L + dx, ky = yy * 10000L + my * 100L + dy;
        if (kx != ky)
            return kx > ky ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

void site_sort(struct site_episode *e, size_t n)
{
    if (n > 1)
        qsort(e, n, sizeof(*e), site_cmp);
}

static void site_clock(struct strbuf *out, double seconds)
{
    unsigned long s = (unsigned long)(seconds + 0.5);
    if (s >= 3600)
        strbuf_addf(out, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        strbuf_addf(out, "%lu:%02lu", s / 60, s % 60);
}

static void site_people(struct strbuf *out, const struct site_episode *e)
{
    for (size_t k = 0; k < e->npeople; k++) {
        if (k)
            strbuf_adds(out, ", ");
        markup_text(out, e->people[k]);
    }
}

void site_index_html(const struct site_info *s, const struct site_episode *e, size_t n,
                     struct strbuf *out)
{
    const char *title = s->title ? s->title : "Episodes";
    strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
    markup_text(out, s->language ? s->language : (n && e[0].lang ? e[0].lang : "und"));
    strbuf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"scriptcast " SCRIPTCAST_VERSION "\">\n"
                     "<title>");
    markup_text(out, title);
    strbuf_adds(out, "</title>\n");
    if (s->base_url) {
        strbuf_adds(out, "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"feed.xml\" "
                         "title=\"");
        markup_text(out, title);
        strbuf_adds(out, "\">\n");
    }
    strbuf_adds(out, "<style>\n");
    strbuf_adds(out, page_player_css);
    strbuf_adds(out, "</style>\n</head>\n<body>\n<header>\n<h1>");
    markup_text(out, title);
    strbuf_adds(out, "</h1>\n");
    if (s->author) {
        strbuf_adds(out, "<p class=\"people\">");
        markup_text(out, s->author);
        strbuf_adds(out, "</p>\n");
    }
    if (s->description) {
        strbuf_adds(out, "<p class=\"description\">");
        markup_text(out, s->description);
        strbuf_adds(out, "</p>\n");
    }
    if (s->base_url)
        strbuf_adds(out, "<p><a href=\"feed.xml\">Podcast feed (RSS)</a></p>\n");
    strbuf_addf(out, "</header>\n<main>\n<h2>%zu %s</h2>\n<ol class=\"episodes\">\n", n,
                n == 1 ? "episode" : "episodes");
    for (size_t i = 0; i < n; i++) {
        strbuf_adds(out, "<li><h3><a href=\"");
        markup_url(out, e[i].page ? e[i].page : e[i].audio);
        strbuf_adds(out, "\">");
        markup_text(out, e[i].title ? e[i].title : e[i].name);
        strbuf_adds(out, "</a></h3>\n<p class=\"facts\">");
        if (e[i].date) {
            strbuf_adds(out, "<time datetime=\"");
            markup_text(out, e[i].date);
            strbuf_adds(out, "\">");
            markup_text(out, e[i].date);
            strbuf_adds(out, "</time> · ");
        }
        site_clock(out, e[i].seconds);
        strbuf_addf(out, " · %zu %s", e[i].nchapters, e[i].nchapters == 1 ? "chapter" : "chapters");
        if (e[i].npeople) {
            strbuf_adds(out, " · ");
            site_people(out, &e[i]);
        }
        strbuf_adds(out, "</p>\n");
        if (e[i].description) {
            strbuf_adds(out, "<p>");
            markup_text(out, e[i].description);
            strbuf_adds(out, "</p>\n");
        }
        strbuf_adds(out, "</li>\n");
    }
    strbuf_adds(out, "</ol>\n</main>\n<footer><p>Voices synthesized with espeak-ng by "
                     "scriptcast.</p></footer>\n</body>\n</html>\n");
}

static void site_tag(struct strbuf *out, const char *indent, const char *tag, const char *text)
{
    if (!text)
        return;
    strbuf_addf(out, "%s<%s>", indent, tag);
    markup_text(out, text);
    strbuf_addf(out, "</%s>\n", tag);
}

/* base_url + "/" + path, as an attribute value. */
static void site_abs(struct strbuf *out, const struct site_info *s, const char *path)
{
    markup_text(out, s->base_url);
    strbuf_addc(out, '/');
    markup_url(out, path);
}

static void site_item(const struct site_info *s, const struct site_episode *e, struct strbuf *out)
{
    strbuf_adds(out, "    <item>\n");
    site_tag(out, "      ", "title", e->title ? e->title : e->name);
    site_tag(out, "      ", "description", e->description);
    site_tag(out, "      ", "itunes:summary", e->description);
    if (e->page) {
        strbuf_adds(out, "      <link>");
        site_abs(out, s, e->page);
        strbuf_adds(out, "</link>\n");
    }
    strbuf_adds(out, "      <guid isPermaLink=\"false\">");
    markup_text(out, e->name);
    strbuf_adds(out, "</guid>\n");
    char rfc[SITE_RFC822_MAX];
    if (site_rfc822(e->date, rfc))
        strbuf_addf(out, "      <pubDate>%s</pubDate>\n", rfc);
    strbuf_adds(out, "      <enclosure url=\"");
    site_abs(out, s, e->audio);
    strbuf_addf(out, "\" length=\"%llu\" type=\"", e->bytes);
    markup_text(out, e->audio_type);
    strbuf_addf(out, "\"/>\n      <itunes:duration>%lu</itunes:duration>\n",
                (unsigned long)(e->seconds + 0.5));
    strbuf_addf(out, "      <itunes:explicit>%s</itunes:explicit>\n",
                s->explicit_ ? "true" : "false");
    if (e->chapters) {
        strbuf_adds(out, "      <podcast:chapters url=\"");
        site_abs(out, s, e->chapters);
        strbuf_adds(out, "\" type=\"application/json+chapters\"/>\n");
    }
    if (e->vtt) {
        strbuf_adds(out, "      <podcast:transcript url=\"");
        site_abs(out, s, e->vtt);
        strbuf_adds(out, "\" type=\"text/vtt\"/>\n");
    }
    if (e->transcript_json) {
        strbuf_adds(out, "      <podcast:transcript url=\"");
        site_abs(out, s, e->transcript_json);
        strbuf_adds(out, "\" type=\"application/json\"/>\n");
    }
    for (size_t k = 0; k < e->npeople; k++)
        site_tag(out, "      ", "podcast:person", e->people[k]);
    strbuf_adds(out, "    </item>\n");
}

void site_feed_xml(const struct site_info *s, const struct site_episode *e, size_t n,
                   struct strbuf *out)
{
    const char *title = s->title ? s->title : "Episodes";
    strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<rss version=\"2.0\" "
                     "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
                     "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\" "
                     "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n  <channel>\n");
    site_tag(out, "    ", "title", title);
    strbuf_adds(out, "    <link>");
    markup_text(out, s->link ? s->link : s->base_url);
    strbuf_adds(out, "</link>\n    <atom:link href=\"");
    site_abs(out, s, "feed.xml");
    strbuf_adds(out, "\" rel=\"self\" type=\"application/rss+xml\"/>\n");
    site_tag(out, "    ", "description", s->description ? s->description : title);
    site_tag(out, "    ", "language", s->language ? s->language : (n ? e[0].lang : NULL));
    site_tag(out, "    ", "generator", "scriptcast " SCRIPTCAST_VERSION);
    char rfc[SITE_RFC822_MAX];
    /* The newest episode's date: no clock, so the same episodes give the same feed. */
    if (n && site_rfc822(e[0].date, rfc))
        strbuf_addf(out, "    <lastBuildDate>%s</lastBuildDate>\n", rfc);
    site_tag(out, "    ", "itunes:author", s->author);
    if (s->author || s->email) {
        strbuf_adds(out, "    <itunes:owner>\n");
        site_tag(out, "      ", "itunes:name", s->author);
        site_tag(out, "      ", "itunes:email", s->email);
        strbuf_adds(out, "    </itunes:owner>\n");
    }
    if (s->image) {
        strbuf_adds(out, "    <itunes:image href=\"");
        if (strstr(s->image, "://"))
            markup_text(out, s->image);
        else
            site_abs(out, s, s->image);
        strbuf_adds(out, "\"/>\n");
    }
    if (s->category) {
        strbuf_adds(out, "    <itunes:category text=\"");
        markup_text(out, s->category);
        strbuf_adds(out, "\"/>\n");
    }
    strbuf_addf(out, "    <itunes:explicit>%s</itunes:explicit>\n",
                s->explicit_ ? "true" : "false");
    strbuf_adds(out, "    <itunes:type>episodic</itunes:type>\n");
    for (size_t i = 0; i < n; i++)
        site_item(s, &e[i], out);
    strbuf_adds(out, "  </channel>\n</rss>\n");
}
