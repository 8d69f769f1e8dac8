/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Traditional to simplified for Mandarin runs (contract and measurements
 * in zhhant.h). OpenCC is a C++ library with a C interface, loaded on
 * demand like MeCab (textja.c); GB2312 membership is asked of the C
 * library's iconv, which every glibc has.
 */
#include "plan/zhhant.h"
#include "plan/runtext.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <opencc/opencc.h>

#include <dlfcn.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZHHANT_LIB "libopencc.so.1.1"
#define ZHHANT_CONFIG "t2s.json"

static struct {
    bool tried, iconv_tried;
    opencc_t cc;
    iconv_t gb;
    opencc_t (*open)(const char *);
    char *(*convert)(opencc_t, const char *, size_t);
    void (*convert_free)(char *);
    const char *(*error)(void);
    char message[512];
    unsigned long unread;
} zhhant = {.cc = (opencc_t)-1, .gb = (iconv_t)-1};

static bool zhhant_bind(void *h, const char *name, void *slot, size_t size)
{
    void *sym = dlsym(h, name);
    if (!sym)
        return false;
    memcpy(slot, &sym, size); /* POSIX's way from an object to a function pointer */
    return true;
}

static bool zhhant_load(void)
{
    if (zhhant.tried)
        return zhhant.cc != (opencc_t)-1;
    zhhant.tried = true;
    void *h = dlopen(ZHHANT_LIB, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(zhhant.message, sizeof(zhhant.message),
                 "cannot load %s (OpenCC, for traditional Chinese characters): %s; install "
                 "libopencc1.1",
                 ZHHANT_LIB, why ? why : "not found");
        return false;
    }
    if (!zhhant_bind(h, "opencc_open", &zhhant.open, sizeof(zhhant.open)) ||
        !zhhant_bind(h, "opencc_convert_utf8", &zhhant.convert, sizeof(zhhant.convert)) ||
        !zhhant_bind(h, "opencc_convert_utf8_free", &zhhant.convert_free,
                     sizeof(zhhant.convert_free)) ||
        !zhhant_bind(h, "opencc_error", &zhhant.error, sizeof(zhhant.error))) {
        snprintf(zhhant.message, sizeof(zhhant.message), "%s lacks the OpenCC C interface",
                 ZHHANT_LIB);
        return false;
    }
    zhhant.cc = zhhant.open(ZHHANT_CONFIG);
    if (zhhant.cc == (opencc_t)-1) {
        const char *why = zhhant.error();
        snprintf(zhhant.message, sizeof(zhhant.message),
                 "cannot open OpenCC's %s (for traditional Chinese characters): %s; install "
                 "libopencc-data",
                 ZHHANT_CONFIG, why && *why ? why : "not found");
        return false;
    }
    return true;
}

const char *zhhant_error(void)
{
    return zhhant.tried && zhhant.cc == (opencc_t)-1 ? zhhant.message : NULL;
}

unsigned long zhhant_unread(void)
{
    return zhhant.unread;
}

/* Whether the Han character cp is outside GB2312 (true also when iconv has
 * no GB2312: then every Han character may be traditional). */
static bool zhhant_outside_gb2312(int32_t cp)
{
    if (!zhhant.iconv_tried) {
        zhhant.iconv_tried = true;
        zhhant.gb = iconv_open("GB2312", "UTF-8");
    }
    if (zhhant.gb == (iconv_t)-1)
        return true;
    struct strbuf u = STRBUF_INIT;
    utf8_encode(&u, cp);
    char out[8], *in = u.buf, *o = out;
    size_t inleft = u.len, outleft = sizeof(out);
    size_t r = iconv(zhhant.gb, &in, &inleft, &o, &outleft);
    iconv(zhhant.gb, NULL, NULL, NULL, NULL); /* back to the initial state */
    strbuf_release(&u);
    return r == (size_t)-1;
}

/* Traditional characters that GB2312 also holds (found by comparing it with
 * OpenCC's TSCharacters table): 乾 麴 麽 醣 薹 菸 甯 摺 於 榘 捱 後 徵 夥 吒. */
static bool zhhant_listed(int32_t cp)
{
    static const int32_t listed[] = {0x4E7E, 0x9EB4, 0x9EBD, 0x91A3, 0x85B9, 0x83F8, 0x752F, 0x647A,
                                     0x65BC, 0x6998, 0x6371, 0x5F8C, 0x5FB5, 0x5925, 0x5412};
    for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++)
        if (cp == listed[i])
            return true;
    return false;
}

static bool zhhant_may_be_traditional(const char *text)
{
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        if (utf8_is_han(cp) && (zhhant_listed(cp) || zhhant_outside_gb2312(cp)))
            return true;
    }
    return false;
}

char *zhhant_simplify(const char *text)
{
    if (!zhhant_may_be_traditional(text))
        return xstrdup(text);
    if (!zhhant_load()) {
        zhhant.unread++;
        return xstrdup(text);
    }
    char *s = zhhant.convert(zhhant.cc, text, strlen(text));
    if (!s)
        return xstrdup(text);
    char *copy = xstrdup(s);
    zhhant.convert_free(s);
    return copy;
}

char *zhhant_read(const char *text)
{
    char *s = zhhant_simplify(text);
    char *t = runtext_zh(s);
    free(s);
    return t;
}
