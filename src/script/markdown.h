/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The body of a transcript read with cmark into script blocks: headings and
 * speech, with speaker labels resolved and everything that is not read aloud
 * (code, HTML, images, link targets, URLs, table rules) left out.
 *
 * Contract: internal to the script stage. markdown_read() appends to
 * s->blocks and s->people and returns 0, or -1 with a DIAG_SYSTEM diagnostic
 * when cmark fails.
 */
#ifndef SCRIPTCAST_MARKDOWN_H
#define SCRIPTCAST_MARKDOWN_H

#include <stddef.h>

struct script;
struct diags;

int markdown_read(struct script *s, const char *body, size_t len, struct diags *d);

#endif
