/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Diagnostics collection and compiler-style printing (contract in diag.h).
 */
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <string.h>

void diag_init(struct diags *d)
{
    memset(d, 0, sizeof(*d));
}

void diag_release(struct diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
        free(d->v[i].source);
    }
    free(d->v);
    bool strict = d->strict;
    diag_init(d);
    d->strict = strict;
}

/* The byte offset in s[0..len) after n code points (or len). */
static size_t diag_skip(const char *s, size_t len, size_t n)
{
    const char *p = s, *end = s + len;
    while (n-- > 0 && p < end)
        utf8_decode(&p, end);
    return (size_t)(p - s);
}

/* Keeps at most DIAG_WINDOW characters of source around col. */
static void diag_set_source(struct diag *g, const char *source)
{
    g->source_first = 1;
    g->source_more = false;
    size_t len = strlen(source);
    if (diag_skip(source, len, DIAG_WINDOW) == len) {
        g->source = xstrdup(source);
        return;
    }
    size_t first = g->col > DIAG_WINDOW_BEFORE ? (size_t)g->col - DIAG_WINDOW_BEFORE : 1;
    size_t from = diag_skip(source, len, first - 1);
    if (from == len) { /* the column is past the end: show the end */
        first = utf8_length(source) > DIAG_WINDOW ? utf8_length(source) - DIAG_WINDOW + 1 : 1;
        from = diag_skip(source, len, first - 1);
    }
    size_t n = diag_skip(source + from, len - from, DIAG_WINDOW);
    g->source = xstrndup(source + from, n);
    g->source_first = (int)first;
    g->source_more = from + n < len;
}

void diag_add(struct diags *d, enum diag_level level, const char *file, int line, int col,
              const char *source, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    size_t keep = diag_skip(sb.buf, sb.len, DIAG_MSG_MAX);
    if (keep < sb.len) {
        strbuf_setlen(&sb, keep);
        strbuf_adds(&sb, "...");
    }

    XGROW(d->v, d->cap, d->n + 1);
    struct diag *g = &d->v[d->n++];
    g->level = level;
    g->file = file ? xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->msg = strbuf_detach(&sb);
    g->source = NULL;
    if (source)
        diag_set_source(g, source);
    if (level == DIAG_ERROR)
        d->errors++;
    else if (level == DIAG_WARNING)
        d->warnings++;
    else if (level == DIAG_SYSTEM)
        d->system++;
}

const char *diag_level_name(enum diag_level level)
{
    switch (level) {
    case DIAG_NOTE:
        return "note";
    case DIAG_WARNING:
        return "warning";
    case DIAG_ERROR:
    case DIAG_SYSTEM:
        return "error";
    }
    return "error";
}

/* Display width of one code point in a terminal: CJK and full-width take two. */
static int diag_width(int32_t cp)
{
    if (cp == '\t')
        return 1;
    if (utf8_is_cjk(cp) || (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF))
        return 2;
    return 1;
}

/* Code points a terminal acts on or that reorder or break the line shown. */
static bool diag_is_control(int32_t cp)
{
    return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
           cp == 0x2029 || (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Writes the code point at *p (advancing it) as shown, escaped when it is a
 * control or not UTF-8, to out (when not NULL); returns its display width.
 */
static int diag_put(const char **p, const char *end, FILE *out)
{
    const char *start = *p;
    int32_t cp = utf8_decode(p, end);
    char esc[16];
    if (cp < 0)
        snprintf(esc, sizeof(esc), "\\x%02x", (unsigned char)*start);
    else if (cp < 0x80 && diag_is_control(cp))
        snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)cp);
    else if (diag_is_control(cp))
        snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
    else {
        if (out)
            fwrite(start, 1, (size_t)(*p - start), out);
        return diag_width(cp);
    }
    if (out)
        fputs(esc, out);
    return (int)strlen(esc);
}

static void diag_puts(const char *s, FILE *out)
{
    const char *end = s + strlen(s);
    while (s < end)
        diag_put(&s, end, out);
}

void diag_print_one(const struct diag *g, FILE *out)
{
    fputs("scriptcast: ", out);
    if (g->file) {
        diag_puts(g->file, out);
        if (g->line > 0) {
            fprintf(out, ":%d", g->line);
            if (g->col > 0)
                fprintf(out, ":%d", g->col);
        }
        fputs(": ", out);
    }
    fprintf(out, "%s: ", diag_level_name(g->level));
    diag_puts(g->msg, out);
    fputc('\n', out);
    if (!g->source || g->line <= 0)
        return;
    const char *src = g->source, *end = src + strlen(src);
    bool left = g->source_first > 1;
    fprintf(out, " %5d | %s", g->line, left ? "..." : "");
    for (const char *p = src; p < end;)
        diag_put(&p, end, out);
    fputs(g->source_more ? "...\n" : "\n", out);
    if (g->col <= 0 || g->col < g->source_first)
        return;
    /* The caret lines up under the column, counting wide and escaped characters. */
    fputs("       | ", out);
    if (left)
        fputs("   ", out);
    const char *p = src;
    for (int c = g->source_first; c < g->col && p < end; c++) {
        bool tab = *p == '\t';
        int w = diag_put(&p, end, NULL);
        if (tab)
            fputc('\t', out);
        else
            fprintf(out, "%*s", w, "");
    }
    fputs("^\n", out);
}

void diag_print(const struct diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++)
        diag_print_one(&d->v[i], out);
}

int diag_exit_code(const struct diags *d)
{
    if (d->system)
        return EXIT_SYSTEM;
    if (d->errors)
        return EXIT_INPUT;
    return EXIT_OK;
}

void diag_move(struct diags *dst, struct diags *src)
{
    if (!src->n)
        return;
    XGROW(dst->v, dst->cap, dst->n + src->n);
    memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
    dst->n += src->n;
    dst->errors += src->errors;
    dst->warnings += src->warnings;
    dst->system += src->system;
    free(src->v);
    bool strict = src->strict;
    diag_init(src);
    src->strict = strict;
}
