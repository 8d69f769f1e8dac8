/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Speaker to voice-profile mapping (contract in cast.h). The pool keeps one
 * forward-only cursor per gender class and a rotation for sharing, so that
 * every speaker costs constant time however many there are: a transcript
 * with a million labelled speakers is cast in one pass.
 */
#include "cast/cast.h"
#include "cast/derive.h"
#include "cast/gender.h"
#include "cast/voice.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Pool assignments reported one by one; the rest are counted in one line
 * (a transcript of 100k unknown labels must not print 100k warnings). */
#define CAST_REPORT_MAX 20

const char *cast_source_name(enum cast_source src)
{
    switch (src) {
    case CAST_SOURCE_CAST:
        return "cast";
    case CAST_SOURCE_DECLARED:
        return "declared";
    case CAST_SOURCE_UNDECLARED:
        return "undeclared";
    case CAST_SOURCE_NARRATOR:
        return "narrator";
    }
    return "?";
}

const char *cast_voice_from_name(enum cast_voice_from from)
{
    switch (from) {
    case CAST_VOICE_CAST:
        return "cast";
    case CAST_VOICE_POOL:
        return "pool";
    case CAST_VOICE_SHARED:
        return "shared";
    case CAST_VOICE_NARRATOR:
        return "narrator";
    }
    return "?";
}

const char *cast_gender_from_name(enum cast_gender_from from)
{
    switch (from) {
    case CAST_GENDER_CAST:
        return "cast";
    case CAST_GENDER_FRONT_MATTER:
        return "front-matter";
    case CAST_GENDER_HONORIFIC:
        return "honorific";
    case CAST_GENDER_NAME_TABLE:
        return "name-table";
    case CAST_GENDER_NAME_ENDING:
        return "name-ending";
    case CAST_GENDER_NONE:
        break;
    }
    return NULL;
}

const struct cast_role *cast_role(const struct cast *c, int i)
{
    if (i < 0 || (size_t)i >= c->npeople)
        return &c->narrator;
    return &c->people[i];
}

void cast_release(struct cast *c)
{
    free(c->people);
    memset(c, 0, sizeof(*c));
}

/* "known: a, b, c" for an unknown-profile message. */
static void cast_known_list(struct strbuf *sb, const struct voicebook *vb)
{
    strbuf_adds(sb, "known profiles: ");
    for (size_t i = 0; i < vb->n; i++) {
        if (i)
            strbuf_adds(sb, ", ");
        strbuf_adds(sb, vb->v[i].name);
    }
}

static void cast_unknown(const struct voicebook *vb, const char *name, const char *file, int line,
                         int col, const char *src, struct diags *d)
{
    struct strbuf known = STRBUF_INIT;
    cast_known_list(&known, vb);
    diag_add(d, DIAG_ERROR, file, line, col, src, "unknown voice profile \"%s\" (%s)", name,
             known.buf);
    strbuf_release(&known);
}

/* Position of a pool profile: LANG-male-1, LANG-female-1, LANG-male-2...,
 * then any other profile of the language by name. */
static long cast_pool_rank(const struct voice *v)
{
    const char *dash = strrchr(v->name, '-');
    long num = dash ? strtol(dash + 1, NULL, 10) : 0;
    bool male = strstr(v->name, "-male-") != NULL;
    bool female = strstr(v->name, "-female-") != NULL;
    if (num > 0 && num < 100000 && (male || female))
        return num * 2 + (female ? 1 : 0);
    return 1000000;
}

static int cast_pool_cmp(const void *a, const void *b)
{
    const struct voice *va = *(const struct voice *const *)a;
    const struct voice *vb = *(const struct voice *const *)b;
    long ra = cast_pool_rank(va), rb = cast_pool_rank(vb);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(va->name, vb->name);
}

static bool cast_is_narrator_profile(const struct voice *v)
{
    size_t n = strlen(v->name);
    return n >= 9 && !strcmp(v->name + n - 9, "-narrator");
}

static int cast_narrator(struct cast *c, const struct script *s, const struct voicebook *vb,
                         struct diags *d)
{
    c->narrator.name = "Narrator";
    c->narrator.source = CAST_SOURCE_NARRATOR;
    c->narrator.voice_from = CAST_VOICE_NARRATOR;
    const struct config *cfg = &s->config;
    if (cfg->narrator) {
        c->narrator.voice = voice_find(vb, cfg->narrator);
        if (!c->narrator.voice) {
            const char *src = cfg->narrator_file && !strcmp(cfg->narrator_file, s->file)
                                  ? script_line(s, cfg->narrator_line)
                                  : NULL;
            cast_unknown(vb, cfg->narrator, cfg->narrator_file, cfg->narrator_line,
                         cfg->narrator_col, src, d);
            return -1;
        }
        return 0;
    }
    const char *lang = derive_pool_lang(vb, s->lang);
    struct strbuf name = STRBUF_INIT;
    strbuf_addf(&name, "%s-narrator", lang);
    c->narrator.voice = voice_find(vb, name.buf);
    for (size_t i = 0; !c->narrator.voice && i < vb->n; i++)
        if (!strcmp(vb->v[i].lang, lang))
            c->narrator.voice = &vb->v[i];
    if (!c->narrator.voice) {
        diag_add(d, DIAG_ERROR, s->file, 1, 1, NULL,
                 "no voice profile for language \"%s\": add %s.yaml to a voices folder", s->lang,
                 name.buf);
        strbuf_release(&name);
        return -1;
    }
    strbuf_release(&name);
    return 0;
}

