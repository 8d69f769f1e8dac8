/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Language identification (contract in langid.h): CLD2's answers mapped to
 * scriptcast's tags, and the rule that lets a sentence leave the language
 * it is spoken in only on clear evidence — a Spanish sentence wrongly
 * moved to an English voice is worse than an English one left to the
 * Spanish voice, which at least reads it.
 */
#include "util/langid.h"
#include "util/langid_cld2.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/writing.h"

#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* CLD2 codes that are not the tags espeak-ng and BCP 47 use today. */
static const char *langid_tag(const char *code)
{
    static const char *const MAP[][2] = {
        {"iw", "he"}, {"zh-Hant", "zh"}, {"no", "nb"}, {"jw", "jv"}, {"tl", "fil"},
    };
    for (size_t i = 0; i < sizeof(MAP) / sizeof(MAP[0]); i++)
        if (!strcmp(code, MAP[i][0]))
            return MAP[i][1];
    return code;
}

/* Whether tags a and b have one base language: "pt" and "pt-br". */
static bool langid_same(const char *a, const char *b)
{
    size_t na = strcspn(a, "-_"), nb = strcspn(b, "-_");
    return na == nb && !strncasecmp(a, b, na);
}

/* The code CLD2 knows for one of our tags (CLD2 reads "pt-BR" as "pt"). */
static const char *langid_code(const char *tag)
{
    if (langid_same(tag, "he"))
        return "iw";
    if (langid_same(tag, "nb") || langid_same(tag, "nn"))
        return "no";
    if (langid_same(tag, "fil"))
        return "tl";
    return tag;
}

int langid_guess(const char *text, size_t len, const char *prior, struct langid_guess *g)
{
    memset(g, 0, sizeof(*g));
    if (len > INT_MAX)
        len = INT_MAX;
    const char *codes[3];
    int percent[3], reliable = 0;
    int n = langid_cld2_detect(text, (int)len, prior ? langid_code(prior) : NULL, codes, percent,
                               &reliable);
    int k = 0;
    for (int i = 0; i < n; i++) {
        const char *tag = langid_tag(codes[i]);
        /* zh and zh-Hant are one language here: add their shares. */
        int same = -1;
        for (int j = 0; j < k; j++)
            if (!strcmp(g->lang[j], tag))
                same = j;
        if (same >= 0) {
            g->percent[same] += percent[i];
            continue;
        }
        g->lang[k] = tag;
        g->percent[k] = percent[i];
        k++;
    }
    g->reliable = reliable != 0 && k > 0;
    return k;
}

static const char *const LANGID_GROUPS[][5] = {
    {"es", "gl", "ca", "pt", "ast"}, {"nl", "af", "fy", NULL, NULL}, {"da", "nb", "sv", "nn", NULL},
    {"cs", "sk", NULL, NULL, NULL},  {"hr", "sr", "bs", NULL, NULL}, {"ms", "id", NULL, NULL, NULL},
    {"it", "sc", "co", NULL, NULL},
};

static int langid_group(const char *tag)
{
    for (size_t g = 0; g < sizeof(LANGID_GROUPS) / sizeof(LANGID_GROUPS[0]); g++)
        for (size_t i = 0; i < 5 && LANGID_GROUPS[g][i]; i++)
            if (langid_same(tag, LANGID_GROUPS[g][i]))
                return (int)g;
    return -1;
}

bool langid_related(const char *a, const char *b)
{
    if (!a || !b || langid_same(a, b))
        return false;
    int ga = langid_group(a);
    return ga >= 0 && ga == langid_group(b);
}

/* The languages a sentence may be moved to (besides prior): those often
 * quoted in transcripts. On short text CLD2 names a neighbour of the
 * language more often than the language (Spanish as Galician or Catalan,
 * Italian as Sardinian): a sentence is not moved to those. */
static bool langid_quotable(const char *tag)
{
    static const char *const Q[] = {"en", "es", "fr", "de", "it", "pt", "nl", "sv", "da",
                                    "nb", "fi", "pl", "cs", "tr", "ro", "hu", "id", "vi"};
    for (size_t i = 0; i < sizeof(Q) / sizeof(Q[0]); i++)
        if (!strcmp(tag, Q[i]))
            return true;
    return false;
}

