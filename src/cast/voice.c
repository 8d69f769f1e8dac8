/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Voice profiles: the parsing and validation of one profile file (contract
 * in voice.h; the search path and the directory scan are voicebook.c). A
 * profile is the one place where engine parameters come from, so every
 * value is checked for type and range here, with the file position of the
 * offending key, and nothing that could name a program or a path gets
 * through.
 */
#include "cast/voice.h"
#include "cast/voice_file.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Profiles are a dozen lines; anything this large is a wrong file. */
#define VOICE_FILE_MAX (1u << 20)
/* Identifiers longer than this are not espeak-ng names and clutter messages. */
#define VOICE_ID_MAX 64

/* ---- one profile ---- */

void voice_release(struct voice *v)
{
    free(v->name);
    free(v->lang);
    free(v->engine);
    free(v->voice);
    free(v->variant);
    free(v->latin_voice);
    free(v->gender);
    free(v->path);
    memset(v, 0, sizeof(*v));
}

/* What a file is being parsed against: its name and lines, for quoting. */
struct voice_src {
    const char *file;
    char **lines;
    size_t nlines;
    struct diags *d;
};

static const char *voice_src_line(const struct voice_src *s, int line)
{
    if (line < 1 || (size_t)line > s->nlines)
        return NULL;
    return s->lines[line - 1];
}

/*
 * Appends s for a message, shortened and with control characters replaced:
 * YAML escapes can put anything in a value, and diagnostics go to terminals.
 */
static void voice_quote(struct strbuf *sb, const char *s)
{
    const char *p = s, *end = s + strlen(s);
    size_t chars = 0;
    strbuf_addc(sb, '"');
    while (p < end) {
        if (++chars > 40) {
            strbuf_adds(sb, "...");
            break;
        }
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            strbuf_addc(sb, '?');
        else
            strbuf_add(sb, at, (size_t)(p - at));
    }
    strbuf_addc(sb, '"');
}

enum voice_kind {
    VK_NAME,   /* profile name: a file base name */
    VK_TAG,    /* language tag */
    VK_ID,     /* espeak-ng voice or variant id */
    VK_ENGINE, /* engine name: one allowed value */
    VK_INT,    /* integer in [min, max] */
    VK_GENDER, /* "female" or "male" */
};

static const struct voice_field {
    const char *key;
    enum voice_kind kind;
    size_t off;
    int min, max;
    bool required;
    const char *example; /* shown when a required key is missing */
} voice_fields[] = {
    {"name", VK_NAME, offsetof(struct voice, name), 0, 0, true, "zh-male-1"},
    {"lang", VK_TAG, offsetof(struct voice, lang), 0, 0, true, "zh"},
    {"engine", VK_ENGINE, offsetof(struct voice, engine), 0, 0, false, NULL},
    {"voice", VK_ID, offsetof(struct voice, voice), 0, 0, true, "cmn-latn-pinyin"},
    {"variant", VK_ID, offsetof(struct voice, variant), 0, 0, false, NULL},
    {"rate", VK_INT, offsetof(struct voice, rate), VOICE_RATE_MIN, VOICE_RATE_MAX, false, NULL},
    {"pitch", VK_INT, offsetof(struct voice, pitch), 0, 100, false, NULL},
    {"range", VK_INT, offsetof(struct voice, range), 0, 100, false, NULL},
    {"volume", VK_INT, offsetof(struct voice, volume), 0, VOICE_VOLUME_MAX, false, NULL},
    {"latin-voice", VK_ID, offsetof(struct voice, latin_voice), 0, 0, false, NULL},
    {"gender", VK_GENDER, offsetof(struct voice, gender), 0, 0, false, NULL},
};
#define VOICE_NFIELDS (sizeof(voice_fields) / sizeof(voice_fields[0]))

static bool voice_is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Names become file names and appear in transcripts and cache keys, so they
 * are kept to a portable file-name alphabet.
 */
static bool voice_name_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > VOICE_ID_MAX || !voice_is_alnum(s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!voice_is_alnum(*p) && *p != '-' && *p != '_' && *p != '.')
            return false;
    return true;
}

static bool voice_tag_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 16 || !voice_is_alnum(s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!voice_is_alnum(*p) && *p != '-')
            return false;
    return true;
}

