/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Chinese varieties from language tags (rules and contract in
 * zhvariety.h). A tag is compared subtag by subtag, case folded, so
 * "ZH_hant-hk" and "zh-Hant-HK" are one tag.
 */
#include "script/zhvariety.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Whether the subtag at s (up to the next '-', '_' or the end) is w. */
static bool zhvariety_subtag(const char *s, const char *w)
{
    size_t n = strcspn(s, "-_");
    return n == strlen(w) && !strncasecmp(s, w, n);
}

/* The subtag after the one at s, or NULL at the end. */
static const char *zhvariety_next(const char *s)
{
    s += strcspn(s, "-_");
    return *s ? s + 1 : NULL;
}

const char *zhvariety_of_tag(const char *tag)
{
    static const char *const cantonese[] = {"cantonese", "粵語", "粤语", "廣東話", "广东话"};
    static const char *const mandarin[] = {"chinese", "mandarin", "中文", "普通话", "普通話",
                                           "國語",    "国语",     "華語", "华语"};
    for (size_t i = 0; i < sizeof(cantonese) / sizeof(cantonese[0]); i++)
        if (!strcasecmp(tag, cantonese[i]))
            return "yue";
    for (size_t i = 0; i < sizeof(mandarin) / sizeof(mandarin[0]); i++)
        if (!strcasecmp(tag, mandarin[i]))
            return "zh";
    if (zhvariety_subtag(tag, "yue"))
        return "yue";
    if (zhvariety_subtag(tag, "cmn"))
        return "zh";
    if (!zhvariety_subtag(tag, "zh"))
        return NULL;
    for (const char *s = zhvariety_next(tag); s; s = zhvariety_next(s))
        if (zhvariety_subtag(s, "yue") || zhvariety_subtag(s, "hk") || zhvariety_subtag(s, "mo"))
            return "yue";
    return "zh";
}
