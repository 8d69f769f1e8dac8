/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The document's language and the check that the text agrees (contract in
 * doclang.h). Text in Han, kana or Hangul is decided by counting scripts,
 * as before (a Han character carries about as much as a short Latin
 * word), because CLD2 weighs bytes and mixed Chinese-English transcripts
 * come out as English there; everything else goes to CLD2.
 */
#include "script/doclang.h"
#include "script/script.h"
#include "script/zhvariety.h"
#include "util/diag.h"
#include "util/langid.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/writing.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How much of a long transcript is identified: enough for any language,
 * and the cost stays flat however long the programme. */
#define DOCLANG_SAMPLE_BYTES (256 * 1024)

char *doclang_code(const char *v)
{
    if (zhvariety_of_tag(v))
        return xstrdup(zhvariety_of_tag(v)); /* zh-HK is yue, zh-TW zh (zhvariety.h) */
    size_t base = strcspn(v, "-_");
    if ((base == 2 && !strncasecmp(v, "zh", 2)) || (base == 3 && !strncasecmp(v, "cmn", 3)) ||
        !strcasecmp(v, "chinese") || !strcmp(v, "中文"))
        return xstrdup("zh");
    if (!strcasecmp(v, "english"))
        return xstrdup("en");
    /* The region stays: the cast reads pt-br with espeak-ng's Brazilian
     * voice and de-at with the German one (cast/langs.h). */
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = v; *p; p++)
        strbuf_addc(&sb, *p == '_' ? '-' : (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p));
    return strbuf_detach(&sb);
}

static bool doclang_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A BCP 47 shape: 2-3 letters, then subtags of 2 letters, 4 letters or 3
 * digits (region, script): "es", "zh-TW", "sr-Latn", "es-419". */