/*
 * espeak-ng resolves a voice id and a variant to files under its data dir
 * and joins them with '+', so '/', '+' and a leading '.' must not reach it.
 * Spaces are allowed: some shipped variants have them ("Mr serious").
 */
static bool voice_id_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > VOICE_ID_MAX || !voice_is_alnum(s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!voice_is_alnum(*p) && *p != '-' && *p != '_' && *p != '.' && *p != ' ')
            return false;
    return true;
}

/* Parses a decimal integer with optional sign and nothing else. */
static bool voice_parse_int(const char *s, long *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return false;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno == ERANGE)
        v = *s == '-' ? LONG_MIN : LONG_MAX;
    *out = v;
    return true;
}

/* The file's base name without ".yaml": what the profile's name must be. */
static char *voice_base_name(const char *file)
{
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    size_t len = strlen(base);
    if (len > VOICE_SUFFIX_LEN && !strcmp(base + len - VOICE_SUFFIX_LEN, VOICE_SUFFIX))
        len -= VOICE_SUFFIX_LEN;
    return xstrndup(base, len);
}

static void voice_error_at(const struct voice_src *s, const struct ynode *n, const char *msg)
{
    diag_add(s->d, DIAG_ERROR, s->file, n->line, n->col, voice_src_line(s, n->line), "%s", msg);
}

/* Stores one key's value into v; false after reporting why it is wrong. */
static bool voice_take(const struct voice_src *s, struct voice *v, const struct voice_field *f,
                       const struct ynode *val)
{
    struct strbuf msg = STRBUF_INIT;
    const char *str = ydoc_str(val);
    bool ok = false;
    if (!str) {
        strbuf_addf(&msg, "\"%s\" must be %s, not %s", f->key,
                    f->kind == VK_INT ? "a number" : "a string", ydoc_type_name(val));
        goto done;
    }
    if (f->kind == VK_INT) {
        long num;
        if (!voice_parse_int(str, &num)) {
            strbuf_addf(&msg, "\"%s\" must be a whole number, not ", f->key);
            voice_quote(&msg, str);
        } else if (num < f->min || num > f->max) {
            strbuf_addf(&msg, "%s %ld is out of range (%d-%d)", f->key, num, f->min, f->max);
        } else {
            *(int *)((char *)v + f->off) = (int)num;
            ok = true;
        }
        goto done;
    }
    switch (f->kind) {
    case VK_NAME:
        ok = voice_name_ok(str);
        if (!ok) {
            strbuf_adds(&msg, "bad profile name ");
            voice_quote(&msg, str);
            strbuf_adds(&msg, ": use letters, digits, '-', '_' and '.'");
        }
        break;
    case VK_TAG:
        ok = voice_tag_ok(str);
        if (!ok) {
            strbuf_addf(&msg, "bad \"%s\" ", f->key);
            voice_quote(&msg, str);
            strbuf_adds(&msg, ": expected a language tag such as \"zh\" or \"en\"");
        }
        break;
    case VK_ID:
        ok = voice_id_ok(str);
        if (!ok) {
            strbuf_addf(&msg, "bad \"%s\" ", f->key);
            voice_quote(&msg, str);
            strbuf_adds(&msg, ": expected an espeak-ng voice or variant id such as \"en-us\"");
        }
        break;
    case VK_ENGINE:
        /* The engine is fixed: a profile must never be able to pick a program. */
        ok = !strcmp(str, "espeak-ng");
        if (!ok) {
            strbuf_adds(&msg, "unknown engine ");
            voice_quote(&msg, str);
            strbuf_adds(&msg, "; the only engine is \"espeak-ng\"");
        }
        break;
    case VK_GENDER:
        ok = !strcmp(str, "female") || !strcmp(str, "male");
        if (!ok) {
            strbuf_adds(&msg, "bad \"gender\" ");
            voice_quote(&msg, str);
            strbuf_adds(&msg, ": expected \"female\" or \"male\"");
        }
        break;
    case VK_INT:
        break;
    }
    if (ok)
        *(char **)((char *)v + f->off) = xstrdup(str);
done:
    if (!ok)
        voice_error_at(s, val, msg.buf);
    strbuf_release(&msg);
    return ok;
}

