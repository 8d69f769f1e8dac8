/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loading FFmpeg on demand (contract in lav.h). RTLD_LOCAL keeps its
 * symbols out of the global namespace; the libraries find one another
 * through their own dependencies.
 */
#include "audio/lav.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct lav_table lav;

#define LAV_STR2(x) #x
#define LAV_STR(x) LAV_STR2(x)

static bool lav_loaded;

int lav_load(char *err, size_t errlen)
{
    if (lav_loaded)
        return 0;
    static const char *const names[] = {
        "libavutil.so." LAV_STR(LIBAVUTIL_VERSION_MAJOR),
        "libavcodec.so." LAV_STR(LIBAVCODEC_VERSION_MAJOR),
        "libavformat.so." LAV_STR(LIBAVFORMAT_VERSION_MAJOR),
    };
    void *h[3];
    for (int i = 0; i < 3; i++) {
        h[i] = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!h[i]) {
            const char *why = dlerror();
            snprintf(err, errlen, "cannot load %s (FFmpeg, for the compressed formats): %s",
                     names[i], why ? why : "not found");
            return -1;
        }
    }
    enum { util, codec, format }; /* the first argument of LAV_FUNCTIONS' entries */
    /* POSIX's way to store dlsym()'s object pointer into a function pointer. */
#define LAV_BIND(lib, name)                                                                        \
    {                                                                                              \
        void *sym = dlsym(h[lib], #name);                                                          \
        if (!sym) {                                                                                \
            snprintf(err, errlen, "%s has no %s", names[lib], #name);                              \
            return -1;                                                                             \
        }                                                                                          \
        memcpy(&lav.name, &sym, sizeof(sym));                                                      \
    }
    LAV_FUNCTIONS(LAV_BIND)
#undef LAV_BIND
    lav_loaded = true;
    return 0;
}
