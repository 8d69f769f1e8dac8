/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Publishing fields and the cover image of a transcript (contract in
 * pubmeta.h). The cover path is resolved with realpath() on both the
 * transcript's folder and the image, so neither `..` nor a symbolic link
 * can reach a file outside that folder.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "script/pubmeta.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void script_meta_release(struct script_meta *m)
{
    free(m->album);
    free(m->date);
    free(m->genre);
    free(m->description);
    free(m->track);
    free(m->cover.bytes);
    memset(m, 0, sizeof(*m));
}

/* The first of keys present as a non-empty string; a warning for any other type. */
static const struct ynode *pubmeta_find(struct script *s, const struct ynode *root,
                                        const char *const *keys, struct diags *d)
{
    for (; *keys; keys++) {
        const struct ynode *v = ydoc_get(root, *keys);
        if (!v || ydoc_is_null(v))
            continue;
        if (ydoc_str(v) && *v->scalar)
            return v;
        if (!ydoc_str(v))
            diag_add(d, DIAG_WARNING, s->file, v->line, v->col, script_line(s, v->line),
                     "\"%s\" should be a string, not %s; ignored", *keys, ydoc_type_name(v));
    }
    return NULL;
}

static char *pubmeta_string(struct script *s, const struct ynode *root, const char *const *keys,
                            struct diags *d)
{
    const struct ynode *v = pubmeta_find(s, root, keys, d);
    return v ? xstrdup(v->scalar) : NULL;
}

/* "12" or "12/40": what ID3 TRCK and MP4 trkn take. */
static bool pubmeta_track_ok(const char *t)
{
    size_t n = strspn(t, "0123456789");
    if (n == 0 || n > 9)
        return false;
    if (t[n] == '\0')
        return true;
    size_t m = strspn(t + n + 1, "0123456789");
    return t[n] == '/' && m > 0 && m <= 9 && t[n + 1 + m] == '\0';
}

static uint32_t pubmeta_be(const unsigned char *p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Image size: PNG's IHDR, else the first JPEG start-of-frame marker. */
static void pubmeta_cover_size(struct script_cover *c)
{
    const unsigned char *b = c->bytes;
    size_t n = c->len;
    if (c->mime[6] == 'p') {
        if (n >= 24 && !memcmp(b + 12, "IHDR", 4)) {
            c->width = (int)(pubmeta_be(b + 16, 4) & 0x7fffffff);
            c->height = (int)(pubmeta_be(b + 20, 4) & 0x7fffffff);
        }
        return;
    }
    size_t i = 2;
    while (i + 9 < n && b[i] == 0xff) {
        unsigned m = b[i + 1];
        size_t len = pubmeta_be(b + i + 2, 2);
        /* SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC). */
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            c->height = (int)pubmeta_be(b + i + 5, 2);
            c->width = (int)pubmeta_be(b + i + 7, 2);
            return;
        }
        i += 2 + len;
    }
}

int pubmeta_cover_load(struct script_cover *c, const char *path, const char *file, int line,
                       int col, const char *what, struct diags *d)
{
    memset(c, 0, sizeof(*c));
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        int e = errno;
        if (f)
            fclose(f);
        diag_add(d, DIAG_ERROR, file, line, col, what, "cover %s: cannot read: %s", path,
                 strerror(e));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        fclose(f);
        diag_add(d, DIAG_ERROR, file, line, col, what, "cover %s: not a regular file", path);
        return -1;
    }
    if ((uint64_t)st.st_size > SCRIPT_COVER_MAX) {
        fclose(f);
        diag_add(d, DIAG_ERROR, file, line, col, what,
                 "cover %s: %lld bytes is too large (at most %zu MiB)", path, (long long)st.st_size,
                 SCRIPT_COVER_MAX >> 20);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = xmalloc(n ? n : 1);
    size_t got = fread(buf, 1, n, f);
    fclose(f);
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const char *mime = NULL;
    if (got == n && n >= 8 && !memcmp(buf, png, 8))
        mime = "image/png";
    else if (got == n && n >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
        mime = "image/jpeg";
    if (!mime) {
        free(buf);
        diag_add(d, DIAG_ERROR, file, line, col, what,
                 got == n ? "cover %s: not a PNG or JPEG image" : "cover %s: cannot read", path);
        return -1;
    }
    c->bytes = buf;
    c->len = n;
    c->mime = mime;
    pubmeta_cover_size(c);
    return 0;
}

/* The folder a transcript's relative paths start from. */
static char *pubmeta_base_dir(const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash || !strcmp(file, "-"))
        return xstrdup(".");
    if (slash == file)
        return xstrdup("/");
    return xstrndup(file, (size_t)(slash - file));
}

static void pubmeta_cover(struct script *s, const struct ynode *v, struct script_meta *m,
                          struct diags *d)
{
    const char *src = script_line(s, v->line), *value = v->scalar;
    if (value[0] == '/') {
        diag_add(d, DIAG_ERROR, s->file, v->line, v->col, src,
                 "cover \"%s\": a transcript may only name an image in its own folder tree "
                 "(a relative path); use --cover for others",
                 value);
        return;
    }
    char *dir = pubmeta_base_dir(s->file);
    struct strbuf joined = STRBUF_INIT;
    strbuf_addf(&joined, "%s/%s", dir, value);
    char *rdir = realpath(dir, NULL), *rfile = realpath(joined.buf, NULL);
    if (!rdir || !rfile) {
        diag_add(d, DIAG_ERROR, s->file, v->line, v->col, src, "cover \"%s\": cannot read: %s",
                 value, strerror(errno));
    } else {
        size_t n = strlen(rdir);
        bool inside = !strncmp(rfile, rdir, n) && (rfile[n] == '/' || (n == 1 && rdir[0] == '/'));
        if (!inside)
            diag_add(d, DIAG_ERROR, s->file, v->line, v->col, src,
                     "cover \"%s\" is outside the transcript's folder; a transcript may only "
                     "name an image in its own folder tree (use --cover for others)",
                     value);
        else
            pubmeta_cover_load(&m->cover, rfile, s->file, v->line, v->col, src, d);
    }
    free(rdir);
    free(rfile);
    free(dir);
    strbuf_release(&joined);
}

void script_meta_read(struct script *s, const struct ynode *root, struct diags *d)
{
    static const char *const album[] = {"show", "series", "podcast", "album", NULL};
    static const char *const date[] = {"date", "year", NULL};
    static const char *const genre[] = {"genre", NULL};
    static const char *const desc[] = {"summary", "description", NULL};
    static const char *const track[] = {"episode", "track", NULL};
    static const char *const cover[] = {"cover", NULL};
    struct script_meta *m = &s->meta;
    m->album = pubmeta_string(s, root, album, d);
    m->date = pubmeta_string(s, root, date, d);
    m->genre = pubmeta_string(s, root, genre, d);
    m->description = pubmeta_string(s, root, desc, d);
    const struct ynode *v = pubmeta_find(s, root, track, d);
    if (v && pubmeta_track_ok(v->scalar))
        m->track = xstrdup(v->scalar);
    else if (v)
        diag_add(d, DIAG_WARNING, s->file, v->line, v->col, script_line(s, v->line),
                 "episode/track \"%s\" is not a number (such as 12 or 12/40); ignored", v->scalar);
    if ((v = pubmeta_find(s, root, cover, d)))
        pubmeta_cover(s, v, m, d);
}
