/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing systems by Unicode block (contract in writing.h). Blocks, not the
 * full Script property: a transcript's letters come from the main block of
 * each script, and the few shared characters that matter (the katakana
 * middle dot, the prolonged sound mark, combining marks, joiners) are
 * decided here one by one.
 */
#include "util/writing.h"
#include "util/utf8.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

struct writing_block {
    int32_t lo, hi;
    enum writing w;
};

/* Ascending, not overlapping; letters only (punctuation inside a block is
 * filtered by writing_of()). */
static const struct writing_block WRITING_BLOCKS[] = {
    {0x0041, 0x005A, WRITING_LATIN},    {0x0061, 0x007A, WRITING_LATIN},
    {0x00C0, 0x024F, WRITING_LATIN},    {0x0250, 0x02AF, WRITING_LATIN},
    {0x0300, 0x036F, WRITING_MARK},     {0x0370, 0x03FF, WRITING_GREEK},
    {0x0400, 0x052F, WRITING_CYRILLIC}, {0x0531, 0x058F, WRITING_ARMENIAN},
    {0x0591, 0x05FF, WRITING_HEBREW},   {0x0600, 0x06FF, WRITING_ARABIC},
    {0x0750, 0x077F, WRITING_ARABIC},   {0x0900, 0x097F, WRITING_DEVANAGARI},
    {0x0980, 0x09FF, WRITING_BENGALI},  {0x0A00, 0x0A7F, WRITING_GURMUKHI},
    {0x0A80, 0x0AFF, WRITING_GUJARATI}, {0x0B00, 0x0B7F, WRITING_ORIYA},
    {0x0B80, 0x0BFF, WRITING_TAMIL},    {0x0C00, 0x0C7F, WRITING_TELUGU},
    {0x0C80, 0x0CFF, WRITING_KANNADA},  {0x0D00, 0x0D7F, WRITING_MALAYALAM},
    {0x0D80, 0x0DFF, WRITING_SINHALA},  {0x0E00, 0x0E7F, WRITING_THAI},
    {0x0E80, 0x0EFF, WRITING_LAO},      {0x0F00, 0x0FFF, WRITING_TIBETAN},
    {0x1000, 0x109F, WRITING_MYANMAR},  {0x10A0, 0x10FF, WRITING_GEORGIAN},
    {0x1100, 0x11FF, WRITING_HANGUL},   {0x1200, 0x139F, WRITING_ETHIOPIC},
    {0x1780, 0x17FF, WRITING_KHMER},    {0x1AB0, 0x1AFF, WRITING_MARK},
    {0x1C80, 0x1C8F, WRITING_CYRILLIC}, {0x1DC0, 0x1DFF, WRITING_MARK},
    {0x1E00, 0x1EFF, WRITING_LATIN},    {0x1F00, 0x1FFF, WRITING_GREEK},
    {0x200C, 0x200D, WRITING_MARK},     {0x2C60, 0x2C7F, WRITING_LATIN},
    {0x2D00, 0x2D2F, WRITING_GEORGIAN}, {0x2DE0, 0x2DFF, WRITING_CYRILLIC},
    {0x3040, 0x309F, WRITING_KANA},     {0x30A0, 0x30FF, WRITING_KANA},
    {0x3130, 0x318F, WRITING_HANGUL},   {0x31F0, 0x31FF, WRITING_KANA},
    {0xA640, 0xA69F, WRITING_CYRILLIC}, {0xA720, 0xA7FF, WRITING_LATIN},
    {0xAB30, 0xAB6F, WRITING_LATIN},    {0xAC00, 0xD7AF, WRITING_HANGUL},
    {0xFB1D, 0xFB4F, WRITING_HEBREW},   {0xFB50, 0xFDFF, WRITING_ARABIC},
    {0xFE20, 0xFE2F, WRITING_MARK},     {0xFE70, 0xFEFF, WRITING_ARABIC},
    {0xFF21, 0xFF3A, WRITING_LATIN},    {0xFF41, 0xFF5A, WRITING_LATIN},
    {0xFF66, 0xFF9F, WRITING_KANA},     {0xFFA0, 0xFFDC, WRITING_HANGUL},
};

