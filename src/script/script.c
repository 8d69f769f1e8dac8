/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loading a transcript: bytes checked (UTF-8, BOM, CRLF), front matter cut
 * out and handed to the YAML reader alone, settings merged with a --cast
 * file, then the body read by markdown.c. Chapter level and title are
 * decided here from the headings found (contract in script.h).
 */
#include "script/script.h"
#include "script/doclang.h"
#include "script/markdown.h"
#include "script/people.h"
#include "script/report.h"
#include "util/diag.h"
#include "util/readall.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const script_people_fields[] = {"speaker", "speakers", "host",   "hosts",
                                                   "guest",   "guests",   "people", NULL};

const char *script_line(const struct script *s, int line)
{
    if (line < 1 || (size_t)line > s->nlines)
        return NULL;
    return s->lines[line - 1];
}

void script_release(struct script *s)
{
    free(s->file);
    for (size_t i = 0; i < s->nlines; i++)
        free(s->lines[i]);
    free(s->lines);
    free(s->title);
    free(s->lang);
    config_release(&s->config);
    script_meta_release(&s->meta);
    for (size_t i = 0; i < s->npeople; i++) {
        free(s->people[i].name);
        for (size_t k = 0; k < s->people[i].naliases; k++)
            free(s->people[i].aliases[k]);
        free(s->people[i].aliases);
    }
    free(s->people);
    people_release(s);
    for (size_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i].text);
    free(s->blocks);
    cue_list_release(&s->cues);
    memset(s, 0, sizeof(*s));
}

void script_drop_body(struct script *s)
{
    for (size_t i = 0; i < s->nlines; i++)
        free(s->lines[i]);
    free(s->lines);
    s->lines = NULL;
    s->nlines = 0;
    for (size_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i].text);
    free(s->blocks);
    s->blocks = NULL;
    s->nblocks = 0;
}

/* Reads a whole file of at most max bytes; -1 with a diagnostic (exit 1
 * when the path or the size is the user's mistake, exit 3 for other I/O
 * failures). */
static int script_read_file(const char *path, uint64_t max, struct strbuf *out, struct diags *d)
{
    int rc = readall_path(path, max, out);
    if (rc == READALL_TOO_BIG) {
        char size[32];
        readall_format_size(max, size, sizeof(size));
        diag_add(d, DIAG_ERROR, path, 0, 0, NULL,
                 "larger than the input limit of %s; --max-input SIZE changes it", size);
        return -1;
    }
    if (rc != READALL_OK) {
        int e = errno;
        bool user = e == ENOENT || e == ENOTDIR || e == EACCES || e == EISDIR;
        diag_add(d, user ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, NULL, "cannot read: %s",
                 strerror(e));
        return -1;
    }
    return 0;
}

static uint64_t script_max_input(const struct script_options *opts)
{
    return opts && opts->max_input ? opts->max_input : READALL_DEFAULT_MAX;
}

/* Splits text (already LF-only) into owned lines. */
static void script_split(const char *text, size_t len, char ***lines, size_t *n)
{
    size_t cap = 0;
    const char *p = text, *end = text + len;
    *lines = NULL;
    *n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        XGROW(*lines, cap, *n + 1);
        (*lines)[(*n)++] = xstrndup(p, (size_t)(e - p));
        p = nl ? nl + 1 : end;
    }
}

/*
 * Checks the bytes and produces LF-only text without BOM. Returns -1 after
 * a diagnostic for invalid UTF-8 or NUL bytes, naming the first bad byte.
 */
static int script_normalize(const char *path, const char *buf, size_t len, struct strbuf *out,
                            struct diags *d)
{
    size_t bad = 0;
    bool ok = utf8_valid(buf, len, &bad);
    const char *nul = memchr(buf, '\0', len);
    if (nul && (ok || (size_t)(nul - buf) < bad)) {
        ok = false;
        bad = (size_t)(nul - buf);
    }
    if (!ok) {
        int line = 1;
        size_t ls = 0;
        for (size_t i = 0; i < bad; i++)
            if (buf[i] == '\n')
                line++, ls = i + 1;
        int col = 1;
        for (size_t i = ls; i < bad; i++)
            if (((unsigned char)buf[i] & 0xC0) != 0x80)
                col++;
        struct strbuf src = STRBUF_INIT;
        strbuf_add(&src, buf + ls, bad - ls);
        diag_add(d, DIAG_ERROR, path, line, col, src.buf,
                 buf[bad] ? "invalid UTF-8: byte 0x%02X cannot start or continue a character here"
                          : "a NUL byte (0x%02X) is not text",
                 (unsigned char)buf[bad]);
        strbuf_release(&src);
        return -1;
    }
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        buf += 3, len -= 3;
    strbuf_grow(out, len);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\r') {
            strbuf_addc(out, '\n');
            if (i + 1 < len && buf[i + 1] == '\n')
                i++;
        } else {
            strbuf_addc(out, buf[i]);
        }
    }
    return 0;
}