/*
 * The words of a sentence that say its language: the first, and every one
 * that starts with a small letter. A capitalized word inside a sentence is
 * a name or a brand ("Charlie Lee de Litecoin", "evitar Binance"), and on
 * real transcripts names moved whole Spanish sentences to English or
 * Indonesian. Returns the words joined by spaces (the caller frees it);
 * *words gets how many of them are after the first, *letters their letters.
 */
/* A capital letter of the Latin alphabets most transcripts use (Basic
 * Latin, Latin-1, Latin Extended-A, whose capitals mostly sit at even code
 * points). */
static bool langid_capital(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if (cp >= 0x100 && cp <= 0x17F) {
        bool odd_run = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        return odd_run ? (cp & 1) : !(cp & 1);
    }
    return false;
}

static char *langid_words(const char *text, size_t len, size_t *words, size_t *letters)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = text, *end = text + len;
    size_t n = 0;
    *words = *letters = 0;
    while (p < end) {
        const char *w = p;
        int32_t cp = utf8_decode(&p, end);
        if (writing_of(cp) != WRITING_LATIN)
            continue;
        bool keep = n == 0 || !langid_capital(cp);
        size_t k = 1;
        const char *q = p;
        while (q < end) {
            const char *at = q;
            enum writing wr = writing_of(utf8_decode(&q, end));
            if (wr != WRITING_LATIN && wr != WRITING_MARK) {
                q = at;
                break;
            }
            k++;
        }
        if (keep) {
            if (out.len)
                strbuf_addc(&out, ' ');
            strbuf_add(&out, w, (size_t)(q - w));
            *letters += k;
            *words += n > 0;
        }
        n++;
        p = q;
    }
    return strbuf_detach(&out);
}

const char *langid_sentence(const char *text, size_t len, const char *prior)
{
    size_t words, letters;
    char *said = langid_words(text, len, &words, &letters);
    size_t n = strlen(said);
    struct langid_guess g, free_g;
    const char *top = NULL;
    if (words >= LANGID_MIN_WORDS && letters >= LANGID_MIN_LETTERS &&
        langid_guess(said, n, prior, &g) && g.reliable && g.percent[0] >= LANGID_MIN_PERCENT)
        top = g.lang[0];
    if (top && prior && (langid_same(top, prior) || langid_related(top, prior)))
        top = NULL;
    if (top && !langid_quotable(top))
        top = NULL;
    /* The hint bends CLD2's answer (with Spanish favoured, Portuguese
     * came out as English): moved only when the unhinted answer agrees. */
    if (top && prior && !(langid_guess(said, n, NULL, &free_g) && langid_same(free_g.lang[0], top)))
        top = NULL;
    /* Only a language written in Latin script can be the language of
     * Latin-script text (CLD2 has Latin models of some others). */
    if (top && writing_of_lang(top) != WRITING_LATIN)
        top = NULL;
    free(said);
    return top;
}

void langid_name(const char *tag, char *buf, size_t size)
{
    static const char *const NAMES[][2] = {
        {"zh", "Chinese"},    {"he", "Hebrew"},    {"nb", "Norwegian"},
        {"yue", "Cantonese"}, {"fil", "Filipino"},
    };
    const char *name = tag;
    for (size_t i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++)
        if (langid_same(tag, NAMES[i][0]))
            name = NAMES[i][1];
    const char *up = name == tag ? langid_cld2_name(langid_code(tag)) : NULL;
    if (!up) {
        snprintf(buf, size, "%s", name);
        return;
    }
    /* CLD2's names are upper case: "SPANISH", "SCOTS_GAELIC". */
    size_t i = 0;
    for (; up[i] && i + 1 < size; i++) {
        char c = up[i] == '_' ? ' ' : up[i];
        bool first = i == 0 || up[i - 1] == '_' || up[i - 1] == ' ';
        buf[i] = (char)(!first && c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (size)
        buf[i] = 0;
}

bool langid_known(const char *tag)
{
    return langid_cld2_name(langid_code(tag)) != NULL;
}