/* Who the person is, and what (if anything) says their gender. */
static void cast_describe(struct cast_role *r, const struct script_person *p)
{
    r->name = p->name;
    r->source = p->cast                     ? CAST_SOURCE_CAST
                : p->origin == PERSON_LABEL ? CAST_SOURCE_UNDECLARED
                                            : CAST_SOURCE_DECLARED;
    if (p->cast && p->cast->gender != GENDER_UNKNOWN) {
        r->gender = p->cast->gender;
        r->gender_from = CAST_GENDER_CAST;
        return;
    }
    if (p->gender != GENDER_UNKNOWN) {
        r->gender = p->gender;
        r->gender_from = CAST_GENDER_FRONT_MATTER;
        return;
    }
    enum person_gender g = gender_from_honorific(p->name);
    for (size_t a = 0; g == GENDER_UNKNOWN && a < p->naliases; a++)
        g = gender_from_honorific(p->aliases[a]);
    if (g != GENDER_UNKNOWN) {
        r->gender = g;
        r->gender_from = CAST_GENDER_HONORIFIC;
        return;
    }
    g = gender_from_given_name(p->name);
    for (size_t a = 0; g == GENDER_UNKNOWN && a < p->naliases; a++)
        g = gender_from_given_name(p->aliases[a]);
    if (g != GENDER_UNKNOWN) {
        r->gender = g;
        r->gender_from = CAST_GENDER_NAME_TABLE;
        return;
    }
    g = gender_from_russian_name(p->name);
    for (size_t a = 0; g == GENDER_UNKNOWN && a < p->naliases; a++)
        g = gender_from_russian_name(p->aliases[a]);
    if (g != GENDER_UNKNOWN) {
        r->gender = g;
        r->gender_from = CAST_GENDER_NAME_ENDING;
    }
}

/*
 * The pool of the document's language, in pool order, split into classes:
 * [GENDER_UNKNOWN] every profile, [GENDER_FEMALE] and [GENDER_MALE] those of
 * that gender. Cursors only move forward over used profiles, and a profile
 * once used stays used, so finding the next free one is amortized O(1).
 */
struct cast_pool {
    const struct voicebook *vb;
    bool *used; /* by voicebook index */
    const struct voice **cls[3];
    size_t ncls[3], cursor[3], turn[3];
    const struct voice *avoid; /* the first speaker's voice: shared last */
};

static void cast_pool_init(struct cast_pool *pl, const struct voicebook *vb, const char *lang,
                           const struct voice *narrator)
{
    memset(pl, 0, sizeof(*pl));
    pl->vb = vb;
    pl->used = xcalloc(vb->n ? vb->n : 1, sizeof(bool));
    for (int k = 0; k < 3; k++)
        pl->cls[k] = xcalloc(vb->n ? vb->n : 1, sizeof(*pl->cls[k]));
    const struct voice **all = pl->cls[GENDER_UNKNOWN];
    size_t n = 0;
    for (size_t i = 0; i < vb->n; i++)
        if (!strcmp(vb->v[i].lang, lang) && !cast_is_narrator_profile(&vb->v[i]) &&
            &vb->v[i] != narrator)
            all[n++] = &vb->v[i];
    qsort(all, n, sizeof(*all), cast_pool_cmp);
    pl->ncls[GENDER_UNKNOWN] = n;
    for (size_t i = 0; i < n; i++) {
        const char *g = voice_gender(all[i]);
        int k = !g ? -1 : !strcmp(g, "female") ? GENDER_FEMALE : GENDER_MALE;
        if (k > 0)
            pl->cls[k][pl->ncls[k]++] = all[i];
    }
}

static void cast_pool_release(struct cast_pool *pl)
{
    free(pl->used);
    for (int k = 0; k < 3; k++)
        free(pl->cls[k]);
}

static void cast_pool_mark(struct cast_pool *pl, const struct voice *v)
{
    pl->used[v - pl->vb->v] = true;
}

/* The first profile of class k no one has, or NULL. */
static const struct voice *cast_pool_free(struct cast_pool *pl, int k)
{
    while (pl->cursor[k] < pl->ncls[k] && pl->used[pl->cls[k][pl->cursor[k]] - pl->vb->v])
        pl->cursor[k]++;
    return pl->cursor[k] < pl->ncls[k] ? pl->cls[k][pl->cursor[k]] : NULL;
}

/* A profile of class k (any, if k has none) to share, in rotation, the
 * first speaker's only when there is no other. */
static const struct voice *cast_pool_share(struct cast_pool *pl, int k)
{
    if (!pl->ncls[k])
        k = GENDER_UNKNOWN;
    size_t n = pl->ncls[k];
    if (!n)
        return NULL;
    const struct voice *v = pl->cls[k][pl->turn[k]++ % n];
    if (v == pl->avoid && n > 1)
        v = pl->cls[k][pl->turn[k]++ % n];
    return v;
}