/* Warns about a key no profile has, suggesting the '-' spelling of '_'. */
static void voice_unknown_key(const struct voice_src *s, const char *key, int line, int col)
{
    struct strbuf msg = STRBUF_INIT;
    struct strbuf dashed = STRBUF_INIT;
    strbuf_adds(&msg, "unknown key ");
    voice_quote(&msg, key);
    strbuf_adds(&msg, " ignored");
    for (const char *p = key; *p; p++)
        strbuf_addc(&dashed, *p == '_' ? '-' : *p);
    for (size_t i = 0; i < VOICE_NFIELDS; i++) {
        if (!strcmp(dashed.buf, voice_fields[i].key)) {
            strbuf_addf(&msg, "; did you mean \"%s\"?", voice_fields[i].key);
            break;
        }
    }
    diag_add(s->d, DIAG_WARNING, s->file, line, col, voice_src_line(s, line), "%s", msg.buf);
    strbuf_release(&dashed);
    strbuf_release(&msg);
}

/*
 * The name must equal the file's base name: that is what lets the loader
 * skip an overridden file without parsing it, and lets users find a profile.
 */
static bool voice_name_matches(const struct voice_src *s, const char *name, const struct ynode *val)
{
    char *base = voice_base_name(s->file);
    bool ok = !strcmp(base, name);
    if (!ok) {
        struct strbuf msg = STRBUF_INIT;
        strbuf_adds(&msg, "profile name ");
        voice_quote(&msg, name);
        strbuf_adds(&msg, " does not match the file's base name ");
        voice_quote(&msg, base);
        strbuf_adds(&msg, "; they must be equal");
        voice_error_at(s, val, msg.buf);
        strbuf_release(&msg);
    }
    free(base);
    return ok;
}

/* Fills v from the root mapping of a profile; false if anything was wrong. */
static bool voice_from_tree(const struct voice_src *s, struct voice *v, const struct ynode *root)
{
    bool ok = true;
    bool seen[VOICE_NFIELDS] = {false};

    for (size_t k = 0; k < root->n; k++) {
        const char *key = root->keys[k];
        const struct ynode *val = root->items[k];
        size_t i = 0;
        while (i < VOICE_NFIELDS && strcmp(key, voice_fields[i].key) != 0)
            i++;
        if (i == VOICE_NFIELDS) {
            voice_unknown_key(s, key, root->key_lines[k], root->key_cols[k]);
            continue;
        }
        const struct voice_field *f = &voice_fields[i];
        /* ydoc reports duplicate keys itself, so this is the key's only value. */
        seen[i] = true;
        if (ydoc_is_null(val)) {
            /* "variant:" with nothing after it means "no variant". */
            if (f->required) {
                diag_add(s->d, DIAG_ERROR, s->file, root->key_lines[k], root->key_cols[k],
                         voice_src_line(s, root->key_lines[k]), "\"%s\" has no value (e.g. %s)",
                         f->key, f->example);
                ok = false;
            }
            continue;
        }
        if (!voice_take(s, v, f, val)) {
            ok = false;
            continue;
        }
        if (f->kind == VK_NAME) {
            v->line = root->key_lines[k];
            if (!voice_name_matches(s, v->name, val))
                ok = false;
        }
    }

    for (size_t i = 0; i < VOICE_NFIELDS; i++) {
        if (voice_fields[i].required && !seen[i]) {
            /* Point at the first key: the mapping the key is missing from. */
            diag_add(s->d, DIAG_ERROR, s->file, root->line, root->col,
                     voice_src_line(s, root->line), "voice profile has no \"%s\" key (e.g. %s: %s)",
                     voice_fields[i].key, voice_fields[i].key, voice_fields[i].example);
            ok = false;
        }
    }

    return ok;
}

const char *voice_gender(const struct voice *v)
{
    if (v->gender)
        return v->gender;
    if (strstr(v->name, "-female-"))
        return "female";
    if (strstr(v->name, "-male-"))
        return "male";
    return NULL;
}

