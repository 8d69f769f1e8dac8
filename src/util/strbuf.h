/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Growable NUL-terminated byte strings, in the spirit of git's strbuf.
 *
 * Contract: a struct strbuf is initialized with STRBUF_INIT or strbuf_init();
 * buf is always NUL-terminated and never NULL after init. strbuf_release()
 * frees the memory and leaves the buffer re-usable as if freshly initialized;
 * strbuf_detach() hands the string to the caller (who frees it with free())
 * and re-initializes the buffer.
 */
#ifndef SCRIPTCAST_STRBUF_H
#define SCRIPTCAST_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};

extern char strbuf_empty[];
#define STRBUF_INIT                                                                                \
    {                                                                                              \
        strbuf_empty, 0, 0                                                                         \
    }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Removes trailing ASCII white space. */
void strbuf_rtrim(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);

#endif
