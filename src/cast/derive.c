/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Derived voice profiles (contract in derive.h). The slot table is the
 * shipped English set's: its variants, pitches and rates were chosen and
 * measured to sound distinct (docs/voices.md gives their median F0), and
 * espeak-ng's variants change formants and pitch the same way in every
 * language. Only espeak-ng's standard variants are used (m1-m8, f1-f5 and
 * Annie), none of its novelty voices (whisper, robots, croak).
 */
#include "cast/derive.h"
#include "cast/langs.h"
#include "cast/voice.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const struct derive_slot {
    const char *suffix;
    const char *variant;
    int rate, pitch, range;
    const char *gender; /* NULL: the narrator, for anyone */
} derive_slots[DERIVE_SLOTS] = {
    {"narrator", "m4", 165, 48, 40, NULL},        {"male-1", "m5", 175, 50, 55, "male"},
    {"male-2", "m1", 160, 25, 45, "male"},        {"male-3", "m8", 190, 80, 65, "male"},
    {"male-4", "m3", 170, 30, 45, "male"},        {"male-5", "m7", 150, 60, 60, "male"},
    {"male-6", "m6", 185, 68, 50, "male"},        {"female-1", "f1", 175, 60, 50, "female"},
    {"female-2", "f2", 165, 30, 45, "female"},    {"female-3", "f5", 190, 70, 65, "female"},
    {"female-4", "f3", 200, 40, 55, "female"},    {"female-5", "f4", 185, 85, 60, "female"},
    {"female-6", "Annie", 160, 55, 45, "female"},
};

const char *derive_slot_name(size_t slot)
{
    return slot < DERIVE_SLOTS ? derive_slots[slot].suffix : NULL;
}

const char *derive_latin_voice(const char *tag)
{
    bool english = !strncmp(tag, "en", 2) && (tag[2] == '\0' || tag[2] == '-');
    return english ? NULL : "en-us";
}

void derive_profile(struct voice *v, const struct lang_info *l, size_t slot)
{
    const struct derive_slot *s = &derive_slots[slot < DERIVE_SLOTS ? slot : 0];
    struct strbuf name = STRBUF_INIT;
    strbuf_addf(&name, "%s-%s", l->tag, s->suffix);
    memset(v, 0, sizeof(*v));
    v->name = strbuf_detach(&name);
    v->lang = xstrdup(l->tag);
    v->engine = xstrdup("espeak-ng");
    v->voice = xstrdup(l->voice);
    v->variant = xstrdup(s->variant);
    v->rate = s->rate;
    v->pitch = s->pitch;
    v->range = s->range;
    v->volume = VOICE_VOLUME_DEFAULT;
    const char *latin = derive_latin_voice(l->tag);
    v->latin_voice = latin ? xstrdup(latin) : NULL;
    v->gender = s->gender ? xstrdup(s->gender) : NULL;
    v->derived = true;
}

static int derive_cmp(const void *a, const void *b)
{
    return strcmp(((const struct voice *)a)->name, ((const struct voice *)b)->name);
}

/* The name of slot i of language tag, in buf. */
static void derive_name(struct strbuf *buf, const char *tag, size_t slot)
{
    strbuf_reset(buf);
    strbuf_addf(buf, "%s-%s", tag, derive_slots[slot].suffix);
}

/* Appends the missing profiles of l, unsorted; returns how many. */
static size_t derive_append(struct voicebook *vb, const struct lang_info *l, size_t nsorted)
{
    struct strbuf name = STRBUF_INIT;
    size_t added = 0;
    for (size_t i = 0; i < DERIVE_SLOTS; i++) {
        derive_name(&name, l->tag, i);
        /* Only the sorted part can hold it: one language's names are distinct. */
        struct voicebook sorted = {vb->v, nsorted};
        if (voice_find(&sorted, name.buf))
            continue;
        vb->v = xrealloc(vb->v, (vb->n + 1) * sizeof(*vb->v));
        derive_profile(&vb->v[vb->n++], l, i);
        added++;
    }
    strbuf_release(&name);
    return added;
}

size_t derive_add(struct voicebook *vb, const struct lang_info *l)
{
    size_t added = derive_append(vb, l, vb->n);
    if (added)
        qsort(vb->v, vb->n, sizeof(*vb->v), derive_cmp);
    return added;
}

