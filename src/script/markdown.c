/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transcript body: cmark's block tree walked in reading order into
 * script blocks (contract in markdown.h). Speaker labels are looked for at
 * the start of every line of a paragraph, because one turn per line without
 * blank lines between is how many transcripts are written. The tree is
 * walked twice: first only to count how often each label occurs (a name
 * alone on its line is a speaker when it recurs), then to build the blocks.
 * Timestamps, cues and metadata lists are dropped on the way and noted for
 * `check -v`.
 */
#include "script/markdown.h"
#include "script/mdctx.h"
#include "script/label.h"
#include "script/meta.h"
#include "script/people.h"
#include "script/script.h"
#include "script/stamp.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <cmark.h>
#include <stdarg.h>
#include <string.h>

struct md_line *md_newline(struct md_ctx *c)
{
    XGROW(c->lines, c->cap, c->nlines + 1);
    struct md_line *l = &c->lines[c->nlines++];
    strbuf_init(&l->text);
    l->line = c->line;
    l->bold = false;
    l->bold_start = l->bold_end = 0;
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

/* The plain text of a node's inlines (for a link's text). */
static void md_plain(struct strbuf *sb, cmark_node *parent)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            strbuf_adds(sb, cmark_node_get_literal(n));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            strbuf_addc(sb, ' ');
        else
            md_plain(sb, n);
    }
}

/* "[1:08:47](url)", "[`0:02`](https://youtu.be/x?t=2)": a link to a time. */
static bool md_is_stamp_link(cmark_node *link)
{
    struct strbuf sb = STRBUF_INIT;
    md_plain(&sb, link);
    bool yes = sb.len && stamp_is_only(sb.buf, sb.len);
    strbuf_release(&sb);
    return yes;
}

static void md_stamp_seen(struct md_ctx *c, size_t *counter)
{
    if (c->counting)
        return;
    (*counter)++;
    if (!c->stamp_line)
        c->stamp_line = c->line;
}

/* Whether sb holds nothing but blanks and timestamps so far. */
static bool md_only_stamps(const struct strbuf *sb)
{
    if (strspn(sb->buf ? sb->buf : "", " \t") == sb->len)
        return true;
    return stamp_is_only(sb->buf, sb->len);
}

void md_inlines(struct md_ctx *c, cmark_node *parent)
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
            if (md_is_autolink(n))
                strbuf_addc(&cur->text, MD_URL_MARK);
            else if (md_is_stamp_link(n))
                md_stamp_seen(c, &c->link_stamps);
            else
                md_inlines(c, n);
            break;
        case CMARK_NODE_IMAGE:
            break;
        case CMARK_NODE_STRONG: {
            bool lead = !cur->bold && md_only_stamps(&cur->text);
            size_t start = cur->text.len;
            md_inlines(c, n);
            if (lead && &c->lines[c->nlines - 1] == cur) {
                cur->bold = true;
                cur->bold_start = start;
                cur->bold_end = cur->text.len;
            }
            break;
        }
        default:
            md_inlines(c, n);
            break;
        }
    }
}

void md_lines_reset(struct md_ctx *c)
{
    for (size_t i = 0; i < c->nlines; i++)
        strbuf_release(&c->lines[i].text);
    c->nlines = 0;
}

bool md_starts_url(const char *p)
{
    return !strncmp(p, "http://", 7) || !strncmp(p, "https://", 8) || !strncmp(p, "ftp://", 6) ||
           !strncmp(p, "www.", 4);
}

/* A table's delimiter row, such as "|---|:--:|". */
bool md_is_table_rule(const char *s)
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

/* md_clean(); a heading keeps its bars ("The PM guide | Zevi"): it is no
 * table row, and its text must stay equal to a title written the same way. */
static void md_clean_bars(struct strbuf *out, const char *src, bool keep_bars)
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
        if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF || cp == MD_URL_MARK)
            continue;
        if (cp < 0 || utf8_is_space(cp) || (cp == '|' && !keep_bars)) {
            if (!space && out->len)
                strbuf_addc(out, ' ');
            space = true;
            continue;
        }
        strbuf_add(out, at, (size_t)(p - at));
        space = false;
    }
}

