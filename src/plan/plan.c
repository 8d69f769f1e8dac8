/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Building the plan from script and cast: chapters by the chapter-level
 * rule (with an opening chapter when speech precedes the first heading),
 * announcements, speech segments split into runs, pauses, and the
 * --section filter (contract in plan.h).
 */
#include "plan/plan.h"
#include "cast/cast.h"
#include "cast/voice.h"
#include "plan/runs.h"
#include "plan/section.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/utf8.h"
#include "util/writing.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *plan_kind_name(enum plan_kind k)
{
    switch (k) {
    case PLAN_TITLE:
        return "title";
    case PLAN_HEADING:
        return "heading";
    case PLAN_SPEECH:
        return "speech";
    }
    return "?";
}

void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->nsegments; i++)
        free(p->segments[i].text);
    free(p->segments);
    for (size_t i = 0; i < p->nchapters; i++)
        free(p->chapters[i].title);
    free(p->chapters);
    free(p->speakers);
    memset(p, 0, sizeof(*p));
}

struct plan_ctx {
    struct plan *p;
    const struct script *s;
    const struct cast *c;
    int *speaker_of; /* script person index + 1 -> plan speaker index, -1 unset */
    size_t cap_seg, cap_ch, cap_sp;
};

static int plan_speaker(struct plan_ctx *x, int person)
{
    int *slot = &x->speaker_of[person + 1];
    if (*slot >= 0)
        return *slot;
    const struct cast_role *r = cast_role(x->c, person);
    struct plan *p = x->p;
    XGROW(p->speakers, x->cap_sp, p->nspeakers + 1);
    struct plan_speaker *sp = &p->speakers[p->nspeakers];
    memset(sp, 0, sizeof(*sp));
    sp->name = r->name;
    sp->voice = r->voice;
    sp->source = cast_source_name(r->source);
    sp->voice_from = cast_voice_from_name(r->voice_from);
    sp->gender = config_gender_name(r->gender);
    sp->gender_from = cast_gender_from_name(r->gender_from);
    *slot = (int)p->nspeakers++;
    return *slot;
}

static void plan_chapter_take(struct plan_ctx *x, char *title, int line)
{
    struct plan *p = x->p;
    XGROW(p->chapters, x->cap_ch, p->nchapters + 1);
    struct plan_chapter *ch = &p->chapters[p->nchapters++];
    ch->number = (int)p->nchapters;
    ch->title = title;
    ch->line = line;
    ch->first = p->nsegments;
}

static void plan_segment(struct plan_ctx *x, enum plan_kind kind, int person, const char *text,
                         int line)
{
    struct plan *p = x->p;
    const struct cast_role *r = cast_role(x->c, person);
    if (!r->voice)
        return;
    XGROW(p->segments, x->cap_seg, p->nsegments + 1);
    struct plan_segment *sg = &p->segments[p->nsegments];
    memset(sg, 0, sizeof(*sg));
    sg->kind = kind;
    sg->chapter = (int)p->nchapters - 1;
    sg->voice = r->voice;
    sg->line = line;
    /* Split once to count; plan_segment_runs() splits again on demand. */
    struct plan_run *runs = NULL;
    runs_split(text, r->voice, x->s->lang, &x->s->config, &runs, &sg->nruns);
    runs_free(runs, sg->nruns);
    if (!sg->nruns)
        return; /* nothing speakable (only punctuation or symbols): not a segment */
    sg->text = xstrdup(text);
    sg->speaker = plan_speaker(x, person);
    p->nsegments++;
}

/* Letters, digits and CJK characters other than punctuation. */
static bool plan_title_char(int32_t cp)
{
    return (cp >= '0' && cp <= '9') || utf8_is_latin_letter(cp) ||
           (utf8_is_cjk(cp) && !utf8_is_cjk_punct(cp)) ||
           (cp >= 0x370 && !utf8_is_cjk_punct(cp) && !utf8_is_space(cp) && cp < 0x2000);
}

static void plan_chapter(struct plan_ctx *x, const char *title, int line)
{
    plan_chapter_take(x, xstrdup(title), line);
}

/*
 * Whether a heading says the title: equal once only letters, digits and
 * other word characters are compared, ASCII case folded, so "The PM guide |
 * Zevi (Meta)" in the front matter and "The PM guide: Zevi (Meta)" as the
 * first heading are one title, announced once.
 */
