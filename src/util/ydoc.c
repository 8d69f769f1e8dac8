/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * YAML to ynode tree via libyaml events (contract in ydoc.h).
 */
#include "util/ydoc.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <strings.h>
#include <string.h>
#include <yaml.h>

struct ydoc_ctx {
    yaml_parser_t parser;
    const char *buf; /* the input, for positions libyaml gives as byte offsets */
    size_t len;
    const char *file;
    int line_offset;
    char *const *lines;
    size_t nlines;
    struct diags *d;
    int depth;
};

static const char *ydoc_line(const struct ydoc_ctx *c, int line)
{
    if (!c->lines || line < 1 || (size_t)line > c->nlines)
        return NULL;
    return c->lines[line - 1];
}

static void ydoc_error(struct ydoc_ctx *c, int line, int col, const char *msg)
{
    diag_add(c->d, DIAG_ERROR, c->file, line, col, ydoc_line(c, line), "%s", msg);
}

static void ydoc_parser_error(struct ydoc_ctx *c)
{
    yaml_parser_t *p = &c->parser;
    if (p->error == YAML_MEMORY_ERROR)
        xalloc_die(0); /* not the input's fault: exit 3, like any allocation */
    yaml_mark_t m = p->problem_mark;
    if (p->error == YAML_READER_ERROR) {
        /* The reader (bad bytes, control characters) gives no mark, only
         * the byte offset of the problem in our UTF-8 input: count the
         * lines and characters before it ourselves. */
        size_t off = p->problem_offset < c->len ? p->problem_offset : c->len;
        size_t ls = 0;
        m.line = 0;
        for (size_t i = 0; i < off; i++)
            if (c->buf[i] == '\n')
                m.line++, ls = i + 1;
        m.column = 0;
        for (size_t i = ls; i < off; i++)
            m.column += ((unsigned char)c->buf[i] & 0xC0) != 0x80;
    }
    /* An unclosed bracket or quote is found at the end of the text; where
     * it was opened (the context mark) is what the user has to fix. */
    if (p->context && p->context_mark.line <= m.line &&
        (p->error == YAML_PARSER_ERROR || p->error == YAML_SCANNER_ERROR))
        m = p->context_mark;
    int line = (int)m.line + c->line_offset;
    int col = (int)m.column + 1;
    const char *what = p->problem ? p->problem : "malformed YAML";
    if (p->context)
        diag_add(c->d, DIAG_ERROR, c->file, line, col, ydoc_line(c, line), "bad YAML: %s %s", what,
                 p->context);
    else
        diag_add(c->d, DIAG_ERROR, c->file, line, col, ydoc_line(c, line), "bad YAML: %s", what);
}

static struct ynode *ydoc_node(enum ynode_type t, const yaml_mark_t *m, int off)
{
    struct ynode *n = xcalloc(1, sizeof(*n));
    n->type = t;
    n->line = (int)m->line + off;
    n->col = (int)m->column + 1;
    return n;
}

void ydoc_free(struct ynode *n)
{
    if (!n)
        return;
    free(n->scalar);
    for (size_t i = 0; i < n->n; i++) {
        ydoc_free(n->items[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->key_lines);
    free(n->key_cols);
    free(n);
}

/* Parses the node that starts with event ev (already taken from the parser). */
static struct ynode *ydoc_build(struct ydoc_ctx *c, yaml_event_t *ev);

static bool ydoc_next(struct ydoc_ctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->parser, ev)) {
        ydoc_parser_error(c);
        return false;
    }
    return true;
}

static struct ynode *ydoc_build_seq(struct ydoc_ctx *c, yaml_event_t *start)
{
    struct ynode *n = ydoc_node(YNODE_SEQ, &start->start_mark, c->line_offset);
    size_t cap = 0;
    for (;;) {
        yaml_event_t ev;
        if (!ydoc_next(c, &ev))
            goto fail;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return n;
        }
        struct ynode *item = ydoc_build(c, &ev);
        if (!item)
            goto fail;
        XGROW(n->items, cap, n->n + 1);
        n->items[n->n++] = item;
    }
fail:
    ydoc_free(n);
    return NULL;
}

