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

void diag_add(struct diags *d, enum diag_level level, const char *file, int line, int col,
              const char *source, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);

    XGROW(d->v, d->cap, d->n + 1);
    struct diag *g = &d->v[d->n++];
    g->level = level;
    g->file = file ? xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->msg = strbuf_detach(&sb);
    g->source = source ? xstrdup(source) : NULL;
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

void diag_print_one(const struct diag *g, FILE *out)
{
    fputs("scriptcast: ", out);
    if (g->file) {
        fputs(g->file, out);
        if (g->line > 0) {
            fprintf(out, ":%d", g->line);
            if (g->col > 0)
                fprintf(out, ":%d", g->col);
        }
        fputs(": ", out);
    }
    fprintf(out, "%s: %s\n", diag_level_name(g->level), g->msg);
    if (!g->source || g->line <= 0)
        return;
    fprintf(out, " %5d | %s\n", g->line, g->source);
    if (g->col <= 0)
        return;
    /* The caret lines up under the column, counting wide characters twice. */
    fputs("       | ", out);
    const char *p = g->source, *end = p + strlen(p);
    for (int c = 1; c < g->col && p < end; c++) {
        int32_t cp = utf8_decode(&p, end);
        int w = cp < 0 ? 1 : diag_width(cp);
        fputs(cp == '\t' ? "\t" : (w == 2 ? "  " : " "), out);
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
