/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Timestamps in transcript text, which are never read aloud: bracketed ones
 * anywhere ("[00:01:02]", "[04:22.21]", "(00:31:47)", "（00:31:47）",
 * "【01:02】", ranges such as "[00:00:00 - 00:00:04]"), and bare ones at the
 * start of a line when they cannot be a clock time in speech ("00:00:16",
 * "0:02", "1:08:47", or any time alone on its line). "我们10:30开始" and
 * "10:30 on Fridays" are speech and stay. strip_text() also removes the
 * non-speech cues of cue.h and marks where they were.
 *
 * Contract: pure functions, no allocation except into the strbuf given.
 * Lengths and offsets are bytes.
 */
#ifndef SCRIPTCAST_STAMP_H
#define SCRIPTCAST_STAMP_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct cue_list;

/* Put by strip_text() where a cue was: the speech around it is read as two
 * segments, with a paragraph pause between them. Never reaches the plan. */
#define STRIP_BREAK '\x1E'

/*
 * Length of a timestamp at p ("1:02", "00:01:02", "04:22.21", "00:01:02,345")
 * or of a range of two ("00:00:00 - 00:00:04", "00:01 --> 00:05"); 0 when
 * there is none. *parts gets the number of ':'-separated fields of the first
 * time (2 or 3). The caller checks what comes before p.
 */
size_t stamp_span(const char *p, const char *end, int *parts);

/* Length of a bracketed timestamp at p ("[..]", "(..)", "（..）", "【..】"),
 * brackets included, or 0. */
size_t stamp_bracketed(const char *p, const char *end);

/* Whether s (n bytes) holds timestamps and nothing else but spaces and
 * separators: the text of a timestamp link or heading. */
bool stamp_is_only(const char *s, size_t n);

struct strip_count {
    size_t stamps; /* timestamps removed */
    size_t cues;   /* cues removed */
};

/*
 * Appends src to out without its timestamps and cues (cues may be NULL: then
 * only timestamps go). A bare timestamp counts only at the start of src;
 * where a cue was, STRIP_BREAK is written unless it would start or end the
 * text. White space is left for the caller to fold. Counts are added to *n
 * when n is not NULL.
 */
void strip_text(const char *src, const struct cue_list *cues, struct strbuf *out,
                struct strip_count *n);

#endif