static struct ynode *ydoc_build_map(struct ydoc_ctx *c, yaml_event_t *start)
{
    struct ynode *n = ydoc_node(YNODE_MAP, &start->start_mark, c->line_offset);
    size_t cap = 0, kcap = 0, lcap = 0, ccap = 0;
    for (;;) {
        yaml_event_t ev;
        if (!ydoc_next(c, &ev))
            goto fail;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return n;
        }
        int kline = (int)ev.start_mark.line + c->line_offset;
        int kcol = (int)ev.start_mark.column + 1;
        if (ev.type != YAML_SCALAR_EVENT) {
            ydoc_error(c, kline, kcol, "bad YAML: mapping keys must be plain strings");
            yaml_event_delete(&ev);
            goto fail;
        }
        char *key = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
        yaml_event_delete(&ev);
        for (size_t i = 0; i < n->n; i++) {
            if (strcmp(n->keys[i], key) == 0) {
                diag_add(c->d, DIAG_ERROR, c->file, kline, kcol, ydoc_line(c, kline),
                         "duplicate key \"%s\" (first at line %d)", key, n->key_lines[i]);
                break;
            }
        }
        if (!ydoc_next(c, &ev)) {
            free(key);
            goto fail;
        }
        struct ynode *val = ydoc_build(c, &ev);
        if (!val) {
            free(key);
            goto fail;
        }
        XGROW(n->items, cap, n->n + 1);
        XGROW(n->keys, kcap, n->n + 1);
        XGROW(n->key_lines, lcap, n->n + 1);
        XGROW(n->key_cols, ccap, n->n + 1);
        n->keys[n->n] = key;
        n->key_lines[n->n] = kline;
        n->key_cols[n->n] = kcol;
        n->items[n->n++] = val;
    }
fail:
    ydoc_free(n);
    return NULL;
}

static struct ynode *ydoc_build(struct ydoc_ctx *c, yaml_event_t *ev)
{
    struct ynode *n = NULL;
    int line = (int)ev->start_mark.line + c->line_offset;
    int col = (int)ev->start_mark.column + 1;
    if (++c->depth > 64) {
        ydoc_error(c, line, col, "bad YAML: nesting deeper than 64 levels");
        yaml_event_delete(ev);
        c->depth--;
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor) {
            ydoc_error(c, line, col, "YAML anchors and aliases are not supported");
            break;
        }
        n = ydoc_node(YNODE_SCALAR, &ev->start_mark, c->line_offset);
        n->scalar = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        break;
    case YAML_SEQUENCE_START_EVENT:
        if (ev->data.sequence_start.anchor) {
            ydoc_error(c, line, col, "YAML anchors and aliases are not supported");
            break;
        }
        n = ydoc_build_seq(c, ev);
        break;
    case YAML_MAPPING_START_EVENT:
        if (ev->data.mapping_start.anchor) {
            ydoc_error(c, line, col, "YAML anchors and aliases are not supported");
            break;
        }
        n = ydoc_build_map(c, ev);
        break;
    case YAML_ALIAS_EVENT:
        ydoc_error(c, line, col, "YAML anchors and aliases are not supported");
        break;
    default:
        ydoc_error(c, line, col, "bad YAML: unexpected event");
        break;
    }
    yaml_event_delete(ev);
    c->depth--;
    return n;
}

struct ynode *ydoc_parse(const char *buf, size_t len, const char *file, int line_offset,
                         char *const *lines, size_t nlines, struct diags *d)
{
    struct ydoc_ctx c = {.buf = buf,
                         .len = len,
                         .file = file,
                         .line_offset = line_offset,
                         .lines = lines,
                         .nlines = nlines,
                         .d = d};
    struct ynode *root = NULL;
    size_t errors_before = d->errors;
    if (!yaml_parser_initialize(&c.parser)) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, NULL, "cannot initialize the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)buf, len);
    yaml_event_t ev;
    bool in_doc = false;
    for (;;) {
        if (!ydoc_next(&c, &ev))
            goto fail;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        if (t == YAML_DOCUMENT_START_EVENT) {
            if (in_doc) {
                ydoc_error(&c, (int)ev.start_mark.line + line_offset, (int)ev.start_mark.column + 1,
                           "bad YAML: only one document is allowed here");
                yaml_event_delete(&ev);
                goto fail;
            }
            in_doc = true;
            yaml_event_delete(&ev);
            continue;
        }
        root = ydoc_build(&c, &ev);
        if (!root)
            goto fail;
    }
    yaml_parser_delete(&c.parser);
    if (d->errors > errors_before) {
        ydoc_free(root);
        return NULL;
    }
    return root;
fail:
    ydoc_free(root);
    yaml_parser_delete(&c.parser);
    return NULL;
}

const struct ynode *ydoc_get(const struct ynode *map, const char *key)
{
    if (!map || map->type != YNODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
}

const char *ydoc_str(const struct ynode *n)
{
    return n && n->type == YNODE_SCALAR ? n->scalar : NULL;
}

bool ydoc_is_null(const struct ynode *n)
{
    if (!n || n->type != YNODE_SCALAR || !n->plain)
        return false;
    return !*n->scalar || !strcmp(n->scalar, "~") || !strcasecmp(n->scalar, "null");
}

bool ydoc_bool(const struct ynode *n, bool *out)
{
    const char *s = ydoc_str(n);
    if (!s)
        return false;
    static const char *const yes[] = {"true", "yes", "on", "y"};
    static const char *const no[] = {"false", "no", "off", "n"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return true;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

const char *ydoc_type_name(const struct ynode *n)
{
    if (!n)
        return "nothing";
    switch (n->type) {
    case YNODE_SCALAR:
        return "a string";
    case YNODE_SEQ:
        return "a list";
    case YNODE_MAP:
        return "a mapping";
    }
    return "?";
}
