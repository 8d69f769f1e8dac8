/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Paragraphs of a transcript body read into speaker turns: labels at the
 * start of every line, language tags looked past, aliases declared, labels
 * alone on their line kept pending until speech follows, timestamps and
 * cues removed (a cue between words splits the turn, so a pause is heard).
 */
#include "script/label.h"
#include "script/mdctx.h"
#include "script/meta.h"
#include "script/people.h"
#include "script/script.h"
#include "script/stamp.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <string.h>
#include <strings.h>

#define LABEL_KEY_MAX 128

static bool md_known(const char *name, size_t len, void *ctx)
{
    return people_find(ctx, name, len) >= 0;
}

/* Emits one speech block, if text holds anything but blanks. */
static void md_emit(struct md_ctx *c, const char *text, size_t len, int speaker, bool labeled,
                    int line, int col)
{
    while (len && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (!len)
        return;
    struct script_block *b = md_add_block(c, SCRIPT_SPEECH, line, col);
    c->details_block = -1;
    b->speaker = speaker;
    b->labeled = labeled;
    b->text = xstrndup(text, len);
    if (speaker >= 0 && c->s->people[speaker].first_block < 0)
        c->s->people[speaker].first_block = (int)c->s->nblocks - 1;
}

/* Emits the turn collected so far: one block, or one per stretch between
 * cues (STRIP_BREAK), so a cue becomes a paragraph pause. */
static void md_close(struct md_ctx *c, struct md_turn *t)
{
    if (!t->open)
        return;
    const char *p = t->text.len ? t->text.buf : "";
    bool first = true;
    for (;;) {
        const char *brk = strchr(p, STRIP_BREAK);
        size_t n = brk ? (size_t)(brk - p) : strlen(p);
        size_t before = c->s->nblocks;
        md_emit(c, p, n, t->speaker, t->labeled && first, t->line, t->col);
        if (c->s->nblocks > before)
            first = false;
        if (!brk)
            break;
        p = brk + 1;
    }
    strbuf_reset(&t->text);
    t->open = false;
}

/* Label counts are looked up once per labelled line: a hash table keeps a
 * transcript of a million different labels linear. */
static size_t md_count_hash(const char *name, size_t len)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    return h;
}

/* The slot of name in the table: its entry, or the empty slot for it. */
static size_t *md_count_slot(const struct md_ctx *c, const char *name, size_t len)
{
    size_t mask = c->count_nslots - 1;
    for (size_t i = md_count_hash(name, len) & mask;; i = (i + 1) & mask) {
        size_t *sl = &c->count_slots[i];
        if (!*sl)
            return sl;
        const char *have = c->counts[*sl - 1].name;
        if (strlen(have) == len && !memcmp(have, name, len))
            return sl;
    }
}

static size_t md_count_of(const struct md_ctx *c, const char *name, size_t len)
{
    if (!c->count_nslots)
        return 0;
    const size_t *sl = md_count_slot(c, name, len);
    return *sl ? c->counts[*sl - 1].n : 0;
}

static void md_count_add(struct md_ctx *c, const char *name, size_t len)
{
    if ((c->ncounts + 1) * 2 > c->count_nslots) {
        free(c->count_slots);
        c->count_nslots = c->count_nslots ? c->count_nslots * 2 : 64;
        c->count_slots = xcalloc(c->count_nslots, sizeof(*c->count_slots));
        for (size_t i = 0; i < c->ncounts; i++)
            *md_count_slot(c, c->counts[i].name, strlen(c->counts[i].name)) = i + 1;
    }
    size_t *sl = md_count_slot(c, name, len);
    if (*sl) {
        c->counts[*sl - 1].n++;
        return;
    }
    XGROW(c->counts, c->ccap, c->ncounts + 1);
    c->counts[c->ncounts].name = xstrndup(name, len);
    c->counts[c->ncounts++].n = 1;
    *sl = c->ncounts;
}

static void md_pending_clear(struct md_pending *pd)
{
    free(pd->name);
    free(pd->alias);
    memset(pd, 0, sizeof(*pd));
}

/* A label that no speech followed: no turn, no speaker. */
void md_pending_drop(struct md_ctx *c)
{
    if (!c->pending.active)
        return;
    md_note(c, c->pending.line, c->pending.name, strlen(c->pending.name),
            "label \"%s\" has no speech after it: no turn, no speaker", c->pending.name);
    md_pending_clear(&c->pending);
}

