/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * People of a script and label matching (contract in people.h). Exact names
 * and aliases are found through a hash table (ASCII case folded, as the
 * comparison is), so a transcript with a million labelled speakers costs a
 * million lookups, not a million scans of everyone seen so far. The
 * containment rule only looks at declared people, who are few; the short
 * forms of a name ("M", "TB", "А. Трефилова") look at the first
 * PEOPLE_SHORT_SCAN people, labels included.
 */
#include "script/people.h"
#include "script/label.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/ydoc.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

struct people_slot {
    const char *key; /* a person's name or alias (owned by the person), NULL: empty */
    uint64_t hash;
    int person;
};

struct people_index {
    struct people_slot *slots;
    size_t cap, used; /* cap is a power of two, or 0 */
    int *declared;    /* indexes of people not only seen as labels, ascending */
    size_t ndeclared, cap_declared;
    size_t cap_people; /* allocated length of script.people */
};

static uint64_t people_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

static bool people_same(const char *a, const char *b, size_t blen)
{
    return strlen(a) == blen && !strncasecmp(a, b, blen);
}

static struct people_index *people_index(struct script *s)
{
    if (!s->people_index)
        s->people_index = xcalloc(1, sizeof(*s->people_index));
    return s->people_index;
}

/* The slot holding name, or the empty slot where it would go. */
static struct people_slot *people_slot(const struct people_index *ix, const char *name, size_t len,
                                       uint64_t h)
{
    size_t mask = ix->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct people_slot *sl = &ix->slots[i];
        if (!sl->key || (sl->hash == h && people_same(sl->key, name, len)))
            return sl;
    }
}

static void people_index_grow(struct people_index *ix)
{
    struct people_slot *old = ix->slots;
    size_t oldcap = ix->cap;
    ix->cap = oldcap ? oldcap * 2 : 64;
    ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *people_slot(ix, old[i].key, strlen(old[i].key), old[i].hash) = old[i];
    free(old);
}

/* Makes key (a string the person owns) find person. When two people share
 * a name, the earlier one wins, as a scan in order would find it. */
static void people_index_add(struct script *s, const char *key, int person)
{
    struct people_index *ix = people_index(s);
    if ((ix->used + 1) * 4 > ix->cap * 3)
        people_index_grow(ix);
    size_t len = strlen(key);
    uint64_t h = people_hash(key, len);
    struct people_slot *sl = people_slot(ix, key, len, h);
    if (sl->key) {
        if (person < sl->person) {
            sl->key = key;
            sl->person = person;
        }
        return;
    }
    sl->key = key;
    sl->hash = h;
    sl->person = person;
    ix->used++;
}

int people_find_exact(const struct script *s, const char *name, size_t len)
{
    const struct people_index *ix = s->people_index;
    if (!ix || !ix->cap)
        return -1;
    const struct people_slot *sl = people_slot(ix, name, len, people_hash(name, len));
    return sl->key ? sl->person : -1;
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

/* Whether label (2 to 4 capitals, "TV") is the initials of name ("Tone Vays",
 * "Jean-Luc Picard" is JLP). */
static bool people_initials(const char *name, const char *label, size_t len)
{
    size_t k = 0;
    bool start = true;
    for (const char *p = name; *p; p++) {
        bool sep = *p == ' ' || *p == '-' || *p == '\t';
        if (!sep && start) {
            if (k == len || (*p & ~0x20) != label[k])
                return false;
            k++;
        }
        start = sep;
    }
    return k == len;
}

/* The one declared person whose initials the label is, or -1 (none, or two
 * people with the same initials). */
static int people_find_initials(const struct script *s, const char *label, size_t len)
{
    if (len < 2 || len > 4)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (label[i] < 'A' || label[i] > 'Z')
            return -1;
    const struct people_index *ix = s->people_index;
    int found = -1;
    for (size_t k = 0; k < ix->ndeclared; k++) {
        const struct script_person *p = &s->people[ix->declared[k]];
        if (p->origin == PERSON_LABEL || !people_initials(p->name, label, len))
            continue;
        if (found >= 0 && found != ix->declared[k])
            return -1;
        found = ix->declared[k];
    }
    return found;
}

#define PEOPLE_SHORT_SCAN 256

/* Unicode simple lower case for the alphabets names are compared in. */
static int32_t people_fold(int32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
        (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F))
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    return cp;
}

static bool people_is_capital(int32_t cp)
{
    return people_fold(cp) != cp;
}

/* Whether a and b (bytes) are the same word, letter case ignored. */
static bool people_same_word(const char *a, size_t an, const char *b, size_t bn)
{
    const char *ae = a + an, *be = b + bn;
    while (a < ae && b < be)
        if (people_fold(utf8_decode(&a, ae)) != people_fold(utf8_decode(&b, be)))
            return false;
    return a == ae && b == be;
}

