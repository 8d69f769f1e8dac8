/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Folding a name or title onto one line for the line-based sidecars (SRT,
 * WebVTT, CUE, FFMETADATA): a speaker name comes from YAML, where
 * "Ann\n\nBob" is a valid string, and a blank line in it would end a cue
 * and start a bogus one (contract in manifest.h).
 */
#include "manifest/manifest.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <string.h>

/* Line breaks, tabs and the other characters no line should carry. */
static bool manifest_fold_space(int32_t cp)
{
    return cp == ' ' || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

void manifest_fold(struct strbuf *out, const char *s)
{
    const char *p = s, *end = s + strlen(s);
    bool pending = false, any = false;
    while (p < end) {
        const char *start = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp >= 0 && manifest_fold_space(cp)) {
            pending = any;
            continue;
        }
        if (pending)
            strbuf_addc(out, ' ');
        pending = false;
        any = true;
        strbuf_add(out, start, (size_t)(p - start));
    }
}
