/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Internal to the script stage: the state markdown.c (the cmark walk,
 * headings, metadata lists) and turn.c (paragraphs, labels, turns) share
 * while reading a transcript body.
 *
 * Contract: every function here works on one struct md_ctx owned by
 * markdown_read(); strings appended to strbufs are the caller's.
 */
#ifndef SCRIPTCAST_MDCTX_H
#define SCRIPTCAST_MDCTX_H

#include "script/script.h"
#include "script/stamp.h"
#include "util/strbuf.h"

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>

struct diags;

/* Where an autolink was: a URL for the rules that look at a line, nothing
 * to read. */
#define MD_URL_MARK '\x1F'

struct md_line {
    struct strbuf text;
    int line;
    /* "\[0:00:13.9\] **Adam Garrett-Harris** Hello": a bold span at the start
     * of the line (after a timestamp at most), as offsets into text */
    size_t bold_start, bold_end;
    bool bold;
};

/* A label with nothing after it: a turn once speech follows. */
struct md_pending {
    bool active;
    bool bare;          /* a label without a colon: its speech must follow in its paragraph */
    char *name, *alias; /* alias may be NULL */
    int line, col;
};

struct md_count {
    char *name;
    size_t n;
};

/* The speech block being collected. */
struct md_turn {
    struct strbuf text;
    int speaker, line, col;
    bool labeled, open;
};

struct md_ctx {
    struct script *s;
    struct diags *d;
    int speaker; /* the current speaker: -1 narrator */
    struct md_line *lines;
    size_t nlines, cap;
    int line;      /* source line of the inline being read */
    bool counting; /* first walk: count labels only */
    struct md_count *counts;
    size_t ncounts, ccap;
    size_t *count_slots; /* hash table over counts: index + 1, 0 empty (turn.c) */
    size_t count_nslots; /* a power of two, or 0 */
    struct md_pending pending;
    size_t turns;        /* labeled turns so far */
    bool question;       /* the last turn is a question from the audience */
    int before_question; /* the speaker before it, who goes on after it */
    int details;         /* level of the details heading we are under, 0 if none */
    long details_block;  /* that heading's block while nothing is read under it, else -1 */
    struct strip_count strip;
    int stamp_line, cue_line; /* first line with one, for the notes */
    size_t link_stamps;       /* timestamp links */
    size_t srt_index;         /* subtitle numbers above their times */
    size_t tags;              /* language tags before labels */
    int tag_line;             /* the first one */
    char tag[24];             /* the tag of the lines being read ("CN"), "" if none */
    size_t tag_skipped;       /* lines not read: their tag is not in read-tags */
    int tag_skip_line;
    size_t stamp_heads; /* headings made only of timestamps */
    int stamp_head_line;
};

/* Opens a new collected line at c->line. */
struct md_line *md_newline(struct md_ctx *c);
/* Appends the inlines of parent to the collected lines. */
void md_inlines(struct md_ctx *c, cmark_node *parent);
void md_lines_reset(struct md_ctx *c);
bool md_starts_url(const char *p);
/* A table's delimiter row, such as "|---|:--:|". */
bool md_is_table_rule(const char *s);
/* Appends the readable form of src to out (see markdown.c). */
void md_clean(struct strbuf *out, const char *src);
/* Joins a continuation line: no space between two CJK characters. */
void md_join(struct strbuf *sb, const char *text);
/* Column of name in the source line src, else of its first non-blank. */
int md_find_col(const char *src, const char *name, size_t nlen);
struct script_block *md_add_block(struct md_ctx *c, enum script_kind kind, int line, int col);
/* A note for `check -v`, pointing at name in line (or its first character). */
void md_note(struct md_ctx *c, int line, const char *name, size_t nlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* strip_text() with the counts and first lines kept in c. */
void md_strip(struct md_ctx *c, const char *src, struct strbuf *out, int line);
/* Whether sb holds nothing to read. */
bool md_blank(const struct strbuf *sb);

/* A paragraph: its lines, labels and turns (turn.c). */
void md_paragraph(struct md_ctx *c, cmark_node *par);
/* The one person declared (a talk's speaker), or -1 (turn.c). */
int md_sole_declared(const struct script *s);
/* Drops a label that no speech followed, with a note (turn.c). */
void md_pending_drop(struct md_ctx *c);

#endif
