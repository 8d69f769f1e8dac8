/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The site file and the index page and feed of a batch (contract in
 * batch_site.h). The site file holds only text the feed shows; like a
 * transcript it cannot name a command or a path outside OUTDIR (the image
 * is a URL or a path under OUTDIR, made absolute with the base URL).
 */
#include "cli/batch_site.h"
#include "audio/writer.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/planout.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SITE_FILE_MAX (1 << 20) /* a site file is a few lines */

static const char *batch_site_keep(struct batch_site *s, const char *v)
{
    if (!v || s->nowned >= sizeof(s->owned) / sizeof(s->owned[0]))
        return NULL;
    return s->owned[s->nowned++] = xstrdup(v);
}

static int batch_site_load(const char *path, struct strbuf *buf, struct diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, DIAG_ERROR, path, 0, 0, NULL, "cannot read the site file: %s", strerror(errno));
        return -1;
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf->len <= SITE_FILE_MAX)
        strbuf_add(buf, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || buf->len > SITE_FILE_MAX) {
        diag_add(d, DIAG_ERROR, path, 0, 0, NULL,
                 bad ? "cannot read the site file" : "the site file is over 1 MiB");
        return -1;
    }
    return 0;
}

int batch_site_base_url(struct batch_site *s, const char *url, const char *file, int line, int col,
                        struct diags *d)
{
    if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) {
        diag_add(d, DIAG_ERROR, file, line, col, NULL,
                 "the base URL must be absolute (https://...), not \"%s\"", url);
        return -1;
    }
    for (const char *c = url; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == '"' || *c == '<' || *c == '>') {
            diag_add(d, DIAG_ERROR, file, line, col, NULL,
                     "the base URL may not contain spaces, quotes or angle brackets");
            return -1;
        }
    char *u = xstrdup(url);
    size_t n = strlen(u);
    while (n > 8 && u[n - 1] == '/')
        u[--n] = '\0';
    s->info.base_url = batch_site_keep(s, u);
    free(u);
    return 0;
}

/* The site file's keys and where batch_site_read() put each (explicit aside). */
static const char *const batch_site_keys[] = {
    "title", "author", "description", "image", "language", "category", "link", "email", "base-url"};

static const char **batch_site_slot(struct batch_site *s, size_t i)
{
    const char **slots[] = {&s->info.title, &s->info.author,   &s->info.description,
                            &s->info.image, &s->info.language, &s->info.category,
                            &s->info.link,  &s->info.email,    &s->info.base_url};
    return slots[i];
}

int batch_site_read(struct batch_site *s, const char *path, struct diags *d)
{
    memset(s, 0, sizeof(*s));
    if (!path)
        return 0;
    struct strbuf buf = STRBUF_INIT;
    if (batch_site_load(path, &buf, d) < 0) {
        strbuf_release(&buf);
        return -1;
    }
    size_t errors = d->errors;
    struct ynode *root = ydoc_parse(buf.buf, buf.len, path, 1, NULL, 0, d);
    strbuf_release(&buf);
    if (!root)
        return d->errors > errors ? -1 : 0;
    if (root->type != YNODE_MAP) {
        diag_add(d, DIAG_ERROR, path, root->line, root->col, NULL,
                 "the site file must be a mapping of keys (title, author, ...)");
        ydoc_free(root);
        return -1;
    }
    const size_t nkeys = sizeof(batch_site_keys) / sizeof(batch_site_keys[0]);
    for (size_t i = 0; i < root->n; i++) {
        const char *k = root->keys[i];
        const struct ynode *v = root->items[i];
        size_t j = 0;
        while (j < nkeys && strcmp(batch_site_keys[j], k))
            j++;
        if (!strcmp(k, "explicit")) {
            if (!ydoc_bool(v, &s->info.explicit_))
                diag_add(d, DIAG_ERROR, path, v->line, v->col, NULL,
                         "explicit takes true or false");
        } else if (j == nkeys) {
            diag_add(d, DIAG_WARNING, path, root->key_lines[i], root->key_cols[i], NULL,
                     "unknown key \"%s\" in the site file (ignored)", k);
        } else if (!ydoc_str(v)) {
            diag_add(d, DIAG_ERROR, path, v->line, v->col, NULL, "%s takes a string, not a %s", k,
                     ydoc_type_name(v));
        } else {
            *batch_site_slot(s, j) = batch_site_keep(s, ydoc_str(v));
        }
    }
    if (s->info.base_url) {
        const struct ynode *v = ydoc_get(root, "base-url");
        if (batch_site_base_url(s, s->info.base_url, path, v->line, v->col, d) < 0)
            s->info.base_url = NULL;
    }
    if (s->info.image && !strstr(s->info.image, "://") &&
        (s->info.image[0] == '/' || strstr(s->info.image, ".."))) {
        const struct ynode *v = ydoc_get(root, "image");
        diag_add(d, DIAG_ERROR, path, v->line, v->col, NULL,
                 "image must be a URL or a path inside the output folder");
    }
    ydoc_free(root);
    return d->errors > errors ? -1 : 0;
}