/* The first letter and the last word of name. */
static int32_t people_first_last(const char *name, const char **last, size_t *last_len)
{
    const char *p = name, *end = name + strlen(name);
    int32_t first = utf8_decode(&p, end);
    const char *w = end;
    while (w > name && w[-1] != ' ')
        w--;
    *last = w;
    *last_len = (size_t)(end - w);
    return first;
}

/*
 * A short form of a name seen before, as interviews abbreviate after the
 * first turn: one capital, the first letter of the name ("M" for "Moreno");
 * 2 to 4 capitals, its initials ("TB" for "The Bodyguard"); an initial,
 * a dot and the surname ("А. Трефилова", "А.ТРЕФИЛОВА" for "Анна
 * Трефилова"). It must fit exactly one person; the letters of a question
 * or an answer ("Q", "A", "P", "R") are never short forms.
 */
static int people_find_short(const struct script *s, const char *label, size_t len)
{
    const char *p = label, *end = label + len;
    int32_t c0 = utf8_decode(&p, end);
    if (!people_is_capital(c0) || label_is_question(label, len) || label_is_answer(label, len))
        return -1;
    const char *surname = NULL;
    size_t slen = 0;
    bool one = p == end, caps = len >= 2 && len <= 4;
    for (size_t i = 0; i < len; i++)
        caps &= label[i] >= 'A' && label[i] <= 'Z';
    if (!one && !caps) {
        if (p >= end || *p != '.')
            return -1;
        const char *q = p + 1;
        while (q < end && *q == ' ')
            q++;
        surname = q;
        slen = (size_t)(end - q);
        for (const char *r = q; r < end; r++)
            if (*r == ' ' || *r == '.')
                return -1;
        const char *r = surname;
        if (r >= end || utf8_decode(&r, end) < 0 || r >= end)
            return -1; /* a surname of at least two letters */
    }
    int found = -1;
    size_t n = s->npeople < PEOPLE_SHORT_SCAN ? s->npeople : PEOPLE_SHORT_SCAN;
    for (size_t k = 0; k < n; k++) {
        const char *name = s->people[k].name;
        const char *last;
        size_t last_len;
        int32_t first = people_first_last(name, &last, &last_len);
        bool fits;
        if (caps)
            fits = people_initials(name, label, len);
        else if (one)
            fits = people_fold(first) == people_fold(c0) && strlen(name) > len;
        else
            fits = last != name && people_fold(first) == people_fold(c0) &&
                   people_same_word(last, last_len, surname, slen);
        if (!fits)
            continue;
        if (found >= 0)
            return -1;
        found = (int)k;
    }
    return found;
}

size_t people_short_key(const char *name, size_t len, char *out, size_t cap)
{
    const char *p = name, *end = name + len;
    int32_t c0 = utf8_decode(&p, end);
    if (!people_is_capital(c0))
        return 0;
    const char *dot = memchr(name, '.', len);
    const char *last = end;
    while (last > name && last[-1] != ' ' && last[-1] != '.')
        last--;
    if (last == name || last == end)
        return 0;
    if (dot) {
        /* "А. Норкин", "А.НОРКИН", "Ст.Крючков": an initial, then the surname */
        size_t initial = 0;
        for (const char *q = name; q < dot; initial++)
            utf8_decode(&q, dot);
        const char *q = dot + 1;
        while (q < end && *q == ' ')
            q++;
        if (initial > 2 || q != last || memchr(q, '.', (size_t)(end - q)))
            return 0;
    } else {
        size_t words = 1;
        for (const char *q = name; q < end; q++)
            words += *q == ' ';
        if (words < 2 || words > 3)
            return 0;
    }
    struct strbuf sb = STRBUF_INIT;
    strbuf_addc(&sb, '\x01');
    utf8_encode(&sb, people_fold(c0));
    strbuf_addc(&sb, '|');
    for (const char *q = last; q < end;)
        utf8_encode(&sb, people_fold(utf8_decode(&q, end)));
    size_t n = sb.len < cap ? sb.len : 0;
    if (n)
        memcpy(out, sb.buf, n);
    strbuf_release(&sb);
    return n;
}

int people_find(const struct script *s, const char *name, size_t len)
{
    int exact = people_find_exact(s, name, len);
    if (exact >= 0)
        return exact;
    const struct people_index *ix = s->people_index;
    if (!ix)
        return -1;
    if (!ix->ndeclared)
        return people_find_short(s, name, len);
    size_t chars = 0;
    for (const char *p = name, *end = name + len; p < end && chars < 2; chars++)
        utf8_decode(&p, end);
    if (chars < 2)
        return -1;
    for (size_t k = 0; k < ix->ndeclared; k++) {
        const struct script_person *p = &s->people[ix->declared[k]];
        if (p->origin == PERSON_LABEL)
            continue;
        if (people_contains(p->name, name, len))
            return ix->declared[k];
        for (size_t a = 0; a < p->naliases; a++)
            if (people_contains(p->aliases[a], name, len))
                return ix->declared[k];
    }
    int initials = people_find_initials(s, name, len);
    return initials >= 0 ? initials : people_find_short(s, name, len);
}