struct cast_report {
    size_t shown[DIAG_SYSTEM + 1];
    size_t hidden[DIAG_SYSTEM + 1];
};

static void cast_report_pool(struct cast_report *rep, const struct script *s,
                             const struct script_block *blk, const struct cast_role *r, bool strict,
                             bool fallback, struct diags *d)
{
    bool undeclared = r->source == CAST_SOURCE_UNDECLARED;
    bool shared = r->voice_from == CAST_VOICE_SHARED;
    enum diag_level level = strict && undeclared   ? DIAG_ERROR
                            : undeclared || shared ? DIAG_WARNING
                                                   : DIAG_NOTE;
    if (rep->shown[level] >= CAST_REPORT_MAX) {
        rep->hidden[level]++;
        return;
    }
    rep->shown[level]++;
    struct strbuf why = STRBUF_INIT;
    const char *g = config_gender_name(r->gender);
    if (g)
        strbuf_addf(&why, " (%s: %s%s)", g, cast_gender_from_name(r->gender_from),
                    fallback ? "; no such voice left" : "");
    if (shared)
        strbuf_adds(&why, " (more speakers than voices: shared)");
    diag_add(d, level, s->file, blk->line, blk->col, script_line(s, blk->line),
             "speaker \"%s\" %s; using %s%s", r->name,
             undeclared ? "is not declared and has no voice" : "has no voice", r->voice->name,
             why.buf);
    strbuf_release(&why);
}

static void cast_report_hidden(const struct cast_report *rep, const struct script *s,
                               struct diags *d)
{
    for (int level = DIAG_NOTE; level <= DIAG_ERROR; level++)
        if (rep->hidden[level])
            diag_add(d, (enum diag_level)level, s->file, 0, 0, NULL,
                     "%zu more speakers took pool voices (not listed)", rep->hidden[level]);
}

/* Gives speaker r (first heard in blk) a pool voice. */
static void cast_from_pool(struct cast_pool *pl, struct cast_role *r, bool *fallback)
{
    int k = r->gender;
    const struct voice *v = cast_pool_free(pl, k);
    *fallback = false;
    if (!v && k != GENDER_UNKNOWN) {
        /* Distinct voices first: a voice of the other gender beats sharing. */
        v = cast_pool_free(pl, GENDER_UNKNOWN);
        *fallback = v != NULL;
    }
    r->voice_from = CAST_VOICE_POOL;
    if (!v) {
        v = cast_pool_share(pl, k);
        r->voice_from = CAST_VOICE_SHARED;
    }
    r->voice = v;
    if (v)
        cast_pool_mark(pl, v);
}

int cast_assign(struct cast *c, const struct script *s, const struct voicebook *vb, bool strict,
                struct diags *d)
{
    memset(c, 0, sizeof(*c));
    size_t errors = d->errors;
    cast_narrator(c, s, vb, d);
    c->npeople = s->npeople;
    c->people = xcalloc(s->npeople ? s->npeople : 1, sizeof(*c->people));

    /* Explicit mappings first, so the pool can skip the profiles they use. */
    struct cast_pool pool;
    cast_pool_init(&pool, vb, derive_pool_lang(vb, s->lang), c->narrator.voice);
    for (size_t i = 0; i < s->npeople; i++) {
        const struct script_person *p = &s->people[i];
        cast_describe(&c->people[i], p);
        if (!p->cast || !p->cast->voice)
            continue;
        const struct voice *v = voice_find(vb, p->cast->voice);
        if (!v) {
            const char *src = p->cast->source;
            cast_unknown(vb, p->cast->voice, p->cast->file, p->cast->line, p->cast->col, src, d);
            continue;
        }
        c->people[i].voice = v;
        c->people[i].voice_from = CAST_VOICE_CAST;
        cast_pool_mark(&pool, v);
    }

    /* Speakers in order of first appearance. */
    struct cast_report rep = {{0}, {0}};
    bool first = true;
    for (size_t b = 0; b < s->nblocks; b++) {
        int who = s->blocks[b].speaker;
        if (s->blocks[b].kind != SCRIPT_SPEECH || who < 0 || s->people[who].first_block != (int)b)
            continue;
        struct cast_role *r = &c->people[who];
        const struct script_person *p = &s->people[who];
        if (!r->voice && !(p->cast && p->cast->voice)) {
            bool fallback;
            cast_from_pool(&pool, r, &fallback);
            if (!r->voice) {
                r->voice = c->narrator.voice; /* no pool at all for this language */
                r->voice_from = CAST_VOICE_NARRATOR;
            }
            if (r->voice)
                cast_report_pool(&rep, s, &s->blocks[b], r, strict, fallback, d);
        }
        if (first && r->voice) {
            pool.avoid = r->voice;
            first = false;
        }
    }
    cast_report_hidden(&rep, s, d);
    cast_pool_release(&pool);
    return d->errors > errors ? -1 : 0;
}
