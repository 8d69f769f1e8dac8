/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Language runs and text preparation (contract in runs.h). Chinese runs use
 * cmn-latn-pinyin, which reads Latin words as pinyin and numbers wrongly —
 * hence Latin words go to an English voice and numbers are written out
 * before synthesis (see DESIGN.md, Facts).
 */
#include "plan/runs.h"
#include "cast/langs.h"
#include "cast/voice.h"
#include "plan/mixlang.h"
#include "plan/plan.h"
#include "plan/runtext.h"
#include "script/config.h"
#include "util/langid.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/writing.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void runs_free(struct plan_run *runs, size_t nruns)
{
    for (size_t i = 0; i < nruns; i++) {
        free(runs[i].text);
    }
    free(runs);
}

static bool runs_is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int runs_cmp_len(const void *a, const void *b)
{
    const struct config_lexeme *x = *(const struct config_lexeme *const *)a;
    const struct config_lexeme *y = *(const struct config_lexeme *const *)b;
    size_t lx = strlen(x->word), ly = strlen(y->word);
    if (lx != ly)
        return lx > ly ? -1 : 1;
    return strcmp(x->word, y->word);
}

char *runs_apply_lexicon(const char *text, const struct config *cfg)
{
    if (!cfg || !cfg->nlexicon)
        return xstrdup(text);
    /* Longest words first, so "GPT-4o" wins over "GPT". */
    const struct config_lexeme **lex = xcalloc(cfg->nlexicon, sizeof(*lex));
    for (size_t i = 0; i < cfg->nlexicon; i++)
        lex[i] = &cfg->lexicon[i];
    qsort(lex, cfg->nlexicon, sizeof(*lex), runs_cmp_len);
    struct strbuf out = STRBUF_INIT;
    const char *p = text;
    while (*p) {
        const struct config_lexeme *hit = NULL;
        for (size_t i = 0; i < cfg->nlexicon && !hit; i++) {
            const char *w = lex[i]->word;
            size_t n = strlen(w);
            if (strncmp(p, w, n) != 0)
                continue;
            /* Latin words match whole words only; CJK words anywhere. */
            bool latin = runs_is_word_byte((unsigned char)w[0]);
            if (latin && p > text && runs_is_word_byte((unsigned char)p[-1]))
                continue;
            if (runs_is_word_byte((unsigned char)w[n - 1]) &&
                runs_is_word_byte((unsigned char)p[n]))
                continue;
            hit = lex[i];
        }
        if (hit) {
            strbuf_adds(&out, hit->say);
            p += strlen(hit->word);
        } else {
            strbuf_addc(&out, *p++);
        }
    }
    free(lex);
    return strbuf_detach(&out);
}

/* Symbols an engine reads aloud ("asterisk", "hash") that mean nothing here. */
static bool runs_is_noise(int32_t cp)
{
    return cp == '*' || cp == '_' || cp == '~' || cp == '^' || cp == '|' || cp == '\\' ||
           cp == '<' || cp == '>' || cp == '{' || cp == '}' || cp == '[' || cp == ']' ||
           cp == '`' || cp == '#' || cp == '@' || cp == '$' || cp == '=';
}

static bool runs_has_speech(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        enum writing w = writing_of(cp);
        if ((w != WRITING_NONE && w != WRITING_MARK) || (cp >= '0' && cp <= '9'))
            return true;
    }
    return false;
}

/* Cleans run text: noise symbols out, white space folded and trimmed. */
static char *runs_tidy(const char *s, bool chinese)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (runs_is_noise(cp)) {
            if (chinese)
                continue; /* a space would be a pause inside Chinese text */
            cp = ' ';
        }
        if (chinese && cp == '&') {
            strbuf_adds(&out, "和");
            continue;
        }
        if (utf8_is_space(cp)) {
            if (out.len && out.buf[out.len - 1] != ' ')
                strbuf_addc(&out, ' ');
            continue;
        }
        strbuf_add(&out, at, (size_t)(p - at));
    }
    strbuf_rtrim(&out);
    return strbuf_detach(&out);
}

