/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the espeak-ng language inventory (src/cast/langs.c) and
 * derived voice profiles (src/cast/derive.c): language tags with regions,
 * scripts, old codes and English names; every language's tag and voice;
 * derived names and parameters; files overriding derived profiles; and
 * derive_for_script() casting a German transcript with derived voices,
 * refusing a language espeak-ng lacks and warning about a partial one.
 * Needs espeak-ng's data, like the engine tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cast/cast.h"
#include "cast/derive.h"
#include "cast/langs.h"
#include "cast/voice.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void load_voices(struct voicebook *vb)
{
    const char *src = getenv("SCRIPTCAST_SOURCE_DIR");
    struct strbuf dir = STRBUF_INIT;
    strbuf_addf(&dir, "%s/voices", src ? src : ".");
    char *path[] = {dir.buf, NULL};
    struct diags d;
    diag_init(&d);
    assert_int_equal(voice_load_all(vb, path, &d), 0);
    assert_int_equal(d.errors, 0);
    diag_release(&d);
    strbuf_release(&dir);
}

static void expect_lang(const char *tag, const char *want_tag, const char *want_voice)
{
    const struct lang_info *l = langs_find(tag);
    if (!want_tag) {
        if (l)
            fail_msg("\"%s\" found as %s, expected no voice", tag, l->tag);
        assert_null(langs_voice(tag));
        return;
    }
    if (!l)
        fail_msg("\"%s\": no voice, expected %s", tag, want_tag);
    assert_string_equal(l->tag, want_tag);
    assert_string_equal(l->voice, want_voice);
    assert_string_equal(langs_voice(tag), want_voice);
}

/* Regions map to espeak-ng's regional voice when it has one, else to the
 * base language; case and '_' do not matter. */
static void test_tags(void **state)
{
    (void)state;
    expect_lang("de", "de", "de");
    expect_lang("de-DE", "de", "de");
    expect_lang("DE_at", "de", "de");
    expect_lang("pt-BR", "pt-br", "pt-br");
    expect_lang("pt_br", "pt-br", "pt-br");
    expect_lang("pt-PT", "pt", "pt");
    expect_lang("pt", "pt", "pt");
    expect_lang("en-GB", "en-gb", "en");
    expect_lang("en-US", "en", "en-us");
    expect_lang("en", "en", "en-us");
    expect_lang("en-AU", "en", "en-us");
    expect_lang("es-419", "es-419", "es-419");
    expect_lang("es-MX", "es-419", "es-419");
    expect_lang("es", "es", "es");
    expect_lang("fr", "fr", "fr");
    expect_lang("fr-FR", "fr", "fr");
    expect_lang("fr-CA", "fr", "fr");
    expect_lang("fr-BE", "fr-be", "fr-be");
    expect_lang("zh", "zh", "cmn-latn-pinyin");
    expect_lang("zh-TW", "zh", "cmn-latn-pinyin");
    expect_lang("zh-Hant", "zh", "cmn-latn-pinyin");
    expect_lang("zh-Hant-HK", "yue", "yue"); /* Hong Kong reads Chinese in Cantonese */
    expect_lang("cmn", "zh", "cmn-latn-pinyin");
    expect_lang("yue", "yue", "yue");
    expect_lang("zh-yue", "yue", "yue");
    expect_lang("ja-JP", "ja", "ja");
    expect_lang("ko", "ko", "ko");
    expect_lang("ru", "ru", "ru");
    expect_lang("ar-EG", "ar", "ar");
    expect_lang("no", "nb", "nb");
    expect_lang("iw", "he", "he");
    expect_lang("sr-Latn-RS", "sr", "sr");
    expect_lang("chr", "chr", "chr");
    expect_lang("German", "de", "de");
    expect_lang("spanish", "es", "es");
    expect_lang("xx", NULL, NULL);
    expect_lang("nn", NULL, NULL);
    expect_lang("", NULL, NULL);
    expect_lang("de DE", NULL, NULL);
    expect_lang("../de", NULL, NULL);
}

/* A list in the shape of espeak-ng's: the tags and voices do not depend on
 * its order; shared tags, bare base languages and the fixed choices. */