static bool script_is_fence(const char *line, bool closing)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    return (n == 3 && !strncmp(line, "---", 3)) || (closing && n == 3 && !strncmp(line, "...", 3));
}

static void script_front_keys(struct script *s, const struct ynode *root, struct diags *d)
{
    const struct ynode *v;
    if ((v = ydoc_get(root, "title"))) {
        if (ydoc_str(v) && *v->scalar) {
            s->title = xstrdup(v->scalar);
            s->title_line = v->line;
        } else if (!ydoc_is_null(v)) {
            diag_add(d, DIAG_WARNING, s->file, v->line, v->col, script_line(s, v->line),
                     "\"title\" should be a string, not %s", ydoc_type_name(v));
        }
    }
    if (!(v = ydoc_get(root, "lang")))
        v = ydoc_get(root, "language");
    if (ydoc_str(v) && *v->scalar) {
        s->lang = doclang_code(v->scalar);
        s->lang_from = "front-matter";
        s->lang_line = v->line;
        s->lang_col = v->col;
    }
    size_t speakers = 0;
    for (size_t i = 0; script_people_fields[i]; i++) {
        size_t before = s->npeople;
        if ((v = ydoc_get(root, script_people_fields[i])))
            people_add_field(s, v, script_people_fields[i], d);
        if (!strncmp(script_people_fields[i], "speaker", 7))
            speakers += s->npeople - before;
    }
    /* A talk: one speaker and nobody else declared. */
    if (speakers == 1 && s->npeople == 1)
        s->talk_speaker = 0;
    if ((v = ydoc_get(root, "scriptcast")))
        config_read(&s->config, v, s->file, s->lines, s->nlines, d);
    script_meta_read(s, root, d);
}

/* Finds, parses and blanks out the front matter of text. -1 when it cannot
 * be read at all (unclosed, malformed YAML): then nothing below is trusted. */
static int script_front_matter(struct script *s, struct strbuf *text, struct diags *d)
{
    if (!s->nlines || !script_is_fence(s->lines[0], false))
        return 0;
    size_t close = 0;
    for (size_t i = 1; i < s->nlines && !close; i++)
        if (script_is_fence(s->lines[i], true))
            close = i;
    if (!close) {
        diag_add(d, DIAG_ERROR, s->file, 1, 1, s->lines[0],
                 "the front matter starting here has no closing '---' line");
        return -1;
    }
    size_t errors = d->errors;
    struct strbuf yaml = STRBUF_INIT;
    for (size_t i = 1; i < close; i++) {
        strbuf_adds(&yaml, s->lines[i]);
        strbuf_addc(&yaml, '\n');
    }
    struct ynode *root = ydoc_parse(yaml.buf, yaml.len, s->file, 2, s->lines, s->nlines, d);
    strbuf_release(&yaml);
    bool broken = !root && d->errors > errors;
    if (root && root->type == YNODE_MAP)
        script_front_keys(s, root, d);
    else if (root && !ydoc_is_null(root))
        diag_add(d, DIAG_ERROR, s->file, root->line, root->col, script_line(s, root->line),
                 "the front matter must be a mapping of keys, not %s", ydoc_type_name(root));
    ydoc_free(root);
    s->body_line = (int)close + 2;
    /* Blank the front matter so cmark's line numbers stay the file's. */
    size_t off = 0;
    for (size_t i = 0; i <= close; i++) {
        size_t n = strlen(s->lines[i]);
        memset(text->buf + off, ' ', n);
        off += n + 1;
    }
    return broken ? -1 : 0;
}