static void runs_push(struct plan_run **runs, size_t *n, const char *lang, const char *voice,
                      const char *text, size_t len, int *pause)
{
    char *raw = xstrndup(text, len);
    bool chinese = !strcmp(lang, "zh") || !strcmp(lang, "yue") || !strcmp(lang, "ja");
    char *t = runtext_prepare(lang, raw);
    free(raw);
    char *tidy = runs_tidy(t, chinese);
    free(t);
    if (!runs_has_speech(tidy)) {
        free(tidy);
        return; /* its pause, if any, stays for the next run */
    }
    /* Two neighbours in the same voice (after a dropped run) become one. */
    if (*n && !strcmp((*runs)[*n - 1].lang, lang) && (*runs)[*n - 1].voice == voice) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, (*runs)[*n - 1].text);
        strbuf_addc(&sb, ' ');
        strbuf_adds(&sb, tidy);
        free((*runs)[*n - 1].text);
        (*runs)[*n - 1].text = strbuf_detach(&sb);
        free(tidy);
        *pause = 0;
        return;
    }
    *runs = xrealloc(*runs, (*n + 1) * sizeof(**runs));
    (*runs)[*n].lang = lang;
    (*runs)[*n].voice = voice;
    (*runs)[*n].text = tidy;
    (*runs)[*n].pause_ms = *n ? *pause : 0;
    (*n)++;
    *pause = 0;
}

/* Whether tags a and b name one language: "zh" and "zh-TW", "pt" and "pt-br". */
static bool runs_same_lang(const char *a, const char *b)
{
    size_t na = strcspn(a, "-_"), nb = strcspn(b, "-_");
    return na == nb && !strncasecmp(a, b, na);
}

struct runs_ctx {
    const struct voice *v;
    const char *doc;     /* the document's language */
    const char *speaker; /* the speaker profile's language */
    const char *prior;   /* what a Latin sentence is when nothing says otherwise */
    const char *latin;   /* the latin-voice's language, or NULL */
    struct plan_run **runs;
    size_t *nruns, first;
    int pause;
};

/* The voice that reads lang for this speaker: the profile's own for its
 * language, else the voice of that language (with the profile's variant
 * and pitch), else the profile's. */
static const char *runs_voice(const struct runs_ctx *x, const char *lang)
{
    if (runs_same_lang(lang, x->speaker))
        return x->v->voice;
    const char *id = langs_voice(lang);
    return id ? id : x->v->voice;
}

static void runs_emit(struct runs_ctx *x, const char *lang, const char *voice, const char *text,
                      size_t len, int pause)
{
    /* A pause before a dropped run waits for the next one. */
    if (pause > x->pause)
        x->pause = pause;
    if (*x->nruns == x->first)
        x->pause = 0;
    runs_push(x->runs, x->nruns, lang, voice, text, len, &x->pause);
}

/* The language an espeak-ng voice id reads ("en-us" -> "en"), or NULL. */
static const char *runs_voice_lang(const char *voice)
{
    for (size_t i = 0, n = langs_count(); i < n; i++)
        if (!strcmp(langs_get(i)->voice, voice))
            return langs_get(i)->tag;
    return NULL;
}

/* Characters that open a quotation: it may be in another language. */
static bool runs_quote_open(int32_t cp)
{
    return cp == 0x201C || cp == 0x00AB || cp == 0x201E || cp == 0x2018 || cp == 0x300C ||
           cp == 0x00BF || cp == 0x00A1 || cp == '(';
}

static bool runs_quote_close(int32_t cp)
{
    return cp == 0x201D || cp == 0x00BB || cp == 0x2019 || cp == 0x300D || cp == ')';
}

static bool runs_stop(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == ':' || cp == ';';
}

/*
 * Where the next piece of Latin text from..to starts: after sentence
 * punctuation and the spaces after it, before an opening quotation mark
 * (a straight '"' opens when a space or the start comes before it), after
 * a closing one. A piece is what is identified on its own.
 */
static size_t runs_piece_end(const char *s, size_t from, size_t to, bool *in_quote)
{
    const char *p = s + from, *end = s + to;
    bool started = false;
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        bool space_before = at == s + from || at[-1] == ' ';
        if (started && (runs_quote_open(cp) || (cp == '"' && !*in_quote && space_before)))
            return (size_t)(at - s);
        bool close = runs_quote_close(cp) || (cp == '"' && *in_quote);
        if (cp == '"')
            *in_quote = !*in_quote;
        enum writing w = writing_of(cp);
        if (w != WRITING_NONE && w != WRITING_MARK)
            started = true;
        if (!started || !(close || runs_stop(cp)))
            continue;
        /* Punctuation straight after belongs to this piece: '?"', '...'. */
        const char *q = p;
        while (q < end) {
            const char *r = q;
            int32_t c2 = utf8_decode(&r, end);
            if (c2 == '"' && *in_quote)
                *in_quote = false;
            else if (!runs_stop(c2) && !runs_quote_close(c2))
                break;
            q = r;
        }
        p = q;
        if (q < end && *q != ' ' && !close)
            continue; /* "Node.js", "e.g.x": inside a word */
        while (q < end && *q == ' ')
            q++;
        return (size_t)(q - s);
    }
    return to;
}

