/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Gender hints from names (contract in gender.h). The table is the text of
 * data/given-names.tsv, embedded at build time (cmake/embed.cmake), sorted
 * by bytes; it is searched in place by bisecting its lines, so nothing is
 * parsed or allocated at start-up.
 */
#include "cast/gender.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

extern const char scriptcast_given_names_tsv[];

/* The table's length, measured once (lookups are many, the table fixed). */
static size_t gender_table_len(void)
{
    static size_t len;
    if (!len)
        len = strlen(scriptcast_given_names_tsv);
    return len;
}

/* Latin titles, matched as a whole first word with or without a final '.'. */
static const struct {
    const char *word;
    enum person_gender gender;
} gender_titles[] = {
    {"mr", GENDER_MALE},      {"mister", GENDER_MALE},   {"sir", GENDER_MALE},
    {"lord", GENDER_MALE},    {"sr", GENDER_MALE},       {"herr", GENDER_MALE},
    {"ms", GENDER_FEMALE},    {"mrs", GENDER_FEMALE},    {"miss", GENDER_FEMALE},
    {"madam", GENDER_FEMALE}, {"madame", GENDER_FEMALE}, {"mme", GENDER_FEMALE},
    {"lady", GENDER_FEMALE},  {"dame", GENDER_FEMALE},   {"sra", GENDER_FEMALE},
    {"srta", GENDER_FEMALE},  {"frau", GENDER_FEMALE},
};

/* Titles that say nothing about gender but come before the given name. */
static const char *const gender_neutral_titles[] = {"dr",  "prof", "professor", "rev", "mx",
                                                    "hon", "capt", "sen",       "rep", NULL};

/* Chinese honorifics follow the surname: 王先生, 李女士. */
static const struct {
    const char *suffix;
    enum person_gender gender;
} gender_zh[] = {
    {"先生", GENDER_MALE},   {"女士", GENDER_FEMALE}, {"小姐", GENDER_FEMALE},
    {"太太", GENDER_FEMALE}, {"夫人", GENDER_FEMALE},
};

#define GENDER_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The first word of s (up to a space), its length in *len, with a final
 * '.' left out; *next is where the following word starts. */
static const char *gender_word(const char *s, size_t *len, const char **next)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strcspn(s, " \t");
    *next = s + n;
    if (n && s[n - 1] == '.')
        n--;
    *len = n;
    return s;
}

static bool gender_word_is(const char *w, size_t len, const char *title)
{
    return strlen(title) == len && !strncasecmp(w, title, len);
}

enum person_gender gender_from_honorific(const char *name)
{
    size_t len;
    const char *next;
    const char *w = gender_word(name, &len, &next);
    /* A title alone ("Mr.") is a label, not a name with a title. */
    if (*next)
        for (size_t i = 0; i < GENDER_COUNT(gender_titles); i++)
            if (gender_word_is(w, len, gender_titles[i].word))
                return gender_titles[i].gender;
    size_t n = strlen(name);
    while (n && name[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < GENDER_COUNT(gender_zh); i++) {
        size_t k = strlen(gender_zh[i].suffix);
        if (n > k && !memcmp(name + n - k, gender_zh[i].suffix, k))
            return gender_zh[i].gender;
    }
    return GENDER_UNKNOWN;
}

/* Compares word with the name field of the table line [line, end). */
static int gender_cmp_line(const char *word, size_t len, const char *line, const char *end)
{
    const char *tab = memchr(line, '\t', (size_t)(end - line));
    size_t n = tab ? (size_t)(tab - line) : (size_t)(end - line);
    int c = memcmp(word, line, len < n ? len : n);
    if (c)
        return c;
    return len < n ? -1 : len > n ? 1 : 0;
}

enum person_gender gender_table_lookup(const char *word, size_t len)
{
    const char *base = scriptcast_given_names_tsv;
    size_t total = gender_table_len();
    size_t lo = 0, hi = total;
    /* Comment lines start with '#', which sorts before every name. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t ls = mid;
        while (ls > lo && base[ls - 1] != '\n')
            ls--;
        const char *le = memchr(base + ls, '\n', total - ls);
        size_t lend = le ? (size_t)(le - base) : total;
        int c = base[ls] == '#' ? 1 : gender_cmp_line(word, len, base + ls, base + lend);
        if (c == 0) {
            const char *tab = memchr(base + ls, '\t', lend - ls);
            if (tab && tab + 1 < base + lend)
                return tab[1] == 'f' ? GENDER_FEMALE : tab[1] == 'm' ? GENDER_MALE : GENDER_UNKNOWN;
            return GENDER_UNKNOWN;
        }
        if (c < 0)
            hi = ls;
        else
            lo = lend + 1;
    }
    return GENDER_UNKNOWN;
}

/* Looks up a word of Latin letters, folded to lower case and with accents
 * dropped as the table writes them (André andre, Chloé chloe, José jose);
 * others are not in the table. */
static enum person_gender gender_lookup_folded(const char *w, size_t len)
{
    /* U+00C0-U+00FF without their accents; '*' for none (Æ, ×, ß ...) */
    static const char latin1[] = "aaaaaa*ceeeeiiii*nooooo*ouuuuy**aaaaaa*ceeeeiiii*nooooo*ouuuuy*y";
    char buf[40];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = w[i];
        if ((unsigned char)c == 0xC3 && i + 1 < len && (unsigned char)w[i + 1] >= 0x80 &&
            (unsigned char)w[i + 1] <= 0xBF) {
            c = latin1[(unsigned char)w[++i] - 0x80];
            if (c == '*')
                return GENDER_UNKNOWN;
        }
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c < 'a' || c > 'z' || n + 1 >= sizeof(buf))
            return GENDER_UNKNOWN;
        buf[n++] = c;
    }
    return n ? gender_table_lookup(buf, n) : GENDER_UNKNOWN;
}

