/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --section selector matching (contract in section.h).
 */
#include "plan/section.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool section_number(const char *s, long *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end;
    *out = strtol(s, &end, 10);
    return *end == '\0';
}

/* Case-insensitive substring for ASCII; bytes above 0x7F compared exactly. */
static bool section_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

int section_select(const char *sel, char *const *titles, size_t n, bool *keep, struct diags *d)
{
    long a, b;
    const char *dash = strchr(sel, '-');
    if (section_number(sel, &a)) {
        if (a < 1 || (size_t)a > n) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL,
                     "--section %s: no such chapter (the transcript has %zu)", sel, n);
            return -1;
        }
        keep[a - 1] = true;
        return 0;
    }
    if (dash) {
        struct strbuf lo = STRBUF_INIT;
        strbuf_add(&lo, sel, (size_t)(dash - sel));
        bool range = section_number(lo.buf, &a) && section_number(dash + 1, &b);
        strbuf_release(&lo);
        if (range) {
            if (a < 1 || b < a || (size_t)b > n) {
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL,
                         "--section %s: not a range of chapters 1-%zu", sel, n);
                return -1;
            }
            for (long i = a; i <= b; i++)
                keep[i - 1] = true;
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (titles[i] && !strcmp(titles[i], sel)) {
            keep[i] = true;
            return 0;
        }
    }
    size_t hits = 0, hit = 0;
    struct strbuf names = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (titles[i] && section_contains(titles[i], sel)) {
            if (hits++)
                strbuf_adds(&names, ", ");
            strbuf_addf(&names, "%zu \"%s\"", i + 1, titles[i]);
            hit = i;
        }
    }
    if (hits == 1) {
        keep[hit] = true;
        strbuf_release(&names);
        return 0;
    }
    if (hits)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL,
                 "--section \"%s\" matches %zu chapters: %s; give a number or more of the title",
                 sel, hits, names.buf);
    else
        diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "--section \"%s\" matches no chapter title", sel);
    strbuf_release(&names);
    return -1;
}