/* The pause the punctuation at the end of s[from..to) asks for. */
static int runs_tail_pause(const char *s, size_t from, size_t to)
{
    const char *p = s + from, *end = s + to, *tail = p;
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        enum writing w = writing_of(cp);
        if ((w != WRITING_NONE && w != WRITING_MARK) || (cp >= '0' && cp <= '9'))
            tail = p;
    }
    return mixlang_pause(tail, (size_t)(end - tail));
}

/* Latin text in a speaker's own Latin-script language: sentence by
 * sentence, each piece in the language it reads as (langid_sentence()). */
static void runs_latin_sentences(struct runs_ctx *x, const char *s, size_t from, size_t to,
                                 int pause)
{
    bool in_quote = false;
    size_t start = from;
    const char *lang = NULL;
    for (size_t at = from; at < to;) {
        size_t end = runs_piece_end(s, at, to, &in_quote);
        const char *l = langid_sentence(s + at, end - at, x->prior);
        if (!l)
            l = x->prior;
        if (lang && !runs_same_lang(l, lang)) {
            runs_emit(x, lang, runs_voice(x, lang), s + start, at - start, pause);
            pause = runs_tail_pause(s, start, at);
            start = at;
        }
        lang = l;
        at = end;
    }
    if (lang)
        runs_emit(x, lang, runs_voice(x, lang), s + start, to - start, pause);
}

/* The language of a span of non-Latin script w (rules in runs.h). */
static const char *runs_script_lang(const struct runs_ctx *x, enum writing w, const char *s,
                                    size_t len)
{
    if (writing_of_lang(x->speaker) == w)
        return x->speaker;
    if (writing_of_lang(x->doc) == w)
        return x->doc;
    /* Scripts shared by several languages CLD2 tells apart. */
    if (w == WRITING_CYRILLIC || w == WRITING_ARABIC || w == WRITING_DEVANAGARI) {
        struct langid_guess g;
        if (langid_guess(s, len, NULL, &g) && g.reliable && writing_of_lang(g.lang[0]) == w)
            return g.lang[0];
    }
    const char *l = writing_lang(w);
    return l ? l : x->speaker;
}

void runs_split(const char *text, const struct voice *v, const char *doc_lang,
                const struct config *cfg, struct plan_run **runs, size_t *nruns)
{
    char *lex = runs_apply_lexicon(text, cfg);
    struct runs_ctx x = {.v = v,
                         .doc = doc_lang ? doc_lang : v->lang,
                         .speaker = v->lang,
                         .runs = runs,
                         .nruns = nruns,
                         .first = *nruns};
    x.prior = writing_of_lang(x.doc) == WRITING_LATIN ? x.doc : x.speaker;
    const char *latin_voice = v->latin_voice ? v->latin_voice : v->voice;
    x.latin = runs_voice_lang(latin_voice);
    enum writing base = writing_of_lang(v->lang);
    bool han_is_kana = runs_same_lang(v->lang, "ja") || runs_same_lang(x.doc, "ja");
    size_t nspans = 0;
    struct mixlang_span *sp = mixlang_split(lex, base, han_is_kana, &nspans);
    for (size_t i = 0; i < nspans; i++) {
        const char *s = lex + sp[i].from;
        size_t len = sp[i].to - sp[i].from;
        if (sp[i].w == WRITING_LATIN && base == WRITING_LATIN) {
            runs_latin_sentences(&x, lex, sp[i].from, sp[i].to, sp[i].pause_ms);
        } else if (sp[i].w == WRITING_LATIN) {
            /* Latin words inside other speech go to the latin-voice; a whole
             * sentence of another language, to that language's voice. */
            const char *l = langid_sentence(s, len, x.latin ? x.latin : "en");
            if (l && langs_voice(l))
                runs_emit(&x, l, runs_voice(&x, l), s, len, sp[i].pause_ms);
            else
                runs_emit(&x, x.latin ? x.latin : "en", latin_voice, s, len, sp[i].pause_ms);
        } else {
            const char *l = runs_script_lang(&x, sp[i].w, s, len);
            runs_emit(&x, l, runs_voice(&x, l), s, len, sp[i].pause_ms);
        }
    }
    free(sp);
    free(lex);
}