int md_sole_declared(const struct script *s)
{
    int sole = -1;
    for (size_t i = 0; i < s->npeople; i++) {
        if (s->people[i].origin == PERSON_LABEL)
            continue;
        if (sole >= 0)
            return -1;
        sole = (int)i;
    }
    return sole;
}

/* The pending label becomes a turn: its speaker is found or added, an
 * alias declared with it ("Andrew Poelstra（AP）") is attached. */
static void md_materialize(struct md_ctx *c, struct md_turn *t)
{
    struct md_pending *pd = &c->pending;
    struct script *s = c->s;
    size_t nlen = strlen(pd->name);
    int who = people_find(s, pd->name, nlen);
    if (who < 0 && pd->alias)
        who = people_find(s, pd->alias, strlen(pd->alias));
    if (who < 0 && label_is_answer(pd->name, nlen) && (who = md_sole_declared(s)) >= 0) {
        people_alias_add(s, who, pd->name, nlen);
        md_note(c, pd->line, pd->name, nlen,
                "\"%s:\" answers a question: read as \"%s\", the one declared speaker", pd->name,
                s->people[who].name);
    }
    if (who >= 0 && s->people[who].origin == PERSON_LABEL &&
        people_find_exact(s, pd->name, nlen) < 0 && people_alias_add(s, who, pd->name, nlen))
        md_note(c, pd->line, pd->name, nlen, "\"%s:\" is read as \"%s\", a short form of that name",
                pd->name, s->people[who].name);
    if (who < 0)
        who = people_add(s, pd->name, nlen, PERSON_LABEL, pd->line, pd->col);
    if (pd->alias && people_find_exact(s, pd->alias, strlen(pd->alias)) != who &&
        people_alias_add(s, who, pd->alias, strlen(pd->alias)))
        md_note(c, pd->line, pd->alias, strlen(pd->alias),
                "\"%s\" is an alias of \"%s\": their \"%s:\" turns are the same speaker", pd->alias,
                s->people[who].name, pd->alias);
    s->people[who].turns++;
    c->turns++;
    /* A question from the audience ("Q:", "P:", "问：") is its paragraph
     * only: the talk goes on in the voice it had before. */
    if (label_is_question(s->people[who].name, strlen(s->people[who].name)) ||
        label_is_question(pd->name, nlen)) {
        if (!c->question)
            c->before_question = c->speaker;
        c->question = true;
    } else {
        c->question = false;
    }
    c->speaker = who;
    t->speaker = who;
    t->labeled = t->open = true;
    t->line = pd->line;
    t->col = pd->col;
    md_pending_clear(pd);
}

/* A line that is only a label and links ("Propuesta de calendario: https://…",
 * "YouTube 链接：<https://…>"): nothing of it is read. */
static bool md_url_line(const char *raw)
{
    size_t klen, vstart;
    if (!meta_split(raw, &klen, &vstart) || !raw[vstart])
        return false;
    const char *p = raw + vstart;
    bool any = false;
    while (*p) {
        if (*p == ' ') {
            p++;
        } else if (*p == MD_URL_MARK) {
            any = true;
            p++;
        } else if (md_starts_url(p)) {
            any = true;
            while (*p && *p != ' ')
                p++;
        } else {
            return false;
        }
    }
    return any;
}

/* Finds the label of a line, looking past language tags ("CN: 主持人：…");
 * *base gets the offset the label's offsets are relative to. */
static bool md_line_label(struct md_ctx *c, const char *raw, struct label *lb, size_t *base,
                          int line)
{
    *base = 0;
    bool found = label_find(raw, md_known, c->s, lb);
    while (found &&
           label_is_lang_tag(raw + *base + lb->name_start, lb->name_end - lb->name_start) &&
           people_find(c->s, raw + *base + lb->name_start, lb->name_end - lb->name_start) < 0) {
        size_t tl = lb->name_end - lb->name_start;
        if (!c->counting && !c->tags++)
            c->tag_line = line;
        if (tl < sizeof(c->tag)) {
            memcpy(c->tag, raw + *base + lb->name_start, tl);
            c->tag[tl] = '\0';
        }
        *base += lb->text_start;
        found = label_find(raw + *base, md_known, c->s, lb);
        if (!found)
            lb->text_start = 0; /* the rest is text */
    }
    return found;
}

/* Whether lines under the current language tag are read (`read-tags:`). */
static bool md_tag_read(const struct md_ctx *c)
{
    const struct config *cfg = &c->s->config;
    if (!cfg->nread_tags || !c->tag[0])
        return true;
    for (size_t i = 0; i < cfg->nread_tags; i++)
        if (!strcasecmp(cfg->read_tags[i], c->tag))
            return true;
    return false;
}

