/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SubRip cue text as the Podcasting 2.0 transcript guidance asks: at most
 * two lines of at most 32 characters a cue. A cue's text (with its
 * "Speaker: " prefix) is wrapped at spaces between Latin words and between
 * CJK characters (never before closing punctuation such as ，。」), and a
 * text longer than two lines becomes several cues, timed by their share of
 * characters.
 *
 * Contract: srtwrap_split() returns the number of pieces and fills *out
 * with an array the caller frees with srtwrap_free(); each piece's text
 * (lines joined by '\n') is owned by the array. Characters are Unicode
 * code points.
 */
#ifndef SCRIPTCAST_SRTWRAP_H
#define SCRIPTCAST_SRTWRAP_H

#include <stddef.h>

#define SRTWRAP_LINE 32 /* characters a line */
#define SRTWRAP_LINES 2 /* lines a cue */

struct srtwrap_piece {
    char *text;
    size_t chars; /* characters in it, spaces at the breaks excluded */
};

size_t srtwrap_split(const char *prefix, const char *text, struct srtwrap_piece **out);
void srtwrap_free(struct srtwrap_piece *p, size_t n);

#endif