static const struct langs_source fake[] = {
    {"roa/fr-BE", "French (Belgium)",
     "\x05"
     "fr-be\0"
     "\x08"
     "fr\0"},
    {"roa/fr", "French (France)",
     "\x05"
     "fr-fr\0"
     "\x05"
     "fr\0"},
    {"gmw/en", "English (Great Britain)",
     "\x02"
     "en-gb\0"
     "\x02"
     "en\0"},
    {"gmw/en-US", "English (America)",
     "\x02"
     "en-us\0"
     "\x03"
     "en\0"},
    {"sit/cmn", "Chinese (Mandarin, latin as English)",
     "\x05"
     "cmn\0"
     "\x05"
     "zh\0"},
    {"sit/cmn-Latn-pinyin", "Chinese (Mandarin, latin as Pinyin)",
     "\x05"
     "cmn-latn-pinyin\0"
     "\x05"
     "zh\0"},
    {"sit/yue-Latn-jyutping", "Chinese (Cantonese, latin as Jyutping)",
     "\x05"
     "yue\0"},
    {"sit/yue", "Chinese (Cantonese)",
     "\x05"
     "yue\0"
     "\x08"
     "zh\0"},
    {"iro/chr", "Cherokee ",
     "\x05"
     "chr-US-Qaaa-x-west\0"},
    {"gmq/nb", "Norwegian Bokmal",
     "\x05"
     "nb\0"
     "\x05"
     "no\0"},
    {"!v/m1", "m1",
     "\x05"
     "variant\0"},
    {"mb/mb-de1", "german-mbrola-1",
     "\x05"
     "de\0"},
};
#define NFAKE (sizeof(fake) / sizeof(fake[0]))

static void expect_fake(void)
{
    assert_int_equal(langs_count(), 9);
    expect_lang("fr", "fr", "fr");
    expect_lang("fr-BE", "fr-be", "fr-be");
    expect_lang("en", "en", "en-us");
    expect_lang("en-GB", "en-gb", "en");
    expect_lang("zh-TW", "zh", "cmn-latn-pinyin");
    expect_lang("yue", "yue", "yue");
    expect_lang("yue-latn-jyutping", "yue-latn-jyutping", "yue-latn-jyutping");
    expect_lang("chr", "chr", "chr");
    expect_lang("no", "nb", "nb");
    expect_lang("de", NULL, NULL); /* MBROLA voices are not espeak-ng's own */
    assert_null(langs_exact("cmn"));
    assert_null(langs_exact("variant"));
}

static void test_order(void **state)
{
    (void)state;
    langs_load_from(fake, NFAKE);
    expect_fake();
    struct langs_source rev[NFAKE];
    for (size_t i = 0; i < NFAKE; i++)
        rev[i] = fake[NFAKE - 1 - i];
    langs_load_from(rev, NFAKE);
    expect_fake();
    struct langs_source rot[NFAKE];
    for (size_t i = 0; i < NFAKE; i++)
        rot[i] = fake[(i + 5) % NFAKE];
    langs_load_from(rot, NFAKE);
    expect_fake();
    langs_load_from(NULL, 0); /* back to the installed espeak-ng */
    expect_lang("de", "de", "de");
}

/* Every entry: a unique tag in order, a voice, a name; the partial ones
 * say why. */
static void test_inventory(void **state)
{
    (void)state;
    size_t n = langs_count();
    assert_true(n >= 100); /* espeak-ng 1.51: 130 voices */
    for (size_t i = 0; i < n; i++) {
        const struct lang_info *l = langs_get(i);
        assert_non_null(l->voice);
        assert_non_null(l->name);
        if (i)
            assert_true(strcmp(langs_get(i - 1)->tag, l->tag) < 0);
        assert_ptr_equal(langs_exact(l->tag), l);
        /* A tag finds its own entry through the full lookup too. */
        assert_ptr_equal(langs_find(l->tag), l);
    }
    assert_null(langs_get(n));
    assert_null(langs_exact("cmn")); /* reads Han as English: left out */
    assert_non_null(langs_find_partial("ar"));
    assert_non_null(langs_find_partial("ar-SA"));
    assert_non_null(strstr(langs_find_partial("ar")->partial, "vowel"));
    assert_null(langs_find_partial("de"));
    assert_null(langs_find_partial("en"));
}

/* The table: names, variants, genders, pitches; latin-voice by language. */
static void test_profile(void **state)
{
    (void)state;
    const struct lang_info *de = langs_exact("de");
    assert_non_null(de);
    struct voice v;
    derive_profile(&v, de, 0);
    assert_string_equal(v.name, "de-narrator");
    assert_string_equal(v.lang, "de");
    assert_string_equal(v.voice, "de");
    assert_string_equal(v.variant, "m4");
    assert_null(v.gender);
    assert_null(voice_gender(&v));
    assert_string_equal(v.latin_voice, "en-us");
    assert_true(v.derived);
    assert_null(v.path);
    voice_release(&v);
    derive_profile(&v, de, 2);
    assert_string_equal(v.name, "de-male-2");
    assert_string_equal(voice_gender(&v), "male");
    assert_int_equal(v.pitch, 25);
    voice_release(&v);
    derive_profile(&v, de, 12);
    assert_string_equal(v.name, "de-female-6");
    assert_string_equal(voice_gender(&v), "female");
    voice_release(&v);
    derive_profile(&v, langs_exact("en-gb"), 1);
    assert_string_equal(v.name, "en-gb-male-1");
    assert_null(v.latin_voice); /* English reads its own Latin words */
    voice_release(&v);
    assert_string_equal(derive_latin_voice("ja"), "en-us");

    /* Thirteen distinct voices: no two share variant, pitch and rate. */
    for (size_t i = 0; i < DERIVE_SLOTS; i++)
        for (size_t k = 0; k < i; k++) {
            struct voice a, b;
            derive_profile(&a, de, i);
            derive_profile(&b, de, k);
            assert_true(strcmp(a.variant, b.variant) || a.pitch != b.pitch || a.rate != b.rate);
            voice_release(&a);
            voice_release(&b);
        }
    assert_ptr_equal(derive_lang_of("pt-br-female-3"), langs_exact("pt-br"));
    assert_ptr_equal(derive_lang_of("de-narrator"), de);
    assert_null(derive_lang_of("de-male-7"));
    assert_null(derive_lang_of("de-robot-1"));
    assert_null(derive_lang_of("xx-male-1"));
    assert_null(derive_lang_of("-male-1"));
}