static bool doclang_tag_shape(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && doclang_alpha(t[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    while (i < n) {
        if (t[i] != '-' && t[i] != '_')
            return false;
        size_t j = ++i;
        while (j < n && t[j] != '-' && t[j] != '_')
            j++;
        size_t len = j - i;
        bool letters = true, digits = true;
        for (size_t k = i; k < j; k++) {
            letters = letters && doclang_alpha(t[k]);
            digits = digits && t[k] >= '0' && t[k] <= '9';
        }
        if (!((letters && (len == 2 || len == 4)) || (digits && len == 3)))
            return false;
        i = j;
    }
    return true;
}

char *doclang_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *ext = strrchr(base, '.');
    if (!ext || ext == base)
        return NULL;
    const char *dot = NULL;
    for (const char *p = base; p < ext; p++)
        if (*p == '.')
            dot = p;
    if (!dot || dot == base)
        return NULL;
    const char *tag = dot + 1;
    size_t n = (size_t)(ext - tag);
    if (!doclang_tag_shape(tag, n))
        return NULL;
    char *t = xstrndup(tag, n);
    char *code = doclang_code(t);
    free(t);
    char *primary = xstrndup(code, strcspn(code, "-"));
    bool known = langid_known(primary);
    free(primary);
    if (!known) {
        free(code);
        return NULL;
    }
    return code;
}

/* The text to identify: headings and speech, up to DOCLANG_SAMPLE_BYTES. */
static void doclang_sample(const struct script *s, struct strbuf *sb, size_t counts[WRITING_COUNT])
{
    for (size_t i = 0; i < s->nblocks && sb->len < DOCLANG_SAMPLE_BYTES; i++) {
        const char *t = s->blocks[i].text;
        strbuf_adds(sb, t);
        strbuf_addc(sb, '\n');
        const char *p = t, *end = t + strlen(t);
        while (p < end)
            counts[writing_of(utf8_decode(&p, end))]++;
    }
}

/* The CJK language the script counts give, or NULL when the text is not
 * mainly Han, kana or Hangul: a CJK character counts as much as six letters
 * of an alphabet (Latin, Cyrillic, Arabic, ...), about a word's worth. */
static const char *doclang_cjk(const size_t c[WRITING_COUNT])
{
    size_t han = c[WRITING_HAN], kana = c[WRITING_KANA], hangul = c[WRITING_HANGUL];
    size_t cjk = han + kana + hangul, alphabets = 0;
    for (int w = WRITING_LATIN; w < WRITING_COUNT; w++)
        alphabets += c[w];
    alphabets -= cjk;
    if (!cjk || cjk * 6 < alphabets)
        return NULL;
    if (hangul >= han + kana)
        return "ko";
    if (kana * 5 >= han + kana)
        return "ja";
    return "zh";
}

static bool doclang_same(const char *a, const char *b)
{
    size_t na = strcspn(a, "-_"), nb = strcspn(b, "-_");
    return na == nb && !strncasecmp(a, b, na);
}

/* "es 92%, en 8%"; when the scripts decided against CLD2, their shares of
 * the letters: "Han 71%, Latin 29%". */
static void doclang_shares(struct strbuf *sb, const struct langid_guess *g, const char *cjk,
                           const size_t c[WRITING_COUNT])
{
    if (!cjk || (g->lang[0] && doclang_same(g->lang[0], cjk))) {
        for (int i = 0; i < 3 && g->lang[i]; i++)
            strbuf_addf(sb, "%s%s %d%%", i ? ", " : "", g->lang[i], g->percent[i]);
        return;
    }
    size_t letters = 0;
    for (int w = WRITING_LATIN; w < WRITING_COUNT; w++)
        letters += c[w];
    strbuf_adds(sb, "by writing system: ");
    bool first = true;
    for (int w = WRITING_LATIN; w < WRITING_COUNT; w++) {
        int pct = (int)(c[w] * 100 / letters);
        if (pct < 1)
            continue;
        strbuf_addf(sb, "%s%s %d%%", first ? "" : ", ", writing_name((enum writing)w), pct);
        first = false;
    }
}

void doclang_settle(struct script *s, struct diags *d)
{
    if (!s->lang) {
        char *tag = doclang_from_name(s->file);
        if (tag) {
            s->lang = tag;
            s->lang_from = "file-name";
        }
    }
    struct strbuf sb = STRBUF_INIT;
    size_t counts[WRITING_COUNT] = {0};
    doclang_sample(s, &sb, counts);
    struct langid_guess *g = &s->lang_text;
    langid_guess(sb.buf ? sb.buf : "", sb.len, NULL, g);
    strbuf_release(&sb);
    /* The script counts decide for CJK text; CLD2's shares are still the
     * ones reported. */
    const char *cjk = doclang_cjk(counts);
    bool sure = cjk || g->reliable;
    const char *found = cjk ? cjk : (g->reliable ? g->lang[0] : NULL);
    int line = s->lang_line > 0 ? s->lang_line : 1, col = s->lang_col > 0 ? s->lang_col : 1;
    struct strbuf shares = STRBUF_INIT;
    doclang_shares(&shares, g, cjk, counts);
    if (!s->lang) {
        s->lang = xstrdup(found ? found : "en");
        s->lang_from = "text";
        diag_add(d, DIAG_NOTE, s->file, 1, 1, NULL,
                 "language \"%s\" identified from the text (%s); declare it with lang: in the "
                 "front matter or a .%s.md file name",
                 s->lang, shares.len ? shares.buf : "no language recognized", s->lang);
        strbuf_release(&shares);
        return;
    }
    if (!strcmp(s->lang_from, "file-name"))
        diag_add(d, DIAG_NOTE, s->file, 1, 1, NULL, "language \"%s\" from the file name", s->lang);
    else
        diag_add(d, DIAG_NOTE, s->file, line, col, script_line(s, line),
                 "language \"%s\" from the front matter", s->lang);
    /* Contradicted: the text reads clearly as another language, and the
     * declared one is a small part of it or absent. */
    int declared = 0;
    for (int i = 0; i < 3 && g->lang[i]; i++)
        if (doclang_same(g->lang[i], s->lang))
            declared = g->percent[i];
    /* Chinese varieties (zh, yue, ...) are not told apart by the text. */
    bool han = writing_of_lang(found) == WRITING_HAN && writing_of_lang(s->lang) == WRITING_HAN;
    bool other = found && !han && !doclang_same(found, s->lang) && !langid_related(found, s->lang);
    if (other && sure && (cjk || (g->percent[0] >= 60 && declared < 30))) {
        char name[64];
        langid_name(found, name, sizeof(name));
        if (!strcmp(s->lang_from, "file-name"))
            diag_add(d, DIAG_WARNING, s->file, 1, 1, NULL,
                     "the file name says \"%s\" but the text reads as %s (%s)", s->lang, name,
                     shares.buf);
        else
            diag_add(d, DIAG_WARNING, s->file, line, col, script_line(s, line),
                     "lang is \"%s\" but the text reads as %s (%s)", s->lang, name, shares.buf);
    }
    strbuf_release(&shares);
}
