/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Metadata list items in the body (contract in meta.h). Chinese podcast
 * write-ups start with a list of "嘉宾：…", "时间：…", "YouTube 链接：…";
 * English ones with "Guest: …", "Episode: …". None of it is speech.
 */
#include "script/meta.h"
#include "script/label.h"
#include "script/people.h"
#include "script/script.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <string.h>
#include <strings.h>

static bool meta_word_in(const char *s, size_t n, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !strncasecmp(words[i], s, n))
            return true;
    return false;
}

static bool meta_contains(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(s + i, w, k))
            return true;
    return false;
}

bool meta_split(const char *line, size_t *key_len, size_t *value_start)
{
    const char *p = line, *end = line + strlen(line);
    while (p < end && *p == ' ')
        p++;
    const char *key = p;
    size_t cjk = 0, words = 1;
    while (p < end && p - key <= 48) {
        const char *at = p;
        int32_t cp = utf8_decode(&p, end);
        if (cp == ':' || cp == 0xFF1A) {
            if (cp == ':' && end - p >= 2 && p[0] == '/' && p[1] == '/')
                return false;
            if (cp == ':' && at > key && at[-1] >= '0' && at[-1] <= '9' && p < end && *p >= '0' &&
                *p <= '9')
                return false;
            size_t n = (size_t)(at - key);
            while (n && key[n - 1] == ' ')
                n--;
            if (!n || cjk > 10 || words > 5)
                return false;
            while (p < end && *p == ' ')
                p++;
            *key_len = n;
            *value_start = (size_t)(p - line);
            return true;
        }
        if (cp < 0 || cp == 0x3002 || cp == 0xFF0C || cp == 0xFF01 || cp == 0xFF1F || cp == '!' ||
            cp == '?' || cp == ',' || cp == ';' || cp == '"' || cp == 0x201C)
            return false;
        if (cp == '.' && p < end && *p == ' ')
            return false; /* a sentence ends before the colon */
        if (cp == ' ')
            words++;
        if (utf8_is_han(cp))
            cjk++;
    }
    return false;
}

/* Plural and possessive forms of the same word count too ("Guests"). */
static size_t meta_singular(const char *s, size_t n)
{
    if (n > 3 && (s[n - 1] == 's' || s[n - 1] == 'S') && (unsigned char)s[0] < 0x80)
        return n - 1;
    return n;
}

bool meta_is_people_key(const char *key, size_t len)
{
    static const char *const latin[] = {"host",
                                        "co-host",
                                        "cohost",
                                        "guest",
                                        "speaker",
                                        "interviewer",
                                        "interviewee",
                                        "moderator",
                                        "panelist",
                                        "panellist",
                                        "presenter",
                                        "people",
                                        "participant",
                                        "featuring",
                                        "with",
                                        "anfitrión",
                                        "anfitrion",
                                        "invitado",
                                        "invitada",
                                        "invitados",
                                        "ponente",
                                        "entrevistador",
                                        "entrevistadora",
                                        "entrevistado",
                                        "entrevistada",
                                        "presentador",
                                        "presentadora",
                                        "participante",
                                        NULL};
    static const char *const han[] = {"主持",   "嘉宾",   "嘉賓",   "演讲者", "演講者", "讲者",
                                      "講者",   "主讲",   "主講",   "主播",   "受访者", "采访者",
                                      "访谈者", "对谈",   "分享人", "分享者", "讲师",   "出场人物",
                                      "参与者", "与会者", "发言人", NULL};
    if (meta_word_in(key, meta_singular(key, len), latin) || meta_word_in(key, len, latin))
        return true;
    for (size_t i = 0; han[i]; i++)
        if (meta_contains(key, len, han[i]))
            return true;
    return false;
}