/*
 * A name in Cyrillic looked up by its Latin spelling: the table's names are
 * spelled in Latin (Анна anna, Борис boris, Ольга olga, Татьяна tatyana),
 * and where that misses, with the endings -ий and -ия as the table spells
 * them (Дмитрий dmitri, Анастасия anastasia). UNKNOWN for other words.
 */
static enum person_gender gender_lookup_cyrillic(const char *w, size_t len)
{
    /* а..я (U+0430-U+044F); a capital А..Я (U+0410-U+042F) is the same
     * letter 0x20 lower. "" for the signs, which have no letter. */
    static const char *const lat[32] = {
        "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};
    char buf[48];
    size_t n = 0;
    for (size_t i = 0; i < len; i += 2) {
        unsigned c0 = (unsigned char)w[i], c1 = i + 1 < len ? (unsigned char)w[i + 1] : 0;
        unsigned cp = ((c0 & 0x1F) << 6) | (c1 & 0x3F);
        if ((c0 != 0xD0 && c0 != 0xD1) || (c1 & 0xC0) != 0x80)
            return GENDER_UNKNOWN;
        if (cp == 0x401 || cp == 0x451)
            cp = 0x435; /* ё as е */
        if (cp >= 0x410 && cp <= 0x42F)
            cp += 0x20;
        if (cp < 0x430 || cp > 0x44F)
            return GENDER_UNKNOWN;
        const char *l = lat[cp - 0x430];
        size_t k = strlen(l);
        if (n + k + 1 >= sizeof(buf))
            return GENDER_UNKNOWN;
        memcpy(buf + n, l, k);
        n += k;
    }
    enum person_gender g = n ? gender_table_lookup(buf, n) : GENDER_UNKNOWN;
    if (g == GENDER_UNKNOWN && n > 3 && !memcmp(buf + n - 3, "iya", 3)) {
        memcpy(buf + n - 3, "ia", 2);
        g = gender_table_lookup(buf, n - 1);
    } else if (g == GENDER_UNKNOWN && n > 2 && !memcmp(buf + n - 2, "iy", 2)) {
        g = gender_table_lookup(buf, n - 1);
    }
    return g;
}

enum person_gender gender_from_given_name(const char *name)
{
    size_t len;
    const char *next;
    const char *w = gender_word(name, &len, &next);
    for (bool titled = true; titled && *next;) {
        titled = false;
        for (size_t i = 0; gender_neutral_titles[i] && !titled; i++)
            titled = gender_word_is(w, len, gender_neutral_titles[i]);
        for (size_t i = 0; i < GENDER_COUNT(gender_titles) && !titled; i++)
            titled = gender_word_is(w, len, gender_titles[i].word);
        if (titled)
            w = gender_word(next, &len, &next);
    }
    /* "Maya," or "Jo:" in a label: only the letters count. */
    while (len && (w[len - 1] == ',' || w[len - 1] == ':'))
        len--;
    enum person_gender g = gender_lookup_folded(w, len);
    if (g == GENDER_UNKNOWN)
        g = gender_lookup_cyrillic(w, len);
    const char *hyphen = memchr(w, '-', len);
    if (g == GENDER_UNKNOWN && hyphen)
        g = gender_lookup_folded(w, (size_t)(hyphen - w));
    return g;
}

/* Whether the word w (len bytes) ends in one of the endings. */
static bool gender_ends_in(const char *w, size_t len, const char *const *endings)
{
    for (size_t i = 0; endings[i]; i++) {
        size_t k = strlen(endings[i]);
        if (len > k && !memcmp(w + len - k, endings[i], k))
            return true;
    }
    return false;
}

/* A Cyrillic capital, as a Russian name begins with. */
static bool gender_cyrillic_word(const char *w, size_t len)
{
    if (len < 4)
        return false;
    unsigned c0 = (unsigned char)w[0], c1 = (unsigned char)w[1];
    return (c0 == 0xD0 && c1 >= 0x81 && c1 <= 0xAF);
}

enum person_gender gender_from_russian_name(const char *name)
{
    /* Patronymics and surnames agree with their bearer: Сергеевна,
     * Соколова, Петровская are a woman's; Сергеевич, Соколов, Петровский
     * a man's. Checked from the last word back (surname, patronymic). */
    static const char *const female[] = {"овна", "евна", "ична", "ова",  "ева", "ёва",
                                         "ина",  "ына",  "ская", "цкая", NULL};
    static const char *const male[] = {"ович", "евич", "ич",   "ов",   "ев", "ёв",
                                       "ин",   "ын",   "ский", "цкий", NULL};
    const char *words[3];
    size_t lens[3], n = 0;
    for (const char *p = name; *p && n <= 3;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p == w)
            break;
        if (n == 3)
            return GENDER_UNKNOWN; /* not a Russian name of 1-3 words */
        words[n] = w;
        lens[n++] = (size_t)(p - w);
    }
    if (!n)
        return GENDER_UNKNOWN;
    for (size_t i = n; i-- > 0;) {
        const char *w = words[i];
        size_t len = lens[i];
        if (!gender_cyrillic_word(w, len))
            continue;
        if (gender_ends_in(w, len, female))
            return GENDER_FEMALE;
        if (gender_ends_in(w, len, male))
            return GENDER_MALE;
    }
    return GENDER_UNKNOWN;
}
