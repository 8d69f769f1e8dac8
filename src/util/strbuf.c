/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Growable strings (contract in strbuf.h).
 */
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb)
{
    sb->buf = strbuf_empty;
    sb->len = 0;
    sb->cap = 0;
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->cap)
        free(sb->buf);
    strbuf_init(sb);
}

char *strbuf_detach(struct strbuf *sb)
{
    char *s = sb->cap ? sb->buf : xstrdup("");
    /* A detached string usually lives on (plan texts live for the whole
     * render): the slack of doubling would be up to half of it, wasted.
     * Shrinking in place costs no copy. */
    if (sb->cap && sb->cap - sb->len > 16)
        s = xrealloc(s, sb->len + 1);
    strbuf_init(sb);
    return s;
}

void strbuf_reset(struct strbuf *sb)
{
    strbuf_setlen(sb, 0);
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
    if (extra >= SIZE_MAX - sb->len)
        xalloc_die(SIZE_MAX); /* no wrapped size that allocates too little */
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t ncap = sb->cap ? sb->cap : 32;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (sb->cap) {
        sb->buf = xrealloc(sb->buf, ncap);
    } else {
        sb->buf = xmalloc(ncap);
        sb->buf[0] = '\0';
    }
    sb->cap = ncap;
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
    if (!sb->cap)
        return;
    sb->len = len;
    sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
    strbuf_grow(sb, n);
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addc(struct strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    strbuf_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
    while (sb->len && strchr(" \t\r\n\v\f", sb->buf[sb->len - 1]))
        sb->len--;
    if (sb->cap)
        sb->buf[sb->len] = '\0';
}