size_t derive_add_all(struct voicebook *vb)
{
    size_t nsorted = vb->n, added = 0;
    for (size_t i = 0; i < langs_count(); i++)
        added += derive_append(vb, langs_get(i), nsorted);
    if (added)
        qsort(vb->v, vb->n, sizeof(*vb->v), derive_cmp);
    return added;
}

/* The slot whose suffix ends name after a '-', or DERIVE_SLOTS. */
static size_t derive_slot_of(const char *name, size_t *prefix)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < DERIVE_SLOTS; i++) {
        size_t sl = strlen(derive_slots[i].suffix);
        if (len > sl + 1 && name[len - sl - 1] == '-' &&
            !strcmp(name + len - sl, derive_slots[i].suffix)) {
            *prefix = len - sl - 1;
            return i;
        }
    }
    return DERIVE_SLOTS;
}

const struct lang_info *derive_lang_of(const char *name)
{
    size_t prefix;
    if (derive_slot_of(name, &prefix) == DERIVE_SLOTS)
        return NULL;
    char *tag = xstrndup(name, prefix);
    const struct lang_info *l = langs_exact(tag);
    free(tag);
    return l;
}

static bool derive_book_speaks(const struct voicebook *vb, const char *tag)
{
    for (size_t i = 0; i < vb->n; i++)
        if (!strcmp(vb->v[i].lang, tag))
            return true;
    return false;
}

const char *derive_pool_lang(const struct voicebook *vb, const char *tag)
{
    if (derive_book_speaks(vb, tag))
        return tag;
    const struct lang_info *l = langs_find(tag);
    return l ? l->tag : tag;
}

/* True when vb has every derived name of tag: then nothing is derived. */
static bool derive_complete(const struct voicebook *vb, const char *tag)
{
    struct strbuf name = STRBUF_INIT;
    bool all = true;
    for (size_t i = 0; all && i < DERIVE_SLOTS; i++) {
        derive_name(&name, tag, i);
        all = voice_find(vb, name.buf) != NULL;
    }
    strbuf_release(&name);
    return all;
}

/* Derives the language of a profile name the transcript uses, if it is a
 * derived name no file gives. */
static void derive_named(struct voicebook *vb, const char *name)
{
    if (!name || voice_find(vb, name))
        return;
    const struct lang_info *l = derive_lang_of(name);
    if (l)
        derive_add(vb, l);
}

void derive_no_voice(struct diags *d, const char *file, int line, int col, const char *source,
                     const char *tag)
{
    diag_add(d, DIAG_ERROR, file, line, col, source,
             "espeak-ng has no voice for language \"%s\" and no voice profile speaks it; to add "
             "one, write %s-narrator.yaml, %s-male-1.yaml, %s-female-1.yaml, ... in ./voices or "
             "a --voices DIR with the keys name, lang: %s and voice: an espeak-ng voice id "
             "(optional: variant, rate, pitch, range, latin-voice, gender; see docs/voices.md). "
             "`scriptcast voices` lists the languages espeak-ng has",
             tag, tag, tag, tag, tag);
}

int derive_for_script(struct voicebook *vb, const struct script *s, struct diags *d)
{
    const char *lang = s->lang ? s->lang : "en";
    const struct lang_info *l = NULL;
    if (!derive_complete(vb, lang)) {
        l = langs_find(lang);
        if (l) {
            derive_add(vb, l);
        } else if (!derive_book_speaks(vb, lang)) {
            derive_no_voice(d, s->file, s->lang_line, s->lang_col, script_line(s, s->lang_line),
                            lang);
            return -1;
        }
    } else {
        l = langs_find_partial(lang); /* profiles of its own, espeak-ng's reading still */
    }
    if (l && l->partial)
        diag_add(d, DIAG_WARNING, s->file, s->lang_line, s->lang_col, script_line(s, s->lang_line),
                 "language \"%s\" (%s): espeak-ng speaks it only partly: %s", lang, l->name,
                 l->partial);
    derive_named(vb, s->config.narrator);
    for (size_t i = 0; i < s->config.ncast; i++)
        derive_named(vb, s->config.cast[i].voice);
    return 0;
}