/*
 * Appends the readable form of src to out: white space folded, URLs and
 * table bars removed, zero-width characters dropped.
 */
void md_clean(struct strbuf *out, const char *src)
{
    md_clean_bars(out, src, false);
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

static void md_join_bars(struct strbuf *sb, const char *text, bool keep_bars)
{
    strbuf_rtrim(sb);
    if (sb->len) {
        const char *q = text;
        int32_t next = utf8_decode(&q, text + strlen(text));
        if (!(utf8_is_cjk(md_last_cp(sb)) && utf8_is_cjk(next)))
            strbuf_addc(sb, ' ');
    }
    md_clean_bars(sb, text, keep_bars);
    strbuf_rtrim(sb);
}

void md_join(struct strbuf *sb, const char *text)
{
    md_join_bars(sb, text, false);
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
int md_find_col(const char *src, const char *name, size_t nlen)
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

struct script_block *md_add_block(struct md_ctx *c, enum script_kind kind, int line, int col)
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

void md_note(struct md_ctx *c, int line, const char *name, size_t nlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A note for `check -v`, pointing at name in line (or its first character). */
void md_note(struct md_ctx *c, int line, const char *name, size_t nlen, const char *fmt, ...)
{
    const char *src = script_line(c->s, line);
    struct strbuf msg = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    diag_add(c->d, DIAG_NOTE, c->s->file, line, md_find_col(src, name, nlen), src, "%s", msg.buf);
    strbuf_release(&msg);
}

void md_strip(struct md_ctx *c, const char *src, struct strbuf *out, int line)
{
    struct strip_count n = {0, 0};
    strip_text(src, &c->s->cues, out, &n);
    if (n.stamps && !c->stamp_line)
        c->stamp_line = line;
    if (n.cues && !c->cue_line)
        c->cue_line = line;
    c->strip.stamps += n.stamps;
    c->strip.cues += n.cues;
}

bool md_blank(const struct strbuf *sb)
{
    for (size_t i = 0; i < sb->len; i++)
        if (sb->buf[i] != ' ' && sb->buf[i] != '\t' && sb->buf[i] != STRIP_BREAK &&
            sb->buf[i] != MD_URL_MARK)
            return false;
    return true;
}

/* A details heading with nothing read under it (only metadata) is not
 * read either: it would announce an empty chapter. */
static void md_details_drop(struct md_ctx *c)
{
    struct script *s = c->s;
    if (c->details_block < 0 || (size_t)c->details_block != s->nblocks - 1)
        return;
    struct script_block *b = &s->blocks[s->nblocks - 1];
    md_note(c, b->line, NULL, 0, "heading \"%s\" holds only metadata: not read", b->text);
    free(b->text);
    s->nblocks--;
    c->details_block = -1;
}

static void md_heading(struct md_ctx *c, cmark_node *h)
{
    if (c->counting)
        return;
    c->line = cmark_node_get_start_line(h);
    md_lines_reset(c);
    md_newline(c);
    md_inlines(c, h);
    int line = cmark_node_get_start_line(h);
    struct strbuf text = STRBUF_INIT;
    size_t stamps = c->strip.stamps + c->link_stamps;
    for (size_t i = 0; i < c->nlines; i++) {
        struct strbuf body = STRBUF_INIT;
        md_strip(c, c->lines[i].text.buf, &body, line);
        md_join_bars(&text, body.buf, true);
        strbuf_release(&body);
    }
    if (!text.len || md_blank(&text)) {
        /* "### [00:00:00 - 00:00:04]": a time, not a chapter */
        if (c->strip.stamps + c->link_stamps > stamps && !c->stamp_heads++)
            c->stamp_head_line = line;
        strbuf_release(&text);
        return;
    }
    md_pending_drop(c);
    md_details_drop(c);
    c->tag[0] = '\0'; /* a language tag holds until the next heading */
    int level = cmark_node_get_heading_level(h);
    if (meta_is_details_heading(text.buf))
        c->details = level;
    else if (c->details && level <= c->details)
        c->details = 0;
    struct script_block *b =
        md_add_block(c, SCRIPT_HEADING, line, md_find_col(script_line(c->s, line), NULL, 0));
    b->level = level;
    b->text = strbuf_detach(&text);
    c->details_block = c->details == level ? (long)c->s->nblocks - 1 : -1;
}

/* The text of a list item's first line, in c->lines[0]; false when the
 * item does not start with a paragraph. */
static bool md_item_line(struct md_ctx *c, cmark_node *item)
{
    cmark_node *par = cmark_node_first_child(item);
    if (!par || cmark_node_get_type(par) != CMARK_NODE_PARAGRAPH)
        return false;
    c->line = cmark_node_get_start_line(par);
    md_lines_reset(c);
    md_newline(c);
    md_inlines(c, par);
    return true;
}

/* Is the item's first paragraph nothing but links ("- [Slides](url)")? */
static bool md_item_is_links(cmark_node *item)
{
    cmark_node *par = cmark_node_first_child(item);
    size_t links = 0;
    for (cmark_node *n = par ? cmark_node_first_child(par) : NULL; n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_LINK) {
            links++;
        } else if (t == CMARK_NODE_TEXT) {
            if (strspn(cmark_node_get_literal(n), " \t,;|-") != strlen(cmark_node_get_literal(n)))
                return false;
        } else if (t != CMARK_NODE_SOFTBREAK && t != CMARK_NODE_LINEBREAK) {
            return false;
        }
    }
    return links > 0;
}

/* Is the list one of metadata items: every item "key：value" or only
 * links, at least one with a metadata key (or a host/guest key followed by
 * names) and none a turn (a known person's label, or a host/guest key
 * followed by speech) — or all links ("## Sources")? */
static bool md_list_is_meta(struct md_ctx *c, cmark_node *list)
{
    size_t kv = 0, links = 0, items = 0, known = 0; /* known: items that are turns */
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
        items++;
        if (!md_item_line(c, it))
            return false;
        const char *raw = c->lines[0].text.buf;
        size_t klen, vstart;
        if (meta_split(raw, &klen, &vstart)) {
            /* "- **Host:** Welcome to the show." is a turn, not metadata:
             * a key must be a metadata key, or name people with names. */
            struct strbuf value = STRBUF_INIT;
            md_clean(&value, raw + vstart);
            bool names = value.len && meta_looks_like_names(value.buf);
            if (people_find(c->s, raw, klen) >= 0)
                known++;
            else if (meta_is_info_key(raw, klen) || (meta_is_people_key(raw, klen) && names))
                kv++;
            else if (meta_is_people_key(raw, klen) && value.len &&
                     meta_looks_like_speech(value.buf))
                known++; /* "Host: Welcome to the show." */
            strbuf_release(&value);
            continue;
        }
        if (md_item_is_links(it)) {
            links++;
            continue;
        }
        struct strbuf sb = STRBUF_INIT;
        md_clean(&sb, raw);
        bool blank = !sb.len;
        strbuf_release(&sb);
        if (!blank)
            return false;
    }
    return (kv > 0 && !known) || (links && links == items);
}

/* Skips a metadata list, declaring the people its host/guest items name. */
static void md_meta_list(struct md_ctx *c, cmark_node *list)
{
    struct strbuf keys = STRBUF_INIT, names = STRBUF_INIT;
    size_t items = 0;
    int first = cmark_node_get_start_line(list);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
        items++;
        md_item_line(c, it);
        const char *raw = c->lines[0].text.buf;
        size_t klen, vstart;
        if (!meta_split(raw, &klen, &vstart))
            continue;
        if (keys.len)
            strbuf_adds(&keys, ", ");
        strbuf_add(&keys, raw, klen);
        if (!meta_is_people_key(raw, klen))
            continue;
        struct strbuf value = STRBUF_INIT;
        md_clean(&value, raw + vstart);
        const char *src = script_line(c->s, c->lines[0].line);
        meta_declare(c->s, value.buf, c->lines[0].line,
                     md_find_col(src, raw + vstart, strlen(raw + vstart)), &names);
        strbuf_release(&value);
    }
    if (!keys.len)
        md_note(c, first, NULL, 0, "a list of links only (%zu items) is not read", items);
    else if (names.len)
        md_note(c, first, NULL, 0, "metadata list (%zu items: %s) not read; it declares %s", items,
                keys.buf, names.buf);
    else
        md_note(c, first, NULL, 0, "metadata list (%zu items: %s) not read", items, keys.buf);
    strbuf_release(&keys);
    strbuf_release(&names);
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
    case CMARK_NODE_LIST:
        if (!c->counting && (c->details || (!c->turns && !c->pending.active)) &&
            md_list_is_meta(c, n)) {
            md_meta_list(c, n);
            break;
        }
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            md_block(c, k);
        break;
    case CMARK_NODE_DOCUMENT:
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_ITEM:
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            md_block(c, k);
        break;
    default: /* code blocks, HTML blocks, thematic breaks: not read */
        break;
    }
}

