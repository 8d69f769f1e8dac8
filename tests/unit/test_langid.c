/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Language identification (src/util/langid.c, writing.c, the file-name
 * rule of src/script/doclang.c): writing systems of letters, the sentence
 * rule measured on tests/data/langid-sentences.tsv (175 short transcript
 * sentences in 7 languages) with each language as the document's — a
 * sentence in the document's language is never moved, and a sentence is
 * never moved to a language it is not in — the language tags a file
 * name may carry, and the document's language from the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/doclang.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/langid.h"
#include "util/writing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_writing(void **state)
{
    (void)state;
    static const struct {
        int32_t cp;
        enum writing w;
    } rows[] = {
        {'a', WRITING_LATIN},         {0xE9, WRITING_LATIN},   {0x1EA1, WRITING_LATIN},
        {'7', WRITING_NONE},          {',', WRITING_NONE},     {0xD7, WRITING_NONE},
        {0x4E2D, WRITING_HAN},        {0x3042, WRITING_KANA},  {0x30AB, WRITING_KANA},
        {0x30FB, WRITING_NONE},       {0x30FC, WRITING_KANA},  {0xD55C, WRITING_HANGUL},
        {0x0434, WRITING_CYRILLIC},   {0x03B1, WRITING_GREEK}, {0x05D0, WRITING_HEBREW},
        {0x0645, WRITING_ARABIC},     {0x061F, WRITING_NONE},  {0x0660, WRITING_NONE},
        {0x0928, WRITING_DEVANAGARI}, {0x0964, WRITING_NONE},  {0x0E01, WRITING_THAI},
        {0x10D0, WRITING_GEORGIAN},   {0x0301, WRITING_MARK},  {0x200C, WRITING_MARK},
        {0x3002, WRITING_NONE},       {0xFF21, WRITING_LATIN},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (writing_of(rows[i].cp) != rows[i].w)
            fail_msg("U+%04X: %s, want %s", (unsigned)rows[i].cp,
                     writing_name(writing_of(rows[i].cp)), writing_name(rows[i].w));
    assert_int_equal(writing_of_lang("ru"), WRITING_CYRILLIC);
    assert_int_equal(writing_of_lang("zh-TW"), WRITING_HAN);
    assert_int_equal(writing_of_lang("ja"), WRITING_KANA);
    assert_int_equal(writing_of_lang("fa"), WRITING_ARABIC);
    assert_int_equal(writing_of_lang("sr-Latn"), WRITING_LATIN);
    assert_int_equal(writing_of_lang("es"), WRITING_LATIN);
    assert_string_equal(writing_lang(WRITING_HANGUL), "ko");
    assert_null(writing_lang(WRITING_LATIN));
}

struct sentence {
    char lang[8];
    char *text;
};

static struct sentence *load(size_t *n)
{
    const char *src = getenv("SCRIPTCAST_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/tests/data/langid-sentences.tsv", src ? src : ".");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    struct sentence *v = NULL;
    size_t cap = 0;
    *n = 0;
    char line[2048];
    while (f && fgets(line, sizeof(line), f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab || tab - line >= 8)
            continue;
        line[strcspn(line, "\n")] = 0;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            v = realloc(v, cap * sizeof(*v));
            assert_non_null(v);
        }
        memcpy(v[*n].lang, line, (size_t)(tab - line));
        v[*n].lang[tab - line] = 0;
        v[*n].text = strdup(tab + 1);
        (*n)++;
    }
    if (f)
        fclose(f);
    return v;
}

static void test_sentences(void **state)
{
    (void)state;
    size_t n = 0;
    struct sentence *v = load(&n);
    assert_true(n >= 150);
    static const char *const priors[] = {"en", "es", "de", "fr", "it", "pt", "nl"};
    size_t kept = 0, own = 0, found = 0, foreign = 0, wrong = 0;
    for (size_t p = 0; p < sizeof(priors) / sizeof(priors[0]); p++) {
        size_t f_found = 0, f_all = 0;
        for (size_t i = 0; i < n; i++) {
            const char *got = langid_sentence(v[i].text, strlen(v[i].text), priors[p]);
            if (!strcmp(v[i].lang, priors[p])) {
                own++;
                if (got)
                    fail_msg("prior %s: \"%s\" moved to %s", priors[p], v[i].text, got);
                kept++;
                continue;
            }
            f_all++;
            if (got && !strcmp(got, v[i].lang))
                f_found++;
            else if (got)
                wrong++, printf("prior %s: %s \"%s\" moved to %s\n", priors[p], v[i].lang,
                                v[i].text, got);
        }
        printf("prior %s: %zu of %zu sentences of other languages identified\n", priors[p], f_found,
               f_all);
        found += f_found;
        foreign += f_all;
    }
    printf("kept %zu of %zu in the prior's language; %zu of %zu others identified; %zu moved "
           "wrongly\n",
           kept, own, found, foreign, wrong);
    /* Never to a language a sentence is not in; most foreign sentences found. */
    assert_int_equal(wrong, 0);
    assert_true(found * 100 >= foreign * 60);
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
}