json_t *batch_site_to_json(const struct batch_site *s)
{
    json_t *o = json_object();
    const char *const vals[] = {s->info.title, s->info.author,   s->info.description,
                                s->info.image, s->info.language, s->info.category,
                                s->info.link,  s->info.email,    s->info.base_url};
    _Static_assert(sizeof(vals) / sizeof(vals[0]) ==
                       sizeof(batch_site_keys) / sizeof(batch_site_keys[0]),
                   "one value per key");
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        if (vals[i])
            json_object_set_new(o, batch_site_keys[i], json_string(vals[i]));
    if (s->info.explicit_)
        json_object_set_new(o, "explicit", json_true());
    return o;
}

int batch_site_from_json(struct batch_site *s, const json_t *o)
{
    memset(s, 0, sizeof(*s));
    if (!o)
        return 0;
    if (!json_is_object(o))
        return -1;
    for (size_t i = 0; i < sizeof(batch_site_keys) / sizeof(batch_site_keys[0]); i++) {
        const json_t *v = json_object_get(o, batch_site_keys[i]);
        if (v && !json_is_string(v))
            return -1;
        if (v)
            *batch_site_slot(s, i) = batch_site_keep(s, json_string_value(v));
    }
    const json_t *e = json_object_get(o, "explicit");
    if (e && !json_is_boolean(e))
        return -1;
    s->info.explicit_ = json_is_true(e);
    return 0;
}

void batch_site_release(struct batch_site *s)
{
    for (size_t i = 0; i < s->nowned; i++)
        free(s->owned[i]);
    memset(s, 0, sizeof(*s));
}

