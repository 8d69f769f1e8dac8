/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The espeak-ng language inventory (contract in langs.h). espeak-ng's list
 * comes in an order of its own (by language name and priority); entries
 * are built from it sorted by file identifier, and every choice between
 * voices (which one a shared tag names, which one a bare base language
 * gets) is made by priority and then identifier, so the same espeak-ng
 * data gives the same entries whatever order the list arrives in.
 */
#include "cast/langs.h"
#include "script/zhvariety.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest tag looked up; longer input is not a language tag. */
#define LANGS_TAG_MAX 35

/*
 * Languages espeak-ng reads only partly, with the reason a user is told.
 * Checked by listening and with `espeak-ng -x` on 1.51, and against the
 * footnotes of espeak-ng's docs/languages.md. Japanese is not here: kanji
 * get readings before synthesis (the plan's business, see docs/voices.md).
 */
static const struct {
    const char *tag, *why;
} langs_partial[] = {
    {"ar", "it reads fully vowelled (diacritized) Arabic only; words written without vowel "
           "marks are often mispronounced"},
    {"chr", "it reads only the annotated spelling of the Cherokee-English Dictionary"},
    {"fa-latn", "it reads Persian written in Latin letters (Pinglish) only"},
    {"hak", "it reads romanized Hakka only; Han characters are spoken as \"Chinese letter\""},
    {"my", "its Burmese is incomplete: many vowels and tones are not read"},
};

/* One voice of espeak-ng's list, copied. */
struct langs_raw {
    char *ident; /* "roa/pt-BR" */
    char *base;  /* "pt-br": the identifier's file name, lower case */
    char *name;  /* "Portuguese (Brazil)" */
    char **tags; /* its languages, lower case, in espeak-ng's order */
    int *prio;   /* their priorities (lower is preferred) */
    size_t ntags;
    char *tag; /* the entry's tag, once chosen */
};

/* A language espeak-ng lists for a voice, for looking up tags no entry has. */
struct langs_alt {
    const char *tag;
    int prio;
    size_t entry;
};

static struct {
    bool loaded;
    struct lang_info *e;
    size_t n;
    struct langs_alt *alt;
    size_t nalt;
} langs;

static char *langs_lower(const char *s)
{
    char *out = xstrdup(s);
    for (char *p = out; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
        else if (*p == '_')
            *p = '-';
    }
    return out;
}

static int langs_raw_cmp(const void *a, const void *b)
{
    return strcmp(((const struct langs_raw *)a)->ident, ((const struct langs_raw *)b)->ident);
}

static int langs_info_cmp(const void *a, const void *b)
{
    return strcmp(((const struct lang_info *)a)->tag, ((const struct lang_info *)b)->tag);
}

static int langs_alt_cmp(const void *a, const void *b)
{
    const struct langs_alt *x = a, *y = b;
    int c = strcmp(x->tag, y->tag);
    if (c)
        return c;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Copies one voice of a list, unless it is a variant, an MBROLA voice (a
 * separate download) or cmn (reads Han characters as English pinyin). */
static void langs_raw_add(struct langs_raw **raw, size_t *n, size_t *cap, const char *ident,
                          const char *name, const char *languages)
{
    if (!ident || !languages || !languages[0] || !languages[1] || ident[0] == '!' ||
        !strncmp(ident, "mb/", 3))
        return;
    const char *slash = strrchr(ident, '/');
    char *base = langs_lower(slash ? slash + 1 : ident);
    if (!strcmp(base, "cmn")) {
        free(base);
        return;
    }
    XGROW(*raw, *cap, *n + 1);
    struct langs_raw *r = &(*raw)[(*n)++];
    memset(r, 0, sizeof(*r));
    r->ident = xstrdup(ident);
    r->base = base;
    r->name = xstrdup(name ? name : base);
    size_t tcap = 0;
    /* languages: a priority byte, a NUL-terminated tag, ..., then a 0 byte. */
    for (const char *p = languages; *p; p += strlen(p + 1) + 2) {
        XGROW(r->tags, tcap, r->ntags + 1);
        r->prio = xrealloc(r->prio, tcap * sizeof(*r->prio));
        r->prio[r->ntags] = (unsigned char)*p;
        r->tags[r->ntags++] = langs_lower(p + 1);
    }
}

/* espeak-ng's list of voices, copied. */
static struct langs_raw *langs_read(size_t *n)
{
    struct langs_raw *raw = NULL;
    size_t cap = 0;
    *n = 0;
    espeak_ng_InitializePath(NULL); /* the data folder: $ESPEAK_DATA_PATH, else built in */
    const espeak_VOICE **list = espeak_ListVoices(NULL);
    for (size_t i = 0; list && list[i]; i++)
        langs_raw_add(&raw, n, &cap, list[i]->identifier, list[i]->name, list[i]->languages);
    return raw;
}

static bool langs_tag_taken(const struct langs_raw *raw, size_t n, const char *tag)
{
    for (size_t i = 0; i < n; i++)
        if (raw[i].tag && !strcmp(raw[i].tag, tag))
            return true;
    return false;
}

/*
 * A bare base language no voice is called by ("fr": espeak-ng has fr-fr,
 * fr-be, fr-ch) goes to the voice that lists it with the best priority,
 * else to the first voice of that base by identifier.
 */
static void langs_collapse(struct langs_raw *raw, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *dash = strchr(raw[i].tag, '-');
        if (!dash)
            continue;
        char *b = xstrndup(raw[i].tag, (size_t)(dash - raw[i].tag));
        if (langs_tag_taken(raw, n, b)) {
            free(b);
            continue;
        }
        size_t best = n, first = n;
        int bestprio = 1000;
        size_t blen = strlen(b);
        for (size_t k = 0; k < n; k++) {
            if (first == n && !strncmp(raw[k].tag, b, blen) && raw[k].tag[blen] == '-')
                first = k;
            for (size_t t = 0; t < raw[k].ntags; t++)
                if (!strcmp(raw[k].tags[t], b) && raw[k].prio[t] < bestprio &&
                    strchr(raw[k].tag, '-')) {
                    best = k;
                    bestprio = raw[k].prio[t];
                }
        }
        size_t to = best < n ? best : first;
        free(raw[to].tag);
        raw[to].tag = b;
    }
}

