/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading the `scriptcast:` block (front matter or --cast file) into struct
 * config, with diagnostics that point at the offending key or value.
 */
#include "script/config.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void config_init(struct config *c)
{
    memset(c, 0, sizeof(*c));
    c->announce_title = true;
    c->announce_sections = true;
    c->pause_paragraph_ms = 350;
    c->pause_turn_ms = 650;
    c->pause_section_ms = 1500;
}

static void config_cast_release(struct config_cast *e)
{
    free(e->label);
    free(e->voice);
    for (size_t i = 0; i < e->naliases; i++)
        free(e->aliases[i]);
    free(e->aliases);
    free(e->file);
    free(e->source);
}

void config_release(struct config *c)
{
    free(c->narrator);
    free(c->narrator_file);
    for (size_t i = 0; i < c->ncast; i++)
        config_cast_release(&c->cast[i]);
    free(c->cast);
    for (size_t i = 0; i < c->nlexicon; i++) {
        free(c->lexicon[i].word);
        free(c->lexicon[i].say);
    }
    free(c->lexicon);
    for (size_t i = 0; i < c->ncues; i++)
        free(c->cues[i]);
    free(c->cues);
    for (size_t i = 0; i < c->nread_tags; i++)
        free(c->read_tags[i]);
    free(c->read_tags);
    config_init(c);
}

int config_duration_ms(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    /*
     * Only plain decimals: strtod() alone would also take "nan", "inf",
     * "0x10", "1e3" and signs, and NaN has no int it converts to.
     */
    size_t digits = strspn(s, "0123456789");
    const char *p = s + digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        digits += frac;
        p += 1 + frac;
    }
    if (digits == 0)
        return CONFIG_DURATION_INVALID;
    const char *unit = p;
    while (isspace((unsigned char)*unit))
        unit++;
    size_t ulen = strcspn(unit, " \t\r\n\v\f");
    if (unit[ulen + strspn(unit + ulen, " \t\r\n\v\f")] != '\0')
        return CONFIG_DURATION_INVALID;
    double scale;
    if (ulen == 0 || (ulen == 2 && !strncmp(unit, "ms", 2)))
        scale = 1;
    else if (ulen == 1 && *unit == 's')
        scale = 1000;
    else
        return CONFIG_DURATION_INVALID;
    /* The limit applies to the milliseconds, after the unit: the digits
     * alone may be any length (strtod gives HUGE_VAL, still above it). */
    double ms = strtod(s, NULL) * scale;
    if (!(ms <= CONFIG_PAUSE_MAX_MS + 0.5))
        return CONFIG_DURATION_TOO_LONG;
    int v = (int)(ms + 0.5);
    return v > CONFIG_PAUSE_MAX_MS ? CONFIG_DURATION_TOO_LONG : v;
}

enum person_gender config_gender_parse(const char *s)
{
    static const char *const female[] = {"female", "f", "woman", "girl", "女", "女性", NULL};
    static const char *const male[] = {"male", "m", "man", "boy", "男", "男性", NULL};
    for (size_t i = 0; female[i]; i++)
        if (!strcasecmp(s, female[i]))
            return GENDER_FEMALE;
    for (size_t i = 0; male[i]; i++)
        if (!strcasecmp(s, male[i]))
            return GENDER_MALE;
    return GENDER_UNKNOWN;
}

const char *config_gender_name(enum person_gender g)
{
    switch (g) {
    case GENDER_FEMALE:
        return "female";
    case GENDER_MALE:
        return "male";
    case GENDER_UNKNOWN:
        break;
    }
    return NULL;
}

struct config_ctx {
    const char *file;
    char *const *lines;
    size_t nlines;
    struct diags *d;
};

static const char *config_src(const struct config_ctx *x, int line)
{
    if (!x->lines || line < 1 || (size_t)line > x->nlines)
        return NULL;
    return x->lines[line - 1];
}

static void config_err(const struct config_ctx *x, const struct ynode *n, const char *fmt,
                       const char *a, const char *b)
{
    diag_add(x->d, DIAG_ERROR, x->file, n ? n->line : 0, n ? n->col : 0,
             n ? config_src(x, n->line) : NULL, fmt, a ? a : "", b ? b : "");
}