/* Punctuation, digits and signs inside the letter blocks above. */
static bool writing_is_sign(int32_t cp)
{
    return cp == 0x00D7 || cp == 0x00F7 || cp == 0x037E || cp == 0x0387 || cp == 0x055D ||
           cp == 0x0589 || cp == 0x05BE || cp == 0x05C0 || cp == 0x05C3 || cp == 0x05F3 ||
           cp == 0x05F4 || (cp >= 0x0600 && cp <= 0x060F && cp != 0x0610) || cp == 0x061B ||
           cp == 0x061F || (cp >= 0x0660 && cp <= 0x066D) || cp == 0x06D4 ||
           (cp >= 0x06F0 && cp <= 0x06F9) || cp == 0x0964 || cp == 0x0965 ||
           (cp >= 0x0966 && cp <= 0x096F) || (cp >= 0x0E50 && cp <= 0x0E59) || cp == 0x0E3F ||
           cp == 0x30FB || cp == 0x30A0 || cp == 0x10FB || cp == 0x1362 || cp == 0x1363 ||
           cp == 0x1364 || cp == 0x1365 || cp == 0x1366 || cp == 0x1367 || cp == 0x1368 ||
           (cp >= 0x1040 && cp <= 0x1049) || cp == 0x104A || cp == 0x104B || cp == 0x17D4 ||
           cp == 0x17D5 || (cp >= 0x17E0 && cp <= 0x17E9) || (cp >= 0xFF61 && cp <= 0xFF65);
}

enum writing writing_of(int32_t cp)
{
    if (cp < 0x41)
        return WRITING_NONE;
    if (utf8_is_han(cp))
        return WRITING_HAN;
    if (writing_is_sign(cp))
        return WRITING_NONE;
    size_t lo = 0, hi = sizeof(WRITING_BLOCKS) / sizeof(WRITING_BLOCKS[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < WRITING_BLOCKS[mid].lo)
            hi = mid;
        else if (cp > WRITING_BLOCKS[mid].hi)
            lo = mid + 1;
        else
            return WRITING_BLOCKS[mid].w;
    }
    /* Other letters of scripts we do not name: large blocks of the BMP and
     * beyond that are not punctuation, symbols or CJK. */
    if ((cp >= 0x1400 && cp <= 0x1FFF) || (cp >= 0xA000 && cp <= 0xABFF) ||
        (cp >= 0x10000 && cp < 0x1F000))
        return WRITING_OTHER;
    return WRITING_NONE;
}

static const char *const WRITING_NAMES[WRITING_COUNT] = {
    [WRITING_NONE] = "none",         [WRITING_MARK] = "mark",
    [WRITING_LATIN] = "Latin",       [WRITING_HAN] = "Han",
    [WRITING_KANA] = "kana",         [WRITING_HANGUL] = "Hangul",
    [WRITING_CYRILLIC] = "Cyrillic", [WRITING_GREEK] = "Greek",
    [WRITING_ARMENIAN] = "Armenian", [WRITING_HEBREW] = "Hebrew",
    [WRITING_ARABIC] = "Arabic",     [WRITING_DEVANAGARI] = "Devanagari",
    [WRITING_BENGALI] = "Bengali",   [WRITING_GURMUKHI] = "Gurmukhi",
    [WRITING_GUJARATI] = "Gujarati", [WRITING_ORIYA] = "Oriya",
    [WRITING_TAMIL] = "Tamil",       [WRITING_TELUGU] = "Telugu",
    [WRITING_KANNADA] = "Kannada",   [WRITING_MALAYALAM] = "Malayalam",
    [WRITING_SINHALA] = "Sinhala",   [WRITING_THAI] = "Thai",
    [WRITING_LAO] = "Lao",           [WRITING_TIBETAN] = "Tibetan",
    [WRITING_MYANMAR] = "Myanmar",   [WRITING_GEORGIAN] = "Georgian",
    [WRITING_ETHIOPIC] = "Ethiopic", [WRITING_KHMER] = "Khmer",
    [WRITING_OTHER] = "other",
};

const char *writing_name(enum writing w)
{
    return w < WRITING_COUNT ? WRITING_NAMES[w] : "?";
}

static const char *const WRITING_LANGS[WRITING_COUNT] = {
    [WRITING_HAN] = "zh",      [WRITING_KANA] = "ja",      [WRITING_HANGUL] = "ko",
    [WRITING_CYRILLIC] = "ru", [WRITING_GREEK] = "el",     [WRITING_ARMENIAN] = "hy",
    [WRITING_HEBREW] = "he",   [WRITING_ARABIC] = "ar",    [WRITING_DEVANAGARI] = "hi",
    [WRITING_BENGALI] = "bn",  [WRITING_GURMUKHI] = "pa",  [WRITING_GUJARATI] = "gu",
    [WRITING_ORIYA] = "or",    [WRITING_TAMIL] = "ta",     [WRITING_TELUGU] = "te",
    [WRITING_KANNADA] = "kn",  [WRITING_MALAYALAM] = "ml", [WRITING_SINHALA] = "si",
    [WRITING_THAI] = "th",     [WRITING_LAO] = "lo",       [WRITING_TIBETAN] = "bo",
    [WRITING_MYANMAR] = "my",  [WRITING_GEORGIAN] = "ka",  [WRITING_ETHIOPIC] = "am",
    [WRITING_KHMER] = "km",
};

