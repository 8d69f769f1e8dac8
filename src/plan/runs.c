/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Language runs and text preparation (contract in runs.h). Chinese runs use
 * cmn-latn-pinyin, which reads Latin words as pinyin and numbers wrongly —
 * hence Latin words go to an English voice and numbers are written out
 * before synthesis (see DESIGN.md, Facts).
 */
#include "plan/runs.h"
#include "cast/voice.h"
#include "plan/mixlang.h"
#include "plan/plan.h"
#include "plan/runtext.h"
#include "script/config.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

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
        if (utf8_is_han(cp) || utf8_is_latin_letter(cp) || (cp >= '0' && cp <= '9') ||
            (utf8_is_cjk(cp) && !utf8_is_cjk_punct(cp)))
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

void runs_split(const char *text, const struct voice *v, const struct config *cfg,
                struct plan_run **runs, size_t *nruns)
{
    char *lex = runs_apply_lexicon(text, cfg);
    size_t first = *nruns;
    int pause = 0;
    if (strcmp(v->lang, "zh") && strcmp(v->lang, "yue") && strcmp(v->lang, "ja")) {
        runs_push(runs, nruns, v->lang, v->voice, lex, strlen(lex), &pause);
        free(lex);
        return;
    }
    const char *latin_voice = v->latin_voice ? v->latin_voice : v->voice;
    size_t nspans = 0;
    struct mixlang_span *sp = mixlang_split(lex, &nspans);
    for (size_t i = 0; i < nspans; i++) {
        /* A pause before a dropped run waits for the next one. */
        if (sp[i].pause_ms > pause)
            pause = sp[i].pause_ms;
        if (*nruns == first)
            pause = 0;
        runs_push(runs, nruns, sp[i].latin ? "en" : v->lang, sp[i].latin ? latin_voice : v->voice,
                  lex + sp[i].from, sp[i].to - sp[i].from, &pause);
    }
    free(sp);
    free(lex);
}