bool plan_same_title(const char *a, const char *b)
{
    const char *pa = a, *ea = a + strlen(a), *pb = b, *eb = b + strlen(b);
    for (;;) {
        int32_t ca = 0, cb = 0;
        while (pa < ea && !plan_title_char(ca = utf8_fold_fullwidth(utf8_decode(&pa, ea))))
            ca = 0;
        while (pb < eb && !plan_title_char(cb = utf8_fold_fullwidth(utf8_decode(&pb, eb))))
            cb = 0;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return false;
        if (!ca)
            return true;
    }
}

/* Does speech (or a heading read aloud) come before the first chapter? */
static bool plan_has_opening(const struct script *s)
{
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct script_block *b = &s->blocks[i];
        if (b->kind == SCRIPT_SPEECH)
            return true;
        if (b->level == s->chapter_level)
            return false;
        if (!(s->title_is_heading && b->line == s->title_line) &&
            !(b->level <= s->chapter_level && s->title && plan_same_title(b->text, s->title)))
            return true;
    }
    return false;
}

/* Without a title, chapters are named after the file: "talk" for
 * "shows/talk.md". */
static char *plan_fallback_title(const struct script *s)
{
    if (s->title)
        return xstrdup(s->title);
    const char *base = strrchr(s->file, '/');
    base = base ? base + 1 : s->file;
    const char *dot = strrchr(base, '.');
    return xstrndup(base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
}

static void plan_walk(struct plan_ctx *x)
{
    const struct script *s = x->s;
    const struct config *cfg = &s->config;
    bool opening = plan_has_opening(s);
    if (opening)
        plan_chapter_take(x, plan_fallback_title(s), s->nblocks ? s->blocks[0].line : 1);
    if (cfg->announce_title && s->title) {
        if (!opening) {
            /* The first heading's chapter starts at 0 and holds the title. */
            const struct script_block *first = NULL;
            for (size_t i = 0; i < s->nblocks && !first; i++)
                if (s->blocks[i].kind == SCRIPT_HEADING && s->blocks[i].level == s->chapter_level)
                    first = &s->blocks[i];
            plan_chapter(x, first ? first->text : s->title, first ? first->line : s->title_line);
        }
        plan_segment(x, PLAN_TITLE, -1, s->title, s->title_line ? s->title_line : 1);
    }
    bool first_pending = !opening && x->p->nchapters == 1;
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct script_block *b = &s->blocks[i];
        if (b->kind == SCRIPT_SPEECH) {
            if (!x->p->nchapters)
                plan_chapter_take(x, plan_fallback_title(s), b->line);
            plan_segment(x, PLAN_SPEECH, b->speaker, b->text, b->line);
            continue;
        }
        /* The title heading is announced as the title, not again. */
        bool is_title =
            (s->title_is_heading && b->line == s->title_line) ||
            (b->level <= s->chapter_level && s->title && plan_same_title(b->text, s->title));
        if (b->level == s->chapter_level) {
            if (first_pending)
                first_pending = false; /* chapter already opened with the title */
            else
                plan_chapter(x, b->text, b->line);
            bool announced = is_title && cfg->announce_title;
            if (cfg->announce_sections && !announced)
                plan_segment(x, PLAN_HEADING, -1, b->text, b->line);
            continue;
        }
        if (is_title)
            continue;
        if (!x->p->nchapters)
            plan_chapter_take(x, plan_fallback_title(s), b->line);
        plan_segment(x, PLAN_HEADING, -1, b->text, b->line);
    }
}

/* Pauses and chapter segment counts, after any filtering. */
static void plan_finish(struct plan *p, const struct config *cfg)
{
    for (size_t i = 0; i < p->nchapters; i++)
        p->chapters[i].count = 0;
    for (size_t i = 0; i < p->nspeakers; i++)
        p->speakers[i].segments = p->speakers[i].chars = 0;
    for (size_t i = 0; i < p->nsegments; i++) {
        struct plan_segment *sg = &p->segments[i];
        struct plan_chapter *ch = &p->chapters[sg->chapter];
        if (!ch->count)
            ch->first = i;
        ch->count++;
        p->speakers[sg->speaker].segments++;
        p->speakers[sg->speaker].chars += utf8_length(sg->text);
        if (i == 0)
            sg->pause_ms = 0;
        else if (sg->chapter != p->segments[i - 1].chapter)
            sg->pause_ms = cfg->pause_section_ms;
        else if (sg->speaker != p->segments[i - 1].speaker || sg->kind != PLAN_SPEECH)
            sg->pause_ms = cfg->pause_turn_ms;
        else
            sg->pause_ms = cfg->pause_paragraph_ms;
    }
}