int people_add(struct script *s, const char *name, size_t len, enum person_origin origin, int line,
               int col)
{
    struct people_index *ix = people_index(s);
    XGROW(s->people, ix->cap_people, s->npeople + 1);
    int k = (int)s->npeople++;
    struct script_person *p = &s->people[k];
    memset(p, 0, sizeof(*p));
    p->name = xstrndup(name, len);
    p->origin = origin;
    p->line = line;
    p->col = col;
    p->first_block = -1;
    people_index_add(s, p->name, k);
    if (origin != PERSON_LABEL) {
        XGROW(ix->declared, ix->cap_declared, ix->ndeclared + 1);
        ix->declared[ix->ndeclared++] = k;
    }
    return k;
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
    p->aliases[p->naliases] = xstrndup(alias, len);
    people_index_add(s, p->aliases[p->naliases++], who);
    return true;
}

void people_release(struct script *s)
{
    if (!s->people_index)
        return;
    free(s->people_index->slots);
    free(s->people_index->declared);
    free(s->people_index);
    s->people_index = NULL;
}

/* Trims white space and a trailing role note such as "（主播）" or "(host)".
 * Returns the person's index, or -1 for an empty name. */
static int people_add_name(struct script *s, const char *b, const char *e, int line, int col)
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
    int k = -1;
    if (*t && (k = people_find_exact(s, t, strlen(t))) < 0)
        k = people_add(s, t, strlen(t), PERSON_FIELD, line, col);
    strbuf_release(&sb);
    return k;
}

/* Adds the names of one string (split at , ， 、 ; ；) with their hints. */
static void people_split(struct script *s, const struct ynode *v, enum person_gender gender,
                         const struct ynode *aliases)
{
    const char *p = v->scalar, *start = p;
    const char *end = p + strlen(p);
    int last = -1;
    while (p <= end) {
        const char *at = p;
        int32_t cp = p < end ? utf8_decode(&p, end) : ',';
        if (cp == ',' || cp == 0xFF0C || cp == 0x3001 || cp == ';' || cp == 0xFF1B) {
            int k = people_add_name(s, start, at, v->line, v->col);
            if (k >= 0 && gender != GENDER_UNKNOWN)
                s->people[k].gender = gender;
            last = k >= 0 ? k : last;
            start = p;
        }
        if (at == end)
            break;
    }
    /* Aliases belong to a single name: {name: Andrew Poelstra, aliases: [AP]}. */
    for (size_t i = 0; last >= 0 && aliases && i < aliases->n; i++)
        if (ydoc_str(aliases->items[i]) && *aliases->items[i]->scalar)
            people_alias_add(s, last, aliases->items[i]->scalar, strlen(aliases->items[i]->scalar));
}

/* One entry {name: ..., gender: ..., aliases: [...]} of a people field. */
static void people_add_entry(struct script *s, const struct ynode *it, struct diags *d)
{
    const struct ynode *name = ydoc_get(it, "name");
    const struct ynode *g = ydoc_get(it, "gender");
    const struct ynode *aliases = ydoc_get(it, "aliases");
    enum person_gender gender = GENDER_UNKNOWN;
    if (g && !ydoc_is_null(g)) {
        gender = ydoc_str(g) ? config_gender_parse(ydoc_str(g)) : GENDER_UNKNOWN;
        if (gender == GENDER_UNKNOWN)
            diag_add(d, DIAG_WARNING, s->file, g->line, g->col, script_line(s, g->line),
                     "ignoring the gender \"%s\" (known: female, male)",
                     ydoc_str(g) ? ydoc_str(g) : ydoc_type_name(g));
    }
    if (aliases && aliases->type != YNODE_SEQ) {
        if (!ydoc_is_null(aliases))
            diag_add(d, DIAG_WARNING, s->file, aliases->line, aliases->col,
                     script_line(s, aliases->line), "ignoring \"aliases\": it must be a list");
        aliases = NULL;
    }
    people_split(s, name, gender, aliases);
}

void people_add_field(struct script *s, const struct ynode *value, const char *field,
                      struct diags *d)
{
    if (ydoc_is_null(value))
        return;
    if (value->type == YNODE_SCALAR) {
        people_split(s, value, GENDER_UNKNOWN, NULL);
        return;
    }
    if (value->type == YNODE_MAP && ydoc_str(ydoc_get(value, "name"))) {
        people_add_entry(s, value, d);
        return;
    }
    if (value->type == YNODE_SEQ) {
        for (size_t i = 0; i < value->n; i++) {
            const struct ynode *it = value->items[i];
            if (it->type == YNODE_SCALAR)
                people_split(s, it, GENDER_UNKNOWN, NULL);
            else if (it->type == YNODE_MAP && ydoc_str(ydoc_get(it, "name")))
                people_add_entry(s, it, d);
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
        s->people[k].cast = e;
        people_alias_add(s, k, e->label, strlen(e->label));
        for (size_t a = 0; a < e->naliases; a++)
            people_alias_add(s, k, e->aliases[a], strlen(e->aliases[a]));
    }
}
