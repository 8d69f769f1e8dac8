/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Non-speech cues (contract in cue.h). The shipped list is data/cues.txt,
 * embedded at build time (cmake/embed.cmake writes it into a C string), so
 * a cue never depends on where the program is installed.
 */
#include "script/cue.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <string.h>

extern const char scriptcast_cues_txt[];

void cue_list_add(struct cue_list *l, const char *word, size_t len)
{
    while (len && (*word == ' ' || *word == '\t'))
        word++, len--;
    while (len && (word[len - 1] == ' ' || word[len - 1] == '\t'))
        len--;
    if (!len)
        return;
    char *w = xstrndup(word, len);
    for (char *c = w; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    for (size_t i = 0; i < l->n; i++) {
        if (!strcmp(l->words[i], w)) {
            free(w);
            return;
        }
    }
    XGROW(l->words, l->cap, l->n + 1);
    l->words[l->n++] = w;
}

void cue_list_init(struct cue_list *l)
{
    memset(l, 0, sizeof(*l));
    const char *p = scriptcast_cues_txt;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len && *p != '#')
            cue_list_add(l, p, len);
        p += len + (nl ? 1 : 0);
    }
}

void cue_list_release(struct cue_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->words[i]);
    free(l->words);
    memset(l, 0, sizeof(*l));
}

static int32_t cue_close_of(int32_t open)
{
    switch (open) {
    case '[':
        return ']';
    case '(':
        return ')';
    case 0xFF08: /* （ */
        return 0xFF09;
    case 0x3010: /* 【 */
        return 0x3011;
    default:
        return 0;
    }
}

static bool cue_eq(const char *a, size_t an, const char *w, size_t wn)
{
    if (an != wn)
        return false;
    for (size_t i = 0; i < an; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != w[i])
            return false;
    }
    return true;
}

/* Is the inside of a bracket (n bytes) a cue? A listed word alone; or
 * followed by more words ("laughs nervously"); for CJK words, also at the
 * end of a short note ("众人笑"). */
static bool cue_matches(const char *s, size_t n, const struct cue_list *l)
{
    while (n && (*s == ' ' || *s == '*' || *s == '_'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '*' || s[n - 1] == '_'))
        n--;
    if (!n || n > 48)
        return false;
    for (size_t i = 0; i < l->n; i++) {
        const char *w = l->words[i];
        size_t wn = strlen(w);
        if (cue_eq(s, n, w, wn))
            return true;
        if (n > wn && cue_eq(s, wn, w, wn) && (s[wn] == ' ' || s[wn] == ',' || s[wn] == ':'))
            return true;
        if ((unsigned char)w[0] >= 0x80 && n > wn && n <= wn + 9 && cue_eq(s + n - wn, wn, w, wn) &&
            (unsigned char)s[0] >= 0x80)
            return true;
    }
    return false;
}

size_t cue_bracketed(const char *p, const char *end, const struct cue_list *l)
{
    const char *q = p;
    int32_t close = cue_close_of(utf8_decode(&q, end));
    if (!close || !l->n)
        return 0;
    const char *inner = q;
    while (q < end) {
        const char *at = q;
        int32_t cp = utf8_decode(&q, end);
        if (cp == close)
            return cue_matches(inner, (size_t)(at - inner), l) ? (size_t)(q - p) : 0;
        if (cp < 0 || cp == '[' || cp == '(' || cp == 0xFF08 || cp == 0x3010 || q - inner > 64)
            return 0;
    }
    return 0;
}

/* Whether s (n bytes) ends or begins with one of the marks, ASCII case
 * ignored, the mark standing apart from the words around it. */
static bool cue_note_marked(const char *s, size_t n, const char *const *marks)
{
    for (size_t i = 0; marks[i]; i++) {
        size_t k = strlen(marks[i]);
        if (n < k)
            continue;
        if (cue_eq(s + n - k, k, marks[i], k) && (n == k || strchr(" ,;-(", s[n - k - 1]) != NULL))
            return true;
        if (n > k && cue_eq(s, k, marks[i], k) &&
            (strchr(" :,.-", s[k]) != NULL || (unsigned char)s[k] >= 0xC2))
            return true;
    }
    return false;
}

size_t cue_editor_note(const char *p, const char *end)
{
    static const char *const marks[] = {"ndlr",
                                        "n.d.l.r.",
                                        "n.d.l.r",
                                        "ndr",
                                        "n.d.r.",
                                        "n.d.r",
                                        "n. del r.",
                                        "n. de la r.",
                                        "nota del editor",
                                        "nota del redactor",
                                        "n. da r.",
                                        "n. do e.",
                                        "nota da redação",
                                        "anm. d. red.",
                                        "anm. d. red",
                                        "anmerkung der redaktion",
                                        "ed. note",
                                        "editor's note",
                                        "прим. ред.",
                                        "прим. ред",
                                        "Прим. ред.",
                                        NULL};
    const char *q = p;
    int32_t close = cue_close_of(utf8_decode(&q, end));
    if (!close)
        return 0;
    const char *inner = q;
    while (q < end && q - inner <= 240) {
        const char *at = q;
        int32_t cp = utf8_decode(&q, end);
        if (cp == close) {
            size_t n = (size_t)(at - inner);
            const char *s = inner;
            while (n && (*s == ' '))
                s++, n--;
            while (n && (s[n - 1] == ' '))
                n--;
            return n && cue_note_marked(s, n, marks) ? (size_t)(q - p) : 0;
        }
        if (cp < 0 || cp == '[' || cp == '(' || cp == 0xFF08 || cp == 0x3010)
            return 0;
    }
    return 0;
}
