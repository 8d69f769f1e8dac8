/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ID3v2.3 tags and Vorbis comments built byte by byte (contract in
 * tags.h). ID3v2.3 with UTF-16 rather than v2.4 with UTF-8: both are
 * correct, but v2.3 is the version every tag reader in use understands
 * (some Windows and car players still read v2.4's UTF-8 as Latin-1).
 * Pure-ASCII strings use encoding 0, which every version reads alike.
 */
#include "audio/tags.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

uint64_t tags_ms(uint64_t pos, int rate)
{
    uint64_t r = (uint64_t)rate;
    return pos / r * 1000 + ((pos % r) * 1000 + r / 2) / r;
}

const char *tags_iso639_2(const char *lang)
{
    static const char *const map[][2] = {
        {"zh", "chi"}, {"en", "eng"}, {"ja", "jpn"}, {"ko", "kor"}, {"fr", "fre"},
        {"de", "ger"}, {"es", "spa"}, {"it", "ita"}, {"ru", "rus"}, {"pt", "por"},
    };
    if (!lang)
        return "und";
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strncmp(lang, map[i][0], 2) && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
            return map[i][1];
    return "und";
}

/* ---- ID3v2.3 ---- */

static void id3_be32(struct strbuf *sb, uint32_t v)
{
    char b[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    strbuf_add(sb, b, 4);
}

static bool id3_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* s as UTF-16 with a byte order mark (little-endian), NUL-terminated when term. */
static void id3_utf16(struct strbuf *sb, const char *s, bool term)
{
    strbuf_add(sb, "\xff\xfe", 2);
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        if (cp < 0)
            cp = 0xfffd;
        uint16_t u[2] = {(uint16_t)cp, 0};
        int n = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            u[0] = (uint16_t)(0xd800 + (cp >> 10));
            u[1] = (uint16_t)(0xdc00 + (cp & 0x3ff));
            n = 2;
        }
        for (int i = 0; i < n; i++) {
            strbuf_addc(sb, (char)(u[i] & 0xff));
            strbuf_addc(sb, (char)(u[i] >> 8));
        }
    }
    if (term)
        strbuf_add(sb, "\0\0", 2);
}

/* s in encoding 1 (UTF-16) or 0 (Latin-1, for ASCII only). */
static void id3_string(struct strbuf *sb, const char *s, bool utf16, bool term)
{
    if (utf16)
        id3_utf16(sb, s, term);
    else
        strbuf_add(sb, s, strlen(s) + (term ? 1 : 0));
}

/* Appends frame id with body (v2.3: plain 32-bit size, no flags). */
static void id3_frame(struct strbuf *out, const char *id, const struct strbuf *body)
{
    strbuf_add(out, id, 4);
    id3_be32(out, (uint32_t)body->len);
    strbuf_add(out, "\0\0", 2);
    strbuf_add(out, body->buf, body->len);
}

static void id3_text_frame(struct strbuf *out, const char *id, const char *value)
{
    if (!value || !*value)
        return;
    struct strbuf b = STRBUF_INIT;
    bool utf16 = !id3_ascii(value);
    strbuf_addc(&b, utf16 ? 1 : 0);
    id3_string(&b, value, utf16, false);
    id3_frame(out, id, &b);
    strbuf_release(&b);
}

/* COMM: encoding, language, short description, text. */
static void id3_comment(struct strbuf *out, const char *lang, const char *desc, const char *text)
{
    if (!text || !*text)
        return;
    struct strbuf b = STRBUF_INIT;
    /* Description and text share the frame's one encoding byte. */
    bool utf16 = !id3_ascii(desc) || !id3_ascii(text);
    strbuf_addc(&b, utf16 ? 1 : 0);
    strbuf_add(&b, lang, 3);
    id3_string(&b, desc, utf16, true);
    id3_string(&b, text, utf16, false);
    id3_frame(out, "COMM", &b);
    strbuf_release(&b);
}