/*
 * "\[0:00:13.9\] **Adam Garrett-Harris** Hello and welcome": a bold name
 * without a colon, at the start of a line. It is a label when a timestamp
 * comes before it, it names a known person, or (counting) it leads lines
 * this way at least three times; the caller applies the last rule.
 */
static bool md_bold_label(struct md_ctx *c, const struct md_line *l, struct label *lb)
{
    if (!l->bold)
        return false;
    const char *raw = l->text.buf;
    size_t b = l->bold_start, e = l->bold_end;
    while (b < e && (raw[b] == ' ' || raw[b] == '\t'))
        b++;
    while (e > b && (raw[e - 1] == ' ' || raw[e - 1] == '\t'))
        e--;
    if (b >= e || raw[e - 1] == ':' || (e - b >= 3 && !memcmp(raw + e - 3, "\xEF\xBC\x9A", 3)))
        return false;
    size_t t = l->bold_end;
    while (raw[t] == ' ' || raw[t] == '\t')
        t++;
    if (raw[t] == ':' || !strncmp(raw + t, "\xEF\xBC\x9A", 3))
        return false; /* "**Name**: text" is label_find's */
    bool known = people_find(c->s, raw + b, e - b) >= 0;
    if (!known && !label_plausible(raw + b, e - b))
        return false;
    memset(lb, 0, sizeof(*lb));
    lb->name_start = b;
    lb->name_end = e;
    lb->text_start = t;
    lb->empty_text = !raw[t];
    lb->stamped = l->bold_start > 0 && stamp_is_only(raw, l->bold_start);
    return known || lb->stamped || c->counting || md_count_of(c, raw + b, e - b) >= 3;
}

/* The first walk: how often each label occurs. */
static void md_count_line(struct md_ctx *c, const struct md_line *l)
{
    const char *raw = l->text.buf;
    struct label lb;
    size_t base;
    if (!md_line_label(c, raw, &lb, &base, 0)) {
        if (!base && md_bold_label(c, l, &lb))
            md_count_add(c, raw + lb.name_start, lb.name_end - lb.name_start);
        return;
    }
    md_count_add(c, raw + base + lb.name_start, lb.name_end - lb.name_start);
    char key[LABEL_KEY_MAX];
    size_t klen =
        people_short_key(raw + base + lb.name_start, lb.name_end - lb.name_start, key, sizeof(key));
    if (klen)
        md_count_add(c, key, klen);
    if (lb.alias_end > lb.alias_start)
        md_count_add(c, raw + base + lb.alias_start, lb.alias_end - lb.alias_start);
}

/*
 * A label with no speech on its line starts a turn when speech follows and
 * the name is a known person, came with a timestamp ("Lenny (00:00:00):",
 * "Speaker 0: 00:00:16"), or recurs as a label; a one-off "Summary:" is
 * text.
 */
static bool md_empty_label_ok(struct md_ctx *c, const char *name, size_t nlen,
                              const struct label *lb, size_t stamps, bool marked)
{
    if (people_find(c->s, name, nlen) >= 0 || lb->stamped || lb->hereafter || stamps || marked ||
        md_count_of(c, name, nlen) >= 2)
        return true;
    /* "Андрей Норкин:" once, then "А. Норкин:": one person, twice */
    char key[LABEL_KEY_MAX];
    size_t klen = people_short_key(name, nlen, key, sizeof(key));
    return klen && md_count_of(c, key, klen) >= 2;
}

/* Whether the line begins with a timestamp and text: "[0:34] Guten Abend". */
static bool md_starts_stamp(const char *raw)
{
    const char *end = raw + strlen(raw);
    raw += strspn(raw, " \t");
    size_t n = stamp_bracketed(raw, end);
    if (!n)
        n = stamp_span(raw, end, NULL);
    return n && raw + n < end && (raw[n] == ' ' || raw[n] == '\t' || raw[n - 1] == ']');
}

/* Whether the line is only a dash: the mark that ends a name on the line
 * above in radio transcripts ("Анна Трефилова ⏎ ― ⏎ Доброе утро!"). */