static const char *batch_site_mime(const char *format)
{
    static const char *const map[][2] = {
        {"wav", "audio/wav"},  {"flac", "audio/flac"}, {"ogg", "audio/ogg"}, {"opus", "audio/ogg"},
        {"mp3", "audio/mpeg"}, {"m4a", "audio/mp4"},   {"m4b", "audio/mp4"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(format, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

/* One episode's strings, kept alive while the documents are written. */
struct batch_site_item {
    json_t *manifest;
    char *audio, *page, *chapters, *vtt, *transcript;
    const char **people;
};

static bool batch_site_has(const json_t *outputs, const char *rel)
{
    size_t i;
    const json_t *v;
    json_array_foreach(outputs, i, v) if (!strcmp(json_string_value(v), rel)) return true;
    return false;
}

static char *batch_site_output(const json_t *outputs, const char *name, const char *ext)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s%s", name, ext);
    if (batch_site_has(outputs, sb.buf))
        return strbuf_detach(&sb);
    strbuf_release(&sb);
    return NULL;
}

/* Fills e from the entry and the manifest batch wrote; false to leave it out. */
static bool batch_site_episode(const char *outdir, const char *format, const json_t *entry,
                               struct batch_site_item *it, struct site_episode *e)
{
    const char *name = json_string_value(json_object_get(entry, "name"));
    const char *status = json_string_value(json_object_get(entry, "status"));
    if (!name || !status || !strcmp(status, "failed"))
        return false;
    struct strbuf p = STRBUF_INIT;
    strbuf_addf(&p, "%s/%s.manifest.json", outdir, name);
    it->manifest = json_load_file(p.buf, 0, NULL);
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/%s.%s", outdir, name, format);
    struct stat st;
    bool ok = it->manifest && stat(p.buf, &st) == 0;
    strbuf_release(&p);
    if (!ok)
        return false;
    const json_t *m = it->manifest, *outputs = json_object_get(entry, "outputs");
    it->audio = xstrdup(name);
    it->audio = xrealloc(it->audio, strlen(name) + strlen(format) + 2);
    strcat(strcat(it->audio, "."), format);
    it->page = batch_site_output(outputs, name, ".html");
    it->chapters = batch_site_output(outputs, name, ".chapters.json");
    it->vtt = batch_site_output(outputs, name, ".vtt");
    it->transcript = batch_site_output(outputs, name, ".transcript.json");
    const json_t *speakers = json_object_get(m, "speakers");
    it->people = xcalloc(json_array_size(speakers) + 1, sizeof(char *));
    size_t np = 0, i;
    const json_t *sp;
    json_array_foreach(speakers, i, sp)
    {
        const char *src = json_string_value(json_object_get(sp, "source"));
        const char *who = json_string_value(json_object_get(sp, "name"));
        if (who && !(src && !strcmp(src, "narrator")))
            it->people[np++] = who;
    }
    *e = (struct site_episode){
        .name = name,
        .title = json_string_value(json_object_get(m, "title")),
        .date = json_string_value(json_object_get(m, "date")),
        .description = json_string_value(json_object_get(m, "description")),
        .lang = json_string_value(json_object_get(m, "lang")),
        .seconds = json_number_value(json_object_get(json_object_get(m, "audio"), "seconds")),
        .bytes = (unsigned long long)st.st_size,
        .audio = it->audio,
        .audio_type = batch_site_mime(format),
        .page = it->page,
        .chapters = it->chapters,
        .vtt = it->vtt,
        .transcript_json = it->transcript,
        .people = it->people,
        .npeople = np,
        .nchapters = json_array_size(json_object_get(m, "chapters")),
    };
    return true;
}

static int batch_site_put(const char *outdir, const char *file, const struct strbuf *body,
                          struct diags *d)
{
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/%s", outdir, file);
    int rc = atomicfile_write(path.buf, body->buf, body->len, d);
    strbuf_release(&path);
    return rc;
}

bool batch_site_any(const char *outdir, const json_t *transcripts)
{
    size_t i;
    const json_t *e;
    json_array_foreach(transcripts, i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        struct strbuf p = STRBUF_INIT;
        strbuf_addf(&p, "%s/%s.manifest.json", outdir, name ? name : "");
        bool there = name && access(p.buf, F_OK) == 0;
        strbuf_release(&p);
        if (there)
            return true;
    }
    return false;
}

int batch_site_write(const struct batch_site *s, const char *outdir, const char *format,
                     json_t *transcripts, struct diags *d)
{
    size_t n = json_array_size(transcripts), ne = 0;
    struct batch_site_item *items = xcalloc(n + 1, sizeof(*items));
    struct site_episode *eps = xcalloc(n + 1, sizeof(*eps));
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(transcripts, i);
        const char *status = json_string_value(json_object_get(e, "status"));
        if (batch_site_episode(outdir, format, e, &items[i], &eps[ne]))
            ne++;
        else if (status && strcmp(status, "failed") != 0)
            diag_add(d, DIAG_WARNING, outdir, 0, 0, NULL,
                     "%s: its audio or manifest is not in this folder: left out of index.html "
                     "and the feed",
                     json_string_value(json_object_get(e, "name")));
    }
    site_sort(eps, ne);
    struct strbuf body = STRBUF_INIT;
    site_index_html(&s->info, eps, ne, &body);
    int rc = batch_site_put(outdir, "index.html", &body, d);
    if (rc == 0 && s->info.base_url) {
        strbuf_reset(&body);
        site_feed_xml(&s->info, eps, ne, &body);
        rc = batch_site_put(outdir, "feed.xml", &body, d);
    }
    strbuf_release(&body);
    for (size_t i = 0; i < n; i++) {
        json_decref(items[i].manifest);
        free(items[i].audio);
        free(items[i].page);
        free(items[i].chapters);
        free(items[i].vtt);
        free(items[i].transcript);
        free(items[i].people);
    }
    free(items);
    free(eps);
    return rc;
}

/*
 * The site file (--site FILE, else site.yaml in the first folder given)
 * and the base URL (--base-url, else the site file's base-url). With a
 * base URL the feed is written (the caller also asks for the transcripts
 * it points to).
 */
int batch_site_setup(struct batch_site *s, const struct cli_args *a, int verbosity)
{
    const char *site = a->v[CLI_OPT_SITE].set ? a->v[CLI_OPT_SITE].arg : NULL;
    struct strbuf guess = STRBUF_INIT;
    struct stat st;
    for (size_t i = 0; !site && i < a->noperands; i++)
        if (stat(a->operands[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            strbuf_addf(&guess, "%s/site.yaml", a->operands[i]);
            if (access(guess.buf, F_OK) == 0)
                site = guess.buf;
            break;
        }
    if (a->v[CLI_OPT_SITE].set && access(site, R_OK) != 0) {
        strbuf_release(&guess);
        return cli_usage_error("batch", "--site %s: %s", site, strerror(errno));
    }
    const char *url = a->v[CLI_OPT_BASE_URL].arg;
    if (url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) {
        strbuf_release(&guess);
        return cli_usage_error("batch", "--base-url: not an absolute http(s) URL: \"%s\"", url);
    }
    struct diags d;
    diag_init(&d);
    int rc = batch_site_read(s, site, &d);
    if (rc == 0 && url)
        rc = batch_site_base_url(s, url, NULL, 0, 0, &d);
    planout_diagnostics(&d, verbosity, stderr);
    int code = rc < 0 ? (diag_exit_code(&d) ? diag_exit_code(&d) : EXIT_INPUT) : EXIT_OK;
    diag_release(&d);
    strbuf_release(&guess);
    return code;
}