static void test_english_in_spanish(void **state)
{
    (void)state;
    const char *en = "We are not going to stop until it works.";
    assert_string_equal(langid_sentence(en, strlen(en), "es"), "en");
    const char *es = "No vamos a parar hasta que funcione.";
    assert_null(langid_sentence(es, strlen(es), "es"));
    /* Short: keeps the document's language, whatever it reads as. */
    assert_null(langid_sentence("Thank you.", 10, "es"));
    assert_null(langid_sentence("Okay, sure.", 11, "es"));
    /* Spanish in an English document is found too. */
    assert_string_equal(langid_sentence(es, strlen(es), "en"), "es");
    /* A document: its languages and their shares. */
    const char *doc = "Bienvenidos al programa. Hoy hablamos con una ingeniera que trabaja en "
                      "la industria del software desde hace veinte años. Gracias por venir.";
    struct langid_guess g;
    assert_true(langid_guess(doc, strlen(doc), NULL, &g) >= 1);
    assert_string_equal(g.lang[0], "es");
    assert_true(g.reliable);
    char name[64];
    langid_name("es", name, sizeof(name));
    assert_string_equal(name, "Spanish");
    langid_name("he", name, sizeof(name));
    assert_string_equal(name, "Hebrew");
    langid_name("qqq", name, sizeof(name));
    assert_string_equal(name, "qqq");
    assert_true(langid_related("es", "gl"));
    assert_false(langid_related("es", "en"));
    assert_false(langid_related("es", "es"));
}

static void test_file_names(void **state)
{
    (void)state;
    static const struct {
        const char *path, *want;
    } rows[] = {
        {"talk.es.md", "es"},
        {"shows/ep2.ja.md", "ja"},
        {"x.zh-TW.md", "zh"},
        {"a/b.de-AT.md", "de-at"},
        {"ep.pt_BR.md", "pt-br"},
        {"notes.v2.md", NULL},
        {"the.end.md", NULL},
        {"talk.md", NULL},
        {"talk", NULL},
        {".es.md", NULL},
        {"es.md", NULL},
        {"dir.es/talk.md", NULL},
        {"talk.english.md", NULL},
        {"talk.fr.markdown", "fr"},
        {"ep.ru.md", "ru"},
        {"ep.ko.md", "ko"},
        {"ep.ar.md", "ar"},
        {"x.zz.md", NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = doclang_from_name(rows[i].path);
        if (!rows[i].want ? got != NULL : (!got || strcmp(got, rows[i].want)))
            fail_msg("%s: got %s, want %s", rows[i].path, got ? got : "(none)",
                     rows[i].want ? rows[i].want : "(none)");
        free(got);
    }
}

/* The document's language from the text, and the warning when it
 * contradicts the declared one (src/script/doclang.c). */
static void test_document_language(void **state)
{
    (void)state;
    static const struct {
        const char *path, *text, *lang, *from;
    } rows[] = {
        {"t.md", "Ana: Buenos días a todos. Hoy hablamos de bases de datos y de cómo migrarlas.\n",
         "es", "text"},
        {"t.md", "Ольга: Добрый день! Сегодня мы поговорим о том, как переписать сервис.\n", "ru",
         "text"},
        {"t.md", "김민지: 안녕하세요, 오늘은 첫 직장 이야기를 해 보겠습니다.\n", "ko", "text"},
        {"t.md", "花子: こんにちは、今日はよろしくお願いします。\n", "ja", "text"},
        {"t.md", "陆飞：大家好，今天我们聊一聊 GPT 和 Claude。\n", "zh", "text"},
        {"t.md", "Maya: Welcome back to the show, everyone.\n", "en", "text"},
        {"talk.de.md", "Anna: Guten Tag und herzlich willkommen.\n", "de", "file-name"},
        {"talk.de.md", "---\nlang: fr\n---\nAnna: Guten Tag und herzlich willkommen.\n", "fr",
         "front-matter"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct script s;
        struct diags d;
        diag_init(&d);
        assert_int_equal(
            script_parse(&s, rows[i].path, rows[i].text, strlen(rows[i].text), NULL, &d), 0);
        if (strcmp(s.lang, rows[i].lang) || strcmp(s.lang_from, rows[i].from))
            fail_msg("%s: %s from %s, want %s from %s", rows[i].text, s.lang, s.lang_from,
                     rows[i].lang, rows[i].from);
        script_release(&s);
        diag_release(&d);
    }
    /* Declared English, Spanish text: one warning at the lang value. */
    struct script s;
    struct diags d;
    const char *t = "---\nlang: en\n---\nSara: Buenos días a todos. Hoy repasamos el calendario "
                    "del trimestre y los problemas del último despliegue.\n";
    diag_init(&d);
    assert_int_equal(script_parse(&s, "t.md", t, strlen(t), NULL, &d), 0);
    size_t warnings = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (d.v[i].level != DIAG_WARNING)
            continue;
        warnings++;
        assert_int_equal(d.v[i].line, 2);
        assert_int_equal(d.v[i].col, 7);
        assert_non_null(strstr(d.v[i].msg, "lang is \"en\" but the text reads as Spanish (es "));
    }
    assert_int_equal(warnings, 1);
    script_release(&s);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writing),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_english_in_spanish),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_document_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