static bool config_name_ok(const char *s)
{
    /* Profile names are plain identifiers: they select a shipped or
     * --voices profile, never a path. */
    if (!*s || strlen(s) > 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return false;
    return s[0] != '.';
}

static void config_set_bool(const struct config_ctx *x, const char *key, const struct ynode *v,
                            bool *out)
{
    if (!ydoc_bool(v, out))
        config_err(x, v, "\"%s\" must be true or false, not %s", key, ydoc_type_name(v));
}

static void config_read_pauses(const struct config_ctx *x, struct config *c, const struct ynode *m)
{
    if (m->type != YNODE_MAP) {
        config_err(x, m, "\"pauses\" must be a mapping like {paragraph: 350ms}%s%s", NULL, NULL);
        return;
    }
    for (size_t i = 0; i < m->n; i++) {
        const struct ynode *v = m->items[i];
        int *slot = NULL;
        if (!strcmp(m->keys[i], "paragraph"))
            slot = &c->pause_paragraph_ms;
        else if (!strcmp(m->keys[i], "turn"))
            slot = &c->pause_turn_ms;
        else if (!strcmp(m->keys[i], "section"))
            slot = &c->pause_section_ms;
        if (!slot) {
            diag_add(x->d, DIAG_WARNING, x->file, m->key_lines[i], m->key_cols[i],
                     config_src(x, m->key_lines[i]),
                     "unknown pause \"%s\" (known: paragraph, turn, section)", m->keys[i]);
            continue;
        }
        int ms = ydoc_str(v) ? config_duration_ms(ydoc_str(v)) : CONFIG_DURATION_INVALID;
        if (ms == CONFIG_DURATION_TOO_LONG)
            config_err(x, v, "pause \"%s\" is longer than a minute (at most 60s)%s", m->keys[i],
                       NULL);
        else if (ms < 0)
            config_err(x, v, "pause \"%s\" must be a duration such as 350ms or 1.5s%s", m->keys[i],
                       NULL);
        else
            *slot = ms;
    }
}

static struct config_cast *config_cast_slot(struct config *c, const char *label)
{
    for (size_t i = 0; i < c->ncast; i++) {
        if (!strcmp(c->cast[i].label, label)) {
            config_cast_release(&c->cast[i]);
            memset(&c->cast[i], 0, sizeof(c->cast[i]));
            return &c->cast[i];
        }
    }
    c->cast = xrealloc(c->cast, (c->ncast + 1) * sizeof(*c->cast));
    memset(&c->cast[c->ncast], 0, sizeof(c->cast[0]));
    return &c->cast[c->ncast++];
}

/* A gender hint value: a known gender word, else an error. */
static enum person_gender config_read_gender(const struct config_ctx *x, const char *label,
                                             const struct ynode *v)
{
    enum person_gender g = ydoc_str(v) ? config_gender_parse(ydoc_str(v)) : GENDER_UNKNOWN;
    if (g == GENDER_UNKNOWN)
        config_err(x, v, "the gender of \"%s\" must be female or male, not \"%s\"", label,
                   ydoc_str(v) ? ydoc_str(v) : ydoc_type_name(v));
    return g;
}

static void config_read_cast_entry(const struct config_ctx *x, struct config *c, const char *label,
                                   int kline, int kcol, const struct ynode *v)
{
    const struct ynode *voice = v;
    const struct ynode *aliases = NULL;
    enum person_gender gender = GENDER_UNKNOWN;
    if (v->type == YNODE_MAP) {
        voice = ydoc_get(v, "voice");
        aliases = ydoc_get(v, "aliases");
        const struct ynode *g = ydoc_get(v, "gender");
        if (g && (gender = config_read_gender(x, label, g)) == GENDER_UNKNOWN)
            return;
        for (size_t i = 0; i < v->n; i++) {
            if (strcmp(v->keys[i], "voice") != 0 && strcmp(v->keys[i], "aliases") != 0 &&
                strcmp(v->keys[i], "gender") != 0)
                diag_add(x->d, DIAG_WARNING, x->file, v->key_lines[i], v->key_cols[i],
                         config_src(x, v->key_lines[i]),
                         "unknown key \"%s\" in the cast entry of \"%s\" (known: voice, "
                         "gender, aliases)",
                         v->keys[i], label);
        }
        if (!voice && !g) {
            config_err(x, v, "cast entry \"%s\" needs a \"voice\" or a \"gender\"%s", label, NULL);
            return;
        }
    } else if (ydoc_str(v) && config_gender_parse(ydoc_str(v)) != GENDER_UNKNOWN) {
        /* `Maya: female`: a gender word, not a profile name. */
        gender = config_gender_parse(ydoc_str(v));
        voice = NULL;
    }
    if (voice && !ydoc_str(voice)) {
        config_err(x, voice, "the voice of \"%s\" must be a profile name, not %s", label,
                   ydoc_type_name(voice));
        return;
    }
    if (voice && !config_name_ok(ydoc_str(voice))) {
        config_err(x, voice, "\"%s\" is not a voice profile name (letters, digits, '-', '_')%s",
                   ydoc_str(voice), NULL);
        return;
    }
    struct config_cast *e = config_cast_slot(c, label);
    e->label = xstrdup(label);
    e->voice = voice ? xstrdup(ydoc_str(voice)) : NULL;
    e->gender = gender;
    e->file = x->file ? xstrdup(x->file) : NULL;
    /* Point at the profile name: that is what a user must fix. */
    const struct ynode *at = voice ? voice : v;
    e->line = at->line ? at->line : kline;
    e->col = at->line ? at->col : kcol;
    const char *src = config_src(x, e->line);
    e->source = src ? xstrdup(src) : NULL;
    if (!aliases)
        return;
    if (aliases->type == YNODE_SCALAR) {
        e->aliases = xmalloc(sizeof(char *));
        e->aliases[e->naliases++] = xstrdup(aliases->scalar);
        return;
    }
    if (aliases->type != YNODE_SEQ) {
        config_err(x, aliases, "\"aliases\" of \"%s\" must be a list of names%s", label, NULL);
        return;
    }
    e->aliases = xcalloc(aliases->n ? aliases->n : 1, sizeof(char *));
    for (size_t i = 0; i < aliases->n; i++) {
        if (!ydoc_str(aliases->items[i])) {
            config_err(x, aliases->items[i], "an alias of \"%s\" must be a string%s", label, NULL);
            continue;
        }
        e->aliases[e->naliases++] = xstrdup(aliases->items[i]->scalar);
    }
}

static void config_read_cast(const struct config_ctx *x, struct config *c, const struct ynode *m)
{
    if (m->type != YNODE_MAP) {
        config_err(x, m, "\"cast\" must map speaker labels to voice profiles, not %s%s",
                   ydoc_type_name(m), NULL);
        return;
    }
    for (size_t i = 0; i < m->n; i++)
        config_read_cast_entry(x, c, m->keys[i], m->key_lines[i], m->key_cols[i], m->items[i]);
}

static void config_read_lexicon(const struct config_ctx *x, struct config *c, const struct ynode *m)
{
    if (m->type != YNODE_MAP) {
        config_err(x, m, "\"lexicon\" must map words to what to say, not %s%s", ydoc_type_name(m),
                   NULL);
        return;
    }
    for (size_t i = 0; i < m->n; i++) {
        const char *say = ydoc_str(m->items[i]);
        if (!say || !*m->keys[i]) {
            config_err(x, m->items[i], "the lexicon entry \"%s\" must be a string%s", m->keys[i],
                       NULL);
            continue;
        }
        size_t k = 0;
        while (k < c->nlexicon && strcmp(c->lexicon[k].word, m->keys[i]) != 0)
            k++;
        if (k == c->nlexicon) {
            c->lexicon = xrealloc(c->lexicon, (c->nlexicon + 1) * sizeof(*c->lexicon));
            c->lexicon[c->nlexicon++].word = xstrdup(m->keys[i]);
        } else {
            free(c->lexicon[k].say);
        }
        c->lexicon[k].say = xstrdup(say);
    }
}

/* A list of short words (`cues: [laughs, 笑]`, `read-tags: [CN]`), or one,
 * appended to *list. */
static void config_read_words(const struct config_ctx *x, const char *key, const struct ynode *v,
                              char ***list, size_t *n)
{
    size_t k = v->type == YNODE_SEQ ? v->n : 1;
    if (v->type != YNODE_SEQ && !ydoc_str(v)) {
        config_err(x, v, "\"%s\" must be a list of words, not %s", key, ydoc_type_name(v));
        return;
    }
    if (!k)
        return;
    *list = xrealloc(*list, (*n + k) * sizeof(char *));
    for (size_t i = 0; i < k; i++) {
        const struct ynode *w = v->type == YNODE_SEQ ? v->items[i] : v;
        if (!ydoc_str(w) || !*w->scalar || strlen(w->scalar) > 48) {
            config_err(x, w,
                       "an entry of \"%s\" must be a word or short phrase (at most 48 bytes)%s",
                       key, NULL);
            continue;
        }
        (*list)[(*n)++] = xstrdup(w->scalar);
    }
}

/* Keys that would let a transcript choose what runs or what is read. */
static const char *const config_forbidden[] = {"engine",    "command", "cmd",  "voices",
                                               "voice-dir", "path",    "exec", NULL};

int config_read(struct config *c, const struct ynode *block, const char *file, char *const *lines,
                size_t nlines, struct diags *d)
{
    struct config_ctx x = {file, lines, nlines, d};
    size_t errors = d->errors;
    if (!block || ydoc_is_null(block))
        return 0;
    if (block->type != YNODE_MAP) {
        config_err(&x, block, "the scriptcast settings must be a mapping, not %s%s",
                   ydoc_type_name(block), NULL);
        return -1;
    }
    for (size_t i = 0; i < block->n; i++) {
        const char *k = block->keys[i];
        const struct ynode *v = block->items[i];
        int kl = block->key_lines[i], kc = block->key_cols[i];
        if (!strcmp(k, "narrator")) {
            if (!ydoc_str(v) || !config_name_ok(v->scalar)) {
                config_err(&x, v, "\"narrator\" must be a voice profile name%s%s", NULL, NULL);
                continue;
            }
            free(c->narrator);
            free(c->narrator_file);
            c->narrator = xstrdup(v->scalar);
            c->narrator_file = file ? xstrdup(file) : NULL;
            c->narrator_line = v->line;
            c->narrator_col = v->col;
        } else if (!strcmp(k, "announce-title")) {
            config_set_bool(&x, k, v, &c->announce_title);
        } else if (!strcmp(k, "announce-sections")) {
            config_set_bool(&x, k, v, &c->announce_sections);
        } else if (!strcmp(k, "pauses")) {
            config_read_pauses(&x, c, v);
        } else if (!strcmp(k, "chapter-level")) {
            const char *s = ydoc_str(v);
            if (!s || strlen(s) != 1 || *s < '1' || *s > '6')
                config_err(&x, v, "\"chapter-level\" must be a heading level from 1 to 6%s%s", NULL,
                           NULL);
            else
                c->chapter_level = *s - '0';
        } else if (!strcmp(k, "cast")) {
            config_read_cast(&x, c, v);
        } else if (!strcmp(k, "lexicon")) {
            config_read_lexicon(&x, c, v);
        } else if (!strcmp(k, "cues")) {
            config_read_words(&x, k, v, &c->cues, &c->ncues);
        } else if (!strcmp(k, "read-tags")) {
            config_read_words(&x, k, v, &c->read_tags, &c->nread_tags);
        } else {
            bool forbidden = false;
            for (size_t j = 0; config_forbidden[j]; j++)
                forbidden |= !strcmp(k, config_forbidden[j]);
            diag_add(d, forbidden ? DIAG_ERROR : DIAG_WARNING, file, kl, kc, config_src(&x, kl),
                     forbidden ? "a transcript cannot set \"%s\": it may only name voice profiles"
                               : "unknown scriptcast setting \"%s\"",
                     k);
        }
    }
    return d->errors > errors ? -1 : 0;
}