/* The notes of what was dropped, for `check -v`. */
static void md_summary(struct md_ctx *c)
{
    size_t stamps = c->strip.stamps + c->link_stamps;
    if (stamps)
        md_note(c, c->stamp_line, NULL, 0, "%zu timestamp%s not read (the first is here)", stamps,
                stamps == 1 ? "" : "s");
    if (c->srt_index)
        md_note(c, c->stamp_line, NULL, 0,
                "%zu subtitle number%s (pasted from an SRT file) not read", c->srt_index,
                c->srt_index == 1 ? "" : "s");
    if (c->stamp_heads)
        md_note(c, c->stamp_head_line, NULL, 0,
                "%zu heading%s made only of timestamps: not read, no chapter", c->stamp_heads,
                c->stamp_heads == 1 ? "" : "s");
    if (c->strip.cues)
        md_note(c, c->cue_line, NULL, 0,
                "%zu non-speech cue%s (such as [laughs]) not read; a pause instead (the first is "
                "here)",
                c->strip.cues, c->strip.cues == 1 ? "" : "s");
    if (c->tags)
        md_note(c, c->tag_line, NULL, 0,
                "%zu language tag%s (such as \"EN:\") before a label: not speakers%s", c->tags,
                c->tags == 1 ? "" : "s",
                c->s->config.nread_tags ? ""
                                        : "; to hear one language only, set read-tags (such as "
                                          "`read-tags: [CN]`) in the scriptcast settings");
    if (c->tag_skipped)
        md_note(c, c->tag_skip_line, NULL, 0,
                "%zu line%s not read: their language tag is not in read-tags", c->tag_skipped,
                c->tag_skipped == 1 ? "" : "s");
}