static bool md_dash_line(const char *raw)
{
    raw += strspn(raw, " \t");
    static const char *const dashes[] = {"\xE2\x80\x95", "\xE2\x80\x94", "\xE2\x80\x93", NULL};
    for (size_t i = 0; dashes[i]; i++) {
        size_t k = strlen(dashes[i]);
        if (!strncmp(raw, dashes[i], k) && !raw[k + strspn(raw + k, " \t")])
            return true;
    }
    return false;
}

/* "Анна Трефилова" above a dash line: a label of the whole line. */
static bool md_dash_label(struct md_ctx *c, const char *raw, struct label *lb)
{
    size_t b = strspn(raw, " \t"), e = strlen(raw);
    while (e > b && (raw[e - 1] == ' ' || raw[e - 1] == '\t'))
        e--;
    if (b >= e || (people_find(c->s, raw + b, e - b) < 0 && !label_plausible(raw + b, e - b)))
        return false;
    memset(lb, 0, sizeof(*lb));
    lb->name_start = b;
    lb->name_end = e;
    lb->text_start = e;
    lb->empty_text = true;
    return true;
}

/* Handles a line with a label; false when it is text after all. marked: a
 * timestamp begins the next line, or a dash line follows (the label is
 * meant as one even if it occurs once). */
static bool md_label_line(struct md_ctx *c, struct md_turn *t, const char *raw,
                          const struct label *lb, int ln, bool marked)
{
    const char *name = raw + lb->name_start;
    size_t nlen = lb->name_end - lb->name_start;
    bool known = people_find(c->s, name, nlen) >= 0;
    const char *src = script_line(c->s, ln);
    if (!known && !c->turns && !c->pending.active && meta_is_info_key(name, nlen)) {
        md_note(c, ln, name, nlen, "\"%.*s: …\" before the first turn is metadata: not read",
                (int)nlen, name);
        return true;
    }
    struct strbuf body = STRBUF_INIT;
    size_t stamps = c->strip.stamps;
    md_strip(c, raw + lb->text_start, &body, ln);
    if (lb->stamped) {
        c->strip.stamps++;
        if (!c->stamp_line)
            c->stamp_line = ln;
    }
    bool empty = md_blank(&body);
    if (empty && !md_empty_label_ok(c, name, nlen, lb, c->strip.stamps - stamps, marked)) {
        strbuf_release(&body);
        return false;
    }
    bool metaish =
        !empty && meta_is_people_key(name, nlen) && !c->turns && meta_looks_like_names(body.buf);
    if (metaish)
        diag_add(c->d, DIAG_WARNING, c->s->file, ln, md_find_col(src, name, nlen), src,
                 "\"%.*s:\" looks like metadata but made a turn; write it as a list item "
                 "(\"- %.*s: …\") to declare people instead",
                 (int)nlen, name, (int)nlen, name);
    md_close(c, t);
    md_pending_drop(c);
    struct md_pending *pd = &c->pending;
    pd->active = true;
    pd->bare = lb->bare;
    pd->name = xstrndup(name, nlen);
    if (lb->alias_end > lb->alias_start)
        pd->alias = xstrndup(raw + lb->alias_start, lb->alias_end - lb->alias_start);
    pd->line = ln;
    pd->col = md_find_col(src, name, nlen);
    if (!empty) {
        md_materialize(c, t);
        if (metaish)
            c->turns--; /* metadata lists may still follow */
        md_clean(&t->text, body.buf);
    }
    strbuf_release(&body);
    return true;
}

/*
 * A paragraph of "key：value" lines with at least one metadata key, before
 * the first turn or under a details heading ("**嘉宾：** Katia Banina  ⏎
 * **主题：** …  ⏎ **概要：** …"): metadata, as a list of such items is. A
 * dialogue ("主持人：大家好 ⏎ 嘉宾：你好") has no metadata key.
 */
static bool md_par_is_meta(struct md_ctx *c)
{
    if (c->counting || c->nlines < 2 || !(c->details || (!c->turns && !c->pending.active)))
        return false;
    size_t info = 0;
    for (size_t i = 0; i < c->nlines; i++) {
        const char *raw = c->lines[i].text.buf;
        size_t klen, vstart;
        if (!meta_split(raw, &klen, &vstart))
            return false;
        if (people_find(c->s, raw, klen) >= 0)
            return false;
        info += meta_is_info_key(raw, klen);
    }
    return info > 0;
}

