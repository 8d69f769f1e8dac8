/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * People of a script and label matching (contract in people.h).
 */
#include "script/people.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <string.h>
#include <strings.h>

static bool people_same(const char *a, const char *b, size_t blen)
{
    return strlen(a) == blen && !strncasecmp(a, b, blen);
}

static bool people_is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

/* Is needle (len bytes) inside hay, as whole words when it is Latin? */
static bool people_contains(const char *hay, const char *needle, size_t len)
{
    size_t hlen = strlen(hay);
    bool latin = (unsigned char)needle[0] < 0x80;
    for (size_t i = 0; i + len <= hlen; i++) {
        if (memcmp(hay + i, needle, len) != 0)
            continue;
        if (!latin)
            return true;
        bool left = i == 0 || !people_is_word_char(hay[i - 1]);
        bool right = i + len == hlen || !people_is_word_char(hay[i + len]);
        if (left && right)
            return true;
    }
    return false;
}

static int people_find_exact(const struct script *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->npeople; i++) {
        const struct script_person *p = &s->people[i];
        if (people_same(p->name, name, len))
            return (int)i;
        for (size_t k = 0; k < p->naliases; k++)
            if (people_same(p->aliases[k], name, len))
                return (int)i;
    }
    return -1;
}

int people_find(const struct script *s, const char *name, size_t len)
{
    int exact = people_find_exact(s, name, len);
    if (exact >= 0)
        return exact;
    char *tmp = xstrndup(name, len);
    size_t chars = utf8_length(tmp);
    free(tmp);
    if (chars < 2)
        return -1;
    for (size_t i = 0; i < s->npeople; i++) {
        const struct script_person *p = &s->people[i];
        if (p->origin == PERSON_LABEL)
            continue;
        if (people_contains(p->name, name, len))
            return (int)i;
        for (size_t k = 0; k < p->naliases; k++)
            if (people_contains(p->aliases[k], name, len))
                return (int)i;
    }
    return -1;
}

int people_add(struct script *s, const char *name, size_t len, enum person_origin origin, int line,
               int col)
{
    s->people = xrealloc(s->people, (s->npeople + 1) * sizeof(*s->people));
    struct script_person *p = &s->people[s->npeople];
    memset(p, 0, sizeof(*p));
    p->name = xstrndup(name, len);
    p->origin = origin;
    p->line = line;
    p->col = col;
    p->first_block = -1;
    return (int)s->npeople++;
}

static void people_add_alias(struct script_person *p, const char *alias)
{
    if (!strcmp(p->name, alias))
        return;
    for (size_t k = 0; k < p->naliases; k++)
        if (!strcmp(p->aliases[k], alias))
            return;
    p->aliases = xrealloc(p->aliases, (p->naliases + 1) * sizeof(char *));
    p->aliases[p->naliases++] = xstrdup(alias);
}

bool people_alias_add(struct script *s, int who, const char *alias, size_t len)
{
    struct script_person *p = &s->people[who];
    if (people_same(p->name, alias, len))
        return false;
    for (size_t k = 0; k < p->naliases; k++)
        if (people_same(p->aliases[k], alias, len))
            return false;
    p->aliases = xrealloc(p->aliases, (p->naliases + 1) * sizeof(char *));
    p->aliases[p->naliases++] = xstrndup(alias, len);
    return true;
}

/* Trims white space and a trailing role note such as "（主播）" or "(host)". */
static void people_add_name(struct script *s, const char *b, const char *e, int line, int col)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, b, (size_t)(e - b));
    char *t = sb.buf;
    while (*t == ' ' || *t == '\t')
        t++;
    strbuf_rtrim(&sb);
    char *paren = strstr(t, "\xEF\xBC\x88"); /* （ */
    if (!paren)
        paren = strchr(t, '(');
    if (paren && paren > t) {
        *paren = '\0';
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ')
            t[--n] = '\0';
    }
    if (*t && people_find_exact(s, t, strlen(t)) < 0)
        people_add(s, t, strlen(t), PERSON_FIELD, line, col);
    strbuf_release(&sb);
}

static void people_split(struct script *s, const struct ynode *v)
{
    const char *p = v->scalar, *start = p;
    const char *end = p + strlen(p);
    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp == ',' || cp == 0xFF0C || cp == 0x3001 || cp == ';' || cp == 0xFF1B) {
            people_add_name(s, start, at, v->line, v->col);
            start = p;
        }
    }
    people_add_name(s, start, end, v->line, v->col);
}

void people_add_field(struct script *s, const struct ynode *value, const char *field,
                      struct diags *d)
{
    if (ydoc_is_null(value))
        return;
    if (value->type == YNODE_SCALAR) {
        people_split(s, value);
        return;
    }
    if (value->type == YNODE_SEQ) {
        for (size_t i = 0; i < value->n; i++) {
            const struct ynode *it = value->items[i];
            if (it->type == YNODE_SCALAR)
                people_split(s, it);
            else if (it->type == YNODE_MAP && ydoc_str(ydoc_get(it, "name")))
                people_split(s, ydoc_get(it, "name"));
            else
                diag_add(d, DIAG_WARNING, s->file, it->line, it->col, script_line(s, it->line),
                         "ignoring an entry of \"%s\" that is %s", field, ydoc_type_name(it));
        }
        return;
    }
    diag_add(d, DIAG_WARNING, s->file, value->line, value->col, script_line(s, value->line),
             "\"%s\" should be a name or a list of names, not %s", field, ydoc_type_name(value));
}

void people_apply_cast(struct script *s)
{
    for (size_t i = 0; i < s->config.ncast; i++) {
        const struct config_cast *e = &s->config.cast[i];
        int k = people_find(s, e->label, strlen(e->label));
        for (size_t a = 0; k < 0 && a < e->naliases; a++)
            k = people_find(s, e->aliases[a], strlen(e->aliases[a]));
        if (k < 0)
            k = people_add(s, e->label, strlen(e->label), PERSON_CAST, e->line, e->col);
        struct script_person *p = &s->people[k];
        p->cast = e;
        people_add_alias(p, e->label);
        for (size_t a = 0; a < e->naliases; a++)
            people_add_alias(p, e->aliases[a]);
    }
}