/* Reads a --cast file into the settings; -1 when it cannot be read. */
static int script_cast_file(struct script *s, const char *path, uint64_t max, struct diags *d)
{
    struct strbuf raw = STRBUF_INIT, text = STRBUF_INIT;
    if (script_read_file(path, max, &raw, d) < 0 ||
        script_normalize(path, raw.buf, raw.len, &text, d)) {
        strbuf_release(&raw);
        return -1;
    }
    size_t errors = d->errors;
    char **lines;
    size_t nlines;
    script_split(text.buf, text.len, &lines, &nlines);
    struct ynode *root = ydoc_parse(text.buf, text.len, path, 1, lines, nlines, d);
    if (root) {
        const struct ynode *block = ydoc_get(root, "scriptcast");
        config_read(&s->config, block ? block : root, path, lines, nlines, d);
    }
    ydoc_free(root);
    for (size_t i = 0; i < nlines; i++)
        free(lines[i]);
    free(lines);
    strbuf_release(&raw);
    strbuf_release(&text);
    return !root && d->errors > errors ? -1 : 0;
}

/* The chapter level: the shallowest level used more than once, else the
 * shallowest present. Also takes a lone top heading as the title. */
static void script_structure(struct script *s, int forced)
{
    size_t count[7] = {0};
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].kind == SCRIPT_HEADING)
            count[s->blocks[i].level]++;
    int shallowest = 0, repeated = 0;
    for (int l = 6; l >= 1; l--) {
        if (count[l])
            shallowest = l;
        if (count[l] > 1)
            repeated = l;
    }
    s->chapter_level = forced ? forced : (repeated ? repeated : shallowest);
    if (!shallowest || count[shallowest] != 1 || s->title)
        return;
    if (shallowest < s->chapter_level || count[s->chapter_level] == 1) {
        for (size_t i = 0; i < s->nblocks; i++) {
            if (s->blocks[i].kind == SCRIPT_HEADING && s->blocks[i].level == shallowest) {
                s->title = xstrdup(s->blocks[i].text);
                s->title_line = s->blocks[i].line;
                s->title_is_heading = true;
                break;
            }
        }
    }
}

int script_parse(struct script *s, const char *path, const char *buf, size_t len,
                 const struct script_options *opts, struct diags *d)
{
    memset(s, 0, sizeof(*s));
    config_init(&s->config);
    s->talk_speaker = -1;
    s->file = xstrdup(path);
    size_t errors = d->system;
    struct strbuf text = STRBUF_INIT;
    if (script_normalize(path, buf, len, &text, d) < 0)
        return -1;
    script_split(text.buf, text.len, &s->lines, &s->nlines);
    if (strspn(text.buf, " \t\n") == text.len) {
        diag_add(d, DIAG_ERROR, path, 1, 1, NULL, "the transcript is empty");
        strbuf_release(&text);
        return -1;
    }
    /* A bad setting is reported and parsing goes on, so that the cast and
     * the plan can report their problems in the same run; a front matter or
     * --cast file that cannot be read at all stops here. */
    if (script_front_matter(s, &text, d) < 0 ||
        (opts && opts->cast_file &&
         script_cast_file(s, opts->cast_file, script_max_input(opts), d) < 0)) {
        strbuf_release(&text);
        return -1;
    }
    people_apply_cast(s);
    if (!s->body_line)
        s->body_line = 1;
    cue_list_init(&s->cues);
    for (size_t i = 0; i < s->config.ncues; i++)
        cue_list_add(&s->cues, s->config.cues[i], strlen(s->config.cues[i]));
    int rc = markdown_read(s, text.buf, text.len, d);
    strbuf_release(&text);
    if (rc < 0)
        return -1;
    int forced = opts && opts->chapter_level ? opts->chapter_level : s->config.chapter_level;
    script_structure(s, forced);
    doclang_settle(s, d);
    size_t speech = 0;
    for (size_t i = 0; i < s->nblocks; i++)
        speech += s->blocks[i].kind == SCRIPT_SPEECH;
    if (!speech) {
        diag_add(d, DIAG_ERROR, path, 1, 1, NULL,
                 "the transcript has no speech: no paragraph outside code, HTML or front matter");
        return -1;
    }
    script_report(s, d);
    return d->system > errors ? -1 : 0;
}

int script_load(struct script *s, const char *path, const struct script_options *opts,
                struct diags *d)
{
    struct strbuf raw = STRBUF_INIT;
    memset(s, 0, sizeof(*s));
    config_init(&s->config);
    if (script_read_file(path, script_max_input(opts), &raw, d) < 0) {
        strbuf_release(&raw);
        s->file = xstrdup(path);
        return -1;
    }
    int rc = script_parse(s, path, raw.buf, raw.len, opts, d);
    strbuf_release(&raw);
    return rc;
}
