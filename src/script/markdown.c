/*
 * The transcript body: cmark's block tree walked in reading order into
 * script blocks (contract in markdown.h). Speaker labels are looked for at
 * the start of every line of a paragraph, because one turn per line without
 * blank lines between is how many transcripts are written.
 */
#include "script/markdown.h"
#include "script/label.h"
#include "script/people.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <cmark.h>
#include <string.h>

struct md_line {
    struct strbuf text;
    int line;
};

struct md_ctx {
    struct script *s;
    struct diags *d;
    int speaker; /* the current speaker: -1 narrator */
    struct md_line *lines;
    size_t nlines, cap;
    int line; /* source line of the inline being read */
};

static struct md_line *md_newline(struct md_ctx *c)
{
    XGROW(c->lines, c->cap, c->nlines + 1);
    struct md_line *l = &c->lines[c->nlines++];
    strbuf_init(&l->text);
    l->line = c->line;
    return l;
}

static void md_count_newlines(struct md_ctx *c, const char *s)
{
    for (; s && *s; s++)
        if (*s == '\n')
            c->line++;
}

/* Is this link an autolink, whose text is its own target? */
static bool md_is_autolink(cmark_node *link)
{
    cmark_node *t = cmark_node_first_child(link);
    const char *url = cmark_node_get_url(link);
    if (!t || cmark_node_next(t) || cmark_node_get_type(t) != CMARK_NODE_TEXT || !url)
        return false;
    const char *lit = cmark_node_get_literal(t);
    if (!lit)
        return false;
    return !strcmp(lit, url) || (!strncmp(url, "mailto:", 7) && !strcmp(lit, url + 7));
}

static void md_inlines(struct md_ctx *c, cmark_node *parent)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        struct md_line *cur = &c->lines[c->nlines - 1];
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            strbuf_adds(&cur->text, cmark_node_get_literal(n));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            c->line++;
            md_newline(c);
            break;
        case CMARK_NODE_HTML_INLINE:
            md_count_newlines(c, cmark_node_get_literal(n));
            break;
        case CMARK_NODE_LINK:
            if (!md_is_autolink(n))
                md_inlines(c, n);
            break;
        case CMARK_NODE_IMAGE:
            break;
        default:
            md_inlines(c, n);
            break;
        }
    }
}

static void md_lines_reset(struct md_ctx *c)
{
    for (size_t i = 0; i < c->nlines; i++)
        strbuf_release(&c->lines[i].text);
    c->nlines = 0;
}

static bool md_starts_url(const char *p)
{
    return !strncmp(p, "http://", 7) || !strncmp(p, "https://", 8) || !strncmp(p, "ftp://", 6) ||
           !strncmp(p, "www.", 4);
}

/* A table's delimiter row, such as "|---|:--:|". */
static bool md_is_table_rule(const char *s)
{
    bool dash = false, bar = false;
    for (; *s; s++) {
        if (*s == '-')
            dash = true;
        else if (*s == '|')
            bar = true;
        else if (*s != ':' && *s != ' ' && *s != '\t')
            return false;
    }
    return dash && bar;
}

/*
 * Appends the readable form of src to out: white space folded, URLs and
 * table bars removed, zero-width characters dropped.
 */
static void md_clean(struct strbuf *out, const char *src)
{
    const char *p = src, *end = src + strlen(src);
    bool space = out->len > 0 && out->buf[out->len - 1] == ' ';
    while (p < end) {
        if ((p == src || p[-1] == ' ' || p[-1] == '(' || (unsigned char)p[-1] >= 0x80) &&
            md_starts_url(p)) {
            while (p < end && *p != ' ' && (unsigned char)*p < 0x80 && *p != ')')
                p++;
            continue;
        }
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF)
            continue;
        if (cp < 0 || utf8_is_space(cp) || cp == '|') {
            if (!space && out->len)
                strbuf_addc(out, ' ');
            space = true;
            continue;
        }
        strbuf_add(out, at, (size_t)(p - at));
        space = false;
    }
}

static int32_t md_last_cp(const struct strbuf *sb)
{
    if (!sb->len)
        return 0;
    const char *p = sb->buf + sb->len - 1;
    while (p > sb->buf && ((unsigned char)*p & 0xC0) == 0x80)
        p--;
    const char *q = p;
    return utf8_decode(&q, sb->buf + sb->len);
}

/* Joins a continuation line: no space between two CJK characters. */
static void md_join(struct strbuf *sb, const char *text)
{
    strbuf_rtrim(sb);
    if (sb->len) {
        const char *q = text;
        int32_t next = utf8_decode(&q, text + strlen(text));
        if (!(utf8_is_cjk(md_last_cp(sb)) && utf8_is_cjk(next)))
            strbuf_addc(sb, ' ');
    }
    md_clean(sb, text);
    strbuf_rtrim(sb);
}

/* Character column (1-based) of byte offset off in a source line. */
static int md_col(const char *line, size_t off)
{
    int col = 1;
    const char *p = line, *end = line + off;
    while (p < end) {
        const char *q = p;
        utf8_decode(&q, line + strlen(line));
        p = q;
        col++;
    }
    return col;
}