/* cmark's own allocator calls abort() when memory runs out; ours ends the
 * process with a message and exit status 3, like every other allocation. */
static cmark_mem md_mem = {xcalloc, xrealloc, free};

int markdown_read(struct script *s, const char *body, size_t len, struct diags *d)
{
    cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, &md_mem);
    cmark_parser_feed(parser, body, len);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    if (!doc) {
        diag_add(d, DIAG_SYSTEM, s->file, 0, 0, NULL, "the Markdown parser failed");
        return -1;
    }
    struct md_ctx c = {.s = s, .d = d, .speaker = -1, .counting = true, .details_block = -1};
    md_block(&c, doc);
    c.counting = false;
    c.tag[0] = '\0';
    /* A talk: with one speaker declared in the front matter and nobody
     * else, what is said before any label is theirs, not the narrator's. */
    int sole = s->talk_speaker;
    if (sole >= 0 && (size_t)sole < s->npeople && md_sole_declared(s) == sole) {
        c.speaker = sole;
        diag_add(d, DIAG_NOTE, s->file, s->people[sole].line, s->people[sole].col,
                 script_line(s, s->people[sole].line),
                 "\"%s\" is the one speaker declared: unlabeled speech before any label is "
                 "theirs",
                 s->people[sole].name);
    }
    md_block(&c, doc);
    md_pending_drop(&c);
    md_details_drop(&c);
    md_summary(&c);
    md_lines_reset(&c);
    free(c.lines);
    for (size_t i = 0; i < c.ncounts; i++)
        free(c.counts[i].name);
    free(c.counts);
    free(c.count_slots);
    cmark_node_free(doc);
    return 0;
}