bool meta_is_info_key(const char *key, size_t len)
{
    static const char *const latin[] = {
        "date", "time", "recorded", "recording", "location", "place", "link", "url", "website",
        "source", "episode", "podcast", "show", "title", "duration", "length", "tags", "topic",
        "youtube", "spotify", "apple podcasts", "video", "audio", "transcript", "published",
        "event", "venue", "slides", "fecha", "lugar", "enlace", "fuente", "episodio", "duración",
        "vídeo", "título", "tema",
        /* Portuguese, French, German, Italian; Russian, Korean and Japanese
         * as their transcripts capitalize them (matched exactly) */
        "tópico", "localização", "local", "data", "pesquisa", "pesquisar", "transcrição", "evento",
        "apresentação", "lieu", "sujet", "thème", "lien", "durée", "épisode", "émission", "titre",
        "diapositives", "datum", "ort", "thema", "dauer", "folge", "sendung", "titel", "aufnahme",
        "quelle", "veranstaltung", "folien", "luogo", "argomento", "durata", "puntata", "titolo",
        "fonte", "Дата", "Место", "Тема", "Ссылка", "Источник", "Выпуск", "Видео", "Слайды", "일시",
        "장소", "주제", "출처", "날짜", "日時", "場所", "テーマ", "出典", "収録日", NULL};
    static const char *const han[] = {
        "日期", "时间", "時間", "地点", "地點", "链接", "鏈接", "网址", "来源", "來源", "节目",
        "節目", "播客", "标题", "時長", "时长", "标签", "话题", "主题", "概要", "摘要", "简介",
        "原文", "视频", "音频", "录制", "发布", "会议", "活动", "期数", NULL};
    if (meta_word_in(key, meta_singular(key, len), latin) || meta_word_in(key, len, latin))
        return true;
    /* "YouTube 链接", "Apple Podcasts link", "Video URL" */
    size_t last = len;
    while (last && key[last - 1] != ' ')
        last--;
    if (last && meta_word_in(key + last, len - last, latin))
        return true;
    for (size_t i = 0; han[i]; i++)
        if (meta_contains(key, len, han[i]))
            return true;
    return false;
}

bool meta_is_details_heading(const char *text)
{
    static const char *const latin[] = {
        "details",      "detail",  "show notes",  "shownotes",
        "notes",        "info",    "information", "metadata",
        "episode info", "about",   "links",       "resources",
        "references",   "sources", "contents",    "table of contents",
        "detalles",     "índice",  "información", "datos",
        "enlaces",      "notas",   NULL};
    static const char *const han[] = {"信息", "详情", "詳情", "资料",   "資料", "链接",
                                      "鏈接", "简介", "簡介", "元数据", "参考", "来源",
                                      "來源", "目录", "目錄", NULL};
    size_t n = strlen(text);
    if (meta_word_in(text, n, latin))
        return true;
    /* "目录 (Table of Contents)": the words before a parenthesis */
    const char *paren = strchr(text, '(');
    if (paren && paren > text) {
        size_t k = (size_t)(paren - text);
        while (k && text[k - 1] == ' ')
            k--;
        char head[64];
        if (k < sizeof(head)) {
            memcpy(head, text, k);
            head[k] = '\0';
            if (meta_is_details_heading(head))
                return true;
        }
    }
    /* the last word: "Episode details", "Episode Info" */
    size_t last = n;
    while (last && text[last - 1] != ' ')
        last--;
    if (last && meta_word_in(text + last, n - last, latin))
        return true;
    if (utf8_length(text) > 12)
        return false;
    for (size_t i = 0; han[i]; i++)
        if (meta_contains(text, n, han[i]))
            return true;
    return false;
}

/* The separator at p between names, and its length; 0 when none. */
static size_t meta_name_sep(const char *p, const char *end)
{
    static const char *const seps[] = {
        ",", "\xEF\xBC\x8C", "\xE3\x80\x81", ";", "\xEF\xBC\x9B", "&", "/", " and ", " y ", NULL};
    for (size_t i = 0; seps[i]; i++) {
        size_t k = strlen(seps[i]);
        if ((size_t)(end - p) >= k && !memcmp(p, seps[i], k))
            return k;
    }
    return 0;
}

/* Calls fn for every name of value, name and alias trimmed. */
typedef void (*meta_name_fn)(const char *name, size_t nlen, const char *alias, size_t alen,
                             void *ctx);

static void meta_one(const char *b, const char *e, meta_name_fn fn, void *ctx)
{
    while (b < e && *b == ' ')
        b++;
    while (e > b && e[-1] == ' ')
        e--;
    if (b >= e)
        return;
    const char *alias = NULL;
    size_t alen = 0;
    const char *open = NULL;
    for (const char *p = b; p < e; p++) {
        if (*p == '(' || !strncmp(p, "\xEF\xBC\x88", 3)) {
            open = p;
            break;
        }
    }
    if (open && open > b) {
        const char *in = open + (*open == '(' ? 1 : 3);
        const char *close = e;
        if (e - in >= 1 && e[-1] == ')')
            close = e - 1;
        else if (e - in >= 3 && !memcmp(e - 3, "\xEF\xBC\x89", 3))
            close = e - 3;
        while (in < close && *in == ' ')
            in++;
        while (close > in && close[-1] == ' ')
            close--;
        /* "宋宝华（Barry Song）" is an alias; "（Claude Code 工程师，Anthropic）" a
         * description, and "（主持人）" a role. */
        if (close > in && label_is_alias(in, (size_t)(close - in))) {
            alias = in;
            alen = (size_t)(close - in);
        }
        e = open;
        while (e > b && e[-1] == ' ')
            e--;
    }
    if (e > b)
        fn(b, (size_t)(e - b), alias, alen, ctx);
}