/* Column of the first character of name in the source line, else of the
 * first non-blank character. */
static int md_find_col(const char *src, const char *name, size_t nlen)
{
    if (!src)
        return 1;
    if (name && nlen) {
        const char *hit = NULL;
        for (const char *p = src; *p && !hit; p++)
            if (!strncmp(p, name, nlen))
                hit = p;
        if (hit)
            return md_col(src, (size_t)(hit - src));
    }
    size_t i = strspn(src, " \t>-*+");
    return md_col(src, i);
}

static struct script_block *md_add_block(struct md_ctx *c, enum script_kind kind, int line, int col)
{
    struct script *s = c->s;
    s->blocks = xrealloc(s->blocks, (s->nblocks + 1) * sizeof(*s->blocks));
    struct script_block *b = &s->blocks[s->nblocks++];
    memset(b, 0, sizeof(*b));
    b->kind = kind;
    b->line = line;
    b->col = col;
    b->speaker = -1;
    return b;
}

static bool md_known(const char *name, size_t len, void *ctx)
{
    return people_find(ctx, name, len) >= 0;
}

/* Emits the speech block collected in text, if it holds anything. */
static void md_flush(struct md_ctx *c, struct strbuf *text, int speaker, bool labeled, int line,
                     int col)
{
    strbuf_rtrim(text);
    if (!text->len) {
        strbuf_release(text);
        return;
    }
    struct script_block *b = md_add_block(c, SCRIPT_SPEECH, line, col);
    b->speaker = speaker;
    b->labeled = labeled;
    b->text = strbuf_detach(text);
    if (speaker >= 0 && c->s->people[speaker].first_block < 0)
        c->s->people[speaker].first_block = (int)c->s->nblocks - 1;
}

static void md_paragraph(struct md_ctx *c, cmark_node *par)
{
    c->line = cmark_node_get_start_line(par);
    md_lines_reset(c);
    md_newline(c);
    md_inlines(c, par);

    struct strbuf text = STRBUF_INIT;
    int speaker = c->speaker, line = 0, col = 0;
    bool labeled = false, open = false;
    for (size_t i = 0; i < c->nlines; i++) {
        const char *raw = c->lines[i].text.buf;
        int ln = c->lines[i].line;
        const char *src = script_line(c->s, ln);
        if (md_is_table_rule(raw))
            continue;
        struct label lb;
        if (label_find(raw, md_known, c->s, &lb)) {
            if (open)
                md_flush(c, &text, speaker, labeled, line, col);
            const char *name = raw + lb.name_start;
            size_t nlen = lb.name_end - lb.name_start;
            int who = people_find(c->s, name, nlen);
            if (who < 0)
                who = people_add(c->s, name, nlen, PERSON_LABEL, ln, md_find_col(src, name, nlen));
            c->s->people[who].turns++;
            speaker = c->speaker = who;
            labeled = open = true;
            line = ln;
            col = md_find_col(src, name, nlen);
            md_clean(&text, raw + lb.text_start);
            continue;
        }
        if (!open) {
            speaker = c->speaker;
            labeled = false;
            open = true;
            line = ln;
            col = md_find_col(src, NULL, 0);
        }
        md_join(&text, raw);
        if (!text.len)
            open = false;
    }
    if (open)
        md_flush(c, &text, speaker, labeled, line, col);
    strbuf_release(&text);
}

static void md_heading(struct md_ctx *c, cmark_node *h)
{
    c->line = cmark_node_get_start_line(h);
    md_lines_reset(c);
    md_newline(c);
    md_inlines(c, h);
    struct strbuf text = STRBUF_INIT;
    for (size_t i = 0; i < c->nlines; i++)
        md_join(&text, c->lines[i].text.buf);
    if (!text.len) {
        strbuf_release(&text);
        return;
    }
    int line = cmark_node_get_start_line(h);
    struct script_block *b =
        md_add_block(c, SCRIPT_HEADING, line, md_find_col(script_line(c->s, line), NULL, 0));
    b->level = cmark_node_get_heading_level(h);
    b->text = strbuf_detach(&text);
}

static void md_block(struct md_ctx *c, cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_HEADING:
        md_heading(c, n);
        break;
    case CMARK_NODE_PARAGRAPH:
        md_paragraph(c, n);
        break;
    case CMARK_NODE_DOCUMENT:
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
    case CMARK_NODE_ITEM:
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            md_block(c, k);
        break;
    default: /* code blocks, HTML blocks, thematic breaks: not read */
        break;
    }
}

int markdown_read(struct script *s, const char *body, size_t len, struct diags *d)
{
    cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_SOURCEPOS);
    if (!doc) {
        diag_add(d, DIAG_SYSTEM, s->file, 0, 0, NULL, "the Markdown parser failed");
        return -1;
    }
    struct md_ctx c = {.s = s, .d = d, .speaker = -1};
    md_block(&c, doc);
    md_lines_reset(&c);
    free(c.lines);
    cmark_node_free(doc);
    return 0;
}
