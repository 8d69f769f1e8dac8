/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tags for a render (contract in publish.h). The comment discloses that the
 * voices are synthetic, naming the engine and the voice profiles, because
 * listeners and platforms expect AI voices to be declared; it is in every
 * format that has a comment field (docs/outputs.md).
 */
#include "cli/publish.h"
#include "cli/pipeline.h"
#include "synth/engine.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

static char *publish_artist(const struct plan *p)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < p->nspeakers; i++) {
        if (!strcmp(p->speakers[i].source, "narrator"))
            continue;
        if (sb.len)
            strbuf_adds(&sb, ", ");
        strbuf_adds(&sb, p->speakers[i].name);
    }
    return sb.len ? strbuf_detach(&sb) : NULL;
}

static char *publish_comment(const struct pipeline *pl)
{
    const struct plan *p = &pl->plan;
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "Synthetic voices (AI): ");
    if (pl->engine)
        strbuf_addf(&sb, "%s %s", engine_name(pl->engine), engine_version(pl->engine));
    else
        strbuf_adds(&sb, "espeak-ng");
    strbuf_adds(&sb, "; profiles ");
    size_t listed = 0;
    for (size_t i = 0; i < p->nspeakers; i++) {
        const struct voice *v = p->speakers[i].voice;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = p->speakers[k].voice == v;
        if (seen || !v)
            continue;
        strbuf_addf(&sb, "%s%s", listed++ ? ", " : "", v->name);
    }
    strbuf_addf(&sb, ". Made with scriptcast %s.", SCRIPTCAST_VERSION);
    return strbuf_detach(&sb);
}

int publish_tags_build(struct publish_tags *t, const struct pipeline *pl, enum audio_format fmt,
                       const char *cover_path, struct diags *d)
{
    memset(t, 0, sizeof(*t));
    const struct script_meta *sm = &pl->script.meta;
    t->artist = publish_artist(&pl->plan);
    t->comment = publish_comment(pl);
    struct audio_meta *m = &t->meta;
    m->title = pl->plan.title;
    m->artist = t->artist;
    m->comment = t->comment;
    m->album = sm->album;
    m->date = sm->date;
    m->genre = sm->genre ? sm->genre : fmt == AUDIO_M4B ? "Audiobook" : "Podcast";
    m->description = sm->description;
    m->language = pl->script.lang;
    m->track = sm->track;
    const struct script_cover *c = &sm->cover;
    if (cover_path) {
        if (pubmeta_cover_load(&t->cover, cover_path, NULL, 0, 0, NULL, d) != 0)
            return -1;
        c = &t->cover;
    }
    if (c->bytes) {
        m->cover = c->bytes;
        m->cover_len = c->len;
        m->cover_mime = c->mime;
        m->cover_width = c->width;
        m->cover_height = c->height;
    }
    return 0;
}

void publish_tags_release(struct publish_tags *t)
{
    free(t->artist);
    free(t->comment);
    free(t->cover.bytes);
    memset(t, 0, sizeof(*t));
}