static int plan_filter(struct plan *p, const struct plan_filter *f, struct diags *d)
{
    bool *keep = xcalloc(p->nchapters ? p->nchapters : 1, sizeof(bool));
    char **titles = xcalloc(p->nchapters ? p->nchapters : 1, sizeof(char *));
    for (size_t i = 0; i < p->nchapters; i++)
        titles[i] = p->chapters[i].title;
    int rc = 0;
    for (size_t i = 0; i < f->nsections; i++)
        if (section_select(f->sections[i], titles, p->nchapters, keep, d) < 0)
            rc = -1;
    free(titles);
    if (rc < 0) {
        free(keep);
        return -1;
    }
    int *newidx = xcalloc(p->nchapters ? p->nchapters : 1, sizeof(int));
    size_t nch = 0;
    for (size_t i = 0; i < p->nchapters; i++) {
        if (keep[i]) {
            newidx[i] = (int)nch;
            p->chapters[nch++] = p->chapters[i];
        } else {
            newidx[i] = -1;
            free(p->chapters[i].title);
        }
    }
    size_t nseg = 0;
    for (size_t i = 0; i < p->nsegments; i++) {
        struct plan_segment *sg = &p->segments[i];
        if (keep[sg->chapter]) {
            sg->chapter = newidx[sg->chapter];
            p->segments[nseg++] = *sg;
        } else {
            free(sg->text);
        }
    }
    p->nchapters = nch;
    p->nsegments = nseg;
    free(newidx);
    free(keep);
    return 0;
}

int plan_build(struct plan *p, const struct script *s, const struct cast *c,
               const struct plan_filter *filter, struct diags *d)
{
    memset(p, 0, sizeof(*p));
    p->title = s->title;
    p->lang = s->lang;
    p->lang_from = s->lang_from;
    p->file = s->file;
    p->config = &s->config;
    struct plan_ctx x = {.p = p, .s = s, .c = c};
    x.speaker_of = xmalloc((s->npeople + 1) * sizeof(int));
    for (size_t i = 0; i <= s->npeople; i++)
        x.speaker_of[i] = -1;
    plan_walk(&x);
    free(x.speaker_of);
    if (filter && filter->nsections && plan_filter(p, filter, d) < 0)
        return -2;
    plan_finish(p, &s->config);
    if (!p->nsegments) {
        diag_add(d, DIAG_ERROR, s->file, 1, 1, NULL, "nothing to say: the plan has no segments");
        return -1;
    }
    return 0;
}

void plan_segment_runs(const struct plan *p, const struct plan_segment *sg, struct plan_run **runs,
                       size_t *nruns)
{
    runs_split(sg->text, sg->voice, p->lang, p->config, runs, nruns);
}

double plan_estimate_seconds(const struct plan *p)
{
    double secs = 0;
    for (size_t i = 0; i < p->nsegments; i++) {
        const struct plan_segment *sg = &p->segments[i];
        secs += sg->pause_ms / 1000.0;
        double speed = sg->voice->rate > 0 ? sg->voice->rate / 175.0 : 1.0;
        struct plan_run *runs = NULL;
        size_t nruns = 0;
        plan_segment_runs(p, sg, &runs, &nruns);
        for (size_t r = 0; r < nruns; r++) {
            secs += runs[r].pause_ms / 1000.0;
            const char *t = runs[r].text, *end = t + strlen(t);
            size_t han = 0, kana = 0, words = 0;
            bool in_word = false;
            while (t < end) {
                int32_t cp = utf8_decode(&t, end);
                enum writing w = writing_of(cp);
                if (w == WRITING_KANA) {
                    kana++;
                    in_word = false;
                } else if (writing_is_cjk(w)) {
                    han++; /* a Han character or Hangul syllable: one syllable */
                    in_word = false;
                } else if ((w != WRITING_NONE && w != WRITING_MARK) || (cp >= '0' && cp <= '9')) {
                    words += !in_word;
                    in_word = true;
                } else {
                    in_word = false;
                }
            }
            /* Measured on espeak-ng at 175 wpm: ~4.4 Han/s, ~2.6 words/s;
             * a kana is one mora, taken as about 8/s. */
            secs += (han / 4.4 + kana / 8.0 + words / 2.6) / speed;
        }
        runs_free(runs, nruns);
    }
    return secs;
}