/* "Cat 和 Boris", "Ana与Luis": 和 or 与 between names that are not Han (in
 * "张和平" it is part of a name). */
static bool meta_han_and(const char *value, const char *p, const char *end)
{
    if (end - p < 3 || (memcmp(p, "\xE5\x92\x8C", 3) && memcmp(p, "\xE4\xB8\x8E", 3)))
        return false;
    const char *b = p;
    while (b > value && b[-1] == ' ')
        b--;
    const char *a = p + 3;
    while (a < end && *a == ' ')
        a++;
    if (b == value || a >= end)
        return false;
    const char *q = b - 1;
    while (q > value && ((unsigned char)*q & 0xC0) == 0x80)
        q--;
    int32_t before = utf8_decode(&q, end);
    q = a;
    int32_t after = utf8_decode(&q, end);
    return !utf8_is_han(before) && !utf8_is_han(after);
}

static void meta_each_name(const char *value, meta_name_fn fn, void *ctx)
{
    const char *p = value, *start = value, *end = value + strlen(value);
    int depth = 0;
    while (p < end) {
        if (*p == '(' || !strncmp(p, "\xEF\xBC\x88", 3))
            depth++;
        else if ((*p == ')' || !strncmp(p, "\xEF\xBC\x89", 3)) && depth)
            depth--;
        size_t k = depth ? 0 : meta_name_sep(p, end);
        if (!k && !depth && meta_han_and(value, p, end))
            k = 3;
        if (k) {
            meta_one(start, p, fn, ctx);
            p += k;
            start = p;
            continue;
        }
        const char *q = p;
        utf8_decode(&q, end);
        p = q;
    }
    meta_one(start, end, fn, ctx);
}

struct meta_names_ctx {
    size_t n, plausible, aliases;
};

static void meta_count_name(const char *name, size_t nlen, const char *alias, size_t alen,
                            void *ctx)
{
    struct meta_names_ctx *x = ctx;
    x->n++;
    x->plausible += label_plausible(name, nlen) && (!alias || alen <= 40);
    x->aliases += alias != NULL;
}

bool meta_looks_like_names(const char *value)
{
    /* Speech ends sentences; a list of names does not. */
    size_t n = strlen(value);
    while (n && value[n - 1] == ' ')
        n--;
    if (!n || strchr(".!?", value[n - 1]) || strstr(value, "\xE3\x80\x82") ||
        strstr(value, "\xEF\xBC\x81") || strstr(value, "\xEF\xBC\x9F"))
        return false;
    struct meta_names_ctx x = {0, 0, 0};
    meta_each_name(value, meta_count_name, &x);
    if (!x.n || x.plausible != x.n)
        return false;
    if (x.n >= 2 || x.aliases)
        return true; /* "Cat & Boris", "宋宝华（Barry Song）" */
    /* One CJK word ("下午好") is as likely speech as a name. */
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p >= 0x80)
            return false;
    return true;
}

bool meta_looks_like_speech(const char *value)
{
    /* Parentheses hold notes ("（Claude Code 工程师，Anthropic）"), not speech. */
    size_t words = 1, han = 0;
    int depth = 0;
    const char *p = value, *end = value + strlen(value);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        if (cp == '(' || cp == 0xFF08)
            depth++;
        else if ((cp == ')' || cp == 0xFF09) && depth)
            depth--;
        else if (depth)
            continue;
        else if (cp == '.' || cp == '!' || cp == '?' || cp == ',' || cp == 0x3002 || cp == 0xFF01 ||
                 cp == 0xFF1F || cp == 0xFF0C)
            return true;
        else if (cp == ' ')
            words++;
        else if (utf8_is_han(cp))
            han++;
    }
    return words > 4 || han > 8;
}

struct meta_declare_ctx {
    struct script *s;
    int line, col;
    struct strbuf *names;
    size_t n;
};

static void meta_declare_one(const char *name, size_t nlen, const char *alias, size_t alen,
                             void *ctx)
{
    struct meta_declare_ctx *x = ctx;
    int who = people_find(x->s, name, nlen);
    if (who < 0 && alias)
        who = people_find(x->s, alias, alen);
    if (who < 0)
        who = people_add(x->s, name, nlen, PERSON_FIELD, x->line, x->col);
    if (alias)
        people_alias_add(x->s, who, alias, alen);
    if (x->names->len)
        strbuf_adds(x->names, ", ");
    strbuf_adds(x->names, x->s->people[who].name);
    x->n++;
}

size_t meta_declare(struct script *s, const char *value, int line, int col, struct strbuf *names)
{
    struct meta_declare_ctx x = {s, line, col, names, 0};
    meta_each_name(value, meta_declare_one, &x);
    return x.n;
}