static void md_meta_par(struct md_ctx *c)
{
    struct strbuf keys = STRBUF_INIT, names = STRBUF_INIT;
    for (size_t i = 0; i < c->nlines; i++) {
        const char *raw = c->lines[i].text.buf;
        size_t klen, vstart;
        meta_split(raw, &klen, &vstart);
        if (keys.len)
            strbuf_adds(&keys, ", ");
        strbuf_add(&keys, raw, klen);
        if (!meta_is_people_key(raw, klen))
            continue;
        struct strbuf value = STRBUF_INIT;
        md_clean(&value, raw + vstart);
        const char *src = script_line(c->s, c->lines[i].line);
        meta_declare(c->s, value.buf, c->lines[i].line,
                     md_find_col(src, raw + vstart, strlen(raw + vstart)), &names);
        strbuf_release(&value);
    }
    md_note(c, c->lines[0].line, NULL, 0, "metadata lines (%s) not read%s%s", keys.buf,
            names.len ? "; they declare " : "", names.len ? names.buf : "");
    strbuf_release(&keys);
    strbuf_release(&names);
}

/* "2" above "00:00:05,000 --> 00:00:07,150": the number of a subtitle
 * pasted from an SRT file, not speech. */
static bool md_srt_index(const struct md_ctx *c, size_t i)
{
    const char *raw = c->lines[i].text.buf;
    size_t n = strspn(raw, " ");
    size_t d = strspn(raw + n, "0123456789");
    if (!d || d > 6 || raw[n + d + strspn(raw + n + d, " ")] || i + 1 >= c->nlines)
        return false;
    const char *next = c->lines[i + 1].text.buf;
    return stamp_is_only(next, strlen(next));
}

void md_paragraph(struct md_ctx *c, cmark_node *par)
{
    c->line = cmark_node_get_start_line(par);
    md_lines_reset(c);
    md_newline(c);
    md_inlines(c, par);
    if (md_par_is_meta(c)) {
        md_meta_par(c);
        return;
    }
    if (c->question && !c->counting && !c->pending.active) {
        c->speaker = c->before_question;
        c->question = false;
    }

    struct md_turn t = {.text = STRBUF_INIT, .speaker = c->speaker};
    for (size_t i = 0; i < c->nlines; i++) {
        const char *raw = c->lines[i].text.buf;
        int ln = c->lines[i].line;
        if (md_is_table_rule(raw))
            continue;
        if (c->counting) {
            md_count_line(c, &c->lines[i]);
            continue;
        }
        if (md_srt_index(c, i)) {
            c->srt_index++;
            continue;
        }
        if (md_url_line(raw)) {
            md_note(c, ln, NULL, 0, "a label followed only by a link is not a turn: not read");
            continue;
        }
        struct label lb;
        size_t base;
        size_t tags = c->tags;
        bool dashed = i + 2 < c->nlines && md_dash_line(c->lines[i + 1].text.buf);
        bool found = md_line_label(c, raw, &lb, &base, ln);
        if (!found && !base && md_bold_label(c, &c->lines[i], &lb))
            found = true;
        if (!found && dashed && md_dash_label(c, raw, &lb))
            found = true;
        else
            dashed = false;
        /* "Track 6: ⏎ [0:36] Abend.": the line under a label is its speech,
         * never a name with a timestamp of its own. */
        if (found && lb.bare && c->pending.active && !c->pending.bare)
            found = false;
        if (c->tags > tags)
            md_close(c, &t); /* a translation is a segment of its own */
        if (!md_tag_read(c)) {
            if (!c->tag_skipped++)
                c->tag_skip_line = ln;
            continue;
        }
        bool marked = dashed || (i + 1 < c->nlines && md_starts_stamp(c->lines[i + 1].text.buf));
        if (found && md_label_line(c, &t, raw + base, &lb, ln, marked)) {
            i += dashed; /* the dash line is not read */
            continue;
        }
        const char *rest = raw + base;
        struct strbuf body = STRBUF_INIT;
        md_strip(c, rest, &body, ln);
        if (md_blank(&body)) {
            strbuf_release(&body);
            continue;
        }
        if (c->pending.active) {
            md_close(c, &t);
            md_materialize(c, &t);
        } else if (!t.open) {
            t.speaker = c->speaker;
            t.labeled = false;
            t.open = true;
            t.line = ln;
            t.col = md_find_col(script_line(c->s, ln), NULL, 0);
        }
        md_join(&t.text, body.buf);
        strbuf_release(&body);
    }
    md_close(c, &t);
    strbuf_release(&t.text);
    /* "Intro 0:00" closing a list of chapter times is no speaker for the
     * next paragraph. */
    if (!c->counting && c->pending.active && c->pending.bare)
        md_pending_drop(c);
}
