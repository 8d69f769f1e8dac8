/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Escaping for the markup scriptcast writes (the listening page, the site
 * index, the feed): text and attribute values, and relative URLs in href
 * and url attributes. HTML and XML share these rules.
 */
#include "manifest/markup.h"
#include "util/strbuf.h"

/* Text and attribute values: the five characters HTML gives meaning to. */
void markup_text(struct strbuf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            strbuf_adds(out, "&lt;");
            break;
        case '>':
            strbuf_adds(out, "&gt;");
            break;
        case '&':
            strbuf_adds(out, "&amp;");
            break;
        case '"':
            strbuf_adds(out, "&quot;");
            break;
        case '\'':
            strbuf_adds(out, "&#39;");
            break;
        case '\n':
        case '\r':
        case '\t':
            strbuf_addc(out, ' ');
            break;
        default:
            /* Other control characters are not allowed in HTML text. */
            if ((unsigned char)*s >= 0x20 && *s != 0x7f)
                strbuf_addc(out, *s);
        }
    }
}

/* A URL in an href: relative paths as given, with the characters that
 * would end or break the attribute percent-encoded. */
void markup_url(struct strbuf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == '"' || c == '\'' || c == '<' || c == '>' || c == '%' || c == '#' ||
            c == '?' || c == 0x7f)
            strbuf_addf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
        else if (c == '&')
            strbuf_adds(out, "&amp;");
        else
            strbuf_addc(out, (char)c);
    }
}