static void id3_picture(struct strbuf *out, const struct audio_meta *m)
{
    if (!m->cover || !m->cover_len)
        return;
    struct strbuf b = STRBUF_INIT;
    strbuf_addc(&b, 0);
    strbuf_add(&b, m->cover_mime, strlen(m->cover_mime) + 1);
    strbuf_addc(&b, 3); /* front cover */
    strbuf_addc(&b, 0); /* empty description */
    strbuf_add(&b, m->cover, m->cover_len);
    id3_frame(out, "APIC", &b);
    strbuf_release(&b);
}

/* CTOC frames: a top-level ordered table; past 255 entries (a CTOC's limit), nested tables. */
static void id3_toc(struct strbuf *out, size_t nch)
{
    size_t nsub = nch > 255 ? (nch + 254) / 255 : 0;
    struct strbuf b = STRBUF_INIT;
    strbuf_add(&b, "toc", 4);
    strbuf_addc(&b, 0x03); /* top level, ordered */
    size_t n = nsub ? nsub : nch;
    strbuf_addc(&b, (char)n);
    for (size_t i = 0; i < n; i++)
        strbuf_addf(&b, "%s%zu%c", nsub ? "toc" : "ch", i + 1, 0);
    id3_frame(out, "CTOC", &b);
    for (size_t t = 0; t < nsub; t++) {
        strbuf_reset(&b);
        strbuf_addf(&b, "toc%zu%c", t + 1, 0);
        strbuf_addc(&b, 0x01); /* ordered */
        size_t first = t * 255, k = nch - first < 255 ? nch - first : 255;
        strbuf_addc(&b, (char)k);
        for (size_t i = 0; i < k; i++)
            strbuf_addf(&b, "ch%zu%c", first + i + 1, 0);
        id3_frame(out, "CTOC", &b);
    }
    strbuf_release(&b);
}

static void id3_chapter(struct strbuf *out, size_t i, const struct audio_chapter *c, int rate)
{
    struct strbuf b = STRBUF_INIT, sub = STRBUF_INIT;
    strbuf_addf(&b, "ch%zu%c", i + 1, 0);
    id3_be32(&b, (uint32_t)tags_ms(c->start, rate));
    id3_be32(&b, (uint32_t)tags_ms(c->end, rate));
    id3_be32(&b, 0xffffffffu); /* no byte offsets: times only */
    id3_be32(&b, 0xffffffffu);
    id3_text_frame(&sub, "TIT2", c->title ? c->title : "");
    strbuf_add(&b, sub.buf, sub.len);
    id3_frame(out, "CHAP", &b);
    strbuf_release(&sub);
    strbuf_release(&b);
}

void tags_id3(struct strbuf *out, const struct audio_meta *m, const struct audio_chapter *ch,
              size_t nch, int rate)
{
    struct strbuf f = STRBUF_INIT;
    id3_text_frame(&f, "TIT2", m->title);
    id3_text_frame(&f, "TPE1", m->artist);
    id3_text_frame(&f, "TALB", m->album);
    if (m->date && strlen(m->date) >= 4) {
        char year[5];
        memcpy(year, m->date, 4);
        year[4] = '\0';
        id3_text_frame(&f, "TYER", year);
        /* TDAT is DDMM, from YYYY-MM-DD. */
        const char *d = m->date;
        if (strlen(d) >= 10 && d[4] == '-' && d[7] == '-') {
            char dm[5] = {d[8], d[9], d[5], d[6], '\0'};
            id3_text_frame(&f, "TDAT", dm);
        }
    }
    id3_text_frame(&f, "TCON", m->genre);
    const char *lang = tags_iso639_2(m->language);
    if (m->language)
        id3_text_frame(&f, "TLAN", lang);
    id3_text_frame(&f, "TRCK", m->track);
    id3_comment(&f, lang, "", m->comment);
    /* ffmpeg and mutagen show a described COMM under its description. */
    id3_comment(&f, lang, "description", m->description);
    id3_picture(&f, m);
    if (nch) {
        id3_toc(&f, nch);
        for (size_t i = 0; i < nch; i++)
            id3_chapter(&f, i, &ch[i], rate);
    }
    /* Header: version 2.3.0, no flags, syncsafe size of what follows. */
    uint32_t n = (uint32_t)f.len;
    char h[10] = {'I',
                  'D',
                  '3',
                  3,
                  0,
                  0,
                  (char)((n >> 21) & 0x7f),
                  (char)((n >> 14) & 0x7f),
                  (char)((n >> 7) & 0x7f),
                  (char)(n & 0x7f)};
    strbuf_add(out, h, 10);
    strbuf_add(out, f.buf, f.len);
    strbuf_release(&f);
}

