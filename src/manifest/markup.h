/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Escaping for HTML and XML output (contract: append to out, allocate
 * nothing). markup_text() escapes the five markup characters, folds line
 * breaks and tabs to spaces and drops other control characters (XML 1.0
 * does not allow them); markup_url() percent-encodes what would end or
 * break an attribute or change a relative path's meaning (space, quotes,
 * angle brackets, %, #, ?) and escapes &.
 */
#ifndef SCRIPTCAST_MARKUP_H
#define SCRIPTCAST_MARKUP_H

struct strbuf;

void markup_text(struct strbuf *out, const char *s);
void markup_url(struct strbuf *out, const char *s);

#endif