/* Files win: the shipped en profiles are all there, so en derives
 * nothing; de derives thirteen, once. */
static void test_override(void **state)
{
    (void)state;
    struct voicebook vb;
    load_voices(&vb);
    size_t shipped = vb.n;
    assert_int_equal(derive_add(&vb, langs_exact("en")), 0);
    assert_int_equal(derive_add(&vb, langs_exact("de")), DERIVE_SLOTS);
    assert_int_equal(derive_add(&vb, langs_exact("de")), 0);
    assert_int_equal(vb.n, shipped + DERIVE_SLOTS);
    for (size_t i = 1; i < vb.n; i++)
        assert_true(strcmp(vb.v[i - 1].name, vb.v[i].name) < 0);
    assert_false(voice_find(&vb, "en-male-1")->derived);
    assert_true(voice_find(&vb, "de-male-1")->derived);
    assert_int_equal(derive_add_all(&vb), (langs_count() - 3) * DERIVE_SLOTS);
    voice_release_all(&vb);
}

static int parse(struct script *s, struct diags *d, const char *text)
{
    diag_init(d);
    return script_parse(s, "t.md", text, strlen(text), NULL, d);
}

static bool has_diag(const struct diags *d, enum diag_level level, const char *part, int line)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].level == level && strstr(d->v[i].msg, part) && d->v[i].line == line)
            return true;
    return false;
}

/* A German transcript casts German voices; a cast entry may name a
 * derived voice of another language. */
static void test_script_de(void **state)
{
    (void)state;
    struct voicebook vb;
    load_voices(&vb);
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "---\nlang: de-DE\nscriptcast:\n  cast:\n    Jean: fr-male-2\n---\n"
                           "Anna: Guten Tag.\n\nPeter: Hallo.\n\nJean: Bonjour.\n"),
                     0);
    assert_int_equal(derive_for_script(&vb, &s, &d), 0);
    assert_string_equal(derive_pool_lang(&vb, s.lang), "de");
    struct cast c;
    assert_int_equal(cast_assign(&c, &s, &vb, false, &d), 0);
    assert_string_equal(c.narrator.voice->name, "de-narrator");
    assert_string_equal(cast_role(&c, 0)->voice->name, "fr-male-2");
    for (size_t i = 0; i < s.npeople; i++)
        if (!strcmp(s.people[i].name, "Anna"))
            assert_string_equal(c.people[i].voice->name, "de-female-1");
        else if (!strcmp(s.people[i].name, "Peter"))
            assert_string_equal(c.people[i].voice->name, "de-male-1");
    assert_int_equal(d.errors, 0);
    cast_release(&c);
    script_release(&s);
    diag_release(&d);
    voice_release_all(&vb);
}

/* No voice: an error at the front matter's lang naming the language and
 * the profile keys. Partly: a warning there. */
static void test_script_errors(void **state)
{
    (void)state;
    struct voicebook vb;
    load_voices(&vb);
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d, "---\ntitle: T\nlang: xx\n---\nAnna: Hallo.\n"), 0);
    assert_int_equal(derive_for_script(&vb, &s, &d), -1);
    assert_true(has_diag(&d, DIAG_ERROR, "espeak-ng has no voice for language \"xx\"", 3));
    assert_true(has_diag(&d, DIAG_ERROR, "xx-narrator.yaml", 3));
    assert_true(has_diag(&d, DIAG_ERROR, "lang: xx", 3));
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].level == DIAG_ERROR)
            assert_int_equal(d.v[i].col, 7);
    script_release(&s);
    diag_release(&d);

    assert_int_equal(parse(&s, &d, "---\nlang: ar\n---\nAnna: Hallo.\n"), 0);
    assert_int_equal(derive_for_script(&vb, &s, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_true(has_diag(&d, DIAG_WARNING, "espeak-ng speaks it only partly", 2));
    script_release(&s);
    diag_release(&d);
    voice_release_all(&vb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tags),          cmocka_unit_test(test_order),
        cmocka_unit_test(test_inventory),     cmocka_unit_test(test_profile),
        cmocka_unit_test(test_override),      cmocka_unit_test(test_script_de),
        cmocka_unit_test(test_script_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