/* ---- Vorbis comments ---- */

static void vorbis_base64(struct strbuf *out, const unsigned char *p, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        strbuf_addc(out, a[(v >> 18) & 63]);
        strbuf_addc(out, a[(v >> 12) & 63]);
        strbuf_addc(out, i + 1 < n ? a[(v >> 6) & 63] : '=');
        strbuf_addc(out, i + 2 < n ? a[v & 63] : '=');
    }
}

/* The FLAC PICTURE block body, base64: what Ogg Vorbis and Opus readers take as cover. */
static void vorbis_picture(struct strbuf *out, const struct audio_meta *m)
{
    struct strbuf b = STRBUF_INIT;
    id3_be32(&b, 3); /* front cover */
    id3_be32(&b, (uint32_t)strlen(m->cover_mime));
    strbuf_adds(&b, m->cover_mime);
    id3_be32(&b, 0); /* description */
    id3_be32(&b, (uint32_t)m->cover_width);
    id3_be32(&b, (uint32_t)m->cover_height);
    id3_be32(&b, 0); /* colour depth and palette size: unknown (allowed) */
    id3_be32(&b, 0);
    id3_be32(&b, (uint32_t)m->cover_len);
    strbuf_add(&b, m->cover, m->cover_len);
    vorbis_base64(out, (const unsigned char *)b.buf, b.len);
    strbuf_release(&b);
}

void tags_vorbis(const struct audio_meta *m, const struct audio_chapter *ch, size_t nch, int rate,
                 bool picture, tags_add_fn add, void *ctx)
{
    /*
     * FFmpeg renames a COMMENT field to DESCRIPTION as it writes (its
     * generic "comment" is Vorbis's DESCRIPTION), so one field has to carry
     * both: the summary, then the voice disclosure.
     */
    struct strbuf desc = STRBUF_INIT;
    if (m->description && *m->description)
        strbuf_adds(&desc, m->description);
    if (m->comment && *m->comment)
        strbuf_addf(&desc, "%s%s", desc.len ? "\n\n" : "", m->comment);
    const struct {
        const char *key, *value;
    } fields[] = {
        {"TITLE", m->title},       {"ARTIST", m->artist},     {"ALBUM", m->album},
        {"DATE", m->date},         {"GENRE", m->genre},       {"DESCRIPTION", desc.buf},
        {"LANGUAGE", m->language}, {"TRACKNUMBER", m->track},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i].value && *fields[i].value)
            add(ctx, fields[i].key, fields[i].value);
    strbuf_release(&desc);
    /* The Vorbis chapter extension: CHAPTERxxx=HH:MM:SS.mmm, numbered from 001. */
    for (size_t i = 0; i < nch; i++) {
        char key[32], value[48];
        uint64_t ms = tags_ms(ch[i].start, rate);
        snprintf(key, sizeof(key), "CHAPTER%03zu", i + 1);
        snprintf(value, sizeof(value), "%02llu:%02llu:%02llu.%03llu",
                 (unsigned long long)(ms / 3600000), (unsigned long long)(ms / 60000 % 60),
                 (unsigned long long)(ms / 1000 % 60), (unsigned long long)(ms % 1000));
        add(ctx, key, value);
        snprintf(key, sizeof(key), "CHAPTER%03zuNAME", i + 1);
        add(ctx, key, ch[i].title ? ch[i].title : "");
    }
    if (picture && m->cover && m->cover_len) {
        struct strbuf b = STRBUF_INIT;
        vorbis_picture(&b, m);
        add(ctx, "METADATA_BLOCK_PICTURE", b.buf);
        strbuf_release(&b);
    }
}