static void langs_choose_tags(struct langs_raw *raw, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* The shipped profiles' voices keep the bare tags users write. */
        const char *want = !strcmp(raw[i].base, "cmn-latn-pinyin") ? "zh"
                           : !strcmp(raw[i].base, "en-us")         ? "en"
                                                                   : raw[i].tags[0];
        raw[i].tag = xstrdup(want);
    }
    /* Two voices of one tag (yue, and yue with Jyutping input): the later
     * by identifier is called by its file name. */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (!strcmp(raw[i].tag, raw[k].tag)) {
                free(raw[i].tag);
                raw[i].tag = xstrdup(raw[i].base);
                break;
            }
    langs_collapse(raw, n);
}

static const char *langs_partial_for(const char *tag)
{
    for (size_t i = 0; i < sizeof(langs_partial) / sizeof(langs_partial[0]); i++)
        if (!strcmp(langs_partial[i].tag, tag))
            return langs_partial[i].why;
    return NULL;
}

/* Makes the table from raw (n voices, in any order), taking its strings. */
static void langs_build(struct langs_raw *raw, size_t n)
{
    langs.loaded = true;
    if (n)
        qsort(raw, n, sizeof(*raw), langs_raw_cmp);
    langs_choose_tags(raw, n);
    langs.e = xcalloc(n ? n : 1, sizeof(*langs.e));
    langs.n = n;
    for (size_t i = 0; i < n; i++) {
        struct lang_info *e = &langs.e[i];
        e->tag = raw[i].tag;
        e->voice = raw[i].base;
        e->name = raw[i].name;
        e->partial = langs_partial_for(e->tag);
    }
    qsort(langs.e, n, sizeof(*langs.e), langs_info_cmp);
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        while (strcmp(langs.e[at].voice, raw[i].base))
            at++;
        for (size_t t = 0; t < raw[i].ntags; t++) {
            XGROW(langs.alt, cap, langs.nalt + 1);
            langs.alt[langs.nalt++] = (struct langs_alt){raw[i].tags[t], raw[i].prio[t], at};
        }
        free(raw[i].ident);
        free(raw[i].prio);
    }
    if (langs.nalt)
        qsort(langs.alt, langs.nalt, sizeof(*langs.alt), langs_alt_cmp);
    /* The tags, bases, names and language tags now belong to the table;
     * the per-voice arrays are not needed any more. */
    for (size_t i = 0; i < n; i++)
        free(raw[i].tags);
    free(raw);
}

static void langs_load(void)
{
    if (langs.loaded)
        return;
    size_t n;
    struct langs_raw *raw = langs_read(&n);
    langs_build(raw, n);
}

static void langs_free(void)
{
    for (size_t i = 0; i < langs.n; i++) {
        free((char *)langs.e[i].tag);
        free((char *)langs.e[i].voice);
        free((char *)langs.e[i].name);
    }
    for (size_t i = 0; i < langs.nalt; i++)
        free((char *)langs.alt[i].tag);
    free(langs.e);
    free(langs.alt);
    memset(&langs, 0, sizeof(langs));
}