/* Reads file whole into sb; DIAG_SYSTEM on I/O failure. */
static int voice_read(const char *file, struct strbuf *sb, struct diags *d)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, NULL, "cannot open voice profile: %s",
                 strerror(errno));
        return -1;
    }
    char chunk[4096];
    size_t got;
    int rc = 0;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (sb->len + got > VOICE_FILE_MAX) {
            diag_add(d, DIAG_ERROR, file, 0, 0, NULL,
                     "voice profile is larger than %u bytes; is it the right file?",
                     VOICE_FILE_MAX);
            rc = -1;
            break;
        }
        strbuf_add(sb, chunk, got);
    }
    if (rc == 0 && ferror(f)) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, NULL, "cannot read voice profile: %s",
                 strerror(errno));
        rc = -1;
    }
    fclose(f);
    return rc;
}

/*
 * Splits a private copy of the text at '\n' (dropping a '\r' before it) so
 * that diagnostics can quote lines. Returns the line array; *copy owns the
 * storage the lines point into.
 */
static char **voice_split_lines(const struct strbuf *text, char **copy, size_t *nlines)
{
    char *c = xmalloc(text->len + 1);
    memcpy(c, text->buf, text->len + 1);
    char **lines = NULL;
    size_t n = 0, cap = 0;
    char *start = c, *end = c + text->len;
    for (char *p = c; p <= end; p++) {
        if (p < end && *p != '\n')
            continue;
        if (p == end && start == end)
            break; /* no empty line after a final newline */
        *p = '\0';
        if (p > start && p[-1] == '\r')
            p[-1] = '\0';
        XGROW(lines, cap, n + 1);
        lines[n++] = start;
        start = p + 1;
    }
    *copy = c;
    *nlines = n;
    return lines;
}

/* Reports the first invalid UTF-8 byte at its line and (code point) column. */
static void voice_bad_utf8(const char *file, const struct strbuf *text, size_t bad, struct diags *d)
{
    size_t ls = bad;
    while (ls > 0 && text->buf[ls - 1] != '\n')
        ls--;
    int line = 1;
    for (size_t i = 0; i < ls; i++)
        line += text->buf[i] == '\n';
    int col = 1;
    const char *p = text->buf + ls, *end = text->buf + bad;
    while (p < end) {
        utf8_decode(&p, end);
        col++;
    }
    /* The line itself is not quoted: it would put the bad bytes on the terminal. */
    diag_add(d, DIAG_ERROR, file, line, col, NULL, "voice profile is not valid UTF-8 (byte 0x%02X)",
             (unsigned char)text->buf[bad]);
}

int voice_load_file(struct voice *v, const char *file, struct diags *d)
{
    struct strbuf text = STRBUF_INIT;
    char *copy = NULL;
    char **lines = NULL;
    size_t nlines = 0, bad;
    struct ynode *root = NULL;
    size_t errors_before = d->errors + d->system;
    int rc = -1;

    memset(v, 0, sizeof(*v));
    v->rate = VOICE_RATE_DEFAULT;
    v->pitch = VOICE_PITCH_DEFAULT;
    v->range = VOICE_RANGE_DEFAULT;
    v->volume = VOICE_VOLUME_DEFAULT;

    if (voice_read(file, &text, d) < 0)
        goto cleanup;
    if (!utf8_valid(text.buf, text.len, &bad)) {
        voice_bad_utf8(file, &text, bad, d);
        goto cleanup;
    }
    lines = voice_split_lines(&text, &copy, &nlines);
    struct voice_src src = {.file = file, .lines = lines, .nlines = nlines, .d = d};
    root = ydoc_parse(text.buf, text.len, file, 1, lines, nlines, d);
    if (!root) {
        if (d->errors + d->system == errors_before)
            diag_add(d, DIAG_ERROR, file, 0, 0, NULL, "voice profile is empty");
        goto cleanup;
    }
    if (root->type != YNODE_MAP) {
        struct strbuf msg = STRBUF_INIT;
        strbuf_addf(&msg,
                    "a voice profile must be a mapping of keys (name: ..., voice: ...), not %s",
                    ydoc_type_name(root));
        voice_error_at(&src, root, msg.buf);
        strbuf_release(&msg);
        goto cleanup;
    }
    if (!voice_from_tree(&src, v, root))
        goto cleanup;
    if (!v->engine)
        v->engine = xstrdup("espeak-ng");
    v->path = xstrdup(file);
    rc = 0;

cleanup:
    if (rc < 0)
        voice_release(v);
    ydoc_free(root);
    free(lines);
    free(copy);
    strbuf_release(&text);
    return rc;
}
