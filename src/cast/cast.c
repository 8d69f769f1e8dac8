/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Speaker to voice-profile mapping (contract in cast.h).
 */
#include "cast/cast.h"
#include "cast/voice.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *cast_source_name(enum cast_source src)
{
    switch (src) {
    case CAST_SOURCE_CAST:
        return "cast";
    case CAST_SOURCE_POOL:
        return "pool";
    case CAST_SOURCE_NARRATOR:
        return "narrator";
    }
    return "?";
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
    if (num > 0 && (male || female))
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
    struct strbuf name = STRBUF_INIT;
    strbuf_addf(&name, "%s-narrator", s->lang);
    c->narrator.voice = voice_find(vb, name.buf);
    for (size_t i = 0; !c->narrator.voice && i < vb->n; i++)
        if (!strcmp(vb->v[i].lang, s->lang))
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

int cast_assign(struct cast *c, const struct script *s, const struct voicebook *vb, bool strict,
                struct diags *d)
{
    memset(c, 0, sizeof(*c));
    size_t errors = d->errors;
    cast_narrator(c, s, vb, d);
    c->npeople = s->npeople;
    c->people = xcalloc(s->npeople ? s->npeople : 1, sizeof(*c->people));

    /* Explicit mappings first, so the pool can skip the profiles they use. */
    bool *used = xcalloc(vb->n ? vb->n : 1, sizeof(bool));
    for (size_t i = 0; i < s->npeople; i++) {
        const struct script_person *p = &s->people[i];
        c->people[i].name = p->name;
        if (!p->cast)
            continue;
        const struct voice *v = voice_find(vb, p->cast->voice);
        if (!v) {
            const char *src = p->cast->source;
            cast_unknown(vb, p->cast->voice, p->cast->file, p->cast->line, p->cast->col, src, d);
            continue;
        }
        c->people[i].voice = v;
        c->people[i].source = CAST_SOURCE_CAST;
        used[v - vb->v] = true;
    }

    const struct voice **pool = xcalloc(vb->n ? vb->n : 1, sizeof(*pool));
    size_t npool = 0;
    for (size_t i = 0; i < vb->n; i++)
        if (!strcmp(vb->v[i].lang, s->lang) && !cast_is_narrator_profile(&vb->v[i]))
            pool[npool++] = &vb->v[i];
    qsort(pool, npool, sizeof(*pool), cast_pool_cmp);

    /* Speakers in order of first appearance. */
    size_t next = 0;
    for (size_t b = 0; b < s->nblocks; b++) {
        int who = s->blocks[b].speaker;
        if (s->blocks[b].kind != SCRIPT_SPEECH || who < 0 || c->people[who].voice ||
            s->people[who].first_block != (int)b)
            continue;
        const struct script_person *p = &s->people[who];
        if (p->cast)
            continue; /* an unknown profile, already reported */
        const struct voice *v = NULL;
        for (size_t k = 0; k < npool && !v; k++, next++)
            if (!used[pool[next % npool] - vb->v])
                v = pool[next % npool];
        bool reused = false;
        if (!v && npool) {
            v = pool[next++ % npool];
            reused = true;
        }
        if (!v)
            v = c->narrator.voice;
        if (!v)
            continue;
        used[v - vb->v] = true;
        c->people[who].voice = v;
        c->people[who].source = CAST_SOURCE_POOL;
        enum diag_level level = strict                                ? DIAG_ERROR
                                : p->origin == PERSON_LABEL || reused ? DIAG_WARNING
                                                                      : DIAG_NOTE;
        const struct script_block *blk = &s->blocks[b];
        diag_add(d, level, s->file, blk->line, blk->col, script_line(s, blk->line),
                 "speaker \"%s\" %s; using %s%s", p->name,
                 p->origin == PERSON_LABEL ? "is not declared and has no voice" : "has no voice",
                 v->name, reused ? " (more speakers than voices: shared)" : "");
    }
    free(pool);
    free(used);
    return d->errors > errors ? -1 : 0;
}