void langs_load_from(const struct langs_source *src, size_t n)
{
    langs_free();
    if (!src)
        return; /* the next lookup reads espeak-ng's list again */
    struct langs_raw *raw = NULL;
    size_t nraw = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        langs_raw_add(&raw, &nraw, &cap, src[i].identifier, src[i].name, src[i].languages);
    langs_build(raw, nraw);
}

const struct lang_info *langs_exact(const char *tag)
{
    langs_load();
    if (!langs.n)
        return NULL;
    struct lang_info key = {.tag = tag};
    return bsearch(&key, langs.e, langs.n, sizeof(*langs.e), langs_info_cmp);
}

static const struct lang_info *langs_by_voice(const char *id)
{
    for (size_t i = 0; i < langs.n; i++)
        if (!strcmp(langs.e[i].voice, id))
            return &langs.e[i];
    return NULL;
}

static const struct lang_info *langs_by_alt(const char *tag)
{
    /* The sorted list puts a tag's best priority first. */
    for (size_t i = 0; i < langs.nalt; i++)
        if (!strcmp(langs.alt[i].tag, tag))
            return &langs.e[langs.alt[i].entry];
    return NULL;
}

/* `lang: German`: an entry's English name, without what its brackets say;
 * of several (Spanish, Spanish (Latin America)) the shortest tag. */
static const struct lang_info *langs_by_name(const char *t)
{
    const struct lang_info *best = NULL;
    size_t tlen = strlen(t);
    for (size_t i = 0; i < langs.n; i++) {
        const char *name = langs.e[i].name;
        size_t len = strcspn(name, "(");
        while (len && name[len - 1] == ' ')
            len--;
        if (len != tlen || strncasecmp(name, t, len))
            continue;
        if (!best || strlen(langs.e[i].tag) < strlen(best->tag))
            best = &langs.e[i];
    }
    return best;
}

/* Old and macro-language codes to the tags espeak-ng's voices use. */
static const char *langs_alias(const char *t)
{
    static const char *const pairs[][2] = {
        {"iw", "he"}, {"in", "id"}, {"mo", "ro"}, {"zh-yue", "yue"}, {"cmn", "zh"},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        size_t len = strlen(pairs[i][0]);
        if (!strncmp(t, pairs[i][0], len) && (t[len] == '\0' || t[len] == '-'))
            return pairs[i][1];
    }
    /* Chinese is read in Mandarin, or in Cantonese for zh-HK (docs/voices.md). */
    if (!strncmp(t, "zh", 2) && (t[2] == '\0' || t[2] == '-'))
        return zhvariety_of_tag(t);
    return NULL;
}

static bool langs_tag_ok(const char *tag)
{
    size_t len = strlen(tag);
    if (len == 0 || len > LANGS_TAG_MAX)
        return false;
    for (const char *p = tag; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

const struct lang_info *langs_find(const char *tag)
{
    if (!tag || !langs_tag_ok(tag))
        return NULL;
    langs_load();
    char *t = langs_lower(tag);
    const char *alias = langs_alias(t);
    if (alias) {
        free(t);
        t = xstrdup(alias);
    }
    const struct lang_info *e = NULL;
    for (;;) {
        if ((e = langs_exact(t)) || (e = langs_by_voice(t)) || (e = langs_by_alt(t)))
            break;
        char *dash = strrchr(t, '-');
        if (!dash)
            break;
        *dash = '\0'; /* de-AT -> de */
    }
    if (!e)
        e = langs_by_name(tag);
    free(t);
    return e;
}

const struct lang_info *langs_find_partial(const char *tag)
{
    if (!tag || !langs_tag_ok(tag))
        return NULL;
    size_t base = strcspn(tag, "-_");
    bool maybe = false;
    for (size_t i = 0; !maybe && i < sizeof(langs_partial) / sizeof(langs_partial[0]); i++)
        maybe = strlen(langs_partial[i].tag) >= base &&
                !strncasecmp(langs_partial[i].tag, tag, base) &&
                (langs_partial[i].tag[base] == '\0' || langs_partial[i].tag[base] == '-');
    if (!maybe)
        return NULL;
    const struct lang_info *e = langs_find(tag);
    return e && e->partial ? e : NULL;
}

const char *langs_voice(const char *tag)
{
    const struct lang_info *e = langs_find(tag);
    return e ? e->voice : NULL;
}

size_t langs_count(void)
{
    langs_load();
    return langs.n;
}

const struct lang_info *langs_get(size_t i)
{
    langs_load();
    return i < langs.n ? &langs.e[i] : NULL;
}