const char *writing_lang(enum writing w)
{
    return w < WRITING_COUNT ? WRITING_LANGS[w] : NULL;
}

/* Languages not written in the script writing_lang() gives them, or whose
 * script has no language of its own there. */
static const struct {
    const char *lang;
    enum writing w;
} WRITING_OF_LANG[] = {
    {"zh", WRITING_HAN},         {"cmn", WRITING_HAN},        {"yue", WRITING_HAN},
    {"hak", WRITING_HAN},        {"ja", WRITING_KANA},        {"ko", WRITING_HANGUL},
    {"ru", WRITING_CYRILLIC},    {"uk", WRITING_CYRILLIC},    {"bg", WRITING_CYRILLIC},
    {"sr", WRITING_CYRILLIC},    {"mk", WRITING_CYRILLIC},    {"be", WRITING_CYRILLIC},
    {"kk", WRITING_CYRILLIC},    {"ky", WRITING_CYRILLIC},    {"mn", WRITING_CYRILLIC},
    {"tg", WRITING_CYRILLIC},    {"tt", WRITING_CYRILLIC},    {"ba", WRITING_CYRILLIC},
    {"cv", WRITING_CYRILLIC},    {"el", WRITING_GREEK},       {"grc", WRITING_GREEK},
    {"hy", WRITING_ARMENIAN},    {"hyw", WRITING_ARMENIAN},   {"he", WRITING_HEBREW},
    {"yi", WRITING_HEBREW},      {"ar", WRITING_ARABIC},      {"fa", WRITING_ARABIC},
    {"ur", WRITING_ARABIC},      {"ps", WRITING_ARABIC},      {"sd", WRITING_ARABIC},
    {"ug", WRITING_ARABIC},      {"ckb", WRITING_ARABIC},     {"hi", WRITING_DEVANAGARI},
    {"mr", WRITING_DEVANAGARI},  {"ne", WRITING_DEVANAGARI},  {"sa", WRITING_DEVANAGARI},
    {"kok", WRITING_DEVANAGARI}, {"mai", WRITING_DEVANAGARI}, {"bho", WRITING_DEVANAGARI},
    {"bn", WRITING_BENGALI},     {"as", WRITING_BENGALI},     {"bpy", WRITING_BENGALI},
    {"pa", WRITING_GURMUKHI},    {"gu", WRITING_GUJARATI},    {"or", WRITING_ORIYA},
    {"ta", WRITING_TAMIL},       {"te", WRITING_TELUGU},      {"kn", WRITING_KANNADA},
    {"ml", WRITING_MALAYALAM},   {"si", WRITING_SINHALA},     {"th", WRITING_THAI},
    {"shn", WRITING_MYANMAR},    {"lo", WRITING_LAO},         {"bo", WRITING_TIBETAN},
    {"my", WRITING_MYANMAR},     {"ka", WRITING_GEORGIAN},    {"am", WRITING_ETHIOPIC},
    {"ti", WRITING_ETHIOPIC},    {"km", WRITING_KHMER},
};

enum writing writing_of_lang(const char *lang)
{
    if (!lang)
        return WRITING_LATIN;
    /* The base language decides ("zh-tw", "sr-latn" aside). */
    size_t n = strcspn(lang, "-_");
    if (n == 2 && !strncasecmp(lang, "sr", 2) && !strncasecmp(lang + 2, "-latn", 5))
        return WRITING_LATIN;
    for (size_t i = 0; i < sizeof(WRITING_OF_LANG) / sizeof(WRITING_OF_LANG[0]); i++)
        if (strlen(WRITING_OF_LANG[i].lang) == n && !strncasecmp(lang, WRITING_OF_LANG[i].lang, n))
            return WRITING_OF_LANG[i].w;
    return WRITING_LATIN;
}

bool writing_is_cjk(enum writing w)
{
    return w == WRITING_HAN || w == WRITING_KANA || w == WRITING_HANGUL;
}
